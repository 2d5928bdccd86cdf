// Support for quickFixCorpus.test.ts: the corpus charts that ship a values.schema.json, loaded into memory; mutated
// copies that provoke each fixable finding on real keys (chosen deterministically from the schema and the values);
// analyses built in memory; and the checks a quick fix must pass once applied (parses, fixes what it names, adds no
// error, touches only its own lines).
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { ChartAnalysis } from '../../server/src/service/analysis';
import { loadChart } from '../../server/src/service/chart/chartModel';
import { chartEnvironments } from '../../server/src/service/chart/environments';
import { computeCodeActions, type CodeActionResult, type TextEditResult } from '../../server/src/service/features/codeActions';
import { schemaAt, summarize, type JsonSchema } from '../../server/src/service/schema/schemaAt';
import type { SchemaLookup } from '../../server/src/service/schema/validate';
import type { SecretFinding } from '../../server/src/service/secrets/detect';
import { IGNORE_FILE_NAME, parseIgnoreFile } from '../../server/src/service/secrets/ignoreFile';
import type { Finding } from '../../server/src/service/types';
import { DocumentCache } from '../../server/src/service/yaml/documentCache';
import { parseValuesDocument, type KeyEntry, type PathSegment, type ValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { chartSource, fixtureSchemas } from './fixture';

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url));
/** The virtual workspace folder: charts live under it, the secrets ignore file at its root. */
export const WORKSPACE = '/corpus';
export const IGNORE_FILE = `${WORKSPACE}/${IGNORE_FILE_NAME}`;

export interface CorpusChart {
  /** Path under test/fixtures/corpus/charts (`bitnami__charts/bitnami/mysql`). */
  name: string;
  /** Virtual chart directory (`/corpus/bitnami__charts/bitnami/mysql`). */
  root: string;
  files: ReadonlyMap<string, string>;
  /** Compiled schemas, shared by every analysis of this chart and its mutations (memoized by text). */
  schemas: SchemaLookup;
  /** Parsed values files, shared the same way (as the language server keeps them between edits). */
  documents: DocumentCache;
}

const OVERLAY = /^(values[-.][^/]+\.ya?ml|ci\/[^/]+\.ya?ml)$/;

/** Every corpus chart with a values.schema.json: Chart.yaml, values.yaml, the schema and the overlays, in memory. */
export function loadSchemaCharts(): CorpusChart[] {
  const dirs: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === 'values.schema.json') dirs.push(d);
    }
  };
  walk(CORPUS);
  return dirs.map((dir) => {
    const name = relative(CORPUS, dir).split('\\').join('/');
    const root = `${WORKSPACE}/${name}`;
    const files = new Map<string, string>();
    const names = ['Chart.yaml', 'values.yaml', 'values.schema.json', ...readdirSync(dir).filter((n) => OVERLAY.test(n))];
    if (existsSync(join(dir, 'ci'))) names.push(...readdirSync(join(dir, 'ci')).map((n) => `ci/${n}`).filter((n) => OVERLAY.test(n)));
    for (const n of names.sort()) files.set(`${root}/${n}`, readFileSync(join(dir, n), 'utf8'));
    return { name, root, files, schemas: fixtureSchemas(files, '2020-12'), documents: new DocumentCache() };
  });
}

/**
 * The analysis of a chart's files as the language server builds it: schemas, secrets with the ignore file, relative
 * paths, and one document cache per chart (unchanged files are parsed once, edited ones re-parsed incrementally).
 */
