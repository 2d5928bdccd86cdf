// The wire contract between the VS Code client and the language server, declared once and imported by both: each
// custom message as `namespace X { method; Params; Result; type }`, where `type` is the typed message both sides
// pass to onRequest/sendRequest. Only vscode-jsonrpc's message types: no imports of vscode or of server internals.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';

/** Settings under `helmValues.*`, as the client sends them (per resource). */
export interface Settings {
  /** `3`, `4` (the newest release of that major) or a release such as `4.1`, `4.2.3`; the server parses it and warns when invalid. */
  helmVersion: string;
  environments: unknown[];
  /** `owners:` rules ({paths, owners, environments?}), shown on hover; read by the project model, which reports problems. */
  owners: unknown[];
  /** The environment shown in inlay hints and code lenses per chart directory (absolute path -> name); none = all. */
  activeEnvironments: Record<string, string>;
  inlayHints: boolean;
  codeLens: boolean;
  /** Raw `helmValues.secrets.*` settings (normalized by the server, which reports invalid patterns). */
  secrets: unknown;
  /**
   * Report plain YAML syntax problems (yaml.syntax, yaml.duplicate-key) in the editor. The VS Code client turns this
   * off while Red Hat's YAML extension is active, which reports the same problems; `helm-values check` always does.
   * Any client may send the setting's own form (`"on"`, `"off"`, `"auto"`) or a boolean: `"off"`/`false` turn it
   * off; `"auto"` means on for a client that did not resolve it (only VS Code knows whether Red Hat's extension runs).
   */
  yamlSyntaxDiagnostics: boolean;
  /** `helmValues.schema.fetchRemoteRefs`: download remote `$ref`s of values.schema.json (off: no network at all). */
  fetchRemoteRefs: boolean;
}

export namespace Settings {
  export function from(raw: unknown): Settings {
    const r = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const active = r.activeEnvironments;
    return {
      helmVersion: r.helmVersion === undefined || r.helmVersion === null ? '4' : String(r.helmVersion).trim(),
      environments: Array.isArray(r.environments) ? r.environments : [],
      owners: Array.isArray(r.owners) ? r.owners : [],
      activeEnvironments: active !== null && typeof active === 'object' && !Array.isArray(active) ? (Object.fromEntries(Object.entries(active).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : {},
      inlayHints: r.inlayHints !== false,
      // Off unless asked for: the inlay hint at the key's line says the same (see README, "Precedence inline").
      codeLens: r.codeLens === true,
      secrets: r.secrets !== null && typeof r.secrets === 'object' ? r.secrets : {},
      yamlSyntaxDiagnostics: yamlSyntaxDiagnosticsFrom(r.yamlSyntaxDiagnostics),
      // Raw settings nest it (`schema.fetchRemoteRefs`); settings already normalized by the client carry it flat.
      fetchRemoteRefs: (r.schema as { fetchRemoteRefs?: unknown } | undefined)?.fetchRemoteRefs === true || r.fetchRemoteRefs === true,
    };
  }
}

/** `helmValues.yamlSyntaxDiagnostics` in any form a client sends: a boolean, or `"on"`, `"off"`, `"auto"`. */
function yamlSyntaxDiagnosticsFrom(v: unknown): boolean {
  if (typeof v === 'string') return !['off', 'false'].includes(v.trim().toLowerCase());
  return v !== false;
}

export interface ChartInfo {
  /** Absolute chart directory. */
  chartDir: string;
  name: string;
  environments: { name: string; origin: 'config' | 'convention' | 'defaults'; values: string[] }[];
  activeEnvironment?: string;
}

/** `helmValues/chartInfo`: the chart of a document and its environments. */
export namespace ChartInfoRequest {
  export const method = 'helmValues/chartInfo';
  export interface Params { uri: string }
  export type Result = ChartInfo | null;
  export const type = new RequestType<Params, Result, void>(method);
}

/** `helmValues/setActiveEnvironment`: the client's picker chose an environment for a chart (undefined = all). */
export namespace SetActiveEnvironmentNotification {
  export const method = 'helmValues/setActiveEnvironment';
  export interface Params { chartDir: string; environment?: string }
  export const type = new NotificationType<Params>(method);
}

/** `helmValues/effectiveValues`: the merged values of one environment as YAML, each leaf annotated with its source. */
export namespace EffectiveValuesRequest {
  export const method = 'helmValues/effectiveValues';
  /** `revision`: a git revision (`HEAD`, a branch, a commit): the values at that commit, read with git. */
  export interface Params { chartDir: string; environment: string; annotate: boolean; revision?: string }
  /** `helmVersion`: the Helm release reproduced, e.g. `4.2.4`. */
  export interface Result { text: string; helmVersion: string; error?: string }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * `helmValues/liveValues` (Compare Environment with Live Release): an environment's declared user-supplied values
 * and the values its release runs, read from the cluster only because the user asked (drift, README). Both texts are
 * YAML with sorted keys and secrets redacted; `changes` are the drifted paths, which hovers then show.
 */
export namespace LiveValuesRequest {
  export const method = 'helmValues/liveValues';
  export interface Params { chartDir: string; environment: string; release: string; namespace?: string; context?: string; kubeconfig?: string }
  export interface Change { path: string; kind: 'live-only' | 'declared-only' | 'differs'; declared?: unknown; live?: unknown }
  export interface Result { declared: string; live: string; changes: Change[]; summary: string; error?: string }
  export const type = new RequestType<Params, Result, void>(method);
}

/** `helmValues/explain`: the precedence chain at a position, as markdown. */
export namespace ExplainRequest {
  export const method = 'helmValues/explain';
  export interface Params { uri: string; position: { line: number; character: number } }
  export interface Result { path: string; markdown: string }
  export const type = new RequestType<Params, Result | null, void>(method);
}

/** Sent by the server when a chart's effective values changed (the client refreshes open effective-values views). */
export namespace EffectiveValuesChangedNotification {
  export const method = 'helmValues/effectiveValuesChanged';
  export interface Params { chartDir: string }
  export const type = new NotificationType<Params>(method);
}

/**
 * Sent by the server when the GitOps manifests it analyses change (discovered in its workspace folders): the Argo CD,
 * Flux and helmfile manifests that deploy a chart of the workspace or carry inline values for one, as absolute paths,
 * sorted. A client whose document selector names files (VS Code) adds exactly these, so that inline values get hover,
 * completion and diagnostics, and other Kubernetes YAML is left alone. Not sent while the list is empty.
 */
export namespace GitopsManifestsNotification {
  export const method = 'helmValues/gitopsManifests';
  export interface Params { files: string[] }
  export const type = new NotificationType<Params>(method);
}

/** `helmValues/inferSchema`: a draft values.schema.json inferred from a chart's values.yaml, as JSON text. */
export namespace InferSchemaRequest {
  export const method = 'helmValues/inferSchema';
  export interface Params { chartDir: string }
  export interface Result { text: string; error?: string }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * `helmValues/clearCaches`: the server forgets everything it read or compiled (charts, parsed files, compiled schemas,
 * remote schema documents in memory, per-environment results) and checks the open documents again.
 */
export namespace ClearCachesRequest {
  export const method = 'helmValues/clearCaches';
  export const type = new RequestType0<null, void>(method);
}
