// `helm-values drift`: declared values against a live release, read from a fake Kubernetes API server on 127.0.0.1
// (started here) that serves release records encoded as Helm encodes them (pkg/storage/driver/util.go
// encodeRelease: JSON, gzip at best compression, base64; a Secret's data is base64 once more on the wire), and from
// `helm get values` files. One real record, written by Helm 3 itself, checks that the decoder reads Helm's format.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { cliAsync, chartYaml, json, show, tempDir, writeTree } from './cliUtil';
import { decodeHelmRelease } from '../../server/src/host/kube/liveRelease';

/** Helm's encodeRelease: json.Marshal, gzip.BestCompression (Go writes OS byte 255), base64.StdEncoding. */
function encodeRelease(rel: object): string {
  const gz = zlib.gzipSync(Buffer.from(JSON.stringify(rel)), { level: 9 });
  gz[9] = 0xff;
  return gz.toString('base64');
}

function release(name: string, version: number, status: string, config: object | undefined, chartVersion = '1.0.0'): object {
  return {
    name,
    info: { first_deployed: '2026-01-01T00:00:00Z', last_deployed: '2026-01-01T00:00:00Z', deleted: '', description: 'Upgrade complete', status },
    chart: { metadata: { name: 'web', version: chartVersion, apiVersion: 'v2' }, lock: null, templates: [], values: { replicas: 1 }, schema: null, files: [] },
    ...(config ? { config } : {}),
    manifest: '---\n',
    version,
    namespace: 'apps',
  };
}

function secretItem(rel: { name: string; version: number; info: { status: string } }, data?: string): object {
  return {
    metadata: { name: `sh.helm.release.v1.${rel.name}.v${rel.version}`, namespace: 'apps', labels: { name: rel.name, owner: 'helm', status: rel.info.status, version: String(rel.version) } },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(data ?? encodeRelease(rel)).toString('base64') },
  };
}

function configMapItem(rel: { name: string; version: number; info: { status: string } }): object {
  return { metadata: { name: `${rel.name}.v${rel.version}`, namespace: 'apps', labels: { name: rel.name, owner: 'helm', status: rel.info.status, version: String(rel.version) } }, data: { release: encodeRelease(rel) } };
}

