// The chart model: Chart.yaml metadata, dependencies, default values and subcharts, parsed from a ChartSource.
// Immutable once built; the engine makes its own working copies.
import type { ChartSource, Finding, TextFile } from '../types';
import { DocumentCache } from '../yaml/documentCache';
import type { ValuesDocument } from '../yaml/valuesDocument';

export interface Dependency {
  name: string;
  alias?: string;
  condition?: string;
  tags: string[];
  /** As written: strings (exports form) or `{child, parent}` maps. */
  importValues: unknown[];
  version?: string;
  repository?: string;
  /** 1-based line of the entry in Chart.yaml / requirements.yaml. */
  line: number;
  file: string;
}

export interface ChartModel {
  name: string;
  version: string;
  apiVersion: string;
  dir: string;
  chartFile?: string;
  /** The chart's values.yaml, parsed (absent if the chart has none). */
  values?: ValuesDocument;
  schema?: TextFile;
  /** `undefined` when Chart.yaml declares none (Helm then keeps every chart under charts/ as is). */
  dependencies?: Dependency[];
  subcharts: ChartModel[];
  /** Overlay files found by convention (values-<env>.yaml, values.<env>.yaml, values/<env>.yaml, ci/*.yaml), unparsed. */
  overlays: readonly TextFile[];
  /** Chart-level problems: unreadable files, a broken Chart.yaml, dependencies missing from charts/. */
  problems: Finding[];
  /** Files under templates/, unparsed (the template index reads them: service/templates/). */
  templates?: readonly TextFile[];
}

function fileFinding(file: string, severity: Finding['severity'], code: string, message: string, line = 1, column = 1): Finding {
  return { file, line, column, endLine: line, endColumn: column + 1, severity, code, message };
}

interface Meta {
  name?: string;
  version?: string;
  apiVersion?: string;
  dependencies?: Dependency[];
}

function readMeta(file: TextFile, problems: Finding[], cache: DocumentCache): Meta {
  // Chart.yaml is read with Helm's own scalar rules too (`parent: .` is the string ".", `version: 1.10` a float).
  const doc = cache.get(file.path, file.text);
  for (const p of doc.problems) if (p.severity === 'error') problems.push({ ...p, message: `${file.path}: ${p.message}` });
  if (doc.problems.some((p) => p.severity === 'error')) return {};
  const js = (doc.documents[0] ?? {}) as Record<string, unknown>;
  const lineOf = (i: number) => doc.index.keyAt(['dependencies', i])?.line ?? 1;
  const meta: Meta = {};
  if (js.name !== undefined) meta.name = String(js.name);
  if (js.version !== undefined) meta.version = String(js.version);
  if (js.apiVersion !== undefined) meta.apiVersion = String(js.apiVersion);
  if (Array.isArray(js.dependencies)) {
    const deps: Dependency[] = [];
    meta.dependencies = deps;
    js.dependencies.forEach((d: unknown, i: number) => {
      const line = lineOf(i);
      if (d === null || typeof d !== 'object' || Array.isArray(d)) {
        problems.push(fileFinding(file.path, 'error', 'helm.bad-dependency', `Dependency #${i + 1} in ${file.path} is not a map.`, line));
        return;
      }
      const r = d as Record<string, unknown>;
      if (typeof r.name !== 'string' || r.name === '') {
        problems.push(fileFinding(file.path, 'error', 'helm.bad-dependency', `Dependency #${i + 1} in ${file.path} has no name.`, line));
        return;
      }
      const dep: Dependency = {
        name: r.name,
        tags: Array.isArray(r.tags) ? r.tags.map(String) : [],
        importValues: Array.isArray(r['import-values']) ? (r['import-values'] as unknown[]) : [],
        line,
        file: file.path,
      };
      if (typeof r.alias === 'string' && r.alias !== '') dep.alias = r.alias;
      if (r.condition !== undefined && r.condition !== null) dep.condition = String(r.condition);
      if (r.version !== undefined && r.version !== null) dep.version = String(r.version);
      if (typeof r.repository === 'string') dep.repository = r.repository;
      deps.push(dep);
    });
  }
  return meta;
}

/** Builds the chart model. Never throws: problems are collected on the model. */
export function loadChart(source: ChartSource, cache: DocumentCache = new DocumentCache()): ChartModel {
  const problems: Finding[] = [...source.problems];
  let meta: Meta = {};
  if (source.chartYaml) meta = readMeta(source.chartYaml, problems, cache);
  else problems.push(fileFinding(source.dir, 'error', 'helm.no-chart-yaml', `${source.dir}: no Chart.yaml; this is not a Helm chart directory.`));
  if (source.requirementsYaml && (meta.apiVersion ?? 'v1') === 'v1') {
    const req = readMeta(source.requirementsYaml, problems, cache);
    if (req.dependencies) meta.dependencies = req.dependencies;
  }
  const name = meta.name ?? source.dir.replace(/\/+$/, '').split('/').pop() ?? 'chart';
  const subcharts = source.subcharts.map((s) => loadChart(s, cache));
  const model: ChartModel = {
    name,
    version: meta.version ?? '',
    apiVersion: meta.apiVersion ?? 'v1',
    dir: source.dir,
    subcharts,
    overlays: source.overlays,
    problems,
  };
  if (source.chartYaml) model.chartFile = source.chartYaml.path;
  if (source.valuesYaml) model.values = cache.get(source.valuesYaml.path, source.valuesYaml.text);
  if (source.schemaJson) model.schema = source.schemaJson;
  if (source.templates) model.templates = source.templates;
  if (meta.dependencies) {
    model.dependencies = meta.dependencies;
    for (const dep of meta.dependencies) {
      if (!subcharts.some((s) => s.name === dep.name)) {
        problems.push(
          fileFinding(
            dep.file,
            'info',
            'helm.missing-dependency',
            `Dependency "${dep.name}" is not in ${source.dir}/charts/ (run \`helm dependency build\`); its default values are left out of the effective values.`,
            dep.line,
          ),
        );
      }
    }
  }
  return model;
}
