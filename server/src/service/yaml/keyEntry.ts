// One key (or list item) of a parsed values file, with its source span.
import type { PathSegment } from '../values/paths';

export type { PathSegment };

/** One key (or list item) of a values file, with its source span. Offsets are 0-based into the text. */
export interface KeyEntry {
  readonly path: readonly PathSegment[];
  readonly document: number;
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  /** 1-based line and column of the key (of the item, for list items). */
  readonly line: number;
  readonly column: number;
}
