// Go to definition, references and document symbols, as data: a fixture with a `$0` cursor and the expected
// locations written as `file:line:column key`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analysisAtCursor, analysisOf, appWithRedis, dedent, type AnalysisOptions } from './fixture';
import { computeDefinition, computeDocumentSymbols, computeReferences } from '../../server/src/service/features/navigation';
import type { FileSpan, SymbolResult } from '../../server/src/service/features/types';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';

const KPS = path.join(__dirname, '../fixtures/corpus/charts/prometheus-community__helm-charts/charts/kube-prometheus-stack');

function spanText(files: Map<string, string>, s: FileSpan): string {
  const text = files.get(s.file) ?? '';
  const before = text.slice(0, s.start);
  const line = before.split('\n').length;
  const column = s.start - before.lastIndexOf('\n');
  return `${s.file}:${line}:${column} ${text.slice(s.start, s.end)}`;
}

type Feature = typeof computeDefinition;

function check(feature: Feature, fixture: string, expected: string[], options: AnalysisOptions = {}): void {
  const { analysis, files, file, offset } = analysisAtCursor(dedent(fixture), options);
  const got = feature(analysis, file, offset).map((s) => spanText(files, s));
  assert.deepEqual(got, expected);
}

const checkDefinition = (fixture: string, expected: string[], options?: AnalysisOptions) => check(computeDefinition, fixture, expected, options);
const checkReferences = (fixture: string, expected: string[], options?: AnalysisOptions) => check(computeReferences, fixture, expected, options);

/** A chart `app` with subchart redis under the alias `cache`; `overlay` is values-prod.yaml (with a `$0`). */
function chart(parts: { values?: string; overlay?: string; redis?: string; extra?: string }): string {
  return appWithRedis({ dependency: 'alias: cache', values: parts.values ?? DEFAULTS, overlay: parts.overlay ?? '', redis: parts.redis ?? REDIS, extra: parts.extra ?? '' });
}

const DEFAULTS = `image:
  repository: nginx
  tag: "1.0"
cache:
  port: 1
global:
  region: eu`;

const REDIS = `port: 6379
auth:
  enabled: true
global:
  region: us`;

// ---------------------------------------------------------------------------------------------------------------
// Definition.

test('definition: an overlay key goes to the same key in the chart values.yaml', () => {
  checkDefinition(chart({ overlay: 'image:\n  ta$0g: "2.0"' }), ['/chart/values.yaml:3:3 tag']);
  checkDefinition(chart({ overlay: 'ima$0ge:\n  tag: "2.0"' }), ['/chart/values.yaml:1:1 image']);
});

test('definition: under a subchart alias, the nearest layer that declares the key', () => {
  // The parent's values.yaml sets cache.port: that is the layer right below.
  checkDefinition(chart({ overlay: 'cache:\n  po$0rt: 2' }), ['/chart/values.yaml:5:3 port']);
  // Only the subchart declares auth.enabled.
  checkDefinition(chart({ overlay: 'cache:\n  auth:\n    enab$0led: false' }), ['/chart/charts/redis/values.yaml:3:3 enabled']);
  // The parent's values.yaml overriding the subchart: goes to the subchart's key.
  checkDefinition(chart({ values: 'cache:\n  po$0rt: 1' }), ['/chart/charts/redis/values.yaml:1:1 port']);
});

test('definition: a global in the parent goes to the subchart global it overrides', () => {
  checkDefinition(chart({ values: 'global:\n  reg$0ion: eu' }), ['/chart/charts/redis/values.yaml:5:3 region']);
  checkDefinition(chart({ overlay: 'global:\n  reg$0ion: ap' }), ['/chart/values.yaml:7:3 region']);
});

test('definition: a key nobody declares below goes to the deepest declared ancestor', () => {
  checkDefinition(chart({ overlay: 'image:\n  pull$0Policy: Always' }), ['/chart/values.yaml:1:1 image']);
  // cache.auth (in the subchart, depth 2) is deeper than cache (in the parent, depth 1).
  checkDefinition(chart({ overlay: 'cache:\n  auth:\n    pass$0word: x' }), ['/chart/charts/redis/values.yaml:2:1 auth']);
  checkDefinition(chart({ overlay: 'brand$0New: 1' }), []);
});

test('definition: nothing for the lowest layer, off a key, or on a value', () => {
  checkDefinition(chart({ values: 'image:\n  ta$0g: "1.0"' }), []);
  checkDefinition(chart({ redis: 'po$0rt: 6379' }), []);
  checkDefinition(chart({ overlay: 'image:\n  tag: "2$0.0"' }), []);
  checkDefinition(chart({ overlay: '# a comment $0\nimage:\n  tag: "2.0"' }), []);
});

