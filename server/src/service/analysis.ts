// ChartAnalysis: everything the features ask about one chart in one snapshot, computed lazily and memoized.
// Immutable inputs in, plain answers out: which role a file plays, the effective values of each environment,
// the findings, and how a key path in a file maps to a path in the effective values.
import { createServiceCaches, type ServiceCaches } from './caches';
import type { ChartModel } from './chart/chartModel';
import { MemoTable } from './memo';
import { inlineDocument } from './check/inlineDocuments';
import type { Environment, EnvironmentLayer } from './chart/environments';
import { checkChartInPhases, checkEnvironment, environmentInputs, type EnvironmentResult } from './check/check';
import type { EnvironmentMemo } from './check/envMemo';
import type { HelmVersion } from './helm/coalesce';
import { computeEffective } from './helm/effective';
import type { Finding, Value } from './types';
import { detectSecrets, secretText } from './secrets/detect';
import type { DocumentCache } from './yaml/documentCache';
import type { SchemaLookup } from './schema/validate';
import type { SecretOptions } from './secrets/detect';
import type { OwnerRule } from './chart/custodyConfig';
import type { PathSegment, ValuesDocument } from './yaml/valuesDocument';

export interface AnalysisInput {
  model: ChartModel;
  environments: readonly Environment[];
  resolveValues: (path: string) => ValuesDocument | { error: string };
  readFile?: (path: string) => string | undefined;
  helmVersion: HelmVersion;
  documents: DocumentCache;
  /** Compiled schemas of the charts (from the host). */
  schemas?: SchemaLookup;
  /** Secret detection options (settings and ignore-file entries, from the host). */
  secrets?: SecretOptions;
  relativePath?: (file: string) => string;
  /** The secrets ignore file (path and current text, '' when absent), for the "ignore in file" fix. */
  secretsIgnoreFile?: { path: string; text: string };
  /** Per-environment results kept across snapshots by the host. */
  memo?: EnvironmentMemo;
  /** The host's long-lived caches (one per CLI run or server session); without, this snapshot's own. */
  caches?: ServiceCaches;
  /** `owners:` rules of the configuration (who must review which value paths): shown on hover. */
  owners?: readonly OwnerRule[];
}

/** Where a chart's subchart sits in the effective values: one prefix per name or alias it is used under. */
export interface ChartPlace {
  model: ChartModel;
  /** Key paths from the root's values to this chart's values (empty for the root); several with aliases. */
  prefixes: PathSegment[][];
}

export type FileRole =
  /** A chart's values.yaml (root: prefix []; subcharts: their name/alias paths). */
  | { kind: 'defaults'; place: ChartPlace }
  /** A user values file used by some environments (an overlay). */
  | { kind: 'overlay'; environments: string[] }
  | { kind: 'unknown' };

export class ChartAnalysis {
  private readonly results = new Map<string, EnvironmentResult>();
  private placesMemo: ChartPlace[] | undefined;
  private phasesMemo: ReturnType<typeof checkChartInPhases> | undefined;
  /** What features derive from this snapshot (layers, rendered views, hint indexes), dropped with it. */
  readonly memo = new MemoTable();
  /** The host's long-lived caches (or this snapshot's own, when the host passed none). */
  readonly caches: ServiceCaches;
  readonly input: AnalysisInput & { caches: ServiceCaches };

  constructor(input: AnalysisInput) {
    this.caches = input.caches ?? createServiceCaches();
    this.input = { ...input, caches: this.caches };
  }

  get model(): ChartModel {
    return this.input.model;
  }

  get environments(): readonly Environment[] {
    return this.input.environments;
  }

  /** Effective values of one environment (memoized). Undefined for an unknown name. */
  environment(name: string): EnvironmentResult | undefined {
    const hit = this.results.get(name);
    if (hit) return hit;
    const env = this.input.environments.find((e) => e.name === name);
    if (!env) return undefined;
    const { inputs } = environmentInputs(this.input, env);
    const fallback = this.input.model.values?.file ?? this.input.model.chartFile ?? this.input.model.dir;
    const result: EnvironmentResult = this.input.memo
      ? checkEnvironment(this.input, env, inputs, fallback).result
      : { environment: env, effective: computeEffective(this.input.model, inputs, this.input.helmVersion, this.caches), files: [...inputs.files] };
    this.results.set(name, result);
    return result;
  }

  /** Every finding `helm-values check` reports for this chart (memoized). */
  findings(): Finding[] {
    return this.phases().complete();
  }

  /**
   * The findings without `helm.version-dependent` (it merges every environment again, as other Helm releases) and
   * without `secret.*` (a scan of every line of an edited file): what the language server publishes first after an
   * edit, before `findings()`.
   */
  findingsFirst(): Finding[] {
    return this.phases().first();
  }

  private phases(): ReturnType<typeof checkChartInPhases> {
    if (!this.phasesMemo) {
      this.phasesMemo = checkChartInPhases({ ...this.input });
      for (const r of this.phasesMemo.results) if (!this.results.has(r.environment.name)) this.results.set(r.environment.name, r);
    }
    return this.phasesMemo;
  }

