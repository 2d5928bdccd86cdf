// `check`: every finding the service knows for a chart, per file once and per environment after merging.
// The CLI and the language server both call this, so editor and CI give the same verdict.
import type { ChartModel } from '../chart/chartModel';
import type { Environment } from '../chart/environments';
import type { Finding, Value } from '../types';
import type { ValuesDocument } from '../yaml/valuesDocument';
import { createServiceCaches, type ServiceCaches } from '../caches';
import { DocumentCache } from '../yaml/documentCache';
import { validateEnvironment, type SchemaLookup } from '../schema/validate';
import { detectSecrets, type SecretOptions } from '../secrets/detect';
import { environmentSignature, relevantBehaviours, type EnvironmentCheck, type EnvironmentMemo } from './envMemo';
import type { HelmVersion } from '../helm/coalesce';
import { computeEffective, type Effective, type HelmMessage, type UserLayer, type ValuesInputs } from '../helm/effective';
import { inlineDocument } from './inlineDocuments';
import type { Source } from '../helm/provenance';
import { getPath, isTable } from '../values/valueUtil';
import { formatRelease, mergeSpans, releaseClasses, restrictedKey, spanLabel, type BehaviourRange } from '../helm/versions';
import { reviewFindings } from './review';
import type { EnvironmentResult } from './types';
import { templateIndexOfModel } from '../templates/modelIndex';
import type { TemplateIndex } from '../templates/templateIndex';
import { nullVisibility } from './nullVisibility';
import { defaultsPlaces, floatRenderedAsText, requiredMissingFindings, undefinedValueFindings, unusedKeyFindings } from './templateFindings';

export interface CheckInput {
  model: ChartModel;
  environments: readonly Environment[];
  /** Resolves a values path of an environment (relative to the chart directory, or absolute). */
  resolveValues: (path: string) => ValuesDocument | { error: string };
  readFile?: (path: string) => string | undefined;
  helmVersion: HelmVersion;
  /** Also merge as the other Helm releases (those that differ in a behaviour change these inputs touch) and report keys whose result differs. Default true. */
  compareVersions?: boolean;
  /** Parses overlay files (shared with the caller so each file is parsed once). */
  documents?: DocumentCache;
  /** The compiled values.schema.json of a chart (from the host), when it has one. */
  schemas?: SchemaLookup;
  /** Secret detection options (settings + ignore file); detection is on unless `enabled: false`. */
  secrets?: SecretOptions;
  /** A file's path relative to the workspace (for secret ignore entries and path globs). */
  relativePath?: (file: string) => string;
  /** Per-environment results kept across snapshots (the language server passes one; the CLI does not need it). */
  memo?: EnvironmentMemo;
  /**
   * The host's long-lived caches (one per CLI run or server session); without, this call's own. `memo` signatures
   * name inputs by identity through them, so a memo only hits across calls given the same caches.
   */
  caches?: ServiceCaches;
}

export type { EnvironmentResult };

/** Builds the Helm inputs of an environment; problems (missing files) are returned as findings. */
export function environmentInputs(input: Pick<CheckInput, 'resolveValues' | 'readFile' | 'model' | 'caches'>, env: Environment): { inputs: ValuesInputs; problems: Finding[] } {
  const files: ValuesDocument[] = [];
  const problems: Finding[] = [];
  const resolve = (p: string): ValuesDocument | undefined => {
    const r = input.resolveValues(p);
    if (!('error' in r)) return r;
    const at = input.model.chartFile ?? input.model.dir;
    const binary = /not a text file/.test(r.error);
    problems.push({ file: binary ? r.error.split(': ')[0] ?? at : at, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: binary ? 'host.binary-file' : 'helm.missing-values-file', message: `Environment "${env.name}": ${r.error}` });
    return undefined;
  };
  const readFile = input.readFile ? { readFile: input.readFile } : {};
  if (env.layers) {
    const layers: UserLayer[] = [];
    const defaults: ValuesDocument[] = [];
    for (const l of env.layers) {
      if (l.type === 'flag') {
        layers.push({ kind: 'flag', flag: l.flag, arg: l.arg, ...(l.at ? { at: l.at } : {}), ...(l.origin ? { origin: l.origin } : {}), ...(l.detail ? { detail: l.detail } : {}) });
        continue;
      }
      const doc = l.type === 'file' ? resolve(l.path) : inlineDocument(input.caches ?? createServiceCaches(), l);
      if (!doc) continue;
      files.push(doc);
      if (l.defaults) defaults.push(doc);
      else layers.push({ kind: 'values', doc, ...(l.origin ? { origin: l.origin } : {}), ...(l.type === 'inline' ? { inline: true } : {}), ...(l.type === 'inline' && l.mergePatch ? { mergePatch: true } : {}), ...(l.sops ? { sops: true } : {}) });
    }
    return { inputs: { files, layers, ...(defaults.length > 0 ? { defaults } : {}), ...readFile }, problems };
  }
  for (const p of env.values) {
    const doc = resolve(p);
    if (doc) files.push(doc);
  }
  return {
    inputs: { files, set: env.set, setString: env.setString, setJson: env.setJson, setFile: env.setFile, setLiteral: env.setLiteral, ...readFile },
    problems,
  };
}

