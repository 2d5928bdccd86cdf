// The parser of Go's text/template, written from Go's src/text/template/parse/parse.go: the same grammar (actions,
// pipelines with `:=`/`=` declarations, if/else if/with/else with/range with `$i, $v :=`, define/template/block,
// break/continue inside range, parenthesised pipelines and field chains on them) and the same error wording where Go
// has one. Go stops at its first error; this parser records it (with line and column), skips to the end of the
// action and reads on, so a broken action does not hide the rest of the file. Never throws.
//
// Not checked here, as Go checks at parse time: whether a function name exists (Helm's function map is Sprig's plus
// its own, and a typo is reported by Helm at render time).
import {
  lineStartsOf,
  positionAt,
  type Command,
  type DefineNode,
  type Node,
  type Operand,
  type ParsedTemplate,
  type Pipe,
  type TemplateProblem,
  type VariableDecl,
} from './ast';
import { CODE, lexItems, SPACED, TYPES, type Items, type ItemType } from './lexer';
import { Stack } from './stack';

type Marker = { type: 'end'; pos: number; end: number } | { type: 'else'; pos: number; end: number; chained: string | undefined };
type Stop = Marker | { type: 'eof'; pos: number; end: number };

const OPERAND_START: ReadonlySet<ItemType> = new Set<ItemType>(['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen']);
const NO_IDENTS: readonly string[] = [];
const EOF = TYPES.indexOf('eof');

/** Parses one template file. */
export function parseTemplate(file: string, text: string): ParsedTemplate {
  return new Parser(file, text).parse();
}

/**
 * Reads the items by index (an item is a number: its index in the lexer's flat arrays), so a parse makes no object
 * per item, and slices the text only for the names and values the tree keeps.
 */
class Parser {
  private readonly items: Items;
  /** The items' type codes (see Items.codes). */
  private readonly codes: Uint8Array;
  /** The items' offsets (see Items.startArray, Items.endArray). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private i = 0;
  private readonly problems: TemplateProblem[] = [];
  private readonly lineStarts: number[];
  /** Set by an error inside an action; the action is abandoned and reading resumes after it. */
  private failed = false;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly defines: DefineNode[] = [];
  // Children are pushed on these stacks and sliced off when their parent is made: each array is made once, at its
  // exact size (an array grown by push() holds 17 slots at least, and leaves a copy behind as garbage).
  private readonly nodeStack = new Stack<Node>();
  private readonly cmdStack = new Stack<Command>();
  private readonly argStack = new Stack<Operand>();

  constructor(private readonly file: string, private readonly text: string) {
    this.items = lexItems(text);
    this.codes = this.items.codes;
    this.starts = this.items.startArray;
    this.ends = this.items.endArray;
    this.lineStarts = lineStartsOf(text);
  }

  parse(): ParsedTemplate {
    const root = this.nodeStack;
    for (;;) {
      const type = this.type(this.i);
      if (type === 'eof') break;
      if (type === 'leftDelim' && this.defineAhead()) {
        this.parseDefine();
        continue;
      }
      const node = this.textOrAction();
      if (node === undefined) continue;
      if (node.type === 'end' || node.type === 'else') {
        this.error(`unexpected {{${node.type}}}`, node.pos);
        continue;
      }
      root.push(node);
    }
    return { file: this.file, text: this.text, root: root.take(0), defines: this.defines, problems: this.problems, lineStarts: this.lineStarts };
  }

  // -- items ----------------------------------------------------------------------------------------------------------

  /** The type of item j (after the last item: `eof`). */
  private type(j: number): ItemType {
    return TYPES[(this.codes[j] ?? EOF) & CODE] ?? 'eof';
  }

  /** Whether item j follows a space (the lexer makes no item of spaces inside actions, see SPACED). */
  private spaced(j: number): boolean {
    return ((this.codes[j] ?? 0) & SPACED) !== 0;
  }

  private pos(j: number): number {
    return this.starts[j] ?? this.text.length;
  }

  private end(j: number): number {
    return this.ends[j] ?? this.text.length;
  }

  private val(j: number): string {
    return this.items.val(j);
  }

  /** A name; `from`: characters to skip (the dot of a field). */
  private name(j: number, from = 0): string {
    return this.text.slice(this.pos(j) + from, this.end(j));
  }

  /** The value of a string or raw string item (sliced once when it has no escapes). */
  private stringValue(j: number): string {
    const pos = this.pos(j);
    const end = this.end(j);
    const body = this.text.slice(pos + 1, end - 1);
    return this.text.charCodeAt(pos) === 96 || !body.includes('\\') ? body : unquote(this.text.slice(pos, end));
  }

