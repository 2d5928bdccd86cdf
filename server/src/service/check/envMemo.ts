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
import type { EnvironmentResult } from './types';

export interface EnvironmentCheck {
  result: EnvironmentResult;
  /** Helm's messages, schema errors and version differences, not yet placed. */
  messages: HelmMessage[];
  review: Finding[];
}

function chartSignature(m: ChartModel, caches: ServiceCaches): string {
  return `${m.name}@${m.version}:${caches.objectId(m.values)}:${caches.objectId(m.schema)}:${JSON.stringify(m.dependencies ?? null)}[${m.subcharts.map((s) => chartSignature(s, caches)).join(',')}]`;
}

/** A key that changes whenever anything an environment's result depends on changes (identities named by `caches`). */
export function environmentSignature(model: ChartModel, env: Environment, inputs: ValuesInputs, helmVersion: number, extra: string, caches: ServiceCaches): string {
  return [helmVersion, extra, chartSignature(model, caches), env.name, inputs.files.map((f) => caches.objectId(f)).join(','), JSON.stringify([inputs.set, inputs.setString, inputs.setJson, inputs.setFile, inputs.setLiteral]), layersSignature(inputs, caches)].join('|');
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

/** Whether a document can make the Helm versions disagree: a fact of the document alone, kept in its memo. */
const VERSION_SENSITIVE = memoKey<{ value?: boolean }>('check.version-sensitive', () => ({}));
function hasNull(v: Value): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.some(hasNull);
  if (typeof v === 'object') return Object.values(v).some((x) => hasNull(x ?? null));
  return false;
}

/** Whether a document can make Helm 3 and Helm 4 disagree: several YAML documents, or a null anywhere. */
function versionSensitive(doc: ValuesDocument): boolean {
  const slot = doc.memo.get(VERSION_SENSITIVE);
  slot.value ??= doc.documents.length > 1 || doc.documents.some((d) => hasNull(d));
  return slot.value;
}

/**
 * Whether merging with the other Helm major version can give a different result. The engine's version differences
 * are all about nulls (chart-default nils, user nulls for absent keys), multi-document files, `--set-json` objects
 * and malformed `--set` indexes; inputs without any of these merge identically, so the second merge is skipped.
 */
export function needsVersionComparison(model: ChartModel, inputs: ValuesInputs): boolean {
  // Nulls in the root chart's own defaults are kept by both versions; only subchart defaults are cleaned by Helm 4.
  const charts = (m: ChartModel): ChartModel[] => [m, ...m.subcharts.flatMap(charts)];
  if (model.values && model.values.documents.length > 1) return true;
  if (charts(model).slice(1).some((m) => m.values !== undefined && versionSensitive(m.values))) return true;
  if (inputs.files.some(versionSensitive)) return true;
  if ((inputs.setJson ?? []).length > 0 || (inputs.setFile ?? []).length > 0) return true;
  if (inputs.defaults && inputs.defaults.length > 0) return true;
  for (const l of inputs.layers ?? []) if (l.kind === 'flag' && (l.flag === 'set-json' || l.flag === 'set-file' || /null|\[/i.test(l.arg))) return true;
  return [...(inputs.set ?? []), ...(inputs.setString ?? []), ...(inputs.setLiteral ?? [])].some((a) => /null|\[/i.test(a));
}
