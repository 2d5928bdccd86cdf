// Precedence inline: inlay hints and code lenses, as data. `checkHints` renders every hint of a file into its
// text as «label» at the hint's offset and compares the whole annotated text.
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analysisOf, appWithRedis, dedent, parseFixture } from './fixture';
import { ChartAnalysis } from '../../server/src/service/analysis';
import { chartEnvironments } from '../../server/src/service/chart/environments';
import { computeCodeLenses, computeInlayHints } from '../../server/src/service/features/inlayHints';
import type { FeatureOptions } from '../../server/src/service/features/types';
import { loadChartAt, valuesResolver } from '../../server/src/host/project';

/** The file's text with each hint inserted as «label» at its offset. */
function annotated(a: ChartAnalysis, file: string, options: FeatureOptions = {}, start = 0, end = Number.MAX_SAFE_INTEGER): string {
  const text = a.document(file)?.text ?? '';
  let out = text;
  for (const h of [...computeInlayHints(a, file, start, end, options)].reverse()) out = `${out.slice(0, h.offset)}«${h.label}»${out.slice(h.offset)}`;
  return out;
}

function checkHints(a: ChartAnalysis, file: string, expected: string, options: FeatureOptions = {}): void {
  assert.equal(annotated(a, file, options), dedent(expected));
}

/** Lenses as `line:column title -> target, target` with targets as `file:line:column`. */
function lenses(a: ChartAnalysis, file: string, options: FeatureOptions = {}): string[] {
  const doc = a.document(file);
  assert.ok(doc);
  return computeCodeLenses(a, file, options).map((l) => {
    const p = doc.position(l.offset);
    const targets = l.targets.map((t) => {
      const td = a.document(t.file);
      const tp = td?.position(t.start);
      return `${t.file.replace('/chart/', '')}:${tp?.line}:${tp?.column}${t.end > t.start ? '' : '(empty)'}`;
    });
    return `${p.line}:${p.column} ${l.title}${targets.length > 0 ? ` -> ${targets.join(', ')}` : ''}`;
  });
}

const app = parseFixture(dedent(`
  #- /chart/values.yaml
  image:
    repository: nginx
    tag: "1.0"
  replicaCount: 1
  resources:
    limits:
      cpu: 100m
  tolerations:
    - key: a
  podAnnotations: {}
  command: |-
    run
  message: short
  #- /chart/values-prod.yaml
  image:
    tag: "2.0"
  resources:
    limits:
      cpu: 200m
      memory: 1Gi
  tolerations: []
  podAnnotations: none
  command: |-
    run --fast
  message: "a very long message that goes on and on and on"
  onlyHere: 1
  #- /chart/values-staging.yaml
  replicaCount: 3
`));

const appConfig = { config: [{ name: 'staging', values: ['values-staging.yaml'], set: ['image.tag=3'] }] };

test('values.yaml: the winning value and layer per environment that overrides a key; nothing elsewhere', () => {
  const a = analysisOf(app.files, appConfig);
  assert.deepEqual(a.environments.map((e) => e.name), ['staging', 'prod', 'default']);
  checkHints(
    a,
    '/chart/values.yaml',
    `
    image:
      repository: nginx
      tag: "1.0"«⟵ staging: 3 (--set), prod: "2.0" (values-prod.yaml:2)»
    replicaCount: 1«⟵ staging: 3 (values-staging.yaml:1)»
    resources:
      limits:
        cpu: 100m«⟵ prod: "200m" (values-prod.yaml:5)»
    tolerations:«⟵ prod: [] (values-prod.yaml:7)»
      - key: a
    podAnnotations: {}«⟵ prod: "none" (values-prod.yaml:8)»
    command: |-«⟵ prod: "run --fast" (values-prod.yaml:9)»
      run
    message: short«⟵ prod: "a very long message that goe… (values-prod.yaml:11)»
    `,
  );
});

test('the active environment: its winner only, without naming it', () => {
  const a = analysisOf(app.files, appConfig);
  checkHints(
    a,
    '/chart/values.yaml',
    `
    image:
      repository: nginx
      tag: "1.0"«⟵ 3 (--set)»
    replicaCount: 1«⟵ 3 (values-staging.yaml:1)»
    resources:
      limits:
        cpu: 100m
    tolerations:
      - key: a
    podAnnotations: {}
    command: |-
      run
    message: short
    `,
    { activeEnvironment: 'staging' },
  );
  // The default environment overrides nothing.
  assert.deepEqual(computeInlayHints(a, '/chart/values.yaml', 0, 1000, { activeEnvironment: 'default' }), []);
});

