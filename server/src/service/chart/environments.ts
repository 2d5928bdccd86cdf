// Environments of a chart: ordered values files and --set* flags. Explicit configuration first
// (the `helmValues.environments` setting, or a config file for the CLI), then the naming conventions
// values-<env>.yaml, values.<env>.yaml, values/<env>.yaml and ci/<name>.yaml.
import type { ChartModel } from './chartModel';
import { readCustodyConfig, type OwnerRule, type PolicySeverities } from './custodyConfig';

/** One environment as configured (setting or config file). Paths are relative to the chart directory. */
export interface EnvironmentConfig {
  name: string;
  /** Chart directory the entry applies to (relative to the workspace / config file); absent = every chart. */
  chart?: string;
  /** Another environment whose layers come first (common -> prod -> prod-eu). */
  extends?: string;
  values?: string[];
  set?: string[];
  setString?: string[];
  setJson?: string[];
  setFile?: string[];
  setLiteral?: string[];
}

export interface Environment {
  name: string;
  origin: 'config' | 'convention' | 'defaults';
  /** Values files (`-f`), relative to the chart directory unless absolute, in order. */
  values: string[];
  set: string[];
  setString: string[];
  setJson: string[];
  setFile: string[];
  setLiteral: string[];
  /**
   * A deployment declared in an Argo CD, Flux or helmfile manifest: every layer in the order the tool applies it.
   * When present, the merge reads `layers` (and not `values`/`set*`, which then list the same files and flags for
   * the features that only ask which files an environment reads).
   */
  layers?: readonly EnvironmentLayer[];
  /** Where a discovered environment is declared, and by which tool. */
  discovered?: { kind: 'argocd' | 'flux' | 'helmfile'; file: string; line: number; column: number; label: string };
}

/** A place in a manifest, 1-based. */
export interface LayerPlace {
  file: string;
  line: number;
  column: number;
}

/**
 * One layer of a discovered environment, in the order it applies. `origin` names the manifest object in one phrase
 * (`Application prod-eu`, `HelmRelease podinfo (production)`): hovers and explain show it with the manifest line.
 */
export type EnvironmentLayer =
  /**
   * A values file (resolved like `values`). `defaults`: it replaces the chart's values.yaml (Flux valuesFiles).
   * `sops`: its values are encrypted (SOPS), the keys count, the `sops` metadata key is not a value.
   */
  | { type: 'file'; path: string; defaults?: boolean; sops?: boolean; origin?: string }
  /**
   * YAML written inside a manifest (or a rendered template): line `i` of `text` is line `line + i` (0-based) of
   * `file`, shifted right by `column`. `placed`: `text` is the whole manifest up to the end of the values, everything
   * else blanked (newlines kept), so its offsets are the manifest's too (`line`/`column` then only name the block).
   * `mergePatch`: a kustomize patch of the inline values before it (RFC 7386).
   */
  | { type: 'inline'; file: string; text: string; line: number; column: number; origin: string; mergePatch?: boolean; sops?: boolean; defaults?: boolean; placed?: boolean }
  /** A `--set*` flag; `at` is the manifest line that sets it (an Argo CD parameter's `value:`). */
  | { type: 'flag'; flag: 'set' | 'set-string' | 'set-json' | 'set-file' | 'set-literal'; arg: string; at?: LayerPlace; origin?: string; detail?: string };

export interface EnvironmentProblem {
  message: string;
  /** Index of the configured entry at fault (in the list given), so the host can name its file and line. */
  entry?: number;
  /** A problem with `owners:` (entry: its index) or `policies:` (key: the policy), not with an environment. */
  section?: 'owners' | 'policies';
  key?: string;
}

const FLAG_KEYS = ['set', 'setString', 'setJson', 'setFile', 'setLiteral'] as const;

