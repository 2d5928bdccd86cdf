// Inferred draft schemas: types, helm-docs descriptions, `# @schema` annotations; and on every real chart the
// draft accepts the chart's own defaults (a draft that rejects its own values.yaml would be useless).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema } from '../../server/src/host/schemaCompiler';
import { inferSchema } from '../../server/src/service/schema/infer';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { dedent } from './fixture';

test('types, defaults, helm-docs descriptions and @schema annotations', () => {
  const doc = parseValuesDocument('/chart/values.yaml', dedent(`
    # -- Number of pods.
    replicaCount: 1
    image:
      tag: "1.0"
    # @schema
    # enum: [ClusterIP, NodePort]
    # @schema
    serviceType: ClusterIP
    podAnnotations: {}
    ports: [80, 443]
    ratio: 0.5
    debug: false
    extra: null
  `));
  assert.deepEqual(inferSchema(doc), {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      replicaCount: { type: 'integer', description: 'Number of pods.', default: 1 },
      image: { type: 'object', properties: { tag: { type: 'string', default: '1.0' } } },
      serviceType: { type: 'string', default: 'ClusterIP', enum: ['ClusterIP', 'NodePort'] },
      podAnnotations: { type: 'object' },
      ports: { type: 'array', items: { type: 'integer' } },
      ratio: { type: 'number', default: 0.5 },
      debug: { type: 'boolean', default: false },
      extra: {},
    },
  });
});

test('the draft schema of every real chart accepts that chart defaults', () => {
  const root = fileURLToPath(new URL('../fixtures/corpus/charts', import.meta.url));
  const charts: string[] = [];
  (function walk(dir: string) {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === 'values.yaml' && existsSync(join(dir, 'Chart.yaml'))) charts.push(p);
    }
  })(root);
  assert.ok(charts.length >= 40, `found ${charts.length} charts`);
  for (const file of charts) {
    const doc = parseValuesDocument(file, readFileSync(file, 'utf8'));
    const compiled = compileSchema({ path: 'inferred.json', text: JSON.stringify(inferSchema(doc)) }, { defaultDraft: '2020-12' });
    assert.deepEqual(compiled.problems, [], file);
    assert.deepEqual(compiled.validate?.(doc.documents[0] ?? {}), [], file);
  }
});
