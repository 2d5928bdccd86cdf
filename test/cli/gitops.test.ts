// The CLI contract for GitOps-discovered environments: `environments [DIR] -o json` in the shape issue 9 gives,
// `effective`/`explain`/`check` with `--env NAME` (a discovered name) and `--workspace DIR` (default: the enclosing
// git work tree, else the current directory). Workspaces are copies of the corpus fixtures (test/fixtures/gitops)
// plus manifests the tests write; every discovered environment must merge exactly as the equivalent `helm` command
// line does, so each case compares with that command line too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { chartYaml, cli, cliPath, json, show, tempDir, writeTree } from './cliUtil';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface EnvJson {
  name: string;
  kind: string;
  chart: string | null;
  definedAt: { file: string; line: number } | null;
  layers: { type: string; file?: string; line?: number; arg?: string }[];
  findings: { file: string; line: number; code: string; severity: string; message: string }[];
}

const corpus = fileURLToPath(new URL('../fixtures/gitops/', import.meta.url));

/** A git work tree (a `.git` folder) holding a copy of a corpus repository and the files given. */
function workspace(repo: string | undefined, files: Record<string, string> = {}): string {
  const root = tempDir('hv-gitops-');
  if (repo !== undefined) fs.cpSync(path.join(corpus, repo), root, { recursive: true });
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  writeTree(root, files);
  return root;
}

function environments(dir: string, cwd = dir): EnvJson[] {
  const r = cli(['environments', '.', '-o', 'json'], cwd === dir ? dir : cwd);
  assert.equal(r.code, 0, show(r));
  return json<{ environments: EnvJson[] }>(r).environments;
}

function effective(args: string[], cwd: string): Json {
  const r = cli(['effective', ...args, '-o', 'json'], cwd);
  assert.equal(r.code, 0, show(r));
  return json<Json>(r);
}

function explain(args: string[], cwd: string): { value: Json; source: Record<string, Json> | null; shadowed: Record<string, Json>[] } {
  const r = cli(['explain', ...args, '-o', 'json'], cwd);
  assert.equal(r.code, 0, show(r));
  return json(r);
}

function checkFindings(args: string[], cwd: string): { file: string; line: number; code: string; severity: string; message: string }[] {
  const r = cli(['check', ...args, '-o', 'json'], cwd);
  assert.ok(r.code === 0 || r.code === 1, show(r));
  return json<{ findings: { file: string; line: number; code: string; severity: string; message: string }[] }>(r).findings;
}

