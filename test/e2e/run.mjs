#!/usr/bin/env node
// `npm run test:e2e`: setup (idempotent installs), build, package, then the real editors: the extension-host suite
// and the UI check in code-server, and the Neovim smoke test; last, the packed CLI installed with `npm install -g`
// and run by pre-commit's hook. Prints each step's time and a closing
// `e2e: N passed, N failed[, N skipped]` line; the exit code is 0 only when nothing failed.
// A failing setup, build or package step counts as one failure and stops the run (nothing after it can work).
// Env: E2E_ONLY=codeServer,neovim,preCommit (run only these editor steps), E2E_SKIP_SETUP=1; the drivers' own variables pass through.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** [name, command, args, kind]: 'prepare' steps must succeed; 'tests' steps report E2E_RESULT counts. */
const STEPS = [
  ['setup', 'bash', ['test/e2e/setup.sh'], 'prepare'],
  ['build', 'node', ['scripts/build.mjs'], 'prepare'],
  ['build suite', 'node', ['test/e2e/build.mjs'], 'prepare'],
  ['package', npm, ['run', '--silent', 'package'], 'prepare'],
  ['codeServer', 'node', ['test/e2e/codeServer.mjs', 'all'], 'tests'],
  ['neovim', 'sh', ['test/e2e/neovim.sh'], 'tests'],
  ['preCommit', 'bash', ['test/e2e/preCommit.sh'], 'tests'],
];

function runStep(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, E2E_AGGREGATED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let result;
    let pending = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^E2E_RESULT (\{.*\})\s*$/.exec(line);
        if (m) result = JSON.parse(m[1]);
      }
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', (e) => resolve({ code: 127, error: e }));
    child.on('close', (code) => resolve({ code: code ?? 1, result }));
  });
}

const only = process.env.E2E_ONLY?.split(',').map((s) => s.trim());
const total = { passed: 0, failed: 0, skipped: 0 };
const times = [];
const t0 = Date.now();
for (const [name, command, args, kind] of STEPS) {
  if (kind === 'tests' && only && !only.includes(name)) continue;
  if (name === 'setup' && process.env.E2E_SKIP_SETUP) continue;
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const t = Date.now();
  const { code, result, error } = await runStep(command, args);
  const secs = (Date.now() - t) / 1000;
  times.push(`${name} ${secs.toFixed(1)} s`);
  if (kind === 'prepare') {
    if (code !== 0) {
      console.log(`=== ${name} FAILED (exit ${code}${error ? `: ${error.message}` : ''}); stopping`);
      total.failed++;
      break;
    }
    continue;
  }
  const r = result ?? { passed: 0, failed: 0, skipped: 0 };
  // A driver that died without counting, or exited non-zero with nothing failed, still failed.
  if (code !== 0 && r.failed === 0) r.failed = 1;
  for (const k of Object.keys(total)) total[k] += r[k] ?? 0;
  console.log(`=== ${name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${secs.toFixed(1)} s)`);
}
console.log(`\ntimes: ${times.join(', ')}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`e2e: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
