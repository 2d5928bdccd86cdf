// Small helpers over plain values, shared by the parser, the engine and the features. Generic: this folder imports
// nothing of the service but its plain types, so every other folder can depend on it without a cycle.
import type { Value, ValueMap } from '../types';

/** A Go map[string]interface{}: a plain object that is not a list and not null. */
export function isTable(v: unknown): v is ValueMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sets an own property, even for keys such as `__proto__`, so no input can reach an object's prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}

/** Deep copy of a value (maps and lists are new objects; scalars are shared). */
export function deepCopy<T extends Value | undefined>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (isTable(v)) {
    const out: ValueMap = {};
    for (const k of Object.keys(v)) setOwn(out, k, deepCopy(v[k]));
    return out as T;
  }
  return v;
}

/** Reads a dotted path of map keys; undefined when any step is missing or not a map. */
export function getPath(root: Value, path: readonly (string | number)[]): Value | undefined {
  let cur: Value | undefined = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      if (!isTable(cur) || !hasOwn(cur, seg)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}