// A release Secret written by Helm 3 (release foobar, revision 3, chart 0.1.0, no user-supplied values), as
// `kubectl get secret -o yaml` shows it; copied from a public project's test data.
const REAL_HELM3_SECRET_DATA =
  'SDRzSUFBQUFBQUFDLzN4V1gzT2l2aHIrS2t6T0xYVVJhN2N5ODdzUXRpTHFXdGV1SWh4M3pvUVFJV3RJc2lHbzJQRzdud24wNzdiblhIUk0zbjk1bi9SOW52QUlHQ3d3Y01DTzh3UktZQUxDZGh3NGoyQkhaS24razJKQmVZMVQ0QURic3UwcjYvcks3di9zM2pyZHZtUDNPOWYyemUxMWI5Q0xnUWtvL0gveHR1WFkzYzVYNit2TmRmL202MWVka0dLS1ZSUGFiRW9raVZDRU0rQ0FsY2drVExHQmVDRjBFREJCcWFDcVN1Q0FseU11SmtBNWxFcDNXMkFGVTZpZ1hqOGhTampYZUE1WWxtMVJxOVB0V0IrT0docGpUQXVqcVdUc3VEU21WWUlsd3dxWHdBUlFrUFZMZ1lQZFdNU3JwZHZwM2pRMVZTMzBtVkFJU2hCc1NsOU1RRG5hQTRkVmxKcEE0VUpRcUtzNi8zN3A4Y1g0aGJCTTRyTHMxTENndXNjR0M0ZzJybGdYNnhyWjlKRDg1bGxTckszVUh0VFFwbFZjOStYOStIc0Z3OXREK3Z0dTJ0aSs4ZXdoN0ROVXJNL29LRlM4V2VheFA3S2luM3dhZUc0VmhWMTZUOXdpc1FjazJnUlQxSE5wZEc1OGRScWVLR3JXd3l6d3JBejZnM1A2aldkQkVSK1Mza1RIVjVFOVVFSEdzemJHNWVsNGVieC8yUSt6WU96bXFaK2YzOW04WVRaN2NJL1Jac252eVpETTZtRDYxcWYva0QreTRHalpSLzdxSmhpNWRSekdBZy9mMXdnOGwwVGhYTVpoZi85My9mYnNPVVVzRnBHOXV2SEk4S1AvRlQvRi9rZ2gvMFQvUjl3eDZVMnNUODk0WDZmQjcyWC8vQU11djB4d2dMVFMvOTVIQUhjN3dvaXFnZk40TVFHc0ZDOFJwSVJsMm9rWlRLZ2UreDJrSlRaQkFVOUwzSXhOQ1p5dVpabWdJT3lOeFFRS3lnd3JiN0ZhS1VMSnVSbXZCWllJTXdVekRKeGI2MktDWFVXcG5xcjdBNWFTcExpbEZTbWFpRWNnS2tvWG5CSlVBd2NFdXpsWEM0bEx6QlF3Z2NTQ2wwUnhxWDBzSSt5a0p4cG11c1RscWNhaW92UUJJNG1WSHVCZldpZWFnVzNnTXNaVjAxWFpJdjRiWXM1TDFjNjlYZ0duNWUwVlBrRk43dzdsQ09xaEYxRGxUWFY5bTRxMlN4TjhSTVY0aWg4d3hVaHgyWjRvZURyOHV3dkIwd2VNS2tsVTdYR204RW0xZHRuZXJjY3JwcHI3bGJqa2xVVDRLYS84TEtuRThrQlFlNVZjYTg2dDljSjZqMWFsd2pKWWdOZkFJVUp0L1UrdUIwa01GUWFPa2hVMm42VkE1eXBPc1h5T2JMQ1hLTWNGZk5hUUhhSHY5YU9UWTFxUWpIR0pYMFVqcU4wZjBXWnB4WnRKaFdyWFNtcFh4SGIvZ0lwVmx0bzVUWWhMMHBDV3NhOUZ4RDFxVWtWaFNsRjlQUTFxZHdWOWVnN0c4eTRhdXdmRWxuck40L0JVQm41YUpuYVFKZUhJaXV4Y0pBVXFnL0dFSnBxOG01aTI1TS9lKy8xUkZRLzU3OER2MDlnZVdUQWNWSUdYSDFHeEx1QW1wN0huOXVCbXlRUHZUc3lJdTBpS1V6L3dCMVhjQ2thRElSaTdGQkczaEdHZnpqSmVMVWZ6M2FxMzFIaDB2OThTdTZzUyt6cGI3K2MvQTM4cEVQcytuUldwU0wzYjl0ZW5MQ2tHZGZ5RFZ4RVQ5ZXpZL3NJd3JaTGVoSHFreitOYXgrYnNqZTJjRnRjSGozelBmdGdEbGVpKy9Va2UyYXFMUExlQVdpeVAvTStNelh0b3lQL01pa2tPbS8xU3RmdEJEVU0wbmJMbVRzTm9NeEZKYjMwTzd1amRjdk45T21OdW5kaUNScjBmMDFsQjkzRjRkL0FJcjFLL2UwVEY0STlIK2pheTU0ZllYeDJlQk9haXBZS1JIVzRZZEhWMXRXWC9NaDZhd1hVTS9kaDkrZncxMmJMWFI4d3hHRlpITHZlRVpaMzliZGtoL011aHUyVjd3bExIQ05xc0xYdCtUWjB0TXd3OWFvN1JmaDlzV1Nrd2FzeXlvcmhzVm9aeFpXaGVPOFpXZjBiSUJNb080c1VXdEU3RHlKVVN6dlBHTUJxYXY5bnJmRzNUK1Y5ZXMxNkRmOVlDTzhaQzRoMDV2ZmNtRU8weFM1MzNWc040SXVFSCt6T2FKK1g1Nk5iYy9pVHJPVThqMmJLM1h4Vzlsc0NsZ0ZvY1FJcDNzS0lLWFA0YkFBRC8vMWhJdGNkWkNRQUE=';

interface Served {
  secrets: object[];
  configmaps: object[];
  status?: number;
  hang?: boolean;
}

