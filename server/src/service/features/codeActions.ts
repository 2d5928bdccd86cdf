// Quick fixes for findings: exact text edits that keep comments, formatting and key order.
//   schema.type                 convert a quoted number/boolean to the expected type, or quote a scalar
//   schema.enum                 replace a value outside an enum with the closest allowed one (and the others)
//   schema.additional-property  rename an unknown property to the closest allowed one; remove it
//   helm.unknown-key            rename a key no layer below declares to the closest declared one
//   schema.required             add the missing property with the schema default or a placeholder (a map gets the
//                               properties its own schema requires, filled in the same way)
//   schema.global-not-allowed   add `global` to the subchart's values.schema.json
import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { ChartAnalysis } from '../analysis';
import type { ChartModel } from '../chart/chartModel';
import { isTable } from '../values/valueUtil';
import { schemaAt, summarize, type SchemaContext } from '../schema/schemaAt';
import type { Finding, Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import type { SecretFinding } from '../secrets/detect';
import { ignoreFileFix, secretFixes } from '../secrets/fixes';
import { chartKnobs } from '../secrets/knobs';

export interface TextEditResult {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface CodeActionResult {
  title: string;
  /** The finding code the action fixes. */
  code: string;
  edits: TextEditResult[];
  preferred?: boolean;
}

function entryForFinding(doc: ValuesDocument, f: Finding): KeyEntry | undefined {
  if (f.offset === undefined) return undefined;
  return doc.index.keyStartingAt(f.offset);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}

/** The plain scalar text of a value as YAML would write it in block context (quoted when needed). */
function scalarText(v: Value, quoteLike?: string): string {
  if (typeof v === 'string') {
    if (quoteLike === "'") return `'${v.replace(/'/g, "''")}'`;
    return JSON.stringify(v);
  }
  if (v === null) return 'null';
  return String(v);
}

function convertType(doc: ValuesDocument, e: KeyEntry, expected: string[]): { title: string; text: string } | undefined {
  const src = doc.text.slice(e.valueStart, e.valueEnd);
  const quoted = /^(["'])(.*)\1$/s.exec(src);
  if (quoted) {
    const inner = quoted[2] ?? '';
    if ((expected.includes('integer') && /^-?(0|[1-9]\d*)$/.test(inner)) || (expected.includes('number') && /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(inner))) {
      return { title: `Convert to a number: ${inner}`, text: inner };
    }
    if (expected.includes('boolean') && /^(true|false)$/i.test(inner)) return { title: `Convert to a boolean: ${inner.toLowerCase()}`, text: inner.toLowerCase() };
    return undefined;
  }
  if (expected.includes('string') && src !== '' && !/^[[{|>]/.test(src)) return { title: `Quote as a string: "${src}"`, text: JSON.stringify(src) };
  return undefined;
}

function indentOf(text: string, offset: number): number {
  const start = lineStart(text, offset);
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

/** Where to add a key under the map at `parent` in a file: after the parent's last entry, at its children's indentation. */
function insertionFor(doc: ValuesDocument, parent: readonly PathSegment[]): { offset: number; indent: number; prefixPath: PathSegment[] } {
  for (let depth = parent.length; depth >= 0; depth--) {
    const prefix = parent.slice(0, depth);
    const children = doc.entries.filter((x) => x.path.length === prefix.length + 1 && prefix.every((s, i) => x.path[i] === s) && x.document === 0);
    if (depth === 0 || children.length > 0) {
      const last = children[children.length - 1];
      const indent = last ? indentOf(doc.text, last.keyStart) : 0;
      const end = last ? lineEnd(doc.text, Math.max(last.valueEnd - 1, last.keyEnd)) : doc.text.length;
      return { offset: end, indent, prefixPath: parent.slice(depth) as PathSegment[] };
    }
    const self = doc.index.keyAt(prefix, 0);
    if (self && self.valueEnd > self.valueStart) continue; // a flow or scalar value: go up
    if (self) return { offset: lineEnd(doc.text, self.keyEnd), indent: indentOf(doc.text, self.keyStart) + 2, prefixPath: parent.slice(depth) as PathSegment[] };
  }
  return { offset: doc.text.length, indent: 0, prefixPath: [...parent] };
}

function placeholder(types: string[], def: unknown, allowed?: readonly unknown[]): string {
  if (def !== undefined && (def === null || typeof def !== 'object')) return scalarText(def as Value);
  if (def !== undefined) return JSON.stringify(def);
  // An enum's first value: an empty placeholder would only trade this error for an enum one.
  const first = allowed?.[0];
  if (first !== undefined) return first === null || typeof first !== 'object' ? scalarText(first as Value) : JSON.stringify(first);
  if (types.includes('object')) return '{}';
  if (types.includes('array')) return '[]';
  if (types.includes('integer') || types.includes('number')) return '0';
  if (types.includes('boolean')) return 'false';
  return '""';
}

/** A map key as YAML writes it: plain when that reads back as the same string, else double-quoted. */
function keyText(key: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(key) && !/^(?:y|yes|n|no|on|off|true|false|null)$/i.test(key) ? key : JSON.stringify(key);
}

/**
 * The lines that add a required property at `path` (relative to its schema): `key: <default or placeholder>`, or,
 * for a map whose schema requires properties of its own and gives no default, `key:` with those filled in the
 * same way (a bare `{}` would only trade this error for the next one).
 */
function requiredLines(ctx: SchemaContext | undefined, path: readonly string[], key: string, indent: number, depth = 0): string[] {
  const schemas = ctx ? schemaAt(ctx, path) : [];
  const summary = summarize(schemas);
  const pad = ' '.repeat(indent);
  const nested = [...new Set(schemas.flatMap((s) => (Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : [])))];
  const objectLike = summary.types.length === 0 || summary.types.includes('object');
  if (ctx && depth < 8 && summary.default === undefined && objectLike && nested.length > 0) {
    return [`${pad}${keyText(key)}:`, ...nested.flatMap((r) => requiredLines(ctx, [...path, r], r, indent + 2, depth + 1))];
  }
  return [`${pad}${keyText(key)}: ${placeholder(summary.types, summary.default, summary.enum)}`];
}

function schemaOwner(analysis: ChartAnalysis, schemaFile: string): ChartModel | undefined {
  return analysis.places().find((p) => p.model.schema?.path === schemaFile)?.model;
}

/** Adds `"global": {"type": "object"}` to the root `properties` of a JSON schema text, keeping its layout. */
export function addGlobalToSchema(text: string): { start: number; end: number; newText: string } | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const root = doc.contents;
  const props = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'properties');
  if (props && isMap(props.value) && props.value.range) {
    const open = props.value.range[0];
    const first = props.value.items[0];
    const firstKey = first && isScalar(first.key) && first.key.range ? first.key.range[0] : undefined;
    const indent = firstKey !== undefined ? ' '.repeat(indentOf(text, firstKey)) : '  ';
    return { start: open + 1, end: open + 1, newText: `\n${indent}"global": { "type": "object" }${props.value.items.length > 0 ? ',' : ''}` };
  }
  if (root.range) {
    const open = root.range[0];
    const first = root.items[0];
    const firstKey = first && isScalar(first.key) && first.key.range ? first.key.range[0] : undefined;
    const indent = firstKey !== undefined ? ' '.repeat(indentOf(text, firstKey)) : '  ';
    return { start: open + 1, end: open + 1, newText: `\n${indent}"properties": { "global": { "type": "object" } }${root.items.length > 0 ? ',' : ''}` };
  }
  return undefined;
}

/** Findings validation may place at line 1 of the highest overlay (or values.yaml) when no key supplied the value. */
const TOP_OF_FILE = new Set(['schema.required', 'schema.global-not-allowed']);

/** Quick fixes for the findings of `file` that overlap [start, end] (offsets). */
export function computeCodeActions(analysis: ChartAnalysis, file: string, start: number, end: number): CodeActionResult[] {
  const doc = analysis.document(file);
  const out: CodeActionResult[] = [];
  const findings = analysis.findings().filter((f) => f.file === file);
  for (const f of findings) {
    if (f.code.startsWith('secret.')) {
      if (doc && f.offset !== undefined && f.endOffset !== undefined && f.endOffset >= start && f.offset <= end) out.push(...secretActions(analysis, doc, f as SecretFinding));
      continue;
    }
    if (f.offset === undefined || f.endOffset === undefined || f.endOffset < start || f.offset > end) {
      // Placed at the top of the file, not on a key (a missing property; the `global` Helm adds): offered on line 1.
      if (!(TOP_OF_FILE.has(f.code) && f.line === 1 && start <= (doc?.text.indexOf('\n') ?? 0))) continue;
    }
    const data = f.data ?? {};
    const entry = doc ? entryForFinding(doc, f) : undefined;
    switch (f.code) {
      case 'schema.type': {
        if (!doc || !entry) break;
        const expected = String(data.expected ?? '').split(',');
        const c = convertType(doc, entry, expected);
        if (c) out.push({ title: c.title, code: f.code, preferred: true, edits: [{ file, start: entry.valueStart, end: entry.valueEnd, newText: c.text }] });
        break;
      }
      case 'schema.enum': {
        if (!doc || !entry) break;
        const allowed = (Array.isArray(data.allowed) ? data.allowed : []) as Value[];
        const src = doc.text.slice(entry.valueStart, entry.valueEnd);
        const quote = /^(["'])/.exec(src)?.[1];
        const ordered = [...(typeof data.suggestion === 'string' ? [data.suggestion] : []), ...allowed.filter((a) => a !== data.suggestion)].slice(0, 6);
        ordered.forEach((v, i) => out.push({ title: `Replace with ${JSON.stringify(v)}`, code: f.code, ...(i === 0 && typeof data.suggestion === 'string' ? { preferred: true } : {}), edits: [{ file, start: entry.valueStart, end: entry.valueEnd, newText: scalarText(v, quote) }] }));
        break;
      }
      case 'schema.additional-property':
      case 'helm.unknown-key': {
        if (!doc || !entry) break;
        if (typeof data.suggestion === 'string') out.push({ title: `Rename to "${data.suggestion}"`, code: f.code, preferred: true, edits: [{ file, start: entry.keyStart, end: entry.keyEnd, newText: data.suggestion }] });
        if (f.code === 'schema.additional-property') {
          const from = lineStart(doc.text, entry.keyStart);
          const valueEnd = Math.max(entry.valueEnd, entry.keyEnd);
          const to = Math.min(doc.text.length, lineEnd(doc.text, Math.max(valueEnd - 1, entry.keyEnd)) + 1);
          const onlyOnLine = doc.text.slice(from, entry.keyStart).trim() === '';
          if (onlyOnLine) out.push({ title: `Remove "${String(entry.path[entry.path.length - 1])}"`, code: f.code, edits: [{ file, start: from, end: to, newText: '' }] });
        }
        break;
      }
      case 'schema.required': {
        if (!doc) break;
        const path = (Array.isArray(data.path) ? data.path : []).map(String);
        const missing = path[path.length - 1];
        if (missing === undefined) break;
        const owner = typeof data.schemaFile === 'string' ? schemaOwner(analysis, data.schemaFile) : undefined;
        const ownerPlace = owner ? analysis.places().find((p) => p.model === owner) : undefined;
        const prefixLen = ownerPlace?.prefixes[0]?.length ?? 0;
        const schemaJson = owner?.schema ? safeJson(owner.schema.text) : undefined;
        const ctx = schemaJson !== undefined ? { root: schemaJson } : undefined;
        const summary = ctx ? summarize(schemaAt(ctx, path.slice(prefixLen))) : { types: [] as string[], default: undefined };
        const ins = insertionFor(doc, path.slice(0, -1));
        const lines: string[] = [];
        let indent = ins.indent;
        for (const seg of ins.prefixPath) {
          lines.push(`${' '.repeat(indent)}${keyText(String(seg))}:`);
          indent += 2;
        }
        lines.push(...requiredLines(ctx, path.slice(prefixLen), missing, indent));
        const needsNewline = ins.offset > 0 && doc.text[ins.offset - 1] !== '\n' && ins.offset === doc.text.length;
        const text = ins.offset === doc.text.length ? `${needsNewline ? '\n' : ''}${lines.join('\n')}\n` : `\n${lines.join('\n')}`;
        out.push({ title: `Add required "${missing}"${summary.default !== undefined ? ' with its default' : ' (placeholder)'}`, code: f.code, preferred: true, edits: [{ file, start: ins.offset, end: ins.offset, newText: text }] });
        break;
      }
      case 'schema.global-not-allowed': {
        const schemaFile = typeof data.schemaFile === 'string' ? data.schemaFile : undefined;
        const owner = schemaFile ? schemaOwner(analysis, schemaFile) : undefined;
        if (!owner?.schema) break;
        const edit = addGlobalToSchema(owner.schema.text);
        if (edit) out.push({ title: `Allow "global" in ${owner.name}'s values.schema.json`, code: f.code, preferred: true, edits: [{ file: owner.schema.path, ...edit }] });
        break;
      }
    }
  }
  return out;
}

function secretActions(analysis: ChartAnalysis, doc: ValuesDocument, f: SecretFinding): CodeActionResult[] {
  const knobs = chartKnobs(analysis, doc.file, (m) => analysis.input.schemas?.(m)?.json);
  const out: CodeActionResult[] = secretFixes(doc, f, { knobs, chartName: analysis.model.name }).map((fix) => ({
    title: fix.title,
    code: f.code,
    ...(fix.isPreferred ? { preferred: true } : {}),
    edits: fix.edits.map((e) => ({ file: doc.file, start: e.start, end: e.end, newText: e.newText })),
  }));
  const ignore = analysis.input.secretsIgnoreFile;
  if (ignore) {
    const edit = ignoreFileFix(ignore.text, f, analysis.input.relativePath?.(doc.file) ?? doc.file);
    const name = ignore.path.split(/[\\/]/).pop() ?? ignore.path;
    if (edit) out.push({ title: `Ignore this finding in ${name} (by key path, survives edits)`, code: f.code, edits: [{ file: ignore.path, ...edit }] });
  }
  return out;
}

function safeJson(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  const js = doc.toJS({ maxAliasCount: 0 }) as unknown;
  return isTable(js as Value) || typeof js === 'boolean' ? js : undefined;
}
