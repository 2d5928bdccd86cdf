// The precedence chain of one key: its effective value, the layer it came from, and what it shadows.
import type { Value } from '../types';
import type { PathSegment } from '../values/paths';
import type { Effective } from './effective';
import type { Candidate, Source } from './provenance';
import { hasOwn, isTable } from '../values/valueUtil';

import { formatPath } from '../values/paths';

export { formatPath, parsePathExpression } from '../values/paths';

export interface Explanation {
  path: string;
  segments: PathSegment[];
  found: boolean;
  value?: Value;
  source?: Source;
  via?: string;
  shadowed: Candidate[];
  /** When the key is absent because a user null removed it. */
  removedBy?: Source;
}

export function explainPath(effective: Effective, segments: PathSegment[]): Explanation {
  const base = { path: formatPath(segments), segments, shadowed: [] as Candidate[] };
  let container: Value = effective.values;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as PathSegment;
    const last = i === segments.length - 1;
    const present = typeof seg === 'number' ? Array.isArray(container) && seg < container.length : isTable(container) && hasOwn(container, seg);
    if (!present) {
      const removal = container !== null && typeof container === 'object' ? effective.prov.removal(container, seg) : undefined;
      return removal ? { ...base, found: false, removedBy: removal.source, shadowed: removal.shadowed } : { ...base, found: false };
    }
    const value: Value = (container as Record<string | number, Value>)[seg] ?? null;
    if (last) {
      const slot = effective.prov.get(container as object, seg);
      return { ...base, found: true, value, ...(slot ? { source: slot.source, shadowed: slot.shadowed, ...(slot.via ? { via: slot.via } : {}) } : {}) };
    }
    container = value;
  }
  return { ...base, found: false };
}

/** A source as the CLI's JSON contract prints it. */
export function sourceJson(s: Source | undefined): Record<string, unknown> | null {
  if (!s) return null;
  if (s.kind === 'file') return { file: s.file, line: s.line, column: s.column, layer: s.layer, ...(s.chart ? { chart: s.chart } : {}), ...(s.document !== undefined ? { document: s.document + 1 } : {}), ...(s.origin ? { origin: s.origin } : {}) };
  // A flag a manifest passes (an Argo CD parameter, a Flux targetPath, a helmfile set) is where the manifest sets it.
  if (s.kind === 'flag') return { flag: s.flag, arg: s.arg, ...(s.at ? { file: s.at.file, line: s.at.line, column: s.at.column } : {}), ...(s.origin ? { origin: s.origin } : {}), ...(s.detail ? { detail: s.detail } : {}) };
  return { helm: s.reason };
}

export function sourceText(s: Source | undefined): string {
  if (!s) return '(unknown)';
  if (s.kind === 'file') return `${s.origin ? `${s.origin}, ` : ''}${s.file}:${s.line}${s.document !== undefined ? ` (document ${s.document + 1})` : ''}`;
  if (s.kind === 'flag') return s.at ? manifestFlagText(s, `${s.at.file}:${s.at.line}`) : `${s.flag} ${s.arg}`;
  return `(${s.reason})`;
}

/** `Application prod-eu (apps/prod-eu.yaml:23), parameter image.tag`: a flag that a manifest passes, where it does. */
export function manifestFlagText(s: Source & { kind: 'flag' }, place: string): string {
  return `${s.origin ?? s.flag} (${place}), ${s.detail ?? `${s.flag} ${s.arg}`}`;
}
