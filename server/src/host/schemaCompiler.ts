// Compiles a chart's values.schema.json with ajv, the way Helm validates: draft chosen by `$schema` (04, 06, 07,
// 2019-09, 2020-12), Helm's default draft when absent, `format` asserted only before 2019-09, local `$ref`s
// resolved from disk, remote ones from documents the host fetched when the user opted in (see remoteSchemas.ts),
// `pattern` run by a linear-time engine (RE2) so an untrusted schema cannot hang the server. The only place that
// compiles schemas; the service gets plain results.
//
// With a ValidatorCache, a compiled validator is also kept on disk as ajv's standalone code, keyed by everything
// that changes it (the schema's text and every document it references, the draft, ajv's version and options, our
// version), and loaded from there instead of compiled on later runs. The code is the one ajv generates and runs
// in memory, so a cached validator gives the same findings as a fresh one (test/unit/validatorCache.test.ts proves
// it on every corpus schema). Compiled without ajv's code optimizer: it halves the compile of a large schema and
// does not change what the code validates.
import * as path from 'node:path';
import * as vm from 'node:vm';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import standaloneCode from 'ajv/dist/standalone';
import * as runtimeEqual from 'ajv/dist/runtime/equal';
import * as runtimeTimestamp from 'ajv/dist/runtime/timestamp';
import * as runtimeUcs2length from 'ajv/dist/runtime/ucs2length';
import * as runtimeUri from 'ajv/dist/runtime/uri';
import * as runtimeValidationError from 'ajv/dist/runtime/validation_error';
import * as ajvFormats from 'ajv-formats/dist/formats';
import { version as ajvVersion } from 'ajv/package.json';
import { version as ajvFormatsVersion } from 'ajv-formats/package.json';
import { version as ajvDraft04Version } from 'ajv-draft-04/package.json';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { AnySchema, AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import type { CompiledSchema, SchemaDraft, SchemaError } from '../service/schema/types';
import type { Finding, TextFile } from '../service/types';
import { readTextFile } from './chartReader';
import { re2 } from './re2';
import { interpretSchema } from './schemaInterpreter';
import { keyOf, workerStarted, type ValidatorStore } from './validatorCache';
import { version as ourVersion } from '../../../package.json';

export interface CompileOptions {
  /** Draft used when `$schema` is absent (Helm 4 and 3.18.5+: 2020-12; older Helm 3: draft-07; service/helm/versions.ts). */
  defaultDraft: SchemaDraft;
  /** Reads a local file referenced by `$ref` (absolute path). Default: from disk. */
  readFile?: (absPath: string) => string | undefined;
  /** Directory relative `$ref`s resolve against. Default: the schema file's directory. */
  baseDir?: string;
  /**
   * Remote documents fetched ahead of time by the host (only when the user opted in): the text, why it could not be
   * fetched, or undefined when it has not been fetched yet. Absent: remote `$ref`s are reported, never resolved.
   */
  remote?: (url: string) => { text: string } | { error: string } | undefined;
  /** Where compiled validators are kept across runs; absent: compiled every time. */
  validatorCache?: ValidatorStore;
  /**
   * When no compiled validator is stored for the schema and it is one schemaInterpreter.ts evaluates exactly as
   * ajv's code, validate by interpretation instead of compiling (see compileOrInterpret). `only`: never compile nor
   * load a stored validator (compileOrInterpret answers undefined instead).
   */
  interpret?: boolean | 'only';
}

/** At most this many remote documents per schema: a chain of references cannot make the host fetch without end. */
export const MAX_REMOTE_DOCUMENTS = 50;

/** How to opt in to fetching, named in every message about a remote `$ref` that was not fetched. */
const OPT_IN = 'turn on the setting helmValues.schema.fetchRemoteRefs (CLI: helm-values check --fetch-remote-refs)';

const DRAFT_BY_URI: [RegExp, SchemaDraft][] = [
  [/draft-04/, '04'],
  [/draft-06/, '06'],
  [/draft-07/, '07'],
  [/2019-09/, '2019-09'],
  [/2020-12/, '2020-12'],
];


/** Bump when a change here changes the generated code or what it means (keys of cached validators). */
const COMPILER_REVISION = '1';

/** What generated code may require, mapped to the modules bundled with us. */
const STANDALONE_MODULES: Record<string, unknown> = {
  'helm-values:re2': { default: re2 },
  'ajv/dist/runtime/equal': runtimeEqual,
  'ajv/dist/runtime/timestamp': runtimeTimestamp,
  'ajv/dist/runtime/ucs2length': runtimeUcs2length,
  'ajv/dist/runtime/uri': runtimeUri,
  'ajv/dist/runtime/validation_error': runtimeValidationError,
  'ajv-formats/dist/formats': ajvFormats,
};

export interface LoadedValidator {
  validate: ValidateFunction;
  /** V8 took the code cache it was given: nothing was parsed or compiled. */
  codeCacheAccepted: boolean;
  /** V8's code cache of the code, with every function compiled so far (make it after a first run). */
  codeCache: () => Buffer | undefined;
}

/**
 * A validator from ajv's standalone code, through V8's code cache when one is given (V8 ignores one that does not
 * fit the code or this V8); undefined when the code does not load (then compile instead).
 */
export function loadStandalone(code: string, cachedData?: Buffer): LoadedValidator | undefined {
  const requireBundled = (id: string): unknown => {
    const m = STANDALONE_MODULES[id];
    if (m === undefined) throw new Error(`generated code requires ${id}`);
    return m;
  };
  const module: { exports: unknown } = { exports: undefined };
  let script: vm.Script;
  try {
    script = new vm.Script(`(function (require, module, exports) {${code}\n})`, { filename: 'helm-values-validator.js', ...(cachedData ? { cachedData } : {}) });
    (script.runInThisContext() as (r: typeof requireBundled, m: typeof module, e: object) => void)(requireBundled, module, {});
  } catch {
    return undefined;
  }
  if (typeof module.exports !== 'function') return undefined;
  const loaded = script;
  return {
    validate: module.exports as ValidateFunction,
    codeCacheAccepted: cachedData !== undefined && loaded.cachedDataRejected === false,
    codeCache: () => {
      try {
        return loaded.createCachedData();
      } catch {
        return undefined;
      }
    },
  };
}

function finding(file: string, code: string, message: string, line = 1, column = 1): Finding {
  return { file, line, column, endLine: line, endColumn: column + 1, severity: 'error', code, message };
}

function lineOfOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** The ajv options for a draft (`source`: keep the generated code, to store it as standalone code). */
function ajvOptions(draft: SchemaDraft, source: boolean) {
  return { strict: false, allErrors: true, validateFormats: draft === '04' || draft === '06' || draft === '07', code: { regExp: re2 as never, optimize: false, source }, inlineRefs: false, loadSchema: undefined } as const;
}

function makeAjv(draft: SchemaDraft, source = false) {
  const options = ajvOptions(draft, source);
  const ajv = draft === '2020-12' ? new Ajv2020(options) : draft === '2019-09' ? new Ajv2019(options) : draft === '04' ? new AjvDraft04(options) : new Ajv(options);
  if (draft === '06') ajv.addMetaSchema(draft06 as AnySchemaObject);
  if (options.validateFormats) addFormats(ajv);
  return ajv;
}

/** Every `$ref` in a schema that points outside the document (relative files, absolute URLs, URNs). */
export function externalRefs(schema: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && !x.startsWith('#')) out.add(x.split('#')[0] ?? x);
        else walk(x);
      }
    }
  };
  walk(schema);
  return [...out].filter((r) => r !== '');
}

