// helm-values CLI: a second adapter over the same service as the language server.
//   helm-values effective <chart-dir> [flags]          the values Helm passes to templates
//   helm-values explain <chart-dir> <path> [flags]     the precedence chain of one key
//   helm-values check <chart-dir|values-file>... [flags]   findings, as text, JSON or SARIF
//   helm-values environments [dir]                      environments found (Argo CD, Flux, helmfile, config, conventions)
import { parseArgs } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Environment, EnvironmentLayer } from '../service/chart/environments';
import { checkChart, environmentInputs, sortFindings } from '../service/check/check';
import { formatRelease, hasResetThenReuseValues, RESET_THEN_REUSE_SINCE } from '../service/helm/versions';
import { computeEffective, type Effective, type HelmMessage, type PreviousRelease, type UserLayer } from '../service/helm/effective';
import { environmentJson, type EnvironmentJson } from '../service/gitops';
import { chartOf, gitopsFinding, gitWorkTree, listWorkspace } from '../host/gitops';
import { explainPath, parsePathExpression, sourceJson, sourceText } from '../service/helm/explain';
import type { Finding, Value } from '../service/types';
import { parseValuesDocument, type ValuesDocument } from '../service/yaml/valuesDocument';
import { findChartRoot, readTextFile } from '../host/chartReader';
import { unreadableValues, valuesResolver } from '../host/project';
import { configFileEnvironments, ENVIRONMENT_PROBLEM, DEFAULT_HELM, helmRelease, HostCaches, openProject, schemaUriFor, secretsContext, type HelmChoice, type Project, type ProjectRequest } from '../host/projectModel';
import { ValidatorCache } from '../host/validatorCache';
import { toSarif } from './sarif';
import { inferSchema } from '../service/schema/infer';
import { detectSecrets } from '../service/secrets/detect';
import type { ChartModel } from '../service/chart/chartModel';
import { sortedValue } from './output';
import { cmdDiff } from './diff';
import { cmdDrift, loadClusterReader } from './drift';
import { usagesOf } from './usages';

declare const HELM_VALUES_VERSION: string | undefined;
const VERSION = typeof HELM_VALUES_VERSION === 'string' ? HELM_VALUES_VERSION : '0.0.0-dev';

const USAGE = `helm-values ${VERSION}: Helm values, merged exactly as Helm does, with where each value comes from.

Usage:
  helm-values effective <chart-dir> [-f FILE]... [--set K=V]... [--env NAME] [--user-supplied] [-o yaml|json]
                        [--reset-then-reuse-values PREV | --reuse-values PREV --reuse-values-all PREV_ALL]
  helm-values explain   <chart-dir> <dotted.path> [-f FILE]... [--set K=V]... [--env NAME] [-o text|json]
  helm-values check     <chart-dir|values-file>... [--env NAME] [-f FILE]... [-o text|json|sarif] [--fetch-remote-refs]
  helm-values schema    <chart-dir> [--write [--force]]   draft values.schema.json inferred from values.yaml
  helm-values environments [DIR] [--config FILE] [-o text|json]
                        the environments found under DIR (default: the current directory): Argo CD Applications
                        and ApplicationSets, Flux HelmReleases (one per kustomize overlay), helmfile releases (one per
                        helmfile environment), then each chart's configured and conventional ones, with their layers
  helm-values diff      <chart-dir|workspace> --base REV [--head REV] [--env NAME]... [--config FILE]
                        [-o text|json|markdown|sarif]   effective values of every environment between two
                        revisions (read with git; --head defaults to the working tree), with owners and policies
  helm-values drift     <chart-dir> --env NAME (--release NAME [--namespace NS] [--kubeconfig FILE]
                        [--context CTX] | --live FILE) [-o text|json]   declared values against the live release
  helm-values usages    <chart-dir> <dotted.path> [-o text|json]   the templates that read a value

Flags (as helm install/template; applied in Helm's fixed order: -f files, --set-json, --set, --set-string,
--set-file, --set-literal):
  -f, --values FILE        a values file (repeatable; later files win). Paths resolve against the current directory.
      --set K=V            set values (typed: true/false, null, integers; everything else a string)
      --set-string K=V     set string values
      --set-json K=JSON    set JSON values (or a whole JSON object)
      --set-file K=PATH    set a value to a file's content
      --set-literal K=V    set a literal string (commas not split)
      --env NAME           start from a named environment (from --config, or by convention: values-NAME.yaml,
                           values.NAME.yaml, values/NAME.yaml, ci/NAME.yaml, or a deployment an Argo CD, Flux or
                           helmfile manifest declares, as \`helm-values environments\` names it; then the chart
                           directory may be left out)
      --config FILE        environments file (YAML or JSON): a list of {name, chart, extends, values, set, ...}
      --helm-version V     reproduce a Helm release: 3 or 4 (the newest of that major), or a release such as
                           4.1 or 4.2.3 (default 4; see docs/helm-versions.md for what differs between releases)
      --user-supplied      effective: print only the user-supplied values (the -f files and --set flags merged,
                           nulls kept), as \`helm get values\` shows them, instead of the values templates see
      --no-secrets         check: do not look for plaintext secrets (the nearest .helmsecretsignore at or
                           above the chart, up to the repository root, lists accepted findings by file, rule
                           and key path, relative to its folder)
      --fetch-remote-refs  check: download the remote (http/https) $refs of values.schema.json and validate against
                           them; without it nothing is downloaded and they are reported as schema.ref-unresolved.
                           Each URL is fetched once (10 s timeout), then read from the cache in
                           $HELM_VALUES_CACHE_DIR, else $XDG_CACHE_HOME/helm-values/schemas, else
                           ~/.cache/helm-values/schemas (delete that directory to download again)
      --workspace DIR      where Argo CD, Flux and helmfile manifests are discovered (default: the enclosing git
                           work tree, else the current directory); check then also reports every manifest's
                           findings (gitops.*), not only those of the checked charts' deployments
  -o, --output FORMAT      output format
  -h, --help               this help
      --version            print the version

Upgrades (effective, explain; as helm upgrade; PREV is what \`helm get values RELEASE -o yaml\` prints,
PREV_ALL what \`helm get values RELEASE --all -o yaml\` prints; --reset-then-reuse-values needs Helm 3.14.0 or later):
      --reset-then-reuse-values PREV
                           the chart's values.yaml, then the previous release's user-supplied values, then -f and
                           --set (Helm: CoalesceTables(new values, previous values); a null in -f/--set deletes
                           a previous value)
      --reuse-values PREV  as --reset-then-reuse-values, but the chart's own values.yaml is not read: the previous
                           release's computed values take its place (Helm sets chart.Values to them), so new chart
                           defaults do not apply; needs --reuse-values-all PREV_ALL (subcharts keep their defaults)
      --reuse-values-all PREV_ALL
                           the previous release's computed values, for --reuse-values

Exit codes: 0 success (check: no error-severity finding; diff: no policy finding of error severity; drift: no
drift), 1 findings of error severity, Helm would fail, or drift, 2 usage or file errors (drift: the cluster cannot
be read).`;

