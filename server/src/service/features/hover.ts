// Hover on a key of any values file: effective value per environment, winning layer, shadowed layers, docs.
import type { ChartAnalysis } from '../analysis';
import type { FeatureOptions, HoverResult } from './types';

export function computeHover(analysis: ChartAnalysis, file: string, offset: number, options: FeatureOptions): HoverResult | undefined {
  void analysis;
  void file;
  void offset;
  void options;
  return undefined;
}
