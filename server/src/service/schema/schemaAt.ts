// The one schema walker: the subschemas that apply at a values path, for completion, hover and quick fixes.
// Follows local `$ref`s (`#/...` in the same document, and documents the host supplied by URI), `allOf`,
// `anyOf`/`oneOf` (every branch), `if/then/else` (both), `properties`, `patternProperties`, `additionalProperties`,
// `items`/`prefixItems`. Pure; never throws; bounded against `$ref` cycles.
import { memoKey, type MemoTable } from '../memo';
import type { PathSegment } from '../values/paths';

export type JsonSchema = Record<string, unknown>;

function isObj(v: unknown): v is JsonSchema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function pointer(root: unknown, ptr: string): unknown {
  let cur: unknown = root;
  for (const raw of ptr.replace(/^#?\/?/, '').split('/').filter((s) => s !== '')) {
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export interface SchemaContext {
  root: unknown;
  /** Other schema documents by the `$ref` text that names them (relative file refs), when the host loaded them. */
  documents?: ReadonlyMap<string, unknown>;
  /** Walks and compiled patterns remembered for this schema (contexts kept in the host's caches have one). */
  memo?: MemoTable;
}

/** Compiled `patternProperties` patterns of one schema context (null: JS cannot compile it). */
const PATTERNS = memoKey('schema.patterns', () => new Map<string, RegExp | null>());

/** Resolves `$ref` chains and flattens `allOf`, `anyOf`, `oneOf`, `if/then/else` into the list of applicable schemas. */
export function expand(ctx: SchemaContext, schema: unknown, depth = 0, out: JsonSchema[] = []): JsonSchema[] {
  if (depth > 32 || !isObj(schema)) return out;
  out.push(schema);
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const [doc = '', frag = ''] = ref.split('#');
    const base = doc === '' ? ctx.root : ctx.documents?.get(doc);
    if (base !== undefined) expand(ctx, frag === '' ? base : pointer(base, frag), depth + 1, out);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) expand(ctx, s, depth + 1, out);
  }
  for (const key of ['then', 'else'] as const) if (isObj(schema[key])) expand(ctx, schema[key], depth + 1, out);
  return out;
}

function child(ctx: SchemaContext, schemas: JsonSchema[], seg: PathSegment): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const s of schemas) {
    if (typeof seg === 'number') {
      if (Array.isArray(s.prefixItems) && seg < s.prefixItems.length) expand(ctx, s.prefixItems[seg], 0, out);
      else if (Array.isArray(s.items) && seg < s.items.length) expand(ctx, s.items[seg], 0, out);
      else if (isObj(s.items)) expand(ctx, s.items, 0, out);
      continue;
    }
    const props = s.properties;
    if (isObj(props) && isObj(props[seg])) {
      expand(ctx, props[seg], 0, out);
      continue;
    }
    let matched = false;
    if (isObj(s.patternProperties)) {
      for (const [re, sub] of Object.entries(s.patternProperties)) {
        if (safeTest(ctx, re, seg)) {
          expand(ctx, sub, 0, out);
          matched = true;
        }
      }
    }
    if (!matched && isObj(s.additionalProperties)) expand(ctx, s.additionalProperties, 0, out);
  }
  return out;
}

/** Pattern test for navigation only (validation uses RE2 in the host); patterns JS cannot compile never match. */
function safeTest(ctx: SchemaContext, pattern: string, s: string): boolean {
  if (pattern.length > 200 || /\([^)]*[+*][^)]*\)[+*{]/.test(pattern)) return false; // nested quantifiers: skip
  const re = compile(ctx, pattern);
  return re ? re.test(s) : false;
}

function compile(ctx: SchemaContext, pattern: string): RegExp | null {
  const cache = ctx.memo?.get(PATTERNS);
  const hit = cache?.get(pattern);
  if (hit !== undefined) return hit;
  let re: RegExp | null = null;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    re = null;
  }
  cache?.set(pattern, re);
  return re;
}

/** Every subschema that applies at `path` (empty when the schema says nothing there). */
export function schemaAt(ctx: SchemaContext, path: readonly PathSegment[]): JsonSchema[] {
  let cur = expand(ctx, ctx.root);
  for (const seg of path) {
    cur = child(ctx, cur, seg);
    if (cur.length === 0) return [];
  }
  return cur;
}

export interface PropertyInfo {
  name: string;
  schemas: JsonSchema[];
  required: boolean;
}

/** The named properties the schemas at a map path declare (merged across branches), with whether they are required. */
export function propertiesAt(ctx: SchemaContext, path: readonly PathSegment[]): PropertyInfo[] {
  const at = schemaAt(ctx, path);
  const byName = new Map<string, PropertyInfo>();
  const required = new Set<string>();
  for (const s of at) {
    if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === 'string') required.add(r);
    if (!isObj(s.properties)) continue;
    for (const [name, sub] of Object.entries(s.properties)) {
      const info = byName.get(name) ?? { name, schemas: [], required: false };
      info.schemas.push(...expand(ctx, sub));
      byName.set(name, info);
    }
  }
  for (const info of byName.values()) info.required = required.has(info.name);
  return [...byName.values()];
}

/** A summary of what the schemas allow at a point: for hover, completion and quick fixes. */
export interface SchemaSummary {
  title?: string;
  description?: string;
  types: string[];
  enum?: unknown[];
  default?: unknown;
  examples: unknown[];
  deprecated: boolean;
}

export function summarize(schemas: readonly JsonSchema[]): SchemaSummary {
  const types = new Set<string>();
  const out: SchemaSummary = { types: [], examples: [], deprecated: false };
  for (const s of schemas) {
    if (out.title === undefined && typeof s.title === 'string') out.title = s.title;
    if (out.description === undefined && typeof s.description === 'string') out.description = s.description;
    if (typeof s.markdownDescription === 'string') out.description = s.markdownDescription;
    if (typeof s.type === 'string') types.add(s.type);
    if (Array.isArray(s.type)) for (const t of s.type) if (typeof t === 'string') types.add(t);
    if (Array.isArray(s.enum) && out.enum === undefined) out.enum = s.enum;
    if ('const' in s && out.enum === undefined) out.enum = [s.const];
    if ('default' in s && out.default === undefined) out.default = s.default;
    if (Array.isArray(s.examples)) out.examples.push(...s.examples);
    if (s.deprecated === true) out.deprecated = true;
  }
  out.types = [...types];
  return out;
}
