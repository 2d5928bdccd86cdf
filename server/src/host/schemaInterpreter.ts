// Validation without compiling, for schemas built from the few keywords most charts' schemas use (`type`,
// `properties`, `items`, `required`, `enum`, `const`, `minimum`, `maximum` and their exclusive forms, `pattern`,
// `additionalProperties`, and annotations): the errors ajv's compiled code would report, the same ones in the same
// order, with no compile. ajv's compile of a large schema costs hundreds of milliseconds
// (kube-prometheus-stack's 290 KB schema: 150-350 ms), so the host validates a chart's first open this way while ajv
// compiles on a worker thread, and uses ajv's code from then on (schemaCache.ts).
//
// Exactly ajv 8's semantics with the compiler's options (schemaCompiler.ts: allErrors, strict off, so no strict
// numbers): per schema node, an up-front type check unless the one type has keywords of its own (then the check
// wraps them and reports in their place), then `const` and `enum`, then the number keywords (`maximum`, `minimum`,
// `exclusiveMaximum`, `exclusiveMinimum`), the string keyword (`pattern`, matched with the compiler's RE2), the array
// keywords (`items`), then the object keywords (`required`, `additionalProperties`, `properties`); `properties` skips
// `__proto__` and tests `data[key] !== undefined` as ajv's code does. `interpretSchema` accepts only schemas it can
// evaluate this way and that ajv accepts (valid against every draft's meta-schema): any other keyword ajv knows, any
// `$` keyword but `$comment` (and a root `$id` that is an absolute URL), a boolean subschema, the tuple form of
// `items`, an empty `enum`, an annotation of the wrong type, or draft-04 make it decline (undefined), and the schema
// is compiled. test/unit/schemaInterpreter.test.ts compares it with ajv on every corpus schema it accepts and on one
// schema per keyword and type combination.
import * as runtimeEqual from 'ajv/dist/runtime/equal';
import type { SchemaDraft, SchemaError } from '../service/schema/types';
import { re2 } from './re2';

const equal = (runtimeEqual as unknown as { default: (a: unknown, b: unknown) => boolean }).default;

/** ajv's number keywords, in its order, with the comparison its message names and the test that fails. */
const LIMITS: [string, string, (data: number, limit: number) => boolean][] = [
  ['maximum', '<=', (d, l) => d > l],
  ['minimum', '>=', (d, l) => d < l],
  ['exclusiveMaximum', '<', (d, l) => d >= l],
  ['exclusiveMinimum', '>', (d, l) => d <= l],
];
/** Keywords the interpreter evaluates. */
const ACTIVE = new Set(['type', 'properties', 'items', 'required', 'enum', 'const', 'pattern', 'additionalProperties', ...LIMITS.map(([k]) => k)]);
/** Annotations (no errors), with the type every draft's meta-schema requires of them. */
const ANNOTATIONS: Record<string, (v: unknown) => boolean> = {
  title: (v) => typeof v === 'string',
  description: (v) => typeof v === 'string',
  $comment: (v) => typeof v === 'string',
  default: () => true,
  examples: (v) => Array.isArray(v),
  readOnly: (v) => typeof v === 'boolean',
  writeOnly: (v) => typeof v === 'boolean',
  deprecated: (v) => typeof v === 'boolean',
};
/**
 * Every other keyword ajv knows in any draft (with ajv-formats), or that changes how it reads a schema: the
 * interpreter declines a schema using one. Other keys (`form`, `x-...`) are not keywords: ajv ignores them.
 */
export const DECLINED_KEYWORDS = new Set([
  'id', 'nullable', 'not', 'anyOf', 'oneOf', 'allOf', 'if', 'then', 'else',
  'multipleOf', 'format', 'maxLength', 'minLength', 'formatMaximum', 'formatMinimum', 'formatExclusiveMaximum',
  'formatExclusiveMinimum', 'maxItems', 'minItems', 'additionalItems', 'prefixItems', 'contains', 'uniqueItems', 'maxContains',
  'minContains', 'unevaluatedItems', 'maxProperties', 'minProperties', 'propertyNames', 'dependencies',
  'patternProperties', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties', 'definitions', 'contentMediaType',
  'contentEncoding', 'contentSchema', 'discriminator',
]);
const JSON_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

interface Node {
  /** ajv's errSchemaPath of the node ("#/properties/a"). */
  path: string;
  /** `type` as written (reported in type errors), and as a list. */
  typeValue: string | string[] | undefined;
  types: string[];
  /** The type is checked before the keywords (else inside the group of its one type, see typeAndKeywords). */
  upfront: boolean;
  hasConst: boolean;
  constValue: unknown;
  enumValues: unknown[] | undefined;
  /** The number keywords present, in ajv's order. */
  limits: { keyword: string; comparison: string; limit: number; fails: (data: number, limit: number) => boolean }[];
  /** `pattern` as written, and its RE2 matcher, the one ajv's compiled code uses (with ajv's `u` flag). */
  pattern: { source: string; regExp: { test: (s: string) => boolean } } | undefined;
  /** `items` (undefined: none, or a subschema without keywords, which ajv skips too). */
  items: Node | undefined;
  /** The array group runs (ajv: some array keyword is present, whatever its subschema). */
  arrayGroup: boolean;
  required: string[] | undefined;
  properties: { key: string; instanceSegment: string; node: Node }[];
  objectGroup: boolean;
  /**
   * `additionalProperties`: false (each other key is an error), a node (each other key's value is validated), or
   * undefined (absent, true, or a subschema without keywords: ajv generates nothing). `known` are the keys of
   * `properties`.
   */
  additional: { known: Set<string>; node: Node | false } | undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** ajv's checkDataType with strictNumbers off (what the compiler's `strict: false` sets). */
