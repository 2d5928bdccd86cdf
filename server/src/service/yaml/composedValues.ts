// The complete reader of values files: eemeli/yaml's composer builds the Document AST and a walker turns it into
// Helm's values (go-yaml v2 scalars, YAML 1.1 booleans, merge keys, aliases with a cap, last duplicate wins).
// parseValuesDocument uses the faster block reader (fastParse.ts) and falls back here for anything it does not
// handle: broken YAML, anchors and aliases, tags, complex keys, flow roots, directives.
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Finding, Severity, ValueMap, Value } from '../types';
import { resolvePlainScalar } from './scalars';
import { setOwn } from '../values/valueUtil';
import { booleanKeyFinding, duplicateKeyFinding, mapKeyString, plainScalarFinding } from './valueFindings';
import type { KeyEntry, ParseValuesOptions, PathSegment, ValuesDocument } from './types';
import { MemoTable } from '../memo';
import { PathIndex } from './pathIndex';

const DEFAULT_MAX_ALIAS_NODES = 100_000;

/**
 * Reads a values file through the yaml composer. Same contract as parseValuesDocument, which answers identically
 * for every input; this one is slower but handles all of YAML.
 */
export function parseValuesDocumentComposed(file: string, text: string, options: ParseValuesOptions = {}): ValuesDocument {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  const position = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const problems: Finding[] = [];
  const report = (severity: Severity, code: string, message: string, start: number, end: number) => {
    const a = position(start);
    const b = position(Math.max(start, end));
    problems.push({ file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, severity, code, message, offset: start, endOffset: end });
  };
  const entries: KeyEntry[] = [];
  const entryIndex = new WeakMap<object, Map<PathSegment, KeyEntry>>();
  const documents: ValueMap[] = [];
  const maxAliasNodes = options.maxAliasNodes ?? DEFAULT_MAX_ALIAS_NODES;

  const docList = Array.isArray(docs) ? docs : [docs];
  docList.forEach((doc, docIndex) => {
    for (const e of doc.errors) report('error', 'yaml.syntax', `YAML syntax error: ${e.message.split('\n')[0]}`, e.pos[0], e.pos[1]);
    if (doc.errors.length > 0) {
      documents.push({});
      return;
    }
    const walker = new Walker(doc, docIndex, entries, entryIndex, report, maxAliasNodes, position);
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && walker.scalar(contents) === null)) {
      documents.push({});
      return;
    }
    if (!isMap(contents) && !(isAlias(contents))) {
      const r = contents.range ?? [0, 0];
      report('error', 'yaml.not-a-map', 'A values file must be a map of keys to values; Helm cannot read this document ("cannot unmarshal ... into map").', r[0], r[1]);
      documents.push({});
      return;
    }
    const root = walker.value(contents, [], 0);
    if (root === null || typeof root !== 'object' || Array.isArray(root)) {
      const r = contents.range ?? [0, 0];
      report('error', 'yaml.not-a-map', 'A values file must be a map of keys to values.', r[0], r[1]);
      documents.push({});
      return;
    }
    documents.push(root);
  });
  if (documents.length === 0) documents.push({});

  return {
    file,
    text,
    documents,
    entries,
    entryOf: (container, key) => entryIndex.get(container)?.get(key),
    problems,
    position,
    index: new PathIndex(entries),
    memo: new MemoTable(),
  };
}

type Report = (severity: Severity, code: string, message: string, start: number, end: number) => void;

