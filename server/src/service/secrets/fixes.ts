// Quick fixes for secret findings: exact text edits (offset ranges + new text) that keep the file's comments,
// quoting and indentation. Pure; the LSP adapter turns them into a WorkspaceEdit, the command into a message.
//
//   existingSecret   the chart has an existingSecret-style knob (Bitnami: `auth.existingSecret` + `secretKeys.*Key`):
//                    set it to `<release>-<block>` and blank the literal (`""`), plus a kubectl command (no value).
//   secretKeyRef     an env-list item `{name, value}`: `value: …` becomes `valueFrom: {secretKeyRef: {name, key}}`.
//   vals reference   the value becomes `ref+vault://secret/data/<key path>#/<leaf>` (helmfile/vals resolve it at deploy time).
//   suppress         `# helm-values: ignore secret` on its own line above (above the key line for block scalars).
//   ignore file      one line in `.helmsecretsignore` (see ignoreFile.ts): `ignoreFileFix`.
import type { Value, ValueMap } from '../types';
import type { PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import type { SecretFinding } from './detect';
import { ignoreEntryEdit } from './ignoreFile';
import { formatKeyPath } from './keyPath';
import { splitWords } from './names';
import { lineIndent } from './scalarText';

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type SecretFixKind = 'existing-secret' | 'secret-key-ref' | 'vals-ref' | 'suppress';

export interface SecretFix {
  kind: SecretFixKind;
  title: string;
  /** Edits to the values file, non-overlapping, in any order. */
  edits: TextEdit[];
  /** A command to create the Secret, without the value (show it, or copy it to the clipboard). */
  command?: string;
  isPreferred?: boolean;
}

/** Where the chart declares its knobs: default values and/or a JSON schema, placed under `prefix` of this file's key paths. */
export interface ChartKnobs {
  values?: ValueMap;
  schema?: unknown;
  /** Path of these values within the file's key space: [] for the chart itself, ['postgresql'] for a subchart. */
  prefix?: readonly PathSegment[];
}

export interface FixContext {
  /** The chart's defaults (and subcharts'), where existingSecret-style keys are looked up. The file itself is always searched too. */
  knobs?: readonly ChartKnobs[];
  /** Release name used in generated Secret names (default `release`). */
  release?: string;
  /** Chart name, used in Secret names when the key path names no component (`auth.password` → `<release>-<chart>`). */
  chartName?: string;
}

/** Every fix that applies to a finding, the preferred one first. */
export function secretFixes(doc: ValuesDocument, finding: SecretFinding, context: FixContext = {}): SecretFix[] {
  const out: SecretFix[] = [];
  const existing = existingSecretFix(doc, finding, context);
  if (existing) out.push(existing);
  const ref = secretKeyRefFix(doc, finding, context);
  if (ref) out.push(ref);
  const vals = valsRefFix(doc, finding);
  if (vals) out.push(vals);
  out.push(suppressFix(doc, finding));
  if (out[0]) out[0] = { ...out[0], isPreferred: true };
  return out;
}

/** Applies non-overlapping edits to a text (for tests and previews). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const EXISTING_SECRET = /^existing[A-Za-z]*Secret$/;
const GENERIC_BLOCKS = new Set(['auth', 'global', 'credentials', 'secret', 'secrets', 'config', 'configuration', 'admin']);

export function existingSecretFix(doc: ValuesDocument, finding: SecretFinding, context: FixContext = {}): SecretFix | undefined {
  if (finding.partial || finding.severity === 'hint') return undefined;
  const path = finding.path;
  const leaf = path[path.length - 1];
  if (typeof leaf !== 'string' || leaf === 'value') return undefined;
  const knobs: ChartKnobs[] = [{ values: doc.documents[0] ?? {}, prefix: [] }, ...(context.knobs ?? [])];
  // The nearest container (parent first, then ancestors) whose chart declares an existingSecret-style key.
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const container = path.slice(0, depth);
    for (const k of knobs) {
      const keys = knobKeys(k, container);
      // Only a knob that holds the Secret's name: a map-valued one (`existingConfigSecret: {name, key}`) would be
      // overwritten by a string, which its schema and templates reject.
      const takesName = (x: string) => nameKnob(doc, k, [...container, x]);
      const knob = keys.find((x) => x === 'existingSecret' && takesName(x)) ?? keys.find((x) => EXISTING_SECRET.test(x) && takesName(x));
      if (!knob) continue;
      const secretKey = secretKeyName(k, container, keys, leaf);
      // A Secret the file already names is kept; otherwise one is named after the release and the component.
      const current = doc.index.keyAt([...container, knob]);
      const named = current ? doc.text.slice(current.valueStart, current.valueEnd).replace(/^(["'])(.*)\1$/, '$2').trim() : '';
      // ... and so is one the chart's defaults already name (then the key needs no edit at all).
      const inDefaults = current ? '' : knobValue(k, [...container, knob]);
      const valid = (n: string) => /^[a-z0-9][-a-z0-9.]*$/.test(n);
      const name = valid(named) ? named : valid(inDefaults) ? inDefaults : secretName(context, container);
      const edits = named === name || inDefaults === name ? [] : setKey(doc, finding, [...container, knob], name);
      if (!edits) return undefined;
      edits.push(blankValue(doc, finding));
      return {
        kind: 'existing-secret',
        title: `Use ${formatKeyPath([...container, knob])}: ${name} (a Kubernetes Secret) instead of the plaintext value`,
        edits,
        command: `kubectl create secret generic ${name} --from-literal=${secretKey}="$${envName(secretKey)}"`,
      };
    }
  }
  return undefined;
}

/** The string a chart's defaults hold at a key path ('' when absent or not a string). */
function knobValue(k: ChartKnobs, path: readonly PathSegment[]): string {
  const v = knobDefault(k, path);
  return typeof v === 'string' ? v.trim() : '';
}

/** The value a chart's defaults hold at a key path (undefined when absent or outside these knobs). */
function knobDefault(k: ChartKnobs, path: readonly PathSegment[]): Value | undefined {
  const prefix = k.prefix ?? [];
  if (path.length < prefix.length || prefix.some((p, i) => path[i] !== p)) return undefined;
  let v: Value | undefined = k.values ?? null;
  for (const seg of path.slice(prefix.length)) v = isMap(v) ? v[String(seg)] : undefined;
  return v;
}

/** Whether an existingSecret-style key takes a Secret name: not a map or list in the file, the defaults or the schema. */
function nameKnob(doc: ValuesDocument, k: ChartKnobs, path: readonly PathSegment[]): boolean {
  const structured = (v: Value | undefined) => v !== null && v !== undefined && typeof v === 'object';
  let own: Value | undefined = doc.documents[0] ?? null;
  for (const seg of path) own = isMap(own) ? own[String(seg)] : undefined;
  if (structured(own) || structured(knobDefault(k, path))) return false;
  const prefix = k.prefix ?? [];
  if (path.length < prefix.length || prefix.some((p, i) => path[i] !== p)) return true;
  let s: unknown = k.schema;
  for (const seg of path.slice(prefix.length)) s = schemaChild(s, String(seg));
  const type = isObject(s) ? s['type'] : undefined;
  const types = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
  return types.length === 0 || types.includes('string');
}

/** Keys that the chart declares at `container` (through its defaults or its schema). */
function knobKeys(k: ChartKnobs, container: readonly PathSegment[]): string[] {
  const prefix = k.prefix ?? [];
  if (container.length < prefix.length || prefix.some((p, i) => container[i] !== p)) return [];
  const rel = container.slice(prefix.length);
  const keys = new Set<string>();
  let v: Value | undefined = k.values ?? null;
  for (const seg of rel) v = isMap(v) ? v[String(seg)] : undefined;
  if (isMap(v)) for (const key of Object.keys(v)) keys.add(key);
  let s: unknown = k.schema;
  for (const seg of rel) s = schemaChild(s, String(seg));
  const props = isObject(s) && isObject(s['properties']) ? s['properties'] : undefined;
  if (props) for (const key of Object.keys(props)) keys.add(key);
  return [...keys];
}

function schemaChild(s: unknown, key: string): unknown {
  if (!isObject(s)) return undefined;
  const props = s['properties'];
  if (isObject(props) && key in props) return props[key];
  return undefined;
}

/** The key inside the Secret: from `secretKeys.*Key` or `existingSecret*Key` defaults, else the leaf in kebab-case. */
function secretKeyName(k: ChartKnobs, container: readonly PathSegment[], keys: string[], leaf: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const candidates: string[] = [];
  let v: Value | undefined = k.values ?? null;
  for (const seg of container.slice((k.prefix ?? []).length)) v = isMap(v) ? v[String(seg)] : undefined;
  const here = isMap(v) ? v : {};
  const secretKeys = here['secretKeys'];
  if (isMap(secretKeys)) for (const val of Object.values(secretKeys)) if (typeof val === 'string' && val !== '') candidates.push(val);
  for (const key of keys) {
    const val = here[key];
    if (/^existingSecret\w*Key$/.test(key) && typeof val === 'string' && val !== '') candidates.push(val);
  }
  const exact = candidates.find((c) => norm(c) === norm(leaf));
  if (exact) return exact;
  const leafWords = splitWords(leaf);
  const overlapping = candidates.find((c) => leafWords.length > 1 && splitWords(c).join('') === leafWords.join(''));
  return overlapping ?? kebab(leaf);
}

function secretName(context: FixContext, container: readonly PathSegment[]): string {
  const block = [...container].reverse().find((s): s is string => typeof s === 'string' && !GENERIC_BLOCKS.has(s)) ?? context.chartName ?? 'app';
  return dnsName(`${context.release ?? 'release'}-${block}`);
}

/** Sets `path` (a sibling or ancestor key of the finding) to `value`: replaces an existing value or inserts a line. */
function setKey(doc: ValuesDocument, finding: SecretFinding, path: readonly PathSegment[], value: string): TextEdit[] | undefined {
  const text = doc.text;
  const existing = doc.index.keyAt(path);
  if (existing) {
    if (existing.valueStart < existing.valueEnd) return [{ start: existing.valueStart, end: existing.valueEnd, newText: value + (text[existing.valueEnd - 1] === '\n' ? '\n' : '') }];
    return [{ start: existing.keyEnd + 1, end: existing.keyEnd + 1, newText: ` ${value}` }];
  }
  // Insert `key: value` before the line of the container's child that holds the finding, at its indentation.
  const depth = path.length - 1;
  const holder = doc.index.keyAt(finding.path.slice(0, depth + 1));
  if (!holder) return undefined;
  const ls = text.lastIndexOf('\n', holder.keyStart - 1) + 1;
  const before = text.slice(ls, holder.keyStart);
  if (before.trim() !== '') return undefined; // a flow map, or the first key of a `- ` list item
  const key = String(path[depth]);
  return [{ start: ls, end: ls, newText: `${before}${key}: ${value}\n` }];
}

function blankValue(doc: ValuesDocument, finding: SecretFinding): TextEdit {
  const { valueStart, valueEnd } = finding.entry;
  const keepNewline = doc.text[valueEnd - 1] === '\n' && valueEnd > valueStart;
  return { start: valueStart, end: valueEnd, newText: `""${keepNewline ? '\n' : ''}` };
}

// ---------------------------------------------------------------------------------------------------------------

export function secretKeyRefFix(doc: ValuesDocument, finding: SecretFinding, context: FixContext = {}): SecretFix | undefined {
  if (finding.partial) return undefined;
  const path = finding.path;
  if (path[path.length - 1] !== 'value' || typeof path[path.length - 2] !== 'number') return undefined;
  const item = doc.index.keyAt(path.slice(0, -1));
  const valueEntry = doc.index.keyAt(path);
  const nameEntry = doc.index.keyAt([...path.slice(0, -1), 'name']);
  if (!item || !valueEntry || !nameEntry) return undefined;
  const variable = doc.text.slice(nameEntry.valueStart, nameEntry.valueEnd).replace(/^["']|["']$/g, '');
  const key = kebab(variable);
  const list = path[path.length - 3];
  const name = dnsName(`${context.release ?? 'release'}-${typeof list === 'string' && !/^(?:env|extraEnv|extraEnvVars)$/.test(list) ? list : 'env'}`);
  const text = doc.text;
  const flow = text[item.valueStart] === '{';
  let newText: string;
  if (flow) newText = `valueFrom: {secretKeyRef: {name: ${name}, key: ${key}}}`;
  else {
    const col = valueEntry.keyStart - (text.lastIndexOf('\n', valueEntry.keyStart - 1) + 1);
    const unit = indentUnit(doc);
    const pad = (n: number) => ' '.repeat(col + n * unit);
    newText = `valueFrom:\n${pad(1)}secretKeyRef:\n${pad(2)}name: ${name}\n${pad(2)}key: ${key}`;
    if (text[valueEntry.valueEnd - 1] === '\n') newText += '\n';
  }
  return {
    kind: 'secret-key-ref',
    title: `Read ${variable} from Secret ${name} (valueFrom.secretKeyRef) instead of the plaintext value`,
    edits: [{ start: valueEntry.keyStart, end: valueEntry.valueEnd, newText }],
    command: `kubectl create secret generic ${name} --from-literal=${key}="$${envName(key)}"`,
  };
}

// ---------------------------------------------------------------------------------------------------------------

export function valsRefFix(doc: ValuesDocument, finding: SecretFinding): SecretFix | undefined {
  if (finding.partial) return undefined;
  const segs = finding.path.map(String);
  let leaf = segs[segs.length - 1] ?? 'value';
  let dir = segs.slice(0, -1);
  if (leaf === 'value') {
    const nameEntry = doc.index.keyAt([...finding.path.slice(0, -1), 'name']);
    if (nameEntry) leaf = doc.text.slice(nameEntry.valueStart, nameEntry.valueEnd).replace(/^["']|["']$/g, '');
    dir = dir.filter((s) => !/^\d+$/.test(s));
  }
  const ref = `ref+vault://secret/data/${dir.map((s) => s.replace(/[^\w.-]/g, '-')).join('/') || 'app'}#/${leaf.replace(/[^\w.-]/g, '-')}`;
  const { valueStart, valueEnd } = finding.entry;
  const keepNewline = doc.text[valueEnd - 1] === '\n';
  return {
    kind: 'vals-ref',
    title: 'Replace with a vals reference (ref+vault://…), resolved by helmfile/vals at deploy time',
    edits: [{ start: valueStart, end: valueEnd, newText: ref + (keepNewline ? '\n' : '') }],
  };
}

// ---------------------------------------------------------------------------------------------------------------

export function suppressFix(doc: ValuesDocument, finding: SecretFinding): SecretFix {
  const text = doc.text;
  // Inside a block scalar or a multi-line value a comment line would become content: put it above the key line.
  const multiLine = text.slice(finding.entry.valueStart, finding.entry.valueEnd).trimEnd().includes('\n');
  const at = multiLine || finding.offset < finding.entry.keyStart ? finding.entry.keyStart : finding.offset;
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  const indent = ' '.repeat(lineIndent(text, ls));
  return {
    kind: 'suppress',
    title: 'Ignore this secret finding (# helm-values: ignore secret)',
    edits: [{ start: ls, end: ls, newText: `${indent}# helm-values: ignore secret\n` }],
  };
}

/** The edit that adds the finding to the ignore file (`ignoreText` is its current text, '' when absent). */
export function ignoreFileFix(ignoreText: string, finding: SecretFinding, relativeFile: string, options: { pinValue?: boolean } = {}): TextEdit | undefined {
  return ignoreEntryEdit(ignoreText, {
    file: relativeFile.replace(/\\/g, '/'),
    rule: finding.code,
    keyPath: finding.fingerprintPath,
    ...(options.pinValue ? { valueHash: finding.valueHash } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------------

/** The file's indentation step: the most common positive difference between a key's column and its parent key's. */
function indentUnit(doc: ValuesDocument): number {
  const counts = new Map<number, number>();
  for (const e of doc.entries) {
    if (e.path.length < 2 || typeof e.path[e.path.length - 1] !== 'string' || typeof e.path[e.path.length - 2] !== 'string') continue;
    const parent = doc.index.keyAt(e.path.slice(0, -1), e.document);
    if (!parent || parent.line === e.line) continue;
    const d = e.column - parent.column;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
    if (counts.size > 0 && [...counts.values()].reduce((a, b) => a + b, 0) >= 50) break;
  }
  let best = 2;
  let n = 0;
  for (const [d, c] of counts) if (c > n) [best, n] = [d, c];
  return best;
}

function kebab(name: string): string {
  return splitWords(name).join('-') || 'value';
}

function envName(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function dnsName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'secret';
}

function isMap(v: Value | undefined): v is ValueMap {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
