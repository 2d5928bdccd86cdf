// The shapes of GitOps discovery: what the host hands in (a file listing and a reader) and what comes out
// (deployments found in Argo CD, Flux and helmfile manifests, as environments with their layers in the tool's order).
//
// Every path is workspace-relative, `/`-separated, without a leading `./`. Lines and columns are 1-based.

/** The workspace as the service sees it: the host lists and reads, the service never touches the disk. */
export interface GitopsWorkspace {
  /** Every file of the workspace (after `isScannedPath`), relative paths. Directories are implied by the files. */
  readonly files: readonly string[];
  /** The text of a listed file, or undefined if it cannot be read. */
  read(path: string): string | undefined;
  /** Environment variables for helmfile's `env`/`requiredEnv` (the host injects them; the service never reads process.env). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Files the host knows are no manifest (read by an earlier discovery, unchanged since, and their text did not pass
   * `isManifestText`): the scan does not read them again. Optional.
   */
  readonly knownPlain?: (path: string) => boolean;
  /** Whether Helm's repository cache (`$HELM_CACHE_HOME/repository/`) holds an archive, by its name (`<chart>-<version>.tgz`). */
  readonly hasCachedChart?: (archive: string) => boolean;
}

export type GitopsKind = 'argocd' | 'flux' | 'helmfile';

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type ChartLocation =
  /** A chart directory in the workspace (it has a Chart.yaml). */
  | { type: 'local'; dir: string }
  /**
   * A chart from a repository. `cacheArchive` is the archive's name inside `$HELM_CACHE_HOME/repository/`
   * (`<chart>-<version>.tgz`), present when the version is exact; `cached` says whether the host has it.
   */
  | { type: 'remote'; repoURL: string; chart: string; version?: string; cacheArchive?: string; cached: boolean }
  /** The chart could not be located offline (the reason is also a finding). */
  | { type: 'unknown'; reason: string };

/**
 * Inline YAML inside a manifest, ready to be served as a values document: `text` is a standalone YAML document whose
 * line `i`, column `c` (0-based) sits in `file` at line `line + i`, column `column + c` (both 0-based here, the way
 * a document offset maps). `exact` is false when the text is not a verbatim copy of the manifest's bytes (a quoted
 * string with escapes, a base64 Secret value, a template substitution): positions then are only approximate.
 */
export interface InlineText {
  file: string;
  text: string;
  /** 0-based line in `file` of the text's first line. */
  line: number;
  /** 0-based column shift of every line of the text. */
  column: number;
  exact: boolean;
}

export type SetKind = 'set' | 'set-string' | 'set-file' | 'set-json' | 'set-literal';

interface LayerBase {
  /** The manifest line that sets the layer: the `valueFiles` entry, the parameter's `value:`, the inline map's key. */
  at: SourceLocation;
  /** The entry that brought the layer in, when it is elsewhere (a Flux `valuesFrom` item for a ConfigMap's key). */
  via?: SourceLocation;
}

export interface FileLayer extends LayerBase {
  type: 'file';
  /** Workspace-relative path; with `inChart`, relative to the root of a chart that is not in the workspace. */
  path: string;
  inChart?: boolean;
  /** Flux `chart.spec.valuesFiles`: these files replace the chart's values.yaml as the defaults (lowest layer). */
  replacesChartDefaults?: boolean;
  /** helmfile secrets encrypted with SOPS: the keys are known, the values are not. */
  sops?: boolean;
  /** A helmfile `.gotmpl` values file: its content after rendering, to read instead of the file (same lines). */
  text?: string;
}

export interface InlineLayer extends LayerBase {
  type: 'inline';
  source: InlineText;
  /**
   * How the layer merges into the layers below it. `values` (default): Helm's MergeMaps, like one more `-f`.
   * `merge-patch`: a kustomize patch of a HelmRelease's `spec.values`, applied as a JSON merge patch (RFC 7386) to the
   * `spec.values` built so far: `null` removes the key from spec.values (it does not reach Helm as a null).
   */
  merge?: 'values' | 'merge-patch';
}

export interface SetLayer extends LayerBase {
  type: SetKind;
  /** The flag's argument, `key=value`, exactly as the tool passes it to Helm. */
  arg: string;
}

export type Layer = FileLayer | InlineLayer | SetLayer;

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface GitopsFinding {
  file: string;
  line: number;
  column: number;
  severity: FindingSeverity;
  /** Stable code, `gitops.*`. */
  code: string;
  message: string;
}

export interface DiscoveredEnvironment {
  /** A name a person recognises: the Application's name, `<overlay>/<HelmRelease>`, `<helmfile env>/<release>`. */
  name: string;
  kind: GitopsKind;
  chart: ChartLocation;
  definedAt: SourceLocation;
  /**
   * Layers from lowest to highest precedence, in the order they apply. Argo CD and helmfile layers are already in
   * Helm's fixed order (files, then --set, --set-string, --set-file...). Flux applies `valuesFrom` in list order,
   * `targetPath` entries included, so there a `set` layer may come before a file: apply the list in order.
   */
  layers: Layer[];
  /** Findings about this environment (also present in the result's `findings`). */
  findings: GitopsFinding[];
}

export interface GitopsDiscovery {
  environments: DiscoveredEnvironment[];
  /** Every finding, sorted by file and line. */
  findings: GitopsFinding[];
}
