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

/** Bits of an item's code byte: the type's code (its index in TYPES), after a space, with a trim marker. */
export const CODE = 63;
export const SPACED = 64;
const TRIMMED = 128;

/** The item types, by code. */
export const TYPES: readonly ItemType[] = [
  'text', 'leftDelim', 'rightDelim', 'comment', 'space', 'assign', 'declare', 'pipe', 'leftParen', 'rightParen', 'string',
  'rawString', 'char', 'number', 'bool', 'nil', 'dot', 'field', 'variable', 'identifier', 'comma', 'keyword', 'error', 'eof',
];

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

/** Item type codes (the index in TYPES). */
const C = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Readonly<Record<ItemType, number>>;

/**
 * The items of a text in flat arrays (a file has as many items as it has words in actions: kept out of the heap's
 * object graph, they cost no garbage collection). The parser reads them by index; `item(i)` makes the object form.
 */
export class Items {
  /** Type code, plus SPACED and TRIMMED. */
  private types: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private readonly messages = new Map<number, string>();
  count = 0;
  /** The next item follows a space (see SPACED). */
  spaced = false;

  constructor(readonly text: string) {
    // About one item per 8 characters in real charts' templates: most files need no growing.
    const size = Math.max(64, text.length >> 3);
    this.types = new Uint8Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }

  /** Adds an item; `code`: its type's code. */
  push(code: number, pos: number, end: number, trim = false, message?: string): void {
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
    this.types[i] = code + (trim ? TRIMMED : 0) + (this.spaced ? SPACED : 0);
    this.spaced = false;
    this.starts[i] = pos;
    this.ends[i] = end;
    if (message !== undefined) this.messages.set(i, message);
  }

  /**
   * The type codes of the items (plus SPACED and TRIMMED), for the parser's hot loop: after the last item (`eof`)
   * the array holds `eof` codes to its end, and it has room for one at least.
   */
  get codes(): Uint8Array {
    return this.types;
  }

  /** The items' start offsets (after the last item: the text's length, as `eof`'s). */
  get startArray(): Int32Array {
    return this.starts;
  }

  /** The items' end offsets (after the last item: the text's length). */
  get endArray(): Int32Array {
    return this.ends;
  }

  type(i: number): ItemType {
    return i < this.count ? (TYPES[(this.types[i] ?? 0) & CODE] ?? 'eof') : 'eof';
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
    if ((this.types[i] ?? 0) & TRIMMED) item.trim = true;
    return item;
  }
}

/** Splits a template text into items (object form, for tests and tools). The last item is always `eof`. */
export function lex(text: string): Item[] {
  const items = lexItems(text);
  const out: Item[] = [];
  for (let i = 0; i < items.count; i++) {
    if ((items.codes[i] ?? 0) & SPACED) {
      const pos = items.end(i - 1);
      out.push({ type: 'space', val: text.slice(pos, items.pos(i)), pos, end: items.pos(i) });
    }
    out.push(items.item(i, true));
  }
  return out;
}

/** At `}}`. */
const atRight = (text: string, at: number): boolean => text.charCodeAt(at) === BRACE && text.charCodeAt(at + 1) === BRACE;
/** At ` -}}` (a space, the dash, the delimiter). */
const atRightTrim = (text: string, at: number): boolean => isSpaceCode(text.charCodeAt(at)) && text.charCodeAt(at + 1) === DASH && atRight(text, at + 2);
/** After the next right delimiter from `at` (or the end). */
function pastRight(text: string, at: number): number {
  const close = text.indexOf(RIGHT, at);
  return close < 0 ? text.length : close + RIGHT.length;
}

/**
 * Splits a template text into items. The last item is always `eof`. One function with no closures, reading
 * character codes: it runs first in the interpreter, and its helpers stay the same call targets for the optimiser.
 */
