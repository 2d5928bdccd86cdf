// Remote `$ref`s in values.schema.json: compiled from documents the host fetched (only when the user opted in), the
// store that fetches them (timeout, size cap, JSON only, failures remembered) and its disk cache, and the schema
// cache that recompiles when documents arrive. Every server here is a local node:http server on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileSchema, MAX_REMOTE_DOCUMENTS } from '../../server/src/host/schemaCompiler';
import { cacheFileName, defaultCacheDir, RemoteSchemaStore } from '../../server/src/host/remoteSchemas';
import { SchemaCache } from '../../server/src/host/schemaCache';
import type { ChartModel } from '../../server/src/service/chart/chartModel';
import type { CompiledSchema } from '../../server/src/service/schema/types';

/** A local server: `routes` maps a path to a body (or a handler); every request is counted per path. */
interface TestServer {
  base: string;
  requests: Map<string, number>;
  close: () => Promise<void>;
}

async function serve(routes: Record<string, string | ((req: http.IncomingMessage, res: http.ServerResponse) => void)>): Promise<TestServer> {
  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const p = req.url ?? '/';
    requests.set(p, (requests.get(p) ?? 0) + 1);
    const route = routes[p];
    if (typeof route === 'function') return route(req, res);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hv-remote-'));
  made.push(dir);
  return dir;
}
const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

const schemaFile = (schema: unknown) => ({ path: '/chart/values.schema.json', text: JSON.stringify(schema) });
const summary = (c: CompiledSchema) => c.problems.map((p) => `${p.severity} [${p.code}] ${p.message}`);

