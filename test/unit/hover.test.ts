// Hover on keys of values files: per-environment values, winning layer, shadowed layers, documentation.
// Tests are data: a multi-file fixture with a `$0` cursor, and the expected markdown (whole text, or a golden file
// under golden/hover/ rewritten with UPDATE_GOLDEN=1).
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeHover } from '../../server/src/service/features/hover';
import type { FeatureOptions } from '../../server/src/service/features/types';
import { analysisAtCursor, analysisOf, appWithRedis, corpusFiles, dedent, parseFixture, type AnalysisOptions } from './fixture';

const GOLDEN = fileURLToPath(new URL('./golden/hover/', import.meta.url));

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.md`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual + '\n');
  }
  assert.ok(existsSync(file), `missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  assert.equal(actual + '\n', readFileSync(file, 'utf8'), `golden ${name}.md differs (UPDATE_GOLDEN=1 rewrites it)`);
}

/** Puts the `$0` cursor into a fixture: `snippet` (with `$0`) must occur, without the marker, in the named file. */
function cursor(fixture: string, file: string, snippet: string): string {
  const header = `#- ${file}\n`;
  const start = fixture.indexOf(header);
  assert.ok(start >= 0, `no file ${file} in the fixture`);
  const plain = snippet.replace('$0', '');
  const at = fixture.indexOf(plain, start + header.length);
  const next = fixture.indexOf('\n#- ', start + header.length);
  assert.ok(at >= 0 && (next < 0 || at < next), `"${plain}" not in ${file}`);
  return fixture.slice(0, at) + snippet + fixture.slice(at + plain.length);
}

interface HoverCheck {
  markdown: string;
  /** The hovered text (the range of the hover). */
  range: string;
}

/** The hover at the fixture's `$0`, or undefined. */
function hoverOf(fixture: string, options: FeatureOptions = {}, analysis: AnalysisOptions = {}): HoverCheck | undefined {
  const at = analysisAtCursor(fixture, analysis);
  const h = computeHover(at.analysis, at.file, at.offset, options);
  if (!h) return undefined;
  return { markdown: h.markdown, range: at.text.slice(h.start, h.end) };
}

function checkHover(fixture: string, expected: string | undefined, options: FeatureOptions = {}, analysis: AnalysisOptions = {}): void {
  assert.equal(hoverOf(fixture, options, analysis)?.markdown, expected === undefined ? undefined : dedent(expected).trimEnd());
}

const CHART = appWithRedis({
  dependency: 'alias: cache',
  values: `# -- Container image
image:
  # -- Image tag; defaults to the appVersion
  tag: "1.0"
  pullPolicy: IfNotPresent
## Number of pods
replicas: 1
global:
  region: eu
cache:
  port: 1
hosts: [a.example.com, b.example.com]`,
  overlay: `image:
  tag: "2.0"
replicas: null
cache:
  auth: false
extra: yes`,
  redis: `## @param port Redis port
port: 6379
## @param auth Enable password authentication
auth: true
global:
  region: us`,
  extra: `#- /chart/values-staging.yaml
image:
  tag: "1.5"
`,
});

const CI = [{ name: 'ci', values: ['values-prod.yaml'], set: ['image.tag=3'] }];

test('a chart default nobody overrides: value, layer and docs, no table', () => {
  checkHover(
    cursor(CHART, '/chart/values.yaml', 'pull$0Policy'),
    `
    **\`image.pullPolicy\`** — chart default

    \`"IfNotPresent"\` in all 3 environments, from \`values.yaml:5\`, not overridden
    `,
  );
});

test('nothing off keys: comments, indentation, a block map between its keys', () => {
  checkHover(cursor(CHART, '/chart/values.yaml', '# -- Image$0 tag'), undefined);
  checkHover(cursor(CHART, '/chart/values.yaml', ' $0 port: 1'), undefined);
  checkHover(cursor(CHART, '/chart/values.yaml', 'image:\n  #$0 --'), undefined);
  const fx = parseFixture(cursor(CHART, '/chart/values.yaml', 'pull$0Policy'));
  assert.equal(computeHover(analysisOf(fx.files), '/chart/elsewhere.yaml', 3, {}), undefined);
});

test('hovering the value is hovering the key; the range is the key', () => {
  const onValue = hoverOf(cursor(CHART, '/chart/values.yaml', 'tag: "1.$00"'));
  const onKey = hoverOf(cursor(CHART, '/chart/values.yaml', 't$0ag: "1.0"'));
  assert.ok(onValue && onKey);
  assert.equal(onValue.markdown, onKey.markdown);
  assert.equal(onValue.range, 'tag');
});

test('a chart default overridden per environment: table with the winning layer, docs below', () => {
  const h = hoverOf(cursor(CHART, '/chart/values.yaml', 't$0ag: "1.0"'), {}, { config: CI });
  assert.ok(h);
  golden('default-overridden', h.markdown);
  const lines = h.markdown.split('\n');
  assert.ok(lines.includes('| ci | `3` | `--set image.tag=3` |'));
  assert.ok(lines.includes('| default | `"1.0"` | `values.yaml:4` (this line) |'));
  assert.ok(lines.includes('| prod | `"2.0"` | `values-prod.yaml:2` |'));
  assert.equal(lines.at(-1), 'Image tag; defaults to the appVersion');
});