function allValuesDocuments(model: ChartModel, cache: DocumentCache): ValuesDocument[] {
  return [...(model.values ? [model.values] : []), ...model.overlays.map((o) => cache.get(o.path, o.text)), ...model.subcharts.flatMap((s) => allValuesDocuments(s, cache))];
}

function allChartProblems(model: ChartModel, schemas: SchemaLookup | undefined): Finding[] {
  return [...model.problems, ...(schemas?.(model)?.problems ?? []), ...model.subcharts.flatMap((s) => allChartProblems(s, schemas))];
}

/** Places a Helm message on the file and line that supplied the value. */
export function messageFinding(m: HelmMessage, fallbackFile: string, docs: ReadonlyMap<string, ValuesDocument>): Finding {
  const s: Source | undefined = m.source;
  const data = m.data ? { data: m.data } : {};
  if (s && s.kind === 'file') {
    const doc = docs.get(s.file);
    const entry = doc?.index.atPosition(s.line, s.column);
    if (doc && entry) {
      const end = doc.position(entry.keyEnd);
      return { file: s.file, line: s.line, column: s.column, endLine: end.line, endColumn: end.column, severity: m.severity, code: m.code, message: m.message, offset: entry.keyStart, endOffset: entry.keyEnd, ...data };
    }
    return { file: s.file, line: s.line, column: s.column, endLine: s.line, endColumn: s.column + 1, severity: m.severity, code: m.code, message: m.message, ...data };
  }
  // A flag a manifest passes (an Argo CD parameter, a Flux targetPath, a helmfile set) is found on the manifest's line.
  if (s && s.kind === 'flag' && s.at) return { file: s.at.file, line: s.at.line, column: s.at.column, endLine: s.at.line, endColumn: s.at.column + 1, severity: m.severity, code: m.code, message: m.message, ...data };
  const suffix = s && s.kind === 'flag' ? ` (from ${s.flag} ${s.arg})` : '';
  return { file: fallbackFile, line: 1, column: 1, endLine: 1, endColumn: 1, severity: m.severity, code: m.code, message: m.message + suffix, ...data };
}

/**
 * Leaf paths whose values differ between two results (bounded). `unseen(path)` drops a key that is null in one and
 * absent in the other when nothing can tell the two apart there (see nullVisibility.ts); it does not count.
 */
export function differingPaths(a: Value | undefined, b: Value | undefined, path: string[] = [], out: string[][] = [], limit = 50, unseen?: (path: string[]) => boolean): string[][] {
  // The same object is equal to itself: merges through the same caches share the chart defaults' frozen subtrees.
  if (out.length >= limit || a === b) return out;
  if (isTable(a ?? null) && isTable(b ?? null)) {
    const ma = a as Record<string, Value>;
    const mb = b as Record<string, Value>;
    for (const k of new Set([...Object.keys(ma), ...Object.keys(mb)])) differingPaths(ma[k], mb[k], [...path, k], out, limit, unseen);
    return out;
  }
  if ((a ?? null) === null && (b ?? null) === null && unseen?.(path)) return out;
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
  return out;
}

/** The schema errors of a merge, each as `keyword, schema path, instance path` (to compare two merges' verdicts). */
function schemaVerdict(messages: readonly HelmMessage[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of messages) {
    const d = m.data;
    const path = Array.isArray(d?.path) ? d.path.map(String) : [];
    out.set(JSON.stringify([m.code, d?.keyword ?? '', d?.schemaFile ?? '', d?.schemaPath ?? '', path]), path);
  }
  return out;
}

