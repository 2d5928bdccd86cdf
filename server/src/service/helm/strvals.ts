// Helm's `--set` family parser (pkg/strvals in Helm 4): --set, --set-string, --set-json, --set-file, --set-literal.
//
// The behaviour, quirks included, is Helm's: `a.b=1` nests maps (at most 30 dots), `a[2]=x` writes a list index
// (0..65536, missing slots become null), `a={x,y}` builds a list, `,` separates assignments and `\` escapes the
// next character. Parsing writes into an existing map the way Helm's ParseInto* functions do, including what they
// leave behind when they fail. Helm's panics (a type assertion on an existing value of the wrong type, recovered
// into "unable to parse key: ...") are reproduced as errors.
//
// The parser is iterative: Helm nests without limit through list indices (`a[0][0][0]...`), which a recursive
// JavaScript parser could not follow without overflowing the call stack.
import { hasOwn, isTable, setOwn } from '../values/valueUtil';
import { hasBehaviour, type HelmRelease } from './versions';

export type SetFlag = 'set' | 'set-string' | 'set-json' | 'set-file' | 'set-literal';

export interface ParseSetOptions {
  /** For set-file: returns the file's content, or undefined if it cannot be read (then parsing fails with a message naming the path). */
  readFile?: (path: string) => string | undefined;
  /** Called each time a value is stored at container[key] (a leaf, a list made by {a,b}, a JSON value, a null). Used by callers to record provenance. */
  onAssign?: (container: Record<string, unknown> | unknown[], key: string | number) => void;
  /** Helm 3 wraps errors with errors.Wrap, so a wrapped io.EOF (`a[` cut short) is an error there; Helm 4's %w keeps it success (versions.ts `strvals-wrapped-eof`). Default: the newest release. */
  helmVersion?: HelmRelease;
}

/** Largest list index Helm accepts (strvals.MaxIndex). */
export const MAX_INDEX = 65536;
/** Most dots Helm accepts in one key path (strvals.MaxNestedNameLevel). */
export const MAX_NESTED_NAME_LEVEL = 30;

/** Parses one flag argument (e.g. `a.b=1,c=2`) into `dest`, mutating it like Helm's ParseInto* functions. Returns an error message, or undefined on success. Never throws. */
export function parseSetInto(flag: SetFlag, input: string, dest: Record<string, unknown>, options: ParseSetOptions = {}): string | undefined {
  return new Parser(new Input(input), MODES[flag], options).run(dest);
}

/** Convenience: parse into a fresh map. */
export function parseSet(flag: SetFlag, input: string, options?: ParseSetOptions): { value: Record<string, unknown> } | { error: string } {
  const value: Record<string, unknown> = {};
  const error = parseSetInto(flag, input, value, options);
  return error === undefined ? { value } : { error };
}

/**
 * Helm's setIndex: stores `value` at `list[index]`, padding with nulls when the list is shorter. The list is grown in
 * place (Helm allocates a longer copy; nothing can tell the two apart, and callers keep the list's identity).
 * Negative indices and indices above MAX_INDEX are refused and leave the list unchanged.
 */
