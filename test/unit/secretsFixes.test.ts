// Quick fixes for secret findings: each fix is applied and the whole resulting text compared; every result must
// parse and no longer produce the finding. `$0` marks the finding to fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analysisOf, dedent, parseFixture } from './fixture';
import { chartKnobs } from '../../server/src/service/secrets/knobs';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { detectSecrets, type SecretFinding } from '../../server/src/service/secrets/detect';
import { applyEdits, ignoreFileFix, secretFixes, type FixContext, type SecretFixKind } from '../../server/src/service/secrets/fixes';
import { parseIgnoreFile } from '../../server/src/service/secrets/ignoreFile';
import type { ValueMap } from '../../server/src/service/types';

function stillFound(text: string, f: SecretFinding, file: string): boolean {
  const doc = parseValuesDocument(file, text);
  assert.deepEqual(doc.problems.filter((p) => p.code === 'yaml.syntax').map((p) => p.message), [], `fix result must parse:\n${text}`);
  return detectSecrets(doc).some((g) => g.code === f.code && g.fingerprintPath === f.fingerprintPath);
}

function checkFix(before: string, kind: SecretFixKind, after: string, context: FixContext = {}, command?: string, file = '/chart/values.yaml'): void {
  const source = dedent(before);
  const cursor = source.indexOf('$0');
  assert.ok(cursor >= 0, 'fixture needs a $0 marker');
  const text = source.slice(0, cursor) + source.slice(cursor + 2);
  const doc = parseValuesDocument(file, text);
  const finding = detectSecrets(doc).find((f) => f.severity !== 'info' && f.entry.keyStart <= cursor && cursor <= f.entry.valueEnd);
  assert.ok(finding, `no finding at $0 in:\n${text}`);
  const fix = secretFixes(doc, finding, context).find((x) => x.kind === kind);
  assert.ok(fix, `no ${kind} fix for ${finding.code} at ${finding.keyPath}`);
  const result = applyEdits(text, fix.edits);
  assert.equal(result, dedent(after));
  assert.ok(!stillFound(result, finding, file), `${finding.code} at ${finding.keyPath} is still reported after the fix`);
  if (command !== undefined) assert.equal(fix.command, command);
}

test('existingSecret: a sibling knob in the chart values is set, the literal blanked, comments kept', () => {
  checkFix(
    `
    auth:
      enabled: true
      # Use an existing Secret
      existingSecret: ""
      password: "Tr0ub4dor&3"$0   # set at install
      secretKeys:
        userPasswordKey: password
    `,
    'existing-secret',
    `
    auth:
      enabled: true
      # Use an existing Secret
      existingSecret: shop-redis
      password: ""   # set at install
      secretKeys:
        userPasswordKey: password
    `,
    { release: 'shop', chartName: 'redis' },
    'kubectl create secret generic shop-redis --from-literal=password="$PASSWORD"',
  );
});

test('existingSecret: a Secret the file already names is kept; only the literal is blanked', () => {
  checkFix(
    `
    auth:
      existingSecret: redis-auth
      password: Tr0ub4dor&3$0
    `,
    'existing-secret',
    `
    auth:
      existingSecret: redis-auth
      password: ""
    `,
    {},
    'kubectl create secret generic redis-auth --from-literal=password="$PASSWORD"',
  );
});

test('existingSecret: an overlay of a subchart gets the knob inserted from the subchart defaults (Bitnami secretKeys)', () => {
  checkFix(
    `
    postgresql:
      auth:
        username: app
        postgresPassword: zk3hj9gZHZWB6qD$0
    `,
    'existing-secret',
    `
    postgresql:
      auth:
        username: app
        existingSecret: prod-postgresql
        postgresPassword: ""
    `,
    { release: 'prod', knobs: [{ prefix: ['postgresql'], values: { auth: { existingSecret: '', secretKeys: { adminPasswordKey: 'postgres-password', userPasswordKey: 'password' } } } }] },
    'kubectl create secret generic prod-postgresql --from-literal=postgres-password="$POSTGRES_PASSWORD"',
    '/chart/values-prod.yaml',
  );
});

