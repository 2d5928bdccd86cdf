// Shared position helpers for features: which key of a values document is at an offset.
import type { KeyEntry, ValuesDocument } from '../yaml/valuesDocument';

/** The innermost entry whose key (or, for list items, item start) or value span contains the offset. */
export function entryAt(doc: ValuesDocument, offset: number): KeyEntry | undefined {
  let best: KeyEntry | undefined;
  for (const e of doc.entries) {
    const inKey = offset >= e.keyStart && offset <= e.keyEnd;
    const inValue = offset >= e.valueStart && offset <= e.valueEnd && e.valueEnd > e.valueStart;
    if (!inKey && !inValue) continue;
    if (!best || e.path.length > best.path.length) best = e;
  }
  return best;
}

/** Entries of a document with exactly this path (several with duplicate keys or multiple documents). */
export function entriesWithPath(doc: ValuesDocument, path: readonly (string | number)[]): KeyEntry[] {
  return doc.entries.filter((e) => e.path.length === path.length && e.path.every((s, i) => s === path[i]));
}
