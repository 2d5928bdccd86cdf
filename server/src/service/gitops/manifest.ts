// Reading manifests with positions: multi-document YAML parsed once per file, small accessors over eemeli/yaml nodes,
// and the extraction of inline values (a map in the manifest, or a YAML string) as a text with a position shift.
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { GitopsFinding, FindingSeverity, InlineText, SourceLocation } from './types';

export interface ManifestDoc {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** 0-based index of the document in the file. */
  index: number;
  /** For YAML held in a string of another manifest (an inline kustomize patch): where that string's text starts. */
  shift?: { line: number; column: number; exact: boolean };
}

export interface ParsedManifest {
  docs: ManifestDoc[];
  findings: GitopsFinding[];
}

/** Parses every document of a manifest. Broken documents give one `gitops.malformed-manifest` finding and are dropped. */
export function parseManifest(file: string, text: string, shift?: ManifestDoc['shift']): ParsedManifest {
  const lines = new LineCounter();
  const all = parseAllDocuments(text, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false, merge: true, version: '1.1' });
  const findings: GitopsFinding[] = [];
  const docs: ManifestDoc[] = [];
  const list = Array.isArray(all) ? all : [];
  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = locAt({ file, lines, shift }, e.pos[0]);
      findings.push({ file, line: pos.line, column: pos.column, severity: 'error', code: 'gitops.malformed-manifest', message: `${file}: this YAML document cannot be read (${e.message.split('\n')[0]}); fix the YAML so the deployment it declares is found` });
      return;
    }
    docs.push({ file, text, doc, lines, index, ...(shift ? { shift } : {}) });
  });
  return { docs, findings };
}

export function locAt(m: Pick<ManifestDoc, 'file' | 'lines' | 'shift'>, offset: number): SourceLocation {
  const p = m.lines.linePos(offset);
  return { file: m.file, line: p.line + (m.shift?.line ?? 0), column: p.col + (m.shift?.column ?? 0) };
}

/** Location of a node, or of the document's start when the node is absent. */
export function locOf(m: ManifestDoc, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0] ?? m.doc.range?.[0] ?? 0;
  return locAt(m, offset);
}

/** The documents of YAML held in a string (an inline patch), with positions in the enclosing file. */
export function parseEmbedded(t: InlineText): ParsedManifest {
  return parseManifest(t.file, t.text, { line: t.line, column: t.column, exact: t.exact });
}

export function finding(at: SourceLocation, severity: FindingSeverity, code: string, message: string): GitopsFinding {
  return { file: at.file, line: at.line, column: at.column, severity, code, message };
}

export function get(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  const pair = (node as YAMLMap).items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

export function pairOf(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap<unknown, unknown>).items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key) as Pair | undefined;
}

export function getIn(node: unknown, path: readonly string[]): Node | undefined {
  let cur: unknown = node;
  for (const k of path) cur = get(cur, k);
  return cur as Node | undefined;
}

/** A scalar's value as a string (numbers and booleans as written), or undefined. */
export function str(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  const src = (node as Scalar).source;
  return typeof src === 'string' ? src : String(v);
}

export function bool(node: unknown): boolean {
  return isScalar(node) && (node as Scalar).value === true;
}

export function items(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

export function entries(node: unknown): Array<[string, Node | undefined, Pair]> {
  if (!isMap(node)) return [];
  const out: Array<[string, Node | undefined, Pair]> = [];
  for (const p of (node as YAMLMap<unknown, unknown>).items) {
    if (isScalar(p.key)) out.push([String((p.key as Scalar).value), (p.value ?? undefined) as Node | undefined, p as Pair]);
  }
  return out;
}

export function kindOf(m: ManifestDoc): { apiVersion?: string; kind?: string } {
  const root = m.doc.contents;
  return { apiVersion: str(get(root, 'apiVersion')), kind: str(get(root, 'kind')) };
}

/**
 * The YAML of a map or list node (`valuesObject`, `spec.values`, a helmfile inline map) as a standalone document, or of
 * a string node (`helm.values: |`, a ConfigMap's `data` entry) as the document it holds.
 */
export function inlineText(m: Pick<ManifestDoc, 'file' | 'text' | 'lines' | 'shift'>, node: Node): InlineText | undefined {
  const t = unshiftedInlineText(m, node);
  if (!t || !m.shift) return t;
  return { ...t, line: t.line + m.shift.line, column: t.column + m.shift.column, exact: t.exact && m.shift.exact };
}

function unshiftedInlineText(m: Pick<ManifestDoc, 'file' | 'text' | 'lines'>, node: Node): InlineText | undefined {
  const range = node.range;
  if (!range) return undefined;
  const text = m.text;
  if (isScalar(node)) {
    const value = (node as Scalar).value;
    if (typeof value !== 'string') return undefined;
    const type = (node as Scalar).type;
    if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
      // Content starts on the line after the header; its indentation is the first content line's.
      const headerLine = m.lines.linePos(range[0]).line; // 1-based
      const contentLine0 = headerLine; // 0-based index of the next line
      const firstContent = text.slice(m.lines.lineStarts[contentLine0] ?? text.length).split('\n').find((l) => l.trim() !== '') ?? '';
      const indent = firstContent.length - firstContent.trimStart().length;
      return { file: m.file, text: value, line: contentLine0, column: indent, exact: type === Scalar.BLOCK_LITERAL };
    }
    const p = m.lines.linePos(range[0]);
    const quoted = type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE;
    const raw = text.slice(range[0], range[1]);
    return { file: m.file, text: value, line: p.line - 1, column: p.col - 1 + (quoted ? 1 : 0), exact: !value.includes('\n') && (quoted ? raw.slice(1, -1) === value : raw === value) };
  }
  const start = m.lines.linePos(range[0]);
  const column = start.col - 1;
  const body = text.slice(range[0], range[1]);
  const out = body.split('\n').map((l, i) => {
    if (i === 0) return l;
    let k = 0;
    while (k < column && l[k] === ' ') k++;
    return l.slice(k);
  });
  return { file: m.file, text: out.join('\n'), line: start.line - 1, column, exact: true };
}
