// Workspace paths for GitOps discovery: POSIX-style joins that never leave the workspace, the scan filter, and glob
// expansion in the order Argo CD's doublestar.FilepathGlob returns matches (directory entries by name; for `**`, the
// matches at zero depth first, then each subdirectory in name order).

/** Whether the host should list a file for discovery: YAML, outside `.git`, `node_modules` and charts' `templates/`. */
export function isScannedPath(path: string, isChartDir?: (dir: string) => boolean): boolean {
  const p = path.replace(/\\/g, '/');
  const parts = p.split('/');
  if (parts.some((s) => s === '.git' || s === 'node_modules')) return false;
  if (!/\.(ya?ml|ya?ml\.gotmpl|gotmpl|json)$/.test(p)) return false;
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== 'templates') continue;
    const chartDir = parts.slice(0, i).join('/');
    if (isChartDir === undefined || isChartDir(chartDir)) return false;
  }
  return true;
}

/** Joins and normalises; undefined when `..` climbs out of the workspace. A leading `/` means the workspace root. */
export function joinPath(base: string, rel: string): string | undefined {
  const parts: string[] = [];
  const segs = rel.startsWith('/') ? rel.split('/') : [...base.split('/'), ...rel.split('/')];
  for (const s of segs) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(s);
  }
  return parts.join('/');
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** The workspace's files and the directories they imply. */
export class FileIndex {
  readonly files: ReadonlySet<string>;
  private readonly children = new Map<string, string[]>();
  constructor(files: readonly string[]) {
    const set = new Set<string>();
    const kids = new Map<string, Set<string>>();
    for (const raw of files) {
      const f = raw.replace(/\\/g, '/').replace(/^\.\//, '');
      set.add(f);
      let cur = f;
      while (cur !== '') {
        const parent = dirname(cur);
        let s = kids.get(parent);
        if (!s) kids.set(parent, (s = new Set()));
        if (s.has(cur)) break;
        s.add(cur);
        cur = parent;
      }
    }
    this.files = set;
    for (const [k, v] of kids) this.children.set(k, [...v].sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0)));
  }
  isFile(p: string): boolean {
    return this.files.has(p);
  }
  isDir(p: string): boolean {
    return p === '' || this.children.has(p);
  }
  /** Entries (files and directories) directly under `dir`, as full paths, in name order. */
  list(dir: string): readonly string[] {
    return this.children.get(dir) ?? [];
  }
  /** Glob over the workspace; `what` chooses files or directories. Order as doublestar returns it. */
  glob(pattern: string, what: 'files' | 'dirs' = 'files'): string[] {
    const segs = pattern.split('/').filter((s) => s !== '' && s !== '.');
    const out: string[] = [];
    const seen = new Set<string>();
    const emit = (p: string) => {
      if (seen.has(p)) return;
      if (what === 'files' ? this.isFile(p) : this.isDir(p) && !this.isFile(p)) {
        seen.add(p);
        out.push(p);
      }
    };
    const walk = (dir: string, i: number): void => {
      if (i === segs.length) {
        emit(dir);
        return;
      }
      const seg = segs[i];
      if (seg === '**') {
        walk(dir, i + 1);
        for (const child of this.list(dir)) if (this.isDir(child) && !this.isFile(child)) walk(child, i);
        return;
      }
      if (!isGlob(seg)) {
        const next = dir === '' ? seg : `${dir}/${seg}`;
        if (this.isFile(next) || this.isDir(next)) walk(next, i + 1);
        return;
      }
      const re = segmentRegExp(seg);
      for (const child of this.list(dir)) if (re.test(basename(child))) walk(child, i + 1);
    };
    walk('', 0);
    return out;
  }
}

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = seg.slice(i + 1, end);
        if (body.startsWith('!') || body.startsWith('^')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = seg.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${seg.slice(i + 1, end).split(',').map(escapeRe).join('|')})`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < seg.length) re += escapeRe(seg[++i]);
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
