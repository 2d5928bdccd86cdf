// The on-disk cache of compiled validators (server/src/host/validatorCache.ts) never changes a result: on every
// corpus chart with a schema (and the benchmark's 290 KB kube-prometheus-stack schema, and Helm's schema vectors),
// a validator loaded from the cache gives the same errors as a fresh compile, on the chart's values and on mutated
// values that break the schema. And the cache is safe: a corrupt, partial or missing entry is compiled again, an
// unwritable directory only means no cache, the limits evict the least recently used entries, and a change in any
// referenced document is a miss, never a stale hit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema, validatorPreKey, type CompileOptions } from '../../server/src/host/schemaCompiler';
import { defaultValidatorCacheDir, ValidatorCache } from '../../server/src/host/validatorCache';
import type { CompiledSchema, SchemaDraft } from '../../server/src/service/schema/types';
import type { TextFile } from '../../server/src/service/types';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { filesNamed } from './fixture';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const corpus = join(repo, 'test', 'fixtures', 'corpus', 'charts');

/** A cache in a new temporary directory, counting its hits. */
function tempCache(limits: { maxEntries?: number; maxBytes?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hv-validators-'));
  const cache = new ValidatorCache({ dir, ...limits });
  let hits = 0;
  const read = cache.read.bind(cache);
  cache.read = (preKey, key) => {
    const code = read(preKey, key);
    if (code !== undefined) hits++;
    return code;
  };
  return { dir, cache, hits: () => hits, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A value of another JSON type than `v` (what breaks a `type` in the schema). */
function otherType(v: Json): Json {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return 'not-a-number';
  if (typeof v === 'boolean') return 'yes';
  if (v === null) return { unexpected: true };
  if (Array.isArray(v)) return { notAList: 1 };
  return 'not-a-map';
}

/** Paths of every value in a tree (maps and lists included), depth first. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: Json, at: (string | number)[], value: Json): Json {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, Json>;
  for (const seg of at.slice(0, -1)) node = node[seg] as Record<string | number, Json>;
  const last = at[at.length - 1];
  if (last !== undefined) node[last] = value;
  return copy;
}

/** The values and mutations of them: each value (a sample of at most 60) replaced by one of another type, unknown keys, everything replaced at once. */
function variants(values: Json): { name: string; data: Json }[] {
  const all = paths(values);
  const step = Math.max(1, Math.ceil(all.length / 60));
  const out: { name: string; data: Json }[] = [{ name: 'as shipped', data: values }];
  for (let i = 0; i < all.length; i += step) {
    const at = all[i] ?? [];
    let v: Json = values;
    for (const seg of at) v = (v as Record<string | number, Json>)[seg] as Json;
    out.push({ name: `${at.join('.')} → ${JSON.stringify(otherType(v)).slice(0, 20)}`, data: setAt(values, at, otherType(v)) });
  }
  const everything = structuredClone(values) as Json;
  const breakAll = (v: Json): Json => (Array.isArray(v) ? v.map(breakAll) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, breakAll(x)])) : otherType(v));
  out.push({ name: 'every scalar of another type', data: breakAll(everything) });
  out.push({ name: 'unknown top-level key', data: { ...(values as Record<string, Json>), helmValuesUnknownKey: { a: 1 } } });
  out.push({ name: 'not a map', data: ['a'] });
  return out;
}

function findings(schema: CompiledSchema, data: Json) {
  assert.ok(schema.validate, `${schema.file}: no validator (${schema.problems.map((p) => p.message).join('; ')})`);
  return schema.validate(data);
}

function assertSameFindings(name: string, fresh: CompiledSchema, cached: CompiledSchema, values: Json): number {
  assert.deepEqual(cached.problems, fresh.problems, `${name}: problems with the schema`);
  let broken = 0;
  for (const v of variants(values)) {
    const a = findings(fresh, v.data);
    const b = findings(cached, v.data);
    assert.deepEqual(b, a, `${name}, ${v.name}: cached and fresh validators disagree`);
    if (a.length > 0) broken++;
  }
  return broken;
}

