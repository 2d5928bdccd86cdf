// Plain results of the editor features, in offsets of the file's text (the LSP adapter converts to positions).

export interface FeatureOptions {
  /** The environment the user picked for this chart; undefined = all environments. */
  activeEnvironment?: string;
  /** The last comparison with a live release the user ran for this chart (hover: "live: … (differs)"). */
  live?: LiveComparison;
}

/** Drifted paths of one environment against its release (service/custody/drift.ts), keyed by formatted path. */
export interface LiveComparison {
  environment: string;
  release: string;
  changes: ReadonlyMap<string, { kind: 'live-only' | 'declared-only' | 'differs'; live?: unknown }>;
}

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
}

export interface InlayHintResult {
  offset: number;
  label: string;
  tooltip?: string;
}

export interface CodeLensResult {
  offset: number;
  title: string;
  /** Files and offsets to reveal when the lens is clicked (the layers named in the title). */
  targets: FileSpan[];
}

export interface FileSpan {
  file: string;
  start: number;
  end: number;
}

export interface SymbolResult {
  name: string;
  detail: string;
  kind: 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';
  start: number;
  end: number;
  selectionStart: number;
  selectionEnd: number;
  children: SymbolResult[];
}

export interface CompletionResult {
  label: string;
  kind: 'property' | 'value' | 'snippet';
  detail?: string;
  documentation?: string;
  /** Text to insert (a snippet when `snippet` is true), replacing [replaceStart, replaceEnd). */
  insertText: string;
  snippet?: boolean;
  replaceStart: number;
  replaceEnd: number;
  sortText?: string;
  /** The schema marks the key deprecated (shown struck through). */
  deprecated?: boolean;
}
