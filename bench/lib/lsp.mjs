// Section (c): language servers over stdio, ours and yaml-language-server interleaved on the same files.
// Per launch: spawn -> initialize -> open the case's files (the first with the bad value on its edit line) -> the
// first diagnostic on that line (cold); then edits toggling the line between the bad and the original value, each
// timed from didChange to the publishDiagnostics that reflects it; then hover and completion requests with the size
// of their results; then peak RSS (VmHWM) and CPU from /proc; then shutdown/exit.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { descendants, noiseMeter, procCpuMs, procMemory, procSched, sleep, stats } from './stats.mjs';
import { loadCase, peerSettings } from './cases.mjs';
import { profiled } from './profile.mjs';

/**
 * The servers compared. `settings(kase)` answers workspace/configuration. Both are launched as Neovim or Emacs
 * launch them: the bin with `--stdio`, no node flags (`nodeFlags` adds some to ours, to compare).
 * `schemaDiagnostic(d)`: whether a diagnostic comes from schema validation (complete diagnostics include it).
 */
export function servers(repoRoot, { peer = true, cpuProfDir, nodeFlags = [] } = {}) {
  const ours = {
    name: 'helm-values',
    command: [process.execPath, ...nodeFlags, ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), path.join(repoRoot, 'dist', 'server.js'), '--stdio'],
    settings: () => ({ helmValues: {} }),
    pushSettings: false,
    schemaDiagnostic: (d) => typeof d.code === 'string' && d.code.startsWith('schema.'),
    // A first open is over when the compiled schema is stored (the reopen must find it), even where the cold start
    // ends at a first, schema-free publish.
    settle: async (kase, cacheHome, timeoutMs) => {
      if (!cacheHome || !existsSync(path.join(kase.chart, 'values.schema.json'))) return;
      const dir = path.join(cacheHome, 'helm-values', 'validators');
      const until = Date.now() + timeoutMs;
      while (Date.now() < until && !(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.validator.js')))) await sleep(20);
    },
  };
  const list = [ours];
  if (peer) {
    list.push({
      name: 'yaml-language-server',
      command: [process.execPath, path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
      settings: (kase) => peerSettings(kase),
      pushSettings: true,
      // The peer reports only schema problems on a line whose YAML is well-formed.
      schemaDiagnostic: () => true,
    });
  }
  return list;
}

/** The environment of a launch: XDG_CACHE_HOME = `cacheHome`, no cache-location overrides inherited. */
function launchEnv(cacheHome) {
  const env = { ...process.env };
  delete env.HELM_VALUES_CACHE_DIR;
  delete env.HELM_VALUES_VALIDATOR_CACHE_DIR;
  if (cacheHome) env.XDG_CACHE_HOME = cacheHome;
  return env;
}

let cacheHomes = 0;
/** A new, empty cache home for a first open ever (removed at exit). */
function freshCacheHome() {
  const dir = path.join(os.tmpdir(), `helm-values-bench-${process.pid}`, String(cacheHomes++));
  mkdirSync(dir, { recursive: true });
  return dir;
}
process.on('exit', () => rmSync(path.join(os.tmpdir(), `helm-values-bench-${process.pid}`), { recursive: true, force: true }));

const onLine = (line, which = () => true) => (diags) => diags.some((d) => d.range.start.line <= line && d.range.end.line >= line && which(d));

function sizeOfHover(h) {
  const c = h?.contents;
  if (!c) return 0;
  if (typeof c === 'string') return c.length;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : (x.value ?? ''))).join('').length;
  return (c.value ?? '').length;
}

/**
 * One server process through one case, with `cacheHome` as XDG_CACHE_HOME (the validator cache lives under it):
 * empty for a first open ever, the one a previous launch filled for a reopen. `warmup`: the cold start only.
 */
