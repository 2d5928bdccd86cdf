// Reuse of per-environment work across snapshots: an environment whose inputs are the very same objects (parsed
// documents are reused while their text is unchanged) gets the same result, so an edit re-merges only the
// environments that read the edited file.
import type { ChartModel } from '../chart/chartModel';
import type { Environment } from '../chart/environments';
import type { HelmMessage, ValuesInputs } from '../helm/effective';
import type { Finding, Value } from '../types';
import type { ValuesDocument } from '../yaml/valuesDocument';
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import { formatRelease, type BehaviourId, type HelmRelease } from '../helm/versions';
import type { EnvironmentResult } from './types';

export interface EnvironmentCheck {
  result: EnvironmentResult;
  /** Helm's messages and schema errors, not yet placed. */
  messages: HelmMessage[];
  review: Finding[];
  /** `helm.version-dependent`: the keys other Helm releases merge differently (merged on first call, then kept). */
  versionMessages: () => HelmMessage[];
}

function chartSignature(m: ChartModel, caches: ServiceCaches): string {
  return `${m.name}@${m.version}:${caches.objectId(m.values)}:${caches.objectId(m.schema)}:${JSON.stringify(m.dependencies ?? null)}[${m.subcharts.map((s) => chartSignature(s, caches)).join(',')}]`;
}

/** A key that changes whenever anything an environment's result depends on changes (identities named by `caches`). */
export function environmentSignature(model: ChartModel, env: Environment, inputs: ValuesInputs, helmVersion: HelmRelease, extra: string, caches: ServiceCaches): string {
  return [formatRelease(helmVersion), extra, chartSignature(model, caches), env.name, inputs.files.map((f) => caches.objectId(f)).join(','), JSON.stringify([inputs.set, inputs.setString, inputs.setJson, inputs.setFile, inputs.setLiteral]), layersSignature(inputs, caches)].join('|');
}

/** A discovered environment's ordered layers and replaced defaults (the merge depends on their order and kinds). */
function layersSignature(inputs: ValuesInputs, caches: ServiceCaches): string {
  if (!inputs.layers) return '';
  const layers = inputs.layers.map((l) => (l.kind === 'flag' ? JSON.stringify([l.flag, l.arg, l.at ?? null, l.origin ?? '', l.detail ?? '']) : `${caches.objectId(l.doc)}:${l.inline ? 'i' : ''}${l.mergePatch ? 'p' : ''}${l.sops ? 's' : ''}:${l.origin ?? ''}`));
  return `${layers.join(';')}|${(inputs.defaults ?? []).map((d) => caches.objectId(d)).join(',')}`;
}

/**
 * The latest result of each environment of each chart, with the signature it was computed for: a lookup hits only
 * when the signature is unchanged. One slot per environment, so a chart with many environments never evicts its own
 * results, and results of superseded texts are dropped as soon as the environment is recomputed.
 */
export class EnvironmentMemo {
  private readonly slots = new Map<string, { signature: string; check: EnvironmentCheck }>();
  constructor(private readonly limit = 256) {}

  get(slot: string, signature: string): EnvironmentCheck | undefined {
    const hit = this.slots.get(slot);
    return hit && hit.signature === signature ? hit.check : undefined;
  }

  set(slot: string, signature: string, check: EnvironmentCheck): void {
    this.slots.delete(slot);
    this.slots.set(slot, { signature, check });
    while (this.slots.size > this.limit) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) break;
      this.slots.delete(oldest);
    }
  }
}

interface DocumentShape {
  /** Several YAML documents. */
  multi: boolean;
  /** A null in a map at any depth (the only nulls coalescing acts on: it never looks inside lists). */
  nulls: boolean;
  /** A null in a map below the top level (top-level nulls are handled alike by every release). */
  nestedNulls: boolean;
}
/** What in a document can make Helm releases disagree: a fact of the document alone, kept in its memo. */
const SHAPE = memoKey<{ value?: DocumentShape }>('check.document-shape', () => ({}));

