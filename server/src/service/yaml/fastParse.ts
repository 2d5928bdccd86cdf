// A fast reader for the block style of YAML that nearly every values file is written in: block maps and lists,
// plain, quoted and block scalars, flow collections on one line, comments, `---`. One pass over the lines, no
// token objects, no AST, no composer. It answers exactly what the composer-based reader (composedValues.ts)
// answers, offsets included: where yaml's parser lets a trailing comment extend a value's or a collection's
// range, so does this reader (see `findNext` and `settle`).
//
// It gives up (returns undefined) on anything else, and the caller then uses the composer: anchors, aliases, tags,
// explicit (`?`) and complex keys, merge keys, multi-line plain or quoted scalars, multi-line flow collections,
// a plain scalar on its own line below blank or comment lines, tabs outside block scalar text, directives, `...`,
// a document that is not a block map, and every YAML error.

import { CST } from 'yaml';
import type { Finding, Value, ValueMap } from '../types';
import { isTable, setOwn } from '../values/valueUtil';
import { resolvePlainScalar } from './scalars';
import { booleanKeyFinding, duplicateKeyFinding, mapKeyString, plainScalarFinding, type FindingText } from './valueFindings';
import type { KeyEntry, PathSegment } from './keyEntry';

/** The facts a duplicate-key message is made of, kept so the message can be redone when its lines move. */
export interface DuplicateRef {
  readonly key: string;
  readonly keptLine: number;
  readonly droppedLine: number;
}

/** One key of a document's root map, with where its share of entries and problems begins. */
export interface RootItem {
  readonly document: number;
  readonly key: string;
  readonly value: Value;
  readonly keyStart: number;
  readonly keyEnd: number;
  /** 1-based line where the value starts (the kept line of a duplicate-key message). */
  readonly valueLine: number;
  /** Index of the item's own entry; the entries of its value follow it. */
  readonly entry: number;
  /** Index of the item's first problem. */
  readonly firstProblem: number;
  /** Where a duplicate-key finding for this key goes: after the key's own finding, before its value's. */
  readonly duplicatePoint: number;
  /** Index of the item's duplicate-key finding, or -1. */
  readonly duplicate: number;
}

/** What the fast reader found; offsets and lines are shifted by the `base` and `baseLine` it was given. */
export interface FastParse {
  readonly documents: ValueMap[];
  readonly entries: KeyEntry[];
  /** The container (map or list) each entry belongs to, index for index. */
  readonly owners: object[];
  readonly problems: Finding[];
  /** Problem index → the facts of that duplicate-key finding. */
  readonly duplicates: Map<number, DuplicateRef>;
  readonly roots: RootItem[];
  /** Line starts of the text read, as yaml's LineCounter records them. */
  readonly lineStarts: number[];
}

/**
 * Reads `text` if it is written in the block style this reader knows, else returns undefined. Offsets and lines of
 * the results are moved by `base` and `baseLine`, for a text that is a slice of a larger file at that place.
 */
export function fastParseValues(file: string, text: string, base = 0, baseLine = 0): FastParse | undefined {
  const parser = new FastParser(file, text, base, baseLine);
  return parser.run() ? parser.output() : undefined;
}

/** Line starts of a text: 0 and the offset after every `\n` (what yaml's LineCounter records). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** yaml's LineCounter.linePos: the 1-based line and column of an offset. */
export function linePosition(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((starts[mid] ?? 0) < offset) low = mid + 1;
    else high = mid;
  }
  if (starts[low] === offset) return { line: low + 1, column: 1 };
  if (low === 0) return { line: 0, column: offset };
  return { line: low, column: offset - (starts[low - 1] ?? 0) + 1 };
}

const TAB = 9;
const NL = 10;
const CR = 13;
const SP = 32;
const BANG = 33;
const DQ = 34;
const HASH = 35;
const PERCENT = 37;
const AMP = 38;
const SQ = 39;
const STAR = 42;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

/** yaml's lexer `isEmpty`: space, tab, line break or the end of the text (NaN). */
function isEmptyCode(c: number): boolean {
  return c === SP || c === NL || c === CR || c === TAB || !(c >= 0);
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
}

/** Characters that cannot start a plain scalar here (indicators, reserved characters, `- ` and friends). */
function badPlainStart(c: number, next: number): boolean {
  switch (c) {
    case BANG:
    case AMP:
    case STAR:
    case HASH:
    case LBRACE:
    case RBRACE:
    case LBRACKET:
    case RBRACKET:
    case PIPE:
    case GT:
    case SQ:
    case DQ:
    case PERCENT:
    case AT:
    case BACKTICK:
    case COMMA:
      return true;
    case DASH:
    case QUESTION:
    case COLON:
      return isEmptyCode(next);
    default:
      return false;
  }
}