describe('compileSchema with remote documents', () => {
  const docs: Record<string, string> = {
    'https://schemas.example/k8s/container.json': JSON.stringify({ type: 'object', properties: { image: { type: 'string' }, resources: { $ref: 'defs/resources.json' } }, required: ['image'] }),
    'https://schemas.example/k8s/defs/resources.json': JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { cpu: { type: 'integer' } } }),
  };
  const root = { type: 'object', properties: { app: { $ref: 'https://schemas.example/k8s/container.json' } } };

  test('a remote $ref and a relative $ref inside the remote document both validate', () => {
    const asked: string[] = [];
    const compiled = compileSchema(schemaFile(root), {
      defaultDraft: '2020-12',
      remote: (url) => {
        asked.push(url);
        const text = docs[url];
        return text === undefined ? undefined : { text };
      },
    });
    assert.deepEqual(summary(compiled), []);
    assert.equal(compiled.pendingRemote, undefined);
    assert.deepEqual(asked, ['https://schemas.example/k8s/container.json', 'https://schemas.example/k8s/defs/resources.json']);
    assert.ok(compiled.validate);
    assert.deepEqual(compiled.validate({ app: { image: 'nginx', resources: { cpu: 2 } } }), []);
    const errors = compiled.validate({ app: { resources: { cpu: 'two' } } });
    assert.deepEqual(errors.map((e) => `${e.instancePath} ${e.keyword}`).sort(), ['/app required', '/app/resources/cpu type']);
  });

  test('a $ref with a fragment into a remote document resolves', () => {
    const compiled = compileSchema(schemaFile({ properties: { port: { $ref: 'https://schemas.example/defs.json#/$defs/port' } } }), {
      defaultDraft: '2020-12',
      remote: (url) => (url === 'https://schemas.example/defs.json' ? { text: JSON.stringify({ $defs: { port: { type: 'integer', maximum: 65535 } } }) } : { error: 'unexpected' }),
    });
    assert.deepEqual(summary(compiled), []);
    assert.deepEqual(compiled.validate?.({ port: 80 }), []);
    assert.deepEqual(compiled.validate?.({ port: 70000 }).map((e) => e.keyword), ['maximum']);
  });

  test('documents not fetched yet are info findings listed in pendingRemote, and nothing is validated', () => {
    const compiled = compileSchema(schemaFile(root), { defaultDraft: '2020-12', remote: () => undefined });
    assert.deepEqual(compiled.pendingRemote, ['https://schemas.example/k8s/container.json']);
    assert.equal(compiled.validate, undefined);
    assert.deepEqual(summary(compiled), ['info [schema.ref-unresolved] $ref "https://schemas.example/k8s/container.json": fetching the remote schema; values are validated against /chart/values.schema.json once it has arrived.']);
    // Once the first arrived, the document it references is the one pending (found only by reading the first).
    const second = compileSchema(schemaFile(root), { defaultDraft: '2020-12', remote: (url) => (url.endsWith('container.json') ? { text: docs[url] ?? '' } : undefined) });
    assert.deepEqual(second.pendingRemote, ['https://schemas.example/k8s/defs/resources.json']);
    assert.equal(second.validate, undefined);
    assert.deepEqual(summary(second), ['info [schema.ref-unresolved] $ref "defs/resources.json" (https://schemas.example/k8s/defs/resources.json): fetching the remote schema; values are validated against /chart/values.schema.json once it has arrived.']);
  });

  test('a document that could not be fetched is an error naming the URL and the reason', () => {
    const compiled = compileSchema(schemaFile(root), { defaultDraft: '2020-12', remote: () => ({ error: 'the server answered HTTP 404 Not Found' }) });
    assert.equal(compiled.validate, undefined);
    assert.equal(compiled.pendingRemote, undefined);
    assert.deepEqual(summary(compiled), [
      'error [schema.ref-unresolved] $ref "https://schemas.example/k8s/container.json" could not be fetched: the server answered HTTP 404 Not Found. Values are not validated against /chart/values.schema.json until it can be; fix the URL or vendor the schema next to values.schema.json.',
    ]);
  });

  test('without a provider nothing is asked and the message says how to opt in', () => {
    const compiled = compileSchema(schemaFile(root), { defaultDraft: '2020-12' });
    assert.equal(compiled.validate, undefined);
    assert.deepEqual(summary(compiled), [
      'error [schema.ref-unresolved] $ref "https://schemas.example/k8s/container.json" is remote; helm-values does not fetch remote schemas unless asked to: turn on the setting helmValues.schema.fetchRemoteRefs (CLI: helm-values check --fetch-remote-refs), or vendor the schema next to values.schema.json and reference it by a relative path.',
    ]);
  });

  test('only http and https are fetched, and a chain of references is bounded', () => {
    const ftp = compileSchema(schemaFile({ $ref: 'ftp://schemas.example/a.json' }), { defaultDraft: '2020-12', remote: () => assert.fail('not asked') });
    assert.deepEqual(summary(ftp), ['error [schema.ref-unresolved] $ref "ftp://schemas.example/a.json" is neither http nor https; only those are fetched. Vendor the schema next to values.schema.json and reference it by a relative path.']);
    // Document n references document n+1, without end.
    const endless = compileSchema(schemaFile({ $ref: 'https://schemas.example/0.json' }), {
      defaultDraft: '2020-12',
      remote: (url) => ({ text: JSON.stringify({ $ref: `${Number(/(\d+)\.json$/.exec(url)?.[1]) + 1}.json` }) }),
    });
    assert.equal(endless.validate, undefined);
    assert.deepEqual(summary(endless), [`error [schema.ref-unresolved] $ref "${MAX_REMOTE_DOCUMENTS}.json" (https://schemas.example/${MAX_REMOTE_DOCUMENTS}.json): values.schema.json references more than ${MAX_REMOTE_DOCUMENTS} remote documents; the rest are not fetched. Vendor the schemas next to values.schema.json.`]);
  });

  test('a remote document that is not a schema is a finding, not a crash', () => {
    const compiled = compileSchema(schemaFile({ $ref: 'https://schemas.example/list.json' }), { defaultDraft: '2020-12', remote: () => ({ text: '[1, 2]' }) });
    assert.deepEqual(summary(compiled), ['error [schema.invalid-schema] $ref "https://schemas.example/list.json": not a JSON Schema (an object or a boolean)']);
  });
});

