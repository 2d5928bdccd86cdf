// Provenance: for every (container, key) placed by the engine, where the value came from and what it shadows.
// Kept in a side table keyed by the container object, so the values themselves stay plain data that mirror
// Helm's Go maps exactly, and recording costs one map write per placed key.
import type { Value } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { isTable, setOwn } from '../values/valueUtil';

export type Source =
  /** `origin`: the manifest object whose inline values these are (`Application prod-eu`), for discovered environments. */
  | { kind: 'file'; file: string; line: number; column: number; layer: string; chart?: string; document?: number; origin?: string }
  /** `at`/`origin`/`detail`: the manifest line, object and entry (`parameter image.tag`) that passes the flag. */
  | { kind: 'flag'; flag: string; arg: string; at?: { file: string; line: number; column: number }; origin?: string; detail?: string }
  /** Made by Helm itself: an empty subchart table, a `global` table, an imported table's root. */
  | { kind: 'helm'; reason: string };

export interface Candidate {
  source: Source;
  value: Value;
  /** How the value travelled, when not directly: `global` (copied down from a parent's global), `import` (import-values), `alias`. */
  via?: string;
}

export interface Slot extends Candidate {
  /** Lower-precedence candidates this value won over, highest first. */
  shadowed: Candidate[];
}

/** What removed a key (a user null), for explaining a path that has no value any more. */
export interface Removal {
  source: Source;
  shadowed: Candidate[];
}

export class Provenance {
  private readonly slots = new WeakMap<object, Map<PathSegment, Slot>>();
  private readonly removals = new WeakMap<object, Map<PathSegment, Removal>>();

  /**
   * Whether a frozen (shared, never-written) map holds a null at some depth: a fact of the map alone, so it is kept
   * with the root provenance (the chart defaults'), shared by every merge that reads those maps.
   */
  readonly frozenHasNil: WeakMap<object, boolean>;

  /**
   * A frozen map without its nulls (Helm 4.2's cleanNilValues of chart defaults), made once and frozen, its slots
   * recorded with the root provenance: shared, like `frozenHasNil`, by every merge that reads those maps.
   */
  readonly frozenWithoutNils: WeakMap<object, Record<string, Value>>;

  /** `parent` answers for containers this one has not recorded (shared, never-mutated chart defaults). */
  constructor(private readonly parent?: Provenance) {
    this.frozenHasNil = parent ? parent.frozenHasNil : new WeakMap();
    this.frozenWithoutNils = parent ? parent.frozenWithoutNils : new WeakMap();
  }

  /** The provenance of the shared chart defaults: the last parent (this one when it has none). */
  get root(): Provenance {
    return this.parent ? this.parent.root : this;
  }

  get(container: object, key: PathSegment): Slot | undefined {
    const own = this.slots.get(container);
    return own ? own.get(key) : this.parent?.get(container, key);
  }

  set(container: object, key: PathSegment, slot: Slot): void {
    let m = this.slots.get(container);
    if (!m) {
      m = new Map();
      this.slots.set(container, m);
    }
    m.set(key, slot);
  }

  removal(container: object, key: PathSegment): Removal | undefined {
    return this.removals.get(container)?.get(key);
  }

  /** Records that a user null at (container, key) removed the lower values. */
  remove(container: object, key: PathSegment, lower: Slot | undefined): void {
    const own = this.get(container, key);
    let m = this.removals.get(container);
    if (!m) {
      m = new Map();
      this.removals.set(container, m);
    }
    const source: Source = own?.source ?? { kind: 'helm', reason: 'null' };
    // The null's own history (earlier layers it replaced) ranks above the chart default it deletes.
    m.set(key, { source, shadowed: uniqueCandidates(source, [...(own?.shadowed ?? []), ...(lower ? [candidateOf(lower), ...lower.shadowed] : [])]) });
  }

  /** `winner` (already at dst[key]) beat `loser`: append the loser and its own history to the winner's shadowed list. */
  shadow(dst: object, key: PathSegment, loser: Slot | undefined, loserValue: Value): void {
    const w = this.get(dst, key);
    if (!w) return;
    const lost: Candidate[] = loser ? [{ ...candidateOf(loser), value: loserValue }, ...loser.shadowed] : [];
    if (lost.length > 0) this.set(dst, key, { ...w, shadowed: uniqueCandidates(w.source, [...w.shadowed, ...lost]) });
  }

  /** dst[key] is about to be replaced by a value whose slot is `winner`: the old value becomes its shadow. */
  replace(dst: object, key: PathSegment, winner: Slot | undefined, oldValue: Value | undefined, had: boolean): void {
    const old = had ? this.get(dst, key) : undefined;
    const base: Slot = winner ?? { source: { kind: 'helm', reason: 'unknown' }, value: null, shadowed: [] };
    const lost: Candidate[] = had && old ? [{ ...candidateOf(old), value: oldValue ?? null }, ...old.shadowed] : [];
    this.set(dst, key, { ...base, shadowed: uniqueCandidates(base.source, [...base.shadowed, ...lost]) });
  }

  /** Moves the slot of src[key] to dst[key] (a value placed as is, no competitor). */
  move(src: object, dst: object, key: PathSegment, via?: string): void {
    const s = this.get(src, key);
    if (s) this.set(dst, key, via ? { ...s, via } : s);
  }