function isType(type: string, data: unknown): boolean {
  switch (type) {
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return !!data && typeof data === 'object' && !Array.isArray(data);
    case 'integer':
      return typeof data === 'number' && !((data as number) % 1) && !isNaN(data as number);
    case 'number':
      return typeof data === 'number';
    default:
      return typeof data === type;
  }
}

function uniqueBy(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (equal(list[i], list[j])) return false;
  return true;
}

/** The node of a schema object, or undefined when the interpreter declines it. */
function build(schema: unknown, path: string): Node | undefined {
  if (!isPlainObject(schema)) return undefined;
  for (const [k, v] of Object.entries(schema)) {
    if (ACTIVE.has(k)) continue;
    const annotation = ANNOTATIONS[k];
    if (annotation) {
      if (!annotation(v)) return undefined;
      continue;
    }
    if (k.startsWith('$') || DECLINED_KEYWORDS.has(k)) return undefined;
  }
  const t = schema.type;
  let types: string[] = [];
  if (t !== undefined) {
    if (typeof t === 'string') {
      if (!JSON_TYPES.has(t)) return undefined;
      types = [t];
    } else if (Array.isArray(t) && t.length > 0 && t.every((x) => typeof x === 'string' && JSON_TYPES.has(x)) && new Set(t).size === t.length) types = t as string[];
    else return undefined;
  }
  const node: Node = { path, typeValue: t as Node['typeValue'], types, upfront: false, hasConst: 'const' in schema, constValue: schema.const, enumValues: undefined, limits: [], pattern: undefined, items: undefined, arrayGroup: false, required: undefined, properties: [], objectGroup: false, additional: undefined };
  for (const [keyword, comparison, fails] of LIMITS) {
    const limit = schema[keyword];
    if (limit === undefined) continue;
    if (typeof limit !== 'number' || !Number.isFinite(limit)) return undefined;
    node.limits.push({ keyword, comparison, limit, fails });
  }
  if (schema.pattern !== undefined) {
    const source = schema.pattern;
    if (typeof source !== 'string') return undefined;
    try {
      node.pattern = { source, regExp: re2(source, 'u') };
    } catch {
      return undefined; // ajv's compile fails on it too: the compile reports it
    }
  }
  if (schema.enum !== undefined) {
    if (!Array.isArray(schema.enum) || schema.enum.length === 0 || !uniqueBy(schema.enum)) return undefined;
    node.enumValues = schema.enum;
  }
  if (schema.items !== undefined) {
    const items = build(schema.items, `${path}/items`);
    if (!items) return undefined;
    node.items = hasRules(schema.items) ? items : undefined;
    node.arrayGroup = true;
  }
  if (schema.required !== undefined) {
    const r = schema.required;
    if (!Array.isArray(r) || !r.every((x) => typeof x === 'string') || new Set(r).size !== r.length) return undefined;
    node.required = r as string[];
    node.objectGroup = true;
  }
  if (schema.properties !== undefined) {
    if (!isPlainObject(schema.properties)) return undefined;
    for (const key of Object.keys(schema.properties)) {
      const sub = schema.properties[key];
      const child = build(sub, `${path}/properties/${encodeURIComponent(escapePointer(key))}`);
      if (!child) return undefined;
      if (key !== '__proto__' && hasRules(sub)) node.properties.push({ key, instanceSegment: `/${escapePointer(key)}`, node: child });
    }
    node.objectGroup = true;
  }
  const ap = schema.additionalProperties;
  if (ap !== undefined) {
    const props = isPlainObject(schema.properties) ? schema.properties : {};
    // ajv tests a key against the properties by `===` (eight or fewer, `__proto__` left out) or by hasOwnProperty
    // (more): they differ only on `__proto__`.
    if (Object.prototype.hasOwnProperty.call(props, '__proto__')) return undefined;
    const known = new Set(Object.keys(props));
    if (ap === false) node.additional = { known, node: false };
    else if (ap !== true) {
      const child = build(ap, `${path}/additionalProperties`);
      if (!child) return undefined;
      if (hasRules(ap)) node.additional = { known, node: child };
    }
    node.objectGroup = true;
  }
  const rulesFor = (type: string) => (type === 'array' ? node.arrayGroup : type === 'object' ? node.objectGroup : type === 'number' ? node.limits.length > 0 : type === 'string' ? node.pattern !== undefined : false);
  node.upfront = types.length > 0 && !(types.length === 1 && rulesFor(types[0] ?? ''));
  return node;
}