class UsageError extends Error {}
const usageError = (message: string): never => {
  throw new UsageError(message);
};
function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
/** Helm itself would fail (exit 1). */
class HelmFailure extends Error {}

interface Common {
  values: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
  env?: string;
  config?: string;
  /** --helm-version, read by the project model's one parser. */
  helm: HelmChoice;
  /** effective: print the user-supplied values (Helm's MergeValues of -f and --set*) instead of the coalesced ones. */
  userSupplied?: boolean;
  /** --reuse-values / --reset-then-reuse-values PREV (and --reuse-values-all PREV_ALL): an upgrade's reused values. */
  previous?: { mode: 'reuse' | 'reset-then-reuse'; config: string; computed?: string };
  output?: string;
  write?: boolean;
  force?: boolean;
  /** Detect plaintext secrets in check (default on; --no-secrets turns it off). */
  secrets?: boolean;
  /** check: resolve remote `$ref`s from fetched documents (--fetch-remote-refs). */
  fetchRemoteRefs?: boolean;
  /** --workspace: where GitOps manifests are discovered. */
  workspace?: string;
  /** Every --env given (diff compares these environments). */
  envs?: string[];
  /** diff: the revisions compared (--head absent: the working tree). */
  base?: string;
  head?: string;
  /** drift: the release and where to read it (a cluster, or a file of `helm get values`). */
  release?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  live?: string;
  /** drift: seconds each cluster request may take (--timeout). */
  timeout?: string;
}

/** What `main` prepared before the synchronous run: the host caches, with remote schemas fetched for --fetch-remote-refs. */
export interface RunContext {
  caches?: HostCaches;
}

