// The ignore file of the secret detector, `.helmsecretsignore` (which one applies: host/projectModel.ts). One
// finding per line, keyed by file, rule and KEY PATH (not line number), so an entry survives edits around it:
//
//   # comment
//   values-dev.yaml:secret.password:postgresql.auth.password
//   ci/*.yaml:*:**.password                      (globs: files like .gitignore, key paths like ignoreKeyPaths)
//   values.yaml:secret.token:config.apiToken#3f2a9c0d1b7e   (lapses when the value changes: sha256(value)[:12])
//
// Pure functions: text in, entries out; entries + a new entry -> new text, keeping comments and order.
import { compileFileGlob, compileKeyPathGlob, matchKeyPath, type KeyPathGlob } from './keyPath';
import type { PathSegment } from '../yaml/valuesDocument';
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';

export const IGNORE_FILE_NAME = '.helmsecretsignore';

export interface IgnoreEntry {
  /** File path relative to the ignore file's folder (`/`-separated); may be a glob. */
  file: string;
  /** `secret.<rule>` or `*`. */
  rule: string;
  /** Key path (`auth.password`, `env[0].value`); may be a glob (`**.password`). Block-scalar lines add `>subkey`. */
  keyPath: string;
  /** First 12 hex digits of SHA-256 of the secret: the entry lapses when the value changes. */
  valueHash?: string;
  /** 1-based line in the ignore file. */
  line: number;
}

export interface IgnoreFileProblem {
  line: number;
  message: string;
}

const ENTRY = /^([^:]+):([^:]+):(.+?)(?:#([0-9a-f]{12}))?\s*$/;

export function parseIgnoreFile(text: string): { entries: IgnoreEntry[]; problems: IgnoreFileProblem[] } {
  const entries: IgnoreEntry[] = [];
  const problems: IgnoreFileProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = ENTRY.exec(line);
    if (!m) {
      problems.push({ line: i + 1, message: `Expected <file>:<rule>:<key path>[#<sha256 prefix>], got "${line}".` });
      return;
    }
    const rule = (m[2] ?? '').trim();
    const entry: IgnoreEntry = {
      file: (m[1] ?? '').trim().replace(/\\/g, '/').replace(/^\.\//, ''),
      rule: rule === '*' || rule.startsWith('secret.') ? rule : `secret.${rule}`,
      keyPath: (m[3] ?? '').trim(),
      line: i + 1,
    };
    if (m[4]) entry.valueHash = m[4];
    entries.push(entry);
  });
  return { entries, problems };
}

export function formatIgnoreEntry(e: Omit<IgnoreEntry, 'line'>): string {
  return `${e.file}:${e.rule}:${e.keyPath}${e.valueHash ? `#${e.valueHash}` : ''}`;
}

const HEADER = [
  '# Plaintext-secret findings that helm-values should not report, one per line:',
  '#   <file>:<rule>:<key path>[#<sha256(value) prefix>]',
  '# Prefer rotating the secret and referencing it from a Kubernetes Secret; ignore only what is not a secret.',
];

/**
 * The ignore file with `entry` added at the end (the text unchanged if an equal entry exists). Existing lines,
 * comments and order are kept; a new file starts with a short header.
 */
export function addIgnoreEntry(text: string, entry: Omit<IgnoreEntry, 'line'>): string {
  const edit = ignoreEntryEdit(text, entry);
  return edit ? text.slice(0, edit.start) + edit.newText + text.slice(edit.end) : text;
}

/** The same as an insertion edit (for a code action's workspace edit); undefined when already present. */
export function ignoreEntryEdit(text: string, entry: Omit<IgnoreEntry, 'line'>): { start: number; end: number; newText: string } | undefined {
  const line = formatIgnoreEntry(entry);
  const present = parseIgnoreFile(text).entries.some((e) => formatIgnoreEntry(e) === line);
  if (present) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (text.trim() === '') return { start: 0, end: text.length, newText: [...HEADER, line, ''].join(eol) };
  const sep = text.endsWith('\n') ? '' : eol;
  return { start: text.length, end: text.length, newText: `${sep}${line}${eol}` };
}

interface CompiledEntry {
  file: RegExp;
  rule: string;
  keyPath: KeyPathGlob;
  keyPathText: string;
  valueHash: string | undefined;
}

/** Compiled entries by the parsed entry (in the host's caches: an ignore file is parsed once per text). */
const COMPILED = memoKey('secrets.compiled-ignore-entries', () => new WeakMap<IgnoreEntry, CompiledEntry>());

function compileEntry(e: IgnoreEntry, caches: ServiceCaches | undefined): CompiledEntry {
  const compiled = caches?.get(COMPILED);
  const hit = compiled?.get(e);
  if (hit) return hit;
  const c: CompiledEntry = { file: compileFileGlob(e.file), rule: e.rule, keyPath: compileKeyPathGlob(e.keyPath.split('>')[0] ?? ''), keyPathText: e.keyPath, valueHash: e.valueHash };
  compiled?.set(e, c);
  return c;
}

/** Does an ignore entry cover a finding? `valueHash` is computed only when an entry asks for it. */
export function ignoreEntryMatches(
  e: IgnoreEntry,
  finding: { file: string; code: string; path: readonly PathSegment[]; fingerprintPath: string },
  valueHash: () => string,
  caches?: ServiceCaches,
): boolean {
  const c = compileEntry(e, caches);
  if (c.rule !== '*' && c.rule !== finding.code) return false;
  if (!c.file.test(finding.file.replace(/\\/g, '/'))) return false;
  const sub = c.keyPathText.includes('>');
  if (sub ? c.keyPathText !== finding.fingerprintPath : !matchKeyPath(c.keyPath, finding.path)) return false;
  return c.valueHash === undefined || c.valueHash === valueHash();
}
