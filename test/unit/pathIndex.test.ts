// The one path and position index of a values document (doc.index): every duplicate in document order, "the"
// entry of a path is the one Helm keeps (the last), positions and offsets map back to entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValueMap } from '../../server/src/service/types';
import { isTable } from '../../server/src/service/values/valueUtil';
import { parseValuesDocument, reparseValuesDocument, type KeyEntry, type PathSegment, type ValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { PathIndex } from '../../server/src/service/yaml/pathIndex';
import { dedent, filesNamed } from './fixture';

const span = (doc: ValuesDocument, e: KeyEntry | undefined) => (e ? doc.text.slice(e.keyStart, e.valueEnd) : undefined);

test('a duplicate key: every entry in document order; "the" entry is the last, the one whose value Helm keeps', () => {
  const doc = parseValuesDocument('/v.yaml', dedent(`
    a: 1
    b:
      c: x
    a: 3
  `));
  assert.deepEqual(doc.index.entriesAt(['a']).map((e) => span(doc, e)), ['a: 1', 'a: 3']);
  assert.equal(span(doc, doc.index.keyAt(['a'])), 'a: 3');
  assert.equal(doc.documents[0]?.a, 3);
  assert.equal(doc.index.keyAt(['a']), doc.entryOf(doc.documents[0] ?? {}, 'a'));
  assert.equal(span(doc, doc.index.keyAt(['b', 'c'])), 'c: x');
  assert.deepEqual(doc.index.entriesAt(['nope']), []);
  assert.equal(doc.index.keyAt(['nope']), undefined);
});

test('several YAML documents: the last document wins (Helm 4); document 0 is what Helm 3 reads', () => {
  const doc = parseValuesDocument('/v.yaml', 'a: 1\nb: 2\n---\na: 3\n');
  assert.deepEqual(doc.index.entriesAt(['a']).map((e) => e.document), [0, 1]);
  assert.equal(doc.index.keyAt(['a'])?.document, 1);
  assert.equal(span(doc, doc.index.keyAt(['a'], 0)), 'a: 1');
  assert.equal(doc.index.keyAt(['b'], 1), undefined);
});

test('a key "0" and a list index 0 are different paths', () => {
  const doc = parseValuesDocument('/v.yaml', dedent(`
    m:
      "0": key
    l:
      - item
  `));
  assert.equal(span(doc, doc.index.keyAt(['m', '0'])), '"0": key');
  assert.equal(doc.index.keyAt(['m', 0]), undefined);
  assert.equal(doc.index.keyAt(['l', 0])?.path.length, 2);
  assert.equal(doc.index.keyAt(['l', '0']), undefined);
});

test('positions and offsets: line and column of a key, the key starting at an offset, the innermost entry at an offset', () => {
  const text = dedent(`
    image:
      tag: "1.0"
    list:
      - name: a
  `);
  const doc = parseValuesDocument('/v.yaml', text);
  const tag = doc.index.keyAt(['image', 'tag']);
  assert.ok(tag);
  assert.equal(doc.index.atPosition(tag.line, tag.column), tag);
  assert.equal(doc.index.atPosition(tag.line, tag.column, 0), tag);
  assert.equal(doc.index.atPosition(tag.line, tag.column, 1), undefined);
  assert.equal(doc.index.atPosition(tag.line, tag.column + 1), undefined);
  assert.equal(doc.index.keyStartingAt(tag.keyStart), tag);
  assert.equal(doc.index.keyStartingAt(tag.keyStart + 1), undefined);
  const inValue = text.indexOf('1.0');
  assert.equal(doc.index.entryAt(inValue), tag);
  assert.equal(doc.index.keyEntryAt(inValue)?.path.join('.'), undefined);
  assert.deepEqual(doc.index.keyEntryAt(text.indexOf('name'))?.path, ['list', 0, 'name']);
  assert.equal(doc.index.ordinal(tag), doc.entries.indexOf(tag));
});

test('an edited document re-parsed block by block gets its own index, agreeing with a fresh parse', () => {
  const before = 'a:\n  b: 1\nc:\n  d: 2\n';
  const after = 'a:\n  b: 1\nc:\n  d: 2\n  e: 3\n';
  const prev = parseValuesDocument('/v.yaml', before);
  assert.equal(prev.index.keyAt(['c', 'e']), undefined);
  const next = reparseValuesDocument(prev, after);
  const fresh = parseValuesDocument('/v.yaml', after);
  for (const path of [['a', 'b'], ['c', 'd'], ['c', 'e']] as PathSegment[][]) {
    assert.deepEqual(next.index.keyAt(path), fresh.index.keyAt(path), path.join('.'));
  }
  assert.equal(prev.index.keyAt(['c', 'e']), undefined);
});

test('on every corpus values.yaml, "the" entry of each key is the one that supplied its value', () => {
  // Every values.yaml of the corpus charts (a sample of the real world's duplicate keys and list items).
  const files = filesNamed(fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url)), 'values.yaml');
  assert.ok(files.length >= 20, `only ${files.length} files`);
  let checked = 0;
  for (const file of files) {
    const doc = parseValuesDocument(file, readFileSync(file, 'utf8'));
    doc.documents.forEach((root, d) => {
      const walk = (m: ValueMap, path: PathSegment[]) => {
        for (const k of Object.keys(m)) {
          const here = [...path, k];
          const supplied = doc.entryOf(m, k);
          if (supplied) {
            assert.equal(doc.index.keyAt(here, d), supplied, `${file}: ${here.join('.')}`);
            checked++;
          }
          const v = m[k] ?? null;
          if (isTable(v)) walk(v, here);
        }
      };
      walk(root, []);
    });
  }
  assert.ok(checked > 5000, `only ${checked} keys checked`);
});

