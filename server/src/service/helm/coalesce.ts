// Helm's value coalescing (pkg/chart/common/util/coalesce.go in Helm 4, pkg/chartutil/coalesce.go in Helm 3),
// reproduced on plain values with provenance recorded as values move. The functions mutate their `dst`/`v`
// arguments exactly where Helm's do, so sharing between maps (globals) behaves as in Helm.
//
// Copy-on-write: Helm deep-copies the chart defaults before every coalesce. Here chart defaults (and the values
// after import-values processing) are frozen and shared: a frozen map is placed in the result as is, and is copied
// (shallowly, one level at a time) only where a merge writes into it. A frozen map's descendants are all frozen;
// an owned (unfrozen) map may hold frozen ones. `src` arguments are only read. Globals are owned entirely before
// subcharts see them, because Helm shares their inner maps between parent and subchart (maps.Copy is shallow).
import type { Value, ValueMap } from '../types';
import type { Provenance } from './provenance';
import { hasOwn, isTable, setOwn } from '../values/valueUtil';
import { goValue } from './goFormat';
import { cleansChartDefaultNils, hasBehaviour, type HelmRelease } from './versions';

/** The Helm release whose rules are reproduced (see versions.ts: the engine asks it about each behaviour change). */
export type HelmVersion = HelmRelease;

/** A chart as the coalescer sees it: its name (alias applied), default values, and dependencies (enabled ones). */
export interface CoalesceChart {
  name: string;
  /** Chart defaults. Never mutated by coalescing (copied first, as Helm does). */
  values: ValueMap;
  dependencies: CoalesceChart[];
}

export interface CoalesceContext {
  prov: Provenance;
  version: HelmVersion;
  /** Helm's warning text, and where the winning (higher) value sits. */
  warn: (message: string, at?: { container: object; key: string }) => void;
}

export type CoalesceResult = { values: ValueMap } | { error: string; values: ValueMap };

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/** CoalesceValues (merge=false) or MergeValues (merge=true): user values `vals` over the chart tree's defaults. */
export function coalesceValues(ctx: CoalesceContext, chart: CoalesceChart, vals: ValueMap | null, merge: boolean): CoalesceResult {
  freezeChart(chart);
  const copy = vals === null ? {} : ctx.prov.copy(vals);
  const dest = Object.isFrozen(copy) ? ctx.prov.copyShallow(copy) : copy;
  return coalesce(ctx, chart, dest, '', merge);
}

/** Chart defaults are never written: freezing makes them shareable (and any write a loud error). */
function freezeChart(chart: CoalesceChart): void {
  freezeDeep(chart.values);
  for (const d of chart.dependencies) freezeChart(d);
}

/** Freezes maps and lists bottom-up, stopping at frozen ones (whose descendants are frozen already). */
export function freezeDeep<T extends Value>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    if (Array.isArray(v)) for (const x of v) freezeDeep(x);
    else for (const k of Object.keys(v)) freezeDeep(v[k] ?? null);
    Object.freeze(v);
  }
  return v;
}

/** container[key] (a map) made writable: a frozen map is replaced by a shallow copy carrying its slots. */
function ownTable(prov: Provenance, container: ValueMap, key: string): ValueMap {
  const v = container[key] as ValueMap;
  if (!Object.isFrozen(v)) return v;
  const c = prov.copyShallow(v);
  setOwn(container, key, c);
  return c;
}

/** container[key] made writable all the way down (maps only: lists are replaced whole, never written). */
function ownDeep(prov: Provenance, container: ValueMap, key: string): void {
  if (!isTable(container[key] ?? null)) return;
  const t = ownTable(prov, container, key);
  for (const k of Object.keys(t)) if (isTable(t[k] ?? null)) ownDeep(prov, t, k);
}

