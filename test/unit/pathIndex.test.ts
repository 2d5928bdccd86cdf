// The one path and position index of a values document (doc.index): every duplicate in document order, "the"
// entry of a path is the one Helm keeps (the last), positions and offsets map back to entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValueMap } from '../../server/src/service/types';
import { isTable } from '../../server/src/service/values/valueUtil';
import { parseValuesDocument, reparseValuesDocument, type KeyEntry, type PathSegment, type ValuesDocument } from '../../server/src/service/yaml/valuesDocument';
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
