// helmfile discovery: release x environment, layers in helmfile's order, minimal .gotmpl evaluation, on helmfile's own
// examples and integration test cases (test/fixtures/gitops/helmfile__helmfile) and small cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byName, corpusFiles, discover, findingLines, inlineFiles, layers } from './gitopsFixture';

const hf = (extra: Record<string, string> = {}) => corpusFiles('helmfile__helmfile', extra);

test('helmfile examples: deployments/{dev,local,prod} give one environment each, values relative to the helmfile', () => {
  const d = discover(hf());
  assert.deepEqual(layers(byName(d, 'default/dev-paths-example')), ['file examples/values/dev/paths-example/values.yaml @examples/deployments/dev/helmfile.yaml:6']);
  assert.deepEqual(layers(byName(d, 'default/local-paths-example')), ['file examples/deployments/local/values.yaml @examples/deployments/local/helmfile.yaml:6']);
  assert.deepEqual(layers(byName(d, 'default/prod-paths-example')), ['file examples/values/prod/paths-example/values.yaml @examples/deployments/prod/helmfile.yaml:6']);
  assert.deepEqual(byName(d, 'default/prod-paths-example')?.chart, { type: 'local', dir: 'examples/charts/paths-example' });
  // chart: "." with secrets: [values.yaml] (no SOPS metadata: plain values).
  const argocd = byName(d, 'default/argocd');
  assert.deepEqual(argocd?.chart, { type: 'local', dir: 'examples/charts/argocd-helmfile-deployment' });
  assert.deepEqual(layers(argocd), ['file examples/charts/argocd-helmfile-deployment/values.yaml @examples/charts/argocd-helmfile-deployment/helmfile.yaml:35']);
  // Charts from repositories the helmfile does not declare, or fetched with go-getter: located nowhere, said so.
  assert.deepEqual(byName(d, 'default/grafana')?.chart.type, 'unknown');
  assert.ok(findingLines(d).includes('info gitops.chart-not-local examples/deployments/published/helmfile.yaml:5'));
  assert.ok(findingLines(d).includes('info gitops.chart-not-local examples/remote/helmfile.yaml:10'));
});

test('helmfile issue-2424: helmfile.d files with bases; the inherited template\'s values path renders .Release.Namespace', () => {
  const d = discover(hf());
  const base = 'test/integration/test-cases/issue-2424-sequential-values-paths/input';
  for (const name of ['default/test-app-2424', 'default/test-other-2424']) {
    assert.deepEqual(layers(byName(d, name)), [`file ${base}/config/default/values.yaml @${base}/bases/templates.yaml:5`]);
  }
  // ../../../../charts/raw lives outside the copied test case.
  assert.ok(findingLines(d).includes(`warning gitops.no-chart-yaml ${base}/helmfile.d/01-app.yaml.gotmpl:10`));
});

test('helmfile issue-2281 and issue-2353: toYaml/toJson are not evaluated: a finding on each line, the inline layer skipped', () => {
  const d = discover(hf());
  const c2281 = 'test/integration/test-cases/issue-2281-array-merge/input/helmfile.yaml.gotmpl';
  const c2353 = 'test/integration/test-cases/issue-2353-layer-array-replace/input/helmfile.yaml.gotmpl';
  const tests = d.environments.filter((e) => e.name.startsWith('default/test ('));
  assert.deepEqual(tests.map((e) => [e.definedAt.file, e.layers.length]), [[c2281, 0], [c2353, 0]]);
  for (const line of [17, 25]) assert.ok(findingLines(d).includes(`warning gitops.template-unsupported ${c2281}:${line}`));
  for (const line of [36, 37]) assert.ok(findingLines(d).includes(`warning gitops.template-unsupported ${c2353}:${line}`));
});