describe('RemoteSchemaStore', () => {
  const container = JSON.stringify({ type: 'object', properties: { image: { type: 'string' }, port: { $ref: 'port.json' } } });
  let server: TestServer;
  before(async () => {
    server = await serve({
      '/container.json': container,
      '/port.json': JSON.stringify({ type: 'integer' }),
      '/html': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a schema</html>'),
      '/big.json': JSON.stringify({ description: 'x'.repeat(4096) }),
      '/slow': () => undefined, // never answers
      '/stall-body': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"type": '); // headers and half a body, then nothing
      },
      '/stream.json': (_req, res) => {
        // Chunked, without content-length: the cap applies while reading.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"description": "');
        for (let i = 0; i < 3; i++) res.write('y'.repeat(600));
        res.end('"}');
      },
      '/once.json': JSON.stringify({ type: 'string' }),
    });
  });
  after(() => server.close());

  test('fetches, writes one cache file per URL, and a new store reads it back with the server gone', async () => {
    const cacheDir = path.join(tempDir(), 'nested', 'schemas');
    const url = `${server.base}/container.json`;
    const store = new RemoteSchemaStore({ cacheDir });
    assert.equal(store.get(url), undefined, 'never fetched');
    await store.fetchAll([url]);
    assert.deepEqual(store.get(url), { text: container });
    const file = path.join(cacheDir, createHash('sha256').update(url).digest('hex') + '.json');
    assert.equal(cacheFileName(url), path.basename(file));
    assert.deepEqual(fs.readdirSync(cacheDir), [path.basename(file)], 'one file, no temporary file left behind');
    const entry = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; text: string; fetchedAt: string };
    assert.equal(entry.url, url);
    assert.equal(entry.text, container);
    assert.ok(!Number.isNaN(Date.parse(entry.fetchedAt)));

    const closed = await serve({});
    const deadUrl = `${closed.base}/container.json`;
    await closed.close();
    // The cache is keyed by URL: the new store finds the document without any network.
    const again = new RemoteSchemaStore({ cacheDir });
    assert.deepEqual(again.get(url), { text: container });
    assert.equal(again.get(deadUrl), undefined);
  });

  test('compiles through the store: fetch what is pending until nothing is, then validate', async () => {
    const store = new RemoteSchemaStore({ cacheDir: tempDir() });
    const file = schemaFile({ type: 'object', properties: { app: { $ref: `${server.base}/container.json` } } });
    const compile = () => compileSchema(file, { defaultDraft: '2020-12', remote: (url) => store.get(url) });
    let compiled = compile();
    let rounds = 0;
    while (compiled.pendingRemote && rounds < 5) {
      await store.fetchAll(compiled.pendingRemote);
      compiled = compile();
      rounds++;
    }
    assert.equal(rounds, 2, 'container.json, then the port.json it references');
    assert.deepEqual(summary(compiled), []);
    assert.deepEqual(compiled.validate?.({ app: { image: 'nginx', port: 'http' } }).map((e) => `${e.instancePath} ${e.keyword}`), ['/app/port type']);
  });

  test('a server that never answers is a timeout error naming the limit', async () => {
    const store = new RemoteSchemaStore({ cacheDir: tempDir(), timeoutMs: 150 });
    const started = Date.now();
    await store.fetchAll([`${server.base}/slow`]);
    assert.ok(Date.now() - started < 5000, 'the timeout stops the request');
    assert.deepEqual(store.get(`${server.base}/slow`), { error: 'timed out after 150 ms without a complete answer' });
    // The limit covers the body too, not only the headers.
    await store.fetchAll([`${server.base}/stall-body`]);
    assert.deepEqual(store.get(`${server.base}/stall-body`), { error: 'timed out after 150 ms without a complete answer' });
  });

  test('HTTP errors, non-JSON and oversized answers are errors with the reason; none is cached on disk', async () => {
    const cacheDir = tempDir();
    const store = new RemoteSchemaStore({ cacheDir, maxBytes: 1024 });
    const urls = ['/missing.json', '/html', '/big.json', '/stream.json'].map((p) => `${server.base}${p}`);
    await store.fetchAll(urls);
    const [missing, html, big, streamed] = urls.map((u) => store.get(u));
    assert.deepEqual(missing, { error: 'the server answered HTTP 404 Not Found' });
    assert.match((html as { error: string }).error, /^the response is not JSON \(Unexpected token/);
    assert.deepEqual(big, { error: 'the response is larger than 1 KiB' });
    assert.deepEqual(streamed, { error: 'the response is larger than 1 KiB' });
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });

  test('a URL in flight is fetched once; a failed one is not asked again in the session', async () => {
    const store = new RemoteSchemaStore({ cacheDir: tempDir() });
    const url = `${server.base}/once.json`;
    await Promise.all([store.fetchAll([url, url]), store.fetchAll([url])]);
    assert.equal(server.requests.get('/once.json'), 1);
    const before404 = server.requests.get('/gone.json') ?? 0;
    await store.fetchAll([`${server.base}/gone.json`]);
    await store.fetchAll([`${server.base}/gone.json`]);
    assert.equal(server.requests.get('/gone.json'), before404 + 1);
  });

  test('non-http URLs are refused without any request, and fetchAll never throws', async () => {
    const store = new RemoteSchemaStore({ cacheDir: tempDir() });
    await store.fetchAll(['file:///etc/passwd', 'http://[not a host/']);
    assert.deepEqual(store.get('file:///etc/passwd'), { error: 'only http and https URLs are fetched' });
    assert.ok('error' in (store.get('http://[not a host/') ?? { text: '' }));
  });

  test('the cache directory: HELM_VALUES_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache', () => {
    assert.equal(defaultCacheDir({ HELM_VALUES_CACHE_DIR: '/tmp/hv', XDG_CACHE_HOME: '/xdg' }), '/tmp/hv');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }), path.join('/xdg', 'helm-values', 'schemas'));
    assert.equal(defaultCacheDir({}), path.join(os.homedir(), '.cache', 'helm-values', 'schemas'));
  });
});

