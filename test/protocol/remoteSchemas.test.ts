// The language server and helmValues.schema.fetchRemoteRefs: off, a remote `$ref` is reported and nothing is
// requested; on, the schema file first says the document is being fetched, then the values are validated against it
// (fetched from a local node:http server, cached in HELM_VALUES_CACHE_DIR) without any edit from the user.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { LspClient, uriOf } from './lspClient';
import { ensureBuilt } from './util';

const requests = new Map<string, number>();
let server: http.Server;
let base = '';
/** Answers are held until released, so the test sees the "fetching" state before the document arrives. */
let release: () => void = () => undefined;
let released = Promise.resolve();

before(async () => {
  ensureBuilt();
  server = http.createServer((req, res) => {
    const p = req.url ?? '/';
    requests.set(p, (requests.get(p) ?? 0) + 1);
    void released.then(() => {
      if (p === '/app.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer' } } }));
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function chart(): { root: string; values: string; schema: string; cache: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hv-remote-lsp-'));
  temps.push(root);
  const dir = path.join(root, 'chart');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: remote\nversion: 0.1.0\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'app:\n  replicas: two\n');
  fs.writeFileSync(path.join(dir, 'values.schema.json'), JSON.stringify({ type: 'object', properties: { app: { $ref: `${base}/app.json` } } }));
  return { root: dir, values: path.join(dir, 'values.yaml'), schema: path.join(dir, 'values.schema.json'), cache: path.join(root, 'cache') };
}

const lines = (ds: { code?: string | number; severity?: number; message: string; range: { start: { line: number } } }[]) => ds.map((d) => `${d.range.start.line + 1} ${d.severity} ${String(d.code)} ${d.message}`);

async function withServer(c: ReturnType<typeof chart>, settings: Record<string, unknown>, body: (client: LspClient) => Promise<void>): Promise<void> {
  const client = await LspClient.start({ workspaceFolders: [c.root], settings: { helmValues: settings }, env: { ...process.env, HELM_VALUES_CACHE_DIR: c.cache } });
  try {
    await body(client);
  } finally {
    await client.shutdown().catch(() => client.kill());
  }
  assert.deepEqual(client.messages.filter((m) => m.type === 1), [], 'the server logged no errors');
}

test('fetchRemoteRefs off: the remote $ref is an error that says how to opt in, and nothing is requested', async () => {
  const c = chart();
  requests.clear();
  await withServer(c, {}, async (client) => {
    const uri = await client.open(c.values);
    const p = await client.waitForDiagnostics(uriOf(c.schema), (d) => d.length > 0);
    assert.deepEqual(lines(p.diagnostics), [
      `1 1 schema.ref-unresolved $ref "${base}/app.json" is remote; helm-values does not fetch remote schemas unless asked to: turn on the setting helmValues.schema.fetchRemoteRefs (CLI: helm-values check --fetch-remote-refs), or vendor the schema next to values.schema.json and reference it by a relative path.`,
    ]);
    assert.deepEqual(client.lastDiagnostics(uri)?.diagnostics ?? [], []);
  });
  assert.equal(requests.size, 0);
  assert.equal(fs.existsSync(c.cache), false);
});

test('fetchRemoteRefs on: "fetching" first, then the values are validated against the fetched document', async () => {
  const c = chart();
  requests.clear();
  released = new Promise((resolve) => (release = resolve));
  await withServer(c, { schema: { fetchRemoteRefs: true } }, async (client) => {
    const uri = await client.open(c.values);
    const schemaUri = uriOf(c.schema);
    const fetching = await client.waitForDiagnostics(schemaUri, (d) => d.length > 0);
    assert.deepEqual(lines(fetching.diagnostics), [`1 3 schema.ref-unresolved $ref "${base}/app.json": fetching the remote schema; values are validated against ${c.schema} once it has arrived.`]);
    release();
    const validated = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(lines(validated.diagnostics), ['2 1 schema.type app.replicas: expected integer, found the string "two" [environment: default]']);
    await client.waitForDiagnostics(schemaUri, (d) => d.length === 0);
    assert.deepEqual(Object.fromEntries(requests), { '/app.json': 1 });
    // An edit recompiles nothing remote: the document is known, no new request.
    await client.replace(uri, 'two', '2');
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    assert.deepEqual(Object.fromEntries(requests), { '/app.json': 1 });
  });
  assert.equal(fs.readdirSync(c.cache).length, 1, 'the document is cached on disk');
});
