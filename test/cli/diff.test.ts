// `helm-values diff`: every kind of change between two revisions, each in a temporary git repository: changed, added
// and removed paths with their sources, added and removed environments, an edit shadowed by a higher layer, chart and
// dependency versions, redacted secrets, owners and the four policies (with configured severities), a workspace of
// charts, --head between two commits, and the usage errors (unknown revision, shallow clone, bad flags).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chartYaml, cli, type CliFinding, json, show, tempDir, writeTree } from './cliUtil';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Change {
  path: string;
  kind: string;
  before?: Json;
  after?: Json;
  beforeSource?: { file: string; line: number; flag?: string; arg?: string };
  afterSource?: { file: string; line: number; flag?: string; arg?: string };
  owners?: string[];
}
interface Env {
  name: string;
  chart?: string;
  status: string;
  changes: Change[];
  changedFiles?: string[];
  shadowed?: { path: string; file: string; by: Json }[];
}
interface DiffJson {
  base: { rev: string; commit: string };
  head: { rev: string; commit?: string };
  charts: { dir: string; name: string; version: { before?: string; after?: string }; dependencies: { name: string; before?: string; after?: string }[] }[];
  environments: Env[];
  findings: CliFinding[];
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A repository whose first commit holds `files`; returns its directory. */
function repo(files: Record<string, string>): string {
  const dir = tempDir('hv-diff-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 't@example.invalid');
  git(dir, 'config', 'user.name', 'test');
  git(dir, 'config', 'commit.gpgsign', 'false');
  commit(dir, files, 'one');
  return dir;
}

/** Writes (or, with null, deletes) files and commits them. */
function commit(dir: string, files: Record<string, string | null>, message: string): string {
  edit(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

function edit(dir: string, files: Record<string, string | null>): void {
  for (const [rel, text] of Object.entries(files)) {
    if (text === null) fs.rmSync(path.join(dir, rel));
    else writeTree(dir, { [rel]: text });
  }
}

const envOf = (j: DiffJson, name: string): Env => {
  const e = j.environments.find((x) => x.name === name);
  assert.ok(e, `no environment ${name} in ${JSON.stringify(j.environments.map((x) => x.name))}`);
  return e;
};

const CHART = chartYaml('web', 'dependencies:\n  - name: db\n    version: 1.0.0\n');
const DB_CHART = 'apiVersion: v2\nname: db\nversion: 1.0.0\n';
const VALUES = `replicas: 1
image:
  tag: "1.0"
features:
  beta: false
auth:
  existingSecret: web-v1
removedLater: x
`;

function baseRepo(extra: Record<string, string> = {}): string {
  return repo({
    'web/Chart.yaml': CHART,
    'web/values.yaml': VALUES,
    'web/charts/db/Chart.yaml': DB_CHART,
    'web/charts/db/values.yaml': 'port: 5432\n',
    'web/values-prod.yaml': 'replicas: 3\n',
    'web/values-staging.yaml': 'replicas: 2\n',
    ...extra,
  });
}

describe('helm-values diff', () => {
  it('reports changed, added and removed paths with old and new sources, against the working tree', () => {
    const dir = baseRepo();
    edit(dir, { 'web/values.yaml': VALUES.replace('tag: "1.0"', 'tag: "1.1"').replace('removedLater: x\n', 'added:\n  list: [1, 2]\n') });
    const r = cli(['diff', 'web', '--base', 'HEAD', '-o', 'json'], dir);
    assert.equal(r.code, 0, show(r));
    const j = json<DiffJson>(r);
    assert.equal(j.base.rev, 'HEAD');
    assert.match(j.base.commit, /^[0-9a-f]{40}$/);
    assert.equal(j.head.rev, 'working tree');
    const prod = envOf(j, 'prod');
    assert.equal(prod.status, 'changed');
    const values = path.join('web', 'values.yaml');
    assert.deepEqual(prod.changes, [
      { path: 'added.list', kind: 'added', after: [1, 2], afterSource: { file: values, line: 9 } },
      { path: 'image.tag', kind: 'changed', before: '1.0', after: '1.1', beforeSource: { file: values, line: 3 }, afterSource: { file: values, line: 3 } },
      { path: 'removedLater', kind: 'removed', before: 'x', beforeSource: { file: values, line: 8 } },
    ]);
    assert.deepEqual(prod.changedFiles, [values]);
  });

  it('reads Argo CD Applications at each revision: a parameter changed in the manifest is a change of that environment', () => {
    const app = (tag: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-prod-eu
spec:
  source:
    repoURL: https://github.com/example/apps.git
    path: web
    helm:
      valueFiles: [values-prod.yaml]
      parameters:
        - name: image.tag
          value: "${tag}"
`;
    const dir = baseRepo({ 'apps/web-prod-eu.yaml': app('2.0') });
    const head = commit(dir, { 'apps/web-prod-eu.yaml': app('2.1') }, 'bump the eu tag');
    const r = cli(['diff', 'web', '--base', 'HEAD~1', '--head', head, '-o', 'json'], dir);
    assert.equal(r.code, 0, show(r));
    const env = envOf(json<DiffJson>(r), 'web-prod-eu');
    assert.equal(env.status, 'changed');
    const manifest = path.join('apps', 'web-prod-eu.yaml');
    assert.deepEqual(env.changes, [
      { path: 'image.tag', kind: 'changed', before: '2.0', after: '2.1', beforeSource: { file: manifest, line: 13, flag: '--set', arg: 'image.tag=2.0' }, afterSource: { file: manifest, line: 13, flag: '--set', arg: 'image.tag=2.1' } },
    ]);
    // The manifest only at the head: the environment is added there, not seen (from the working tree) at the base.
    const dir2 = baseRepo();
    const added = commit(dir2, { 'apps/web-prod-eu.yaml': app('2.0') }, 'deploy to eu');
    const j2 = json<DiffJson>(cli(['diff', 'web', '--base', 'HEAD~1', '--head', added, '-o', 'json'], dir2));
    assert.equal(envOf(j2, 'web-prod-eu').status, 'added');
  });

  it('reports an edit shadowed by a higher layer as unchanged, naming the layer', () => {
    const dir = baseRepo();
    edit(dir, { 'web/values.yaml': VALUES.replace('replicas: 1', 'replicas: 5') });
    const j = json<DiffJson>(cli(['diff', 'web', '--base', 'HEAD', '-o', 'json'], dir));
    const prod = envOf(j, 'prod');
    assert.equal(prod.status, 'unchanged');
    assert.deepEqual(prod.changes, []);
    assert.deepEqual(prod.shadowed, [{ path: 'replicas', file: path.join('web', 'values.yaml'), by: { file: path.join('web', 'values-prod.yaml'), line: 1 } }]);
    assert.equal(envOf(j, 'default').status, 'changed');
    const text = cli(['diff', 'web', '--base', 'HEAD'], dir);
    assert.match(text.stdout, /== prod: unchanged \(web\/values\.yaml changed; shadowed: replicas \(web\/values\.yaml\) by web\/values-prod\.yaml:1\)/);
    const md = cli(['diff', 'web', '--base', 'HEAD', '-o', 'markdown'], dir);
    assert.match(md.stdout, /\*\*prod\*\*: unchanged\n\n`web\/values\.yaml` changed, but every edit is shadowed:\n- `replicas` \(web\/values\.yaml\) by `web\/values-prod\.yaml:1`/);
  });

  it('reports added and removed environments, and compares two commits with --head', () => {
    const dir = baseRepo();
    const first = git(dir, 'rev-parse', 'HEAD').trim();
    const second = commit(dir, { 'web/values-staging.yaml': null, 'web/values-dev.yaml': 'replicas: 0\n' }, 'two');
    edit(dir, { 'web/values-qa.yaml': 'replicas: 7\n' }); // not committed: --head ignores it
    const j = json<DiffJson>(cli(['diff', 'web', '--base', first, '--head', second, '-o', 'json'], dir));
    assert.equal(j.head.commit, second);
    assert.equal(envOf(j, 'staging').status, 'removed');
    assert.ok(envOf(j, 'staging').changes.some((c) => c.path === 'replicas' && c.kind === 'removed' && c.before === 2));
    assert.equal(envOf(j, 'dev').status, 'added');
    assert.ok(envOf(j, 'dev').changes.some((c) => c.path === 'replicas' && c.kind === 'added' && c.after === 0 && c.afterSource?.file === path.join('web', 'values-dev.yaml')));
    assert.equal(envOf(j, 'prod').status, 'unchanged');
    assert.ok(!j.environments.some((e) => e.name === 'qa'));
    // --env picks environments (repeatable).
    const picked = json<DiffJson>(cli(['diff', 'web', '--base', first, '--head', second, '--env', 'dev', '--env', 'prod', '-o', 'json'], dir));
    assert.deepEqual(picked.environments.map((e) => e.name).sort(), ['dev', 'prod']);
  });

  it('gives the chart and dependency versions; a dependency bump with a flag flip is an error (exit 1)', () => {
    const dir = baseRepo();
    edit(dir, {
      'web/Chart.yaml': chartYaml('web', 'dependencies:\n  - name: db\n    version: 2.0.0\n').replace('version: 0.1.0', 'version: 0.2.0'),
      'web/values.yaml': VALUES.replace('beta: false', 'beta: true'),
    });
    const r = cli(['diff', 'web', '--base', 'HEAD', '-o', 'json'], dir);
    assert.equal(r.code, 1, show(r));
    const j = json<DiffJson>(r);
    assert.deepEqual(j.charts[0]?.version, { before: '0.1.0', after: '0.2.0' });
    assert.deepEqual(j.charts[0]?.dependencies, [{ name: 'db', before: '1.0.0', after: '2.0.0' }]);
    const flag = j.findings.filter((f) => f.code === 'change.dependency-and-flag');
    assert.equal(flag.length, 3, JSON.stringify(j.findings)); // prod, staging, default
    assert.ok(flag.every((f) => f.severity === 'error' && f.file === path.join('web', 'values.yaml') && f.line === 5 && /features\.beta flips false -> true/.test(f.message) && /db 1\.0\.0 -> 2\.0\.0/.test(f.message)));
    // Configured off: exit 0.
    writeTree(dir, { 'hv.yaml': 'policies:\n  change.dependency-and-flag: off\n' });
    const off = cli(['diff', 'web', '--base', 'HEAD', '--config', 'hv.yaml', '-o', 'json'], dir);
    assert.equal(off.code, 0, show(off));
    assert.ok(!json<DiffJson>(off).findings.some((f) => f.code === 'change.dependency-and-flag'));
    // The same change as SARIF: one rule per code, a result at the flag's line.
    const sarif = json<{ runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }>(cli(['diff', 'web', '--base', 'HEAD', '-o', 'sarif'], dir));
    const run = sarif.runs[0];
    assert.ok(run?.tool.driver.rules.some((x) => x.id === 'change.dependency-and-flag'));
    const hit = run?.results.find((x) => x.ruleId === 'change.dependency-and-flag');
    assert.equal(hit?.level, 'error');
    assert.equal(hit?.locations[0]?.physicalLocation.region.startLine, 5);
    assert.equal(hit?.locations[0]?.physicalLocation.artifactLocation.uri, 'web/values.yaml');
  });

  it('flags a changed secret reference and redacts plaintext secrets', () => {
    const dir = baseRepo({ 'web/values-prod.yaml': 'replicas: 3\nadminPassword: Zx9pQ2vL8mN4kR7tW3\n' });
    edit(dir, { 'web/values.yaml': VALUES.replace('web-v1', 'web-v2'), 'web/values-prod.yaml': 'replicas: 3\nadminPassword: Qw7eR5tY3uI1oP9aS2\n' });
    const r = cli(['diff', 'web', '--base', 'HEAD', '-o', 'json'], dir);
    assert.equal(r.code, 0, show(r)); // secret-reference is a warning by default
    const j = json<DiffJson>(r);
    const prod = envOf(j, 'prod');
    const pw = prod.changes.find((c) => c.path === 'adminPassword');
    assert.ok(pw && typeof pw.before === 'string' && typeof pw.after === 'string' && pw.before.includes('…') && pw.after.includes('…'), JSON.stringify(pw));
    assert.ok(!r.stdout.includes('Zx9pQ2vL8mN4kR7tW3') && !r.stdout.includes('Qw7eR5tY3uI1oP9aS2'));
    const refs = j.findings.filter((f) => f.code === 'change.secret-reference');
    assert.ok(refs.some((f) => f.severity === 'warning' && f.line === 7 && /auth\.existingSecret/.test(f.message) && /rotation in staging/.test(f.message)), JSON.stringify(j.findings));
    for (const format of ['text', 'markdown']) {
      const o = cli(['diff', 'web', '--base', 'HEAD', '-o', format], dir);
      assert.ok(!o.stdout.includes('Zx9pQ2vL8mN4kR7tW3') && !o.stdout.includes('Qw7eR5tY3uI1oP9aS2'), format);
    }
  });

  it('reads the secrets ignore file of each side at its own revision: an entry on one side does not unmask the other', () => {
    const SECRET_A = 'Zx9pQ2vL8mN4kR7tW3';
    const SECRET_B = 'Qw7eR5tY3uI1oP9aS2';
    const prodValues = (pw: string) => `replicas: 3\nadminPassword: ${pw}\n`;
    const password = (j: DiffJson) => envOf(j, 'prod').changes.find((c) => c.path === 'adminPassword');
    const redacted = (v: Json | undefined, secret: string) => typeof v === 'string' && v.includes('…') && !v.includes(secret);

    // An entry added only in the working tree (at the repository root, found by walking up from the chart): it
    // applies to the head side, not to the base, whose secret stays redacted.
    const added = baseRepo({ 'web/values-prod.yaml': prodValues(SECRET_A) });
    edit(added, { 'web/values-prod.yaml': prodValues(SECRET_B), '.helmsecretsignore': 'web/values-prod.yaml:*:adminPassword\n' });
    const r1 = cli(['diff', 'web', '--base', 'HEAD', '-o', 'json'], added);
    assert.equal(r1.code, 0, show(r1));
    const p1 = password(json<DiffJson>(r1));
    assert.ok(redacted(p1?.before, SECRET_A), `base side: ${JSON.stringify(p1)}`);
    assert.equal(p1?.after, SECRET_B, 'head side: ignored by the working tree\'s entry');
    assert.ok(!r1.stdout.includes(SECRET_A));

    // Vice versa: the entry is in the base revision (next to the chart) and removed in the working tree.
    const removed = baseRepo({ 'web/values-prod.yaml': prodValues(SECRET_A), 'web/.helmsecretsignore': 'values-prod.yaml:*:adminPassword\n' });
    edit(removed, { 'web/values-prod.yaml': prodValues(SECRET_B), 'web/.helmsecretsignore': null });
    const r2 = cli(['diff', 'web', '--base', 'HEAD', '-o', 'json'], removed);
    assert.equal(r2.code, 0, show(r2));
    const p2 = password(json<DiffJson>(r2));
    assert.equal(p2?.before, SECRET_A, 'base side: ignored by the base revision\'s entry');
    assert.ok(redacted(p2?.after, SECRET_B), `head side: ${JSON.stringify(p2)}`);
    for (const format of ['text', 'markdown']) assert.ok(!cli(['diff', 'web', '--base', 'HEAD', '-o', format], removed).stdout.includes(SECRET_B), format);

    // --head REV: the head side reads the ignore file of that revision, not the working tree's.
    const first = git(added, 'rev-parse', 'HEAD').trim();
    const second = commit(added, {}, 'ignore the prod password');
    edit(added, { '.helmsecretsignore': null, 'web/values-prod.yaml': prodValues('Lk3jH5gF7dS9aP1oI2') });
    const r3 = cli(['diff', 'web', '--base', first, '--head', second, '-o', 'json'], added);
    assert.equal(r3.code, 0, show(r3));
    const p3 = password(json<DiffJson>(r3));
    assert.ok(redacted(p3?.before, SECRET_A), `base side: ${JSON.stringify(p3)}`);
    assert.equal(p3?.after, SECRET_B, 'head side: ignored by the entry committed at --head');
    const r4 = cli(['diff', 'web', '--base', second, '--head', first, '-o', 'json'], added);
    const p4 = password(json<DiffJson>(r4));
    assert.equal(p4?.before, SECRET_B, 'base side: ignored at --base');
    assert.ok(redacted(p4?.after, SECRET_A), `head side: ${JSON.stringify(p4)}`);
  });

  it('attaches owners to changes, lists them in markdown, and reports unowned changes and bad owner entries with lines', () => {
    const dir = baseRepo({
      'hv.yaml': `environments:
  - name: prod
    values: [values-prod.yaml]
owners:
  - paths: ["image.**"]
    owners: ["@team-images"]
  - paths: ["replicas"]
    owners: ["@team-sre"]
    environments: [prod]
`,
    });
    edit(dir, { 'web/values.yaml': VALUES.replace('tag: "1.0"', 'tag: "1.1"').replace('removedLater: x', 'removedLater: y'), 'web/values-prod.yaml': 'replicas: 4\n' });
    const r = cli(['diff', 'web', '--base', 'HEAD', '--config', 'hv.yaml', '-o', 'json'], dir);
    assert.equal(r.code, 0, show(r));
    const j = json<DiffJson>(r);
    const prod = envOf(j, 'prod');
    assert.deepEqual(prod.changes.map((c) => [c.path, c.owners]), [['image.tag', ['@team-images']], ['removedLater', []], ['replicas', ['@team-sre']]]);
    const unowned = j.findings.filter((f) => f.code === 'change.unowned');
    assert.equal(unowned.length, 1);
    assert.equal(unowned[0]?.line, 8);
    assert.match(unowned[0]?.message ?? '', /removedLater changes \(in "prod", "staging", "default"\)/);
    const md = cli(['diff', 'web', '--base', 'HEAD', '--config', 'hv.yaml', '-o', 'markdown'], dir).stdout;
    assert.match(md, /\*\*Owners to approve:\*\* @team-images, @team-sre/);
    assert.match(md, /\| `replicas` \| `3` \| `4` \| `web\/values-prod\.yaml:1` \| @team-sre \|/);
    // Severity configured to error: exit 1. A broken owners entry is a config finding at its line.
    writeTree(dir, { 'hv.yaml': fs.readFileSync(path.join(dir, 'hv.yaml'), 'utf8') + '  - paths: "not-a-list"\n    owners: ["@x"]\npolicies:\n  change.unowned: error\n  change.nope: warning\n' });
    const bad = cli(['diff', 'web', '--base', 'HEAD', '--config', 'hv.yaml', '-o', 'json'], dir);
    assert.equal(bad.code, 1, show(bad));
    const bj = json<DiffJson>(bad);
    assert.ok(bj.findings.some((f) => f.code === 'change.unowned' && f.severity === 'error'));
    const cfg = bj.findings.filter((f) => f.code === 'config.owners');
    assert.deepEqual(cfg.map((f) => [f.file, f.line]), [['hv.yaml', 10], ['hv.yaml', 14]]);
    assert.match(cfg[0]?.message ?? '', /owners\[2\]\.paths must be a non-empty list/);
    assert.match(cfg[1]?.message ?? '', /policies\.change\.nope is not a policy/);
  });

  it('reads the environments file at each revision: a --set layer added to an environment is an override outside values', () => {
    const config = (set: string) => `environments:\n  - name: prod\n    values: [values-prod.yaml]\n${set}`;
    const dir = baseRepo({ 'hv.yaml': config('') });
    edit(dir, { 'hv.yaml': config('    set: ["image.tag=hotfix"]\n') });
    const r = cli(['diff', 'web', '--base', 'HEAD', '--config', 'hv.yaml', '-o', 'json'], dir);
    assert.equal(r.code, 1, show(r));
    const j = json<DiffJson>(r);
    const change = envOf(j, 'prod').changes.find((c) => c.path === 'image.tag');
    assert.deepEqual(change?.afterSource, { flag: '--set', arg: 'image.tag=hotfix' } as never);
    const f = j.findings.find((x) => x.code === 'change.override-outside-values');
    assert.ok(f && f.severity === 'error' && /environment "prod" gains a layer outside its values files \(--set image\.tag=hotfix\)/.test(f.message), JSON.stringify(j.findings));
    assert.equal(f.file, path.join('web', 'values.yaml'));
    assert.equal(f.line, 3); // the line whose value the flag now overrides
    // A config file that did not exist at the base: the base has the conventions only.
    const fresh = baseRepo();
    writeTree(fresh, { 'new.yaml': 'environments:\n  - name: canary\n    values: [values-prod.yaml]\n' });
    const n = json<DiffJson>(cli(['diff', 'web', '--base', 'HEAD', '--config', 'new.yaml', '-o', 'json'], fresh));
    assert.equal(envOf(n, 'canary').status, 'added');
  });

  it('diffs a workspace of charts, with a chart added', () => {
    const dir = baseRepo();
    writeTree(dir, { 'api/Chart.yaml': chartYaml('api'), 'api/values.yaml': 'port: 80\n' });
    const j = json<DiffJson>(cli(['diff', '.', '--base', 'HEAD', '-o', 'json'], dir));
    assert.deepEqual(j.charts.map((c) => [c.dir, c.version]), [['api', { after: '0.1.0' }], ['web', { before: '0.1.0', after: '0.1.0' }]]);
    const api = j.environments.filter((e) => e.chart === 'api');
    assert.deepEqual(api.map((e) => [e.name, e.status]), [['default', 'added']]);
    assert.ok(j.environments.filter((e) => e.chart === 'web').every((e) => e.status === 'unchanged'));
  });

  it('collapses long tables in markdown', () => {
    const dir = baseRepo();
    edit(dir, { 'web/values.yaml': VALUES + Array.from({ length: 12 }, (_, i) => `k${i}: ${i}\n`).join('') });
    const md = cli(['diff', 'web', '--base', 'HEAD', '--env', 'prod', '-o', 'markdown'], dir).stdout;
    assert.match(md, /<details><summary>12 changes<\/summary>\n\n\| Path \| Before \| After \| Source \|/);
    assert.match(md, /<\/details>/);
  });

  it('is a usage error (exit 2) for an unknown revision, a shallow clone, a missing --base, a bad format or environment', () => {
    const dir = baseRepo();
    commit(dir, { 'web/values-prod.yaml': 'replicas: 4\n' }, 'two');
    let r = cli(['diff', 'web', '--base', 'no-such-branch'], dir);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /--base no-such-branch: unknown revision/);
    r = cli(['diff', 'web'], dir);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /diff needs --base REV/);
    r = cli(['diff', 'web', '--base', 'HEAD', '-o', 'yaml'], dir);
    assert.equal(r.code, 2, show(r));
    r = cli(['diff', 'web', '--base', 'HEAD', '--env', 'nope'], dir);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /--env nope: no such environment/);
    const outside = tempDir('hv-nogit-');
    writeTree(outside, { 'c/Chart.yaml': chartYaml('c') });
    r = cli(['diff', 'c', '--base', 'HEAD'], outside);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /not inside a git repository/);
    const shallow = tempDir('hv-shallow-');
    git(shallow, 'clone', '-q', '--depth', '1', `file://${dir}`, 'clone');
    const clone = path.join(shallow, 'clone');
    r = cli(['diff', 'web', '--base', 'HEAD~1'], clone);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /--base HEAD~1: not in this clone, which is shallow.*fetch-depth: 0/);
    r = cli(['diff', 'web', '--base', 'HEAD'], clone);
    assert.equal(r.code, 0, show(r));
  });
});
