// The effective values of one environment as a YAML document, each leaf annotated with the layer it came from.
import type { ChartAnalysis } from '../analysis';

export function renderEffectiveValues(analysis: ChartAnalysis, environment: string, annotate: boolean): { text: string; error?: string } {
  void analysis;
  void environment;
  void annotate;
  return { text: '' };
}

/** Markdown explaining the precedence chain of the key at an offset (the "Explain Key" command). */
export function explainAt(analysis: ChartAnalysis, file: string, offset: number): { path: string; markdown: string } | undefined {
  void analysis;
  void file;
  void offset;
  return undefined;
}
