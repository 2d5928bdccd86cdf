// The effective values of one environment as a YAML document, each key annotated with the layer it came from,
// and the full precedence chain of one key (the "Explain Key" command).
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode, Tags } from 'yaml';
import type { ChartAnalysis } from '../analysis';
import type { WorkingChart } from '../helm/dependencies';
import type { Effective, HelmMessage } from '../helm/effective';
import { explainPath, formatPath } from '../helm/explain';
import type { Provenance, Source } from '../helm/provenance';
import { memoKey } from '../memo';
import { isTable } from '../values/valueUtil';
import { formatRelease } from '../helm/versions';
import type { Value } from '../types';
import type { PathSegment } from '../yaml/valuesDocument';
import { cell, code, disabledSubchart, isSourceOf, keyAt, relativeToChart, shortValue, sourceLabel } from './hover';

export interface EffectiveView {
  text: string;
  error?: string;
}

/** Rendered views per snapshot: the analysis is immutable, so a view is computed once per (environment, annotate). */
const RENDERED = memoKey('features.effective-views', () => new Map<string, EffectiveView>());

/** Helm warnings listed in the header before "and N more". */
const MAX_WARNINGS = 10;

export function renderEffectiveValues(analysis: ChartAnalysis, environment: string, annotate: boolean): EffectiveView {
  const views = analysis.memo.get(RENDERED);
  const key = `${annotate ? 1 : 0}${environment}`;
  const hit = views.get(key);
  if (hit) return hit;
  const view = render(analysis, environment, annotate);
  views.set(key, view);
  return view;
}

function render(analysis: ChartAnalysis, environment: string, annotate: boolean): EffectiveView {
  const env = analysis.environments.find((e) => e.name === environment);
  if (!env) return { text: '', error: `no environment "${environment}"; known: ${analysis.environments.map((e) => e.name).join(', ')}` };
  const effective = analysis.environment(environment)?.effective;
  if (!effective) return { text: '', error: `the values of environment "${environment}" could not be computed` };
  if (effective.error) return { text: '', error: helmErrorText(analysis, effective.error) };
  const doc = new Document(null, { version: '1.1', customTags: withoutMergeTag });
  doc.contents = new Builder(effective.prov, annotate ? (s, via) => sourceLabel(analysis, s, via) : undefined).node(effective.values, undefined);
  doc.commentBefore = header(analysis, environment, effective)
    .map((l) => ` ${l}`)
    .join('\n');
  return { text: doc.toString({ lineWidth: 0 }) };
}

function helmErrorText(analysis: ChartAnalysis, e: HelmMessage): string {
  return e.source ? `${e.message} (${sourceLabel(analysis, e.source)})` : e.message;
}

/** Header lines: chart, environment, Helm version, the layers lowest first, missing files, Helm's warnings. */
function header(analysis: ChartAnalysis, environment: string, effective: Effective): string[] {
  const model = analysis.model;
  const env = analysis.environments.find((e) => e.name === environment);
  const layers: string[] = [];
  const walk = (c: WorkingChart) => {
    for (const d of c.dependencies) walk(d);
    const file = c.model.values?.file;
    if (file !== undefined) layers.push(`${c.model.name} defaults: ${relativeToChart(analysis, file)}${c.name !== c.model.name ? ` (as ${c.name})` : ''}`);
  };
  walk(effective.chart);
  const missing: string[] = [];
  if (env) {
    for (const v of env.values) {
      const r = analysis.input.resolveValues(v);
      if ('error' in r) missing.push(r.error);
      else layers.push(relativeToChart(analysis, r.file));
    }
    const flags: [string, readonly string[]][] = [
      ['--set-json', env.setJson],
      ['--set', env.set],
      ['--set-string', env.setString],
      ['--set-file', env.setFile],
      ['--set-literal', env.setLiteral],
    ];
    for (const [flag, args] of flags) for (const a of args) layers.push(`${flag} ${a}`);
  }
  const lines = [`Effective values of chart ${model.name}${model.version ? ` ${model.version}` : ''}, environment "${environment}" (Helm ${formatRelease(effective.helmVersion)})`, 'Layers, lowest precedence first:'];
  layers.forEach((l, i) => lines.push(`  ${i + 1}. ${l}`));
  for (const m of missing) lines.push(`Missing values file (left out): ${m}`);
  for (const m of effective.messages.slice(0, MAX_WARNINGS)) lines.push(m.message.toLowerCase().startsWith(`${m.severity}:`) ? `Helm ${m.severity}${m.message.slice(m.severity.length)}` : `Helm ${m.severity}: ${m.message}`);
  if (effective.messages.length > MAX_WARNINGS) lines.push(`… and ${effective.messages.length - MAX_WARNINGS} more Helm messages`);
  return lines.flatMap((l) => l.split(/\r?\n/));
}

/** Two sources are the same layer: the same file (and YAML document), or the same flag. */
function sameLayer(a: Source, b: Source): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.file === b.file && a.document === b.document;
  if (a.kind === 'flag' && b.kind === 'flag') return a.flag === b.flag && a.arg === b.arg;
  return false;
}

