// `helm-values usages <chart-dir> <dotted.path> [-o text|json]`: the templates that read a values path, from the
// template index of the chart (its templates and its subcharts'). Files are relative to the chart directory.
import { ChartAnalysis } from '../service/analysis';
import { templateIndexOf } from '../service/templates/chartTemplates';
import { formatUsagePath, type TemplateUsage, type UsageKind } from '../service/templates/templateIndex';
import type { PathSegment } from '../service/values/paths';
import type { Project } from '../host/projectModel';

export interface UsagesJson {
  path: string;
  usages: { file: string; line: number; column: number; kind: UsageKind }[];
}

/** The usages of `path` (root coordinates) in the project's chart, in file order. */
export function usagesOf(project: Project, pathText: string, segments: readonly PathSegment[]): { json: UsagesJson; text: string[]; problems: string[] } {
  const index = templateIndexOf(new ChartAnalysis(project.input));
  const dir = project.chart.displayDir.replace(/\/+$/, '');
  const rel = (file: string): string => (file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file);
  const found = index.usagesOf(segments);
  // One entry per place a template reads it (a helper reached from several templates is listed once; text shows each call).
  const seen = new Set<string>();
  const json: UsagesJson = { path: pathText, usages: [] };
  for (const u of found) {
    const entry = { file: rel(u.file), line: u.line, column: u.column, kind: u.kind };
    const key = `${entry.file}:${entry.line}:${entry.column}:${entry.kind}`;
    if (!seen.has(key)) json.usages.push(entry);
    seen.add(key);
  }
  const describe = (u: TemplateUsage): string => {
    const via = u.via ? ` (via ${rel(u.via.file)}:${u.via.line})` : '';
    return `${rel(u.file)}:${u.line}:${u.column}: ${u.kind} ${formatUsagePath(u.path) || '.Values'}${via}`;
  };
  const text = found.length > 0 ? found.map(describe) : [`${pathText}: no template reads it${index.hasTemplates ? '' : ' (the chart has no templates)'}`];
  const problems = index.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
  return { json, text, problems };
}
