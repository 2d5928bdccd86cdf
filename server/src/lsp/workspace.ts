// The language server's view of the workspace: the project model (host/projectModel.ts) for each chart, overlaid
// with the texts of open documents, turned into immutable ChartAnalysis snapshots on demand. Disk reads, parsed
// documents and compiled schemas live in the HostCaches the server owns; this object keeps only the snapshots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChartAnalysis } from '../service/analysis';
import { IGNORE_FILE_NAME } from '../service/secrets/ignoreFile';
import type { Finding } from '../service/types';
import type { Settings } from '../protocol';
import { findChartRoot } from '../host/chartReader';
import { formatRelease } from '../service/helm/versions';
import { chartOf, type WorkspaceDiscovery } from '../host/gitops';
import { DEFAULT_HELM, helmRelease, HostCaches, openProject, settingsEnvironments, type HelmChoice, type ProjectRequest } from '../host/projectModel';
import { openGitRevision } from '../host/gitRevision';

export interface OpenDocument {
  text: string;
  version: number;
}

export interface Snapshot {
  chartDir: string;
  analysis: ChartAnalysis;
  settings: Settings;
  helm: HelmChoice;
  /** Configuration problems as findings (`config.*`), published with the chart's findings. */
  problems: Finding[];
}

/** The outermost chart containing a file: a subchart under `charts/` belongs to its parent's analysis. */
export function outermostChart(file: string): string | undefined {
  let root = findChartRoot(file);
  while (root !== undefined) {
    const parent = path.dirname(root);
    if (path.basename(parent) !== 'charts') break;
    const grand = path.dirname(parent);
    if (!fs.existsSync(path.join(grand, 'Chart.yaml'))) break;
    root = grand;
  }
  return root;
}

/** Whether a file lies in a `templates/` folder: a Go template, never a values file (no YAML problems, no outline). */
export function inTemplatesFolder(file: string): boolean {
  return /[\\/]templates[\\/]/.test(file);
}

/**
 * The editor's release: the setting, read by the project model's one parser; an invalid value is a warning and the
 * newest Helm 4 is used.
 */
export function settingsRelease(settings: Settings): { helm: HelmChoice; warnings: { code: string; message: string }[] } {
  const r = helmRelease(settings.helmVersion);
  if (!('error' in r)) return { helm: r, warnings: [] };
  return { helm: DEFAULT_HELM, warnings: [{ code: 'config.helm-version', message: `helmValues.helmVersion: ${r.error}; using Helm ${formatRelease(DEFAULT_HELM.release)}` }] };
}

/** Files whose chart `Workspace.chartOfFile` keeps before it starts again. */
const MAX_CHART_ROOTS = 1000;

/** A chart's snapshot, the stamp of what it was made from, and what it was last checked against. */
interface CachedSnapshot {
  readonly stamp: string;
  readonly snapshot: Snapshot;
  readonly gitops: WorkspaceDiscovery | undefined;
  readonly open: ReadonlyMap<string, OpenDocument>;
  readonly settings: Settings;
  readonly generation: number;
}

export class Workspace {
  private readonly snapshots = new Map<string, CachedSnapshot>();
  /** Counts what can change a snapshot besides the open texts and the settings: file events, clears, remote documents. */
  private generation = 0;
  /**
   * The outermost chart of each file a request or a check was about (`outermostChart` reads the folders above it: on
   * kube-prometheus-stack 0.4-0.7 ms of every hover after a pause, more than the hover itself). Forgotten on any file
   * event (a Chart.yaml may have come or gone), on clear, and for a file as it opens (a client that watches no files).
   */
  private readonly chartRoots = new Map<string, string | undefined>();
  /** Workspace folders (absolute); `chart:` in settings is relative to the folder holding the chart. */
  roots: string[] = [];

  /**
   * `openDocuments` hands out the open documents by path: a new map whenever one opens, changes or closes. A request's
   * snapshot is kept while the map is the same object (with the same settings and no file event), so a map changed in
   * place is not seen.
   */
  constructor(
    private readonly openDocuments: () => ReadonlyMap<string, OpenDocument>,
    readonly caches: HostCaches = new HostCaches(),
  ) {}

  get documents() {
    return this.caches.documents;
  }

  /** A file that opens may lie in a chart made since it was last asked about (a client that watches no files). */
  opened(file: string): void {
    this.chartRoots.delete(file);
  }

