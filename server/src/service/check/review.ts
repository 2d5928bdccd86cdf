// Review findings: what a reviewer asks about a values change, beyond what Helm itself warns of.
//   helm.redundant-override  an override that sets exactly the value it shadows (no effect)
//   helm.unknown-key         an overlay key that no layer below declares (a typo, or a key the chart dropped)
//   helm.type-change         a layer that changes the kind of a value where Helm's coalescing stays silent
// Each finding sits on the overriding key, in the file that supplied it. Also home of the small helpers that
// read one key's precedence chain, shared with the inline features (inlay hints, code lenses).
import type { ChartModel } from '../chart/chartModel';
import { relativeToChart } from '../chart/environments';
import type { Effective } from '../helm/effective';
import { formatPath } from '../helm/explain';
import type { Candidate, Slot, Source } from '../helm/provenance';
import { getPath, hasOwn, isTable } from '../values/valueUtil';
import { multiDocumentValues, type HelmRelease } from '../helm/versions';
import type { Finding, Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import type { EnvironmentResult } from './types';
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import type { TemplateIndex } from '../templates/templateIndex';


// ---------------------------------------------------------------------------------------------------------------
// The precedence chain of one key, and where a file's key sits in it.

/**
 * The slot of a key in one environment: the winning layer and the layers it shadows, highest first; for a key a
 * user null removed, the null's layer and what it removed. Returns the engine's own object (no copy): features
 * call this for every key of a file.
 */
export function keySlot(effective: Effective, path: readonly PathSegment[]): Slot | undefined {
  let container: Value = effective.values;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSegment;
    const last = i === path.length - 1;
    const present = typeof seg === 'number' ? Array.isArray(container) && seg < container.length : isTable(container) && hasOwn(container, seg);
    if (!present) {
      const removal = last && container !== null && typeof container === 'object' ? effective.prov.removal(container, seg) : undefined;
      return removal ? { source: removal.source, value: null, shadowed: removal.shadowed } : undefined;
    }
    if (last) return effective.prov.get(container as object, seg);
    container = (container as Record<string | number, Value>)[seg] ?? null;
  }
  return undefined;
}

/** Every layer that set a key in one environment, highest first (a user null that removed the key comes first). */
export function keyChain(effective: Effective, path: readonly PathSegment[]): Candidate[] {
  const slot = keySlot(effective, path);
  if (!slot) return [];
  // The winner's value as merged (a map holds every layer's keys), not the value its layer wrote.
  const value = getPath(effective.values, path) ?? null;
  return [{ source: slot.source, value, ...(slot.via ? { via: slot.via } : {}) }, ...slot.shadowed];
}

/** Whether a source is this key of this file. */
export function isEntrySource(s: Source, file: string, entry: KeyEntry): boolean {
  return s.kind === 'file' && s.file === file && s.line === entry.line && s.column === entry.column && (s.document ?? 0) === entry.document;
}

/** Position of a file's key in a chain; -1 when that key is not one of its layers. */
export function indexInChain(chain: readonly Candidate[], file: string, entry: KeyEntry): number {
  return chain.findIndex((c) => !c.via && isEntrySource(c.source, file, entry));
}

/** Whether a key path goes through a list (list items are replaced with their list, never overridden one by one). */
export function insideList(path: readonly PathSegment[]): boolean {
  return path.some((s) => typeof s === 'number');
}

/** The value a key has in its own file. */
export function entryValue(doc: ValuesDocument, entry: KeyEntry): Value {
  return getPath(doc.documents[entry.document] ?? {}, entry.path) ?? null;
}

/** A short label for a layer: `values-prod.yaml:3` (relative to the chart directory), `--set`, `(global)`. */
export function layerLabel(s: Source, chartDir: string): string {
  if (s.kind === 'file') return `${displayFile(s.file, chartDir)}:${s.line}${s.document !== undefined ? `#${s.document + 1}` : ''}`;
  if (s.kind === 'flag') return s.flag;
  return `(${s.reason})`;
}

/** A file name relative to the chart directory. */
export function displayFile(file: string, chartDir: string): string {
  return relativeToChart(chartDir, file);
}

