// The template index of a chart model, in the host-owned ServiceCaches: one per model (a model is replaced when one
// of its files changes, templates included), built incrementally from the latest index of the same chart directory
// (unchanged files keep their parse and references). Check asks here; `templateIndexOf(analysis)` too.
import type { ChartModel } from '../chart/chartModel';
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import { buildTemplateIndex, type TemplateChartInput, type TemplateIndex } from './templateIndex';

/** The chart tree's templates, each subchart under the keys Helm gives it (its aliases, else its name). */
export function templateChartOf(model: ChartModel): TemplateChartInput {
  const helmReads: { path: string[]; file: string; line: number }[] = [];
  for (const d of model.dependencies ?? []) {
    for (const c of d.condition?.split(',') ?? []) if (c.trim() !== '') helmReads.push({ path: c.trim().split('.'), file: d.file, line: d.line });
    for (const t of d.tags) helmReads.push({ path: ['tags', t], file: d.file, line: d.line });
  }
  return {
    dir: model.dir,
    helmReads,
    templates: model.templates ?? [],
    subcharts: model.subcharts.map((sub) => {
      const deps = (model.dependencies ?? []).filter((d) => d.name === sub.name);
      return { keys: deps.length > 0 ? deps.map((d) => d.alias ?? d.name) : [sub.name], chart: templateChartOf(sub) };
    }),
  };
}

/** Latest index per root chart directory, for incremental rebuilds across snapshots. */
const LATEST = memoKey('templates.latest-index', () => new Map<string, TemplateIndex>());
/** The index of each chart model. */
const BY_MODEL = memoKey('templates.index-by-model', () => new WeakMap<ChartModel, TemplateIndex>());

/** The template index of a chart model (built once per model, incrementally from the chart's previous index). */
export function templateIndexOfModel(model: ChartModel, caches: ServiceCaches): TemplateIndex {
  const byModel = caches.get(BY_MODEL);
  const hit = byModel.get(model);
  if (hit) return hit;
  const latest = caches.get(LATEST);
  const index = buildTemplateIndex(templateChartOf(model), latest.get(model.dir));
  latest.set(model.dir, index);
  byModel.set(model, index);
  return index;
}

/** The text of a template file of the chart tree (for locations in it), undefined when it is not one. */
export function templateTextOf(model: ChartModel, file: string): string | undefined {
  const t = (model.templates ?? []).find((x) => x.path === file);
  if (t) return t.text;
  for (const s of model.subcharts) {
    const text = templateTextOf(s, file);
    if (text !== undefined) return text;
  }
  return undefined;
}