async function launch(engine, server, kase, o, { warmup, cacheHome }) {
  const { LspClient, positionAt, uriOf } = engine;
  // Queries inside a GitOps manifest's inline values (the report also sets them against the peer's values-file answers).
  const inManifest = [...kase.hover, ...kase.completion].filter((q) => q.inManifest).map((q) => q.label);
  const r = { server: server.name, ok: false, edits: {}, hover: {}, completion: {}, inManifest };
  const uri = (f) => uriOf(path.join(kase.chart, f));
  let c;
  try {
    c = await LspClient.start({
      command: server.command,
      cwd: kase.workspace ?? kase.chart,
      workspaceFolders: [kase.workspace ?? kase.chart],
      settings: server.settings(kase),
      pushSettings: server.pushSettings,
      timeoutMs: o.timeoutMs,
      env: launchEnv(cacheHome),
    });
  } catch (e) {
    return { ...r, error: `start: ${String(e?.message ?? e).slice(0, 2000)}` };
  }
  try {
    r.serverInfo = c.initializeResult?.serverInfo ?? null;
    r.init = c.initializedAt - c.spawnedAt;
    const first = kase.edits[0];
    const firstLine = positionAt(first.badText, first.start).line;
    const tOpen = performance.now();
    const complete = kase.schemaError ? server.schemaDiagnostic : () => true;
    const cold = c.nextDiagnostics(uri(first.file), onLine(firstLine, complete), o.timeoutMs, `cold: a ${kase.schemaError ? 'schema ' : ''}diagnostic on ${first.file}:${firstLine + 1}`);
    for (const f of kase.files) await c.open(path.join(kase.chart, f), f === first.file ? first.badText : kase.texts.get(f));
    const p = await cold;
    const sc = procSched(c.pid);
    r.coldCpuMs = sc.cpuMs;
    r.coldWaitMs = sc.waitMs;
    r.cold = p.receivedAt - c.spawnedAt;
    r.openToDiag = p.receivedAt - tOpen;
    r.coldDiagnostics = p.diagnostics.length;
    r.rssAfterOpenMiB = procMemory(c.pid).rssKiB / 1024;
    if (warmup && server.settle) await server.settle(kase, cacheHome, o.timeoutMs);
    if (!warmup) {
      for (const [i, e] of kase.edits.entries()) {
        const u = uri(e.file);
        const line = positionAt(c.text(u), e.start).line;
        let invalid = i === 0; // the first edit line starts invalid (cold-invalid)
        const samples = [];
        for (let k = 0; k < o.edits + (invalid ? 1 : 0); k++) {
          await sleep(o.pauseMs);
          const [from, to] = invalid ? [e.bad, e.good] : [e.good, e.bad];
          const range = { start: positionAt(c.text(u), e.start), end: positionAt(c.text(u), e.start + from.length) };
          const want = invalid ? (d) => !onLine(line)(d) : onLine(line, kase.schemaError && i === 0 ? server.schemaDiagnostic : () => true);
          const wait = c.nextDiagnostics(u, want, o.timeoutMs, `edit ${e.file}:${line + 1} -> ${invalid ? 'valid' : 'invalid'}`);
          const s0 = procSched(c.pid);
          const t = performance.now();
          await c.changeRange(u, range, to);
          const pub = await wait;
          const s1 = procSched(c.pid);
          samples.push({ to: invalid ? 'valid' : 'invalid', ms: pub.receivedAt - t, cpuMs: s1.cpuMs - s0.cpuMs, waitMs: s1.waitMs - s0.waitMs });
          invalid = !invalid;
        }
        r.edits[`${e.file === kase.files[0] ? '' : `${path.basename(e.file)} `}${e.path.split('.').pop()}`] = samples;
      }
      for (let q = 0; q < o.queries; q++) {
        // JSON-RPC round trip floor: a request for a method nobody implements, answered with an error at once.
        await sleep(o.pauseMs);
        const t0 = performance.now();
        await c.request('helmValuesBench/ping', {}).catch(() => undefined);
        (r.ping ??= []).push(performance.now() - t0);
        for (const h of kase.hover) {
          await sleep(o.pauseMs);
          const u = uri(h.file);
          const s0 = procSched(c.pid);
          const t = performance.now();
          const res = await c.hover(u, positionAt(c.text(u), h.offset));
          const ms = performance.now() - t;
          const s1 = procSched(c.pid);
          (r.hover[h.label] ??= []).push({ ms, size: sizeOfHover(res), cpuMs: s1.cpuMs - s0.cpuMs, waitMs: s1.waitMs - s0.waitMs });
        }
        for (const q2 of kase.completion) {
          await sleep(o.pauseMs);
          const u = uri(q2.file);
          const s0 = procSched(c.pid);
          const t = performance.now();
          const items = await c.completion(u, positionAt(c.text(u), q2.offset));
          const ms = performance.now() - t;
          const s1 = procSched(c.pid);
          (r.completion[q2.label] ??= []).push({ ms, size: items.length, cpuMs: s1.cpuMs - s0.cpuMs, waitMs: s1.waitMs - s0.waitMs });
        }
      }
    }
    const kids = descendants(c.pid);
    r.peakRssMiB = procMemory(c.pid).hwmKiB / 1024;
    r.treePeakRssMiB = kids.reduce((s, k) => s + (procMemory(k).hwmKiB || 0) / 1024, r.peakRssMiB);
    r.cpuMs = procCpuMs(c.pid) + kids.reduce((s, k) => s + (procCpuMs(k) || 0), 0);
    r.publishes = c.publishes.length;
    r.settingsPulls = c.configurationRequests.length;
    r.loggedErrors = c.messages.filter((m) => m.type === 1).map((m) => m.message.slice(0, 300));
    const exit = await c.shutdown();
    r.exit = exit.code;
    r.ok = true;
  } catch (e) {
    r.error = String(e?.message ?? e).slice(0, 2000);
    r.stderrTail = c.stderr.slice(-1500);
    await c.kill();
  }
  return r;
}