/** Validates raw configuration (from JSON/YAML or settings) into EnvironmentConfig entries, with readable problems. */
export function readEnvironmentConfig(raw: unknown, where: string): { environments: EnvironmentConfig[]; problems: EnvironmentProblem[]; entries: number[]; owners: OwnerRule[]; policies: PolicySeverities } {
  const problems: EnvironmentProblem[] = [];
  // `owners:` and `policies:` beside `environments:` (service/custody/owners.ts).
  const custody = readCustodyConfig(raw, where);
  problems.push(...custody.problems);
  const { owners, policies } = custody;
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' && Array.isArray((raw as { environments?: unknown }).environments) ? (raw as { environments: unknown[] }).environments : undefined;
  if (list === undefined) {
    const onlyCustody = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && (raw as { environments?: unknown }).environments === undefined && ('owners' in raw || 'policies' in raw);
    if (raw !== undefined && raw !== null && !onlyCustody) problems.push({ message: `${where}: expected a list of environments (or {"environments": [...]})` });
    return { environments: [], problems, entries: [], owners, policies };
  }
  const environments: EnvironmentConfig[] = [];
  /** The index in the list of each environment kept. */
  const entries: number[] = [];
  list.forEach((e: unknown, i: number) => {
    const at = `${where}: environments[${i}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      problems.push({ message: `${at} is not an object`, entry: i });
      return;
    }
    const r = e as Record<string, unknown>;
    if (typeof r.name !== 'string' || r.name === '') {
      problems.push({ message: `${at} needs a "name"`, entry: i });
      return;
    }
    const env: EnvironmentConfig = { name: r.name };
    if (typeof r.chart === 'string') env.chart = r.chart;
    if (typeof r.extends === 'string') env.extends = r.extends;
    for (const key of ['values', ...FLAG_KEYS] as const) {
      const v = r[key];
      if (v === undefined) continue;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        problems.push({ message: `${at}.${key} must be a list of strings`, entry: i });
        continue;
      }
      env[key] = v as string[];
    }
    environments.push(env);
    entries.push(i);
  });
  return { environments, problems, entries, owners, policies };
}

function normalize(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

/** Whether a configured entry applies to the chart at `chartDirFromConfigRoot` (its `chart:`, if any, names it). */
export function configAppliesTo(c: EnvironmentConfig, chartDirFromConfigRoot: string | undefined): boolean {
  return c.chart === undefined || chartDirFromConfigRoot === undefined || normalize(c.chart) === normalize(chartDirFromConfigRoot);
}

/**
 * The environments of one chart: configured ones (resolving `extends`), then conventions for names not configured,
 * then `default` (chart defaults only). `chartDirFromConfigRoot` is the chart's directory relative to where the
 * configuration lives, used to match `chart:`.
 */
export function chartEnvironments(model: ChartModel, configured: readonly EnvironmentConfig[], chartDirFromConfigRoot?: string): { environments: Environment[]; problems: EnvironmentProblem[] } {
  const problems: EnvironmentProblem[] = [];
  const mine = configured.filter((c) => configAppliesTo(c, chartDirFromConfigRoot));
  const byName = new Map(mine.map((c) => [c.name, c]));
  const resolve = (c: EnvironmentConfig, stack: string[]): Environment => {
    let base: Environment = { name: c.name, origin: 'config', values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] };
    if (c.extends !== undefined) {
      const parent = byName.get(c.extends);
      if (!parent) problems.push({ message: `environment "${c.name}" extends "${c.extends}", which is not defined for chart ${model.name}`, entry: configured.indexOf(c) });
      else if (stack.includes(parent.name)) problems.push({ message: `environment "${c.name}": "extends" loops through ${[...stack, parent.name].join(' -> ')}`, entry: configured.indexOf(c) });
      else base = { ...resolve(parent, [...stack, parent.name]), name: c.name };
    }
    return {
      ...base,
      values: [...base.values, ...(c.values ?? [])],
      set: [...base.set, ...(c.set ?? [])],
      setString: [...base.setString, ...(c.setString ?? [])],
      setJson: [...base.setJson, ...(c.setJson ?? [])],
      setFile: [...base.setFile, ...(c.setFile ?? [])],
      setLiteral: [...base.setLiteral, ...(c.setLiteral ?? [])],
    };
  };
  const environments: Environment[] = mine.map((c) => resolve(c, [c.name]));
  const taken = new Set(environments.map((e) => e.name));
  for (const overlay of model.overlays) {
    const name = conventionName(model.dir, overlay.path);
    if (name === undefined || taken.has(name)) continue;
    taken.add(name);
    environments.push({ name, origin: 'convention', values: [relativeToChart(model.dir, overlay.path)], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] });
  }
  if (!taken.has('default')) environments.push({ name: 'default', origin: 'defaults', values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] });
  return { environments, problems };
}

export function relativeToChart(chartDir: string, file: string): string {
  const dir = normalize(chartDir);
  const f = normalize(file);
  return dir !== '' && f.startsWith(dir + '/') ? f.slice(dir.length + 1) : f;
}

/** The environment name a file's path gives by convention, if any. */
export function conventionName(chartDir: string, file: string): string | undefined {
  const rel = relativeToChart(chartDir, file);
  let m = /^values[-.]([^/]+?)\.ya?ml$/.exec(rel);
  if (m && m[1] !== 'schema') return m[1];
  m = /^values\/([^/]+?)\.ya?ml$/.exec(rel);
  if (m) return m[1];
  m = /^ci\/([^/]+?)\.ya?ml$/.exec(rel);
  if (m) return `ci/${m[1]}`;
  return undefined;
}