/** Instance paths of the schema errors that one verdict has and the other lacks. */
function verdictDifference(a: Map<string, string[]>, b: Map<string, string[]>): string[][] {
  return [...[...a].filter(([k]) => !b.has(k)), ...[...b].filter(([k]) => !a.has(k))].map(([, p]) => p);
}

function locate(eff: Effective, path: string[]): Source | undefined {
  let container: Value = eff.values;
  for (let i = 0; i < path.length; i++) {
    const k = path[i] ?? '';
    if (!isTable(container)) return undefined;
    if (i === path.length - 1) return eff.prov.get(container, k)?.source ?? eff.prov.removal(container, k)?.source;
    container = container[k] ?? null;
  }
  return undefined;
}

/** What the comparison of releases needs of the environment's own check. */
interface OwnCheck {
  eff: Effective;
  templates: TemplateIndex;
  /** The schema errors of the configured release's merge (undefined without schemas). */
  schemaMessages: HelmMessage[] | undefined;
  result: EnvironmentResult;
  fallback: string;
}

/**
 * `helm.version-dependent`: the keys whose value differs between Helm releases, naming the releases on each side
 * ("Helm 4.2.0 and later give X; Helm 3, 4.0.0–4.1.4 give Y"). Releases are merged once per class that differs in a
 * behaviour change these inputs can trigger (versions.ts); the class of the configured release comes first.
 * A key that is null in one release and absent in another is reported only where that can show: in a chart without
 * templates, where a template can tell the two apart (nullVisibility.ts), or where it changes the schema's verdict.
 */
function versionDifferences(input: CheckInput, inputs: ValuesInputs, own: OwnCheck, caches: ServiceCaches): HelmMessage[] {
  const { eff } = own;
  const relevant = relevantBehaviours(input.model, inputs);
  if (relevant.size === 0) return [];
  const mine = restrictedKey(input.helmVersion, relevant);
  const classes = releaseClasses(relevant);
  const others = classes.filter((c) => c.key !== mine).map((c) => ({ c, eff: computeEffective(input.model, inputs, c.release, caches) })).filter((o) => !o.eff.error);
  if (others.length === 0) return [];
  const paths = new Map<string, string[]>();
  // Asked only when a key is null on one side and absent on the other (built once per template index).
  let visibility: ((p: readonly string[]) => boolean) | undefined;
  const seen = (p: readonly string[]): boolean => (visibility ??= nullVisibility(own.templates, caches))(p);
  const ownVerdict = own.schemaMessages && input.schemas ? schemaVerdict(own.schemaMessages) : undefined;
  for (const o of others) {
    // Schema errors this release's merge has and the other's lacks (or the reverse), validated only when needed.
    let verdict: string[][] | undefined;
    const schemaSees = (p: readonly string[]): boolean => {
      if (!ownVerdict || !input.schemas) return false;
      verdict ??= verdictDifference(ownVerdict, schemaVerdict(validateEnvironment({ ...own.result, effective: o.eff }, input.schemas, own.fallback)));
      return verdict.some((q) => q.length <= p.length && q.every((s, i) => s === p[i]));
    };
    for (const p of differingPaths(eff.values, o.eff.values, [], [], 50, (q) => !seen(q) && !schemaSees(q))) paths.set(JSON.stringify(p), p);
  }
  const out: HelmMessage[] = [];
  const results = [{ key: mine, eff }, ...others.map((o) => ({ key: o.c.key, eff: o.eff }))];
  /** The same groups of spans recur on every path: their labels once. */
  const labelsBySpans = new Map<string, string[]>();
  for (const p of paths.values()) {
    // Each span of releases gets the value its class computed; adjacent spans that agree read as one.
    const byText = new Map<string, BehaviourRange[]>();
    for (const c of classes) {
      const r = results.find((x) => x.key === c.key);
      if (!r) continue;
      const text = JSON.stringify(getPath(r.eff.values, p)) ?? '(absent)';
      byText.set(text, [...(byText.get(text) ?? []), ...c.spans]);
    }
    const ownText = JSON.stringify(getPath(eff.values, p)) ?? '(absent)';
    const parts = [...byText]
      .sort(([a], [b]) => (a === ownText ? -1 : b === ownText ? 1 : 0))
      .map(([text, spans]) => {
        const spanKey = spans.map((x) => `${formatRelease(x.from)}-${formatRelease(x.to)}`).join(',');
        let labels = labelsBySpans.get(spanKey);
        if (!labels) labelsBySpans.set(spanKey, (labels = mergeSpans(spans).map(spanLabel)));
        const plural = labels.length > 1 || /–|later/.test(labels[0] ?? '');
        return `Helm ${labels.join(', ')} ${plural ? 'give' : 'gives'} ${text}`;
      });
    const src = locate(eff, p) ?? others.map((o) => locate(o.eff, p)).find((s) => s !== undefined);
    out.push({ severity: 'info', code: 'helm.version-dependent', message: `${p.join('.')}: ${parts.join('; ')}.`, ...(src ? { source: src } : {}) });
  }
  return out;
}

