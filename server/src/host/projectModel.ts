// The project model: the one place that turns (workspace root, chart, settings) into the service's input plus the
// problems of the configuration, as findings with a file and a line. The language server calls it for every
// snapshot, the CLI for every chart it checks: editor and CI read the same files by the same rules.
//
// The rules, one each (README, "One project, two adapters"):
// - Helm release: `helmRelease` parses `3`, `4` or a release (`3.18`) once; it gives the merge rules' major and the
//   schema draft used when `$schema` is absent.
// - Secrets ignore file: the nearest `.helmsecretsignore` at or above the chart directory, up to the repository root
//   (the first directory holding `.git`); its entries (and `secrets.ignorePaths`) are relative to its directory.
//   Without one: relative to the workspace root (the editor's workspace folder, the CLI's current directory, when it
//   holds the chart; else the repository root; else the chart directory), where the editor's fix creates it. A chart
//   read at a git revision (ProjectRequest.files) finds and reads it in that revision, by the same walk.
// - Configuration problems (environments, ignore file, secret settings) are findings of severity error with a
//   `config.*` code, at the file and line at fault (settings have no file: the chart's values.yaml, line 1). The
//   environment entries at fault are left out; everything else is still checked.
// - Environments: every `EnvironmentSource` in order (editor: the setting; CLI: --config), then the naming
//   conventions, then the deployments that Argo CD, Flux and helmfile manifests in the workspace declare for this
//   chart (host/gitops.ts; a name already taken gets the tool's name appended). Discovery findings (`gitops.*`) are
//   the same for every chart of a workspace: each project reports all of them, so that editor and CI agree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { AnalysisInput } from '../service/analysis';
import { loadChart, type ChartModel } from '../service/chart/chartModel';
import { chartEnvironments, configAppliesTo, readEnvironmentConfig, type Environment, type EnvironmentConfig } from '../service/chart/environments';
import { EnvironmentMemo } from '../service/check/envMemo';
import { DEFAULT_POLICY_SEVERITIES, readCustodyConfig, type OwnerRule, type PolicySeverities } from '../service/chart/custodyConfig';
import { DEFAULT_RELEASE, parseHelmRelease, type HelmRelease } from '../service/helm/versions';
import type { SchemaDraft } from '../service/schema/types';
import { secretOptionsFromSettings } from '../service/secrets/options';
import { IGNORE_FILE_NAME, parseIgnoreFile, type IgnoreEntry } from '../service/secrets/ignoreFile';
import type { ChartSource, Finding } from '../service/types';
import { createServiceCaches, type ServiceCaches } from '../service/caches';
import { DocumentCache } from '../service/yaml/documentCache';
import { readChartDir, readTextFile, type FileReader } from './chartReader';
import { compileUserPattern } from './patterns';
import { chartOf, discoverWorkspace, engineEnvironment, gitopsFinding, type GitopsOptions, type WorkspaceDiscovery } from './gitops';
import type { DiscoveredEnvironment } from '../service/gitops';
import { anchorSetFiles, valuesResolver, withOpenTexts, type LoadedChart } from './project';
import { RemoteSchemaStore } from './remoteSchemas';
import { defaultDraftFor, SchemaCache, type SchemaCacheOptions } from './schemaCache';

// ---------------------------------------------------------------------------------------------------------------
// Helm release: the one place a version setting or flag is read.

export interface HelmChoice {
  /** As written (`4`, `3`, `3.18`, `4.2.3`). */
  text: string;
  /** The release whose rules apply (`3`/`4` are the newest of that major; service/helm/versions.ts). */
  release: HelmRelease;
  /** The draft Helm validates with when a schema has no `$schema`. */
  schemaDraft: SchemaDraft;
}

/**
 * `3`, `4` (the newest release of that major) or a release such as `3.18` or `4.1.2`; an error phrase otherwise.
 * The one reader of a version setting or flag: the editor's setting and the CLI's `--helm-version` both come here.
 */
export function helmRelease(raw: unknown = '4'): HelmChoice | { error: string } {
  const parsed = parseHelmRelease(raw);
  if ('error' in parsed) return parsed;
  return { text: String(raw).trim(), release: parsed.release, schemaDraft: defaultDraftFor(parsed.release) };
}

/** What an invalid setting falls back to: the newest Helm 4. */
export const DEFAULT_HELM: HelmChoice = Object.freeze({ text: '4', release: DEFAULT_RELEASE, schemaDraft: defaultDraftFor(DEFAULT_RELEASE) });