test('helmfile cli-overwrite-environment-values: state values from environment files render the helmfile and values.yaml.gotmpl', () => {
  const dir = 'test/integration/test-cases/cli-overwrite-environment-values/input';
  const files = hf();
  const input = files.get(`${dir}/input.yaml.gotmpl`) ?? '';
  // helmfile -f input.yaml.gotmpl: the same file under a name discovery looks for.
  files.set(`${dir}/helmfile.yaml.gotmpl`, input);
  const d = discover(files);
  const test1 = d.environments.find((e) => e.definedAt.file === `${dir}/helmfile.yaml.gotmpl`);
  assert.deepEqual(test1?.chart, { type: 'remote', repoURL: 'https://charts.bitnami.com/bitnami', chart: 'nginx', version: '13.2.27', cacheArchive: 'nginx-13.2.27.tgz', cached: false });
  // .Values.imageTag comes from --state-values-set in that test: unknown here, so the layer is skipped with a finding.
  assert.deepEqual(test1?.layers, []);
  assert.ok(findingLines(d).includes(`warning gitops.template-unsupported ${dir}/values.yaml.gotmpl:2`));
  // Given the state values in the environment, the file renders.
  files.set(`${dir}/helmfile.yaml.gotmpl`, input.replace('      - override.yaml', '      - override.yaml\n      - imageTag: "1.2"\n        zone: eu'));
  const d2 = discover(files);
  const t2 = d2.environments.find((e) => e.definedAt.file === `${dir}/helmfile.yaml.gotmpl`);
  assert.deepEqual(layers(t2), [`file ${dir}/values.yaml.gotmpl @${dir}/helmfile.yaml.gotmpl:19`]);
  const l = t2?.layers[0];
  assert.ok(l?.type === 'file');
  assert.equal(l.text, 'image:\n  tag: 1.2\n\npodAnnotations:\n  zone: eu\n');
});

test('one environment per release x helmfile environment; values, inline maps, secrets, then set, setString, set-file', () => {
  const files = inlineFiles(`
    #- charts/web/Chart.yaml
    name: web
    #- env/dev.yaml
    replicas: 1
    #- env/prod.yaml
    replicas: 3
    #- values/common.yaml
    a: 1
    #- values/dev.yaml
    a: 2
    #- values/prod.yaml
    a: 3
    #- secrets/prod.yaml
    password: ENC[AES256_GCM,data:abc]
    sops:
      mac: ENC[x]
      lastmodified: "2024-01-01T00:00:00Z"
    #- secrets/plain.yaml
    token: t
    #- files/motd.txt
    hello
    #- helmfile.yaml
    environments:
      dev:
        values: [env/dev.yaml]
      prod:
        values: [env/prod.yaml]
    releases:
      - name: web
        chart: ./charts/web
        values:
          - values/common.yaml
          - values/{{ .Environment.Name }}.yaml
          - image:
              tag: "{{ .Release.Name }}-1"
        secrets:
          - secrets/prod.yaml
          - secrets/plain.yaml
        set:
          - name: motd
            file: files/motd.txt
          - name: hosts
            values: [a.example.com, b.example.com]
          - name: note
            value: a,b
        setString:
          - name: version
            value: "1.10"
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => e.name), ['dev/web', 'prod/web']);
  assert.deepEqual(layers(byName(d, 'prod/web')), [
    'file values/common.yaml @helmfile.yaml:10',
    'file values/prod.yaml @helmfile.yaml:11',
    'inline @helmfile.yaml:12',
    'file secrets/prod.yaml (sops) @helmfile.yaml:15',
    'file secrets/plain.yaml @helmfile.yaml:16',
    'set hosts={a.example.com,b.example.com} @helmfile.yaml:21',
    'set note=a\\,b @helmfile.yaml:23',
    'set-string version=1.10 @helmfile.yaml:26',
    'set-file motd=files/motd.txt @helmfile.yaml:19',
  ]);
  const inline = byName(d, 'dev/web')?.layers[2];
  assert.ok(inline?.type === 'inline');
  assert.equal(inline.source.text, 'image:\n  tag: "web-1"\n');
  assert.equal(inline.source.exact, false);
  assert.deepEqual([inline.source.line, inline.source.column], [11, 8]);
  assert.deepEqual(findingLines(d), []);
});

test('missingFileHandler: Error (default) is an error, Warn a warning, Debug nothing; the layer is skipped', () => {
  const make = (handler: string) => inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- helmfile.yaml
    releases:
      - name: r
        chart: ./c
        ${handler}
        values: [missing.yaml]
  `);
  assert.deepEqual(findingLines(discover(make(''))), ['error gitops.missing-values-file helmfile.yaml:5']);
  assert.deepEqual(findingLines(discover(make('missingFileHandler: Warn'))), ['warning gitops.missing-values-file helmfile.yaml:5']);
  assert.deepEqual(findingLines(discover(make('missingFileHandler: Info'))), ['info gitops.missing-values-file helmfile.yaml:5']);
  assert.deepEqual(findingLines(discover(make('missingFileHandler: Debug'))), []);
  assert.deepEqual(layers(discover(make('missingFileHandler: Warn')).environments[0]), []);
});

