// Copy-on-write merging: chart defaults and import-values results are frozen and shared by every environment of a
// chart. An environment merged after others (sharing their defaults and memoized import processing) must equal the
// same environment merged alone from a fresh parse, value for value and source for source, and the shared trees
// must come out unchanged.
import { formatRelease, NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { loadChartAt, valuesResolver } from '../../server/src/host/project';
import { createServiceCaches, type ServiceCaches } from '../../server/src/service/caches';
import { chartDefaults } from '../../server/src/service/helm/dependencies';
import { computeEffective, type ValuesInputs } from '../../server/src/service/helm/effective';
import { explainPath } from '../../server/src/service/helm/explain';
import type { HelmVersion } from '../../server/src/service/helm/coalesce';
import type { ChartModel } from '../../server/src/service/chart/chartModel';
import type { Value } from '../../server/src/service/types';
import { DocumentCache } from '../../server/src/service/yaml/documentCache';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Top-level charts (a chart under another chart's charts/ is a subchart) below a directory. */
function chartsUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    const parent = dirname(p);
    if (existsSync(join(p, 'Chart.yaml')) && !(basename(parent) === 'charts' && existsSync(join(dirname(parent), 'Chart.yaml')))) out.push(p);
    chartsUnder(p, out);
  }
  return out;
}

/** YAML files of a chart directory that are not chart metadata: candidate `-f` overlays. */
function overlaysOf(chart: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'charts' && name !== 'templates' && !existsSync(join(p, 'Chart.yaml'))) walk(p);
      } else if (/\.ya?ml$/.test(name) && !['Chart.yaml', 'values.yaml', 'requirements.yaml', 'Chart.lock'].includes(name)) out.push(p);
    }
  };
  walk(chart);
  return out.sort();
}

function leafPaths(v: Value, prefix: string[] = [], out: string[][] = []): string[][] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const k of Object.keys(v)) leafPaths(v[k] ?? null, [...prefix, k], out);
    if (Object.keys(v).length === 0) out.push(prefix);
  } else out.push(prefix);
  return out;
}

interface Env {
  label: string;
  files: string[];
  set: string[];
}

function environments(chart: string): Env[] {
  const overlays = overlaysOf(chart);
  return [
    { label: 'defaults', files: [], set: [] },
    ...overlays.map((f) => ({ label: f.slice(chart.length + 1), files: [f], set: [] })),
    { label: '--set global and nulls', files: overlays.slice(0, 1), set: ['global.sharingProbe=on', 'global.image.registry=example.invalid', 'nameOverride=null'] },
  ];
}

function merge(chart: string, env: Env, version: HelmVersion, documents: DocumentCache, caches: ServiceCaches): { model: ChartModel; effective: ReturnType<typeof computeEffective> } | undefined {
  const loaded = loadChartAt(chart, chart, new Map(), documents);
  const resolve = valuesResolver(loaded, chart, chart);
  const files = [];
  for (const f of env.files) {
    const r = resolve(f);
    if ('error' in r) return undefined;
    files.push(r);
  }
  const inputs: ValuesInputs = { files, set: env.set };
  return { model: loaded.model, effective: computeEffective(loaded.model, inputs, version, caches) };
}

/** Values and every leaf's explanation, as JSON text. */
function fingerprint(e: ReturnType<typeof computeEffective>): string {
  const explained = leafPaths(e.values).map((p) => explainPath(e, p));
  return JSON.stringify({ values: e.values, error: e.error?.message, messages: e.messages, explained });
}

function allCharts(m: ChartModel): ChartModel[] {
  return [m, ...m.subcharts.flatMap(allCharts)];
}

function assertFrozen(v: Value, where: string): void {
  if (v === null || typeof v !== 'object') return;
  assert.ok(Object.isFrozen(v), `${where} is not frozen`);
  for (const x of Array.isArray(v) ? v : Object.values(v)) assertFrozen(x ?? null, where);
}

const charts = [...chartsUnder(join(fixtures, 'helm-vectors', 'testdata')), ...chartsUnder(join(fixtures, 'corpus', 'charts'))];

test('the fixtures hold charts with subcharts, aliases, globals and import-values to check sharing on', () => {
  assert.ok(charts.length >= 40, `only ${charts.length} charts`);
});

