// Key and value completion from the layers below (an overlay offers the chart's keys with their defaults) and from
// the charts' values.schema.json (properties with types and descriptions, allowed values, skeletons of required
// properties), one item per key: the layers give the default, the schema the type and the description.
// The text may be broken mid-typing, so where the cursor is (which map, which keys it already has) is read from the
// indentation of the surrounding lines, not from the parsed document.
import type { ChartAnalysis } from '../analysis';
import { hasOwn, isTable } from '../helm/valueUtil';
import { multiDocumentValues, type HelmRelease } from '../helm/versions';
import type { Value, ValueMap } from '../types';
import { resolvePlainScalar } from '../yaml/scalars';
import type { PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { chartLayers, layersBelow, preview } from './navigation';
import { mapOf, requiredOf, schemasAt, shapeOf, summaryOf, type SchemaPart, type SchemaProperty } from './schemaInfo';
import type { CompletionResult } from './types';

export function computeCompletion(analysis: ChartAnalysis, file: string, text: string, offset: number): CompletionResult[] {
  const role = analysis.roleOf(file);
  if (role.kind === 'unknown') return [];
  const at = cursorContext(text, offset);
  if (!at) return [];
  if (at.kind === 'value') return valueCompletions(analysis, file, at);
  return keyCompletions(analysis, file, at);
}

// ---------------------------------------------------------------------------------------------------------------
// Where the cursor is, from the text alone.

interface KeyContext {
  kind: 'key';
  /** Path of the map the key goes into. */
  parent: PathSegment[];
  /** Column of the key. */
  indent: number;
  /** Keys the map already has in the text (other than the one being typed). */
  present: Set<string>;
  replaceStart: number;
  replaceEnd: number;
  /** Something other than a comment follows the word on the line (`ta$0g: 1`): insert the bare key. */
  bare: boolean;
}

interface ValueContext {
  kind: 'value';
  /** Path of the key whose value is being typed. */
  path: PathSegment[];
  replaceStart: number;
  replaceEnd: number;
}

const WORD_CHAR = /[^\s:#"'{}[\],&*!|>%@`]/;
const KEY_LINE = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s"'#-][^#]*?|-[^\s#][^#]*?))[ \t]*:(?:[ \t]+(.*))?$/;

interface Line {
  start: number;
  indent: number;
  /** The line without its indentation and trailing `\r`. */
  content: string;
}

function lineAt(text: string, start: number): Line {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  let i = start;
  while (i < end && text.charCodeAt(i) === 32) i++;
  return { start, indent: i - start, content: text.slice(i, end) };
}

/** A key line: its key (unquoted) and what follows the colon. */
function keyOf(content: string): { key: string; rest: string } | undefined {
  const m = KEY_LINE.exec(content);
  if (!m) return undefined;
  const key = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2].replace(/''/g, "'") : (m[3] ?? '').trimEnd();
  return { key, rest: (m[4] ?? '').trim() };
}

/** A `- ...` line: the column of what follows the dash(es) and that content. */
function dashOf(line: Line): { col: number; content: string } | undefined {
  const m = /^-( +|$)/.exec(line.content);
  if (!m) return undefined;
  const skip = 1 + (m[1] ?? '').length;
  return { col: line.indent + skip, content: line.content.slice(skip) };
}

/** A value that opens a nested block map below the key (`key:`, `key: &anchor`, `key: # note`). */
function opensMap(rest: string): boolean {
  return /^(?:&\S+|!!map|!!omap)?\s*(?:#.*)?$/.test(rest);
}

function isSkippable(line: Line): boolean {
  return line.content === '' || line.content.startsWith('#');
}

function isDocumentMarker(line: Line): boolean {
  return line.indent === 0 && /^(---|\.\.\.)(\s|$)/.test(line.content);
}

function previousLineStart(text: string, lineStart: number): number {
  if (lineStart === 0) return -1;
  if (lineStart < 2) return 0;
  return text.lastIndexOf('\n', lineStart - 2) + 1;
}

function nextLineStart(text: string, lineStart: number): number {
  const i = text.indexOf('\n', lineStart);
  return i < 0 ? -1 : i + 1;
}

export function cursorContext(text: string, offset: number): KeyContext | ValueContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd).replace(/\r$/, '');
  let wordEnd = 0;
  while (wordEnd < after.length && WORD_CHAR.test(after.charAt(wordEnd))) wordEnd++;

  // `key: par$0`: a value.
  const valueMatch = /^( *)((?:- +)?)(.*?):( +)(\S*)$/.exec(before);
  if (valueMatch && !before.includes(' #')) {
    const k = keyOf(`${valueMatch[3] ?? ''}:`);
    const typed = valueMatch[5] ?? '';
    if (k && !/^["'[{|>&*!]/.test(typed)) {
      const indent = (valueMatch[1] ?? '').length + (valueMatch[2] ?? '').length;
      const here = mapAt(text, lineStart, indent, (valueMatch[2] ?? '') !== '', (valueMatch[1] ?? '').length);
      if (!here) return undefined;
      let end = 0;
      while (end < after.length && !/\s/.test(after.charAt(end))) end++;
      return { kind: 'value', path: [...here.path, k.key], replaceStart: offset - typed.length, replaceEnd: offset + end };
    }
  }

  // `  ta$0` or `  - ta$0`: a key.
  const keyMatch = /^( *)((?:- +)?)([^\s:#"'{}[\],&*!|>%@`]*)$/.exec(before);
  if (!keyMatch) return undefined;
  const dashIndent = (keyMatch[1] ?? '').length;
  const dashed = (keyMatch[2] ?? '') !== '';
  const indent = dashIndent + (keyMatch[2] ?? '').length;
  const word = keyMatch[3] ?? '';
  if (word.startsWith('-')) return undefined;
  const here = mapAt(text, lineStart, indent, dashed, dashIndent);
  if (!here) return undefined;
  const rest = after.slice(wordEnd).trim();
  return { kind: 'key', parent: here.path, indent, present: here.present, replaceStart: offset - word.length, replaceEnd: offset + wordEnd, bare: rest !== '' && !rest.startsWith('#') };
}

/**
 * The map whose keys sit at column `indent` around the line at `lineStart`: its path (from the indentation of
 * the lines above) and the keys it has (siblings above and below). `dashed`: the line itself starts a list item
 * (its dash at `dashIndent`). Undefined where no key can go (inside a block scalar, a flow collection, a list of
 * scalars).
 */
function mapAt(text: string, lineStart: number, indent: number, dashed: boolean, dashIndent: number): { path: PathSegment[]; present: Set<string> } | undefined {
  const present = new Set<string>();
  const reversed: PathSegment[] = [];
  // State: looking for the parent of a map at column `level`, or (item >= 0) counting list items at column `item`.
  let level = indent;
  let item = dashed ? dashIndent : -1;
  let index = 0;
  let collecting = true;

  for (let s = previousLineStart(text, lineStart); s >= 0; s = previousLineStart(text, s)) {
    if (level === 0 && item < 0 && !collecting) break; // at the top: nothing above matters
    const line = lineAt(text, s);
    if (isSkippable(line)) continue;
    if (isDocumentMarker(line)) break;
    const dash = dashOf(line);
    if (item >= 0) {
      // Inside a list item whose dash is at column `item`: count the items above, then find the list's key.
      if (line.indent > item) continue;
      if (dash && line.indent === item) {
        index++;
        continue;
      }
      reversed.push(index);
      collecting = false;
      if (dash) {
        // A list inside an outer list item: `- - x`, `-\n  - x` or `- key:\n    - x`.
        const k = dash.content === '' ? undefined : keyOf(dash.content);
        if (dash.content !== '' && !k) return undefined;
        if (k) {
          if (!opensMap(k.rest)) return undefined;
          reversed.push(k.key);
        }
        item = line.indent;
        index = 0;
        continue;
      }
      const k = keyOf(line.content);
      if (!k || !opensMap(k.rest)) return undefined;
      reversed.push(k.key);
      item = -1;
      level = line.indent;
      continue;
    }
    if (dash) {
      if (line.indent >= level) continue; // a compact list under a sibling key, or deeper content
      if (dash.col === level) {
        // The first key of the list item our map is in.
        const k = dash.content === '' ? undefined : keyOf(dash.content);
        if (!k) return undefined;
        if (collecting) present.add(k.key);
        item = line.indent;
        index = 0;
        continue;
      }
      if (dash.content === '') {
        // `-` alone, the map below it is the item.
        if (dash.col > level) return undefined;
        item = line.indent;
        index = 0;
        continue;
      }
      if (dash.col > level) return undefined;
      const k = keyOf(dash.content);
      if (!k || !opensMap(k.rest)) return undefined;
      reversed.push(k.key);
      collecting = false;
      item = line.indent;
      index = 0;
      continue;
    }
    if (line.indent > level) continue;
    const k = keyOf(line.content);
    if (line.indent === level) {
      if (k && collecting) present.add(k.key);
      continue;
    }
    if (!k || !opensMap(k.rest)) return undefined;
    reversed.push(k.key);
    collecting = false;
    level = line.indent;
  }
  if (item >= 0) return undefined; // the document is a list
  // Siblings below the cursor, until the map ends (or the next item of the list our map is in).
  for (let s = nextLineStart(text, lineStart); s >= 0; s = nextLineStart(text, s)) {
    const line = lineAt(text, s);
    if (isSkippable(line)) continue;
    if (isDocumentMarker(line)) break;
    if (line.indent < indent) break;
    if (line.indent > indent || dashOf(line)) continue;
    const k = keyOf(line.content);
    if (k) present.add(k.key);
  }
  return { path: reversed.reverse(), present };
}

// ---------------------------------------------------------------------------------------------------------------
// What the layers below offer.

interface Offer {
  key: string;
  value: Value;
  /** Where it is declared: `file:line (layer)`. */
  from: string;
  /** Not from a layer below: another values file of the chart (another environment's overlay, or above). */
  elsewhere?: boolean;
}

function valueAt(root: Value | undefined, path: readonly PathSegment[]): Value | undefined {
  let cur: Value | undefined = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isTable(cur) || !hasOwn(cur, seg)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** The documents Helm reads from a file, last (winning) first. */
function documentsOf(doc: ValuesDocument, helmVersion: HelmRelease): readonly ValueMap[] {
  const docs = multiDocumentValues(helmVersion) ? doc.documents : doc.documents.slice(0, 1);
  return [...docs].reverse();
}

/**
 * The keys of the map at the path in the layers below, nearest layer first (an earlier overlay's keys, then the
 * chart's in its own order, then keys only a subchart declares), each with the value and line of the nearest layer.
 */
function offersBelow(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): Offer[] {
  const helmVersion = analysis.input.helmVersion;
  const byKey = new Map<string, Offer>();
  for (const t of layersBelow(analysis, file, path, true)) {
    for (const root of documentsOf(t.doc, helmVersion)) {
      const map = valueAt(root, t.path);
      if (!isTable(map)) continue;
      for (const key of Object.keys(map)) {
        // A subchart's own `global` is set through the parent's `global`, not under its alias.
        if (byKey.has(key) || (key === 'global' && t.path.length === 0 && t.base > 0)) continue;
        const entry = t.doc.entryOf(map, key);
        byKey.set(key, { key, value: map[key] ?? null, from: `${t.doc.file}${entry ? `:${entry.line}` : ''} (${t.label})` });
      }
    }
  }
  // Subcharts placed right below the path: their name/alias is a key whose value is their whole defaults map.
  for (const sub of subchartsAt(analysis, file, path)) if (!byKey.has(sub.key)) byKey.set(sub.key, sub);
  return [...byKey.values()];
}

/**
 * The chart's other values files (every environment's overlays but this file) that hold a map at the path, with
 * the environments that read them. What they set is no default, but it is what the team writes at this place:
 * values.yaml offers keys its overlays set without declaring them, an overlay the keys a sibling environment sets.
 */
function otherLayers(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): { doc: ValuesDocument; path: PathSegment[]; value: Value; envs: string[] }[] {
  const targets = analysis.effectivePaths(file, path);
  const out: { doc: ValuesDocument; path: PathSegment[]; value: Value; envs: string[] }[] = [];
  const seen = new Map<ValuesDocument, string[]>();
  for (const env of analysis.environments) {
    for (const v of env.values) {
      const doc = analysis.input.resolveValues(v);
      if ('error' in doc || doc.file === file) continue;
      const names = seen.get(doc) ?? [];
      if (!names.includes(env.name)) names.push(env.name);
      seen.set(doc, names);
    }
  }
  for (const [doc, envs] of seen) {
    for (const root of documentsOf(doc, analysis.input.helmVersion)) {
      for (const t of targets) {
        const value = valueAt(root, t);
        if (value !== undefined) out.push({ doc, path: t, value, envs });
      }
    }
  }
  return out;
}

function offersElsewhere(analysis: ChartAnalysis, file: string, path: readonly PathSegment[], taken: ReadonlySet<string>): Offer[] {
  const byKey = new Map<string, Offer>();
  for (const l of otherLayers(analysis, file, path)) {
    if (!isTable(l.value)) continue;
    for (const key of Object.keys(l.value)) {
      if (taken.has(key) || byKey.has(key)) continue;
      const entry = l.doc.entryOf(l.value, key);
      byKey.set(key, { key, value: l.value[key] ?? null, from: setIn(l.doc, entry?.line, l.envs), elsewhere: true });
    }
  }
  return [...byKey.values()];
}

/** `set in values-prod.yaml:12 (prod, prod-eu)`. */
function setIn(doc: ValuesDocument, line: number | undefined, envs: readonly string[]): string {
  return `set in ${doc.file}${line !== undefined ? `:${line}` : ''} (${envs.join(', ')})`;
}

function subchartsAt(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): Offer[] {
  const role = analysis.roleOf(file);
  const bases: PathSegment[][] = role.kind === 'overlay' ? [[...path]] : role.kind === 'defaults' ? role.place.prefixes.map((p) => [...p, ...path]) : [];
  const out: Offer[] = [];
  for (const d of chartLayers(analysis).defaults) {
    for (const pre of d.place.prefixes) {
      for (const e of bases) {
        if (pre.length !== e.length + 1 || !e.every((s, i) => s === pre[i])) continue;
        const key = pre[pre.length - 1];
        if (typeof key !== 'string') continue;
        const value = d.doc.documents[0] ?? {};
        out.push({ key, value, from: `${d.doc.file} (subchart ${d.place.model.name})` });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Keys: the layers' keys and the schema's properties, one item per key.

interface KeyCandidate {
  key: string;
  offer?: Offer;
  prop?: SchemaProperty;
  deprecated: boolean;
}

function keyCompletions(analysis: ChartAnalysis, file: string, at: KeyContext): CompletionResult[] {
  const below = offersBelow(analysis, file, at.parent);
  const offers = [...below, ...offersElsewhere(analysis, file, at.parent, new Set(below.map((o) => o.key)))];
  const parts = schemasAt(analysis, file, at.parent);
  const map = parts.length > 0 ? mapOf(parts) : undefined;
  const props = new Map<string, SchemaProperty>();
  for (const p of map?.properties ?? []) props.set(p.name, p);
  const candidates: KeyCandidate[] = [];
  const offered = new Set<string>();
  for (const o of offers) {
    offered.add(o.key);
    const prop = props.get(o.key);
    // A closed map (`additionalProperties: false`): keys the schema does not declare would fail validation.
    if (map?.closed && !prop) continue;
    // Keys other files set that a schema does not declare are likely mistakes there: not offered.
    if (o.elsewhere && map && !prop) continue;
    candidates.push({ key: o.key, offer: o, ...(prop ? { prop } : {}), deprecated: prop ? summaryOf(prop.parts).deprecated : false });
  }
  for (const prop of props.values()) if (!offered.has(prop.name)) candidates.push({ key: prop.name, prop, deprecated: summaryOf(prop.parts).deprecated });
  // Deprecated properties last, each group in its order (the layers' keys, then the schema's).
  const ordered = [...candidates.filter((c) => !c.deprecated), ...candidates.filter((c) => c.deprecated)];
  const out: CompletionResult[] = [];
  ordered.forEach((c, i) => {
    if (at.present.has(c.key)) return;
    const key = escapeSnippet(yamlKey(c.key));
    out.push({
      label: c.key,
      kind: 'property',
      detail: keyDetail(c),
      documentation: keyDocumentation(c),
      insertText: at.bare ? key : key + valueSnippet(c.offer?.value, c.prop?.parts ?? [], at.indent),
      snippet: true,
      replaceStart: at.replaceStart,
      replaceEnd: at.replaceEnd,
      sortText: String(i).padStart(5, '0'),
      ...(c.deprecated ? { deprecated: true } : {}),
    });
  });
  return out;
}

/** `"nginx"` from the layers alone; with a schema `string = "nginx"`, `deprecated string`, `required object`. */
function keyDetail(c: KeyCandidate): string {
  if (!c.prop) return c.offer?.elsewhere ? `${preview(c.offer.value)} (elsewhere)` : preview(c.offer?.value);
  const summary = summaryOf(c.prop.parts);
  const shape = shapeOf(c.prop.parts);
  const type = summary.types.length > 0 ? summary.types.join(' | ') : shape !== 'other' ? shape : summary.enum ? enumText(summary.enum) : '';
  const value = c.offer ? preview(c.offer.value) : summary.default !== undefined ? preview(summary.default as Value) : '';
  const words = [c.deprecated ? 'deprecated' : '', c.prop.required && !c.offer ? 'required' : '', type].filter((w) => w !== '').join(' ');
  return words === '' ? value : value === '' ? words : `${words} = ${value}`;
}

function keyDocumentation(c: KeyCandidate): string {
  const from = c.offer?.from;
  if (!c.prop) return from ?? '';
  const summary = summaryOf(c.prop.parts);
  const owner = c.prop.parts[0];
  const lines = [
    summary.title !== undefined && summary.title !== summary.description ? `**${summary.title}**` : '',
    summary.description ?? '',
    summary.enum ? `Allowed: ${listOf(summary.enum)}` : '',
    from ?? (owner ? `${owner.file} (${owner.model.name} schema)` : ''),
  ];
  return lines.filter((l) => l !== '').join('\n\n');
}

/** Allowed values as a type: `"yes" | "no"`. */
function enumText(values: readonly unknown[]): string {
  const shown = values.slice(0, 4).map((v) => JSON.stringify(v) ?? 'null');
  return values.length > 4 ? `${shown.join(' | ')} | …` : shown.join(' | ');
}

/** Values as inline code, the first few. */
function listOf(values: readonly unknown[], max = 10): string {
  const shown = values.slice(0, max).map((v) => `\`${JSON.stringify(v) ?? 'null'}\``);
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

/** Deepest level of required properties a skeleton spells out. */
const SKELETON_DEPTH = 3;

/**
 * What follows the key in the inserted snippet: the layers' value when they have one (its default as the
 * placeholder), else what the schema describes (a skeleton of the required properties, a choice of allowed values).
 */
function valueSnippet(value: Value | undefined, parts: readonly SchemaPart[], indent: number): string {
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
function scalarText(v: unknown): string | undefined {
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
// Values: the layers' boolean default and its opposite; with a schema, allowed values, its default, examples.

function valueCompletions(analysis: ChartAnalysis, file: string, at: ValueContext): CompletionResult[] {
  const parent = at.path.slice(0, -1);
  const key = at.path[at.path.length - 1];
  if (typeof key !== 'string') return [];
  const offer = offersBelow(analysis, file, parent).find((o) => o.key === key);
  const parts = schemasAt(analysis, file, at.path);
  const summary = parts.length > 0 ? summaryOf(parts) : undefined;
  const items: { text: string; label: string; detail: string; documentation?: string }[] = [];
  const add = (v: unknown, detail: string, documentation?: string) => {
    const text = scalarText(v);
    if (text === undefined || items.some((i) => i.text === text)) return;
    items.push({ text, label: String(v), detail, ...(documentation !== undefined ? { documentation } : {}) });
  };
  const def = offer?.value;
  if (offer && (typeof def === 'boolean' || (summary && def !== null && typeof def !== 'object'))) add(def, 'default', offer.from);
  if (offer && typeof def === 'boolean') add(!def, `default: ${String(def)}`, offer.from);
  if (summary) {
    const doc = summary.description;
    if (summary.default !== undefined) add(summary.default, 'schema default', doc);
    for (const v of summary.enum ?? []) add(v, 'allowed', doc);
    for (const v of summary.examples) add(v, 'example', doc);
    if (summary.types.includes('boolean')) for (const b of [true, false]) add(b, 'boolean', doc);
  }
  // What this file holds there now: a boolean offers its opposite (Helm's true/false, not YAML 1.1's yes/no).
  const here = analysis.document(file);
  const current = here ? documentsOf(here, analysis.input.helmVersion).map((d) => valueAt(d, at.path)).find((v) => v !== undefined) : undefined;
  if (typeof current === 'boolean') add(!current, `boolean (now ${String(current)})`);
  // Scalars the chart's other values files set at this key (other environments' choices).
  for (const l of otherLayers(analysis, file, at.path)) {
    if (l.value === null || typeof l.value === 'object') continue;
    const entry = l.doc.entries.find((e) => e.path.length === l.path.length && e.path.every((s, i) => s === l.path[i]));
    add(l.value, setIn(l.doc, entry?.line, l.envs));
  }
  return items.map((item, i) => ({
    label: item.label,
    kind: 'value' as const,
    detail: item.detail,
    ...(item.documentation !== undefined ? { documentation: item.documentation } : {}),
    insertText: item.text,
    replaceStart: at.replaceStart,
    replaceEnd: at.replaceEnd,
    sortText: String(i).padStart(5, '0'),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Writing YAML.

/** A key as YAML text: plain when Helm reads it back as the same string, else double-quoted. */
function yamlKey(key: string): string {
  return plainSafe(key) ? key : JSON.stringify(key);
}

/** A scalar default as YAML text that Helm reads back as the same value. */
function yamlScalar(v: string | number | boolean | null): string {
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
function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, '\\$&');
}
