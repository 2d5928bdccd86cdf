// Statistics, /proc readers and the host-noise meter shared by the benchmark sections.
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** median, p95, min, max, mean of the finite numbers in `samples`. */
export function stats(samples) {
  const a = samples.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((x, y) => x - y);
  const n = a.length;
  if (n === 0) return { n: 0 };
  const median = n % 2 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
  return { n, median, p95: a[Math.min(n - 1, Math.ceil(0.95 * n) - 1)], min: a[0], max: a[n - 1], mean: a.reduce((s, x) => s + x, 0) / n };
}

export const fmt = (x, digits) => (typeof x !== 'number' || !Number.isFinite(x) ? '-' : digits !== undefined ? x.toFixed(digits) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** This process: CPU time (all threads) and the main thread's time waiting for a CPU, in ms. */
function selfSched() {
  const u = process.cpuUsage();
  let waitMs = NaN;
  try {
    waitMs = Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    // not Linux
  }
  return { cpuMs: (u.user + u.system) / 1000, waitMs };
}

/**
 * Runs `fn` `warmup` times untimed, then `reps` times timed (a full GC before each when --expose-gc is on).
 * Returns wall times, and the CPU time and main-thread run-queue wait of each sample.
 */
export function timeSync(fn, { reps, warmup }) {
  for (let i = 0; i < warmup; i++) fn();
  const wall = [];
  const cpu = [];
  const wait = [];
  for (let i = 0; i < reps; i++) {
    globalThis.gc?.();
    const s0 = selfSched();
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    const s1 = selfSched();
    wall.push(ms);
    cpu.push(s1.cpuMs - s0.cpuMs);
    wait.push(s1.waitMs - s0.waitMs);
  }
  return { wall, cpu, wait };
}

/** VmHWM / VmRSS of a process in KiB (Linux /proc). */
export function procMemory(pid) {
  try {
    const txt = readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => Number(txt.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
    return { hwmKiB: get('VmHWM'), rssKiB: get('VmRSS') };
  } catch {
    return { hwmKiB: NaN, rssKiB: NaN };
  }
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

function statFields(pid) {
  const txt = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return txt.slice(txt.lastIndexOf(')') + 2).split(' ').map(Number);
}

/** CPU time (user + system) of a process in ms. */
export function procCpuMs(pid) {
  try {
    const f = statFields(pid);
    return (f[11] + f[12]) * TICK_MS;
  } catch {
    return NaN;
  }
}

/**
 * Scheduler figures of a process (/proc/<pid>/task/<tid>/schedstat, nanosecond precision unlike /proc/<pid>/stat):
 * CPU time summed over its threads (JS, GC helpers, libuv), and the time its main (JavaScript) thread was runnable
 * but waiting for a CPU, in ms. The wait is how much other processes' load added to a latency.
 */
export function procSched(pid) {
  let cpu = 0;
  let wait = NaN;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [run, queued] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
        cpu += run / 1e6;
        if (tid === String(pid)) wait = queued / 1e6;
      } catch {
        // the thread ended
      }
    }
  } catch {
    return { cpuMs: NaN, waitMs: NaN };
  }
  return { cpuMs: cpu, waitMs: wait };
}

/** CPU time of the children of this process that have exited and been waited for (cutime + cstime), in ms. */
export function waitedChildrenCpuMs() {
  const f = statFields('self');
  return (f[13] + f[14]) * TICK_MS;
}

/** CPU of this process and of its children that have been waited for (spawnSync, exited servers), in ms. */
function ownCpuMs() {
  const f = statFields('self');
  return (f[11] + f[12] + f[13] + f[14]) * TICK_MS;
}

/** Busy CPU time of the whole host (all cores) in ms, from /proc/stat. */
function hostBusyMs() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - f[3] - f[4]) * TICK_MS;
}

/** Children of a process, recursively (for servers that fork). */
export function descendants(pid) {
  const out = [];
  const walk = (p) => {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids = '';
      try {
        kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const k of kids.trim().split(/\s+/).filter(Boolean)) {
        out.push(Number(k));
        walk(Number(k));
      }
    }
  };
  walk(pid);
  return out;
}

/**
 * Measures how busy the rest of the host is while a section runs: CPU used by processes other than this one and
 * its children, in cores (0 = quiet; on a 2-core host, 0.25 and up skews latencies). Children must have exited
 * (been waited for) by `stop()` to be excluded.
 */
export function noiseMeter() {
  const w0 = performance.now();
  const b0 = hostBusyMs();
  const o0 = ownCpuMs();
  const l0 = os.loadavg()[0];
  return {
    stop() {
      const wall = performance.now() - w0;
      const foreign = Math.max(0, (hostBusyMs() - b0 - (ownCpuMs() - o0)) / wall);
      return { wallMs: wall, foreignCores: foreign, loadavg1: [l0, os.loadavg()[0]], noisy: foreign > 0.25 };
    },
  };
}

/** How busy the host is right now (all processes), sampled over `ms`: busy cores of os.cpus().length. */
export async function hostBusy(ms = 2000) {
  const b0 = hostBusyMs();
  const t0 = performance.now();
  await sleep(ms);
  return { busyCores: (hostBusyMs() - b0) / (performance.now() - t0), cores: os.cpus().length };
}
