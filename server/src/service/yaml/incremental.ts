// Re-reading an edited values file block by block. A block is one key of the root map: from the line where that
// key starts (at column 0) to the line where the next one starts, so the blank and comment lines before a key
// belong to the block above it. yaml lets such lines extend the range of the value above them (a trailing comment
// is part of a collection's span), so a block must own the lines after its key, not the lines before it.
//
// Each document remembers its blocks (by text). A new version of the text is cut into blocks the same way; blocks
// whose text is unchanged are copied from the previous document (moved to their new offsets and lines), the others
// are read alone by the fast reader, and the root map is assembled as a full parse would build it: last duplicate
// wins, with the same duplicate-key finding. Anything the block model cannot express (more than one document, a
// root that is not a block map, a block the fast reader declines, a tab or `...` at column 0) returns undefined,
// and the caller parses the whole text.
import type { Finding, ValueMap } from '../types';
import { setOwn } from '../values/valueUtil';
import { fastParseValues, linePosition, lineStartsOf, type DuplicateRef, type FastParse, type RootItem } from './fastParse';
import { duplicateKeyFinding } from './valueFindings';
import type { KeyEntry, ParseValuesOptions, PathSegment, ValuesDocument } from './types';
import { MemoTable, memoKey } from '../memo';
import { PathIndex } from './pathIndex';

/** What a document read by the fast reader (or assembled from blocks) is made of. */
interface Parts {
  readonly documentCount: number;
  readonly entries: readonly KeyEntry[];
  readonly owners: readonly object[];
  readonly problems: readonly Finding[];
  readonly duplicates: ReadonlyMap<number, DuplicateRef>;
  readonly roots: readonly RootItem[];
}

/** One root key's share of a document: its entries and problems run from its RootItem's indexes to these ends. */
interface Block {
  readonly start: number;
  /** 0-based index of its first line. */
  readonly line: number;
  readonly item: RootItem;
  readonly entryEnd: number;
  readonly problemEnd: number;
  readonly parts: Parts;
}

interface DocumentState {
  readonly options: ParseValuesOptions;
  readonly parts?: Parts;
  /** The document's blocks by their text; computed on first use for a document from a full parse. */
  blocks?: ReadonlyMap<string, Block>;
}

/** What a reparse of a document can reuse, kept in the document's own memo. */
const STATE = memoKey<{ state?: DocumentState }>('yaml.reparse-state', () => ({}));
const states = {
  get: (doc: ValuesDocument): DocumentState | undefined => doc.memo.get(STATE).state,
  set: (doc: ValuesDocument, state: DocumentState): void => {
    doc.memo.get(STATE).state = state;
  },
};

/** Builds the document for a fast parse of the whole text, remembering what a later reparse can reuse. */
export function documentFromFastParse(file: string, text: string, fast: FastParse, options: ParseValuesOptions): ValuesDocument {
  const doc = makeDocument(file, text, fast.documents, fast.entries, fast.owners, fast.problems, fast.lineStarts);
  states.set(doc, { options, parts: { documentCount: fast.documents.length, ...fast } });
  return doc;
}

/** Remembers the options of a document read by the composer, for its reparse. */
export function rememberOptions(doc: ValuesDocument, options: ParseValuesOptions): ValuesDocument {
  states.set(doc, { options });
  return doc;
}

/** The options a document was parsed with (none for a document this module has not seen). */
export function optionsOf(doc: ValuesDocument): ParseValuesOptions {
  return states.get(doc)?.options ?? {};
}

/**
 * The document for `text`, reusing the blocks of `previous` whose text is unchanged. Undefined when the text is not
 * cut into blocks; 'declined' when a changed block is outside what the fast reader reads, and so is the whole text
 * (a block reads the same alone as in its place).
 */
