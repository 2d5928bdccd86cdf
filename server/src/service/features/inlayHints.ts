// Precedence inline: inlay hints and code lenses on overridden keys and on overrides.
//   values.yaml    image:
//                    tag: "1.0"  ⟵ prod: "2.0" (values-prod.yaml:3), staging: 3 (--set)
//   values-prod    image:
//                    tag: "2.0"  replaces "1.0" (values.yaml:2)
// Only leaves and lists carry hints (maps merge key by key), except where a map and a non-map replace each other.
// A key no template reads (charts with templates) gets `unused`, the highest key of each unused subtree only.
// Each file's keys are read once per analysis (every environment's chain for every key); a request then renders
// the keys in its range.
import type { ChartAnalysis } from '../analysis';
import { entryValue, insideList, isEntrySource, keySlot, layerLabel, showValue } from '../check/review';
import { formatPath } from '../helm/explain';
import type { Candidate, Source } from '../helm/provenance';
import { getPath, isTable } from '../values/valueUtil';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import type { Value } from '../types';
import type { CodeLensResult, FeatureOptions, FileSpan, InlayHintResult } from './types';
import { memoKey } from '../memo';
import { templateIndexOf } from '../templates/chartTemplates';
import { unusedEntriesOf } from '../check/templateFindings';

/** The hint on a key no template of the chart reads (and on nothing below it). */
const UNUSED_LABEL = 'unused';
const UNUSED_TOOLTIP = 'No template of the chart reads this key (nor anything below it): it has no effect on what Helm renders.';

/** How many environments a hint names before `+N`. */
const MAX_ENVIRONMENTS = 3;

/** One environment's view of one key: the layer that beats it, and the layer it beats. */
interface Hit {
  environment: string;
  /** The environment's name, with the subchart alias when the file's keys appear under several. */
  label: string;
  /** The winning layer, with the key's effective value. */
  winner?: Candidate;
  replaced?: Candidate;
}

/** An environment (and alias) in which the key is one of the layers. */
interface Found {
  environment: string;
  label: string;
}

interface KeyHints {
  entry: KeyEntry;
  /** Where the hint goes: the end of the key's line. */
  offset: number;
  /** Every environment whose layers include this key. */
  found: Found[];
  /** The environments in which the key is overridden or overrides something. */
  hits: Hit[];
}

interface FileIndex {
  /** The environments whose layers include the file. */
  environments: string[];
  /** Keys no template of the chart reads (the highest of each unused subtree); empty for charts without templates. */
  unused: { entry: KeyEntry; offset: number }[];
  /** Keys overridden or overriding in some environment, in offset order. */
  keys: KeyHints[];
  /** Rendered hints per set of shown environments. */
  hints: Map<string, InlayHintResult[]>;
}

/** Each file's index, per snapshot. */
const FILE_INDEXES = memoKey('features.inlay-hint-indexes', () => new Map<string, FileIndex>());

function fileIndex(analysis: ChartAnalysis, file: string): FileIndex {
  const perFile = analysis.memo.get(FILE_INDEXES);
  let index = perFile.get(file);
  if (!index) {
    index = buildIndex(analysis, file);
    perFile.set(file, index);
  }
  return index;
}

