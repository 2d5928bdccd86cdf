// Memos with an owner. A module that wants to remember something declares a typed key (a frozen constant, no
// state) and asks the owner's MemoTable for its slot; the slot lives and dies with its owner:
//   - a ValuesDocument (`doc.memo`): facts derived from one parsed text (secret candidates, comment docs);
//   - a ChartAnalysis (`analysis.memo`): facts of one snapshot (layers, rendered views, inlay-hint indexes);
//   - the ServiceCaches the host creates (`caches.get(key)`): what outlives snapshots (adopted chart defaults,
//     schema walks, name classifications), which the host can clear.
// So the service holds no module-level mutable state: every cache has an owner that can drop it.

/** Names one memo slot and makes its empty value. Declare it once per module, as a constant. */
export interface MemoKey<T> {
  readonly name: string;
  readonly create: () => T;
}

export function memoKey<T>(name: string, create: () => T): MemoKey<T> {
  return Object.freeze({ name, create });
}

/** The memo slots of one owner, each created on first use. */
export class MemoTable {
  private readonly slots = new Map<MemoKey<unknown>, unknown>();

  get<T>(key: MemoKey<T>): T {
    if (this.slots.has(key)) return this.slots.get(key) as T;
    const value = key.create();
    this.slots.set(key, value);
    return value;
  }

  /** Drops every slot (they are created again, empty, on next use). */
  clear(): void {
    this.slots.clear();
  }
}
