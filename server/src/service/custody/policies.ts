// The release policies of `helm-values diff`: invariants a change should keep, each a finding with a stable code, a
// configurable severity (service/custody/owners.ts, `policies:`) and the line at fault.
//   change.dependency-and-flag      a dependency version changes in the same diff as a boolean flips
//   change.secret-reference         a secret reference changes (existingSecret, secretKeyRef, vals/SOPS reference)
//   change.override-outside-values  an environment gains a --set-kind layer (Argo CD parameter, Flux, helmfile set)
//   change.unowned                  a change no owner rule covers, when owners are configured
import { classifyName } from '../secrets/names';
import type { Finding, Severity, Value } from '../types';
import type { ChartVersions, EnvironmentDiff, SourceRef, ValueChange } from './types';
import type { PolicyCode, PolicySeverities } from './owners';

export interface PolicyInput {
  chart: ChartVersions;
  environments: readonly EnvironmentDiff[];
  /** Owner rules are configured (change.unowned applies). */
  owners: boolean;
  severities: PolicySeverities;
  /** Where a finding without a line of its own goes (the chart's Chart.yaml). */
  fallbackFile: string;
}

const fileOf = (s: SourceRef | undefined): { file: string; line: number } | undefined => (s && 'file' in s ? s : undefined);

/** The place a change is best shown: the new value's line, else the old one's. */
const placeOf = (c: ValueChange) => fileOf(c.afterSource) ?? fileOf(c.beforeSource);

const brief = (v: Value | undefined): string => {
  const s = JSON.stringify(v ?? null);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
};

/** A path that names or locates a secret, or a value that is a vals/SOPS reference. */
export function isSecretReference(c: ValueChange): boolean {
  const keys = c.segments.filter((s): s is string => typeof s === 'string');
  if (keys.some((k) => /^(secretKeyRef|secretRef|existingSecret.*)$/i.test(k))) return true;
  const last = keys[keys.length - 1];
  if (last !== undefined && classifyName(last).reference && /secret|password|token|credential|key/i.test(last)) return true;
  const ref = (v: Value | undefined) => typeof v === 'string' && (/^ref\+[a-z0-9]+:\/\//i.test(v.trim()) || /^ENC\[/.test(v.trim()) || /\bsecrets?:\/\//.test(v));
  return ref(c.before) || ref(c.after);
}

export function policyFindings(input: PolicyInput): Finding[] {
  const out: Finding[] = [];
  const push = (code: PolicyCode, at: { file: string; line: number } | undefined, message: string, data: Record<string, unknown>) => {
    const severity = input.severities[code];
    if (severity === 'off') return;
    const file = at?.file ?? input.fallbackFile;
    const line = at?.line ?? 1;
    out.push({ file, line, column: 1, endLine: line, endColumn: 2, severity: severity as Severity, code, message, data });
  };

  const bumped = input.chart.dependencies.filter((d) => d.before !== d.after);
  if (bumped.length > 0) {
    const what = bumped.map((d) => `${d.alias ?? d.name} ${d.before ?? '(none)'} -> ${d.after ?? '(removed)'}${d.file ? ` (${d.file}:${d.line ?? 1})` : ''}`).join(', ');
    for (const env of input.environments) {
      if (env.status !== 'changed') continue;
      for (const c of env.changes) {
        if (c.kind !== 'changed' || typeof c.before !== 'boolean' || typeof c.after !== 'boolean') continue;
        push('change.dependency-and-flag', placeOf(c), `${c.path} flips ${String(c.before)} -> ${String(c.after)} in environment "${env.name}" in the same change as dependency ${what}; release the dependency and the flag separately so each can be rolled back alone`, { environment: env.name, path: c.path, dependencies: bumped.map((d) => d.alias ?? d.name) });
      }
    }
  }

  // An added or removed environment is new or gone as a whole: its references did not change.
  for (const env of input.environments) {
    if (env.status !== 'changed') continue;
    for (const c of env.changes) {
      if (!isSecretReference(c)) continue;
      push('change.secret-reference', placeOf(c), `secret reference ${c.path} changes in environment "${env.name}" (${c.kind === 'added' ? 'added' : brief(c.before)} -> ${c.kind === 'removed' ? 'removed' : brief(c.after)}); validate the rotation in staging before it reaches production`, { environment: env.name, path: c.path });
    }
  }

  for (const env of input.environments) {
    const added = env.flags.after.filter((f) => !env.flags.before.includes(f));
    if (added.length === 0) continue;
    // The line of a change this flag made, else the chart.
    const flagChange = env.changes.find((c) => c.afterSource && 'flag' in c.afterSource && added.includes(`${c.afterSource.flag} ${c.afterSource.arg}`));
    const at = flagChange ? fileOf(flagChange.beforeSource) : undefined;
    push('change.override-outside-values', at, `environment "${env.name}" gains ${added.length === 1 ? 'a layer' : `${added.length} layers`} outside its values files (${added.join(', ')}); such overrides escape review of the values files: put the value in a values file instead`, { environment: env.name, flags: added });
  }

  if (input.owners) {
    const byPath = new Map<string, { change: ValueChange; envs: string[] }>();
    for (const env of input.environments) {
      for (const c of env.changes) {
        if ((c.owners?.length ?? 0) > 0) continue;
        const hit = byPath.get(c.path);
        if (hit) hit.envs.push(env.name);
        else byPath.set(c.path, { change: c, envs: [env.name] });
      }
    }
    for (const [path, { change, envs }] of byPath) {
      push('change.unowned', placeOf(change), `${path} changes (in ${envs.map((e) => `"${e}"`).join(', ')}) but no owners rule covers it; add it to owners: so someone must review it`, { path, environments: envs });
    }
  }
  return out;
}
