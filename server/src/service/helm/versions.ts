// Helm releases, and the behaviour changes between them that reach `.Values`. The engine asks this table
// ("does this release clean chart-default nils?") instead of comparing majors. Each change was read off Helm's
// source at the tags on either side of it (helm/helm, pkg/chartutil in Helm 3, pkg/chart/common/util and
// pkg/chart/v2/util in Helm 4); docs/helm-versions.md lists them for users.

export interface HelmRelease {
  readonly major: 3 | 4;
  readonly minor: number;
  readonly patch: number;
}

/** The newest release of each major that the table below was checked against (Helm tags v3.21.4 and v4.2.4). */
export const NEWEST_RELEASE: Readonly<Record<3 | 4, HelmRelease>> = Object.freeze({
  3: Object.freeze({ major: 3, minor: 21, patch: 4 }),
  4: Object.freeze({ major: 4, minor: 2, patch: 4 }),
});

/** What `helmValues.helmVersion` and `--helm-version` default to. */
export const DEFAULT_RELEASE: HelmRelease = NEWEST_RELEASE[4];

/**
 * The oldest release modelled. Helm 3.13.0 (commit 0a5148faf, "Fix multiple bugs in values handling") and 3.13.1
 * (3547a4b5b, import-values precedence) rewrote how imported values and nulls merge; older releases differ in ways
 * the table does not cover.
 */
export const OLDEST_RELEASE: HelmRelease = Object.freeze({ major: 3, minor: 13, patch: 1 });

/** Newest patch of each minor (from Helm's tags): `4.1` means 4.1.4, as `4` means the newest 4.x. */
const NEWEST_PATCH: Record<string, number> = {
  '3.13': 3, '3.14': 4, '3.15': 4, '3.16': 4, '3.17': 4, '3.18': 6, '3.19': 5, '3.20': 2, '3.21': 4,
  '4.0': 5, '4.1': 4, '4.2': 4,
};

export type BehaviourId =
  | 'child-chart-merge'
  | 'null-merge-fix'
  | 'keep-null-without-default'
  | 'clean-chart-default-nils'
  | 'multi-document-values'
  | 'set-json-object'
  | 'strvals-wrapped-eof'
  | 'jsonschema-v6';

export interface BehaviourChange {
  id: BehaviourId;
  /** What the releases from `since` on do (one sentence, user-facing). */
  description: string;
  /** What releases before it did. */
  before: string;
  /** First release of each major line with the change; a line without an entry never has it. */
  since: Partial<Record<3 | 4, HelmRelease>>;
  /** Helm commit(s) and pull request. */
  source: string;
}

const r = (major: 3 | 4, minor: number, patch: number): HelmRelease => Object.freeze({ major, minor, patch });

export const BEHAVIOUR_CHANGES: readonly BehaviourChange[] = [
  {
    id: 'child-chart-merge',
    description: "a parent's values under a subchart's key merge with the user's without applying nulls, so a user null there reaches the subchart and deletes its default",
    before: "a user null under a subchart's key deleted only the parent's value; the subchart default came back",
    since: { 3: r(3, 17, 1), 4: r(4, 0, 0) },
    source: 'helm/helm#12879 (commit 5a58751a0, "merge null child chart objects"; 3.17.1: 9520c71fb)',
  },
  {
    id: 'null-merge-fix',
    description: 'a user null for a key the lower layer lacks is deleted when coalescing',
    before: 'a user null for a key the lower layer lacks stayed as null',
    since: { 3: r(3, 19, 5), 4: r(4, 0, 0) },
    source: 'helm/helm#30777 (commit c1175a410, "fix null merge"; 3.19.5: 578564ee2)',
  },
  {
    id: 'keep-null-without-default',
    description: 'a user null deletes a key only when a lower layer has a non-null value for it; otherwise the null is kept',
    before: 'a user null was deleted even where no lower layer had a value for the key',
    since: { 3: r(3, 20, 1), 4: r(4, 1, 3) },
    source: 'helm/helm#31644, fixes #31643 (commits 292fe7021, 679f05198; 3.20.1: 5417bfaa8, 417deb2b6; 4.1.3: 8c5fe4ef9, d94a5c97c)',
  },
  {
    id: 'clean-chart-default-nils',
    description: "a null in a chart's values.yaml (or copied into it from a subchart by dependency processing) is dropped when the user does not set the key: it neither appears in .Values nor shadows a global",
    before: "a chart-default null was copied into .Values as null (and a null the parent's values.yaml sets for a subchart key deleted the subchart's default)",
    since: { 4: r(4, 2, 0) },
    source: 'helm/helm#31979, fixes #31919 and #31971 (commit 00638773d, "do not copy chart-default nils into coalesced values"); the side effect on parent nulls is helm/helm#32132',
  },
  {
    id: 'multi-document-values',
    description: 'every YAML document of a values file (and of values.yaml) is merged in order',
    before: 'only the first YAML document of a values file is read',
    since: { 4: r(4, 0, 0) },
    source: 'helm/helm#13655 (commit 92087f6e3, "support multi-document values files")',
  },
  {
    id: 'set-json-object',
    description: '--set-json also takes a whole JSON object ({...}), merged over the values',
    before: '--set-json takes only key=json',
    since: { 4: r(4, 0, 0) },
    source: 'helm/helm#30294 (commit 274d43c10, "Enhance JSON value parsing in Helm CLI")',
  },
  {
    id: 'strvals-wrapped-eof',
    description: '--set parsing ends successfully on a wrapped end-of-input error too (errors.Is(err, io.EOF))',
    before: '--set parsing ends successfully only on a bare io.EOF; a wrapped one is reported as an error',
    since: { 4: r(4, 0, 0) },
    source: 'commit 63cf42a84 ("replace github.com/pkg/errors with stdlib errors package")',
  },
  {
    id: 'jsonschema-v6',
    description: 'values.schema.json is validated with santhosh-tekuri/jsonschema v6: drafts 4 to 2020-12, default 2020-12 when $schema is absent',
    before: 'values.schema.json is validated with xeipuuv/gojsonschema: drafts 04, 06, 07, default draft-07',
    since: { 3: r(3, 18, 5), 4: r(4, 0, 0) },
    source: 'commit cb8595bc6 ("json schema fix", 3.18.5); 32a87dff3 ("adding support for JSON Schema 2020") on the 4.x line',
  },
];

