// The data of `helm-values diff` and `drift` (service/custody/diff.ts, drift.ts, policies.ts): plain values only.
import type { Source } from '../helm/provenance';
import type { Finding, Value } from '../types';
import type { PathSegment } from '../yaml/valuesDocument';

/** Where a value comes from: a file and line, a command-line flag, or Helm itself. */
/** A file line; a command-line flag; a flag a manifest sets (an Argo CD parameter, a Flux targetPath: its line); or Helm itself. */
export type SourceRef = { file: string; line: number } | { flag: string; arg: string } | { file: string; line: number; flag: string; arg: string } | { helm: string };

export interface ValueChange {
  path: string;
  segments: PathSegment[];
  kind: 'added' | 'removed' | 'changed';
  before?: Value;
  after?: Value;
  beforeSource?: SourceRef;
  afterSource?: SourceRef;
  owners?: string[];
}

/** An edit to one of an environment's files that its values do not show: a higher layer sets the path. */
export interface ShadowedEdit {
  path: string;
  /** The edited file. */
  file: string;
  /** The layer whose value wins at the head. */
  by: SourceRef;
}

export interface EnvironmentDiff {
  name: string;
  status: 'changed' | 'unchanged' | 'added' | 'removed';
  changes: ValueChange[];
  shadowed: ShadowedEdit[];
  /** Files of this environment whose text differs between the sides. */
  changedFiles: string[];
  /** Set-kind layers (--set, --set-string, ...) of each side, for the override policy. */
  flags: { before: string[]; after: string[] };
  /** Why a side's values could not be computed (a missing file, a Helm error), per side. */
  errors: { side: 'base' | 'head'; message: string }[];
}

export interface ChartVersions {
  name: string;
  version: { before?: string; after?: string };
  dependencies: { name: string; alias?: string; before?: string; after?: string; file?: string; line?: number }[];
}

export interface ValuesDiff {
  chart: ChartVersions;
  environments: EnvironmentDiff[];
  findings: Finding[];
}

/** A source as the outputs show it. */
export function sourceRef(s: Source | undefined): SourceRef | undefined {
  if (!s) return undefined;
  if (s.kind === 'file') return { file: s.file, line: s.line };
  if (s.kind === 'flag') return s.at ? { file: s.at.file, line: s.at.line, flag: s.flag, arg: s.arg } : { flag: s.flag, arg: s.arg };
  return { helm: s.reason };
}
