// A persistent cache of compiled schema validators: ajv's standalone code of a values.schema.json, kept on disk so
// that reopening a chart does not pay ajv's compile again (hundreds of milliseconds for a large schema; loading the
// code takes a few tens). Bounded (entries and bytes, the least recently used evicted), written atomically (temp
// file + rename), safe to delete at any time: a missing, partial or corrupt entry is a miss and the schema is
// compiled again. Never throws: every disk error is a miss, or a write that did not happen.
//
// Entries are found by a cheap pre-key (what is known before reading `$ref`s: the root schema text, draft, compile
// options, ajv's and our version) and verified by the full key, which adds every document the schema references
// (local files and fetched remote ones). Entry = one header line `helm-values-validator <json>` + the code; the
// header holds the full key and the code's length and sha256. Beside it, V8's code cache of that code
// (`<pre-key>.v8cache`: the compiled function, so loading skips V8's parse and compile), with the same kind of
// header plus the Node version; V8 also checks it, and a rejected one is written again.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from './atomicWrite';

export interface ValidatorCacheOptions {
  /** Directory of the cache (created on first write). */
  dir: string;
  /** Most entries kept; the least recently used go first. Default 64. */
  maxEntries?: number;
  /** Most bytes kept in all entries together. Default 64 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_ENTRIES = 64;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const MAGIC = 'helm-values-validator ';
const SUFFIX = '.validator.js';
const V8_SUFFIX = '.v8cache';
const V8_MAGIC = 'helm-values-v8cache ';
/** A temp file older than this is from a writer that died: removed when pruning. */
const STALE_TEMP_MS = 60 * 60 * 1000;

interface Header {
  key: string;
  bytes: number;
  sha256: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The key of a list of parts (unambiguous: each part is length-prefixed). */
export function keyOf(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:`).update(p);
  return h.digest('hex');
}

/**
 * Where validators are kept: HELM_VALUES_VALIDATOR_CACHE_DIR (`off` turns the cache off), else
 * $XDG_CACHE_HOME/helm-values/validators, else ~/.cache/helm-values/validators. Undefined when turned off.
 */
export function defaultValidatorCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.HELM_VALUES_VALIDATOR_CACHE_DIR;
  if (explicit === 'off') return undefined;
  if (explicit) return path.resolve(explicit);
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'helm-values', 'validators');
}

/**
 * Set on globalThis once this process has started a worker thread: from then on V8 rejects code caches made by a
 * process that started none (and the reverse; measured on Node 20), so such a process makes no code cache (neither
 * the bin's nor a validator's): the next start makes them, and every later one uses them.
 */
export const WORKER_STARTED = Symbol.for('helm-values.workerStarted');

export function workerStarted(): boolean {
  return (globalThis as Record<symbol, unknown>)[WORKER_STARTED] === true;
}

/** What the compiler needs of a store of compiled validators (ValidatorCache on disk, or layers over it). */
export interface ValidatorStore {
  has(preKey: string): boolean;
  read(preKey: string, key: string): string | undefined;
  write(preKey: string, key: string, code: string): void;
  /** V8's code cache of the stored code, for this Node version; undefined when absent or damaged. */
  readCodeCache(preKey: string, key: string): Buffer | undefined;
  writeCodeCache(preKey: string, key: string, data: Buffer): void;
}

export class ValidatorCache implements ValidatorStore {
  readonly dir: string;
  readonly maxEntries: number;
  readonly maxBytes: number;

  constructor(options: ValidatorCacheOptions) {
    this.dir = options.dir;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.maxBytes = Math.max(1, options.maxBytes ?? DEFAULT_MAX_BYTES);
  }

  /** The cache at its default place (see defaultValidatorCacheDir), or undefined when turned off. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): ValidatorCache | undefined {
    const dir = defaultValidatorCacheDir(env);
    return dir === undefined ? undefined : new ValidatorCache({ dir });
  }

  private fileOf(preKey: string): string {
    return path.join(this.dir, preKey + SUFFIX);
  }

  /** Whether an entry exists for the pre-key (it may still fail verification on read). */
  has(preKey: string): boolean {
    return fs.existsSync(this.fileOf(preKey));
  }

  /** The code stored under the pre-key when its full key matches and it is intact; else undefined. */
  read(preKey: string, key: string): string | undefined {
    const file = this.fileOf(preKey);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const nl = text.indexOf('\n');
    if (!text.startsWith(MAGIC) || nl < 0) return undefined;
    let header: Partial<Header>;
    try {
      header = JSON.parse(text.slice(MAGIC.length, nl)) as Partial<Header>;
    } catch {
      return undefined;
    }
    const code = text.slice(nl + 1);
    if (header.key !== key || header.bytes !== code.length || header.sha256 !== sha256(code)) return undefined;
    try {
      // Most recently used: pruning evicts by modification time.
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      // read-only cache: still a hit
    }
    return code;
  }

  /** Stores code under the pre-key (temp file + rename), then evicts beyond the limits. Failures are ignored. */
  write(preKey: string, key: string, code: string): void {
    const header: Header = { key, bytes: code.length, sha256: sha256(code) };
    const file = this.fileOf(preKey);
    if (!writeFileAtomic(file, `${MAGIC}${JSON.stringify(header)}\n${code}`)) return;
    this.prune(file);
  }

  readCodeCache(preKey: string, key: string): Buffer | undefined {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(path.join(this.dir, preKey + V8_SUFFIX));
    } catch {
      return undefined;
    }
    const nl = buf.indexOf(10);
    if (nl < 0 || buf.subarray(0, V8_MAGIC.length).toString('latin1') !== V8_MAGIC) return undefined;
    let header: Partial<Header & { node: string }>;
    try {
      header = JSON.parse(buf.subarray(V8_MAGIC.length, nl).toString('utf8')) as Partial<Header & { node: string }>;
    } catch {
      return undefined;
    }
    const data = buf.subarray(nl + 1);
    if (header.key !== key || header.node !== process.version || header.bytes !== data.length || header.sha256 !== createHash('sha256').update(data).digest('hex')) return undefined;
    return data;
  }

  writeCodeCache(preKey: string, key: string, data: Buffer): void {
    const header = { key, node: process.version, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    const file = path.join(this.dir, preKey + V8_SUFFIX);
    if (!writeFileAtomic(file, Buffer.concat([Buffer.from(`${V8_MAGIC}${JSON.stringify(header)}\n`), data]))) return;
    this.prune(file);
  }

  /** Keeps at most maxEntries entries and maxBytes bytes, the most recently used; removes stale temp files. */
  prune(keep?: string): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    // One entry per pre-key: its code and V8's code cache go together.
    const entries = new Map<string, { files: string[]; bytes: number; mtime: number }>();
    const now = Date.now();
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const st = fs.statSync(file);
        if (name.endsWith('.tmp')) {
          if (now - st.mtimeMs > STALE_TEMP_MS) fs.rmSync(file, { force: true });
        } else if (name.endsWith(SUFFIX) || name.endsWith(V8_SUFFIX)) {
          const preKey = name.slice(0, name.indexOf('.'));
          const e = entries.get(preKey) ?? { files: [], bytes: 0, mtime: 0 };
          e.files.push(file);
          e.bytes += st.size;
          e.mtime = Math.max(e.mtime, file === keep ? Infinity : st.mtimeMs);
          entries.set(preKey, e);
        }
      } catch {
        // vanished meanwhile (another server pruning): fine
      }
    }
    const sorted = [...entries.values()].sort((a, b) => b.mtime - a.mtime);
    let bytes = 0;
    let kept = 0;
    for (const e of sorted) {
      if (e.mtime === Infinity || (kept < this.maxEntries && bytes + e.bytes <= this.maxBytes)) {
        kept++;
        bytes += e.bytes;
        continue;
      }
      for (const file of e.files) {
        try {
          fs.rmSync(file, { force: true });
        } catch {
          // another process removed it
        }
      }
    }
  }
}