  /**
   * Values the secret detector flags in this chart's files (error or warning). Editor displays (hover, inlay hints,
   * the effective-values view) show them redacted: a secret is never echoed back.
   */
  private secretsMemo: Map<string, string> | undefined;
  redact(v: Value): Value {
    if (this.input.secrets?.enabled === false) return v;
    if (!this.secretsMemo) {
      const found = new Map<string, string>();
      const docs = new Set<ValuesDocument>();
      for (const p of this.places()) if (p.model.values) docs.add(p.model.values);
      for (const e of this.input.environments) {
        for (const f of e.values) {
          const r = this.input.resolveValues(f);
          if (!('error' in r)) docs.add(r);
        }
      }
      for (const d of docs) {
        for (const f of detectSecrets(d, { ...this.input.secrets, relativePath: this.input.relativePath?.(d.file) ?? d.file }, this.caches)) {
          if (f.severity !== 'error' && f.severity !== 'warning') continue;
          const text = secretText(f);
          if (text) found.set(text, f.redacted);
        }
      }
      this.secretsMemo = found;
    }
    const secrets = this.secretsMemo;
    if (secrets.size === 0) return v;
    const walk = (x: Value): Value => {
      if (typeof x === 'string') return secrets.get(x) ?? x;
      if (Array.isArray(x)) return x.map(walk);
      if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y ?? null)]));
      return x;
    };
    return walk(v);
  }

  /** The chart tree with the effective-value prefixes of each chart. */
  places(): ChartPlace[] {
    if (!this.placesMemo) {
      const out: ChartPlace[] = [];
      const walk = (model: ChartModel, prefixes: PathSegment[][]) => {
        out.push({ model, prefixes });
        for (const sub of model.subcharts) {
          const deps = (model.dependencies ?? []).filter((d) => d.name === sub.name);
          const names = deps.length > 0 ? deps.map((d) => d.alias ?? d.name) : [sub.name];
          walk(sub, prefixes.flatMap((p) => names.map((n) => [...p, n])));
        }
      };
      walk(this.input.model, [[]]);
      this.placesMemo = out;
    }
    return this.placesMemo;
  }

  /** The role of a file (by display path) in this chart. */
  roleOf(file: string): FileRole {
    const place = this.places().find((p) => p.model.values?.file === file);
    if (place) return { kind: 'defaults', place };
    const envs = this.input.environments.filter((e) => e.values.some((v) => this.resolvedFile(v) === file) || e.layers?.some((l) => l.type === 'inline' && l.file === file)).map((e) => e.name);
    if (envs.length > 0) return { kind: 'overlay', environments: envs };
    return { kind: 'unknown' };
  }

  /**
   * The parsed document of a file of this chart (values.yaml of any chart, or a values file of an environment). A
   * GitOps manifest holds one document per block of inline values: with `offset`, the one whose keys are there.
   */
  document(file: string, offset?: number): ValuesDocument | undefined {
    const place = this.places().find((p) => p.model.values?.file === file);
    if (place?.model.values) return place.model.values;
    const inline = this.inlineDocuments(file);
    if (inline.length > 0) return (offset !== undefined ? inline.find((d) => d.index.entryAt(offset) !== undefined) : undefined) ?? inline[0];
    for (const e of this.input.environments) {
      for (const v of e.values) {
        const r = this.input.resolveValues(v);
        if (!('error' in r) && r.file === file) return r;
      }
    }
    return undefined;
  }

  /** Paths in the effective values that a key path of a file maps to (several when a subchart has aliases). */
  effectivePaths(file: string, path: readonly PathSegment[]): PathSegment[][] {
    const role = this.roleOf(file);
    if (role.kind === 'defaults') return role.place.prefixes.map((p) => [...p, ...path]);
    if (role.kind === 'overlay') return [[...path]];
    return [];
  }

  /** Environments whose layers include a file (the chart's own values.yaml: every environment). */
  environmentsOf(file: string): string[] {
    const role = this.roleOf(file);
    if (role.kind === 'overlay') return role.environments;
    if (role.kind === 'defaults') return this.input.environments.map((e) => e.name);
    return [];
  }

  /** The layers of inline values written in a manifest, by the environments of this chart. */
  inlineLayers(file: string): (EnvironmentLayer & { type: 'inline' })[] {
    return this.input.environments.flatMap((e) => (e.layers ?? []).filter((l): l is EnvironmentLayer & { type: 'inline' } => l.type === 'inline' && l.file === file));
  }

  /** Inline values documents (Argo CD valuesObject, HelmRelease spec.values, helmfile maps) written in a manifest. */
  inlineDocuments(file: string): ValuesDocument[] {
    const out: ValuesDocument[] = [];
    for (const e of this.input.environments) {
      for (const l of e.layers ?? []) {
        if (l.type !== 'inline' || l.file !== file) continue;
        const doc = inlineDocument(this.caches, l);
        if (!out.includes(doc)) out.push(doc);
      }
    }
    return out;
  }

  private resolvedFile(p: string): string | undefined {
    const r = this.input.resolveValues(p);
    return 'error' in r ? undefined : r.file;
  }
}