const charts = filesNamed(corpus, 'values.schema.json').map((p) => ({ name: relative(corpus, dirname(p)), schema: p, values: join(dirname(p), 'values.yaml') }));
charts.push({ name: 'bench: kube-prometheus-stack (290 KB schema)', schema: join(repo, 'bench', 'data', 'kube-prometheus-stack.values.schema.json'), values: join(corpus, 'prometheus-community__helm-charts', 'charts', 'kube-prometheus-stack', 'values.yaml') });

test('the corpus has charts with schemas to compare on', () => {
  assert.ok(charts.length >= 20, `${charts.length} schemas`);
});

for (const draft of ['2020-12', '07'] as SchemaDraft[]) {
  test(`cached validators give the fresh compile's findings on every corpus chart with a schema (default draft ${draft})`, () => {
    const t = tempCache();
    try {
      for (const c of charts) {
        const file: TextFile = { path: c.schema, text: readFileSync(c.schema, 'utf8') };
        const values = (parseValuesDocument(c.values, readFileSync(c.values, 'utf8')).documents[0] ?? {}) as Json;
        const options: CompileOptions = { defaultDraft: draft };
        const fresh = compileSchema(file, options);
        const hitsBefore = t.hits();
        const first = compileSchema(file, { ...options, validatorCache: t.cache });
        assert.equal(t.hits(), hitsBefore, `${c.name}: an empty cache has nothing to give`);
        const reopened = compileSchema(file, { ...options, validatorCache: t.cache });
        assert.equal(t.hits(), hitsBefore + 1, `${c.name}: the second compile loads the cached validator`);
        assertSameFindings(`${c.name} (written)`, fresh, first, values);
        const broken = assertSameFindings(`${c.name} (loaded)`, fresh, reopened, values);
        assert.ok(broken > 0, `${c.name}: some mutation breaks the schema`);
      }
    } finally {
      t.dispose();
    }
  });
}

test("cached validators agree with fresh ones on Helm's schema vectors (refs, drafts, formats, patterns)", () => {
  const root = join(repo, 'test', 'fixtures', 'helm-vectors');
  const file = JSON.parse(readFileSync(join(root, 'schema.json'), 'utf8')) as { vectors: { name: string; schemaFile?: string; schema?: unknown; valuesFile?: string; values?: Json }[] };
  const t = tempCache();
  try {
    let compared = 0;
    for (const v of file.vectors) {
      const text = v.schemaFile ? readFileSync(join(root, v.schemaFile), 'utf8') : v.schema !== undefined ? JSON.stringify(v.schema) : undefined;
      if (text === undefined) continue;
      const path = v.schemaFile ? join(root, v.schemaFile) : join(root, 'inline.schema.json');
      const values = (v.valuesFile ? (parseValuesDocument(v.valuesFile, readFileSync(join(root, v.valuesFile), 'utf8')).documents[0] ?? {}) : (v.values ?? {})) as Json;
      const fresh = compileSchema({ path, text }, { defaultDraft: '2020-12' });
      compileSchema({ path, text }, { defaultDraft: '2020-12', validatorCache: t.cache });
      const cached = compileSchema({ path, text }, { defaultDraft: '2020-12', validatorCache: t.cache });
      if (!fresh.validate) {
        assert.deepEqual(cached.problems, fresh.problems, v.name);
        continue;
      }
      assertSameFindings(v.name, fresh, cached, values);
      compared++;
    }
    assert.ok(compared >= 3 && t.hits() >= compared, `${compared} vectors compared, ${t.hits()} cache hits`);
  } finally {
    t.dispose();
  }
});

const SMALL = JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer', minimum: 1 }, name: { type: 'string', pattern: '^[a-z]+$' } } });
const bad = { replicas: 0, name: 'Not Valid' };

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