export function reparseByBlocks(previous: ValuesDocument, text: string): ValuesDocument | 'declined' | undefined {
  const split = splitBlocks(text);
  if (!split) return undefined;
  const state = states.get(previous);
  const cache = state ? blocksOf(previous, state) : undefined;
  const file = previous.file;

  const root: ValueMap = {};
  const entries: KeyEntry[] = [];
  const owners: object[] = [];
  const problems: Finding[] = [];
  const duplicates = new Map<number, DuplicateRef>();
  const roots: RootItem[] = [];
  const parts: Parts = { documentCount: 1, entries, owners, problems, duplicates, roots };
  const blocks = new Map<string, Block>();
  const seen = new Map<string, number>();

  const count = split.starts.length;
  for (let b = 0; b < count; b++) {
    const start = split.starts[b] ?? 0;
    const line = split.lines[b] ?? 0;
    const blockText = text.slice(start, split.starts[b + 1] ?? text.length);
    let source = cache?.get(blockText);
    if (!source) {
      const fresh = fastParseValues(file, detached(blockText), start, line);
      if (!fresh) return 'declined';
      const item = fresh.roots[0];
      if (!item || fresh.documents.length !== 1 || fresh.roots.length !== 1) return undefined;
      source = { start, line, item, entryEnd: fresh.entries.length, problemEnd: fresh.problems.length, parts: { documentCount: 1, ...fresh } };
    }
    const delta = start - source.start;
    const lineDelta = line - source.line;
    const from = source.parts;
    const item = source.item;

    const entry = entries.length;
    const firstProblem = problems.length;
    for (let k = item.firstProblem; k < item.duplicatePoint; k++) copyProblem(from, k, delta, lineDelta, problems, duplicates);
    const duplicatePoint = problems.length;
    const itemEntry = from.entries[item.entry];
    if (!itemEntry) return undefined;
    const keyLine = itemEntry.line + lineDelta;
    const valueLine = item.valueLine + lineDelta;
    const dropped = seen.get(item.key);
    let duplicate = -1;
    if (dropped !== undefined) {
      duplicate = problems.length;
      const f = duplicateKeyFinding(item.key, valueLine, dropped);
      problems.push({
        file,
        line: keyLine,
        column: itemEntry.column,
        endLine: keyLine,
        endColumn: itemEntry.column + item.keyEnd - item.keyStart,
        severity: f.severity,
        code: f.code,
        message: f.message,
        offset: item.keyStart + delta,
        endOffset: item.keyEnd + delta,
      });
      duplicates.set(duplicate, { key: item.key, keptLine: valueLine, droppedLine: dropped });
    }
    seen.set(item.key, keyLine);
    for (let k = item.duplicate >= 0 ? item.duplicatePoint + 1 : item.duplicatePoint; k < source.problemEnd; k++) {
      copyProblem(from, k, delta, lineDelta, problems, duplicates);
    }
    for (let k = item.entry; k < source.entryEnd; k++) {
      const e = from.entries[k];
      if (!e) return undefined;
      entries.push(delta === 0 && lineDelta === 0 ? e : shiftEntry(e, delta, lineDelta));
      owners.push(k === item.entry ? root : (from.owners[k] ?? root));
    }
    setOwn(root, item.key, item.value);
    const moved: RootItem = {
      document: 0,
      key: item.key,
      value: item.value,
      keyStart: item.keyStart + delta,
      keyEnd: item.keyEnd + delta,
      valueLine,
      entry,
      firstProblem,
      duplicatePoint,
      duplicate,
    };
    roots.push(moved);
    blocks.set(blockText, { start, line, item: moved, entryEnd: entries.length, problemEnd: problems.length, parts });
  }

  const doc = makeDocument(file, text, [root], entries, owners, problems, undefined);
  states.set(doc, { options: state?.options ?? {}, parts, blocks });
  return doc;
}

/** A document's blocks, from its remembered parts; empty when the document is not one block map. */
function blocksOf(doc: ValuesDocument, state: DocumentState): ReadonlyMap<string, Block> {
  if (state.blocks) return state.blocks;
  const blocks = new Map<string, Block>();
  const parts = state.parts;
  const split = parts && parts.documentCount === 1 ? splitBlocks(doc.text) : undefined;
  if (parts && split && split.starts.length === parts.roots.length) {
    const text = doc.text;
    const count = split.starts.length;
    for (let b = 0; b < count; b++) {
      const item = parts.roots[b];
      const next = parts.roots[b + 1];
      const start = split.starts[b] ?? 0;
      if (!item || item.keyStart !== start) {
        blocks.clear();
        break;
      }
      blocks.set(text.slice(start, split.starts[b + 1] ?? text.length), {
        start,
        line: split.lines[b] ?? 0,
        item,
        entryEnd: next ? next.entry : parts.entries.length,
        problemEnd: next ? next.firstProblem : parts.problems.length,
        parts,
      });
    }
  }
  state.blocks = blocks;
  return blocks;
}

function copyProblem(from: Parts, k: number, delta: number, lineDelta: number, problems: Finding[], duplicates: Map<number, DuplicateRef>): void {
  const f = from.problems[k];
  if (!f) return;
  const dup = from.duplicates.get(k);
  if (dup) {
    const moved = { key: dup.key, keptLine: dup.keptLine + lineDelta, droppedLine: dup.droppedLine + lineDelta };
    duplicates.set(problems.length, moved);
    if (lineDelta !== 0) {
      problems.push(shiftFinding(f, delta, lineDelta, duplicateKeyFinding(moved.key, moved.keptLine, moved.droppedLine).message));
      return;
    }
  }
  problems.push(delta === 0 && lineDelta === 0 ? f : shiftFinding(f, delta, lineDelta, f.message));
}