  /** Deep copy that carries every slot over to the copied containers. Frozen (shared, read-only) values are kept as they are. */
  copy<T extends Value>(v: T): T {
    if (v !== null && typeof v === 'object' && Object.isFrozen(v)) return v;
    if (Array.isArray(v)) {
      const out = v.map((x) => this.copy(x));
      v.forEach((_, i) => this.move(v, out, i));
      return out as T;
    }
    if (isTable(v)) {
      const out: Record<string, Value> = {};
      for (const k of Object.keys(v)) {
        setOwn(out, k, this.copy(v[k] as Value));
        this.move(v, out, k);
      }
      return out as T;
    }
    return v;
  }

  /** Shallow copy (Go's maps.Copy), carrying the top-level slots. */
  copyShallow(v: Record<string, Value>): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const k of Object.keys(v)) {
      setOwn(out, k, v[k]);
      this.move(v, out, k);
    }
    return out;
  }
}

/** Two sources name the same place (the engine may meet one layer twice, as Helm coalesces more than once). */
export function sameSource(a: Source, b: Source): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.file === b.file && a.line === b.line && a.column === b.column && a.document === b.document;
  if (a.kind === 'flag' && b.kind === 'flag') return a.flag === b.flag && a.arg === b.arg;
  return a === b;
}

/** Candidates in order without the winner's own source and without repeats (first occurrence kept). */
function uniqueCandidates(winner: Source, list: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  for (const c of list) {
    if (sameSource(c.source, winner) || out.some((x) => sameSource(x.source, c.source))) continue;
    out.push(c);
  }
  return out;
}

function candidateOf(s: Slot): Candidate {
  return s.via ? { source: s.source, value: s.value, via: s.via } : { source: s.source, value: s.value };
}

/** Adopted top-level values of a document, reusable by its next version while their parsed block is unchanged. */
export type AdoptionCache = WeakMap<object, { entry: KeyEntry; file: string; layer: string; value: Value }>;

/**
 * Copies a parsed values document into fresh values, recording each key's file and line.
 * `documentIndex` selects one YAML document. With `reuse`, a top-level value whose parsed block is the very same
 * (an incremental re-parse keeps unchanged blocks, with the same entries while their lines did not move) gets its
 * earlier copy back: the caller must never write into what it adopts through the cache (chart defaults are frozen).
 */
export function adoptDocument(prov: Provenance, doc: ValuesDocument, documentIndex: number, layer: string, chart?: string, reuse?: AdoptionCache, origin?: string): Record<string, Value> {
  const root = doc.documents[documentIndex] ?? {};
  const walk = (v: Value): Value => {
    if (Array.isArray(v)) {
      const out = v.map(walk);
      v.forEach((x, i) => record(v, out, i, out[i] ?? x));
      return out;
    }
    if (isTable(v)) {
      const out: Record<string, Value> = {};
      for (const k of Object.keys(v)) {
        const c = walk(v[k] as Value);
        setOwn(out, k, c);
        record(v, out, k, c);
      }
      return out;
    }
    return v;
  };
  const record = (orig: object, out: object, key: PathSegment, value: Value) => {
    const e = doc.entryOf(orig, key);
    if (!e) return;
    const file = doc.fileOf?.(orig, key) ?? doc.file;
    const source: Source = { kind: 'file', file, line: e.line, column: e.column, layer, ...(chart ? { chart } : {}), ...(doc.documents.length > 1 ? { document: documentIndex } : {}), ...(origin ? { origin } : {}) };
    prov.set(out, key, { source, value, shadowed: [] });
  };
  if (!reuse || doc.documents.length !== 1 || !isTable(root)) return walk(root) as Record<string, Value>;
  const out: Record<string, Value> = {};
  for (const k of Object.keys(root)) {
    const v = root[k] ?? null;
    const e = doc.entryOf(root, k);
    const hit = v !== null && typeof v === 'object' ? reuse.get(v) : undefined;
    let c: Value;
    if (hit && e && hit.entry === e && hit.file === doc.file && hit.layer === layer) c = hit.value;
    else {
      c = walk(v);
      if (e && v !== null && typeof v === 'object') reuse.set(v, { entry: e, file: doc.file, layer, value: c });
    }
    setOwn(out, k, c);
    record(root, out, k, c);
  }
  return out;
}

/** Provenance that records nothing: for Helm's intermediate coalescing passes whose values are only read (conditions). */
export class NoProvenance extends Provenance {
  /** `shared`: the provenance whose memo of facts about frozen maps this one reuses (it records nothing itself). */
  constructor(shared?: Provenance) {
    super(shared);
  }
  override get(): Slot | undefined {
    return undefined;
  }
  override set(): void {}
  override remove(): void {}
  override shadow(): void {}
  override replace(): void {}
  override move(): void {}
  override copy<T extends Value>(v: T): T {
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return v;
    if (Array.isArray(v)) return v.map((x) => this.copy(x)) as T;
    const out: Record<string, Value> = {};
    for (const k of Object.keys(v)) setOwn(out, k, this.copy(v[k] as Value));
    return out as T;
  }
  override copyShallow(v: Record<string, Value>): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const k of Object.keys(v)) setOwn(out, k, v[k]);
    return out;
  }
}