function buildIndex(analysis: ChartAnalysis, file: string): FileIndex {
  // A GitOps manifest holds one values document per block of inline values; any other file, one document.
  const inline = analysis.inlineDocuments(file);
  const single = inline.length > 0 ? undefined : analysis.document(file);
  const docs = single ? [single] : inline;
  const role = analysis.roleOf(file);
  const environments = analysis.environmentsOf(file);
  const prefixes: PathSegment[][] = role.kind === 'defaults' ? role.place.prefixes : role.kind === 'overlay' ? [[]] : [];
  if (docs.length === 0) return { environments, keys: [], unused: [], hints: new Map() };
  const templates = templateIndexOf(analysis);
  const unused = single && prefixes.length > 0 && templates.hasTemplates ? unusedEntriesOf(analysis.model, templates, single, prefixes as string[][]).map((entry) => ({ entry, offset: hintOffset(single, entry) })) : [];
  // One lookup per (environment, prefix), made once: the loop below runs for every key of the file.
  const lookups = environments.flatMap((name) => {
    const eff = analysis.environment(name)?.effective;
    if (!eff) return [];
    return prefixes.map((prefix) => ({ eff, prefix, found: { environment: name, label: prefixes.length > 1 ? `${name} (${formatPath(prefix)})` : name } }));
  });
  const keys: KeyHints[] = [];
  const found: Found[] = [];
  for (const [doc, entry] of docs.flatMap((d) => d.entries.map((e) => [d, e] as const))) {
    if (insideList(entry.path)) continue;
    found.length = 0;
    let hits: Hit[] | undefined;
    let own: { map: boolean } | undefined;
    for (const { eff, prefix, found: here } of lookups) {
      const path = prefix.length === 0 ? entry.path : [...prefix, ...entry.path];
      const slot = keySlot(eff, path);
      if (!slot) continue;
      const mine = !slot.via && isEntrySource(slot.source, doc.file, entry);
      const i = mine ? -1 : slot.shadowed.findIndex((c) => !c.via && isEntrySource(c.source, doc.file, entry));
      if (!mine && i < 0) continue;
      found.push(here);
      const winner: Candidate | undefined = mine ? undefined : { source: slot.source, value: getPath(eff.values, path) ?? null };
      let replaced: Candidate | undefined;
      for (let j = i + 1; j < slot.shadowed.length && !replaced; j++) {
        const c = slot.shadowed[j];
        if (c && c.source.kind !== 'helm' && !c.via) replaced = c;
      }
      if (!winner && !replaced) continue;
      // Maps merge key by key: a map key only shows where a non-map replaces it, or it replaces a non-map.
      own ??= { map: isTable(entryValue(doc, entry)) };
      const hit: Hit = { ...here };
      if (winner && !(own.map && isTable(winner.value))) hit.winner = winner;
      if (replaced && !(own.map && isTable(replaced.value))) hit.replaced = replaced;
      if (hit.winner || hit.replaced) (hits ??= []).push(hit);
    }
    if (hits) keys.push({ entry, offset: hintOffset(doc, entry), found: [...found], hits });
  }
  keys.sort((a, b) => a.offset - b.offset);
  return { environments, keys, unused, hints: new Map() };
}

/** The end of the key's line: after the value when it ends there, else after the key's colon (block values). */
function hintOffset(doc: ValuesDocument, e: KeyEntry): number {
  const text = doc.text;
  const valueLine = doc.position(e.valueEnd).line;
  if (e.valueEnd > e.valueStart && valueLine === e.line) return e.valueEnd;
  if (e.valueEnd <= e.valueStart || doc.position(e.valueStart).line !== e.line) {
    const colon = text.indexOf(':', e.keyEnd);
    const eol = lineEnd(text, e.keyEnd);
    return colon >= 0 && colon < eol ? colon + 1 : e.keyEnd;
  }
  let end = lineEnd(text, e.valueStart);
  while (end > e.valueStart && /\s/.test(text[end - 1] ?? '')) end--;
  return end;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** The environments a request shows: the active one when the file takes part in it, else every one of the file. */
function shownEnvironments(index: FileIndex, options: FeatureOptions): string[] {
  const active = options.activeEnvironment;
  return active !== undefined && index.environments.includes(active) ? [active] : index.environments;
}

function shownHits(k: KeyHints, shown: readonly string[]): { hits: Hit[]; total: number } {
  return { hits: k.hits.filter((h) => shown.includes(h.environment)), total: k.found.filter((f) => shown.includes(f.environment)).length };
}

function candidateKey(c: Candidate): string {
  return `${sourceKey(c.source)}\u0000${JSON.stringify(c.value)}`;
}

function sourceKey(s: Source): string {
  return s.kind === 'file' ? `${s.file}:${s.line}:${s.column}:${s.document ?? 0}` : s.kind === 'flag' ? `${s.flag} ${s.arg}` : s.reason;
}

/**
 * `value (layer)` when the key has the same candidate in all `total` environments that include it, else
 * `env: value (layer)` per environment, at most MAX_ENVIRONMENTS of them, then `+N`.
 */
function describe(hits: readonly Hit[], total: number, pick: (h: Hit) => Candidate | undefined, dir: string, clean: (v: Value) => Value): string | undefined {
  const withCandidate = hits.flatMap((h) => {
    const c = pick(h);
    return c ? [{ h, c }] : [];
  });
  const first = withCandidate[0];
  if (!first) return undefined;
  const one = (c: Candidate) => `${showValue(clean(c.value))} (${layerLabel(c.source, dir)})`;
  if (withCandidate.length === total && withCandidate.every((x) => candidateKey(x.c) === candidateKey(first.c))) return one(first.c);
  const parts = withCandidate.slice(0, MAX_ENVIRONMENTS).map((x) => `${x.h.label}: ${one(x.c)}`);
  const more = withCandidate.length - MAX_ENVIRONMENTS;
  return parts.join(', ') + (more > 0 ? `, +${more}` : '');
}

function tooltip(hits: readonly Hit[], dir: string, clean: (v: Value) => Value): string {
  const lines: string[] = [];
  for (const h of hits) {
    if (h.winner) lines.push(`**${h.label}**: overridden by \`${showValue(clean(h.winner.value), 200)}\` from \`${layerLabel(h.winner.source, dir)}\``);
    if (h.replaced) lines.push(`**${h.label}**: replaces \`${showValue(clean(h.replaced.value), 200)}\` from \`${layerLabel(h.replaced.source, dir)}\``);
  }
  return lines.join('\n\n');
}

function renderHints(index: FileIndex, shown: readonly string[], dir: string, clean: (v: Value) => Value): InlayHintResult[] {
  const out: InlayHintResult[] = [];
  for (const k of index.keys) {
    const { hits, total } = shownHits(k, shown);
    const over = describe(hits, total, (h) => h.winner, dir, clean);
    const replaces = describe(hits, total, (h) => h.replaced, dir, clean);
    if (!over && !replaces) continue;
    const label = [over ? `⟵ ${over}` : undefined, replaces ? `replaces ${replaces}` : undefined].filter((x) => x !== undefined).join(' · ');
    out.push({ offset: k.offset, label, tooltip: tooltip(hits, dir, clean) });
  }
  for (const u of index.unused) out.push({ offset: u.offset, label: UNUSED_LABEL, tooltip: UNUSED_TOOLTIP });
  return out.sort((a, b) => a.offset - b.offset);
}

/** Inlay hints for the keys whose hint offset lies in [start, end]. */
export function computeInlayHints(analysis: ChartAnalysis, file: string, start: number, end: number, options: FeatureOptions): InlayHintResult[] {
  const index = fileIndex(analysis, file);
  const shown = shownEnvironments(index, options);
  const memoKey = shown.join('\u0000');
  let hints = index.hints.get(memoKey);
  if (!hints) {
    hints = renderHints(index, shown, analysis.model.dir, (v) => analysis.redact(v));
    index.hints.set(memoKey, hints);
  }
  let lo = 0;
  let hi = hints.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((hints[mid]?.offset ?? 0) < start) lo = mid + 1;
    else hi = mid;
  }
  const out: InlayHintResult[] = [];
  for (let i = lo; i < hints.length; i++) {
    const h = hints[i];
    if (!h || h.offset > end) break;
    out.push(h);
  }
  return out;
}

