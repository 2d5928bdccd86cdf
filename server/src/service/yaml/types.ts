// What a parsed values file is, for every reader of it (the parsers build it, features read it).
import type { MemoTable } from '../memo';
import type { Finding, ValueMap } from '../types';
import type { KeyEntry, PathSegment } from './keyEntry';
import type { PathIndex } from './pathIndex';

export type { KeyEntry, PathSegment };

/**
 * A parsed values file. Read-only: never mutated after creation (later versions may share unchanged values).
 * It owns its lazily built indexes: `index` (paths and positions) and `memo` (facts other modules derive from it).
 */
export interface ValuesDocument {
  readonly file: string;
  readonly text: string;
  /** One map per YAML document (Helm 4 merges them in order; Helm 3 reads the first). */
  readonly documents: readonly ValueMap[];
  /** Every key and list item in document order. */
  readonly entries: readonly KeyEntry[];
  /** The entry that supplied `container[key]` for every container built from this file. */
  entryOf(container: object, key: PathSegment): KeyEntry | undefined;
  /** The file that supplied `container[key]`, when it is not `file` (a document merged from several files). */
  fileOf?(container: object, key: PathSegment): string | undefined;
  readonly problems: readonly Finding[];
  /** Converts a 0-based offset into a 1-based line and column. */
  position(offset: number): { line: number; column: number };
  /** The one path and position index of this document (see pathIndex.ts for the rule on duplicates). */
  readonly index: PathIndex;
  /** Memos of facts derived from this document alone, dropped with it. */
  readonly memo: MemoTable;
}

/** Limits for reading untrusted values files. */
export interface ParseValuesOptions {
  /** Cap on nodes produced by expanding aliases (an "alias bomb" guard). Default 100,000. */
  maxAliasNodes?: number;
}
