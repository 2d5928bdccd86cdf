// Parses a values file once into an immutable ValuesDocument: the values exactly as Helm reads them (go-yaml v2
// scalars, YAML 1.1 booleans, merge keys, last duplicate wins), an index of every key with its source span, and
// the problems a user should see. Never throws.
//
// Two readers give the same answer: a fast one for the block style nearly every values file uses (fastParse.ts),
// and the complete one built on yaml's composer (composedValues.ts) for everything else. An edited document can be
// re-read block by block (incremental.ts), parsing only the top-level keys whose text changed.
import type { Finding, ValueMap } from '../types';
import { parseValuesDocumentComposed } from './composedValues';
import { fastParseValues } from './fastParse';
import { documentFromFastParse, optionsOf, rememberOptions, reparseByBlocks } from './incremental';

/** A map key, or a list index. */
export type PathSegment = string | number;

/** One key (or list item) of a values file, with its source span. Offsets are 0-based into the text. */
export interface KeyEntry {
  readonly path: readonly PathSegment[];
  readonly document: number;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** 1-based line and column of the key (of the item, for list items). */
  readonly line: number;
  readonly column: number;
}

/** A parsed values file. Read-only: never mutated after creation (later versions may share unchanged values). */
export interface ValuesDocument {
  readonly file: string;
  readonly text: string;
  /** One map per YAML document (Helm 4 merges them in order; Helm 3 reads the first). */
  readonly documents: readonly ValueMap[];
  /** Every key and list item in document order. */
  readonly entries: readonly KeyEntry[];
  /** The entry that supplied `container[key]` for every container built from this file. */
  entryOf(container: object, key: PathSegment): KeyEntry | undefined;
  readonly problems: readonly Finding[];
  /** Converts a 0-based offset into a 1-based line and column. */
  position(offset: number): { line: number; column: number };
}

/** Limits for reading untrusted values files. */
export interface ParseValuesOptions {
  /** Cap on nodes produced by expanding aliases (an "alias bomb" guard). Default 100,000. */
  maxAliasNodes?: number;
}

/** Reads a values file the way Helm does, with the span of every key and the problems a user should see. */
export function parseValuesDocument(file: string, text: string, options: ParseValuesOptions = {}): ValuesDocument {
  const fast = fastParseValues(file, text);
  return fast ? documentFromFastParse(file, text, fast, options) : rememberOptions(parseValuesDocumentComposed(file, text, options), options);
}

/**
 * The document for a new version of `previous`'s text: the same result as `parseValuesDocument(previous.file,
 * text)` (with the options `previous` was parsed with), but only the top-level keys whose text changed are parsed
 * again; the others are reused from `previous`.
 */
export function reparseValuesDocument(previous: ValuesDocument, text: string): ValuesDocument {
  const options = optionsOf(previous);
  const doc = reparseByBlocks(previous, text);
  if (doc === 'declined') return rememberOptions(parseValuesDocumentComposed(previous.file, text, options), options);
  return doc ?? parseValuesDocument(previous.file, text, options);
}