/** Whether a map holds a null at any depth (through maps only, as cleanNilValues looks). Memoized for frozen maps. */
function hasNil(prov: Provenance, m: ValueMap): boolean {
  const nilInside = prov.frozenHasNil;
  const hit = nilInside.get(m);
  if (hit !== undefined) return hit;
  let r = false;
  for (const k of Object.keys(m)) {
    const v = m[k] ?? null;
    if (v === null || (isTable(v) && hasNil(prov, v))) {
      r = true;
      break;
    }
  }
  if (Object.isFrozen(m)) nilInside.set(m, r);
  return r;
}

/** Helm's cleanNilValues (4.2+, chart defaults) without writing into shared maps: `m` itself when it holds no null, else a cleaned copy. */
function withoutNils(prov: Provenance, m: ValueMap): ValueMap {
  if (!hasNil(prov, m)) return m;
  // A frozen map (chart defaults) is cleaned once for every merge: the copy is frozen too, its slots kept by the
  // root provenance, which answers for frozen maps in every merge (and records them even when `prov` is a
  // NoProvenance pass).
  const frozen = Object.isFrozen(m);
  if (frozen) {
    const hit = prov.frozenWithoutNils.get(m);
    if (hit) return hit as ValueMap;
  }
  const owner = frozen ? prov.root : prov;
  const out: ValueMap = {};
  for (const k of Object.keys(m)) {
    const v = m[k] ?? null;
    if (v === null) continue;
    setOwn(out, k, isTable(v) ? withoutNils(owner, v) : v);
    owner.move(m, out, k);
  }
  if (frozen) {
    Object.freeze(out);
    prov.frozenHasNil.set(out, false);
    prov.frozenWithoutNils.set(m, out);
  }
  return out;
}

/** Helm's cleanNilValues / trimNilValues in place, on a writable map whose children may be shared. */
export function cleanNilsOwned(prov: Provenance, m: ValueMap): void {
  for (const key of Object.keys(m)) {
    const v = m[key] ?? null;
    if (v === null) delete m[key];
    else if (isTable(v) && hasNil(prov, v)) cleanNilsOwned(prov, ownTable(prov, m, key));
  }
}

function coalesce(ctx: CoalesceContext, chart: CoalesceChart, dest: ValueMap, prefix: string, merge: boolean): CoalesceResult {
  coalesceChartValues(ctx, chart, dest, prefix, merge);
  return coalesceDeps(ctx, chart, dest, prefix, merge);
}

function coalesceDeps(ctx: CoalesceContext, chart: CoalesceChart, dest: ValueMap, prefix: string, merge: boolean): CoalesceResult {
  for (const sub of chart.dependencies) {
    if (!hasOwn(dest, sub.name)) {
      setOwn(dest, sub.name, {});
      ctx.prov.set(dest, sub.name, { source: { kind: 'helm', reason: `values of subchart ${sub.name}` }, value: null, shadowed: [] });
    } else if (!isTable(dest[sub.name])) {
      return { error: `type mismatch on ${sub.name}: ${goBoolVerb(dest[sub.name] ?? null)}`, values: dest };
    }
    if (!isTable(dest[sub.name] ?? null)) continue;
    const dv = ownTable(ctx.prov, dest, sub.name);
    const subPrefix = concatPrefix(prefix, chart.name);
    coalesceGlobals(ctx, dv, dest, subPrefix);
    const r = coalesce(ctx, sub, dv, subPrefix, merge);
    setOwn(dest, sub.name, r.values);
    if ('error' in r) return { error: r.error, values: dest };
  }
  return { values: dest };
}

/** Go's `%t` applied to a non-bool, as in Helm's "type mismatch" error. */
function goBoolVerb(v: Value): string {
  if (typeof v === 'boolean') return String(v);
  const type = v === null ? '<nil>' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'float64' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
  return v === null ? '%!t(<nil>)' : `%!t(${type}=${goValue(v)})`;
}

