// Go to definition (override -> the key it overrides in the layer below), references (every layer setting a key),
// document symbols with YAML paths. Also the layer model completion uses: which (file, path) pairs of a chart stand
// for the same effective key, in precedence order.
import type { ChartAnalysis, ChartPlace } from '../analysis';
import { explainPath } from '../helm/explain';
import type { Candidate, Source } from '../helm/provenance';
import { memoKey } from '../memo';
import { pathKey } from '../values/paths';
import { hasOwn } from '../values/valueUtil';
import type { Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import type { FileSpan, SymbolResult } from './types';
import { templateIndexOf } from '../templates/chartTemplates';

// ---------------------------------------------------------------------------------------------------------------
// The layer model, built once per analysis (paths and positions of one file: `doc.index`).

/** One chart's values.yaml in the tree. */
export interface DefaultsLayer {
  place: ChartPlace;
  doc: ValuesDocument;
  /** 0 for the root chart, 1 for its subcharts... */
  depth: number;
  label: string;
}

export interface ChartLayers {
  defaults: DefaultsLayer[];
  /** Every overlay some environment uses, in order of first use (environments in order, files in order). */
  overlays: ValuesDocument[];
  /** Each environment's overlays in `-f` order. */
  chains: { env: string; docs: ValuesDocument[] }[];
  /** Depth of the deepest chart (ranks: defaults of depth d rank maxDepth - d, overlays above all defaults). */
  maxDepth: number;
}

const LAYERS = memoKey<{ layers?: ChartLayers }>('features.chart-layers', () => ({}));

export function chartLayers(analysis: ChartAnalysis): ChartLayers {
  const slot = analysis.memo.get(LAYERS);
  if (slot.layers) return slot.layers;
  const defaults: DefaultsLayer[] = [];
  for (const place of analysis.places()) {
    const doc = place.model.values;
    if (!doc) continue;
    const depth = place.prefixes[0]?.length ?? 0;
    const names = place.prefixes.map((p) => p.join('.'));
    const label = depth === 0 ? `${place.model.name} defaults` : `${place.model.name} defaults, under ${names.join(', ')}`;
    defaults.push({ place, doc, depth, label });
  }
  const overlays: ValuesDocument[] = [];
  const seen = new Set<string>();
  const chains: ChartLayers['chains'] = [];
  for (const env of analysis.environments) {
    const docs: ValuesDocument[] = [];
    for (const v of env.values) {
      const r = analysis.input.resolveValues(v);
      if ('error' in r) continue;
      docs.push(r);
      if (!seen.has(r.file)) {
        seen.add(r.file);
        overlays.push(r);
      }
    }
    chains.push({ env: env.name, docs });
  }
  const maxDepth = defaults.reduce((m, x) => Math.max(m, x.depth), 0);
  const out = { defaults, overlays, chains, maxDepth };
  slot.layers = out;
  return out;
}

/** A (file, path-in-file) pair standing for an effective key. `base` = effective path length before `path`. */
export interface LayerTarget {
  doc: ValuesDocument;
  path: PathSegment[];
  base: number;
  label: string;
  /** Precedence rank: lower loses. Defaults of deeper charts lowest, then overlays in order of first use. */
  rank: number;
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

function defaultsRank(layers: ChartLayers, d: DefaultsLayer): number {
  return layers.maxDepth - d.depth;
}

function overlayRank(layers: ChartLayers, doc: ValuesDocument): number {
  return layers.maxDepth + 1 + layers.overlays.findIndex((o) => o.file === doc.file);
}

/**
 * The chart defaults that stand for effective path `e`, highest precedence first: each chart whose place is on the
 * path (`inclusive`: also the chart placed exactly at `e`, whose whole values are the map at `e`), then, for a
 * `global.*` path, the `global` of every chart below the one the global belongs to.
 */
export function defaultsTargets(layers: ChartLayers, e: readonly PathSegment[], inclusive: boolean): LayerTarget[] {
  const direct: LayerTarget[] = [];
  const globals: LayerTarget[] = [];
  for (const d of layers.defaults) {
    for (const pre of d.place.prefixes) {
      if ((pre.length < e.length || (inclusive && pre.length === e.length)) && startsWith(e, pre)) {
        direct.push({ doc: d.doc, path: e.slice(pre.length), base: pre.length, label: d.label, rank: defaultsRank(layers, d) });
      }
    }
  }
  // `global.*` below a chart's place: every deeper chart reads it as its own `global.*`.
  for (let k = 0; k < e.length; k++) {
    if (e[k] !== 'global') continue;
    const owner = e.slice(0, k);
    if (k > 0 && !layers.defaults.some((d) => d.place.prefixes.some((p) => p.length === k && startsWith(owner, p)))) continue;
    const rest = e.slice(k + 1);
    for (const d of layers.defaults) {
      for (const pre of d.place.prefixes) {
        if (pre.length > k && startsWith(pre, owner)) globals.push({ doc: d.doc, path: ['global', ...rest], base: k, label: d.label, rank: defaultsRank(layers, d) });
      }
    }
  }
  direct.sort((a, b) => a.base - b.base);
  globals.sort((a, b) => b.rank - a.rank);
  return dedupeTargets([...direct, ...globals]);
}

function dedupeTargets(list: LayerTarget[]): LayerTarget[] {
  const seen = new Set<string>();
  return list.filter((t) => {
    const k = `${t.doc.file}\u0001${pathKey(t.path)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The layers below a key of `file` (nearest first): for an overlay, the earlier overlays of each environment that
 * uses it, then the chart defaults; for a chart's values.yaml, the charts below it (subcharts, and their globals).
 * `inclusive` also yields a subchart placed exactly at the path (for completion inside `<alias>:`).
 */
export function layersBelow(analysis: ChartAnalysis, file: string, path: readonly PathSegment[], inclusive: boolean): LayerTarget[] {
  const layers = chartLayers(analysis);
  const role = analysis.roleOf(file);
  if (role.kind === 'overlay') {
    const earlier: LayerTarget[] = [];
    for (const c of layers.chains) {
      const at = c.docs.map((d) => d.file).lastIndexOf(file);
      if (at < 0) continue;
      for (let i = at - 1; i >= 0; i--) {
        const doc = c.docs[i];
        if (doc && doc.file !== file) earlier.push({ doc, path: [...path], base: 0, label: 'overlay', rank: overlayRank(layers, doc) });
      }
    }
    return dedupeTargets([...earlier, ...defaultsTargets(layers, path, inclusive)]);
  }
  if (role.kind === 'defaults') {
    // Only charts below this one: a lower rank than its own.
    const mine = layers.maxDepth - (role.place.prefixes[0]?.length ?? 0);
    const out: LayerTarget[] = [];
    for (const pre of role.place.prefixes) {
      for (const t of defaultsTargets(layers, [...pre, ...path], inclusive)) if (t.rank < mine && t.doc.file !== file) out.push(t);
    }
    return dedupeTargets(out);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Definition.

export function computeDefinition(analysis: ChartAnalysis, file: string, offset: number): FileSpan[] {
  const doc = analysis.document(file);
  if (!doc) return [];
  const entry = doc.index.keyEntryAt(offset);
  if (!entry) return [];
  // No chart or overlay below this file could hold the key: done, without merging anything.
  const below = layersBelow(analysis, file, entry.path, false);
  if (below.length === 0) return [];
  const fromProvenance = definitionByProvenance(analysis, doc, entry);
  if (fromProvenance.length > 0) return fromProvenance;
  return definitionByStructure(below);
}

/** The next file candidate after this entry in the precedence chain Helm built, per environment using the file. */
function definitionByProvenance(analysis: ChartAnalysis, doc: ValuesDocument, entry: KeyEntry): FileSpan[] {
  const role = analysis.roleOf(doc.file);
  let envs: string[];
  if (role.kind === 'overlay') envs = role.environments;
  else if (role.kind === 'defaults') {
    const d = analysis.environments.find((e) => e.origin === 'defaults') ?? analysis.environments[0];
    envs = d ? [d.name] : [];
  } else envs = [];
  const out: FileSpan[] = [];
  for (const name of envs) {
    const eff = analysis.environment(name)?.effective;
    if (!eff) continue;
    for (const path of analysis.effectivePaths(doc.file, entry.path)) {
      const x = explainPath(eff, [...path]);
      const chain: Source[] = x.found && x.source ? [x.source, ...x.shadowed.map((c: Candidate) => c.source)] : x.removedBy ? [x.removedBy, ...x.shadowed.map((c) => c.source)] : [];
      const at = chain.findIndex((s) => s.kind === 'file' && s.file === doc.file && s.line === entry.line && s.column === entry.column);
      if (at < 0) continue;
      for (let i = at + 1; i < chain.length; i++) {
        const s = chain[i];
        if (!s || s.kind !== 'file') continue;
        const target = analysis.document(s.file);
        const e = target?.index.atPosition(s.line, s.column);
        if (target && e) out.push({ file: target.file, start: e.keyStart, end: e.keyEnd });
        break;
      }
    }
  }
  return dedupeSpans(out);
}

/** The nearest layer below that declares the key, else the deepest ancestor any of them declares. */
export function definitionByStructure(targets: readonly LayerTarget[]): FileSpan[] {
  for (const t of targets) {
    const last = t.doc.index.keyAt(t.path);
    if (last) return [{ file: t.doc.file, start: last.keyStart, end: last.keyEnd }];
  }
  // No layer declares the key itself: the deepest ancestor any of them declares (nearest layer on ties).
  let best: { span: FileSpan; depth: number } | undefined;
  for (const t of targets) {
    for (let n = t.path.length - 1; n >= 1; n--) {
      if (best && t.base + n <= best.depth) break;
      const last = t.doc.index.keyAt(t.path.slice(0, n));
      if (last) {
        best = { span: { file: t.doc.file, start: last.keyStart, end: last.keyEnd }, depth: t.base + n };
        break;
      }
    }
  }
  return best ? [best.span] : [];
}

function dedupeSpans(list: FileSpan[]): FileSpan[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = `${s.file}\u0001${s.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// References.

export function computeReferences(analysis: ChartAnalysis, file: string, offset: number): FileSpan[] {
  const doc = analysis.document(file);
  if (!doc) return [];
  const entry = doc.index.keyEntryAt(offset);
  if (!entry) return [];
  const layers = chartLayers(analysis);
  const targets: LayerTarget[] = [];
  for (const e of analysis.effectivePaths(file, entry.path)) {
    targets.push(...allTargets(layers, e));
  }
  const found: { span: FileSpan; rank: number }[] = [];
  for (const t of dedupeTargets(targets)) {
    for (const hit of t.doc.index.entriesAt(t.path)) found.push({ span: { file: t.doc.file, start: hit.keyStart, end: hit.keyEnd }, rank: t.rank });
  }
  found.sort((a, b) => a.rank - b.rank || (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start - b.span.start));
  return dedupeSpans([...found.map((f) => f.span), ...templateReferences(analysis, analysis.effectivePaths(file, entry.path))]);
}

/** The template references that read the effective paths (after the values layers; charts with templates only). */
function templateReferences(analysis: ChartAnalysis, paths: readonly PathSegment[][]): FileSpan[] {
  const index = templateIndexOf(analysis);
  if (!index.hasTemplates) return [];
  const out: FileSpan[] = [];
  for (const p of paths) for (const u of index.usagesOf(p)) if (!u.file.includes('#') && u.end > u.offset) out.push({ file: u.file, start: u.offset, end: u.end });
  return out;
}

/** Every (file, path) that sets effective path `e`: chart defaults (with globals shared up and down) and overlays. */
function allTargets(layers: ChartLayers, e: readonly PathSegment[]): LayerTarget[] {
  const out: LayerTarget[] = [...defaultsTargets(layers, e, false)];
  for (const doc of layers.overlays) out.push({ doc, path: [...e], base: 0, label: 'overlay', rank: overlayRank(layers, doc) });
  // A subchart's own `global.*` is set from above too: the root's and every ancestor's `global.*`, and overlays'.
  for (let k = 1; k < e.length; k++) {
    if (e[k] !== 'global') continue;
    const owner = e.slice(0, k);
    if (!layers.defaults.some((d) => d.place.prefixes.some((p) => p.length === k && startsWith(owner, p)))) continue;
    const g = ['global', ...e.slice(k + 1)];
    out.push(...defaultsTargets(layers, g, false));
    for (const d of layers.defaults) {
      for (const pre of d.place.prefixes) if (pre.length < k && startsWith(owner, pre)) out.push({ doc: d.doc, path: g, base: pre.length, label: d.label, rank: defaultsRank(layers, d) });
    }
    for (const doc of layers.overlays) out.push({ doc, path: g, base: 0, label: 'overlay', rank: overlayRank(layers, doc) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Document symbols.

export function computeDocumentSymbols(doc: ValuesDocument): SymbolResult[] {
  const roots: SymbolResult[] = [];
  // Entries are in document order, parents before children: a stack of open ancestors finds each parent.
  const stack: { sym: SymbolResult; depth: number; value: Value | undefined; path: string }[] = [];
  let document = -1;
  const text = doc.text;
  for (const e of doc.entries) {
    if (e.document !== document) {
      document = e.document;
      stack.length = 0;
    }
    const depth = e.path.length;
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (depth > 1 && parent?.depth !== depth - 1) continue;
    const seg = e.path[depth - 1] ?? '';
    const container: Value | undefined = parent ? parent.value : doc.documents[e.document];
    const value = valueIn(container, seg);
    const path = (parent?.path ?? '') + segmentText(seg, depth === 1);
    let end = Math.max(e.keyEnd, e.valueEnd);
    while (end > e.keyEnd && isSpace(text.charCodeAt(end - 1))) end--;
    const kind = kindOf(value);
    const sym: SymbolResult = {
      name: typeof seg === 'number' ? `[${seg}]` : seg === '' ? '""' : seg,
      detail: kind === 'object' || kind === 'array' ? path : `${path} = ${preview(value)}`,
      kind,
      start: e.keyStart,
      end,
      selectionStart: e.keyStart,
      selectionEnd: e.keyEnd,
      children: [],
    };
    if (parent) parent.sym.children.push(sym);
    else roots.push(sym);
    stack.push({ sym, depth, value, path });
  }
  return roots;
}

function valueIn(container: Value | undefined, seg: PathSegment): Value | undefined {
  if (container === null || container === undefined || typeof container !== 'object') return undefined;
  if (Array.isArray(container)) return typeof seg === 'number' ? container[seg] : undefined;
  return typeof seg === 'string' && hasOwn(container, seg) ? container[seg] : undefined;
}

function segmentText(seg: PathSegment, first: boolean): string {
  if (typeof seg === 'number') return `[${seg}]`;
  if (/[.[\]\\]/.test(seg) || seg === '') return `[${JSON.stringify(seg)}]`;
  return first ? seg : `.${seg}`;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export function kindOf(v: Value | undefined): SymbolResult['kind'] {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  return 'boolean';
}

/** A one-line preview of a value (strings quoted, long ones cut). */
export function preview(v: Value | undefined, max = 40): string {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : '[…]';
  if (typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : '{…}';
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