  private next(): number {
    const j = this.i;
    const type = this.type(j);
    if (type !== 'eof') this.i++;
    if (type === 'error') this.fail(this.val(j), this.pos(j));
    return j;
  }

  private nextNonSpace(): number {
    let j = this.next();
    while (this.type(j) === 'space') j = this.next();
    return j;
  }

  /** Skips spaces; the type of the next item. */
  private skipSpace(): ItemType {
    while (this.type(this.i) === 'space') this.i++;
    return this.type(this.i);
  }

  /** Skips spaces; the next item. */
  private peekNonSpace(): number {
    while (this.type(this.i) === 'space') this.i++;
    return this.i;
  }

  /** At `{{` followed by the keyword `define`. */
  private defineAhead(): boolean {
    let j = this.i + 1;
    while (this.type(j) === 'space') j++;
    return this.type(j) === 'keyword' && this.items.is(j, 'define');
  }

  private error(message: string, offset: number): void {
    const { line, column } = positionAt(this.lineStarts, offset);
    this.problems.push({ message, offset, line, column });
  }

  private fail(message: string, offset: number): void {
    if (!this.failed) this.error(message, offset);
    this.failed = true;
  }

  private unexpected(j: number, context: string): void {
    this.fail(`unexpected ${this.describe(j)} in ${context}`, this.pos(j));
  }

  /** After a failed action: skip to (and past) its right delimiter, and read on. */
  private recover(): void {
    for (;;) {
      const j = this.i;
      const type = this.type(j);
      if (type === 'eof' || type === 'text' || type === 'leftDelim' || type === 'comment') break;
      this.i++;
      if (type === 'error') this.error(this.val(j), this.pos(j));
      if (type === 'rightDelim' || type === 'error') break;
    }
    this.failed = false;
  }

  /** The next non-space item when it is of `type`, else -1 (after recording the error). */
  private expect(type: ItemType, context: string): number {
    const j = this.nextNonSpace();
    if (this.failed) return -1;
    if (this.type(j) !== type) {
      this.unexpected(j, context);
      return -1;
    }
    return j;
  }

  // -- structure ------------------------------------------------------------------------------------------------------

  private parseDefine(): void {
    const open = this.next(); // leftDelim
    this.nextNonSpace(); // define
    const nameItem = this.nextNonSpace();
    const nameType = this.type(nameItem);
    if (nameType !== 'string' && nameType !== 'rawString') {
      if (!this.failed) this.unexpected(nameItem, 'define clause');
      this.recover();
      return;
    }
    if (this.expect('rightDelim', 'define clause') < 0) {
      this.recover();
      return;
    }
    const saved = this.vars;
    this.vars = ['$'];
    const { nodes, stop } = this.itemList();
    this.vars = saved;
    const name = unquote(this.val(nameItem));
    if (stop.type !== 'end') this.error(stop.type === 'eof' ? `unexpected EOF in define clause "${name}"` : 'unexpected {{else}} in define clause', stop.pos);
    this.defines.push({ name, namePos: this.pos(nameItem), pos: this.pos(open), end: stop.end, list: nodes });
  }

  /** Nodes up to `{{end}}`, `{{else}}` or EOF. */
  private itemList(): { nodes: Node[]; stop: Stop } {
    const nodes = this.nodeStack;
    const mark = nodes.top;
    for (;;) {
      const type = this.type(this.i);
      if (type === 'eof') {
        const pos = this.pos(this.i);
        return { nodes: nodes.take(mark), stop: { type: 'eof', pos, end: pos } };
      }
      if (type === 'leftDelim' && this.defineAhead()) {
        this.next();
        const kw = this.nextNonSpace();
        this.fail('unexpected "define" in command: {{define}} is allowed only at the top level of a file', this.pos(kw));
        this.recover();
        continue;
      }
      const node = this.textOrAction();
      if (node === undefined) continue;
      if (node.type === 'end' || node.type === 'else') return { nodes: nodes.take(mark), stop: node };
      nodes.push(node);
    }
  }

  private textOrAction(): Node | Marker | undefined {
    const j = this.next();
    switch (this.type(j)) {
      case 'text':
        return { type: 'text', pos: this.pos(j), end: this.end(j) };
      case 'comment':
        return { type: 'comment', pos: this.pos(j), end: this.end(j) };
      case 'leftDelim': {
        const node = this.action(j);
        if (this.failed) {
          this.recover();
          return undefined;
        }
        return node;
      }
      case 'error':
        this.failed = false;
        return undefined;
      default:
        this.unexpected(j, 'input');
        this.recover();
        return undefined;
    }
  }

