// Key paths as users write them (`auth.password`, `env[0].value`, `grafana["grafana.ini"].database.password`), and
// the globs of `helmValues.secrets.ignoreKeyPaths` / `ignorePaths`. Pure and total.
import type { PathSegment } from '../yaml/valuesDocument';

const BARE = /^[A-Za-z0-9_-]+$/;

/** `a.b[0]["c.d"]`: keys made of letters, digits, `_` and `-` are bare; other keys are JSON-quoted in brackets. */
export function formatKeyPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (BARE.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Inverse of formatKeyPath; also reads globs (`*`, `**`, `[*]`). Never throws: unreadable rests become one key. */
export function parseKeyPath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      continue;
    }
    if (c === '[') {
      const close = findClose(text, i);
      const inner = text.slice(i + 1, close);
      i = close + 1;
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (inner.startsWith('"') && inner.endsWith('"') && inner.length >= 2) out.push(unquote(inner));
      else if (inner.startsWith("'") && inner.endsWith("'") && inner.length >= 2) out.push(inner.slice(1, -1));
      else out.push(inner);
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

function findClose(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  return text.length;
}

function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 'n' ? '\n' : e === 't' ? '\t' : e;
  });
}

/** Compiled key-path glob: `*` is one segment (or part of one: `*Password`), `**` any number of segments, `[*]` any index. */
export type KeyPathGlob = readonly (RegExp | '**')[];

export function compileKeyPathGlob(glob: string): KeyPathGlob {
  return parseKeyPath(glob).map((seg) => (seg === '**' ? '**' : segmentRegex(String(seg))));
}

function segmentRegex(seg: string): RegExp {
  const body = seg.split('*').map(escapeRegex).join('.*');
  return new RegExp(`^${body}$`);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function matchKeyPath(glob: KeyPathGlob, path: readonly PathSegment[]): boolean {
  const memo = new Map<number, boolean>();
  const go = (gi: number, pi: number): boolean => {
    const key = gi * (path.length + 1) + pi;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (gi === glob.length) r = pi === path.length;
    else {
      const g = glob[gi];
      if (g === '**') r = go(gi + 1, pi) || (pi < path.length && go(gi, pi + 1));
      else r = pi < path.length && g !== undefined && g.test(String(path[pi])) && go(gi + 1, pi + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** File glob (`**` any directories, `*` within a name, `?` one char), matched against a `/`-separated path. */
export function compileFileGlob(glob: string): RegExp {
  let re = '';
  const g = glob.replace(/\\/g, '/');
  for (let i = 0; i < g.length; i++) {
    const c = g[i] ?? '';
    if (c === '*' && g[i + 1] === '*') {
      if (g[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += escapeRegex(c);
  }
  // A relative glob matches at any directory depth (like .gitignore): `ci/*.yaml` matches `charts/a/ci/x.yaml`.
  const anchored = g.startsWith('/') || g.startsWith('**');
  return new RegExp(anchored ? `^${re}$` : `(?:^|/)${re}$`);
}