function coalesceGlobals(ctx: CoalesceContext, dest: ValueMap, src: ValueMap, prefix: string): void {
  const { prov } = ctx;
  let dg: ValueMap;
  let sg: ValueMap;
  ownDeep(prov, dest, 'global');
  ownDeep(prov, src, 'global');
  if (!hasOwn(dest, 'global')) dg = {};
  else {
    const g = dest.global;
    if (!isTable(g)) {
      ctx.warn('warning: skipping globals because destination global is not a table.', { container: dest, key: 'global' });
      return;
    }
    dg = g;
  }
  if (!hasOwn(src, 'global')) sg = {};
  else {
    const g = src.global;
    if (!isTable(g)) {
      ctx.warn('warning: skipping globals because source global is not a table.', { container: src, key: 'global' });
      return;
    }
    sg = g;
  }
  for (const key of Object.keys(sg)) {
    const val = sg[key] ?? null;
    if (isTable(val)) {
      const vv = prov.copyShallow(val);
      if (!hasOwn(dg, key)) {
        setOwn(dg, key, vv);
        prov.move(sg, dg, key, 'global');
      } else {
        const destv = dg[key];
        if (!isTable(destv)) {
          ctx.warn(`Conflict: cannot merge map onto non-map for "${key}". Skipping.`, { container: dg, key });
        } else {
          coalesceTablesFullKey(ctx, vv, destv, concatPrefix(prefix, key), true);
          const lower = prov.get(dg, key);
          setOwn(dg, key, vv);
          prov.move(sg, dg, key, 'global');
          prov.shadow(dg, key, lower, destv);
        }
      }
    } else if (hasOwn(dg, key) && isTable(dg[key])) {
      ctx.warn(`key ${key} is table. Skipping`, { container: dg, key });
    } else {
      const had = hasOwn(dg, key);
      const old = dg[key];
      setOwn(dg, key, val);
      prov.replace(dg, key, withVia(prov.get(sg, key), 'global'), old, had);
    }
  }
  if (!hasOwn(dest, 'global')) prov.set(dest, 'global', { source: { kind: 'helm', reason: 'global values passed down to subcharts' }, value: null, shadowed: [] });
  setOwn(dest, 'global', dg);
}

function withVia<T extends { via?: string }>(s: T | undefined, via: string): T | undefined {
  return s ? { ...s, via } : s;
}

function coalesceChartValues(ctx: CoalesceContext, chart: CoalesceChart, v: ValueMap, prefix: string, merge: boolean): void {
  const { prov } = ctx;
  const subPrefix = concatPrefix(prefix, chart.name);
  // Helm copies the defaults first (vc); they are frozen here, so they are read in place and shared.
  const vc = chart.values;
  // Helm 4.2.0+ (00638773d): when coalescing, nils in chart defaults are dropped, at every level: the root chart's
  // values too, which after dependency processing hold copies of subchart defaults (helm/helm#32132).
  const cleanNils = cleansChartDefaultNils(ctx.version);
  const cleanDefaults = cleanNils && !merge;
  const childChartMerge = hasBehaviour(ctx.version, 'child-chart-merge');
  for (const key of Object.keys(vc)) {
    let val = vc[key] ?? null;
    if (hasOwn(v, key)) {
      const value = v[key] ?? null;
      if (value === null && !merge) {
        prov.remove(v, key, prov.get(vc, key));
        delete v[key];
      } else if (isTable(value)) {
        if (!isTable(val)) {
          if (val !== null) {
            ctx.warn(`warning: skipped value for ${subPrefix}.${key}: Not a table.`, { container: v, key });
          }
          prov.shadow(v, key, prov.get(vc, key), val);
        } else {
          const childMerge = childChartMerge && chart.dependencies.some((d) => d.name === key) ? true : merge;
          if (cleanNils && !childMerge) val = withoutNils(prov, val);
          coalesceTablesFullKey(ctx, ownTable(prov, v, key), val, concatPrefix(subPrefix, key), childMerge);
          prov.shadow(v, key, prov.get(vc, key), val);
        }
      } else {
        prov.shadow(v, key, prov.get(vc, key), val);
      }
    } else {
      if (cleanDefaults) {
        if (val === null) continue;
        if (isTable(val)) val = withoutNils(prov, val);
      }
      setOwn(v, key, val);
      prov.move(vc, v, key);
    }
  }
}