/** A `$ref` as an absolute URL without fragment (against `base` when relative), or the ref itself when unparsable. */
function resolveUrl(ref: string, base?: string): string {
  try {
    const u = new URL(ref, base);
    u.hash = '';
    return u.href;
  } catch {
    return ref;
  }
}

/**
 * Adds a fetched document to ajv under its URL. Its `$schema` is dropped like the root's (the ajv instance follows
 * the root's draft); its own `$id`, when absolute, is the base its relative references resolve against, as in ajv.
 */
function addRemote(ajv: ReturnType<typeof makeAjv>, url: string, text: string, draft: SchemaDraft): { schema: unknown; base: string } | { error: string; code: string } {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, code: 'schema.ref-unresolved' };
  }
  if (schema === null || (typeof schema !== 'object' && typeof schema !== 'boolean') || Array.isArray(schema)) return { error: 'not a JSON Schema (an object or a boolean)', code: 'schema.invalid-schema' };
  let base = url;
  if (typeof schema === 'object') {
    const obj = { ...(schema as Record<string, unknown>) };
    delete obj.$schema;
    const id = typeof obj.$id === 'string' ? obj.$id : draft === '04' && typeof obj.id === 'string' ? obj.id : undefined;
    if (id !== undefined) base = resolveUrl(id, url);
    schema = obj;
  }
  try {
    ajv.addSchema(schema as AnySchema, url);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e), code: 'schema.invalid-schema' };
  }
  return { schema, base };
}

