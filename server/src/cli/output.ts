// Output helpers: values with map keys sorted, as Helm prints them (Go's JSON/YAML encoders sort keys).
import type { Value } from '../service/types';

export function sortedValue(v: Value): Value {
  if (Array.isArray(v)) return v.map(sortedValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const k of Object.keys(v).sort()) {
      const x = sortedValue(v[k] ?? null);
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }
  return v;
}
