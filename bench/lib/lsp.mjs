// Section (c): language servers over stdio, ours and yaml-language-server interleaved on the same files.
// Per launch: spawn -> initialize -> open the case's files (the first with the bad value on its edit line) -> the
// first diagnostic on that line (cold); then edits toggling the line between the bad and the original value, each
// timed from didChange to the publishDiagnostics that reflects it; then hover and completion requests with the size
// of their results; then peak RSS (VmHWM) and CPU from /proc; then shutdown/exit.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { descendants, noiseMeter, procCpuMs, procMemory, procSched, sleep, stats } from './stats.mjs';
import { loadCase, peerSettings } from './cases.mjs';
import { profiled } from './profile.mjs';

/** The servers compared. `settings(kase)` answers workspace/configuration. */
export function servers(repoRoot, { peer = true, cpuProfDir } = {}) {
  const ours = {
    name: 'helm-values',
    // The flags the VS Code client launches the server with (SERVER_NODE_FLAGS in client/src/languageClient.ts).
    command: [process.execPath, '--max-semi-space-size=4', ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), path.join(repoRoot, 'dist', 'server.js'), '--stdio'],
    settings: () => ({ helmValues: {} }),
    pushSettings: false,
  };
  const list = [ours];
  if (peer) {
    list.push({
      name: 'yaml-language-server',
      command: [process.execPath, path.join(repoRoot, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'), '--stdio'],
      settings: (kase) => peerSettings(kase),
      pushSettings: true,
    });
  }
  return list;
}

const onLine = (line) => (diags) => diags.some((d) => d.range.start.line <= line && d.range.end.line >= line);

function sizeOfHover(h) {
  const c = h?.contents;
  if (!c) return 0;
  if (typeof c === 'string') return c.length;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : (x.value ?? ''))).join('').length;
  return (c.value ?? '').length;
}

