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
import { helmRelease, HostCaches, openProject, settingsEnvironments, type HelmRelease, type ProjectRequest } from '../host/projectModel';

export interface OpenDocument {
  text: string;
  version: number;
}

export interface Snapshot {
  chartDir: string;
  analysis: ChartAnalysis;
  settings: Settings;
  helm: HelmRelease;
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

/** The editor's release: the setting, read by the one parser (an invalid value falls back to the newest Helm 4). */
export function settingsRelease(settings: Settings): HelmRelease {
  const r = helmRelease(settings.helmVersion);
  return 'error' in r ? { text: '4', major: 4, schemaDraft: '2020-12' } : r;
}

export class Workspace {
  private readonly snapshots = new Map<string, { stamp: string; snapshot: Snapshot }>();
  /** Workspace folders (absolute); `chart:` in settings is relative to the folder holding the chart. */
  roots: string[] = [];

  constructor(
    private readonly openDocuments: () => ReadonlyMap<string, OpenDocument>,
    readonly caches: HostCaches = new HostCaches(),
  ) {}

  get documents() {
    return this.caches.documents;
  }

  /** Forgets disk contents under the given absolute paths (from file watching). */
  invalidate(paths: readonly string[]): void {
    // The secrets ignore file lives above the charts: every snapshot may read it.
    if (paths.some((p) => path.basename(p) === IGNORE_FILE_NAME)) this.snapshots.clear();
    const open = this.openDocuments();
    for (const dir of this.caches.invalidate(paths, (p) => open.has(p))) this.snapshots.delete(dir);
    for (const dir of [...this.snapshots.keys()]) if (paths.some((p) => p === dir || p.startsWith(dir + path.sep))) this.snapshots.delete(dir);
  }

  /** Drops every snapshot and host cache (helmValues/clearCaches, workspace folders changed). */
  clear(): void {
    this.snapshots.clear();
    this.caches.clear();
  }

  /** Remote URLs the schemas of a snapshot's chart still wait for (empty unless fetching is on). */
  pendingRemoteSchemas(snapshot: Snapshot): string[] {
    return snapshot.settings.fetchRemoteRefs ? this.caches.schemas.pendingRemote(snapshot.analysis.model) : [];
  }

  /** Remote documents arrived: schemas that reference them compile again, and charts are re-checked on demand. */
  remoteSchemasArrived(): void {
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
    return {
      chartDir,
      workspaceRoot: root,
      helm: settingsRelease(settings),
      environments: [settingsEnvironments(settings.environments, root)],
      secrets: settings.secrets,
      fetchRemoteRefs: settings.fetchRemoteRefs,
      open,
      caches: this.caches,
    };
  }

  /** The immutable snapshot of a chart for the current open texts and settings (rebuilt only when they changed). */
  snapshot(chartDir: string, settings: Settings): Snapshot {
    const open = this.openDocuments();
    const inChart: string[] = [];
    for (const [p, d] of open) if (p.startsWith(chartDir + path.sep) || path.basename(p) === IGNORE_FILE_NAME) inChart.push(`${p}@${d.version}`);
    const stamp = `${JSON.stringify(settings)}|${inChart.sort().join('|')}|${this.caches.hasChart(chartDir) ? 'disk' : 'fresh'}`;
    const hit = this.snapshots.get(chartDir);
    if (hit && hit.stamp === stamp) return hit.snapshot;
    const texts = new Map<string, string>();
    for (const [p, d] of open) texts.set(p, d.text);
    const request = this.projectRequest(chartDir, settings, texts);
    const project = openProject(request);
    const snapshot: Snapshot = { chartDir, analysis: new ChartAnalysis(project.input), settings, helm: request.helm, problems: project.problems };
    this.snapshots.set(chartDir, { stamp: stamp.replace(/\|fresh$/, '|disk'), snapshot });
    return snapshot;
  }
}
