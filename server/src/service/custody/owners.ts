// Owners of value paths (`owners:` in the environments configuration, read by chart/custodyConfig.ts): which rules
// cover a changed path. Pure.
import { compileKeyPathGlob, matchKeyPath, type KeyPathGlob } from '../secrets/keyPath';
import type { PathSegment } from '../yaml/valuesDocument';
import type { OwnerRule } from '../chart/custodyConfig';

export { DEFAULT_POLICY_SEVERITIES, POLICY_CODES, readCustodyConfig, type OwnerRule, type PolicyCode, type PolicySeverities } from '../chart/custodyConfig';

/** Owner rules compiled once for matching many paths. */
export interface OwnerMatcher {
  readonly configured: boolean;
  /** The owners of a path in an environment, in rule order, without repeats; [] when no rule covers it. */
  ownersOf(path: readonly PathSegment[], environment: string): string[];
}

export function ownerMatcher(rules: readonly OwnerRule[]): OwnerMatcher {
  const compiled: { globs: KeyPathGlob[]; rule: OwnerRule }[] = rules.map((rule) => ({ rule, globs: rule.paths.map(compileKeyPathGlob) }));
  return {
    configured: rules.length > 0,
    ownersOf(path, environment) {
      const out: string[] = [];
      for (const { rule, globs } of compiled) {
        if (rule.environments && !rule.environments.includes(environment)) continue;
        if (!globs.some((g) => matchKeyPath(g, path))) continue;
        for (const o of rule.owners) if (!out.includes(o)) out.push(o);
      }
      return out;
    },
  };
}
