// The template index of a chart: every values reference its templates (and its subcharts' templates) make, by path
// in the root chart's values, with the lookups the features need (`usagesOf`, `isUsed`).
// Pure: built from the template texts; rebuilt incrementally from the previous index of the same chart (unchanged
// files keep their parse, and their references when the set of defines is unchanged).
//
// Coordinates: a subchart's templates read `.Values.x` = the root's `<alias or name>.x`, `.Values.global.x` included:
// the effective values hold a subchart's own view of the globals at `<alias>.global` (its values.yaml `global:`
// defaults, overridden by the parent's globals: coalesceGlobals), so that is where its value is (rootPaths). `[]` in a
// path is any element of a list or any key of a map (`range`).
// Globals flow down only (helm-semantics B6): a read of `.Values.global.x` in a chart uses the root's `global.x` and
// the `global.x` of that chart and of every chart above it (`<alias>.global.x`, its own values.yaml default), never
// that of a chart below it; `toYaml .Values` in a subchart prints the globals it gets from above too.
// isUsed rules: a `read` of P uses P and its ancestors; a `subtree` or `dynamic` read of P uses P and everything
// below it (`toYaml .Values` uses every key), except a dynamic read of the whole of .Values (`index .Values $k`),
// which uses no key in particular; an element of a list (`list[3]`) is used when the list is read.
import type { PathSegment } from '../values/paths';
import type { TextFile } from '../types';
import type { DefineNode, ParsedTemplate, TemplateProblem } from './ast';
import { parseTemplate } from './parser';
import { Resolver, type DefineEntry, type DefineMemo, type TemplateUsage } from './resolve';

export type { TemplateUsage, UsageKind, Printed, TemplateLocation } from './resolve';

/** A chart's templates and its subcharts', as the index reads them. */
export interface TemplateChartInput {
  /** Display path of the chart directory. */
  dir: string;
  /** Files under templates/ (display paths). */
  templates: readonly TextFile[];
  /** Subcharts, with the keys they sit under in this chart's values (their name, or each alias). */
  subcharts: readonly { keys: readonly string[]; chart: TemplateChartInput }[];
  /** Values Helm itself reads for this chart: dependency `condition` paths and `tags.<tag>` (Chart.yaml lines). */
  helmReads?: readonly { path: readonly string[]; file: string; line: number }[];
}

/** One chart of the tree, with where its values sit in the root's. */
export interface IndexedChart {
  id: number;
  dir: string;
  /** Key paths from the root's values to this chart's values (`[]` for the root; several with aliases). */
  prefixes: readonly (readonly string[])[];
}

export interface TemplateFileProblem extends TemplateProblem {
  file: string;
}

export interface TemplateIndex {
  readonly charts: readonly IndexedChart[];
  /** Every reference, in file order. */
  readonly usages: readonly TemplateUsage[];
  /** Parse errors of the template files. */
  readonly problems: readonly TemplateFileProblem[];
  /** Whether the chart tree has any template file. */
  readonly hasTemplates: boolean;
  /** The references that read `path` (root coordinates): at it, and subtree/dynamic reads of an ancestor. */
  usagesOf(path: readonly PathSegment[]): TemplateUsage[];
  /** Whether some template reads `path` (root coordinates), by the rules above. */
  isUsed(path: readonly PathSegment[]): boolean;
  /**
   * The root-coordinate paths of a reference: where its value sits in the effective values (several when its chart
   * has aliases). A subchart's `.Values.global.x` is `<alias>.global.x`, its own view of the globals.
   */
  rootPaths(usage: TemplateUsage): string[][];
  /** The parse of a template file of the tree (undefined for any other file). */
  parsedOf(file: string): ParsedTemplate | undefined;
}