/** Inside a flow collection, also `-`/`?` before a flow indicator, and any `:`. */
function badFlowPlainStart(c: number, next: number): boolean {
  if (c === COLON) return true;
  if ((c === DASH || c === QUESTION) && isFlowIndicator(next)) return true;
  return badPlainStart(c, next);
}

// How a plain scalar's scan ended.
const STOP_LINE = 0;
const STOP_COMMENT = 1;
const STOP_COLON = 2;
const STOP_INDICATOR = 3;

// What a value turned out to be, before it is read.
const V_EMPTY = 0;
const V_MAP = 1;
const V_SEQ = 2;
const V_PLAIN = 3;
const V_QUOTED = 4;
const V_FLOW = 5;
const V_BLOCK = 6;

/** A comment this far indented never extends a value: used where yaml's parser extends nothing. */
const NO_EXTENSION = 0x7fffffff;

type MutableEntry = { -readonly [K in keyof KeyEntry]: KeyEntry[K] };

class FastParser {
  private readonly n: number;
  private readonly ls: number[];
  /** Lines with text (a final empty line after the last `\n` is not one). */
  private readonly lineCount: number;
  private readonly bom: boolean;
  private tabs: Uint8Array | undefined;

  private readonly documents: ValueMap[] = [];
  private readonly entries: KeyEntry[] = [];
  private readonly owners: object[] = [];
  private readonly problems: Finding[] = [];
  private readonly duplicates = new Map<number, DuplicateRef>();
  private readonly roots: RootItem[] = [];
  private docIndex = 0;

  // The next line with content after a value ("T"), and what the comment lines before it mean.
  private tl = 0;
  private tIndent = 0;
  private tFirst = 0;
  private tDash = false;
  private tDoc = false;
  private tEof = false;
  private gapComment = false;
  private gapExtension = -1;
  private gapMaxCommentIndent = -1;
  /**
   * The comment lines after the last value, before T, that yaml's parser keeps as a trailing item of the
   * innermost collection it closes whose indent is not above their indent: the deepest such indent (-1: none).
   */
  private trail = -1;

  // Results of the last scan or read (read right after the call that sets them).
  private v: Value = null;
  private r1 = 0;
  private r2 = 0;
  private sEnd = 0;
  private sAt = 0;
  private kEnd = 0;
  private kColon = 0;
  private kQuoted = false;
  private vKind = V_EMPTY;
  private vLi = 0;
  private vr0 = 0;
  private vEnd = 0;
  private vLineEnd = 0;
  private vEmptyEnd = 0;
  private fEnd = 0;

  constructor(
    private readonly file: string,
    private readonly t: string,
    private readonly base: number,
    private readonly baseLine: number,
  ) {
    this.n = t.length;
    this.ls = lineStartsOf(t);
    const last = this.ls[this.ls.length - 1] ?? 0;
    this.lineCount = last < this.n ? this.ls.length : this.ls.length - 1;
    this.bom = t.charCodeAt(0) === 0xfeff;
  }

  output(): FastParse {
    return {
      documents: this.documents,
      entries: this.entries,
      owners: this.owners,
      problems: this.problems,
      duplicates: this.duplicates,
      roots: this.roots,
      lineStarts: this.ls,
    };
  }

  run(): boolean {
    const t = this.t;
    // A carriage return must end a line (CRLF); a lone one is a line break only some readers accept.
    for (let i = t.indexOf('\r'); i !== -1; i = t.indexOf('\r', i + 1)) {
      if (t.charCodeAt(i + 1) !== NL) return false;
    }
    if (t.indexOf('\ufeff', 1) !== -1) return false;
    let tab = t.indexOf('\t');
    if (tab !== -1) {
      const tabs = new Uint8Array(this.ls.length);
      let li = 0;
      while (tab !== -1) {
        while (li + 1 < this.ls.length && (this.ls[li + 1] ?? 0) <= tab) li++;
        tabs[li] = 1;
        tab = t.indexOf('\t', tab + 1);
      }
      this.tabs = tabs;
    }
    return this.stream();
  }

  // ---- lines ----

  private lineStart(li: number): number {
    return (this.ls[li] ?? this.n) + (li === 0 && this.bom ? 1 : 0);
  }

  /** Offset of the line break ending line li (before a CR of CRLF), or the end of the text. */
  private contentEnd(li: number): number {
    const next = this.ls[li + 1];
    if (next === undefined) return this.n;
    return this.t.charCodeAt(next - 2) === CR && next - 2 >= (this.ls[li] ?? 0) ? next - 2 : next - 1;
  }

