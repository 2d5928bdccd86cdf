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
// wraps it, whether its value is rendered (or only tested and compared), and how it is printed (directly, via
// quote/toString, or via int/toYaml/toJson). The guards follow Helm's evaluation: the else of `if not X` (or of
// `if empty X`), `not (empty X)`, `kindIs "bool" X` (X is not nil), cert-manager's `has (quote X) (list "")`, the
// picked side of `ternary A B (kindIs "bool" A)`, and `default A B` (or `coalesce`/`or`) inside `if or A B`.
// Paths are chart-local (the chart whose `.Values` it is); `[]` stands for every element of a list or map.
import { positionAt, type Command, type DefineNode, type Node, type Operand, type ParsedTemplate, type Pipe, type Span } from './ast';
import { NOT_RENDERING, PASS_THROUGH, PRINTS_AS_NUMBER, PRINTS_AS_TEXT, SERIALISERS, SHALLOW } from './functions';
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
  /**
   * `false`: the value is only tested or compared (an `if`/`with` test, `eq`, `kindIs`, `empty`, a variable used only
   * so, the receiver of `(x).y`): an undefined value renders nothing empty there. Absent: rendered.
   */
  rendered?: boolean;
  /** The value of `required "…" ref`. */
  required: boolean;
  /**
   * The read tells a present key from an absent one (a null from no key) on the last `presence` segments of the path:
   * `hasKey`, `get`, `pluck` (1), `dig` (its keys: dig gives a present null, but the default for a missing key).
   */
  presence?: number;
  /**
   * The map read here is only looked into by literal keys (`hasKey .Values.a "b"`, `get`, `index`, `dig`, `pluck`, the
   * receiver of `(.Values.a).b`): not tested, printed or passed on, so only what those keys read of it matters.
   */
  selectOnly?: boolean;
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
  /** `elems`: the items by position, when known (`list a b c`). */
  | { k: 'list'; items: Val; elems?: readonly Val[] }
  | { k: 'str'; value: string }
  | { k: 'other' };

