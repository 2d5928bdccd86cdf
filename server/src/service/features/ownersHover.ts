// The owners of a key on hover: the `owners:` rules of the configuration (chart/custodyConfig.ts) that cover its path,
// per environment where rules name environments. Pure.
import type { ChartAnalysis } from '../analysis';
import { ownerMatcher } from '../custody/owners';
import type { PathSegment } from '../yaml/valuesDocument';

/** `Owners: @team-a, @team-b` (or one line per group of environments that differ); undefined without rules that apply. */
export function ownersSection(analysis: ChartAnalysis, path: readonly PathSegment[], environments: readonly string[]): string | undefined {
  const rules = analysis.input.owners ?? [];
  if (rules.length === 0) return undefined;
  const matcher = ownerMatcher(rules);
  const byOwners = new Map<string, string[]>();
  for (const env of environments) {
    const owners = matcher.ownersOf(path, env).join(', ');
    byOwners.set(owners, [...(byOwners.get(owners) ?? []), env]);
  }
  const code = (s: string) => '`' + s + '`';
  const list = (owners: string) => (owners === '' ? 'none (no `owners:` rule covers this key)' : owners.split(', ').map(code).join(', '));
  if (byOwners.size === 1) return `**Owners**: ${list([...byOwners.keys()][0] ?? '')}`;
  return ['**Owners**:', ...[...byOwners].map(([owners, envs]) => `- ${envs.join(', ')}: ${list(owners)}`)].join('\n');
}
