// Section (b): the CLI as a user runs it, whole process (spawn -> exit, output read), median of N spawns,
// commands interleaved round-robin so host noise spreads evenly; `node -e ""` shows what process start costs here.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { charts, kpsTwoOverlays } from './cases.mjs';
import { noiseMeter, stats, waitedChildrenCpuMs } from './stats.mjs';

/**
 * A git repository (temporary) holding kube-prometheus-stack at two commits: the second edits values.yaml (a flag,
 * an image tag) and one ci overlay, what a typical pull request does. Returns the chart directory in it.
 */
function kpsTwoCommits() {
  const dir = mkdtempSync(path.join(tmpdir(), 'hv-bench-diff-'));
  const chart = path.join(dir, 'kube-prometheus-stack');
  cpSync(charts.kps, chart, { recursive: true });
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q');
  git('-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'add', '-A');
  git('-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'commit', '-q', '-m', 'base');
  const values = path.join(chart, 'values.yaml');
  writeFileSync(values, readFileSync(values, 'utf8').replace(/enabled: true/, 'enabled: false').replace(/tag: ""/, 'tag: "v9.9.9"'));
  const overlay = path.join(chart, 'ci', readdirSync(path.join(chart, 'ci')).sort()[0]);
  writeFileSync(overlay, readFileSync(overlay, 'utf8') + '\nbenchExtra:\n  replicas: 2\n');
  git('-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'commit', '-q', '-a', '-m', 'head');
  return { dir, chart };
}

export function runCli(repoRoot, o, log) {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const kps = path.relative(repoRoot, charts.kps);
  const f = kpsTwoOverlays.flatMap((x) => ['-f', path.join(kps, x)]);
  const diffRepo = kpsTwoCommits();
  const commands = [
    { name: 'node -e ""', argv: ['-e', ''], note: 'process start baseline' },
    { name: 'helm-values --version', argv: [cli, '--version'], note: 'start + loading the CLI bundle' },
    { name: 'helm-values-language-server --version', argv: [path.join(repoRoot, 'dist', 'server.js'), '--version'], note: 'start + loading the server bundle (part of the LSP cold start)' },
    { name: 'effective kps -f -f -o json', argv: [cli, 'effective', kps, ...f, '-o', 'json'], target: 'cli', note: '<kps> = test/fixtures/corpus/charts/prometheus-community__helm-charts/charts/kube-prometheus-stack' },
    { name: 'effective kps -f -f -o yaml', argv: [cli, 'effective', kps, ...f, '-o', 'yaml'], target: 'cli' },
    { name: 'check kps', argv: [cli, 'check', kps], target: 'cli' },
    { name: 'diff kps --base HEAD~1 --head HEAD -o json', argv: [cli, 'diff', diffRepo.chart, '--base', 'HEAD~1', '--head', 'HEAD', '-o', 'json'], target: 'diff', note: 'every environment (5 ci overlays + default) at two commits of a temporary repository, both read with git' },
  ];
  log(`\n# CLI, whole process: ${o.cliReps} spawns each (after 1 warm-up), round-robin; cwd ${repoRoot}`);
  const noise = noiseMeter();
  const samples = commands.map(() => []);
  const cpu = commands.map(() => []);
  const info = commands.map(() => ({}));
  for (let rep = -1; rep < o.cliReps; rep++) {
    for (const [i, c] of commands.entries()) {
      const c0 = waitedChildrenCpuMs();
      const t = performance.now();
      const r = spawnSync(process.execPath, c.argv, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const ms = performance.now() - t;
      if (rep >= 0) cpu[i].push(waitedChildrenCpuMs() - c0);
      if (r.status !== 0 && !(c.name.startsWith('check') && r.status === 1)) throw new Error(`${c.name} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
      if (rep >= 0) samples[i].push(ms);
      info[i] = { exit: r.status, stdoutBytes: Buffer.byteLength(r.stdout ?? '') };
    }
  }
  rmSync(diffRepo.dir, { recursive: true, force: true });
  const shown = (a) => (a === '' ? '""' : a === diffRepo.chart ? '<kps in a temporary repository>' : path.isAbsolute(a) ? path.relative(repoRoot, a) : a).replace(kps, '<kps>');
  const rows = commands.map((c, i) => ({ name: c.name, command: `node ${c.argv.map(shown).join(' ')}`, note: c.note ?? '', target: c.target, ...stats(samples[i]), cpu: stats(cpu[i]).median, ...info[i] }));
  for (const r of rows) log(`  ${r.name}: median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms (exit ${r.exit}, ${r.stdoutBytes} bytes out)`);
  return { reps: o.cliReps, rows, noise: noise.stop() };
}