function parse(argv: string[]): { command: string; positionals: string[]; opts: Common } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        values: { type: 'string', short: 'f', multiple: true },
        set: { type: 'string', multiple: true },
        'set-string': { type: 'string', multiple: true },
        'set-json': { type: 'string', multiple: true },
        'set-file': { type: 'string', multiple: true },
        'set-literal': { type: 'string', multiple: true },
        workspace: { type: 'string' },
        env: { type: 'string', multiple: true },
        base: { type: 'string' },
        head: { type: 'string' },
        release: { type: 'string' },
        namespace: { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        live: { type: 'string' },
        timeout: { type: 'string' },
        config: { type: 'string' },
        'helm-version': { type: 'string' },
        'user-supplied': { type: 'boolean' },
        'reuse-values': { type: 'string' },
        'reuse-values-all': { type: 'string' },
        'reset-then-reuse-values': { type: 'string' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
        write: { type: 'boolean' },
        'no-secrets': { type: 'boolean' },
        'fetch-remote-refs': { type: 'boolean' },
        force: { type: 'boolean' },
        version: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = parsed.values;
  if (v.help) return { command: 'help', positionals: [], opts: emptyOpts() };
  if (v.version) return { command: 'version', positionals: [], opts: emptyOpts() };
  const helm = helmRelease(v['helm-version'] ?? '4');
  if ('error' in helm) throw new UsageError(`--helm-version: ${helm.error}`);
  const [command = 'help', ...positionals] = parsed.positionals;
  if (v['fetch-remote-refs'] && command !== 'check') throw new UsageError(`--fetch-remote-refs applies to check (the command that validates values against schemas), not to ${command}`);
  const previous = previousRelease(v['reuse-values'], v['reuse-values-all'], v['reset-then-reuse-values'], command);
  if (previous?.mode === 'reset-then-reuse' && !hasResetThenReuseValues(helm.release)) {
    throw new UsageError(`--reset-then-reuse-values: Helm ${formatRelease(helm.release)} has no such flag (helm upgrade has it from ${formatRelease(RESET_THEN_REUSE_SINCE)}); use --reuse-values`);
  }
  return {
    command,
    positionals,
    opts: {
      values: v.values ?? [],
      set: v.set ?? [],
      setString: v['set-string'] ?? [],
      setJson: v['set-json'] ?? [],
      setFile: v['set-file'] ?? [],
      setLiteral: v['set-literal'] ?? [],
      // --env is repeatable for diff; elsewhere the last one counts (as before it was repeatable).
      ...(v.env !== undefined && v.env.length > 0 ? { env: v.env[v.env.length - 1] } : {}),
      envs: v.env ?? [],
      ...(v.base !== undefined ? { base: v.base } : {}),
      ...(v.head !== undefined ? { head: v.head } : {}),
      ...(v.release !== undefined ? { release: v.release } : {}),
      ...(v.namespace !== undefined ? { namespace: v.namespace } : {}),
      ...(v.kubeconfig !== undefined ? { kubeconfig: v.kubeconfig } : {}),
      ...(v.context !== undefined ? { context: v.context } : {}),
      ...(v.live !== undefined ? { live: v.live } : {}),
      ...(v.timeout !== undefined ? { timeout: v.timeout } : {}),
      ...(v.config !== undefined ? { config: v.config } : {}),
      helm,
      userSupplied: v['user-supplied'] === true,
      ...(previous ? { previous } : {}),
      ...(v.output !== undefined ? { output: v.output } : {}),
      write: v.write === true,
      secrets: v['no-secrets'] !== true,
      force: v.force === true,
      fetchRemoteRefs: v['fetch-remote-refs'] === true,
      ...(v.workspace !== undefined ? { workspace: v.workspace } : {}),
    },
  };
}

/** The upgrade flags, checked together: one mode, and --reuse-values with the computed values it needs. */
function previousRelease(reuse: string | undefined, reuseAll: string | undefined, resetThenReuse: string | undefined, command: string): Common['previous'] {
  if (reuse === undefined && reuseAll === undefined && resetThenReuse === undefined) return undefined;
  const flag = reuse !== undefined ? '--reuse-values' : reuseAll !== undefined ? '--reuse-values-all' : '--reset-then-reuse-values';
  if (command !== 'effective' && command !== 'explain') throw new UsageError(`${flag} applies to effective and explain (the values of an upgrade), not to ${command}`);
  if (reuse !== undefined && resetThenReuse !== undefined) {
    throw new UsageError('--reuse-values and --reset-then-reuse-values are two ways to upgrade: pass one (helm upgrade ignores --reset-then-reuse-values when --reuse-values is given)');
  }
  if (resetThenReuse !== undefined) {
    if (reuseAll !== undefined) throw new UsageError('--reuse-values-all goes with --reuse-values; --reset-then-reuse-values reads the chart\'s own values.yaml instead');
    return { mode: 'reset-then-reuse', config: resetThenReuse };
  }
  if (reuse === undefined) throw new UsageError('--reuse-values-all goes with --reuse-values PREV (the previous release\'s user-supplied values, `helm get values RELEASE -o yaml`)');
  if (reuseAll === undefined) {
    throw new UsageError(
      "--reuse-values needs --reuse-values-all PREV_ALL, the previous release's computed values (`helm get values RELEASE --all -o yaml`): helm upgrade --reuse-values uses them in place of the chart's values.yaml. Or use --reset-then-reuse-values PREV, which keeps the chart's values.yaml",
    );
  }
  return { mode: 'reuse', config: reuse, computed: reuseAll };
}

function emptyOpts(): Common {
  return { values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], helm: DEFAULT_HELM };
}

/** Display paths of files outside a chart: relative to the current directory, as the user would type them. */
const displayFromCwd = (abs: string) => path.relative(process.cwd(), abs) || '.';

/**
 * What the project model is asked for a chart under these flags (the language server builds the same from its
 * settings): the workspace root is the current directory; environments come from --config.
 */
function projectRequest(dir: string, display: string, opts: Common, caches: HostCaches, gitops = true): ProjectRequest {
  return {
    ...(gitops ? { gitops: { workspace: gitopsWorkspace(opts) } } : {}),
    chartDir: path.resolve(dir),
    displayDir: display,
    workspaceRoot: process.cwd(),
    helm: opts.helm,
    environments: opts.config !== undefined ? [configFileEnvironments(opts.config)] : [],
    secrets: { enabled: opts.secrets !== false },
    fetchRemoteRefs: opts.fetchRemoteRefs === true,
    display: displayFromCwd,
    caches,
  };
}

/** Where manifests are discovered: --workspace, else the enclosing git work tree, else the current directory. */
function gitopsWorkspace(opts: Common): string {
  if (opts.workspace !== undefined) {
    if (!fs.existsSync(opts.workspace) || !fs.statSync(opts.workspace).isDirectory()) throw new UsageError(`--workspace ${opts.workspace}: no such directory`);
    return path.resolve(opts.workspace);
  }
  return gitWorkTree(process.cwd()) ?? process.cwd();
}

/**
 * For `--env NAME` without a chart directory: the chart the discovered deployment deploys (display path), or, when
 * that chart is neither in the workspace nor in Helm's cache, the deployment alone over a chart without defaults
 * (its layers merged and checked among themselves; `note` says which chart to `helm pull`).
 */
function deploymentOf(name: string, opts: Common, caches: HostCaches): { chart: string } | { project: Project; note: string } {
  const run = caches.gitops(gitopsWorkspace(opts));
  const env = run.discovery.environments.find((e) => e.name === name);
  const dir = env ? chartOf(env, run.root) : undefined;
  if (!env || dir !== undefined) return { chart: chartOfEnvironment(name, opts, caches) };
  const project = openProject({ ...projectRequest(run.root, displayFromCwd(run.root), opts, caches), gitops: { workspace: run.root }, deployment: name });
  const why = env.findings.find((f) => f.code === 'gitops.chart-not-local')?.message ?? (env.chart.type === 'unknown' ? env.chart.reason : 'the chart is not available offline');
  return { project, note: `note: --env ${name} (${env.definedAt.file}:${env.definedAt.line}): ${why}; without the chart's defaults` };
}

