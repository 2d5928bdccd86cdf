// Helm's ProcessDependencies (pkg/chart/v2/util/dependencies.go): aliases, tags and conditions, then
// import-values, on a working copy of the chart tree.
import semver from 'semver';
import type { ChartModel, Dependency } from '../chart/chartModel';
import type { ValueMap, Value } from '../types';
import { cleanNilsOwned, coalesceValues, coalesceTablesFullKey, freezeDeep, mergeMaps, type CoalesceChart, type CoalesceContext, type HelmVersion } from './coalesce';
import { adoptDocument, NoProvenance, Provenance, type AdoptionCache } from './provenance';
import type { ValuesDocument } from '../yaml/valuesDocument';
import { createServiceCaches, type ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import { hasOwn, isTable, setOwn } from '../values/valueUtil';
import { behaviourKey, multiDocumentValues } from './versions';

export interface WorkingDep extends Dependency {
  enabled: boolean;
}

export interface WorkingChart extends CoalesceChart {
  model: ChartModel;
  metaDeps: WorkingDep[] | undefined;
  dependencies: WorkingChart[];
}

export interface DependencyNote {
  message: string;
  file?: string;
  line?: number;
}

/** Masterminds-style range check (`>= 1.2, < 2`, `~1.2`, `^1`, `1.x`, `a || b`). A missing constraint matches. */
export function isCompatibleRange(constraint: string | undefined, version: string): boolean {
  if (constraint === undefined || constraint.trim() === '') return true;
  const v = semver.coerce(version, { loose: true, includePrerelease: true });
  const exact = semver.valid(version, { loose: true });
  const range = constraint.replace(/,/g, ' ');
  if (!semver.validRange(range, { loose: true })) return false;
  return semver.satisfies(exact ?? v ?? version, range, { loose: true });
}

/**
 * Provenance of the chart defaults, shared by every merge: defaults are adopted once per parsed document and Helm
 * version, and never mutated afterwards (coalescing copies them first), so environments share one copy.
 * It lives in the host's caches, with the adopted defaults it describes.
 */
const DEFAULTS_PROVENANCE = memoKey('helm.defaults-provenance', () => new Provenance());
/** Adopted defaults per parsed document, by whether every YAML document of values.yaml counts (multi-document releases). */
const ADOPTED = memoKey('helm.adopted-defaults', () => new WeakMap<ValuesDocument, Map<boolean, ValueMap>>());
/** Adopted (frozen) top-level blocks of values.yaml files: an edit re-adopts only the blocks it changed. */
const ADOPTED_BLOCKS = memoKey<AdoptionCache>('helm.adopted-blocks', () => new WeakMap());
const NO_DEFAULTS: ValueMap = Object.freeze({});

/** The provenance of the chart defaults adopted through these caches (the parent of every merge's provenance). */
export function defaultsProvenance(caches: ServiceCaches): Provenance {
  return caches.get(DEFAULTS_PROVENANCE);
}

/** Default values of a chart as Helm loads them: every YAML document merged (Helm 4) or the first (Helm 3). */
export function chartDefaults(model: ChartModel, version: HelmVersion, caches: ServiceCaches): ValueMap {
  const doc = model.values;
  if (!doc) return NO_DEFAULTS;
  const adopted = caches.get(ADOPTED);
  const multi = multiDocumentValues(version);
  let byVersion = adopted.get(doc);
  const hit = byVersion?.get(multi);
  if (hit) return hit;
  const prov = defaultsProvenance(caches);
  const adoptedBlocks = caches.get(ADOPTED_BLOCKS);
  const layer = `${model.name} defaults`;
  const count = multi ? doc.documents.length : 1;
  let out: ValueMap = {};
  for (let i = 0; i < count; i++) out = mergeMaps(prov, out, adoptDocument(prov, doc, i, layer, model.name, adoptedBlocks));
  if (!byVersion) {
    byVersion = new Map();
    adopted.set(doc, byVersion);
  }
  byVersion.set(multi, freezeDeep(out));
  return out;
}

/** The chart tree as dependency processing works on it. Pass the host's caches: defaults are adopted once in them. */
export function workingChart(model: ChartModel, version: HelmVersion, caches: ServiceCaches = createServiceCaches()): WorkingChart {
  return {
    name: model.name,
    values: chartDefaults(model, version, caches),
    dependencies: model.subcharts.map((s) => workingChart(s, version, caches)),
    metaDeps: model.dependencies?.map((d) => ({ ...d, enabled: true })),
    model,
  };
}

function quiet(ctx: CoalesceContext): CoalesceContext {
  return { ...ctx, warn: () => undefined };
}

/** A coalescing context with the host's caches (decisions and imports replayed across environments and snapshots). */
export interface DependencyContext extends CoalesceContext {
  caches?: ServiceCaches;
}

/** ProcessDependencies: enable/disable by tags and conditions, then import values (merge mode, as Helm 4 and 3.12+ install). */
export function processDependencies(ctx: DependencyContext, chart: WorkingChart, userValues: ValueMap, notes: DependencyNote[]): string | undefined {
  const caches = ctx.caches ?? createServiceCaches();
  const err = enabledShared(ctx, caches, chart, userValues, notes);
  if (err) return err;
  return importValuesShared(ctx, caches, chart, notes, true);
}

/** What tags and conditions decided at one level of processDependencyEnabled (by its path), and what they warned. */
interface EnabledLevel {
  enabled: boolean[];
  notes: DependencyNote[];
}
/** Decisions by the signature of everything they read (see enabledSignature); small, so a plain bounded map. */
const ENABLED = memoKey('helm.enabled-decisions', () => new Map<string, Map<string, EnabledLevel>>());

/** isCompatibleRange by (constraint, version): the same few pairs are asked on every merge. */
const COMPATIBLE = memoKey('helm.compatible-ranges', () => new Map<string, boolean>());

function compatibleRanges(caches: ServiceCaches): (constraint: string | undefined, version: string) => boolean {
  const memo = caches.get(COMPATIBLE);
  return (constraint, version) => {
    const key = `${constraint ?? ''}\u0000${version}`;
    let hit = memo.get(key);
    if (hit === undefined) {
      if (memo.size > 1024) memo.clear();
      memo.set(key, (hit = isCompatibleRange(constraint, version)));
    }
    return hit;
  };
}

/**
 * Tags and conditions read a few paths of the coalesced values; coalescing everything for each environment just to
 * read them is most of what processDependencyEnabled costs. Environments (and edits of other values.yaml blocks)
 * whose values agree on everything those paths can depend on replay the recorded decisions instead.
 */
function enabledShared(ctx: CoalesceContext, caches: ServiceCaches, chart: WorkingChart, userValues: ValueMap, notes: DependencyNote[]): string | undefined {
  const enabledMemo = caches.get(ENABLED);
  const signature = `${behaviourKey(ctx.version)}|${enabledSignature(chart, userValues, caches)}`;
  const hit = enabledMemo.get(signature);
  const compatible = compatibleRanges(caches);
  if (hit) return processDependencyEnabled(ctx, chart, userValues, '', notes, { replay: hit, compatible });
  const record = new Map<string, EnabledLevel>();
  const err = processDependencyEnabled(ctx, chart, userValues, '', notes, { record, compatible });
  if (err) return err;
  enabledMemo.set(signature, record);
  if (enabledMemo.size > 64) enabledMemo.delete(enabledMemo.keys().next().value as string);
  return undefined;
}

const ABSENT = '\u0000absent';

/**
 * Everything the coalesced values at tag and condition paths can depend on. Helm reads them in values coalesced at
 * the root at every level (a subchart's defaults are coalesced at the root of its parent's values), so: the
 * dependency metadata and subchart defaults of the whole tree, and, at the root, `tags`, `global`, every key named
 * like a dependency or alias (type mismatches) and every first segment of a condition, in the user's values and in
 * the root chart's defaults (a frozen block keeps its identity while it is not edited).
 */
function enabledSignature(chart: WorkingChart, user: ValueMap, caches: ServiceCaches): string {
  const objectId = (o: object) => caches.objectId(o);
  const keys = new Set<string>(['tags', 'global']);
  const parts: string[] = [];
  const walk = (c: WorkingChart, root: boolean) => {
    parts.push(`${c.name}@${c.model.version}:${root ? '' : objectId(c.values)}:${JSON.stringify(c.metaDeps ?? null)}`);
    for (const d of c.metaDeps ?? []) {
      keys.add(d.name);
      if (d.alias) keys.add(d.alias);
      for (const cond of (d.condition ?? '').split(',')) {
        const first = cond.trim().split('.')[0];
        if (first) keys.add(first);
      }
    }
    for (const d of c.dependencies) {
      keys.add(d.name);
      parts.push('[');
      walk(d, false);
      parts.push(']');
    }
  };
  walk(chart, true);
  const valueSig = (m: ValueMap, k: string): string => {
    if (!hasOwn(m, k)) return ABSENT;
    const v = m[k] ?? null;
    return v !== null && typeof v === 'object' && Object.isFrozen(v) ? `#${objectId(v)}` : JSON.stringify(v);
  };
  for (const k of [...keys].sort()) parts.push(`${JSON.stringify(k)}=${valueSig(chart.values, k)}/${valueSig(user, k)}`);
  return parts.join('');
}

/**
 * Import-values processing reads only the chart tree (which subcharts are enabled, under which names), never the
 * user's values, so environments that enable the same subcharts share one result: computed once with provenance
 * in the defaults' provenance, frozen, and replayed (values, rewritten import-values, notes) for the others.
 */
interface ImportResult {
  values: ValueMap[];
  importValues: (unknown[] | undefined)[][];
  notes: DependencyNote[];
}
const IMPORTS = memoKey('helm.import-results', () => new WeakMap<ValuesDocument | ChartModel, Map<string, ImportResult>>());

function nodes(c: WorkingChart, out: WorkingChart[] = []): WorkingChart[] {
  out.push(c);
  for (const d of c.dependencies) nodes(d, out);
  return out;
}

function treeSignature(c: WorkingChart, caches: ServiceCaches): string {
  const deps = (c.metaDeps ?? []).map((d) => [d.name, d.enabled, d.importValues]);
  return `${c.name}:${caches.objectId(c.values)}:${c.model.version}:${JSON.stringify(deps)}[${c.dependencies.map((d) => treeSignature(d, caches)).join(',')}]`;
}

function importValuesShared(ctx: CoalesceContext, caches: ServiceCaches, chart: WorkingChart, notes: DependencyNote[], merge: boolean): string | undefined {
  const importMemo = caches.get(IMPORTS);
  const key = chart.model.values ?? chart.model;
  const signature = `${behaviourKey(ctx.version)}|${merge}|${treeSignature(chart, caches)}`;
  let byTree = importMemo.get(key);
  const hit = byTree?.get(signature);
  const all = nodes(chart);
  if (hit) {
    all.forEach((n, i) => {
      n.values = hit.values[i] ?? n.values;
      n.metaDeps?.forEach((d, j) => {
        const iv = hit.importValues[i]?.[j];
        if (iv) d.importValues = iv;
      });
    });
    notes.push(...hit.notes);
    return undefined;
  }
  const mine: DependencyNote[] = [];
  const err = processDependencyImportValues({ ...ctx, prov: defaultsProvenance(caches) }, chart, mine, merge);
  notes.push(...mine);
  if (err) return err;
  const result: ImportResult = { values: all.map((n) => freezeDeep(n.values)), importValues: all.map((n) => (n.metaDeps ?? []).map((d) => d.importValues)), notes: mine };
  if (!byTree) importMemo.set(key, (byTree = new Map()));
  byTree.set(signature, result);
  // Environments of one chart enable a handful of subchart combinations; keep the recent ones.
  if (byTree.size > 8) byTree.delete(byTree.keys().next().value as string);
  return undefined;
}

export function processDependencyEnabled(
  ctx: CoalesceContext,
  c: WorkingChart,
  v: ValueMap,
  path: string,
  notes: DependencyNote[],
  memo: { replay?: Map<string, EnabledLevel>; record?: Map<string, EnabledLevel>; compatible?: typeof isCompatibleRange } = {},
): string | undefined {
  if (c.metaDeps === undefined) return undefined;
  const compatible = memo.compatible ?? isCompatibleRange;
  const chartDependencies: WorkingChart[] = [];
  for (const existing of c.dependencies) {
    if (c.metaDeps.some((req) => existing.name === req.name && compatible(req.version, existing.model.version))) continue;
    chartDependencies.push(existing);
  }
  for (const req of c.metaDeps) {
    const found = c.dependencies.find((ch) => ch.name === req.name && compatible(req.version, ch.model.version));
    if (found) chartDependencies.push({ ...found, name: req.alias ?? found.name });
    else if (c.dependencies.some((ch) => ch.name === req.name)) {
      notes.push({ message: `Dependency "${req.name}" wants version ${req.version ?? '*'}, but charts/ holds another version; Helm does not apply its alias or condition.`, file: req.file, line: req.line });
    }
    if (req.alias) req.name = req.alias;
  }
  c.dependencies = chartDependencies;
  for (const req of c.metaDeps) req.enabled = true;
  const replayed = memo.replay?.get(path);
  let cvals: ValueMap = {};
  if (replayed && replayed.enabled.length === c.metaDeps.length) {
    c.metaDeps.forEach((d, i) => (d.enabled = replayed.enabled[i] ?? true));
    notes.push(...replayed.notes);
  } else {
    // These coalesced values only decide tags and conditions: no provenance needed.
    const r = coalesceValues({ ...quiet(ctx), prov: new NoProvenance(ctx.prov) }, c, v, false);
    if ('error' in r) return r.error;
    cvals = r.values;
    const warned: DependencyNote[] = [];
    processDependencyTags(c.metaDeps, cvals, warned);
    processDependencyConditions(c.metaDeps, cvals, path, warned);
    notes.push(...warned);
    memo.record?.set(path, { enabled: c.metaDeps.map((d) => d.enabled), notes: warned });
  }
  const removed = new Set(c.metaDeps.filter((d) => !d.enabled).map((d) => d.name));
  const cd = c.dependencies.filter((n) => !removed.has(n.name));
  const cdMeta = c.metaDeps.filter((n) => !removed.has(n.name));
  for (const t of cd) {
    const err = processDependencyEnabled(ctx, t, cvals, `${path}${t.name}.`, notes, memo);
    if (err) return err;
  }
  c.metaDeps = cdMeta;
  c.dependencies = cd;
  return undefined;
}

function processDependencyTags(reqs: WorkingDep[], cvals: ValueMap, notes: DependencyNote[]): void {
  const tags = cvals.tags;
  if (!isTable(tags)) return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags) {
      if (!hasOwn(tags, k)) continue;
      const b = tags[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else notes.push({ message: `Warning: Tag '${k}' for chart ${r.name} returned non-bool value`, file: r.file, line: r.line });
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else if (hasTrue || !hasFalse) r.enabled = true;
  }
}

/** Values.PathValue: a non-table value at a dotted path. */
function pathValue(root: ValueMap, path: string): { found: true; value: Value } | { found: false } {
  const parts = path.split('.');
  let cur: Value = root;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isTable(cur)) return { found: false };
    const next: Value | undefined = hasOwn(cur, parts[i] ?? '') ? cur[parts[i] ?? ''] : undefined;
    if (next === undefined || !isTable(next)) return { found: false };
    cur = next;
  }
  const last = parts[parts.length - 1] ?? '';
  if (!isTable(cur) || !hasOwn(cur, last)) return { found: false };
  const v = cur[last] ?? null;
  if (isTable(v)) return { found: false };
  return { found: true, value: v };
}