/** The line (1-based) of the first line of `file` under `root` that contains `text`. */
function lineOf(root: string, file: string, text: string): number {
  const i = fs.readFileSync(path.join(root, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} in ${file}`);
  return i + 1;
}

const app = (name: string, chartPath: string, helm: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/repo.git
    path: ${chartPath}
    helm:
${helm
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
  destination:
    server: https://kubernetes.default.svc
`;

test('flux2-kustomize-helm-example: effective --env merges the base spec.values and the overlay\'s patch (the chart is remote)', () => {
  const root = path.join(corpus, 'fluxcd__flux2-kustomize-helm-example');
  const r = cli(['effective', '--env', 'production/podinfo', '--workspace', root, '-o', 'json'], root);
  assert.equal(r.code, 0, show(r));
  const values = JSON.parse(r.stdout) as { httpRoute?: { hostnames?: Json; enabled?: Json }; redis?: { enabled?: Json } };
  assert.deepEqual(values.httpRoute?.hostnames, ['podinfo.production']);
  assert.equal(values.redis?.enabled, true, 'from the base HelmRelease');
  const x = explain(['--env', 'staging/podinfo', '--workspace', root, 'httpRoute.hostnames'], root);
  assert.deepEqual(x.value, ['podinfo.staging']);
  assert.deepEqual({ file: x.source?.file, line: x.source?.line }, { file: 'apps/staging/podinfo-values.yaml', line: 14 });
  assert.deepEqual(x.shadowed.map((c) => `${c.file}:${c.line}`), ['apps/base/podinfo/release.yaml:34']);
});

test('environments -o json: flux2-kustomize-helm-example gives one environment per overlay, in the issue\'s shape', () => {
  const root = path.join(corpus, 'fluxcd__flux2-kustomize-helm-example');
  const envs = environments(root);
  const prod = envs.find((e) => e.name === 'production/podinfo');
  assert.ok(prod, JSON.stringify(envs.map((e) => e.name)));
  assert.deepEqual(Object.keys(prod), ['name', 'kind', 'chart', 'definedAt', 'layers', 'findings']);
  assert.equal(prod.kind, 'flux');
  assert.equal(prod.chart, null, 'podinfo comes from a HelmRepository');
  assert.deepEqual(prod.definedAt, { file: 'apps/base/podinfo/release.yaml', line: 4 });
  assert.deepEqual(prod.layers, [
    { type: 'inline', file: 'apps/base/podinfo/release.yaml', line: 24 },
    { type: 'inline', file: 'apps/production/podinfo-values.yaml', line: 11 },
  ]);
  assert.ok(prod.findings.some((f) => f.code === 'gitops.chart-not-local' && f.severity === 'info' && /helm pull podinfo/.test(f.message)));
  assert.ok(envs.some((e) => e.name === 'staging/podinfo'));
  for (const e of envs) assert.ok(['argocd', 'flux', 'helmfile', 'config', 'convention', 'default'].includes(e.kind));
  const text = cli(['environments'], root);
  assert.equal(text.code, 0, show(text));
  assert.match(text.stdout, /^production\/podinfo {2}\[flux\]/m);
});

test('environments: a chart\'s own environments (conventions, default) follow the discovered ones, with chart paths relative to DIR', () => {
  const root = workspace(undefined, {
    'charts/web/Chart.yaml': chartYaml('web'),
    'charts/web/values.yaml': 'a: 1\n',
    'charts/web/values-prod.yaml': 'a: 2\n',
    'envs.yaml': '- name: qa\n  chart: charts/web\n  values: [values-prod.yaml]\n  set: [a=3]\n',
  });
  const r = cli(['environments', root, '--config', path.join(root, 'envs.yaml'), '-o', 'json'], root);
  assert.equal(r.code, 0, show(r));
  const envs = json<{ environments: EnvJson[] }>(r).environments;
  assert.deepEqual(envs, [
    { name: 'qa', kind: 'config', chart: 'charts/web', definedAt: null, layers: [{ type: 'file', file: 'charts/web/values-prod.yaml' }, { type: 'set', arg: 'a=3' }], findings: [] },
    { name: 'prod', kind: 'convention', chart: 'charts/web', definedAt: null, layers: [{ type: 'file', file: 'charts/web/values-prod.yaml' }], findings: [] },
    { name: 'default', kind: 'default', chart: 'charts/web', definedAt: null, layers: [], findings: [] },
  ]);
});

// Argo CD e2e testdata (helm-glob-values): TestHelmGlobValueFiles, with a parameter on top.
const GLOB = { 'apps/glob.yaml': app('glob', 'test/e2e/testdata/helm-glob-values', 'valueFiles:\n  - envs/*.yaml\nparameters:\n  - name: foo\n    value: from-parameter') };

test('Argo CD globs: --env merges envs/*.yaml in lexical order then the parameter, exactly as helm -f a -f b --set', () => {
  const root = workspace('argoproj__argo-cd', GLOB);
  const glob = environments(root).find((e) => e.name === 'glob');
  assert.ok(glob);
  assert.equal(glob.chart, 'test/e2e/testdata/helm-glob-values');
  assert.deepEqual(glob.layers, [
    { type: 'file', file: 'test/e2e/testdata/helm-glob-values/envs/a.yaml' },
    { type: 'file', file: 'test/e2e/testdata/helm-glob-values/envs/b.yaml' },
    { type: 'set', file: 'apps/glob.yaml', line: lineOf(root, 'apps/glob.yaml', 'value: from-parameter'), arg: 'foo=from-parameter' },
  ]);
  const chart = 'test/e2e/testdata/helm-glob-values';
  const viaEnv = effective(['--env', 'glob'], root);
  const viaFlags = effective([chart, '-f', `${chart}/envs/a.yaml`, '-f', `${chart}/envs/b.yaml`, '--set', 'foo=from-parameter'], root);
  assert.deepEqual(viaEnv, viaFlags);
  // The chart directory may be given too; the same result.
  assert.deepEqual(effective([chart, '--env', 'glob'], root), viaFlags);
});

test('explain --env: a parameter\'s source is its `value:` line in the manifest; check flags it as an override outside values files', () => {
  const root = workspace('argoproj__argo-cd', GLOB);
  const x = explain(['--env', 'glob', 'foo'], root);
  assert.equal(x.value, 'from-parameter');
  assert.equal(x.source?.file, 'apps/glob.yaml');
  assert.equal(x.source?.line, lineOf(root, 'apps/glob.yaml', 'value: from-parameter'));
  assert.equal(x.source?.flag, '--set');
  assert.equal(x.source?.detail, 'parameter foo');
  assert.ok(x.shadowed.some((s) => s.file === 'test/e2e/testdata/helm-glob-values/envs/b.yaml'), JSON.stringify(x.shadowed));
  const text = cli(['explain', '--env', 'glob', 'foo'], root);
  assert.match(text.stdout, new RegExp(`wins +Application glob \\(apps/glob\\.yaml:${x.source?.line}\\), parameter foo`));
  const findings = checkFindings(['--env', 'glob'], root);
  const override = findings.filter((f) => f.code === 'helm.override-outside-values');
  assert.deepEqual(
    override.map((f) => `${f.severity} ${f.file}:${f.line}`),
    [`info apps/glob.yaml:${x.source?.line}`],
  );
  assert.match(override[0]?.message ?? '', /foo: parameter foo overrides "b-value" from test\/e2e\/testdata\/helm-glob-values\/envs\/b\.yaml:1/);
});

test('the workspace defaults to the enclosing git work tree (run from a subfolder), --workspace names another', () => {
  const root = workspace('argoproj__argo-cd', GLOB);
  const sub = path.join(root, 'docs');
  const fromSub = effective(['--env', 'glob'], sub);
  assert.equal((fromSub as { foo?: Json }).foo, 'from-parameter');
  const elsewhere = tempDir('hv-gitops-cwd-');
  assert.deepEqual(effective(['--env', 'glob', '--workspace', root], elsewhere), fromSub);
  const missing = cli(['effective', '--env', 'nope', '--workspace', root], elsewhere);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--env nope: no Argo CD, Flux or helmfile deployment of that name .*\(found: .*glob/);
  const noDir = cli(['effective', '--env', 'glob', '--workspace', path.join(root, 'nope')], elsewhere);
  assert.equal(noDir.code, 2);
  assert.match(noDir.stderr, /--workspace .*nope: no such directory/);
});

// The layout of argoproj/argocd-example-apps (not redistributed: no license) written as the project's own text:
// helm-guestbook with values-production.yaml, deployed by an Application with inline values.
const GUESTBOOK = {
  'helm-guestbook/Chart.yaml': chartYaml('helm-guestbook'),
  'helm-guestbook/values.yaml': 'replicaCount: 1\nimage:\n  repository: gcr.io/google-samples/gb-frontend\n  tag: v5\nservice:\n  type: ClusterIP\n  port: 80\n',
  'helm-guestbook/values-production.yaml': 'service:\n  type: LoadBalancer\n',
  'apps/prod-eu.yaml': app('prod-eu', 'helm-guestbook', 'valueFiles:\n  - values-production.yaml\nvaluesObject:\n  replicaCount: 3\n  image:\n    tag: v6\nparameters:\n  - name: image.tag\n    value: v7'),
};

test('argocd-example-apps layout: valuesObject is a layer whose keys point at their manifest lines; the parameter wins over it', () => {
  const root = workspace(undefined, GUESTBOOK);
  const replicas = explain(['--env', 'prod-eu', 'replicaCount'], root);
  assert.equal(replicas.value, 3);
  assert.deepEqual({ file: replicas.source?.file, line: replicas.source?.line }, { file: 'apps/prod-eu.yaml', line: lineOf(root, 'apps/prod-eu.yaml', 'replicaCount: 3') });
  const tag = explain(['--env', 'prod-eu', 'image.tag'], root);
  assert.equal(tag.value, 'v7');
  assert.deepEqual({ file: tag.source?.file, line: tag.source?.line }, { file: 'apps/prod-eu.yaml', line: lineOf(root, 'apps/prod-eu.yaml', 'value: v7') });
  assert.deepEqual(tag.shadowed.map((s) => `${s.file}:${s.line}`), [`apps/prod-eu.yaml:${lineOf(root, 'apps/prod-eu.yaml', 'tag: v6')}`, 'helm-guestbook/values.yaml:4']);
  const values = effective(['--env', 'prod-eu'], root) as Record<string, Json>;
  assert.deepEqual(values.service, { port: 80, type: 'LoadBalancer' });
  // The same as helm with the inline values written to a file.
  writeTree(root, { 'inline.yaml': 'replicaCount: 3\nimage:\n  tag: v6\n' });
  assert.deepEqual(values, effective(['helm-guestbook', '-f', 'helm-guestbook/values-production.yaml', '-f', 'inline.yaml', '--set', 'image.tag=v7'], root));
  // The environment is one of the chart's, by its Application's name, in check.
  const findings = checkFindings(['helm-guestbook'], root);
  assert.ok(findings.some((f) => f.code === 'helm.override-outside-values' && f.file === 'apps/prod-eu.yaml' && /\[environment: prod-eu\]/.test(f.message)), JSON.stringify(findings));
});

test('a schema error in inline values is reported on the manifest line', () => {
  const root = workspace(undefined, {
    ...GUESTBOOK,
    'helm-guestbook/values.schema.json': JSON.stringify({ type: 'object', properties: { replicaCount: { type: 'integer' } } }),
    'apps/prod-eu.yaml': app('prod-eu', 'helm-guestbook', 'valuesObject:\n  replicaCount: three'),
  });
  const findings = checkFindings(['helm-guestbook', '--env', 'prod-eu'], root);
  const schema = findings.filter((f) => f.code.startsWith('schema.'));
  assert.deepEqual(schema.map((f) => `${f.file}:${f.line}`), [`apps/prod-eu.yaml:${lineOf(root, 'apps/prod-eu.yaml', 'replicaCount: three')}`], JSON.stringify(findings));
});

test('bad input is a finding on the manifest line and the rest still works: a missing values file, a chart path without Chart.yaml', () => {
  const root = workspace(undefined, {
    ...GUESTBOOK,
    'apps/missing.yaml': app('missing', 'helm-guestbook', 'valueFiles:\n  - values-nope.yaml'),
    'apps/nochart.yaml': app('nochart', 'not-a-chart', 'valueFiles:\n  - values.yaml'),
    'apps/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: [oops\n',
  });
  const findings = checkFindings(['helm-guestbook', '--workspace', root], root);
  const lines = findings.filter((f) => f.code.startsWith('gitops.')).map((f) => `${f.severity} ${f.code} ${f.file}:${f.line}`);
  assert.ok(lines.includes(`error gitops.missing-values-file apps/missing.yaml:${lineOf(root, 'apps/missing.yaml', 'values-nope.yaml')}`), lines.join('\n'));
  assert.ok(lines.some((l) => l.endsWith(`apps/nochart.yaml:${lineOf(root, 'apps/nochart.yaml', 'path: not-a-chart')}`)), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('error gitops.malformed-manifest apps/broken.yaml:')), lines.join('\n'));
  // Without --workspace, check reports the findings of the checked chart's own deployments only.
  const own = checkFindings(['helm-guestbook'], root).filter((f) => f.code.startsWith('gitops.'));
  assert.deepEqual(own.map((f) => `${f.code} ${f.file}`), ['gitops.missing-values-file apps/missing.yaml']);
  assert.equal(explain(['--env', 'prod-eu', 'replicaCount'], root).value, 3);
});

test('helmfile examples: a release per environment, its values files in order, as helm -f', () => {
  const root = workspace('helmfile__helmfile');
  const envs = environments(root);
  const dev = envs.find((e) => e.name === 'default/dev-paths-example');
  assert.ok(dev);
  assert.equal(dev.kind, 'helmfile');
  assert.equal(dev.chart, 'examples/charts/paths-example');
  assert.deepEqual(dev.definedAt, { file: 'examples/deployments/dev/helmfile.yaml', line: 2 });
  const chart = 'examples/charts/paths-example';
  assert.deepEqual(effective(['--env', 'default/dev-paths-example'], root), effective([chart, '-f', 'examples/values/dev/paths-example/values.yaml'], root));
  // Findings of the corpus's templated helmfiles are listed with file and line.
  const text = cli(['environments'], root);
  assert.match(text.stdout, /helmfile\.yaml\.gotmpl:\d+:\d+: warning \[gitops\.template-unsupported\]/);
});

test('helmfile: inline values and set entries; a set that shadows a values file is an override outside values files', () => {
  const root = workspace(undefined, {
    'charts/web/Chart.yaml': chartYaml('web'),
    'charts/web/values.yaml': 'replicas: 1\nimage:\n  tag: "1.0"\n',
    'values/prod.yaml': 'image:\n  tag: "2.0"\n',
    'helmfile.yaml': 'environments:\n  prod: {}\n---\nreleases:\n  - name: web\n    chart: ./charts/web\n    values:\n      - values/prod.yaml\n      - replicas: 4\n    set:\n      - name: image.tag\n        value: "30"\n',
  });
  const envs = environments(root);
  const web = envs.find((e) => e.name === 'prod/web');
  assert.ok(web, JSON.stringify(envs.map((e) => e.name)));
  assert.deepEqual(web.layers.map((l) => l.type), ['file', 'inline', 'set']);
  const tag = explain(['--env', 'prod/web', 'image.tag'], root);
  assert.equal(tag.value, 30, 'set is typed like --set');
  assert.deepEqual({ file: tag.source?.file, line: tag.source?.line, detail: tag.source?.detail }, { file: 'helmfile.yaml', line: lineOf(root, 'helmfile.yaml', 'value: "30"'), detail: 'set image.tag' });
  const replicas = explain(['--env', 'prod/web', 'replicas'], root);
  assert.deepEqual({ value: replicas.value, file: replicas.source?.file, line: replicas.source?.line }, { value: 4, file: 'helmfile.yaml', line: lineOf(root, 'helmfile.yaml', 'replicas: 4') });
  const override = checkFindings(['charts/web'], root).filter((f) => f.code === 'helm.override-outside-values');
  assert.deepEqual(override.map((f) => `${f.file}:${f.line}`), [`helmfile.yaml:${lineOf(root, 'helmfile.yaml', 'value: "30"')}`]);
});

test('Flux with a local chart: a kustomize overlay patch of spec.values is a merge patch (null removes the key), its values point at the patch file', () => {
  const root = workspace(undefined, {
    'charts/web/Chart.yaml': chartYaml('web'),
    'charts/web/values.yaml': 'replicas: 1\ndebug: true\nimage:\n  tag: "1.0"\n',
    'base/kustomization.yaml': 'resources: [release.yaml, repo.yaml]\n',
    'base/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  url: https://github.com/example/repo\n',
    'base/release.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef:\n        kind: GitRepository\n        name: repo\n  values:\n    replicas: 2\n    debug: false\n',
    'prod/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: web.yaml\n',
    'prod/web.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  values:\n    replicas: 5\n    debug: null\n',
  });
  const envs = environments(root);
  const prod = envs.find((e) => e.kind === 'flux' && e.name.includes('prod'));
  assert.ok(prod, JSON.stringify(envs.map((e) => e.name)));
  const replicas = explain(['--env', prod.name, 'replicas'], root);
  assert.deepEqual({ value: replicas.value, file: replicas.source?.file, line: replicas.source?.line }, { value: 5, file: 'prod/web.yaml', line: 7 });
  const debug = explain(['--env', prod.name, 'debug'], root);
  assert.deepEqual({ value: debug.value, file: debug.source?.file }, { value: true, file: 'charts/web/values.yaml' }, 'the patch null removed spec.values.debug, so the chart default shows');
});

test('eks-blueprints ApplicationSets: cluster generators are findings on their line, nothing guessed', () => {
  const root = path.join(corpus, 'aws-samples__eks-blueprints-add-ons');
  const r = cli(['environments'], root);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /addons-aws-cloudwatch-metrics-appset\.yaml:13:13: info \[gitops\.generator-offline\]/);
  assert.equal(environments(root).filter((e) => e.kind === 'argocd').length, 0);
});

