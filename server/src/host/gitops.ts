// GitOps discovery on disk: the host side of service/gitops. It lists the workspace (YAML outside `.git`,
// `node_modules` and charts' templates/), reads files on demand, passes the process environment (helmfile's `env`)
// and probes Helm's repository cache; the result becomes environments of the charts it deploys, with layers the
// engine merges in the tool's order, and findings (`gitops.*`) with file and line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Environment, EnvironmentLayer } from '../service/chart/environments';
import { discoverEnvironments, isManifestText, isScannedPath, type DiscoveredEnvironment, type GitopsDiscovery, type GitopsFinding, type Layer } from '../service/gitops';
import type { Finding } from '../service/types';
import type { FileReader } from './chartReader';

export interface GitopsOptions {
  /** Environment variables for helmfile templates; default `process.env`. */
  env?: Readonly<Record<string, string>>;
  /** Helm's repository cache (`$HELM_CACHE_HOME/repository`); default from the environment. */
  helmCacheDir?: string;
  /** Where the workspace's files are read (a git revision, for `diff`); default the disk. */
  files?: FileReader;
}

/** A discovery of one workspace, with the time it took (listing, reading and reading manifests). */
export interface WorkspaceDiscovery {
  root: string;
  discovery: GitopsDiscovery;
  files: number;
  ms: number;
  /**
   * A manifest's text (workspace-relative path): the open text discovery read, else the file's, read once when asked
   * (inline values placed in their manifest).
   */
  text(file: string): string | undefined;
  /**
   * Whether this discovery still holds for these open texts (absolute path -> text): the open manifests it read are
   * open with the same text, and no other open text differs from what it read on disk where that matters (a manifest,
   * or a file that became one).
   */
  current(open: ReadonlyMap<string, string>): boolean;
  /** What it read, for the discovery that replaces it. */
  reads: ReadState;
}

/** What a discovery read, kept so that the next one (an open manifest changed) lists and reads only what it must. */
export interface ReadState {
  listing: string[];
  listed: Set<string>;
  /** Texts of manifests read from disk. */
  disk: Map<string, string>;
  /** Files read from disk that are no manifest. */
  plain: Set<string>;
}

/** Helm's repository cache: `$HELM_CACHE_HOME/repository`, else `$XDG_CACHE_HOME/helm/repository`, else `~/.cache/helm/repository`. */
export function helmRepositoryCache(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.HELM_CACHE_HOME) return path.join(env.HELM_CACHE_HOME, 'repository');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'helm', 'repository');
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

function readText(file: string, files?: FileReader): string | undefined {
  if (files) {
    const r = files.read(file);
    return r instanceof Uint8Array ? new TextDecoder().decode(r) : undefined;
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A folder's entries from the disk or a FileReader, as names and kinds; none when it cannot be listed. */
function entriesOf(dir: string, files?: FileReader): { name: string; kind: 'file' | 'dir' | 'other' }[] {
  if (files) {
    const r = files.list(dir);
    return Array.isArray(r) ? r.map((e) => ({ name: e.name, kind: e.kind === 'file' || e.kind === 'dir' ? e.kind : 'other' })) : [];
  }
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' }));
  } catch {
    return [];
  }
}

/** Workspace-relative paths (`/`-separated) of the files discovery reads: YAML (and Chart.yaml) outside skipped folders. */
export function listWorkspace(root: string, files?: FileReader): string[] {
  const all: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of entriesOf(dir, files)) {
      if (e.kind === 'dir') {
        if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), rel === '' ? e.name : `${rel}/${e.name}`);
      } else if (e.kind === 'file' && /\.(ya?ml|gotmpl|json)$/.test(e.name)) all.push(rel === '' ? e.name : `${rel}/${e.name}`);
    }
  };
  walk(root, '');
  const charts = new Set(all.filter((f) => /(^|\/)Chart\.yaml$/.test(f)).map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '')));
  return all.filter((f) => isScannedPath(f, (d) => charts.has(d)));
}