/** The `$schema` URI of an inferred schema draft for a release (what Helm would assume without one). */
export function schemaUriFor(release: HelmChoice): string {
  return release.schemaDraft === '07' ? 'http://json-schema.org/draft-07/schema#' : 'https://json-schema.org/draft/2020-12/schema';
}

// ---------------------------------------------------------------------------------------------------------------
// Long-lived host caches: one owner (a server session or a CLI run), cleared as a whole.

export class HostCaches {
  documents = new DocumentCache();
  schemas: SchemaCache;
  /** The service's long-lived caches (adopted defaults, schema walks, dependency decisions, secret options). */
  service: ServiceCaches = createServiceCaches();
  remoteSchemas: RemoteSchemaStore;
  private charts = new Map<string, ChartSource>();
  /** GitOps discoveries by workspace root (dropped when `invalidate` names a file under the root). */
  private gitopsRuns = new Map<string, WorkspaceDiscovery>();
  /**
   * Per-environment results, one memo with remote `$ref`s fetched and one without: an environment's memo signature
   * does not see what the schema resolved to, so the two must not share results, and the first is dropped when
   * remote documents arrive.
   */
  private memos = new Map<boolean, EnvironmentMemo>();

  /**
   * `schemaOptions`: where compiled validators persist between runs (host/validatorCache.ts) and the worker that
   * compiles off the main thread; the server passes both, the CLI the persistent cache only.
   */
  constructor(
    private readonly newRemoteStore: () => RemoteSchemaStore = () => new RemoteSchemaStore(),
    private readonly schemaOptions: SchemaCacheOptions = {},
  ) {
    this.remoteSchemas = newRemoteStore();
    this.schemas = new SchemaCache(schemaOptions);
  }

  /** The chart as read from disk (kept until `invalidate` names a file under it). */
  chartSource(absDir: string, displayDir: string): ChartSource {
    const key = `${absDir}\0${displayDir}`;
    let source = this.charts.get(key);
    if (!source) {
      source = readChartDir(absDir, { displayDir });
      this.charts.set(key, source);
    }
    return source;
  }

  hasChart(absDir: string, displayDir = absDir): boolean {
    return this.charts.has(`${absDir}\0${displayDir}`);
  }

  memo(fetchRemoteRefs: boolean): EnvironmentMemo {
    let memo = this.memos.get(fetchRemoteRefs);
    if (!memo) {
      memo = new EnvironmentMemo();
      this.memos.set(fetchRemoteRefs, memo);
    }
    return memo;
  }

  /**
   * The environments Argo CD, Flux and helmfile manifests under `root` declare (discovered once, then kept). `open`:
   * texts of files open in an editor; manifests among them are read as open, and the discovery is done again (from
   * what the last one read) when an open manifest's text changed. Without `open`, the kept discovery as it is.
   */
  gitops(root: string, options: GitopsOptions = {}, open?: ReadonlyMap<string, string>): WorkspaceDiscovery {
    const key = path.resolve(root);
    let run = this.gitopsRuns.get(key);
    if (!run || (open !== undefined && !run.current(open))) {
      run = discoverWorkspace(key, options, open, run);
      this.gitopsRuns.set(key, run);
    }
    return run;
  }

  /** Forgets what was read from disk under the given absolute paths (`keepDocuments`: files whose text is open). */
  invalidate(paths: readonly string[], keepDocuments: (p: string) => boolean = () => false): string[] {
    const dropped: string[] = [];
    for (const root of [...this.gitopsRuns.keys()]) {
      if (paths.some((p) => p.startsWith(root + path.sep) && !/[\/](\.git|node_modules)[\/]/.test(p.slice(root.length)))) {
        this.gitopsRuns.delete(root);
        dropped.push(root);
      }
    }
    for (const key of [...this.charts.keys()]) {
      const dir = key.split('\0')[0] ?? key;
      if (paths.some((p) => p === dir || p.startsWith(dir + path.sep))) {
        this.charts.delete(key);
        dropped.push(dir);
      }
    }
    for (const p of paths) if (!keepDocuments(p)) this.documents.delete(p);
    return dropped;
  }

  /** Remote documents arrived: schemas that reference them compile again; results computed without them go. */
  remoteSchemasArrived(): void {
    this.schemas.invalidateRemote();
    this.memos.delete(true);
  }

