// Compiled schemas as the service receives them from the host (which owns ajv and compilation).
import type { Finding } from '../types';

export type SchemaDraft = '04' | '06' | '07' | '2019-09' | '2020-12';

/** One validation error, as ajv reports it (instancePath is a JSON Pointer into the validated values). */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

export interface CompiledSchema {
  /** Display path of values.schema.json. */
  file: string;
  draft: SchemaDraft;
  /** The parsed schema (for completion, hover and quick fixes), when it is valid JSON. */
  json?: unknown;
  /** Validates values; absent when the schema could not be compiled (see problems). */
  validate?: (data: unknown) => SchemaError[];
  /** Problems with the schema itself (invalid JSON, invalid schema, unresolvable $ref): diagnostics on the schema file. */
  problems: Finding[];
  /**
   * Remote documents (absolute http/https URLs) the schema references that have not been fetched yet: the host
   * fetches them and compiles again. While any is pending there is no `validate` (never a partial schema).
   */
  pendingRemote?: string[];
}
