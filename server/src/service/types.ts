// Plain data shared by every part of the service. Nothing here does IO.

/** A JSON-like value as Helm hands it to templates (maps are plain objects, lists are arrays). */
export type Value = null | boolean | number | string | Value[] | ValueMap;
export interface ValueMap {
  [key: string]: Value;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A problem found by the service. Lines and columns are 1-based; end is exclusive of nothing (points at the last char + 1). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  /** Stable code: `yaml.*`, `helm.*`, later `schema.*`, `secret.*`. */
  code: string;
  message: string;
  /** Offsets into the file's text, when the finding is in a text file the service parsed. */
  offset?: number;
  endOffset?: number;
  /** Structured facts for quick fixes (the YAML path, the schema keyword, a suggestion...). */
  data?: Record<string, unknown>;
}

/** A text file as read by the host. `path` is the display path (what the user typed, or relative to the workspace). */
export interface TextFile {
  path: string;
  text: string;
}

/**
 * A chart as the host found it on disk (or inside a packaged .tgz): raw texts only, parsed by the service.
 * `path` of every file is its display path; for files inside a .tgz it is `charts/x-1.0.0.tgz#x/values.yaml`.
 */
export interface ChartSource {
  /** Display path of the chart directory (or of the .tgz for packaged subcharts). */
  dir: string;
  chartYaml?: TextFile;
  /** apiVersion v1 charts keep dependencies in requirements.yaml. */
  requirementsYaml?: TextFile;
  valuesYaml?: TextFile;
  schemaJson?: TextFile;
  /** Overlay candidates found by convention, relative names as found: `values-prod.yaml`, `values.prod.yaml`, `values/prod.yaml`, `ci/x.yaml`. */
  overlays: TextFile[];
  /** Subcharts under `charts/`: directories and packaged `.tgz` archives, in directory order. */
  subcharts: ChartSource[];
  /** Files under `templates/` (any depth), by path; absent when the chart has none. Binary files are left out. */
  templates?: TextFile[];
  /** Problems the host met while reading (unreadable file, broken archive), already phrased for the user. */
  problems: Finding[];
}