test('a corrupt, partial or foreign entry is compiled again, never a crash, and rewritten', () => {
  const t = tempCache();
  try {
    const file = { path: '/c/values.schema.json', text: SMALL };
    const expected = findings(compileSchema(file, { defaultDraft: '2020-12' }), bad);
    compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache });
    const [name] = entries(t.dir);
    assert.ok(name?.endsWith('.validator.js'), `one entry: ${entries(t.dir).join(', ')}`);
    const entry = join(t.dir, name ?? '');
    const good = readFileSync(entry, 'utf8');
    assert.ok(good.includes('require("helm-values:re2")'), '`pattern` runs on RE2 in cached code too, not on native RegExp');
    assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache }), bad), expected, 'loaded from the cache');
    assert.equal(t.hits(), 1);
    assert.equal(expected.length, 2, 'minimum and pattern');
    const damage: [string, string][] = [
      ['truncated', good.slice(0, Math.floor(good.length / 2))],
      ['empty', ''],
      ['no header', good.slice(good.indexOf('\n') + 1)],
      ['a changed byte in the code', good.slice(0, -20) + (good.slice(-20, -19) === 'a' ? 'b' : 'a') + good.slice(-19)],
      ['code that throws, with a valid header', good.slice(0, good.indexOf('\n') + 1) + 'throw new Error("boom")'],
      ['binary garbage', '\u0000\u0001\u0002'],
    ];
    for (const [what, text] of damage) {
      writeFileSync(entry, text);
      const hits = t.hits();
      const again = compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache });
      assert.equal(t.hits(), hits, `${what}: not a hit`);
      assert.deepEqual(findings(again, bad), expected, what);
      assert.equal(readFileSync(entry, 'utf8'), good, `${what}: the entry is written again`);
    }
    rmSync(t.dir, { recursive: true, force: true });
    assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache }), bad), expected, 'cache directory deleted');
    assert.equal(entries(t.dir).length, 1, 'and made again');
    assert.ok(!entries(t.dir).some((n) => n.endsWith('.tmp')), 'no temp file left behind');
  } finally {
    t.dispose();
  }
});

test('an unwritable cache location only means no cache', () => {
  const t = tempCache();
  try {
    const blocker = join(t.dir, 'file');
    writeFileSync(blocker, 'not a directory');
    const cache = new ValidatorCache({ dir: join(blocker, 'validators') });
    const file = { path: '/c/values.schema.json', text: SMALL };
    const expected = findings(compileSchema(file, { defaultDraft: '2020-12' }), bad);
    assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: cache }), bad), expected);
    assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: cache }), bad), expected);
  } finally {
    t.dispose();
  }
});

test('the cache keeps at most maxEntries entries, evicting the least recently used', () => {
  const t = tempCache({ maxEntries: 2 });
  try {
    const schema = (n: number) => ({ path: `/c${n}/values.schema.json`, text: JSON.stringify({ type: 'object', properties: { [`k${n}`]: { type: 'integer' } } }) });
    const preKey = (n: number) => validatorPreKey(schema(n).text, '2020-12');
    compileSchema(schema(1), { defaultDraft: '2020-12', validatorCache: t.cache });
    compileSchema(schema(2), { defaultDraft: '2020-12', validatorCache: t.cache });
    // Entry 1 is older; using it makes entry 2 the least recently used.
    const old = new Date(Date.now() - 60_000);
    for (const n of [1, 2]) utimesSync(join(t.dir, `${preKey(n)}.validator.js`), old, old);
    compileSchema(schema(1), { defaultDraft: '2020-12', validatorCache: t.cache });
    assert.equal(t.hits(), 1);
    compileSchema(schema(3), { defaultDraft: '2020-12', validatorCache: t.cache });
    assert.deepEqual(entries(t.dir), [preKey(1), preKey(3)].map((k) => `${k}.validator.js`).sort());
  } finally {
    t.dispose();
  }
});

test('the cache keeps at most maxBytes bytes', () => {
  const t = tempCache({ maxBytes: 1 });
  try {
    for (const n of [1, 2, 3]) compileSchema({ path: `/c${n}/values.schema.json`, text: JSON.stringify({ type: 'object', properties: { [`k${n}`]: { type: 'integer' } } }) }, { defaultDraft: '2020-12', validatorCache: t.cache });
    assert.equal(entries(t.dir).length, 1, 'only the newest entry, even when alone over the limit');
  } finally {
    t.dispose();
  }
});