/**
 * A scalar node. The yaml library picks the quoting (YAML 1.1 rules, so `yes`, `0777` and `1_000` are quoted); a few
 * strings it would leave plain must be quoted for Helm to read them back: the merge key `<<` and line/paragraph
 * separators or control characters, which a double-quoted scalar escapes.
 */
function scalar(v: Value): Scalar {
  const node = new Scalar(v);
  if (typeof v === 'string' && (v === '<<' || /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(v))) node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

/** The YAML 1.1 schema without its merge-key tag, which would print a `<<` key plain (and so as a merge key). */
function withoutMergeTag(tags: Tags): Tags {
  return tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:merge');
}

/** Builds yaml nodes for values (map keys sorted, as Helm prints them), with source comments when `label` is set. */
class Builder {
  constructor(
    private readonly prov: Provenance,
    private readonly label: ((s: Source, via?: string) => string) | undefined,
  ) {}

  node(v: Value, parent: Source | undefined): YamlNode {
    if (Array.isArray(v)) {
      const seq = new YAMLSeq();
      if (v.length === 0) seq.flow = true;
      v.forEach((item, i) => {
        const slot = this.prov.get(v, i);
        const child = this.node(item, slot?.source ?? parent);
        // Items come with their list unless a --set index placed one: annotate only those.
        if (slot && !(parent && sameLayer(slot.source, parent))) this.annotate(child, undefined, slot.source, slot.via);
        seq.items.push(child);
      });
      return seq;
    }
    if (isTable(v)) {
      const map = new YAMLMap();
      const keys = Object.keys(v).sort();
      if (keys.length === 0) map.flow = true;
      for (const k of keys) {
        const slot = this.prov.get(v, k);
        const child = this.node(v[k] ?? null, slot?.source);
        const key = scalar(k);
        if (slot) this.annotate(child, key, slot.source, slot.via);
        map.items.push(new Pair(key, child));
      }
      return map;
    }
    return scalar(v);
  }

  /**
   * Scalars and empty collections take a trailing comment; a block collection takes it on its key's line, or (a list
   * item) on the line above it.
   */
  private annotate(child: YamlNode, key: Scalar | undefined, source: Source, via: string | undefined): void {
    if (!this.label) return;
    const text = ` ${this.label(source, via)}`;
    const block = (child instanceof YAMLMap || child instanceof YAMLSeq) && child.items.length > 0;
    if (!block) child.comment = text;
    else if (key) key.comment = text;
    else child.commentBefore = text;
  }
}

/** Markdown explaining the precedence chain of the key at an offset (the "Explain Key" command). */
export function explainAt(analysis: ChartAnalysis, file: string, offset: number): { path: string; markdown: string } | undefined {
  const target = keyAt(analysis, file, offset);
  if (!target) return undefined;
  const { doc, entry } = target;
  const isThis = (s: Source | undefined) => isSourceOf(s, doc, entry);
  const layer = (s: Source | undefined, via?: string) => `${cell(code(sourceLabel(analysis, s, via)))}${isThis(s) ? ' (this line)' : ''}`;
  const envs = analysis.environments.map((e) => e.name).sort();
  const sections: string[] = [];
  for (const path of target.paths) {
    // Environments with the same chain are shown once.
    const groups = new Map<string, string[]>();
    for (const env of envs) {
      const body = chainOf(analysis, env, path, layer);
      const names = groups.get(body);
      if (names) names.push(env);
      else groups.set(body, [env]);
    }
    const parts = [`## ${code(formatPath(path))}`, `Chart ${code(analysis.model.name)}, Helm ${formatRelease(analysis.input.helmVersion)}. Layers from the highest precedence down: the first row is what templates see.`];
    for (const [body, names] of groups) parts.push(`### ${names.join(', ')}`, body);
    sections.push(parts.join('\n\n'));
  }
  return { path: formatPath(target.paths[0] ?? []), markdown: sections.join('\n\n---\n\n') };
}

function chainOf(analysis: ChartAnalysis, env: string, path: PathSegment[], layer: (s: Source | undefined, via?: string) => string): string {
  const effective = analysis.environment(env)?.effective;
  if (!effective) return 'Not computed.';
  if (effective.error) return `Helm stops with an error: ${helmErrorText(analysis, effective.error)}`;
  const x = explainPath(effective, path);
  const rows: string[] = [];
  const value = (v: Value) => cell(code(shortValue(v)));
  if (x.found) rows.push(`| **wins** | ${layer(x.source, x.via)} | ${value(x.value ?? null)} |`);
  else if (x.removedBy) rows.push(`| **removes** | ${layer(x.removedBy)} | \`null\` (key deleted) |`);
  for (const c of x.shadowed) rows.push(`| shadowed | ${layer(c.source, c.via)} | ${value(c.value)} |`);
  if (rows.length === 0) {
    const disabled = disabledSubchart(effective, path);
    return disabled !== undefined ? `Not set: subchart ${code(disabled)} is disabled.` : 'Not set: no layer sets this key.';
  }
  return ['| | layer | value |', '|---|---|---|', ...rows].join('\n');
}