/** The project for effective/explain: the chart given, else the one `--env` names (a note on stderr when detached). */
function projectFor(chartArg: string | undefined, opts: Common, err: (s: string) => void): Project {
  if (chartArg !== undefined || opts.env === undefined) return openChart(chartArg ?? '', opts);
  const caches = cliCaches();
  const d = deploymentOf(opts.env, opts, caches);
  if ('chart' in d) return openChart(d.chart, opts, caches);
  err(d.note);
  return d.project;
}

/** The chart a discovered environment deploys (a usage error naming what to do when there is none or it is not available). */
function chartOfEnvironment(name: string, opts: Common, caches: HostCaches): string {
  const run = caches.gitops(gitopsWorkspace(opts));
  const env = run.discovery.environments.find((e) => e.name === name);
  if (!env) {
    const known = run.discovery.environments.map((e) => e.name);
    throw new UsageError(`--env ${name}: no Argo CD, Flux or helmfile deployment of that name under ${displayFromCwd(run.root)}${known.length > 0 ? ` (found: ${known.join(', ')})` : ' (none found; give the chart directory, or --workspace DIR)'}`);
  }
  const dir = chartOf(env, run.root);
  if (dir === undefined) {
    const why = env.findings.find((f) => f.code.startsWith('gitops.chart') || f.code.startsWith('gitops.remote'))?.message ?? (env.chart.type === 'unknown' ? env.chart.reason : `chart ${env.chart.type === 'remote' ? env.chart.chart : ''} is not in the workspace nor in Helm's repository cache`);
    throw new UsageError(`--env ${name} (${env.definedAt.file}:${env.definedAt.line}): ${why}`);
  }
  return displayFromCwd(dir);
}

/** A CLI run's caches: compiled validators persist on disk between runs, as the server's do (host/validatorCache.ts). */
function cliCaches(): HostCaches {
  return new HostCaches(undefined, { validators: ValidatorCache.fromEnvironment() });
}

/** The project model's request for a chart under a command line (`check <chart> --config ...`): the editor's twin, for tests. */
export function cliProjectRequest(argv: string[], chartDir: string, caches = cliCaches()): ProjectRequest {
  return projectRequest(chartDir, path.normalize(chartDir), parse(argv).opts, caches);
}

/** The project of a chart given to effective/explain/schema (a usage error when it is not a chart). */
function openChart(dir: string, opts: Common, caches = cliCaches()): Project {
  if (!fs.existsSync(dir)) throw new UsageError(`${dir}: no such chart directory`);
  if (!fs.existsSync(path.join(dir, 'Chart.yaml')) && !dir.endsWith('.tgz')) throw new UsageError(`${dir}: not a chart directory (no Chart.yaml)`);
  // Discovered deployments matter only to name one with --env.
  return openProject(projectRequest(dir, path.normalize(dir), opts, caches, opts.env !== undefined));
}

const findingLine = (x: Finding) => `${x.file}:${x.line}:${x.column}: ${x.severity} [${x.code}] ${x.message}`;

/** effective and explain print values, not findings: an environment configuration they cannot read stops them. */
function environmentsOf(project: Project): readonly Environment[] {
  const broken = project.problems.filter((p) => p.code === ENVIRONMENT_PROBLEM);
  if (broken.length > 0) throw new UsageError(broken.map(findingLine).join('\n'));
  return project.input.environments;
}

const readSetFile = (p: string): string | undefined => {
  const r = readTextFile(p);
  return 'error' in r ? undefined : r.text;
};

/** Effective values for the chart with --env (chart-relative files) then the command-line flags (cwd-relative). */
function effectiveFor(project: Project, opts: Common): Effective {
  const { chart } = project;
  const envs = environmentsOf(project);
  const fromChart = project.input.resolveValues;
  const fromCwd = valuesResolver(chart, process.cwd(), '');
  let envPart: Environment = { name: 'command line', origin: 'config', values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] };
  if (opts.env !== undefined) {
    const found = envs.find((e) => e.name === opts.env);
    if (!found) throw new UsageError(`--env ${opts.env}: no such environment for chart ${chart.displayDir} (known: ${envs.map((e) => e.name).join(', ')})`);
    envPart = found;
  }
  const envInputs = environmentInputs({ model: chart.model, resolveValues: fromChart, readFile: readSetFile, caches: project.input.caches }, envPart);
  if (envInputs.problems.length > 0) throw new UsageError(envInputs.problems.map((p) => p.message).join('\n'));
  const files = [...envInputs.inputs.files];
  for (const f of opts.values) {
    const r = fromCwd(f);
    if ('error' in r) throw new UsageError(r.error);
    files.push(r);
  }
  const broken = unreadableValues([...(chart.model.values ? [chart.model.values] : []), ...files]);
  if (broken) throw new HelmFailure(broken);
  const previous = opts.previous ? previousValues(opts.previous, fromCwd) : undefined;
  for (const spec of opts.setFile) {
    const eq = spec.indexOf('=');
    const p = eq >= 0 ? spec.slice(eq + 1) : '';
    if (p !== '' && readSetFile(p) === undefined) throw new UsageError(`--set-file ${spec}: cannot read ${p}`);
  }
  if (envInputs.inputs.layers) {
    // A discovered environment: its layers in the tool's order, then the command line's files and flags.
    const extra: UserLayer[] = [...files.slice(envInputs.inputs.files.length).map((doc) => ({ kind: 'values' as const, doc })), ...commandLineFlags(opts).map((l) => ({ kind: 'flag' as const, flag: l.flag, arg: l.arg }))];
    return computeEffective(chart.model, { ...envInputs.inputs, files, layers: [...envInputs.inputs.layers, ...extra], readFile: readSetFile, ...(previous ? { previous } : {}) }, opts.helm.release, project.input.caches);
  }
  return computeEffective(
    chart.model,
    {
      files,
      set: [...envPart.set, ...opts.set],
      setString: [...envPart.setString, ...opts.setString],
      setJson: [...envPart.setJson, ...opts.setJson],
      setFile: [...envPart.setFile, ...opts.setFile],
      setLiteral: [...envPart.setLiteral, ...opts.setLiteral],
      readFile: readSetFile,
      ...(previous ? { previous } : {}),
    },
    opts.helm.release,
    project.input.caches,
  );
}

