// What a change does to each environment: the effective values of every environment at two revisions of a chart,
// compared leaf by leaf, each changed path with its old and new value and the layer (file and line) each came from.
// Environments whose files changed without a change in their values say which layer shadows the edit. Values are
// redacted as everywhere else (ChartAnalysis.redact). Pure: both sides are AnalysisInputs the host assembled
// (host/projectModel.ts, the base side read from git through host/gitRevision.ts).
//
// Leaves are scalars, lists (Helm replaces a list whole: it is one value) and empty maps.
import { ChartAnalysis, type AnalysisInput } from '../analysis';
import { environmentInputs } from '../check/check';
import { computeEffective, type Effective } from '../helm/effective';
import type { Source } from '../helm/provenance';
import { formatKeyPath } from '../secrets/keyPath';
import type { Value, ValueMap } from '../types';
import { isTable } from '../values/valueUtil';
import type { PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { ownerMatcher, DEFAULT_POLICY_SEVERITIES, type OwnerRule, type PolicySeverities } from './owners';
import { policyFindings } from './policies';
import { sourceRef, type ChartVersions, type EnvironmentDiff, type ShadowedEdit, type ValueChange, type ValuesDiff } from './types';

export type { ChartVersions, EnvironmentDiff, ShadowedEdit, SourceRef, ValueChange, ValuesDiff } from './types';

export interface DiffOptions {
  /** Only these environments (all when absent). */
  environments?: readonly string[];
  owners?: readonly OwnerRule[];
  policies?: PolicySeverities;
}

interface Leaf {
  segments: PathSegment[];
  value: Value;
  source?: Source;
}

/** The leaves of a values tree with the source of each (from the merge's provenance). */
function leaves(values: ValueMap, effective: Effective | undefined): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (map: ValueMap, prefix: PathSegment[]) => {
    for (const k of Object.keys(map)) {
      const v = map[k] ?? null;
      const segments = [...prefix, k];
      if (isTable(v) && Object.keys(v).length > 0) walk(v, segments);
      else {
        const source = effective?.prov.get(map, k)?.source;
        out.set(formatKeyPath(segments), { segments, value: v, ...(source ? { source } : {}) });
      }
    }
  };
  walk(values, []);
  return out;
}

const same = (a: Value, b: Value) => a === b || canonical(a) === canonical(b);

function canonical(v: Value): string {
  return JSON.stringify(v, (_k, x: unknown) => (isTable(x as Value) ? Object.fromEntries(Object.keys(x as object).sort().map((k) => [k, (x as ValueMap)[k]])) : x));
}

interface Side {
  input: AnalysisInput;
  analysis: ChartAnalysis;
}

interface EnvValues {
  effective?: Effective;
  files: ValuesDocument[];
  errors: string[];
}

function environmentValues(side: Side, name: string): EnvValues | undefined {
  const env = side.input.environments.find((e) => e.name === name);
  if (!env) return undefined;
  const { inputs, problems } = environmentInputs(side.input, env);
  const effective = computeEffective(side.input.model, inputs, side.input.helmVersion, side.input.caches);
  const errors = [...problems.map((p) => p.message), ...(effective.error ? [effective.error.message] : [])];
  return { effective, files: [...inputs.files], errors };
}

const flagsOf = (side: Side | undefined, name: string): string[] => {
  const e = side?.input.environments.find((x) => x.name === name);
  if (!e) return [];
  return [...e.setJson.map((a) => `--set-json ${a}`), ...e.set.map((a) => `--set ${a}`), ...e.setString.map((a) => `--set-string ${a}`), ...e.setFile.map((a) => `--set-file ${a}`), ...e.setLiteral.map((a) => `--set-literal ${a}`)];
};

function chartVersions(base: AnalysisInput | undefined, head: AnalysisInput | undefined): ChartVersions {
  const name = head?.model.name ?? base?.model.name ?? '';
  const key = (d: { name: string; alias?: string }) => `${d.name}\0${d.alias ?? ''}`;
  const deps = new Map<string, ChartVersions['dependencies'][number]>();
  for (const d of base?.model.dependencies ?? []) deps.set(key(d), { name: d.name, ...(d.alias ? { alias: d.alias } : {}), ...(d.version !== undefined ? { before: d.version } : {}) });
  for (const d of head?.model.dependencies ?? []) {
    const prev = deps.get(key(d)) ?? { name: d.name, ...(d.alias ? { alias: d.alias } : {}) };
    deps.set(key(d), { ...prev, ...(d.version !== undefined ? { after: d.version } : {}), file: d.file, line: d.line });
  }
  return {
    name,
    version: { ...(base ? { before: base.model.version } : {}), ...(head ? { after: head.model.version } : {}) },
    dependencies: [...deps.values()],
  };
}

/**
 * Compares the environments of a chart at two revisions (`base` or `head` undefined: the chart does not exist on
 * that side). Never throws.
 */
