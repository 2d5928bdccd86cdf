// The secret detector on every values file of the real-chart corpus (test/fixtures/corpus/charts). Each finding was
// reviewed by hand (docs/secrets-decisions.md, "Real charts"); the list below is the expected outcome, so a new false
// positive (or a lost true finding) fails the test. Also: scalar re-reading agrees with Helm's values on every
// scalar of the corpus, and the timing on kube-prometheus-stack's values.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseValuesDocument, type ValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { detectSecrets } from '../../server/src/service/secrets/detect';
import { readScalar } from '../../server/src/service/secrets/scalarText';
import type { Value } from '../../server/src/service/types';

const root = fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url));

function valuesFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) valuesFiles(p, out);
    else if (/\.ya?ml$/.test(name) && name !== 'Chart.yaml' && name !== 'requirements.yaml') out.push(p);
  }
  return out;
}

/** `file code keyPath` of every expected finding, with the reason it is right. */
const EXPECTED: Record<string, string> = {
  // Literal passwords in values files that charts ship (defaults, CI values, examples): true findings.
  'argoproj__argo-helm/charts/argo-cd/ci/external-redis-values.yaml secret.password externalRedis.password': 'CI credential for an external Redis, literal in Git',
  'codecentric__helm-charts/charts/keycloak/values.yaml secret.default-credential postgresql.postgresqlPassword': 'chart default database password ("keycloak")',
  'codecentric__helm-charts/charts/keycloakx/examples/postgresql-kubeping/keycloak-db-values.yaml secret.password global.postgresql.auth.password': 'example database password',
  'codecentric__helm-charts/charts/keycloakx/examples/postgresql-kubeping/keycloak-server-values.yaml secret.password database.password': 'example database password',
  'codecentric__helm-charts/charts/keycloakx/examples/postgresql/keycloak-db-values.yaml secret.password global.postgresql.auth.password': 'example database password',
  'codecentric__helm-charts/charts/keycloakx/examples/postgresql/keycloak-server-values.yaml secret.password database.password': 'example database password',
  'grafana__helm-charts/charts/tempo-distributed/values.yaml secret.password minio.rootPassword': 'chart default MinIO root password',
  // Placeholders under password names (Information): a keyword as the value.
  'codecentric__helm-charts/charts/keycloak/ci/h2-and-ingress-values.yaml secret.placeholder secrets.admin-creds.stringData.password': 'password: secret',
  'codecentric__helm-charts/charts/keycloak/ci/postgres-ha-values.yaml secret.placeholder secrets.admin-creds.stringData.password': 'password: secret',
  'codecentric__helm-charts/charts/keycloakx/ci/h2-values.yaml secret.placeholder secrets.admin-creds.stringData.password': 'password: secret',
  'codecentric__helm-charts/charts/keycloakx/examples/cloudnative-pg/keycloak-server-values.yaml secret.placeholder secrets.admin-creds.stringData.password': 'password: secret',
  'codecentric__helm-charts/charts/keycloakx/examples/postgresql-kubeping/keycloak-server-values.yaml secret.placeholder secrets.admin-creds.stringData.password': 'password: secret',
  'codecentric__helm-charts/charts/keycloakx/examples/postgresql/keycloak-server-values.yaml secret.placeholder secrets.admin-creds.stringData.password': 'password: secret',
  'grafana__helm-charts/charts/loki-distributed/ci/persistence-values.yaml secret.placeholder gateway.basicAuth.password': 'password: pass',
  'prometheus-community__helm-charts/charts/prometheus-mysql-exporter/values.yaml secret.placeholder mysql.pass': 'pass: "password"',
};

const files = valuesFiles(root);
const docs = new Map<string, ValuesDocument>(files.map((f) => [f, parseValuesDocument(f, readFileSync(f, 'utf8'))]));

test('real charts: every finding is expected (reviewed), every expected finding is found', () => {
  const actual: string[] = [];
  const report: string[] = [];
  const perChart = new Map<string, number>();
  const perCode = new Map<string, number>();
  for (const [file, doc] of docs) {
    const rel = relative(root, file).split('\\').join('/');
    for (const f of detectSecrets(doc)) {
      actual.push(`${rel} ${f.code} ${f.keyPath}`);
      report.push(`  ${rel}:${f.line}:${f.column} ${f.severity} ${f.code} ${f.fingerprintPath} ${f.redacted}`);
      const chart = rel.replace(/\/(?:ci|examples|hack)\/.*$|\/[^/]+$/, '');
      perChart.set(chart, (perChart.get(chart) ?? 0) + 1);
      perCode.set(f.code, (perCode.get(f.code) ?? 0) + 1);
    }
  }
  console.log(
    [
      `${docs.size} values files, ${actual.length} findings`,
      ...report,
      'per chart:',
      ...[...perChart].sort().map(([k, n]) => `  ${k} ${n}`),
      'per code:',
      ...[...perCode].sort().map(([k, n]) => `  ${k} ${n}`),
    ].join('\n'),
  );
  assert.deepEqual(actual.sort(), Object.keys(EXPECTED).sort());
});

function helmValueAt(doc: ValuesDocument, path: readonly (string | number)[], document: number): Value | undefined {
  let v: Value | undefined = doc.documents[document] ?? null;
  for (const seg of path) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? v[seg as number] : (v as Record<string, Value>)[String(seg)];
  }
  return v;
}

test('scalar re-reading: every quoted and block string of the corpus reads as Helm reads it', () => {
  let checked = 0;
  const mismatches: string[] = [];
  for (const doc of docs.values()) {
    for (const e of doc.entries) {
      const c = doc.text[e.valueStart];
      if (c !== '"' && c !== "'" && c !== '|' && c !== '>') continue;
      const helm = helmValueAt(doc, e.path, e.document);
      if (typeof helm !== 'string') continue;
      checked++;
      const mine = readScalar(doc.text, e.valueStart, e.valueEnd).value;
      if (mine !== helm) mismatches.push(`${doc.file}:${e.line} ${JSON.stringify(mine).slice(0, 80)} != ${JSON.stringify(helm).slice(0, 80)}`);
    }
  }
  console.log(`scalars compared: ${checked}`);
  assert.deepEqual(mismatches, []);
});

test('timing: detection on kube-prometheus-stack values.yaml (median of 20 after warm-up)', () => {
  const file = join(root, 'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
  const text = readFileSync(file, 'utf8');
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 60; i++) {
    // A fresh document each time: the per-document memo would otherwise answer in microseconds.
    const doc = parseValuesDocument(file, `${text}\n# ${i}\n`);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    detectSecrets(doc);
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (i >= 40) {
      wall.push(t1 - t0);
      cpu.push((c1.user + c1.system) / 1000);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const doc = parseValuesDocument(file, text);
  detectSecrets(doc);
  const m0 = performance.now();
  detectSecrets(doc);
  const memo = performance.now() - m0;
  console.log(`kube-prometheus-stack values.yaml (${text.split('\n').length} lines): detect median ${median(wall).toFixed(2)} ms wall, ${median(cpu).toFixed(2)} ms CPU; memoized ${memo.toFixed(3)} ms`);
  // Informative only (speed targets are judged by `npm run bench`); the memo returns the same findings.
  assert.deepEqual(detectSecrets(doc), detectSecrets(parseValuesDocument(file, text)));
});