/** One server process through one case. */
async function launch(engine, server, kase, o, { warmup }) {
  const { LspClient, positionAt, uriOf } = engine;
  const r = { server: server.name, ok: false, edits: {}, hover: {}, completion: {} };
  const uri = (f) => uriOf(path.join(kase.chart, f));
  let c;
  try {
    c = await LspClient.start({
      command: server.command,
      cwd: kase.chart,
      workspaceFolders: [kase.chart],
      settings: server.settings(kase),
      pushSettings: server.pushSettings,
      timeoutMs: o.timeoutMs,
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
    const cold = c.nextDiagnostics(uri(first.file), onLine(firstLine), o.timeoutMs, `cold: a diagnostic on ${first.file}:${firstLine + 1}`);
    for (const f of kase.files) await c.open(path.join(kase.chart, f), f === first.file ? first.badText : kase.texts.get(f));
    const p = await cold;
    const sc = procSched(c.pid);
    r.coldCpuMs = sc.cpuMs;
    r.coldWaitMs = sc.waitMs;
    r.cold = p.receivedAt - c.spawnedAt;
    r.openToDiag = p.receivedAt - tOpen;
    r.coldDiagnostics = p.diagnostics.length;
    r.rssAfterOpenMiB = procMemory(c.pid).rssKiB / 1024;
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
          const want = invalid ? (d) => !onLine(line)(d) : onLine(line);
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

function aggregate(launches) {
  const ok = launches.filter((l) => l.ok);
  const m = {};
  const put = (name, samples, unit = 'ms', extra = {}) => {
    m[name] = { unit, ...stats(samples), ...extra };
  };
  put('init', ok.map((l) => l.init));
  put('cold start → first diagnostics', ok.map((l) => l.cold));
  put('  server CPU: cold start', ok.map((l) => l.coldCpuMs));
  put('  main thread waiting for a CPU: cold start', ok.map((l) => l.coldWaitMs));
  put('open → first diagnostics', ok.map((l) => l.openToDiag));
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
      put(`${kind}: ${lab}`, all.map((x) => x.ms), 'ms', { resultSize: stats(all.map((x) => x.size)).median, sizeUnit: kind === 'hover' ? 'chars' : 'items' });
      put(`  server CPU: ${kind} ${lab}`, all.map((x) => x.cpuMs));
      put(`  main thread waiting for a CPU: ${kind} ${lab}`, all.map((x) => x.waitMs));
    }
  }
  put('peak RSS (VmHWM)', ok.map((l) => l.peakRssMiB), 'MiB');
  put('RSS after open', ok.map((l) => l.rssAfterOpenMiB), 'MiB');
  put('server CPU per launch', ok.map((l) => l.cpuMs));
  put('publishDiagnostics per launch', ok.map((l) => l.publishes), 'count');
  put('settings pulls (workspace/configuration) per launch', ok.map((l) => l.settingsPulls), 'count');
  return {
    ok: ok.length,
    failed: launches.length - ok.length,
    errors: launches.filter((l) => !l.ok).map((l) => ({ error: l.error, stderrTail: l.stderrTail })),
    serverInfo: ok[0]?.serverInfo ?? null,
    loggedErrors: [...new Set(ok.flatMap((l) => l.loggedErrors))].slice(0, 5),
    metrics: m,
  };
}

/** Runs every case: a warm-up launch of each server, then `reps` launches alternating the order (A B, B A, ...). */
export async function runLsp(engine, repoRoot, o, log) {
  const list = servers(repoRoot, { peer: o.peer });
  const out = [];
  for (const raw of o.cases) {
    const kase = loadCase(raw);
    log(`\n# LSP case ${kase.name} (${kase.lines} lines; open: ${kase.files.join(', ')})`);
    const noise = noiseMeter();
    const launches = list.map(() => []);
    for (let w = 0; w < o.warmup; w++) {
      for (const s of list) {
        const r = await launch(engine, s, kase, o, { warmup: true });
        log(`  warm-up ${s.name}: ${r.ok ? `cold ${r.cold.toFixed(0)} ms` : `FAILED ${r.error}`}`);
      }
    }
    for (let rep = 0; rep < o.reps; rep++) {
      const order = list.map((_, i) => i);
      if (rep % 2 === 1) order.reverse();
      for (const i of order) {
        const r = await launch(engine, list[i], kase, o, { warmup: false });
        launches[i].push(r);
        const edits = stats(Object.values(r.edits).flat().map((x) => x.ms)).median;
        log(`  rep ${rep + 1}/${o.reps} ${list[i].name}: ${r.ok ? `cold ${r.cold.toFixed(0)} ms, edit median ${edits?.toFixed(1)} ms, peak ${r.peakRssMiB.toFixed(0)} MiB` : `FAILED ${r.error}`}`);
      }
    }
    const results = Object.fromEntries(list.map((s, i) => [s.name, aggregate(launches[i])]));
    out.push({ name: kase.name, lines: kase.lines, files: kase.files, edits: kase.edits.map((e) => ({ file: e.file, path: e.path, good: e.good, bad: e.bad })), noise: noise.stop(), results, launches: Object.fromEntries(list.map((s, i) => [s.name, launches[i]])) });
  }
  return { servers: list.map((s) => ({ name: s.name, command: s.command.join(' ') })), cases: out };
}

/** One launch of our server per case under --cpu-prof (profiles kept under `outDir/<case>/`), summarized. */
export async function profileLsp(engine, repoRoot, o, outDir, log) {
  const out = [];
  for (const raw of o.cases) {
    const kase = loadCase(raw);
    const dir = path.join(outDir, kase.name.replace(/[^a-z0-9-]+/gi, '_'));
    log(`\n# profile: ${kase.name} (our server under --cpu-prof)`);
    const p = await profiled(dir, (d) => launch(engine, servers(repoRoot, { peer: false, cpuProfDir: d })[0], kase, o, { warmup: false }));
    if (p.launch.ok === false) log(`  launch FAILED: ${p.launch.error}`);
    out.push({ name: kase.name, ...p });
  }
  return out;
}
