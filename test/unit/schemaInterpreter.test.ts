// The interpreter (server/src/host/schemaInterpreter.ts) reports what ajv's compiled code reports: the same errors,
// in the same order, on every corpus schema it accepts (values as shipped and mutated) and on one schema per
// combination of the keywords and types it evaluates; and it declines every schema it cannot evaluate that way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { SchemaCache } from '../../server/src/host/schemaCache';
import { compileOrInterpret, compileSchema } from '../../server/src/host/schemaCompiler';
import { DECLINED_KEYWORDS, interpretSchema } from '../../server/src/host/schemaInterpreter';
import { ValidatorCache } from '../../server/src/host/validatorCache';
import type { ChartModel } from '../../server/src/service/chart/chartModel';
import type { SchemaDraft, SchemaError } from '../../server/src/service/schema/types';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { filesNamed } from './fixture';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const corpus = join(repo, 'test', 'fixtures', 'corpus', 'charts');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every value of a tree replaced in turn by samples of each JSON type (a sample of at most `max` places). */
function variants(values: Json, max = 80): Json[] {
  const paths: (string | number)[][] = [];
  const walk = (v: Json, at: (string | number)[]) => {
    if (at.length > 0) paths.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(values, []);
  const replacements: Json[] = [null, true, 7, 1.5, 'yes', [], ['a', 1], {}, { unexpected: 1 }];
  const out: Json[] = [values, ['a'], 'text', null, {}];
  const step = Math.max(1, Math.ceil(paths.length / max));
  for (let i = 0, r = 0; i < paths.length; i += step, r++) {
    const at = paths[i] ?? [];
    const copy = structuredClone(values);
    let node = copy as Record<string | number, Json>;
    for (const seg of at.slice(0, -1)) node = node[seg] as Record<string | number, Json>;
    node[at[at.length - 1] ?? ''] = replacements[r % replacements.length] ?? null;
    out.push(copy);
  }
  const breakAll = (v: Json): Json => (Array.isArray(v) ? v.map(breakAll) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, breakAll(x)])) : typeof v === 'string' ? 1 : 'x');
  out.push(breakAll(values));
  return out;
}

test('on every corpus schema it accepts, interpreting gives the compiled findings (values as shipped and mutated)', () => {
  const charts = filesNamed(corpus, 'values.schema.json').map((p) => ({ schema: p, values: join(dirname(p), 'values.yaml') }));
  charts.push({ schema: join(repo, 'bench', 'data', 'kube-prometheus-stack.values.schema.json'), values: join(corpus, 'prometheus-community__helm-charts', 'charts', 'kube-prometheus-stack', 'values.yaml') });
  charts.push({ schema: join(repo, 'bench', 'data', 'argo-cd.values.schema.json'), values: join(corpus, 'argoproj__argo-helm', 'charts', 'argo-cd', 'values.yaml') });
  const accepted: string[] = [];
  for (const draft of ['2020-12', '07'] as SchemaDraft[]) {
    for (const c of charts) {
      const file = { path: c.schema, text: readFileSync(c.schema, 'utf8') };
      const fresh = compileSchema(file, { defaultDraft: draft });
      const interpreted = compileOrInterpret(file, { defaultDraft: draft, interpret: true });
      if (!interpreted.interpreted) continue;
      accepted.push(`${relative(repo, c.schema)} (${draft})`);
      assert.deepEqual(interpreted.schema.problems, fresh.problems, c.schema);
      assert.equal(interpreted.schema.draft, fresh.draft);
      assert.ok(fresh.validate && interpreted.schema.validate, c.schema);
      const values = (parseValuesDocument(c.values, readFileSync(c.values, 'utf8')).documents[0] ?? {}) as Json;
      let broken = 0;
      for (const v of variants(values)) {
        const expected = fresh.validate(v);
        assert.deepEqual(interpreted.schema.validate(v), expected, `${c.schema}: ${JSON.stringify(v).slice(0, 200)}`);
        if (expected.length > 0) broken++;
      }
      assert.ok(broken > 3, `${c.schema}: mutations break the schema`);
    }
  }
  assert.ok(accepted.some((a) => a.includes('kube-prometheus-stack.values.schema.json')), 'the benchmark schema is interpreted');
  assert.ok(accepted.some((a) => a.includes('traefik/values.schema.json')), 'traefik (limits, pattern, additionalProperties, a root $id) is interpreted');
  assert.ok(accepted.length >= 10, `accepted: ${accepted.join(', ')}`);
});

