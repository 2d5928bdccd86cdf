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

const launchFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
const own = launchFlags.some((f) => /^--(max-|min-)?semi[-_]space/.test(f));
if (!own) v8.setFlagsFromString('--semi-space-growth-factor=1');

// A function gets its feedback vector when first called, not after it has run a while (V8's lazy feedback
// allocation). A request runs hundreds of functions once each, the connection's reading and writing included; without
// a vector every property access in them is a full lookup (no inline cache), and between two hovers they may not run
// enough to get one. Measured on kube-prometheus-stack, a fresh server, eight edits and then four hovers 100 ms apart
// as `npm run bench` does, seven to nine launches each, interleaved: hover 2.00-2.05 → 1.59-1.70 ms, the round trip of
// an unknown request 1.28-1.35 → 1.12-1.21 ms; the start to complete diagnostics 4 ms longer (200 → 204 ms: vectors
// for the code that runs once) and the peak 0.5 MiB higher. Set only once the first check was published, it kept the
// start but only two thirds of the gain (the connection's code had run without vectors by then). V8's code cache does
// not depend on it (a cache made with either setting is accepted with the other). A launch that sets it keeps its own.
if (!launchFlags.some((f) => /^--(no-)?lazy[-_]feedback[-_]allocation$/.test(f))) v8.setFlagsFromString('--no-lazy-feedback-allocation');

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