  private action(open: number): Node | Marker | undefined {
    const j = this.peekNonSpace();
    if (this.type(j) === 'keyword') {
      this.next();
      const keyword = keywordOf(this.text, this.pos(j), this.end(j));
      switch (keyword) {
        case 'block':
          return this.blockControl(open);
        case 'break':
        case 'continue': {
          const close = this.expect('rightDelim', keyword);
          if (close < 0) return undefined;
          if (this.rangeDepth === 0) this.error(`{{${keyword}}} outside {{range}}`, this.pos(j));
          return { type: keyword, pos: this.pos(open), end: this.end(close) };
        }
        case 'else': {
          const peek = this.peekNonSpace();
          if (this.type(peek) === 'keyword' && (this.items.is(peek, 'if') || this.items.is(peek, 'with'))) {
            return { type: 'else', pos: this.pos(open), end: this.pos(peek), chained: this.val(peek) };
          }
          const close = this.expect('rightDelim', 'else');
          if (close < 0) return undefined;
          return { type: 'else', pos: this.pos(open), end: this.end(close), chained: undefined };
        }
        case 'end': {
          const close = this.expect('rightDelim', 'end');
          if (close < 0) return undefined;
          return { type: 'end', pos: this.pos(open), end: this.end(close) };
        }
        case 'if':
        case 'range':
        case 'with':
          return this.control(keyword, this.pos(open));
        case 'template':
          return this.templateControl(open);
        default:
          this.unexpected(j, 'command');
          return undefined;
      }
    }
    const pipe = this.pipeline('command', 'rightDelim');
    if (!pipe) return undefined;
    return { type: 'action', pos: this.pos(open), end: this.end(this.i - 1), pipe };
  }

  /** if / range / with: the pipeline, the list, an optional else (or else-if / else-with chain), the end. */
  private control(context: 'if' | 'range' | 'with', pos: number): Node {
    const mark = this.vars.length;
    let pipe = this.pipeline(context, 'rightDelim');
    if (this.failed) {
      this.recover();
      pipe = undefined;
    }
    if (context === 'range') this.rangeDepth++;
    const { nodes: list, stop } = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: Node[] | undefined;
    let end = stop.end;
    if (stop.type === 'else') {
      if (stop.chained !== undefined) {
        if (stop.chained === context) {
          const kw = this.nextNonSpace(); // `if` / `with`: the chained control shares this {{end}}
          const nested = this.control(context, this.pos(kw));
          elseList = [nested];
          end = nested.end;
        } else {
          this.error(`unexpected "${stop.chained}" after {{else}} in {{${context}}}`, stop.end);
          this.recover();
          const rest = this.itemList();
          elseList = rest.nodes;
          end = rest.stop.end;
          if (rest.stop.type !== 'end') this.error(`expected {{end}} of {{${context}}}; found ${rest.stop.type === 'eof' ? 'EOF' : '{{else}}'}`, rest.stop.pos);
        }
      } else {
        const rest = this.itemList();
        elseList = rest.nodes;
        end = rest.stop.end;
        if (rest.stop.type !== 'end') this.error(`expected {{end}} of {{${context}}}; found ${rest.stop.type === 'eof' ? 'EOF' : '{{else}}'}`, rest.stop.pos);
      }
    } else if (stop.type === 'eof') {
      this.error(`unexpected EOF: {{${context}}} has no {{end}}`, pos);
    }
    this.vars.length = mark;
    return { type: context, pos, end, pipe, list, elseList };
  }

  /** The name of a template or block clause, or -1. */
  private templateName(context: string): number {
    const j = this.nextNonSpace();
    if (this.failed) return -1;
    const type = this.type(j);
    if (type !== 'string' && type !== 'rawString') {
      this.unexpected(j, context);
      return -1;
    }
    return j;
  }

  private templateControl(open: number): Node | undefined {
    const nameItem = this.templateName('template clause');
    if (nameItem < 0) return undefined;
    let pipe: Pipe | undefined;
    const after = this.peekNonSpace();
    if (this.type(after) === 'rightDelim') this.next();
    else {
      pipe = this.pipeline('template clause', 'rightDelim');
      if (!pipe) return undefined;
    }
    return { type: 'template', pos: this.pos(open), end: this.end(this.i - 1), name: unquote(this.val(nameItem)), namePos: this.pos(nameItem), pipe };
  }