/** A value as one short line: JSON, cut to `max` characters. */
export function showValue(v: Value, max = 30): string {
  const s = JSON.stringify(v) ?? 'null';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export type ValueKind = 'null' | 'string' | 'number' | 'boolean' | 'list' | 'map';

export function kindOf(v: Value): ValueKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i] ?? null));
  if (isTable(a) && isTable(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => hasOwn(b, k) && deepEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// What the chart's default values declare: one tree over every chart's values.yaml, at its name or alias paths.

interface Shape {
  /** Keys below, when some layer declares a map here. */
  keys?: Map<string, Shape>;
  /** The values files that declare this map, with the map's path inside each (a subchart's own paths). */
  decls: { doc: ValuesDocument; path: string[] }[];
  /** Unknown territory: a dependency missing from charts/ (its defaults are not here). */
  opaque?: boolean;
}

/** Declared trees by chart model (in the host's caches: a model lives while its chart's files are unchanged). */
const SHAPES = memoKey('check.declared-shapes', () => new WeakMap<ChartModel, Shape>());

function child(s: Shape, key: string): Shape {
  if (!s.keys) s.keys = new Map();
  let c = s.keys.get(key);
  if (!c) {
    c = { decls: [] };
    s.keys.set(key, c);
  }
  return c;
}

function declare(s: Shape, v: Value, doc: ValuesDocument, path: string[]): void {
  if (!isTable(v)) return;
  if (!s.keys) s.keys = new Map();
  if (!s.decls.some((d) => d.doc === doc)) s.decls.push({ doc, path });
  for (const k of Object.keys(v)) {
    const x = v[k] ?? null;
    // Leaves only need their node; a map's path is kept for its declaration.
    if (isTable(x)) declare(child(s, k), x, doc, [...path, k]);
    else child(s, k);
  }
}

/** The declared tree of a chart and its subcharts (memoized per model in `caches`). */
function declaredShape(model: ChartModel, caches: ServiceCaches | undefined): Shape {
  const shapes = caches?.get(SHAPES);
  const hit = shapes?.get(model);
  if (hit) return hit;
  const root: Shape = { decls: [] };
  const at = (path: readonly string[]) => path.reduce(child, root);
  const walk = (m: ChartModel, prefixes: string[][]) => {
    for (const p of prefixes) {
      const node = at(p);
      if (m.values) for (const d of m.values.documents) declare(node, d, m.values, []);
      for (const dep of m.dependencies ?? []) {
        const name = dep.alias ?? dep.name;
        if (!m.subcharts.some((s) => s.name === dep.name)) at([...p, name]).opaque = true;
        // Helm reads conditions and tags itself: they are keys even when no values.yaml declares them.
        for (const c of (dep.condition ?? '').split(',')) if (c.trim() !== '') at([...p, ...c.trim().split('.')]);
        for (const t of dep.tags) at([...p, 'tags', t]);
      }
    }
    for (const sub of m.subcharts) {
      const deps = (m.dependencies ?? []).filter((d) => d.name === sub.name);
      const names = deps.length > 0 ? deps.map((d) => d.alias ?? d.name) : [sub.name];
      walk(sub, prefixes.flatMap((p) => names.map((n) => [...p, n])));
    }
  };
  walk(model, [[]]);
  shapes?.set(model, root);
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// Suggestions: the declared sibling an unknown key most likely meant.

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur: number[] = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n] ?? 0;
}

const fold = (s: string) => s.toLowerCase().replace(/[-_]/g, '');

/**
 * The closest declared key, when one is close: equal ignoring case and `-`/`_`, or within an edit distance of
 * at most 2 and at most a third of the longer name (so `replicaCont` finds `replicaCount`, `a` does not find `b`).
 */
export function suggestKey(key: string, declared: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of declared) {
    if (name === key) continue;
    const d = fold(name) === fold(key) ? 0 : editDistance(key, name);
    if (d > 2 || d > Math.floor(Math.max(key.length, name.length) / 3)) continue;
    if (!best || d < best.d) best = { name, d };
  }
  return best?.name;
}

// ---------------------------------------------------------------------------------------------------------------
// The findings of one environment.

export interface ReviewInput {
  model: ChartModel;
  /** One environment's merge: its effective values with provenance, and its `-f` files in order. */
  result: EnvironmentResult;
  /** The host's long-lived caches. */
  caches?: ServiceCaches;
  /** The chart tree's template index: when the chart has templates, what they read decides `helm.unknown-key`. */
  templates?: TemplateIndex;
}

