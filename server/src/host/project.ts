// Host glue under the project model (projectModel.ts): load a chart from disk into the service's model, overlay open
// texts, resolve values paths.
import * as path from 'node:path';
import { loadChart, type ChartModel } from '../service/chart/chartModel';
import type { Environment } from '../service/chart/environments';
import type { ChartSource } from '../service/types';
import { DocumentCache } from '../service/yaml/documentCache';
import type { ValuesDocument } from '../service/yaml/valuesDocument';
import { readChartDir, readTextFile, type FileReader } from './chartReader';

export interface LoadedChart {
  model: ChartModel;
  /** Absolute chart directory. */
  absDir: string;
  /** The chart directory as the user wrote it (display paths start with it). */
  displayDir: string;
  /** Parsed documents of this chart's files (and of values files resolved for it). */
  documents: DocumentCache;
}

/** Replaces the text of files that are open in an editor (absolute path -> text) in a ChartSource tree. */
export function withOpenTexts(source: ChartSource, absDir: string, displayDir: string, open: ReadonlyMap<string, string>): ChartSource {
  if (open.size === 0) return source;
  const abs = (display: string) => path.resolve(absDir, path.relative(displayDir, display));
  const patch = <T extends { path: string; text: string } | undefined>(f: T): T => {
    if (!f) return f;
    const t = open.get(abs(f.path));
    return t === undefined ? f : { ...f, text: t };
  };
  const walk = (s: ChartSource): ChartSource => ({
    ...s,
    chartYaml: patch(s.chartYaml),
    requirementsYaml: patch(s.requirementsYaml),
    valuesYaml: patch(s.valuesYaml),
    schemaJson: patch(s.schemaJson),
    overlays: s.overlays.map((o) => patch(o)),
    subcharts: s.subcharts.map(walk),
    ...(s.templates ? { templates: s.templates.map((t) => patch(t)) } : {}),
  });
  return walk(source);
}

export function loadChartAt(dir: string, displayDir = dir, open: ReadonlyMap<string, string> = new Map(), documents: DocumentCache = new DocumentCache()): LoadedChart {
  const absDir = path.resolve(dir);
  const source = withOpenTexts(readChartDir(dir, { displayDir }), absDir, displayDir, open);
  return { model: loadChart(source, documents), absDir, displayDir, documents };
}

/**
 * A resolver for values paths. `base` is the directory relative paths start from (the chart directory for
 * environments; the current directory for `-f`, as Helm does). Parsed documents are cached by display path.
 */
export function valuesResolver(chart: LoadedChart, base: string, displayBase: string, open: ReadonlyMap<string, string> = new Map(), files?: FileReader): (p: string) => ValuesDocument | { error: string } {
  const known = new Map<string, { path: string; text: string }>();
  const all = (m: ChartModel) => [...(m.values ? [{ path: m.values.file, text: m.values.text }] : []), ...m.overlays];
  for (const f of all(chart.model)) known.set(path.resolve(chart.absDir, path.relative(chart.displayDir, f.path)), f);
  return (p: string) => {
    if (p === '-') return { error: 'reading values from standard input (-f -) is not supported; pass a file' };
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return { error: `${p}: remote values files are not fetched (no network); download it and pass the file` };
    const abs = path.resolve(base, p);
    const hit = known.get(abs);
    if (hit) return chart.documents.get(hit.path, hit.text);
    const display = path.isAbsolute(p) ? p : displayBase === '' || displayBase === '.' ? p : path.join(displayBase, p);
    const openText = open.get(abs);
    const r = openText !== undefined ? { text: openText } : readTextFile(abs, undefined, files);
    if ('error' in r) return { error: r.error.replace(abs, display) };
    known.set(abs, { path: display, text: r.text });
    return chart.documents.get(display, r.text);
  };
}

/** Configured environments' `--set-file` paths resolve against the chart directory, like their values files. */
export function anchorSetFiles(envs: readonly Environment[], chartDir: string): Environment[] {
  return envs.map((e) => ({
    ...e,
    setFile: e.setFile.map((spec) => {
      const eq = spec.indexOf('=');
      if (eq < 0) return spec;
      const p = spec.slice(eq + 1);
      return p === '' || path.isAbsolute(p) ? spec : `${spec.slice(0, eq + 1)}${path.resolve(chartDir, p)}`;
    }),
  }));
}

/** Helm fails on a values file it cannot parse: the first such problem of the files, phrased with file and line. */
export function unreadableValues(docs: readonly ValuesDocument[]): string | undefined {
  for (const d of docs) {
    const p = d.problems.find((x) => x.severity === 'error' && (x.code === 'yaml.syntax' || x.code === 'yaml.not-a-map' || x.code === 'yaml.alias-limit'));
    if (p) return `failed to parse ${d.file}:${p.line}:${p.column}: ${p.message}`;
  }
  return undefined;
}
