// The chain-of-custody service (service/custody/): the diff of two in-memory snapshots, owner globs, the owners and
// policies configuration, drift, and the host's git revision reader (a revision read through git gives the same
// chart as the disk, so the diff's two sides are read by the same rules).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analysisOf, dedent, parseFixture } from './fixture';
import { diffEffectiveValues } from '../../server/src/service/custody/diff';
import { ownerMatcher, readCustodyConfig, DEFAULT_POLICY_SEVERITIES } from '../../server/src/service/custody/owners';
import { computeDrift, readLiveValues } from '../../server/src/service/custody/drift';
import { computeEffective } from '../../server/src/service/helm/effective';
import { environmentInputs } from '../../server/src/service/check/check';
import { readChartDir } from '../../server/src/host/chartReader';
import { openGitRevision } from '../../server/src/host/gitRevision';

const input = (text: string, config: unknown[] = []) => analysisOf(parseFixture(dedent(text)).files, { config, schemas: false }).input;

describe('diffEffectiveValues', () => {
  const base = input(`
    #- /chart/values.yaml
    a: 1
    b: {c: true, d: [1, 2]}
    #- /chart/values-prod.yaml
    a: 3
  `);
  const head = input(`
    #- /chart/values.yaml
    a: 2
    b: {c: false, d: [1, 2, 3]}
    e: {}
    #- /chart/values-prod.yaml
    a: 3
  `);

  it('lists changed leaves with sources, shadowed edits, and is total without a side', () => {
    const d = diffEffectiveValues(base, head);
    const prod = d.environments.find((e) => e.name === 'prod');
    assert.equal(prod?.status, 'changed');
    assert.deepEqual(prod?.changes.map((c) => [c.path, c.kind, c.before, c.after]), [
      ['b.c', 'changed', true, false],
      ['b.d', 'changed', [1, 2], [1, 2, 3]],
      ['e', 'added', undefined, {}],
    ]);
    assert.deepEqual(prod?.shadowed, [{ path: 'a', file: '/chart/values.yaml', by: { file: '/chart/values-prod.yaml', line: 1 } }]);
    assert.deepEqual(d.environments.find((e) => e.name === 'default')?.changes.find((c) => c.path === 'a')?.afterSource, { file: '/chart/values.yaml', line: 1 });
    const gone = diffEffectiveValues(base, undefined);
    assert.ok(gone.environments.every((e) => e.status === 'removed'));
    assert.deepEqual(diffEffectiveValues(undefined, undefined).environments, []);
  });

  it('compares the same snapshot as unchanged everywhere, with no findings', () => {
    const d = diffEffectiveValues(base, base, { owners: [{ paths: ['**'], owners: ['@all'] }] });
    assert.ok(d.environments.every((e) => e.status === 'unchanged' && e.changes.length === 0));
    assert.deepEqual(d.findings, []);
  });
});

describe('owners', () => {
  it('matches dotted-path globs per environment', () => {
    const m = ownerMatcher([
      { paths: ['resources.**'], owners: ['@sre'] },
      { paths: ['featureFlags.*'], owners: ['@product'], environments: ['prod'] },
      { paths: ['*.image.tag'], owners: ['@release', '@sre'] },
    ]);
    assert.deepEqual(m.ownersOf(['resources'], 'dev'), ['@sre']);
    assert.deepEqual(m.ownersOf(['resources', 'limits', 'cpu'], 'dev'), ['@sre']);
    assert.deepEqual(m.ownersOf(['featureFlags', 'beta'], 'prod'), ['@product']);
    assert.deepEqual(m.ownersOf(['featureFlags', 'beta'], 'dev'), []);
    assert.deepEqual(m.ownersOf(['featureFlags', 'beta', 'x'], 'prod'), []);
    assert.deepEqual(m.ownersOf(['api', 'image', 'tag'], 'dev'), ['@release', '@sre']);
    assert.equal(ownerMatcher([]).configured, false);
  });

  it('reads owners and policies, with problems naming the entry', () => {
    const r = readCustodyConfig({ owners: [{ paths: ['a'], owners: ['@x'] }, { paths: [], owners: ['@y'] }, 'no', { paths: ['b'], owners: ['@z'], environments: 'prod' }], policies: { 'change.unowned': 'error', 'change.secret-reference': 'loud', other: 'off' } }, 'hv.yaml');
    assert.deepEqual(r.owners, [{ paths: ['a'], owners: ['@x'] }]);
    assert.equal(r.policies['change.unowned'], 'error');
    assert.equal(r.policies['change.secret-reference'], DEFAULT_POLICY_SEVERITIES['change.secret-reference']);
    assert.deepEqual(r.problems.map((p) => [p.section, p.entry ?? p.key]), [['owners', 1], ['owners', 2], ['owners', 3], ['policies', 'change.secret-reference'], ['policies', 'other']]);
    assert.deepEqual(readCustodyConfig([{ name: 'prod' }], 'x').problems, []);
  });
});