test('overrides: the value they replace; nothing on a key that is the only layer, nor on merged maps', () => {
  const a = analysisOf(app.files, appConfig);
  checkHints(
    a,
    '/chart/values-prod.yaml',
    `
    image:
      tag: "2.0"«replaces "1.0" (values.yaml:3)»
    resources:
      limits:
        cpu: 200m«replaces "100m" (values.yaml:7)»
        memory: 1Gi
    tolerations: []«replaces [{"key":"a"}] (values.yaml:8)»
    podAnnotations: none«replaces {} (values.yaml:10)»
    command: |-«replaces "run" (values.yaml:11)»
      run --fast
    message: "a very long message that goes on and on and on"«replaces "short" (values.yaml:13)»
    onlyHere: 1
    `,
  );
  // An overlay outside the active environment still shows its own environments.
  assert.equal(annotated(a, '/chart/values-prod.yaml', { activeEnvironment: 'staging' }), annotated(a, '/chart/values-prod.yaml'));
});

test('an override that is itself overridden shows both; a range returns only its hints', () => {
  const a = analysisOf(app.files, appConfig);
  checkHints(a, '/chart/values-staging.yaml', 'replicaCount: 3«replaces 1 (values.yaml:4)»\n');
  const f = parseFixture(dedent(`
    #- /chart/values.yaml
    a: 1
    b: 1
    c: 1
    #- /chart/values-prod.yaml
    a: 2
    b: 2
    c: 2
  `));
  const b = analysisOf(f.files, { config: [{ name: 'prod', values: ['values-prod.yaml'], set: ['b=3'] }] });
  checkHints(b, '/chart/values-prod.yaml', 'a: 2«replaces 1 (values.yaml:1)»\nb: 2«⟵ 3 (--set) · replaces 1 (values.yaml:2)»\nc: 2«replaces 1 (values.yaml:3)»\n');
  // Hints of line 2 only (offsets 5..9).
  assert.deepEqual(
    computeInlayHints(b, '/chart/values-prod.yaml', 5, 9, {}).map((h) => [h.offset, h.label]),
    [[9, '⟵ 3 (--set) · replaces 1 (values.yaml:2)']],
  );
  assert.match(computeInlayHints(b, '/chart/values-prod.yaml', 5, 9, {})[0]?.tooltip ?? '', /\*\*prod\*\*: overridden by `3` from `--set`/);
});

test('at most three environments, then +N; a null that removes a key shows as null', () => {
  const files = new Map<string, string>([['/chart/values.yaml', 'tag: a\nkeep: 1\n']]);
  for (const env of ['a', 'b', 'c', 'd', 'e']) files.set(`/chart/values-${env}.yaml`, `tag: ${env}${env}\n`);
  files.set('/chart/values-e.yaml', 'tag: ee\nkeep: null\n');
  const a = analysisOf(files);
  checkHints(a, '/chart/values.yaml', 'tag: a«⟵ a: "aa" (values-a.yaml:1), b: "bb" (values-b.yaml:1), c: "cc" (values-c.yaml:1), +2»\nkeep: 1«⟵ e: null (values-e.yaml:2)»\n');
});

test('quiet: no overlays, no hints; keys nobody overrides carry none', () => {
  const f = parseFixture(dedent(`
    #- /chart/values.yaml
    image:
      tag: "1.0"
    list: [1, 2]
  `));
  const a = analysisOf(f.files);
  assert.deepEqual(computeInlayHints(a, '/chart/values.yaml', 0, 1000, {}), []);
  assert.deepEqual(computeCodeLenses(a, '/chart/values.yaml', {}), []);
  // A file the chart does not use.
  assert.deepEqual(computeInlayHints(a, '/chart/other.yaml', 0, 1000, {}), []);
});

const withSubchart = parseFixture(appWithRedis({
  dependency: 'alias: cache',
  values: `cache:
  port: 1
  auth: true`,
  overlay: `cache:
  port: 7`,
  redis: `port: 6379
auth: true
timeout: 5
`,
}));

