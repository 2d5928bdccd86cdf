// moveThroughEdit (lsp/diagnostics.ts): the findings an edit's first publish carries over from the last complete one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver/node';
import { moveThroughEdit } from '../../server/src/lsp/diagnostics';

const before = 'a: 1\nb:\n  c: null\nd: 2\ne: null\n';

/** A diagnostic on the first occurrence of `needle` in `before`, with its offsets. */
function on(needle: string): { d: Diagnostic; start: number; end: number } {
  const doc = TextDocument.create('file:///v.yaml', 'yaml', 1, before);
  const start = before.indexOf(needle);
  const end = start + needle.length;
  return { d: { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, message: needle, code: 'helm.version-dependent' }, start, end };
}

function moved(after: string): string[] {
  const doc = TextDocument.create('file:///v.yaml', 'yaml', 2, after);
  return moveThroughEdit([on('c'), on('e')], before, after, doc).map((d) => `${d.message}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
}

describe('moveThroughEdit', () => {
  test('the same text keeps every place', () => {
    assert.deepEqual(moved(before), ['c@2:2-2:3', 'e@4:0-4:1']);
  });
  test('lines inserted above move what follows; what precedes stays', () => {
    assert.deepEqual(moved(`# new\n# lines\n${before}`), ['c@4:2-4:3', 'e@6:0-6:1']);
    assert.deepEqual(moved(before.replace('d: 2', 'd: 2\nf: 3')), ['c@2:2-2:3', 'e@5:0-5:1']);
  });
  test('long texts (compared a chunk at a time): the edit is found to the character', () => {
    const filler = Array.from({ length: 3000 }, (_, i) => `k${i}: ${i}\n`).join('');
    const long = `${filler}edited: 1\n${filler}`;
    const doc0 = TextDocument.create('file:///v.yaml', 'yaml', 1, long);
    const at = (needle: string, from = 0) => {
      const start = long.indexOf(needle, from);
      return { d: { range: { start: doc0.positionAt(start), end: doc0.positionAt(start + needle.length) }, message: needle }, start, end: start + needle.length };
    };
    const diags = [at('k2999:'), at('edited'), at('k0:', filler.length)];
    for (const [after, expected] of [
      [long.replace('edited: 1', 'edited: 22'), ['k2999:@2999', 'edited@3000', 'k0:@3001']],
      [long.replace('edited: 1', 'edited: 1\nnew: 2'), ['k2999:@2999', 'edited@3000', 'k0:@3002']],
      [long.replace('edited: 1', 'editex: 1'), ['k2999:@2999', 'k0:@3001']],
    ] as const) {
      const doc = TextDocument.create('file:///v.yaml', 'yaml', 2, after);
      assert.deepEqual(moveThroughEdit(diags, long, after, doc).map((d) => `${d.message}@${d.range.start.line}`), expected);
    }
  });
  test('a diagnostic the edit touches is dropped (the complete publish decides)', () => {
    assert.deepEqual(moved(before.replace('  c: null', '  cc: null')), ['e@4:0-4:1']);
    assert.deepEqual(moved(before.replace('e: null\n', '')), ['c@2:2-2:3']);
  });
});
