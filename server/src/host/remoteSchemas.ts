// Remote schema documents (`$ref: https://...` in values.schema.json), fetched only when the user opts in
// (helmValues.schema.fetchRemoteRefs, `helm-values check --fetch-remote-refs`). Compilation is synchronous, so the
// host fetches ahead of time (`fetchAll`) and the compiler reads what arrived (`get`): from memory, else from a disk
// cache that survives restarts. Failures are remembered for the session, so a broken URL is not asked again on
// every keystroke.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from './atomicWrite';

export type RemoteDocument = { text: string } | { error: string };

export interface RemoteSchemaOptions {
  /** Directory of the disk cache; default: HELM_VALUES_CACHE_DIR, $XDG_CACHE_HOME/helm-values/schemas, ~/.cache/... */
  cacheDir?: string;
  /** Per-request timeout (connection and body); default 10 s. */
  timeoutMs?: number;
  /** Largest accepted document; default 5 MB. */
  maxBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Where fetched schemas are kept: explicit option, HELM_VALUES_CACHE_DIR, XDG cache home, ~/.cache. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HELM_VALUES_CACHE_DIR) return env.HELM_VALUES_CACHE_DIR;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'helm-values', 'schemas');
}

/** The cache file of a URL: its sha256, so any URL maps to a safe, fixed-length file name. */
export function cacheFileName(url: string): string {
  return createHash('sha256').update(url).digest('hex') + '.json';
}

/** Only plain web URLs are fetched (never file:, data: or anything else a schema might name). */
export function isFetchable(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export class RemoteSchemaStore {
  readonly cacheDir: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  private readonly memory = new Map<string, RemoteDocument>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(options: RemoteSchemaOptions = {}) {
    this.cacheDir = options.cacheDir ?? defaultCacheDir();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  /**
   * The fetched document, why it could not be fetched (a reason without the URL, for messages that name it), or
   * undefined when it was never fetched.
   */
  get(url: string): RemoteDocument | undefined {
    const hit = this.memory.get(url);
    if (hit) return hit;
    const cached = this.readDisk(url);
    if (cached !== undefined) this.memory.set(url, { text: cached });
    return cached !== undefined ? { text: cached } : undefined;
  }

  /**
   * Fetches every URL not known yet (in memory or on disk). A URL already being fetched is awaited, not asked
   * again; one that failed in this session is not retried. Resolves when all are settled; never rejects.
   */
  async fetchAll(urls: Iterable<string>): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const url of new Set(urls)) {
      const running = this.inFlight.get(url);
      if (running) {
        waits.push(running);
        continue;
      }
      if (this.get(url) !== undefined) continue;
      const p = this.fetchOne(url)
        .then((doc) => {
          this.memory.set(url, doc);
          if ('text' in doc) this.writeDisk(url, doc.text);
        })
        .finally(() => this.inFlight.delete(url));
      this.inFlight.set(url, p);
      waits.push(p);
    }
    await Promise.all(waits);
  }

  private async fetchOne(url: string): Promise<RemoteDocument> {
    if (!isFetchable(url)) return { error: 'only http and https URLs are fetched' };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/schema+json, application/json;q=0.9, */*;q=0.1' } });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return { error: `the server answered HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}` };
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > this.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        return { error: tooLarge(this.maxBytes) };
      }
      const text = await readCapped(res, this.maxBytes);
      if (text === undefined) return { error: tooLarge(this.maxBytes) };
      try {
        JSON.parse(text);
      } catch (e) {
        return { error: `the response is not JSON (${e instanceof Error ? e.message : String(e)})` };
      }
      return { text };
    } catch (e) {
      return { error: describeFailure(e, this.timeoutMs) };
    }
  }

  private filePath(url: string): string {
    return path.join(this.cacheDir, cacheFileName(url));
  }

  private readDisk(url: string): string | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.filePath(url), 'utf8')) as { url?: unknown; text?: unknown };
      // The URL is stored in the entry: a file that does not name this URL (or is damaged) counts as absent.
      return entry.url === url && typeof entry.text === 'string' ? entry.text : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes through a temporary file and a rename, so a concurrent reader never sees half an entry. */
  private writeDisk(url: string, text: string): void {
    // An unwritable cache only costs a download next session; the document is in memory for this one.
    writeFileAtomic(this.filePath(url), JSON.stringify({ url, fetchedAt: new Date().toISOString(), text }) + '\n');
  }
}

function tooLarge(maxBytes: number): string {
  return `the response is larger than ${Math.round(maxBytes / 1024)} KiB`;
}

/** The body as text, or undefined once it exceeds `maxBytes` (the rest is not downloaded). */
async function readCapped(res: Response, maxBytes: number): Promise<string | undefined> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFailure(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `timed out after ${timeoutMs} ms without a complete answer`;
  const cause = err?.cause?.message || err?.cause?.code;
  return `${err?.message ?? String(e)}${cause ? ` (${cause})` : ''}`;
}
