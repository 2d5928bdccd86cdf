// What the layers of a chart offer at a key path of a file, for completion: the keys (with their values) of the
// layers below, the keys other values files set there, and the subcharts whose values live there.
import { multiDocumentValues, type HelmRelease } from '../helm/versions';
import type { ChartAnalysis } from '../analysis';
import { hasOwn, isTable } from '../values/valueUtil';
import type { Value, ValueMap } from '../types';
import type { PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { chartLayers, layersBelow } from './navigation';

export interface Offer {
  key: string;
  value: Value;
  /** Where it is declared: `file:line (layer)`. */
  from: string;
  /** Not from a layer below: another values file of the chart (another environment's overlay, or above). */
  elsewhere?: boolean;
}

export function valueAt(root: Value | undefined, path: readonly PathSegment[]): Value | undefined {
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
export function documentsOf(doc: ValuesDocument, helmVersion: HelmRelease): readonly ValueMap[] {
  const docs = multiDocumentValues(helmVersion) ? doc.documents : doc.documents.slice(0, 1);
  return [...docs].reverse();
}

/**
 * The keys of the map at the path in the layers below, nearest layer first (an earlier overlay's keys, then the
 * chart's in its own order, then keys only a subchart declares), each with the value and line of the nearest layer.
 */
export function offersBelow(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): Offer[] {
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
export function otherLayers(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): { doc: ValuesDocument; path: PathSegment[]; value: Value; envs: string[] }[] {
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

export function offersElsewhere(analysis: ChartAnalysis, file: string, path: readonly PathSegment[], taken: ReadonlySet<string>): Offer[] {
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
export function setIn(doc: ValuesDocument, line: number | undefined, envs: readonly string[]): string {
  return `set in ${doc.file}${line !== undefined ? `:${line}` : ''} (${envs.join(', ')})`;
}

export function subchartsAt(analysis: ChartAnalysis, file: string, path: readonly PathSegment[]): Offer[] {
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