  private nextStart(li: number): number {
    return this.ls[li + 1] ?? this.n;
  }

  private hasTab(li: number): boolean {
    return this.tabs !== undefined && this.tabs[li] === 1;
  }

  // ---- documents ----

  private stream(): boolean {
    const t = this.t;
    let open = false;
    let current: ValueMap | undefined;
    let li = 0;
    while (li < this.lineCount) {
      if (this.hasTab(li)) return false;
      const s = this.lineStart(li);
      let i = s;
      while (t.charCodeAt(i) === SP) i++;
      const c = t.charCodeAt(i);
      if (i >= this.n || c === NL || c === CR || c === HASH) {
        li++;
        continue;
      }
      if (i === s && this.isMarker(i, DASH)) {
        if (!this.markerLineOk(li, i)) return false;
        if (open) this.documents.push(current ?? {});
        open = true;
        current = undefined;
        li++;
        continue;
      }
      if (current !== undefined || i !== s || (i === s && this.isMarker(i, DOT))) return false;
      open = true;
      this.docIndex = this.documents.length;
      if (!this.parseMap(li, i, 0, [], true)) return false;
      current = isTable(this.v) ? this.v : {};
      if (!this.tEof && !this.tDoc) return false;
      li = this.tl;
    }
    if (open) this.documents.push(current ?? {});
    if (this.documents.length === 0) this.documents.push({});
    return true;
  }

  /** `---` or `...` at i, followed by white space or the end. */
  private isMarker(i: number, c: number): boolean {
    const t = this.t;
    return t.charCodeAt(i) === c && t.charCodeAt(i + 1) === c && t.charCodeAt(i + 2) === c && isEmptyCode(t.charCodeAt(i + 3));
  }

  /** A `---` line with nothing after the marker but spaces and a comment. */
  private markerLineOk(li: number, i: number): boolean {
    const e = this.contentEnd(li);
    let j = i + 3;
    while (this.t.charCodeAt(j) === SP) j++;
    return j >= e || (this.t.charCodeAt(j) === HASH && j > i + 3);
  }

  // ---- the line after a value ----

  /**
   * Finds T, the next line with content from line `from` on, and reads the blank and comment lines before it the
   * way yaml's parser distributes them. After a single-line value whose collection is indented `ext`, a run of
   * comment lines indented more than `ext` (blank lines between them allowed) extends the value's range: they end
   * at `gapExtension`. The comment lines after that become a trailing item whose deepest indent is
   * `gapMaxCommentIndent`.
   */
  private findNext(from: number, ext: number): boolean {
    const t = this.t;
    this.gapComment = false;
    this.gapExtension = -1;
    this.gapMaxCommentIndent = -1;
    let extending = true;
    for (let li = from; li < this.lineCount; li++) {
      if (this.hasTab(li)) return false;
      const s = this.ls[li] ?? this.n;
      let i = s;
      while (t.charCodeAt(i) === SP) i++;
      const c = t.charCodeAt(i);
      if (i >= this.n || c === NL || c === CR) continue;
      if (c === HASH) {
        this.gapComment = true;
        const indent = i - s;
        if (extending && indent > ext) {
          this.gapExtension = this.nextStart(li);
        } else {
          extending = false;
          if (indent > this.gapMaxCommentIndent) this.gapMaxCommentIndent = indent;
        }
        continue;
      }
      this.tl = li;
      this.tIndent = i - s;
      this.tFirst = i;
      this.tEof = false;
      this.tDoc = i === s && this.isMarker(i, DASH);
      if (this.tDoc) {
        this.tIndent = -1;
        if (!this.markerLineOk(li, i)) return false;
      } else if (i === s && this.isMarker(i, DOT)) {
        return false;
      }
      this.tDash = !this.tDoc && c === DASH && isEmptyCode(t.charCodeAt(i + 1));
      return true;
    }
    this.tl = this.lineCount;
    this.tIndent = -1;
    this.tFirst = this.n;
    this.tDash = false;
    this.tDoc = false;
    this.tEof = true;
    return true;
  }

  /** True when T is not a line of a collection indented `indent` (it is less indented, `---` or the end). */
  private closes(indent: number): boolean {
    return this.tEof || this.tDoc || this.tIndent < indent;
  }

  /**
   * The end (range[2]) of a collection indented `indent` that T closes, whose content ends at r1. yaml's parser
   * keeps the comment lines after the last value as a trailing item of the innermost collection it closes whose
   * indent is not 0 and not above the deepest of those comments: that collection then ends where T begins.
   */
  private settle(indent: number, r1: number): number {
    if (indent !== 0 && this.trail >= indent) {
      this.trail = -1;
      return this.tFirst;
    }
    return r1;
  }

