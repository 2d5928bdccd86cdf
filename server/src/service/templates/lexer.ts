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

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const NON_ASCII_WORD = /[\p{L}\p{Nd}]/u;
/** Go's isAlphaNumeric: `_`, a Unicode letter or digit (ASCII checked by code). */
const isAlphaNumeric = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const k = c.charCodeAt(0);
  if ((k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95) return true;
  return k > 127 && NON_ASCII_WORD.test(c);
};
const SPACES = /[ \t\r\n]+/y;
const WORD = /[\p{L}\p{Nd}_]*/uy;
const QUOTED = /"(?:[^"\\\n]|\\[^\n])*"/y;
/** End of the run of word characters from `pos`. */
function wordEnd(text: string, pos: number): number {
  WORD.lastIndex = pos;
  WORD.test(text);
  return WORD.lastIndex;
}
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const TYPES: readonly ItemType[] = [
  'text', 'leftDelim', 'rightDelim', 'comment', 'space', 'assign', 'declare', 'pipe', 'leftParen', 'rightParen', 'string',
  'rawString', 'char', 'number', 'bool', 'nil', 'dot', 'field', 'variable', 'identifier', 'comma', 'keyword', 'error', 'eof',
];
const CODES: ReadonlyMap<ItemType, number> = new Map(TYPES.map((t, i) => [t, i]));

/**
 * The items of a text in flat arrays (a file has as many items as it has words in actions: kept out of the heap's
 * object graph, they cost no garbage collection). `item(i)` makes the object form.
 */
export class Items {
  private types = new Uint8Array(256);
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  private trims = new Uint8Array(256);
  private readonly messages = new Map<number, string>();
  count = 0;

  constructor(readonly text: string) {}

  push(type: ItemType, pos: number, end: number, trim = false, message?: string): void {
    if (this.count === this.types.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.types = grow(this.types, (n) => new Uint8Array(n));
      this.starts = grow(this.starts, (n) => new Int32Array(n));
      this.ends = grow(this.ends, (n) => new Int32Array(n));
      this.trims = grow(this.trims, (n) => new Uint8Array(n));
    }
    const i = this.count++;
    this.types[i] = CODES.get(type) ?? 0;
    this.starts[i] = pos;
    this.ends[i] = end;
    this.trims[i] = trim ? 1 : 0;
    if (message !== undefined) this.messages.set(i, message);
  }

  type(i: number): ItemType {
    return i < this.count ? (TYPES[this.types[i] ?? 0] ?? 'eof') : 'eof';
  }

  pos(i: number): number {
    return i < this.count ? (this.starts[i] ?? 0) : this.text.length;
  }

  end(i: number): number {
    return i < this.count ? (this.ends[i] ?? 0) : this.text.length;
  }

  /** The item's object form; `full`: with the source text of text and space items too. */
  item(i: number, full = false): Item {
    if (i >= this.count) return { type: 'eof', val: '', pos: this.text.length, end: this.text.length };
    const type = this.type(i);
    const pos = this.starts[i] ?? 0;
    const end = this.ends[i] ?? 0;
    const val = type === 'error' ? (this.messages.get(i) ?? '') : !full && (type === 'text' || type === 'space') ? '' : this.text.slice(pos, end);
    const item: Item = { type, val, pos, end };
    if (this.trims[i]) item.trim = true;
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
  const hasLeftTrim = (at: number): boolean => text[at] === '-' && isSpace(text[at + 1]);
  /** At ` -}}` (a space, the dash, the delimiter). */
  const atRightTrim = (at: number): boolean => isSpace(text[at]) && text[at + 1] === '-' && text.startsWith(RIGHT, at + 2);

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
      if (!text.startsWith(RIGHT, endAt)) {
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
      const c = text[pos];
      if (atRightTrim(pos) || text.startsWith(RIGHT, pos)) {
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
      if (isSpace(c)) {
        const start = pos;
        SPACES.lastIndex = pos;
        SPACES.test(text);
        pos = SPACES.lastIndex;
        // The last space before `-}}` belongs to the trim marker (a marker alone was taken above).
        if (text[pos] === '-' && text.startsWith(RIGHT, pos + 1)) pos--;
        emit('space', start, pos);
        continue;
      }
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
      if (c === '"') {
        QUOTED.lastIndex = pos;
        if (QUOTED.test(text)) {
          emit('string', pos, QUOTED.lastIndex);
          pos = QUOTED.lastIndex;
          continue;
        }
        const start = pos;
        const end = quotedEnd(text, start, '"');
        if (end === undefined) {
          fail('unterminated quoted string', start);
          closed = true;
          break;
        }
        pos = end;
        emit('string', start, pos);
        continue;
      }
      if (c === '`') {
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
      if (c === "'") {
        const start = pos;
        const end = quotedEnd(text, start, "'");
        if (end === undefined) {
          fail('unterminated character constant', start);
          closed = true;
          break;
        }
        pos = end;
        emit('char', start, pos);
        continue;
      }
      if (c === '$' || (c === '.' && !isDigit(text[pos + 1]))) {
        // Variable or field (or a lone `$` / `.`).
        const start = pos++;
        pos = wordEnd(text, pos);
        if (pos === start + 1) {
          if (c === '$') emit('variable', start, pos);
          else emit('dot', start, pos);
        } else emit(c === '$' ? 'variable' : 'field', start, pos);
        if (!atTerminator(text, pos)) {
          fail(`bad character ${JSON.stringify(text[pos])}`, pos);
          closed = true;
          break;
        }
        continue;
      }
      if (c === '.' || c === '+' || c === '-' || isDigit(c)) {
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
      if (isAlphaNumeric(c)) {
        const start = pos;
        pos = wordEnd(text, pos);
        if (!atTerminator(text, pos)) {
          fail(`bad character ${JSON.stringify(text[pos])}`, pos);
          closed = true;
          break;
        }
        const word = text.slice(start, pos);
        emit(KEYWORDS.has(word) ? 'keyword' : word === 'true' || word === 'false' ? 'bool' : word === 'nil' ? 'nil' : 'identifier', start, pos);
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

/** Go's checkTerminator: what may follow a word (space, `.`, `,`, `|`, `:`, parens, the right delimiter, EOF). */
function atTerminator(text: string, pos: number): boolean {
  if (pos >= text.length) return true;
  const c = text[pos];
  if (isSpace(c) || c === '.' || c === ',' || c === '|' || c === ':' || c === ')' || c === '(') return true;
  return text.startsWith(RIGHT, pos);
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
function quotedEnd(text: string, start: number, quote: '"' | "'"): number | undefined {
  const n = text.length;
  let pos = start + 1;
  while (pos < n) {
    const d = text[pos];
    if (d === '\\' && pos + 1 < n && text[pos + 1] !== '\n') pos += 2;
    else if (d === '\n') return undefined;
    else if (d === quote) return pos + 1;
    else pos++;
  }
  return undefined;
}