/** One environment: merge, Helm's messages, schema errors, Helm 3/4 differences, review findings (memoized). */
export function checkEnvironment(input: CheckInput, env: Environment, inputs: ValuesInputs, fallback: string): EnvironmentCheck {
  const caches = input.caches ?? createServiceCaches();
  const templates = templateIndexOfModel(input.model, caches);
  const signature = input.memo ? environmentSignature(input.model, env, inputs, input.helmVersion, `${input.schemas ? 's' : ''}|t${caches.objectId(templates)}`, caches) : '';
  const slot = `${input.model.dir}\u0000${env.name}`;
  const hit = input.memo?.get(slot, signature);
  if (hit) return hit;
  const eff = computeEffective(input.model, inputs, input.helmVersion, caches);
  const result: EnvironmentResult = { environment: env, effective: eff, files: [...inputs.files] };
  const messages = [...eff.messages, ...(eff.error ? [eff.error] : [])];
  const schemaMessages = input.schemas ? validateEnvironment(result, input.schemas, fallback) : undefined;
  if (schemaMessages) messages.push(...schemaMessages);
  if (env.layers) messages.push(...overridesOutsideValues(eff));
  const review = reviewFindings({ model: input.model, result, caches, templates });
  if (!eff.error) review.push(...requiredMissingFindings(templates, eff));
  // The comparison with other Helm releases merges again once per class of releases: computed when first asked, kept
  // with this check (the language server publishes the rest of an edit's findings before it, see diagnostics.ts).
  let versions: HelmMessage[] | undefined;
  const versionMessages = (): HelmMessage[] => (versions ??= eff.error ? [] : versionDifferences(input, inputs, { eff, templates, schemaMessages, result, fallback }, caches));
  const check: EnvironmentCheck = { result, messages, review, versionMessages };
  input.memo?.set(slot, signature, check);
  return check;
}

/** All findings for a chart: each file's own problems once, then each environment's merge problems. */
export function checkChart(given: CheckInput): { findings: Finding[]; results: EnvironmentResult[] } {
  const phases = checkChartInPhases(given);
  return { findings: given.compareVersions === false ? phases.withoutVersions() : phases.complete(), results: phases.results };
}

/**
 * The findings of a chart in two steps: `first()` has everything but the two kinds that cost most after an edit,
 * `helm.version-dependent` (which merges every environment again as other Helm releases) and the `secret.*` findings
 * (a scan of every line of an edited file); `complete()` adds them (each computed once); `withoutVersions()` is
 * everything but the former. The language server publishes `first()` and then, if it differs, the complete list
 * (DEFERRED_CODES in lsp/diagnostics.ts); `checkChart` is the one-step form.
 */
