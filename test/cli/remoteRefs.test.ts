// `helm-values check --fetch-remote-refs`: remote `$ref`s of values.schema.json are downloaded only with the flag
// (from a local node:http server here, counting requests), cached in HELM_VALUES_CACHE_DIR, and read back from
// there by a later run with the server gone. Without the flag the CLI never touches the network.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chartYaml, cliAsync, type CliFinding, json, show, tempDir, writeTree } from './cliUtil';

const requests = new Map<string, number>();
let server: http.Server;
let base = '';
const routes: Record<string, string> = {
  '/k8s/container.json': JSON.stringify({ type: 'object', required: ['image'], properties: { image: { type: 'string' }, port: { $ref: 'port.json' } } }),
  '/k8s/port.json': JSON.stringify({ type: 'integer', minimum: 1 }),
};

before(async () => {
  server = http.createServer((req, res) => {
    const p = req.url ?? '/';
    requests.set(p, (requests.get(p) ?? 0) + 1);
    const body = routes[p];
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** A chart whose schema takes `app` from the local server; `app.port` is a string, so the remote schema rejects it. */
function chart(ref = `${base}/k8s/container.json`): string {
  const root = tempDir('hv-remote-cli-');
  writeTree(root, {
    'Chart.yaml': chartYaml('remote'),
    'values.yaml': 'app:\n  image: nginx\n  port: http\n',
    'values.schema.json': JSON.stringify({ type: 'object', properties: { app: { $ref: ref } } }, null, 2) + '\n',
  });
  return root;
}

/** Runs check with HELM_VALUES_CACHE_DIR (inherited by the child) and returns the findings as severity/code/message. */
async function check(dir: string, cacheDir: string, extra: string[]): Promise<{ code: number | null; findings: string[] }> {
  process.env.HELM_VALUES_CACHE_DIR = cacheDir;
  const r = await cliAsync(['check', '.', '-o', 'json', ...extra], dir);
  const findings = json<{ findings: CliFinding[] }>(r, show(r)).findings.map((f) => `${f.file}:${f.line} ${f.severity} [${f.code}] ${f.message}`);
  return { code: r.code, findings };
}

const total = () => [...requests.values()].reduce((a, b) => a + b, 0);

describe('check --fetch-remote-refs', () => {
  test('without the flag: schema.ref-unresolved with how to opt in, and no request at all', async () => {
    const dir = chart();
    const cacheDir = path.join(tempDir(), 'cache');
    const before = total();
    const r = await check(dir, cacheDir, []);
    assert.equal(r.code, 1);
    assert.deepEqual(r.findings, [
      `values.schema.json:1 error [schema.ref-unresolved] $ref "${base}/k8s/container.json" is remote; helm-values does not fetch remote schemas unless asked to: turn on the setting helmValues.schema.fetchRemoteRefs (CLI: helm-values check --fetch-remote-refs), or vendor the schema next to values.schema.json and reference it by a relative path.`,
    ]);
    assert.equal(total(), before, 'the server was never contacted');
    assert.equal(fs.existsSync(cacheDir), false, 'nothing was cached');
  });

  test('with the flag: the value is validated through the remote $ref and its relative $ref, then from the cache alone', async () => {
    const dir = chart();
    const cacheDir = path.join(tempDir(), 'cache');
    requests.clear();
    const r = await check(dir, cacheDir, ['--fetch-remote-refs']);
    assert.equal(r.code, 1, r.findings.join('\n'));
    assert.deepEqual(r.findings, ['values.yaml:3 error [schema.type] app.port: expected integer, found the string "http" [environment: default]']);
    assert.deepEqual(Object.fromEntries(requests), { '/k8s/container.json': 1, '/k8s/port.json': 1 });
    assert.equal(fs.readdirSync(cacheDir).length, 2, 'one cache file per document');

    // A second run reads both documents from the cache: no request, same findings.
    const again = await check(dir, cacheDir, ['--fetch-remote-refs']);
    assert.deepEqual(again.findings, r.findings);
    assert.deepEqual(Object.fromEntries(requests), { '/k8s/container.json': 1, '/k8s/port.json': 1 });

    // Fixed values pass.
    fs.writeFileSync(path.join(dir, 'values.yaml'), 'app:\n  image: nginx\n  port: 8080\n');
    const fixed = await check(dir, cacheDir, ['--fetch-remote-refs']);
    assert.deepEqual({ code: fixed.code, findings: fixed.findings }, { code: 0, findings: [] });
  });

  test('a document the server does not have is an error naming the URL and the HTTP status', async () => {
    const dir = chart(`${base}/k8s/missing.json`);
    const r = await check(dir, path.join(tempDir(), 'cache'), ['--fetch-remote-refs']);
    assert.equal(r.code, 1);
    assert.deepEqual(r.findings, [
      `values.schema.json:1 error [schema.ref-unresolved] $ref "${base}/k8s/missing.json" could not be fetched: the server answered HTTP 404 Not Found. Values are not validated against values.schema.json until it can be; fix the URL or vendor the schema next to values.schema.json.`,
    ]);
  });

  test('the flag belongs to check', async () => {
    const r = await cliAsync(['effective', chart(), '--fetch-remote-refs'], tempDir());
    assert.equal(r.code, 2, show(r));
    assert.equal(r.stderr.trim(), 'helm-values: --fetch-remote-refs applies to check (the command that validates values against schemas), not to effective');
  });
});
