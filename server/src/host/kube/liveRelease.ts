// The live release, read from the cluster the way Helm stores it: with the kubeconfig's credentials
// (@kubernetes/client-node: contexts, tokens, client certificates, exec credential plugins), the release records
// labelled owner=helm,name=<release> (storage driver `secret`: sh.helm.release.v1.<release>.v<N>; else `configmap`),
// the newest revision whose status is `deployed`, decoded as Helm's pkg/storage/driver/util.go decodeRelease does:
// base64, gzip when the gzip magic is there, then JSON. Its `config` is the user-supplied values and
// `chart.metadata.version` the chart version. Every request is bounded in time. Never throws: failures are phrased
// with the server, the context and the reason (unreachable, 401/403, no such release, corrupt record).
//
// Bundled apart (dist/kube.js, scripts/build.mjs): the client is large and only `helm-values drift --release` needs it.
import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';

export interface ClusterTarget {
  release: string;
  namespace?: string;
  /** A kubeconfig file; default: $KUBECONFIG, else ~/.kube/config, else in-cluster. */
  kubeconfig?: string;
  context?: string;
  /** Bound of each request, in milliseconds (default 10 s). */
  timeoutMs?: number;
}

export interface LiveRelease {
  release: string;
  namespace: string;
  revision: number;
  status: string;
  chartVersion?: string;
  /** The user-supplied values of that revision (`helm get values`). */
  config: Record<string, unknown>;
  driver: 'secret' | 'configmap';
  /** The record read: `sh.helm.release.v1.<release>.v<N>`. */
  record: string;
  server: string;
  context: string;
}

export interface ClusterFailure {
  error: string;
  server?: string;
  context?: string;
}

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

interface Item {
  metadata?: { name?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/** Helm's decodeRelease: base64, gunzip when gzip-compressed, JSON. */
export function decodeHelmRelease(data: string): { release: Record<string, unknown> } | { error: string } {
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data.replace(/\s+/g, ''))) return { error: 'not base64' };
  let json: Buffer = bytes;
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      json = zlib.gunzipSync(bytes, { maxOutputLength: MAX_RESPONSE_BYTES });
    } catch (e) {
      return { error: `not valid gzip (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  try {
    const release: unknown = JSON.parse(json.toString('utf8'));
    if (release === null || typeof release !== 'object' || Array.isArray(release)) return { error: 'not a release object' };
    return { release: release as Record<string, unknown> };
  } catch (e) {
    return { error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** One GET, bounded in time; the parsed JSON body, or a failure phrase. */
async function getJson(kc: KubeConfig, url: URL, timeoutMs: number): Promise<{ status: number; body: unknown } | { failure: string }> {
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (e) {
    return { failure: `the credentials could not be obtained (${e instanceof Error ? e.message : String(e)})` };
  }
  const lib = url.protocol === 'http:' ? http : https;
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: { status: number; body: unknown } | { failure: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = lib.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (b: Buffer) => {
        size += b.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy();
          finish({ failure: `the answer is larger than ${MAX_RESPONSE_BYTES} bytes` });
        } else chunks.push(b);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          body = text;
        }
        finish({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (e) => finish({ failure: `unreachable (${e.message})` }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ failure: `unreachable: no answer within ${timeoutMs / 1000} s` });
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ failure: `unreachable (${e.code ?? e.message})` }));
    req.end();
  });
}

function statusFailure(status: number, body: unknown, what: string, namespace: string): string {
  const message = body !== null && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? `: ${(body as { message: string }).message}` : '';
  if (status === 401) return `401 Unauthorized: the server refused the credentials${message}`;
  if (status === 403) return `403 Forbidden: the credentials may not list ${what} in namespace ${namespace}${message}`;
  return `HTTP ${status} listing ${what} in namespace ${namespace}${message}`;
}

/** Reads the deployed revision of a release. */
export async function readLiveRelease(t: ClusterTarget): Promise<LiveRelease | ClusterFailure> {
  const kc = new KubeConfig();
  try {
    if (t.kubeconfig !== undefined) kc.loadFromFile(t.kubeconfig);
    else kc.loadFromDefault();
  } catch (e) {
    return { error: `cannot read the kubeconfig${t.kubeconfig !== undefined ? ` ${t.kubeconfig}` : ''} (${e instanceof Error ? e.message : String(e)})` };
  }
  if (t.context !== undefined) {
    if (!kc.getContextObject(t.context)) return { error: `--context ${t.context}: no such context in the kubeconfig (known: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`, context: t.context };
    kc.setCurrentContext(t.context);
  }
  const context = kc.getCurrentContext();
  const cluster = kc.getCurrentCluster();
  if (!cluster) return { error: `the kubeconfig has no cluster for context "${context}"`, context };
  const server = cluster.server;
  const namespace = t.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  const timeoutMs = t.timeoutMs ?? 10_000;
  const at = { server, context };
  const selector = `owner=helm,name=${t.release}`;
  for (const driver of ['secret', 'configmap'] as const) {
    const what = driver === 'secret' ? 'secrets' : 'configmaps';
    let url: URL;
    try {
      url = new URL(`${server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/${what}`);
    } catch {
      return { error: `the cluster server "${server}" is not a URL`, ...at };
    }
    url.searchParams.set('labelSelector', selector);
    const r = await getJson(kc, url, timeoutMs);
    if ('failure' in r) return { error: r.failure, ...at };
    if (r.status !== 200) return { error: statusFailure(r.status, r.body, what, namespace), ...at };
    const items = ((r.body as { items?: Item[] } | undefined)?.items ?? []).filter((i) => i.metadata?.labels?.owner === 'helm' && i.metadata.labels.name === t.release);
    if (items.length === 0) continue;
    const revision = (i: Item) => Number(i.metadata?.labels?.version ?? /\.v(\d+)$/.exec(i.metadata?.name ?? '')?.[1] ?? 0);
    const deployed = items.filter((i) => i.metadata?.labels?.status === 'deployed').sort((a, b) => revision(b) - revision(a));
    const latest = deployed[0];
    if (!latest) {
      const newest = [...items].sort((a, b) => revision(b) - revision(a))[0];
      return { error: `release "${t.release}" in namespace ${namespace} has no deployed revision (newest: v${newest ? revision(newest) : '?'}, status ${newest?.metadata?.labels?.status ?? 'unknown'})`, ...at };
    }
    const record = latest.metadata?.name ?? `sh.helm.release.v1.${t.release}.v${revision(latest)}`;
    const raw = latest.data?.release;
    if (typeof raw !== 'string') return { error: `release record ${record} is corrupt: it has no "release" data`, ...at };
    // A Secret's data is base64 over the wire (Kubernetes' encoding of bytes), around Helm's own base64.
    const helmText = driver === 'secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const decoded = decodeHelmRelease(helmText);
    if ('error' in decoded) return { error: `release record ${record} is corrupt: ${decoded.error}`, ...at };
    const rel = decoded.release;
    const chart = rel.chart as { metadata?: { version?: unknown } } | undefined;
    const info = rel.info as { status?: unknown } | undefined;
    const config = rel.config;
    return {
      release: t.release,
      namespace,
      revision: typeof rel.version === 'number' ? rel.version : revision(latest),
      status: typeof info?.status === 'string' ? info.status : 'deployed',
      ...(typeof chart?.metadata?.version === 'string' ? { chartVersion: chart.metadata.version } : {}),
      config: config !== null && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {},
      driver,
      record,
      ...at,
    };
  }
  return { error: `no such release "${t.release}" in namespace ${namespace} (no Secret or ConfigMap labelled owner=helm,name=${t.release})`, ...at };
}
