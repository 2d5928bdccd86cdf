// Helm releases (server/src/service/helm/versions.ts): parsing, and each behaviour change reproduced by the engine
// at the releases on either side of its boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BEHAVIOUR_CHANGES, defaultSchemaDraft, formatRelease, hasBehaviour, hasResetThenReuseValues, parseHelmRelease, releaseClasses, type BehaviourId, type HelmRelease } from '../../server/src/service/helm/versions';
import { computeEffective } from '../../server/src/service/helm/effective';
import { checkChart } from '../../server/src/service/check/check';
import { analysisOf } from './fixture';
import type { Value } from '../../server/src/service/types';

function release(text: string): HelmRelease {
  const r = parseHelmRelease(text);
  assert.ok('release' in r, `${text}: ${'error' in r ? r.error : ''}`);
  return r.release;
}

test('parse: majors mean their newest release, minors their newest patch, releases themselves', () => {
  const cases: [unknown, string][] = [['4', '4.2.4'], ['3', '3.21.4'], [4, '4.2.4'], [3, '3.21.4'], ['4.1', '4.1.4'], ['4.2.3', '4.2.3'], ['3.18', '3.18.6'], ['v4.0.1', '4.0.1'], [' 4.1.2 ', '4.1.2'], ['3.13', '3.13.3'], ['4.3', '4.3.0']];
  for (const [input, want] of cases) {
    const r = parseHelmRelease(input);
    assert.ok('release' in r, `${String(input)}: ${'error' in r ? r.error : ''}`);
    assert.equal(formatRelease(r.release), want, String(input));
  }
});

test('parse: invalid input is an error that says what to write', () => {
  for (const input of ['5', '2', 'latest', '4.x', '4.2.0-rc.1', '', '3.12', '3.13.0', true, null]) {
    const r = parseHelmRelease(input);
    assert.ok('error' in r, `${String(input)} should be rejected`);
    assert.match(r.error, /use 3, 4|3\.13 or later/, String(input));
  }
});

test('every behaviour change names its source and its first release per line', () => {
  for (const c of BEHAVIOUR_CHANGES) {
    assert.ok(/[0-9a-f]{9}/.test(c.source), `${c.id}: a Helm commit`);
    assert.ok(c.since[3] || c.since[4], c.id);
  }
});

/** For each change: the release just before and at its boundary, on each line that has it. */
function boundaries(id: BehaviourId): [HelmRelease, HelmRelease][] {
  const c = BEHAVIOUR_CHANGES.find((x) => x.id === id);
  assert.ok(c);
  const before: Record<string, string> = { '3.17.1': '3.17.0', '3.18.5': '3.18.4', '3.19.5': '3.19.4', '3.20.1': '3.20.0', '4.1.3': '4.1.2', '4.2.0': '4.1.4', '4.0.0': '3.21.4' };
  // 4.0.0 is a boundary only for changes the 3.x line never got (3.21.4 comes right before 4.0.0).
  return Object.values(c.since).filter((s) => !(s.major === 4 && s.minor === 0 && s.patch === 0 && c.since[3])).map((s) => [release(before[formatRelease(s)] ?? ''), s]);
}

function effectiveAt(files: Record<string, string>, version: HelmRelease, inputs: { set?: string[]; setJson?: string[]; files?: string[] } = {}) {
  const map = new Map(Object.entries(files));
  const a = analysisOf(map, { helmVersion: version });
  const docs = (inputs.files ?? []).map((f) => a.input.documents?.get(f, map.get(f) ?? ''));
  return computeEffective(a.model, { files: docs.filter((d) => d !== undefined), set: inputs.set ?? [], setJson: inputs.setJson ?? [] }, version);
}

function at(v: Value, path: string): { found: boolean; value?: Value } {
  let cur: Value = v;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, k)) return { found: false };
    cur = cur[k] ?? null;
  }
  return { found: true, value: cur };
}