/**
 * What entryAt and keyEntryAt answer by definition, from a scan of every entry: of those whose key span (or value
 * span) holds the offset, the longest path (the first among equals); a span that ends where another key starts does
 * not hold that key's first character.
 */
function scanFor(entries: readonly KeyEntry[], offset: number, withValue: boolean): KeyEntry | undefined {
  const keyStartsHere = entries.some((e) => e.keyStart === offset);
  let best: KeyEntry | undefined;
  for (const e of entries) {
    const inKey = offset >= e.keyStart && offset <= e.keyEnd;
    const inValue = withValue && offset >= e.valueStart && offset <= e.valueEnd && e.valueEnd > e.valueStart;
    const end = e.valueEnd > e.valueStart ? Math.max(e.keyEnd, e.valueEnd) : e.keyEnd;
    if (keyStartsHere && end === offset && e.keyStart < offset) continue;
    if ((inKey || inValue) && (!best || e.path.length > best.path.length)) best = e;
  }
  return best;
}

/** Every offset where an answer can change (each span's ends and their neighbours, each line's start and middle). */
function probes(doc: Pick<ValuesDocument, 'text' | 'entries'>): number[] {
  const at = new Set<number>([0, doc.text.length, doc.text.length + 1]);
  for (const e of doc.entries) for (const o of [e.keyStart, e.keyEnd, e.valueStart, e.valueEnd]) for (const d of [-1, 0, 1]) at.add(o + d);
  let line = 0;
  for (let i = 0; i <= doc.text.length; i++) if (i === doc.text.length || doc.text[i] === '\n') { at.add(line); at.add((line + i) >> 1); line = i + 1; }
  return [...at].filter((o) => o >= 0);
}

function assertAgreesWithScan(doc: Pick<ValuesDocument, 'text' | 'entries' | 'index'>, label: string): void {
  for (const o of probes(doc)) {
    assert.equal(doc.index.entryAt(o), scanFor(doc.entries, o, true), `${label}: entryAt(${o})`);
    assert.equal(doc.index.keyEntryAt(o), scanFor(doc.entries, o, false), `${label}: keyEntryAt(${o})`);
  }
}

test('the first character of a key after a map is that key, not the map above it (whose value runs up to it)', () => {
  const text = dedent(`
    serviceAccounts:
      server:
        create: true
        annotations: {}
        # automountServiceAccountToken: false
    ## Additional labels to attach to all resources
    commonMetaLabels: {}
  `);
  const doc = parseValuesDocument('/v.yaml', text);
  const at = text.indexOf('commonMetaLabels');
  assert.equal(doc.index.keyAt(['serviceAccounts'])?.valueEnd, at, 'the map value runs up to the next key');
  assert.deepEqual(doc.index.entryAt(at)?.path, ['commonMetaLabels']);
  assert.deepEqual(doc.index.entryAt(at - 1)?.path, ['serviceAccounts']);
  assert.deepEqual(doc.index.entryAt(text.indexOf('{}'))?.path, ['serviceAccounts', 'server', 'annotations']);
  assert.deepEqual(doc.index.entryAt(text.indexOf('{}') + 2)?.path, ['serviceAccounts', 'server', 'annotations'], 'the end of a value is still its own');
});

