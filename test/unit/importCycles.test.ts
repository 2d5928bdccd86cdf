// The import graph of server/src has no cycles: none between files (type-only imports included, since they still
// tie the modules' designs together), and none between the service's folders (yaml, helm, values, check, schema,
// features, secrets, chart): each folder builds on lower ones only, with the generic value helpers at the bottom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../server/src/', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports and re-exports of a file (`import`, `import type`, `export ... from`, dynamic `import()`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^;'"]*?\sfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm, /^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm, /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const base = join(dirname(file), m[1] ?? '');
      const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
      if (target) out.push(target);
    }
  }
  return out;
}

/** Every cycle's members (strongly connected components with more than one node, or a node importing itself). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const files = sources(root);
const fileGraph = new Map(files.map((f) => [f, new Set(importsOf(f))]));
const rel = (p: string) => relative(root, p).split(sep).join('/');

test('the import graph reads every source file of server/src', () => {
  assert.ok(files.length > 50, `only ${files.length} files`);
  assert.ok([...fileGraph.values()].reduce((n, s) => n + s.size, 0) > 150, 'too few imports found: the import pattern is broken');
});

test('no import cycle between files of server/src', () => {
  assert.deepEqual(cycles(fileGraph).map((c) => c.map(rel)), []);
});

test('no import cycle between the folders of server/src/service', () => {
  const service = join(root, 'service');
  const folderOf = (f: string): string | undefined => {
    const parts = relative(service, f).split(sep);
    return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
  };
  const graph = new Map<string, Set<string>>();
  for (const [f, targets] of fileGraph) {
    const from = folderOf(f);
    if (!from) continue;
    for (const t of targets) {
      const to = folderOf(t);
      if (!to || to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
  }
  assert.ok(graph.size >= 6, `only ${graph.size} folders with imports`);
  assert.deepEqual(cycles(graph), []);
});
