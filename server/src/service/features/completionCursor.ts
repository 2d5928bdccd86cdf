// Where the completion cursor is, from the text alone: the text may be broken mid-typing, so the map the cursor is
// in (its path, the keys it already has) and whether a key or a value is being typed are read from the indentation
// of the surrounding lines, not from the parsed document.
import type { PathSegment } from '../values/paths';

export interface KeyContext {
  kind: 'key';
  /** Path of the map the key goes into. */
  parent: PathSegment[];
  /** Column of the key. */
  indent: number;
  /** Keys the map already has in the text (other than the one being typed). */
  present: Set<string>;
  replaceStart: number;
  replaceEnd: number;
  /** Something other than a comment follows the word on the line (`ta$0g: 1`): insert the bare key. */
  bare: boolean;
}

export interface ValueContext {
  kind: 'value';
  /** Path of the key whose value is being typed. */
  path: PathSegment[];
  replaceStart: number;
  replaceEnd: number;
}

const WORD_CHAR = /[^\s:#"'{}[\],&*!|>%@`]/;
const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s"'#-][^#]*?|-[^\s#][^#]*?))[ \t]*:(?:[ \t]+(.*))?$/;

interface Line {
  start: number;
  indent: number;
  /** The line without its indentation and trailing `\r`. */
  content: string;
}

function lineAt(text: string, start: number): Line {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  return { start, indent: i - start, content: text.slice(i, end) };
}

/** A key line: its key (unquoted) and what follows the colon. */
function keyOf(content: string): { key: string; rest: string } | undefined {
  const m = KEY_LINE.exec(content);
  if (!m) return undefined;
  const key = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2].replace(/''/g, "'") : (m[3] ?? '').trimEnd();
  return { key, rest: (m[4] ?? '').trim() };
}

/** A `- ...` line: the column of what follows the dash(es) and that content. */
function dashOf(line: Line): { col: number; content: string } | undefined {
  const m = /^-( +|$)/.exec(line.content);
  if (!m) return undefined;
  const skip = 1 + (m[1] ?? '').length;
  return { col: line.indent + skip, content: line.content.slice(skip) };
}

