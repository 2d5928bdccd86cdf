// Helpers for the Helm vector tests (unit and CLI): dotted-path lookup and YAML-equality (numbers by value).
import assert from 'node:assert/strict';

/** Dotted-path lookup in plain values (a service Value or parsed JSON): found or not, and the value. */
export function lookup<V>(root: V, dotted: string): { found: boolean; value?: V } {
  let cur: unknown = root;
  for (const seg of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
    cur = (cur as Record<string, unknown>)[seg] ?? null;
  }
  return { found: true, value: cur as V };
}

/** YAML equality: map key order is irrelevant, numbers compare by value. */
export function assertYamlEqual(actual: unknown, expected: unknown, label = ''): void {
  assert.deepStrictEqual(normalize(actual), normalize(expected), label);
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = normalize((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