  /** Forgets disk contents under the given absolute paths (from file watching). */
  invalidate(paths: readonly string[]): void {
    this.generation++;
    this.chartRoots.clear();
    // The secrets ignore file lives above the charts: every snapshot may read it.
    if (paths.some((p) => path.basename(p) === IGNORE_FILE_NAME)) this.snapshots.clear();
    const open = this.openDocuments();
    for (const dir of this.caches.invalidate(paths, (p) => open.has(p))) {
      this.snapshots.delete(dir);
      // A workspace folder whose discovery was dropped (a manifest changed): every chart under it may deploy differently.
      for (const d of [...this.snapshots.keys()]) if (d.startsWith(dir + path.sep)) this.snapshots.delete(d);
    }
    for (const dir of [...this.snapshots.keys()]) if (paths.some((p) => p === dir || p.startsWith(dir + path.sep))) this.snapshots.delete(dir);
  }

  /** Drops every snapshot and host cache (helmValues/clearCaches, workspace folders changed). */
  clear(): void {
    this.generation++;
    this.chartRoots.clear();
    this.snapshots.clear();
    this.caches.clear();
  }

  /** Remote URLs the schemas of a snapshot's chart still wait for (empty unless fetching is on). */
  pendingRemoteSchemas(snapshot: Snapshot): string[] {
    return snapshot.settings.fetchRemoteRefs ? this.caches.schemas.pendingRemote(snapshot.analysis.model) : [];
  }

  /** Remote documents arrived: schemas that reference them compile again, and charts are re-checked on demand. */
  remoteSchemasArrived(): void {
    this.generation++;
    this.caches.remoteSchemasArrived();
    this.snapshots.clear();
  }

  /**
   * The snapshot without schema validation when a schema of its chart still has to be compiled (undefined when all
   * are compiled or there are none): what can be published before ajv spends hundreds of milliseconds on a large one.
   */
  withoutPendingSchemas(snapshot: Snapshot): Snapshot | undefined {
    if (this.caches.schemas.isCompiled(snapshot.analysis.model, snapshot.helm.schemaDraft, snapshot.settings.fetchRemoteRefs, snapshot.chartDir, snapshot.chartDir)) return undefined;
    const input = { ...snapshot.analysis.input };
    delete input.schemas;
    return { ...snapshot, analysis: new ChartAnalysis(input) };
  }

  /**
   * Compiles the schemas of a snapshot's chart that are not compiled yet on a worker thread; resolves when a lookup
   * would no longer compile them on this thread. Never rejects.
   */
  compileSchemasOffThread(snapshot: Snapshot): Promise<void> {
    return this.caches.schemas.compileOffThread(snapshot.analysis.model, snapshot.helm.schemaDraft, snapshot.chartDir, snapshot.chartDir);
  }

  /**
   * The chart a request about `file` concerns: the chart holding it, else (a GitOps manifest that deploys a chart or
   * carries inline values for one) the chart a deployment declared there deploys, from the discovery of its folder.
   */
  chartOfFile(file: string): string | undefined {
    let dir = this.chartRoots.get(file);
    if (dir === undefined && !this.chartRoots.has(file)) {
      if (this.chartRoots.size >= MAX_CHART_ROOTS) this.chartRoots.clear();
      dir = outermostChart(file);
      this.chartRoots.set(file, dir);
    }
    if (dir !== undefined) return dir;
    const root = this.rootOf(file);
    if (root === undefined || !/\.(ya?ml|gotmpl)$/.test(file)) return undefined;
    const run = this.caches.gitops(root);
    const rel = path.relative(run.root, file).split(path.sep).join('/');
    for (const env of run.discovery.environments) {
      if (env.definedAt.file !== rel && !env.layers.some((l) => l.type === 'inline' && l.source.file === rel)) continue;
      const chart = chartOf(env, run.root);
      if (chart !== undefined && !chart.endsWith('.tgz')) return chart;
    }
    return undefined;
  }

  /**
   * The manifests of every workspace folder that deploy a chart of the workspace or carry inline values for one
   * (absolute, sorted): the files a client adds to its document selector (GitopsManifestsNotification).
   */
  gitopsManifests(): string[] {
    const out = new Set<string>();
    for (const root of this.roots) {
      const run = this.caches.gitops(root);
      for (const env of run.discovery.environments) {
        const chart = chartOf(env, run.root);
        if (chart === undefined || chart.endsWith('.tgz')) continue;
        out.add(path.join(run.root, env.definedAt.file));
        for (const l of env.layers) if (l.type === 'inline') out.add(path.join(run.root, l.source.file));
      }
    }
    return [...out].sort();
  }

  /** Starts ajv's compiles of the schemas validated by interpretation so far (after the check that used them). */
  startSchemaCompiles(): void {
    this.caches.schemas.startCompilesBehind();
  }