/**
 * `helm upgrade --reset-then-reuse-values` appeared in 3.14.0 (commit a9d59f946, "add --reset-then-reuse-values flag
 * to 'helm upgrade'"); `--reuse-values` is older than every release modelled. Upgrade.reuseValues is otherwise the
 * same from 3.13.1 to 4.2.4. A flag, not a change of what given inputs compute, so not in BEHAVIOUR_CHANGES.
 */
export const RESET_THEN_REUSE_SINCE: HelmRelease = r(3, 14, 0);

export const hasResetThenReuseValues = (release: HelmRelease): boolean => compareReleases(release, RESET_THEN_REUSE_SINCE) >= 0;

const BY_ID = new Map(BEHAVIOUR_CHANGES.map((c) => [c.id, c]));

export function compareReleases(a: HelmRelease, b: HelmRelease): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Whether `release` has behaviour change `id`. */
export function hasBehaviour(release: HelmRelease, id: BehaviourId): boolean {
  const since = BY_ID.get(id)?.since[release.major];
  return since !== undefined && compareReleases(release, since) >= 0;
}

export const multiDocumentValues = (release: HelmRelease): boolean => hasBehaviour(release, 'multi-document-values');
export const cleansChartDefaultNils = (release: HelmRelease): boolean => hasBehaviour(release, 'clean-chart-default-nils');
export const setJsonObjects = (release: HelmRelease): boolean => hasBehaviour(release, 'set-json-object');

/** The drafts Helm assumes for a schema without `$schema` (a subset of schema/types.ts SchemaDraft; no import, so helm/ does not depend on schema/). */
export type DefaultSchemaDraft = '07' | '2020-12';

/** Helm's default JSON Schema draft when `$schema` is absent. */
export function defaultSchemaDraft(release: HelmRelease): DefaultSchemaDraft {
  return hasBehaviour(release, 'jsonschema-v6') ? '2020-12' : '07';
}

export function formatRelease(release: HelmRelease): string {
  return `${release.major}.${release.minor}.${release.patch}`;
}

/**
 * Which behaviour changes a release has, as a short key: releases with the same key compute the same values (memo
 * keys use it, so 4.2.0 and 4.2.4 share work).
 */
export function behaviourKey(release: HelmRelease): string {
  return BEHAVIOUR_CHANGES.map((c) => (hasBehaviour(release, c.id) ? '1' : '0')).join('');
}

export type ParsedRelease = { release: HelmRelease } | { error: string };

/**
 * `3`, `4` (the newest release of that major), `4.1` (the newest patch of 4.1), `4.2.3`, optionally with a leading
 * `v`. Numbers are accepted as the setting's old integer form. Never throws.
 */
export function parseHelmRelease(input: unknown): ParsedRelease {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : undefined;
  const hint = 'use 3, 4 (the newest release of that major), or a release such as 4.1 or 4.2.3';
  if (text === undefined) return { error: `Helm version must be a string or number, not ${input === null ? 'null' : typeof input}: ${hint}` };
  const m = /^v?(\d+)(?:\.(\d+)(?:\.(\d+))?)?$/.exec(text);
  if (!m) return { error: `"${text}" is not a Helm version: ${hint}` };
  const major = Number(m[1]);
  if (major !== 3 && major !== 4) return { error: `Helm ${major} is not supported: ${hint}` };
  if (m[2] === undefined) return { release: NEWEST_RELEASE[major] };
  const minor = Number(m[2]);
  const newestPatch = NEWEST_PATCH[`${major}.${minor}`];
  const patch = m[3] !== undefined ? Number(m[3]) : (newestPatch ?? 0);
  const release = r(major, minor, patch);
  if (compareReleases(release, OLDEST_RELEASE) < 0) {
    return { error: `Helm ${text} is older than the oldest release modelled here (${formatRelease(OLDEST_RELEASE)}; Helm 3.13 changed how imported values and nulls merge): use 3.13 or later` };
  }
  return { release };
}