/** Asserts the result at `path` before and from the boundary of change `id`, on each line. */
function checkBoundary(id: BehaviourId, run: (r: HelmRelease) => Value, path: string, before: { found: boolean; value?: Value }, after: { found: boolean; value?: Value }): void {
  for (const [b, s] of boundaries(id)) {
    assert.equal(hasBehaviour(b, id), false, `${id} not in ${formatRelease(b)}`);
    assert.equal(hasBehaviour(s, id), true, `${id} in ${formatRelease(s)}`);
    assert.deepEqual(at(run(b), path), before, `${id}: ${path} at Helm ${formatRelease(b)}`);
    assert.deepEqual(at(run(s), path), after, `${id}: ${path} at Helm ${formatRelease(s)}`);
  }
}

const parentWithChild = {
  '/chart/Chart.yaml': 'apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n  - name: child\n    version: 1.0.0\n',
  '/chart/charts/child/Chart.yaml': 'apiVersion: v2\nname: child\nversion: 1.0.0\n',
};

test('clean-chart-default-nils (4.2.0, 00638773d): a subchart-default null is dropped; helm/helm#32132: a parent null no longer deletes the subchart default', () => {
  const files = { ...parentWithChild, '/chart/values.yaml': 'child:\n  gone: null\n', '/chart/charts/child/values.yaml': 'keyMapping:\n  password: null\ngone: here\n' };
  const run = (r: HelmRelease) => effectiveAt(files, r).values;
  checkBoundary('clean-chart-default-nils', run, 'child.keyMapping.password', { found: true, value: null }, { found: false });
  checkBoundary('clean-chart-default-nils', run, 'child.gone', { found: false }, { found: true, value: 'here' });
});

test('keep-null-without-default (3.20.1, 4.1.3; helm/helm#31643): a user null over an empty map is kept', () => {
  const files = { '/chart/values.yaml': 'data: {}\n', '/chart/u.yaml': 'data:\n  foo: bar\n  baz: null\n' };
  checkBoundary('keep-null-without-default', (r) => effectiveAt(files, r, { files: ['/chart/u.yaml'] }).values, 'data.baz', { found: false }, { found: true, value: null });
});

test('null-merge-fix (3.19.5, 4.0.0; helm/helm#30777): a user null for a key no lower layer has is deleted (until 3.20.1/4.1.3 keep it again)', () => {
  const files = { '/chart/values.yaml': 'data: {}\n', '/chart/u.yaml': 'data:\n  baz: null\n' };
  const run = (r: HelmRelease) => effectiveAt(files, r, { files: ['/chart/u.yaml'] }).values;
  assert.deepEqual(at(run(release('3.19.4')), 'data.baz'), { found: true, value: null });
  assert.deepEqual(at(run(release('3.19.5')), 'data.baz'), { found: false });
  assert.deepEqual(at(run(release('4.0.0')), 'data.baz'), { found: false });
  assert.deepEqual(at(run(release('3.20.1')), 'data.baz'), { found: true, value: null });
});

test("child-chart-merge (3.17.1, 4.0.0; helm/helm#12879): a user null under a subchart key the parent also sets deletes the subchart's default", () => {
  const files = { ...parentWithChild, '/chart/values.yaml': 'child:\n  size: 2\n', '/chart/charts/child/values.yaml': 'size: 1\n', '/chart/u.yaml': 'child:\n  size: null\n' };
  checkBoundary('child-chart-merge', (r) => effectiveAt(files, r, { files: ['/chart/u.yaml'] }).values, 'child.size', { found: true, value: 1 }, { found: false });
});

test('multi-document-values and set-json-object (4.0.0)', () => {
  const files = { '/chart/values.yaml': 'a: 1\n---\na: 2\n' };
  checkBoundary('multi-document-values', (r) => effectiveAt(files, r).values, 'a', { found: true, value: 1 }, { found: true, value: 2 });
  for (const [b, s] of boundaries('set-json-object')) {
    assert.ok(effectiveAt(files, b, { setJson: ['{"x": 1}'] }).error, `Helm ${formatRelease(b)} rejects a --set-json object`);
    assert.deepEqual(at(effectiveAt(files, s, { setJson: ['{"x": 1}'] }).values, 'x'), { found: true, value: 1 });
  }
});

test('jsonschema-v6 (3.18.5, 4.0.0): the default draft follows the release', () => {
  for (const [b, s] of boundaries('jsonschema-v6')) {
    assert.equal(defaultSchemaDraft(b), '07', formatRelease(b));
    assert.equal(defaultSchemaDraft(s), '2020-12', formatRelease(s));
  }
});

