// Documentation of keys, read from the comments of a chart's values.yaml. Three conventions, best first:
//   helm-docs   `# -- description` directly above a key (continuation `#` lines after it, `# @default -- text`),
//               or `# dotted.path -- description` anywhere (helm-docs' older form);
//   Bitnami     `## @param dotted.path [modifiers] description` anywhere in the file;
//   plain       the comment block directly above a key, without commented-out YAML (only when no doc above exists).
// The per-document comment index (lines, explicit-path docs) is built once, in the document's memo; keys are found
// through the document's path index (every duplicate of a key, in document order).
import { memoKey } from '../memo';
import { parsePathExpression, pathKey, type PathSegment } from '../values/paths';
import type { KeyEntry } from './keyEntry';
import type { ValuesDocument } from './types';

interface DocIndex {
  /** Bitnami `@param` descriptions by path key. */
  params: ReadonlyMap<string, string>;
  /** helm-docs `# a.b -- description` descriptions by path key. */
  explicit: ReadonlyMap<string, string>;
}

const COMMENTS = memoKey<{ index?: DocIndex }>('yaml.key-docs', () => ({}));

const PARAM = /^\s*#+\s*@param\s+(\S+)(?:\s+\[[^\]]*\])?(?:\s+(.*))?$/;
const EXPLICIT = /^\s*#\s*([A-Za-z0-9_][\w.\-/\\[\]"]*)\s+--\s+(.*)$/;

/**
 * The lines of a text (as split at `\r?\n`) that contain one of `needles`, in order, each once: a file's few doc
 * lines found without splitting all of its thousands.
 */
function linesWith(text: string, needles: readonly string[]): string[] {
  const starts = new Set<number>();
  for (const needle of needles) {
    for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      const start = text.lastIndexOf('\n', i) + 1;
      starts.add(start);
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    }
  }
  return [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const nl = text.indexOf('\n', start);
      if (nl < 0) return text.slice(start);
      return text.slice(start, text.charCodeAt(nl - 1) === 13 && nl - 1 >= start ? nl - 1 : nl);
    });
}

function indexOf(doc: ValuesDocument): DocIndex {
  const slot = doc.memo.get(COMMENTS);
  if (slot.index) return slot.index;
  const params = new Map<string, string>();
  const explicit = new Map<string, string>();
  // PARAM needs "@param" and EXPLICIT "--": no other line can match.
  for (const line of linesWith(doc.text, ['@param', '--'])) {
    if (!line.includes('#')) continue;
    const p = PARAM.exec(line);
    if (p) {
      const segments = parsePathExpression(p[1] ?? '');
      const text = (p[2] ?? '').trim();
      if (segments && text !== '' && !params.has(pathKey(segments))) params.set(pathKey(segments), text);
      continue;
    }
    const x = EXPLICIT.exec(line);
    if (x) {
      const segments = parsePathExpression(x[1] ?? '');
      const text = (x[2] ?? '').trim();
      if (segments && text !== '' && !explicit.has(pathKey(segments))) explicit.set(pathKey(segments), text);
    }
  }
  const index: DocIndex = { params, explicit };
  slot.index = index;
  return index;
}

/** Builds a document's comment index now (what the first `keyDocumentation` on it would build). */
export function prepareKeyDocumentation(doc: ValuesDocument): void {
  indexOf(doc);
}

/** The documentation of the key at `path` in a chart's values.yaml, as markdown; undefined when it has none. */
export function keyDocumentation(doc: ValuesDocument, path: readonly PathSegment[]): string | undefined {
  const index = indexOf(doc);
  const key = pathKey(path);
  const blocks = doc.index.entriesAt(path).map((e) => commentBlockAbove(doc.text, e));
  for (const block of blocks) {
    const d = helmDocs(block);
    if (d !== undefined) return d;
  }
  const param = index.params.get(key) ?? index.explicit.get(key);
  if (param !== undefined) return escapeTags(param);
  for (const block of blocks) {
    const d = plainComment(block);
    if (d !== undefined) return d;
  }
  return undefined;
}

/**
 * The comment lines directly above the line of an entry's key (none when the key is not first on its line), read
 * backwards from that line (lines as split at `\r?\n`).
 */
