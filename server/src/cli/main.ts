// helm-values CLI: a second adapter over the same service as the language server.
//   helm-values effective <chart-dir> [flags]          the values Helm passes to templates
//   helm-values explain <chart-dir> <path> [flags]     the precedence chain of one key
//   helm-values check <chart-dir|values-file>... [flags]   findings, as text, JSON or SARIF
import { parseArgs } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { Environment } from '../service/chart/environments';
import { checkChart, environmentInputs, sortFindings } from '../service/check/check';
import { formatRelease } from '../service/helm/versions';
import { computeEffective, type Effective, type HelmMessage } from '../service/helm/effective';
import { explainPath, parsePathExpression, sourceJson, sourceText } from '../service/helm/explain';
import type { Finding, Value } from '../service/types';
import { parseValuesDocument } from '../service/yaml/valuesDocument';
import { findChartRoot, readTextFile } from '../host/chartReader';
import { unreadableValues, valuesResolver } from '../host/project';
import { configFileEnvironments, ENVIRONMENT_PROBLEM, DEFAULT_HELM, helmRelease, HostCaches, openProject, schemaUriFor, secretsContext, type HelmChoice, type Project, type ProjectRequest } from '../host/projectModel';
import { ValidatorCache } from '../host/validatorCache';
import { toSarif } from './sarif';
import { inferSchema } from '../service/schema/infer';
import { detectSecrets } from '../service/secrets/detect';
import type { ChartModel } from '../service/chart/chartModel';
import { sortedValue } from './output';
import { usagesOf } from './usages';

declare const HELM_VALUES_VERSION: string | undefined;
const VERSION = typeof HELM_VALUES_VERSION === 'string' ? HELM_VALUES_VERSION : '0.0.0-dev';

const USAGE = `helm-values ${VERSION}: Helm values, merged exactly as Helm does, with where each value comes from.

Usage:
  helm-values effective <chart-dir> [-f FILE]... [--set K=V]... [--env NAME] [--user-supplied] [-o yaml|json]
  helm-values explain   <chart-dir> <dotted.path> [-f FILE]... [--set K=V]... [--env NAME] [-o text|json]
  helm-values check     <chart-dir|values-file>... [--env NAME] [-f FILE]... [-o text|json|sarif] [--fetch-remote-refs]
  helm-values schema    <chart-dir> [--write [--force]]   draft values.schema.json inferred from values.yaml
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
                           values.NAME.yaml, values/NAME.yaml, ci/NAME.yaml)
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
  -o, --output FORMAT      output format
  -h, --help               this help
      --version            print the version

Exit codes: 0 success (check: no error-severity finding), 1 findings of error severity or Helm would fail,
2 usage or file errors.`;

