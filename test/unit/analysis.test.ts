// ChartAnalysis: roles of files, effective paths, environments, through the in-memory fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisOf, appWithRedis, parseFixture } from './fixture';
import { explainPath } from '../../server/src/service/helm/explain';

const chart = parseFixture(appWithRedis({
  dependency: 'alias: cache',
  values: `image:
  tag: "1.0"
cache:
  port: 1`,
  overlay: `image:
  tag: "2.0"`,
  redis: `port: 6379
auth: true
`,
}));

test('roles: chart defaults, subchart defaults under its alias, overlays by environment', () => {
  const a = analysisOf(chart.files);
  assert.deepEqual(a.environments.map((e) => e.name), ['prod', 'default']);
  assert.deepEqual(a.roleOf('/chart/values-prod.yaml'), { kind: 'overlay', environments: ['prod'] });
  assert.deepEqual(a.effectivePaths('/chart/charts/redis/values.yaml', ['port']), [['cache', 'port']]);
  assert.deepEqual(a.effectivePaths('/chart/values.yaml', ['image', 'tag']), [['image', 'tag']]);
  assert.deepEqual(a.environmentsOf('/chart/values.yaml'), ['prod', 'default']);
});

test('effective values per environment with provenance across chart, overlay and subchart', () => {
  const a = analysisOf(chart.files);
  const prod = a.environment('prod');
  assert.ok(prod?.effective);
  const tag = explainPath(prod.effective, ['image', 'tag']);
  assert.equal(tag.value, '2.0');
  assert.deepEqual(tag.source, { kind: 'file', file: '/chart/values-prod.yaml', line: 2, column: 3, layer: '/chart/values-prod.yaml' });
  assert.deepEqual(tag.shadowed.map((c) => [c.source.kind === 'file' ? `${c.source.file}:${c.source.line}` : '', c.value]), [['/chart/values.yaml:2', '1.0']]);
  const port = explainPath(prod.effective, ['cache', 'port']);
  assert.equal(port.value, 1);
  assert.deepEqual(port.shadowed.map((c) => (c.source.kind === 'file' ? `${c.source.file}:${c.source.line}` : '')), ['/chart/charts/redis/values.yaml:1']);
  assert.equal(explainPath(prod.effective, ['cache', 'auth']).value, true);
});