class Walker {
  private aliasNodes = 0;
  private aliasLimitReported = false;
  private readonly aliasDepth = new Set<YamlNode>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly docIndex: number,
    private readonly entries: KeyEntry[],
    private readonly index: WeakMap<object, Map<PathSegment, KeyEntry>>,
    private readonly report: Report,
    private readonly maxAliasNodes: number,
    private readonly position: (offset: number) => { line: number; column: number },
  ) {}

  /** Builds the Helm value of a node. `viaAlias` > 0 while expanding an alias: no entries or findings then. */
  value(node: YamlNode | null | undefined, path: PathSegment[], viaAlias: number): Value {
    if (node === null || node === undefined) return null;
    if (viaAlias > 0 && ++this.aliasNodes > this.maxAliasNodes) {
      if (!this.aliasLimitReported) {
        this.aliasLimitReported = true;
        const r = node.range ?? [0, 0];
        this.report('error', 'yaml.alias-limit', `Alias expansion exceeds ${this.maxAliasNodes} nodes (a "billion laughs" document?); the rest of its aliases were not expanded.`, r[0], r[1]);
      }
      return null;
    }
    if (isAlias(node)) return this.alias(node, path, viaAlias);
    if (isScalar(node)) return this.scalarValue(node, viaAlias);
    if (isMap(node)) return this.map(node, path, viaAlias);
    if (isSeq(node)) {
      const out: Value[] = [];
      node.items.forEach((item, i) => {
        const itemNode = item as YamlNode | null;
        if (viaAlias === 0 && itemNode && itemNode.range) {
          this.record(out, i, path, i, itemNode.range[0], itemNode.range[0], itemNode.range[0], itemNode.range[1]);
        }
        out.push(this.value(itemNode, [...path, i], viaAlias));
      });
      return out;
    }
    return null;
  }

  private alias(node: Alias, path: PathSegment[], viaAlias: number): Value {
    const target = node.resolve(this.doc) as YamlNode | undefined;
    if (!target || this.aliasDepth.has(target)) {
      const r = node.range ?? [0, 0];
      this.report('error', 'yaml.alias', `Unresolved or recursive alias *${node.source}.`, r[0], r[1]);
      return null;
    }
    this.aliasDepth.add(target);
    const v = this.value(target, path, viaAlias + 1);
    this.aliasDepth.delete(target);
    return v;
  }

  private map(node: YamlNode & { items: unknown[] }, path: PathSegment[], viaAlias: number): ValueMap {
    const out: ValueMap = {};
    const seen = new Map<string, number>();
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YamlNode | null;
      const valueNode = item.value as YamlNode | null;
      if (isScalar(keyNode) && keyNode.type === Scalar.PLAIN && keyNode.source === '<<') {
        this.mergeKey(out, valueNode, path, viaAlias);
        continue;
      }
      const key = this.keyString(keyNode, viaAlias);
      const kr = keyNode?.range ?? valueNode?.range ?? [0, 0, 0];
      const vr = valueNode?.range ?? [kr[1], kr[1], kr[1]];
      if (viaAlias === 0) {
        const prev = seen.get(key);
        if (prev !== undefined) {
          const f = duplicateKeyFinding(key, this.line(vr[0]), this.line(prev));
          this.report(f.severity, f.code, f.message, kr[0], kr[1]);
        }
        seen.set(key, kr[0]);
        this.record(out, key, path, key, kr[0], kr[1], vr[0], vr[1]);
      }
      setOwn(out, key, this.value(valueNode, [...path, key], viaAlias));
    }
    return out;
  }

  private mergeKey(out: ValueMap, valueNode: YamlNode | null, path: PathSegment[], viaAlias: number): void {
    const sources = isSeq(valueNode) ? (valueNode.items as YamlNode[]) : [valueNode];
    for (const src of sources) {
      const v = this.value(src, path, viaAlias + 1);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, val] of Object.entries(v)) setOwn(out, k, val);
      } else {
        const r = src?.range ?? [0, 0];
        this.report('error', 'yaml.merge-key', 'A "<<" merge key needs a map (or a list of maps) to merge.', r[0], r[1]);
      }
    }
  }

  /** Map keys as sigs.k8s.io/yaml turns them into JSON object keys. */
  private keyString(node: YamlNode | null, viaAlias: number): string {
    if (node === null) return 'null';
    if (isScalar(node)) {
      const v = this.scalarValue(node, 1);
      if (viaAlias === 0 && node.type === Scalar.PLAIN && typeof v === 'boolean' && node.range) {
        const f = booleanKeyFinding(String(node.source), v);
        this.report(f.severity, f.code, f.message, node.range[0], node.range[1]);
      }
      return mapKeyString(v);
    }
    const r = node.range ?? [0, 0];
    if (viaAlias === 0) this.report('error', 'yaml.complex-key', 'Complex (map or list) keys cannot be read by Helm.', r[0], r[1]);
    return JSON.stringify(this.value(node, [], viaAlias + 1));
  }

  scalar(node: Scalar): Value {
    return this.scalarValue(node, 1);
  }

  private scalarValue(node: Scalar, viaAlias: number): Value {
    const tag = node.tag;
    if (node.type !== Scalar.PLAIN || tag === 'tag:yaml.org,2002:str') {
      if (tag && tag !== 'tag:yaml.org,2002:str') return this.tagged(node, String(node.source ?? node.value ?? ''), viaAlias);
      return typeof node.value === 'string' ? node.value : String(node.source ?? node.value ?? '');
    }
    const source = String(node.source ?? '');
    if (tag) return this.tagged(node, source, viaAlias);
    const r = resolvePlainScalar(source);
    if (viaAlias === 0 && node.range) {
      const f = plainScalarFinding(r, source);
      if (f) this.report(f.severity, f.code, f.message, node.range[0], node.range[1]);
    }
    if (r.kind === 'nonfinite') return source;
    return r.value;
  }

  private tagged(node: Scalar, source: string, viaAlias: number): Value {
    const r = resolvePlainScalar(source);
    const tag = node.tag ?? '';
    const ok =
      (tag.endsWith(':int') && r.kind === 'int') ||
      (tag.endsWith(':float') && (r.kind === 'float' || r.kind === 'int')) ||
      (tag.endsWith(':bool') && r.kind === 'bool') ||
      (tag.endsWith(':null') && r.kind === 'null');
    if (ok) return r.value;
    if (viaAlias === 0 && node.range && !tag.endsWith(':binary')) {
      this.report('warning', 'yaml.tag', `Tag ${tag} is not applied by Helm as written; the value is read as ${JSON.stringify(r.value)}.`, node.range[0], node.range[1]);
    }
    return r.kind === 'nonfinite' ? source : r.value;
  }

  private record(container: object, key: PathSegment, parentPath: PathSegment[], seg: PathSegment, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): void {
    const pos = this.pos(keyStart);
    const entry: KeyEntry = { path: [...parentPath, seg], document: this.docIndex, keyStart, keyEnd, valueStart, valueEnd, line: pos.line, column: pos.column };
    this.entries.push(entry);
    let m = this.index.get(container);
    if (!m) {
      m = new Map();
      this.index.set(container, m);
    }
    m.set(key, entry);
  }

  private pos(offset: number): { line: number; column: number } {
    return this.position(offset);
  }

  private line(offset: number): number {
    return this.position(offset).line;
  }
}
