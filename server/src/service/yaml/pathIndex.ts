// The one path and position index of a values document: every feature that asks "which key is at this path" or
// "which key is at this offset / line" asks it here, so they all answer by the same rule. Built lazily, once per
// document (the document owns it: `doc.index`), and never changed afterwards.
//
// Duplicates. A path can have several entries: a duplicate key in one map, or the same key in several YAML
// documents of one file. `entriesAt(path)` lists them all in document order (references, documentation: every
// place that writes the key). `keyAt(path)` is "the" entry: the last one, which is the one Helm keeps: a later
// duplicate key replaces an earlier one in its map, and a later YAML document overrides an earlier one (Helm 4;
// Helm 3 reads only the first document: pass `document: 0`).
import type { PathSegment } from '../values/paths';
import type { KeyEntry } from './keyEntry';

export class PathIndex {
  private byLast: Map<PathSegment | undefined, KeyEntry[]> | undefined;
  private byPosition: Map<string, KeyEntry> | undefined;
  private byOffset: Map<number, KeyEntry> | undefined;
  private ordinals: Map<KeyEntry, number> | undefined;

  constructor(private readonly entries: readonly KeyEntry[]) {}

  /**
   * Every entry with exactly this path, in document order (several with duplicate keys or YAML documents). The
   * index is keyed by the path's last segment (a string or a number, as it is: no key string is made per entry, which
   * is most of the cost of indexing a new version of a 6,000-line file), and a lookup compares the few paths ending
   * there.
   */
  entriesAt(path: readonly PathSegment[]): readonly KeyEntry[] {
    if (!this.byLast) {
      const index = new Map<PathSegment | undefined, KeyEntry[]>();
      for (const e of this.entries) {
        const k = e.path[e.path.length - 1];
        const list = index.get(k);
        if (list) list.push(e);
        else index.set(k, [e]);
      }
      this.byLast = index;
    }
    const bucket = this.byLast.get(path[path.length - 1]);
    if (!bucket) return NONE;
    let found: KeyEntry[] | undefined;
    for (const e of bucket) if (samePath(e.path, path)) (found ??= []).push(e);
    return found ?? NONE;
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

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}
