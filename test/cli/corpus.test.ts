// The CLI on every real chart of the corpus (test/fixtures/corpus/charts): `check` finds no error-severity problem
// and prints findings of the contract's shape, and `effective -f <overlay>` succeeds for every environment or CI
// overlay of each chart and keeps every top-level key of the chart's own values.yaml (unless the overlay nulls it).
// The invocations run concurrently (a small pool) so the whole file stays well under a minute.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cliAsync, type CliFinding, json, repoRoot, show } from './cliUtil';

const corpusRoot = path.join(repoRoot, 'test/fixtures/corpus/charts');
const POOL = 4;

function chartDirs(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = path.join(dir, e.name);
    if (fs.existsSync(path.join(p, 'Chart.yaml'))) out.push(p);
    chartDirs(p, out);
  }
  return out;
}

function overlaysOf(dir: string): string[] {
  const out: string[] = [];
  const isYaml = (n: string) => /\.ya?ml$/.test(n);
  for (const n of fs.readdirSync(dir)) {
    if ((/^values-.+\.ya?ml$/.test(n) || /^values\..+\.ya?ml$/.test(n)) && fs.statSync(path.join(dir, n)).isFile()) out.push(n);
  }
  for (const sub of ['values', 'ci']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) continue;
    for (const n of fs.readdirSync(d)) if (isYaml(n) && fs.statSync(path.join(d, n)).isFile()) out.push(`${sub}/${n}`);
  }
  return out.sort();
}

/** Top-level keys of a values file as Helm reads them (YAML 1.1; Helm 4 merges every document). */
function topLevel(file: string): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  if (!fs.existsSync(file)) return keys;
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1', merge: true })) {
    const v = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) keys.set(k, x);
  }
  return keys;
}

const charts = chartDirs(corpusRoot).sort();
const rel = (p: string) => path.relative(repoRoot, p);

const FINDING_KEYS = ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity'];

function assertFindingShape(f: CliFinding, label: string): void {
  assert.deepEqual(Object.keys(f).sort(), FINDING_KEYS, `${label}: finding keys`);
  assert.equal(typeof f.file, 'string', label);
  assert.ok(f.file.length > 0, label);
  for (const k of ['line', 'column', 'endLine', 'endColumn'] as const) {
    assert.ok(Number.isInteger(f[k]) && f[k] >= 1, `${label}: ${k} must be a 1-based integer, got ${f[k]}`);
  }
  assert.ok(f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column), `${label}: end before start`);
  assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity), `${label}: severity ${f.severity}`);
  assert.match(f.code, /^[a-z]+\.[a-z0-9.-]+$/, `${label}: code ${f.code}`);
  assert.equal(typeof f.message, 'string', label);
  assert.ok(f.message.length > 0, label);
}

let started = 0;
after(() => {
  if (started) console.log(`# corpus: ${charts.length} charts, ${charts.reduce((n, c) => n + overlaysOf(c).length, 0)} overlays, ${Date.now() - started} ms`);
});
before(() => {
  started = Date.now();
});

describe('corpus: the fixture corpus is present', () => {
  it('holds chart directories', () => {
    assert.ok(charts.length >= 40, `found ${charts.length} charts under ${corpusRoot}`);
  });
});

describe('corpus: check <chart> -o json', { concurrency: POOL }, () => {
  for (const dir of charts) {
    it(rel(dir), async () => {
      const r = await cliAsync(['check', rel(dir), '-o', 'json'], repoRoot);
      assert.equal(r.signal, null, show(r));
      const out = json<{ findings: CliFinding[] }>(r, rel(dir));
      assert.deepEqual(Object.keys(out), ['findings']);
      assert.ok(Array.isArray(out.findings));
      out.findings.forEach((f, i) => assertFindingShape(f, `${rel(dir)} finding ${i}`));
      const errors = out.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors, [], `error-severity findings on a real chart:\n${JSON.stringify(errors, null, 2)}`);
      assert.equal(r.code, 0, show(r));
      // Findings are sorted by file, line, column (stable output for CI diffs).
      const sorted = [...out.findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
      assert.deepEqual(
        out.findings.map((f) => `${f.file}:${f.line}:${f.column}`),
        sorted.map((f) => `${f.file}:${f.line}:${f.column}`),
      );
    });
  }
});

describe('corpus: effective <chart> -f <overlay> -o json', { concurrency: POOL }, () => {
  for (const dir of charts) {
    const defaults = topLevel(path.join(dir, 'values.yaml'));
    for (const overlay of overlaysOf(dir)) {
      it(`${rel(dir)} -f ${overlay}`, async () => {
        const over = topLevel(path.join(dir, overlay));
        const r = await cliAsync(['effective', rel(dir), '-f', path.join(rel(dir), overlay), '-o', 'json'], repoRoot);
        assert.equal(r.code, 0, show(r));
        const values = json<Record<string, unknown>>(r, `${rel(dir)} -f ${overlay}`);
        assert.ok(values !== null && typeof values === 'object' && !Array.isArray(values), 'effective prints a JSON object');
        // From Helm 4.2.0 (the default) a null in values.yaml that the overlay does not set is dropped (helm/helm#31979).
        const droppedNull = (k: string) => defaults.get(k) === null && !over.has(k);
        const missing = [...defaults.keys()].filter((k) => !(over.has(k) && over.get(k) === null) && !droppedNull(k) && !Object.prototype.hasOwnProperty.call(values, k));
        assert.deepEqual(missing, [], `top-level keys of values.yaml missing from the effective values`);
        const kept = [...defaults.keys()].filter((k) => droppedNull(k) && Object.prototype.hasOwnProperty.call(values, k));
        assert.deepEqual(kept, [], `null defaults the overlay does not set, kept in the effective values`);
      });
    }
  }
});