function commentBlockAbove(text: string, e: KeyEntry): string[] {
  const lineStart = e.keyStart - (e.column - 1);
  if (!/^[\s-]*$/.test(text.slice(lineStart, e.keyStart))) return [];
  const block: string[] = [];
  // `end`: the newline that ends the line above.
  for (let end = lineStart - 1; end >= 0 && text.charCodeAt(end) === 10; ) {
    const start = end === 0 ? 0 : text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, text.charCodeAt(end - 1) === 13 && end - 1 >= start ? end - 1 : end);
    if (!/^\s*#/.test(line)) break;
    block.push(line);
    end = start - 1;
  }
  return block.reverse();
}

/** Text of a comment line without its `#` marks and the one space after them. */
function uncomment(line: string): string {
  return line.replace(/^\s*#+ ?/, '').trimEnd();
}

function helmDocs(block: readonly string[]): string | undefined {
  let start = -1;
  for (let i = block.length - 1; i >= 0; i--) {
    if (/^\s*#\s*--(\s|$)/.test(block[i] ?? '')) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  const paragraphs: string[][] = [[(block[start] ?? '').replace(/^\s*#\s*--\s*/, '').trim()]];
  let dflt: string | undefined;
  for (const raw of block.slice(start + 1)) {
    const line = uncomment(raw).trim();
    const d = /^@default\s+--\s*(.*)$/.exec(line);
    if (d) dflt = (d[1] ?? '').trim();
    else if (line.startsWith('@')) continue;
    else if (line === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]?.push(line);
  }
  const text = paragraphs
    .map((p) => p.join(' '))
    .filter((p) => p !== '')
    .join('\n\n');
  const parts = [text, ...(dflt ? [`Default: ${dflt}`] : [])].filter((p) => p !== '');
  return parts.length > 0 ? escapeTags(parts.join('\n\n')) : undefined;
}

/** `foo: bar`, `foo:`, `- item`, `- name: x`: a line of commented-out YAML rather than prose. */
function isYamlLine(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (/^[{}[\]]+,?$/.test(t)) return true;
  if (/^-\s+[^\s:]+$/.test(t) || t === '-') return true;
  const m = /^(?:-\s+)?("[^"]*"|'[^']*'|[\w./-]+):(?:\s+(.*))?$/.exec(t);
  if (!m) return false;
  const value = (m[2] ?? '').trim();
  if (value === '' || value.startsWith('#')) return true;
  if (/^https?:\/\//.test(value)) return false;
  return /^("[^"]*"|'[^']*'|\{.*\}|\[.*\]|[^\s]+)(\s+#.*)?$/.test(value);
}

function indentOf(s: string): number {
  return /^ */.exec(s)?.[0].length ?? 0;
}

function plainComment(block: readonly string[]): string | undefined {
  const out: string[] = [];
  let exampleIndent = -1;
  for (const raw of block) {
    const text = raw.replace(/^\s*#+/, '').replace(/^ /, '').trimEnd();
    if (exampleIndent >= 0) {
      if (text.trim() !== '' && (indentOf(text) > exampleIndent || isYamlLine(text))) continue;
      exampleIndent = -1;
    }
    if (text.trim().startsWith('@')) continue;
    if (isYamlLine(text)) {
      exampleIndent = indentOf(text);
      continue;
    }
    out.push(text.trim());
  }
  while (out.length > 0 && out[0] === '') out.shift();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  const collapsed = out.filter((l, i) => l !== '' || out[i - 1] !== '');
  if (collapsed.length === 0) return undefined;
  // Wrapped prose joins into one paragraph; a line after a sentence or before a ref, URL or list item keeps its own
  // line (a markdown hard break); blank lines are paragraphs.
  return escapeTags(collapsed.map((l, i) => (l !== '' && hardBreak(l, collapsed[i + 1] ?? '') ? `${l}  ` : l)).join('\n'));
}

function hardBreak(line: string, next: string): boolean {
  if (next === '') return false;
  return /[.:!?)]$/.test(line) || /^([-*+]\s|\d+\.\s|https?:\/\/|[A-Za-z][\w .-]{0,20}:(\s|$))/.test(next);
}

/** `<name>` would be read as HTML (and dropped) by markdown renderers: escape tag-like openings outside code spans. */
function escapeTags(s: string): string {
  return s.replace(/(`+)[\s\S]*?\1|<(?=[A-Za-z/!])/g, (m: string, ticks: string | undefined) => (ticks ? m : '\\<'));
}
