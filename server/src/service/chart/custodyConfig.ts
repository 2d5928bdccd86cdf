// `owners:` and `policies:` of the environments configuration (beside `environments:`): who must review which value
// paths, and how severe each release policy of `helm-values diff` is (service/custody/policies.ts). Read by
// readEnvironmentConfig (environments.ts) with the environments; matched by service/custody/owners.ts. Pure and total:
// bad entries become problems naming the entry, good ones are kept.
import type { Severity } from '../types';

/** One `owners:` entry: who must approve a change to these paths (in these environments, or all). */
export interface OwnerRule {
  /** Globs over dotted paths: `*` one key (or part of one), `**` any number of keys, `[*]` any index. */
  paths: string[];
  owners: string[];
  environments?: string[];
}

/** The release policies of `helm-values diff` (service/custody/policies.ts), each a finding code. */
export const POLICY_CODES = ['change.dependency-and-flag', 'change.secret-reference', 'change.override-outside-values', 'change.unowned'] as const;
export type PolicyCode = (typeof POLICY_CODES)[number];

/** Severity per policy; `off` turns one off. */
export type PolicySeverities = Readonly<Record<PolicyCode, Severity | 'off'>>;

export const DEFAULT_POLICY_SEVERITIES: PolicySeverities = Object.freeze({
  'change.dependency-and-flag': 'error',
  'change.secret-reference': 'warning',
  'change.override-outside-values': 'error',
  'change.unowned': 'warning',
});

export interface CustodyProblem {
  message: string;
  /** `owners`: index of the owners entry at fault; `policies`: the policy key at fault. */
  section: 'owners' | 'policies';
  entry?: number;
  key?: string;
}

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '');

/** Reads `owners:` (a list) and `policies:` (a map of code to severity) of a configuration object. */
export function readCustodyConfig(raw: unknown, where: string): { owners: OwnerRule[]; policies: PolicySeverities; problems: CustodyProblem[] } {
  const problems: CustodyProblem[] = [];
  const owners: OwnerRule[] = [];
  let policies: PolicySeverities = DEFAULT_POLICY_SEVERITIES;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { owners, policies, problems };
  const r = raw as Record<string, unknown>;
  if (r.owners !== undefined) {
    if (!Array.isArray(r.owners)) problems.push({ section: 'owners', message: `${where}: owners must be a list of {paths, owners, environments?}` });
    else {
      r.owners.forEach((e: unknown, i: number) => {
        const at = `${where}: owners[${i}]`;
        if (e === null || typeof e !== 'object' || Array.isArray(e)) {
          problems.push({ section: 'owners', entry: i, message: `${at} is not an object; write {paths: ["a.**"], owners: ["@team"]}` });
          return;
        }
        const o = e as Record<string, unknown>;
        if (!isStringList(o.paths) || o.paths.length === 0) {
          problems.push({ section: 'owners', entry: i, message: `${at}.paths must be a non-empty list of path globs (e.g. "resources.**")` });
          return;
        }
        if (!isStringList(o.owners) || o.owners.length === 0) {
          problems.push({ section: 'owners', entry: i, message: `${at}.owners must be a non-empty list of owners (e.g. "@team-a")` });
          return;
        }
        if (o.environments !== undefined && !isStringList(o.environments)) {
          problems.push({ section: 'owners', entry: i, message: `${at}.environments must be a list of environment names` });
          return;
        }
        owners.push({ paths: o.paths, owners: o.owners, ...(o.environments !== undefined ? { environments: o.environments as string[] } : {}) });
      });
    }
  }
  if (r.policies !== undefined) {
    if (r.policies === null || typeof r.policies !== 'object' || Array.isArray(r.policies)) {
      problems.push({ section: 'policies', message: `${where}: policies must be a map of policy code to severity (error, warning, info, hint, off)` });
    } else {
      const out: Record<string, Severity | 'off'> = { ...DEFAULT_POLICY_SEVERITIES };
      for (const [k, v] of Object.entries(r.policies as Record<string, unknown>)) {
        if (!(POLICY_CODES as readonly string[]).includes(k)) {
          problems.push({ section: 'policies', key: k, message: `${where}: policies.${k} is not a policy (known: ${POLICY_CODES.join(', ')})` });
          continue;
        }
        if (typeof v !== 'string' || !SEVERITIES.includes(v)) {
          problems.push({ section: 'policies', key: k, message: `${where}: policies.${k} must be one of ${SEVERITIES.join(', ')}` });
          continue;
        }
        out[k] = v as Severity | 'off';
      }
      policies = out as unknown as PolicySeverities;
    }
  }
  return { owners, policies, problems };
}
