// The language server's own V8 limits, so that it stays small however an editor launches it (Neovim, Emacs and
// others run the bin with `--stdio` and no node flags). Imported first by the bin entry (server.ts), so it runs
// before any other module allocates.
//
// The young generation is kept at its initial size (1 MiB semi-spaces; Node lets it grow to 16 MiB): each edit
// allocates short-lived garbage, and a large young generation only raises the resident size (peak RSS on
// kube-prometheus-stack with its schema: 104 → 92 MiB) without making edits faster. `--max-semi-space-size` would be
// the usual flag, but V8 reads it only when the heap is created, before any JavaScript runs; the growth factor is
// read at every scavenge, so setting it here takes effect (measured: `v8.setFlagsFromString('--max-semi-space-size=4')`
// changes nothing). A launch that sets its own semi-space flags (VS Code's client passes --max-semi-space-size=4)
// keeps them.
import * as v8 from 'node:v8';

const own = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((f) => /^--(max-|min-)?semi[-_]space/.test(f));
if (!own) v8.setFlagsFromString('--semi-space-growth-factor=1');

/**
 * A full garbage collection once the server has been idle for `IDLE_GC_MS` after its last check: the check of an
 * edit leaves its garbage in the old generation (its results live until the next edit), and collecting it while
 * nobody waits keeps the next edit's check from paying for it, and the heap compact (V8's own memory reducer waits
 * seconds). `collectWhenIdle` restarts the wait; a newer edit's check calls it again when it is done.
 */
const IDLE_GC_MS = 40;
let fullGc: (() => void) | undefined;
let idleTimer: NodeJS.Timeout | undefined;
export function collectWhenIdle(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = undefined;
    if (!fullGc) {
      v8.setFlagsFromString('--expose-gc');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      fullGc = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc') as () => void;
    }
    fullGc();
  }, IDLE_GC_MS);
  idleTimer.unref();
}