/** Formats a reference path: `a.b`, `list[].x`. */
export function formatUsagePath(path: readonly string[]): string {
  let out = '';
  for (const s of path) out += s === '[]' ? '[]' : out === '' ? s : `.${s}`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

interface FileState {
  text: string;
  /**
   * The parse, kept for a file with defines only: a rendered file's tree is dropped once its references are found
   * (most of a chart's syntax trees then die young, which costs the garbage collector next to nothing), and parsed
   * again when asked for (parsedOf).
   */
  parsed: ParsedTemplate | undefined;
  problems: readonly TemplateProblem[];
  /** Define names and texts of the file (to tell whether the define table changed). */
  defineText: string;
}

/** What a rebuild reuses (kept on the index object, not exported through the interface). */
interface IndexState {
  chartsKey: string;
  files: Map<string, FileState>;
  /** References of each rendered file, by `chartId:path`. */
  perFile: Map<string, TemplateUsage[]>;
  memo: DefineMemo;
}

/** Builds the index; pass the previous index of the same chart to reuse what did not change. Never throws. */
export function buildTemplateIndex(input: TemplateChartInput, previous?: TemplateIndex): TemplateIndex {
  const charts: (IndexedChart & { templates: readonly TextFile[]; helmReads: TemplateChartInput['helmReads'] })[] = [];
  const walk = (c: TemplateChartInput, prefixes: string[][]): void => {
    charts.push({ id: charts.length, dir: c.dir, prefixes, templates: c.templates, helmReads: c.helmReads });
    for (const s of c.subcharts) walk(s.chart, prefixes.flatMap((p) => s.keys.map((k) => [...p, k])));
  };
  walk(input, [[]]);
  const chartsKey = charts.map((c) => `${c.dir}\u0000${c.prefixes.map((p) => p.join('.')).join(',')}`).join('\u0001');
  const prev = previous instanceof Index ? previous.state : undefined;
  const reusable = prev && prev.chartsKey === chartsKey ? prev : undefined;

  // Parse the files that may define templates (reusing unchanged files); a changed file that cannot (no `define` or
  // `block` in its text) is parsed when its references are resolved, and its tree dropped then.
  const files = new Map<string, FileState>();
  /** Changed files parsed above, until resolved. */
  const fresh = new Map<string, ParsedTemplate>();
  /** Changed files not parsed yet. */
  const pending = new Set<string>();
  let definesChanged = !reusable;
  const fileChart = new Map<string, number>();
  for (const c of charts) {
    for (const t of c.templates) {
      fileChart.set(t.path, c.id);
      const old = prev?.files.get(t.path);
      if (old && old.text === t.text) {
        files.set(t.path, old);
        continue;
      }
      let defineText = '';
      if (mayDefine(t.text) || isPartial(t.path)) {
        const parsed = parseTemplate(t.path, t.text);
        defineText = parsed.defines.map((d) => `${d.name}\u0000${t.text.slice(d.pos, d.end)}`).join('\u0001');
        files.set(t.path, { text: t.text, parsed: parsed.defines.length > 0 ? parsed : undefined, problems: parsed.problems, defineText });
        fresh.set(t.path, parsed);
      } else pending.add(t.path);
      if (!old || old.defineText !== defineText) definesChanged = true;
    }
  }
  if (reusable && !definesChanged) for (const p of reusable.files.keys()) if (!files.has(p) && !pending.has(p) && reusable.files.get(p)?.defineText) definesChanged = true;

  // The define table, Helm's way: every chart's templates share one namespace; files are parsed deepest path first
  // (then in reverse lexical order), and a later definition replaces an earlier one, so the shallowest wins.
  const order = [...files.keys()].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0));
  const defines = new Map<string, DefineEntry>();
  for (const p of order) {
    const parsed = files.get(p)?.parsed;
    if (!parsed) continue;
    for (const d of parsed.defines) if (!isEmptyDefine(d, parsed.text) || !defines.has(d.name)) defines.set(d.name, { define: d, file: parsed });
  }

  const memo: DefineMemo = reusable && !definesChanged ? reusable.memo : new Map();
  const resolver = new Resolver(defines, memo);
  const perFile = new Map<string, TemplateUsage[]>();
  const usages: TemplateUsage[] = [];
  const problems: TemplateFileProblem[] = [];
  for (const c of charts) {
    for (const r of c.helmReads ?? []) {
      usages.push({ file: r.file, offset: 0, end: 0, line: r.line, column: 1, chart: c.id, path: r.path, kind: 'read', guarded: true, required: false });
    }
    for (const t of c.templates) {
      let fs = files.get(t.path);
      let parsed = fresh.get(t.path);
      fresh.delete(t.path); // a tree no longer needed is garbage as soon as it is resolved
      if (!fs) {
        if (!pending.has(t.path)) continue;
        parsed = parseTemplate(t.path, t.text);
        fs = { text: t.text, parsed: undefined, problems: parsed.problems, defineText: '' };
        files.set(t.path, fs);
      }
      for (const p of fs.problems) problems.push({ ...p, file: t.path });
      if (isPartial(t.path)) continue; // partials: only their defines count
      const key = `${c.id}:${t.path}`;
      const old = reusable && !definesChanged && prev?.files.get(t.path) === fs ? reusable.perFile.get(key) : undefined;
      const found = old ?? resolver.resolveFile(parsed ?? fs.parsed ?? parseTemplate(t.path, t.text), c.id);
      perFile.set(key, found);
      for (let i = 0; i < found.length; i++) {
        const u = found[i];
        if (u) usages.push(u);
      }
    }
  }
  return new Index(charts.map(({ id, dir, prefixes }) => ({ id, dir, prefixes })), usages, problems, fileChart.size > 0, { chartsKey, files, perFile, memo });
}

function depth(p: string): number {
  let n = 0;
  for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) n++;
  return n;
}

/** A partial (`_helpers.tpl`): not rendered, only its defines count. */
function isPartial(p: string): boolean {
  return p.startsWith('_', p.lastIndexOf('/') + 1);
}