  // ---- collections ----

  /** A block map whose first key starts at offset p of line li, indented `mi`. */
  private parseMap(li: number, p: number, mi: number, path: PathSegment[], root: boolean): boolean {
    const out: ValueMap = {};
    let seen: Map<string, number> | undefined;
    let lastR2 = p;
    for (;;) {
      const e = this.contentEnd(li);
      if (!this.scanKey(p, e)) return false;
      const keyStart = p;
      const keyEnd = this.kEnd;
      const colon = this.kColon;
      // yaml: "The : indicator must be at most 1024 chars after the start of an implicit block mapping key".
      if (colon - keyStart > 1000) return false;
      const firstProblem = this.problems.length;
      const key = this.keyOf(keyStart, keyEnd, this.kQuoted, li);
      if (key === undefined) return false;
      let q = colon + 1;
      while (this.t.charCodeAt(q) === SP) q++;
      if (!this.classify(li, q, e, mi, false)) return false;
      const keyLine = li + 1 + this.baseLine;
      const valueLine = this.vLi + 1 + this.baseLine;
      const duplicatePoint = this.problems.length;
      let duplicate = -1;
      seen ??= new Map();
      const dropped = seen.get(key);
      if (dropped !== undefined) {
        duplicate = this.problems.length;
        this.report(duplicateKeyFinding(key, valueLine, dropped), keyStart, keyEnd);
        this.duplicates.set(duplicate, { key, keptLine: valueLine, droppedLine: dropped });
      }
      seen.set(key, keyLine);
      const childPath = [...path, key];
      const entryIndex = this.entries.length;
      const entry = this.record(out, childPath, keyStart, keyEnd, this.vr0, li);
      if (!this.readValue(mi, childPath)) return false;
      entry.valueEnd = this.r1 + this.base;
      setOwn(out, key, this.v);
      if (root) {
        this.roots.push({
          document: this.docIndex,
          key,
          value: this.v,
          keyStart: keyStart + this.base,
          keyEnd: keyEnd + this.base,
          valueLine,
          entry: entryIndex,
          firstProblem,
          duplicatePoint,
          duplicate,
        });
      }
      lastR2 = this.r2;
      if (this.closes(mi)) break;
      if (this.tIndent > mi || this.tDash) return false;
      li = this.tl;
      p = this.tFirst;
    }
    this.v = out;
    this.r1 = lastR2;
    this.r2 = this.settle(mi, lastR2);
    return true;
  }

  /** A block sequence whose first `-` is at offset d of line li, indented `si`. */
  private parseSeq(li: number, d: number, si: number, path: PathSegment[]): boolean {
    const out: Value[] = [];
    let lastR2 = d;
    for (;;) {
      const e = this.contentEnd(li);
      let q = d + 1;
      while (this.t.charCodeAt(q) === SP) q++;
      if (!this.classify(li, q, e, si, true)) return false;
      const index = out.length;
      const childPath = [...path, index];
      const entry = this.record(out, childPath, this.vr0, this.vr0, this.vr0, this.vLi);
      if (!this.readValue(si, childPath)) return false;
      entry.valueEnd = this.r1 + this.base;
      out.push(this.v);
      lastR2 = this.r2;
      if (this.closes(si) || (this.tIndent === si && !this.tDash)) break;
      if (this.tIndent > si) return false;
      li = this.tl;
      d = this.tFirst;
    }
    this.v = out;
    this.r1 = lastR2;
    this.r2 = this.settle(si, lastR2);
    return true;
  }

  /**
   * Decides what the value starting at offset q of line li is (the line's text ends at e), in a collection
   * indented `indent`: sets vKind, vLi and vr0 (where its range starts), reading no further than needed.
   */
  private classify(li: number, q: number, e: number, indent: number, inSeq: boolean): boolean {
    const c = this.t.charCodeAt(q);
    if (q < e && c !== HASH) return this.classifyAt(li, q, e, inSeq, false);
    // Nothing after the indicator: the value is on the lines below, or it is null.
    if (!this.findNext(li + 1, NO_EXTENSION)) return false;
    if (!this.tEof && !this.tDoc && (this.tIndent > indent || (!inSeq && this.tIndent === indent && this.tDash))) {
      if (this.tDash) {
        this.vKind = V_SEQ;
        this.vLi = this.tl;
        this.vr0 = this.tFirst;
        return true;
      }
      if (!this.classifyAt(this.tl, this.tFirst, this.contentEnd(this.tl), true, true)) return false;
      // yaml's lexer lowers the indent a plain scalar continues at on some blank and comment lines (a blank line
      // before a column-0 character, a `#x` comment): a plain scalar below such lines may take in the lines after
      // it. Leave that to the composer.
      return this.vKind !== V_PLAIN || this.tl === li + 1;
    }
    // An empty (null) value: yaml places it after the indicator and its spaces, and lets it end after the comment
    // lines that follow it, if there are any.
    this.vKind = V_EMPTY;
    this.vLi = li;
    this.vr0 = q;
    this.vEmptyEnd = q < e || this.gapComment ? this.tFirst : q;
    return true;
  }

