// Runs every *.test.ts under test/ with Node's built-in test runner (TypeScript through tsx).
// Usage: node test/run.mjs [filter-substring]
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filter = process.argv[2];
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'fixtures' || name === 'node_modules' || name === 'e2e') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts') && (!filter || p.includes(filter))) files.push(relative(root, p));
  }
})(join(root, 'test'));
files.sort();
// Compiled validators that tests' CLI runs and servers persist go to a folder of this run, not the user's cache.
const env = { ...process.env };
env.HELM_VALUES_VALIDATOR_CACHE_DIR ??= mkdtempSync(join(tmpdir(), 'helm-values-test-validators-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
