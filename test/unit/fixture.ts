// Test fixtures as data (style guide): a multi-file chart written inline with `#- /path` headers, a `$0` cursor
// marker, and an in-memory ChartAnalysis built from it: no disk, no network.
//
//   #- /chart/Chart.yaml
//   name: app
//   #- /chart/values.yaml
//   image:
//     tag: "1.0"$0
//   #- /chart/values-prod.yaml
//   image:
//     tag: "2.0"
//
// Files under /chart/charts/<name>/ form subcharts. Environments come from the naming conventions, plus `config`.
import assert from 'node:assert/strict';
import { defaultSchemaDraft, NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChartAnalysis } from '../../server/src/service/analysis';
import { loadChart } from '../../server/src/service/chart/chartModel';
import { chartEnvironments, readEnvironmentConfig } from '../../server/src/service/chart/environments';
import type { HelmVersion } from '../../server/src/service/helm/coalesce';
import type { ChartSource, TextFile } from '../../server/src/service/types';
import { DocumentCache } from '../../server/src/service/yaml/documentCache';
import type { SchemaLookup } from '../../server/src/service/schema/validate';
import type { CompiledSchema, SchemaDraft } from '../../server/src/service/schema/types';
import { compileSchema } from '../../server/src/host/schemaCompiler';

export interface Fixture {
  files: Map<string, string>;
  /** File and offset of the `$0` marker, when present (the marker is removed from the text). */
  cursor?: { file: string; offset: number };
}

export function parseFixture(text: string): Fixture {
  const files = new Map<string, string>();
  let cursor: Fixture['cursor'];
  const parts = text.split(/^#- (\S+)[^\n]*\n/m);
  for (let i = 1; i < parts.length; i += 2) {
    const file = parts[i] ?? '';
    let body = parts[i + 1] ?? '';
    const at = body.indexOf('$0');
    if (at >= 0) {
      cursor = { file, offset: at };
      body = body.slice(0, at) + body.slice(at + 2);
    }
    files.set(file, body);
  }
  return cursor ? { files, cursor } : { files };
}

/** Strips the indentation common to all non-empty lines (so fixtures can be indented in test code). */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const n = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(n)).join('\n');
}

const OVERLAY = /^(values[-.][^/]+\.ya?ml|values\/[^/]+\.ya?ml|ci\/[^/]+\.ya?ml)$/;

/** The chart at `dir` of in-memory files as the host reads it: Chart.yaml, values.yaml, the schema, overlays, templates, charts/<name>/. */
export function chartSource(files: ReadonlyMap<string, string>, dir: string): ChartSource {
  const file = (name: string): TextFile | undefined => {
    const p = `${dir}/${name}`;
    const text = files.get(p);
    return text === undefined ? undefined : { path: p, text };
  };
  const overlays: TextFile[] = [];
  const templates: TextFile[] = [];
  const subNames = new Set<string>();
  for (const [p, text] of files) {
    if (!p.startsWith(dir + '/')) continue;
    const rel = p.slice(dir.length + 1);
    const sub = /^charts\/([^/]+)\//.exec(rel);
    if (sub) subNames.add(sub[1] ?? '');
    else if (rel.startsWith('templates/')) templates.push({ path: p, text });
    else if (OVERLAY.test(rel) && rel !== 'values.schema.json') overlays.push({ path: p, text });
  }
  const source: ChartSource = { dir, overlays: overlays.sort((a, b) => (a.path < b.path ? -1 : 1)), subcharts: [...subNames].sort().map((n) => chartSource(files, `${dir}/charts/${n}`)), problems: [] };
  const chartYaml = file('Chart.yaml');
  const valuesYaml = file('values.yaml');
  const schemaJson = file('values.schema.json');
  const requirementsYaml = file('requirements.yaml');
  if (chartYaml) source.chartYaml = chartYaml;
  if (valuesYaml) source.valuesYaml = valuesYaml;
  if (schemaJson) source.schemaJson = schemaJson;
  if (requirementsYaml) source.requirementsYaml = requirementsYaml;
  if (templates.length > 0) source.templates = templates.sort((a, b) => (a.path < b.path ? -1 : 1));
  return source;
}

export interface AnalysisOptions {
  helmVersion?: HelmVersion;
  /** Environments configuration, as in the `helmValues.environments` setting. */
  config?: unknown[];
  /** Chart root inside the fixture. Default `/chart`. */
  root?: string;
  /** Compile each chart's values.schema.json (default true). */
  schemas?: boolean;
}

