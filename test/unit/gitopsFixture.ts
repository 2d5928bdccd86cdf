// Test helpers for GitOps discovery: a workspace from a fixture folder (test/fixtures/gitops/<repo>/) or from inline
// `#- path` files, and one-line summaries of layers and findings so that tests read as data.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverEnvironments } from '../../server/src/service/gitops/discover';
import type { DiscoveredEnvironment, GitopsDiscovery, GitopsWorkspace, Layer } from '../../server/src/service/gitops/types';
import { dedent, parseFixture } from './fixture';

const root = fileURLToPath(new URL('../fixtures/gitops/', import.meta.url));

/** The files of a corpus repository copied under test/fixtures/gitops/<repo>/, plus extra files written by the test. */
export function corpusFiles(repo: string, extra: Record<string, string> = {}): Map<string, string> {
  const base = join(root, repo);
  const files = new Map<string, string>();
  (function walk(dir: string) {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(base, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  })(base);
  for (const [k, v] of Object.entries(extra)) files.set(k, dedent(v));
  return files;
}

/** Files written inline with `#- path` headers (paths relative to the workspace, no leading slash). */
export function inlineFiles(text: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [k, v] of parseFixture(dedent(text)).files) files.set(k.replace(/^\//, ''), v);
  return files;
}

export function workspace(files: Map<string, string>, options: { env?: Record<string, string>; cached?: string[] } = {}): GitopsWorkspace {
  return {
    files: [...files.keys()],
    read: (p) => files.get(p),
    ...(options.env ? { env: options.env } : {}),
    ...(options.cached ? { hasCachedChart: (a: string) => (options.cached ?? []).includes(a) } : {}),
  };
}

export function discover(files: Map<string, string>, options?: { env?: Record<string, string>; cached?: string[] }): GitopsDiscovery {
  return discoverEnvironments(workspace(files, options));
}

/** `file <path> @<file>:<line>`, `inline <file>:<line>`, `set <arg> @<file>:<line>` ... */
export function layerLine(l: Layer): string {
  const at = `@${l.at.file}:${l.at.line}`;
  if (l.type === 'file') return `file ${l.path}${l.inChart ? ' (in chart)' : ''}${l.replacesChartDefaults ? ' (defaults)' : ''}${l.sops ? ' (sops)' : ''} ${at}`;
  if (l.type === 'inline') return `inline${l.merge === 'merge-patch' ? ' (merge patch)' : ''} ${at}`;
  return `${l.type} ${l.arg} ${at}`;
}

export function layers(env: DiscoveredEnvironment | undefined): string[] {
  return env ? env.layers.map(layerLine) : ['(no such environment)'];
}

export function byName(d: GitopsDiscovery, name: string): DiscoveredEnvironment | undefined {
  return d.environments.find((e) => e.name === name);
}

/** `<severity> <code> <file>:<line>` for each finding. */
export function findingLines(d: { findings: GitopsDiscovery['findings'] }): string[] {
  return d.findings.map((f) => `${f.severity} ${f.code} ${f.file}:${f.line}`);
}
