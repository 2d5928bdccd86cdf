// Compiled schemas kept per file and text (compiling a large schema costs hundreds of milliseconds).
import * as path from 'node:path';
import type { ChartModel } from '../service/chart/chartModel';
import type { SchemaLookup } from '../service/schema/validate';
import type { CompiledSchema, SchemaDraft } from '../service/schema/types';
import { compileSchema, type CompileOptions } from './schemaCompiler';
import { defaultSchemaDraft, type HelmRelease } from '../service/helm/versions';

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
      const schema = compileSchema(file, { defaultDraft, ...(readFile ? { readFile } : {}), baseDir: path.dirname(onDisk), ...(tracked ? { remote: tracked } : {}) });
      this.compiled.set(file.path, { text: file.text, draft: defaultDraft, withRemote: remote !== undefined, generation: asked ? this.remoteGeneration : undefined, schema });
      return schema;
    };
  }

  /** Whether every schema of a chart and its subcharts is compiled for its current text (a lookup would not compile). */
  isCompiled(model: ChartModel, defaultDraft: SchemaDraft, withRemote: boolean): boolean {
    const ready = (m: ChartModel): boolean => {
      if (m.schema) {
        const hit = this.compiled.get(m.schema.path);
        if (!hit || hit.text !== m.schema.text || hit.draft !== defaultDraft || hit.withRemote !== withRemote || (hit.generation !== undefined && hit.generation !== this.remoteGeneration)) return false;
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
