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
import { lexItems, type Item, type Items } from './lexer';

type Marker = { type: 'end'; pos: number; end: number } | { type: 'else'; pos: number; end: number; chained: string | undefined };
type Stop = Marker | { type: 'eof'; pos: number; end: number };

const OPERAND_START = new Set(['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen']);

/** Parses one template file. */
export function parseTemplate(file: string, text: string): ParsedTemplate {
  return new Parser(file, text).parse();
}

class Parser {
  private readonly items: Items;
  private i = 0;
  private readonly problems: TemplateProblem[] = [];
  private readonly lineStarts: number[];
  /** Set by an error inside an action; the action is abandoned and reading resumes after it. */
  private failed = false;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private readonly defines: DefineNode[] = [];

  constructor(private readonly file: string, private readonly text: string) {
    this.items = lexItems(text);
    this.lineStarts = lineStartsOf(text);
  }

  parse(): ParsedTemplate {
    const root: Node[] = [];
    for (;;) {
      const item = this.peek();
      if (item.type === 'eof') break;
      if (item.type === 'leftDelim' && this.peekKeywordAfterDelim() === 'define') {
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
    return { file: this.file, text: this.text, root: exact(root), defines: this.defines, problems: this.problems, lineStarts: this.lineStarts };
  }

  // -- items ----------------------------------------------------------------------------------------------------------

  private peek(): Item {
    return this.items.item(this.i);
  }

  private next(): Item {
    const item = this.peek();
    if (item.type !== 'eof') this.i++;
    if (item.type === 'error') this.fail(item.val, item.pos);
    return item;
  }

  private nextNonSpace(): Item {
    let item = this.next();
    while (item.type === 'space') item = this.next();
    return item;
  }

  /** Skips spaces; the type of the next item. */
  private skipSpace(): Item['type'] {
    while (this.items.type(this.i) === 'space') this.i++;
    return this.items.type(this.i);
  }

  private peekNonSpace(): Item {
    let j = this.i;
    while (this.items.type(j) === 'space') j++;
    this.i = j;
    return this.peek();
  }

  private peekKeywordAfterDelim(): string | undefined {
    let j = this.i + 1;
    while (this.items.type(j) === 'space') j++;
    return this.items.type(j) === 'keyword' ? this.items.item(j).val : undefined;
  }

  private error(message: string, offset: number): void {
    const { line, column } = positionAt(this.lineStarts, offset);
    this.problems.push({ message, offset, line, column });
  }

  private fail(message: string, offset: number): void {
    if (!this.failed) this.error(message, offset);
    this.failed = true;
  }

  private unexpected(item: Item, context: string): void {
    this.fail(`unexpected ${describe(item)} in ${context}`, item.pos);
  }

  /** After a failed action: skip to (and past) its right delimiter, and read on. */
  private recover(): void {
    for (;;) {
      const item = this.peek();
      if (item.type === 'eof' || item.type === 'text' || item.type === 'leftDelim' || item.type === 'comment') break;
      this.i++;
      if (item.type === 'error') this.error(item.val, item.pos);
      if (item.type === 'rightDelim' || item.type === 'error') break;
    }
    this.failed = false;
  }

  private expect(type: Item['type'], context: string): Item | undefined {
    const item = this.nextNonSpace();
    if (this.failed) return undefined;
    if (item.type !== type) {
      this.unexpected(item, context);
      return undefined;
    }
    return item;
  }

  // -- structure ------------------------------------------------------------------------------------------------------

  private parseDefine(): void {
    const open = this.next(); // leftDelim
    this.nextNonSpace(); // define
    const nameItem = this.nextNonSpace();
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') {
      if (!this.failed) this.unexpected(nameItem, 'define clause');
      this.recover();
      return;
    }
    if (!this.expect('rightDelim', 'define clause')) {
      this.recover();
      return;
    }
    const saved = this.vars;
    this.vars = ['$'];
    const { nodes, stop } = this.itemList();
    this.vars = saved;
    if (stop.type !== 'end') this.error(stop.type === 'eof' ? `unexpected EOF in define clause "${unquote(nameItem.val)}"` : 'unexpected {{else}} in define clause', stop.pos);
    this.defines.push({ name: unquote(nameItem.val), namePos: nameItem.pos, pos: open.pos, end: stop.end, list: nodes });
  }

  /** Nodes up to `{{end}}`, `{{else}}` or EOF. */
  private itemList(): { nodes: Node[]; stop: Stop } {
    const nodes: Node[] = [];
    for (;;) {
      const item = this.peek();
      if (item.type === 'eof') return { nodes: exact(nodes), stop: { type: 'eof', pos: item.pos, end: item.pos } };
      if (item.type === 'leftDelim' && this.peekKeywordAfterDelim() === 'define') {
        this.next();
        const kw = this.nextNonSpace();
        this.fail('unexpected "define" in command: {{define}} is allowed only at the top level of a file', kw.pos);
        this.recover();
        continue;
      }
      const node = this.textOrAction();
      if (node === undefined) continue;
      if (node.type === 'end' || node.type === 'else') return { nodes: exact(nodes), stop: node };
      nodes.push(node);
    }
  }

  private textOrAction(): Node | Marker | undefined {
    const item = this.next();
    switch (item.type) {
      case 'text':
        return { type: 'text', pos: item.pos, end: item.end };
      case 'comment':
        return { type: 'comment', pos: item.pos, end: item.end };
      case 'leftDelim': {
        const node = this.action(item);
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
        this.unexpected(item, 'input');
        this.recover();
        return undefined;
    }
  }

  private action(open: Item): Node | Marker | undefined {
    const item = this.peekNonSpace();
    if (item.type === 'keyword') {
      this.next();
      switch (item.val) {
        case 'block':
          return this.blockControl(open);
        case 'break':
        case 'continue': {
          const close = this.expect('rightDelim', item.val);
          if (!close) return undefined;
          if (this.rangeDepth === 0) this.error(`{{${item.val}}} outside {{range}}`, item.pos);
          return { type: item.val, pos: open.pos, end: close.end };
        }
        case 'else': {
          const peek = this.peekNonSpace();
          if (peek.type === 'keyword' && (peek.val === 'if' || peek.val === 'with')) return { type: 'else', pos: open.pos, end: peek.pos, chained: peek.val };
          const close = this.expect('rightDelim', 'else');
          if (!close) return undefined;
          return { type: 'else', pos: open.pos, end: close.end, chained: undefined };
        }
        case 'end': {
          const close = this.expect('rightDelim', 'end');
          if (!close) return undefined;
          return { type: 'end', pos: open.pos, end: close.end };
        }
        case 'if':
        case 'range':
        case 'with':
          return this.control(item.val, open.pos);
        case 'template':
          return this.templateControl(open);
        default:
          this.unexpected(item, 'command');
          return undefined;
      }
    }
    const pipe = this.pipeline('command', 'rightDelim');
    if (!pipe) return undefined;
    return { type: 'action', pos: open.pos, end: this.items.end(this.i - 1), pipe };
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
          const nested = this.control(context, kw.pos);
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

  private templateName(context: string): Item | undefined {
    const nameItem = this.nextNonSpace();
    if (this.failed) return undefined;
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') {
      this.unexpected(nameItem, context);
      return undefined;
    }
    return nameItem;
  }

  private templateControl(open: Item): Node | undefined {
    const nameItem = this.templateName('template clause');
    if (!nameItem) return undefined;
    let pipe: Pipe | undefined;
    const after = this.peekNonSpace();
    if (after.type === 'rightDelim') this.next();
    else {
      pipe = this.pipeline('template clause', 'rightDelim');
      if (!pipe) return undefined;
    }
    return { type: 'template', pos: open.pos, end: this.items.end(this.i - 1), name: unquote(nameItem.val), namePos: nameItem.pos, pipe };
  }

  /** `{{block "name" pipe}} list {{end}}`: defines the template and calls it here. */
  private blockControl(open: Item): Node | undefined {
    const nameItem = this.templateName('block clause');
    if (!nameItem) return undefined;
    const pipe = this.pipeline('block clause', 'rightDelim');
    if (!pipe) return undefined;
    const saved = this.vars;
    this.vars = ['$'];
    const { nodes, stop } = this.itemList();
    this.vars = saved;
    if (stop.type !== 'end') this.error(stop.type === 'eof' ? 'unexpected EOF in block clause' : 'unexpected {{else}} in block clause', stop.pos);
    const name = unquote(nameItem.val);
    this.defines.push({ name, namePos: nameItem.pos, pos: open.pos, end: stop.end, list: nodes });
    return { type: 'template', pos: open.pos, end: stop.end, name, namePos: nameItem.pos, pipe };
  }

  // -- pipelines ------------------------------------------------------------------------------------------------------

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe | undefined {
    this.skipSpace();
    const start = this.items.pos(this.i);
    const decl: VariableDecl[] = [];
    let isAssign = false;
    let declared = false;
    // Declarations: `$x :=`, `$x =`, and in range `$i, $v :=`.
    for (;;) {
      if (this.skipSpace() !== 'variable') break;
      const v = this.peek();
      const save = this.i;
      this.next();
      const after = this.peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        this.next();
        isAssign = after.type === 'assign';
        declared = true;
        decl.push({ name: v.val, pos: v.pos, end: v.end });
        break;
      }
      if (after.type === 'comma') {
        this.next();
        decl.push({ name: v.val, pos: v.pos, end: v.end });
        if (context === 'range' && decl.length < 2) {
          const peek = this.peekNonSpace();
          if (peek.type === 'variable') continue;
          this.fail('range can only initialize variables', peek.pos);
          return undefined;
        }
        this.fail(`too many declarations in ${context}`, after.pos);
        return undefined;
      }
      this.i = save;
      break;
    }
    if (decl.length > 0 && !declared) {
      this.fail('range can only initialize variables', this.peek().pos);
      return undefined;
    }
    for (const d of decl) {
      if (isAssign) {
        if (!this.vars.includes(d.name)) this.fail(`undefined variable "${d.name}"`, d.pos);
      } else this.vars.push(d.name);
    }
    if (this.failed) return undefined;
    const cmds: Command[] = [];
    for (;;) {
      const item = this.nextNonSpace();
      if (this.failed) return undefined;
      if (item.type === end) {
        if (cmds.length === 0) {
          this.fail(`missing value for ${context}`, item.pos);
          return undefined;
        }
        for (let k = 1; k < cmds.length; k++) {
          const first = cmds[k]?.args[0];
          if (first && (first.type === 'bool' || first.type === 'dot' || first.type === 'nil' || first.type === 'number' || first.type === 'string')) {
            this.fail(`non executable command in pipeline stage ${k + 1}`, first.pos);
            return undefined;
          }
        }
        return { pos: start, end: item.pos, decl: exact(decl), isAssign, cmds: exact(cmds) };
      }
      if (OPERAND_START.has(item.type)) {
        this.i--;
        const cmd = this.command();
        if (!cmd) return undefined;
        cmds.push(cmd);
        continue;
      }
      this.unexpected(item, context);
      return undefined;
    }
  }

  private command(): Command | undefined {
    const args: Operand[] = [];
    this.skipSpace();
    const start = this.items.pos(this.i);
    let end = start;
    for (;;) {
      this.skipSpace();
      const operand = this.operand();
      if (this.failed) return undefined;
      if (operand) {
        args.push(operand);
        end = operand.end;
      }
      const item = this.next();
      if (this.failed) return undefined;
      if (item.type === 'space') continue;
      if (item.type === 'rightDelim' || item.type === 'rightParen') this.i--;
      else if (item.type !== 'pipe') {
        this.unexpected(item, 'operand');
        return undefined;
      }
      break;
    }
    if (args.length === 0) {
      this.fail('empty command', start);
      return undefined;
    }
    return { pos: start, end, args: exact(args) };
  }

  private operand(): Operand | undefined {
    const node = this.term();
    if (!node || this.failed) return undefined;
    if (this.items.type(this.i) !== 'field') return node;
    const idents: string[] = [];
    let end = node.end;
    while (this.items.type(this.i) === 'field') {
      const f = this.next();
      idents.push(f.val.slice(1));
      end = f.end;
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
        return { type: 'chain', pos: node.pos, end, node, idents: exact(idents) };
    }
  }

  private term(): Operand | undefined {
    const item = this.nextNonSpace();
    if (this.failed) return undefined;
    const pos = item.pos;
    const end = item.end;
    switch (item.type) {
      case 'identifier':
        return { type: 'identifier', pos, end, name: item.val };
      case 'dot':
        return { type: 'dot', pos, end };
      case 'nil':
        return { type: 'nil', pos, end };
      case 'variable':
        if (!this.vars.includes(item.val)) {
          this.fail(`undefined variable "${item.val}"`, item.pos);
          return undefined;
        }
        return { type: 'variable', pos, end, name: item.val, idents: [] };
      case 'field':
        return { type: 'field', pos, end, idents: [item.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos, end, value: item.val === 'true' };
      case 'number':
      case 'char':
        return { type: 'number', pos, end, text: item.val };
      case 'string':
      case 'rawString':
        return { type: 'string', pos, end, value: unquote(item.val) };
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        if (!pipe) return undefined;
        return { type: 'pipe', pos: item.pos, end: this.items.end(this.i - 1), pipe };
      }
      default:
        this.i--;
        return undefined;
    }
  }
}

/**
 * An array built by push() has room for more (17 elements at least); a parse keeps its arrays, so each is copied to
 * its exact size (a third of the memory, and that much less for the garbage collector to copy).
 */
function exact<T>(a: T[]): T[] {
  return a.length === 0 ? a : a.slice();
}

function describe(item: Item): string {
  switch (item.type) {
    case 'eof':
      return 'EOF';
    case 'rightDelim':
      return '"}}"';
    case 'leftDelim':
      return '"{{"';
    case 'error':
      return item.val;
    case 'keyword':
      return `<${item.val}>`;
    default:
      return JSON.stringify(item.val.length > 20 ? `${item.val.slice(0, 20)}…` : item.val);
  }
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
