// The effective values of a chart for a set of user inputs, exactly as Helm computes `.Values`:
// user values (Options.MergeValues: -f files, then --set-json, --set, --set-string, --set-file, --set-literal),
// for an upgrade that reuses the previous release's values Upgrade.reuseValues (CoalesceTables over the previous
// release's user-supplied values), ProcessDependencies (aliases, tags, conditions, import-values), then CoalesceValues.
import type { ChartModel } from '../chart/chartModel';
import type { Severity, ValueMap } from '../types';
import type { ValuesDocument, PathSegment } from '../yaml/valuesDocument';
import { coalesceTablesFullKey, coalesceValues, freezeDeep, mergeMaps, type CoalesceContext, type HelmVersion } from './coalesce';
import { createServiceCaches, type ServiceCaches } from '../caches';
import { defaultsProvenance, processDependencies, workingChart, type DependencyContext, type DependencyNote, type WorkingChart } from './dependencies';
import { adoptDocument, Provenance, sameSource, type Source } from './provenance';
import { parseSetInto, type SetFlag } from './strvals';
import { hasOwn, isTable, setOwn } from '../values/valueUtil';
import { withReplacedDefaults } from './replacedDefaults';
import { DEFAULT_RELEASE, multiDocumentValues, setJsonObjects } from './versions';

export interface ValuesInputs {
  /** `-f` files in command-line order. */
  files: readonly ValuesDocument[];
  setJson?: readonly string[];
  set?: readonly string[];
  setString?: readonly string[];
  setFile?: readonly string[];
  setLiteral?: readonly string[];
  /**
   * A discovered environment's layers in the order they apply (Flux's valuesFrom order, kustomize merge patches);
   * when present, `files` and the flag lists are not read (`files` still lists every document, for the callers).
   */
  layers?: readonly UserLayer[];
  /** Files that replace the root chart's values.yaml as its defaults (Flux `chart.spec.valuesFiles`), in order. */
  defaults?: readonly ValuesDocument[];
  /** Reads a `--set-file` path (the host supplies it); undefined when unreadable. */
  readFile?: (path: string) => string | undefined;
  /** `helm upgrade --reuse-values` / `--reset-then-reuse-values`: the previous release's values to reuse. */
  previous?: PreviousRelease;
}

/**
 * What Helm's Upgrade.reuseValues (pkg/action/upgrade.go) reads from the release being upgraded. Both modes make the
 * new release's user-supplied values CoalesceTables(-f and --set values, `config`). `reuse` also replaces the
 * chart's own values.yaml (its top level; subcharts keep theirs) with `computed`, the previous release's computed
 * values (Helm: CoalesceValues(current.Chart, current.Config), where the stored chart has no subcharts).
 */
export interface PreviousRelease {
  mode: 'reuse' | 'reset-then-reuse';
  /** The previous release's user-supplied values, as `helm get values RELEASE -o yaml` prints them (current.Config). */
  config: ValuesDocument;
  /** reuse: the previous release's computed values, as `helm get values RELEASE --all -o yaml` prints them. */
  computed?: ValuesDocument;
}

/** One layer of an ordered input. `inline`: values written in a manifest, which later `mergePatch` layers change. */
export type UserLayer =
  | { kind: 'values'; doc: ValuesDocument; origin?: string; inline?: boolean; mergePatch?: boolean; sops?: boolean }
  | { kind: 'flag'; flag: SetFlag; arg: string; at?: { file: string; line: number; column: number }; origin?: string; detail?: string };

/** A message Helm would print (or an error that stops it), placed where the user can act on it. */
export interface HelmMessage {
  severity: Severity;
  code: string;
  message: string;
  source?: Source;
  data?: Record<string, unknown>;
}

