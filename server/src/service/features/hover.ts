// Hover on a key of any values file: effective value per environment, winning layer, shadowed layers, what the
// charts' schemas say about it, docs.
// Also the pieces the other precedence views share: which key an offset names (`keyAt`) and how a source and a
// value are shown (`sourceLabel`, `shortValue`, `code`).
import type { ChartAnalysis, FileRole } from '../analysis';
import type { Effective } from '../helm/effective';
import { explainPath, formatPath, manifestFlagText, type Explanation } from '../helm/explain';
import type { Candidate, Source } from '../helm/provenance';
import { getPath, isTable } from '../values/valueUtil';
import { multiDocumentValues } from '../helm/versions';
import type { Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { keyDocumentation, prepareKeyDocumentation } from '../yaml/keyDocs';
import { ownersSection } from './ownersHover';
import { formatKeyPath } from '../secrets/keyPath';
import { requiredOf, schemasAt, shapeOf, summaryOf, type SchemaPart } from './schemaInfo';
import type { FeatureOptions, HoverResult } from './types';
import { templateIndexOf } from '../templates/chartTemplates';
import type { TemplateUsage } from '../templates/templateIndex';

/** Environments listed one by one before "and N more". */
const MAX_LISTED = 12;
/** Overriding layers summarised below a cut table before "and N more". */
const MAX_WINNERS = 8;

export interface KeyTarget {
  doc: ValuesDocument;
  entry: KeyEntry;
  role: FileRole;
  /** Paths of the key in the effective values (several when a subchart is used under several aliases). */
  paths: PathSegment[][];
}

/**
 * The key (or list item) at an offset of a values file of the chart: on its key, or on its value when the value is a
 * scalar or a flow collection. Undefined between keys (indentation, comments inside a block map).
 */
export function keyAt(analysis: ChartAnalysis, file: string, offset: number): KeyTarget | undefined {
  const doc = analysis.document(file, offset);
  if (!doc) return undefined;
  const entry = doc.index.entryAt(offset);
  if (!entry) return undefined;
  const onKey = entry.keyEnd > entry.keyStart && offset >= entry.keyStart && offset <= entry.keyEnd;
  if (!onKey) {
    const v = getPath(doc.documents[entry.document] ?? {}, entry.path);
    const nonEmpty = Array.isArray(v) ? v.length > 0 : isTable(v) && Object.keys(v).length > 0;
    const flow = /^[[{]/.test(doc.text.slice(entry.valueStart, entry.valueStart + 1));
    if (nonEmpty && !flow) return undefined;
  }
  const paths = analysis.effectivePaths(file, entry.path);
  if (paths.length === 0) return undefined;
  return { doc, entry, role: analysis.roleOf(file), paths };
}

/** A file's path relative to the chart directory (as the user sees it in the tree). */
export function relativeToChart(analysis: ChartAnalysis, file: string): string {
  const dir = analysis.model.dir.replace(/[\\/]+$/, '');
  if (file.startsWith(dir + '/') || file.startsWith(dir + '\\')) return file.slice(dir.length + 1);
  return file;
}

/** A file outside the chart (a GitOps manifest) as the user finds it: relative to the workspace when known. */
function placeOf(analysis: ChartAnalysis, file: string): string {
  const rel = relativeToChart(analysis, file);
  return rel !== file ? rel : (analysis.input.relativePath?.(file) ?? file);
}

/**
 * Where a value came from, in one line: `values-prod.yaml:12`, `--set image.tag=2`,
 * `redis defaults: charts/redis/values.yaml:40`, `global from values.yaml:3`.
 */
export function sourceLabel(analysis: ChartAnalysis, s: Source | undefined, via?: string): string {
  if (!s) return '(unknown)';
  let text: string;
  if (s.kind === 'file') {
    const at = `${s.origin !== undefined ? placeOf(analysis, s.file) : relativeToChart(analysis, s.file)}:${s.line}${s.document !== undefined ? ` (document ${s.document + 1})` : ''}`;
    text = s.origin !== undefined ? `${s.origin} (${at})` : s.chart !== undefined && s.file !== analysis.model.values?.file ? `${s.chart} defaults: ${at}` : at;
  } else if (s.kind === 'flag') text = s.at ? manifestFlagText(s, `${placeOf(analysis, s.at.file)}:${s.at.line}`) : `${s.flag} ${s.arg}`;
  else text = `(${s.reason})`;
  if (via === 'global') return `global from ${text}`;
  if (via === 'import') return `imported from ${text}`;
  return via ? `${via} from ${text}` : text;
}

/** A value in a few characters: scalars as JSON, maps as `{…N keys}`, lists inline when short. */
export function shortValue(v: Value): string {
  if (isTable(v)) {
    const n = Object.keys(v).length;
    return n === 0 ? '{}' : `{…${n} ${n === 1 ? 'key' : 'keys'}}`;
  }
  const json = JSON.stringify(v) ?? 'null';
  if (Array.isArray(v) && json.length > 40) return `[…${v.length} ${v.length === 1 ? 'item' : 'items'}]`;
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

/** Markdown inline code, safe for any content. */
export function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 || s.startsWith(' ') || s.endsWith(' ') ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}

/** A table cell: pipes escaped (also needed inside code spans), no line breaks. */
export function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Whether a source is this very key of this file (same line, column and YAML document). */
export function isSourceOf(s: Source | undefined, doc: ValuesDocument, entry: KeyEntry): boolean {
  return s !== undefined && s.kind === 'file' && s.file === doc.file && s.line === entry.line && s.column === entry.column && (s.document ?? 0) === entry.document;
}

export function isChartDefault(s: Source): boolean {
  return s.kind === 'file' && s.chart !== undefined;
}

function sameSourceKey(s: Source): string {
  if (s.kind === 'file') return `f\u0000${s.file}\u0000${s.line}\u0000${s.column}\u0000${s.document ?? 0}`;
  if (s.kind === 'flag') return `s\u0000${s.flag}\u0000${s.arg}`;
  return `h\u0000${s.reason}`;
}

/** Whether a subchart along `path` is disabled (by condition or tags) in this environment. */
export function disabledSubchart(effective: Effective, path: readonly PathSegment[]): string | undefined {
  let chart = effective.chart;
  for (const seg of path) {
    const next = chart.dependencies.find((d) => d.name === seg);
    if (next) {
      chart = next;
      continue;
    }
    const declared = chart.model.subcharts.some((s) => s.name === seg) || (chart.model.dependencies ?? []).some((d) => (d.alias ?? d.name) === seg);
    return declared ? String(seg) : undefined;
  }
  return undefined;
}

interface Row {
  env: string;
  x?: Explanation;
  /** Helm stops with an error in this environment. */
  error?: string;
  value: string;
  from: string;
  /** The winner (or the null that removes the key) is the hovered key itself. */
  thisLine: boolean;
}

function rowOf(analysis: ChartAnalysis, env: string, path: PathSegment[], isThis: (s: Source | undefined) => boolean): Row {
  const effective = analysis.environment(env)?.effective;
  if (!effective) return { env, value: 'unknown', from: '—', thisLine: false };
  if (effective.error) return { env, error: effective.error.message, value: 'Helm error', from: effective.error.message, thisLine: false };
  const x = explainPath(effective, path);
  if (x.found) return { env, x, value: code(shortValue(analysis.redact(x.value ?? null))), from: x.source ? code(sourceLabel(analysis, x.source, x.via)) : '—', thisLine: isThis(x.source) };
  if (x.removedBy) return { env, x, value: 'removed (`null`)', from: code(sourceLabel(analysis, x.removedBy)), thisLine: isThis(x.removedBy) };
  const disabled = disabledSubchart(effective, path);
  return { env, x, value: 'not set', from: disabled !== undefined ? `subchart ${code(disabled)} disabled` : '—', thisLine: false };
}

function envPhrase(names: readonly string[], total: number): string {
  if (names.length === 1) return `in **${names[0] ?? ''}**`;
  if (names.length === total) return `in all ${total} environments`;
  if (names.length <= 3) return `in ${names.map((n) => `**${n}**`).join(', ')}`;
  return `in ${names.length} environments`;
}

function envList(names: readonly string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

function roleText(analysis: ChartAnalysis, role: FileRole, allEnvs: number): string {
  if (role.kind === 'defaults') {
    return role.place.model === analysis.model ? 'chart default' : `default of subchart ${code(role.place.model.name)}`;
  }
  if (role.kind === 'overlay') return `override ${envPhrase([...role.environments].sort(), allEnvs)}`;
  return 'values file';
}

/**
 * One markdown block for one effective path: of the key of a values file (`target`), or read by a template (`heading`
 * names the reference; the chart default is shown as an overlay's would be).
 */
export function blockFor(analysis: ChartAnalysis, target: KeyTarget | { heading: string }, path: PathSegment[], envs: readonly string[], options: FeatureOptions): string {
  const key = 'entry' in target ? target : undefined;
  const role: FileRole = key ? key.role : { kind: 'overlay', environments: [...envs] };
  const isThis = (s: Source | undefined) => key !== undefined && isSourceOf(s, key.doc, key.entry);
  const allEnvs = analysis.environments.length;
  const out: string[] = [`**${code(formatPath(path))}** — ${key ? roleText(analysis, role, allEnvs) : (target as { heading: string }).heading}`];
  const rows = envs.map((env) => rowOf(analysis, env, path, isThis));
  const label = (c: Candidate) => `${code(shortValue(analysis.redact(c.value)))} from ${code(sourceLabel(analysis, c.source, c.via))}${isThis(c.source) ? ' (this line)' : c.source.kind === 'file' && c.source.file === analysis.model.values?.file ? ' (chart default)' : ''}`;

  const uniform = rows.every((r) => r.value === rows[0]?.value && r.from === rows[0]?.from);
  const first = rows[0];
  if (first && uniform) {
    const where = envPhrase(rows.map((r) => r.env), allEnvs);
    if (first.error !== undefined) out.push(`Helm stops with an error ${where}: ${first.error}`);
    else if (first.x?.found) {
      const shadowed = first.x.shadowed;
      const wins = first.thisLine ? (shadowed.length > 0 ? ' — **this line wins**' : role.kind === 'defaults' ? ', not overridden' : '') : '';
      out.push(`${first.value} ${where}, from ${first.from}${wins}`);
      if (shadowed.length > 0) {
        const merged = isTable(first.x.value) && shadowed.every((c) => isTable(c.value));
        out.push(`${merged ? 'Merged with' : 'Shadows'}:\n${shadowed.map((c) => `- ${label(c)}`).join('\n')}`);
      }
    } else if (first.x?.removedBy) {
      out.push(`Removed ${where} by \`null\` at ${first.from}${first.thisLine ? ' (this line)' : ''}`);
      if (first.x.shadowed.length > 0) out.push(`Drops:\n${first.x.shadowed.map((c) => `- ${label(c)}`).join('\n')}`);
    } else out.push(`Not set ${where}${first.from !== '—' ? `: ${first.from}` : ''}`);
  } else {
    const table = ['| env | value | from |', '|---|---|---|'];
    for (const r of rows.slice(0, MAX_LISTED)) table.push(`| ${cell(r.env)} | ${cell(r.value)} | ${cell(r.from)}${r.thisLine ? ' (this line)' : ''} |`);
    if (rows.length > MAX_LISTED) table.push(`| … | and ${rows.length - MAX_LISTED} more | |`);
    out.push(table.join('\n'));
  }

  // Which other layers override this key, over every environment (when the table is cut short).
  const winners = new Map<string, { text: string; envs: string[] }>();
  const defaults = new Map<string, Candidate>();
  for (const r of rows) {
    const x = r.x;
    if (!x) continue;
    const inChain = isThis(x.source) || isThis(x.removedBy) || x.shadowed.some((c) => isThis(c.source));
    const top = x.found ? x.source : x.removedBy;
    if (inChain && top && !r.thisLine) {
      const k = sameSourceKey(top);
      const w = winners.get(k) ?? { text: code(sourceLabel(analysis, top, x.found ? x.via : undefined)), envs: [] };
      w.envs.push(r.env);
      winners.set(k, w);
    }
    // The chart default is the highest chart-default layer: the winner itself where a chart default wins (a parent's
    // default over a subchart's, as a parent's global over the subchart's own), else the first one it shadows.
    const wins: Candidate[] = x.found && x.source ? [{ source: x.source, value: x.value ?? null, ...(x.via !== undefined ? { via: x.via } : {}) }] : [];
    const d = [...wins, ...x.shadowed].find((c) => isChartDefault(c.source));
    if (d && !defaults.has(sameSourceKey(d.source))) defaults.set(sameSourceKey(d.source), d);
  }
  if (!uniform) {
    if (winners.size > 0 && rows.length > MAX_LISTED) {
      const verb = key && isTable(getPath(key.doc.documents[key.entry.document] ?? {}, key.entry.path)) ? 'Merged with' : 'Overridden by';
      const list = [...winners.values()].map((w) => `- ${w.text} (${envList(w.envs)})`);
      const more = list.length > MAX_WINNERS ? [`- … and ${list.length - MAX_WINNERS} more`] : [];
      out.push(`${verb}:\n${[...list.slice(0, MAX_WINNERS), ...more].join('\n')}`);
    }
    const d = role.kind === 'overlay' ? [...defaults.values()][0] : undefined;
    if (d) out.push(`Chart default: ${code(shortValue(analysis.redact(d.value)))} from ${code(sourceLabel(analysis, d.source, d.via))}`);
  }
  if (key && role.kind === 'overlay' && defaults.size === 0 && rows.some((r) => r.x?.found)) out.push('Not in the chart defaults.');

  const active = options.activeEnvironment;
  if (key && active !== undefined && role.kind === 'overlay' && !role.environments.includes(active) && analysis.environments.some((e) => e.name === active)) {
    out.push(`${code(relativeToChart(analysis, key.doc.file))} is not a layer of **${active}** (it is used by ${envList([...role.environments].sort())}).`);
  }
  const drift = options.live?.changes.get(formatKeyPath(path));
  if (options.live && drift) out.push(`live: ${drift.kind === 'declared-only' ? 'not set' : code(shortValue((drift.live ?? null) as Value))} (${drift.kind}; release ${code(options.live.release)}, environment **${options.live.environment}**)`);
  if (key && !multiDocumentValues(analysis.input.helmVersion) && key.entry.document > 0) out.push(`Helm ${analysis.input.helmVersion.major} reads only the first YAML document of a values file: this key is ignored.`);
  return out.join('\n\n');
}

/** The values.yaml documentation of an effective path: from the chart that owns the key, else from the parents. */
export function documentationOf(analysis: ChartAnalysis, path: readonly PathSegment[]): string | undefined {
  const owners: { doc: ValuesDocument; rest: PathSegment[]; depth: number }[] = [];
  for (const place of analysis.places()) {
    const values = place.model.values;
    if (!values) continue;
    for (const prefix of place.prefixes) {
      if (prefix.length <= path.length && prefix.every((s, i) => s === path[i])) owners.push({ doc: values, rest: path.slice(prefix.length), depth: prefix.length });
    }
  }
  owners.sort((a, b) => b.depth - a.depth);
  for (const o of owners) {
    if (o.rest.length === 0) continue;
    const d = keyDocumentation(o.doc, o.rest);
    if (d !== undefined) return d;
  }
  return undefined;
}

/**
 * Builds ahead what the first hover on a new analysis builds (measured on kube-prometheus-stack: 2 ms of the first
 * hover after an edit, 0.25 ms for the next): the path index of each given file's documents and the comment index
 * of the chart's values.yaml files, which an edit of that file replaced. The language server calls it once the
 * diagnostics of an edit are published, while the user reads them.
 */
export function prepareHover(analysis: ChartAnalysis, files: readonly string[]): void {
  for (const file of files) {
    analysis.document(file)?.index.entriesAt([]);
    for (const doc of analysis.inlineDocuments(file)) doc.index.entriesAt([]);
  }
  for (const place of analysis.places()) {
    if (!place.model.values) continue;
    place.model.values.index.entriesAt([]);
    prepareKeyDocumentation(place.model.values);
  }
}

export function computeHover(analysis: ChartAnalysis, file: string, offset: number, options: FeatureOptions): HoverResult | undefined {
  const target = keyAt(analysis, file, offset);
  if (!target) return undefined;
  const { entry, role, paths } = target;
  const known = analysis.environments.map((e) => e.name);
  const active = options.activeEnvironment !== undefined && known.includes(options.activeEnvironment) ? options.activeEnvironment : undefined;
  const envs = active !== undefined ? [active] : [...(role.kind === 'overlay' ? role.environments : known)].sort();
  const blocks = paths.map((p) => blockFor(analysis, target, p, envs, options));
  const docs = documentationOf(analysis, paths[0] ?? []);
  const schema = schemaSection(schemasAt(analysis, file, entry.path), docs);
  const owners = ownersSection(analysis, paths[0] ?? [], envs);
  const templates = templatesSection(analysis, paths);
  const markdown = [...blocks, ...(templates !== undefined ? [templates] : []), ...(owners !== undefined ? [owners] : []), ...(schema !== undefined ? [schema] : []), ...(docs !== undefined ? [docs] : [])].join('\n\n---\n\n');
  const [start, end] = hoverRange(target.doc, entry);
  return { markdown, start, end };
}

/** Values listed in the schema section before "and N more". */
const MAX_ALLOWED = 10;
const MAX_EXAMPLES = 3;

/** Template locations a hover names before "and N more". */
const MAX_TEMPLATES = 5;

/**
 * Which templates read the key (charts with templates only): `templates/deployment.yaml:34` (a reference inside a
 * define is shown at the call that reaches it, with the define's line), and N more; or that nothing reads it.
 */
export function templatesSection(analysis: ChartAnalysis, paths: readonly PathSegment[][]): string | undefined {
  const index = templateIndexOf(analysis);
  if (!index.hasTemplates) return undefined;
  const usages = new Set<TemplateUsage>();
  for (const p of paths) for (const u of index.usagesOf(p)) usages.add(u);
  const labels: string[] = [];
  for (const u of usages) {
    const at = u.via ? `${relativeToChart(analysis, u.via.file)}:${u.via.line}` : `${relativeToChart(analysis, u.file)}:${u.line}`;
    const how = u.kind === 'subtree' ? ' (whole subtree)' : u.kind === 'dynamic' ? ' (read dynamically)' : '';
    const label = `${code(at)}${u.via ? ` via ${code(`${relativeToChart(analysis, u.file)}:${u.line}`)}` : ''}${how}`;
    if (!labels.includes(label)) labels.push(label);
  }
  if (labels.length > 0) {
    const more = labels.length - MAX_TEMPLATES;
    return `Read by ${labels.slice(0, MAX_TEMPLATES).join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
  }
  if (paths.some((p) => index.isUsed(p))) return 'Templates read keys below this one.';
  return '**Unused**: no template of the chart reads this key.';
}

function codeList(values: readonly unknown[], max: number): string {
  const shown = values.slice(0, max).map((v) => code(shortValue((v ?? null) as Value)));
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim() === b.replace(/\s+/g, ' ').trim();
}

/**
 * What the charts' schemas say about the key, compactly: type, title, deprecation; the description (unless the
 * values.yaml comment says the same); allowed values, default, examples, required properties.
 */
export function schemaSection(parts: readonly SchemaPart[], docs: string | undefined): string | undefined {
  if (parts.length === 0) return undefined;
  const s = summaryOf(parts);
  const required = shapeOf(parts) === 'object' ? requiredOf(parts).map((p) => p.name) : [];
  const head = ['**Schema**'];
  if (s.types.length > 0) head.push(code(s.types.join(' | ')));
  if (s.title !== undefined) head.push(`— ${s.title}`);
  if (s.deprecated) head.push('· **deprecated**');
  const facts: string[] = [];
  if (s.enum) facts.push(s.enum.length === 1 ? `must be ${codeList(s.enum, 1)}` : `allowed: ${codeList(s.enum, MAX_ALLOWED)}`);
  if (s.default !== undefined) facts.push(`default ${codeList([s.default], 1)}`);
  if (s.examples.length > 0) facts.push(`${s.examples.length === 1 ? 'example' : 'examples'} ${codeList(s.examples, MAX_EXAMPLES)}`);
  if (required.length > 0) facts.push(`requires ${required.map(code).join(', ')}`);
  const description = s.description !== undefined && s.description.trim() !== '' && !(docs !== undefined && sameText(docs, s.description)) ? s.description.trim() : undefined;
  if (head.length === 1 && facts.length === 0 && description === undefined) return undefined;
  const factLine = facts.join(' · ');
  return [head.join(' '), ...(description !== undefined ? [description] : []), ...(factLine !== '' ? [factLine.charAt(0).toUpperCase() + factLine.slice(1)] : [])].join('\n\n');
}

/** The key's span; for a list item (no key), the first line of the item. */
function hoverRange(doc: ValuesDocument, e: KeyEntry): [number, number] {
  if (e.keyEnd > e.keyStart) return [e.keyStart, e.keyEnd];
  const nl = doc.text.indexOf('\n', e.valueStart);
  return [e.valueStart, nl < 0 ? e.valueEnd : Math.min(e.valueEnd, nl)];
}
