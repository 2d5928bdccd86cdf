// Compiled schemas kept per file and text (compiling a large schema costs hundreds of milliseconds), in memory and,
// with a ValidatorCache, on disk across runs. With a worker, a schema that is neither in memory nor on disk is
// validated by interpretation when schemaInterpreter.ts can (the same errors as ajv's code, no compile) while ajv
// compiles it on the worker; its code replaces the interpreter as soon as it arrives (it validates faster).
import * as path from 'node:path';
import type { ChartModel } from '../service/chart/chartModel';
import type { SchemaLookup } from '../service/schema/validate';
import type { CompiledSchema, SchemaDraft } from '../service/schema/types';
import { compileOrInterpret, compileSchema, validatorPreKey, type CompileOptions } from './schemaCompiler';
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
  /** Validated by interpretation, ajv's compile still to come (with these options). */
  behind?: CompileOptions & { baseDir: string };
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
  /** Interpret schemas not compiled yet (only with a worker, which compiles them meanwhile). */
  private readonly interpret: boolean;
  /** Schema files whose compile behind runs (one at a time per file, for its latest text). */
  private readonly behindRunning = new Set<string>();
  /** Schema files interpreted whose compile behind waits for `startCompilesBehind`. */
  private readonly behindPending = new Set<string>();

  constructor(options: SchemaCacheOptions = {}) {
    this.disk = options.validators;
    this.workerFile = options.workerFile;
    this.validators = this.disk || this.workerFile ? new LayeredValidatorStore(this.disk) : undefined;
    this.interpret = this.workerFile !== undefined;
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
    if (job.schemas.length > 0) waits.push(this.startJob(this.workerFile, store, job, preKeys));
    return Promise.all(waits).then(() => undefined);
  }

  private startJob(workerFile: string, store: LayeredValidatorStore, job: OffThreadJob, preKeys: readonly string[]): Promise<void> {
    const run = compileOffThread(workerFile, job).then((results) => {
      store.add(results);
      for (const k of preKeys) this.inFlight.delete(k);
    });
    for (const k of preKeys) this.inFlight.set(k, run);
    return run;
  }

  /**
   * Starts the compiles of the schemas interpreted so far (see compileBehind). The server calls it once it has
   * published the check that interpreted them: on a busy machine the worker does not compete with that check.
   */
  startCompilesBehind(): void {
    const paths = [...this.behindPending];
    this.behindPending.clear();
    for (const p of paths) this.compileBehind(p);
  }

  /**
   * An interpreted schema's compile, on the worker, one at a time per file (typing in a schema starts no pile of
   * workers: the next compile is of the text current when one ends). When the code arrives and the entry is still
   * the interpreted one, the entry becomes the compiled validator, loaded now (between requests) rather than in the
   * next edit's check. A failed worker leaves the interpreter, which gives the same errors.
   */
  private compileBehind(schemaPath: string): void {
    const store = this.validators;
    const entry = this.compiled.get(schemaPath);
    if (!this.workerFile || !store || !entry?.behind || this.behindRunning.has(schemaPath)) return;
    const { baseDir, ...options } = entry.behind;
    const file = { path: schemaPath, text: entry.text };
    const preKey = validatorPreKey(file.text, entry.draft);
    const job: OffThreadJob = { schemas: [{ file, defaultDraft: entry.draft, baseDir }], ...(this.disk ? { cacheDir: this.disk.dir, limits: { maxEntries: this.disk.maxEntries, maxBytes: this.disk.maxBytes } } : {}) };
    this.behindRunning.add(schemaPath);
    void (this.inFlight.get(preKey) ?? this.startJob(this.workerFile, store, job, [preKey])).then(() => {
      this.behindRunning.delete(schemaPath);
      const now = this.compiled.get(schemaPath);
      if (now === entry && store.has(preKey)) this.compiled.set(schemaPath, { text: entry.text, draft: entry.draft, withRemote: entry.withRemote, generation: undefined, schema: compileSchema(file, { ...options, validatorCache: store }) });
      else if (now !== entry) this.compileBehind(schemaPath);
    });
  }

  /** The entry of a schema validated by interpretation (compiled behind), or undefined when it cannot be. */
  private interpreted(file: { path: string; text: string }, defaultDraft: SchemaDraft, baseDir: string, withRemote: boolean): Entry | undefined {
    // A stored validator loads faster than interpreting starts (no second parse of the schema's JSON).
    if (!this.interpret || file.path.includes('#') || this.validators?.has(validatorPreKey(file.text, defaultDraft))) return undefined;
    const options: CompileOptions = { defaultDraft, baseDir, ...(this.validators ? { validatorCache: this.validators } : {}) };
    const r = compileOrInterpret(file, { ...options, interpret: 'only' });
    if (!r) return undefined;
    const entry: Entry = { text: file.text, draft: defaultDraft, withRemote, generation: undefined, schema: r.schema, ...(r.interpreted ? { behind: { ...options, baseDir } } : {}) };
    this.compiled.set(file.path, entry);
    if (entry.behind) this.behindPending.add(file.path);
    return entry;
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
      // A schema without references needs neither readFile nor remote: interpreted when it can be.
      const quick = this.interpreted(file, defaultDraft, path.dirname(onDisk), remote !== undefined);
      if (quick) return quick.schema;
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
   * lookup would not run ajv's compile; a validator on disk loads in a few tens of milliseconds), or is validated
   * by interpretation meanwhile. `absDir`/`displayDir` as for `lookup`.
   */
  isCompiled(model: ChartModel, defaultDraft: SchemaDraft, withRemote: boolean, absDir: string, displayDir: string): boolean {
    const ready = (m: ChartModel): boolean => {
      const file = m.schema;
      if (file) {
        const hit = this.compiled.get(file.path);
        const inMemory = hit && hit.text === file.text && hit.draft === defaultDraft && hit.withRemote === withRemote && (hit.generation === undefined || hit.generation === this.remoteGeneration);
        if (!inMemory && !this.validators?.has(validatorPreKey(file.text, defaultDraft)) && !this.interpreted(file, defaultDraft, path.dirname(path.resolve(absDir, path.relative(displayDir, file.path))), withRemote)) return false;
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
