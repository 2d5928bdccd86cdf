// `helm-values drift <chart-dir> --env NAME (--release NAME [--namespace NS] [--kubeconfig FILE] [--context CTX] |
// --live FILE) [-o text|json]`: an environment's declared values against what the release runs
// (service/custody/drift.ts). The cluster is read by host/kube/liveRelease.ts, bundled apart as dist/kube.js and
// loaded only here. Exit codes: 0 no drift, 1 drift, 2 usage errors or a cluster that cannot be read.
import { ChartAnalysis } from '../service/analysis';
import { environmentInputs } from '../service/check/check';
import { computeDrift, readLiveValues, valuesRedactor, type DriftReport, type LiveValues } from '../service/custody/drift';
import { computeEffective } from '../service/helm/effective';
import type { Value, ValueMap } from '../service/types';
import { readTextFile } from '../host/chartReader';
import type { Project } from '../host/projectModel';
import type { ClusterFailure, ClusterTarget, LiveRelease } from '../host/kube/liveRelease';
export { loadClusterReader } from '../host/kube/load';
import { sortedValue } from './output';
import { refText } from './diff';

export interface DriftOptions {
  env?: string;
  release?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  live?: string;
  output?: string;
  timeoutSeconds?: number;
}

export interface DriftContext {
  open: (dir: string) => Project;
  usage: (message: string) => never;
  /** Reads the release from the cluster (host/kube/liveRelease.ts, loaded on demand). */
  readLive: (t: ClusterTarget) => Promise<LiveRelease | ClusterFailure>;
}

const brief = (v: Value | undefined) => {
  const s = JSON.stringify(sortedValue(v ?? null));
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
};

export async function cmdDrift(positionals: string[], opts: DriftOptions, out: (s: string) => void, err: (s: string) => void, ctx: DriftContext): Promise<number> {
  if (positionals.length !== 1) ctx.usage('drift takes exactly one chart directory');
  const format = opts.output ?? 'text';
  if (format !== 'text' && format !== 'json') ctx.usage(`-o ${format}: drift prints text or json`);
  if (opts.env === undefined) ctx.usage('drift needs --env NAME: the environment whose declared values the release should run');
  if ((opts.release === undefined) === (opts.live === undefined)) ctx.usage('drift needs either --release NAME (read the cluster) or --live FILE (the output of helm get values)');
  if (opts.live !== undefined) {
    for (const [flag, v] of [['--namespace', opts.namespace], ['--kubeconfig', opts.kubeconfig], ['--context', opts.context]] as const) if (v !== undefined) ctx.usage(`${flag} applies to --release, not to --live`);
  }
  const project = ctx.open(positionals[0] ?? '');
  const env = project.input.environments.find((e) => e.name === opts.env);
  if (!env) ctx.usage(`--env ${opts.env}: no such environment for chart ${project.chart.displayDir} (known: ${project.input.environments.map((e) => e.name).join(', ')})`);
  const { inputs, problems } = environmentInputs(project.input, env);
  if (problems.length > 0) ctx.usage(problems.map((p) => p.message).join('\n'));
  const effective = computeEffective(project.input.model, inputs, project.input.helmVersion, project.input.caches);
  if (effective.error && effective.error.code === 'helm.bad-set') ctx.usage(`environment "${env.name}": ${effective.error.message}`);

  let live: LiveValues;
  let where = '';
  if (opts.live !== undefined) {
    const r = readTextFile(opts.live);
    if ('error' in r) ctx.usage(`--live ${r.error}`);
    const parsed = readLiveValues(r.text, opts.live);
    if ('error' in parsed) ctx.usage(parsed.error);
    live = parsed;
  } else {
    const target: ClusterTarget = { release: opts.release ?? '', ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}), ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context !== undefined ? { context: opts.context } : {}), ...(opts.timeoutSeconds !== undefined ? { timeoutMs: opts.timeoutSeconds * 1000 } : {}) };
    const r = await ctx.readLive(target);
    if ('error' in r) {
      err(`helm-values: cannot read release "${target.release}" from the cluster${r.server ? ` ${r.server}` : ''}${r.context ? ` (context ${r.context})` : ''}: ${r.error}`);
      return 2;
    }
    live = { values: r.config as ValueMap, computed: false, release: r.release, revision: r.revision, ...(r.chartVersion !== undefined ? { chartVersion: r.chartVersion } : {}) };
    where = ` (${r.record} in namespace ${r.namespace}, ${r.server}, context ${r.context})`;
  }
  const analysis = new ChartAnalysis(project.input);
  const report = computeDrift({
    environment: env.name,
    effective,
    live,
    declaredChartVersion: project.input.model.version,
    redactDeclared: (v) => analysis.redact(v),
    redactLive: valuesRedactor(live.values, project.input.secrets ?? {}, project.input.caches),
  });
  const versionDrift = report.chartVersion?.live !== undefined && report.chartVersion.live !== report.chartVersion.declared;
  if (format === 'json') out(JSON.stringify(driftJson(report), null, 2));
  else out(driftText(report, where));
  return report.changes.length > 0 || versionDrift ? 1 : 0;
}

function driftJson(r: DriftReport): object {
  return {
    environment: r.environment,
    ...(r.release !== undefined ? { release: r.release } : {}),
    ...(r.revision !== undefined ? { revision: r.revision } : {}),
    ...(r.chartVersion ? { chartVersion: r.chartVersion } : {}),
    compared: r.compared,
    changes: r.changes.map((c) => ({
      path: c.path,
      kind: c.kind,
      ...(c.kind !== 'live-only' ? { declared: sortedValue(c.declared ?? null) } : {}),
      ...(c.kind !== 'declared-only' ? { live: sortedValue(c.live ?? null) } : {}),
      ...(c.declaredSource ? { declaredSource: c.declaredSource } : {}),
    })),
  };
}

function driftText(r: DriftReport, where: string): string {
  const lines = [`helm-values drift: environment ${r.environment}${r.release !== undefined ? ` against release ${r.release}${r.revision !== undefined ? ` revision ${r.revision}` : ''}` : ''}${where}`];
  if (r.chartVersion) lines.push(`chart version: declared ${r.chartVersion.declared}, live ${r.chartVersion.live ?? '(unknown)'}${r.chartVersion.live !== undefined && r.chartVersion.live !== r.chartVersion.declared ? '  (differs)' : ''}`);
  if (r.compared === 'computed') lines.push('(the live values are computed values, helm get values --all: compared with the effective values)');
  if (r.changes.length === 0) lines.push('no drift: the release runs the declared values');
  for (const c of r.changes) {
    if (c.kind === 'live-only') lines.push(`  live-only      ${c.path}: ${brief(c.live)}   (set live, declared nowhere)`);
    else if (c.kind === 'declared-only') lines.push(`  declared-only  ${c.path}: ${brief(c.declared)}   [${refText(c.declaredSource)}] (not deployed)`);
    else lines.push(`  differs        ${c.path}: declared ${brief(c.declared)} [${refText(c.declaredSource)}], live ${brief(c.live)}`);
  }
  return lines.join('\n');
}