describe('SchemaCache with remote documents', () => {
  const model = (text: string, subcharts: ChartModel[] = []) => ({ name: 'c', schema: { path: '/chart/values.schema.json', text }, subcharts }) as unknown as ChartModel;

  test('lists pending URLs of a chart tree and recompiles only after invalidateRemote', () => {
    const docs = new Map<string, { text: string }>();
    const cache = new SchemaCache();
    const lookup = cache.lookup('2020-12', '/chart', '/chart', () => undefined, (url) => docs.get(url));
    const sub = { name: 'sub', schema: { path: '/chart/charts/sub/values.schema.json', text: JSON.stringify({ $ref: 'https://schemas.example/sub.json' }) }, subcharts: [] } as unknown as ChartModel;
    const top = model(JSON.stringify({ $ref: 'https://schemas.example/top.json' }), [sub]);
    const first = lookup(top);
    lookup(sub);
    assert.deepEqual(cache.pendingRemote(top).sort(), ['https://schemas.example/sub.json', 'https://schemas.example/top.json']);
    docs.set('https://schemas.example/top.json', { text: JSON.stringify({ type: 'object' }) });
    assert.equal(lookup(top), first, 'cached until the host says documents arrived');
    cache.invalidateRemote();
    const second = lookup(top);
    assert.notEqual(second, first);
    assert.ok(second?.validate);
    assert.deepEqual(cache.pendingRemote(sub), ['https://schemas.example/sub.json']);
  });

  test('with and without fetching are separate compilations; a schema without remote refs survives arrivals', () => {
    const cache = new SchemaCache();
    const top = model(JSON.stringify({ $ref: 'https://schemas.example/top.json' }));
    const off = cache.lookup('2020-12', '/chart', '/chart', () => undefined)(top);
    assert.equal(off?.problems[0]?.severity, 'error');
    const on = cache.lookup('2020-12', '/chart', '/chart', () => undefined, () => undefined)(top);
    assert.equal(on?.problems[0]?.severity, 'info');
    const local = model(JSON.stringify({ type: 'object' }));
    const lookup = cache.lookup('2020-12', '/chart', '/chart', () => undefined, () => undefined);
    const once = lookup(local);
    cache.invalidateRemote();
    assert.equal(lookup(local), once);
  });
});