test('.gotmpl: env and requiredEnv come from the injected environment; .Values from the environment state; else a finding', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- v/eu.yaml
    a: 1
    #- helmfile.yaml.gotmpl
    environments:
      default:
        values:
          - region: eu
    ---
    releases:
      - name: app
        chart: ./c
        values:
          - v/{{ .Values.region }}.yaml
          - owner: {{ env "OWNER" }}
            cluster: {{ requiredEnv "CLUSTER" }}
          - x: {{ .Values.region | upper }}
  `);
  const withEnv = discover(files, { env: { OWNER: 'me', CLUSTER: 'c1' } });
  assert.deepEqual(layers(withEnv.environments[0]), ['file v/eu.yaml @helmfile.yaml.gotmpl:10', 'inline @helmfile.yaml.gotmpl:11']);
  const inline = withEnv.environments[0].layers[1];
  assert.ok(inline.type === 'inline');
  assert.equal(inline.source.text, 'owner: me\ncluster: c1\n');
  assert.deepEqual(findingLines(withEnv), ['warning gitops.template-unsupported helmfile.yaml.gotmpl:13']);
  const without = discover(files, { env: {} });
  assert.deepEqual(layers(without.environments[0]), ['file v/eu.yaml @helmfile.yaml.gotmpl:10']);
  assert.deepEqual(findingLines(without), ['warning gitops.template-unsupported helmfile.yaml.gotmpl:12', 'warning gitops.template-unsupported helmfile.yaml.gotmpl:13']);
});

test('templates and inherit (with except): template values come first; an {{ if }} block is not guessed', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- t.yaml
    a: 1
    #- r.yaml
    a: 2
    #- helmfile.yaml.gotmpl
    templates:
      base:
        values: [t.yaml]
        set:
          - name: from.template
            value: "1"
    releases:
      - name: one
        chart: ./c
        inherit:
          - template: base
            except: [set]
        values: [r.yaml]
    {{ if eq .Environment.Name "prod" }}
      - name: two
        chart: ./c
    {{ end }}
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => e.name), ['default/one']);
  assert.deepEqual(layers(d.environments[0]), ['file t.yaml @helmfile.yaml.gotmpl:3', 'file r.yaml @helmfile.yaml.gotmpl:13']);
  assert.deepEqual(findingLines(d), ['warning gitops.template-unsupported helmfile.yaml.gotmpl:14']);
});

test('each helmfile environment renders with its own state values; no finding from environments that are not declared', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- v/eu.yaml
    a: 1
    #- v/us.yaml
    a: 2
    #- helmfile.yaml.gotmpl
    environments:
      prod-eu:
        values: [{region: eu}]
      prod-us:
        values: [{region: us}]
    ---
    releases:
      - name: api
        chart: ./c
        values: [v/{{ .Values.region }}.yaml]
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => [e.name, layers(e)]), [
    ['prod-eu/api', ['file v/eu.yaml @helmfile.yaml.gotmpl:10']],
    ['prod-us/api', ['file v/us.yaml @helmfile.yaml.gotmpl:10']],
  ]);
  assert.deepEqual(findingLines(d), []);
});

test('inherit is recursive and defaultInherit comes first; list fields append template before release', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- a.yaml
    a: 1
    #- b.yaml
    b: 1
    #- d.yaml
    d: 1
    #- r.yaml
    r: 1
    #- helmfile.yaml
    defaultInherit: [common]
    templates:
      common:
        values: [d.yaml]
      base:
        values: [a.yaml]
      child:
        inherit:
          - template: base
        values: [b.yaml]
    releases:
      - name: app
        chart: ./c
        inherit:
          - template: child
        values: [r.yaml]
  `);
  const d = discover(files);
  assert.deepEqual(layers(d.environments[0]).map((l) => l.split(' ')[1]), ['d.yaml', 'a.yaml', 'b.yaml', 'r.yaml']);
  assert.deepEqual(findingLines(d), []);
});