describe('drift', () => {
  const chart = input(
    `
    #- /chart/values.yaml
    replicas: 1
    image: {tag: "1.0"}
    #- /chart/values-prod.yaml
    replicas: 3
    image: {tag: "2.0"}
    gone: null
  `,
  );
  const env = chart.environments.find((e) => e.name === 'prod');
  assert.ok(env);
  const effective = computeEffective(chart.model, environmentInputs(chart, env).inputs, chart.helmVersion);
  const id = (v: unknown) => v as never;

  it('compares user-supplied values, keeping nulls, with declared sources', () => {
    const live = readLiveValues('USER-SUPPLIED VALUES:\nreplicas: 3\nimage:\n  tag: "2.1"\nhotfix: true\n', 'live.yaml');
    assert.ok(!('error' in live));
    const r = computeDrift({ environment: 'prod', effective, live, declaredChartVersion: '1.0.0', redactDeclared: id, redactLive: id });
    assert.deepEqual(r.changes, [
      { path: 'gone', kind: 'declared-only', declared: null, declaredSource: { file: '/chart/values-prod.yaml', line: 3 } },
      { path: 'hotfix', kind: 'live-only', live: true },
      { path: 'image.tag', kind: 'differs', declared: '2.0', live: '2.1', declaredSource: { file: '/chart/values-prod.yaml', line: 2 } },
    ]);
    assert.equal(r.compared, 'user-supplied');
  });

  it('reads --all output as computed values and rejects what is not a map', () => {
    // A user null for a key the chart does not have stays in the computed values (Helm deletes only chart keys).
    const all = readLiveValues('COMPUTED VALUES:\ngone: null\nimage:\n  tag: "2.0"\nreplicas: 3\n', 'all.yaml');
    assert.ok(!('error' in all) && all.computed);
    assert.deepEqual(computeDrift({ environment: 'prod', effective, live: all, declaredChartVersion: '1.0.0', redactDeclared: id, redactLive: id }).changes, []);
    assert.match((readLiveValues('- a\n', 'l.yaml') as { error: string }).error, /expected a map/);
    assert.deepEqual(readLiveValues('USER-SUPPLIED VALUES:\nnull\n', 'e.yaml'), { values: {}, computed: false });
  });
});

describe('git revision reader', () => {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const rel = 'test/fixtures/corpus/charts/prometheus-community__helm-charts/charts/kube-prometheus-stack';
  it('reads a committed chart exactly as the disk does', (t) => {
    let dirty: string;
    try {
      dirty = execFileSync('git', ['status', '--porcelain', '--', rel], { cwd: repo, encoding: 'utf8' });
      execFileSync('git', ['cat-file', '-e', `HEAD:${rel}/Chart.yaml`], { cwd: repo, stdio: 'ignore' });
    } catch {
      t.skip('not a git checkout holding the corpus');
      return;
    }
    if (dirty.trim() !== '') {
      t.skip('the corpus chart has uncommitted changes');
      return;
    }
    const rev = openGitRevision(repo, 'HEAD');
    assert.ok(!('error' in rev), JSON.stringify(rev));
    const dir = path.join(repo, rel);
    const strip = (s: ReturnType<typeof readChartDir>): unknown => ({ ...s, subcharts: s.subcharts.map(strip) });
    assert.deepEqual(strip(readChartDir(dir, { displayDir: 'kps', files: rev })), strip(readChartDir(dir, { displayDir: 'kps' })));
    assert.equal(rev.kind(path.join(dir, 'nope.yaml')), undefined);
    assert.match((rev.read(path.join(dir, 'nope.yaml')) as { message: string }).message, /ENOENT at HEAD/);
    assert.match((rev.read('/etc/passwd') as { message: string }).message, /outside the repository/);
    assert.match((openGitRevision(repo, '--output=x') as { error: string }).error, /not a revision/);
  });
});
