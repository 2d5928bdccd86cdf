// Parses a values file once into an immutable ValuesDocument: the values exactly as Helm reads them (go-yaml v2
// scalars, YAML 1.1 booleans, merge keys, last duplicate wins), an index of every key with its source span, and
// the problems a user should see. Never throws.
//
// Two readers give the same answer: a fast one for the block style nearly every values file uses (fastParse.ts),
// and the complete one built on yaml's composer (composedValues.ts) for everything else. An edited document can be
// re-read block by block (incremental.ts), parsing only the top-level keys whose text changed.
import { parseValuesDocumentComposed } from './composedValues';
import { fastParseValues } from './fastParse';
import { documentFromFastParse, optionsOf, rememberOptions, reparseByBlocks } from './incremental';
import type { KeyEntry, ParseValuesOptions, PathSegment, ValuesDocument } from './types';

export type { KeyEntry, ParseValuesOptions, PathSegment, ValuesDocument };

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