/** The least depth (1 = top level) at which a map holds a null, or 0 when none does. */
function nullDepth(v: Value, depth: number): number {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 0;
  let best = 0;
  for (const x of Object.values(v)) {
    const d = x === null || x === undefined ? depth : nullDepth(x, depth + 1);
    if (d > 0 && (best === 0 || d < best)) best = d;
    if (best === 1) break;
  }
  return best;
}

function shapeOf(doc: ValuesDocument): DocumentShape {
  const slot = doc.memo.get(SHAPE);
  if (slot.value === undefined) {
    const nulls = doc.documents.some((d) => nullDepth(d, 1) > 0);
    const nestedNulls = doc.documents.some((d) => Object.values(d).some((x) => x !== null && x !== undefined && nullDepth(x, 2) > 0));
    slot.value = { multi: doc.documents.length > 1, nulls, nestedNulls };
  }
  return slot.value;
}

/**
 * The behaviour changes between Helm releases (versions.ts) that can change this chart's result for these inputs.
 * Each change is about multi-document files, `--set-json` objects, malformed `--set` indexes, nulls in chart
 * defaults, or nulls the user sets; inputs without the trigger merge identically in every release, so comparing
 * releases needs one merge per class of releases that differ in a relevant change (none when nothing is relevant).
 */
export function relevantBehaviours(model: ChartModel, inputs: ValuesInputs): Set<BehaviourId> {
  const out = new Set<BehaviourId>();
  const charts = (m: ChartModel): ChartModel[] => [m, ...m.subcharts.flatMap(charts)];
  const defaults = (doc: ValuesDocument) => {
    const s = shapeOf(doc);
    if (s.multi) out.add('multi-document-values');
    if (s.nulls) out.add('clean-chart-default-nils');
  };
  for (const m of charts(model)) if (m.values) defaults(m.values);
  // Flux valuesFiles replace values.yaml; --reuse-values replaces it with the previous computed values.
  for (const d of inputs.defaults ?? []) defaults(d);
  if (inputs.previous?.computed) defaults(inputs.previous.computed);
  const userNull = () => ['child-chart-merge', 'null-merge-fix', 'keep-null-without-default'].forEach((id) => out.add(id as BehaviourId));
  const user = (doc: ValuesDocument) => {
    const s = shapeOf(doc);
    if (s.multi) out.add('multi-document-values');
    if (s.nestedNulls) userNull();
  };
  // A discovered environment's ordered layers stand for the files and flag lists (ValuesInputs.layers).
  const layers = inputs.layers;
  for (const f of layers ? layers.flatMap((l) => (l.kind === 'values' ? [l.doc] : [])) : inputs.files) user(f);
  if (inputs.previous) user(inputs.previous.config);
  const flagsOf = (kind: 'set' | 'set-string' | 'set-literal' | 'set-json' | 'set-file', list: readonly string[] | undefined) => (layers ? layers.flatMap((l) => (l.kind === 'flag' && l.flag === kind ? [l.arg] : [])) : (list ?? []));
  const set = flagsOf('set', inputs.set);
  const setJson = flagsOf('set-json', inputs.setJson);
  if (setJson.some((a) => a.trim().startsWith('{'))) out.add('set-json-object');
  const flags = [...set, ...flagsOf('set-string', inputs.setString), ...flagsOf('set-literal', inputs.setLiteral), ...setJson, ...flagsOf('set-file', inputs.setFile)];
  if (flags.some((a) => a.includes('['))) out.add('strvals-wrapped-eof');
  // A --set null below the top level (`a.b=null`), or any --set-json value (JSON may hold nulls at any depth).
  if (set.some((a) => /null/i.test(a) && /[.[]/.test(a)) || setJson.some((a) => /null/i.test(a))) userNull();
  return out;
}
