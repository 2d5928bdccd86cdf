// A draft values.schema.json inferred from a chart's values.yaml, for the user to review: types from the default
// values, descriptions from helm-docs (`# --`) and Bitnami (`## @param`) comments, and whatever a `# @schema`
// comment block above a key declares (the helm-schema plugin's convention: YAML between two `# @schema` lines).
import { parseDocument } from 'yaml';
import { keyDocumentation } from '../yaml/keyDocs';
import { isTable } from '../values/valueUtil';
import type { Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';

type Schema = Record<string, unknown>;

/** `# @schema` blocks directly above each key, parsed as YAML maps (keyed by the entry). */
function schemaAnnotations(doc: ValuesDocument): Map<KeyEntry, Schema> {
  const out = new Map<KeyEntry, Schema>();
  const lines = doc.text.split(/\r?\n/);
  for (const e of doc.entries) {
    if (typeof e.path[e.path.length - 1] === 'number') continue;
    let i = e.line - 2;
    if (i < 0 || !/^\s*#\s*@schema\s*$/.test(lines[i] ?? '')) continue;
    const body: string[] = [];
    i--;
    while (i >= 0 && !/^\s*#\s*@schema\s*$/.test(lines[i] ?? '')) {
      body.unshift((lines[i] ?? '').replace(/^\s*#\s?/, ''));
      i--;
    }
    if (i < 0) continue;
    const parsed = parseDocument(body.join('\n'), { prettyErrors: false });
    if (parsed.errors.length > 0) continue;
    const js = parsed.toJS({ maxAliasCount: 10 }) as unknown;
    if (isTable(js as Value)) out.set(e, js as Schema);
  }
  return out;
}

function typeOf(v: Value): Schema {
  if (v === null) return {};
  if (typeof v === 'boolean') return { type: 'boolean' };
  if (typeof v === 'number') return { type: Number.isInteger(v) ? 'integer' : 'number' };
  if (typeof v === 'string') return { type: 'string' };
  if (Array.isArray(v)) {
    const items = v.map(typeOf);
    const first = items[0];
    const same = first !== undefined && items.every((x) => JSON.stringify(x) === JSON.stringify(first));
    return { type: 'array', ...(first !== undefined && same ? { items: first } : {}) };
  }
  return { type: 'object' };
}

export interface InferOptions {
  /** JSON Schema draft URI written as `$schema`. Default 2020-12 (what Helm 4 and 3.19+ assume). */
  draft?: string;
}

/** Infers a schema from a chart's values.yaml. Free-form maps (empty in the defaults) stay open. */
export function inferSchema(doc: ValuesDocument, options: InferOptions = {}): Schema {
  const annotations = schemaAnnotations(doc);
  const values = (doc.documents[0] ?? {}) as Value;
  const walk = (v: Value, path: PathSegment[]): Schema => {
    let schema: Schema = typeOf(v);
    if (isTable(v)) {
      const props: Record<string, Schema> = {};
      for (const k of Object.keys(v)) props[k] = walk(v[k] ?? null, [...path, k]);
      if (Object.keys(props).length > 0) schema.properties = props;
    }
    if (path.length > 0) {
      const entry = doc.index.keyAt(path);
      const doc0 = keyDocumentation(doc, path);
      if (doc0) schema.description = doc0;
      if (v !== null && !isTable(v) && !Array.isArray(v)) schema.default = v;
      const note = entry ? annotations.get(entry) : undefined;
      if (note) schema = { ...schema, ...note };
    }
    return schema;
  };
  const root = walk(values, []);
  return { $schema: options.draft ?? 'https://json-schema.org/draft/2020-12/schema', ...root };
}
