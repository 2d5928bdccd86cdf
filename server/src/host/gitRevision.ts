// A git revision as a file reader: the files of a commit, read with git itself (`git rev-parse`, `git ls-tree`,
// `git cat-file --batch`), never by parsing .git. The project model reads a chart at a revision through it
// (ProjectRequest.files), so `helm-values diff` opens both sides of a change by the same rules as the working tree.
//
// A revision git cannot resolve is an error phrase, with the fix when the clone is shallow (CI checkouts often are).
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import * as path from 'node:path';
import type { FileReader, NodeKind, ReadFailure, TreeNode } from './chartReader';

interface Entry {
  kind: NodeKind;
  oid?: string;
  size?: number;
}

/** Blobs larger than this are not prefetched with their folder; read one by one when asked for. */
const PREFETCH_LIMIT = 4 * 1024 * 1024;

export interface GitRevision extends FileReader {
  /** The revision as the user wrote it. */
  rev: string;
  /** The full commit id it resolved to. */
  commit: string;
  /** The repository's top-level directory (absolute). */
  root: string;
}

function git(cwd: string, args: string[], input?: string): Buffer {
  const options: ExecFileSyncOptions = { cwd, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 * 1024, ...(input !== undefined ? { input } : {}) };
  return execFileSync('git', args, options) as Buffer;
}

function stderrOf(e: unknown): string {
  const s = (e as { stderr?: Buffer | string } | undefined)?.stderr;
  const text = (s === undefined ? '' : String(s)).trim().split('\n')[0] ?? '';
  return text !== '' ? text : e instanceof Error ? e.message : String(e);
}

/** The repository holding `dir` (its top-level directory), or an error phrase. */
export function gitRoot(dir: string): string | { error: string } {
  try {
    return path.resolve(git(dir, ['rev-parse', '--show-toplevel']).toString('utf8').trim());
  } catch (e) {
    return { error: `${dir} is not inside a git repository (${stderrOf(e)})` };
  }
}

/**
 * Opens revision `rev` of the repository holding `dir`. An error phrase when git is missing, `dir` is not in a
 * repository, or the revision is unknown (naming a shallow clone and how to deepen it).
 */
export function openGitRevision(dir: string, rev: string): GitRevision | { error: string } {
  const root = gitRoot(dir);
  if (typeof root !== 'string') return root;
  if (rev.startsWith('-')) return { error: `${rev}: not a revision` };
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).toString('utf8').trim();
  } catch {
    let shallow = false;
    try {
      shallow = git(root, ['rev-parse', '--is-shallow-repository']).toString('utf8').trim() === 'true';
    } catch {
      shallow = false;
    }
    return {
      error: shallow
        ? `${rev}: not in this clone, which is shallow (its history is cut off); fetch the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0) and run again`
        : `${rev}: unknown revision in ${root} (git rev-parse could not resolve it; fetch it or check the name)`,
    };
  }
  const entries = new Map<string, Entry>([['', { kind: 'dir' }]]);
  const children = new Map<string, Map<string, NodeKind>>([['', new Map()]]);
  let listing: Buffer;
  try {
    listing = git(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  } catch (e) {
    return { error: `${rev}: git ls-tree failed (${stderrOf(e)})` };
  }
  for (const record of listing.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', oid = '', size = ''] = record.slice(0, tab).split(/ +/);
    const file = record.slice(tab + 1);
    const kind: NodeKind = type === 'blob' && mode !== '120000' ? 'file' : 'other';
    entries.set(file, { kind, oid, size: Number(size) || 0 });
    const parts = file.split('/');
    for (let k = 0; k < parts.length; k++) {
      const folder = parts.slice(0, k).join('/');
      let c = children.get(folder);
      if (!c) children.set(folder, (c = new Map()));
      const name = parts[k] ?? '';
      if (k === parts.length - 1) c.set(name, kind);
      else {
        c.set(name, 'dir');
        const sub = parts.slice(0, k + 1).join('/');
        if (!entries.has(sub)) entries.set(sub, { kind: 'dir' });
      }
    }
  }
  // `root` is git's (symlinks resolved); paths given to the reader are built from `dir` as the user reached it.
  let logicalRoot = root;
  try {
    const prefix = git(path.resolve(dir), ['rev-parse', '--show-prefix']).toString('utf8').trim();
    logicalRoot = path.resolve(dir, ...prefix.split('/').filter((x) => x !== '').map(() => '..'));
  } catch {
    logicalRoot = root;
  }
  const blobs = new Map<string, Uint8Array>();
  const rel = (abs: string): string | undefined => {
    const resolved = path.resolve(abs);
    const base = resolved === logicalRoot || resolved.startsWith(logicalRoot + path.sep) ? logicalRoot : root;
    const r = path.relative(base, resolved);
    if (r === '') return '';
    if (r.startsWith('..') || path.isAbsolute(r)) return undefined;
    return r.split(path.sep).join('/');
  };
  /** Reads the blobs of these paths in one `git cat-file --batch`. */
  const fetch = (paths: string[]): void => {
    const wanted = paths.map((p) => ({ p, oid: entries.get(p)?.oid ?? '' })).filter((x) => x.oid !== '');
    if (wanted.length === 0) return;
    let out: Buffer;
    try {
      out = git(root, ['cat-file', '--batch'], wanted.map((x) => x.oid).join('\n') + '\n');
    } catch {
      return;
    }
    let at = 0;
    for (const { p } of wanted) {
      const nl = out.indexOf(10, at);
      if (nl < 0) return;
      const header = out.subarray(at, nl).toString('utf8').split(' ');
      if (header[1] === 'missing' || header.length < 3) {
        at = nl + 1;
        continue;
      }
      const size = Number(header[2]);
      blobs.set(p, new Uint8Array(out.subarray(nl + 1, nl + 1 + size)));
      at = nl + 1 + size + 1;
    }
  };
  const outside = (abs: string): ReadFailure => ({ message: `cannot read (${abs} is outside the repository ${root})` });
  return {
    rev,
    commit,
    root,
    kind(abs) {
      const r = rel(abs);
      return r === undefined ? undefined : entries.get(r)?.kind;
    },
    list(absDir): TreeNode[] | ReadFailure {
      const r = rel(absDir);
      if (r === undefined) return outside(absDir);
      const c = children.get(r);
      if (!c) return { message: `cannot read (ENOENT at ${rev})` };
      return [...c].map(([name, kind]) => ({ name, kind }));
    },
    read(abs, limit): Uint8Array | ReadFailure {
      const r = rel(abs);
      if (r === undefined) return outside(abs);
      const e = entries.get(r);
      if (!e || e.kind !== 'file') return { message: `cannot read (${e ? 'not a file' : 'ENOENT'} at ${rev})` };
      if (limit !== undefined && (e.size ?? 0) > limit) return { message: `larger than ${limit} bytes; not read`, tooLarge: true };
      if (!blobs.has(r)) {
        // The first file read in a folder brings its siblings along (a chart's files are read folder by folder).
        const folder = r.includes('/') ? r.slice(0, r.lastIndexOf('/')) : '';
        const siblings = [...(children.get(folder) ?? [])].filter(([, k]) => k === 'file').map(([n]) => (folder === '' ? n : `${folder}/${n}`));
        fetch([r, ...siblings.filter((p) => p !== r && !blobs.has(p) && (entries.get(p)?.size ?? 0) <= PREFETCH_LIMIT)]);
      }
      return blobs.get(r) ?? { message: `cannot read (git cat-file failed at ${rev})` };
    },
  };
}