export function diffEffectiveValues(base: AnalysisInput | undefined, head: AnalysisInput | undefined, options: DiffOptions = {}): ValuesDiff {
  const sideOf = (input: AnalysisInput | undefined): Side | undefined => (input ? { input, analysis: new ChartAnalysis(input) } : undefined);
  const b = sideOf(base);
  const h = sideOf(head);
  const names: string[] = [];
  for (const s of [b, h]) for (const e of s?.input.environments ?? []) if (!names.includes(e.name)) names.push(e.name);
  const wanted = options.environments ? names.filter((n) => options.environments?.includes(n)) : names;
  const owners = ownerMatcher(options.owners ?? []);
  const environments: EnvironmentDiff[] = [];
  for (const name of wanted) {
    const before = b ? environmentValues(b, name) : undefined;
    const after = h ? environmentValues(h, name) : undefined;
    const status: EnvironmentDiff['status'] = !before ? 'added' : !after ? 'removed' : 'unchanged';
    const errors = [...(before?.errors ?? []).map((message) => ({ side: 'base' as const, message })), ...(after?.errors ?? []).map((message) => ({ side: 'head' as const, message }))];
    const oldLeaves = before?.effective ? leaves(before.effective.values, before.effective) : new Map<string, Leaf>();
    const newLeaves = after?.effective ? leaves(after.effective.values, after.effective) : new Map<string, Leaf>();
    const changes: ValueChange[] = [];
    const redactB = (v: Value) => (b ? b.analysis.redact(v) : v);
    const redactH = (v: Value) => (h ? h.analysis.redact(v) : v);
    for (const [path, o] of oldLeaves) {
      const n = newLeaves.get(path);
      if (n && same(o.value, n.value)) continue;
      const bs = sourceRef(o.source);
      const change: ValueChange = { path, segments: o.segments, kind: n ? 'changed' : 'removed', before: redactB(o.value), ...(bs ? { beforeSource: bs } : {}) };
      if (n) {
        const as = sourceRef(n.source);
        change.after = redactH(n.value);
        if (as) change.afterSource = as;
      }
      changes.push(change);
    }
    for (const [path, n] of newLeaves) {
      if (oldLeaves.has(path)) continue;
      const as = sourceRef(n.source);
      changes.push({ path, segments: n.segments, kind: 'added', after: redactH(n.value), ...(as ? { afterSource: as } : {}) });
    }
    changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    if (owners.configured) for (const c of changes) c.owners = owners.ownersOf(c.segments, name);
    const changedFiles: string[] = [];
    const shadowed: ShadowedEdit[] = [];
    if (before && after && b && h) {
      const docsOf = (side: Side, v: EnvValues) => [...(side.input.model.values ? [side.input.model.values] : []), ...v.files];
      const oldDocs = new Map(docsOf(b, before).map((d) => [d.file, d]));
      for (const d of docsOf(h, after)) {
        const o = oldDocs.get(d.file);
        if (!o || o.text === d.text) continue;
        changedFiles.push(d.file);
        shadowed.push(...shadowedEdits(o, d, changes, newLeaves));
      }
    }
    environments.push({
      name,
      status: status === 'unchanged' && changes.length > 0 ? 'changed' : status,
      changes,
      shadowed,
      changedFiles,
      flags: { before: flagsOf(b, name), after: flagsOf(h, name) },
      errors,
    });
  }
  const chart = chartVersions(base, head);
  const fallback = head?.model.chartFile ?? base?.model.chartFile ?? head?.model.dir ?? base?.model.dir ?? '';
  const findings = policyFindings({ chart, environments, owners: owners.configured, severities: options.policies ?? DEFAULT_POLICY_SEVERITIES, fallbackFile: fallback });
  return { chart, environments, findings };
}

/** Paths a file's edit changed that the head's values do not show, with the layer that wins there. */
function shadowedEdits(oldDoc: ValuesDocument, newDoc: ValuesDocument, changes: readonly ValueChange[], head: ReadonlyMap<string, Leaf>): ShadowedEdit[] {
  const o = leaves(oldDoc.documents[0] ?? {}, undefined);
  const n = leaves(newDoc.documents[0] ?? {}, undefined);
  const edited = new Set<string>();
  for (const [p, l] of n) if (!o.has(p) || !same(o.get(p)?.value ?? null, l.value)) edited.add(p);
  for (const p of o.keys()) if (!n.has(p)) edited.add(p);
  const out: ShadowedEdit[] = [];
  const changed = new Set(changes.map((c) => c.path));
  for (const p of edited) {
    if (changed.has(p)) continue;
    const winner = head.get(p)?.source;
    if (!winner || (winner.kind === 'file' && winner.file === newDoc.file)) continue;
    const by = sourceRef(winner);
    if (by) out.push({ path: p, file: newDoc.file, by });
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