/**
 * Discovers the environments that manifests under `root` declare. Never throws on what the files contain. `open`: texts
 * of files open in an editor (absolute path -> text), read instead of the disk's for manifests; `previous`: the
 * discovery of the same root it replaces (open texts changed, the disk did not), whose listing and reads are reused.
 */
export function discoverWorkspace(root: string, options: GitopsOptions = {}, open?: ReadonlyMap<string, string>, previous?: WorkspaceDiscovery): WorkspaceDiscovery {
  const started = performance.now();
  const abs = path.resolve(root);
  const before = previous?.reads;
  const listing = before?.listing ?? listWorkspace(abs, options.files);
  const state: ReadState = { listing, listed: before?.listed ?? new Set(listing), disk: new Map(), plain: new Set() };
  const used = new Map<string, string>();
  const full = (p: string) => path.join(abs, p);
  const read = (p: string): string | undefined => {
    const mine = open?.get(full(p));
    if (mine !== undefined && (isManifestText(p, mine) || before?.disk.has(p) === true || state.disk.has(p))) {
      used.set(p, mine);
      return mine;
    }
    const text = before?.disk.get(p) ?? state.disk.get(p) ?? readText(full(p), options.files);
    if (text !== undefined) {
      if (isManifestText(p, text)) state.disk.set(p, text);
      else state.plain.add(p);
    }
    return text;
  };
  const cache = options.helmCacheDir ?? helmRepositoryCache();
  const env = options.env ?? (Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)) as Record<string, string>);
  const discovery = discoverEnvironments({
    files: listing,
    read,
    env,
    hasCachedChart: (archive) => fs.existsSync(path.join(cache, archive)),
    // A file plain last time is skipped, unless open with a text that now looks like a manifest (an open values.yaml
    // of 6,000 lines is otherwise read again from disk and searched six times on every edit of a manifest).
    ...(before !== undefined ? { knownPlain: (p: string) => before.plain.has(p) && !isManifestText(p, open?.get(full(p)) ?? '') } : {}),
  });
  if (before !== undefined) for (const p of before.plain) state.plain.add(p);
  const texts = new Map<string, string | undefined>();
  const text = (p: string) => {
    const t = used.get(p) ?? state.disk.get(p);
    if (t !== undefined) return t;
    if (!texts.has(p)) texts.set(p, readText(full(p), options.files));
    return texts.get(p);
  };
  // Open texts of plain files found still plain (asked on every snapshot: the same string is not tested twice).
  const stillPlain = new Map<string, string>();
  const current = (now: ReadonlyMap<string, string>): boolean => {
    for (const [p, t] of used) if (now.get(full(p)) !== t) return false;
    for (const [file, t] of now) {
      if (!file.startsWith(abs + path.sep)) continue;
      const p = path.relative(abs, file).split(path.sep).join('/');
      if (used.has(p) || !state.listed.has(p)) continue;
      const disk = state.disk.get(p);
      if (disk !== undefined) {
        if (disk !== t) return false;
      } else if (state.plain.has(p) && stillPlain.get(p) !== t) {
        if (isManifestText(p, t)) return false;
        stillPlain.set(p, t);
      }
    }
    return true;
  };
  return { root: abs, discovery, files: listing.length, ms: performance.now() - started, text, current, reads: state };
}