test('definition: a later overlay of an environment goes to the earlier overlay that sets the key', () => {
  const files = chart({ overlay: 'image:\n  tag: "2.0"', extra: '#- /chart/values-prod-eu.yaml\nimage:\n  ta$0g: "2.1"\n' });
  // Configured environment prod-eu = values-prod.yaml + values-prod-eu.yaml (replaces the convention one).
  checkDefinition(files, ['/chart/values-prod.yaml:2:3 tag'], { config: [{ name: 'prod-eu', values: ['values-prod.yaml', 'values-prod-eu.yaml'] }] });
  // Another name: the file is also the convention environment prod-eu on its own, where the chart is below it.
  checkDefinition(files, ['/chart/values-prod.yaml:2:3 tag', '/chart/values.yaml:3:3 tag'], { config: [{ name: 'eu', values: ['values-prod.yaml', 'values-prod-eu.yaml'] }] });
  // The earlier overlay does not set the key: the chart does.
  const skip = chart({ overlay: 'image:\n  repository: x', extra: '#- /chart/values-prod-eu.yaml\nimage:\n  ta$0g: "2.1"\n' });
  checkDefinition(skip, ['/chart/values.yaml:3:3 tag'], { config: [{ name: 'prod-eu', values: ['values-prod.yaml', 'values-prod-eu.yaml'] }] });
});

test('definition: a user null removing a key still goes to what it removed', () => {
  checkDefinition(chart({ overlay: 'image:\n  ta$0g: null' }), ['/chart/values.yaml:3:3 tag']);
});

test('definition: a disabled subchart still leads to its values.yaml', () => {
  const files = appWithRedis({ dependency: 'condition: redis.enabled', values: 'redis:\n  enabled: false', overlay: 'redis:\n  po$0rt: 1', redis: 'port: 6379\n' });
  checkDefinition(files, ['/chart/charts/redis/values.yaml:1:1 port']);
});

// ---------------------------------------------------------------------------------------------------------------
// References.

test('references: every layer setting the key, defaults first, the declaration included', () => {
  checkReferences(chart({ overlay: 'cache:\n  po$0rt: 2' }), ['/chart/charts/redis/values.yaml:1:1 port', '/chart/values.yaml:5:3 port', '/chart/values-prod.yaml:2:3 port']);
  // From the subchart's own file, through the alias.
  checkReferences(chart({ overlay: 'cache:\n  port: 2', redis: 'po$0rt: 6379' }), ['/chart/charts/redis/values.yaml:1:1 port', '/chart/values.yaml:5:3 port', '/chart/values-prod.yaml:2:3 port']);
  // A key only the chart sets.
  checkReferences(chart({ values: 'image:\n  ta$0g: "1.0"' }), ['/chart/values.yaml:2:3 tag']);
  checkReferences(chart({ overlay: 'image:\n  tag: "2$0.0"' }), []);
});

test('references: globals across the chart tree and the overlays', () => {
  const files = chart({ overlay: 'global:\n  region: ap', redis: 'global:\n  reg$0ion: us' });
  checkReferences(files, ['/chart/charts/redis/values.yaml:2:3 region', '/chart/values.yaml:7:3 region', '/chart/values-prod.yaml:2:3 region']);
});

test('references: overlays of several environments in layer order, --set skipped', () => {
  const files = chart({ overlay: 'image:\n  tag: "2.0"', extra: '#- /chart/values-prod-eu.yaml\nimage:\n  ta$0g: "2.1"\n#- /chart/values-staging.yaml\nimage:\n  tag: "3.0"\n  repository: x\n' });
  const config = [{ name: 'eu', values: ['values-prod.yaml', 'values-prod-eu.yaml'], set: ['image.tag=9'] }];
  checkReferences(files, ['/chart/values.yaml:3:3 tag', '/chart/values-prod.yaml:2:3 tag', '/chart/values-prod-eu.yaml:2:3 tag', '/chart/values-staging.yaml:2:3 tag'], { config });
});

test('references: duplicate keys and multiple documents all count', () => {
  const files = chart({ overlay: 'image:\n  tag: "2.0"\n---\nimage:\n  ta$0g: "2.1"' });
  checkReferences(files, ['/chart/values.yaml:3:3 tag', '/chart/values-prod.yaml:2:3 tag', '/chart/values-prod.yaml:5:3 tag']);
  // Helm 4 reads both documents: the second one's layer below is the first.
  checkDefinition(files, ['/chart/values-prod.yaml:2:3 tag']);
});

// ---------------------------------------------------------------------------------------------------------------
// Document symbols.

/** Symbols as an indented outline: `name kind detail [range text]`, range text shown for leaves. */
function outline(text: string, symbols: SymbolResult[], depth = 0): string[] {
  return symbols.flatMap((s) => {
    assert.ok(s.selectionStart >= s.start && s.selectionEnd <= s.end, `selection inside range for ${s.name}`);
    const leaf = s.children.length === 0 ? ` ${JSON.stringify(text.slice(s.start, s.end))}` : '';
    return [`${'  '.repeat(depth)}${s.name} ${s.kind} ${s.detail}${leaf}`, ...outline(text, s.children, depth + 1)];
  });
}

