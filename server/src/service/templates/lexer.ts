// The lexer of Go's text/template, as Helm uses it (delimiters `{{` `}}`), written from Go's
// src/text/template/parse/lex.go: the same items, trim markers (`{{- ` and ` -}}`: the dash then a space),
// comments (`{{/* */}}`, closed right at the delimiter), strings, raw strings, char constants and numbers.
// Unlike Go's lexer, which stops at its first error, this one reports the error as an item and resumes after the
// next `}}`, so the parser can keep reading the rest of the file. Never throws.

export type ItemType =
  | 'text'
  | 'leftDelim'
  | 'rightDelim'
  | 'comment'
  | 'space'
  | 'assign'
  | 'declare'
  | 'pipe'
  | 'leftParen'
  | 'rightParen'
  | 'string'
  | 'rawString'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'comma'
  | 'keyword'
  | 'error'
  | 'eof';

export interface Item {
  type: ItemType;
  /** The item's source text (for errors: the message; empty for text and spaces, see pos/end). */
  val: string;
  /** Offset of the item's first character. */
  pos: number;
  /** Offset after its last character. */
  end: number;
  /** leftDelim/rightDelim: written with a trim marker. */
  trim?: boolean;
}

export const KEYWORDS: ReadonlySet<string> = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

const LEFT = '{{';
const RIGHT = '}}';

// Character codes of the hot loop (the lexer reads codes, not one-character strings).
const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const DASH = 45;
const BRACE = 125; // `}`
const DOLLAR = 36;
const DOT = 46;
const QUOTE = 34;
const BACKQUOTE = 96;
const APOSTROPHE = 39;
const BACKSLASH = 92;

const isSpaceCode = (k: number): boolean => k === SPACE || k === TAB || k === CR || k === LF;
const isAsciiWord = (k: number): boolean => (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95;
const NON_ASCII_WORD = /[\p{L}\p{Nd}]/u;
/** Go's isAlphaNumeric: `_`, a Unicode letter or digit (ASCII checked by code). */
const isAlphaNumeric = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  return isAsciiWord(k) || (k > 127 && NON_ASCII_WORD.test(c));
};
const WORD = /[\p{L}\p{Nd}_]*/uy;
/** End of the run of word characters from `pos` (ASCII by code; from the first other character, by Unicode class). */
function wordEnd(text: string, pos: number): number {
  const n = text.length;
  let p = pos;
  while (p < n) {
    const k = text.charCodeAt(p);
    if (isAsciiWord(k)) p++;
    else if (k > 127) {
      WORD.lastIndex = p;
      WORD.test(text);
      return WORD.lastIndex;
    } else break;
  }
  return p;
}
const isDigitCode = (k: number): boolean => k >= 48 && k <= 57;

const TYPES: readonly ItemType[] = [
  'text', 'leftDelim', 'rightDelim', 'comment', 'space', 'assign', 'declare', 'pipe', 'leftParen', 'rightParen', 'string',
  'rawString', 'char', 'number', 'bool', 'nil', 'dot', 'field', 'variable', 'identifier', 'comma', 'keyword', 'error', 'eof',
];
const CODES = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Readonly<Record<ItemType, number>>;

/**
 * The items of a text in flat arrays (a file has as many items as it has words in actions: kept out of the heap's
 * object graph, they cost no garbage collection). The parser reads them by index; `item(i)` makes the object form.
 */
export class Items {
  /** Type code, plus 128 for a trim marker. */
  private types: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private readonly messages = new Map<number, string>();
  count = 0;

  constructor(readonly text: string) {
    // About one item per 8 characters in real charts' templates: most files need no growing.
    const size = Math.max(64, text.length >> 3);
    this.types = new Uint8Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }

