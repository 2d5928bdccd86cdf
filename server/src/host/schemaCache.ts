// Compiled schemas kept per file and text (compiling a large schema costs hundreds of milliseconds), in memory and,
// with a ValidatorCache, on disk across runs.
import * as path from 'node:path';
import type { ChartModel } from '../service/chart/chartModel';
import type { SchemaLookup } from '../service/schema/validate';
import type { CompiledSchema, SchemaDraft } from '../service/schema/types';
import { compileSchema, validatorPreKey, type CompileOptions } from './schemaCompiler';
import { compileOffThread, LayeredValidatorStore, type OffThreadJob } from './schemaOffThread';
import type { ValidatorCache } from './validatorCache';
import { defaultSchemaDraft, type HelmRelease } from '../service/helm/versions';

export interface SchemaCacheOptions {
  /** Compiled validators kept on disk across runs (see validatorCache.ts); absent: in memory only. */
  validators?: ValidatorCache;
  /** The worker script that compiles off the main thread (schemaOffThread.ts); absent: `compileOffThread` does nothing. */
  workerFile?: string;
}

/** Helm's default draft when `$schema` is absent, for a Helm release (versions.ts `jsonschema-v6`: 2020-12 from 3.18.5 and in 4.x). */
export function defaultDraftFor(release: HelmRelease): SchemaDraft {
  return defaultSchemaDraft(release);
}

interface Entry {
  text: string;
  draft: SchemaDraft;
  /** Compiled with a provider of remote documents (the user opted in to fetching). */
  withRemote: boolean;
  /** The `remoteGeneration` it was compiled at, when it asked the provider for a document; else undefined. */
  generation: number | undefined;
  schema: CompiledSchema;
}

export class SchemaCache {
  private readonly compiled = new Map<string, Entry>();
  /** Bumped by the host when remote documents arrived: compilations that read remote documents are redone. */
  private remoteGeneration = 0;
  private readonly disk: ValidatorCache | undefined;
  /** What the compiler reads and writes: validators compiled off the thread, then the disk cache. */
  private readonly validators: LayeredValidatorStore | undefined;
  private readonly workerFile: string | undefined;
  /** Off-thread compiles under way, by the pre-keys of their schemas. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(options: SchemaCacheOptions = {}) {
    this.disk = options.validators;
    this.workerFile = options.workerFile;
    this.validators = this.disk || this.workerFile ? new LayeredValidatorStore(this.disk) : undefined;
  }

  /**
   * Compiles on a worker thread the schemas of a chart and its subcharts that are neither in memory nor on disk;
   * resolves when their validators are ready for the lookup (or when the worker failed: the lookup then compiles).
   * Never rejects. Only schema files on disk (not inside a .tgz), with their `$ref`s read from disk.
   */
  compileOffThread(model: ChartModel, defaultDraft: SchemaDraft, absDir: string, displayDir: string): Promise<void> {
    const store = this.validators;
    if (!this.workerFile || !store) return Promise.resolve();
    const waits: Promise<void>[] = [];
    const job: OffThreadJob = { schemas: [], ...(this.disk ? { cacheDir: this.disk.dir, limits: { maxEntries: this.disk.maxEntries, maxBytes: this.disk.maxBytes } } : {}) };
    const preKeys: string[] = [];
    const walk = (m: ChartModel) => {
      const file = m.schema;
      if (file && !file.path.includes('#') && !this.inMemory(file.path, file.text, defaultDraft)) {
        const preKey = validatorPreKey(file.text, defaultDraft);
        const running = this.inFlight.get(preKey);
        if (running) waits.push(running);
        else if (!store.has(preKey)) {
          preKeys.push(preKey);
          job.schemas.push({ file: { path: file.path, text: file.text }, defaultDraft, baseDir: path.dirname(path.resolve(absDir, path.relative(displayDir, file.path))) });
        }
      }
      m.subcharts.forEach(walk);
    };
    walk(model);
    if (job.schemas.length > 0) {
      const run = compileOffThread(this.workerFile, job).then((results) => {
        store.add(results);
        for (const k of preKeys) this.inFlight.delete(k);
      });
      for (const k of preKeys) this.inFlight.set(k, run);
      waits.push(run);
    }
    return Promise.all(waits).then(() => undefined);
  }

  private inMemory(schemaPath: string, text: string, defaultDraft: SchemaDraft): boolean {
    const hit = this.compiled.get(schemaPath);
    return !!hit && hit.text === text && hit.draft === defaultDraft && (hit.generation === undefined || hit.generation === this.remoteGeneration);
  }

  /** Remote documents arrived (or changed): recompile every schema that references one. */
  invalidateRemote(): void {
    this.remoteGeneration++;
  }

  /**
   * A lookup for the service; `chartDir`/`displayDir` map display paths back to disk for relative `$ref`s. With
   * `remote`, remote `$ref`s resolve to the documents it provides (see CompileOptions.remote).
   */
  lookup(defaultDraft: SchemaDraft, absDir: string, displayDir: string, readFile?: (abs: string) => string | undefined, remote?: CompileOptions['remote']): SchemaLookup {
    return (model: ChartModel) => {
      const file = model.schema;
      if (!file) return undefined;
      const hit = this.compiled.get(file.path);
      if (hit && hit.text === file.text && hit.draft === defaultDraft && hit.withRemote === (remote !== undefined) && (hit.generation === undefined || hit.generation === this.remoteGeneration)) return hit.schema;
      const onDisk = file.path.includes('#') ? file.path : path.resolve(absDir, path.relative(displayDir, file.path));
      // Note whether the provider was asked: a schema without remote references survives new arrivals.
      let asked = false;
      const tracked = remote
        ? (url: string) => {
            asked = true;
            return remote(url);
          }
        : undefined;
      const schema = compileSchema(file, { defaultDraft, ...(readFile ? { readFile } : {}), baseDir: path.dirname(onDisk), ...(tracked ? { remote: tracked } : {}), ...(this.validators ? { validatorCache: this.validators } : {}) });
      this.compiled.set(file.path, { text: file.text, draft: defaultDraft, withRemote: remote !== undefined, generation: asked ? this.remoteGeneration : undefined, schema });
      return schema;
    };
  }

  /**
   * Whether every schema of a chart and its subcharts is compiled for its current text, in memory or on disk (a
   * lookup would not run ajv's compile; a validator on disk loads in a few tens of milliseconds).
   */
  isCompiled(model: ChartModel, defaultDraft: SchemaDraft, withRemote: boolean): boolean {
    const ready = (m: ChartModel): boolean => {
      if (m.schema) {
        const hit = this.compiled.get(m.schema.path);
        const inMemory = hit && hit.text === m.schema.text && hit.draft === defaultDraft && hit.withRemote === withRemote && (hit.generation === undefined || hit.generation === this.remoteGeneration);
        if (!inMemory && !this.validators?.has(validatorPreKey(m.schema.text, defaultDraft))) return false;
      }
      return m.subcharts.every(ready);
    };
    return ready(model);
  }

  /** Remote URLs still to fetch for the schemas of a chart and its subcharts, as last compiled. */
  pendingRemote(model: ChartModel): string[] {
    const out = new Set<string>();
    const walk = (m: ChartModel) => {
      const hit = m.schema ? this.compiled.get(m.schema.path) : undefined;
      if (hit && m.schema && hit.text === m.schema.text) for (const url of hit.schema.pendingRemote ?? []) out.add(url);
      m.subcharts.forEach(walk);
    };
    walk(model);
    return [...out];
  }
}
