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
  private tree: SpanTree | 'scan' | undefined;

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
    return this.innermost(offset, inKey);
  }

  /** The innermost entry whose key span or (non-empty) value span contains the offset. */
  entryAt(offset: number): KeyEntry | undefined {
    return this.innermost(offset, inKeyOrValue);
  }

  /**
   * The deepest entry (longest path; the first in document order among equals) for which `contains` holds. A key
   * that starts at the offset owns it: the span of an entry that ends there (a map's value runs up to the next key)
   * does not count. Before, the first character of a key after a map answered with the map, so a hover on that
   * character showed the key above it.
   *
   * A hover or a go-to asks this of a 6,000-line file, and a scan of every entry was most of their time: thousands
   * of objects read after the editor sat idle, and a loop hot enough that V8 optimized it in the middle of the fourth
   * hover. So the entries are put in a tree once, when their spans nest as YAML's do (each entry's span, key to end of
   * value, inside its parent's or apart from it; a child's path longer than its parent's): then every entry that
   * contains the offset is an ancestor of the last entry starting at or before it, and the answer is the first one
   * found walking up from there. Entries whose spans do not nest so are scanned by the same rule (no reader makes
   * them today, keys merged in from an anchor included: they have no entries; the tree checks it as it is built).
   */
  private innermost(offset: number, contains: (e: KeyEntry, offset: number) => boolean): KeyEntry | undefined {
    const tree = (this.tree ??= spanTree(this.entries));
    if (tree === 'scan') {
      const startsHere = this.entries.some((e) => e.keyStart === offset);
      let best: KeyEntry | undefined;
      for (const e of this.entries) {
        if (!contains(e, offset) || (startsHere && spanEnd(e) === offset && e.keyStart < offset)) continue;
        if (!best || e.path.length > best.path.length) best = e;
      }
      return best;
    }
    const { starts, parents } = tree;
    let lo = 0;
    let hi = starts.length; // the first entry starting after the offset
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i = parents[i]!) {
      const e = this.entries[i]!;
      if (contains(e, offset)) return e;
    }
    return undefined;
  }

  /** Whether offset lookups walk the span tree (false: the entries' spans do not nest, and each lookup scans them). */
  get byTree(): boolean {
    return (this.tree ??= spanTree(this.entries)) !== 'scan';
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

/** Key starts in document order, and each entry's parent (the innermost entry whose span holds it; -1 at the top). */
interface SpanTree {
  readonly starts: Float64Array;
  readonly parents: Int32Array;
}

const inKey = (e: KeyEntry, offset: number): boolean => offset >= e.keyStart && offset <= e.keyEnd;
const inKeyOrValue = (e: KeyEntry, offset: number): boolean =>
  (offset >= e.keyStart && offset <= e.keyEnd) || (offset >= e.valueStart && offset <= e.valueEnd && e.valueEnd > e.valueStart);

/** Where an entry's span ends: its key's end, or its value's when that is not empty and ends later. */
const spanEnd = (e: KeyEntry): number => (e.valueEnd > e.valueStart ? Math.max(e.keyEnd, e.valueEnd) : e.keyEnd);

/**
 * The entries' tree by span, or 'scan' when they do not nest: starts out of document order, two spans that overlap
 * without one holding the other (a span that ends where the next starts is apart from it), a path no longer than its
 * parent's, a value span that begins before its key, or an empty span.
 */
function spanTree(entries: readonly KeyEntry[]): SpanTree | 'scan' {
  const n = entries.length;
  const starts = new Float64Array(n);
  const parents = new Int32Array(n);
  const stack: number[] = [];
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    if (i > 0 && e.keyStart < starts[i - 1]!) return 'scan';
    if ((e.valueEnd > e.valueStart && e.valueStart < e.keyStart) || spanEnd(e) <= e.keyStart) return 'scan';
    starts[i] = e.keyStart;
    ends[i] = spanEnd(e);
    while (stack.length > 0 && ends[stack[stack.length - 1]!]! <= e.keyStart) stack.pop(); // ending where e starts: apart
    const top = stack.length > 0 ? stack[stack.length - 1]! : -1;
    if (top >= 0 && (ends[top]! < ends[i]! || entries[top]!.path.length >= e.path.length)) return 'scan';
    parents[i] = top;
    stack.push(i);
  }
  return { starts, parents };
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = a.length - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}