test('an override: the layers it shadows in its environment, the chart default marked', () => {
  const h = hoverOf(cursor(CHART, '/chart/values-staging.yaml', 't$0ag'));
  assert.ok(h);
  golden('override-wins', h.markdown);
  assert.match(h.markdown, /^`"1\.5"` in \*\*staging\*\*, from `values-staging\.yaml:2` — \*\*this line wins\*\*$/m);
  assert.match(h.markdown, /^- `"1\.0"` from `values\.yaml:4` \(chart default\)$/m);
});

test('an override beaten by --set in one environment: table, and the chart default it shadows', () => {
  const h = hoverOf(cursor(CHART, '/chart/values-prod.yaml', 't$0ag'), {}, { config: CI });
  assert.ok(h);
  golden('override-partly-beaten', h.markdown);
  assert.ok(h.markdown.includes('Chart default: `"1.0"` from `values.yaml:4`'));
});

test('the active environment alone; a file outside it says so', () => {
  checkHover(
    cursor(CHART, '/chart/values-prod.yaml', 't$0ag'),
    `
    **\`image.tag\`** — override in **prod**

    \`"1.5"\` in **staging**, from \`values-staging.yaml:2\`

    Shadows:
    - \`"1.0"\` from \`values.yaml:4\` (chart default)

    \`values-prod.yaml\` is not a layer of **staging** (it is used by prod).

    ---

    Image tag; defaults to the appVersion
    `,
    { activeEnvironment: 'staging' },
  );
  // An unknown active environment (a stale setting) shows every environment.
  assert.match(hoverOf(cursor(CHART, '/chart/values.yaml', 't$0ag: "1.0"'), { activeEnvironment: 'gone' })?.markdown ?? '', /^\| staging \|/m);
});

test('a key removed by null: on the default, and on the null itself', () => {
  const onDefault = hoverOf(cursor(CHART, '/chart/values.yaml', 'rep$0licas'));
  assert.ok(onDefault);
  golden('removed-by-null', onDefault.markdown);
  assert.ok(onDefault.markdown.split('\n').includes('| prod | removed (`null`) | `values-prod.yaml:3` |'));
  assert.ok(onDefault.markdown.endsWith('Number of pods'));
  checkHover(
    cursor(CHART, '/chart/values-prod.yaml', 'rep$0licas'),
    `
    **\`replicas\`** — override in **prod**

    Removed in **prod** by \`null\` at \`values-prod.yaml:3\` (this line)

    Drops:
    - \`1\` from \`values.yaml:7\` (chart default)

    ---

    Number of pods
    `,
  );
});

test('subchart defaults: the key under its alias, the parent value winning, docs from the subchart', () => {
  checkHover(
    cursor(CHART, '/chart/charts/redis/values.yaml', 'po$0rt: 6379'),
    `
    **\`cache.port\`** — default of subchart \`redis\`

    \`1\` in all 3 environments, from \`values.yaml:11\`

    Shadows:
    - \`6379\` from \`redis defaults: charts/redis/values.yaml:2\` (this line)

    ---

    Redis port
    `,
  );
  // An overlay key under the alias finds the subchart's documentation.
  const h = hoverOf(cursor(CHART, '/chart/values-prod.yaml', 'au$0th'));
  assert.ok(h);
  golden('overlay-subchart-key', h.markdown);
  assert.ok(h.markdown.endsWith('Enable password authentication'));
});

test('globals reach subcharts: the subchart default is shadowed by the parent global', () => {
  const h = hoverOf(cursor(CHART, '/chart/charts/redis/values.yaml', 'reg$0ion'));
  assert.ok(h);
  assert.equal(h.markdown.split('\n\n')[1], '`"eu"` in all 3 environments, from `global from values.yaml:9`');
  assert.ok(h.markdown.includes('- `"us"` from `redis defaults: charts/redis/values.yaml:6` (this line)'));
});

test('a list item, and an overlay key the chart does not define', () => {
  checkHover(
    cursor(CHART, '/chart/values.yaml', 'b.ex$0ample.com'),
    `
    **\`hosts[1]\`** — chart default

    \`"b.example.com"\` in all 3 environments, from \`values.yaml:12\`, not overridden
    `,
  );
  assert.equal(hoverOf(cursor(CHART, '/chart/values.yaml', 'b.ex$0ample.com'))?.range, 'b.example.com');
  checkHover(
    cursor(CHART, '/chart/values-prod.yaml', 'ext$0ra'),
    `
    **\`extra\`** — override in **prod**

    \`true\` in **prod**, from \`values-prod.yaml:6\`

    Not in the chart defaults.
    `,
  );
});