interface Val {
  alts: readonly Alt[];
  /** References whose value flows into this one (for printed/required/default/subtree marks). */
  refs: readonly MutableUsage[];
  /** References that this value being truthy proves present (for guards). */
  tests: readonly MutableUsage[];
  /** References that this value being falsy proves present (`not X`, `empty X`, `kindIs "invalid" X`). */
  neg?: readonly MutableUsage[];
  /** Facts this value being truthy proves (`or A B`): each a list of references of which one is truthy. */
  anyOf?: readonly (readonly MutableUsage[])[];
  /** References whose value this one carries, beyond `refs` (through toString/quote/int): for `rendered` only. */
  carried?: readonly MutableUsage[];
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
  let carried: MutableUsage[] | undefined;
  for (const v of vs) {
    for (const a of v.alts) alts.push(a);
    for (const r of v.refs) refs.push(r);
    for (const t of v.tests) tests.push(t);
    if (v.carried) for (const c of v.carried) (carried ??= []).push(c);
  }
  return carried ? { alts, refs, tests, carried } : { alts, refs, tests };
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
/** The references a value carries (for `rendered`). */
const carriedBy = (v: Val): MutableUsage[] => [...v.refs, ...(v.carried ?? [])];
/** Marks what a value carries as rendered (it reaches the output, or a function that uses it). */
function render(v: Val | undefined): void {
  if (v) for (const r of carriedBy(v)) r.rendered = true;
}

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
          return a.elems ? `[${a.elems.map((x) => signature(x, depth + 1)).join(',')}]` : `[${signature(a.items, depth + 1)}]`;
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

function frame(f: Frame, scope: Scope, dot = f.dot, guards = f.guards, anyOf = f.anyOf): Frame {
  return { file: f.file, dot, scope, guards, anyOf, sink: f.sink };
}

const guardOf = (r: MutableUsage): Guard => ({ chart: r.chart, path: r.path });

interface Guard {
  chart: number;
  path: readonly string[];
}

interface Frame {
  file: ParsedTemplate;
  dot: Val;
  scope: Scope;
  guards: readonly Guard[];
  /** `if or A B`: one of these conjunctions holds (each a list of guards). */
  anyOf: readonly (readonly (readonly Guard[])[])[];
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
    this.list(file.root, { file, dot: root, scope, guards: [], anyOf: [], sink });
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
          render(v);
        }
        return;
      }
      case 'if':
      case 'with': {
        const cond = node.pipe ? this.pipe(node.pipe, f) : OTHER;
        for (const r of cond.tests) r.guarded = true;
        const guards = cond.tests.length === 0 ? f.guards : [...f.guards, ...cond.tests.map(guardOf)];
        const anyOf = cond.anyOf ? [...f.anyOf, ...cond.anyOf.map((c) => c.map((r) => [guardOf(r)]))] : f.anyOf;
        this.list(node.list, frame(f, new Scope(f.scope), node.type === 'with' ? cond : f.dot, guards, anyOf));
        // The else runs when the test is falsy: `if not X … else` proves X there.
        if (node.elseList) this.list(node.elseList, frame(f, new Scope(f.scope), f.dot, [...f.guards, ...(cond.neg ?? []).map(guardOf)]));
        return;
      }
      case 'range': {
        const scope = new Scope(f.scope);
        const over = node.pipe ? this.pipe(node.pipe, frame(f, scope), true) : OTHER;
        render(over);
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
        render(arg);
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
      this.list(entry.define.list, { file: entry.file, dot: arg, scope, guards: [], anyOf: [], sink });
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
        rendered: u.rendered,
        printed: u.printed,
        presence: u.presence,
        selectOnly: u.selectOnly,
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
    const first = cmd.args[0];
    if (!first) return OTHER;
    if (first.type !== 'identifier') return this.operand(first, f);
    const name = first.name;
    const rest = cmd.args.slice(1);
    // `and` evaluates left to right and stops at the first false: each argument is guarded by the ones before it.
    if (name === 'and') {
      let g = f;
      const vals: Val[] = [];
      for (const a of rest) {
        const v = this.operand(a, g);
        vals.push(v);
        for (const r of v.tests) r.guarded = true;
        if (v.tests.length > 0) g = { ...g, guards: [...g.guards, ...v.tests.map(guardOf)] };
      }
      if (prev) vals.push(prev);
      const u = union(vals);
      return { ...val(u.alts, u.refs, u.tests), anyOf: vals.flatMap((v) => v.anyOf ?? []), carried: u.carried ?? [] };
    }
    const args: Val[] = new Array<Val>(rest.length + (prev ? 1 : 0));
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      args[i] = a ? this.operand(a, f) : OTHER;
    }
    if (prev) args[rest.length] = prev;
    // What a function uses renders the value (unless it only tests, compares or passes it on).
    if (!NOT_RENDERING.has(name)) for (const a of args) render(a);
    // `set $d "k" v` changes the dict in $d: afterwards `$d.k` may be v.
    const target = rest[0];
    const key = args[1]?.alts[0];
    if (name === 'set' && target?.type === 'variable' && target.idents.length === 0 && key?.k === 'str' && args[2]) {
      f.scope.assign(target.name, val([{ k: 'dict', entries: new Map([[key.value, args[2]]]) }]));
    }
    return this.apply(name, args, rest, f, cmd);
  }

  /** `name args…` at `at`; `nodes`: the operands after the function's name (args[i] is of nodes[i]). */
  private apply(name: string, args: Val[], nodes: readonly Operand[], f: Frame, at: Span): Val {
    const last = args[args.length - 1];
    const printedAs = PRINTS_AS_TEXT.get(name);
    if (printedAs) {
      for (const a of args) for (const r of a.refs) r.printed ??= printedAs;
      if (name === 'toString' || name === 'quote' || name === 'squote') return { ...OTHER, carried: args.flatMap(carriedBy) };
    }
    if (PRINTS_AS_NUMBER.has(name)) {
      for (const a of args) for (const r of a.refs) r.printed ??= 'int';
      return { ...OTHER, carried: args.flatMap(carriedBy) };
    }
    const serial = SERIALISERS.get(name);
    if (serial) {
      for (const a of args) {
        for (const r of a.refs) r.printed ??= serial;
        this.markDeep(a, 'subtree', f, at);
      }
      return OTHER;
    }
    for (const i of SELECTORS.get(name)?.(args.length) ?? []) this.selectOnly(args[i], f, at);
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
        this.guardAlternatives(args, f);
        const u = union(args);
        return { ...val(u.alts, u.refs, []), carried: u.carried ?? [] };
      }
      case 'not': {
        const x = last ?? OTHER;
        return { ...OTHER, tests: x.neg ?? [], neg: x.tests };
      }
      case 'empty':
        return { ...OTHER, neg: (last ?? OTHER).tests };
      case 'kindIs':
      case 'typeIs':
      case 'typeIsLike': {
        // A value of a kind other than "invalid" is not nil.
        const x = args[1] ?? OTHER;
        return literal(args[0]) === 'invalid' || literal(args[0]) === '<nil>' ? { ...OTHER, neg: x.tests } : { ...OTHER, tests: x.tests };
      }
      case 'has': {
        // `has (quote X) (list "" …)` (cert-manager): quote of nil is "", of anything else never "": false proves X.
        const needle = nodes[0];
        const head = needle?.type === 'pipe' && needle.pipe.cmds.length === 1 ? needle.pipe.cmds[0]?.args[0] : undefined;
        const quoted = head?.type === 'identifier' && (head.name === 'quote' || head.name === 'squote');
        const hasEmpty = (args[1]?.alts ?? []).some((a) => a.k === 'list' && a.items.alts.some((i) => i.k === 'str' && i.value === ''));
        return quoted && hasEmpty && args.length === 2 ? { ...OTHER, neg: args[0]?.carried ?? [] } : OTHER;
      }
      case 'ternary': {
        // `ternary A B C` gives A when C is truthy, B when it is falsy: what C proves guards that side.
        const [a, b, c] = args;
        if (a && b && c) {
          this.guardBy(a, c.tests);
          this.guardBy(b, c.neg ?? []);
          // The result is A or B, never the test.
          const u = union([a, b]);
          return { ...val(u.alts.slice(0, MAX_ALTS), u.refs, []), carried: u.carried ?? [] };
        }
        break;
      }
      case 'coalesce':
      case 'or':
        this.guardAlternatives(args, f);
        break;
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
        return val([{ k: 'list', items: union(args.length > 0 ? args : [OTHER]), elems: args }]);
      case 'index':
      case 'get': {
        let cur = args[0] ?? OTHER;
        for (let i = 1; i < args.length; i++) {
          const arg = args[i];
          const node = nodes[i];
          const key = node?.type === 'number' ? '[]' : literal(arg);
          const at0 = node?.type === 'number' && /^\d+$/.test(node.text) ? Number(node.text) : undefined;
          // `get` gives "" for a missing key and the value (nil) for a present null; `index` gives nil for both.
          cur = this.select(cur, key, f, at, i === args.length - 1, at0, name === 'get' ? 1 : undefined);
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
        const r = this.select(args[0] ?? OTHER, key, f, at, true, undefined, 1);
        return val([{ k: 'other' }], [], r.refs);
      }
      case 'dig': {
        // dig "k1" "k2" default dict
        const dict = last ?? OTHER;
        let cur = dict;
        const keys = args.slice(0, -2);
        keys.forEach((k, i) => (cur = this.select(cur, literal(k), f, at, i === keys.length - 1, undefined, keys.length)));
        for (const r of cur.refs) r.guarded = true;
        return union([cur, args[args.length - 2] ?? OTHER]);
      }
      case 'pluck': {
        // A list of the dicts' values at the key (`pluck "k" .Values.x .Values.y | first` is `x.k` or `y.k`).
        const key = literal(args[0]);
        const items = union(args.slice(1).map((d) => this.select(d, key, f, at, true, undefined, 1)));
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
      const out = { ...val(u.alts.slice(0, MAX_ALTS), u.refs, name === 'coalesce' || name === 'ternary' || name === 'or' ? [] : u.tests), carried: u.carried ?? [] };
      // `or A B` truthy: one of its arguments is (when each proves something); falsy: each is falsy.
      if (name === 'or') return { ...out, anyOf: args.length > 1 && args.every((a) => a.tests.length > 0) ? [args.flatMap((a) => a.tests)] : [], neg: args.flatMap((a) => a.neg ?? []) };
      return out;
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
      case 'chain': {
        // `(.Values.a).b` only looks into the receiver by a literal key, as `index .Values.a "b"` does.
        const receiver = this.operand(op.node, f);
        this.selectOnly(receiver, f, op.node);
        return this.fields(receiver, op.idents, f, op);
      }
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

  /**
   * One key step of index/get/hasKey/dig/pluck (`undefined` key: not a literal; `position`: a literal list index;
   * `presence`: the recorded read tells a present key from an absent one, see TemplateUsage.presence).
   */
  private select(base: Val, key: string | undefined, f: Frame, at: { pos: number; end: number }, record: boolean, position?: number, presence?: number): Val {
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
          if (record) {
            const u = this.record(a.chart, path, 'read', f, at);
            if (presence) u.presence = Math.min(presence, path.length);
            refs.push(u);
          }
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
        const item = position !== undefined ? (a.elems?.[position] ?? a.items) : a.items;
        for (const x of item.alts) alts.push(x);
        for (const r of item.refs) refs.push(r);
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
        if (kind !== 'read' && !v.refs.some((r) => r.chart === a.chart && samePath(r.path, a.path))) this.record(a.chart, a.path, a.dyn ? 'dynamic' : kind, f, at).rendered = true;
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
      rendered: false,
      // Every reference has all its fields from the start (one object shape: no map change when one is set later).
      presence: undefined,
      selectOnly: undefined,
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

  /**
   * The references of a map that a selector only looks into (see SELECTORS; the receiver of a chain): those made
   * within `span`, by the operands themselves (a variable's or a dict entry's reference may be used elsewhere too).
   */
  private selectOnly(v: Val | undefined, f: Frame, span: { pos: number; end: number }): void {
    for (const r of v?.refs ?? []) if (r.kind === 'read' && !r.via && r.file === f.file.file && r.offset >= span.pos && r.end <= span.end) r.selectOnly = true;
  }

  /** Marks the references a value carries as guarded by what `tests` proves. */
  private guardBy(v: Val, tests: readonly MutableUsage[]): void {
    if (tests.length === 0) return;
    const guards = tests.map(guardOf);
    for (const r of v.refs) if (this.isGuarded(guards, r.chart, r.path)) r.guarded = true;
  }

  /**
   * `default A B`, `coalesce A B`, `or A B` inside `if or A B`: one of the arguments is truthy, so the result is never
   * empty: every argument is guarded. Each alternative of an enclosing `or` must be one of the arguments.
   */
  private guardAlternatives(args: readonly Val[], f: Frame): void {
    if (f.anyOf.length === 0) return;
    const refs = args.flatMap((a) => a.refs);
    const given = (g: Guard) => refs.some((r) => r.chart === g.chart && r.path.length === g.path.length && r.path.every((s, i) => s === g.path[i]));
    if (f.anyOf.some((alternatives) => alternatives.every((conj) => conj.some(given)))) for (const r of refs) r.guarded = true;
  }

  private isGuarded(guards: readonly Guard[], chart: number, path: readonly string[]): boolean {
    return guards.some((g) => g.chart === chart && g.path.length <= path.length && g.path.every((s, i) => s === path[i]));
  }
}

/**
 * Functions that only look into a map by the keys they are given: for an argument count, the positions of the maps.
 * `index m` alone gives m itself; `dig k… default m` (the map last), `pluck k m…`.
 */
const SELECTORS: ReadonlyMap<string, (n: number) => readonly number[]> = new Map<string, (n: number) => readonly number[]>([
  ['index', (n) => (n >= 2 ? [0] : [])],
  ['get', (n) => (n === 2 ? [0] : [])],
  ['hasKey', (n) => (n === 2 ? [0] : [])],
  ['dig', (n) => (n >= 3 ? [n - 1] : [])],
  ['pluck', (n) => Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1)],
]);

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a === b || a.join('\u0001') === b.join('\u0001');
}

function rank(k: UsageKind): number {
  return k === 'read' ? 0 : k === 'subtree' ? 1 : 2;
}