class UsageError extends Error {}
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
  output?: string;
  write?: boolean;
  force?: boolean;
  /** Detect plaintext secrets in check (default on; --no-secrets turns it off). */
  secrets?: boolean;
  /** check: resolve remote `$ref`s from fetched documents (--fetch-remote-refs). */
  fetchRemoteRefs?: boolean;
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
        env: { type: 'string' },
        config: { type: 'string' },
        'helm-version': { type: 'string' },
        'user-supplied': { type: 'boolean' },
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
      ...(v.env !== undefined ? { env: v.env } : {}),
      ...(v.config !== undefined ? { config: v.config } : {}),
      helm,
      userSupplied: v['user-supplied'] === true,
      ...(v.output !== undefined ? { output: v.output } : {}),
      write: v.write === true,
      secrets: v['no-secrets'] !== true,
      force: v.force === true,
      fetchRemoteRefs: v['fetch-remote-refs'] === true,
    },
  };
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
function projectRequest(dir: string, display: string, opts: Common, caches: HostCaches): ProjectRequest {
  return {
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
  return openProject(projectRequest(dir, path.normalize(dir), opts, caches));
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
  const envInputs = environmentInputs({ model: chart.model, resolveValues: fromChart, readFile: readSetFile }, envPart);
  if (envInputs.problems.length > 0) throw new UsageError(envInputs.problems.map((p) => p.message).join('\n'));
  const files = [...envInputs.inputs.files];
  for (const f of opts.values) {
    const r = fromCwd(f);
    if ('error' in r) throw new UsageError(r.error);
    files.push(r);
  }
  const broken = unreadableValues([...(chart.model.values ? [chart.model.values] : []), ...files]);
  if (broken) throw new HelmFailure(broken);
  for (const spec of opts.setFile) {
    const eq = spec.indexOf('=');
    const p = eq >= 0 ? spec.slice(eq + 1) : '';
    if (p !== '' && readSetFile(p) === undefined) throw new UsageError(`--set-file ${spec}: cannot read ${p}`);
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
    },
    opts.helm.release,
    project.input.caches,
  );
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
  if (positionals.length !== 1) throw new UsageError('effective takes exactly one chart directory');
  const format = opts.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`-o ${format}: effective prints yaml or json`);
  const eff = effectiveFor(openChart(positionals[0] ?? '', opts), opts);
  // The user-supplied values are complete before Helm coalesces: only an error in the flags stops them.
  const code = failOnHelmError(opts.userSupplied && eff.error?.code !== 'helm.bad-set' ? { ...eff, error: undefined } : eff, err);
  if (code !== undefined) return code;
  if (!opts.userSupplied) printHelmMessages(eff.messages, err);
  const v = sortedValue(opts.userSupplied ? eff.userValues : eff.values);
  out(format === 'json' ? JSON.stringify(v, null, 2) : stringify(v, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return 0;
}

function cmdExplain(positionals: string[], opts: Common, out: (s: string) => void, err: (s: string) => void): number {
  if (positionals.length !== 2) throw new UsageError('explain takes a chart directory and a dotted path');
  const format = opts.output ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`-o ${format}: explain prints text or json`);
  const segments = parsePathExpression(positionals[1] ?? '');
  if (!segments) throw new UsageError(`${positionals[1] ?? ''}: not a valid path (use a.b.c, a[0].b, or a\\.dotted\\.key)`);
  const eff = effectiveFor(openChart(positionals[0] ?? '', opts), opts);
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
  if (positionals.length === 0) throw new UsageError('check takes one or more chart directories or values files');
  const format = opts.output ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`-o ${format}: check prints text, json or sarif`);
  // Remote documents `main` fetched with --fetch-remote-refs (or an earlier run cached on disk) are in the caches.
  const caches = context.caches ?? cliCaches();
  const findings: Finding[] = [];
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
      const base = envs[0] ?? { name: 'command line', origin: 'config' as const, values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] };
      const extra = opts.values.map((f) => path.relative(project.chart.absDir, path.resolve(f)));
      envs = [{ ...base, name: opts.env ?? 'command line', values: [...(opts.env !== undefined ? base.values : []), ...extra], set: [...(opts.env !== undefined ? base.set : []), ...opts.set], setString: [...(opts.env !== undefined ? base.setString : []), ...opts.setString], setJson: [...(opts.env !== undefined ? base.setJson : []), ...opts.setJson], setFile: [...(opts.env !== undefined ? base.setFile : []), ...opts.setFile], setLiteral: [...(opts.env !== undefined ? base.setLiteral : []), ...opts.setLiteral] }];
    }
    const { findings: f } = checkChart({ ...project.input, environments: envs });
    const onlyFile = isDir ? undefined : path.resolve(target);
    const chart = project.chart;
    findings.push(...[...project.problems, ...f].filter((x) => onlyFile === undefined || x.code.startsWith('config.') || path.resolve(chart.absDir, path.relative(chart.displayDir, x.file)) === onlyFile));
  }
  // The same configuration problem (a --config file, an ignore file) reached through several targets is one finding.
  const seen = new Set<string>();
  const unique = findings.filter((x) => {
    if (!x.code.startsWith('config.')) return true;
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
      case 'usages':
        return cmdUsages(positionals, opts, out, err);
      default:
        throw new UsageError(`unknown command "${command}" (effective, explain, check, schema, usages)`);
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