export function setIndex(list: unknown[], index: number, value: unknown): { list: unknown[] } | { error: string } {
  if (!Number.isInteger(index)) return { error: `invalid index ${index}` };
  const err = storeIndex(list, BigInt(index), value);
  return err === undefined ? { list } : { error: err.message };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** An error as strvals returns it. `eof` marks io.EOF (or an error wrapping it): parsing then ends successfully. */
interface Failure {
  message: string;
  eof: boolean;
}

const EOF: Failure = { message: 'EOF', eof: true };

function fail(message: string): Failure {
  return { message, eof: false };
}

/** fmt.Errorf("prefix%w", err): the text is prefixed, and an io.EOF inside stays visible to errors.Is. */
function wrap(prefix: string, err: Failure): Failure {
  return { message: prefix + err.message, eof: err.eof };
}

/** The error a recovered failed type assertion (`v.([]interface{})`, `v.(map[string]interface{})`) turns into. */
function conversionPanic(value: unknown, wanted: string): string {
  return `interface conversion: interface {} is ${goTypeName(value)}, not ${wanted}`;
}

const GO_LIST = '[]interface {}';
const GO_MAP = 'map[string]interface {}';

/** The Go type Helm would hold for a value. Numbers are reported as float64, the type of numbers read from values files and JSON. */
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
    default:
      return Array.isArray(v) ? GO_LIST : isTable(v) ? GO_MAP : 'interface {}';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Input

/** The argument as Go's bytes.Buffer hands it out: one Unicode code point (rune) at a time. */
class Input {
  readonly runes: string[];
  pos = 0;

  constructor(text: string) {
    // A lone surrogate cannot be a Go rune; Go would see the replacement character.
    this.runes = Array.from(text, (r) => (r.length === 1 && r >= '\ud800' && r <= '\udfff' ? '\ufffd' : r));
  }

  read(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }

  unread(): void {
    this.pos--;
  }

  /** Everything left, consumed. */
  rest(): string {
    const text = this.runes.slice(this.pos).join('');
    this.pos = this.runes.length;
    return text;
  }

  /**
   * Reads up to the first rune in `stops`, which is consumed and returned as `stop` (undefined at end of input).
   * With `escapes`, a backslash makes the next rune literal; a backslash at the very end is dropped.
   */
  until(stops: string, escapes: boolean): { text: string; stop?: string } {
    let text = '';
    for (;;) {
      const r = this.read();
      if (r === undefined) return { text };
      if (stops.includes(r)) return { text, stop: r };
      if (escapes && r === '\\') {
        const next = this.read();
        if (next === undefined) return { text };
        text += next;
      } else {
        text += r;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

type Mode = 'typed' | 'string' | 'json' | 'file' | 'literal';

const MODES: Record<SetFlag, Mode> = {
  set: 'typed',
  'set-string': 'string',
  'set-json': 'json',
  'set-file': 'file',
  'set-literal': 'literal',
};

type Obj = Record<string, unknown>;

/**
 * Work suspended while a nested key() or listItem() runs (Helm's call stack, made explicit):
 * - mapKey: key() met `name.`, and descends into the map `inner`;
 * - listKey: key() met `name[i]`, and works on the list stored under `key`;
 * - nestedList: listItem() met `[i][j]`, and works on the list at `list[index]`;
 * - listMap: listItem() met `[i].`, and descends into the map at `list[index]`.
 */
type Frame =
  | { kind: 'mapKey'; data: Obj; key: string; inner: Obj }
  | { kind: 'listKey'; data: Obj; key: string }
  | { kind: 'nestedList'; list: unknown[]; index: bigint }
  | { kind: 'listMap'; list: unknown[]; index: bigint; inner: Obj };

/** What one step of key() or listItem() produced. */
type Step =
  /** The call returned. `list` is set when the call was a listItem(). */
  | { kind: 'return'; err: Failure | undefined; list?: unknown[] }
  /** listItem() hit a failed type assertion: Go unwinds to the recover() of the key() that led there. */
  | { kind: 'panic'; message: string }
  /** A nested call, after which `frame` resumes. */
  | { kind: 'callKey'; data: Obj; level: number; frame: Frame }
  | { kind: 'callList'; list: unknown[]; index: bigint; level: number; frame: Frame };

type ValueList = { kind: 'list'; list: unknown[] } | { kind: 'eof' } | { kind: 'notList' } | { kind: 'error'; err: Failure };

function returned(err: Failure | undefined): Step {
  return { kind: 'return', err };
}

function listReturned(list: unknown[], err: Failure | undefined): Step {
  return { kind: 'return', err, list };
}

class Parser {
  constructor(
    private readonly input: Input,
    private readonly mode: Mode,
    private readonly options: ParseSetOptions,
  ) {}

  /** parse(): assignments until the input ends; io.EOF (possibly wrapped) is success. */
  run(dest: Obj): string | undefined {
    for (;;) {
      const err = this.key(dest);
      if (err === undefined) continue;
      const success = err.eof && (this.options.helmVersion === undefined || hasBehaviour(this.options.helmVersion, 'strvals-wrapped-eof') || err.message === 'EOF');
      return success ? undefined : err.message;
    }
  }

  /** One top-level key() call, with every nested call run from an explicit stack. */
  private key(data: Obj): Failure | undefined {
    const stack: Frame[] = [];
    let step = this.keyStep(data, 0);
    for (;;) {
      switch (step.kind) {
        case 'callKey':
          stack.push(step.frame);
          step = this.keyStep(step.data, step.level);
          continue;
        case 'callList':
          stack.push(step.frame);
          step = this.listStep(step.list, step.index, step.level);
          continue;
        case 'panic': {
          // Unwind the listItem() calls up to the key() whose deferred recover() turns the panic into its error.
          let frame = stack.pop();
          while (frame !== undefined && frame.kind === 'nestedList') frame = stack.pop();
          step = returned(fail(`unable to parse key: ${step.message}`));
          continue;
        }
        case 'return': {
          const frame = stack.pop();
          if (frame === undefined) return step.err;
          step = this.resume(frame, step.err, step.list ?? []);
          continue;
        }
      }
    }
  }

  /** Finishes the work of `frame` once its nested call returned `err` (and `list`, for a listItem() call). */
  private resume(frame: Frame, err: Failure | undefined, list: unknown[]): Step {
    switch (frame.kind) {
      case 'mapKey': {
        const empty = Object.keys(frame.inner).length === 0;
        if (err === undefined && empty) return returned(fail(`key map ${goQuote(frame.key)} has no value`));
        if (!empty) setKey(frame.data, frame.key, frame.inner);
        return returned(err);
      }
      case 'listKey':
        setKey(frame.data, frame.key, list);
        return returned(err);
      case 'nestedList':
        if (err !== undefined) return listReturned(frame.list, err);
        return listReturned(frame.list, storeIndex(frame.list, frame.index, list));
      case 'listMap':
        if (err !== undefined) return listReturned(frame.list, err);
        return listReturned(frame.list, storeIndex(frame.list, frame.index, frame.inner));
    }
  }

  /** key(): reads a name and acts on what ends it (`=`, `[`, `.`, or `,`). */
  private keyStep(data: Obj, level: number): Step {
    const literal = this.mode === 'literal';
    const name = this.input.until(literal ? '=[.' : '=[,.', !literal);
    const key = name.text;
    if (name.stop === undefined) return returned(key === '' ? EOF : fail(`key ${goQuote(key)} has no value`));
    switch (name.stop) {
      case '[': {
        const index = this.index();
        if (typeof index !== 'bigint') return returned(wrap('error parsing index: ', index));
        let list: unknown[] = [];
        if (hasOwn(data, key)) {
          const current = data[key];
          if (!Array.isArray(current)) return returned(fail(`unable to parse key: ${conversionPanic(current, GO_LIST)}`));
          list = current;
        }
        return { kind: 'callList', list, index, level, frame: { kind: 'listKey', data, key } };
      }
      case '.': {
        if (level + 1 > MAX_NESTED_NAME_LEVEL) {
          return returned(fail(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`));
        }
        let inner: Obj = {};
        if (hasOwn(data, key)) {
          const current = data[key];
          if (!isTable(current)) return returned(fail(`unable to parse key: ${conversionPanic(current, GO_MAP)}`));
          inner = current;
        }
        return { kind: 'callKey', data: inner, level: level + 1, frame: { kind: 'mapKey', data, key, inner } };
      }
      case ',':
        this.store(data, key, '');
        return returned(fail(`key ${goQuote(key)} has no value (cannot end with ,)`));
      default:
        return returned(this.assignKey(data, key));
    }
  }

  /** key() after `name=`: reads the value and stores it under `key`. */
  private assignKey(data: Obj, key: string): Failure | undefined {
    switch (this.mode) {
      case 'literal':
        this.store(data, key, this.input.rest());
        return undefined;
      case 'json': {
        if (this.emptyValue()) {
          this.store(data, key, null);
          return undefined;
        }
        const decoded = decodeJson(this.input.runes, this.input.pos);
        if ('error' in decoded) return fail(decoded.error);
        this.store(data, key, decoded.value);
        this.input.pos = decoded.end;
        this.emptyValue();
        return undefined;
      }
      default: {
        const list = this.valueList();
        switch (list.kind) {
          case 'list':
            this.store(data, key, list.list);
            return undefined;
          case 'eof':
            this.store(data, key, '');
            return EOF;
          case 'error':
            return list.err;
          case 'notList': {
            const converted = this.convert(this.input.until(',', true).text);
            // Helm stores the reader's result even when it failed (nil, for an unreadable --set-file path).
            this.store(data, key, converted.value);
            return converted.err;
          }
        }
      }
    }
  }

  /** listItem(): what follows `name[index]`: `=value`, another `[j]`, or `.key`. */
  private listStep(list: unknown[], index: bigint, level: number): Step {
    if (index < 0n) return listReturned(list, fail(`negative ${index} index not allowed`));
    const literal = this.mode === 'literal';
    const next = this.input.until('[.=', !literal);
    if (next.text !== '') return listReturned(list, fail(`unexpected data at end of array index: ${goQuoteRunes(next.text)}`));
    if (next.stop === undefined) return listReturned(list, EOF);
    switch (next.stop) {
      case '=':
        return this.assignIndex(list, index);
      case '[': {
        const nextIndex = this.index();
        if (typeof nextIndex !== 'bigint') return listReturned(list, wrap('error parsing index: ', nextIndex));
        let nested: unknown[] = [];
        if (BigInt(list.length) > index) {
          const current = list[Number(index)];
          if (current !== null && current !== undefined) {
            if (!Array.isArray(current)) return { kind: 'panic', message: conversionPanic(current, GO_LIST) };
            nested = current;
          }
        }
        return { kind: 'callList', list: nested, index: nextIndex, level, frame: { kind: 'nestedList', list, index } };
      }
      default: {
        let inner: Obj = {};
        if (BigInt(list.length) > index) {
          const i = Number(index);
          const current = list[i];
          // A slot holding anything but a map is replaced by an empty map right away, even if parsing then fails.
          if (isTable(current)) inner = current;
          else list[i] = inner;
        }
        return { kind: 'callKey', data: inner, level, frame: { kind: 'listMap', list, index, inner } };
      }
    }
  }

  /** listItem() after `[index]=`: reads the value and stores it at `list[index]`. */
  private assignIndex(list: unknown[], index: bigint): Step {
    switch (this.mode) {
      case 'literal':
        return this.storeAt(list, index, this.input.rest());
      case 'json': {
        if (this.emptyValue()) return this.storeAt(list, index, null);
        const decoded = decodeJson(this.input.runes, this.input.pos);
        if ('error' in decoded) return listReturned(list, fail(decoded.error));
        const step = this.storeAt(list, index, decoded.value);
        if (step.kind === 'return' && step.err !== undefined) return step;
        this.input.pos = decoded.end;
        this.emptyValue();
        return step;
      }
      default: {
        const values = this.valueList();
        switch (values.kind) {
          case 'list':
            return this.storeAt(list, index, values.list);
          case 'eof':
            return this.storeAt(list, index, '');
          case 'error':
            return listReturned(list, values.err);
          case 'notList': {
            const converted = this.convert(this.input.until(',', true).text);
            if (converted.err !== undefined) return listReturned(list, converted.err);
            return this.storeAt(list, index, converted.value);
          }
        }
      }
    }
  }

  /** keyIndex(): the text up to `]`, read as a Go int. */
  private index(): bigint | Failure {
    const text = this.input.until(']', this.mode !== 'literal');
    if (text.stop === undefined) return EOF;
    return goAtoi(text.text);
  }

  /** valList(): `{a,b,c}` as a list (each element converted), or "not a list" with nothing consumed. */
  private valueList(): ValueList {
    const first = this.input.read();
    if (first === undefined) return { kind: 'eof' };
    if (first !== '{') {
      this.input.unread();
      return { kind: 'notList' };
    }
    const list: unknown[] = [];
    for (;;) {
      const item = this.input.until(',}', true);
      if (item.stop === undefined) return { kind: 'error', err: fail("list must terminate with '}'") };
      if (item.stop === '}') {
        // A `,` right after the closing brace belongs to the list.
        const after = this.input.read();
        if (after !== undefined && after !== ',') this.input.unread();
      }
      const converted = this.convert(item.text);
      if (converted.err !== undefined) return { kind: 'error', err: converted.err };
      list.push(converted.value);
      if (item.stop === '}') return { kind: 'list', list };
    }
  }

  /** emptyVal() of --set-json: skips spaces up to and including a `,`; true at a `,` or the end of input. */
  private emptyValue(): boolean {
    for (;;) {
      const r = this.input.read();
      if (r === undefined || r === ',') return true;
      if (!isGoSpace(r)) {
        this.input.unread();
        return false;
      }
    }
  }

  /** The flag's value reader: typed conversion (--set), the text itself (--set-string), or a file's content (--set-file). */
  private convert(text: string): { value: unknown; err?: Failure } {
    switch (this.mode) {
      case 'typed':
        return { value: typedValue(text) };
      case 'file': {
        const content = this.options.readFile?.(text);
        if (content === undefined) return { value: null, err: fail(`open ${text}: file cannot be read`) };
        return { value: content };
      }
      default:
        return { value: text };
    }
  }

  /** set() of a final value: Helm ignores an empty key. */
  private store(data: Obj, key: string, value: unknown): void {
    if (key === '') return;
    setOwn(data, key, value);
    this.options.onAssign?.(data, key);
  }

  /** setIndex() of a final value, returning from listItem(). */
  private storeAt(list: unknown[], index: bigint, value: unknown): Step {
    const err = storeIndex(list, index, value);
    if (err === undefined) this.options.onAssign?.(list, Number(index));
    return listReturned(list, err);
  }
}

/** set() of an intermediate map or list. */
function setKey(data: Obj, key: string, value: unknown): void {
  if (key !== '') setOwn(data, key, value);
}

function storeIndex(list: unknown[], index: bigint, value: unknown): Failure | undefined {
  if (index < 0n) return fail(`negative ${index} index not allowed`);
  if (index > BigInt(MAX_INDEX)) return fail(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  const i = Number(index);
  while (list.length < i) list.push(null);
  list[i] = value;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** typedVal() of --set: true/false/null in any case, 0, integers without a leading 0 (int64 range); otherwise the text. */
function typedValue(text: string): unknown {
  if (foldsTo(text, 'true')) return true;
  if (foldsTo(text, 'false')) return false;
  if (foldsTo(text, 'null')) return null;
  if (text === '0') return 0;
  if (text !== '' && text[0] !== '0') {
    const n = goAtoi(text);
    if (typeof n === 'bigint') return n === 0n ? 0 : Number(n);
  }
  return text;
}

/** strings.EqualFold against a lowercase ASCII word (Unicode simple folding: `ſ` folds to `s`). */
function foldsTo(text: string, word: string): boolean {
  const runes = Array.from(text);
  if (runes.length !== word.length) return false;
  return runes.every((r, i) => {
    const w = word.charAt(i);
    return r === w || r === w.toUpperCase() || (w === 's' && r === '\u017f');
  });
}

const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.Atoi (64-bit int): optional sign, ASCII digits; Go's error text on failure. */
function goAtoi(text: string): bigint | Failure {
  const syntax = fail(`strconv.Atoi: parsing ${goQuote(text)}: invalid syntax`);
  const range = fail(`strconv.Atoi: parsing ${goQuote(text)}: value out of range`);
  let digits = text;
  let negative = false;
  if (text.startsWith('+') || text.startsWith('-')) {
    negative = text.startsWith('-');
    digits = text.slice(1);
  }
  if (digits === '') return syntax;
  let n = 0n;
  for (const r of digits) {
    if (r.length !== 1 || r < '0' || r > '9') return syntax;
    n = n * 10n + BigInt(r.charCodeAt(0) - 48);
    // Go stops at the first digit that overflows uint64, before looking at what follows.
    if (n > UINT64_MAX) return range;
  }
  if (negative ? n > INT64_MAX + 1n : n > INT64_MAX) return range;
  return negative ? -n : n;
}

/** unicode.IsSpace. */
function isGoSpace(r: string): boolean {
  return /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(r);
}

// ---------------------------------------------------------------------------------------------------------------
// JSON (--set-json): Go's json.Decoder reading one value from the rest of the input

const MAX_JSON_DEPTH = 10000;
const JSON_SPACE = ' \t\n\r';

/** Decodes the JSON value starting at `start` (Go's Decoder.Decode into interface{}); `end` is just after it. */
function decodeJson(runes: readonly string[], start: number): { value: unknown; end: number } | { error: string } {
  const scanned = scanJson(runes, start);
  if ('error' in scanned) return scanned;
  if (scanned.hugeNumber !== undefined) return { error: `json: cannot unmarshal number ${scanned.hugeNumber} into Go value of type float64` };
  let value: unknown;
  try {
    value = JSON.parse(scanned.text);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  return { value, end: scanned.end };
}

interface JsonScan {
  end: number;
  /** The value's JSON text, ready for JSON.parse (lone surrogate escapes already replaced, as Go decodes them). */
  text: string;
  /** The first number outside float64's range, which Go refuses. */
  hugeNumber?: string;
}

/** Go's JSON scanner over one value: finds where it ends, or fails with Go's error text. Iterative, so deep nesting is safe. */
function scanJson(runes: readonly string[], start: number): JsonScan | { error: string } {
  const n = runes.length;
  const unexpectedEof = { error: 'unexpected EOF' };
  const invalid = (r: string, context: string) => ({ error: `invalid character ${quoteJsonByte(r)} ${context}` });
  const isDigit = (r: string | undefined) => r !== undefined && r.length === 1 && r >= '0' && r <= '9';
  const open: string[] = [];
  let p = start;
  let text = '';
  let hugeNumber: string | undefined;

  const skipSpace = (): void => {
    while (p < n && JSON_SPACE.includes(runes[p] ?? 'x')) p++;
  };

  const string = (): { error: string } | undefined => {
    p++;
    let out = '"';
    for (;;) {
      if (p >= n) return unexpectedEof;
      const r = runes[p] ?? '';
      if (r === '"') {
        p++;
        text += `${out}"`;
        return undefined;
      }
      if (r === '\\') {
        p++;
        if (p >= n) return unexpectedEof;
        const e = runes[p] ?? '';
        if (e === 'u') {
          const first = hex4(p + 1);
          if (typeof first !== 'number') return first;
          p += 5;
          if (first >= 0xd800 && first <= 0xdfff) {
            // Go keeps a valid surrogate pair and turns any other surrogate escape into U+FFFD.
            const second = runes[p] === '\\' && runes[p + 1] === 'u' ? hex4(p + 2) : undefined;
            if (first < 0xdc00 && typeof second === 'number' && second >= 0xdc00 && second <= 0xdfff) {
              out += `\\u${hex(first)}\\u${hex(second)}`;
              p += 6;
            } else {
              out += '\\ufffd';
            }
          } else {
            out += `\\u${hex(first)}`;
          }
          continue;
        }
        if (e.length !== 1 || !'"\\/bfnrt'.includes(e)) return invalid(e, 'in string escape code');
        out += `\\${e}`;
        p++;
        continue;
      }
      if ((r.codePointAt(0) ?? 0) < 0x20) return invalid(r, 'in string literal');
      out += r;
      p++;
    }
  };

  const hex4 = (at: number): number | { error: string } => {
    let v = 0;
    for (let k = at; k < at + 4; k++) {
      if (k >= n) return unexpectedEof;
      const r = runes[k] ?? '';
      if (!/^[0-9a-fA-F]$/.test(r)) return invalid(r, 'in \\u hexadecimal character escape');
      v = v * 16 + parseInt(r, 16);
    }
    return v;
  };

  const number = (): { error: string } | undefined => {
    const from = p;
    if (runes[p] === '-') {
      p++;
      if (p >= n) return unexpectedEof;
      if (!isDigit(runes[p])) return invalid(runes[p] ?? '', 'in numeric literal');
    }
    if (runes[p] === '0') p++;
    else while (isDigit(runes[p])) p++;
    if (runes[p] === '.') {
      p++;
      if (p >= n) return unexpectedEof;
      if (!isDigit(runes[p])) return invalid(runes[p] ?? '', 'after decimal point in numeric literal');
      while (isDigit(runes[p])) p++;
    }
    if (runes[p] === 'e' || runes[p] === 'E') {
      p++;
      if (runes[p] === '+' || runes[p] === '-') p++;
      if (p >= n) return unexpectedEof;
      if (!isDigit(runes[p])) return invalid(runes[p] ?? '', 'in exponent of numeric literal');
      while (isDigit(runes[p])) p++;
    }
    const literal = runes.slice(from, p).join('');
    if (hugeNumber === undefined && !Number.isFinite(Number(literal))) hugeNumber = literal;
    text += literal;
    return undefined;
  };

  const word = (w: string): { error: string } | undefined => {
    for (let k = 0; k < w.length; k++, p++) {
      if (p >= n) return unexpectedEof;
      const r = runes[p] ?? '';
      if (r !== w.charAt(k)) return invalid(r, `in literal ${w} (expecting '${w.charAt(k)}')`);
    }
    text += w;
    return undefined;
  };

  /** An object key and its colon. */
  const key = (): { error: string } | undefined => {
    skipSpace();
    if (p >= n) return unexpectedEof;
    if (runes[p] !== '"') return invalid(runes[p] ?? '', 'looking for beginning of object key string');
    const err = string();
    if (err) return err;
    skipSpace();
    if (p >= n) return unexpectedEof;
    if (runes[p] !== ':') return invalid(runes[p] ?? '', 'after object key');
    text += ':';
    p++;
    return undefined;
  };

  let wantValue = true;
  for (;;) {
    if (wantValue) {
      skipSpace();
      if (p >= n) return unexpectedEof;
      const r = runes[p] ?? '';
      if (r === '{' || r === '[') {
        if (open.length >= MAX_JSON_DEPTH) return invalid(r, 'exceeded max depth');
        open.push(r);
        text += r;
        p++;
        skipSpace();
        if (p >= n) return unexpectedEof;
        const close = r === '{' ? '}' : ']';
        if (runes[p] === close) {
          open.pop();
          text += close;
          p++;
          wantValue = false;
        } else if (r === '{') {
          const err = key();
          if (err) return err;
        }
        continue;
      }
      let err: { error: string } | undefined;
      if (r === '"') err = string();
      else if (r === '-' || isDigit(r)) err = number();
      else if (r === 't') err = word('true');
      else if (r === 'f') err = word('false');
      else if (r === 'n') err = word('null');
      else return invalid(r, 'looking for beginning of value');
      if (err) return err;
      wantValue = false;
      continue;
    }
    const top = open[open.length - 1];
    if (top === undefined) return hugeNumber === undefined ? { end: p, text } : { end: p, text, hugeNumber };
    skipSpace();
    if (p >= n) return unexpectedEof;
    const r = runes[p] ?? '';
    if (r === ',') {
      text += ',';
      p++;
      if (top === '{') {
        const err = key();
        if (err) return err;
      }
      wantValue = true;
    } else if (r === (top === '{' ? '}' : ']')) {
      open.pop();
      text += r;
      p++;
    } else {
      return invalid(r, top === '{' ? 'after object key:value pair' : 'after array element');
    }
  }
}

function hex(v: number): string {
  return v.toString(16).padStart(4, '0');
}

/** Go's scanner reports the offending byte: the first UTF-8 byte of the rune, quoted as a character. */
function quoteJsonByte(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  const byte = cp < 0x80 ? cp : cp < 0x800 ? 0xc0 | (cp >> 6) : cp < 0x10000 ? 0xe0 | (cp >> 12) : 0xf0 | (cp >> 18);
  const c = String.fromCharCode(byte);
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  return `'${goQuote(c).slice(1, -1)}'`;
}

// ---------------------------------------------------------------------------------------------------------------
// Go quoting for messages

/** strconv.Quote (`%q` of a string). */
function goQuote(s: string): string {
  let out = '"';
  for (const r of s) out += escapeRune(r, '"');
  return `${out}"`;
}

/** `%q` of a []rune, as Helm formats "unexpected data at end of array index": `['a' 'b']`. */
function goQuoteRunes(s: string): string {
  return `[${Array.from(s, (r) => `'${escapeRune(r, "'")}'`).join(' ')}]`;
}

function escapeRune(r: string, quote: string): string {
  if (r === quote || r === '\\') return `\\${r}`;
  if (r === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(r)) return r;
  switch (r) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
  }
  let cp = r.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}