/** A value that opens a nested block map below the key (`key:`, `key: &anchor`, `key: # note`). */
function opensMap(rest: string): boolean {
  return /^(?:&\S+|!!map|!!omap)?\s*(?:#.*)?$/.test(rest);
}

function isSkippable(line: Line): boolean {
  return line.content === '' || line.content.startsWith('#');
}

function isDocumentMarker(line: Line): boolean {
  return line.indent === 0 && /^(---|\.\.\.)(\s|$)/.test(line.content);
}

function previousLineStart(text: string, lineStart: number): number {
  if (lineStart === 0) return -1;
  if (lineStart < 2) return 0;
  return text.lastIndexOf('\n', lineStart - 2) + 1;
}

function nextLineStart(text: string, lineStart: number): number {
  const i = text.indexOf('\n', lineStart);
  return i < 0 ? -1 : i + 1;
}

export function cursorContext(text: string, offset: number): KeyContext | ValueContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd).replace(/\r$/, '');
  let wordEnd = 0;
  while (wordEnd < after.length && WORD_CHAR.test(after.charAt(wordEnd))) wordEnd++;

  // `key: par$0`: a value.
  const valueMatch = /^( *)((?:- +)?)(.*?):( +)(\S*)$/.exec(before);
  if (valueMatch && !before.includes(' #')) {
    const k = keyOf(`${valueMatch[3] ?? ''}:`);
    const typed = valueMatch[5] ?? '';
    if (k && !/^["'[{|>&*!]/.test(typed)) {
      const indent = (valueMatch[1] ?? '').length + (valueMatch[2] ?? '').length;
      const here = mapAt(text, lineStart, indent, (valueMatch[2] ?? '') !== '', (valueMatch[1] ?? '').length);
      if (!here) return undefined;
      let end = 0;
      while (end < after.length && !/\s/.test(after.charAt(end))) end++;
      return { kind: 'value', path: [...here.path, k.key], replaceStart: offset - typed.length, replaceEnd: offset + end };
    }
  }

  // `  ta$0` or `  - ta$0`: a key.
  const keyMatch = /^( *)((?:- +)?)([^\s:#"'{}[\],&*!|>%@`]*)$/.exec(before);
  if (!keyMatch) return undefined;
  const dashIndent = (keyMatch[1] ?? '').length;
  const dashed = (keyMatch[2] ?? '') !== '';
  const indent = dashIndent + (keyMatch[2] ?? '').length;
  const word = keyMatch[3] ?? '';
  if (word.startsWith('-')) return undefined;
  const here = mapAt(text, lineStart, indent, dashed, dashIndent);
  if (!here) return undefined;
  const rest = after.slice(wordEnd).trim();
  return { kind: 'key', parent: here.path, indent, present: here.present, replaceStart: offset - word.length, replaceEnd: offset + wordEnd, bare: rest !== '' && !rest.startsWith('#') };
}

/**
 * The map whose keys sit at column `indent` around the line at `lineStart`: its path (from the indentation of
 * the lines above) and the keys it has (siblings above and below). `dashed`: the line itself starts a list item
 * (its dash at `dashIndent`). Undefined where no key can go (inside a block scalar, a flow collection, a list of
 * scalars).
 */
function mapAt(text: string, lineStart: number, indent: number, dashed: boolean, dashIndent: number): { path: PathSegment[]; present: Set<string> } | undefined {
  const present = new Set<string>();
  const reversed: PathSegment[] = [];
  // State: looking for the parent of a map at column `level`, or (item >= 0) counting list items at column `item`.
  let level = indent;
  let item = dashed ? dashIndent : -1;
  let index = 0;
  let collecting = true;

  for (let s = previousLineStart(text, lineStart); s >= 0; s = previousLineStart(text, s)) {
    if (level === 0 && item < 0 && !collecting) break; // at the top: nothing above matters
    const line = lineAt(text, s);
    if (isSkippable(line)) continue;
    if (isDocumentMarker(line)) break;
    const dash = dashOf(line);
    if (item >= 0) {
      // Inside a list item whose dash is at column `item`: count the items above, then find the list's key.
      if (line.indent > item) continue;
      if (dash && line.indent === item) {
        index++;
        continue;
      }
      reversed.push(index);
      collecting = false;
      if (dash) {
        // A list inside an outer list item: `- - x`, `-\n  - x` or `- key:\n    - x`.
        const k = dash.content === '' ? undefined : keyOf(dash.content);
        if (dash.content !== '' && !k) return undefined;
        if (k) {
          if (!opensMap(k.rest)) return undefined;
          reversed.push(k.key);
        }
        item = line.indent;
        index = 0;
        continue;
      }
      const k = keyOf(line.content);
      if (!k || !opensMap(k.rest)) return undefined;
      reversed.push(k.key);
      item = -1;
      level = line.indent;
      continue;
    }
    if (dash) {
      if (line.indent >= level) continue; // a compact list under a sibling key, or deeper content
      if (dash.col === level) {
        // The first key of the list item our map is in.
        const k = dash.content === '' ? undefined : keyOf(dash.content);
        if (!k) return undefined;
        if (collecting) present.add(k.key);
        item = line.indent;
        index = 0;
        continue;
      }
      if (dash.content === '') {
        // `-` alone, the map below it is the item.
        if (dash.col > level) return undefined;
        item = line.indent;
        index = 0;
        continue;
      }
      if (dash.col > level) return undefined;
      const k = keyOf(dash.content);
      if (!k || !opensMap(k.rest)) return undefined;
      reversed.push(k.key);
      collecting = false;
      item = line.indent;
      index = 0;
      continue;
    }
    if (line.indent > level) continue;
    const k = keyOf(line.content);
    if (line.indent === level) {
      if (k && collecting) present.add(k.key);
      continue;
    }
    if (!k || !opensMap(k.rest)) return undefined;
    reversed.push(k.key);
    collecting = false;
    level = line.indent;
  }
  if (item >= 0) return undefined; // the document is a list
  // Siblings below the cursor, until the map ends (or the next item of the list our map is in).
  for (let s = nextLineStart(text, lineStart); s >= 0; s = nextLineStart(text, s)) {
    const line = lineAt(text, s);
    if (isSkippable(line)) continue;
    if (isDocumentMarker(line)) break;
    if (line.indent < indent) break;
    if (line.indent > indent || dashOf(line)) continue;
    const k = keyOf(line.content);
    if (k) present.add(k.key);
  }
  return { path: reversed.reverse(), present };
}