function shiftFinding(f: Finding, delta: number, lineDelta: number, message: string): Finding {
  const out: Finding = {
    file: f.file,
    line: f.line + lineDelta,
    column: f.column,
    endLine: f.endLine + lineDelta,
    endColumn: f.endColumn,
    severity: f.severity,
    code: f.code,
    message,
  };
  if (f.offset !== undefined) out.offset = f.offset + delta;
  if (f.endOffset !== undefined) out.endOffset = f.endOffset + delta;
  return out;
}

function shiftEntry(e: KeyEntry, delta: number, lineDelta: number): KeyEntry {
  return {
    path: e.path,
    document: e.document,
    keyStart: e.keyStart + delta,
    keyEnd: e.keyEnd + delta,
    valueStart: e.valueStart + delta,
    valueEnd: e.valueEnd + delta,
    line: e.line + lineDelta,
    column: e.column,
  };
}

/**
 * A copy of a slice that shares no storage with the text it was cut from, so strings read from it do not keep
 * that whole text alive once the document that holds it is gone (V8 keeps a slice's parent).
 */
function detached(slice: string): string {
  return (' ' + slice).slice(1);
}

function makeDocument(
  file: string,
  text: string,
  documents: ValueMap[],
  entries: readonly KeyEntry[],
  owners: readonly object[],
  problems: readonly Finding[],
  lineStarts: number[] | undefined,
): ValuesDocument {
  let index: WeakMap<object, Map<PathSegment, KeyEntry>> | undefined;
  let starts = lineStarts;
  return {
    file,
    text,
    documents,
    entries,
    entryOf: (container, key) => {
      index ??= indexEntries(entries, owners);
      return index.get(container)?.get(key);
    },
    problems,
    position: (offset) => linePosition((starts ??= lineStartsOf(text)), offset),
    index: new PathIndex(entries),
    memo: new MemoTable(),
  };
}

function indexEntries(entries: readonly KeyEntry[], owners: readonly object[]): WeakMap<object, Map<PathSegment, KeyEntry>> {
  const index = new WeakMap<object, Map<PathSegment, KeyEntry>>();
  let lastOwner: object | undefined;
  let last: Map<PathSegment, KeyEntry> | undefined;
  entries.forEach((e, k) => {
    const owner = owners[k];
    if (!owner) return;
    if (owner !== lastOwner || !last) {
      last = index.get(owner);
      if (!last) {
        last = new Map();
        index.set(owner, last);
      }
      lastOwner = owner;
    }
    last.set(e.path[e.path.length - 1] ?? '', e);
  });
  return index;
}

const NL = 10;
const CR = 13;
const SP = 32;
const HASH = 35;
const DASH = 45;

/** Where the blocks of a text start (offsets and 0-based lines); undefined when the text is not one block map. */
export function splitBlocks(text: string): { starts: number[]; lines: number[] } | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  const starts: number[] = [];
  const lines: number[] = [];
  let documentStart = false;
  let line = 0;
  for (let s = 0; s < text.length; line++) {
    const nl = text.indexOf('\n', s);
    const next = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(s);
    if (c === SP) {
      // An indented line: inside a block, or blank or a comment before the first one.
      if (starts.length === 0 && !blankOrComment(text, s, next)) return undefined;
    } else if (c === HASH || c === NL || c === CR) {
      // A comment or blank line belongs to the block above it.
    } else if (isMarker(text, s, DASH)) {
      if (starts.length > 0 || documentStart || !markerLineOk(text, s, next)) return undefined;
      documentStart = true;
    } else if (c === DASH && isBlank(text.charCodeAt(s + 1))) {
      // A list item at column 0: the value of the key above it.
      if (starts.length === 0) return undefined;
    } else if (c === 9 || isMarker(text, s, 46)) {
      // A tab or `...` at column 0: leave those to the full parse.
      return undefined;
    } else {
      starts.push(s);
      lines.push(line);
    }
    s = next;
  }
  return starts.length > 0 ? { starts, lines } : undefined;
}

function isBlank(c: number): boolean {
  return c === SP || c === NL || c === CR || c === 9 || !(c >= 0);
}

function isMarker(text: string, s: number, c: number): boolean {
  return text.charCodeAt(s) === c && text.charCodeAt(s + 1) === c && text.charCodeAt(s + 2) === c && isBlank(text.charCodeAt(s + 3));
}

function markerLineOk(text: string, s: number, next: number): boolean {
  let j = s + 3;
  while (text.charCodeAt(j) === SP) j++;
  const c = text.charCodeAt(j);
  return j >= next || c === NL || c === CR || (c === HASH && j > s + 3);
}

function blankOrComment(text: string, s: number, next: number): boolean {
  let j = s;
  while (text.charCodeAt(j) === SP) j++;
  const c = text.charCodeAt(j);
  return j >= next || c === NL || c === CR || c === HASH;
}