/**
 * Review findings of one environment (check merges them across environments, like Helm's messages).
 * `helm.unknown-key` findings carry `data.suggestion` when a declared sibling is close.
 */
export function reviewFindings(input: ReviewInput): Finding[] {
  const { model, result } = input;
  const eff = result.effective;
  if (!eff || eff.error) return [];
  const out: Finding[] = [];
  const dir = model.dir;
  // Helm already warns of table/non-table conflicts: no second finding on those keys.
  const helmWarned = new Set<string>();
  for (const m of eff.messages) if (m.code === 'helm.type-conflict' && m.source?.kind === 'file') helmWarned.add(`${m.source.file}\u0000${m.source.line}\u0000${m.source.column}`);
  const shape = declaredShape(model, input.caches);
  let opaque: boolean | undefined;
  /** Whether some dependency is missing from charts/ (its templates may read any `global.*`). */
  const globalOpen = () => (opaque ??= hasOpaque(shape));
  const docCount = (d: ValuesDocument) => (multiDocumentValues(eff.helmVersion) ? d.documents.length : 1);

  const compare = (doc: ValuesDocument, entry: KeyEntry, path: PathSegment[], chain: Candidate[]) => {
    const i = indexInChain(chain, doc.file, entry);
    const next = i >= 0 ? chain[i + 1] : undefined;
    if (!next || next.via) return;
    const own = entryValue(doc, entry);
    const lower = next.value;
    const where = () => layerLabel(next.source, dir);
    const name = () => formatPath(path);
    const ownKind = kindOf(own);
    const lowerKind = kindOf(lower);
    if (ownKind !== 'map' && ownKind !== 'null' && deepEqual(own, lower)) {
      out.push(at(doc, entry, 'info', 'helm.redundant-override', `${name()}: same value as ${where()} (${showValue(lower)}); this override has no effect`));
      return;
    }
    // null and "" are placeholders ("unset"), not a type.
    if (ownKind === 'null' || lowerKind === 'null' || own === '' || lower === '' || ownKind === lowerKind) return;
    const scalar = (k: ValueKind) => k === 'string' || k === 'number' || k === 'boolean';
    // A list or a map replaced by another kind loses the lower value wholesale; where Helm says nothing (top-level
    // keys, -f files layered with MergeMaps, lists), this is the only warning the user gets.
    const structural = ownKind === 'list' || lowerKind === 'list' || ownKind === 'map' || lowerKind === 'map';
    if (!structural && !(scalar(ownKind) && scalar(lowerKind))) return;
    if (helmWarned.has(`${doc.file}\u0000${entry.line}\u0000${entry.column}`)) return;
    out.push(
      at(doc, entry, structural ? 'warning' : 'info', 'helm.type-change', `${name()}: ${displayFile(doc.file, dir)} makes this ${article(ownKind)} (${showValue(own)}); ${where()} has ${article(lowerKind)} (${showValue(lower)})`),
    );
  };

  // Overlays: every key, against the layer it shadows and against what the layers below declare.
  result.files.forEach((doc, fileIndex) => {
    const below = result.files.slice(0, fileIndex);
    for (const entry of doc.entries) {
      if (entry.document >= docCount(doc) || insideList(entry.path)) continue;
      const path = [...entry.path];
      const chain = keyChain(eff, path);
      compare(doc, entry, path, chain);
      if (input.templates?.hasTemplates) {
        const f = noEffect(shape, input.templates, path as string[], doc, entry, globalOpen);
        if (f) out.push(f);
        continue;
      }
      const i = indexInChain(chain, doc.file, entry);
      // A layer below supplied this key (an import, a default): it is known, whatever the files declare.
      if (i >= 0 && i < chain.length - 1) continue;
      const unknown = unknownKey(shape, path as string[], entryValue(doc, entry), below, eff.helmVersion);
      if (unknown) {
        const f = at(doc, entry, 'warning', 'helm.unknown-key', unknownMessage(path as string[], unknown, dir));
        out.push(unknown.suggestion ? { ...f, data: { suggestion: unknown.suggestion } } : f);
      }
    }
  });

  // A chart's values.yaml setting keys of its subcharts overrides their defaults too.
  const visit = (m: ChartModel, prefixes: PathSegment[][]) => {
    const names = new Map<string, ChartModel>();
    for (const sub of m.subcharts) {
      const deps = (m.dependencies ?? []).filter((d) => d.name === sub.name);
      for (const n of deps.length > 0 ? deps.map((d) => d.alias ?? d.name) : [sub.name]) names.set(n, sub);
    }
    if (m.values && names.size > 0) {
      const doc = m.values;
      for (const entry of entriesUnder(doc, names)) {
        if (entry.document >= docCount(doc)) continue;
        for (const p of prefixes) {
          const path = [...p, ...entry.path];
          compare(doc, entry, path, keyChain(eff, path));
        }
      }
    }
    for (const [n, sub] of names) visit(sub, prefixes.map((p) => [...p, n]));
  };
  visit(model, [[]]);
  return out;
}

