// Bundles bench/engine.ts (service, host, CLI `run`, the LSP client) into bench/out/engine.cjs with esbuild, the way
// scripts/build.mjs bundles dist/, so in-process figures are those of the shipped code.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const enginePath = fileURLToPath(new URL('../out/engine.cjs', import.meta.url));

/** Builds and loads the engine bundle. */
export async function loadEngine() {
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../engine.ts', import.meta.url))],
    outfile: enginePath,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(enginePath);
}