/** The enclosing git work tree of `dir` (the first directory at or above it holding `.git`), else undefined. */
export function gitWorkTree(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The absolute chart a discovered environment deploys: a workspace directory, or an archive in Helm's cache. */
export function chartOf(env: DiscoveredEnvironment, root: string, helmCacheDir = helmRepositoryCache()): string | undefined {
  if (env.chart.type === 'local') return path.join(root, env.chart.dir);
  if (env.chart.type === 'remote' && env.chart.cached && env.chart.cacheArchive !== undefined) return path.join(helmCacheDir, env.chart.cacheArchive);
  return undefined;
}

const ORIGIN: Record<DiscoveredEnvironment['kind'], string> = { argocd: 'Application', flux: 'HelmRelease', helmfile: 'helmfile release' };
const DETAIL: Record<DiscoveredEnvironment['kind'], string> = { argocd: 'parameter', flux: 'targetPath', helmfile: 'set' };

/** The object a layer of `env` comes from, in one phrase: `Application prod-eu`, `HelmRelease production/podinfo`. */
export function originOf(env: DiscoveredEnvironment): string {
  return `${ORIGIN[env.kind]} ${env.name}`;
}

/**
 * A discovered environment as the engine's Environment for the chart at `chartDir` (absolute): files relative to
 * the chart, manifests' lines as `display` shows their files, `--set-file` paths absolute.
 */
export function engineEnvironment(env: DiscoveredEnvironment, root: string, chartDir: string, display: (abs: string) => string, read?: (file: string) => string | undefined): Environment {
  const origin = originOf(env);
  const abs = (p: string) => path.join(root, p);
  const place = (at: Layer['at']) => ({ file: display(abs(at.file)), line: at.line, column: at.column });
  const layers: EnvironmentLayer[] = [];
  const values: string[] = [];
  for (const l of env.layers) {
    if (l.type === 'file') {
      const rel = l.inChart ? l.path : path.relative(chartDir, abs(l.path)).split(path.sep).join('/');
      const flags = { ...(l.replacesChartDefaults ? { defaults: true } : {}), ...(l.sops ? { sops: true } : {}) };
      if (l.text !== undefined) layers.push({ type: 'inline', file: display(l.inChart ? path.join(chartDir, l.path) : abs(l.path)), text: l.text, line: 0, column: 0, origin, ...flags });
      else {
        layers.push({ type: 'file', path: rel, ...flags });
        values.push(rel);
      }
    } else if (l.type === 'inline') {
      const whole = l.source.exact ? read?.(l.source.file) : undefined;
      const placed = whole !== undefined ? placeInManifest(whole, l.source) : undefined;
      layers.push({ type: 'inline', file: display(abs(l.source.file)), text: placed ?? l.source.text, line: l.source.line, column: l.source.column, origin, ...(placed !== undefined ? { placed: true } : {}), ...(l.merge === 'merge-patch' ? { mergePatch: true } : {}) });
    } else {
      const eq = l.arg.indexOf('=');
      const key = eq < 0 ? l.arg : l.arg.slice(0, eq);
      const arg = l.type === 'set-file' && eq >= 0 ? `${key}=${abs(l.arg.slice(eq + 1))}` : l.arg;
      layers.push({ type: 'flag', flag: l.type, arg, at: place(l.at), origin, detail: `${l.type === 'set-file' && env.kind === 'argocd' ? 'fileParameter' : DETAIL[env.kind]} ${key}` });
    }
  }
  const at = place(env.definedAt);
  return { name: env.name, origin: 'config', values, set: [], setString: [], setJson: [], setFile: [], setLiteral: [], layers, discovered: { kind: env.kind, ...at, label: origin } };
}

/**
 * Inline values at their place in the manifest's own text: everything before them and left of their column blanked
 * (newlines kept), the text cut after them, so that offsets, lines and columns are the manifest's. Undefined when the
 * manifest's bytes there are not the values' text (it changed since discovery).
 */
export function placeInManifest(manifest: string, source: { text: string; line: number; column: number }): string | undefined {
  const lines = manifest.split('\n');
  const own = source.text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < source.line; i++) out.push(' '.repeat((lines[i] ?? '').length));
  for (let i = 0; i < own.length; i++) {
    const line = lines[source.line + i];
    const mine = own[i] ?? '';
    if (line === undefined) return undefined;
    const body = line.slice(source.column).replace(/\r$/, '');
    if (mine !== '' && body !== mine) return undefined;
    out.push(mine === '' ? ' '.repeat(line.length) : ' '.repeat(source.column) + line.slice(source.column));
  }
  return out.join('\n') + '\n';
}

/** A discovery finding as a finding of the project, on the manifest's line. */
export function gitopsFinding(f: GitopsFinding, root: string, display: (abs: string) => string): Finding {
  return { file: display(path.join(root, f.file)), line: f.line, column: f.column, endLine: f.line, endColumn: f.column + 1, severity: f.severity, code: f.code, message: f.message };
}
