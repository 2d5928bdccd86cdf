// Writing YAML for completion: keys and scalars as text Helm reads back as the same value, and the snippets inserted
// after a key (the layers' default as a placeholder, else a skeleton of what the schema requires).
import { hasOwn, isTable } from '../values/valueUtil';
import type { Value, ValueMap } from '../types';
import { resolvePlainScalar } from '../yaml/scalars';
import { requiredOf, shapeOf, summaryOf, type SchemaPart, type SchemaProperty } from './schemaInfo';

/** Deepest level of required properties a skeleton spells out. */
const SKELETON_DEPTH = 3;

/**
 * What follows the key in the inserted snippet: the layers' value when they have one (its default as the
 * placeholder), else what the schema describes (a skeleton of the required properties, a choice of allowed values).
 */
export function valueSnippet(value: Value | undefined, parts: readonly SchemaPart[], indent: number): string {
  const pad = ' '.repeat(indent + 2);
  const unset = value === undefined || value === null;
  if (isTable(value) || (unset && parts.length > 0 && shapeOf(parts) === 'object')) {
    const required = missingRequired(parts, isTable(value) ? value : undefined);
    if (required.length === 0) return `:\n${pad}$0`;
    const counter = { n: 0 };
    return ':' + required.map((p) => `\n${pad}${escapeSnippet(yamlKey(p.name))}${skeleton(p.parts, indent + 2, counter, 1)}`).join('');
  }
  if (Array.isArray(value) || (unset && parts.length > 0 && shapeOf(parts) === 'array')) return `:\n${pad}- $0`;
  if (value !== undefined && value !== null) return `: \${1:${escapeSnippet(yamlScalar(value))}}`;
  const stop = scalarStop(parts, 1);
  return stop === undefined ? ': $0' : `: ${stop}`;
}

/** Required properties the layers below do not already supply (a map the chart defaults fill in needs no skeleton). */
function missingRequired(parts: readonly SchemaPart[], provided: ValueMap | undefined): SchemaProperty[] {
  if (parts.length === 0) return [];
  return requiredOf(parts).filter((p) => !(provided && hasOwn(provided, p.name) && provided[p.name] !== null));
}

/** A required property's value inside a skeleton: nested required properties, else one tab stop. */
function skeleton(parts: readonly SchemaPart[], indent: number, counter: { n: number }, depth: number): string {
  const pad = ' '.repeat(indent + 2);
  const shape = shapeOf(parts);
  if (shape === 'object') {
    const required = depth < SKELETON_DEPTH ? missingRequired(parts, undefined) : [];
    if (required.length === 0) return `:\n${pad}$${++counter.n}`;
    return ':' + required.map((p) => `\n${pad}${escapeSnippet(yamlKey(p.name))}${skeleton(p.parts, indent + 2, counter, depth + 1)}`).join('');
  }
  if (shape === 'array') return `:\n${pad}- $${++counter.n}`;
  const n = ++counter.n;
  return `: ${scalarStop(parts, n) ?? `$${n}`}`;
}

/** Scalars a value could take, as YAML text Helm reads back as the same value. */
export function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? yamlScalar(v) : undefined;
}

/** Tab stop `n` for a scalar the schema describes: a choice of its allowed values, its default, or true/false. */
function scalarStop(parts: readonly SchemaPart[], n: number): string | undefined {
  if (parts.length === 0) return undefined;
  const summary = summaryOf(parts);
  const def = scalarText(summary.default);
  const allowed = (summary.enum ?? []).map(scalarText).filter((t): t is string => t !== undefined);
  if (allowed.length > 0) {
    const ordered = def !== undefined && allowed.includes(def) ? [def, ...allowed.filter((a) => a !== def)] : allowed;
    const first = ordered[0] ?? '';
    if (ordered.length === 1 || ordered.some((t) => /[$}\\,|]/.test(t))) return `\${${n}:${escapeSnippet(first)}}`;
    return `\${${n}|${ordered.join(',')}|}`;
  }
  if (def !== undefined) return `\${${n}:${escapeSnippet(def)}}`;
  if (shapeOf(parts) === 'boolean') return `\${${n}|true,false|}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and scalars.

/** A key as YAML text: plain when Helm reads it back as the same string, else double-quoted. */
export function yamlKey(key: string): string {
  return plainSafe(key) ? key : JSON.stringify(key);
}

/** A scalar default as YAML text that Helm reads back as the same value. */
export function yamlScalar(v: string | number | boolean | null): string {
  if (typeof v === 'string') return plainSafe(v) ? v : JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? v.toFixed(0) : String(v);
  return String(v);
}

function plainSafe(s: string): boolean {
  if (s === '' || s !== s.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`~]/.test(s) && !/^-[^\s]/.test(s)) return false;
  if (/: |:$| #|[\n\r\t]/.test(s)) return false;
  const r = resolvePlainScalar(s);
  return r.kind === 'string' && r.value === s;
}

/** Snippet syntax escapes: `$`, `}` and `\\` are literal after a backslash. */
export function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, '\\$&');
}