test('a change in a referenced document, the draft or the schema text is a miss, never a stale validator', () => {
  const t = tempCache();
  try {
    const root = { path: '/c/values.schema.json', text: JSON.stringify({ type: 'object', properties: { port: { $ref: 'port.json' } } }) };
    let port = JSON.stringify({ type: 'integer' });
    const options = (): CompileOptions => ({ defaultDraft: '2020-12', validatorCache: t.cache, readFile: (p) => (p === '/c/port.json' ? port : undefined) });
    assert.equal(findings(compileSchema(root, options()), { port: 'http' }).length, 1);
    assert.equal(findings(compileSchema(root, options()), { port: 'http' }).length, 1);
    assert.equal(t.hits(), 1);
    port = JSON.stringify({ type: 'string' });
    assert.equal(findings(compileSchema(root, options()), { port: 'http' }).length, 0, 'the referenced file changed');
    assert.equal(t.hits(), 1);
    // Draft: `format` is asserted by draft-07 only (as Helm does); a 2020-12 validator must not be reused for it.
    const fmt = { path: '/d/values.schema.json', text: JSON.stringify({ type: 'object', properties: { at: { type: 'string', format: 'date-time' } } }) };
    assert.equal(findings(compileSchema(fmt, { defaultDraft: '2020-12', validatorCache: t.cache }), { at: 'yesterday' }).length, 0);
    assert.equal(findings(compileSchema(fmt, { defaultDraft: '07', validatorCache: t.cache }), { at: 'yesterday' }).length, 1);
    assert.notEqual(validatorPreKey(fmt.text, '07'), validatorPreKey(fmt.text, '2020-12'));
    assert.notEqual(validatorPreKey(fmt.text, '07'), validatorPreKey(fmt.text + ' ', '07'));
  } finally {
    t.dispose();
  }
});

test('the cache lives under XDG_CACHE_HOME, or where HELM_VALUES_VALIDATOR_CACHE_DIR says; off turns it off', () => {
  assert.equal(defaultValidatorCacheDir({ XDG_CACHE_HOME: '/x/cache' }), join('/x/cache', 'helm-values', 'validators'));
  assert.equal(defaultValidatorCacheDir({ XDG_CACHE_HOME: '/x/cache', HELM_VALUES_VALIDATOR_CACHE_DIR: '/y' }), '/y');
  assert.equal(defaultValidatorCacheDir({ HELM_VALUES_VALIDATOR_CACHE_DIR: 'off' }), undefined);
  assert.ok(defaultValidatorCacheDir({ XDG_CACHE_HOME: 'relative' })?.endsWith(join('.cache', 'helm-values', 'validators')), 'a relative XDG_CACHE_HOME is ignored, as the spec says');
  assert.equal(ValidatorCache.fromEnvironment({ HELM_VALUES_VALIDATOR_CACHE_DIR: 'off' }), undefined);
});

test("V8's code cache of a loaded validator is stored after its first run and used by the next load; a damaged one is ignored", () => {
  const t = tempCache();
  try {
    const file = { path: '/c/values.schema.json', text: SMALL };
    const expected = findings(compileSchema(file, { defaultDraft: '2020-12' }), bad);
    compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache });
    const v8 = () => entries(t.dir).filter((n) => n.endsWith('.v8cache'));
    assert.deepEqual(v8(), [], 'a fresh compile has no V8 code cache to store');
    assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache }), bad), expected, 'loaded, first run');
    assert.equal(v8().length, 1, 'stored after the first run');
    const stored = join(t.dir, v8()[0] ?? '');
    const written = statSync(stored).mtimeMs;
    let given: Buffer | undefined;
    const readCodeCache = t.cache.readCodeCache.bind(t.cache);
    t.cache.readCodeCache = (p, k) => (given = readCodeCache(p, k));
    assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache }), bad), expected, 'loaded with the code cache');
    assert.ok(given && given.length > 0, 'the code cache was read and verified');
    assert.equal(statSync(stored).mtimeMs, written, 'an accepted code cache is not written again');
    for (const damage of [(b: Buffer) => b.subarray(0, b.length - 7), (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.from([b[b.length - 1] === 1 ? 2 : 1])]), () => Buffer.from('garbage')]) {
      writeFileSync(stored, damage(readFileSync(stored)));
      given = undefined;
      assert.deepEqual(findings(compileSchema(file, { defaultDraft: '2020-12', validatorCache: t.cache }), bad), expected, 'damaged code cache');
      assert.equal(given, undefined, 'a damaged code cache is not given to V8');
    }
  } finally {
    t.dispose();
  }
});