test('many environments: the table stops at 12 and the overriding layers are summarised', () => {
  const envs = Array.from({ length: 14 }, (_, i) => ({ name: `e${String(i).padStart(2, '0')}`, set: i % 2 ? [`image.tag=${i}`] : [] }));
  const h = hoverOf(cursor(CHART, '/chart/values.yaml', 't$0ag: "1.0"'), {}, { config: envs });
  assert.ok(h);
  golden('many-environments', h.markdown);
  assert.ok(h.markdown.includes('| … | and 5 more | |'));
  assert.ok(h.markdown.includes('- `--set image.tag=13` (e13)'));
  assert.ok(h.markdown.includes('- … and 1 more'));
});

test('a disabled subchart, a Helm error, and the second document under Helm 3', () => {
  const fixture = dedent(`
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: redis
        version: 1.x
        condition: redis.enabled
    #- /chart/values.yaml
    redis:
      enabled: true
    #- /chart/values-off.yaml
    redis:
      enabled: false
    ---
    redis:
      enabled: false
    #- /chart/charts/redis/Chart.yaml
    apiVersion: v2
    name: redis
    version: 1.2.0
    #- /chart/charts/redis/values.yaml
    port: 6379
  `);
  const config = [{ name: 'broken', set: ['redis.port[x]=1'] }];
  const h = hoverOf(cursor(fixture, '/chart/charts/redis/values.yaml', 'po$0rt'), {}, { config });
  assert.ok(h);
  golden('disabled-and-error', h.markdown);
  assert.ok(h.markdown.split('\n').includes('| off | not set | subchart `redis` disabled |'));
  assert.match(h.markdown, /^\| broken \| Helm error \| failed parsing --set data: /m);
  const second = fixture.replace('---\nredis:\n  enabled: false', '---\nredis:\n  enab$0led: false');
  assert.ok(hoverOf(second, {}, { helmVersion: NEWEST_RELEASE[3] })?.markdown.endsWith('Helm 3 reads only the first YAML document of a values file: this key is ignored.'));
  assert.ok(!hoverOf(second, {}, { helmVersion: NEWEST_RELEASE[4] })?.markdown.includes('Helm 3 reads'));
});

// ---------------------------------------------------------------------------------------------------------------
// Real charts, copied into memory (chart files only: Chart.yaml, values.yaml, overlays, subcharts).

test('real chart: Bitnami redis with its common subchart and a small overlay', () => {
  const files = corpusFiles('bitnami__charts/bitnami/redis');
  corpusFiles('bitnami__charts/bitnami/common', '/chart/charts/common', files);
  files.set('/chart/values-prod.yaml', 'master:\n  persistence:\n    size: 50Gi\n');
  const a = analysisOf(files);
  const text = files.get('/chart/values.yaml') ?? '';
  const offset = text.indexOf('size: 8Gi') + 1;
  const h = computeHover(a, '/chart/values.yaml', offset, {});
  assert.ok(h);
  golden('redis-persistence-size', h.markdown);
  assert.equal(text.slice(h.start, h.end), 'size');
  assert.ok(h.markdown.split('\n').includes('| prod | `"50Gi"` | `values-prod.yaml:3` |'));
  assert.ok(h.markdown.endsWith('Persistent Volume size'));
  const over = computeHover(a, '/chart/values-prod.yaml', 'master:\n  persistence:\n    si'.length, {});
  assert.ok(over?.markdown.includes('- `"8Gi"` from `values.yaml:538` (chart default)'));
});

test('real chart: kube-prometheus-stack with its ci overlays; warm hovers take well under a millisecond each', () => {
  const files = corpusFiles('prometheus-community__helm-charts/charts/kube-prometheus-stack');
  const a = analysisOf(files);
  const text = files.get('/chart/values.yaml') ?? '';
  const offset = text.indexOf('enabled: true', text.indexOf('\nalertmanager:')) + 1;
  const h = computeHover(a, '/chart/values.yaml', offset, {});
  assert.ok(h);
  golden('kube-prometheus-stack-alertmanager-enabled', h.markdown);
  assert.ok(h.markdown.split('\n').includes('| ci/01-provision-crds-values | `false` | `ci/01-provision-crds-values.yaml:2` |'));
  assert.ok(h.markdown.endsWith('Deploy alertmanager'));
  const ci = files.get('/chart/ci/05-ingress-and-gateway-routes-values.yaml') ?? '';
  const replicas = computeHover(a, '/chart/ci/05-ingress-and-gateway-routes-values.yaml', ci.indexOf('replicas') + 1, {});
  golden('kube-prometheus-stack-ci-override', replicas?.markdown ?? '');
  // Warm: every environment computed once; then a hover is a lookup.
  const offsets = [offset, text.indexOf('retention:') + 2, text.indexOf('storageSpec:') + 2, text.length - 30];
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    for (const o of offsets) computeHover(a, '/chart/values.yaml', o, {});
    times.push((performance.now() - t) / offsets.length);
  }
  times.sort((x, y) => x - y);
  const median = times[10] ?? 0;
  // Informative only: speed targets are judged by `npm run bench`, not here.
  console.log(`hover on kube-prometheus-stack, warm: median ${median.toFixed(3)} ms`);
});