export function analyze(chart: Pick<CorpusChart, 'root' | 'schemas' | 'documents'>, files: ReadonlyMap<string, string>): ChartAnalysis {
  const documents = chart.documents;
  const model = loadChart(chartSource(files, chart.root), documents);
  const { environments } = chartEnvironments(model, []);
  const ignore = files.get(IGNORE_FILE) ?? '';
  return new ChartAnalysis({
    model,
    environments,
    resolveValues: (p) => {
      const abs = p.startsWith('/') ? p : `${chart.root}/${p}`;
      const text = files.get(abs);
      return text === undefined ? { error: `${abs}: no such file` } : documents.get(abs, text);
    },
    readFile: (p) => files.get(p),
    helmVersion: NEWEST_RELEASE[4],
    documents,
    schemas: chart.schemas,
    secrets: { ignoreEntries: parseIgnoreFile(ignore).entries },
    relativePath: (f) => (f.startsWith(`${WORKSPACE}/`) ? f.slice(WORKSPACE.length + 1) : f),
    secretsIgnoreFile: { path: IGNORE_FILE, text: ignore },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Identity of a finding: what "the same finding" means before and after a fix (lines move, environments merge).

/** The key path a finding is about: the schema path, the secret's key path, or the key at its offset. */
export function findingPath(f: Finding, doc: ValuesDocument | undefined): string | undefined {
  if (Array.isArray(f.data?.path)) return (f.data.path as unknown[]).map(String).join('.');
  if (f.code.startsWith('secret.')) {
    // The key path, plus `>subkey` for a line of a block scalar (as ignore entries name it).
    const { path, fingerprintPath } = f as SecretFinding;
    const sub = fingerprintPath.indexOf('>');
    return path.map(String).join('.') + (sub >= 0 ? fingerprintPath.slice(sub) : '');
  }
  const e = doc && f.offset !== undefined ? doc.entries.find((x) => x.keyStart === f.offset) : undefined;
  return e ? e.path.map(String).join('.') : undefined;
}

export function identity(a: ChartAnalysis, f: Finding): string {
  const p = findingPath(f, a.document(f.file));
  const message = f.message.replace(/ \[environments?: [^\]]*\]$/, '').replace(/(\.ya?ml):\d+/g, '$1:N');
  return `${f.file} ${f.code} ${p ?? message}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations.

export type MutationKind =
  | 'quote-number'
  | 'quote-boolean'
  | 'bare-number'
  | 'enum-near-miss'
  | 'misspell-property'
  | 'extra-property'
  | 'delete-required'
  | 'secret-password'
  | 'secret-env'
  | 'overlay-misspell'
  | 'global-not-allowed';

export interface Mutation {
  kind: MutationKind;
  /** What was changed, for messages: `values.yaml:12 replicaCount: 1 -> "1"`. */
  what: string;
  /** The chart's files after the mutation. */
  files: Map<string, string>;
  /** The finding the mutation must provoke (file, code or code prefix, key path). */
  expect: { file: string; code: string; path: string };
}

interface Site {
  file: string;
  doc: ValuesDocument;
  entry: KeyEntry;
  path: string[];
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineNo(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The entries of a file's first document that are plain map keys (no list above them), written as plain keys. */
function mapEntries(file: string, text: string): Site[] {
  const doc = parseValuesDocument(file, text);
  const out: Site[] = [];
  for (const entry of doc.entries) {
    if (entry.document !== 0 || entry.path.some((s) => typeof s !== 'string')) continue;
    const path = entry.path as string[];
    if (text.slice(entry.keyStart, entry.keyEnd) !== path[path.length - 1]) continue;
    out.push({ file, doc, entry, path });
  }
  return out;
}

/** A single-line scalar written after `key: ` (not a flow collection, block scalar, alias, anchor or tag). */
function scalarSource(s: Site): string | undefined {
  const src = s.doc.text.slice(s.entry.valueStart, s.entry.valueEnd);
  if (src === '' || src.includes('\n') || /^[[{|>&*!]/.test(src)) return undefined;
  return src;
}

const COMBINATORS = ['anyOf', 'oneOf', 'if', 'not'];

/**
 * The schemas that apply at a path, when no combinator decides on the way there (errors under anyOf/oneOf are
 * reported as the combinator's, so a site below one would not provoke the finding we want).
 */
function plainSchemas(root: unknown, path: readonly PathSegment[]): JsonSchema[] | undefined {
  for (let i = 0; i <= path.length; i++) {
    const at = schemaAt({ root }, path.slice(0, i));
    if (at.length === 0 || at.some((s) => COMBINATORS.some((k) => k in s))) return undefined;
    if (i === path.length) return at;
  }
  return undefined;
}

const YAML_SPECIAL = /^(?:y|yes|n|no|on|off|true|false|null|~)$/i;

/** A near miss of a word: one character dropped from the middle (still at least 3 characters, not a YAML keyword). */
function nearMiss(word: string): string | undefined {
  if (word.length < 4) return undefined;
  const mid = Math.floor(word.length / 2);
  const out = word.slice(0, mid) + word.slice(mid + 1);
  return YAML_SPECIAL.test(out) ? undefined : out;
}

function unquote(src: string): { inner: string; quote: string } {
  const m = /^(["'])(.*)\1$/.exec(src);
  return m ? { inner: m[2] ?? '', quote: m[1] ?? '' } : { inner: src, quote: '' };
}

/** The lines a map entry occupies, up to its last line of content (comments after it belong to what follows). */
export function entryLines(text: string, e: { keyStart: number; keyEnd: number; valueEnd: number }): { first: number; last: number } {
  const first = lineNo(text, e.keyStart);
  let last = lineNo(text, Math.max(e.keyEnd, e.valueEnd - 1));
  const lines = text.split('\n');
  while (last > first && /^\s*(#.*)?$/.test(lines[last - 1] ?? '')) last--;
  return { first, last };
}

function offsetOfLine(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return at;
}

function children(sites: readonly Site[], parent: readonly string[]): Site[] {
  return sites.filter((s) => s.path.length === parent.length + 1 && parent.every((p, i) => s.path[i] === p));
}

function show(s: Site, root: string): string {
  return `${s.file.slice(root.length + 1)}:${s.entry.line} ${s.path.join('.')}`;
}

const PASSWORD = 'Kq7vD9mLt2xRw4zP';
const ENV_LIST = /^(?:extraEnvVars|extraEnv|env)$/;
const EXISTING_SECRET = /^existing\w*Secret$/;

/**
 * Mutated copies of a chart that each provoke one fixable finding, at the first `perKind` eligible sites per kind
 * (values.yaml first, then the overlays in name order). Deterministic: same corpus, same mutations.
 */
export function mutationsOf(chart: CorpusChart, perKind: number): Mutation[] {
  const schemaText = chart.files.get(`${chart.root}/values.schema.json`);
  const root: unknown = schemaText === undefined ? undefined : JSON.parse(schemaText);
  const valuesFile = `${chart.root}/values.yaml`;
  const overlays = [...chart.files.keys()].filter((f) => f !== valuesFile && /\.ya?ml$/.test(f) && !f.endsWith('/Chart.yaml')).sort();
  const defaults = mapEntries(valuesFile, chart.files.get(valuesFile) ?? '');
  const sitesOf = new Map<string, Site[]>([[valuesFile, defaults], ...overlays.map((f): [string, Site[]] => [f, mapEntries(f, chart.files.get(f) ?? '')])]);
  const all = [...sitesOf.values()].flat();
  const out: Mutation[] = [];
  // values.yaml and the overlays each get up to `perKind` sites of each kind.
  const count = new Map<string, number>();
  const group = (kind: MutationKind, file: string) => `${kind}${file === valuesFile ? '' : ' (overlay)'}`;
  const full = (kind: MutationKind, file: string) => (count.get(group(kind, file)) ?? 0) >= perKind;
  const add = (kind: MutationKind, file: string, text: string, what: string, expect: Omit<Mutation['expect'], 'file'> & { file?: string }): boolean => {
    if (full(kind, file)) return false;
    count.set(group(kind, file), (count.get(group(kind, file)) ?? 0) + 1);
    const files = new Map(chart.files);
    files.set(file, text);
    out.push({ kind, what, files, expect: { file: expect.file ?? file, code: expect.code, path: expect.path } });
    return true;
  };

  // Typed scalars: a quoted number or boolean where the schema wants one, a bare number where it wants a string.
  for (const s of all) {
    const src = scalarSource(s);
    const schemas = src === undefined ? undefined : plainSchemas(root, s.path);
    if (src === undefined || !schemas) continue;
    const sum = summarize(schemas);
    const types = new Set(sum.types);
    const text = s.doc.text;
    const { valueStart: vs, valueEnd: ve } = s.entry;
    const constrained = schemas.some((x) => ['enum', 'const', 'pattern', 'format', 'minLength', 'maxLength'].some((k) => k in x));
    if (types.size > 0 && [...types].every((t) => t === 'integer' || t === 'number') && /^-?(0|[1-9]\d*)$/.test(src) && !full('quote-number', s.file)) {
      add('quote-number', s.file, splice(text, vs, ve, `"${src}"`), `${show(s, chart.root)}: ${src} -> "${src}"`, { code: 'schema.type', path: s.path.join('.') });
    } else if (types.size === 1 && types.has('boolean') && /^(true|false)$/.test(src) && !full('quote-boolean', s.file)) {
      const q = (count.get(group('quote-boolean', s.file)) ?? 0) % 2 === 0 ? '"' : "'";
      add('quote-boolean', s.file, splice(text, vs, ve, `${q}${src}${q}`), `${show(s, chart.root)}: ${src} -> ${q}${src}${q}`, { code: 'schema.type', path: s.path.join('.') });
    } else if (types.size === 1 && types.has('string') && !constrained && !full('bare-number', s.file)) {
      add('bare-number', s.file, splice(text, vs, ve, '8080'), `${show(s, chart.root)}: ${src} -> 8080`, { code: 'schema.type', path: s.path.join('.') });
    }
  }

  // Enums: an allowed string with one character dropped.
  for (const s of all) {
    const src = scalarSource(s);
    const schemas = src === undefined ? undefined : plainSchemas(root, s.path);
    const allowed = schemas ? summarize(schemas).enum : undefined;
    if (src === undefined || !allowed || full('enum-near-miss', s.file)) continue;
    const { inner, quote } = unquote(src);
    const near = allowed.includes(inner) ? nearMiss(inner) : undefined;
    if (near === undefined || allowed.includes(near)) continue;
    add('enum-near-miss', s.file, splice(s.doc.text, s.entry.valueStart, s.entry.valueEnd, `${quote}${near}${quote}`), `${show(s, chart.root)}: ${src} -> ${quote}${near}${quote}`, { code: 'schema.enum', path: s.path.join('.') });
  }

  // additionalProperties: false: a misspelt allowed property; a property nobody declares.
  const closed = (parent: readonly string[]): JsonSchema[] | undefined => {
    const at = plainSchemas(root, parent);
    return at?.some((x) => x.additionalProperties === false) ? at : undefined;
  };
  const allowedAt = (at: JsonSchema[]) => at.flatMap((x) => (x.properties && typeof x.properties === 'object' ? Object.keys(x.properties) : []));
  for (const s of all) {
    if (full('misspell-property', s.file)) continue;
    const parent = s.path.slice(0, -1);
    const at = closed(parent);
    const key = s.path[s.path.length - 1] ?? '';
    const wrong = at ? nearMiss(key) : undefined;
    if (!at || wrong === undefined || !allowedAt(at).includes(key) || allowedAt(at).includes(wrong)) continue;
    // A null in values.yaml never reaches validation from Helm 4.2.0 on (chart-default nils are dropped when the
    // user does not set the key), so misspelling its key provokes nothing there.
    if (s.file === valuesFile && /^(|~|null|Null|NULL)$/.test(s.doc.text.slice(s.entry.valueStart, s.entry.valueEnd).trim())) continue;
    add('misspell-property', s.file, splice(s.doc.text, s.entry.keyStart, s.entry.keyEnd, wrong), `${show(s, chart.root)}: key ${key} -> ${wrong}`, { code: 'schema.additional-property', path: [...parent, wrong].join('.') });
  }
  // The maps of values.yaml: the root, then every key in document order.
  const maps = [{ file: valuesFile, path: [] as string[] }, ...defaults.map((s) => ({ file: s.file, path: s.path }))];
  for (const m of maps) {
    if (full('extra-property', m.file)) break;
    const kids = children(defaults, m.path);
    const first = kids[0];
    if (!first || !closed(m.path)) continue;
    const text = first.doc.text;
    const ls = lineStart(text, first.entry.keyStart);
    const indent = text.slice(ls, first.entry.keyStart);
    if (indent.trim() !== '') continue;
    add('extra-property', m.file, splice(text, ls, ls, `${indent}zzUnexpectedSetting: true\n`), `${show(first, chart.root)}: new key zzUnexpectedSetting above it`, {
      code: 'schema.additional-property',
      path: [...m.path, 'zzUnexpectedSetting'].join('.'),
    });
  }

  // required: delete a required property that values.yaml sets (its parent keeps other keys).
  for (const m of maps) {
    if (full('delete-required', m.file)) break;
    const at = plainSchemas(root, m.path);
    const required = new Set((at ?? []).flatMap((x) => (Array.isArray(x.required) ? x.required.map(String) : [])));
    const kids = children(defaults, m.path);
    if (kids.length < 2) continue;
    for (const kid of kids) {
      const key = kid.path[kid.path.length - 1] ?? '';
      const text = kid.doc.text;
      if (!required.has(key) || text.slice(lineStart(text, kid.entry.keyStart), kid.entry.keyStart).trim() !== '') continue;
      const { first, last } = entryLines(text, kid.entry);
      if (add('delete-required', kid.file, splice(text, offsetOfLine(text, first), offsetOfLine(text, last + 1), ''), `${show(kid, chart.root)}: deleted (lines ${first}-${last})`, { code: 'schema.required', path: kid.path.join('.') })) break;
    }
  }

  // Secrets: a plaintext password under a password key; an env item {name: DB_PASSWORD, value: ...}.
  for (const s of all) {
    if (full('secret-password', s.file)) continue;
    const key = s.path[s.path.length - 1] ?? '';
    const src = s.doc.text.slice(s.entry.valueStart, s.entry.valueEnd);
    if (!/^(?:[a-z]+)?[pP]assword$/.test(key) || src.includes('\n') || /^[[{|>&*!]/.test(src)) continue;
    const types = summarize(schemaAt({ root }, s.path)).types;
    if (types.length > 0 && !types.includes('string')) continue;
    const { keyStart, keyEnd, valueStart: vs, valueEnd: ve } = s.entry;
    // Every other site gets a block scalar: the fixes must keep the newline that ends it.
    const block = (count.get(group('secret-password', s.file)) ?? 0) % 2 === 1;
    const pad = ' '.repeat(keyStart - lineStart(s.doc.text, keyStart) + 2);
    const value = block ? `|\n${pad}${PASSWORD}` : `"${PASSWORD}"`;
    const text = vs === ve ? splice(s.doc.text, keyEnd + 1, keyEnd + 1, ` ${value}`) : splice(s.doc.text, vs, ve, value);
    add('secret-password', s.file, text, `${show(s, chart.root)}: ${src || '(empty)'} -> ${JSON.stringify(value)}`, { code: 'secret.', path: s.path.join('.') });
  }
  for (const s of all) {
    if (full('secret-env', s.file)) continue;
    const key = s.path[s.path.length - 1] ?? '';
    const text = s.doc.text;
    if (!ENV_LIST.test(key) || text.slice(s.entry.valueStart, s.entry.valueEnd) !== '[]') continue;
    const col = s.entry.keyStart - lineStart(text, s.entry.keyStart);
    const pad = ' '.repeat(col + 2);
    const block = `\n${pad}- name: DB_PASSWORD\n${pad}  value: "${PASSWORD}"`;
    add('secret-env', s.file, splice(text, s.entry.valueStart - (text[s.entry.valueStart - 1] === ' ' ? 1 : 0), s.entry.valueEnd, block), `${show(s, chart.root)}: [] -> [{name: DB_PASSWORD, value: ...}]`, {
      code: 'secret.',
      path: [...s.path, '0', 'value'].join('.'),
    });
  }

  // Overlays: a misspelt key that values.yaml declares at the same path.
  const declared = new Set(defaults.map((s) => s.path.join('\u0000')));
  for (const f of overlays) {
    for (const s of sitesOf.get(f) ?? []) {
      if (full('overlay-misspell', s.file)) break;
      const key = s.path[s.path.length - 1] ?? '';
      const wrong = nearMiss(key);
      const parent = s.path.slice(0, -1);
      if (wrong === undefined || !declared.has(s.path.join('\u0000')) || declared.has([...parent, wrong].join('\u0000'))) continue;
      add('overlay-misspell', s.file, splice(s.doc.text, s.entry.keyStart, s.entry.keyEnd, wrong), `${show(s, chart.root)}: key ${key} -> ${wrong}`, { code: 'helm.unknown-key', path: [...parent, wrong].join('.') });
    }
  }
  return out;
}

/**
 * A chart whose schema forbids additional properties at the root, used as the subchart of an in-memory umbrella
 * chart with `global` dropped from its schema's root properties (renamed, keeping the layout): Helm passes `global`
 * to every subchart, so the schema rejects it. Undefined when the chart's schema is open at the root.
 */
export function umbrellaOf(chart: CorpusChart): { chart: CorpusChart; mutation: Mutation; baseline: Map<string, string> } | undefined {
  const schemaFile = `${chart.root}/values.schema.json`;
  const schemaText = chart.files.get(schemaFile) ?? '';
  const json = JSON.parse(schemaText) as Record<string, unknown>;
  if (json.additionalProperties !== false) return undefined;
  const doc = parseDocument(schemaText);
  const props = doc.get('properties', true) as { items?: { key: { value?: unknown; range?: [number, number, number] } }[] } | undefined;
  const key = props?.items?.find((p) => p.key.value === 'global')?.key.range;
  const sub = chart.name.split('/').pop() ?? 'sub';
  const root = `${WORKSPACE}/umbrella-${sub}`;
  const baseline = new Map<string, string>([
    [`${root}/Chart.yaml`, `apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n  - name: ${sub}\n    version: "*"\n`],
    [`${root}/values.yaml`, `# An umbrella chart over ${sub}.\nreplicas: 1\n`],
  ]);
  for (const [p, text] of chart.files) if (!/\/(ci\/[^/]+|values[-.][^/]+)$/.test(p)) baseline.set(`${root}/charts/${sub}${p.slice(chart.root.length)}`, text);
  const files = new Map(baseline);
  const mutated = key ? splice(schemaText, key[0], key[1], '"x-global-dropped"') : schemaText;
  files.set(`${root}/charts/${sub}/values.schema.json`, mutated);
  const lookup = fixtureSchemas(files, '2020-12');
  return {
    chart: { name: `umbrella-${sub}`, root, files: baseline, schemas: lookup, documents: new DocumentCache() },
    baseline,
    mutation: { kind: 'global-not-allowed', what: `umbrella chart over ${sub}, "global" dropped from its schema's properties`, files, expect: { file: `${root}/values.yaml`, code: 'schema.global-not-allowed', path: `${sub}.global` } },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Applying a fix and proving it.

/** Applies non-overlapping edits to a text, last first (the whole-text application a client performs). */
export function applyEdits(text: string, edits: readonly TextEditResult[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** The findings a quick fix is offered for, with the actions offered on each (as an editor asks: the diagnostic's range). */
export function fixable(a: ChartAnalysis, findings: readonly Finding[]): { finding: Finding; actions: CodeActionResult[] }[] {
  const out: { finding: Finding; actions: CodeActionResult[] }[] = [];
  for (const f of findings) {
    const doc = a.document(f.file);
    if (!doc) continue;
    const start = f.offset ?? 0;
    const end = f.endOffset ?? start;
    const same = a.findings().filter((g) => g.file === f.file && g.code === f.code && (g.offset ?? 0) <= end && (g.endOffset ?? g.offset ?? 0) >= start);
    let actions = computeCodeActions(a, f.file, start, end).filter((x) => x.code === f.code);
    // Several findings of one code on one range (required properties at the top of a file): each action names its key.
    if (same.length > 1) actions = actions.filter((x) => x.title.includes(JSON.stringify(findingPath(f, doc)?.split('.').pop() ?? '')));
    if (actions.length > 0) out.push({ finding: f, actions });
  }
  return out;
}

/** Lines (1-based) of `text` an edit rewrites; none for an insertion of whole lines at a line boundary. */
function touchedLines(text: string, e: TextEditResult): number[] {
  const atLineStart = e.start === lineStart(text, e.start);
  const atLineEnd = e.end === text.length || text[e.end] === '\n';
  if (e.start === e.end && ((atLineStart && e.newText.endsWith('\n')) || (atLineEnd && e.newText.startsWith('\n')))) return [];
  const first = lineNo(text, e.start);
  let last = lineNo(text, e.end);
  // A range that ends after a newline and is replaced by text ending in one leaves the next line alone.
  if (e.end > e.start && text[e.end - 1] === '\n' && e.newText.endsWith('\n')) last--;
  else if (e.end > e.start && text[e.end - 1] === '\n' && atLineStart && e.newText === '') last--;
  const out: number[] = [];
  for (let l = first; l <= last; l++) out.push(l);
  return out;
}

function newlines(s: string): number {
  return s.split('\n').length - 1;
}

/** Comments of a YAML text as [start, end) offsets. */
function comments(text: string): [number, number][] {
  // A scan is enough for block YAML: a `#` at a line start or after whitespace, outside quotes.
  const out: [number, number][] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        if (i === 0 || /[\s:[{,-]/.test(line[i - 1] ?? '')) quote = c;
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) {
        out.push([at + i, at + line.length]);
        break;
      }
    }
    at += line.length + 1;
  }
  return out;
}

/** Fixes that silence a finding (a directive comment, an ignore-file entry) rather than change the value. */
const SUPPRESSION = /^Ignore /;

export interface FixContext {
  analysis: ChartAnalysis;
  files: ReadonlyMap<string, string>;
  finding: Finding;
  action: CodeActionResult;
}

/**
 * Applies one action and proves it: every edited file parses (YAML without yaml.* problems, the schema as JSON,
 * the ignore file without problems); the finding it names is gone (or suppressed); no new error-severity finding;
 * edits touch only the lines of the finding's entry (and of an existingSecret-style knob), insertions are whole
 * lines, every other line and comment is kept. Returns the problems: none when the fix is proven.
 */
export function proveFix(chart: Pick<CorpusChart, 'root' | 'schemas' | 'documents'>, c: FixContext): string[] {
  const problems: string[] = [];
  const files = new Map(c.files);
  const byFile = new Map<string, TextEditResult[]>();
  for (const e of c.action.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const sortedEdits = (list: TextEditResult[]) => [...list].sort((x, y) => x.start - y.start);

  for (const [file, edits] of byFile) {
    const before = files.get(file) ?? '';
    const sorted = sortedEdits(edits);
    sorted.forEach((e, i) => {
      if (e.start < 0 || e.end > before.length || e.start > e.end) problems.push(`${file}: edit [${e.start}, ${e.end}) is outside the text (${before.length} characters)`);
      const next = sorted[i + 1];
      if (next && next.start < e.end) problems.push(`${file}: edits [${e.start}, ${e.end}) and [${next.start}, ${next.end}) overlap`);
    });
    const after = applyEdits(before, edits);
    files.set(file, after);

    // (a) the edited file parses.
    if (file.endsWith('.json')) {
      try {
        JSON.parse(after);
      } catch (err) {
        problems.push(`${file}: not valid JSON after the fix: ${(err as Error).message}`);
      }
    } else if (file === IGNORE_FILE) {
      for (const p of parseIgnoreFile(after).problems) problems.push(`${file}:${p.line}: ${p.message}`);
    } else {
      const parsed = parseValuesDocument(file, after);
      for (const p of parsed.problems.filter((x) => x.code.startsWith('yaml.'))) problems.push(`${file}:${p.line}:${p.column} ${p.code} after the fix: ${p.message}`);
      // Suppression changes no value (a directive that lands inside a block scalar would become its content).
      if (SUPPRESSION.test(c.action.title) && JSON.stringify(parsed.documents) !== JSON.stringify(parseValuesDocument(file, before).documents)) problems.push(`${file}: the suppression changes the values`);
    }

    // (d) only the finding's own lines change; every other line and every comment is kept.
    const allowed = new Set<number>();
    const doc = file === c.finding.file ? c.analysis.document(file) : undefined;
    if (doc) {
      const own = c.finding.code.startsWith('secret.') ? (c.finding as SecretFinding).entry : doc.entries.find((x) => x.keyStart === c.finding.offset);
      // The existingSecret fix also names the Secret on the knob beside the password (or above it).
      const path = c.finding.code.startsWith('secret.') ? (c.finding as SecretFinding).path : undefined;
      const knobs = path ? doc.entries.filter((x) => EXISTING_SECRET.test(String(x.path[x.path.length - 1])) && x.path.length <= path.length && x.path.slice(0, -1).every((s, i) => path[i] === s)) : [];
      for (const e of [...(own ? [own] : []), ...knobs]) {
        const { first, last } = entryLines(before, e);
        for (let l = first; l <= last; l++) allowed.add(l);
      }
    }
    const removal = /^Remove "/.test(c.action.title);
    const beforeComments = file.endsWith('.json') || file === IGNORE_FILE ? [] : comments(before);
    for (const e of sorted) {
      const touched = touchedLines(before, e);
      const outside = touched.filter((l) => !allowed.has(l));
      if (outside.length > 0) problems.push(`${file}: the edit [${e.start}, ${e.end}) -> ${JSON.stringify(e.newText)} rewrites line(s) ${outside.join(', ')}, outside the finding's entry`);
      for (const [s, t] of beforeComments) {
        if (s < e.end && t > e.start && !removal) problems.push(`${file}:${lineNo(before, s)}: the edit deletes the comment ${JSON.stringify(before.slice(s, t))}`);
      }
    }
    const beforeLines = before.split('\n');
    const afterLines = after.split('\n');
    const touched = new Set(sorted.flatMap((e) => touchedLines(before, e)));
    let at = 0;
    beforeLines.forEach((line, i) => {
      const lineAt = at;
      at += line.length + 1;
      if (touched.has(i + 1)) return;
      const shift = sorted.filter((e) => e.end <= lineAt && !(e.start === e.end && e.start === lineAt && !e.newText.endsWith('\n'))).reduce((n, e) => n + newlines(e.newText) - newlines(before.slice(e.start, e.end)), 0);
      if (afterLines[i + shift] !== line) problems.push(`${file}:${i + 1}: line ${JSON.stringify(line)} changed to ${JSON.stringify(afterLines[i + shift])}`);
    });
  }

  // (b) and (c): re-analysis.
  const after = analyze(chart, files);
  const findingsAfter = after.findings();
  const named = identity(c.analysis, c.finding);
  const still = findingsAfter.filter((f) => identity(after, f) === named);
  if (still.length > 0) problems.push(`the finding is still reported: ${still.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`).join('; ')}`);
  // No new error, and no new finding of the fixed kind (a rename to another unknown key would only move the warning).
  const before = new Set(c.analysis.findings().map((f) => identity(c.analysis, f)));
  for (const f of findingsAfter.filter((x) => (x.severity === 'error' || x.code === c.finding.code) && !before.has(identity(after, x)))) {
    problems.push(`new ${f.severity} ${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`);
  }
  for (const f of findingsAfter.filter((x) => x.code.startsWith('yaml.'))) problems.push(`${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`);
  return problems;
}

/** Whether `findings` include the one a mutation must provoke (same file, code or code prefix, key path). */
export function provoked(a: ChartAnalysis, m: Mutation, findings: readonly Finding[]): boolean {
  return findings.some((f) => f.file === m.expect.file && f.code.startsWith(m.expect.code) && findingPath(f, a.document(f.file)) === m.expect.path);
}
