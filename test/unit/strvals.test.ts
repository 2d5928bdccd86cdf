// Helm's own --set family tests (test/fixtures/helm-vectors/strvals.json) run against strvals.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSetInto, setIndex, type ParseSetOptions, type SetFlag } from '../../server/src/service/helm/strvals';
import { assertYamlEqual } from './vectorUtil';

interface CliOptions {
  values?: Record<string, unknown>[];
  setJson?: string[];
  set?: string[];
  setString?: string[];
  setFile?: string[];
  setLiteral?: string[];
}

interface Vector {
  name: string;
  kind: SetFlag | 'cli-options' | 'internal-setIndex';
  input?: string;
  thenInputs?: string[];
  initial?: unknown;
  files?: Record<string, string>;
  options?: CliOptions;
  index?: number;
  value?: unknown;
  expected?: unknown;
  error?: boolean;
  errorMessage?: string;
}

const file = JSON.parse(readFileSync(new URL('../fixtures/helm-vectors/strvals.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Helm's MergeMaps: a copy of `a` with `b` laid over it, recursing only where both sides hold maps. */
function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isMap(v) && Object.prototype.hasOwnProperty.call(out, k) && isMap(cur) ? mergeMaps(cur, v) : v;
  }
  return out;
}

/** pkg/cli/values Options.MergeValues (Helm 4): -f files, then --set-json, --set, --set-string, --set-file, --set-literal. */
function applyCliOptions(opts: CliOptions, options: ParseSetOptions): { value: Record<string, unknown> } | { error: string } {
  let base: Record<string, unknown> = {};
  for (const values of opts.values ?? []) base = mergeMaps(base, values);
  for (const arg of opts.setJson ?? []) {
    const trimmed = arg.trim();
    if (trimmed.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch {
        return { error: `failed parsing --set-json data JSON: ${arg}` };
      }
      if (!isMap(parsed)) return { error: `failed parsing --set-json data JSON: ${arg}` };
      base = mergeMaps(base, parsed);
    } else if (parseSetInto('set-json', arg, base, options) !== undefined) {
      return { error: `failed parsing --set-json data ${arg}` };
    }
  }
  const rest: [SetFlag, string[] | undefined][] = [
    ['set', opts.set],
    ['set-string', opts.setString],
    ['set-file', opts.setFile],
    ['set-literal', opts.setLiteral],
  ];
  for (const [flag, args] of rest) {
    for (const arg of args ?? []) {
      const err = parseSetInto(flag, arg, base, options);
      if (err !== undefined) return { error: `failed parsing --${flag} data: ${err}` };
    }
  }
  return { value: base };
}

function parseVector(v: Vector, options: ParseSetOptions): { value: unknown } | { error: string } {
  if (v.kind === 'cli-options') return applyCliOptions(v.options ?? {}, options);
  if (v.kind === 'internal-setIndex') {
    const list = structuredClone(v.initial) as unknown[];
    const r = setIndex(list, v.index ?? 0, v.value);
    // Errors must leave the list unchanged.
    if ('error' in r) assertYamlEqual(list, v.expected, 'list after a refused index');
    return 'error' in r ? r : { value: r.list };
  }
  const dest = (v.initial === undefined ? {} : structuredClone(v.initial)) as Record<string, unknown>;
  for (const input of [v.input ?? '', ...(v.thenInputs ?? [])]) {
    const err = parseSetInto(v.kind, input, dest, options);
    if (err !== undefined) return { error: err };
  }
  return { value: dest };
}

file.vectors.forEach((v, i) => {
  test(`strvals vector ${i}: ${v.name}`, () => {
    const files = v.files ?? {};
    const options: ParseSetOptions = { readFile: (p) => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined) };
    const r = parseVector(v, options);
    if (v.error) {
      assert.ok('error' in r, `expected an error, got ${JSON.stringify(r)}`);
      if (v.errorMessage !== undefined) assert.equal(r.error, v.errorMessage);
      return;
    }
    assert.ok(!('error' in r), 'error' in r ? r.error : '');
    assertYamlEqual(r.value, v.expected);
  });
});