test('subcharts: parent values.yaml overriding a subchart default is an override; the subchart shows its winners', () => {
  const a = analysisOf(withSubchart.files);
  checkHints(
    a,
    '/chart/charts/redis/values.yaml',
    `
    port: 6379«⟵ prod: 7 (values-prod.yaml:2), default: 1 (values.yaml:2)»
    auth: true«⟵ true (values.yaml:3)»
    timeout: 5
    `,
  );
  checkHints(
    a,
    '/chart/values.yaml',
    `
    cache:
      port: 1«⟵ prod: 7 (values-prod.yaml:2) · replaces 6379 (charts/redis/values.yaml:1)»
      auth: true«replaces true (charts/redis/values.yaml:2)»
    `,
  );
  checkHints(a, '/chart/charts/redis/values.yaml', 'port: 6379«⟵ 7 (values-prod.yaml:2)»\nauth: true«⟵ true (values.yaml:3)»\ntimeout: 5\n', { activeEnvironment: 'prod' });
});

test('code lenses: overridden keys and overrides, with the layers to reveal', () => {
  const a = analysisOf(app.files, appConfig);
  assert.deepEqual(lenses(a, '/chart/values.yaml'), [
    '3:3 overridden in staging, prod -> values-prod.yaml:2:3',
    '4:1 overridden in staging -> values-staging.yaml:1:1',
    '7:5 overridden in prod -> values-prod.yaml:5:5',
    '8:1 overridden in prod -> values-prod.yaml:7:1',
    '10:1 overridden in prod -> values-prod.yaml:8:1',
    '11:1 overridden in prod -> values-prod.yaml:9:1',
    '13:1 overridden in prod -> values-prod.yaml:11:1',
  ]);
  assert.deepEqual(lenses(a, '/chart/values.yaml', { activeEnvironment: 'prod' }).slice(0, 2), ['3:3 overridden by values-prod.yaml:2 -> values-prod.yaml:2:3', '7:5 overridden by values-prod.yaml:5 -> values-prod.yaml:5:5']);
  assert.deepEqual(lenses(a, '/chart/values-staging.yaml'), ['1:1 overrides values.yaml:4 -> values.yaml:4:1']);
  const s = analysisOf(withSubchart.files);
  assert.deepEqual(lenses(s, '/chart/values.yaml'), ['2:3 overridden in prod · overrides charts/redis/values.yaml:1 -> values-prod.yaml:2:3, charts/redis/values.yaml:1:1', '3:3 overrides charts/redis/values.yaml:2 -> charts/redis/values.yaml:2:1']);
  assert.deepEqual(lenses(s, '/chart/charts/redis/values.yaml'), ['1:1 overridden in prod, default -> values-prod.yaml:2:3, values.yaml:2:3', '2:1 overridden by values.yaml:3 -> values.yaml:3:3']);
});

test('corpus: kube-prometheus-stack values.yaml (6,000 lines) against its ci/ environments', () => {
  const dir = path.resolve('test/fixtures/corpus/charts/prometheus-community__helm-charts/charts/kube-prometheus-stack');
  const chart = loadChartAt(dir);
  const { environments } = chartEnvironments(chart.model, []);
  const a = new ChartAnalysis({ model: chart.model, environments, resolveValues: valuesResolver(chart, dir, dir), helmVersion: NEWEST_RELEASE[4], documents: chart.documents });
  const values = chart.model.values;
  assert.ok(values);
  const text = values.text;
  const hints = computeInlayHints(a, values.file, 0, text.length, {});
  const lineOf = (offset: number) => values.position(offset).line;
  const at = (line: number) => hints.filter((h) => lineOf(h.offset) === line).map((h) => `${text.slice(text.lastIndexOf('\n', h.offset - 1) + 1, h.offset).trim()} ${h.label}`);
  // The parent's values.yaml sets a key of its crds subchart, and one ci environment overrides it again.
  assert.deepEqual(at(40), ['enabled: false ⟵ ci/06-upgrade-crds-values: true (ci/06-upgrade-crds-values.yaml:3) · replaces false (charts/crds/values.yaml:4)']);
  assert.deepEqual(at(1608), ['name: Alertmanager ⟵ ci/03-non-defaults-values: 0 (ci/03-non-defaults-values.yaml:92)']);
  // Only overridden keys carry hints: a small share of the file's keys.
  assert.ok(hints.length > 20 && hints.length < 200, `${hints.length} hints`);
  const ci = path.join(dir, 'ci/03-non-defaults-values.yaml');
  assert.ok(annotated(a, ci).includes('name: 0«replaces "Alertmanager" (values.yaml:1608)»'));
  // A request is answered from the per-analysis index.
  const t = performance.now();
  for (let i = 0; i < 20; i++) computeInlayHints(a, values.file, 0, text.length, {});
  assert.ok((performance.now() - t) / 20 < 5);
});