  /** `{{block "name" pipe}} list {{end}}`: defines the template and calls it here. */
  private blockControl(open: number): Node | undefined {
    const nameItem = this.templateName('block clause');
    if (nameItem < 0) return undefined;
    const pipe = this.pipeline('block clause', 'rightDelim');
    if (!pipe) return undefined;
    const saved = this.vars;
    this.vars = ['$'];
    const { nodes, stop } = this.itemList();
    this.vars = saved;
    if (stop.type !== 'end') this.error(stop.type === 'eof' ? 'unexpected EOF in block clause' : 'unexpected {{else}} in block clause', stop.pos);
    const name = unquote(this.val(nameItem));
    this.defines.push({ name, namePos: this.pos(nameItem), pos: this.pos(open), end: stop.end, list: nodes });
    return { type: 'template', pos: this.pos(open), end: stop.end, name, namePos: this.pos(nameItem), pipe };
  }

  // -- pipelines ------------------------------------------------------------------------------------------------------

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe | undefined {
    const mark = this.cmdStack.top;
    const pipe = this.pipelineFrom(mark, context, end);
    this.cmdStack.top = mark;
    return pipe;
  }

  /** The pipeline; its commands are pushed on cmdStack above `mark`. */
  private pipelineFrom(mark: number, context: string, end: 'rightDelim' | 'rightParen'): Pipe | undefined {
    this.skipSpace();
    const start = this.pos(this.i);
    const decl: VariableDecl[] = [];
    let isAssign = false;
    let declared = false;
    // Declarations: `$x :=`, `$x =`, and in range `$i, $v :=`.
    for (;;) {
      if (this.skipSpace() !== 'variable') break;
      const v = this.i;
      this.next();
      const after = this.peekNonSpace();
      const afterType = this.type(after);
      if (afterType === 'assign' || afterType === 'declare') {
        this.next();
        isAssign = afterType === 'assign';
        declared = true;
        decl.push({ name: this.name(v), pos: this.pos(v), end: this.end(v) });
        break;
      }
      if (afterType === 'comma') {
        this.next();
        decl.push({ name: this.name(v), pos: this.pos(v), end: this.end(v) });
        if (context === 'range' && decl.length < 2) {
          const peek = this.peekNonSpace();
          if (this.type(peek) === 'variable') continue;
          this.fail('range can only initialize variables', this.pos(peek));
          return undefined;
        }
        this.fail(`too many declarations in ${context}`, this.pos(after));
        return undefined;
      }
      this.i = v;
      break;
    }
    if (decl.length > 0 && !declared) {
      this.fail('range can only initialize variables', this.pos(this.i));
      return undefined;
    }
    for (const d of decl) {
      if (isAssign) {
        if (!this.vars.includes(d.name)) this.fail(`undefined variable "${d.name}"`, d.pos);
      } else this.vars.push(d.name);
    }
    if (this.failed) return undefined;
    const cmds = this.cmdStack;
    for (;;) {
      const j = this.nextNonSpace();
      if (this.failed) return undefined;
      const type = this.type(j);
      if (type === end) {
        if (cmds.top === mark) {
          this.fail(`missing value for ${context}`, this.pos(j));
          return undefined;
        }
        for (let k = 1; mark + k < cmds.top; k++) {
          const first = cmds.at(mark + k)?.args[0];
          if (first && (first.type === 'bool' || first.type === 'dot' || first.type === 'nil' || first.type === 'number' || first.type === 'string')) {
            this.fail(`non executable command in pipeline stage ${k + 1}`, first.pos);
            return undefined;
          }
        }
        return { pos: start, end: this.pos(j), decl: exact(decl), isAssign, cmds: cmds.take(mark) };
      }
      if (OPERAND_START.has(type)) {
        this.i = j;
        const cmd = this.command();
        if (!cmd) return undefined;
        cmds.push(cmd);
        continue;
      }
      this.unexpected(j, context);
      return undefined;
    }
  }

  private command(): Command | undefined {
    const mark = this.argStack.top;
    const cmd = this.commandFrom(mark);
    this.argStack.top = mark;
    return cmd;
  }

