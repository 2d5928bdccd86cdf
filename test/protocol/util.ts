// Helpers for the protocol tests: make sure dist/ is built from the current sources, run the built CLI, copy charts
// to temporary folders, start a server on a folder and stop it cleanly, and put CLI findings and LSP diagnostics in one
// comparable shape.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver';
import { LspClient, repoRoot } from './lspClient';

export const cliPath = path.join(repoRoot, 'dist', 'cli.js');
export const corpus = path.join(repoRoot, 'test', 'fixtures', 'corpus', 'charts');
export const webapp = path.join(repoRoot, 'examples', 'webapp');
export const kubePrometheusStack = path.join(corpus, 'prometheus-community__helm-charts', 'charts', 'kube-prometheus-stack');
export const redis = path.join(corpus, 'bitnami__charts', 'bitnami', 'redis');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (`node scripts/build.mjs`) when the server or CLI bundle is missing or older than the sources. */
export function ensureBuilt(): void {
  const bundles = ['server.js', 'cli.js'].map((f) => path.join(repoRoot, 'dist', f));
  const built = Math.min(...bundles.map((b) => (fs.existsSync(b) ? fs.statSync(b).mtimeMs : 0)));
  if (built > newestMtime(path.join(repoRoot, 'server', 'src'))) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node scripts/build.mjs failed: ${r.stderr}`);
}

/** A finding as `helm-values check -o json` prints it. */
export interface CliFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

/** Runs `node dist/cli.js check ... -o json` and returns its findings. */
export function cliCheck(args: string[], cwd = repoRoot): CliFinding[] {
  const r = spawnSync(process.execPath, [cliPath, 'check', ...args, '-o', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`helm-values check ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { findings: CliFinding[] }).findings;
}

/** CLI findings grouped by absolute file path. */
export function byFile(findings: CliFinding[], cwd = repoRoot): Map<string, CliFinding[]> {
  const m = new Map<string, CliFinding[]>();
  for (const f of findings) {
    const abs = path.resolve(cwd, f.file);
    m.set(abs, [...(m.get(abs) ?? []), f]);
  }
  return m;
}

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

/**
 * One line per finding, `line:column-endLine:endColumn severity code message` (1-based), sorted. LSP ranges are
 * never empty, so a CLI finding whose end is not after its start is compared as one character long.
 */
export function cliLines(findings: readonly CliFinding[]): string[] {
  return findings
    .map((f) => {
      const endColumn = f.endLine === f.line && f.endColumn <= f.column ? f.column + 1 : f.endColumn;
      return `${f.line}:${f.column}-${f.endLine}:${endColumn} ${f.severity} ${f.code} ${f.message}`;
    })
    .sort();
}

export function lspLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${SEVERITY[d.severity ?? 1]} ${String(d.code)} ${d.message}`)
    .sort();
}

export const codes = (diagnostics: readonly Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));

/** A fresh copy of a chart directory in a temporary folder (real path, so URIs match what the server sees). */
export function tempCopy(chartDir: string, name = path.basename(chartDir)): { root: string; chart: string; dispose: () => void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-protocol-')));
  const chart = path.join(root, name);
  fs.cpSync(chartDir, chart, { recursive: true });
  return { root, chart, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** A fresh temporary folder (real path, so URIs match what the server sees) holding `files` (paths relative to it). */
export function tempFolder(prefix: string, files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Starts the built server (building it first when needed) on one workspace folder, with default settings. */
export async function startServer(folder: string): Promise<LspClient> {
  ensureBuilt();
  return LspClient.start({ workspaceFolders: [folder], settings: { helmValues: {} } });
}

/** Shuts the server down, then requires exit code 0 and no error logged by the server. */
export async function shutdownCleanly(c: LspClient): Promise<void> {
  const r = await c.shutdown();
  assert.equal(r.code, 0);
  assert.deepEqual(c.messages.filter((m) => m.type === 1), [], 'the server logged no errors');
}

/** The markdown text of a hover, failing when there is no hover or it is not markdown. */
export function hoverMarkdown(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const m = h.contents as MarkupContent;
  assert.equal(m.kind, 'markdown');
  return m.value;
}

/** Replaces the first occurrence of `search` in a text, failing loudly when it is absent. */
export function edit(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0) throw new Error(`${JSON.stringify(search)} not found`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}
