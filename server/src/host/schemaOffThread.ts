// Compiling schemas on a worker thread (schemaWorker.ts, bundled as dist/schemaWorker.js next to the server), and
// the in-memory layer that hands its results to the compiler on the main thread. Used by SchemaCache when a
// chart's schema is neither in memory nor on disk: the main thread goes on checking what needs no schema meanwhile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { SchemaDraft } from '../service/schema/types';
import type { TextFile } from '../service/types';
import { WORKER_STARTED, type ValidatorStore } from './validatorCache';

export interface OffThreadJob {
  schemas: { file: TextFile; defaultDraft: SchemaDraft; baseDir: string }[];
  /** The disk cache the worker also writes to (absent: results only in memory). */
  cacheDir?: string;
  limits?: { maxEntries: number; maxBytes: number };
}

export interface OffThreadResult {
  preKey: string;
  key: string;
  code: string;
}

/** The worker's script next to the running bundle (dist/), or undefined when there is none (running from sources). */
export function defaultWorkerFile(): string | undefined {
  if (typeof __dirname === 'undefined') return undefined;
  const file = path.join(__dirname, 'schemaWorker.js');
  return fs.existsSync(file) ? file : undefined;
}

/** Runs one job on a new worker; resolves with its results, or none when the worker fails. Never rejects. */
export function compileOffThread(workerFile: string, job: OffThreadJob): Promise<OffThreadResult[]> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      (globalThis as Record<symbol, unknown>)[WORKER_STARTED] = true;
      // Loaded here, not at start: a start whose validators are cached never runs a worker.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const threads = require('node:worker_threads') as typeof import('node:worker_threads');
      worker = new threads.Worker(workerFile);
    } catch {
      resolve([]);
      return;
    }
    let done = false;
    const finish = (results: OffThreadResult[]) => {
      if (done) return;
      done = true;
      resolve(results);
      void worker.terminate();
    };
    worker.on('message', (results: OffThreadResult[]) => finish(results));
    worker.on('error', () => finish([]));
    worker.on('exit', () => finish([]));
    worker.postMessage(job);
  });
}

/**
 * Validators compiled off the thread, in memory until the compiler takes them, over the disk cache (if any). The
 * compiler takes one only under its own full key, so a result for other referenced documents is never used.
 */
export class LayeredValidatorStore implements ValidatorStore {
  private readonly prepared = new Map<string, { key: string; code: string }>();

  constructor(private readonly disk: ValidatorStore | undefined) {}

  add(results: readonly OffThreadResult[]): void {
    for (const r of results) this.prepared.set(r.preKey, { key: r.key, code: r.code });
  }

  has(preKey: string): boolean {
    return this.prepared.has(preKey) || (this.disk?.has(preKey) ?? false);
  }

  read(preKey: string, key: string): string | undefined {
    const hit = this.prepared.get(preKey);
    if (hit?.key === key) return hit.code;
    return this.disk?.read(preKey, key);
  }

  readCodeCache(preKey: string, key: string): Buffer | undefined {
    // Taken once, with the code just read (there is no code cache for it: see WORKER_STARTED).
    if (this.prepared.delete(preKey)) return undefined;
    return this.disk?.readCodeCache(preKey, key);
  }

  writeCodeCache(preKey: string, key: string, data: Buffer): void {
    this.disk?.writeCodeCache(preKey, key, data);
  }

  write(preKey: string, key: string, code: string): void {
    this.disk?.write(preKey, key, code);
  }
}
