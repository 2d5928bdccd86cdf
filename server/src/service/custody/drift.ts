// Declared against live: an environment's user-supplied values (its layers above the chart defaults, merged as Helm
// merges them: Effective.userValues) compared with what a release really runs (the `config` of its deployed
// revision, or `helm get values`). `live-only` is a path set live and declared nowhere (a hotfix --set that never
// reached Git), `declared-only` one declared but not deployed, `differs` both with different values. The declared side
// names its layer's file and line. Values are redacted as everywhere else: the declared side by the chart's secret
// findings, the live side by the same detector run over the live values. Pure.
import { parseDocument, stringify } from 'yaml';
import type { ServiceCaches } from '../caches';
import type { Effective } from '../helm/effective';
import { detectSecrets, secretText, type SecretOptions } from '../secrets/detect';
import { formatKeyPath } from '../secrets/keyPath';
import type { Value, ValueMap } from '../types';
import { isTable } from '../values/valueUtil';
import { parseValuesDocument } from '../yaml/valuesDocument';
import type { PathSegment } from '../yaml/valuesDocument';
import { sourceRef, type SourceRef } from './types';

export interface DriftChange {
  path: string;
  kind: 'live-only' | 'declared-only' | 'differs';
  declared?: Value;
  live?: Value;
  declaredSource?: SourceRef;
}

export interface DriftReport {
  environment: string;
  release?: string;
  revision?: number;
  chartVersion?: { declared: string; live?: string };
  /** `user-supplied` (compared with the declared layers) or `computed` (`helm get values --all`: with the effective values). */
  compared: 'user-supplied' | 'computed';
  changes: DriftChange[];
}

export interface LiveValues {
  values: ValueMap;
  /** The values are everything templates saw (`--all`), not only the user-supplied ones. */
  computed: boolean;
  release?: string;
  revision?: number;
  chartVersion?: string;
}

/**
 * Reads `helm get values` output (YAML or JSON, with or without `--all`): its `USER-SUPPLIED VALUES:` or
 * `COMPUTED VALUES:` heading says which. An error phrase with the line when it is not a map.
 */
export function readLiveValues(text: string, file: string): LiveValues | { error: string } {
  const heading = /^\s*(USER-SUPPLIED|COMPUTED) VALUES:[^\n]*\n?/.exec(text);
  const body = heading ? text.slice(heading[0].length) : text;
  const doc = parseDocument(body, { prettyErrors: false, version: '1.1', uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = body.slice(0, e?.pos[0] ?? 0).split('\n').length + (heading ? 1 : 0);
    return { error: `${file}:${line}: not valid YAML or JSON (${(e?.message ?? '').split('\n')[0] ?? ''}); pass the output of helm get values <release> -o yaml` };
  }
  const js: unknown = doc.toJS({ maxAliasCount: 100 });
  if (js !== null && js !== undefined && !isTable(js as Value)) return { error: `${file}: expected a map of values (the output of helm get values <release>), found ${Array.isArray(js) ? 'a list' : typeof js}` };
  return { values: (js ?? {}) as ValueMap, computed: heading?.[1] === 'COMPUTED' };
}

interface Leaf {
  segments: PathSegment[];
  value: Value;
}

function leaves(values: ValueMap): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (map: ValueMap, prefix: PathSegment[]) => {
    for (const k of Object.keys(map)) {
      const v = map[k] ?? null;
      const segments = [...prefix, k];
      if (isTable(v) && Object.keys(v).length > 0) walk(v, segments);
      else out.set(formatKeyPath(segments), { segments, value: v });
    }
  };
  walk(values, []);
  return out;
}

/** The container and key of a path in a values tree (for its provenance). */
function slotOf(root: ValueMap, segments: readonly PathSegment[]): { container: object; key: PathSegment } | undefined {
  let cur: Value = root;
  for (let i = 0; i < segments.length - 1; i++) {
    if (!isTable(cur)) return undefined;
    cur = cur[segments[i] as string] ?? null;
  }
  const key = segments[segments.length - 1];
  return isTable(cur) && key !== undefined ? { container: cur, key } : undefined;
}

/** Numbers compare by value (JSON has no int/float distinction: `3` and `3.0` are the same release value). */
function canonical(v: Value): string {
  return JSON.stringify(v, (_k, x: unknown) => (isTable(x as Value) ? Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, (x as ValueMap)[k]])) : x));
}

/** Redaction of secrets found in values that are not in a file (the live values): the detector over their YAML. */
export function valuesRedactor(values: ValueMap, options: SecretOptions, caches?: ServiceCaches): (v: Value) => Value {
  if (options.enabled === false) return (v) => v;
  const doc = parseValuesDocument('(live values)', stringify(values, { lineWidth: 0, aliasDuplicateObjects: false }));
  const found = new Map<string, string>();
  for (const f of detectSecrets(doc, { ...options, ignoreEntries: [] }, caches)) {
    if (f.severity !== 'error' && f.severity !== 'warning') continue;
    const text = secretText(f);
    if (text) found.set(text, f.redacted);
  }
  const walk = (x: Value): Value => {
    if (typeof x === 'string') return found.get(x) ?? x;
    if (Array.isArray(x)) return x.map(walk);
    if (isTable(x)) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y ?? null)]));
    return x;
  };
  return walk;
}

export interface DriftInput {
  environment: string;
  /** The environment's merge (its userValues are the declared side; its values when the live side is computed). */
  effective: Effective;
  live: LiveValues;
  declaredChartVersion: string;
  /** Redacts a declared value (ChartAnalysis.redact) and a live one (valuesRedactor). */
  redactDeclared: (v: Value) => Value;
  redactLive: (v: Value) => Value;
}

export function computeDrift(input: DriftInput): DriftReport {
  const declaredRoot = input.live.computed ? input.effective.values : input.effective.userValues;
  const declared = leaves(declaredRoot);
  const live = leaves(input.live.values);
  const changes: DriftChange[] = [];
  const sourceOf = (l: Leaf) => {
    const slot = slotOf(declaredRoot, l.segments);
    return slot ? sourceRef(input.effective.prov.get(slot.container, slot.key)?.source) : undefined;
  };
  for (const [path, d] of declared) {
    const l = live.get(path);
    if (l && canonical(l.value) === canonical(d.value)) continue;
    const src = sourceOf(d);
    changes.push({ path, kind: l ? 'differs' : 'declared-only', declared: input.redactDeclared(d.value), ...(l ? { live: input.redactLive(l.value) } : {}), ...(src ? { declaredSource: src } : {}) });
  }
  for (const [path, l] of live) {
    if (declared.has(path)) continue;
    changes.push({ path, kind: 'live-only', live: input.redactLive(l.value) });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    environment: input.environment,
    ...(input.live.release !== undefined ? { release: input.live.release } : {}),
    ...(input.live.revision !== undefined ? { revision: input.live.revision } : {}),
    ...(input.live.chartVersion !== undefined || input.live.release !== undefined ? { chartVersion: { declared: input.declaredChartVersion, ...(input.live.chartVersion !== undefined ? { live: input.live.chartVersion } : {}) } } : {}),
    compared: input.live.computed ? 'computed' : 'user-supplied',
    changes,
  };
}