/**
 * The pre-key of a schema's cached validator: what is known before its `$ref`s are read (the full key adds every
 * referenced document). Covers our version, ajv's version and options, the default draft and the schema text.
 */
export function validatorPreKey(schemaText: string, defaultDraft: SchemaDraft): string {
  return keyOf(['helm-values validator', ourVersion, COMPILER_REVISION, ajvVersion, ajvFormatsVersion, ajvDraft04Version, JSON.stringify(ajvOptions(defaultDraft, false)), defaultDraft, schemaText]);
}

/** Compiles a schema file. Never throws: problems are findings on the schema file. */
export function compileSchema(file: TextFile, options: CompileOptions): CompiledSchema {
  return compileOrInterpret(file, options).schema;
}

/**
 * compileSchema, telling whether the validator interprets the schema (only with `options.interpret`): then ajv's
 * compile is still to be done, for instance off the thread, and the next compileSchema with the same store loads it.
 * With `interpret: 'only'`, undefined when the schema would have to be compiled or loaded.
 */
export function compileOrInterpret(file: TextFile, options: CompileOptions & { interpret: 'only' }): { schema: CompiledSchema; interpreted: boolean } | undefined;
export function compileOrInterpret(file: TextFile, options: CompileOptions): { schema: CompiledSchema; interpreted: boolean };
export function compileOrInterpret(file: TextFile, options: CompileOptions): { schema: CompiledSchema; interpreted: boolean } | undefined {
  const compiled = (schema: CompiledSchema) => ({ schema, interpreted: false });
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (e) {
    const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    const pos = m ? lineOfOffset(file.text, Number(m[1])) : { line: 1, column: 1 };
    return compiled({ file: file.path, draft: options.defaultDraft, problems: [finding(file.path, 'schema.invalid-json', `${file.path} is not valid JSON: ${e instanceof Error ? e.message : String(e)}. Helm fails on it too.`, pos.line, pos.column)] });
  }
  if (json === null || (typeof json !== 'object' && typeof json !== 'boolean')) {
    return compiled({ file: file.path, draft: options.defaultDraft, problems: [finding(file.path, 'schema.invalid-schema', `${file.path}: a JSON Schema must be an object or a boolean.`)] });
  }
  const declared = typeof json === 'object' && !Array.isArray(json) ? (json as { $schema?: unknown }).$schema : undefined;
  const known = typeof declared === 'string' ? DRAFT_BY_URI.find(([re]) => re.test(declared))?.[1] : undefined;
  const problems: Finding[] = [];
  const warnings: Finding[] = [];
  let draft = known ?? options.defaultDraft;
  if (typeof declared === 'string' && !known) {
    // `https://json-schema.org/schema` names the latest draft (what Helm's loader fetches); anything else is unknown.
    if (/^https?:\/\/json-schema\.org\/schema#?$/.test(declared)) draft = '2020-12';
    else warnings.push({ ...finding(file.path, 'schema.unknown-draft', `$schema "${declared}" is not a JSON Schema draft helm-values knows; validating as ${draft}.`), severity: 'warning' });
  }
  if (typeof declared === 'string') {
    // The ajv instance is chosen for the draft; its spelling of the meta-schema URI (http/https, '#') may differ.
    json = { ...(json as Record<string, unknown>) };
    delete (json as Record<string, unknown>).$schema;
  }
  // Made when needed: a validator loaded from the store or interpreted needs no ajv (making one costs ~10 ms).
  let ajvInstance: ReturnType<typeof makeAjv> | undefined;
  const ajv = () => (ajvInstance ??= makeAjv(draft, options.validatorCache !== undefined));
  // Only interpreting: a schema with references is never interpreted, so do not read them.
  if (options.interpret === 'only' && externalRefs(json).length > 0) return undefined;
  /** Every document added to ajv besides the root (kind, id, text): part of the cache key. */
  const documents: string[] = [];
  // Local files referenced by $ref, resolved relative to the schema file (recursively).
  const read = options.readFile ?? ((p: string) => {
    const r = readTextFile(p);
    return 'error' in r ? undefined : r.text;
  });
  const baseDir = options.baseDir ?? path.dirname(file.path.split('#')[0] ?? file.path);
  const seen = new Set<string>();
  const pendingRemote: string[] = [];
  const infos: Finding[] = [];
  let remoteCount = 0;
  // A reference is resolved against the directory of the local file holding it, or the URL of the remote one.
  const queue: { ref: string; from: { dir: string } | { url: string } }[] = externalRefs(json).map((r) => ({ ref: r, from: { dir: baseDir } }));
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) continue;
    const url = 'url' in next.from ? resolveUrl(next.ref, next.from.url) : /^[a-z][a-z0-9+.-]*:/i.test(next.ref) ? resolveUrl(next.ref) : undefined;
    const key = url ?? next.ref;
    if (seen.has(key)) continue;
    seen.add(key);
    if (/^urn:/i.test(next.ref)) {
      ajv().addSchema(true as AnySchema, next.ref);
      documents.push('urn', next.ref, 'true');
      warnings.push({ ...finding(file.path, 'schema.ref-unresolved', `$ref "${next.ref}" is a URN; Helm cannot resolve it and accepts any value there.`), severity: 'warning' });
      continue;
    }
    if (url !== undefined && options.remote) {
      const named = next.ref === url ? `$ref "${url}"` : `$ref "${next.ref}" (${url})`;
      if (!/^https?:\/\//i.test(url)) {
        problems.push(finding(file.path, 'schema.ref-unresolved', `${named} is neither http nor https; only those are fetched. Vendor the schema next to values.schema.json and reference it by a relative path.`));
        continue;
      }
      if (++remoteCount > MAX_REMOTE_DOCUMENTS) {
        problems.push(finding(file.path, 'schema.ref-unresolved', `${named}: values.schema.json references more than ${MAX_REMOTE_DOCUMENTS} remote documents; the rest are not fetched. Vendor the schemas next to values.schema.json.`));
        break;
      }
      const doc = options.remote(url);
      if (doc === undefined) {
        pendingRemote.push(url);
        infos.push({ ...finding(file.path, 'schema.ref-unresolved', `${named}: fetching the remote schema; values are validated against ${file.path} once it has arrived.`), severity: 'info' });
        continue;
      }
      if ('error' in doc) {
        problems.push(finding(file.path, 'schema.ref-unresolved', `${named} could not be fetched: ${doc.error}. Values are not validated against ${file.path} until it can be; fix the URL or vendor the schema next to values.schema.json.`));
        continue;
      }
      const added = addRemote(ajv(), url, doc.text, draft);
      if ('error' in added) {
        problems.push(finding(file.path, added.code, `${named}: ${added.error}`));
        continue;
      }
      documents.push('remote', url, doc.text);
      for (const r of externalRefs(added.schema)) queue.push({ ref: r, from: { url: added.base } });
      continue;
    }
    if (url !== undefined || 'url' in next.from) {
      problems.push(finding(file.path, 'schema.ref-unresolved', `$ref "${next.ref}" is remote; helm-values does not fetch remote schemas unless asked to: ${OPT_IN}, or vendor the schema next to values.schema.json and reference it by a relative path.`));
      continue;
    }
    const abs = path.resolve(next.from.dir, next.ref);
    const text = read(abs);
    if (text === undefined) {
      problems.push(finding(file.path, 'schema.ref-unresolved', `$ref "${next.ref}" cannot be read (${abs}).`));
      continue;
    }
    let sub: unknown;
    try {
      sub = JSON.parse(text);
    } catch (e) {
      problems.push(finding(file.path, 'schema.ref-unresolved', `$ref "${next.ref}" is not valid JSON: ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    try {
      ajv().addSchema(sub as AnySchema, next.ref);
    } catch (e) {
      problems.push(finding(file.path, 'schema.invalid-schema', `$ref "${next.ref}": ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    documents.push('file', next.ref, text);
    for (const r of externalRefs(sub)) queue.push({ ref: r, from: { dir: path.dirname(abs) } });
  }
  const pending = pendingRemote.length > 0 ? { pendingRemote } : {};
  // Never a partial schema: while a referenced document is missing, validating would report false errors.
  if (problems.length > 0 || pendingRemote.length > 0) return compiled({ file: file.path, draft, json, problems: [...problems, ...(problems.length > 0 ? [] : warnings), ...infos], ...pending });
  const cache = options.validatorCache;
  const preKey = cache ? validatorPreKey(file.text, options.defaultDraft) : '';
  const key = cache ? keyOf([preKey, ...documents]) : '';
  if (options.interpret && !cache?.has(preKey)) {
    const interpreted = interpretSchema(json, draft);
    if (interpreted) return { schema: { file: file.path, draft, json, problems: warnings, validate: interpreted }, interpreted: true };
  }
  if (options.interpret === 'only') return undefined;
  const cachedCode = cache?.read(preKey, key);
  const loaded = cache && cachedCode !== undefined ? loadStandalone(cachedCode, cache.readCodeCache(preKey, key)) : undefined;
  let validate = loaded?.validate;
  // Without V8's code cache (or with one V8 rejected), store it after the first run: the next start skips the compile.
  let storeCodeCache = cache && loaded && !loaded.codeCacheAccepted && !workerStarted() ? () => {
    const data = loaded.codeCache();
    if (data) cache.writeCodeCache(preKey, key, data);
  } : undefined;
  if (!validate) {
    try {
      validate = ajv().compile(json as AnySchema);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const code = /can't resolve reference|resolve reference/i.test(msg) ? 'schema.ref-unresolved' : 'schema.invalid-schema';
      return compiled({ file: file.path, draft, json, problems: [finding(file.path, code, `${file.path}: ${msg}`)] });
    }
    if (cache) {
      let code: string | undefined;
      try {
        code = standaloneCode(ajv(), validate);
      } catch {
        // a schema ajv cannot write as standalone code: compiled every time
      }
      if (code !== undefined) cache.write(preKey, key, code);
    }
  }
  const run = validate;
  return compiled({
    file: file.path,
    draft,
    json,
    problems: warnings,
    validate: (data: unknown): SchemaError[] => {
      const valid = run(data);
      if (storeCodeCache) {
        const store = storeCodeCache;
        storeCodeCache = undefined;
        store();
      }
      if (valid) return [];
      return (run.errors ?? []).map((e: ErrorObject) => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params as Record<string, unknown>, message: e.message ?? '' }));
    },
  });
}
