// The effective-values view (YAML with a source comment per key) and Explain Key (the precedence chain as markdown).
// Large outputs are golden files under golden/effectiveView/ (UPDATE_GOLDEN=1 rewrites them); every rendering must
// read back, with Helm's YAML rules, as exactly the effective values.
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChartAnalysis } from '../../server/src/service/analysis';
import { explainAt, renderEffectiveValues } from '../../server/src/service/features/effectiveView';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { analysisAtCursor, analysisOf, appWithRedis, corpusFiles, dedent, parseFixture, type AnalysisOptions } from './fixture';

const GOLDEN = fileURLToPath(new URL('./golden/effectiveView/', import.meta.url));

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden ${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

/** The rendered text reads back (with Helm's YAML rules) as the effective values of the environment. */
function assertRoundTrip(a: ChartAnalysis, env: string, text: string): void {
  const back = parseValuesDocument('/rendered.yaml', text);
  assert.deepEqual(back.problems.filter((p) => p.severity !== 'info'), []);
  assert.deepEqual(back.documents[0], a.environment(env)?.effective?.values);
}

const CHART = appWithRedis({
  dependency: 'alias: cache',
  values: `image:
  tag: "1.0"
  pullPolicy: IfNotPresent
replicas: 1
global:
  region: eu
cache:
  port: 1
hosts: [a.example.com, b.example.com]
country: "NO"
script: |
  echo one
  echo two
zeta: 1.5
alpha: ~`,
  overlay: `image:
  tag: "2.0"
replicas: null
extra: yes
hosts:
  - prod.example.com`,
  redis: `port: 6379
auth: true
global:
  region: us
`,
});

const CI = [{ name: 'ci', values: ['values-prod.yaml'], set: ['image.tag=3', 'hosts[1]=ci.example.com'], setString: ['cache.auth=off'] }];

function chart(options: AnalysisOptions = { config: CI }): ChartAnalysis {
  return analysisOf(parseFixture(CHART).files, options);
}

test('annotated: every key carries its layer; header names chart, environment, layers and Helm version', () => {
  const a = chart();
  const r = renderEffectiveValues(a, 'ci', true);
  assert.equal(r.error, undefined);
  golden('fixture-ci-annotated.yaml', r.text);
  const lines = r.text.split('\n');
  assert.equal(lines[0], '# Effective values of chart app 1.0.0, environment "ci" (Helm 4.2.4)');
  assert.ok(lines.includes('  tag: 3 # --set image.tag=3'));
  assert.ok(lines.includes('  auth: "off" # --set-string cache.auth=off'));
  assert.ok(lines.includes('  port: 1 # values.yaml:8'));
  assert.ok(lines.includes('    region: eu # global from values.yaml:6'));
  assert.ok(lines.includes('extra: true # values-prod.yaml:4'));
  // List items come with their list; only an item placed by --set is annotated.
  assert.ok(lines.includes('  - prod.example.com'));
  assert.ok(lines.includes('  - ci.example.com # --set hosts[1]=ci.example.com'));
  assertRoundTrip(a, 'ci', r.text);
});

test('plain: the same values, sorted as Helm prints them, no source comments', () => {
  const a = chart();
  const r = renderEffectiveValues(a, 'prod', false);
  assert.equal(
    r.text,
    dedent(`
      # Effective values of chart app 1.0.0, environment "prod" (Helm 4.2.4)
      # Layers, lowest precedence first:
      #   1. redis defaults: charts/redis/values.yaml (as cache)
      #   2. app defaults: values.yaml
      #   3. values-prod.yaml

      cache:
        auth: true
        global:
          region: eu
        port: 1
      country: "NO"
      extra: true
      global:
        region: eu
      hosts:
        - prod.example.com
      image:
        pullPolicy: IfNotPresent
        tag: "2.0"
      script: |
        echo one
        echo two
      zeta: 1.5
    `),
  );
  assertRoundTrip(a, 'prod', r.text);
});

test('subchart defaults are named by chart; Helm 3 reads the same here', () => {
  const a = chart({ config: CI, helmVersion: NEWEST_RELEASE[3] });
  const r = renderEffectiveValues(a, 'default', true);
  golden('fixture-default-helm3.yaml', r.text);
  assert.ok(r.text.includes('  auth: true # redis defaults: charts/redis/values.yaml:2\n'));
  assert.ok(r.text.startsWith('# Effective values of chart app 1.0.0, environment "default" (Helm 3.21.4)\n'));
  assertRoundTrip(a, 'default', r.text);
});

test('strings and keys that YAML 1.1 (Helm) would read as something else are quoted, so the view reads back exactly', () => {
  const odd = ['', ' lead', 'trail ', '@at', '`x', '%x', '0777', '1_000', '0b101', '1e3', '.inf', 'y', 'n', 'on', 'Off', '~', 'null', '0x1F', '1:20', '2001-12-14', 'a # b', 'a\n b\n', '\ttab', '- x', '{a}', '*ref', '&anc', '!tag', '|', '1.0', '+1', 'NaN', '.NaN', '<<', '=', 'x\u0007', 'line1\nline2'];
  const values = {
    vals: Object.fromEntries(odd.map((s, i) => [`k${i}`, s])),
    keys: Object.fromEntries(odd.map((s, i) => [s, i])),
    nums: [0, -1, 1.5, 1e21, 1e-7, 123456789012, 0.1],
    nested: [[1, [2]], [{ a: [] }], {}],
  };
  const a = analysisOf(new Map([['/chart/values.yaml', JSON.stringify(values)]]));
  for (const annotate of [true, false]) assertRoundTrip(a, 'default', renderEffectiveValues(a, 'default', annotate).text);
  const text = renderEffectiveValues(a, 'default', false).text;
  assert.ok(text.includes('\n  "<<": 33\n'));
  assert.ok(text.includes('\n  k11: "y"\n'));
  assert.ok(text.includes('\n  k6: "0777"\n'));
});

test('errors: unknown environment, a bad --set, a subchart key that is not a map', () => {
  const a = chart();
  assert.deepEqual(renderEffectiveValues(a, 'qa', true), { text: '', error: 'no environment "qa"; known: ci, prod, default' });
  const bad = chart({ config: [{ name: 'bad', set: ['image.tag[x]=1'] }] });
  assert.deepEqual(renderEffectiveValues(bad, 'bad', true), { text: '', error: 'failed parsing --set data: error parsing index: strconv.Atoi: parsing "x": invalid syntax (--set image.tag[x]=1)' });
  const files = parseFixture(CHART).files;
  files.set('/chart/values-broken.yaml', 'cache: 1\n');
  assert.match(renderEffectiveValues(analysisOf(files), 'broken', false).error ?? '', /^type mismatch on cache: /);
});

test('a missing values file and Helm warnings are listed in the header', () => {
  const files = parseFixture(CHART).files;
  files.set('/chart/values-clash.yaml', 'replicas:\n  count: 2\n');
  const a = analysisOf(files, { config: [{ name: 'gone', values: ['values-missing.yaml', 'values-prod.yaml'] }] });
  const gone = renderEffectiveValues(a, 'gone', false).text.split('\n');
  assert.ok(gone.includes('#   3. values-prod.yaml'));
  assert.ok(gone.includes('# Missing values file (left out): /chart/values-missing.yaml: no such file'));
  const clash = renderEffectiveValues(a, 'clash', false).text.split('\n');
  assert.ok(clash.includes('# Helm warning: skipped value for app.replicas: Not a table.'), clash.slice(0, 8).join('\n'));
});

test('views are computed once per snapshot', () => {
  const a = chart();
  assert.equal(renderEffectiveValues(a, 'ci', true), renderEffectiveValues(a, 'ci', true));
  assert.notEqual(renderEffectiveValues(a, 'ci', true), renderEffectiveValues(a, 'ci', false));
});

test('Explain Key: the chain of every environment, environments with the same chain together', () => {
  const { analysis: a, file, offset } = analysisAtCursor(CHART.replace('  tag: "1.0"', '  ta$0g: "1.0"'), { config: CI });
  const x = explainAt(a, file, offset);
  assert.ok(x);
  assert.equal(x.path, 'image.tag');
  golden('explain-image-tag.md', x.markdown + '\n');
  assert.ok(x.markdown.includes('| **wins** | `--set image.tag=3` | `3` |\n| shadowed | `values-prod.yaml:2` | `"2.0"` |\n| shadowed | `values.yaml:2` (this line) | `"1.0"` |'));
  const removed = explainAt(a, '/chart/values-prod.yaml', 'image:\n  tag: "2.0"\nrepl'.length);
  assert.ok(removed?.markdown.includes('| **removes** | `values-prod.yaml:3` (this line) | `null` (key deleted) |\n| shadowed | `values.yaml:4` | `1` |'));
  assert.equal(explainAt(a, '/chart/values.yaml', 'image:\n '.length), undefined);
  const sub = explainAt(a, '/chart/charts/redis/values.yaml', 'port: 6379\nau'.length);
  assert.equal(sub?.path, 'cache.auth');
  assert.ok(sub?.markdown.includes('### ci\n\n| | layer | value |\n|---|---|---|\n| **wins** | `--set-string cache.auth=off` | `"off"` |'));
});

// ---------------------------------------------------------------------------------------------------------------
// Real charts, copied into memory (chart files only).

test('real chart: kube-prometheus-stack, every ci environment renders and reads back exactly', () => {
  const a = analysisOf(corpusFiles('prometheus-community__helm-charts/charts/kube-prometheus-stack'));
  for (const env of a.environments) {
    const r = renderEffectiveValues(a, env.name, true);
    assert.equal(r.error, undefined, env.name);
    assertRoundTrip(a, env.name, r.text);
  }
  const ci01 = renderEffectiveValues(a, 'ci/01-provision-crds-values', true).text;
  assert.match(ci01, /^alertmanager: # ci\/01-provision-crds-values\.yaml:1\n(  .*\n)*?  enabled: false # ci\/01-provision-crds-values\.yaml:2$/m);
  assert.match(ci01, /^crds: # values\.yaml:\d+\n/m);
  // Uncached (a new snapshot, values already merged): the rendering runs on a fresh analysis each time.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const b = new ChartAnalysis(a.input);
    b.environment('default');
    const t = performance.now();
    renderEffectiveValues(b, 'default', true);
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  // Informative only: speed targets are judged by `npm run bench`, not here.
  console.log(`effective values view of kube-prometheus-stack, uncached: median ${(times[2] ?? 0).toFixed(1)} ms`);
});

test('real chart: Bitnami redis with common under charts/ and an overlay', () => {
  const files = corpusFiles('bitnami__charts/bitnami/redis');
  corpusFiles('bitnami__charts/bitnami/common', '/chart/charts/common', files);
  files.set('/chart/values-prod.yaml', 'master:\n  persistence:\n    size: 50Gi\n');
  const a = analysisOf(files);
  const r = renderEffectiveValues(a, 'prod', true);
  assertRoundTrip(a, 'prod', r.text);
  assert.ok(r.text.includes('#   1. common defaults: charts/common/values.yaml\n#   2. redis defaults: values.yaml\n#   3. values-prod.yaml\n'));
  assert.ok(r.text.includes('    size: 50Gi # values-prod.yaml:3\n'));
  const x = explainAt(a, '/chart/values-prod.yaml', 'master:\n  persistence:\n    si'.length);
  assert.ok(x);
  golden('explain-redis-persistence-size.md', x.markdown + '\n');
});
