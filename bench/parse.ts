// Parse timings for values files: the composer-based reader ("old") against parseValuesDocument ("new", the fast
// block reader), warm and cold, and reparseValuesDocument for a one-character edit in the middle of the file.
// Usage: npx tsx bench/parse.ts [file.yaml]   (default: kube-prometheus-stack's values.yaml, 5,981 lines)
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseValuesDocument, reparseValuesDocument, type ValuesDocument } from '../server/src/service/yaml/valuesDocument';
import { parseValuesDocumentComposed } from '../server/src/service/yaml/composedValues';

const DEFAULT_FILE = 'test/fixtures/corpus/charts/prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml';
const RUNS = 20;
const COLD_PROCESSES = 7;

type Parse = (file: string, text: string) => ValuesDocument;
const readers: Record<string, Parse> = { old: parseValuesDocumentComposed, new: parseValuesDocument };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

function warm(parse: Parse, file: string, text: string): number {
  for (let i = 0; i < 10; i++) parse(file, text);
  return median(Array.from({ length: RUNS }, () => time(() => parse(file, text))));
}

/** The first parse in a fresh process (modules already loaded), median over several processes. */
function cold(which: string, file: string): number {
  const script = fileURLToPath(import.meta.url);
  const times: number[] = [];
  for (let i = 0; i < COLD_PROCESSES; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--cold', which, file], { encoding: 'utf8' });
    const ms = Number(r.stdout.trim());
    if (r.status !== 0 || !Number.isFinite(ms)) throw new Error(`cold run failed: ${r.stderr}`);
    times.push(ms);
  }
  return median(times);
}

/**
 * Alternately inserts and removes one character at the end of the first `key: value` line past the middle of the
 * text (the value stays a plain scalar), reparsing each time from the previous document.
 */
function reparseEdits(file: string, text: string): { reparse: number; parseOld: number; parseNew: number; blockLines: number } {
  const line = /^ +[A-Za-z]+: [A-Za-z0-9]+$/gm;
  line.lastIndex = text.length >> 1;
  const m = line.exec(text);
  const at = m ? m.index + m[0].length : text.length >> 1;
  const edited = text.slice(0, at) + 'x' + text.slice(at);
  const versions = [edited, text];
  let doc = parseValuesDocument(file, text);
  for (let i = 0; i < 10; i++) doc = reparseValuesDocument(doc, versions[i % 2] ?? text);
  const reparse = median(
    Array.from({ length: RUNS * 2 }, (_, i) => {
      const next = versions[i % 2] ?? text;
      let out = doc;
      const ms = time(() => {
        out = reparseValuesDocument(doc, next);
      });
      doc = out;
      return ms;
    }),
  );
  // The size of the edited top-level block: from the last column-0 key line before the edit to the next one.
  const lines = text.slice(0, at).split('\n');
  let first = lines.length - 1;
  while (first > 0 && !/^[^\s#-]/.test(lines[first] ?? '')) first--;
  const rest = text.slice(at).split('\n');
  let after = 1;
  while (after < rest.length && !/^[^\s#-]/.test(rest[after] ?? '')) after++;
  return { reparse, parseOld: warm(parseValuesDocumentComposed, file, edited), parseNew: warm(parseValuesDocument, file, edited), blockLines: lines.length - first + after };
}

/**
 * Heap after a chain of reparses that keeps only the latest document (run with --expose-gc): the block cache must
 * hold the current document's blocks only, so the heap stays near that of one parse.
 */
function memory(file: string): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return 'run with --expose-gc';
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / 1048576;
  };
  const lines = readFileSync(file, 'utf8').split('\n');
  const before = heap();
  let doc = parseValuesDocument(file, lines.join('\n'));
  const one = heap() - before;
  const value = /^ +[A-Za-z]+: [A-Za-z0-9]+$/;
  for (let i = 0; i < 2000; i++) {
    const k = (i * 7919) % lines.length;
    if (value.test(lines[k] ?? '')) lines[k] = `${lines[k] ?? ''}x`;
    doc = reparseValuesDocument(doc, lines.join('\n'));
  }
  return `heap for one parsed document ${one.toFixed(1)} MiB, after 2000 chained edits ${(heap() - before).toFixed(1)} MiB (${doc.entries.length} entries)`;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--memory') {
    process.stdout.write(memory(args[1] ?? DEFAULT_FILE));
    return;
  }
  if (args[0] === '--cold') {
    const which = args[1] ?? 'new';
    const file = args[2] ?? DEFAULT_FILE;
    const text = readFileSync(file, 'utf8');
    const parse = readers[which] ?? parseValuesDocument;
    process.stdout.write(String(time(() => parse(file, text))));
    return;
  }
  const file = args[0] ?? DEFAULT_FILE;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length;
  console.log(`${file}: ${lines} lines, ${text.length} chars`);
  const oldWarm = warm(parseValuesDocumentComposed, file, text);
  const newWarm = warm(parseValuesDocument, file, text);
  // The new document builds its entryOf index on first use; the old one built it while parsing.
  const newIndexed = warm((f, t) => {
    const doc = parseValuesDocument(f, t);
    doc.entryOf(doc.documents[0] ?? {}, '');
    return doc;
  }, file, text);
  console.log(
    `parse warm (median of ${RUNS}):  old ${oldWarm.toFixed(2)} ms   new ${newWarm.toFixed(2)} ms (${(oldWarm / newWarm).toFixed(1)}x)   ` +
      `new + entryOf index ${newIndexed.toFixed(2)} ms (${(oldWarm / newIndexed).toFixed(1)}x)`,
  );
  const oldCold = cold('old', file);
  const newCold = cold('new', file);
  console.log(`parse cold (first call, median of ${COLD_PROCESSES} processes):  old ${oldCold.toFixed(2)} ms   new ${newCold.toFixed(2)} ms   (${(oldCold / newCold).toFixed(1)}x)`);
  const r = reparseEdits(file, text);
  console.log(
    `1-char edit in the middle (block of ~${r.blockLines} lines, median of ${RUNS * 2}):  reparse ${r.reparse.toFixed(2)} ms   ` +
      `full parse new ${r.parseNew.toFixed(2)} ms   old ${r.parseOld.toFixed(2)} ms`,
  );
  const mem = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--memory', file], { encoding: 'utf8' });
  console.log(`memory: ${mem.stdout.trim() || mem.stderr.trim()}`);
}

main();
