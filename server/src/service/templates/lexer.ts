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
  /** The item's source text (for errors: the message). */
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
const isAlphaNumeric = (c: string | undefined): boolean =>
  c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));

/** Splits a template text into items. The last item is always `eof`. */
export function lex(text: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  const n = text.length;
  const emit = (type: ItemType, start: number, end: number, trim?: boolean): void => {
    const item: Item = { type, val: text.slice(start, end), pos: start, end };
    if (trim) item.trim = true;
    items.push(item);
  };
  /** Records an error and skips past the next right delimiter (back to text). */
  const fail = (message: string, at: number): void => {
    items.push({ type: 'error', val: message, pos: at, end: at });
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
    let after = open + LEFT.length + (trimLeft ? 2 : 0);
    // Comment: `{{/*` or `{{- /*`, closed by `*/}}` or `*/ -}}`.
    if (text.startsWith('/*', after)) {
      const close = text.indexOf('*/', after + 2);
      if (close < 0) {
        items.push({ type: 'error', val: 'unclosed comment', pos: open, end: open });
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
        while (pos < n && isSpace(text[pos]) && !atRightTrim(pos)) pos++;
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
        const start = pos++;
        let ok = false;
        while (pos < n) {
          const d = text[pos];
          if (d === '\\' && pos + 1 < n && text[pos + 1] !== '\n') pos += 2;
          else if (d === '\n') break;
          else if (d === '"') {
            pos++;
            ok = true;
            break;
          } else pos++;
        }
        if (!ok) {
          fail('unterminated quoted string', start);
          closed = true;
          break;
        }
        emit('string', start, pos);
        continue;
      }
      if (c === '`') {
        const close = text.indexOf('`', pos + 1);
        if (close < 0) {
          items.push({ type: 'error', val: 'unterminated raw quoted string', pos, end: pos });
          pos = n;
          closed = true;
          break;
        }
        emit('rawString', pos, close + 1);
        pos = close + 1;
        continue;
      }
      if (c === "'") {
        const start = pos++;
        let ok = false;
        while (pos < n) {
          const d = text[pos];
          if (d === '\\' && pos + 1 < n && text[pos + 1] !== '\n') pos += 2;
          else if (d === '\n') break;
          else if (d === "'") {
            pos++;
            ok = true;
            break;
          } else pos++;
        }
        if (!ok) {
          fail('unterminated character constant', start);
          closed = true;
          break;
        }
        emit('char', start, pos);
        continue;
      }
      if (c === '$' || (c === '.' && !/[0-9]/.test(text[pos + 1] ?? ''))) {
        // Variable or field (or a lone `$` / `.`).
        const start = pos++;
        while (pos < n && isAlphaNumeric(text[pos])) pos++;
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
      if (c === '.' || c === '+' || c === '-' || /[0-9]/.test(c ?? '')) {
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
        while (pos < n && isAlphaNumeric(text[pos])) pos++;
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
      items.push({ type: 'error', val: 'unclosed action', pos: open, end: open });
      pos = n;
    }
  }
  items.push({ type: 'eof', val: '', pos: n, end: n });
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
    if (x === 'x') (digits = '0123456789abcdefABCDEF_'), (p += 2);
    else if (x === 'o') (digits = '01234567_'), (p += 2);
    else if (x === 'b') (digits = '01_'), (p += 2);
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
