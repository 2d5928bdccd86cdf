// Helm's globals as a chart's templates see them (helm-semantics B6). Globals flow down only: coalesceGlobals writes
// the parent's `global` over a subchart's own `global:` defaults (parent authoritative, tables merged), so the
// effective values hold each subchart's view at `<alias>.global` (the root's at `global`). A subchart template's
// `.Values.global.x` is therefore `<alias>.global.x` in root coordinates, and its value is supplied by the `global.x`
// of the chart itself and of every chart above it, nothing below.
import type { PathSegment } from '../values/paths';

/** A root-coordinate path into a chart's view of the globals: `[...place, 'global', ...rest]`. */
export interface GlobalRead<S extends PathSegment = PathSegment> {
  /** The place of the chart whose view it is (`[]`: the root's). */
  place: string[];
  rest: S[];
}

/**
 * Whether a root-coordinate path lies in the globals view of one of the chart places given (the root's `[]`
 * included, whether given or not): the shortest such place.
 */
export function globalReadOf<S extends PathSegment>(path: readonly S[], places: readonly (readonly string[])[]): GlobalRead<S> | undefined {
  let best: string[] | undefined = path[0] === 'global' ? [] : undefined;
  for (const p of places) {
    if (path.length <= p.length || path[p.length] !== 'global' || (best && best.length <= p.length)) continue;
    if (p.every((s, i) => path[i] === s)) best = [...p];
  }
  return best ? { place: best, rest: path.slice(best.length + 1) } : undefined;
}

/**
 * The root-coordinate paths whose values flow into a chart's `global.<rest>`: the `global.<rest>` of each chart above
 * it, the root's first (the most authoritative), then its own. Every segment of a place is a subchart key, so the
 * heads of a place are the places of the charts above it.
 */
export function globalSources<S extends PathSegment>(read: GlobalRead<S>): (S | string)[][] {
  const out: (S | string)[][] = [];
  for (let k = 0; k <= read.place.length; k++) out.push([...read.place.slice(0, k), 'global', ...read.rest]);
  return out;
}