export function lexItems(text: string): Items {
  const items = new Items(text);
  let pos = 0;
  const n = text.length;

  while (pos < n) {
    // Text up to the next action.
    const open = text.indexOf(LEFT, pos);
    const textEnd = open < 0 ? n : open;
    if (textEnd > pos) items.push(C.text, pos, textEnd);
    if (open < 0) break;
    pos = open;
    const trimLeft = text.charCodeAt(open + 2) === DASH && isSpaceCode(text.charCodeAt(open + 3));
    const after = open + LEFT.length + (trimLeft ? 2 : 0);
    // Comment: `{{/*` or `{{- /*`, closed by `*/}}` or `*/ -}}`.
    if (text.startsWith('/*', after)) {
      const close = text.indexOf('*/', after + 2);
      if (close < 0) {
        items.push(C.error, open, open, false, 'unclosed comment');
        pos = n;
        break;
      }
      let endAt = close + 2;
      if (atRightTrim(text, endAt)) endAt += 2;
      if (!atRight(text, endAt)) {
        items.push(C.error, close + 2, close + 2, false, 'comment ends before closing delimiter');
        pos = pastRight(text, close + 2);
        continue;
      }
      items.push(C.comment, open, endAt + RIGHT.length);
      pos = endAt + RIGHT.length;
      continue;
    }
    items.push(C.leftDelim, open, after, trimLeft);
    pos = after;
    let parenDepth = 0;
    let spaceStart = pos;
    // Inside the action, until `}}` (closed) or an error (which skips past the next `}}`).
    let closed = false;
    let error: string | undefined;
    while (pos < n) {
      const k = text.charCodeAt(pos);
      const rightTrim = isSpaceCode(k) && text.charCodeAt(pos + 1) === DASH && atRight(text, pos + 2);
      if (rightTrim || (k === BRACE && text.charCodeAt(pos + 1) === BRACE)) {
        if (parenDepth > 0) {
          error = 'unclosed left paren';
          break;
        }
        const end = pos + (rightTrim ? 2 : 0) + RIGHT.length;
        items.push(C.rightDelim, pos, end, rightTrim);
        pos = end;
        closed = true;
        break;
      }
      if (isSpaceCode(k)) {
        spaceStart = pos;
        while (pos < n && isSpaceCode(text.charCodeAt(pos))) pos++;
        // The last space before `-}}` belongs to the trim marker (a marker alone was taken above).
        if (text.charCodeAt(pos) === DASH && atRight(text, pos + 1)) pos--;
        // Not an item: the next item is marked as following a space.
        items.spaced = true;
        continue;
      }
      if (k === DOT ? !isDigitCode(text.charCodeAt(pos + 1)) : k === DOLLAR) {
        // Variable or field (or a lone `$` / `.`).
        const start = pos;
        pos = wordEnd(text, pos + 1);
        items.push(k === DOLLAR ? C.variable : pos === start + 1 ? C.dot : C.field, start, pos);
        if (!atTerminator(text, pos)) {
          error = `bad character ${JSON.stringify(text[pos])}`;
          break;
        }
        continue;
      }
      // A word: ASCII letters and `_`, or any other Unicode letter or digit (Go's isAlphaNumeric).
      if ((isAsciiWord(k) && !isDigitCode(k)) || (k > 127 && isAlphaNumeric(text[pos]))) {
        const start = pos;
        pos = wordEnd(text, pos);
        if (!atTerminator(text, pos)) {
          error = `bad character ${JSON.stringify(text[pos])}`;
          break;
        }
        items.push(wordType(text, start, pos), start, pos);
        continue;
      }
      switch (k) {
        case 61: // =
          items.push(C.assign, pos, ++pos);
          continue;
        case 58: // :
          if (text.charCodeAt(pos + 1) !== 61) {
            error = 'expected :=';
            break;
          }
          items.push(C.declare, pos, (pos += 2));
          continue;
        case 124: // |
          items.push(C.pipe, pos, ++pos);
          continue;
        case 40: // (
          parenDepth++;
          items.push(C.leftParen, pos, ++pos);
          continue;
        case 41: // )
          parenDepth--;
          if (parenDepth < 0) {
            error = 'unexpected right paren';
            break;
          }
          items.push(C.rightParen, pos, ++pos);
          continue;
        case 44: // ,
          items.push(C.comma, pos, ++pos);
          continue;
        case QUOTE:
        case APOSTROPHE: {
          const end = quotedEnd(text, pos, k);
          if (end === undefined) {
            error = k === QUOTE ? 'unterminated quoted string' : 'unterminated character constant';
            break;
          }
          items.push(k === QUOTE ? C.string : C.char, pos, end);
          pos = end;
          continue;
        }
        case BACKQUOTE: {
          const close = text.indexOf('`', pos + 1);
          if (close < 0) {
            items.push(C.error, pos, pos, false, 'unterminated raw quoted string');
            pos = n;
            closed = true;
            break;
          }
          items.push(C.rawString, pos, close + 1);
          pos = close + 1;
          continue;
        }
        default:
          if (k === DOT || k === 43 || k === DASH || isDigitCode(k)) {
            const end = scanNumber(text, pos);
            if (end < 0) {
              error = `bad number syntax: ${JSON.stringify(text.slice(pos, Math.min(n, pos + 20)).split(/[\s}]/)[0])}`;
              break;
            }
            items.push(C.number, pos, end);
            pos = end;
            continue;
          }
          error = `unrecognized character in action: ${JSON.stringify(text[pos])}`;
      }
      break;
    }
    if (error !== undefined) {
      // Records the error and skips past the next right delimiter (back to text).
      items.push(C.error, pos, pos, false, error);
      pos = pastRight(text, pos);
    } else if (!closed) {
      // Spaces at the end of the text, with no item after them: a space item.
      if (items.spaced) {
        items.spaced = false;
        items.push(C.space, spaceStart, pos);
      }
      items.push(C.error, open, open, false, 'unclosed action');
      pos = n;
    }
  }
  items.push(C.eof, n, n);
  items.push(C.eof, n, n);
  items.count--;
  items.codes.fill(C.eof, items.count);
  items.startArray.fill(n, items.count);
  items.endArray.fill(n, items.count);
  return items;
}

/** A word's item type code: keyword, bool, nil or identifier (only words as short as a keyword are compared). */
function wordType(text: string, start: number, end: number): number {
  if (end - start > 8) return C.identifier;
  const word = text.slice(start, end);
  return KEYWORDS.has(word) ? C.keyword : word === 'true' || word === 'false' ? C.bool : word === 'nil' ? C.nil : C.identifier;
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
