// The reference resolver: walks the parsed templates of a chart tree with an abstract value for `.`, `$` and every
// variable, and records each values path a template reads, where, and how:
//   - `.Values.a.b`, `$.Values.a.b`, variables (`$x := .Values.a` then `$x.b`), `with` (dot = the value), `range`
//     (dot = an element: `list[]`), `index`/`get`/`hasKey`/`dig`/`pluck` with literal keys;
//   - `include`/`template` calls are followed into the `define` with the context they pass (`.`, `$`, `.Values.x`,
//     `(dict "x" .Values.y "context" $)`), across files and charts, memoized per (template, context shape), with
//     recursion bounded; each reference found there carries the call site (`via`);
//   - `toYaml`/`toJson`/`tpl` (and any function not known to read shallowly) read a whole subtree;
//   - a key that is not a literal (`index .Values $k`) makes the subtree "read dynamically".
// For each reference it also records whether an `if`/`with`/`default`/`hasKey`/`and` guards it, whether `required`
// wraps it, and how it is printed (directly, via quote/toString, or via int/toYaml/toJson).
// Paths are chart-local (the chart whose `.Values` it is); `[]` stands for every element of a list or map.
import { positionAt, type Command, type DefineNode, type Node, type Operand, type ParsedTemplate, type Pipe, type Span } from './ast';
import { PASS_THROUGH, PRINTS_AS_NUMBER, PRINTS_AS_TEXT, SERIALISERS, SHALLOW } from './functions';
import { Stack } from './stack';

export type UsageKind = 'read' | 'subtree' | 'dynamic';
export type Printed = 'text' | 'quote' | 'toString' | 'int' | 'yaml' | 'json';