test('the entry at an offset, looked up in the span tree, is the one a scan of every entry finds, on every corpus file and an edit of it', () => {
  const dir = fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url));
  const files = filesNamed(dir, 'values.yaml');
  let byTree = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const doc = parseValuesDocument(file, text);
    if (doc.index.byTree) byTree++;
    assertAgreesWithScan(doc, file);
    // An edit in the middle (a new key), read block by block: shifted entries, the same answers.
    const mid = text.indexOf('\n', text.length >> 1) + 1;
    if (mid > 0) assertAgreesWithScan(reparseValuesDocument(doc, `${text.slice(0, mid)}addedKey: 1\n${text.slice(mid)}`), `${file} (edited)`);
  }
  assert.ok(files.length >= 20, `only ${files.length} files`);
  assert.equal(byTree, files.length, 'every corpus file is looked up in the tree');
});

test('the entry at an offset in YAML that nests differently: anchors merged in, flow maps, lists of maps, documents, duplicates, broken YAML', () => {
  const cases: Record<string, string> = {
    'merge key': 'base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\ndeep:\n  more:\n    <<: *b\n',
    'flow map and list': 'a: {b: 1, c: [1, {d: 2}]}\ne: [x, y]\n',
    'list of maps': 'l:\n  - name: a\n    v: 1\n  -   name: b\n  - - nested\n    - list\n',
    'empty and null values': 'a:\nb: ~\nc: ""\nd:\n  # comment\n  e:\n',
    documents: 'a: 1\nb:\n  c: 2\n---\na: 3\n---\n',
    'duplicate keys': 'a:\n  b: 1\na:\n  c: 2\n',
    'block scalars': 'a: |\n  line one\n  line two\nb: >-\n  folded\nc: 1\n',
    'broken YAML': 'a:\n  b: 1\n c: [\nd: 2\n',
    'comments and blank lines': '# head\n\na: 1   # trailing\n\n\nb:\n\n  c: 2\n',
  };
  const nests: string[] = [];
  for (const [label, text] of Object.entries(cases)) {
    const doc = parseValuesDocument('/v.yaml', text);
    if (doc.index.byTree) nests.push(label);
    assertAgreesWithScan(doc, label);
  }
  // Keys merged in from an anchor get no entries of their own, so even those spans nest.
  assert.deepEqual(nests, Object.keys(cases));
});

test('entries whose spans do not nest are scanned, by the same rule', () => {
  const entry = (path: PathSegment[], keyStart: number, keyEnd: number, valueStart: number, valueEnd: number): KeyEntry =>
    ({ path, document: 0, keyStart, keyEnd, valueStart, valueEnd, line: 1, column: keyStart + 1 });
  const text = 'x'.repeat(40);
  const cases: Record<string, KeyEntry[]> = {
    'overlapping spans': [entry(['a'], 0, 1, 3, 20), entry(['a', 'b'], 5, 6, 8, 25), entry(['c'], 22, 23, 25, 30)],
    'starts out of order': [entry(['a'], 10, 11, 13, 20), entry(['b'], 0, 1, 3, 8)],
    'a child no deeper than its parent': [entry(['a'], 0, 1, 3, 20), entry(['b'], 5, 6, 8, 10)],
    'a value before its key': [entry(['a'], 10, 11, 3, 20)],
  };
  for (const [label, entries] of Object.entries(cases)) {
    const index = new PathIndex(entries);
    assert.equal(index.byTree, false, label);
    assertAgreesWithScan({ text, entries, index }, label);
  }
  const nested = new PathIndex([entry(['a'], 0, 1, 3, 20), entry(['a', 'b'], 5, 6, 8, 12), entry(['c'], 20, 21, 23, 30)]);
  assert.equal(nested.byTree, true, 'spans that nest, one ending where the next starts');
  assert.deepEqual(nested.entryAt(20)?.path, ['c']);
  assert.deepEqual(nested.entryAt(19)?.path, ['a']);
  assert.deepEqual(nested.entryAt(10)?.path, ['a', 'b']);
});
