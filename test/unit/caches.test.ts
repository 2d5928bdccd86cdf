// Caches with owners: the host's ServiceCaches (shared across snapshots, clearable), memos of one document or one
// analysis. Results never depend on what a cache holds; sharing one only saves work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServiceCaches } from '../../server/src/service/caches';
import { chartDefaults } from '../../server/src/service/helm/dependencies';
import { computeEffective } from '../../server/src/service/helm/effective';
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { MemoTable, memoKey } from '../../server/src/service/memo';
import { renderEffectiveValues } from '../../server/src/service/features/effectiveView';
import { ChartAnalysis } from '../../server/src/service/analysis';
import { analysisOf, appWithRedis, parseFixture } from './fixture';

const chart = parseFixture(appWithRedis({
  dependency: 'condition: redis.enabled',
  values: `image:
  tag: "1.0"
redis:
  enabled: true`,
  overlay: `image:
  tag: "2.0"`,
  redis: `port: 6379
`,
}));

test('a memo slot is created once per owner, and clear() drops it', () => {
  let made = 0;
  const key = memoKey('test.slot', () => {
    made++;
    return new Map<string, number>();
  });
  const a = new MemoTable();
  const b = new MemoTable();
  a.get(key).set('x', 1);
  assert.equal(a.get(key).get('x'), 1);
  assert.equal(b.get(key).get('x'), undefined);
  assert.equal(made, 2);
  a.clear();
  assert.equal(a.get(key).get('x'), undefined);
  assert.equal(made, 3);
  assert.ok(Object.isFrozen(key));
});

test('objectId: stable per object while the caches live; after clear() old numbers never come back', () => {
  const caches = createServiceCaches();
  const o1 = {};
  const o2 = {};
  const id1 = caches.objectId(o1);
  const id2 = caches.objectId(o2);
  assert.equal(caches.objectId(o1), id1);
  assert.notEqual(id2, id1);
  assert.equal(caches.objectId(undefined), 0);
  caches.clear();
  const again = caches.objectId(o1);
  assert.ok(again > Math.max(id1, id2), `a fresh number after clear (${again})`);
  assert.equal(caches.objectId(o1), again);
});

test('adopted chart defaults are shared through one ServiceCaches and separate between two, with equal values', () => {
  const a = analysisOf(chart.files);
  const shared = createServiceCaches();
  const d1 = chartDefaults(a.model, NEWEST_RELEASE[4], shared);
  assert.equal(chartDefaults(a.model, NEWEST_RELEASE[4], shared), d1);
  const other = chartDefaults(a.model, NEWEST_RELEASE[4], createServiceCaches());
  assert.notEqual(other, d1);
  assert.deepEqual(other, d1);
  assert.ok(Object.isFrozen(d1));
  // A merge through the shared caches gives what a merge through fresh ones gives, and clearing changes nothing.
  const inputs = { files: [] };
  const before = computeEffective(a.model, inputs, NEWEST_RELEASE[4], shared).values;
  shared.clear();
  assert.deepEqual(computeEffective(a.model, inputs, NEWEST_RELEASE[4], shared).values, before);
  assert.deepEqual(computeEffective(a.model, inputs, NEWEST_RELEASE[4]).values, before);
});

test('an analysis uses the host caches it is given (or its own), and keeps its per-snapshot memos to itself', () => {
  const a = analysisOf(chart.files);
  const caches = createServiceCaches();
  const first = new ChartAnalysis({ ...a.input, caches });
  const second = new ChartAnalysis({ ...a.input, caches });
  assert.equal(first.caches, caches);
  assert.equal(second.input.caches, caches);
  assert.notEqual(a.caches, caches);
  const view = renderEffectiveValues(first, 'prod', true);
  assert.equal(renderEffectiveValues(first, 'prod', true), view, 'memoized in the analysis');
  const fresh = renderEffectiveValues(second, 'prod', true);
  assert.notEqual(fresh, view, 'another snapshot renders its own');
  assert.deepEqual(fresh, view);
  assert.match(view.text, /tag: "?2\.0"?/);
});
