// Helpers for the Helm vector tests: dotted-path lookup and YAML-equality (numbers by value).
import assert from 'node:assert/strict';
import type { Value } from '../../server/src/service/types';

export function lookup(root: Value, dotted: string): { found: boolean; value?: Value } {
  let cur: Value = root;
  for (const seg of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
    cur = (cur as Record<string, Value>)[seg] ?? null;
  }
  return { found: true, value: cur };
}

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
