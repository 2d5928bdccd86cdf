// Targets (from the issue) with PASS/MISS, and the markdown report printed by `npm run bench` and written to
// bench/results/latest.md.
import { fmt } from './stats.mjs';
import { COLD_FIRST, COLD_REOPEN, RSS } from './lsp.mjs';

const OURS = 'helm-values';
const PEER = 'yaml-language-server';

/**
 * Targets against the peer (issue 8): median(ours) / median(peer) at most `max`, per case, both launched by their
 * bin with `--stdio` and no node flags.
 */
const RATIO_TARGETS = [
  { label: 'complete diagnostics, first open (empty cache)', max: 0.4, metric: (m) => m === COLD_FIRST },
  { label: 'complete diagnostics, reopen (warm cache)', max: 0.25, metric: (m) => m === COLD_REOPEN },
  { label: 'peak RSS', max: 0.75, metric: (m) => m === RSS },
  { label: 'edit → diagnostics', max: 0.12, metric: (m) => m.startsWith('edit → diagnostics: ') },
  { label: 'completion', max: 0.2, metric: (m) => m.startsWith('completion: ') },
  { label: 'hover', max: 0.5, metric: (m) => m.startsWith('hover: ') },
];

/** One row per (ratio target, case, metric): ours, peer, ratio and verdict (EMPTY when ours returned nothing). */
export function evaluateRatios(results) {
  const rows = [];
  for (const t of RATIO_TARGETS) {
    for (const c of results.lsp?.cases ?? []) {
      const ours = c.results[OURS];
      const peer = c.results[PEER];
      if (!ours || !peer) continue;
      for (const [metric, s] of Object.entries(ours.metrics)) {
        const p = peer.metrics[metric];
        if (!t.metric(metric) || typeof s.median !== 'number' || typeof p?.median !== 'number' || p.median <= 0) continue;
        const ratio = s.median / p.median;
        rows.push({ target: t.label, where: `${c.name}: ${metric.replace(/^(edit → diagnostics|hover|completion): /, '')}`, ours: s.median, peer: p.median, unit: s.unit, ratio, max: t.max, size: s.resultSize, peerSize: p.resultSize, sizeUnit: s.sizeUnit, verdict: ratio > t.max ? 'MISS' : s.resultSize === 0 ? 'EMPTY' : 'PASS' });
        // Inside a manifest's inline values the peer knows only the manifest's own schema (Argo CD's Application says
        // nothing below valuesObject), so its answer there is a round trip; issue 9 asks that such a query stay within
        // the values-file target: also set against the peer's fastest answer of the same kind in a values file.
        if (s.inManifest) {
          const kind = metric.split(':')[0];
          const inValues = Object.entries(peer.metrics).filter(([m, q]) => m.startsWith(`${kind}: `) && !q.inManifest && typeof q.median === 'number');
          const best = inValues.sort((a, b) => a[1].median - b[1].median)[0];
          if (best) {
            const r2 = s.median / best[1].median;
            rows.push({ target: `${t.label} (inside the manifest, against the peer's ${best[0].replace(/: .*/, '')} in values.yaml: ${best[0].replace(/^[^:]*: /, '')})`, where: `${c.name}: ${metric.replace(/^(hover|completion): /, '')}`, ours: s.median, peer: best[1].median, unit: s.unit, ratio: r2, max: t.max, size: s.resultSize, peerSize: best[1].resultSize, sizeUnit: s.sizeUnit, verdict: r2 > t.max ? 'MISS' : s.resultSize === 0 ? 'EMPTY' : 'PASS' });
          }
        }
      }
    }
  }
  return rows;
}

/** Targets for our figures. `pick` yields [where, metric] pairs from the results. */
const TARGETS = [
  { label: 'edit → diagnostics, median', max: 50, unit: 'ms', lsp: (m) => m.startsWith('edit → diagnostics: ') },
  { label: 'hover, median', max: 5, unit: 'ms', lsp: (m) => m.startsWith('hover: ') },
  { label: 'completion, median', max: 15, unit: 'ms', lsp: (m) => m.startsWith('completion: ') },
  { label: 'cold start → diagnostics (reopen), median', max: 500, unit: 'ms', lsp: (m) => m === COLD_REOPEN },
  { label: 'peak RSS, median', max: 120, unit: 'MiB', lsp: (m) => m === RSS },
  { label: 'CLI whole process, median', max: 300, unit: 'ms', cli: true },
  { label: 'diff between two commits (kps + 5 ci overlays), whole process, median', max: 1000, unit: 'ms', cli: 'diff' },
  { label: 'in-process effective values, warm median', max: 50, unit: 'ms', inprocess: 'inprocessEffective' },
  { label: 'GitOps discovery of 2,000 YAML files, cold median', max: 1000, unit: 'ms', discovery: true },
  { label: 'template index (kps + subcharts), cold, median', max: 300, unit: 'ms', inprocess: 'templateIndexCold' },
  { label: 'template index after one template changed, warm median', max: 20, unit: 'ms', inprocess: 'templateIndexUpdate' },
];

