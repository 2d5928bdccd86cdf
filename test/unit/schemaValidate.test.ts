// Schema validation of merged values: errors placed on the file and line that supplied the value, required
// properties once per environment at the top of the highest overlay, partial overlays never falsely "required".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisOf, dedent, parseFixture } from './fixture';
import type { Finding } from '../../server/src/service/types';

const SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['image', 'replicaCount'],
  properties: {
    replicaCount: { type: 'integer', minimum: 1 },
    image: { type: 'object', required: ['repository'], additionalProperties: false, properties: { repository: { type: 'string' }, tag: { type: 'string' }, pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] } } },
    service: { type: 'object', properties: { port: { type: 'integer' } } },
  },
});

/** The schema.* findings of the chart in `files`. */
function schemaFindings(files: Map<string, string>): Finding[] {
  return analysisOf(files)
    .findings()
    .filter((x) => x.code.startsWith('schema.'));
}

function findingsOf(fixture: string): string[] {
  const f = parseFixture(dedent(fixture));
  f.files.set('/chart/values.schema.json', SCHEMA);
  return schemaFindings(f.files).map((x) => `${x.file}:${x.line}:${x.column} ${x.severity}[${x.code}] ${x.message}`);
}

test('a wrong type in an overlay is reported in the overlay on that key; a partial overlay gets no false "required"', () => {
  assert.deepEqual(
    findingsOf(`
      #- /chart/values.yaml
      replicaCount: 1
      image:
        repository: nginx
      #- /chart/values-prod.yaml
      image:
        tag: 1.25
    `),
    ['/chart/values-prod.yaml:2:3 error[schema.type] image.tag: expected string, found the number 1.25 [environment: prod]'],
  );
});

test('enum and additionalProperties errors suggest the closest allowed value or key', () => {
  assert.deepEqual(
    findingsOf(`
      #- /chart/values.yaml
      replicaCount: 1
      image:
        repository: nginx
        pullPolicy: IfNotPresent
      #- /chart/values-prod.yaml
      image:
        pullPolicy: IfNotPresnt
        tga: "1.0"
    `),
    [
      '/chart/values-prod.yaml:2:3 error[schema.enum] image.pullPolicy: must be one of "Always", "IfNotPresent", "Never"; found the string "IfNotPresnt" (did you mean "IfNotPresent"?) [environment: prod]',
      '/chart/values-prod.yaml:3:3 error[schema.additional-property] image: property "tga" is not allowed by the schema (did you mean "tag"?) [environment: prod]',
    ],
  );
});

test('a null that deletes a required key is reported once per environment, at the top of the highest overlay', () => {
  assert.deepEqual(
    findingsOf(`
      #- /chart/values.yaml
      replicaCount: 1
      image:
        repository: nginx
      #- /chart/values-prod.yaml
      image:
        repository: null
      #- /chart/values-staging.yaml
      replicaCount: 0
    `),
    [
      '/chart/values-prod.yaml:1:1 error[schema.required] image: required property "repository" is missing (values.schema.json of chart) [environment: prod]',
      '/chart/values-staging.yaml:1:1 error[schema.minimum] replicaCount: must be >= 1; found the integer 0 [environment: staging]',
    ],
  );
});

test('an error that exists only in the chart defaults is reported on values.yaml for every environment', () => {
  assert.deepEqual(
    findingsOf(`
      #- /chart/values.yaml
      replicaCount: "2"
      image:
        repository: nginx
      #- /chart/values-prod.yaml
      image:
        tag: "1.0"
    `),
    ['/chart/values.yaml:1:1 error[schema.type] replicaCount: expected integer, found the string "2" [environments: prod, default]'],
  );
});

test('a subchart schema is applied under its alias; "global" rejected by additionalProperties: false is explained', () => {
  const f = parseFixture(dedent(`
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: db
        version: 1.x
        alias: database
    #- /chart/values.yaml
    database:
      port: "5432"
    #- /chart/charts/db/Chart.yaml
    apiVersion: v2
    name: db
    version: 1.0.0
    #- /chart/charts/db/values.yaml
    port: 5432
  `));
  f.files.set('/chart/charts/db/values.schema.json', JSON.stringify({ type: 'object', additionalProperties: false, properties: { port: { type: 'integer' } } }));
  const got = schemaFindings(f.files).map((x) => `${x.file}:${x.line} [${x.code}] ${x.message.split(':')[0]}`);
  assert.deepEqual(got, ['/chart/values.yaml:1 [schema.global-not-allowed] database', '/chart/values.yaml:2 [schema.type] database.port']);
});

test('a broken schema is a finding on the schema file, never a crash', () => {
  const f = parseFixture(dedent(`
    #- /chart/values.yaml
    a: 1
  `));
  f.files.set('/chart/values.schema.json', '{ "type": "object", }');
  const got = schemaFindings(f.files);
  assert.equal(got.length, 1);
  assert.equal(got[0]?.code, 'schema.invalid-json');
  assert.equal(got[0]?.file, '/chart/values.schema.json');
  f.files.set('/chart/values.schema.json', JSON.stringify({ type: 'object', properties: { a: { $ref: 'missing.json' } } }));
  const got2 = schemaFindings(f.files);
  assert.deepEqual(got2.map((x) => x.code), ['schema.ref-unresolved']);
  f.files.set('/chart/values.schema.json', JSON.stringify({ type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }));
  assert.deepEqual(schemaFindings(f.files).map((x) => x.code), ['schema.ref-unresolved']);
});

test('a relative $ref resolves; a catastrophic pattern does not hang (RE2)', () => {
  const f = parseFixture(dedent(`
    #- /chart/values.yaml
    name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!
    port: "x"
  `));
  f.files.set('/chart/values.schema.json', JSON.stringify({ type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' }, port: { $ref: 'defs.json#/port' } } }));
  f.files.set('/chart/defs.json', JSON.stringify({ port: { type: 'integer' } }));
  const started = Date.now();
  const got = schemaFindings(f.files).map((x) => x.code);
  assert.ok(Date.now() - started < 2000);
  assert.deepEqual(got.sort(), ['schema.pattern', 'schema.type']);
});

test('"did you mean" for a property under a $ref names a property of the referenced object, not of the root', () => {
  // ajv (inlineRefs: false) reports the schemaPath "#/additionalProperties" relative to the $ref target: the root's
  // properties were offered (nothing, or a wrong name) for alertmanager's image and cert-manager's root.
  const f = parseFixture(
    dedent(`
      #- /chart/values.yaml
      tags: [a]
      image:
        repository: nginx
        tagg: "1.0"
    `),
  );
  f.files.set(
    '/chart/values.schema.json',
    JSON.stringify({
      type: 'object',
      properties: { tags: { type: 'array' }, image: { $ref: '#/definitions/image' } },
      definitions: { image: { type: 'object', additionalProperties: false, properties: { repository: { type: 'string' }, tag: { type: 'string' } } } },
    }),
  );
  const found = analysisOf(f.files).findings().filter((x) => x.code === 'schema.additional-property');
  assert.deepEqual(
    found.map((x) => `${x.line}:${x.column} ${x.message} ${JSON.stringify(x.data?.suggestion)}`),
    ['4:3 image: property "tagg" is not allowed by the schema (did you mean "tag"?) [environment: default] "tag"'],
  );
});