  /** The workspace folder holding a chart (the innermost), if any. */
  rootOf(chartDir: string): string | undefined {
    return this.roots.filter((r) => chartDir === r || chartDir.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  }

  /** What the project model is asked for a chart under these settings (the CLI builds the same from its flags). */
  projectRequest(chartDir: string, settings: Settings, open: ReadonlyMap<string, string>): ProjectRequest {
    const root = this.rootOf(chartDir);
    const release = settingsRelease(settings);
    return {
      chartDir,
      workspaceRoot: root,
      helm: release.helm,
      settingWarnings: release.warnings,
      environments: [settingsEnvironments(settings.environments, root, settings.owners)],
      secrets: settings.secrets,
      fetchRemoteRefs: settings.fetchRemoteRefs,
      open,
      // Argo CD, Flux and helmfile manifests of the workspace folder give more environments (discovered once per folder).
      ...(root !== undefined ? { gitops: { workspace: root } } : {}),
      caches: this.caches,
    };
  }

  /** Parses and reads of charts at git revisions, apart from the working tree's (their texts would replace each other). */
  private revisionCaches: HostCaches | undefined;

  /**
   * A snapshot of a chart at a git revision (Compare Effective Values with HEAD): read with git through the same
   * project model, under the same settings; never cached (a branch moves). An error phrase when git cannot read it.
   */
  snapshotAt(chartDir: string, settings: Settings, revision: string): Snapshot | { error: string } {
    const rev = openGitRevision(chartDir, revision);
    if ('error' in rev) return rev;
    this.revisionCaches ??= new HostCaches();
    const request: ProjectRequest = { ...this.projectRequest(chartDir, settings, new Map()), caches: this.revisionCaches, files: rev };
    if (rev.kind(path.join(chartDir, 'Chart.yaml')) !== 'file') return { error: `${chartDir} is not a chart at ${revision} (no Chart.yaml)` };
    const project = openProject(request);
    return { chartDir, analysis: new ChartAnalysis(project.input), settings, helm: request.helm, problems: project.problems };
  }

  /** Settings as the snapshot stamp compares them, written once per settings object (asked on every request). */
  private readonly settingsTexts = new WeakMap<Settings, string>();
  private settingsText(settings: Settings): string {
    let text = this.settingsTexts.get(settings);
    if (text === undefined) {
      text = JSON.stringify(settings);
      this.settingsTexts.set(settings, text);
    }
    return text;
  }

  /**
   * The immutable snapshot of a chart for the current open texts and settings (rebuilt only when they changed).
   *
   * Every request asks this. When the open documents are the very map of the last call (a host hands out a new map
   * only when a document opened, changed or closed), the settings the same object, no file event, clear or remote
   * document came since, and the chart's files are still read, nothing it depends on can have changed: the snapshot
   * is returned without making its stamp (the open files' versions, the settings, the GitOps discovery's check of
   * the open manifests: a tenth of a millisecond of each hover after a pause).
   */
  snapshot(chartDir: string, settings: Settings): Snapshot {
    const open = this.openDocuments();
    const last = this.snapshots.get(chartDir);
    if (last && last.open === open && last.settings === settings && last.generation === this.generation && this.caches.hasChart(chartDir)) return last.snapshot;
    const inChart: string[] = [];
    for (const [p, d] of open) if (p.startsWith(chartDir + path.sep) || path.basename(p) === IGNORE_FILE_NAME) inChart.push(`${p}@${d.version}`);
    const stamp = `${this.settingsText(settings)}|${inChart.sort().join('|')}|${this.caches.hasChart(chartDir) ? 'disk' : 'fresh'}`;
    const texts = new Map<string, string>();
    for (const [p, d] of open) texts.set(p, d.text);
    // The workspace folder's discovery, done again when an open manifest's text changed: then the snapshot is too.
    const root = this.rootOf(chartDir);
    const gitops = root !== undefined ? this.caches.gitops(root, {}, texts) : undefined;
    const checked = { open, settings, generation: this.generation };
    if (last && last.stamp === stamp && last.gitops === gitops) {
      this.snapshots.set(chartDir, { ...last, ...checked });
      return last.snapshot;
    }
    const request = this.projectRequest(chartDir, settings, texts);
    const project = openProject(request);
    const snapshot: Snapshot = { chartDir, analysis: new ChartAnalysis(project.input), settings, helm: request.helm, problems: project.problems };
    this.snapshots.set(chartDir, { stamp: stamp.replace(/\|fresh$/, '|disk'), snapshot, gitops, ...checked });
    return snapshot;
  }
}
