// Bundles the extension-host test suite (test/e2e/suite/index.ts and *.test.ts) to dist-test/suite/ with esbuild.
// `vscode` is provided by the extension host; `mocha` is loaded from node_modules (its reporters load dynamically).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suite = path.join(root, 'test/e2e/suite');
const entryPoints = readdirSync(suite).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => path.join(suite, f));
rmSync(path.join(root, 'dist-test'), { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: path.join(root, 'dist-test/suite'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
// Build output, never committed: the folder ignores itself.
writeFileSync(path.join(root, 'dist-test/.gitignore'), '*\n');
