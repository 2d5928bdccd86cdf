// Quick fixes: apply the edit, compare the whole resulting text, and check the finding is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeCodeActions, type TextEditResult } from '../../server/src/service/features/codeActions';
import { analysisOf, dedent, parseFixture } from './fixture';

const SCHEMA = JSON.stringify(
  {
    type: 'object',
    properties: {
      replicaCount: { type: 'integer' },
      debug: { type: 'boolean' },
      name: { type: 'string' },
      image: { type: 'object', required: ['repository', 'pullPolicy'], additionalProperties: false, properties: { repository: { type: 'string' }, tag: { type: 'string' }, pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'], default: 'IfNotPresent' } } },
    },
  },
  null,
  2,
);

function apply(text: string, edits: TextEditResult[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** Applies the action titled `title` offered in `file` and returns the new file texts and remaining findings. */
function fix(fixture: string, file: string, title: string, schema = SCHEMA) {
  const f = parseFixture(dedent(fixture));
  f.files.set('/chart/values.schema.json', schema);
  const a = analysisOf(f.files);
  const text = f.files.get(file) ?? '';
  const actions = computeCodeActions(a, file, 0, text.length);
  const action = actions.find((x) => x.title === title);
  assert.ok(action, `no action "${title}"; offered: ${JSON.stringify(actions.map((x) => x.title))}`);
  for (const target of new Set(action.edits.map((e) => e.file))) {
    f.files.set(target, apply(f.files.get(target) ?? '', action.edits.filter((e) => e.file === target)));
  }
  const after = analysisOf(f.files).findings().filter((x) => x.code === action.code);
  return { files: f.files, remaining: after };
}

const BASE = `
  #- /chart/values.yaml
  replicaCount: 1
  image:
    repository: nginx
    pullPolicy: IfNotPresent
`;

test('convert a quoted number to the expected integer, keeping the comment', () => {
  const r = fix(`${BASE}\n  #- /chart/values-prod.yaml\n  replicaCount: "3"   # three pods\n`, '/chart/values-prod.yaml', 'Convert to a number: 3');
  assert.equal(r.files.get('/chart/values-prod.yaml'), 'replicaCount: 3   # three pods\n');
  assert.deepEqual(r.remaining, []);
});

test('quote a number where a string is expected; convert a quoted boolean', () => {
  const r = fix(`${BASE}\n  #- /chart/values-prod.yaml\n  name: 1234\n`, '/chart/values-prod.yaml', 'Quote as a string: "1234"');
  assert.equal(r.files.get('/chart/values-prod.yaml'), 'name: "1234"\n');
  const b = fix(`${BASE}\n  #- /chart/values-prod.yaml\n  debug: 'true'\n`, '/chart/values-prod.yaml', 'Convert to a boolean: true');
  assert.equal(b.files.get('/chart/values-prod.yaml'), 'debug: true\n');
  assert.deepEqual([...r.remaining, ...b.remaining], []);
});

test('replace a value outside the enum with the closest allowed one, keeping the quote style', () => {
  const r = fix(`${BASE}\n  #- /chart/values-prod.yaml\n  image:\n    pullPolicy: 'IfNotPresnt'\n`, '/chart/values-prod.yaml', 'Replace with "IfNotPresent"');
  assert.equal(r.files.get('/chart/values-prod.yaml'), "image:\n  pullPolicy: 'IfNotPresent'\n");
  assert.deepEqual(r.remaining, []);
});

test('rename an unknown property to the closest allowed one, or remove it', () => {
  const fixture = `${BASE}\n  #- /chart/values-prod.yaml\n  image:\n    tga: "1.0"   # the release\n    repository: web\n`;
  const r = fix(fixture, '/chart/values-prod.yaml', 'Rename to "tag"');
  assert.equal(r.files.get('/chart/values-prod.yaml'), 'image:\n  tag: "1.0"   # the release\n  repository: web\n');
  assert.deepEqual(r.remaining, []);
  const d = fix(fixture, '/chart/values-prod.yaml', 'Remove "tga"');
  assert.equal(d.files.get('/chart/values-prod.yaml'), 'image:\n  repository: web\n');
  assert.deepEqual(d.remaining, []);
});

test('add a missing required property with its schema default, under the right map', () => {
  const r = fix(`
    #- /chart/values.yaml
    replicaCount: 1
    image:
      repository: nginx
    # trailing comment
  `, '/chart/values.yaml', 'Add required "pullPolicy" with its default');
  assert.equal(r.files.get('/chart/values.yaml'), 'replicaCount: 1\nimage:\n  repository: nginx\n  pullPolicy: "IfNotPresent"\n# trailing comment\n');
  assert.deepEqual(r.remaining, []);
});

test('add "global" to a subchart schema that forbids additional properties', () => {
  const fixture = `
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: db
        version: 1.x
    #- /chart/values.yaml
    db:
      port: 1
    #- /chart/charts/db/Chart.yaml
    apiVersion: v2
    name: db
    version: 1.0.0
    #- /chart/charts/db/values.yaml
    port: 5432
    #- /chart/charts/db/values.schema.json
    {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "port": { "type": "integer" }
      }
    }
  `;
  const r = fix(fixture, '/chart/values.yaml', "Allow \"global\" in db's values.schema.json", '{}');
  assert.equal(r.files.get('/chart/charts/db/values.schema.json'), '{\n  "type": "object",\n  "additionalProperties": false,\n  "properties": {\n    "global": { "type": "object" },\n    "port": { "type": "integer" }\n  }\n}\n');
  assert.deepEqual(r.remaining, []);
});