/** A span of releases that agree on every behaviour change. */
export interface BehaviourRange {
  from: HelmRelease;
  to: HelmRelease;
}

/**
 * The spans between behaviour changes, oldest first, from the oldest modelled release to the newest of each major:
 * the boundaries are the `since` releases of the changes; a span ends at the release before the next boundary.
 */
function computeBehaviourRanges(): BehaviourRange[] {
  const out: BehaviourRange[] = [];
  for (const major of [3, 4] as const) {
    const starts = [major === 3 ? OLDEST_RELEASE : r(4, 0, 0), ...BEHAVIOUR_CHANGES.flatMap((c) => c.since[major] ?? [])]
      .filter((s, i, all) => all.findIndex((x) => compareReleases(x, s) === 0) === i)
      .sort(compareReleases);
    starts.forEach((from, i) => {
      const next = starts[i + 1];
      out.push({ from, to: next ? previousRelease(next) : NEWEST_RELEASE[major] });
    });
  }
  return out;
}

/** The spans of releases between behaviour changes: a constant of the table above, computed once. */
const BEHAVIOUR_RANGES: readonly Readonly<BehaviourRange>[] = Object.freeze(computeBehaviourRanges().map((r) => Object.freeze(r)));

/** The spans of releases that agree on every behaviour change, oldest first (a fresh copy). */
export function behaviourRanges(): BehaviourRange[] {
  return BEHAVIOUR_RANGES.map((r) => ({ ...r }));
}

/** The last release before `next` (patch - 1, or the newest patch of the minor before). */
function previousRelease(next: HelmRelease): HelmRelease {
  if (next.patch > 0) return r(next.major, next.minor, next.patch - 1);
  const patch = NEWEST_PATCH[`${next.major}.${next.minor - 1}`];
  return r(next.major, next.minor - 1, patch ?? 0);
}

/** Which of `ids` a release has, as a key: releases with equal keys agree on everything `ids` can change. */
export function restrictedKey(release: HelmRelease, ids: ReadonlySet<BehaviourId>): string {
  return BEHAVIOUR_CHANGES.filter((c) => ids.has(c.id)).map((c) => (hasBehaviour(release, c.id) ? '1' : '0')).join('');
}

/** Releases that agree on the behaviour changes `ids`: a representative (the newest) and the spans they cover. */
export interface ReleaseClass {
  release: HelmRelease;
  key: string;
  /** Oldest first; adjacent spans of one major are merged. */
  spans: BehaviourRange[];
  label: string;
}

/**
 * The modelled releases grouped by what they do with respect to `ids`, oldest class first. Labels name whole majors
 * as `3` or `4` and otherwise the spans, e.g. `3, 4.0.0–4.1.4` against `4.2.0 and later`.
 */
export function releaseClasses(ids: ReadonlySet<BehaviourId>): ReleaseClass[] {
  const byKey = new Map<string, ReleaseClass>();
  for (const range of BEHAVIOUR_RANGES) {
    const key = restrictedKey(range.to, ids);
    const c = byKey.get(key) ?? { key, release: range.to, spans: [], label: '' };
    if (compareReleases(range.to, c.release) > 0) c.release = range.to;
    c.spans.push({ ...range });
    byKey.set(key, c);
  }
  for (const c of byKey.values()) {
    c.spans = mergeSpans(c.spans);
    c.label = c.spans.map(spanLabel).join(', ');
  }
  return [...byKey.values()];
}

/** Adjacent spans (one starting right after the other ends, within a major) joined into one. */
export function mergeSpans(spans: readonly BehaviourRange[]): BehaviourRange[] {
  const all = BEHAVIOUR_RANGES;
  const index = (r: HelmRelease) => all.findIndex((x) => compareReleases(x.from, r) === 0);
  const out: BehaviourRange[] = [];
  for (const sp of [...spans].sort((a, b) => compareReleases(a.from, b.from))) {
    const last = out[out.length - 1];
    const lastEnd = last ? all.findIndex((x) => compareReleases(x.to, last.to) === 0) : -2;
    if (last && last.from.major === sp.from.major && index(sp.from) === lastEnd + 1) last.to = sp.to;
    else out.push({ ...sp });
  }
  return out;
}

/** `3` (all of a major), `4.2.0 and later`, `4.0.0–4.1.2`, `4.1.3`. */
export function spanLabel({ from, to }: BehaviourRange): string {
  const first = from.major === 3 ? OLDEST_RELEASE : r(4, 0, 0);
  const newest = compareReleases(to, NEWEST_RELEASE[from.major]) >= 0;
  if (newest && compareReleases(from, first) === 0) return String(from.major);
  if (newest && from.major === 4) return `${formatRelease(from)} and later`;
  if (compareReleases(from, to) === 0) return formatRelease(from);
  return `${formatRelease(from)}–${formatRelease(to)}`;
}