  push(type: ItemType, pos: number, end: number, trim = false, message?: string): void {
    if (this.count === this.types.length) {
      const types = new Uint8Array(this.count * 2);
      types.set(this.types);
      this.types = types;
      const starts = new Int32Array(this.count * 2);
      starts.set(this.starts);
      this.starts = starts;
      const ends = new Int32Array(this.count * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    const i = this.count++;
    this.types[i] = CODES[type] + (trim ? 128 : 0);
    this.starts[i] = pos;
    this.ends[i] = end;
    if (message !== undefined) this.messages.set(i, message);
  }

  type(i: number): ItemType {
    return i < this.count ? (TYPES[(this.types[i] ?? 0) & 127] ?? 'eof') : 'eof';
  }

  pos(i: number): number {
    return i < this.count ? (this.starts[i] ?? 0) : this.text.length;
  }

  end(i: number): number {
    return i < this.count ? (this.ends[i] ?? 0) : this.text.length;
  }

  /** The item's source text (for errors: the message). */
  val(i: number): string {
    if (i >= this.count) return '';
    if (this.type(i) === 'error') return this.messages.get(i) ?? '';
    return this.text.slice(this.starts[i] ?? 0, this.ends[i] ?? 0);
  }

  /** Whether the item's source text is `word` (without making a string). */
  is(i: number, word: string): boolean {
    const pos = this.pos(i);
    return this.end(i) - pos === word.length && this.text.startsWith(word, pos);
  }

  /** The item's object form; `full`: with the source text of text and space items too. */
  item(i: number, full = false): Item {
    if (i >= this.count) return { type: 'eof', val: '', pos: this.text.length, end: this.text.length };
    const type = this.type(i);
    const pos = this.starts[i] ?? 0;
    const end = this.ends[i] ?? 0;
    const val = !full && (type === 'text' || type === 'space') ? '' : this.val(i);
    const item: Item = { type, val, pos, end };
    if ((this.types[i] ?? 0) & 128) item.trim = true;
    return item;
  }
}

/** Splits a template text into items (object form, for tests and tools). The last item is always `eof`. */
export function lex(text: string): Item[] {
  const items = lexItems(text);
  const out: Item[] = [];
  for (let i = 0; i < items.count; i++) out.push(items.item(i, true));
  return out;
}

/** Splits a template text into items. The last item is always `eof`. */
export function lexItems(text: string): Items {
  const items = new Items(text);
  let pos = 0;
  const n = text.length;
  const emit = (type: ItemType, start: number, end: number, trim?: boolean): void => items.push(type, start, end, trim);
  /** Records an error and skips past the next right delimiter (back to text). */
  const fail = (message: string, at: number): void => {
    items.push('error', at, at, false, message);
    const close = text.indexOf(RIGHT, at);
    pos = close < 0 ? n : close + RIGHT.length;
  };
  /** At `}}`. */
  const atRight = (at: number): boolean => text.charCodeAt(at) === BRACE && text.charCodeAt(at + 1) === BRACE;
  const hasLeftTrim = (at: number): boolean => text.charCodeAt(at) === DASH && isSpaceCode(text.charCodeAt(at + 1));
  /** At ` -}}` (a space, the dash, the delimiter). */
  const atRightTrim = (at: number): boolean => isSpaceCode(text.charCodeAt(at)) && text.charCodeAt(at + 1) === DASH && atRight(at + 2);

  while (pos < n) {
    // Text up to the next action.
    const open = text.indexOf(LEFT, pos);
    const textEnd = open < 0 ? n : open;
    if (textEnd > pos) emit('text', pos, textEnd);
    if (open < 0) break;
    pos = open;
    const trimLeft = hasLeftTrim(open + LEFT.length);
    const after = open + LEFT.length + (trimLeft ? 2 : 0);
    // Comment: `{{/*` or `{{- /*`, closed by `*/}}` or `*/ -}}`.
    if (text.startsWith('/*', after)) {
      const close = text.indexOf('*/', after + 2);
      if (close < 0) {
        items.push('error', open, open, false, 'unclosed comment');
        pos = n;
        break;
      }
      let endAt = close + 2;
      if (atRightTrim(endAt)) endAt += 2;
      if (!atRight(endAt)) {
        fail('comment ends before closing delimiter', close + 2);
        continue;
      }
      emit('comment', open, endAt + RIGHT.length);
      pos = endAt + RIGHT.length;
      continue;
    }
    emit('leftDelim', open, after, trimLeft);
    pos = after;
    let parenDepth = 0;
    // Inside the action.
    let closed = false;
    while (!closed && pos < n) {
      const k = text.charCodeAt(pos);
      if (atRightTrim(pos) || atRight(pos)) {
        if (parenDepth > 0) {
          fail('unclosed left paren', pos);
          closed = true;
          break;
        }
        if (atRightTrim(pos)) {
          emit('rightDelim', pos, pos + 2 + RIGHT.length, true);
          pos += 2 + RIGHT.length;
        } else {
          emit('rightDelim', pos, pos + RIGHT.length);
          pos += RIGHT.length;
        }
        closed = true;
        break;
      }
      if (isSpaceCode(k)) {
        const start = pos;
        while (pos < n && isSpaceCode(text.charCodeAt(pos))) pos++;
        // The last space before `-}}` belongs to the trim marker (a marker alone was taken above).
        if (text.charCodeAt(pos) === DASH && atRight(pos + 1)) pos--;
        emit('space', start, pos);
        continue;
      }
      const c = text[pos];
      if (c === '=') {
        emit('assign', pos, ++pos);
        continue;
      }
      if (c === ':') {
        if (text[pos + 1] !== '=') {
          fail('expected :=', pos);
          closed = true;
          break;
        }
        emit('declare', pos, (pos += 2));
        continue;
      }
      if (c === '|') {
        emit('pipe', pos, ++pos);
        continue;
      }
      if (k === QUOTE) {
        const start = pos;
        const end = quotedEnd(text, start, QUOTE);
        if (end === undefined) {
          fail('unterminated quoted string', start);
          closed = true;
          break;
        }
        pos = end;
        emit('string', start, pos);
        continue;
      }
      if (k === BACKQUOTE) {
        const close = text.indexOf('`', pos + 1);
        if (close < 0) {
          items.push('error', pos, pos, false, 'unterminated raw quoted string');
          pos = n;
          closed = true;
          break;
        }
        emit('rawString', pos, close + 1);
        pos = close + 1;
        continue;
      }
      if (k === APOSTROPHE) {
        const start = pos;
        const end = quotedEnd(text, start, APOSTROPHE);
        if (end === undefined) {
          fail('unterminated character constant', start);
          closed = true;
          break;
        }
        pos = end;
        emit('char', start, pos);
        continue;
      }
      if (k === DOLLAR || (k === DOT && !isDigitCode(text.charCodeAt(pos + 1)))) {
        // Variable or field (or a lone `$` / `.`).
        const start = pos++;
        pos = wordEnd(text, pos);
        if (pos === start + 1) {
          if (k === DOLLAR) emit('variable', start, pos);
          else emit('dot', start, pos);
        } else emit(k === DOLLAR ? 'variable' : 'field', start, pos);
        if (!atTerminator(text, pos)) {
          fail(`bad character ${JSON.stringify(text[pos])}`, pos);
          closed = true;
          break;
        }
        continue;
      }
      if (c === '.' || c === '+' || c === '-' || isDigitCode(k)) {
        const start = pos;
        const end = scanNumber(text, pos);
        if (end < 0) {
          fail(`bad number syntax: ${JSON.stringify(text.slice(start, Math.min(n, start + 20)).split(/[\s}]/)[0])}`, start);
          closed = true;
          break;
        }
        pos = end;
        emit('number', start, pos);
        continue;
      }
      if (isAsciiWord(k) || isAlphaNumeric(c)) {
        const start = pos;
        pos = wordEnd(text, pos);
        if (!atTerminator(text, pos)) {
          fail(`bad character ${JSON.stringify(text[pos])}`, pos);
          closed = true;
          break;
        }
        emit(wordType(text, start, pos), start, pos);
        continue;
      }
      if (c === '(') {
        parenDepth++;
        emit('leftParen', pos, ++pos);
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) {
          fail('unexpected right paren', pos);
          closed = true;
          break;
        }
        emit('rightParen', pos, ++pos);
        continue;
      }
      if (c === ',') {
        emit('comma', pos, ++pos);
        continue;
      }
      fail(`unrecognized character in action: ${JSON.stringify(c)}`, pos);
      closed = true;
    }
    if (!closed) {
      items.push('error', open, open, false, 'unclosed action');
      pos = n;
    }
  }
  items.push('eof', n, n);
  return items;
}

/** A word's item type: keyword, bool, nil or identifier (only words as short as a keyword are compared). */
function wordType(text: string, start: number, end: number): ItemType {
  if (end - start > 8) return 'identifier';
  const word = text.slice(start, end);
  return KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier';
}

/** Go's checkTerminator: what may follow a word (space, `.`, `,`, `|`, `:`, parens, the right delimiter, EOF). */
function atTerminator(text: string, pos: number): boolean {
  if (pos >= text.length) return true;
  const k = text.charCodeAt(pos);
  // space, tab, CR, LF, `.`, `,`, `|`, `:`, `)`, `(`
  if (isSpaceCode(k) || k === DOT || k === 44 || k === 124 || k === 58 || k === 41 || k === 40) return true;
  return k === BRACE && text.charCodeAt(pos + 1) === BRACE;
}

/** Go's scanNumber: sign, base prefix, digits with `_`, fraction, exponent, imaginary `i`. -1 when malformed. */
function scanNumber(text: string, pos: number): number {
  let p = pos;
  if (text[p] === '+' || text[p] === '-') p++;
  let digits = '0123456789_';
  if (text[p] === '0') {
    const x = text[p + 1]?.toLowerCase();
    const prefixed = x === 'x' ? '0123456789abcdefABCDEF_' : x === 'o' ? '01234567_' : x === 'b' ? '01_' : undefined;
    if (prefixed) {
      digits = prefixed;
      p += 2;
    }
  }
  const start = p;
  while (p < text.length && digits.includes(text[p] ?? '')) p++;
  if (text[p] === '.') {
    p++;
    while (p < text.length && digits.includes(text[p] ?? '')) p++;
  }
  if (p === start || (p === start + 1 && text[start] === '.')) return -1;
  const exp = digits.length === 11 ? 'eE' : digits.length > 20 ? 'pP' : '';
  if (exp !== '' && exp.includes(text[p] ?? '\u0000')) {
    p++;
    if (text[p] === '+' || text[p] === '-') p++;
    const e = p;
    while (p < text.length && '0123456789_'.includes(text[p] ?? '')) p++;
    if (p === e) return -1;
  }
  if (text[p] === 'i') p++;
  if (isAlphaNumeric(text[p])) return -1;
  return p;
}

/**
 * The end (after the closing quote) of a quoted string or character constant opening at `start`, with Go's escapes
 * (a backslash takes the next character, but not a newline); undefined when a newline or the end comes first.
 */
function quotedEnd(text: string, start: number, quote: number): number | undefined {
  const n = text.length;
  let pos = start + 1;
  while (pos < n) {
    const d = text.charCodeAt(pos);
    if (d === BACKSLASH && pos + 1 < n && text.charCodeAt(pos + 1) !== LF) pos += 2;
    else if (d === LF) return undefined;
    else if (d === quote) return pos + 1;
    else pos++;
  }
  return undefined;
}
