// Precedence inline: inlay hints and code lenses on overridden keys and on overrides.
import type { ChartAnalysis } from '../analysis';
import type { CodeLensResult, FeatureOptions, InlayHintResult } from './types';

export function computeInlayHints(analysis: ChartAnalysis, file: string, start: number, end: number, options: FeatureOptions): InlayHintResult[] {
  void analysis;
  void file;
  void start;
  void end;
  void options;
  return [];
}

export function computeCodeLenses(analysis: ChartAnalysis, file: string, options: FeatureOptions): CodeLensResult[] {
  void analysis;
  void file;
  void options;
  return [];
}
