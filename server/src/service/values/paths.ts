// Key paths of values: a path is a list of map keys and list indexes. One spelling for display (`a.b[0]["c.d"]`),
// one parser for what users type, and one map key for indexes.

/** A map key, or a list index. */
export type PathSegment = string | number;

/** A map key for a path (`s` + key, `#` + index, joined by NUL: a key "0" and an index 0 differ). */
export function pathKey(path: readonly PathSegment[]): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const s = path[i];
    out += (i > 0 ? '\u0000' : '') + (typeof s === 'number' ? `#${s}` : `s${s ?? ''}`);
  }
  return out;
}

/** Parses `a.b[0].c`, `a\.b.c` (escaped dot) or `a["b.c"]` into path segments; undefined when malformed. */
export function parsePathExpression(expr: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let cur = '';
  let i = 0;
  let pending = false;
  while (i < expr.length) {
    const ch = expr[i] ?? '';
    if (ch === '\\' && i + 1 < expr.length) {
      cur += expr[i + 1];
      pending = true;
      i += 2;
    } else if (ch === '.') {
      if (pending) out.push(cur);
      else if (out.length === 0 || expr[i - 1] !== ']') return undefined;
      cur = '';
      pending = false;
      i++;
    } else if (ch === '[') {
      if (pending) out.push(cur);
      cur = '';
      pending = false;
      const close = expr.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = expr.slice(i + 1, close);
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^(["']).*\1$/.test(inner)) out.push(inner.slice(1, -1));
      else return undefined;
      i = close + 1;
    } else {
      cur += ch;
      pending = true;
      i++;
    }
  }
  if (pending) out.push(cur);
  return out.length > 0 ? out : undefined;
}

export function formatPath(segments: readonly PathSegment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : /[.[\]\\]/.test(s) ? `["${s}"]` : i === 0 ? s : `.${s}`)).join('');
}
