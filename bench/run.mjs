#!/usr/bin/env node
// `npm run bench`: how fast helm-values is, and how it compares with yaml-language-server, on real charts from
// test/fixtures/corpus. Sections: (a) the engine in process, (b) the CLI as whole processes, (c) the language
// servers over stdio, interleaved. Prints a markdown report (targets with PASS/MISS first), writes it to
// bench/results/latest.md, and the raw figures to --json FILE. Run it when the machine is quiet: the report says
// how busy the host was.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { loadEngine, repoRoot, benchDir } from './lib/build.mjs';
import { lspCases } from './lib/cases.mjs';
import { runCli } from './lib/cli.mjs';
import { runDiscovery } from './lib/discovery.mjs';
import { runInProcess } from './lib/inprocess.mjs';
import { profileLsp, runLsp } from './lib/lsp.mjs';
import { evaluateRatios, evaluateTargets, markdown } from './lib/report.mjs';
import { hostBusy } from './lib/stats.mjs';

const HELP = `node --expose-gc bench/run.mjs [options]      (npm run bench -- [options])

  --quick              fewer repetitions (CI smoke): 1 launch per server per case, 4 edits, 2 queries, 3 CLI spawns
  --json FILE          also write every figure (raw samples included) as JSON
  --only a,b,c         sections to run: inprocess, cli, discovery, lsp (default all)
  --cases NAMES        LSP cases, comma-separated substrings of: ${lspCases.map((c) => c.name).join(', ')}
  --no-peer            run our server only (no yaml-language-server)
  --node-flags FLAGS   launch our server with these node flags (space-separated; default none, as Neovim/Emacs do)
  --reps N             LSP launches per server per case (default 5)
  --edits N            edits per edit line per launch (default 10, alternating invalid/valid)
  --queries N          hover/completion requests per position per launch (default 5)
  --profile            then one launch of our server per case under --cpu-prof; top functions in the report
                       (profiles kept in bench/out/profiles/)
  --wait-quiet SECS    first wait up to SECS for the host to be quiet (other processes under 0.25 cores)
  --out FILE           markdown report path (default bench/results/latest.md)
  -h, --help`;

function parseArgs(argv) {
  const o = {
    sections: ['inprocess', 'cli', 'discovery', 'lsp'],
    caseFilter: null,
    peer: true,
    reps: 5,
    warmup: 1,
    edits: 10,
    queries: 5,
    pauseMs: 100,
    timeoutMs: 120_000,
    cliReps: 10,
    inprocessReps: 30,
    inprocessWarmup: 5,
    checkReps: 10,
    coldReps: 5,
    profile: false,
    nodeFlags: [],
    json: null,
    out: path.join(benchDir, 'results', 'latest.md'),
  };
  const need = (i) => {
    if (i + 1 >= argv.length) throw new Error(`missing value for ${argv[i]}`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(HELP);
      process.exit(0);
    } else if (a === '--quick') Object.assign(o, { reps: 1, warmup: 0, edits: 4, queries: 2, cliReps: 3, inprocessReps: 5, inprocessWarmup: 2, checkReps: 3, coldReps: 1, quick: true });
    else if (a === '--json') o.json = path.resolve(need(i++));
    else if (a === '--out') o.out = path.resolve(need(i++));
    else if (a === '--only') o.sections = need(i++).split(',');
    else if (a === '--cases') o.caseFilter = need(i++).split(',');
    else if (a === '--no-peer') o.peer = false;
    else if (a === '--node-flags') o.nodeFlags = need(i++).split(' ').filter(Boolean);
    else if (a === '--reps') o.reps = Number(need(i++));
    else if (a === '--edits') o.edits = Number(need(i++));
    else if (a === '--queries') o.queries = Number(need(i++));
    else if (a === '--profile') o.profile = true;
    else if (a === '--wait-quiet') o.waitQuiet = Number(need(i++));
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  o.cases = o.caseFilter ? lspCases.filter((c) => o.caseFilter.some((f) => c.name.includes(f))) : lspCases;
  return o;
}

async function main() {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  const log = (s) => process.stderr.write(s + '\n');
  if (!existsSync(path.join(repoRoot, 'dist', 'server.js'))) throw new Error('dist/ is not built: run `node scripts/build.mjs` (npm run bench does)');
  if (o.peer && o.sections.includes('lsp') && !existsSync(path.join(repoRoot, 'node_modules', 'yaml-language-server'))) {
    log('yaml-language-server is not installed (npm ci installs it as a devDependency): running without the peer');
    o.peer = false;
  }
  if (!globalThis.gc) log('note: run with --expose-gc (npm run bench does) for a GC before each in-process sample');
  const engine = await loadEngine();
  log(`host: sampling how busy the machine is (2 s)...`);
  let busyBefore = await hostBusy(2000);
  const waitUntil = Date.now() + (o.waitQuiet ?? 0) * 1000;
  while (busyBefore.busyCores > 0.25 && Date.now() < waitUntil) {
    log(`host: ${busyBefore.busyCores.toFixed(2)} cores busy; waiting for quiet (up to ${Math.round((waitUntil - Date.now()) / 1000)} s more)`);
    busyBefore = await hostBusy(5000);
  }
  log(`host: ${busyBefore.busyCores.toFixed(2)} of ${busyBefore.cores} cores busy before the run${busyBefore.busyCores > 0.25 ? ' (NOISY: figures will be slower and wider than on a quiet machine)' : ''}`);
  const results = {
    tool: 'helm-values bench',
    date: new Date().toISOString(),
    argv,
    options: { nodeFlags: o.nodeFlags, reps: o.reps, warmup: o.warmup, edits: o.edits, queries: o.queries, pauseMs: o.pauseMs, cliReps: o.cliReps, inprocessReps: o.inprocessReps },
    host: { node: process.version, platform: `${os.type()} ${os.release()}`, cpuModel: os.cpus()[0]?.model ?? '?', cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), busyBefore },
  };
  if (o.sections.includes('inprocess')) results.inprocess = runInProcess(engine, o, log);
  if (o.sections.includes('cli')) results.cli = runCli(repoRoot, o, log);
  if (o.sections.includes('discovery')) results.discovery = runDiscovery(o, log);
  if (o.sections.includes('lsp')) results.lsp = await runLsp(engine, repoRoot, o, log);
  if (o.profile) results.profiles = await profileLsp(engine, repoRoot, o, path.join(benchDir, 'out', 'profiles'), log);
  results.host.busyAfter = await hostBusy(2000);
  results.targets = evaluateTargets(results);
  results.ratios = evaluateRatios(results);
  const md = markdown(results);
  process.stdout.write(md + '\n');
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, md + '\n');
  log(`\nreport written to ${path.relative(process.cwd(), o.out)}`);
  if (o.json) {
    writeFileSync(o.json, JSON.stringify(results, null, 1));
    log(`figures written to ${o.json}`);
  }
  const failed = results.lsp?.cases.some((c) => Object.values(c.results).some((r) => r.failed > 0));
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`bench: ${e?.stack ?? e}\n`);
  process.exit(1);
});
