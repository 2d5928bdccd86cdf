// Helpers for the values-document equivalence tests: what a ValuesDocument answers, as plain data to compare.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Value } from '../../server/src/service/types';
import type { ValuesDocument } from '../../server/src/service/yaml/valuesDocument';

/** Everything a document answers: its values, entries, problems, entryOf for every container, some positions. */
export function observe(doc: ValuesDocument): unknown {
  return {
    documents: doc.documents,
    keyOrder: doc.documents.map(keyOrder),
    entries: doc.entries,
    problems: doc.problems,
    owners: owners(doc),
    positions: positions(doc),
  };
}

/** For every key of every container in the values, the index of the entry entryOf gives (-1: none). */
function owners(doc: ValuesDocument): (number | string)[] {
  const entryIndex = new Map(doc.entries.map((e, i) => [e, i]));
  const out: (number | string)[] = [];
  const walk = (v: Value): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        const e = doc.entryOf(v, i);
        out.push(e === undefined ? -1 : (entryIndex.get(e) ?? 'foreign'));
        walk(x);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        const e = doc.entryOf(v, k);
        out.push(e === undefined ? -1 : (entryIndex.get(e) ?? 'foreign'));
        walk(v[k] ?? null);
      }
    }
  };
  doc.documents.forEach(walk);
  return out;
}

function positions(doc: ValuesDocument): { line: number; column: number }[] {
  const n = doc.text.length;
  const offsets = [0, 1, n >> 2, n >> 1, n - 1, n, n + 1, ...doc.entries.slice(0, 50).map((e) => e.valueEnd)];
  return offsets.map((o) => doc.position(o));
}

/**
 * Asserts two documents answer the same: values (with key order), entries, problems, entryOf for every container
 * and positions. Compares strictly (Object.is for scalars, so -0 and 0 differ), then shows a deepStrictEqual diff.
 */
export function assertSameDocument(actual: ValuesDocument, expected: ValuesDocument, label: string): void {
  if (
    actual.file === expected.file &&
    actual.text === expected.text &&
    same(actual.documents, expected.documents) &&
    same(actual.entries, expected.entries) &&
    same(actual.problems, expected.problems) &&
    same(owners(actual), owners(expected)) &&
    same(positions(actual), positions(expected))
  ) {
    return;
  }
  assert.deepStrictEqual(observe(actual), observe(expected), label);
  assert.fail(`${label}: same content, different key order`);
}

/** Strict structural equality of plain data, key order included. */
function same(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!same(x[i], y[i])) return false;
    return true;
  }
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] ?? '';
    if (k !== kb[i] || !same(a[k], b[k])) return false;
  }
  return true;
}

/** Key order of every map (deepStrictEqual ignores it; Helm's output and our views do not). */
function keyOrder(v: Value): unknown {
  if (Array.isArray(v)) return v.map(keyOrder);
  if (v !== null && typeof v === 'object') return Object.keys(v).map((k) => [k, keyOrder(v[k] ?? null)]);
  return 0;
}

/** Every .yaml/.yml file under the given directories, sorted. */
export function yamlFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  dirs.forEach(walk);
  return out.sort();
}

/** A small seeded PRNG (mulberry32), so failures reproduce. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [' ', ' ', ' ', '\n', '\n', '-', ':', ': ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '|', '>', 'a', 'x', '1', '0', '.', '\t', '&', '*', '!', '?', '~', 'yes', '\r\n', '---', '- ', '|-', '\\'];

const TYPED = 'abcdefghijklmnopqrstuvwxyz0123456789 ._-/';

/**
 * One random edit of `text`, chosen by `rand`: characters from a YAML-minded alphabet, whole lines, indentation,
 * new keys. With `typing` (0..1), that share of the edits is typing or deleting one ordinary character inside a line,
 * as in an editor (such edits mostly keep the YAML valid).
 */
export function edit(text: string, rand: () => number, typing = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const at = Math.floor(rand() * (text.length + 1));
  if (rand() < typing) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    let p = at;
    while (p < text.length && text[p] === ' ' && p - lineStart < 80) p++; // not in the indentation
    if (rand() < 0.7 || p >= text.length || text[p] === '\n') return text.slice(0, p) + pick([...TYPED]) + text.slice(p);
    return text.slice(0, p) + text.slice(p + 1);
  }
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEndRaw = text.indexOf('\n', at);
  const lineEnd = lineEndRaw === -1 ? text.length : lineEndRaw + 1;
  switch (Math.floor(rand() * 9)) {
    case 0:
    case 1:
      return text.slice(0, at) + pick(ALPHABET) + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
    case 3: // delete the line
      return text.slice(0, lineStart) + text.slice(lineEnd);
    case 4: // duplicate the line
      return text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
    case 5: // indent the line
      return text.slice(0, lineStart) + pick(['  ', ' ', '    ']) + text.slice(lineStart);
    case 6: // dedent the line
      return text.slice(0, lineStart) + text.slice(lineStart).replace(/^ {1,2}/, '');
    case 7: // insert a new line
      return text.slice(0, lineStart) + pick(['k: v\n', 'new:\n  x: 1\n', '# note\n', '\n', '  - item\n', 'a: |\n  t\n', '  # c\n', '    # deep\n', '- x\n']) + text.slice(lineStart);
    default: // replace one character
      return text.slice(0, at) + pick(ALPHABET) + text.slice(at + 1);
  }
}
