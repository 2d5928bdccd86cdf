// Helpers for the CLI tests: run the built CLI (dist/cli.js) as a child process, build small charts on disk,
// and compare values the way Helm's tests do (dotted-path lookup, numbers by value).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

if (!fs.existsSync(cliPath)) {
  throw new Error(`${cliPath} does not exist: run \`node scripts/build.mjs\` before the CLI tests`);
}

/** A finding as `helm-values check -o json` prints it (the type the protocol tests use too). */
export type { CliFinding } from '../protocol/util';

/** Runs the CLI synchronously. */
export function cli(args: string[], cwd: string, timeoutMs = 30_000): CliResult {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}

/** Runs the CLI as an asynchronous child process (for tests that run many invocations concurrently). */
export function cliAsync(args: string[], cwd: string, timeoutMs = 60_000): Promise<CliResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0 });
    });
  });
}

/** Parses stdout as JSON, failing the test with the CLI's output when it is not JSON. */
export function json<T = unknown>(r: CliResult, label = ''): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    assert.fail(`${label} stdout is not JSON (exit ${r.code}):\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
  }
}

/** Describes a run for assertion messages. */
export function show(r: CliResult): string {
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}\nstdout: ${r.stdout.slice(0, 3000)}\nstderr: ${r.stderr.slice(0, 3000)}`;
}

/** A fresh temporary directory (removed at process exit). */
export function tempDir(prefix = 'hv-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes `files` (relative path -> text or bytes) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

export function chartYaml(name: string, extra = ''): string {
  return `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${extra}`;
}

// Dotted-path lookup and YAML equality: the same as the unit vector tests use.
export { assertYamlEqual, lookup } from '../unit/vectorUtil';