describe('helm-values drift', () => {
  let server: http.Server;
  let port = 0;
  let served: Served = { secrets: [], configmaps: [] };
  const seen: { url: string; auth?: string }[] = [];
  let root = '';
  let kubeconfig = '';

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
      if (served.hang) return; // never answers: the client's time bound must end the request
      if (served.status) {
        res.writeHead(served.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: served.status === 401 ? 'Unauthorized' : 'secrets is forbidden: User "ci" cannot list resource "secrets"', code: served.status }));
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const selector = url.searchParams.get('labelSelector') ?? '';
      const want = Object.fromEntries(selector.split(',').map((kv) => kv.split('=')));
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/(secrets|configmaps)$/.exec(url.pathname);
      if (!m) {
        res.writeHead(404).end();
        return;
      }
      const items = (m[2] === 'secrets' ? served.secrets : served.configmaps).filter((i) => {
        const labels = (i as { metadata: { labels: Record<string, string> } }).metadata.labels;
        return Object.entries(want).every(([k, v]) => labels[k] === v);
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: m[2] === 'secrets' ? 'SecretList' : 'ConfigMapList', apiVersion: 'v1', items }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    root = tempDir('hv-drift-');
    writeTree(root, {
      'web/Chart.yaml': chartYaml('web'),
      'web/values.yaml': 'replicas: 1\nimage:\n  tag: "1.0"\nauth:\n  password: ""\n',
      'web/values-prod.yaml': 'replicas: 3\nimage:\n  tag: "2.0"\nextra:\n  declaredOnly: yes-please\n',
      'kubeconfig.yaml': `apiVersion: v1
kind: Config
clusters:
  - name: fake
    cluster:
      server: http://127.0.0.1:${port}
      insecure-skip-tls-verify: true
contexts:
  - name: fake-ctx
    context: {cluster: fake, user: ci, namespace: apps}
  - name: other
    context: {cluster: fake, user: ci}
current-context: fake-ctx
users:
  - name: ci
    user:
      token: s3cr3t-token-for-tests
`,
    });
    kubeconfig = path.join(root, 'kubeconfig.yaml');
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const drift = (args: string[]) => cliAsync(['drift', 'web', '--env', 'prod', ...args], root);

  it('reads a real Helm 3 record', () => {
    const helmText = Buffer.from(REAL_HELM3_SECRET_DATA, 'base64').toString('utf8');
    const r = decodeHelmRelease(helmText);
    assert.ok('release' in r, JSON.stringify(r));
    assert.equal(r.release.name, 'foobar');
    assert.equal(r.release.version, 3);
    assert.equal((r.release.info as { status: string }).status, 'deployed');
    assert.equal((r.release.chart as { metadata: { version: string } }).metadata.version, '0.1.0');
    // Our fixtures are encoded the same way: the same gzip header as Helm's (best compression, OS byte 255).
    const helmHeader = Buffer.from(helmText, 'base64').subarray(0, 10);
    assert.deepEqual(Buffer.from(encodeRelease({ a: 1 }), 'base64').subarray(0, 10), helmHeader);
  });

  it('finds live-only, declared-only and differs against the latest deployed revision, sending the token', async () => {
    seen.length = 0;
    served = {
      secrets: [
        secretItem(release('web', 1, 'superseded', { replicas: 2 }) as never),
        secretItem(release('web', 2, 'deployed', { replicas: 3, image: { tag: '1.9' }, hotfix: { timeout: 30 } }, '1.0.0') as never),
        secretItem(release('web', 3, 'failed', { replicas: 9 }) as never),
        secretItem(release('other', 7, 'deployed', { replicas: 100 }) as never),
      ],
      configmaps: [],
    };
    const r = await drift(['--release', 'web', '--kubeconfig', kubeconfig, '-o', 'json']);
    assert.equal(r.code, 1, show(r));
    const j = json<{ environment: string; release: string; revision: number; chartVersion: { declared: string; live: string }; changes: { path: string; kind: string; declared?: unknown; live?: unknown; declaredSource?: { file: string; line: number } }[] }>(r);
    assert.equal(j.environment, 'prod');
    assert.equal(j.release, 'web');
    assert.equal(j.revision, 2);
    assert.deepEqual(j.chartVersion, { declared: '0.1.0', live: '1.0.0' });
    assert.deepEqual(j.changes, [
      { path: 'extra.declaredOnly', kind: 'declared-only', declared: 'yes-please', declaredSource: { file: path.join('web', 'values-prod.yaml'), line: 5 } },
      { path: 'hotfix.timeout', kind: 'live-only', live: 30 },
      { path: 'image.tag', kind: 'differs', declared: '2.0', live: '1.9', declaredSource: { file: path.join('web', 'values-prod.yaml'), line: 3 } },
    ]);
    assert.ok(seen.length > 0 && seen.every((s) => s.auth === 'Bearer s3cr3t-token-for-tests'), JSON.stringify(seen));
    assert.match(seen[0]?.url ?? '', /^\/api\/v1\/namespaces\/apps\/secrets\?labelSelector=owner%3Dhelm%2Cname%3Dweb$/);
  });

  it('reads the configmap driver when no Secret holds the release; no drift is exit 0', async () => {
    served = { secrets: [], configmaps: [configMapItem(release('web', 4, 'deployed', { replicas: 3, image: { tag: '2.0' }, extra: { declaredOnly: 'yes-please' } }, '0.1.0') as never)] };
    const r = await drift(['--release', 'web', '--kubeconfig', kubeconfig, '--namespace', 'apps']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /no drift/);
    assert.match(r.stdout, /web\.v4 in namespace apps/);
  });

  it('names the server, the context and the reason: 401, 403, no such release, corrupt record, timeout', async () => {
    const server = `http://127.0.0.1:${port}`;
    served = { secrets: [], configmaps: [], status: 401 };
    let r = await drift(['--release', 'web', '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 2, show(r));
    assert.ok(r.stderr.includes(server) && r.stderr.includes('context fake-ctx') && r.stderr.includes('401 Unauthorized'), r.stderr);
    served = { secrets: [], configmaps: [], status: 403 };
    r = await drift(['--release', 'web', '--kubeconfig', kubeconfig, '--context', 'other']);
    assert.equal(r.code, 2, show(r));
    assert.ok(r.stderr.includes('context other') && r.stderr.includes('403 Forbidden') && r.stderr.includes('namespace default'), r.stderr);
    served = { secrets: [], configmaps: [] };
    r = await drift(['--release', 'nope', '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /no such release "nope" in namespace apps/);
    served = { secrets: [secretItem(release('web', 5, 'deployed', {}) as never, 'H4sIAAAAnot-really-gzip')], configmaps: [] };
    r = await drift(['--release', 'web', '--kubeconfig', kubeconfig]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /sh\.helm\.release\.v1\.web\.v5 is corrupt/);
    assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/);
    served = { secrets: [], configmaps: [], hang: true };
    r = await drift(['--release', 'web', '--kubeconfig', kubeconfig, '--timeout', '0.5']);
    assert.equal(r.code, 2, show(r));
    assert.ok(r.stderr.includes('no answer within 0.5 s') && r.stderr.includes(server), r.stderr);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    r = await drift(['--release', 'web', '--kubeconfig', kubeconfig, '--context', 'missing']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /--context missing: no such context in the kubeconfig \(known: fake-ctx, other\)/);
  });

  it('reads helm get values files (yaml with heading, json, --all) and redacts secrets on both sides', async () => {
    writeTree(root, {
      'live-user.yaml': 'USER-SUPPLIED VALUES:\nreplicas: 3\nimage:\n  tag: "2.0"\nauth:\n  password: Zx9pQ2vL8mN4kR7t\n',
      'live.json': JSON.stringify({ replicas: 4, image: { tag: '2.0' }, extra: { declaredOnly: 'yes-please' } }),
      'live-all.yaml': 'COMPUTED VALUES:\nreplicas: 3\nimage:\n  tag: "2.0"\nauth:\n  password: ""\nextra:\n  declaredOnly: yes-please\n',
      'broken.yaml': 'a: [\n',
    });
    let r = await drift(['--live', 'live-user.yaml', '-o', 'json']);
    assert.equal(r.code, 1, show(r));
    const j = json<{ changes: { path: string; kind: string; live?: unknown }[] }>(r);
    assert.deepEqual(j.changes.map((c) => `${c.kind} ${c.path}`), ['live-only auth.password', 'declared-only extra.declaredOnly']);
    assert.ok(!r.stdout.includes('Zx9pQ2vL8mN4kR7t'), r.stdout);
    r = await drift(['--live', 'live.json']);
    assert.equal(r.code, 1, show(r));
    assert.match(r.stdout, /differs\s+replicas: declared 3 \[web\/values-prod\.yaml:1\], live 4/);
    r = await drift(['--live', 'live-all.yaml']);
    assert.equal(r.code, 0, show(r));
    r = await drift(['--live', 'broken.yaml']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /broken\.yaml:\d+: not valid YAML or JSON/);
    r = await drift(['--live', 'live.json', '--release', 'web']);
    assert.equal(r.code, 2, show(r));
  });
});
