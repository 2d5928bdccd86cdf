// Go's `%v` rendering of values, for messages that quote Helm's own wording.
import type { Value } from '../types';
import { goFormatFloat } from '../yaml/scalars';

export function goValue(v: Value | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFormatFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
}
