// The findings that need the chart's templates (issue 10), from the template index (service/templates/):
//   helm.unused-key            a chart default that no template of the chart tree reads (hint; once per chart)
//   template.undefined-value   a reference no layer of any environment defines, and nothing guards (warning)
//   template.required-missing  a `required` reference an environment leaves nil or "" (error; per environment)
// and the filter of `helm.float-rendering` to the values a template prints as text.
// Charts without templates get none of these, and keep every float-rendering finding.
import type { ChartModel } from '../chart/chartModel';
import type { Effective } from '../helm/effective';
import type { WorkingChart } from '../helm/dependencies';
import { globalSources } from '../templates/globals';
import type { Finding, Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { isTable } from '../values/valueUtil';
import type { Node } from '../templates/ast';
import { formatUsagePath, type TemplateIndex, type TemplateUsage } from '../templates/templateIndex';
import { insideList } from './review';

/** Each values.yaml of the chart tree, with the root-coordinate prefixes of its chart (several with aliases). */
export function defaultsPlaces(model: ChartModel): { model: ChartModel; doc: ValuesDocument; prefixes: string[][]; missing: Set<string> }[] {
  const out: { model: ChartModel; doc: ValuesDocument; prefixes: string[][]; missing: Set<string> }[] = [];
  const walk = (m: ChartModel, prefixes: string[][]) => {
    // Dependencies not vendored in charts/: their templates (and what they read) are not known.
    const missing = new Set((m.dependencies ?? []).filter((d) => !m.subcharts.some((s) => s.name === d.name)).map((d) => d.alias ?? d.name));
    if (m.values) out.push({ model: m, doc: m.values, prefixes, missing });
    for (const sub of m.subcharts) {
      const deps = (m.dependencies ?? []).filter((d) => d.name === sub.name);
      const names = deps.length > 0 ? deps.map((d) => d.alias ?? d.name) : [sub.name];
      walk(sub, prefixes.flatMap((p) => names.map((n) => [...p, n])));
    }
  };
  walk(model, [[]]);
  return out;
}

/** Whether the chart tree has a dependency missing from charts/ (whose templates may read any `global.*`). */
function hasMissingDependency(model: ChartModel): boolean {
  return (model.dependencies ?? []).some((d) => !model.subcharts.some((s) => s.name === d.name)) || model.subcharts.some(hasMissingDependency);
}

/**
 * A root-coordinate path of a chart-local key of a values file. A subchart's own `global.*` default sits at
 * `<alias>.global.*`: the index counts it used only by reads in that subchart and the charts below it (globals flow
 * down only), while the root's `global.*` is used by a read in any chart.
 */
function rootPath(prefix: readonly string[], path: readonly PathSegment[]): PathSegment[] {
  return [...prefix, ...path];
}

/**
 * `helm.unused-key`: every key of a chart's values.yaml that no template of the chart tree reads, reported at the
 * highest such key only (its children are not repeated), once per chart whatever the environments. Keys inside lists
 * are judged by their list; keys under a dependency missing from charts/ are never reported (its templates are not
 * known), nor `global.*` then.
 */
export function unusedKeyFindings(model: ChartModel, index: TemplateIndex): Finding[] {
  if (!index.hasTemplates) return [];
  const out: Finding[] = [];
  const globalOpen = hasMissingDependency(model);
  for (const { doc, prefixes, missing } of defaultsPlaces(model)) {
    for (const e of unusedEntries(doc, prefixes, index, missing, globalOpen)) {
      const a = doc.position(e.keyStart);
      const b = doc.position(e.keyEnd);
      const name = (rootPath(prefixes[0] ?? [], e.path) as string[]).join('.');
      out.push({
        file: doc.file,
        line: a.line,
        column: a.column,
        endLine: b.line,
        endColumn: b.column,
        severity: 'hint',
        code: 'helm.unused-key',
        message: `${name}: no template of the chart reads this key; it has no effect`,
        offset: e.keyStart,
        endOffset: e.keyEnd,
        data: { path: e.path },
      });
    }
  }
  return out;
}

/**
 * The keys of a values file (first document; keys inside lists are judged by their list) that no template reads
 * under any of `prefixes`, highest first: below an unused key nothing more is listed. `missing`: first segments
 * under a dependency missing from charts/ (never judged); `globalOpen`: `global.*` is not judged either.
 */
export function unusedEntries(doc: ValuesDocument, prefixes: readonly (readonly string[])[], index: TemplateIndex, missing: ReadonlySet<string>, globalOpen: boolean): KeyEntry[] {
  if (!index.hasTemplates) return [];
  const out: KeyEntry[] = [];
  for (const e of doc.entries) {
    if (e.document !== 0 || insideList(e.path)) continue;
    const first = e.path[0];
    if (typeof first === 'string' && missing.has(first)) continue;
    if (first === 'global' && globalOpen) continue;
    if (out.some((r) => r.path.length < e.path.length && r.path.every((s, i) => s === e.path[i]))) continue;
    if (prefixes.some((p) => index.isUsed(rootPath(p, e.path)))) continue;
    out.push(e);
  }
  return out;
}

/** The unused keys of any values file of the chart: a chart's values.yaml at its places, an overlay at the root. */
export function unusedEntriesOf(model: ChartModel, index: TemplateIndex, doc: ValuesDocument, prefixes: readonly (readonly string[])[]): KeyEntry[] {
  const root = defaultsPlaces(model)[0];
  const own = defaultsPlaces(model).find((p) => p.doc === doc);
  return unusedEntries(doc, prefixes, index, own?.missing ?? root?.missing ?? new Set(), hasMissingDependency(model));
}

/** Whether a path has a value in `v` (`[]` is any element; an empty list or map never renders its elements). */
export function definedIn(v: Value | undefined, path: readonly string[], i = 0): boolean {
  if (v === undefined) return false;
  if (i === path.length) return true;
  const seg = path[i] ?? '';
  if (seg === '[]') {
    const items: Value[] = Array.isArray(v) ? v : isTable(v) ? Object.values(v) : [];
    if (!Array.isArray(v) && !isTable(v)) return false;
    return items.length === 0 || items.some((x) => definedIn(x, path, i + 1));
  }
  if (Array.isArray(v) && /^\d+$/.test(seg)) return definedIn(v[Number(seg)], path, i + 1);
  if (!isTable(v) || !Object.prototype.hasOwnProperty.call(v, seg)) return false;
  return definedIn(v[seg], path, i + 1);
}

/** Whether a chart's values.yaml (any chart of the tree) writes a root-coordinate path, even as null (Helm drops nulls in the merge). */
function declaredInDefaults(places: ReturnType<typeof defaultsPlaces>, path: readonly string[]): boolean {
  return places.some(({ doc, prefixes }) =>
    prefixes.some((p) => {
      if (path.length < p.length || p.some((s, i) => path[i] !== s)) return false;
      const local = path.slice(p.length);
      return doc.documents.some((d) => definedIn(d, local));
    }),
  );
}

/**
 * The root-coordinate paths that supply a reference's value: its rootPaths, and for `.Values.global.*` the `global`
 * of each chart above its chart (globals flow down only: templates/globals.ts). The effective values hold a subchart's
 * view only where it is enabled; a default or an overlay of the parents' globals defines it wherever it renders.
 */
function suppliers(index: TemplateIndex, u: TemplateUsage): string[][] {
  if (u.path[0] !== 'global') return index.rootPaths(u);
  return (index.charts[u.chart]?.prefixes ?? [[]]).flatMap((p) => globalSources({ place: [...p], rest: u.path.slice(1) }));
}

/** A template file's finding at a reference. */
function atUsage(u: TemplateUsage, severity: Finding['severity'], code: string, message: string): Finding {
  const width = Math.max(1, u.end - u.offset);
  return { file: u.file, line: u.line, column: u.column, endLine: u.line, endColumn: u.column + width, severity, code, message, offset: u.offset, endOffset: u.end };
}

/** References the template findings look at: in a template file (not Chart.yaml), not inside a packaged subchart. */
function inTemplate(u: TemplateUsage): boolean {
  return !u.file.includes('#') && /(^|[\\/])templates[\\/]/.test(u.file);
}

/**
 * `template.undefined-value`: a `read` or `subtree` reference (not dynamic, not `required`, not guarded, rendered: not
 * only tested or compared, not in the test of an if/with/range) whose path no environment's effective values hold and
 * no chart default writes. `effectives`: one per environment.
 */
export function undefinedValueFindings(model: ChartModel, index: TemplateIndex, effectives: readonly Effective[]): Finding[] {
  if (!index.hasTemplates || effectives.length === 0) return [];
  const out: Finding[] = [];
  const verdicts = new Map<string, boolean>();
  const places = defaultsPlaces(model);
  const defined = (p: string[]): boolean => {
    const key = p.join('\u0000');
    let v = verdicts.get(key);
    if (v === undefined) {
      v = effectives.some((e) => definedIn(e.values, p)) || declaredInDefaults(places, p);
      verdicts.set(key, v);
    }
    return v;
  };
  const place = placeLookup(index);
  const seen = new Set<string>();
  for (const u of index.usages) {
    if (u.kind === 'dynamic' || u.guarded || u.required || u.rendered === false || u.path.length === 0 || !inTemplate(u)) continue;
    if (suppliers(index, u).some(defined) || place(u.file, u.offset) === 'test') continue;
    // A reference inside a define is reported once, with the first call that reaches it.
    const at = `${u.file}\u0000${u.offset}\u0000${u.path.join('.')}`;
    if (seen.has(at)) continue;
    seen.add(at);
    out.push(atUsage(u, 'warning', 'template.undefined-value', `.Values.${formatUsagePath(u.path)} is not defined by any values layer of any environment, and no if/with/default/hasKey guards it: it renders empty${u.via ? ` (reached from ${u.via.file}:${u.via.line})` : ''}`));
  }
  return out;
}

/**
 * `template.required-missing` for one environment: a `required` reference whose value is nil or "" there. Helm fails
 * the render. A reference inside an if/with/range body (or reached from a call inside one) is skipped: whether it
 * renders in this environment is not known statically; so is one in a subchart this environment disables (at each
 * of its places), which does not render. A subchart's `.Values.global.x` is its own view, `<alias>.global.x`.
 */
export function requiredMissingFindings(index: TemplateIndex, eff: Effective): Finding[] {
  if (!index.hasTemplates) return [];
  const out: Finding[] = [];
  const place = placeLookup(index);
  const enabled = enabledPlaces(eff.chart);
  for (const u of index.usages) {
    if (!u.required || u.kind === 'dynamic' || !inTemplate(u)) continue;
    if (place(u.file, u.offset) !== undefined || (u.via && place(u.via.file, u.via.offset) !== undefined)) continue;
    const prefixes = (index.charts[u.chart]?.prefixes ?? [[]]).filter((p) => enabled.has(p.join('\u0000')));
    const values = prefixes.map((p) => lookup(eff.values, [...p, ...u.path]));
    const i = values.findIndex((v) => v === undefined || v === null || v === '');
    if (i < 0) continue;
    const what = values[i] === '' ? '""' : 'nil';
    out.push(atUsage(u, 'error', 'template.required-missing', `required .Values.${formatUsagePath(u.path)} is ${what} here: helm fails to render this environment`));
  }
  return out;
}

/** The places of the charts an environment renders (its enabled subcharts, under their key or alias), NUL-joined. */
function enabledPlaces(chart: WorkingChart): Set<string> {
  const out = new Set<string>();
  const walk = (c: WorkingChart, place: readonly string[]): void => {
    out.add(place.join('\u0000'));
    for (const d of c.dependencies) walk(d, [...place, d.name]);
  };
  walk(chart, []);
  return out;
}

function lookup(v: Value, path: readonly string[]): Value | undefined {
  let cur: Value | undefined = v;
  for (const s of path) {
    if (s === '[]') return '[]'; // any element: not judged
    if (!isTable(cur ?? null)) return undefined;
    cur = (cur as Record<string, Value>)[s];
  }
  return cur;
}

/** Where an offset of a template file lies: in an if/with/range test, in such a body, or neither. */
function placeLookup(index: TemplateIndex): (file: string, offset: number) => Place {
  return (file, offset) => {
    const p = index.parsedOf(file);
    if (!p) return undefined;
    const define = p.defines.find((d) => offset >= d.pos && offset < d.end);
    return placeOf(define ? define.list : p.root, offset);
  };
}

/** `test`: in the pipeline of an if/with/range (an undefined value there is false or empty: nothing renders it). */
type Place = 'test' | 'body' | undefined;

function placeOf(nodes: readonly Node[], offset: number): Place {
  for (const n of nodes) {
    if (offset < n.pos || offset >= n.end) continue;
    if (n.type !== 'if' && n.type !== 'with' && n.type !== 'range') return undefined;
    if (n.pipe && offset >= n.pipe.pos && offset < n.pipe.end) return 'test';
    return placeOf(n.list, offset) === 'test' || placeOf(n.elseList ?? [], offset) === 'test' ? 'test' : 'body';
  }
  return undefined;
}

/**
 * `helm.float-rendering` only where a template prints the value as text (directly, or through quote or toString);
 * charts without templates keep every one. `prefixes`: the root-coordinate prefixes of the file's keys.
 */
export function floatRenderedAsText(f: Finding, doc: ValuesDocument, prefixes: readonly (readonly string[])[], index: TemplateIndex): boolean {
  if (f.code !== 'helm.float-rendering' || !index.hasTemplates || f.offset === undefined) return true;
  const entry = doc.index.entryAt(f.offset);
  if (!entry) return true;
  return prefixes.some((p) => index.usagesOf(rootPath(p as string[], entry.path)).some((u) => u.printed === 'text' || u.printed === 'quote' || u.printed === 'toString'));
}
