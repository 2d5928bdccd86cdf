// `--profile`: one more launch of our server per LSP case under `node --cpu-prof`, summarized as the functions with
// the most self time and the most inclusive time (idle and GC shown apart), to say what dominates a missed figure.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/** Self and inclusive milliseconds per function of a .cpuprofile. */
export function summarizeProfile(file, top = 15) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
  };
  const self = new Map();
  const incl = new Map();
  let total = 0;
  let idle = 0;
  let gc = 0;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    if (fn === '(garbage collector)') gc += dt;
    self.set(name(node), (self.get(name(node)) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      const k = name(n);
      if (seen.has(k) || n.callFrame.functionName === '(root)') continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  });
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, ms]) => ({ fn, ms }));
  return { busyMs: total, idleMs: idle, gcMs: gc, self: sorted(self), inclusive: sorted(incl) };
}

/** Runs `launchOnce(dir)` with a fresh `dir` for --cpu-prof-dir and summarizes the profile left there (kept). */
export async function profiled(dir, launchOnce) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = await launchOnce(dir);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return { launch: r, error: 'no .cpuprofile written (did the server exit cleanly?)' };
  return { launch: r, file: path.join(dir, files[0]), ...summarizeProfile(path.join(dir, files[0])) };
}
