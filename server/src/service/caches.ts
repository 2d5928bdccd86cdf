// The long-lived caches of the language service, in one object the host owns: the CLI creates one per run, the
// language server one per session (and clears it when it wants the memory back). The service only reads and fills
// them; results never depend on what a cache holds, only how fast they come.
import { MemoTable, type MemoKey } from './memo';

export class ServiceCaches {
  private readonly table = new MemoTable();
  private ids = new WeakMap<object, number>();
  private nextId = 1;

  /** The slot of `key` (created empty on first use). */
  get<T>(key: MemoKey<T>): T {
    return this.table.get(key);
  }

  /**
   * A number naming an object for as long as it lives (0 for undefined): for memo keys built from identities
   * (signatures of inputs compared across snapshots). Stable for the life of these caches.
   */
  objectId(o: object | undefined): number {
    if (o === undefined) return 0;
    let id = this.ids.get(o);
    if (id === undefined) this.ids.set(o, (id = this.nextId++));
    return id;
  }

  /** Forgets everything. Identities get fresh numbers (never reused), so old signatures cannot match. */
  clear(): void {
    this.table.clear();
    this.ids = new WeakMap();
  }
}

/** The caches a host owns and passes in every service input (`AnalysisInput.caches`, `CheckInput.caches`). */
export function createServiceCaches(): ServiceCaches {
  return new ServiceCaches();
}
