// Helm's value coalescing (pkg/chart/common/util/coalesce.go in Helm 4, pkg/chartutil/coalesce.go in Helm 3),
// reproduced on plain values with provenance recorded as values move. The functions mutate their `dst`/`v`
// arguments exactly where Helm's do, so sharing between maps (globals) behaves as in Helm.
import type { Value, ValueMap } from '../types';
import type { Provenance } from './provenance';
import { hasOwn, isTable, setOwn } from './valueUtil';
import { goValue } from './goFormat';

export type HelmVersion = 3 | 4;

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
  const dest = vals === null ? {} : ctx.prov.copy(vals);
  return coalesce(ctx, chart, dest, '', merge);
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
    const dv = dest[sub.name];
    if (!isTable(dv)) continue;
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
  const vc = prov.copy(chart.values);
  const cleanDefaults = ctx.version === 4 && !merge && prefix !== '';
  for (const key of Object.keys(vc)) {
    const val = vc[key] ?? null;
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
          const childMerge = chart.dependencies.some((d) => d.name === key) ? true : merge;
          if (ctx.version === 4 && !childMerge && prefix !== '') cleanNilValues(val);
          coalesceTablesFullKey(ctx, value, val, concatPrefix(subPrefix, key), childMerge);
          prov.shadow(v, key, prov.get(vc, key), val);
        }
      } else {
        prov.shadow(v, key, prov.get(vc, key), val);
      }
    } else {
      if (cleanDefaults) {
        if (val === null) continue;
        if (isTable(val)) cleanNilValues(val);
      }
      setOwn(v, key, val);
      prov.move(vc, v, key);
    }
  }
}

/** CoalesceTables / MergeTables: `dst` is authoritative; fills in from `src`. */
export function coalesceTablesFullKey(ctx: CoalesceContext, dst: ValueMap | null, src: ValueMap | null, prefix: string, merge: boolean): ValueMap | null {
  const { prov } = ctx;
  if (src === null) return dst;
  if (dst === null) return src;
  const srcOriginalNonNil = new Set<string>();
  for (const key of Object.keys(src)) if (src[key] !== null) srcOriginalNonNil.add(key);
  for (const key of Object.keys(dst)) {
    if (dst[key] !== null) continue;
    // Helm writes src[key] = nil so the loop below sees the user's null; keep the lower value's provenance.
    if (hasOwn(src, key) && src[key] !== null) prov.remove(dst, key, prov.get(src, key));
    src[key] = null;
  }
  for (const key of Object.keys(src)) {
    const val = src[key] ?? null;
    const fullkey = concatPrefix(prefix, key);
    const ok = hasOwn(dst, key);
    const dv = ok ? (dst[key] ?? null) : undefined;
    const deleteNull = ctx.version === 4 ? ok && !merge && dv === null && srcOriginalNonNil.has(key) : ok && !merge && dv === null;
    if (deleteNull) {
      if (!prov.removal(dst, key)) prov.remove(dst, key, prov.get(src, key));
      delete dst[key];
    } else if (!ok) {
      setOwn(dst, key, val);
      prov.move(src, dst, key);
    } else if (isTable(val)) {
      if (isTable(dv)) {
        coalesceTablesFullKey(ctx, dv, val, fullkey, merge);
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

/** Removes nils recursively, in place (Helm 4.2+ cleanNilValues on subchart defaults; trimNilValues). */
export function cleanNilValues(m: ValueMap): void {
  for (const key of Object.keys(m)) {
    const v = m[key] ?? null;
    if (v === null) delete m[key];
    else if (isTable(v)) cleanNilValues(v);
  }
}

/** Helm's MergeMaps (-f layering, multi-document files): `b` wins; recursive only where both sides are maps. Mutates and returns `a`. */
export function mergeMaps(prov: Provenance, a: ValueMap, b: ValueMap): ValueMap {
  for (const k of Object.keys(b)) {
    const v = b[k] ?? null;
    const had = hasOwn(a, k);
    const old = a[k];
    if (isTable(v) && had && isTable(old)) {
      const lower = prov.get(a, k);
      mergeMaps(prov, old, v);
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