const DRAFTS: [SchemaDraft, () => Ajv][] = [
  ['07', () => new Ajv({ strict: false, allErrors: true })],
  ['2019-09', () => new Ajv2019({ strict: false, allErrors: true }) as unknown as Ajv],
  ['2020-12', () => new Ajv2020({ strict: false, allErrors: true }) as unknown as Ajv],
];

const DATA: unknown[] = [null, true, false, 0, 3, -2, 1.5, NaN, Infinity, '', 'a', 'yes', [], [1], ['a', null], [{ a: 1 }], {}, { a: 1 }, { a: 'x', b: [1, 2] }, { b: { c: null } }, { 'x/y~z': 1 }, { constructor: 'c' }, { a: 3, xb: 'xy', c: 'b' }, 'xay', -0.5];

/** Schemas combining the keywords the interpreter evaluates with every type and shape it accepts. */
function syntheticSchemas(): unknown[] {
  const types: unknown[] = [undefined, 'null', 'boolean', 'integer', 'number', 'string', 'array', 'object', ['string', 'null'], ['object', 'array'], ['object', 'array', 'null'], ['integer', 'number'], ['integer', 'boolean'], ['array', 'string']];
  const extras: Record<string, unknown>[] = [
    {},
    { enum: ['a', 3, null, [1], { a: 1 }] },
    { const: 'a' },
    { const: { a: 1 } },
    { const: null },
    { required: ['a', 'b'] },
    { required: [] },
    { properties: {} },
    { properties: { a: { type: 'integer' }, b: { type: 'array', items: { type: 'number' } }, 'x/y~z': { type: 'string' }, constructor: { type: 'string' }, __proto__x: { type: 'null' } } },
    { properties: { a: { description: 'only an annotation' }, b: { properties: { c: { type: 'string', enum: ['x'] } }, required: ['c'] } } },
    { items: { type: ['string', 'object'], required: ['a'] } },
    { items: {} },
    { items: { type: 'object' }, enum: [[{}], 'a'] },
    { minimum: 0, maximum: 3 },
    { exclusiveMinimum: -2, exclusiveMaximum: 1.5, minimum: -5 },
    { pattern: '^a' },
    { pattern: 'y', minimum: 1 },
    { additionalProperties: false },
    { properties: { a: { type: 'integer', minimum: 2 } }, additionalProperties: false },
    { properties: { a: {} }, additionalProperties: { type: 'string', pattern: '^x' } },
    { additionalProperties: { description: 'only an annotation' } },
    { additionalProperties: true, required: ['a'] },
    { properties: { a: { const: 1 } }, required: ['a'], enum: [{ a: 1 }, 'a'], title: 't', description: 'd', default: 1, examples: [1], $comment: 'c', readOnly: true, deprecated: false, form: true, 'x-anything': { type: 'string' } },
  ];
  const out: unknown[] = [];
  for (const t of types) for (const e of extras) out.push({ ...(t === undefined ? {} : { type: t }), ...e });
  out.push({ $id: 'https://example.com/values.schema.json', type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false });
  return out;
}

