// The one path and position index of a values document: every feature that asks "which key is at this path" or
// "which key is at this offset / line" asks it here, so they all answer by the same rule. Built lazily, once per
// document (the document owns it: `doc.index`), and never changed afterwards.
//
// Duplicates. A path can have several entries: a duplicate key in one map, or the same key in several YAML
// documents of one file. `entriesAt(path)` lists them all in document order (references, documentation: every
// place that writes the key). `keyAt(path)` is "the" entry: the last one, which is the one Helm keeps: a later
// duplicate key replaces an earlier one in its map, and a later YAML document overrides an earlier one (Helm 4;
// Helm 3 reads only the first document: pass `document: 0`).
import { pathKey, type PathSegment } from '../values/paths';
import type { KeyEntry } from './keyEntry';

export class PathIndex {
  private byPath: Map<string, KeyEntry[]> | undefined;
  private byPosition: Map<string, KeyEntry> | undefined;
  private byOffset: Map<number, KeyEntry> | undefined;
  private ordinals: Map<KeyEntry, number> | undefined;

  constructor(private readonly entries: readonly KeyEntry[]) {}

  /** Lookups by path answered so far by scanning (see entriesAt). */
  private pathScans = 0;

  /**
   * Every entry with exactly this path, in document order (several with duplicate keys or YAML documents). The
   * first lookups of a document scan its entries: a new version of a big file is often asked a few times only (the
   * hovers after an edit), and a scan compares paths without making a key per entry, which building the map costs
   * (on a 6,000-line file a scan costs a small fraction of it); the map is built when more are asked.
   */
  entriesAt(path: readonly PathSegment[]): readonly KeyEntry[] {
    if (!this.byPath && this.pathScans++ < SCANS_BEFORE_MAP) {
      let found: KeyEntry[] | undefined;
      for (const e of this.entries) if (samePath(e.path, path)) (found ??= []).push(e);
      return found ?? NONE;
    }
    if (!this.byPath) {
      const index = new Map<string, KeyEntry[]>();
      for (const e of this.entries) {
        const k = pathKey(e.path);
        const list = index.get(k);
        if (list) list.push(e);
        else index.set(k, [e]);
      }
      this.byPath = index;
    }
    return this.byPath.get(pathKey(path)) ?? NONE;
  }

  /** The entry Helm keeps for a path: the last duplicate (of `document` only, when given). */
  keyAt(path: readonly PathSegment[], document?: number): KeyEntry | undefined {
    const all = this.entriesAt(path);
    for (let i = all.length - 1; i >= 0; i--) {
      const e = all[i];
      if (e && (document === undefined || e.document === document)) return e;
    }
    return undefined;
  }

  /**
   * The entry whose key (list items: whose item) starts at a 1-based line and column (YAML documents never share a
   * line; `document` only checks). Keys merged in from an anchor (`<<: *x`) start where the anchored key does: the
   * first entry in document order, the anchored key itself, answers.
   */
  atPosition(line: number, column: number, document?: number): KeyEntry | undefined {
    if (!this.byPosition) {
      const index = new Map<string, KeyEntry>();
      for (const e of this.entries) {
        const k = `${e.line}:${e.column}`;
        if (!index.has(k)) index.set(k, e);
      }
      this.byPosition = index;
    }
    const e = this.byPosition.get(`${line}:${column}`);
    return e && (document === undefined || e.document === document) ? e : undefined;
  }

  /** The entry whose key starts exactly at an offset (a finding's start); the first in document order, as above. */
  keyStartingAt(offset: number): KeyEntry | undefined {
    if (!this.byOffset) {
      const index = new Map<number, KeyEntry>();
      for (const e of this.entries) if (!index.has(e.keyStart)) index.set(e.keyStart, e);
      this.byOffset = index;
    }
    return this.byOffset.get(offset);
  }

  /** The innermost entry whose key span (list items: first character) contains the offset. */
  keyEntryAt(offset: number): KeyEntry | undefined {
    let best: KeyEntry | undefined;
    for (const e of this.entries) {
      if (offset < e.keyStart || offset > e.keyEnd) continue;
      if (!best || e.path.length > best.path.length) best = e;
    }
    return best;
  }

  /** The innermost entry whose key span or (non-empty) value span contains the offset. */
  entryAt(offset: number): KeyEntry | undefined {
    let best: KeyEntry | undefined;
    for (const e of this.entries) {
      const inKey = offset >= e.keyStart && offset <= e.keyEnd;
      const inValue = offset >= e.valueStart && offset <= e.valueEnd && e.valueEnd > e.valueStart;
      if (!inKey && !inValue) continue;
      if (!best || e.path.length > best.path.length) best = e;
    }
    return best;
  }

  /** The position of an entry in the document's entry list (-1 for an entry of another document). */
  ordinal(entry: KeyEntry): number {
    if (!this.ordinals) {
      const index = new Map<KeyEntry, number>();
      this.entries.forEach((e, i) => index.set(e, i));
      this.ordinals = index;
    }
    return this.ordinals.get(entry) ?? -1;
  }
}

const NONE: readonly KeyEntry[] = Object.freeze([]);
/** Path lookups of one document answered by scanning before the map is built (see entriesAt). */
const SCANS_BEFORE_MAP = 8;

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}