  /** Everything goes: parsed documents, compiled schemas, chart reads, per-environment results, remote documents. */
  clear(): void {
    this.documents = new DocumentCache();
    this.schemas = new SchemaCache(this.schemaOptions);
    this.service.clear();
    this.remoteSchemas = this.newRemoteStore();
    this.charts.clear();
    this.gitopsRuns.clear();
    this.memos.clear();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Environment discovery: one pluggable step.

/** A place in a file, 1-based. */
export interface FilePlace {
  file: string;
  line: number;
  column: number;
}

/** Configured environments from one source, each with where it is written (undefined: settings, no file). */
export interface EnvironmentDiscovery {
  entries: { config: EnvironmentConfig; at?: FilePlace }[];
  /** The directory `chart:` entries are relative to; undefined: every entry applies to every chart. */
  root: string | undefined;
  problems: { message: string; at?: FilePlace; code?: string }[];
  /** `owners:` and `policies:` of this source (service/custody/owners.ts), when it has them. */
  custody?: Custody;
}

/** Who owns which value paths and how severe each release policy is (read with the environments). */
export interface Custody {
  owners: OwnerRule[];
  policies: PolicySeverities;
}

/** Where environments come from: the editor's setting, the CLI's --config file, later Argo CD/Flux/helmfile. */
export interface EnvironmentSource {
  discover(): EnvironmentDiscovery;
}

/** `helmValues.environments` from the editor's settings; `chart:` is relative to the workspace root. */
export function settingsEnvironments(raw: unknown, workspaceRoot: string | undefined, ownersRaw?: unknown): EnvironmentSource {
  return {
    discover() {
      const r = readEnvironmentConfig(raw, 'helmValues.environments');
      // `helmValues.owners`: the `owners:` rules of a configuration file, as a setting of their own (the
      // environments setting is a list and cannot hold them).
      const setting = ownersRaw === undefined ? undefined : readCustodyConfig({ owners: ownersRaw }, 'helmValues');
      const owners = setting && setting.owners.length > 0 ? setting.owners : r.owners;
      const problems = [...r.problems, ...(setting?.problems ?? [])].map((p) => ({ message: p.message, ...(p.section ? { code: CUSTODY_PROBLEM } : {}) }));
      return { entries: r.environments.map((config) => ({ config })), root: workspaceRoot, problems, custody: { owners, policies: r.policies } };
    },
  };
}

/**
 * An environments file (YAML or JSON, the CLI's --config): a list of environments or `{environments: [...]}`.
 * `file` is as the user wrote it (findings name it so); `chart:` is relative to its directory.
 */
export function configFileEnvironments(file: string, files?: FileReader): EnvironmentSource {
  return {
    discover() {
      const root = path.dirname(path.resolve(file));
      const at = (line: number, column = 1): FilePlace => ({ file, line, column });
      const r = readTextFile(file, undefined, files);
      if ('error' in r) return { entries: [], root, problems: [{ message: r.error, at: at(1) }] };
      const lineCounter = new LineCounter();
      const doc = parseDocument(r.text, { prettyErrors: false, lineCounter });
      if (doc.errors.length > 0) {
        return { entries: [], root, problems: doc.errors.map((e) => ({ message: `${file} is not valid YAML: ${e.message.split('\n')[0] ?? e.message}`, at: at(lineCounter.linePos(e.pos[0]).line, lineCounter.linePos(e.pos[0]).col) })) };
      }
      const contents = doc.contents;
      const list = isSeq(contents) ? contents : isMap(contents) ? contents.get('environments', true) : undefined;
      const placeOf = (node: unknown): FilePlace => {
        const range = (node as Node | undefined)?.range;
        const pos = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
        return at(pos.line, pos.col);
      };
      const items: unknown[] = isSeq(list) ? list.items : [];
      const entryAt = (i: number | undefined) => placeOf(i === undefined ? list : items[i]);
      let js: unknown;
      try {
        js = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        // Only an alias bomb gets here (yaml refuses to expand more than maxAliasCount aliases).
        return { entries: [], root, problems: [{ message: `${file}: ${e instanceof Error ? e.message : String(e)}`, at: at(1) }] };
      }
      const config = readEnvironmentConfig(js, file);
      const kept = config.environments.map((c, k) => ({ config: c, at: entryAt(config.entries[k]) }));
      // owners[i] and policies.<key> problems point at their own entry.
      const section = (name: string) => (isMap(contents) ? contents.get(name, true) : undefined);
      const custodyAt = (p: (typeof config.problems)[number]): FilePlace => {
        const node = section(p.section ?? '');
        if (p.section === 'owners' && isSeq(node) && p.entry !== undefined) return placeOf(node.items[p.entry]);
        if (p.section === 'policies' && isMap(node) && p.key !== undefined) return placeOf(node.items.find((i) => (i.key as { value?: unknown } | null)?.value === p.key)?.key ?? node);
        return placeOf(node);
      };
      const problems = config.problems.map((p) => (p.section ? { message: p.message, at: custodyAt(p), code: CUSTODY_PROBLEM } : { message: p.message, at: entryAt(p.entry) }));
      return { entries: kept, root, problems, custody: { owners: config.owners, policies: config.policies } };
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The secrets ignore file.

/**
 * The nearest directory at or above `dir` holding `name`, not above the repository root (the first with `.git`).
 * `files`: look in that tree (a git revision) instead of the disk; its root is the last directory it holds.
 */
function findUpwards(dir: string, name: string, files?: FileReader): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (files ? files.kind(path.join(d, name)) !== undefined : fs.existsSync(path.join(d, name))) return d;
    if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d || (files && files.kind(path.dirname(d)) !== 'dir')) return undefined;
  }
}

const holds = (root: string, p: string) => p === root || p.startsWith(root + path.sep);

export interface SecretsContext {
  /** The directory the ignore file's entries and `secrets.ignorePaths` are relative to. */
  root: string;
  /** Where the ignore file is, or would be created; its current text ('' when absent). */
  ignoreFile: { path: string; text: string };
  entries: IgnoreEntry[];
  problems: Finding[];
  /** A display path relative to `root`, `/`-separated. */
  relativePath: (file: string) => string;
}

/**
 * The secrets ignore file for a chart (or a loose values file's directory): see the rule at the top. `open` gives
 * the texts of files open in an editor; `display` turns the absolute path into the one findings show. `files`: the
 * chart is read at a git revision, and so is the ignore file (as that revision has it; editor texts do not apply).
 */
export function secretsContext(dir: string, workspaceRoot: string | undefined, open: ReadonlyMap<string, string> = new Map(), display: (abs: string) => string = (p) => p, files?: FileReader): SecretsContext {
  const abs = path.resolve(dir);
  const found = findUpwards(abs, IGNORE_FILE_NAME, files);
  const repo = found === undefined ? findUpwards(abs, '.git') : undefined;
  const root = found ?? (workspaceRoot !== undefined && holds(path.resolve(workspaceRoot), abs) ? path.resolve(workspaceRoot) : (repo ?? abs));
  const file = path.join(root, IGNORE_FILE_NAME);
  let text = files ? undefined : open.get(file);
  const problems: Finding[] = [];
  if (text === undefined && found !== undefined) {
    const r = readTextFile(file, undefined, files);
    if ('error' in r) problems.push(configFinding(display(file), 1, 1, 'config.secrets-ignore-file', r.error));
    text = 'error' in r ? '' : r.text;
  }
  const parsed = parseIgnoreFile(text ?? '');
  for (const p of parsed.problems) problems.push(configFinding(display(file), p.line, 1, 'config.secrets-ignore-file', `${IGNORE_FILE_NAME}:${p.line}: ${p.message}`));
  return {
    root,
    ignoreFile: { path: file, text: text ?? '' },
    entries: parsed.entries,
    problems,
    relativePath: (f) => path.relative(root, path.resolve(f.split('#')[0] ?? f)).split(path.sep).join('/'),
  };
}

function configFinding(file: string, line: number, column: number, code: string, message: string, severity: Finding['severity'] = 'error'): Finding {
  return { file, line, column, endLine: line, endColumn: column + 1, severity, code, message };
}

// ---------------------------------------------------------------------------------------------------------------
// The project: the service's input for one chart.

export interface ProjectRequest {
  /** Absolute chart directory. */
  chartDir: string;
  /** The chart directory as findings show it (the CLI: as typed; the editor: absolute). Default: `chartDir`. */
  displayDir?: string;
  /** The editor's workspace folder holding the chart; the CLI's current directory. */
  workspaceRoot: string | undefined;
  helm: HelmChoice;
  /** Settings that could not be used as given and what was used instead (warnings at the chart's values.yaml, line 1). */
  settingWarnings?: readonly { code: string; message: string }[];
  /** Tried in order; configured names first, then the naming conventions and `default`. */
  environments: readonly EnvironmentSource[];
  /** Raw `helmValues.secrets.*` settings (the CLI: `{enabled}` from --no-secrets). */
  secrets: unknown;
  fetchRemoteRefs: boolean;
  /** Texts of files open in an editor (absolute path -> text). */
  open?: ReadonlyMap<string, string>;
  /** Display path of a file outside the chart (the CLI: relative to the current directory). Default: absolute. */
  display?: (abs: string) => string;
  /**
   * Where Argo CD, Flux and helmfile manifests are discovered (the CLI: --workspace, else the git work tree, else the
   * current directory; the editor: the workspace folder). Absent: no discovery.
   */
  gitops?: { workspace: string } & GitopsOptions;
  /**
   * A discovered deployment (by name) whose chart is not available offline: the project is that deployment alone over
   * a chart without defaults, so its layers are merged and checked among themselves; `chartDir` is the workspace root.
   */
  deployment?: string;
  caches: HostCaches;
  /** Read the chart and its values files from here instead of the disk (a git revision, host/gitRevision.ts). */
  files?: FileReader;
}

export interface Project {
  chart: LoadedChart;
  /** The service's input (ChartAnalysis, checkChart). */
  input: AnalysisInput;
  /** Configuration problems as findings (codes `config.*`); both adapters report them with the chart's findings. */
  problems: Finding[];
  secrets: SecretsContext;
  /**
   * The workspace's GitOps discovery, when the request asked for one. `problems` holds the findings of this chart's
   * discovered environments; the rest (a malformed manifest, a deployment of a chart elsewhere) are here.
   */
  gitops?: WorkspaceDiscovery;
  /** Owners and policy severities from the environment sources (the last source that has `owners:` or `policies:`). */
  custody: Custody;
}

/** Problems with `owners:` or `policies:` of the environments configuration. */
export const CUSTODY_PROBLEM = 'config.owners';

/** Findings with these codes say an environment could not be read as configured (the CLI's effective/explain stop). */
export const ENVIRONMENT_PROBLEM = 'config.environments';

export function openProject(req: ProjectRequest): Project {
  const chartDir = path.resolve(req.chartDir);
  const displayDir = req.displayDir ?? chartDir;
  const open = req.open ?? new Map<string, string>();
  const display = req.display ?? ((p: string) => p);
  const { caches } = req;
  const run = req.gitops ? caches.gitops(req.gitops.workspace, req.gitops, open) : undefined;
  const detached = req.deployment !== undefined && run ? run.discovery.environments.find((e) => e.name === req.deployment) : undefined;
  const { files } = req;
  const source = detached && run ? chartlessSource(detached, run, displayDir, display) : files ? readChartDir(chartDir, { displayDir, files }) : withOpenTexts(caches.chartSource(chartDir, displayDir), chartDir, displayDir, open);
  const model = loadChart(source, caches.documents);
  const chart: LoadedChart = { model, absDir: chartDir, displayDir, documents: caches.documents };
  const fallback = defaultsFile(model);
  const problems: Finding[] = [];
  const configProblem = (message: string, at: FilePlace | undefined, code = ENVIRONMENT_PROBLEM) => problems.push(configFinding(at?.file ?? fallback, at?.line ?? 1, at?.column ?? 1, code, message));
  const custody: Custody = { owners: [], policies: DEFAULT_POLICY_SEVERITIES };

  for (const w of req.settingWarnings ?? []) problems.push(configFinding(fallback, 1, 1, w.code, w.message, 'warning'));
  const environments = detached ? [] : discoverEnvironments(model, chartDir, req.environments, configProblem, custody);
  if (run) {
    const select = detached ? (e: DiscoveredEnvironment) => e === detached : (e: DiscoveredEnvironment) => chartOf(e, run.root, req.gitops?.helmCacheDir) === chartDir;
    const mine = gitopsEnvironments(run, select, chartDir, environments, display);
    environments.push(...mine.environments);
    problems.push(...mine.findings);
  }

  const secretSettings = secretOptionsFromSettings(req.secrets, compileUserPattern);
  for (const p of secretSettings.problems) configProblem(p, undefined, 'config.secrets');
  const secrets = secretsContext(chartDir, req.workspaceRoot, open, display, files);
  problems.push(...secrets.problems);

  const readFile = (p: string): string | undefined => {
    const t = open.get(p);
    if (t !== undefined) return t;
    const r = readTextFile(p, undefined, files);
    return 'error' in r ? undefined : r.text;
  };
  const remote = req.fetchRemoteRefs ? (url: string) => caches.remoteSchemas.get(url) : undefined;
  const input: AnalysisInput = {
    model,
    environments: anchorSetFiles(environments, chartDir),
    resolveValues: valuesResolver(chart, chartDir, displayDir, open, files),
    readFile,
    helmVersion: req.helm.release,
    documents: caches.documents,
    schemas: caches.schemas.lookup(req.helm.schemaDraft, chartDir, displayDir, readFile, remote),
    secrets: { ...secretSettings.options, ignoreEntries: secrets.entries },
    relativePath: secrets.relativePath,
    secretsIgnoreFile: secrets.ignoreFile,
    memo: caches.memo(req.fetchRemoteRefs),
    caches: caches.service,
    ...(custody.owners.length > 0 ? { owners: custody.owners } : {}),
  };
  return { chart, input, problems, secrets, custody, ...(run ? { gitops: run } : {}) };
}

/**
 * The chart of a deployment whose chart is not available offline (`ProjectRequest.deployment`): no defaults, named as
 * the deployment names it, its Chart.yaml standing in at the manifest (where a finding without a file of its own goes).
 */
function chartlessSource(env: DiscoveredEnvironment, run: WorkspaceDiscovery, displayDir: string, display: (abs: string) => string): ChartSource {
  const remote = env.chart.type === 'remote' ? env.chart : undefined;
  const name = remote ? (remote.chart.split('/').pop() ?? remote.chart) : 'chart';
  const text = `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: ${JSON.stringify(remote?.version ?? '0.0.0')}\n`;
  return { dir: displayDir, chartYaml: { path: display(path.join(run.root, env.definedAt.file)), text }, overlays: [], subcharts: [], problems: [] };
}

/** The discovered deployments `select` picks (named apart from the environments already there), with their findings. */
function gitopsEnvironments(run: WorkspaceDiscovery, select: (env: DiscoveredEnvironment) => boolean, chartDir: string, existing: readonly Environment[], display: (abs: string) => string): { environments: Environment[]; findings: Finding[] } {
  const taken = new Set(existing.map((e) => e.name));
  const environments: Environment[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const env of run.discovery.environments) {
    if (!select(env)) continue;
    const e = engineEnvironment(env, run.root, chartDir, display, (f) => run.text(f));
    if (taken.has(e.name)) e.name = `${e.name} (${env.kind})`;
    taken.add(e.name);
    environments.push(e);
    for (const f of env.findings) {
      const finding = gitopsFinding(f, run.root, display);
      const key = `${finding.file}:${finding.line}:${finding.column}:${finding.code}:${finding.message}`;
      if (!seen.has(key)) findings.push(finding);
      seen.add(key);
    }
  }
  return { environments, findings };
}

/** The file a configuration problem without a file of its own is reported on: the chart's values.yaml. */
function defaultsFile(model: ChartModel): string {
  return model.values?.file ?? model.chartFile ?? path.join(model.dir, 'values.yaml');
}

/**
 * Configured environments from every source (each source's `chart:` matched against its own root), resolved with
 * `extends`, then the naming conventions. Problems name the entry's file and line when the source has one.
 */
function discoverEnvironments(model: ChartModel, chartDir: string, sources: readonly EnvironmentSource[], problem: (message: string, at: FilePlace | undefined, code?: string) => void, custody: Custody): Environment[] {
  const configured: EnvironmentConfig[] = [];
  const places: (FilePlace | undefined)[] = [];
  for (const source of sources) {
    const found = source.discover();
    for (const p of found.problems) problem(p.message, p.at, p.code);
    if (found.custody && (found.custody.owners.length > 0 || found.custody.policies !== DEFAULT_POLICY_SEVERITIES)) Object.assign(custody, found.custody);
    const rel = found.root !== undefined ? path.relative(found.root, chartDir) || '.' : undefined;
    for (const e of found.entries) {
      if (!configAppliesTo(e.config, rel)) continue;
      const config = { ...e.config };
      delete config.chart;
      configured.push(config);
      places.push(e.at);
    }
  }
  const r = chartEnvironments(model, configured);
  for (const p of r.problems) problem(p.message, p.entry !== undefined ? places[p.entry] : undefined);
  return r.environments;
}