/** Whether a template text may define templates (`{{define}}`, `{{block}}`): files without either word cannot. */
function mayDefine(text: string): boolean {
  return text.includes('define') || text.includes('block');
}

function isEmptyDefine(d: DefineNode, text: string): boolean {
  return d.list.every((n) => n.type === 'comment' || (n.type === 'text' && text.slice(n.pos, n.end).trim() === ''));
}

// ---------------------------------------------------------------------------------------------------------------------
// Lookups: a trie of root-coordinate paths.

interface TrieNode {
  children: Map<string, TrieNode>;
  /** References ending here. */
  here: TemplateUsage[];
  /** A subtree or dynamic read ends here: everything below is used. */
  whole: boolean;
}

const newNode = (): TrieNode => ({ children: new Map(), here: [], whole: false });

class Index implements TemplateIndex {
  private trieMemo: TrieNode | undefined;
  /** Rendered files' trees, parsed again on demand (the build drops them). */
  private readonly reparsed = new Map<string, ParsedTemplate>();

  constructor(
    readonly charts: readonly IndexedChart[],
    readonly usages: readonly TemplateUsage[],
    readonly problems: readonly TemplateFileProblem[],
    readonly hasTemplates: boolean,
    /** What the next build of the same chart reuses. */
    readonly state: IndexState,
  ) {}

  parsedOf(file: string): ParsedTemplate | undefined {
    const fs = this.state.files.get(file);
    if (!fs) return undefined;
    if (fs.parsed) return fs.parsed;
    let parsed = this.reparsed.get(file);
    if (!parsed) this.reparsed.set(file, (parsed = parseTemplate(file, fs.text)));
    return parsed;
  }

  rootPaths(u: TemplateUsage): string[][] {
    const chart = this.charts[u.chart];
    return (chart?.prefixes ?? [[]]).map((p) => [...p, ...u.path]);
  }

  /**
   * The root-coordinate paths a reference uses: its rootPaths (for a global, the chart's own `global`), and for a
   * global (`global.*`, or a subtree read of a subchart's whole `.Values`) the `global` of each chart above it, the
   * root's included. Every segment of a chart's prefix is a subchart key, so each prefix's heads are the places of
   * the charts above.
   */
  private usedPaths(u: TemplateUsage): string[][] {
    const paths = this.rootPaths(u);
    const global = u.path[0] === 'global';
    if (!global && (u.path.length > 0 || u.kind !== 'subtree')) return paths;
    const above = new Map<string, string[]>();
    for (const p of this.charts[u.chart]?.prefixes ?? []) {
      for (let k = 0; k < p.length; k++) {
        const path = global ? [...p.slice(0, k), ...u.path] : [...p.slice(0, k), 'global'];
        above.set(path.join('\u0000'), path);
      }
    }
    return [...paths, ...above.values()];
  }

  private trie(): TrieNode {
    if (this.trieMemo) return this.trieMemo;
    const root = newNode();
    for (const u of this.usages) {
      for (const path of this.usedPaths(u)) {
        let node = root;
        for (const s of path) {
          let next = node.children.get(s);
          if (!next) node.children.set(s, (next = newNode()));
          node = next;
        }
        node.here.push(u);
        // A dynamic read of the whole of .Values (bitnami's common.warnings.resources: `index .Values <computed>`)
        // does not use every key; below the root it protects its subtree. `toYaml .Values` prints every key: it does.
        if (u.kind === 'subtree' || (u.kind === 'dynamic' && path.length > 0)) node.whole = true;
      }
    }
    this.trieMemo = root;
    return root;
  }

  /** Trie nodes along `path` (wildcards `[]` match any segment), with each node's depth. */
  private walk(path: readonly PathSegment[], visit: (node: TrieNode, depth: number) => boolean): boolean {
    const go = (node: TrieNode, i: number): boolean => {
      if (visit(node, i)) return true;
      if (i === path.length) return false;
      const seg = path[i];
      const exact = typeof seg === 'string' ? node.children.get(seg) : undefined;
      if (exact && go(exact, i + 1)) return true;
      const any = node.children.get('[]');
      return any !== undefined && go(any, i + 1);
    };
    return go(this.trie(), 0);
  }

  isUsed(path: readonly PathSegment[]): boolean {
    const last = path.length - 1;
    return this.walk(path, (node, i) => {
      if (node.whole) return true;
      if (i === path.length) return node.here.length > 0 || node.children.size > 0;
      // A list element is used when the list itself is read.
      return i === last && typeof path[last] === 'number' && node.here.length > 0;
    });
  }

  usagesOf(path: readonly PathSegment[]): TemplateUsage[] {
    const out = new Set<TemplateUsage>();
    this.walk(path, (node, i) => {
      if (i === path.length) for (const u of node.here) out.add(u);
      else if (node.whole) for (const u of node.here) if (u.kind !== 'read') out.add(u);
      return false;
    });
    return [...out].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset));
  }
}