function processDependencyConditions(reqs: WorkingDep[], cvals: ValueMap, cpath: string, notes: DependencyNote[]): void {
  for (const r of reqs) {
    for (const c of (r.condition ?? '').trim().split(',')) {
      if (c.length === 0) continue;
      const pv = pathValue(cvals, cpath + c);
      if (!pv.found) continue;
      if (typeof pv.value === 'boolean') {
        r.enabled = pv.value;
        break;
      }
      notes.push({ message: `Warning: Condition path '${c}' for chart ${r.name} returned non-bool value`, file: r.file, line: r.line });
    }
  }
}

/** Imports values from children to parents, bottom-up. Helm 4 and 3.12+ installs use merge mode. */
export function processDependencyImportValues(ctx: CoalesceContext, c: WorkingChart, notes: DependencyNote[], merge: boolean): string | undefined {
  for (const d of c.dependencies) {
    const err = processDependencyImportValues(ctx, d, notes, merge);
    if (err) return err;
  }
  return processImportValues(ctx, c, notes, merge);
}

/** Values.Table: the map at a dotted path (the same object, as in Go). */
function table(root: ValueMap, path: string): ValueMap | undefined {
  let cur: Value = root;
  for (const p of path.split('.')) {
    if (!isTable(cur) || !hasOwn(cur, p)) return undefined;
    cur = cur[p] ?? null;
  }
  return isTable(cur) ? cur : undefined;
}