for (const version of [NEWEST_RELEASE[4], NEWEST_RELEASE[3]]) {
  test(`Helm ${formatRelease(version)}: every environment merged after the others equals it merged alone (all fixture charts)`, () => {
    let compared = 0;
    for (const chart of charts) {
      const shared = new DocumentCache();
      const caches = createServiceCaches();
      const envs = environments(chart);
      // Merge every environment once, so the defaults and import results are shared and memoized ...
      const first = envs.map((env) => merge(chart, env, version, shared, caches));
      // ... then again in reverse order, against a fresh parse of everything each time.
      for (let i = envs.length - 1; i >= 0; i--) {
        const env = envs[i] as Env;
        const again = merge(chart, env, version, shared, caches);
        const alone = merge(chart, env, version, new DocumentCache(), createServiceCaches());
        if (!again || !alone) continue;
        const want = fingerprint(alone.effective);
        assert.equal(fingerprint(again.effective), want, `${chart} ${env.label}: merged after other environments`);
        const earlier = first[i];
        if (earlier) assert.equal(fingerprint(earlier.effective), want, `${chart} ${env.label}: result changed by later merges`);
        compared++;
      }
      // The shared defaults are frozen and hold what a fresh read of values.yaml holds.
      const model = first[0]?.model;
      if (!model) continue;
      const fresh = loadChartAt(chart, chart, new Map(), new DocumentCache()).model;
      const freshCharts = allCharts(fresh);
      allCharts(model).forEach((m, k) => {
        const defaults = chartDefaults(m, version, caches);
        assertFrozen(defaults, `${m.name} defaults`);
        const other = freshCharts[k];
        assert.ok(other);
        assert.deepEqual(defaults, chartDefaults(other, version, createServiceCaches()), `${chart}: ${m.name} defaults changed`);
      });
    }
    assert.ok(compared >= 150, `only ${compared} environments compared`);
  });
}

test('a write into shared defaults fails loudly instead of leaking into other environments', () => {
  const chart = charts.find((c) => c.endsWith('kube-prometheus-stack'));
  assert.ok(chart);
  const caches = createServiceCaches();
  const r = merge(chart, { label: 'defaults', files: [], set: [] }, NEWEST_RELEASE[4], new DocumentCache(), caches);
  assert.ok(r);
  const defaults = chartDefaults(r.model, NEWEST_RELEASE[4], caches);
  assert.throws(() => {
    (defaults as Record<string, unknown>)['injected'] = 1;
  }, TypeError);
  // The effective values themselves are the caller's to keep: their top level is not shared.
  assert.equal(Object.isFrozen(r.effective.values), false);
});

test('after incremental re-parses of values.yaml, reused blocks give the same values and sources as a fresh read', () => {
  const chart = charts.find((c) => c.endsWith('kube-prometheus-stack'));
  assert.ok(chart);
  const file = join(chart, 'values.yaml');
  const shared = new DocumentCache();
  const load = (text: string, documents: DocumentCache) => loadChartAt(chart, chart, new Map([[file, text]]), documents).model;
  const original = readFileSync(file, 'utf8');
  const edits: [string, (t: string) => string][] = [
    ['a value changed in one block', (t) => t.replace('nodePortTls: 30443', 'nodePortTls: 30444')],
    ['a comment line inserted (every block below moves down)', (t) => t.replace('\nprometheusOperator:\n', '\n# a note\nprometheusOperator:\n')],
    ['a top-level key added at the start', (t) => `addedFirst: 1\n${t}`],
    ['a key inside a block removed', (t) => t.replace(/\n {2}enabled: true\n/, '\n')],
    ['back to the original text', () => original],
  ];
  let text = original;
  const caches = createServiceCaches();
  chartDefaults(load(text, shared), NEWEST_RELEASE[4], caches);
  for (const [label, edit] of edits) {
    text = edit(text);
    const incremental = computeEffective(load(text, shared), { files: [] }, NEWEST_RELEASE[4], caches);
    const fresh = computeEffective(load(text, new DocumentCache()), { files: [] }, NEWEST_RELEASE[4], createServiceCaches());
    assert.equal(fingerprint(incremental), fingerprint(fresh), label);
  }
});
