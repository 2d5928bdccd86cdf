// Go to definition (override -> the key it overrides in the layer below), references (every layer setting a key),
// document symbols with YAML paths.
import type { ChartAnalysis } from '../analysis';
import type { ValuesDocument } from '../yaml/valuesDocument';
import type { FileSpan, SymbolResult } from './types';

export function computeDefinition(analysis: ChartAnalysis, file: string, offset: number): FileSpan[] {
  void analysis;
  void file;
  void offset;
  return [];
}

export function computeReferences(analysis: ChartAnalysis, file: string, offset: number): FileSpan[] {
  void analysis;
  void file;
  void offset;
  return [];
}

export function computeDocumentSymbols(doc: ValuesDocument): SymbolResult[] {
  void doc;
  return [];
}