test('release classes: labels name the ranges that disagree', () => {
  const labels = releaseClasses(new Set<BehaviourId>(['clean-chart-default-nils'])).map((c) => c.label);
  assert.deepEqual(labels, ['3, 4.0.0–4.1.4', '4.2.0 and later']);
  assert.deepEqual(releaseClasses(new Set<BehaviourId>(['multi-document-values'])).map((c) => c.label), ['3', '4']);
});

test('helm.version-dependent names the releases on each side', () => {
  const files = new Map(Object.entries({ ...parentWithChild, '/chart/values.yaml': 'x: 1\n', '/chart/charts/child/values.yaml': 'keyMapping:\n  password: null\n' }));
  const a = analysisOf(files, {});
  const { findings } = checkChart({ model: a.model, environments: a.environments, resolveValues: a.input.resolveValues, helmVersion: release('4'), documents: a.input.documents });
  const msg = findings.find((f) => f.code === 'helm.version-dependent')?.message;
  assert.equal(msg, 'child.keyMapping.password: Helm 4.2.0 and later give (absent); Helm 3, 4.0.0–4.1.4 give null. [environment: default]');
});

test('docs/helm-versions.md lists every behaviour change with its commit', () => {
  const doc = readFileSync(new URL('../../docs/helm-versions.md', import.meta.url), 'utf8');
  for (const c of BEHAVIOUR_CHANGES) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${c.id}\``));
    assert.ok(row, `${c.id} has a row`);
    for (const commit of c.source.match(/\b[0-9a-f]{9}\b/g) ?? []) assert.ok(row.includes(commit), `${c.id}: ${commit}`);
  }
});

test('helm.version-dependent on a user null: adjacent releases that agree read as one span; a top-level null alone compares nothing', () => {
  const base = { '/chart/values.yaml': 'data: {}\ntop: 1\n' };
  const findingsWith = (overlay: string) => {
    const files = new Map(Object.entries({ ...base, '/chart/values-prod.yaml': overlay }));
    const a = analysisOf(files, {});
    return checkChart({ model: a.model, environments: a.environments, resolveValues: a.input.resolveValues, helmVersion: release('4'), documents: a.input.documents }).findings.filter((f) => f.code === 'helm.version-dependent');
  };
  assert.deepEqual(
    findingsWith('data:\n  baz: null\n').map((f) => f.message),
    ['data.baz: Helm 3.13.1–3.19.4, 3.20.1–3.21.4, 4.1.3 and later give null; Helm 3.19.5–3.20.0, 4.0.0–4.1.2 give (absent). [environment: prod]'],
  );
  assert.deepEqual(findingsWith('top: null\n'), []);
});

test('upgrades reusing values (Upgrade.reuseValues: CoalesceTables(new, previous)) follow the release: keep-null-without-default, and --reset-then-reuse-values from 3.14.0', () => {
  const files = { '/chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 1.0.0\n', '/chart/values.yaml': 'a: 1\n', '/new.yaml': 'a: null\nfresh: null\n', '/prev.yaml': 'a: 2\nkept: 3\n' };
  const run = (version: HelmRelease) => {
    const map = new Map(Object.entries(files));
    const an = analysisOf(map, { helmVersion: version });
    const doc = (f: string) => an.input.documents?.get(f, map.get(f) ?? '');
    const [next, prev] = [doc('/new.yaml'), doc('/prev.yaml')];
    assert.ok(next && prev);
    return computeEffective(an.model, { files: [next], previous: { mode: 'reset-then-reuse', config: prev } }, version).userValues;
  };
  // The user's null deletes the previous value; a null for a key the previous release lacks is kept only from
  // keep-null-without-default on (3.20.1 / 4.1.3), and deleted before (null-merge-fix).
  checkBoundary('keep-null-without-default', run, 'fresh', { found: false }, { found: true, value: null });
  for (const r of ['3.20.0', '4.1.3']) assert.deepEqual(at(run(release(r)), 'a'), { found: false });
  assert.deepEqual(at(run(release('4')), 'kept'), { found: true, value: 3 });
  assert.equal(hasResetThenReuseValues(release('3.13.3')), false);
  assert.equal(hasResetThenReuseValues(release('3.14.0')), true);
  assert.equal(hasResetThenReuseValues(release('4.0.0')), true);
});
