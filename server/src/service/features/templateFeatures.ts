// Editor features inside template files (templates/**): hover on a values reference (the effective value in each
// environment and the winning layer, rendered as the values-file hover renders a key), go to definition (the winning
// layers and the chart default), completion of keys after `.Values.` (the layers' keys and the schemas' properties).
// What the offset holds comes from templateTarget.ts. A subchart's `.Values.global.x` is its own view of the globals,
// `<alias>.global.x` in the effective values: supplied by its values.yaml `global.x` and the `global.x` of every chart
// above it (templates/globals.ts), never by a chart below or beside it.
import type { ChartAnalysis } from '../analysis';
import { explainPath } from '../helm/explain';
import { isTable } from '../values/valueUtil';
import type { Value } from '../types';
import type { PathSegment } from '../values/paths';
import { formatUsagePath } from '../templates/templateIndex';
import { globalReadOf, globalSources, type GlobalRead } from '../templates/globals';
import { blockFor, code, documentationOf, schemaSection } from './hover';
import { documentsOf, valueAt } from './completionOffers';
import { chartLayers, defaultsTargets, definitionByStructure, preview, type ChartLayers, type LayerTarget } from './navigation';
import { mapOf, schemasAt, summaryOf } from './schemaInfo';
import { templateReferenceAt, valuesChainAt } from './templateTarget';
import type { CompletionResult, FeatureOptions, FileSpan, HoverResult } from './types';

/** Paths of one reference shown one by one before "and N more". */
const MAX_PATHS = 4;

/** The part of a reference path that names a key of the effective values: up to the first `[]` (any element). */
function concrete(path: readonly string[]): PathSegment[] {
  const at = path.indexOf('[]');
  return at < 0 ? [...path] : path.slice(0, at);
}

/** The schemas at a root-coordinate path: asked through the root chart's values.yaml, whose paths are root paths. */
function schemasAtRoot(analysis: ChartAnalysis, path: readonly PathSegment[]) {
  const file = analysis.model.values?.file;
  return file === undefined ? [] : schemasAt(analysis, file, path);
}

/** Where a root-coordinate path lies in a chart's view of the globals, if it does. */
function globalRead(analysis: ChartAnalysis, path: readonly PathSegment[]): GlobalRead | undefined {
  if (!path.includes('global')) return undefined;
  return globalReadOf(path, analysis.places().flatMap((p) => p.prefixes.map((x) => x.map(String))));
}

/**
 * The chart defaults that supply a chart's `global.<rest>`, highest precedence first: for the `global` of the root and
 * of each chart above it, then its own, every values.yaml placed on the way there (the root's `cache.global.x` sets
 * the subchart's view too; its own `global.x` loses to the parents').
 */
function globalDefaultsTargets(layers: ChartLayers, read: GlobalRead): LayerTarget[] {
  const out: LayerTarget[] = [];
  for (const source of globalSources(read)) {
    const owner = source.slice(0, source.length - read.rest.length - 1);
    const here: LayerTarget[] = [];
    for (const d of layers.defaults) {
      for (const pre of d.place.prefixes) {
        if (pre.length <= owner.length && pre.every((s, i) => owner[i] === s)) here.push({ doc: d.doc, path: source.slice(pre.length), base: pre.length, label: d.label, rank: layers.maxDepth - d.depth });
      }
    }
    out.push(...here.sort((a, b) => a.base - b.base));
  }
  return out;
}

/** The documentation of a key; for a global, from the chart's own `global.*` default first, then the charts' above. */
function documentationAt(analysis: ChartAnalysis, path: readonly PathSegment[]): string | undefined {
  const read = globalRead(analysis, path);
  if (!read) return documentationOf(analysis, path);
  for (const source of globalSources(read).reverse()) {
    const docs = documentationOf(analysis, source);
    if (docs !== undefined) return docs;
  }
  return undefined;
}

export function computeTemplateHover(analysis: ChartAnalysis, file: string, offset: number, options: FeatureOptions): HoverResult | undefined {
  const ref = templateReferenceAt(analysis, file, offset);
  if (!ref) return undefined;
  const known = analysis.environments.map((e) => e.name);
  const active = options.activeEnvironment !== undefined && known.includes(options.activeEnvironment) ? options.activeEnvironment : undefined;
  const envs = active !== undefined ? [active] : [...known].sort();
  const how = ref.kind === 'subtree' ? 'read as a whole by this template' : ref.kind === 'dynamic' ? 'read by this template with keys computed at render time' : 'read by this template';
  const blocks: string[] = [];
  for (const p of ref.paths.slice(0, MAX_PATHS)) {
    const path = concrete(p);
    const element = path.length < p.length ? `; each element read as ${code(formatUsagePath(p))}` : '';
    if (path.length === 0) blocks.push(`${code(formatUsagePath(p))} — ${how}: the whole of \`.Values\``);
    else blocks.push(blockFor(analysis, { heading: `${how}${element}` }, path, envs, options));
  }
  if (ref.paths.length > MAX_PATHS) blocks.push(`and ${ref.paths.length - MAX_PATHS} more paths (the template is included with other contexts)`);
  const first = concrete(ref.paths[0] ?? []);
  const docs = first.length > 0 ? documentationAt(analysis, first) : undefined;
  const schema = first.length > 0 ? schemaSection(schemasAtRoot(analysis, first), docs) : undefined;
  const markdown = [...blocks, ...(schema !== undefined ? [schema] : []), ...(docs !== undefined ? [docs] : [])].join('\n\n---\n\n');
  return { markdown, start: ref.start, end: ref.end };
}