export interface Effective {
  values: ValueMap;
  prov: Provenance;
  messages: HelmMessage[];
  /** Set when Helm would stop with an error (a bad --set, a subchart key that is not a map). */
  error?: HelmMessage;
  /** The chart tree after dependency processing: enabled subcharts under their name or alias. */
  chart: WorkingChart;
  helmVersion: HelmVersion;
  /** The user-supplied values (Options.MergeValues of -f and --set*, nulls kept): what `helm get values` shows. */
  userValues: ValueMap;
}

const FLAG_ORDER: { key: keyof ValuesInputs; flag: SetFlag; option: string }[] = [
  { key: 'setJson', flag: 'set-json', option: '--set-json' },
  { key: 'set', flag: 'set', option: '--set' },
  { key: 'setString', flag: 'set-string', option: '--set-string' },
  { key: 'setFile', flag: 'set-file', option: '--set-file' },
  { key: 'setLiteral', flag: 'set-literal', option: '--set-literal' },
];

/** Options.MergeValues: the user-supplied values, with provenance. */
export function userValues(prov: Provenance, inputs: ValuesInputs, version: HelmVersion): { values: ValueMap; error?: HelmMessage } {
  if (inputs.layers) return orderedValues(prov, inputs.layers, inputs, version);
  let base: ValueMap = {};
  for (const doc of inputs.files) base = mergeDocument(prov, base, doc, version);
  for (const { key, flag, option } of FLAG_ORDER) {
    const args = (inputs[key] as readonly string[] | undefined) ?? [];
    for (const arg of args) {
      const r = applyFlag(prov, base, flag, { kind: 'flag', flag: option, arg }, inputs, version);
      if (r.error) return { values: r.values, error: r.error };
      base = r.values;
    }
  }
  return { values: base };
}

/** A values file merged into `base` as Helm loads it (every YAML document with MergeMaps from Helm 4, the first before). */
function mergeDocument(prov: Provenance, base: ValueMap, doc: ValuesDocument, version: HelmVersion, origin?: string, layer = doc.file): ValueMap {
  const count = multiDocumentValues(version) ? doc.documents.length : 1;
  for (let i = 0; i < count; i++) base = mergeMaps(prov, base, adoptDocument(prov, doc, i, layer, undefined, undefined, origin));
  return base;
}

/** One `--set*` flag applied to the values so far (Helm's strvals, or a whole JSON object for Helm 4's --set-json). */
function applyFlag(prov: Provenance, base: ValueMap, flag: SetFlag, source: Source & { kind: 'flag' }, inputs: ValuesInputs, version: HelmVersion): { values: ValueMap; error?: HelmMessage } {
  const { arg, flag: option } = source;
  if (flag === 'set-json' && setJsonObjects(version) && arg.trim().startsWith('{')) {
    const parsed = parseJsonObject(arg);
    if (parsed === undefined) return { values: base, error: { severity: 'error', code: 'helm.bad-set', message: `failed parsing --set-json data JSON: ${arg}`, source } };
    const layer = prov.copy(parsed);
    stampAll(prov, layer, source);
    return { values: mergeMaps(prov, base, layer) };
  }
  const err = parseSetInto(flag, arg, base, {
    helmVersion: version,
    ...(inputs.readFile ? { readFile: inputs.readFile } : {}),
    onAssign: (container, k) => {
      const old = prov.get(container, k);
      const value = (container as Record<string | number, unknown>)[k] as ValueMap[string];
      // A value this same argument placed earlier (`a[0].b=1` after making `a[0]`) is not a shadowed layer.
      const lower = old && !sameSource(old.source, source) ? [{ source: old.source, value: old.value }, ...old.shadowed] : (old?.shadowed ?? []);
      prov.set(container, k, { source, value, shadowed: lower });
    },
  });
  if (err !== undefined) return { values: base, error: { severity: 'error', code: 'helm.bad-set', message: `failed parsing ${option} data: ${err}`, source } };
  // Maps and lists this flag created on its way to a leaf (`a.b=1` makes `a`) have no source yet: it is this flag.
  stampAll(prov, base, source);
  return { values: base };
}