export function checkChartInPhases(given: CheckInput): { results: EnvironmentResult[]; first: () => Finding[]; withoutVersions: () => Finding[]; complete: () => Finding[] } {
  const input: CheckInput = given.caches ? given : { ...given, caches: createServiceCaches() };
  const templates = templateIndexOfModel(input.model, input.caches ?? createServiceCaches());
  const docs = allValuesDocuments(input.model, input.documents ?? new DocumentCache());
  const secrets = (d: ValuesDocument): Finding[] => detectSecrets(d, { ...input.secrets, relativePath: input.relativePath?.(d.file) ?? d.file }, input.caches);
  // A float only renders oddly where a template prints it as text (charts without templates keep every warning).
  const places = new Map<ValuesDocument, string[][]>(defaultsPlaces(input.model).map((p) => [p.doc, p.prefixes]));
  const ownProblems = (d: ValuesDocument): Finding[] => (templates.hasTemplates ? d.problems.filter((f) => floatRenderedAsText(f, d, places.get(d) ?? [[]], templates)) : [...d.problems]);
  const findings: Finding[] = [...allChartProblems(input.model, input.schemas), ...docs.flatMap(ownProblems), ...unusedKeyFindings(input.model, templates)];
  /** The files whose secrets are reported (each once); scanned when first asked (see `first`). */
  const secretFiles: ValuesDocument[] = [...docs];
  const fileIndex = new Map<string, ValuesDocument>(docs.map((d) => [d.file, d]));
  const results: EnvironmentResult[] = [];
  const checks: { env: Environment; check: EnvironmentCheck }[] = [];
  const seenFiles = new Set(docs.map((d) => d.file));
  const fallback = input.model.values?.file ?? input.model.chartFile ?? input.model.dir;
  for (const env of input.environments) {
    const { inputs, problems } = environmentInputs(input, env);
    findings.push(...problems);
    for (const f of inputs.files) {
      fileIndex.set(f.file, f);
      if (!seenFiles.has(f.file)) {
        seenFiles.add(f.file);
        findings.push(...ownProblems(f));
        secretFiles.push(f);
      }
    }
    const check = checkEnvironment(input, env, inputs, fallback);
    results.push(check.result);
    checks.push({ env, check });
  }
  findings.push(...undefinedValueFindings(input.model, templates, results.flatMap((r) => (r.effective && !r.effective.error ? [r.effective] : []))));
  /** Each environment's findings; one that several environments give is reported once, naming them. */
  let secretFindings: Finding[] | undefined;
  const assemble = (versions: boolean, withSecrets: boolean): Finding[] => {
    const merged = new Map<string, { finding: Finding; envs: string[] }>();
    for (const { env, check } of checks) {
      const messages = versions ? [...check.messages, ...check.versionMessages()] : check.messages;
      for (const f of [...messages.map((m) => messageFinding(m, fallback, fileIndex)), ...check.review]) {
        const key = `${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.code}\u0000${f.message}`;
        const prev = merged.get(key);
        if (prev) prev.envs.push(env.name);
        else merged.set(key, { finding: f, envs: [env.name] });
      }
    }
    const all = withSecrets ? [...findings, ...(secretFindings ??= secretFiles.flatMap(secrets))] : [...findings];
    for (const { finding, envs } of merged.values()) {
      all.push({ ...finding, message: `${finding.message} [${envs.length === 1 ? 'environment' : 'environments'}: ${envs.join(', ')}]` });
    }
    return sortFindings(dedupe(all));
  };
  let first: Finding[] | undefined;
  let withoutVersions: Finding[] | undefined;
  let complete: Finding[] | undefined;
  return {
    results,
    first: () => (first ??= assemble(false, false)),
    withoutVersions: () => (withoutVersions ??= assemble(false, true)),
    complete: () => (complete ??= assemble(true, true)),
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.file}\u0000${f.line}\u0000${f.column}\u0000${f.code}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)));
}

/**
 * `helm.override-outside-values`: a flag that a manifest passes (an Argo CD parameter, a Flux targetPath value, a
 * helmfile set) wins over a value a values file or inline values of the same deployment set: the override that
 * nobody reading the values files sees. One info finding per key, on the manifest's line.
 */
export function overridesOutsideValues(eff: Effective): HelmMessage[] {
  const out: HelmMessage[] = [];
  const walk = (v: Value, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      const here = Array.isArray(v) ? `${path}[${k}]` : path === '' ? String(k) : `${path}.${k}`;
      const slot = eff.prov.get(v, k);
      const s = slot?.source;
      if (slot && s && s.kind === 'flag' && s.at) {
        const hidden = slot.shadowed.find((c) => c.source.kind === 'file' && c.source.chart === undefined);
        if (hidden && hidden.source.kind === 'file') {
          out.push({ severity: 'info', code: 'helm.override-outside-values', message: `${here}: ${s.detail ?? `${s.flag} ${s.arg}`} overrides ${JSON.stringify(hidden.value)} from ${hidden.source.file}:${hidden.source.line}; whoever reads the values files does not see this value`, source: s });
        }
      }
      walk((v as Record<string | number, Value>)[k] ?? null, here);
    }
  };
  walk(eff.values, '');
  return out;
}
