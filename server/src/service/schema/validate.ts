// Validates an environment's effective values against the charts' schemas, as Helm does after coalescing
// (ValidateAgainstSchema: the root chart's schema on the whole values, each enabled subchart's schema on its
// values under its name or alias, `global` included), and places every error on the file and line that supplied
// the offending value.
import type { ChartModel } from '../chart/chartModel';
import type { WorkingChart } from '../helm/dependencies';
import type { Effective, HelmMessage } from '../helm/effective';
import { formatPath } from '../helm/explain';
import type { Source } from '../helm/provenance';
import { getPath, isTable } from '../values/valueUtil';
import type { Value } from '../types';
import type { PathSegment } from '../yaml/valuesDocument';
import type { ValuesDocument } from '../yaml/valuesDocument';
import type { CompiledSchema, SchemaError } from './types';

/** One environment's merge, as validation reads it (check's EnvironmentResult is one). */
export interface MergedEnvironment {
  effective?: Effective;
  /** Its `-f` files in order (errors at the top level are placed on the last). */
  files: readonly ValuesDocument[];
}
import { closest } from './closest';
import { schemaAt } from './schemaAt';

export type SchemaLookup = (model: ChartModel) => CompiledSchema | undefined;

function decodePointer(pointer: string, at: Value): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let cur: Value | undefined = at;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = isTable(cur ?? null) ? (cur as Record<string, Value>)[seg] : undefined;
    }
  }
  return out;
}

/** Where the value at an effective path came from (the nearest ancestor with a file source). */
function sourceAt(result: MergedEnvironment, path: readonly PathSegment[]): Source | undefined {
  const eff = result.effective;
  if (!eff) return undefined;
  let container: Value = eff.values;
  let best: Source | undefined;
  for (const seg of path) {
    if (container === null || typeof container !== 'object') break;
    const slot = eff.prov.get(container, seg);
    if (slot && slot.source.kind !== 'helm') best = slot.source;
    const next: Value | undefined = (container as Record<string | number, Value>)[seg];
    if (next === undefined) break;
    container = next;
  }
  return best;
}

function describe(v: Value | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list (${v.length} items)`;
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)}`;
  return `${typeof v === 'number' ? (Number.isInteger(v) ? 'the integer' : 'the number') : 'the boolean'} ${String(v)}`;
}

function schemaNodeAt(schema: unknown, schemaPath: string): Record<string, unknown> | undefined {
  // schemaPath is "#/properties/a/additionalProperties": walk it inside this document (refs to other files are not followed).
  let cur: unknown = schema;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/').filter((s) => s !== '')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>) : undefined;
}

/**
 * The properties an object that rejected an extra key allows (for "did you mean"). The host compiles with
 * `inlineRefs: false`, so ajv's schemaPath is relative to the target of the last `$ref` ("#/additionalProperties"
 * for an object under `"$ref": "#/definitions/image"`): the closed schemas are found from the instance path
 * instead, and the schemaPath is the fallback.
 */
function allowedProperties(schema: CompiledSchema, rel: readonly PathSegment[], e: SchemaError): string[] {
  const keys = (nodes: readonly Record<string, unknown>[]) => [...new Set(nodes.flatMap((n) => (isTable(n.properties as Value) ? Object.keys(n.properties as object) : [])))];
  const at = schemaAt({ root: schema.json }, rel);
  const closed = at.filter((n) => n[e.keyword] === false);
  // unevaluatedProperties also admits what sibling subschemas (allOf, $ref) evaluate.
  if (closed.length > 0) return keys(e.keyword === 'unevaluatedProperties' ? at : closed);
  const node = schemaNodeAt(schema.json, e.schemaPath.replace(/\/(additionalProperties|unevaluatedProperties)$/, ''));
  return node ? keys([node]) : [];
}

interface Context {
  result: MergedEnvironment;
  /** Where "missing required" goes: the top of the highest overlay of the environment, else the chart's values.yaml. */
  topSource: Source;
  out: HelmMessage[];
}

