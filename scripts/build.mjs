// Bundles the VS Code client, the language server and the CLI with esbuild. Bundles are always minified (a
// smaller bundle loads faster: process start is most of a CLI run and of a cold server start); `--production`
// (used by `npm run package`) also drops the source maps, and so does `npm pack` (and `npm publish`), whose `prepare`
// runs this script: the package ships only dist/*.js (package.json `files`).
import * as esbuild from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production') || ['pack', 'publish'].includes(process.env.npm_command ?? '');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  logLevel: 'warning',
  // `helm-values --version` prints the package's version.
  define: { HELM_VALUES_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  // dist/server.js is the bin: V8 limits and the code cache, then the server bundle dist/server-main.js (server/src/bin.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/bin.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server-main.js' }),
  // The worker thread that compiles schemas off the server's main thread (server/src/host/schemaOffThread.ts).
  esbuild.build({ ...common, entryPoints: ['server/src/host/schemaWorker.ts'], outfile: 'dist/schemaWorker.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The cluster reader of `helm-values drift --release` with the Kubernetes client (about 1 MB): loaded only by drift.
  esbuild.build({ ...common, entryPoints: ['server/src/host/kube/liveRelease.ts'], outfile: 'dist/kube.js' }),
]);
chmodSync('dist/server.js', 0o755);
chmodSync('dist/cli.js', 0o755);
