// The chart model: Chart.yaml metadata, dependencies, default values and subcharts, parsed from a ChartSource.
// Immutable once built; the engine makes its own working copies.
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ChartSource, Finding, TextFile } from '../types';
import { parseValuesDocument, type ValuesDocument } from '../yaml/valuesDocument';

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
  /** Overlay files found by convention (values-<env>.yaml, values.<env>.yaml, values/<env>.yaml, ci/*.yaml). */
  overlays: ValuesDocument[];
  /** Chart-level problems: unreadable files, a broken Chart.yaml, dependencies missing from charts/. */
  problems: Finding[];
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

function readMeta(file: TextFile, problems: Finding[]): Meta {
  const lc = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lc, prettyErrors: false, version: '1.1' });
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    problems.push(fileFinding(file.path, 'error', 'yaml.syntax', `YAML syntax error in ${file.path}: ${e.message.split('\n')[0]}`, p.line, p.col));
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return {};
  const js = doc.toJS({ maxAliasCount: 50 }) as Record<string, unknown>;
  const meta: Meta = {};
  if (js.name !== undefined) meta.name = String(js.name);
  if (js.version !== undefined) meta.version = String(js.version);
  if (js.apiVersion !== undefined) meta.apiVersion = String(js.apiVersion);
  const depsNode = doc.get('dependencies', true);
  if (Array.isArray(js.dependencies) && isSeq(depsNode)) {
    const deps: Dependency[] = [];
    meta.dependencies = deps;
    js.dependencies.forEach((d: unknown, i: number) => {
      const node = depsNode.items[i] as { range?: [number, number, number] } | undefined;
      const line = node?.range ? lc.linePos(node.range[0]).line : 1;
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
export function loadChart(source: ChartSource): ChartModel {
  const problems: Finding[] = [...source.problems];
  let meta: Meta = {};
  if (source.chartYaml) meta = readMeta(source.chartYaml, problems);
  else problems.push(fileFinding(source.dir, 'error', 'helm.no-chart-yaml', `${source.dir}: no Chart.yaml; this is not a Helm chart directory.`));
  if (source.requirementsYaml && (meta.apiVersion ?? 'v1') === 'v1') {
    const req = readMeta(source.requirementsYaml, problems);
    if (req.dependencies) meta.dependencies = req.dependencies;
  }
  const name = meta.name ?? source.dir.replace(/\/+$/, '').split('/').pop() ?? 'chart';
  const subcharts = source.subcharts.map(loadChart);
  const model: ChartModel = {
    name,
    version: meta.version ?? '',
    apiVersion: meta.apiVersion ?? 'v1',
    dir: source.dir,
    subcharts,
    overlays: source.overlays.map((f) => parseValuesDocument(f.path, f.text)),
    problems,
  };
  if (source.chartYaml) model.chartFile = source.chartYaml.path;
  if (source.valuesYaml) model.values = parseValuesDocument(source.valuesYaml.path, source.valuesYaml.text);
  if (source.schemaJson) model.schema = source.schemaJson;
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