/** One row per (target, place measured): value, limit and verdict. A query answered with nothing is EMPTY, not PASS. */
export function evaluateTargets(results) {
  const rows = [];
  const verdict = (v, max, size) => (typeof v !== 'number' ? 'n/a' : v > max ? 'MISS' : size === 0 ? 'EMPTY' : 'PASS');
  for (const t of TARGETS) {
    if (t.lsp && results.lsp) {
      for (const c of results.lsp.cases) {
        const ours = c.results[OURS];
        if (!ours) continue;
        for (const [metric, s] of Object.entries(ours.metrics)) {
          if (!t.lsp(metric)) continue;
          const suffix = metric.startsWith('edit → diagnostics: ') ? metric.slice('edit → diagnostics: '.length) : metric === COLD_REOPEN ? 'cold start' : metric.replace(': ', ' ');
          const cpu = ours.metrics[`  server CPU: ${suffix}`]?.median;
          const wait = ours.metrics[`  main thread waiting for a CPU: ${suffix}`]?.median;
          rows.push({ target: t.label, where: `${c.name}: ${metric.replace(/^(edit → diagnostics|hover|completion): /, '')}`, value: s.median, max: t.max, unit: t.unit, size: s.resultSize, sizeUnit: s.sizeUnit, cpu, wait, verdict: verdict(s.median, t.max, s.resultSize) });
        }
      }
    }
    if (t.cli && results.cli) {
      for (const r of results.cli.rows.filter((x) => x.target === (t.cli === true ? 'cli' : t.cli))) rows.push({ target: t.label, where: r.name, value: r.median, max: t.max, unit: t.unit, cpu: r.cpu, verdict: verdict(r.median, t.max) });
    }
    if (t.discovery && results.discovery) {
      for (const r of results.discovery.rows.filter((x) => x.target === 'discovery')) rows.push({ target: t.label, where: `generated workspace: ${results.discovery.files} YAML files`, value: r.median, max: t.max, unit: t.unit, verdict: verdict(r.median, t.max) });
    }
    if (t.inprocess && results.inprocess) {
      for (const r of results.inprocess.rows.filter((x) => x.target === t.inprocess)) rows.push({ target: t.label, where: t.inprocess.startsWith('templateIndex') ? 'kube-prometheus-stack templates + 5 subcharts' : `kube-prometheus-stack + ${results.inprocess.overlays.length} ci overlays`, value: r.median, max: t.max, unit: t.unit, cpu: r.cpu, wait: r.wait, verdict: verdict(r.median, t.max) });
    }
  }
  return rows;
}

/** A markdown table; columns from `firstNumeric` on are right-aligned. */
const table = (head, rows, firstNumeric = 1) => ['| ' + head.join(' | ') + ' |', '|' + head.map((h, i) => (i < firstNumeric ? '---' : '---:')).join('|') + '|', ...rows.map((r) => '| ' + r.join(' | ') + ' |')].join('\n');
const noiseText = (n) => (n ? `${n.foreignCores.toFixed(2)} cores used by other processes on average (load ${n.loadavg1[0].toFixed(2)} → ${n.loadavg1[1].toFixed(2)})${n.noisy ? ' **NOISY**' : ''}` : '-');