/** CoalesceTables / MergeTables: `dst` is authoritative; fills in from `src`. Writes into `dst` only. */
export function coalesceTablesFullKey(ctx: CoalesceContext, dst: ValueMap | null, src: ValueMap | null, prefix: string, merge: boolean): ValueMap | null {
  const { prov } = ctx;
  if (src === null) return dst;
  if (dst === null) return src;
  // Helm (3.19.5+, 4.x: "fix null merge") writes src[key] = nil for each null in dst so the loop below sees the
  // user's null; `nulled` is that view of src, without writing into it. The lower value's provenance is kept.
  const nullMergeFix = hasBehaviour(ctx.version, 'null-merge-fix');
  const keepNullWithoutDefault = hasBehaviour(ctx.version, 'keep-null-without-default');
  let nulled: Set<string> | undefined;
  for (const key of Object.keys(dst)) {
    if (dst[key] !== null) continue;
    if (hasOwn(src, key) && src[key] !== null) prov.remove(dst, key, prov.get(src, key));
    if (nullMergeFix) (nulled ??= new Set()).add(key);
  }
  const keys = nulled ? [...Object.keys(src), ...[...nulled].filter((k) => !hasOwn(src, k))] : Object.keys(src);
  for (const key of keys) {
    const srcNonNil = hasOwn(src, key) && src[key] !== null;
    const val = nulled?.has(key) ? null : (src[key] ?? null);
    const fullkey = concatPrefix(prefix, key);
    const ok = hasOwn(dst, key);
    const dv = ok ? (dst[key] ?? null) : undefined;
    // Since 3.20.1 / 4.1.3 (helm/helm#31643) a null is deleted only over a non-null lower value.
    const deleteNull = ok && !merge && dv === null && (!keepNullWithoutDefault || srcNonNil);
    if (deleteNull) {
      if (!prov.removal(dst, key)) prov.remove(dst, key, prov.get(src, key));
      delete dst[key];
    } else if (!ok) {
      setOwn(dst, key, val);
      prov.move(src, dst, key);
    } else if (isTable(val)) {
      if (isTable(dv)) {
        coalesceTablesFullKey(ctx, ownTable(prov, dst, key), val, fullkey, merge);
        prov.shadow(dst, key, prov.get(src, key), val);
      } else {
        ctx.warn(`warning: cannot overwrite table with non table for ${fullkey} (${goValue(val)})`, { container: dst, key });
        prov.shadow(dst, key, prov.get(src, key), val);
      }
    } else if (isTable(dv) && val !== null) {
      ctx.warn(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${goValue(val)})`, { container: dst, key });
      prov.shadow(dst, key, prov.get(src, key), val);
    } else if (dv !== null) {
      prov.shadow(dst, key, prov.get(src, key), val);
    }
  }
  return dst;
}

/** Helm's MergeMaps (-f layering, multi-document files): `b` wins; recursive only where both sides are maps. Mutates and returns `a`. */
export function mergeMaps(prov: Provenance, a: ValueMap, b: ValueMap): ValueMap {
  for (const k of Object.keys(b)) {
    const v = b[k] ?? null;
    const had = hasOwn(a, k);
    const old = a[k];
    if (isTable(v) && had && isTable(old)) {
      const lower = prov.get(a, k);
      mergeMaps(prov, ownTable(prov, a, k), v);
      prov.replace(a, k, prov.get(b, k), undefined, false);
      const w = prov.get(a, k);
      if (w && lower) prov.set(a, k, { ...w, value: old, shadowed: [...w.shadowed, { source: lower.source, value: old }, ...lower.shadowed] });
      continue;
    }
    setOwn(a, k, v);
    prov.replace(a, k, prov.get(b, k), old ?? null, had);
  }
  return a;
}