const OPTION: Record<SetFlag, string> = { set: '--set', 'set-string': '--set-string', 'set-json': '--set-json', 'set-file': '--set-file', 'set-literal': '--set-literal' };

/**
 * A discovered environment's layers, in the order the tool applies them. Values documents merge like `-f` (Flux and
 * helmfile merge their values with the same MergeMaps before Helm sees one map); a merge patch changes the inline
 * values before it, as RFC 7386 (maps merge, lists replace, null removes the key, which then never reaches Helm).
 */
function orderedValues(prov: Provenance, layers: readonly UserLayer[], inputs: ValuesInputs, version: HelmVersion): { values: ValueMap; error?: HelmMessage } {
  let base: ValueMap = {};
  /** Inline values that merge patches after them still change (a HelmRelease's spec.values). */
  let open: ValueMap | undefined;
  const flush = () => {
    if (open) base = mergeMaps(prov, base, open);
    open = undefined;
  };
  for (const layer of layers) {
    if (layer.kind === 'flag') {
      flush();
      const source: Source & { kind: 'flag' } = { kind: 'flag', flag: OPTION[layer.flag], arg: layer.arg, ...(layer.at ? { at: layer.at } : {}), ...(layer.origin ? { origin: layer.origin } : {}), ...(layer.detail ? { detail: layer.detail } : {}) };
      const r = applyFlag(prov, base, layer.flag, source, inputs, version);
      if (r.error) return { values: r.values, error: r.error };
      base = r.values;
      continue;
    }
    const adopted = adoptDocument(prov, layer.doc, 0, layer.doc.file, undefined, undefined, layer.origin);
    if (layer.sops) delete adopted.sops;
    if (layer.mergePatch) {
      open = mergePatch(prov, open ?? {}, adopted);
      continue;
    }
    flush();
    if (layer.inline) {
      open = adopted;
      continue;
    }
    base = mergeMaps(prov, base, adopted);
    if (multiDocumentValues(version)) for (let i = 1; i < layer.doc.documents.length; i++) base = mergeMaps(prov, base, adoptDocument(prov, layer.doc, i, layer.doc.file, undefined, undefined, layer.origin));
  }
  flush();
  return { values: base };
}

/** RFC 7386 JSON merge patch of `target` (owned, written in place) by `patch`, with provenance. */
function mergePatch(prov: Provenance, target: ValueMap, patch: ValueMap): ValueMap {
  for (const k of Object.keys(patch)) {
    const v = patch[k] ?? null;
    const had = hasOwn(target, k);
    const old = had ? (target[k] ?? null) : undefined;
    if (v === null) {
      if (had) {
        const lower = prov.get(target, k);
        const own = prov.get(patch, k);
        if (own) prov.set(target, k, { ...own, shadowed: [] });
        prov.remove(target, k, lower);
        delete target[k];
      }
      continue;
    }
    if (isTable(v) && had && isTable(old ?? null)) {
      mergePatch(prov, old as ValueMap, v);
      continue;
    }
    const placed = isTable(v) ? mergePatch(prov, {}, v) : v;
    const slot = prov.get(patch, k);
    setOwn(target, k, placed);
    prov.replace(target, k, slot ? { ...slot, value: placed } : undefined, old, had);
  }
  return target;
}

function parseJsonObject(text: string): ValueMap | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isTable(v as ValueMap) ? (v as ValueMap) : undefined;
}

/** Records `source` for every key below a freshly built value that has no provenance yet. */
function stampAll(prov: Provenance, v: unknown, source: Source): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (!prov.get(v, i)) prov.set(v, i, { source, value: x as ValueMap[string], shadowed: [] });
      stampAll(prov, x, source);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (!prov.get(v, k)) prov.set(v, k, { source, value: x as ValueMap[string], shadowed: [] });
      stampAll(prov, x, source);
    }
  }
}

/**
 * Computes `.Values` for a chart and user inputs, as Helm's install/template does. Never throws. `caches`: the
 * host's (adopted defaults and dependency decisions are shared through them); without, this merge's own.
 */