test('on one schema per combination of keywords and types, interpreting gives ajv errors, in ajv order', () => {
  let compared = 0;
  for (const [draft, make] of DRAFTS) {
    for (const schema of syntheticSchemas()) {
      const validate = make().compile(schema as object);
      const interpret = interpretSchema(schema, draft);
      assert.ok(interpret, `${draft}: accepted ${JSON.stringify(schema)}`);
      for (const data of DATA) {
        validate(data);
        const expected: SchemaError[] = (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params as Record<string, unknown>, message: e.message ?? '' }));
        assert.deepEqual(interpret(data), expected, `${draft} ${JSON.stringify(schema)} on ${String(JSON.stringify(data))}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 1000, `${compared} comparisons`);
});

test('it declines what it does not evaluate exactly as ajv, and what ajv rejects', () => {
  const declined: unknown[] = [
    true,
    false,
    { type: 'object', properties: { a: true } },
    { type: 'object', properties: { a: false } },
    { items: [{ type: 'string' }] },
    { type: 'strin' },
    { type: [] },
    { type: ['string', 'string'] },
    { enum: [] },
    { enum: [1, 1] },
    { required: 'a' },
    { required: ['a', 'a'] },
    { title: 5 },
    { description: null },
    { examples: 'x' },
    { readOnly: 'yes' },
    { properties: [] },
    { $ref: '#/definitions/a', definitions: { a: {} } },
    { $id: 'x' },
    { $id: 'https://example.com/s.json#a' },
    { properties: { a: { $id: 'https://example.com/a.json' } } },
    { $defs: {} },
    { type: 'string', minLength: 1 },
    { type: 'object', additionalProperties: false, patternProperties: { '^a': {} } },
    { properties: { a: { type: 'string', format: 'uri' } } },
    { minimum: 'a' },
    { pattern: 5 },
    { pattern: '(?=a)' },
    { additionalProperties: { minLength: 1 } },
    { additionalProperties: false, properties: JSON.parse('{"__proto__": {}}') },
    { nullable: true, type: 'string' },
  ];
  for (const s of declined) for (const [draft] of DRAFTS) assert.equal(interpretSchema(s, draft), undefined, `${draft}: ${JSON.stringify(s)}`);
  assert.equal(interpretSchema({ type: 'string' }, '04'), undefined, 'draft-04 is always compiled');
  // What it declines for a wrong shape, ajv rejects too (the compile reports it on the schema file).
  for (const s of [{ type: 'strin' }, { title: 5 }, { enum: [] }, { required: 'a' }, { type: ['string', 'string'] }, { minimum: 'a' }, { pattern: 5 }, { pattern: '(?=a)' }]) {
    const r = compileSchema({ path: '/c/values.schema.json', text: JSON.stringify(s) }, { defaultDraft: '2020-12' });
    assert.equal(r.validate, undefined, JSON.stringify(s));
    assert.equal(r.problems[0]?.code, 'schema.invalid-schema', JSON.stringify(s));
  }
});

test('every keyword ajv knows (any draft, with formats) is evaluated, an annotation, or declined', () => {
  const evaluated = new Set(['type', 'properties', 'items', 'required', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'pattern', 'additionalProperties', 'title', 'description', '$comment', 'default', 'examples', 'readOnly', 'writeOnly', 'deprecated']);
  const instances = [...DRAFTS.map(([, make]) => make()), new AjvDraft04({ strict: false, allErrors: true }) as unknown as Ajv];
  for (const ajv of instances) {
    addFormats(ajv);
    const rules = (ajv as unknown as { RULES: { all: Record<string, unknown>; keywords: Record<string, unknown> } }).RULES;
    for (const k of new Set([...Object.keys(rules.all), ...Object.keys(rules.keywords)])) {
      assert.ok(evaluated.has(k) || k.startsWith('$') || DECLINED_KEYWORDS.has(k), `ajv keyword "${k}" is neither evaluated nor declined`);
    }
  }
});

test('SchemaCache with a worker: a new schema is interpreted at once, compiled behind on the worker, then validated by the compiled code (same findings)', async () => {
  const workerFile = join(repo, 'dist', 'schemaWorker.js');
  assert.ok(existsSync(workerFile), 'run the build first (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'hv-interpret-'));
  try {
    const schemaPath = join(repo, 'bench', 'data', 'kube-prometheus-stack.values.schema.json');
    const model = { schema: { path: schemaPath, text: readFileSync(schemaPath, 'utf8') }, subcharts: [] } as unknown as ChartModel;
    const cache = new SchemaCache({ validators: new ValidatorCache({ dir }), workerFile });
    const baseDir = dirname(schemaPath);
    assert.ok(cache.isCompiled(model, '2020-12', false, baseDir, baseDir), 'interpretable: ready without compiling');
    const lookup = cache.lookup('2020-12', baseDir, baseDir);
    const interpreted = lookup(model);
    assert.ok(interpreted?.validate);
    cache.startCompilesBehind();
    const until = Date.now() + 60_000;
    while (lookup(model) === interpreted) {
      assert.ok(Date.now() < until, 'the compiled validator never replaced the interpreter');
      await new Promise((r) => setTimeout(r, 20));
    }
    const compiled = lookup(model);
    assert.ok(compiled?.validate && compiled.validate !== interpreted.validate);
    assert.ok(readdirSync(dir).some((n) => n.endsWith('.validator.js')), 'the worker stored the validator');
    const values = (parseValuesDocument('values.yaml', readFileSync(join(corpus, 'prometheus-community__helm-charts', 'charts', 'kube-prometheus-stack', 'values.yaml'), 'utf8')).documents[0] ?? {}) as Json;
    for (const v of variants(values, 40)) assert.deepEqual(interpreted.validate(v), compiled.validate(v));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
