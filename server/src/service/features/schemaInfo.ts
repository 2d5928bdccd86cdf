// What the charts' values.schema.json say about a key path of a values file: the glue between the one schema walker
// (`schemaAt`) and the editor features (completion, hover). A key of a file maps to effective paths
// (`analysis.effectivePaths`); Helm validates each chart's schema on its own part of the values (the root's on the
// whole, a subchart's under each of its names or aliases, `global` included), so every chart whose place is on the
// path contributes, the deepest (the key's owner) first.
import type { ChartAnalysis } from '../analysis';
import type { ChartModel } from '../chart/chartModel';
import { expand, schemaAt, summarize, type JsonSchema, type SchemaContext, type SchemaSummary } from '../schema/schemaAt';
import type { PathSegment } from '../yaml/valuesDocument';
import { MemoTable, memoKey } from '../memo';
import { pathKey } from '../values/paths';

/** The subschemas of one chart's schema that apply at a point. */
export interface SchemaPart {
  model: ChartModel;
  /** Display path of the chart's values.schema.json. */
  file: string;
  ctx: SchemaContext;
  schemas: JsonSchema[];
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** One context per parsed schema, kept across snapshots (the host keeps a compiled schema while its text is unchanged). */
const CONTEXTS = memoKey('schema.contexts', () => new WeakMap<object, SchemaContext>());
/** The context of each chart of a snapshot. */
const CHART_CONTEXTS = memoKey('features.chart-schema-contexts', () => new Map<ChartModel, { ctx: SchemaContext; file: string } | null>());

/** The schema context of a chart (one per parsed schema, kept across snapshots), undefined when it has no usable schema. */
function contextOf(analysis: ChartAnalysis, model: ChartModel): { ctx: SchemaContext; file: string } | undefined {
  const byModel = analysis.memo.get(CHART_CONTEXTS);
  const hit = byModel.get(model);
  if (hit !== undefined) return hit ?? undefined;
  const compiled = analysis.input.schemas?.(model);
  const json = compiled?.json;
  let out: { ctx: SchemaContext; file: string } | null = null;
  if (compiled && json !== null && typeof json === 'object') {
    const contexts = analysis.caches.get(CONTEXTS);
    let ctx = contexts.get(json);
    if (!ctx) {
      ctx = { root: json, memo: new MemoTable() };
      contexts.set(json, ctx);
    }
    out = { ctx, file: compiled.file };
  }
  byModel.set(model, out);
  return out ?? undefined;
}

// Walks are memoized per parsed schema (in its context's memo, kept across snapshots), so typing in the same map
// does not walk a large schema again.
const AT = memoKey('schema.at-path', () => new Map<string, JsonSchema[]>());
const EXPANDED = memoKey('schema.expanded', () => new WeakMap<object, JsonSchema[]>());
const SUMMARIES = memoKey('schema.summaries', () => new WeakMap<object, SchemaSummary>());
const MAX_PATHS = 2000;

function schemaAtMemo(ctx: SchemaContext, path: readonly PathSegment[]): JsonSchema[] {
  const byPath = ctx.memo?.get(AT);
  const key = pathKey(path);
  const hit = byPath?.get(key);
  if (hit) return hit;
  if (byPath && byPath.size >= MAX_PATHS) byPath.clear();
  const out = schemaAt(ctx, path);
  byPath?.set(key, out);
  return out;
}

/** `expand` of one subschema of `ctx`'s document (a parsed object belongs to one document: safe as the key). */
function expandMemoized(ctx: SchemaContext, schema: unknown): JsonSchema[] {
  if (!isObj(schema)) return [];
  const expandMemo = ctx.memo?.get(EXPANDED);
  const hit = expandMemo?.get(schema);
  if (hit) return hit;
  const out = expand(ctx, schema);
  expandMemo?.set(schema, out);
  return out;
}

/**
 * The schemas that apply to a key path of a values file, one part per (chart, path in its values), the chart that
 * owns the key first. Empty when no chart on the path has a schema, or the schemas say nothing there.
 */
export function schemasAt(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): SchemaPart[] {
  if (!analysis.input.schemas) return [];
  const sites: { model: ChartModel; path: PathSegment[]; depth: number }[] = [];
  const places = analysis.places();
  for (const e of analysis.effectivePaths(file, path)) {
    for (const place of places) {
      for (const pre of place.prefixes) if (startsWith(e, pre)) sites.push({ model: place.model, path: e.slice(pre.length), depth: pre.length });
    }
    // `global.*` below a chart's place reaches every chart under it as its own `global.*`.
    for (let k = 0; k < e.length; k++) {
      if (e[k] !== 'global') continue;
      const owner = e.slice(0, k);
      if (!places.some((p) => p.prefixes.some((q) => q.length === k && startsWith(owner, q)))) continue;
      for (const place of places) {
        for (const pre of place.prefixes) if (pre.length > k && startsWith(pre, owner)) sites.push({ model: place.model, path: ['global', ...e.slice(k + 1)], depth: pre.length });
      }
    }
  }
  sites.sort((a, b) => b.depth - a.depth);
  const seen = new Set<string>();
  const out: SchemaPart[] = [];
  for (const s of sites) {
    const c = contextOf(analysis, s.model);
    if (!c) continue;
    const key = `${c.file}\u0001${pathKey(s.path)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const schemas = schemaAtMemo(c.ctx, s.path);
    if (schemas.length > 0) out.push({ model: s.model, file: c.file, ctx: c.ctx, schemas });
  }
  return out;
}

/** One property the schemas declare for a map, merged over the charts and branches that declare it. */
export interface SchemaProperty {
  name: string;
  parts: SchemaPart[];
  required: boolean;
}

export interface SchemaMap {
  /** Declared properties in declaration order (the owner chart's first). */
  properties: SchemaProperty[];
  /** Some schema closes the map (`additionalProperties: false`, no `patternProperties`): only declared names are valid. */
  closed: boolean;
}

function isObj(v: unknown): v is JsonSchema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The named properties of the map the parts describe (merged across charts and `allOf`/`anyOf` branches). */
export function mapOf(parts: readonly SchemaPart[]): SchemaMap {
  return collect(parts, undefined);
}

/** Only the required properties of the map (cheaper than `mapOf` on a large schema: other properties stay unexpanded). */
export function requiredOf(parts: readonly SchemaPart[]): SchemaProperty[] {
  const names = new Set<string>();
  for (const part of parts) for (const s of part.schemas) if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') names.add(r);
  return names.size === 0 ? [] : collect(parts, names).properties;
}

function collect(parts: readonly SchemaPart[], only: ReadonlySet<string> | undefined): SchemaMap {
  const byName = new Map<string, SchemaProperty>();
  const required = new Set<string>();
  let closed = false;
  for (const part of parts) {
    for (const s of part.schemas) {
      if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') required.add(r);
      if (s.additionalProperties === false && !isObj(s.patternProperties)) closed = true;
      if (!isObj(s.properties)) continue;
      for (const [name, sub] of Object.entries(s.properties)) {
        if (only && !only.has(name)) continue;
        const schemas = expandMemoized(part.ctx, sub);
        if (schemas.length === 0) continue;
        const info = byName.get(name) ?? { name, parts: [], required: false };
        const same = info.parts.findIndex((p) => p.ctx === part.ctx);
        const prev = info.parts[same];
        // Memoized lists are shared: merge into a new one.
        if (prev) info.parts[same] = { ...prev, schemas: [...prev.schemas, ...schemas] };
        else info.parts.push({ ...part, schemas });
        byName.set(name, info);
      }
    }
  }
  for (const info of byName.values()) info.required = required.has(info.name);
  // Required names no schema describes are still keys the map must have.
  for (const name of required) if (!byName.has(name)) byName.set(name, { name, parts: [], required: true });
  return { properties: [...byName.values()], closed };
}


/**
 * The merged summary (owner chart first: its title and description win). Allowed values are the union of every
 * `enum` and `const` that applies (an `anyOf` of `const`s lists each of them).
 */
export function summaryOf(parts: readonly SchemaPart[]): SchemaSummary {
  // One chart's schemas (the usual case): keyed by the memoized list, so it holds across requests.
  const key: object = parts.length === 1 && parts[0] ? parts[0].schemas : parts;
  const summaryMemo = parts[0]?.ctx.memo?.get(SUMMARIES);
  const hit = summaryMemo?.get(key);
  if (hit) return hit;
  const all = parts.flatMap((p) => p.schemas);
  const s = summarize(all);
  const allowed: unknown[] = [];
  const seen = new Set<string>();
  const add = (v: unknown) => {
    const k = JSON.stringify(v) ?? 'null';
    if (seen.has(k)) return;
    seen.add(k);
    allowed.push(v);
  };
  for (const x of all) {
    if (Array.isArray(x.enum)) x.enum.forEach(add);
    if ('const' in x) add(x.const);
  }
  if (allowed.length > 0) s.enum = allowed;
  summaryMemo?.set(key, s);
  return s;
}

/** The value shape the schemas describe, as far as insertion cares. */
export type Shape = 'object' | 'array' | 'boolean' | 'other';

export function shapeOf(parts: readonly SchemaPart[]): Shape {
  const types = new Set(summaryOf(parts).types.filter((t) => t !== 'null'));
  if (types.size === 1) {
    if (types.has('object')) return 'object';
    if (types.has('array')) return 'array';
    if (types.has('boolean')) return 'boolean';
    return 'other';
  }
  if (types.size > 1) return 'other';
  const all = parts.flatMap((p) => p.schemas);
  if (all.some((s) => isObj(s.properties) || Array.isArray(s.required) || isObj(s.additionalProperties))) return 'object';
  if (all.some((s) => s.items !== undefined || Array.isArray(s.prefixItems))) return 'array';
  return 'other';
}