/** The header `helm get values` prints in its default (table) output; its YAML is what these flags read. */
const TABLE_HEADER = /^(USER-SUPPLIED|COMPUTED) VALUES:\s*$/m;

/** The previous release's values files (cwd-relative, as -f files): read, parsed, and checked to be a values map. */
function previousValues(p: NonNullable<Common['previous']>, resolve: (f: string) => ValuesDocument | { error: string }): PreviousRelease {
  const read = (file: string, flag: string, all: boolean): ValuesDocument => {
    const doc = resolve(file);
    if ('error' in doc) throw new UsageError(`${flag} ${doc.error}`);
    const header = TABLE_HEADER.exec(doc.text.split('\n', 1)[0] ?? '');
    if (header) throw new UsageError(`${flag} ${doc.file}:1: this is the table output of \`helm get values\` ("${header[0].trim()}"); save the values with \`helm get values RELEASE${all ? ' --all' : ''} -o yaml\``);
    const broken = unreadableValues([doc]);
    if (broken) throw new UsageError(`${flag} ${broken}`);
    return doc;
  };
  const config = read(p.config, p.mode === 'reuse' ? '--reuse-values' : '--reset-then-reuse-values', false);
  return { mode: p.mode, config, ...(p.computed !== undefined ? { computed: read(p.computed, '--reuse-values-all', true) } : {}) };
}

/** The command line's --set* flags in Helm's fixed order of kinds. */
function commandLineFlags(opts: Common): (EnvironmentLayer & { type: 'flag' })[] {
  const kinds = [
    ['set-json', opts.setJson],
    ['set', opts.set],
    ['set-string', opts.setString],
    ['set-file', opts.setFile],
    ['set-literal', opts.setLiteral],
  ] as const;
  return kinds.flatMap(([flag, args]) => args.map((arg) => ({ type: 'flag' as const, flag, arg })));
}

function printHelmMessages(messages: HelmMessage[], err: (s: string) => void): void {
  for (const m of messages) err(`${m.source ? sourceText(m.source) + ': ' : ''}${m.message}`);
}

function failOnHelmError(eff: Effective, err: (s: string) => void): number | undefined {
  if (!eff.error) return undefined;
  const flag = eff.error.source?.kind === 'flag';
  err(`Error: ${eff.error.message}${eff.error.source && !flag ? ` (${sourceText(eff.error.source)})` : ''}`);
  return flag ? 2 : 1;
}

