// The small part of helmfile's Go templates that discovery evaluates: `.Environment.Name`, `.Release.Name` (and
// Namespace, Chart, Labels.x), `.Values.a.b` / `.StateValues.a.b`, `env "X"`, `requiredEnv "X"`, string literals
// (the `{{` + "`{{ .Release.Name }}`" + `}}` escape) and comments. Anything else is reported on its line and the lines
// it controls are blanked: discovery never guesses what a template would produce.
//
// Rendering keeps every line where it was (an action's output is one line; `{{-`/`-}}` trim spaces on the same
// line only), so positions in the rendered text are positions in the file.

export interface TemplateContext {
  environment?: string;
  release?: { name: string; namespace?: string; chart?: string; labels?: Record<string, string> };
  values?: Record<string, unknown>;
  env: Readonly<Record<string, string>>;
}

export interface Unsupported {
  /** 1-based line of the action. */
  line: number;
  /** 1-based column. */
  column: number;
  expr: string;
  reason: string;
}

export interface Rendered {
  text: string;
  /** 1-based lines whose content was dropped or could not be evaluated. */
  badLines: Set<number>;
  problems: Unsupported[];
  /** Whether any action was evaluated (the text differs from the file's). */
  changed: boolean;
}

const CONTROL_OPEN = /^(if|range|with|define|block)\b/;

export function renderTemplate(text: string, ctx: TemplateContext): Rendered {
  const problems: Unsupported[] = [];
  const badLines = new Set<number>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const out: string[] = [];
  const stack: Array<{ line: number }> = [];
  let changed = false;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      out.push(text.slice(i));
      break;
    }
    let before = text.slice(i, open);
    const close = findClose(text, open + 2);
    if (close < 0) {
      out.push(text.slice(i));
      const line = lineOf(open);
      problems.push({ line, column: open - lineStarts[line - 1] + 1, expr: text.slice(open, open + 20), reason: 'the action is not closed with }}' });
      badLines.add(line);
      break;
    }
    let body = text.slice(open + 2, close);
    if (body.startsWith('-')) {
      body = body.slice(1);
      before = before.replace(/[ \t]+$/, '');
    }
    let after = close + 2;
    if (body.endsWith('-')) {
      body = body.slice(0, -1);
      while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after++;
    }
    out.push(before);
    changed = true;
    const line = lineOf(open);
    const column = open - lineStarts[line - 1] + 1;
    const expr = body.trim();
    if (CONTROL_OPEN.test(expr)) {
      stack.push({ line });
      problems.push({ line, column, expr: `{{ ${expr} }}`, reason: 'control structures are not evaluated' });
    } else if (expr === 'end') {
      const start = stack.pop();
      if (start) for (let l = start.line; l <= line; l++) badLines.add(l);
    } else if (/^else\b/.test(expr)) {
      // inside a control structure already reported
    } else if (expr.startsWith('/*') && expr.endsWith('*/')) {
      // a comment
    } else {
      const v = evaluate(expr, ctx);
      if ('value' in v) out.push(v.value);
      else {
        problems.push({ line, column, expr: `{{ ${expr} }}`, reason: v.error });
        badLines.add(line);
      }
    }
    i = after;
  }
  for (const s of stack) for (let l = s.line; l <= lineStarts.length; l++) badLines.add(l);
  let rendered = out.join('');
  if (badLines.size > 0) {
    const lines = rendered.split('\n');
    // Rendering keeps lines in place, so line numbers of the output are the file's.
    for (const l of badLines) if (l - 1 < lines.length && stackBlanked(l, problems)) lines[l - 1] = '';
    rendered = lines.join('\n');
  }
  return { text: rendered, badLines, problems, changed };
}

/** Lines inside a control structure are blanked; a line with a failed expression keeps its other text. */
function stackBlanked(line: number, problems: Unsupported[]): boolean {
  return !problems.some((p) => p.line === line && p.reason !== 'control structures are not evaluated');
}

function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return -1;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '}' && text[i + 1] === '}') return i;
    i++;
  }
  return -1;
}

function evaluate(expr: string, ctx: TemplateContext): { value: string } | { error: string } {
  let m = /^`([^`]*)`$/.exec(expr);
  if (m) return { value: m[1] };
  m = /^"((?:[^"\\]|\\.)*)"$/.exec(expr);
  if (m) return { value: m[1].replace(/\\(.)/g, (_all, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c) };
  m = /^(env|requiredEnv)\s+"([^"]*)"$/.exec(expr);
  if (m) {
    const v = ctx.env[m[2]];
    if (v === undefined && m[1] === 'requiredEnv') return { error: `requiredEnv "${m[2]}": the variable is not set` };
    return { value: v ?? '' };
  }
  if (expr === '.Environment.Name') {
    return ctx.environment === undefined ? { error: '.Environment is not known here' } : { value: ctx.environment };
  }
  m = /^\.Release\.(Name|Namespace|Chart)$/.exec(expr);
  if (m) {
    if (!ctx.release) return { error: '.Release is only known inside a release (escape it as {{`{{ .Release.Name }}`}} in a .gotmpl helmfile)' };
    const v = m[1] === 'Name' ? ctx.release.name : m[1] === 'Namespace' ? ctx.release.namespace ?? '' : ctx.release.chart ?? '';
    return { value: v };
  }
  m = /^\.Release\.Labels\.([A-Za-z0-9_]+)$/.exec(expr);
  if (m) {
    if (!ctx.release) return { error: '.Release is only known inside a release' };
    const v = ctx.release.labels?.[m[1]];
    return v === undefined ? { error: `release label ${m[1]} is not set` } : { value: v };
  }
  m = /^\.(?:Values|StateValues)((?:\.[A-Za-z0-9_-]+)+)$/.exec(expr);
  if (m) {
    let cur: unknown = ctx.values ?? {};
    for (const k of m[1].slice(1).split('.')) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return { error: `${expr} is not set in the environment's values` };
      cur = (cur as Record<string, unknown>)[k];
    }
    if (cur !== null && typeof cur === 'object') return { error: `${expr} is a map or list; printing it needs toYaml, which is not evaluated` };
    return { value: cur === null || cur === undefined ? '<no value>' : String(cur) };
  }
  return { error: 'only .Environment.Name, .Release.*, .Values.x, env and requiredEnv are evaluated' };
}