  /** Classifies the text at q on line li: a map (when a key may start here), or a value that starts here. */
  private classifyAt(li: number, q: number, e: number, keyAllowed: boolean, ownLine: boolean): boolean {
    const t = this.t;
    const c = t.charCodeAt(q);
    this.vLi = li;
    this.vr0 = q;
    this.vLineEnd = e;
    if (c === PIPE || c === GT) {
      this.vKind = V_BLOCK;
      return !ownLine;
    }
    if (c === LBRACKET || c === LBRACE) {
      this.vKind = V_FLOW;
      return true;
    }
    if (c === DASH && isEmptyCode(t.charCodeAt(q + 1))) return false;
    if (c === DQ || c === SQ) {
      const end = this.scanQuoted(q, e);
      if (end < 0) return false;
      let j = end;
      while (t.charCodeAt(j) === SP) j++;
      if (t.charCodeAt(j) === COLON && isEmptyCode(t.charCodeAt(j + 1))) {
        this.vKind = V_MAP;
        return keyAllowed;
      }
      if (j < e && !(t.charCodeAt(j) === HASH && j > end)) return false;
      this.vKind = V_QUOTED;
      this.vEnd = end;
      return true;
    }
    if (badPlainStart(c, t.charCodeAt(q + 1))) return false;
    if (this.scanPlain(q, e) === STOP_COLON) {
      this.vKind = V_MAP;
      return keyAllowed;
    }
    this.vKind = V_PLAIN;
    this.vEnd = this.sEnd;
    return true;
  }

  /** Reads the value classify() found, in a collection indented `indent`; sets v, r1, r2 and T. */
  private readValue(indent: number, path: PathSegment[]): boolean {
    switch (this.vKind) {
      case V_EMPTY:
        this.v = null;
        this.r1 = this.vr0;
        this.r2 = this.vEmptyEnd;
        this.trail = -1;
        return true;
      case V_MAP:
        return this.parseMap(this.vLi, this.vr0, this.vr0 - (this.ls[this.vLi] ?? 0), path, false);
      case V_SEQ:
        return this.parseSeq(this.vLi, this.vr0, this.tIndent, path);
      case V_BLOCK:
        return this.readBlockScalar(this.vLi, this.vr0, indent);
      default:
        return this.readLineValue(indent, path);
    }
  }

  /** A plain, quoted or flow value that ends on its line, then the line's rest and the lines after it. */
  private readLineValue(indent: number, path: PathSegment[]): boolean {
    const t = this.t;
    const li = this.vLi;
    const q = this.vr0;
    const e = this.vLineEnd;
    let end: number;
    if (this.vKind === V_PLAIN) {
      end = this.vEnd;
      this.plainValue(q, end, li);
    } else if (this.vKind === V_QUOTED) {
      end = this.vEnd;
      const value = this.quotedValue(q, end);
      if (value === undefined) return false;
      this.v = value;
    } else {
      if (!this.parseFlow(q, e, path, li)) return false;
      end = this.fEnd;
      let j = end;
      while (t.charCodeAt(j) === SP) j++;
      if (j < e && !(t.charCodeAt(j) === HASH && j > end)) return false;
    }
    const value = this.v;
    if (!this.findNext(li + 1, indent)) return false;
    this.v = value;
    this.r1 = end;
    this.r2 = this.gapExtension >= 0 ? this.gapExtension : this.nextStart(li);
    this.trail = this.gapMaxCommentIndent;
    return true;
  }

  // ---- keys and scalars ----

  /** A key at p (plain or quoted, on one line) followed by `:` and white space; sets kEnd, kColon, kQuoted. */
  private scanKey(p: number, e: number): boolean {
    const t = this.t;
    const c = t.charCodeAt(p);
    if (c === DQ || c === SQ) {
      const end = this.scanQuoted(p, e);
      if (end < 0) return false;
      let j = end;
      while (t.charCodeAt(j) === SP) j++;
      if (t.charCodeAt(j) !== COLON || !isEmptyCode(t.charCodeAt(j + 1))) return false;
      this.kEnd = end;
      this.kColon = j;
      this.kQuoted = true;
      return true;
    }
    if (badPlainStart(c, t.charCodeAt(p + 1))) return false;
    if (this.scanPlain(p, e) !== STOP_COLON) return false;
    this.kEnd = this.sEnd;
    this.kColon = this.sAt;
    this.kQuoted = false;
    return true;
  }