function checkSymbols(text: string, expected: string): void {
  const t = dedent(text);
  const doc = parseValuesDocument('/chart/values.yaml', t);
  assert.deepEqual(outline(t, computeDocumentSymbols(doc)), dedent(expected).trimEnd().split('\n'));
}

test('document symbols: hierarchy, paths, kinds and previews', () => {
  checkSymbols(
    `
    image:
      tag: "1.0" # pinned
      pullPolicy: IfNotPresent
    replicas: 3
    debug: off
    list:
      - a
      - name: b
        ports: [80, 443]
    empty: {}
    none:
    "a.b": 1
    `,
    `
    image object image
      tag string image.tag = "1.0" "tag: \\"1.0\\""
      pullPolicy string image.pullPolicy = "IfNotPresent" "pullPolicy: IfNotPresent"
    replicas number replicas = 3 "replicas: 3"
    debug boolean debug = false "debug: off"
    list array list
      [0] string list[0] = "a" "a"
      [1] object list[1]
        name string list[1].name = "b" "name: b"
        ports array list[1].ports
          [0] number list[1].ports[0] = 80 "80"
          [1] number list[1].ports[1] = 443 "443"
    empty object empty "empty: {}"
    none null none = null "none:"
    a.b number ["a.b"] = 1 "\\"a.b\\": 1"
    `,
  );
});

test('document symbols: one set per YAML document, in order; long values cut', () => {
  checkSymbols(
    `
    a: 1
    ---
    b:
      c: "${'x'.repeat(60)}"
    `,
    `
    a number a = 1 "a: 1"
    b object b
      c string b.c = "${'x'.repeat(38)}… "c: \\"${'x'.repeat(60)}\\""
    `,
  );
});

test('document symbols: kube-prometheus-stack values.yaml (6,000 lines) is fast', () => {
  const text = fs.readFileSync(path.join(KPS, 'values.yaml'), 'utf8');
  const doc = parseValuesDocument('/kps/values.yaml', text);
  for (let i = 0; i < 10; i++) computeDocumentSymbols(doc);
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const symbols = computeDocumentSymbols(doc);
    times.push(performance.now() - t0);
    const walk = (s: SymbolResult[]): number => s.reduce((n, x) => n + 1 + walk(x.children), 0);
    count = walk(symbols);
  }
  times.sort((a, b) => a - b);
  const median = times[10] ?? 0;
  console.log(`document symbols, kube-prometheus-stack values.yaml (${doc.entries.length} entries): median ${median.toFixed(2)} ms`);
  // Informative only: speed targets are judged by `npm run bench`, not here.
  assert.equal(count, doc.entries.length);
});

test('navigation on kube-prometheus-stack: definition and references from a ci overlay', () => {
  const files = new Map<string, string>();
  files.set('/kps/Chart.yaml', fs.readFileSync(path.join(KPS, 'Chart.yaml'), 'utf8'));
  const values = fs.readFileSync(path.join(KPS, 'values.yaml'), 'utf8');
  files.set('/kps/values.yaml', values);
  files.set('/kps/charts/crds/Chart.yaml', fs.readFileSync(path.join(KPS, 'charts/crds/Chart.yaml'), 'utf8'));
  files.set('/kps/charts/crds/values.yaml', fs.readFileSync(path.join(KPS, 'charts/crds/values.yaml'), 'utf8'));
  const overlay = 'prometheus:\n  prometheusSpec:\n    retention: 30d\ncrds:\n  upgradeJob:\n    enabled: true\n';
  files.set('/kps/values-prod.yaml', overlay);
  const a = analysisOf(files, { root: '/kps' });
  const at = (needle: string) => overlay.indexOf(needle) + 1;
  const def = computeDefinition(a, '/kps/values-prod.yaml', at('retention')).map((s) => spanText(files, s));
  const line = values.slice(0, values.indexOf('    retention: 10d')).split('\n').length;
  assert.deepEqual(def, [`/kps/values.yaml:${line}:5 retention`]);
  const crds = computeDefinition(a, '/kps/values-prod.yaml', at('enabled: true')).map((s) => spanText(files, s));
  // The parent's values.yaml sets crds.upgradeJob.enabled over the crds subchart's own default.
  assert.deepEqual(crds, ['/kps/values.yaml:40:5 enabled']);
  const below = computeDefinition(a, '/kps/values.yaml', values.indexOf('enabled: false', values.indexOf('upgradeJob:')) + 1).map((s) => spanText(files, s));
  assert.deepEqual(below, ['/kps/charts/crds/values.yaml:4:3 enabled']);
  const t0 = performance.now();
  const refs = computeReferences(a, '/kps/values-prod.yaml', at('retention'));
  const ms = performance.now() - t0;
  assert.deepEqual(refs.map((s) => s.file), ['/kps/values.yaml', '/kps/values-prod.yaml']);
  console.log(`references on kube-prometheus-stack: ${ms.toFixed(2)} ms`);
});