/** Names of the cold-start metrics (first open with an empty cache, reopen with the cache the first open filled). */
export const COLD_FIRST = 'cold start → diagnostics, first open (empty cache)';
export const COLD_REOPEN = 'cold start → diagnostics, reopen (warm cache)';
export const COLD_REOPEN1 = 'cold start → diagnostics, first reopen (V8 code caches not made yet)';
export const RSS = 'peak RSS (VmHWM), reopen';
export const RSS_FIRST = 'peak RSS (VmHWM), first open';

function aggregate(firstOpens, firstReopens, launches) {
  const ok = launches.filter((l) => l.ok);
  const okFirst = firstOpens.filter((l) => l.ok);
  const okReopen1 = firstReopens.filter((l) => l.ok);
  const m = {};
  const put = (name, samples, unit = 'ms', extra = {}) => {
    m[name] = { unit, ...stats(samples), ...extra };
  };
  put('init', ok.map((l) => l.init));
  put(COLD_FIRST, okFirst.map((l) => l.cold));
  put('  server CPU: cold start, first open', okFirst.map((l) => l.coldCpuMs));
  put('  main thread waiting for a CPU: cold start, first open', okFirst.map((l) => l.coldWaitMs));
  put(COLD_REOPEN1, okReopen1.map((l) => l.cold));
  put(COLD_REOPEN, ok.map((l) => l.cold));
  put('  server CPU: cold start', ok.map((l) => l.coldCpuMs));
  put('  main thread waiting for a CPU: cold start', ok.map((l) => l.coldWaitMs));
  put('open → diagnostics, reopen', ok.map((l) => l.openToDiag));
  const editKeys = [...new Set(ok.flatMap((l) => Object.keys(l.edits)))];
  for (const k of editKeys) {
    const all = ok.flatMap((l) => l.edits[k] ?? []);
    put(`edit → diagnostics: ${k}`, all.map((x) => x.ms));
    put(`  server CPU: ${k}`, all.map((x) => x.cpuMs));
    put(`  main thread waiting for a CPU: ${k}`, all.map((x) => x.waitMs));
    put(`  → invalid: ${k}`, all.filter((x) => x.to === 'invalid').map((x) => x.ms));
    put(`  → valid: ${k}`, all.filter((x) => x.to === 'valid').map((x) => x.ms));
  }
  put('round trip floor (unknown request → error)', ok.flatMap((l) => l.ping ?? []));
  for (const kind of ['hover', 'completion']) {
    const labels = [...new Set(ok.flatMap((l) => Object.keys(l[kind])))];
    for (const lab of labels) {
      const all = ok.flatMap((l) => l[kind][lab] ?? []);
      const inManifest = ok.some((l) => l.inManifest?.includes(lab));
      put(`${kind}: ${lab}`, all.map((x) => x.ms), 'ms', { resultSize: stats(all.map((x) => x.size)).median, sizeUnit: kind === 'hover' ? 'chars' : 'items', ...(inManifest ? { inManifest } : {}) });
      put(`  server CPU: ${kind} ${lab}`, all.map((x) => x.cpuMs));
      put(`  main thread waiting for a CPU: ${kind} ${lab}`, all.map((x) => x.waitMs));
    }
  }
  put(RSS_FIRST, okFirst.map((l) => l.peakRssMiB), 'MiB');
  put(RSS, ok.map((l) => l.peakRssMiB), 'MiB');
  put('RSS after open', ok.map((l) => l.rssAfterOpenMiB), 'MiB');
  put('server CPU per launch', ok.map((l) => l.cpuMs));
  put('publishDiagnostics per launch', ok.map((l) => l.publishes), 'count');
  put('settings pulls (workspace/configuration) per launch', ok.map((l) => l.settingsPulls), 'count');
  const all = [...firstOpens, ...firstReopens, ...launches];
  return {
    ok: ok.length,
    failed: all.length - all.filter((l) => l.ok).length,
    errors: all.filter((l) => !l.ok).map((l) => ({ error: l.error, stderrTail: l.stderrTail })),
    serverInfo: ok[0]?.serverInfo ?? null,
    loggedErrors: [...new Set(ok.flatMap((l) => l.loggedErrors))].slice(0, 5),
    metrics: m,
  };
}

