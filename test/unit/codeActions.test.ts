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

test('a required map is added with its own required properties filled in (an enum gets its first value), not as {}', () => {
  // keycloak's values.schema.json requires `image` ($ref to a definition requiring repository and tag): `image: {}`
  // traded the error for two new ones.
  const schema = JSON.stringify({
    type: 'object',
    required: ['image'],
    properties: { replicaCount: { type: 'integer' }, image: { $ref: '#/definitions/image' } },
    definitions: { image: { type: 'object', required: ['repository', 'pullPolicy'], properties: { repository: { type: 'string' }, pullPolicy: { enum: ['Always', 'IfNotPresent'] }, tag: { type: 'string' } } } },
  });
  const r = fix(
    `
    #- /chart/values.yaml
    replicaCount: 1   # one pod
    # trailing comment
  `,
    '/chart/values.yaml',
    'Add required "image" (placeholder)',
    schema,
  );
  assert.equal(r.files.get('/chart/values.yaml'), 'replicaCount: 1   # one pod\nimage:\n  repository: ""\n  pullPolicy: "Always"\n# trailing comment\n');
  assert.deepEqual(r.remaining, []);
  assert.deepEqual(analysisOf(r.files).findings().filter((x) => x.severity === 'error').map((x) => x.message), []);
});

const GLOBAL_FIXTURE = `
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
const GLOBAL_FIXED = '{\n  "type": "object",\n  "additionalProperties": false,\n  "properties": {\n    "global": { "type": "object" },\n    "port": { "type": "integer" }\n  }\n}\n';

test('add "global" to a subchart schema that forbids additional properties', () => {
  const r = fix(GLOBAL_FIXTURE, '/chart/values.yaml', "Allow \"global\" in db's values.schema.json", '{}');
  assert.equal(r.files.get('/chart/charts/db/values.schema.json'), GLOBAL_FIXED);
  assert.deepEqual(r.remaining, []);
});

test('the "global" fix is offered on line 1 when the file starts with a comment (the finding has no key to sit on)', () => {
  // values.yaml sets nothing under db: the finding goes to the top of the file, which is a comment.
  const f = parseFixture(dedent(GLOBAL_FIXTURE.replace('#- /chart/values.yaml\n    db:\n      port: 1\n', '#- /chart/values.yaml\n    # Umbrella values\n    replicas: 1\n')));
  assert.equal(f.files.get('/chart/values.yaml'), '# Umbrella values\nreplicas: 1\n');
  const a = analysisOf(f.files);
  const finding = a.findings().find((x) => x.code === 'schema.global-not-allowed');
  assert.ok(finding && finding.offset === undefined && finding.line === 1, JSON.stringify(finding));
  // The editor asks for the diagnostic's range: the empty range at the start of the file.
  const actions = computeCodeActions(a, '/chart/values.yaml', 0, 0).filter((x) => x.code === 'schema.global-not-allowed');
  assert.deepEqual(actions.map((x) => x.title), ["Allow \"global\" in db's values.schema.json"]);
  const edits = actions[0]?.edits ?? [];
  assert.equal(apply(f.files.get('/chart/charts/db/values.schema.json') ?? '', edits), GLOBAL_FIXED);
});
