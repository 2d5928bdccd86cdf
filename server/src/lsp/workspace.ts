// The language server's view of the workspace: charts read from disk (cached until a watched file changes),
// overlaid with the texts of open documents, turned into immutable ChartAnalysis snapshots on demand.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChartAnalysis } from '../service/analysis';
import { loadChart } from '../service/chart/chartModel';
import { chartEnvironments, readEnvironmentConfig } from '../service/chart/environments';
import type { ChartSource } from '../service/types';
import { DocumentCache } from '../service/yaml/documentCache';
import type { Settings } from '../protocol';
import { findChartRoot, readChartDir, readTextFile } from '../host/chartReader';
import { anchorSetFiles, valuesResolver, withOpenTexts } from '../host/project';
import { defaultDraftFor, SchemaCache } from '../host/schemaCache';
import { DEFAULT_RELEASE, formatRelease, parseHelmRelease } from '../service/helm/versions';
import { RemoteSchemaStore } from '../host/remoteSchemas';
import { compileUserPattern } from '../host/patterns';
import { EnvironmentMemo } from '../service/check/envMemo';
import { secretOptionsFromSettings } from '../service/secrets/options';
import { IGNORE_FILE_NAME, parseIgnoreFile } from '../service/secrets/ignoreFile';

export interface OpenDocument {
  text: string;
  version: number;
}

export interface Snapshot {
  chartDir: string;
  analysis: ChartAnalysis;
  settings: Settings;
  /** Problems with the environment configuration, phrased for the user. */
  configProblems: string[];
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

export class Workspace {
  private readonly sources = new Map<string, ChartSource>();
  private readonly snapshots = new Map<string, { stamp: string; snapshot: Snapshot }>();
  readonly documents = new DocumentCache();
  private readonly schemaCache = new SchemaCache();
  /**
   * Per-environment results, one memo with remote `$ref`s fetched and one without: an environment's memo signature
   * does not see what the schema resolved to, so the two must not share results, and the first is dropped when
   * remote documents arrive.
   */
  private readonly memos = new Map<boolean, EnvironmentMemo>();
  /** Remote schema documents, used only for charts whose settings have helmValues.schema.fetchRemoteRefs on. */
  readonly remoteSchemas = new RemoteSchemaStore();
  /** Workspace folders (absolute); `chart:` in settings is relative to the folder holding the chart. */
  roots: string[] = [];

  constructor(private readonly openDocuments: () => ReadonlyMap<string, OpenDocument>) {}

  /** Forgets disk contents under the given absolute paths (from file watching). */
  invalidate(paths: readonly string[]): void {
    // The secrets ignore file lives at the workspace root, above the charts: every snapshot reads it.
    if (paths.some((p) => path.basename(p) === IGNORE_FILE_NAME)) this.snapshots.clear();
    for (const dir of [...this.sources.keys()]) {
      if (paths.some((p) => p === dir || p.startsWith(dir + path.sep))) {
        this.sources.delete(dir);
        this.snapshots.delete(dir);
      }
    }
    for (const p of paths) if (!this.openDocuments().has(p)) this.documents.delete(p);
  }

  /** Remote URLs the schemas of a snapshot's chart still wait for (empty unless fetching is on). */
  pendingRemoteSchemas(snapshot: Snapshot): string[] {
    return snapshot.settings.fetchRemoteRefs ? this.schemaCache.pendingRemote(snapshot.analysis.model) : [];
  }

  /** Remote documents arrived: schemas that reference them compile again, and charts are re-checked on demand. */
  remoteSchemasArrived(): void {
    this.schemaCache.invalidateRemote();
    this.memos.delete(true);
    this.snapshots.clear();
  }

  private memoFor(fetchRemoteRefs: boolean): EnvironmentMemo {
    let memo = this.memos.get(fetchRemoteRefs);
    if (!memo) {
      memo = new EnvironmentMemo();
      this.memos.set(fetchRemoteRefs, memo);
    }
    return memo;
  }