/**
 * Runs every case: a warm-up launch of each server, then `reps` rounds alternating the order (A B, B A, ...); in each
 * round every server is launched three times on one cache home: a first open ever (empty; cold start and peak RSS
 * only), a first reopen (cold start only: ours finds its compiled validators, and makes V8's code caches), and a
 * reopen (everything: what every later start is).
 */
export async function runLsp(engine, repoRoot, o, log) {
  const list = servers(repoRoot, { peer: o.peer, nodeFlags: o.nodeFlags });
  const out = [];
  for (const raw of o.cases) {
    const kase = loadCase(raw);
    log(`\n# LSP case ${kase.name} (${kase.lines} lines; open: ${kase.files.join(', ')})`);
    const noise = noiseMeter();
    const launches = list.map(() => []);
    const firstOpens = list.map(() => []);
    const firstReopens = list.map(() => []);
    for (let w = 0; w < o.warmup; w++) {
      for (const s of list) {
        const r = await launch(engine, s, kase, o, { warmup: true, cacheHome: freshCacheHome() });
        log(`  warm-up ${s.name}: ${r.ok ? `cold ${r.cold.toFixed(0)} ms` : `FAILED ${r.error}`}`);
      }
    }
    for (let rep = 0; rep < o.reps; rep++) {
      const order = list.map((_, i) => i);
      if (rep % 2 === 1) order.reverse();
      for (const i of order) {
        const cacheHome = freshCacheHome();
        const f = await launch(engine, list[i], kase, o, { warmup: true, cacheHome });
        firstOpens[i].push(f);
        // The start after a first open makes V8's code caches (a process that ran a worker thread cannot).
        const f2 = await launch(engine, list[i], kase, o, { warmup: true, cacheHome });
        firstReopens[i].push(f2);
        const r = await launch(engine, list[i], kase, o, { warmup: false, cacheHome });
        launches[i].push(r);
        const edits = stats(Object.values(r.edits).flat().map((x) => x.ms)).median;
        log(`  rep ${rep + 1}/${o.reps} ${list[i].name}: ${f.ok ? `first open ${f.cold.toFixed(0)} ms (peak ${f.peakRssMiB.toFixed(0)} MiB), ` : `first open FAILED ${f.error}, `}${f2.ok ? `first reopen ${f2.cold.toFixed(0)} ms, ` : `first reopen FAILED ${f2.error}, `}${r.ok ? `reopen ${r.cold.toFixed(0)} ms, edit median ${edits?.toFixed(1)} ms, peak ${r.peakRssMiB.toFixed(0)} MiB` : `FAILED ${r.error}`}`);
      }
    }
    const results = Object.fromEntries(list.map((s, i) => [s.name, aggregate(firstOpens[i], firstReopens[i], launches[i])]));
    out.push({ name: kase.name, lines: kase.lines, files: kase.files, schemaError: !!kase.schemaError, edits: kase.edits.map((e) => ({ file: e.file, path: e.path, good: e.good, bad: e.bad })), noise: noise.stop(), results, launches: Object.fromEntries(list.map((s, i) => [s.name, { firstOpens: firstOpens[i], firstReopens: firstReopens[i], reopens: launches[i] }])) });
  }
  return { servers: list.map((s) => ({ name: s.name, command: s.command.join(' ') })), cases: out };
}

/**
 * One launch of our server per case under --cpu-prof (profiles kept under `outDir/<case>/`), summarized: a reopen,
 * after an unprofiled first open filled the cache.
 */
export async function profileLsp(engine, repoRoot, o, outDir, log) {
  const out = [];
  for (const raw of o.cases) {
    const kase = loadCase(raw);
    const dir = path.join(outDir, kase.name.replace(/[^a-z0-9-]+/gi, '_'));
    log(`\n# profile: ${kase.name} (our server under --cpu-prof)`);
    const cacheHome = freshCacheHome();
    await launch(engine, servers(repoRoot, { peer: false, nodeFlags: o.nodeFlags })[0], kase, o, { warmup: true, cacheHome });
    const p = await profiled(dir, (d) => launch(engine, servers(repoRoot, { peer: false, cpuProfDir: d, nodeFlags: o.nodeFlags })[0], kase, o, { warmup: false, cacheHome }));
    if (p.launch.ok === false) log(`  launch FAILED: ${p.launch.error}`);
    out.push({ name: kase.name, ...p });
  }
  return out;
}