/**
 * With templates, `helm.unknown-key` is what they read: an overlay key no template reads "has no effect" (at the
 * highest such key only; declared or not), and a key a template reads is never unknown, whatever values.yaml declares.
 * Keys under a dependency missing from charts/ (and `global.*` then) are not judged: its templates are not known.
 */
function noEffect(shape: Shape, templates: TemplateIndex, path: string[], doc: ValuesDocument, entry: KeyEntry, globalOpen: () => boolean): Finding | undefined {
  if (path[0] === 'global' && globalOpen()) return undefined;
  let node: Shape | undefined = shape;
  for (const seg of path.slice(0, -1)) {
    node = node?.keys?.get(seg);
    if (node?.opaque) return undefined;
  }
  if (templates.isUsed(path)) return undefined;
  if (path.length > 1 && !templates.isUsed(path.slice(0, -1))) return undefined; // reported at the parent
  const key = path[path.length - 1] ?? '';
  const siblings = node?.keys && !node.keys.has(key) ? [...node.keys.keys()].filter((k) => templates.isUsed([...path.slice(0, -1), k])) : [];
  const suggestion = suggestKey(key, siblings);
  const f = at(doc, entry, 'warning', 'helm.unknown-key', `${formatPath(path)} has no effect: no template reads it${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
  return suggestion ? { ...f, data: { suggestion } } : f;
}

function hasOpaque(s: Shape): boolean {
  if (s.opaque) return true;
  for (const c of s.keys?.values() ?? []) if (hasOpaque(c)) return true;
  return false;
}

const UNDER_SUBCHARTS = memoKey<{ last?: { key: string; entries: KeyEntry[] } }>('check.entries-under-subcharts', () => ({}));
/** A values.yaml's entries below its subcharts' keys (not inside lists), memoized per document: every environment asks. */
function entriesUnder(doc: ValuesDocument, names: ReadonlyMap<string, unknown>): KeyEntry[] {
  const key = [...names.keys()].join('\u0000');
  const slot = doc.memo.get(UNDER_SUBCHARTS);
  const hit = slot.last;
  if (hit && hit.key === key) return hit.entries;
  const entries = doc.entries.filter((e) => {
    const first = e.path[0];
    return e.path.length >= 2 && typeof first === 'string' && names.has(first) && !insideList(e.path);
  });
  slot.last = { key, entries };
  return entries;
}

function article(k: ValueKind): string {
  return k === 'null' ? k : `a ${k}`;
}

function at(doc: ValuesDocument, entry: KeyEntry, severity: Finding['severity'], code: string, message: string): Finding {
  const a = doc.position(entry.keyStart);
  const b = doc.position(entry.keyEnd);
  return { file: doc.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, severity, code, message, offset: entry.keyStart, endOffset: entry.keyEnd };
}

interface Unknown {
  parent: Shape;
  suggestion?: string;
}

/** Kubernetes API objects that charts render verbatim (`toYaml`): their fields are Kubernetes', not the chart's. */
const KUBERNETES_OBJECT = /(probe|securitycontext|affinity|resources|annotations|labels|selector|tolerations|strategy|lifecycle|dnsconfig)$/i;

/** Keys that are data rather than chart options: file names, label or annotation names, environment variables. */
function dataKey(key: string): boolean {
  return /[./]/.test(key) || /^[A-Z][A-Z0-9_]*$/.test(key);
}

/** snake_case keys belong to another program's configuration passed through as is (Prometheus, Loki...). */
const foreign = (key: string) => key.includes('_');

/**
 * Whether an overlay key is unknown: its parent map is declared below with at least one key, the key itself is
 * not (in the chart's defaults, as a commented-out option there, or in an earlier overlay), and the key is a
 * chart option: not under `global`, a missing subchart, a free-form map (empty in the defaults), a Kubernetes
 * object, data keys (file names, labels) or another program's snake_case configuration; and not a new entry of
 * a named collection (a map sharing most of its keys with a declared sibling, as `route.main` -> `route.extra`).
 */
function unknownKey(shape: Shape, path: string[], value: Value, below: readonly ValuesDocument[], version: HelmRelease): Unknown | undefined {
  if (path.includes('global')) return undefined;
  const key = path[path.length - 1] ?? '';
  const parents = path.slice(0, -1);
  if (dataKey(key) || parents.some((p) => dataKey(p) || KUBERNETES_OBJECT.test(p))) return undefined;
  let node: Shape | undefined = shape;
  for (const seg of parents) {
    node = node.keys?.get(seg);
    if (!node || node.opaque) return undefined;
  }
  // Free-form maps (`podAnnotations: {}`) declare no key: only maps that some values file declares with keys.
  if (!node.keys || node.keys.size === 0 || node.decls.length === 0 || node.keys.has(key)) return undefined;
  const siblings = [...node.keys.keys()];
  if (siblings.filter(foreign).length * 2 >= siblings.length || siblings.every(dataKey)) return undefined;
  for (const d of below) {
    const docs = multiDocumentValues(version) ? d.documents : d.documents.slice(0, 1);
    if (docs.some((v) => getPath(v, path) !== undefined)) return undefined;
  }
  if (node.decls.some((d) => commentedOut(d.doc, d.path, key))) return undefined;
  const suggestion = suggestKey(key, siblings);
  // A snake_case key is only a slip when it spells a declared key (`replica_count` for `replicaCount`).
  if (foreign(key)) return suggestion && fold(suggestion) === fold(key) ? { parent: node, suggestion } : undefined;
  if (suggestion) return { parent: node, suggestion };
  if (isTable(value) && collectionEntry(node, value)) return undefined;
  return { parent: node };
}

/** A map that shares at least half of its keys with a declared sibling map: a new entry of a named collection. */
function collectionEntry(parent: Shape, value: Record<string, Value>): boolean {
  const keys = Object.keys(value);
  if (keys.length === 0) return false;
  for (const sib of parent.keys?.values() ?? []) {
    const declared = sib.keys;
    if (!declared || declared.size === 0) continue;
    if (keys.filter((k) => declared.has(k)).length * 2 >= keys.length) return true;
  }
  return false;
}

/**
 * Whether a values file documents `key` as a commented-out option of the map at `path` (`# minAvailable: 1`):
 * a comment line `# key:` between the map's key and the next key at its level or above, with the `#` or the key
 * at the indentation of the map's keys (so a commented example inside a list item does not count).
 */
function commentedOut(doc: ValuesDocument, path: string[], key: string): boolean {
  let start = 0;
  let end = doc.text.length;
  let indent = 0;
  if (path.length > 0) {
    const e = doc.index.keyAt(path);
    const i = e ? doc.index.ordinal(e) : -1;
    if (i < 0 || !e) return false;
    start = e.keyEnd;
    const first = doc.entries[i + 1];
    indent = first && first.document === e.document && first.path.length === path.length + 1 ? first.column - 1 : e.column + 1;
    for (let j = i + 1; j < doc.entries.length; j++) {
      const n = doc.entries[j];
      if (n && (n.document !== e.document || n.path.length <= path.length)) {
        end = n.keyStart;
        break;
      }
    }
  }
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^([ \\t]*)(#+[ \\t]*)["']?${escaped}["']?[ \\t]*:`, 'gm');
  for (const m of doc.text.slice(start, end).matchAll(re)) {
    const hash = (m[1] ?? '').length;
    if (hash === indent || hash + (m[2] ?? '').length === indent) return true;
  }
  return false;
}

function unknownMessage(path: string[], u: Unknown, dir: string): string {
  const key = path[path.length - 1] ?? '';
  const files = u.parent.decls.map((d) => displayFile(d.doc.file, dir));
  const where = files.length > 0 ? files.join(' or ') : 'the chart';
  const parent = path.length > 1 ? `${formatPath(path.slice(0, -1))} in ` : '';
  return `"${key}" is not a key of ${parent}${where}${u.suggestion ? ` (did you mean "${u.suggestion}"?)` : ''}`;
}