  /**
   * The snapshot without schema validation when a schema of its chart still has to be compiled (undefined when all
   * are compiled or there are none): what can be published before ajv spends hundreds of milliseconds on a large one.
   */
  withoutPendingSchemas(snapshot: Snapshot): Snapshot | undefined {
    const draft = defaultDraftFor(snapshot.analysis.input.helmVersion);
    if (this.schemaCache.isCompiled(snapshot.analysis.model, draft, snapshot.settings.fetchRemoteRefs)) return undefined;
    const input = { ...snapshot.analysis.input };
    delete input.schemas;
    return { ...snapshot, analysis: new ChartAnalysis(input) };
  }

  /** The chart directories that have a cached snapshot or source (to re-check after a change). */
  knownCharts(): string[] {
    return [...new Set([...this.sources.keys(), ...this.snapshots.keys()])];
  }

  /** The immutable snapshot of a chart for the current open texts and settings (rebuilt only when they changed). */
  snapshot(chartDir: string, settings: Settings): Snapshot {
    const open = this.openDocuments();
    const inChart: string[] = [];
    for (const [p, d] of open) if (p.startsWith(chartDir + path.sep)) inChart.push(`${p}@${d.version}`);
    const stamp = `${JSON.stringify(settings)}|${inChart.sort().join('|')}|${this.sources.has(chartDir) ? 'disk' : 'fresh'}`;
    const hit = this.snapshots.get(chartDir);
    if (hit && hit.stamp === stamp) return hit.snapshot;
    let source = this.sources.get(chartDir);
    if (!source) {
      source = readChartDir(chartDir, { displayDir: chartDir });
      this.sources.set(chartDir, source);
    }
    const texts = new Map<string, string>();
    for (const [p, d] of open) texts.set(p, d.text);
    const patched = withOpenTexts(source, chartDir, chartDir, texts);
    const model = loadChart(patched, this.documents);
    const config = readEnvironmentConfig(settings.environments, 'helmValues.environments');
    const root = this.roots.filter((r) => chartDir === r || chartDir.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
    const envs = chartEnvironments(model, config.environments, root !== undefined ? path.relative(root, chartDir) || '.' : undefined);
    const loaded = { model, absDir: chartDir, displayDir: chartDir, documents: this.documents };
    const readFile = (p: string) => {
      const t = texts.get(p);
      if (t !== undefined) return t;
      const r = readTextFile(p);
      return 'error' in r ? undefined : r.text;
    };
    const secrets = secretOptionsFromSettings(settings.secrets, compileUserPattern);
    const ignorePath = path.join(root ?? chartDir, IGNORE_FILE_NAME);
    const ignoreText = texts.get(ignorePath) ?? readFile(ignorePath) ?? '';
    const ignore = parseIgnoreFile(ignoreText);
    const parsedRelease = parseHelmRelease(settings.helmVersion);
    const release = 'error' in parsedRelease ? DEFAULT_RELEASE : parsedRelease.release;
    const relativePath = (file: string) => path.relative(root ?? chartDir, file).split(path.sep).join('/');
    const analysis = new ChartAnalysis({
      model,
      environments: anchorSetFiles(envs.environments, chartDir),
      resolveValues: valuesResolver(loaded, chartDir, chartDir, texts),
      readFile,
      helmVersion: release,
      documents: this.documents,
      schemas: this.schemaCache.lookup(defaultDraftFor(release), chartDir, chartDir, readFile, settings.fetchRemoteRefs ? (url) => this.remoteSchemas.get(url) : undefined),
      secrets: { ...secrets.options, ignoreEntries: ignore.entries },
      relativePath,
      secretsIgnoreFile: { path: ignorePath, text: ignoreText },
      memo: this.memoFor(settings.fetchRemoteRefs),
    });
    const snapshot: Snapshot = { chartDir, analysis, settings, configProblems: [...('error' in parsedRelease ? [`helmValues.helmVersion: ${parsedRelease.error}; using Helm ${formatRelease(DEFAULT_RELEASE)}`] : []), ...config.problems.map((p) => p.message), ...envs.problems.map((p) => p.message), ...secrets.problems, ...ignore.problems.map((p) => `${IGNORE_FILE_NAME}:${p.line}: ${p.message}`)] };
    this.snapshots.set(chartDir, { stamp: `${stamp.replace(/\|fresh$/, '|disk')}`, snapshot });
    return snapshot;
  }
}