test('existingSecret: found through the schema, on an ancestor, for a block scalar value', () => {
  checkFix(
    `
    smtp:
      credentials:
        password: |
          Tr0ub4dor&3$0
      host: mail
    `,
    'existing-secret',
    `
    smtp:
      existingSecret: release-smtp
      credentials:
        password: ""
      host: mail
    `,
    { knobs: [{ schema: { properties: { smtp: { properties: { existingSecret: { type: 'string' }, credentials: { type: 'object' } } } } } }] },
  );
});

test('existingSecret: a map-valued knob ({name, key}) is never overwritten with a name; a string knob beside it is used', () => {
  // prometheus-mysql-exporter: `mysql.existingConfigSecret: {name, key}` (type object) once received `release-mysql`,
  // which broke the schema and swallowed the comment line below the map.
  const text = dedent(`
    mysql:
      pass: "Tr0ub4dor&3"
      # secret with full config my.cnf
      existingConfigSecret:
        name: ""
        key: ""
      # secret only containing the password
  `);
  const doc = parseValuesDocument('/chart/values.yaml', text);
  const finding = detectSecrets(doc).find((f) => f.keyPath === 'mysql.pass');
  assert.ok(finding);
  const schema = { properties: { mysql: { properties: { existingConfigSecret: { type: 'object' }, existingPasswordSecret: { type: 'object' } } } } };
  assert.deepEqual(
    secretFixes(doc, finding, { knobs: [{ schema, values: { mysql: { existingPasswordSecret: { name: '', key: '' } } } }] }).map((f) => f.kind),
    ['vals-ref', 'suppress'],
  );
  checkFix(
    `
    mysql:
      pass: "Tr0ub4dor&3"$0
      existingConfigSecret:
        name: ""
      existingSecret: ""
    `,
    'existing-secret',
    `
    mysql:
      pass: ""
      existingConfigSecret:
        name: ""
      existingSecret: release-mysql
    `,
  );
});

test('secretKeyRef: an env item value becomes valueFrom.secretKeyRef in block style at its indentation', () => {
  checkFix(
    `
    extraEnvVars:
        - name: DB_PASSWORD
          value: "Tr0ub4dor&3"$0  # from vault
        - name: LOG_LEVEL
          value: info
    nested:
        map:
            key: 1
    `,
    'secret-key-ref',
    `
    extraEnvVars:
        - name: DB_PASSWORD
          valueFrom:
              secretKeyRef:
                  name: release-env
                  key: db-password  # from vault
        - name: LOG_LEVEL
          value: info
    nested:
        map:
            key: 1
    `,
    {},
    'kubectl create secret generic release-env --from-literal=db-password="$DB_PASSWORD"',
  );
});

test('secretKeyRef: flow-style env items stay flow style', () => {
  checkFix(
    `
    env: [{name: API_TOKEN, value: "03nbqnsGpWLuqIA1id6Vw5DQ"$0}, {name: LOG_LEVEL, value: info}]
    `,
    'secret-key-ref',
    `
    env: [{name: API_TOKEN, valueFrom: {secretKeyRef: {name: release-env, key: api-token}}}, {name: LOG_LEVEL, value: info}]
    `,
  );
});

test('vals reference: the value becomes a ref+vault:// placeholder named after its key path', () => {
  checkFix(
    `
    auth:
      password: 'Tr0ub4dor&3'$0 # keep
    `,
    'vals-ref',
    `
    auth:
      password: ref+vault://secret/data/auth#/password # keep
    `,
  );
  checkFix(
    `
    extraEnvVars:
      - name: DB_PASSWORD
        value: Tr0ub4dor&3$0
    `,
    'vals-ref',
    `
    extraEnvVars:
      - name: DB_PASSWORD
        value: ref+vault://secret/data/extraEnvVars#/DB_PASSWORD
    `,
  );
});