export function markdown(results) {
  const out = [];
  const h = results.host;
  out.push(`# helm-values benchmark, ${results.date}`);
  out.push('');
  out.push(`Machine: ${h.cpuModel} × ${h.cores}, ${h.memGiB} GiB, ${h.platform}, Node ${h.node}. Options: ${results.argv.join(' ') || '(defaults)'}.`);
  out.push(`Host noise: busy before ${h.busyBefore.busyCores.toFixed(2)} of ${h.cores} cores, after ${h.busyAfter ? h.busyAfter.busyCores.toFixed(2) : '-'} (all processes, 2 s samples; the benchmark itself is idle then).` + ' Per section: CPU used by other processes while it ran (0 = quiet; over 0.25 of 2 cores skews latencies).');
  out.push('');
  if (results.ratios?.length) {
    out.push('## Targets against the peer (ours / yaml-language-server, medians)');
    out.push('');
    const size = (v, u) => (v !== undefined ? ` [${v} ${u}]` : '');
    out.push(table(['target', 'measured on', 'ours', 'peer', 'ratio', 'limit', 'verdict'], results.ratios.map((t) => [t.target, t.where, `${fmt(t.ours)} ${t.unit}${size(t.size, t.sizeUnit)}`, `${fmt(t.peer)} ${t.unit}${size(t.peerSize, t.sizeUnit)}`, `${t.ratio.toFixed(2)}×`, `≤ ${t.max}×`, t.verdict === 'PASS' ? 'PASS' : `**${t.verdict}**`]), 2));
    const miss = results.ratios.filter((t) => t.verdict !== 'PASS').length;
    out.push('');
    out.push(`${results.ratios.length - miss} PASS, ${miss} not.`);
    out.push('');
  }
  if (results.targets?.length) {
    out.push('## Targets (ours)');
    out.push('');
    out.push(table(['target', 'measured on', 'median', 'limit', 'verdict', 'server CPU (all threads) / main thread waiting for a CPU, medians'], results.targets.map((t) => [t.target, t.where + (t.size !== undefined ? ` [${t.size} ${t.sizeUnit}]` : ''), `${fmt(t.value)} ${t.unit}`, `${t.max} ${t.unit}`, t.verdict === 'PASS' ? 'PASS' : `**${t.verdict}**`, t.cpu !== undefined ? `${fmt(t.cpu)} / ${fmt(t.wait)} ms` : '']), 2));
    const miss = results.targets.filter((t) => t.verdict !== 'PASS').length;
    out.push('');
    out.push(`${results.targets.length - miss} PASS, ${miss} not (MISS = over the limit; EMPTY = fast but returned nothing).`);
    out.push('');
  }
  if (results.inprocess) {
    const a = results.inprocess;
    out.push(`## (a) In process: kube-prometheus-stack (${a.lines} lines) + ${a.overlays.length} ci overlays`);
    out.push('');
    out.push(`Warm = median of ${a.reps} after ${a.warmup} warm-up runs, full GC before each (not timed). CPU = this process's CPU time during the sample (all threads), waiting = time its main thread was runnable but had no CPU (other processes' load). Noise: ${noiseText(a.noise)}.`);
    out.push('');
    out.push(table(['step', 'median ms', 'p95', 'min', 'max', 'n', 'CPU ms', 'waiting for a CPU ms', 'notes'], a.rows.map((r) => [r.name, fmt(r.median), fmt(r.p95), fmt(r.min), fmt(r.max), r.n, fmt(r.cpu), fmt(r.wait), r.note])));
    out.push('');
  }
  if (results.cli) {
    const b = results.cli;
    out.push('## (b) CLI, whole process');
    out.push('');
    out.push(`Median of ${b.reps} spawns each (after a warm-up), round-robin. Noise: ${noiseText(b.noise)}.`);
    out.push('');
    out.push(table(['command', 'median ms', 'p95', 'min', 'n', 'CPU ms (user+sys, 10 ms ticks)', 'stdout bytes', 'notes'], b.rows.map((r) => [`\`${r.command}\``, fmt(r.median), fmt(r.p95), fmt(r.min), r.n, fmt(r.cpu), r.stdoutBytes, r.note])));
    out.push('');
  }
  if (results.discovery) {
    const d = results.discovery;
    out.push('## (d) GitOps discovery (issue 9)');
    out.push('');
    out.push(`A generated workspace of ${d.files} YAML files (40 charts with templates, 240 Argo CD Applications, 20 ApplicationSets, 60 Flux HelmReleases with 2 kustomize overlays each, 20 helmfiles, the rest plain Kubernetes manifests); ${d.listed} files listed for discovery, ${d.environments} environments, ${d.findings} findings. Cold = a fresh process's first discovery (listing, reading, parsing manifests); warm = the same process again.`);
    out.push('');
    out.push(table(['step', 'median ms', 'p95', 'min', 'max', 'n'], d.rows.map((r) => [r.name, fmt(r.median), fmt(r.p95), fmt(r.min), fmt(r.max), r.n])));
    out.push('');
  }
  if (results.lsp) {
    const c = results.lsp;
    const names = c.servers.map((s) => s.name);
    const flags = results.options.nodeFlags?.length ? `; ours with the node flags \`${results.options.nodeFlags.join(' ')}\`` : ', no node flags';
    out.push(`## (c) Language servers over stdio: ${names.join(' vs ')}`);
    out.push('');
    out.push(`${results.options.reps} launches per server per case (after ${results.options.warmup} warm-up), interleaved (A B, B A, ...); per launch ${results.options.edits} edits per edit line (alternating ${'`yes`'} and the original value; each timed to the publishDiagnostics that reflects it), ${results.options.queries} requests per position, ${results.options.pauseMs} ms pause between operations. Each round launches each server three times on one XDG_CACHE_HOME: a first open ever (empty: cold start and peak RSS only), a first reopen (cold start only: ours finds the compiled validators and makes V8's code caches, which a process that ran a worker thread cannot), then a reopen (everything else: what every later start is). Both servers are launched by their bin with \`--stdio\`${flags}. In a case marked "schema error", the cold start waits for the schema error on the edit line (complete diagnostics), not a first, schema-free publish. The peer gets the chart's schema (or one inferred from values.yaml, see bench/data/PROVENANCE.md) through \`yaml.schemas\`; ours reads the chart as it is.`);
    for (const k of c.cases) {
      out.push('');
      out.push(`### ${k.name} (${k.lines} lines; open: ${k.files.join(', ')})${k.schemaError ? ', schema error' : ''}`);
      out.push('');
      out.push(`Edits: ${k.edits.map((e) => `${e.file} \`${e.path}\` ${e.good} ↔ ${e.bad}`).join('; ')}. Noise: ${noiseText(k.noise)}.`);
      for (const n of names) {
        const r = k.results[n];
        if (r.failed) out.push(`- ${n}: ${r.failed} launch(es) FAILED: ${r.errors[0]?.error}`);
        if (r.loggedErrors?.length) out.push(`- ${n} logged errors: ${r.loggedErrors.join(' | ')}`);
      }
      out.push('');
      const metrics = [...new Set(names.flatMap((n) => Object.keys(k.results[n].metrics)))];
      const head = ['metric', ...names.map((n) => `${n} median (p95)`), ...(names.length === 2 ? ['ours/peer'] : [])];
      const rows = metrics.map((m) => {
        const cells = names.map((n) => {
          const s = k.results[n].metrics[m];
          if (!s || !s.n) return '-';
          return `${fmt(s.median)} (${fmt(s.p95)})${s.resultSize !== undefined ? ` [${s.resultSize} ${s.sizeUnit}]` : ''}`;
        });
        const a = k.results[names[0]]?.metrics[m]?.median;
        const b = k.results[names[1]]?.metrics[m]?.median;
        const unit = k.results[names[0]]?.metrics[m]?.unit ?? k.results[names[1]]?.metrics[m]?.unit;
        return [`${m} (${unit})`, ...cells, ...(names.length === 2 ? [typeof a === 'number' && typeof b === 'number' && b > 0 ? (a / b).toFixed(2) : '-'] : [])];
      });
      out.push(table(head, rows));
    }
    out.push('');
  }
  if (results.profiles?.length) {
    out.push('## Profiles of our server (`--cpu-prof`, one launch per case)');
    for (const p of results.profiles) {
      out.push('');
      if (p.error) {
        out.push(`- ${p.name}: ${p.error}`);
        continue;
      }
      out.push(`### ${p.name}: busy ${fmt(p.busyMs)} ms (GC ${fmt(p.gcMs)} ms), idle ${fmt(p.idleMs)} ms`);
      out.push('');
      out.push(table(['inclusive ms', 'function', 'self ms', 'function'], p.inclusive.map((x, i) => [fmt(x.ms), `\`${x.fn}\``, p.self[i] ? fmt(p.self[i].ms) : '', p.self[i] ? `\`${p.self[i].fn}\`` : ''])));
    }
    out.push('');
  }
  return out.join('\n');
}