  /** The map key Helm makes of a key's text (and its YAML 1.1 boolean finding); undefined for `<<`. */
  private keyOf(start: number, end: number, quoted: boolean, li: number): string | undefined {
    if (quoted) return this.quotedValue(start, end);
    const source = this.t.slice(start, end);
    if (source === '<<') return undefined;
    const r = resolvePlainScalar(source);
    const v = r.kind === 'nonfinite' ? source : r.value;
    if (typeof v === 'boolean') this.report(booleanKeyFinding(source, v), start, end, li);
    return mapKeyString(v);
  }

  /** A plain scalar in block context from p on one line (yaml's lexer); sets sEnd (after its last character). */
  private scanPlain(p: number, e: number): number {
    const t = this.t;
    let end = p;
    for (let i = p; i < e; i++) {
      const c = t.charCodeAt(i);
      if (c === COLON) {
        if (isEmptyCode(t.charCodeAt(i + 1))) {
          this.sEnd = end;
          this.sAt = i;
          return STOP_COLON;
        }
        end = i + 1;
      } else if (c === SP) {
        if (t.charCodeAt(i + 1) === HASH) {
          this.sEnd = end;
          this.sAt = i;
          return STOP_COMMENT;
        }
      } else {
        end = i + 1;
      }
    }
    this.sEnd = end;
    this.sAt = e;
    return STOP_LINE;
  }

  /** A plain scalar in a flow collection; stops at flow indicators too. */
  private scanFlowPlain(p: number, e: number): number {
    const t = this.t;
    let end = p;
    for (let i = p; i < e; i++) {
      const c = t.charCodeAt(i);
      if (c === COLON) {
        const next = t.charCodeAt(i + 1);
        if (isEmptyCode(next) || isFlowIndicator(next)) {
          this.sEnd = end;
          this.sAt = i;
          return STOP_COLON;
        }
        end = i + 1;
      } else if (c === SP) {
        const next = t.charCodeAt(i + 1);
        if (next === HASH) return STOP_COMMENT;
        if (isFlowIndicator(next)) {
          this.sEnd = end;
          this.sAt = i;
          return STOP_INDICATOR;
        }
      } else if (isFlowIndicator(c)) {
        this.sEnd = end;
        this.sAt = i;
        return STOP_INDICATOR;
      } else {
        end = i + 1;
      }
    }
    this.sEnd = end;
    this.sAt = e;
    return STOP_LINE;
  }