/**
 * The layers a reference's key comes from: the winning layer of each environment (overlays, `--set` flags in
 * manifests, chart defaults), then the chart default (for a global, each chart default that supplies it: the parents'
 * `global.*` and the chart's own); where no layer sets it, the deepest ancestor the defaults declare.
 */
export function computeTemplateDefinition(analysis: ChartAnalysis, file: string, offset: number): FileSpan[] {
  const ref = templateReferenceAt(analysis, file, offset);
  if (!ref) return [];
  const out: FileSpan[] = [];
  const layers = chartLayers(analysis);
  for (const p of ref.paths) {
    const path = concrete(p);
    if (path.length === 0) continue;
    for (const env of analysis.environments) {
      const eff = analysis.environment(env.name)?.effective;
      if (!eff || eff.error) continue;
      const x = explainPath(eff, [...path]);
      const s = x.found ? x.source : x.removedBy;
      if (s?.kind !== 'file') continue;
      const e = analysis.document(s.file)?.index.atPosition(s.line, s.column, s.document);
      if (e) out.push({ file: s.file, start: e.keyStart, end: e.keyEnd });
    }
    // A global: every chart default that supplies the chart's view (the parents' and its own); else the chart default.
    const read = globalRead(analysis, path);
    const defaults = read ? globalDefaultsTargets(layers, read) : defaultsTargets(layers, path, false);
    const declared = defaults.flatMap((t) => {
      const e = t.doc.index.keyAt(t.path);
      return e ? [{ file: t.doc.file, start: e.keyStart, end: e.keyEnd }] : [];
    });
    if (declared.length > 0) out.push(...(read ? declared : declared.slice(0, 1)));
    else if (out.length === 0) out.push(...definitionByStructure(defaults));
  }
  const seen = new Set<string>();
  return out.filter((s) => {
    const k = `${s.file}\u0001${s.start}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Keys a template can write after `.` (`.Values.my-key` is no field: such keys are read with `index`). */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface KeyOffer {
  key: string;
  value: Value;
  from: string;
}

/**
 * The keys of the map at a root path in every layer: chart defaults first (their order), then keys only overlays set.
 * In a chart's view of the globals: the keys of its own `global` and of the `global` of the charts above it.
 */
function offersAt(analysis: ChartAnalysis, path: readonly PathSegment[]): KeyOffer[] {
  const layers = chartLayers(analysis);
  const read = globalRead(analysis, path);
  const byKey = new Map<string, KeyOffer>();
  const add = (t: LayerTarget, label: string) => {
    for (const root of documentsOf(t.doc, analysis.input.helmVersion)) {
      const map = valueAt(root, t.path);
      if (!isTable(map)) continue;
      for (const key of Object.keys(map)) {
        if (byKey.has(key) || (key === 'global' && t.path.length === 0 && t.base > 0)) continue;
        const entry = t.doc.entryOf(map, key);
        byKey.set(key, { key, value: map[key] ?? null, from: `${t.doc.file}${entry ? `:${entry.line}` : ''} (${label})` });
      }
    }
  };
  for (const t of read ? globalDefaultsTargets(layers, read) : defaultsTargets(layers, path, true)) add(t, t.label);
  // Subcharts placed right below the path: their name or alias is a key.
  for (const d of read ? [] : layers.defaults) {
    for (const pre of d.place.prefixes) {
      const key = pre[pre.length - 1];
      if (pre.length !== path.length + 1 || typeof key !== 'string' || byKey.has(key) || !path.every((s, i) => s === pre[i])) continue;
      byKey.set(key, { key, value: d.doc.documents[0] ?? {}, from: `${d.doc.file} (subchart ${d.place.model.name})` });
    }
  }
  for (const doc of layers.overlays) {
    const envs = layers.chains.filter((c) => c.docs.includes(doc)).map((c) => c.env);
    for (const p of read ? globalSources(read) : [path]) add({ doc, path: [...p], base: 0, label: 'overlay', rank: 0 }, `set in ${envs.join(', ')}`);
  }
  return [...byKey.values()];
}

export function computeTemplateCompletion(analysis: ChartAnalysis, file: string, text: string, offset: number): CompletionResult[] {
  const chain = valuesChainAt(analysis, file, text, offset);
  if (!chain) return [];
  const items = new Map<string, CompletionResult>();
  for (const parent of chain.parents) {
    const offers = offersAt(analysis, parent);
    const parts = schemasAtRoot(analysis, parent);
    const props = parts.length > 0 ? mapOf(parts).properties : [];
    const described = new Map(props.map((p) => [p.name, p]));
    const add = (key: string, detail: string, documentation: string, deprecated: boolean) => {
      if (!FIELD_NAME.test(key) || items.has(key)) return;
      items.set(key, {
        label: key,
        kind: 'property',
        detail,
        documentation,
        insertText: key,
        replaceStart: chain.replaceStart,
        replaceEnd: chain.replaceEnd,
        sortText: String(items.size).padStart(5, '0'),
        ...(deprecated ? { deprecated: true } : {}),
      });
    };
    for (const o of offers) {
      const prop = described.get(o.key);
      const summary = prop ? summaryOf(prop.parts) : undefined;
      const type = summary && summary.types.length > 0 ? `${summary.types.join(' | ')} = ` : '';
      add(o.key, `${type}${preview(o.value)}`, [summary?.description ?? '', o.from].filter((l) => l !== '').join('\n\n'), summary?.deprecated ?? false);
    }
    for (const p of props) {
      const summary = summaryOf(p.parts);
      add(p.name, summary.types.join(' | ') || 'schema property', [summary.description ?? '', `${p.parts[0]?.file ?? ''} (schema)`].filter((l) => l !== '').join('\n\n'), summary.deprecated);
    }
  }
  return [...items.values()];
}