test('a chart not in the workspace nor in Helm\'s cache: the layers alone, with a note saying which chart to pull; with the archive in the cache it is used', () => {
  const root = workspace(undefined, {
    'apps/remote.yaml':
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: remote\nspec:\n  source:\n    repoURL: https://charts.example.com\n    chart: web\n    targetRevision: 1.2.3\n    helm:\n      valuesObject:\n        a: 1\n',
  });
  // Without the chart, the layers are merged among themselves (no chart defaults), with a note naming what to pull.
  const r = cli(['effective', '--env', 'remote', '-o', 'json'], root);
  assert.equal(r.code, 0, show(r));
  assert.deepEqual(JSON.parse(r.stdout), { a: 1 });
  assert.match(r.stderr, /--env remote \(apps\/remote\.yaml:4\): .*helm pull web --repo https:\/\/charts\.example\.com --version 1\.2\.3.*without the chart's defaults/);
  const x = explain(['--env', 'remote', 'a'], root);
  assert.deepEqual({ file: x.source?.file, line: x.source?.line }, { file: 'apps/remote.yaml', line: 12 });
  const checked = cli(['check', '--env', 'remote', '-o', 'json'], root);
  assert.equal(checked.code, 0, show(checked));
  assert.ok(json<{ findings: { code: string }[] }>(checked).findings.some((f) => f.code === 'gitops.chart-not-local'));
  // `helm pull` puts web-1.2.3.tgz in $HELM_CACHE_HOME/repository: then the chart's defaults are there.
  const cache = tempDir('hv-helm-cache-');
  const src = tempDir('hv-chart-src-');
  writeTree(src, { 'web/Chart.yaml': chartYaml('web'), 'web/values.yaml': 'a: 0\nb: default\n' });
  fs.mkdirSync(path.join(cache, 'repository'));
  const tar = spawnSync('tar', ['-czf', path.join(cache, 'repository', 'web-1.2.3.tgz'), '-C', src, 'web']);
  assert.equal(tar.status, 0, String(tar.stderr));
  const cached = spawnSync(process.execPath, [cliPath, 'effective', '--env', 'remote', '-o', 'json'], { cwd: root, encoding: 'utf8', env: { ...process.env, HELM_CACHE_HOME: cache } });
  assert.equal(cached.status, 0, cached.stderr);
  assert.deepEqual(JSON.parse(cached.stdout), { a: 1, b: 'default' });
});

const FLUX_LOCAL = {
  'charts/web/Chart.yaml': chartYaml('web'),
  'charts/web/values.yaml': 'fromChart: yes-values-yaml\nreplicas: 1\nresources:\n  cpu: 100m\n',
  'charts/web/values-prod.yaml': 'replicas: 2\nprodOnly: true\n',
  'cluster/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  url: https://github.com/example/repo\n',
  'cluster/values.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-values\ndata:\n  values.yaml: |\n    replicas: 3\n    resources:\n      cpu: 300m\n  cpu: 700m\n',
  'cluster/release.yaml':
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef:\n        kind: GitRepository\n        name: repo\n      valuesFiles:\n        - ./charts/web/values-prod.yaml\n  valuesFrom:\n    - kind: ConfigMap\n      name: web-values\n      valuesKey: cpu\n      targetPath: resources.cpu\n    - kind: ConfigMap\n      name: web-values\n  values:\n    replicas: 4\n',
};

test('Flux valuesFrom in list order: a targetPath before a ConfigMap\'s values loses to them; valuesFiles replace the chart\'s values.yaml', () => {
  const root = workspace(undefined, FLUX_LOCAL);
  const env = environments(root).find((e) => e.kind === 'flux');
  assert.ok(env);
  assert.deepEqual(env.layers.map((l) => l.type), ['file', 'set', 'inline', 'inline']);
  const values = effective(['--env', env.name], root) as Record<string, Json>;
  assert.equal(values.fromChart, undefined, "values.yaml is replaced by valuesFiles");
  assert.equal(values.prodOnly, true);
  assert.equal(values.replicas, 4, 'spec.values last');
  const cpu = explain(['--env', env.name, 'resources.cpu'], root);
  assert.equal(cpu.value, '300m', 'the ConfigMap values.yaml comes after the targetPath entry');
  assert.deepEqual({ file: cpu.source?.file, line: cpu.source?.line }, { file: 'cluster/values.yaml', line: 9 });
  assert.ok(cpu.shadowed.some((s) => s.flag === '--set' && s.file === 'cluster/values.yaml' && s.line === 10), JSON.stringify(cpu.shadowed));
  const replicas = explain(['--env', env.name, 'replicas'], root);
  assert.deepEqual(replicas.shadowed.map((s) => `${s.file}:${s.line}`), ['cluster/values.yaml:7', 'charts/web/values-prod.yaml:1']);
  // The targetPath does not win here, so it hides nothing: no override finding.
  assert.deepEqual(checkFindings(['charts/web'], root).filter((f) => f.code === 'helm.override-outside-values'), []);
});

test('Flux targetPath after the values it overrides is an override outside values files, on the ConfigMap key\'s line', () => {
  const root = workspace(undefined, {
    ...FLUX_LOCAL,
    'cluster/release.yaml': FLUX_LOCAL['cluster/release.yaml'].replace(
      '    - kind: ConfigMap\n      name: web-values\n      valuesKey: cpu\n      targetPath: resources.cpu\n    - kind: ConfigMap\n      name: web-values\n',
      '    - kind: ConfigMap\n      name: web-values\n    - kind: ConfigMap\n      name: web-values\n      valuesKey: cpu\n      targetPath: resources.cpu\n',
    ),
  });
  const env = environments(root).find((e) => e.kind === 'flux');
  assert.ok(env);
  const cpu = explain(['--env', env.name, 'resources.cpu'], root);
  assert.equal(cpu.value, '700m');
  assert.equal(cpu.source?.detail, 'targetPath resources.cpu');
  const override = checkFindings(['charts/web'], root).filter((f) => f.code === 'helm.override-outside-values');
  assert.deepEqual(override.map((f) => `${f.file}:${f.line}`), ['cluster/values.yaml:10']);
});

test('helmfile secrets (SOPS keys count, metadata does not) and a rendered .gotmpl values file', () => {
  const root = workspace(undefined, {
    'charts/web/Chart.yaml': chartYaml('web'),
    'charts/web/values.yaml': 'env: none\npassword: ""\n',
    'values.yaml.gotmpl': 'env: {{ .Environment.Name }}\nrelease: {{ .Release.Name }}\n',
    'secrets.yaml': 'password: ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]\nsops:\n  version: 3.8.1\n  lastmodified: "2024-01-01T00:00:00Z"\n',
    'helmfile.yaml': 'environments:\n  staging: {}\n---\nreleases:\n  - name: web\n    chart: ./charts/web\n    values:\n      - values.yaml.gotmpl\n    secrets:\n      - secrets.yaml\n',
  });
  const values = effective(['--env', 'staging/web'], root) as Record<string, Json>;
  assert.equal(values.env, 'staging');
  assert.equal(values.release, 'web');
  assert.equal(values.sops, undefined, 'SOPS metadata is not a value');
  const env = explain(['--env', 'staging/web', 'env'], root);
  assert.deepEqual({ file: env.source?.file, line: env.source?.line }, { file: 'values.yaml.gotmpl', line: 1 });
  const password = explain(['--env', 'staging/web', 'password'], root);
  assert.deepEqual({ file: password.source?.file, line: password.source?.line }, { file: 'secrets.yaml', line: 1 });
});

test('flux2-monitoring-example: valuesFrom a ConfigMap that configMapGenerator makes from a file; the file\'s lines are the source', () => {
  const root = path.join(corpus, 'fluxcd__flux2-monitoring-example');
  const kps = environments(root).find((e) => e.name === 'kube-prometheus-stack');
  assert.ok(kps);
  assert.deepEqual(kps.layers.map((l) => l.type), ['file', 'inline']);
  const x = explain(['--env', 'kube-prometheus-stack', '--workspace', root, 'kube-state-metrics.collectors'], root);
  assert.deepEqual(x.value, []);
  assert.deepEqual({ file: x.source?.file, line: x.source?.line }, { file: 'monitoring/controllers/kube-prometheus-stack/kube-state-metrics-config.yaml', line: 5 });
  const retention = explain(['--env', 'kube-prometheus-stack', '--workspace', root, 'prometheus.prometheusSpec.retention'], root);
  assert.deepEqual({ value: retention.value, file: retention.source?.file, line: retention.source?.line }, { value: '24h', file: 'monitoring/controllers/kube-prometheus-stack/release.yaml', line: 31 });
});