function pathToMap(prov: Provenance, path: string, data: ValueMap): ValueMap {
  if (path === '.') return data;
  const parts = path.split('.').filter((p) => p !== '');
  let out: ValueMap = data;
  for (let i = parts.length - 1; i >= 0; i--) {
    const wrap: ValueMap = {};
    setOwn(wrap, parts[i] ?? '', out);
    if (i === parts.length - 1) prov.set(wrap, parts[i] ?? '', { source: { kind: 'helm', reason: 'import-values' }, value: null, shadowed: [], via: 'import' });
    out = wrap;
  }
  return out;
}

function processImportValues(ctx: CoalesceContext, c: WorkingChart, notes: DependencyNote[], merge: boolean): string | undefined {
  if (c.metaDeps === undefined) return undefined;
  const r = coalesceValues(quiet(ctx), c, null, merge);
  if ('error' in r) return r.error;
  const cvals = r.values;
  let b: ValueMap = {};
  for (const dep of c.metaDeps) {
    const out: unknown[] = [];
    for (const riv of dep.importValues) {
      if (isTable(riv as Value)) {
        const iv = riv as Record<string, unknown>;
        const child = goString(iv.child);
        const parent = goString(iv.parent);
        out.push({ child, parent });
        const vv = table(cvals, `${dep.name}.${child}`);
        if (!vv) {
          notes.push({ message: `import-values: table ${dep.name}.${child} is missing from the values of subchart ${dep.name}; nothing imported to ${parent}.`, file: dep.file, line: dep.line });
          continue;
        }
        b = coalesceTablesFullKey(quiet(ctx), b, pathToMap(ctx.prov, parent, ctx.prov.copy(vv)), '', merge) ?? b;
      } else if (typeof riv === 'string') {
        out.push({ child: `exports.${riv}`, parent: '.' });
        const vm = table(cvals, `${dep.name}.exports.${riv}`);
        if (!vm) {
          notes.push({ message: `import-values: ${dep.name} exports no table "${riv}" (exports.${riv}); nothing imported.`, file: dep.file, line: dep.line });
          continue;
        }
        b = coalesceTablesFullKey(quiet(ctx), b, ctx.prov.copy(vm), '', merge) ?? b;
      }
    }
    dep.importValues = out;
  }
  // Imported values rank below the parent's own values: cvals is authoritative over b. Helm deep-copies cvals
  // first; here nothing else holds cvals (b holds copies of what it imported), and shared maps are copied on write.
  if (!merge) cleanNilsOwned(ctx.prov, cvals);
  c.values = coalesceTablesFullKey(quiet(ctx), cvals, b, '', true) ?? cvals;
  return undefined;
}

function goString(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

