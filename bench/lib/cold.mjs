// A child process of the in-process section: times the FIRST call of one operation in a fresh process (module
// already loaded, nothing JIT-compiled or cached yet) and prints the times as JSON.
//   node bench/lib/cold.mjs <engine.cjs> parse|effective|check|templates <chart-dir> [overlay...]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const [enginePath, mode, chart, ...overlays] = process.argv.slice(2);
const t0 = performance.now();
const engine = createRequire(import.meta.url)(enginePath);
const moduleLoad = performance.now() - t0;
const out = { mode, moduleLoad };
if (mode === 'parse') {
  const file = path.join(chart, 'values.yaml');
  const text = readFileSync(file, 'utf8');
  const t = performance.now();
  engine.parse(file, text);
  out.first = performance.now() - t;
  const t2 = performance.now();
  engine.parse(file, text);
  out.second = performance.now() - t2;
} else if (mode === 'effective') {
  const r = engine.effectiveFromDisk(chart, overlays);
  Object.assign(out, { first: r.total, load: r.load, overlays: r.overlays, merge: r.merge });
} else if (mode === 'check') {
  const t = performance.now();
  const r = engine.runCli(['check', chart, '-o', 'json']);
  out.first = performance.now() - t;
  out.code = r.code;
} else if (mode === 'templates') {
  const t = engine.prepareTemplates(chart);
  const t1 = performance.now();
  t.build();
  out.first = performance.now() - t1;
  t.update(); // the first update builds its base index, then updates
  const t2 = performance.now();
  t.update();
  out.update = performance.now() - t2;
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(JSON.stringify(out));