  /** The command; its operands are pushed on argStack above `mark`. */
  private commandFrom(mark: number): Command | undefined {
    const args = this.argStack;
    this.skipSpace();
    const start = this.pos(this.i);
    let end = start;
    /** The item whose leading space has been passed over (as Go's parser passes a space item). */
    let spaceTaken = -1;
    for (;;) {
      this.skipSpace();
      const operand = this.operand();
      if (this.failed) return undefined;
      if (operand) {
        args.push(operand);
        end = operand.end;
      }
      if (this.spaced(this.i) && spaceTaken !== this.i) {
        spaceTaken = this.i;
        continue;
      }
      const j = this.next();
      if (this.failed) return undefined;
      const type = this.type(j);
      if (type === 'space') continue;
      if (type === 'rightDelim' || type === 'rightParen') this.i--;
      else if (type !== 'pipe') {
        this.unexpected(j, 'operand');
        return undefined;
      }
      break;
    }
    if (args.top === mark) {
      this.fail('empty command', start);
      return undefined;
    }
    return { pos: start, end, args: args.take(mark) };
  }

  private operand(): Operand | undefined {
    const node = this.term();
    if (!node || this.failed) return undefined;
    if (this.type(this.i) !== 'field' || this.spaced(this.i)) return node;
    let count = 1;
    while (this.type(this.i + count) === 'field' && !this.spaced(this.i + count)) count++;
    const idents: string[] = new Array<string>(count);
    let end = node.end;
    for (let k = 0; k < count; k++) {
      const f = this.next();
      idents[k] = this.name(f, 1);
      end = this.end(f);
    }
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: node.pos, end, idents: node.idents.concat(idents) };
      case 'variable':
        return { type: 'variable', pos: node.pos, end, name: node.name, idents: node.idents.concat(idents) };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(`unexpected . after term ${JSON.stringify(this.text.slice(node.pos, node.end))}`, node.end);
        return undefined;
      default:
        return { type: 'chain', pos: node.pos, end, node, idents };
    }
  }

  private term(): Operand | undefined {
    const j = this.nextNonSpace();
    if (this.failed) return undefined;
    const pos = this.pos(j);
    const end = this.end(j);
    switch (this.type(j)) {
      case 'identifier':
        return { type: 'identifier', pos, end, name: this.name(j) };
      case 'dot':
        return { type: 'dot', pos, end };
      case 'nil':
        return { type: 'nil', pos, end };
      case 'variable': {
        const name = this.name(j);
        if (!this.vars.includes(name)) {
          this.fail(`undefined variable "${name}"`, pos);
          return undefined;
        }
        return { type: 'variable', pos, end, name, idents: NO_IDENTS };
      }
      case 'field':
        return { type: 'field', pos, end, idents: [this.name(j, 1)] };
      case 'bool':
        return { type: 'bool', pos, end, value: this.items.is(j, 'true') };
      case 'number':
      case 'char':
        return { type: 'number', pos, end, text: this.val(j) };
      case 'string':
      case 'rawString':
        return { type: 'string', pos, end, value: this.stringValue(j) };
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        if (!pipe) return undefined;
        return { type: 'pipe', pos, end: this.end(this.i - 1), pipe };
      }
      default:
        this.i--;
        return undefined;
    }
  }

  private describe(j: number): string {
    const type = this.type(j);
    switch (type) {
      case 'eof':
        return 'EOF';
      case 'rightDelim':
        return '"}}"';
      case 'leftDelim':
        return '"{{"';
      case 'error':
        return this.val(j);
      case 'keyword':
        return `<${this.val(j)}>`;
      default: {
        // Text and spaces are described as Go does by their (empty) value.
        const val = type === 'text' || type === 'space' ? '' : this.val(j);
        return JSON.stringify(val.length > 20 ? `${val.slice(0, 20)}…` : val);
      }
    }
  }
}

const KEYWORD_LIST = ['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with'] as const;

/** The keyword written at pos…end (the constant string: no slice). */
function keywordOf(text: string, pos: number, end: number): string {
  for (const k of KEYWORD_LIST) if (k.length === end - pos && text.startsWith(k, pos)) return k;
  return text.slice(pos, end);
}


/**
 * An array built by push() has room for more (17 elements at least); a parse keeps its arrays, so each is copied to
 * its exact size (a third of the memory, and that much less for the garbage collector to copy).
 */
function exact<T>(a: T[]): T[] {
  return a.length === 0 ? a : a.slice();
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Go's strconv.Unquote for "…" and `…` (and '…', whose rune is returned as text). */
export function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  const body = s.slice(1, -1);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i] ?? '';
    if (e in ESCAPES) out += ESCAPES[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      out += String.fromCodePoint(Number.parseInt(hex, 16) || 0);
      i += len;
    } else if (/[0-7]/.test(e)) {
      out += String.fromCharCode(Number.parseInt(body.slice(i, i + 3), 8) || 0);
      i += 2;
    } else out += e;
  }
  return out;
}