  /** The offset after the closing quote of the quoted scalar at p, or -1 if it does not close on this line. */
  private scanQuoted(p: number, e: number): number {
    const t = this.t;
    if (t.charCodeAt(p) === SQ) {
      let j = t.indexOf("'", p + 1);
      while (j !== -1 && j < e && t.charCodeAt(j + 1) === SQ) j = t.indexOf("'", j + 2);
      return j === -1 || j >= e ? -1 : j + 1;
    }
    let j = t.indexOf('"', p + 1);
    while (j !== -1 && j < e) {
      let backslashes = 0;
      while (t.charCodeAt(j - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) break;
      j = t.indexOf('"', j + 1);
    }
    return j === -1 || j >= e ? -1 : j + 1;
  }

  /** The string a one-line quoted scalar stands for; undefined if yaml finds an error in it. */
  private quotedValue(start: number, end: number): string | undefined {
    const t = this.t;
    const inner = t.slice(start + 1, end - 1);
    if (t.charCodeAt(start) === SQ) return inner.includes("''") ? inner.replace(/''/g, "'") : inner;
    if (!inner.includes('\\')) return inner;
    let bad = false;
    const token: CST.FlowScalar = { type: 'double-quoted-scalar', offset: start, indent: 0, source: t.slice(start, end) };
    const r = CST.resolveAsScalar(token, true, () => {
      bad = true;
    });
    return bad || !r ? undefined : r.value;
  }

  /** Sets v to Helm's reading of the plain scalar [start, end) on line li, and reports what it earns. */
  private plainValue(start: number, end: number, li: number): void {
    const source = this.t.slice(start, end);
    const r = resolvePlainScalar(source);
    const f = plainScalarFinding(r, source);
    if (f) this.report(f, start, end, li);
    this.v = r.kind === 'nonfinite' ? source : r.value;
  }

  // ---- flow collections ----

  /** A flow collection at p that closes on this line; sets v, r1 and fEnd (after its closing bracket). */
  private parseFlow(p: number, e: number, path: PathSegment[], li: number): boolean {
    const t = this.t;
    const isMap = t.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const map: ValueMap = {};
    const seq: Value[] = [];
    let seen: Map<string, number> | undefined;
    let i = p + 1;
    for (;;) {
      while (t.charCodeAt(i) === SP) i++;
      if (i >= e) return false;
      let c = t.charCodeAt(i);
      if (c === close) {
        i++;
        break;
      }
      if (isMap) {
        const keyStart = i;
        let keyEnd: number;
        let quoted = false;
        if (c === DQ || c === SQ) {
          keyEnd = this.scanQuoted(i, e);
          if (keyEnd < 0) return false;
          quoted = true;
          i = keyEnd;
          while (t.charCodeAt(i) === SP) i++;
          if (t.charCodeAt(i) !== COLON) return false;
          i++;
        } else {
          if (c === LBRACKET || c === LBRACE || badFlowPlainStart(c, t.charCodeAt(i + 1))) return false;
          if (this.scanFlowPlain(i, e) !== STOP_COLON || t.charCodeAt(this.sAt + 1) !== SP) return false;
          keyEnd = this.sEnd;
          i = this.sAt + 1;
        }
        const key = this.keyOf(keyStart, keyEnd, quoted, li);
        if (key === undefined) return false;
        while (t.charCodeAt(i) === SP) i++;
        c = t.charCodeAt(i);
        if (i >= e || c === COMMA || c === close) return false;
        seen ??= new Map();
        const line = li + 1 + this.baseLine;
        const dropped = seen.get(key);
        if (dropped !== undefined) {
          this.duplicates.set(this.problems.length, { key, keptLine: line, droppedLine: dropped });
          this.report(duplicateKeyFinding(key, line, dropped), keyStart, keyEnd, li);
        }
        seen.set(key, line);
        const childPath = [...path, key];
        const entry = this.record(map, childPath, keyStart, keyEnd, i, li);
        if (!this.flowValue(i, e, childPath, li)) return false;
        entry.valueEnd = this.r1 + this.base;
        setOwn(map, key, this.v);
        i = this.fEnd;
      } else {
        const index = seq.length;
        const childPath = [...path, index];
        const entry = this.record(seq, childPath, i, i, i, li);
        if (!this.flowValue(i, e, childPath, li)) return false;
        entry.valueEnd = this.r1 + this.base;
        seq.push(this.v);
        i = this.fEnd;
        while (t.charCodeAt(i) === SP) i++;
        if (t.charCodeAt(i) === COLON) return false;
      }
      while (t.charCodeAt(i) === SP) i++;
      c = t.charCodeAt(i);
      if (c === COMMA) {
        i++;
        continue;
      }
      if (c === close) {
        i++;
        break;
      }
      return false;
    }
    this.v = isMap ? map : seq;
    this.r1 = i;
    this.fEnd = i;
    return true;
  }

  /** One value inside a flow collection; sets v, r1 and fEnd. */
  private flowValue(i: number, e: number, path: PathSegment[], li: number): boolean {
    const t = this.t;
    const c = t.charCodeAt(i);
    if (c === LBRACKET || c === LBRACE) return this.parseFlow(i, e, path, li);
    if (c === DQ || c === SQ) {
      const end = this.scanQuoted(i, e);
      if (end < 0) return false;
      const value = this.quotedValue(i, end);
      if (value === undefined) return false;
      this.v = value;
      this.r1 = end;
      this.fEnd = end;
      return true;
    }
    if (badFlowPlainStart(c, t.charCodeAt(i + 1))) return false;
    if (this.scanFlowPlain(i, e) !== STOP_INDICATOR) return false;
    const end = this.sEnd;
    this.plainValue(i, end, li);
    this.r1 = end;
    this.fEnd = end;
    return true;
  }

  // ---- block scalars ----

  /** A block scalar whose header is at h on line li, in a collection indented `indent`; sets v, r1, r2 and T. */
  private readBlockScalar(li: number, h: number, indent: number): boolean {
    const t = this.t;
    const e = this.contentEnd(li);
    let i = h + 1;
    while (i < e && t.charCodeAt(i) !== SP && t.charCodeAt(i) !== HASH) i++;
    const header = t.slice(h, i);
    let chomp = '';
    let explicit = 0;
    for (let k = 1; k < header.length; k++) {
      const ch = header.charCodeAt(k);
      if (chomp === '' && (ch === DASH || ch === 43)) chomp = header.charAt(k);
      else if (explicit === 0 && ch >= 49 && ch <= 57) explicit = ch - 48;
      else return false;
    }
    let j = i;
    while (t.charCodeAt(j) === SP) j++;
    if (j < e && (t.charCodeAt(j) !== HASH || j === i)) return false;
    const bodyStart = this.nextStart(li);
    const end = this.blockScalarEnd(bodyStart, indent + 1, explicit - 1, chomp === '+');
    if (end < 0) return false;
    const props: CST.SourceToken[] = [{ type: 'block-scalar-header', offset: h, indent, source: header }];
    if (j > i) props.push({ type: 'space', offset: i, indent, source: t.slice(i, j) });
    if (j < e) props.push({ type: 'comment', offset: j, indent, source: t.slice(j, e) });
    if (bodyStart > e) props.push({ type: 'newline', offset: e, indent, source: t.slice(e, bodyStart) });
    const token: CST.BlockScalar = { type: 'block-scalar', offset: h, indent, props, source: t.slice(bodyStart, end) };
    let bad = false;
    const r = CST.resolveAsScalar(token, true, () => {
      bad = true;
    });
    if (bad || !r) return false;
    let after = li + 1;
    while (after < this.lineCount && (this.ls[after] ?? this.n) < end) after++;
    if (!this.findNext(after, NO_EXTENSION)) return false;
    this.v = r.value;
    this.r1 = end;
    this.r2 = end;
    this.trail = this.gapMaxCommentIndent;
    return true;
  }

  /** yaml's Lexer.parseBlockScalar: where the text of a block scalar starting at `pos` ends; -1 on a tab error. */
  private blockScalarEnd(pos: number, indentNext: number, blockScalarIndent: number, keep: boolean): number {
    const t = this.t;
    let nl = pos - 1;
    let indent = 0;
    for (let i = pos; i < this.n; i++) {
      const ch = t.charCodeAt(i);
      if (ch === SP) indent += 1;
      else if (ch === NL) {
        nl = i;
        indent = 0;
      } else if (ch !== CR || t.charCodeAt(i + 1) !== NL) break;
    }
    if (indent >= indentNext) {
      indentNext = blockScalarIndent === -1 ? indent : blockScalarIndent + indentNext;
      do {
        const cs = this.continueScalar(nl + 1, indentNext);
        if (cs === -1) break;
        nl = t.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = this.n;
    }
    let i = nl + 1;
    let ch = t.charCodeAt(i);
    while (ch === SP) ch = t.charCodeAt(++i);
    if (ch === TAB) return -1;
    if (!keep) {
      for (;;) {
        let k = nl - 1;
        let c = t.charCodeAt(k);
        if (c === CR) c = t.charCodeAt(--k);
        const lastChar = k;
        while (c === SP) c = t.charCodeAt(--k);
        if (c === NL && k >= pos && k + 1 + indent > lastChar) nl = k;
        else break;
      }
    }
    return Math.min(nl + 1, this.n);
  }

  /** yaml's Lexer.continueScalar for an indented scalar: where the line at `offset` continues it, or -1. */
  private continueScalar(offset: number, indentNext: number): number {
    const t = this.t;
    let indent = 0;
    let ch = t.charCodeAt(offset);
    while (ch === SP) ch = t.charCodeAt(++indent + offset);
    if (ch === CR && t.charCodeAt(indent + offset + 1) === NL) return offset + indent + 1;
    return ch === NL || indent >= indentNext ? offset + indent : -1;
  }

  // ---- output ----

  private record(owner: object, path: PathSegment[], keyStart: number, keyEnd: number, valueStart: number, li: number): MutableEntry {
    const base = this.base;
    const entry: MutableEntry = {
      path,
      document: this.docIndex,
      keyStart: keyStart + base,
      keyEnd: keyEnd + base,
      valueStart: valueStart + base,
      valueEnd: valueStart + base,
      line: li + 1 + this.baseLine,
      column: keyStart - (this.ls[li] ?? 0) + 1,
    };
    this.entries.push(entry);
    this.owners.push(owner);
    return entry;
  }

  private report(f: FindingText, start: number, end: number, li?: number): void {
    const a = li !== undefined && li >= 0 ? { line: li + 1, column: start - (this.ls[li] ?? 0) + 1 } : linePosition(this.ls, start);
    const b = linePosition(this.ls, Math.max(start, end));
    this.problems.push({
      file: this.file,
      line: a.line + this.baseLine,
      column: a.column,
      endLine: b.line + this.baseLine,
      endColumn: b.column,
      severity: f.severity,
      code: f.code,
      message: f.message,
      offset: start + this.base,
      endOffset: end + this.base,
    });
  }
}