/** Whether ajv generates any check for a subschema (one without keywords, or with annotations only, is skipped). */
function hasRules(schema: unknown): boolean {
  return isPlainObject(schema) && Object.keys(schema).some((k) => ACTIVE.has(k));
}

function typeError(node: Node, instancePath: string, out: SchemaError[]): void {
  out.push({ instancePath, schemaPath: `${node.path}/type`, keyword: 'type', params: { type: node.typeValue }, message: `must be ${String(node.typeValue)}` });
}

function run(node: Node, data: unknown, instancePath: string, out: SchemaError[]): void {
  if (node.upfront) {
    let ok = false;
    for (const t of node.types) if (isType(t, data)) ok = true;
    if (!ok) typeError(node, instancePath, out);
  }
  if (node.hasConst) {
    const c = node.constValue;
    if (c && typeof c === 'object' ? !equal(data, c) : c !== data) out.push({ instancePath, schemaPath: `${node.path}/const`, keyword: 'const', params: { allowedValue: c }, message: 'must be equal to constant' });
  }
  if (node.enumValues) {
    let ok = false;
    for (const v of node.enumValues) {
      if (v !== null && typeof v === 'object' ? equal(data, v) : data === v) {
        ok = true;
        break;
      }
    }
    if (!ok) out.push({ instancePath, schemaPath: `${node.path}/enum`, keyword: 'enum', params: { allowedValues: node.enumValues }, message: 'must be equal to one of the allowed values' });
  }
  const typeInGroup = !node.upfront && node.types.length === 1;
  if (node.limits.length > 0) {
    if (typeof data === 'number') {
      for (const l of node.limits) {
        if (l.fails(data, l.limit) || isNaN(data)) out.push({ instancePath, schemaPath: `${node.path}/${l.keyword}`, keyword: l.keyword, params: { comparison: l.comparison, limit: l.limit }, message: `must be ${l.comparison} ${l.limit}` });
      }
    } else if (typeInGroup && node.types[0] === 'number') typeError(node, instancePath, out);
  }
  if (node.pattern) {
    if (typeof data === 'string') {
      if (!node.pattern.regExp.test(data)) out.push({ instancePath, schemaPath: `${node.path}/pattern`, keyword: 'pattern', params: { pattern: node.pattern.source }, message: `must match pattern "${node.pattern.source}"` });
    } else if (typeInGroup && node.types[0] === 'string') typeError(node, instancePath, out);
  }
  if (node.arrayGroup) {
    if (Array.isArray(data)) {
      const items = node.items;
      if (items) for (let i = 0; i < data.length; i++) run(items, data[i], `${instancePath}/${i}`, out);
    } else if (typeInGroup && node.types[0] === 'array') typeError(node, instancePath, out);
  }
  if (node.objectGroup) {
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const obj = data as Record<string, unknown>;
      if (node.required) {
        for (const key of node.required) {
          if (obj[key] === undefined) out.push({ instancePath, schemaPath: `${node.path}/required`, keyword: 'required', params: { missingProperty: key }, message: `must have required property '${key}'` });
        }
      }
      const additional = node.additional;
      if (additional) {
        for (const key in obj) {
          if (additional.known.has(key)) continue;
          if (additional.node === false) out.push({ instancePath, schemaPath: `${node.path}/additionalProperties`, keyword: 'additionalProperties', params: { additionalProperty: key }, message: 'must NOT have additional properties' });
          else run(additional.node, obj[key], `${instancePath}/${escapePointer(key)}`, out);
        }
      }
      for (const p of node.properties) {
        const v = obj[p.key];
        if (v !== undefined) run(p.node, v, instancePath + p.instanceSegment, out);
      }
    } else if (typeInGroup && node.types[0] === 'object') typeError(node, instancePath, out);
  }
}

/**
 * The schema without a root `$id` that is an absolute URL without a fragment: with no `$ref`, it only names the
 * schema, and ajv's errors are the same (their schema paths start at `#`). Any other `$id` is left, so it declines.
 */
function withoutRootId(json: unknown): unknown {
  if (!isPlainObject(json) || typeof json.$id !== 'string' || json.$id.includes('#') || !URL.canParse(json.$id)) return json;
  const rest = { ...json };
  delete rest.$id;
  return rest;
}

/**
 * A validator that reports what ajv's compiled code would (see above) for a parsed schema whose root `$schema` was
 * removed (as compileSchema gives ajv), or undefined when the schema is outside what it evaluates.
 */
export function interpretSchema(json: unknown, draft: SchemaDraft): ((data: unknown) => SchemaError[]) | undefined {
  if (draft === '04') return undefined;
  const root = build(withoutRootId(json), '#');
  if (!root) return undefined;
  return (data: unknown) => {
    const out: SchemaError[] = [];
    run(root, data, '', out);
    return out;
  };
}