export function computeEffective(given: ChartModel, inputs: ValuesInputs, version: HelmVersion = DEFAULT_RELEASE, caches: ServiceCaches = createServiceCaches()): Effective {
  const model = inputs.defaults && inputs.defaults.length > 0 ? withReplacedDefaults(given, inputs.defaults, caches) : given;
  const prov = new Provenance(defaultsProvenance(caches));
  const messages: HelmMessage[] = [];
  const seen = new Set<string>();
  const ctx: DependencyContext = {
    prov,
    version,
    caches,
    warn: (message, at) => {
      if (seen.has(message)) return;
      seen.add(message);
      const slot = at ? prov.get(at.container, at.key) : undefined;
      messages.push({ severity: 'warning', code: 'helm.type-conflict', message, ...(slot ? { source: slot.source } : {}) });
    },
  };
  const chart = workingChart(model, version, caches);
  const user = userValues(prov, inputs, version);
  if (user.error) return { values: user.values, prov, messages, error: user.error, chart, helmVersion: version, userValues: user.values };
  const supplied = inputs.previous ? reuseValues(ctx, chart, user.values, inputs.previous, caches) : user.values;
  const notes: DependencyNote[] = [];
  const depError = processDependencies(ctx, chart, supplied, notes);
  for (const n of notes) {
    messages.push({ severity: 'warning', code: 'helm.dependency', message: n.message, ...(n.file ? { source: { kind: 'file', file: n.file, line: n.line ?? 1, column: 1, layer: 'Chart.yaml' } as Source } : {}) });
  }
  if (depError) return { values: supplied, prov, messages, error: { severity: 'error', code: 'helm.type-mismatch', message: depError }, chart, helmVersion: version, userValues: supplied };
  const r = coalesceValues(ctx, chart, supplied, false);
  if ('error' in r) return { values: r.values, prov, messages, error: { severity: 'error', code: 'helm.type-mismatch', message: r.error }, chart, helmVersion: version, userValues: supplied };
  return { values: r.values, prov, messages, chart, helmVersion: version, userValues: supplied };
}

/**
 * Upgrade.reuseValues for --reuse-values and --reset-then-reuse-values: newVals = CoalesceTables(newVals,
 * current.Config); with --reuse-values the chart's values.yaml is replaced by the previous computed values
 * (`chart.Values = oldVals`). Returns the new release's user-supplied values; mutates `newVals` and `chart.values`.
 */
function reuseValues(ctx: CoalesceContext, chart: WorkingChart, newVals: ValueMap, previous: PreviousRelease, caches: ServiceCaches): ValueMap {
  const layer = (doc: ValuesDocument, what: string) => `${doc.file} (${what})`;
  const config = mergeDocument(ctx.prov, {}, previous.config, ctx.version, undefined, layer(previous.config, 'previous release, user-supplied'));
  // A release stores its values as JSON with `omitempty`: empty ones come back as a nil map (`helm get values` prints
  // `null`), and CoalesceTables returns newVals untouched for a nil src.
  const vals = Object.keys(config).length === 0 ? newVals : (coalesceTablesFullKey(ctx, newVals, config, '', false) ?? newVals);
  if (previous.mode === 'reuse' && previous.computed) {
    // In the chart's defaults' provenance, as values.yaml would be: import processing records there.
    chart.values = freezeDeep(mergeDocument(defaultsProvenance(caches), {}, previous.computed, ctx.version, undefined, layer(previous.computed, 'previous release, computed')));
  }
  return vals;
}

/** Dotted paths of the enabled charts, e.g. `parent`, `parent.sub`, `parent.sub.alias`. */
export function enabledCharts(chart: WorkingChart, prefix = ''): string[] {
  const here = prefix === '' ? chart.name : `${prefix}.${chart.name}`;
  return [here, ...chart.dependencies.flatMap((d) => enabledCharts(d, here))];
}

export type { PathSegment };