/** Where a reference is written. */
export interface TemplateLocation {
  file: string;
  offset: number;
  end: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** One values reference in a template. */
export interface TemplateUsage extends TemplateLocation {
  /** Id of the chart whose values it reads (see ResolveChart.id). */
  chart: number;
  /** Chart-local path; `[]` is any element. For `dynamic`, the known part. */
  path: readonly string[];
  kind: UsageKind;
  /** Inside `if`/`with` on it (or a prefix of it), under `default`, after `hasKey`, or tested by `and`. */
  guarded: boolean;
  /** The value of `required "…" ref`. */
  required: boolean;
  /** How the value is printed, when it is. */
  printed?: Printed;
  /** For references inside a `define`: the `include`/`template` call in the template that reached it. */
  via?: TemplateLocation;
}

/** A chart as the resolver sees it. */
export interface ResolveChart {
  id: number;
  /** Parsed template files of this chart (templates/**). */
  files: readonly ParsedTemplate[];
}

/** One define, with the file it is in. */
export interface DefineEntry {
  define: DefineNode;
  file: ParsedTemplate;
}

/** Define analyses kept across builds while the defines are unchanged: key = name + context shape. */
export type DefineMemo = Map<string, MutableUsage[]>;

type MutableUsage = { -readonly [K in keyof TemplateUsage]: TemplateUsage[K] };

// ---------------------------------------------------------------------------------------------------------------------
// Abstract values

type Alt =
  /** The top-level object of a chart's templates (`.Values`, `.Release`, …). */
  | { k: 'root'; chart: number }
  /** A place in a chart's values. `dyn`: reached by a key not known statically, so reads below are dynamic. */
  | { k: 'values'; chart: number; path: readonly string[]; dyn?: boolean }
  | { k: 'dict'; entries: ReadonlyMap<string, Val> }
  | { k: 'list'; items: Val }
  | { k: 'str'; value: string }
  | { k: 'other' };

interface Val {
  alts: readonly Alt[];
  /** References whose value flows into this one (for printed/required/default/subtree marks). */
  refs: readonly MutableUsage[];
  /** References that this value being truthy proves present (for guards). */
  tests: readonly MutableUsage[];
}

const OTHER_ALT: Alt = { k: 'other' };
const NO_PATH: readonly string[] = [];
const OTHER: Val = { alts: [OTHER_ALT], refs: [], tests: [] };
const val = (alts: readonly Alt[], refs: readonly MutableUsage[] = [], tests: readonly MutableUsage[] = []): Val => ({ alts, refs, tests });
function union(vs: readonly Val[]): Val {
  if (vs.length === 1 && vs[0]) return vs[0];
  const alts: Alt[] = [];
  const refs: MutableUsage[] = [];
  const tests: MutableUsage[] = [];
  for (const v of vs) {
    for (const a of v.alts) alts.push(a);
    for (const r of v.refs) refs.push(r);
    for (const t of v.tests) tests.push(t);
  }
  return val(alts, refs, tests);
}

/** The string of a value that is one literal string, else undefined. */
function literal(v: Val | undefined): string | undefined {
  const a = v?.alts[0];
  return v?.alts.length === 1 && a?.k === 'str' ? a.value : undefined;
}

/** Whether marking a value as read whole would record or change anything (most arguments are literals). */
function holdsValues(v: Val): boolean {
  if (v.refs.length > 0) return true;
  for (const a of v.alts) if (a.k === 'values' || a.k === 'dict' || a.k === 'list') return true;
  return false;
}

const NO_OPERANDS: readonly Operand[] = [];

const MAX_DEPTH = 12;
const MAX_ALTS = 16;

/** A shape of a value for memo keys (bounded in depth). */
function signature(v: Val, depth = 0): string {
  if (depth > 3) return '…';
  return v.alts
    .map((a) => {
      switch (a.k) {
        case 'root':
          return `R${a.chart}`;
        case 'values':
          return `V${a.chart}:${a.path.join('\u0001')}${a.dyn ? '?' : ''}`;
        case 'dict':
          return `{${[...a.entries].map(([k, x]) => `${k}=${signature(x, depth + 1)}`).join(',')}}`;
        case 'list':
          return `[${signature(a.items, depth + 1)}]`;
        case 'str':
          return JSON.stringify(a.value);
        default:
          return '_';
      }
    })
    .join('|');
}

// ---------------------------------------------------------------------------------------------------------------------
// Scopes

class Scope {
  /** Made on the first declaration (most control bodies declare nothing). */
  private vars: Map<string, Val> | undefined;
  constructor(private readonly parent: Scope | undefined) {}
  get(name: string): Val | undefined {
    return this.vars?.get(name) ?? this.parent?.get(name);
  }
  declare(name: string, v: Val): void {
    (this.vars ??= new Map()).set(name, v);
  }
  /** `$x = v`: the variable may hold either value afterwards. */
  assign(name: string, v: Val): void {
    const old = this.vars?.get(name);
    if (old) this.declare(name, union([old, v]));
    else if (this.parent) this.parent.assign(name, v);
    else this.declare(name, v);
  }
}

function frame(f: Frame, scope: Scope, dot = f.dot, guards = f.guards): Frame {
  return { file: f.file, dot, scope, guards, sink: f.sink };
}

interface Guard {
  chart: number;
  path: readonly string[];
}

interface Frame {
  file: ParsedTemplate;
  dot: Val;
  scope: Scope;
  guards: readonly Guard[];
  sink: MutableUsage[];
}

// ---------------------------------------------------------------------------------------------------------------------

export class Resolver {
  private readonly inProgress = new Set<string>();
  private depth = 0;
  /** The alternatives and references of the values being made (see Stack). */
  private readonly altStack = new Stack<Alt>();
  private readonly refStack = new Stack<MutableUsage>();

  constructor(
    private readonly defines: ReadonlyMap<string, DefineEntry>,
    private readonly memo: DefineMemo,
  ) {}

  /** The references of one rendered template file of a chart (its content outside defines). */
  resolveFile(file: ParsedTemplate, chart: number): TemplateUsage[] {
    const root = val([{ k: 'root', chart }]);
    const scope = new Scope(undefined);
    scope.declare('$', root);
    const sink: MutableUsage[] = [];
    this.list(file.root, { file, dot: root, scope, guards: [], sink });
    return sink;
  }

  // -- nodes ----------------------------------------------------------------------------------------------------------

