// Compiled schemas kept per file and text (compiling a large schema costs hundreds of milliseconds).
import * as path from 'node:path';
import type { ChartModel } from '../service/chart/chartModel';
import type { SchemaLookup } from '../service/schema/validate';
import type { CompiledSchema, SchemaDraft } from '../service/schema/types';
import { compileSchema } from './schemaCompiler';

/** Helm's default draft when `$schema` is absent: 2020-12 from Helm 3.19 and in Helm 4, draft-07 before. */
export function defaultDraftFor(helmVersion: string): SchemaDraft {
  const [major = 4, minor = 99] = helmVersion.split('.').map(Number);
  return major >= 4 || (major === 3 && minor >= 19) ? '2020-12' : '07';
}

export class SchemaCache {
  private readonly compiled = new Map<string, { text: string; draft: SchemaDraft; schema: CompiledSchema }>();

  /** A lookup for the service; `chartDir`/`displayDir` map display paths back to disk for relative `$ref`s. */
  lookup(defaultDraft: SchemaDraft, absDir: string, displayDir: string, readFile?: (abs: string) => string | undefined): SchemaLookup {
    return (model: ChartModel) => {
      const file = model.schema;
      if (!file) return undefined;
      const hit = this.compiled.get(file.path);
      if (hit && hit.text === file.text && hit.draft === defaultDraft) return hit.schema;
      const onDisk = file.path.includes('#') ? file.path : path.resolve(absDir, path.relative(displayDir, file.path));
      const schema = compileSchema(file, { defaultDraft, ...(readFile ? { readFile } : {}), baseDir: path.dirname(onDisk) });
      this.compiled.set(file.path, { text: file.text, draft: defaultDraft, schema });
      return schema;
    };
  }
}
