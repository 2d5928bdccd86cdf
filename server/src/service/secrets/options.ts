// Options of the secret detector: the `helmValues.secrets.*` settings plus the entries of the ignore file, as plain
// data. Patterns arrive compiled (RegExp): compiling a user's pattern can throw, and the service never throws, so the
// host compiles them with `secretOptionsFromSettings(raw, compile)` and reports the ones that do not compile.
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import type { IgnoreEntry } from './ignoreFile';
import { compileFileGlob, compileKeyPathGlob, type KeyPathGlob } from './keyPath';
import type { RuleOptions } from './rules';

export interface SecretOptions {
  /** `helmValues.secrets.enabled` (default true). */
  enabled?: boolean;
  /** The file's path relative to the workspace folder, `/`-separated; matched by `ignorePaths` and ignore-file entries. Default: the document's file. */
  relativePath?: string;
  /** `helmValues.secrets.ignorePaths`: file globs (`**\/ci/*-values.yaml`); matching files are not scanned. */
  ignorePaths?: readonly string[];
  /** `helmValues.secrets.ignoreKeyPaths`: key-path globs (`*.auth.secretKeys.*`, `**.password`). */
  ignoreKeyPaths?: readonly string[];
  /** `helmValues.secrets.ignoreValues`: a finding whose secret matches one of these is dropped. */
  ignoreValues?: readonly RegExp[];
  /** `helmValues.secrets.disabledRules`: codes (`secret.password`) or rule ids (`password`). */
  disabledRules?: readonly string[];
  /** `helmValues.secrets.placeholderPatterns`: more placeholders (or the only ones, with `replacePlaceholderPatterns`). */
  placeholderPatterns?: readonly RegExp[];
  replacePlaceholderPatterns?: boolean;
  /** `helmValues.secrets.placeholders`: report placeholders under secret names as Information (default true). */
  placeholders?: boolean;
  /** `helmValues.secrets.entropyRule.enabled`: keyless high-entropy strings as Hints (default false). */
  entropyRule?: { enabled?: boolean };
  /** Entries of the ignore file (`.helmsecretsignore`), parsed by `parseIgnoreFile`. */
  ignoreEntries?: readonly IgnoreEntry[];
}

export interface CompiledOptions {
  enabled: boolean;
  relativePath: string | undefined;
  ignorePaths: RegExp[];
  ignoreKeyPaths: KeyPathGlob[];
  ignoreValues: readonly RegExp[];
  disabled: Set<string>;
  placeholders: boolean;
  rules: RuleOptions;
  /** Identifies the options that change detection itself (memo key). */
  rulesKey: string;
  ignoreEntries: readonly IgnoreEntry[];
}

/** Compiled options by the options object they were compiled from (in the host's caches). */
const COMPILED = memoKey('secrets.compiled-options', () => new WeakMap<SecretOptions, CompiledOptions>());

export function compileOptions(o: SecretOptions, caches?: ServiceCaches): CompiledOptions {
  const memo = caches?.get(COMPILED);
  const hit = memo?.get(o);
  if (hit) return hit;
  const placeholders = o.placeholderPatterns ?? [];
  const c: CompiledOptions = {
    enabled: o.enabled !== false,
    relativePath: o.relativePath,
    ignorePaths: (o.ignorePaths ?? []).map(compileFileGlob),
    ignoreKeyPaths: (o.ignoreKeyPaths ?? []).map(compileKeyPathGlob),
    ignoreValues: o.ignoreValues ?? [],
    disabled: new Set((o.disabledRules ?? []).map((r) => (r.startsWith('secret.') ? r : `secret.${r}`))),
    placeholders: o.placeholders !== false,
    rules: { placeholders, replacePlaceholders: o.replacePlaceholderPatterns === true, entropyRule: o.entropyRule?.enabled === true },
    rulesKey: JSON.stringify([placeholders.map((r) => r.source + '/' + r.flags), o.replacePlaceholderPatterns === true, o.entropyRule?.enabled === true]),
    ignoreEntries: o.ignoreEntries ?? [],
  };
  memo?.set(o, c);
  return c;
}

/** Raw `helmValues.secrets` settings as the client sends them. */
export interface SecretSettings {
  enabled?: unknown;
  ignorePaths?: unknown;
  ignoreKeyPaths?: unknown;
  ignoreValues?: unknown;
  disabledRules?: unknown;
  placeholderPatterns?: unknown;
  replacePlaceholderPatterns?: unknown;
  placeholders?: unknown;
  entropyRule?: unknown;
}

/**
 * Normalizes raw settings into SecretOptions. `compile` turns a user pattern into a RegExp or undefined (the host's
 * `(s) => { try { return new RegExp(s) } catch { return undefined } }`); patterns that do not compile are returned
 * in `problems`, phrased for the user.
 */
export function secretOptionsFromSettings(raw: unknown, compile: (pattern: string) => RegExp | undefined): { options: SecretOptions; problems: string[] } {
  const s = (raw !== null && typeof raw === 'object' ? raw : {}) as SecretSettings;
  const problems: string[] = [];
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const patterns = (v: unknown, setting: string): RegExp[] =>
    strings(v).flatMap((p) => {
      const re = compile(p);
      if (!re) problems.push(`helmValues.secrets.${setting}: "${p}" is not a valid regular expression; it is ignored.`);
      return re ? [re] : [];
    });
  const entropyRule = s.entropyRule !== null && typeof s.entropyRule === 'object' ? (s.entropyRule as { enabled?: unknown }) : {};
  return {
    options: {
      enabled: s.enabled !== false,
      ignorePaths: strings(s.ignorePaths),
      ignoreKeyPaths: strings(s.ignoreKeyPaths),
      ignoreValues: patterns(s.ignoreValues, 'ignoreValues'),
      disabledRules: strings(s.disabledRules),
      placeholderPatterns: patterns(s.placeholderPatterns, 'placeholderPatterns'),
      replacePlaceholderPatterns: s.replacePlaceholderPatterns === true,
      placeholders: s.placeholders !== false,
      entropyRule: { enabled: entropyRule.enabled === true },
    },
    problems,
  };
}