test('suppress: a directive line above, at the line indentation; above the key line for block scalars', () => {
  checkFix(
    `
    args:
      - --db-password=Xk2p9Lq7$0
    `,
    'suppress',
    `
    args:
      # helm-values: ignore secret
      - --db-password=Xk2p9Lq7
    `,
  );
  checkFix(
    `
    grafana.ini: |
      [security]
      admin_password = Tr0ub4dor&3$0
    `,
    'suppress',
    `
    # helm-values: ignore secret
    grafana.ini: |
      [security]
      admin_password = Tr0ub4dor&3
    `,
  );
});

test('ignore file: the fix adds a key-path entry (optionally pinned to the value) that silences the finding', () => {
  const text = 'runner:\n  config: |\n    token = "glrt-SCw1T69kqFIHSOZilILB"\n';
  const doc = parseValuesDocument('/ws/chart/values.yaml', text);
  const [finding] = detectSecrets(doc);
  assert.ok(finding);
  const edit = ignoreFileFix('', finding, 'chart/values.yaml', { pinValue: true });
  assert.ok(edit);
  const ignore = applyEdits('', [edit]);
  assert.match(ignore, /^chart\/values\.yaml:secret\.gitlab-token:runner\.config>token#[0-9a-f]{12}$/m);
  assert.deepEqual(detectSecrets(doc, { ignoreEntries: parseIgnoreFile(ignore).entries, relativePath: 'chart/values.yaml' }), []);
});

test('every fix offered for every finding of the labeled cases parses and removes the finding', () => {
  const cases = readFileSync(new URL('../fixtures/secrets/cases.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; yaml: string });
  let applied = 0;
  const kinds = new Map<string, number>();
  for (const c of cases) {
    const file = `/cases/${c.id}.yaml`;
    const doc = parseValuesDocument(file, c.yaml);
    for (const f of detectSecrets(doc)) {
      // A chart that declares `existingSecret` beside every secret, so the existingSecret fix is tried everywhere.
      const parent = f.path.slice(0, -1);
      const values = parent.reduceRight<ValueMap>((inner, seg) => ({ [String(seg)]: inner }), { existingSecret: '' });
      for (const fix of secretFixes(doc, f, { knobs: [{ values }] })) {
        const result = applyEdits(c.yaml, fix.edits);
        assert.ok(!stillFound(result, f, file), `${c.id}: ${fix.kind} leaves ${f.code} at ${f.fingerprintPath}:\n${result}`);
        applied++;
        kinds.set(fix.kind, (kinds.get(fix.kind) ?? 0) + 1);
      }
    }
  }
  console.log(`fixes applied: ${applied} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  assert.ok(applied > 100);
});

test('chart knobs: an overlay sees subchart defaults under their alias, and the fix uses them', () => {
  const chart = parseFixture(dedent(`
    #- /chart/Chart.yaml
    apiVersion: v2
    name: shop
    version: 1.0.0
    dependencies:
      - name: postgresql
        version: 1.x
        alias: db
    #- /chart/values.yaml
    db:
      enabled: true
    #- /chart/values-prod.yaml
    db:
      auth:
        password: Tr0ub4dor&3
    #- /chart/charts/postgresql/Chart.yaml
    apiVersion: v2
    name: postgresql
    version: 1.2.0
    #- /chart/charts/postgresql/values.yaml
    auth:
      existingSecret: ""
      secretKeys:
        userPasswordKey: password
  `));
  const analysis = analysisOf(chart.files);
  const knobs = chartKnobs(analysis, '/chart/values-prod.yaml');
  assert.deepEqual(knobs.map((k) => k.prefix), [[], ['db']]);
  const doc = parseValuesDocument('/chart/values-prod.yaml', chart.files.get('/chart/values-prod.yaml') ?? '');
  const [finding] = detectSecrets(doc);
  assert.ok(finding);
  const fix = secretFixes(doc, finding, { knobs, release: 'prod' })[0];
  assert.equal(fix?.kind, 'existing-secret');
  assert.equal(applyEdits(doc.text, fix?.edits ?? []), 'db:\n  auth:\n    existingSecret: prod-db\n    password: ""\n');
  assert.deepEqual(chartKnobs(analysis, '/chart/charts/postgresql/values.yaml').map((k) => k.prefix), [[]]);
});