function cmdEffective(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void): number {
  if (positionals.length > 1 || (positionals.length === 0 && opts.env === undefined)) throw new UsageError('effective takes exactly one chart directory');
  const format = opts.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`-o ${format}: effective prints yaml or json`);
  const eff = effectiveFor(projectFor(positionals[0], opts, err), opts);
  // The user-supplied values are complete before Helm coalesces: only an error in the flags stops them.
  const code = failOnHelmError(opts.userSupplied && eff.error?.code !== 'helm.bad-set' ? { ...eff, error: undefined } : eff, err);
  if (code !== undefined) return code;
  if (!opts.userSupplied) printHelmMessages(eff.messages, err);
  const v = sortedValue(opts.userSupplied ? eff.userValues : eff.values);
  out(format === 'json' ? JSON.stringify(v, null, 2) : stringify(v, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return 0;
}

function cmdExplain(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void): number {
  const detached = positionals.length === 1 && opts.env !== undefined;
  if (positionals.length !== 2 && !detached) throw new UsageError('explain takes a chart directory and a dotted path');
  const format = opts.output ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`-o ${format}: explain prints text or json`);
  const expression = positionals[positionals.length - 1] ?? '';
  const segments = parsePathExpression(expression);
  if (!segments) throw new UsageError(`${expression}: not a valid path (use a.b.c, a[0].b, or a\\.dotted\\.key)`);
  const eff = effectiveFor(projectFor(detached ? undefined : positionals[0], opts, err), opts);
  const code = failOnHelmError(eff, err);
  if (code !== undefined) return code;
  const x = explainPath(eff, segments);
  if (format === 'json') {
    out(
      JSON.stringify(
        {
          path: x.path,
          found: x.found,
          value: x.found ? sortedValue(x.value ?? null) : null,
          source: sourceJson(x.source),
          ...(x.via ? { via: x.via } : {}),
          ...(x.removedBy ? { removedBy: sourceJson(x.removedBy) } : {}),
          shadowed: x.shadowed.map((c) => ({ ...sourceJson(c.source), value: sortedValue(c.value), ...(c.via ? { via: c.via } : {}) })),
          helmVersion: eff.helmVersion.major,
          helmRelease: formatRelease(eff.helmVersion),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const rows: string[][] = [];
  if (x.found) rows.push(['wins', sourceText(x.source) + (x.via ? ` (via ${x.via})` : ''), brief(x.value ?? null)]);
  else if (x.removedBy) rows.push(['removes', sourceText(x.removedBy), 'null (key deleted)']);
  for (const c of x.shadowed) rows.push(['shadowed', sourceText(c.source) + (c.via ? ` (via ${c.via})` : ''), brief(c.value)]);
  out(`${x.path} = ${x.found ? brief(x.value ?? null) : '(not set)'}   [Helm ${formatRelease(eff.helmVersion)}]`);
  if (rows.length === 0) out('  no layer sets this key');
  const w0 = Math.max(...rows.map((r) => (r[0] ?? '').length), 0);
  const w1 = Math.max(...rows.map((r) => (r[1] ?? '').length), 0);
  for (const r of rows) out(`  ${(r[0] ?? '').padEnd(w0)}  ${(r[1] ?? '').padEnd(w1)}  ${r[2] ?? ''}`);
  return 0;
}

function brief(v: Value): string {
  const s = JSON.stringify(sortedValue(v));
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** The chart directory a check target belongs to (the directory itself, or the chart holding a values file). */
function chartDirOf(target: string): string | undefined {
  if (!fs.existsSync(target)) return undefined;
  return fs.statSync(target).isDirectory() ? target : findChartRoot(target);
}

/** Every chart of a tree: the chart and its subcharts, recursively. */
function chartTree(model: ChartModel): ChartModel[] {
  return [model, ...model.subcharts.flatMap(chartTree)];
}

/**
 * --fetch-remote-refs: compiles the schemas of the charts to check, fetches the remote documents they wait for, and
 * repeats while fetched documents reference further ones (a few rounds at most). Problems with the targets are left
 * to `run`, which reports them. The schemas compiled here stay in `caches` for the run.
 */
async function prefetchRemoteSchemas(positionals: string[], opts: Common, caches: HostCaches): Promise<void> {
  const projects: Project[] = [];
  for (const target of positionals) {
    try {
      const dir = chartDirOf(target);
      if (dir === undefined || !fs.existsSync(path.join(dir, 'Chart.yaml'))) continue;
      projects.push(openProject(projectRequest(dir, path.normalize(dir), opts, caches)));
    } catch {
      continue;
    }
  }
  for (let round = 0; round < 5; round++) {
    const pending = new Set<string>();
    for (const { input } of projects) {
      for (const m of chartTree(input.model)) input.schemas?.(m);
      for (const url of caches.schemas.pendingRemote(input.model)) pending.add(url);
    }
    if (pending.size === 0) return;
    await caches.remoteSchemas.fetchAll(pending);
    caches.schemas.invalidateRemote();
  }
}

function cmdCheck(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void, context: RunContext = {}): number {
  const format = opts.output ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`-o ${format}: check prints text, json or sarif`);
  // Remote documents `main` fetched with --fetch-remote-refs (or an earlier run cached on disk) are in the caches.
  const caches = context.caches ?? cliCaches();
  const findings: Finding[] = [];
  if (positionals.length === 0 && opts.env !== undefined) {
    const d = deploymentOf(opts.env, opts, caches);
    if ('chart' in d) positionals = [d.chart];
    else {
      // The deployment's chart is not available: its layers are checked among themselves.
      err(d.note);
      findings.push(...d.project.problems, ...checkChart({ ...d.project.input }).findings);
    }
  } else if (positionals.length === 0) throw new UsageError('check takes one or more chart directories or values files');
  for (const target of positionals) {
    if (!fs.existsSync(target)) throw new UsageError(`${target}: no such file or directory`);
    const isDir = fs.statSync(target).isDirectory();
    const chartDir = isDir ? target : findChartRoot(target);
    if (chartDir === undefined) {
      // A values file outside any chart: its own problems only.
      const r = readTextFile(target);
      if ('error' in r) {
        if (!/not a text file/.test(r.error)) throw new UsageError(r.error);
        findings.push({ file: target, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'host.binary-file', message: `${target}: not a text file; Helm cannot read it as YAML` });
        continue;
      }
      const secrets = secretsContext(path.dirname(path.resolve(target)), process.cwd(), new Map(), displayFromCwd);
      const doc = parseValuesDocument(target, r.text);
      findings.push(...secrets.problems, ...doc.problems, ...detectSecrets(doc, { enabled: opts.secrets !== false, ignoreEntries: secrets.entries, relativePath: secrets.relativePath(target) }, caches.service));
      continue;
    }
    const display = isDir ? path.normalize(target) : path.relative(process.cwd(), chartDir) || '.';
    if (isDir && !fs.existsSync(path.join(chartDir, 'Chart.yaml'))) throw new UsageError(`${target}: not a chart directory (no Chart.yaml)`);
    const project = openProject(projectRequest(chartDir, display, opts, caches));
    let envs = project.input.environments;
    const explicit = opts.env !== undefined || opts.values.length > 0 || opts.set.length + opts.setString.length + opts.setJson.length + opts.setFile.length + opts.setLiteral.length > 0;
    if (opts.env !== undefined) {
      envs = envs.filter((e) => e.name === opts.env);
      if (envs.length === 0) throw new UsageError(`--env ${opts.env}: no such environment for chart ${display}`);
    }
    for (const f of opts.values) {
      if (!fs.existsSync(f)) throw new UsageError(`-f ${f}: no such file`);
    }
    if (explicit) {
      const base: Environment = envs[0] ?? { name: 'command line', origin: 'config' as const, values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] };
      const extra = opts.values.map((f) => path.relative(project.chart.absDir, path.resolve(f)));
      if (opts.env !== undefined && base.layers) {
        // A discovered environment: its layers in the tool's order, then the command line's files and flags.
        const layers: EnvironmentLayer[] = [...base.layers, ...extra.map((p) => ({ type: 'file' as const, path: p })), ...commandLineFlags(opts)];
        envs = [{ ...base, values: [...base.values, ...extra], layers }];
      } else
        envs = [{ ...base, name: opts.env ?? 'command line', values: [...(opts.env !== undefined ? base.values : []), ...extra], set: [...(opts.env !== undefined ? base.set : []), ...opts.set], setString: [...(opts.env !== undefined ? base.setString : []), ...opts.setString], setJson: [...(opts.env !== undefined ? base.setJson : []), ...opts.setJson], setFile: [...(opts.env !== undefined ? base.setFile : []), ...opts.setFile], setLiteral: [...(opts.env !== undefined ? base.setLiteral : []), ...opts.setLiteral] }];
    }
    // With --workspace, the manifests under it are checked too (a malformed one, a deployment of a chart elsewhere).
    const run = project.gitops;
    if (opts.workspace !== undefined && run) findings.push(...run.discovery.findings.map((x) => gitopsFinding(x, run.root, displayFromCwd)));
    const { findings: f } = checkChart({ ...project.input, environments: envs });
    const onlyFile = isDir ? undefined : path.resolve(target);
    const chart = project.chart;
    findings.push(...[...project.problems, ...f].filter((x) => onlyFile === undefined || x.code.startsWith('config.') || x.code.startsWith('gitops.') || path.resolve(chart.absDir, path.relative(chart.displayDir, x.file)) === onlyFile));
  }
  // The same configuration problem (a --config file, an ignore file) reached through several targets is one finding.
  const seen = new Set<string>();
  const unique = findings.filter((x) => {
    if (!x.code.startsWith('config.') && !x.code.startsWith('gitops.')) return true;
    const key = findingLine(x);
    return !seen.has(key) && !!seen.add(key);
  });
  const sorted = sortFindings(unique);
  if (format === 'json') {
    out(JSON.stringify({ findings: sorted.map(({ file, line, column, endLine, endColumn, severity, code, message }) => ({ file, line, column, endLine, endColumn, severity, code, message })) }, null, 2));
  } else if (format === 'sarif') {
    out(JSON.stringify(toSarif(sorted, VERSION), null, 2));
  } else {
    for (const x of sorted) out(findingLine(x));
    const count = (s: string) => sorted.filter((x) => x.severity === s).length;
    err(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, ${count('hint')} hint(s)`);
  }
  return sorted.some((x) => x.severity === 'error') ? 1 : 0;
}

function cmdSchema(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void): number {
  if (positionals.length !== 1) throw new UsageError('schema takes exactly one chart directory');
  const project = openChart(positionals[0] ?? '', opts);
  const chart = project.chart;
  const doc = chart.model.values;
  if (!doc) throw new UsageError(`${chart.displayDir}: the chart has no values.yaml to infer a schema from`);
  const text = JSON.stringify(inferSchema(doc, { draft: schemaUriFor(opts.helm) }), null, 2) + '\n';
  if (!opts.write) {
    out(text.trimEnd());
    return 0;
  }
  const target = path.join(chart.absDir, 'values.schema.json');
  if (fs.existsSync(target) && !opts.force) throw new UsageError(`${path.join(chart.displayDir, 'values.schema.json')} exists; pass --force to replace it (or run without --write to print the draft)`);
  fs.writeFileSync(target, text);
  err(`wrote ${path.join(chart.displayDir, 'values.schema.json')}: a draft inferred from values.yaml; review it before committing`);
  return 0;
}

/** Top-level charts under a workspace (a chart under another chart's charts/ is a subchart), workspace-relative. */
function chartsIn(root: string, files: readonly string[]): string[] {
  const dirs = new Set(files.filter((f) => /(^|\/)Chart\.yaml$/.test(f)).map((f) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '')));
  const isSub = (d: string) => {
    const parts = d.split('/');
    return parts.length >= 2 && parts[parts.length - 2] === 'charts' && dirs.has(parts.slice(0, -2).join('/'));
  };
  return [...dirs].filter((d) => !isSub(d) && fs.existsSync(path.join(root, d, 'Chart.yaml'))).sort();
}

const ORIGIN_KIND = { config: 'config', convention: 'convention', defaults: 'default' } as const;
const FLAG_TYPE = [
  ['setJson', 'set-json'],
  ['set', 'set'],
  ['setString', 'set-string'],
  ['setFile', 'set-file'],
  ['setLiteral', 'set-literal'],
] as const;

/** `environments [DIR]`: what discovery found under DIR, then each chart's configured and conventional environments. */
function cmdEnvironments(positionals: string[], opts: Common, out: (s: string) => void): number {
  if (positionals.length > 1) throw new UsageError('environments takes at most one directory');
  const dir = positionals[0] ?? '.';
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such directory`);
  const format = opts.output ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`-o ${format}: environments prints text or json`);
  const caches = cliCaches();
  const root = path.resolve(dir);
  const run = caches.gitops(root);
  const list: EnvironmentJson[] = run.discovery.environments.map((e) => {
    const j = environmentJson(e);
    return { ...j, chart: j.chart === '' ? '.' : j.chart };
  });
  for (const chart of chartsIn(root, listWorkspace(root))) {
    const project = openProject(projectRequest(path.join(root, chart), path.join(dir, chart), opts, caches, false));
    const rel = (p: string) => path.relative(root, path.resolve(project.chart.absDir, p)).split(path.sep).join('/');
    for (const e of project.input.environments) {
      if (e.discovered) continue;
      list.push({
        name: e.name,
        kind: ORIGIN_KIND[e.origin],
        chart: chart === '' ? '.' : chart,
        definedAt: null,
        layers: [...e.values.map((f) => ({ type: 'file' as const, file: rel(f) })), ...FLAG_TYPE.flatMap(([key, type]) => e[key].map((arg) => ({ type, arg })))],
        findings: [],
      });
    }
  }
  if (format === 'json') {
    out(JSON.stringify({ environments: list }, null, 2));
    return 0;
  }
  for (const e of list) {
    out(`${e.name}  [${e.kind}]  chart: ${e.chart ?? '(not in the workspace)'}${e.definedAt ? `  defined at ${e.definedAt.file}:${e.definedAt.line}` : ''}`);
    for (const l of e.layers) out(`  ${l.type.padEnd(10)} ${l.arg ?? ''}${l.arg !== undefined && l.file !== undefined ? '  ' : ''}${l.file !== undefined ? `${l.file}${l.line !== undefined ? `:${l.line}` : ''}` : ''}`);
  }
  for (const f of run.discovery.findings) out(`${f.file}:${f.line}:${f.column}: ${f.severity} [${f.code}] ${f.message}`);
  if (list.length === 0) out(`no environments found under ${dir}`);
  return 0;
}

function cmdUsages(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void): number {
  if (positionals.length !== 2) throw new UsageError('usages takes a chart directory and a dotted path');
  const format = opts.output ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`-o ${format}: usages prints text or json`);
  const segments = parsePathExpression(positionals[1] ?? '');
  if (!segments) throw new UsageError(`${positionals[1] ?? ''}: not a valid path (use a.b.c, a[0].b, or a\\.dotted\\.key)`);
  const r = usagesOf(openChart(positionals[0] ?? '', opts), positionals[1] ?? '', segments);
  for (const p of r.problems) err(`warning: ${p} (template not fully read)`);
  if (format === 'json') out(JSON.stringify(r.json, null, 2));
  else for (const line of r.text) out(line);
  return 0;
}

/** Runs the CLI; returns the exit code. Output goes through `out`/`err` so tests can capture it. */
export function run(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), err: (s: string) => void = (s) => process.stderr.write(s + '\n'), context: RunContext = {}): number {
  try {
    const { command, positionals, opts } = parse(argv);
    switch (command) {
      case 'help':
        out(USAGE);
        return 0;
      case 'version':
        out(VERSION);
        return 0;
      case 'effective':
        return cmdEffective(positionals, opts, out, err);
      case 'explain':
        return cmdExplain(positionals, opts, out, err);
      case 'check':
        return cmdCheck(positionals, opts, out, err, context);
      case 'schema':
        return cmdSchema(positionals, opts, out, err);
      case 'environments':
        return cmdEnvironments(positionals, opts, out);
      case 'drift':
        // Reading a cluster is asynchronous: `main` runs drift (this synchronous entry cannot).
        throw new UsageError('drift runs through the command-line entry (main), not run()');
      case 'diff':
        return cmdDiff(positionals, { envs: opts.envs ?? [], ...pick(opts, 'base', 'head', 'config', 'output') }, out, { request: (dir, display, caches) => projectRequest(dir, display, opts, caches), usage: usageError, version: VERSION });
      case 'usages':
        return cmdUsages(positionals, opts, out, err);
      default:
        throw new UsageError(`unknown command "${command}" (effective, explain, check, schema, environments, diff, drift, usages)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`helm-values: ${e.message}`);
      return 2;
    }
    if (e instanceof HelmFailure) {
      err(`Error: ${e.message}`);
      return 1;
    }
    err(`helm-values: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}

/** `helm-values drift`: the one command that may wait on the network (a cluster), with run's error boundary. */
async function runDrift(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  try {
    let timeoutSeconds: number | undefined;
    if (opts.timeout !== undefined) {
      timeoutSeconds = Number(opts.timeout.replace(/s$/, ''));
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${opts.timeout}: expected a number of seconds`);
    }
    return await cmdDrift(
      positionals,
      { ...pick(opts, 'env', 'release', 'namespace', 'kubeconfig', 'context', 'live', 'output'), ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) },
      out,
      err,
      { open: (dir) => openChart(dir, opts), usage: usageError, readLive: async (t) => (await loadClusterReader())(t) },
    );
  } catch (e) {
    if (e instanceof UsageError) {
      err(`helm-values: ${e.message}`);
      return 2;
    }
    err(`helm-values: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}

/**
 * The command-line entry: `run`, preceded by the downloads --fetch-remote-refs asks for (the only network access,
 * and the only asynchronous part; without the flag this is `run` itself).
 */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), err: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<number> {
  let parsed: ReturnType<typeof parse> | undefined;
  try {
    parsed = parse(argv);
  } catch {
    parsed = undefined; // `run` reports it
  }
  if (parsed?.command === 'drift') return runDrift(parsed.positionals, parsed.opts, out, err);
  if (!parsed || parsed.command !== 'check' || !parsed.opts.fetchRemoteRefs) return run(argv, out, err);
  const caches = cliCaches();
  // Never fatal: whatever could not be fetched is reported by the check itself.
  await prefetchRemoteSchemas(parsed.positionals, parsed.opts, caches).catch(() => undefined);
  return run(argv, out, err, { caches });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