  private list(nodes: readonly Node[], f: Frame): void {
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node) this.node(node, f);
    }
  }

  private node(node: Node, f: Frame): void {
    switch (node.type) {
      case 'action': {
        const v = this.pipe(node.pipe, f);
        if (node.pipe.decl.length === 0) {
          for (let i = 0; i < v.refs.length; i++) {
            const r = v.refs[i];
            if (r) r.printed ??= 'text';
          }
        }
        return;
      }
      case 'if':
      case 'with': {
        const cond = node.pipe ? this.pipe(node.pipe, f) : OTHER;
        for (const r of cond.tests) r.guarded = true;
        const guards = cond.tests.length === 0 ? f.guards : [...f.guards, ...cond.tests.map((r) => ({ chart: r.chart, path: r.path }))];
        this.list(node.list, frame(f, new Scope(f.scope), node.type === 'with' ? cond : f.dot, guards));
        if (node.elseList) this.list(node.elseList, frame(f, new Scope(f.scope)));
        return;
      }
      case 'range': {
        const scope = new Scope(f.scope);
        const over = node.pipe ? this.pipe(node.pipe, frame(f, scope), true) : OTHER;
        const elem = this.element(over, f, node.pipe?.cmds[node.pipe.cmds.length - 1] ?? node);
        const decl = node.pipe?.decl ?? [];
        if (decl.length === 1 && decl[0]) scope.declare(decl[0].name, elem);
        if (decl.length === 2 && decl[0] && decl[1]) {
          scope.declare(decl[0].name, OTHER);
          scope.declare(decl[1].name, elem);
        }
        this.list(node.list, frame(f, scope, elem));
        if (node.elseList) this.list(node.elseList, frame(f, new Scope(f.scope)));
        return;
      }
      case 'template': {
        const arg = node.pipe ? this.pipe(node.pipe, f) : val([]);
        this.call(node.name, arg, f, node);
        return;
      }
      default:
        return;
    }
  }

  /** Follows an include/template call into its define. */
  private call(name: string | undefined, arg: Val, f: Frame, at: { pos: number; end: number }): void {
    const entry = name === undefined ? undefined : this.defines.get(name);
    if (!entry || name === undefined) {
      // Unknown template (a computed name, or a template file included by path): whatever it reads of the values
      // passed to it is unknown. The top-level object is not marked (its reads are that file's own).
      this.markDeep(arg, 'dynamic', f, at);
      return;
    }
    const key = `${name}\u0000${signature(arg)}`;
    let found = this.memo.get(key);
    if (!found) {
      if (this.inProgress.has(key) || this.depth >= MAX_DEPTH) return;
      this.inProgress.add(key);
      this.depth++;
      const scope = new Scope(undefined);
      scope.declare('$', arg);
      const sink: MutableUsage[] = [];
      this.list(entry.define.list, { file: entry.file, dot: arg, scope, guards: [], sink });
      this.depth--;
      this.inProgress.delete(key);
      this.memo.set(key, sink);
      found = sink;
    }
    const site = this.location(f.file, at.pos, at.end);
    for (let i = 0; i < found.length; i++) {
      const u = found[i];
      if (!u) continue;
      const copy: MutableUsage = {
        file: u.file,
        offset: u.offset,
        end: u.end,
        line: u.line,
        column: u.column,
        chart: u.chart,
        path: u.path,
        kind: u.kind,
        guarded: u.guarded || (f.guards.length > 0 && this.isGuarded(f.guards, u.chart, u.path)),
        required: u.required,
        printed: u.printed,
        via: site,
      };
      f.sink.push(copy);
    }
  }

  // -- pipelines ------------------------------------------------------------------------------------------------------

  private pipe(pipe: Pipe, f: Frame, rangeDecl = false): Val {
    let v: Val | undefined;
    for (let i = 0; i < pipe.cmds.length; i++) {
      const cmd = pipe.cmds[i];
      if (cmd) v = this.command(cmd, v, f);
    }
    const result = v ?? OTHER;
    if (!rangeDecl) {
      for (const d of pipe.decl) {
        if (pipe.isAssign) f.scope.assign(d.name, result);
        else f.scope.declare(d.name, result);
      }
    }
    return result;
  }

  private command(cmd: Command, prev: Val | undefined, f: Frame): Val {
    const nodes = cmd.args;
    const first = nodes[0];
    if (!first) return OTHER;
    if (first.type !== 'identifier') return this.operand(first, f);
    const name = first.name;
    // `and` evaluates left to right and stops at the first false: each argument is guarded by the ones before it.
    if (name === 'and') {
      let g = f;
      const vals: Val[] = [];
      for (let i = 1; i < nodes.length; i++) {
        const a = nodes[i];
        if (!a) continue;
        const v = this.operand(a, g);
        vals.push(v);
        for (const r of v.tests) r.guarded = true;
        if (v.tests.length > 0) g = { ...g, guards: [...g.guards, ...v.tests.map((r) => ({ chart: r.chart, path: r.path }))] };
      }
      if (prev) vals.push(prev);
      const u = union(vals);
      return val(u.alts, u.refs, u.tests);
    }
    const args: Val[] = new Array<Val>(nodes.length - 1 + (prev ? 1 : 0));
    for (let i = 1; i < nodes.length; i++) {
      const a = nodes[i];
      args[i - 1] = a ? this.operand(a, f) : OTHER;
    }
    if (prev) args[nodes.length - 1] = prev;
    // `set $d "k" v` changes the dict in $d: afterwards `$d.k` may be v.
    const target = nodes[1];
    const key = args[1]?.alts[0];
    if (name === 'set' && target?.type === 'variable' && target.idents.length === 0 && key?.k === 'str' && args[2]) {
      f.scope.assign(target.name, val([{ k: 'dict', entries: new Map([[key.value, args[2]]]) }]));
    }
    return this.apply(name, args, nodes, f, cmd);
  }

  /** `name args…` at `at`; `nodes`: the command's operands, the function's name first (args[i] is of nodes[i + 1]). */
  private apply(name: string, args: Val[], nodes: readonly Operand[], f: Frame, at: Span): Val {
    const last = args[args.length - 1];
    const printedAs = PRINTS_AS_TEXT.get(name);
    if (printedAs) {
      for (const a of args) for (const r of a.refs) r.printed ??= printedAs;
      if (name === 'toString' || name === 'quote' || name === 'squote') return OTHER;
    }
    if (PRINTS_AS_NUMBER.has(name)) {
      for (const a of args) for (const r of a.refs) r.printed ??= 'int';
      return OTHER;
    }
    const serial = SERIALISERS.get(name);
    if (serial) {
      for (const a of args) {
        for (const r of a.refs) r.printed ??= serial;
        this.markDeep(a, 'subtree', f, at);
      }
      return OTHER;
    }
    switch (name) {
      case 'include': {
        this.call(literal(args[0]), args[1] ?? val([]), f, at);
        return OTHER;
      }
      case 'tpl': {
        // The template text is a values subtree rendered as a template: read whole. What it reads of the context is
        // not known statically (see the README's limits).
        if (args[0]) this.markDeep(args[0], 'subtree', f, at);
        return OTHER;
      }
      case 'required': {
        if (last) for (const r of last.refs) r.required = true;
        return last ?? OTHER;
      }
      case 'default': {
        // `default D X`: X may be absent.
        if (last) for (const r of last.refs) r.guarded = true;
        const u = union(args);
        return val(u.alts, u.refs, []);
      }
      case 'dict': {
        const entries = new Map<string, Val>();
        for (let i = 0; i + 1 < args.length; i += 2) {
          const k = literal(args[i]);
          const v = args[i + 1];
          if (k !== undefined && v) entries.set(k, v);
          else if (v) this.markDeep(v, 'dynamic', f, at);
        }
        return val([{ k: 'dict', entries }]);
      }
      case 'list':
      case 'tuple':
        return val([{ k: 'list', items: union(args.length > 0 ? args : [OTHER]) }]);
      case 'index':
      case 'get': {
        let cur = args[0] ?? OTHER;
        for (let i = 1; i < args.length; i++) {
          const arg = args[i];
          const node = nodes[i + 1];
          const key = node?.type === 'number' ? '[]' : literal(arg);
          cur = this.select(cur, key, f, at, i === args.length - 1);
        }
        return cur;
      }
      case 'first':
      case 'mustFirst':
      case 'last':
      case 'mustLast':
        // One element of the list: `(first .Values.hosts).host` reads `hosts[].host`.
        return this.select(args[0] ?? OTHER, '[]', f, at, true);
      case 'hasKey': {
        const key = literal(args[1]);
        const r = this.select(args[0] ?? OTHER, key, f, at, true);
        return val([{ k: 'other' }], [], r.refs);
      }
      case 'dig': {
        // dig "k1" "k2" default dict
        const dict = last ?? OTHER;
        let cur = dict;
        const keys = args.slice(0, -2);
        keys.forEach((k, i) => (cur = this.select(cur, literal(k), f, at, i === keys.length - 1)));
        for (const r of cur.refs) r.guarded = true;
        return union([cur, args[args.length - 2] ?? OTHER]);
      }
      case 'pluck': {
        // A list of the dicts' values at the key (`pluck "k" .Values.x .Values.y | first` is `x.k` or `y.k`).
        const key = literal(args[0]);
        const items = union(args.slice(1).map((d) => this.select(d, key, f, at, true)));
        return val([{ k: 'list', items }], items.refs);
      }
      case 'keys':
      case 'values':
      case 'sortAlpha':
        // The keys (or values) of a map: read below, one level, without names: treat as a whole read.
        for (const a of args) this.markDeep(a, name === 'keys' ? 'read' : 'subtree', f, at);
        return OTHER;
      default:
        break;
    }
    if (PASS_THROUGH.has(name)) {
      const u = union(args);
      return val(u.alts.slice(0, MAX_ALTS), u.refs, name === 'coalesce' || name === 'ternary' || name === 'or' ? [] : u.tests);
    }
    if (SHALLOW.has(name) || printedAs) return OTHER;
    // Unknown function: it may read all of what it is given.
    for (const a of args) this.markDeep(a, 'subtree', f, at);
    return OTHER;
  }

  // -- operands -------------------------------------------------------------------------------------------------------

  private operand(op: Operand, f: Frame): Val {
    switch (op.type) {
      case 'field':
        return this.fields(f.dot, op.idents, f, op);
      case 'variable': {
        const base = f.scope.get(op.name) ?? OTHER;
        return op.idents.length === 0 ? base : this.fields(base, op.idents, f, op);
      }
      case 'dot':
        return f.dot;
      case 'string':
        return val([{ k: 'str', value: op.value }]);
      case 'pipe':
        return this.pipe(op.pipe, f);
      case 'chain':
        return this.fields(this.operand(op.node, f), op.idents, f, op);
      case 'identifier':
        return this.apply(op.name, [], NO_OPERANDS, f, op);
      default:
        return OTHER;
    }
  }

  /** `.a.b` on a value: walks the alternatives and records one reference per values place reached. */
  private fields(base: Val, idents: readonly string[], f: Frame, at: { pos: number; end: number }): Val {
    const alts = this.altStack;
    const refs = this.refStack;
    const altMark = alts.top;
    const refMark = refs.top;
    for (let i = 0; i < base.alts.length; i++) {
      let cur: Alt | undefined = base.alts[i];
      if (!cur) continue;
      /** idents[from…] are still to walk. */
      let from = 0;
      if (cur.k === 'root') {
        if (idents[0] === 'Values') {
          cur = { k: 'values', chart: cur.chart, path: NO_PATH };
          from = 1;
        } else {
          alts.push(OTHER_ALT);
          continue;
        }
      }
      while (cur && cur.k === 'dict' && from < idents.length) {
        const next: Val | undefined = cur.entries.get(idents[from] ?? '');
        from++;
        if (!next) cur = { k: 'other' };
        else if (from === idents.length) {
          for (const x of next.alts) alts.push(x);
          for (const r of next.refs) refs.push(r);
          cur = undefined;
        } else {
          // Continue through each alternative of the entry.
          const sub = this.fields(next, idents.slice(from), f, at);
          for (const x of sub.alts) alts.push(x);
          for (const r of sub.refs) refs.push(r);
          cur = undefined;
        }
      }
      if (!cur) continue;
      if (cur.k === 'values') {
        if (cur.dyn || from === idents.length) {
          alts.push(cur);
          continue;
        }
        const path = cur.path.concat(from === 0 ? idents : idents.slice(from));
        const next: Alt = { k: 'values', chart: cur.chart, path };
        alts.push(next);
        refs.push(this.record(cur.chart, path, 'read', f, at));
        continue;
      }
      alts.push({ k: 'other' });
    }
    const found = refs.take(refMark);
    return val(this.takeAlts(altMark), found, found);
  }

  /** The alternatives pushed above `mark` (at most MAX_ALTS; `other` when none). */
  private takeAlts(mark: number): Alt[] {
    const alts = this.altStack;
    if (alts.top === mark) return [OTHER_ALT];
    if (alts.top - mark > MAX_ALTS) alts.top = mark + MAX_ALTS;
    return alts.take(mark);
  }

  /** One key step of index/get/hasKey/dig/pluck (`undefined` key: not a literal). */
  private select(base: Val, key: string | undefined, f: Frame, at: { pos: number; end: number }, record: boolean): Val {
    const alts = this.altStack;
    const refs = this.refStack;
    const altMark = alts.top;
    const refMark = refs.top;
    for (const a0 of base.alts) {
      const a: Alt = a0.k === 'root' ? (key === 'Values' ? { k: 'values', chart: a0.chart, path: [] } : { k: 'other' }) : a0;
      if (a0.k === 'root') {
        alts.push(a);
        continue;
      }
      if (a.k === 'values') {
        if (a.dyn) alts.push(a);
        else if (key === undefined) {
          this.record(a.chart, a.path, 'dynamic', f, at);
          alts.push({ ...a, dyn: true });
        } else {
          const path = a.path.concat(key);
          alts.push({ k: 'values', chart: a.chart, path });
          // Intermediate steps of a multi-key index are recorded once, at the end.
          if (record) refs.push(this.record(a.chart, path, 'read', f, at));
        }
      } else if (a.k === 'dict') {
        if (key === undefined) {
          for (const v of a.entries.values()) this.markDeep(v, 'dynamic', f, at);
          alts.push({ k: 'other' });
        } else {
          const v = a.entries.get(key);
          if (v) {
            for (const x of v.alts) alts.push(x);
            for (const r of v.refs) refs.push(r);
          } else alts.push({ k: 'other' });
        }
      } else if (a.k === 'list') {
        for (const x of a.items.alts) alts.push(x);
        for (const r of a.items.refs) refs.push(r);
      } else alts.push({ k: 'other' });
    }
    const found = refs.take(refMark);
    return val(this.takeAlts(altMark), found, found);
  }

  /** The element of a range: `list[]` for values (each element is visited: read), the entries of a dict, the items of a list. */
  private element(over: Val, f: Frame, at: { pos: number; end: number }): Val {
    const alts = this.altStack;
    const refs = this.refStack;
    const altMark = alts.top;
    const refMark = refs.top;
    for (const a of over.alts) {
      if (a.k === 'values' && !a.dyn) {
        const path = a.path.concat('[]');
        alts.push({ k: 'values', chart: a.chart, path });
        refs.push(this.record(a.chart, path, 'read', f, at));
      } else if (a.k === 'values') alts.push(a);
      else if (a.k === 'dict') for (const v of a.entries.values()) for (const x of v.alts) alts.push(x);
      else if (a.k === 'list') for (const x of a.items.alts) alts.push(x);
      else alts.push({ k: 'other' });
    }
    const found = refs.take(refMark);
    return val(this.takeAlts(altMark), found);
  }

  /** Marks every values place in a value (through dicts and lists) as read whole (`subtree`) or `dynamic`. */
  private markDeep(v: Val, kind: UsageKind, f: Frame, at: { pos: number; end: number }): void {
    if (holdsValues(v)) this.markDeepIn(v, kind, f, at, new Set());
  }

  private markDeepIn(v: Val, kind: UsageKind, f: Frame, at: { pos: number; end: number }, seen: Set<Val>): void {
    if (seen.has(v)) return;
    seen.add(v);
    for (const r of v.refs) if (rank(kind) > rank(r.kind)) r.kind = kind;
    for (const a of v.alts) {
      if (a.k === 'values') {
        // A place that one of the references reads was upgraded above; any other is recorded.
        if (kind !== 'read' && !v.refs.some((r) => r.chart === a.chart && samePath(r.path, a.path))) this.record(a.chart, a.path, a.dyn ? 'dynamic' : kind, f, at);
      } else if (a.k === 'dict') for (const e of a.entries.values()) this.markDeepIn(e, kind, f, at, seen);
      else if (a.k === 'list') this.markDeepIn(a.items, kind, f, at, seen);
    }
  }

  // -- records --------------------------------------------------------------------------------------------------------

  private record(chart: number, path: readonly string[], kind: UsageKind, f: Frame, at: { pos: number; end: number }): MutableUsage {
    const { line, column } = positionAt(f.file.lineStarts, at.pos);
    const u: MutableUsage = {
      file: f.file.file,
      offset: at.pos,
      end: at.end,
      line,
      column,
      chart,
      path,
      kind,
      guarded: f.guards.length > 0 && this.isGuarded(f.guards, chart, path),
      required: false,
      // Every reference has all its fields from the start (one object shape: no map change when printed is set).
      printed: undefined,
      via: undefined,
    };
    f.sink.push(u);
    return u;
  }

  private location(file: ParsedTemplate, pos: number, end: number): TemplateLocation {
    const { line, column } = positionAt(file.lineStarts, pos);
    return { file: file.file, offset: pos, end, line, column };
  }

  private isGuarded(guards: readonly Guard[], chart: number, path: readonly string[]): boolean {
    return guards.some((g) => g.chart === chart && g.path.length <= path.length && g.path.every((s, i) => s === path[i]));
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a === b || a.join('\u0001') === b.join('\u0001');
}

function rank(k: UsageKind): number {
  return k === 'read' ? 0 : k === 'subtree' ? 1 : 2;
}