/** Code lenses for clients without inlay hints: one per overridden key or override, at the key. */
export function computeCodeLenses(analysis: ChartAnalysis, file: string, options: FeatureOptions): CodeLensResult[] {
  const index = fileIndex(analysis, file);
  const shown = shownEnvironments(index, options);
  const dir = analysis.model.dir;
  const docs = new Map<string, ValuesDocument | undefined>();
  const target = (c: Candidate): FileSpan | undefined => {
    const s = c.source;
    if (s.kind !== 'file') return undefined;
    if (!docs.has(s.file)) docs.set(s.file, analysis.document(s.file));
    const doc = docs.get(s.file);
    const e = doc?.index.atPosition(s.line, s.column, s.document ?? 0);
    return e ? { file: s.file, start: e.keyStart, end: e.keyEnd } : undefined;
  };
  const out: CodeLensResult[] = [];
  for (const k of index.keys) {
    const { hits, total } = shownHits(k, shown);
    const winners = hits.filter((h) => h.winner);
    const replaced = hits.flatMap((h) => (h.replaced ? [h.replaced] : []));
    if (winners.length === 0 && replaced.length === 0) continue;
    const parts: string[] = [];
    if (winners.length > 0) {
      const layers = unique(winners.map((h) => (h.winner ? layerLabel(h.winner.source, dir) : '')));
      const names = winners.map((h) => h.label);
      const more = names.length - MAX_ENVIRONMENTS;
      parts.push(
        winners.length === total && layers.length === 1
          ? `overridden by ${layers[0] ?? ''}`
          : `overridden in ${names.slice(0, MAX_ENVIRONMENTS).join(', ')}${more > 0 ? ` +${more}` : ''}`,
      );
    }
    if (replaced.length > 0) parts.push(`overrides ${unique(replaced.map((c) => layerLabel(c.source, dir))).join(', ')}`);
    const targets: FileSpan[] = [];
    for (const c of [...winners.flatMap((h) => (h.winner ? [h.winner] : [])), ...replaced]) {
      const t = target(c);
      if (t && !targets.some((x) => x.file === t.file && x.start === t.start)) targets.push(t);
    }
    out.push({ offset: k.entry.keyStart, title: parts.join(' · '), targets });
  }
  for (const u of index.unused) out.push({ offset: u.entry.keyStart, title: `${UNUSED_LABEL}: no template reads this key`, targets: [] });
  return out.sort((a, b) => a.offset - b.offset);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