function message(ctx: Context, prefix: PathSegment[], schema: CompiledSchema, e: SchemaError, data: Value): void {
  const rel = decodePointer(e.instancePath, data);
  const abs = [...prefix, ...rel];
  const where = abs.length > 0 ? formatPath(abs) : '(root)';
  const found = getPath(data, rel);
  const push = (code: string, text: string, path: PathSegment[], source: Source | undefined, extra: Record<string, unknown> = {}) => {
    ctx.out.push({ severity: 'error', code, message: text, ...(source ? { source } : {}), data: { path: path.map(String), keyword: e.keyword, schemaFile: schema.file, schemaPath: e.schemaPath, ...extra } });
  };
  switch (e.keyword) {
    case 'required': {
      const missing = String(e.params.missingProperty ?? '');
      push('schema.required', `${where}: required property "${missing}" is missing (${schema.file.split('/').pop() ?? 'schema'} of ${chartLabel(schema)})`, [...abs, missing], ctx.topSource, { missingProperty: missing });
      return;
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = String(e.params.additionalProperty ?? e.params.unevaluatedProperty ?? '');
      const allowed = allowedProperties(schema, rel, e);
      if (key === 'global' && prefix.length > 0) {
        push('schema.global-not-allowed', `${where}: the subchart schema (${schema.file}) forbids additional properties, but Helm always passes "global" to subcharts, so installing fails with "Additional property global is not allowed". Add "global" to the schema's properties.`, [...abs, key], sourceAt(ctx.result, [...abs, key]) ?? ctx.topSource, { property: key });
        return;
      }
      const suggestion = closest(key, allowed);
      push('schema.additional-property', `${where}: property "${key}" is not allowed by the schema${suggestion ? ` (did you mean "${suggestion}"?)` : allowed.length > 0 && allowed.length <= 8 ? ` (allowed: ${allowed.join(', ')})` : ''}`, [...abs, key], sourceAt(ctx.result, [...abs, key]), { property: key, ...(suggestion ? { suggestion } : {}) });
      return;
    }
    case 'type':
      push('schema.type', `${where}: expected ${String(e.params.type).replace(',', ' or ')}, found ${describe(found)}`, abs, sourceAt(ctx.result, abs), { expected: e.params.type });
      return;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [];
      const suggestion = typeof found === 'string' ? closest(found, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
      push('schema.enum', `${where}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; found ${describe(found)}${suggestion ? ` (did you mean ${JSON.stringify(suggestion)}?)` : ''}`, abs, sourceAt(ctx.result, abs), { allowed, ...(suggestion ? { suggestion } : {}) });
      return;
    }
    case 'const':
      push('schema.const', `${where}: must be ${JSON.stringify(e.params.allowedValue)}; found ${describe(found)}`, abs, sourceAt(ctx.result, abs), { allowed: [e.params.allowedValue] });
      return;
    case 'if':
      return; // the failing "then"/"else" branch reports the concrete error
    default:
      push(`schema.${e.keyword.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, `${where}: ${e.message}${found !== undefined && (found === null || typeof found !== 'object') ? `; found ${describe(found)}` : ''}`, abs, sourceAt(ctx.result, abs));
  }
}

function chartLabel(schema: CompiledSchema): string {
  const parts = schema.file.split('/');
  return parts.length >= 2 ? (parts[parts.length - 2] ?? 'chart') : 'chart';
}

/** Errors under an anyOf/oneOf that itself failed are replaced by the combinator's own error. */
function pruneCombinators(errors: SchemaError[]): SchemaError[] {
  const combinators = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  return errors.filter((e) => !combinators.some((c) => e.schemaPath !== c && e.schemaPath.startsWith(c + '/')));
}

function validateChart(ctx: Context, chart: WorkingChart, values: Value, prefix: PathSegment[], schemas: SchemaLookup): void {
  const schema = schemas(chart.model);
  if (schema?.validate) {
    for (const e of pruneCombinators(schema.validate(values))) message(ctx, prefix, schema, e, values);
  }
  for (const sub of chart.dependencies) {
    const raw = isTable(values) ? (values as Record<string, Value>)[sub.name] : undefined;
    if (raw === undefined || raw === null) continue;
    if (!isTable(raw)) {
      const path = [...prefix, sub.name];
      ctx.out.push({ severity: 'error', code: 'schema.type', message: `${formatPath(path)}: invalid type for values: expected object (map), found ${describe(raw)}`, ...(sourceAt(ctx.result, path) ? { source: sourceAt(ctx.result, path) as Source } : {}) });
      continue;
    }
    validateChart(ctx, sub, raw, [...prefix, sub.name], schemas);
  }
}

/** Schema findings (as Helm messages with sources) for one environment's effective values. */
export function validateEnvironment(result: MergedEnvironment, schemas: SchemaLookup, fallbackFile: string): HelmMessage[] {
  const eff = result.effective;
  if (!eff || eff.error) return [];
  const top = result.files[result.files.length - 1];
  const topSource: Source = { kind: 'file', file: top?.file ?? fallbackFile, line: 1, column: 1, layer: top?.file ?? fallbackFile };
  const ctx: Context = { result, topSource, out: [] };
  validateChart(ctx, eff.chart, eff.values, [], schemas);
  return ctx.out;
}
