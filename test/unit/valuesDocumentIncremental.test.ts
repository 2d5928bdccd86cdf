// reparseValuesDocument(previous, text) must answer exactly what parseValuesDocument(file, text) answers, after any
// edit: random character and line edits on every corpus file, including edits that break the YAML and the edits
// that repair it, each step reparsing from the previous step's document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseValuesDocument, reparseValuesDocument, type ValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { parseValuesDocumentComposed } from '../../server/src/service/yaml/composedValues';
import { fastParseValues } from '../../server/src/service/yaml/fastParse';
import { assertSameDocument, edit, prng, yamlFiles } from './valuesDocumentCheck';

/**
 * Applies `steps` random edits, each to the last text that is valid YAML the fast reader reads: an edit that breaks
 * the YAML (or leaves the fast reader's style) is followed by one that repairs it and makes another change. Every
 * step reparses from the previous step's document and must equal a full parse; a share of the steps is also
 * checked against the composer-based reader.
 */
function fuzz(file: string, original: string, steps: number, seed: number, againstComposer: number, typing: number): { edits: number; broken: number } {
  const rand = prng(seed);
  let valid = original;
  let doc: ValuesDocument = parseValuesDocument(file, original);
  let broken = 0;
  for (let step = 0; step < steps; step++) {
    const text = edit(valid, rand, typing);
    doc = reparseValuesDocument(doc, text);
    const full = parseValuesDocument(file, text);
    const label = `${file} seed ${seed} step ${step}`;
    assertSameDocument(doc, full, label);
    if (rand() < againstComposer) assertSameDocument(full, parseValuesDocumentComposed(file, text), `${label} (composer)`);
    if (full.problems.some((p) => p.code === 'yaml.syntax')) broken++;
    else if (fastParseValues(file, text)) valid = text;
  }
  return { edits: steps, broken };
}

const files = yamlFiles('test/fixtures/corpus', 'test/fixtures/helm-vectors/testdata');
const sizes = new Map(files.map((f) => [f, readFileSync(f, 'utf8').split('\n').length]));
const large = files.filter((f) => (sizes.get(f) ?? 0) >= 2000);
const rest = files.filter((f) => (sizes.get(f) ?? 0) < 2000);

test('reparse equals a full parse after each of 200 random edits (mostly typing), on every large corpus file', () => {
  let edits = 0;
  let broken = 0;
  large.forEach((file, i) => {
    const r = fuzz(file, readFileSync(file, 'utf8'), 200, 1000 + i, 0.02, 0.8);
    edits += r.edits;
    broken += r.broken;
  });
  assert.ok(large.length >= 8 && edits >= 1600, `${edits} edits on ${large.length} files`);
  assert.ok(broken > edits / 50 && broken < edits / 2, `${broken} of ${edits} edits broke the YAML`);
});

test('reparse equals a full parse after random edits, on every other corpus and testdata file', () => {
  let edits = 0;
  rest.forEach((file, i) => {
    const lines = sizes.get(file) ?? 0;
    edits += fuzz(file, readFileSync(file, 'utf8'), lines >= 1000 ? 60 : 20, 2000 + i, 0.2, 0).edits;
  });
  assert.ok(edits > 4000, `${edits} edits`);
});

test('a one-character edit reparses only its block and keeps the others', () => {
  const text = 'a:\n  x: 1\nb:\n  list: [1, 2]\nc: 3\n';
  const before = parseValuesDocument('v.yaml', text);
  const after = reparseValuesDocument(before, text.replace('list: [1, 2]', 'list: [1, 22]'));
  assert.deepStrictEqual(after.documents, [{ a: { x: 1 }, b: { list: [1, 22] }, c: 3 }]);
  // The unchanged block before the edit shares its values and entries; the one after it is moved by one offset.
  assert.equal(after.documents[0]?.a, before.documents[0]?.a);
  assert.equal(after.entries[0], before.entries[0]);
  assert.equal(after.entries.at(-1)?.keyStart, (before.entries.at(-1)?.keyStart ?? 0) + 1);
  assertSameDocument(after, parseValuesDocument('v.yaml', after.text), 'one edit');
});

test('duplicate top-level keys across blocks: the last wins, with the full parse finding', () => {
  const text = 'a: 1\nb: 2\n';
  const before = parseValuesDocument('v.yaml', text);
  const next = 'a: 1\nb: 2\n# again\na:\n  deep: true\n';
  const after = reparseValuesDocument(before, next);
  assert.deepStrictEqual(after.documents, [{ a: { deep: true }, b: 2 }]);
  assertSameDocument(after, parseValuesDocument('v.yaml', next), 'duplicates');
  assert.deepStrictEqual(
    after.problems.map((p) => [p.code, p.line]),
    [['yaml.duplicate-key', 4]],
  );
});

test('texts that are not one block map fall back to a full parse', () => {
  const before = parseValuesDocument('v.yaml', 'a: 1\n');
  for (const next of ['a: 1\n---\nb: 2\n', '- x\n', 'a: &x 1\nb: *x\n', '{a: 1}\n', 'a: [\n', '\ta: 1\n', '']) {
    assertSameDocument(reparseValuesDocument(before, next), parseValuesDocument('v.yaml', next), JSON.stringify(next));
  }
});

test('reparse keeps the options of the previous document', () => {
  const bomb = 'a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
  const before = parseValuesDocument('v.yaml', 'x: 1\n', { maxAliasNodes: 50 });
  const after = reparseValuesDocument(before, bomb);
  assertSameDocument(after, parseValuesDocument('v.yaml', bomb, { maxAliasNodes: 50 }), 'options');
  assert.ok(after.problems.some((p) => p.code === 'yaml.alias-limit'));
});