/** Builds the analysis of the chart at `/chart` from in-memory files. */
export function analysisOf(files: Map<string, string>, options: AnalysisOptions = {}): ChartAnalysis {
  const root = options.root ?? '/chart';
  if (!files.has(`${root}/Chart.yaml`)) files.set(`${root}/Chart.yaml`, 'apiVersion: v2\nname: chart\nversion: 1.0.0\n');
  const documents = new DocumentCache();
  const model = loadChart(chartSource(files, root), documents);
  const config = readEnvironmentConfig(options.config ?? [], 'test config');
  const { environments } = chartEnvironments(model, config.environments);
  return new ChartAnalysis({
    model,
    environments,
    resolveValues: (p) => {
      const abs = p.startsWith('/') ? p : `${root}/${p}`;
      const text = files.get(abs);
      return text === undefined ? { error: `${abs}: no such file` } : documents.get(abs, text);
    },
    readFile: (p) => files.get(p),
    helmVersion: options.helmVersion ?? NEWEST_RELEASE[4],
    documents,
    ...(options.schemas === false ? {} : { schemas: fixtureSchemas(files, defaultSchemaDraft(options.helmVersion ?? NEWEST_RELEASE[4])) }),
  });
}

/**
 * Fixture text of a chart `app` (1.0.0) with the subchart redis (1.2.0), its dependency entry completed by `dependency`
 * (`alias: cache`, `condition: redis.enabled`): each other part is the text of one file (`overlay` is values-prod.yaml);
 * `schema` and `redisSchema` add the charts' values.schema.json, `extra` (when given) more `#- ` files at the end.
 */
export function appWithRedis(parts: { dependency: string; values: string; overlay: string; redis: string; schema?: string; redisSchema?: string; extra?: string }): string {
  const schema = (dir: string, text: string | undefined) => (text === undefined ? '' : `#- ${dir}/values.schema.json\n${text}\n`);
  return `#- /chart/Chart.yaml
apiVersion: v2
name: app
version: 1.0.0
dependencies:
  - name: redis
    version: 1.x
    ${parts.dependency}
${schema('/chart', parts.schema)}#- /chart/values.yaml
${parts.values}
#- /chart/values-prod.yaml
${parts.overlay}
#- /chart/charts/redis/Chart.yaml
apiVersion: v2
name: redis
version: 1.2.0
${schema('/chart/charts/redis', parts.redisSchema)}#- /chart/charts/redis/values.yaml
${parts.redis}${parts.extra === undefined ? '' : `\n${parts.extra}`}`;
}

/** A fixture with a `$0` cursor, analysed: its files, the cursor's file and offset, and that file's text. */
export function analysisAtCursor(fixture: string, options: AnalysisOptions = {}): { analysis: ChartAnalysis; files: Map<string, string>; file: string; offset: number; text: string } {
  const fx = parseFixture(fixture);
  assert.ok(fx.cursor, 'fixture needs a $0 cursor');
  const { file, offset } = fx.cursor;
  return { analysis: analysisOf(fx.files, options), files: fx.files, file, offset, text: fx.files.get(file) ?? '' };
}

/** A fixture analysed, and the offset in `file` of the `$0` in `snippet` (which must occur, without the `$0`, in that file). */
export function analysisAtSnippet(fixture: string, file: string, snippet: string): { analysis: ChartAnalysis; files: Map<string, string>; offset: number; text: string } {
  const fx = parseFixture(fixture);
  const text = fx.files.get(file) ?? '';
  const plain = snippet.replace('$0', '');
  const at = text.indexOf(plain);
  assert.ok(at >= 0, `"${plain}" not in ${file}`);
  return { analysis: analysisOf(fx.files), files: fx.files, offset: at + snippet.indexOf('$0'), text };
}

/** Compiles fixture schemas in memory (relative `$ref`s read from the fixture files). */
export function fixtureSchemas(files: Map<string, string>, defaultDraft: SchemaDraft): SchemaLookup {
  const memo = new Map<string, CompiledSchema>();
  return (model) => {
    const f = model.schema;
    if (!f) return undefined;
    const hit = memo.get(f.path + '\u0000' + f.text);
    if (hit) return hit;
    const c = compileSchema(f, { defaultDraft, readFile: (p) => files.get(p) });
    memo.set(f.path + '\u0000' + f.text, c);
    return c;
  };
}

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url));

/**
 * A real chart of test/fixtures/corpus/charts (`rel` below it) as fixture files under `root`: its YAML files only
 * (Chart.yaml, values.yaml, overlays, subcharts), not templates.
 */
export function corpusFiles(rel: string, root = '/chart', out = new Map<string, string>()): Map<string, string> {
  const dir = join(CORPUS, rel);
  (function walk(d: string) {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'templates' && name !== 'hack') walk(p);
      } else if (/\.ya?ml$/.test(name)) out.set(`${root}/${relative(dir, p).split('\\').join('/')}`, readFileSync(p, 'utf8'));
    }
  })(dir);
  return out;
}

/** Every file called `name` below `dir`, depth first in directory order (e.g. the corpus's values.schema.json files). */
export function filesNamed(dir: string, name: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) filesNamed(p, name, out);
    else if (entry === name) out.push(p);
  }
  return out;
}
