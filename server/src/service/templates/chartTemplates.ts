// The template index of an analysed chart: each ChartAnalysis keeps the index of its snapshot in its own memo; the
// index itself lives per chart model in the host-owned ServiceCaches (modelIndex.ts), so the next snapshot's build
// reuses it (unchanged files keep their parse and references), and check finds the same index.
import type { ChartAnalysis } from '../analysis';
import { memoKey } from '../memo';
import type { TemplateIndex } from './templateIndex';
import { templateIndexOfModel } from './modelIndex';

export { templateChartOf, templateIndexOfModel } from './modelIndex';

/** This snapshot's index. */
const SNAPSHOT = memoKey<{ index?: TemplateIndex }>('templates.index', () => ({}));

/** The template index of an analysed chart (built once per snapshot, incrementally from the previous one). */
export function templateIndexOf(analysis: ChartAnalysis): TemplateIndex {
  const slot = analysis.memo.get(SNAPSHOT);
  if (slot.index) return slot.index;
  slot.index = templateIndexOfModel(analysis.model, analysis.caches);
  return slot.index;
}
