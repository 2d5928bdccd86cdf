// The language server's bin (dist/server.js): sets the server's own V8 limits, then runs the server bundle
// (dist/server-main.js) through V8's code cache, so that a start does not compile the whole bundle again. Node 20
// has no module compile cache of its own (module.enableCompileCache came in Node 22).
//
// The code cache lives next to the validator cache ($XDG_CACHE_HOME/helm-values/code-cache, off with
// HELM_VALUES_VALIDATOR_CACHE_DIR=off), one file per bundle file and Node version, the newest few kept. The bundle
// file is known by what git's index knows a file by (device, inode, size, modification and change times to the
// nanosecond): any write changes the change time, which no tool can set back, and a file put in its place is another
// inode or change time. Hashing the megabyte of text instead cost 3-6 ms of every start. V8 checks the cache too
// (its version, flags and the source's length) and ignores one that does not fit; a missing or unreadable file only
// means compiling as Node would. It is written at exit when there was none or V8 rejected it, atomically, unless the
// process started a worker thread (see WORKER_STARTED in host/validatorCache.ts).
import './host/v8Limits';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { writeFileAtomic } from './host/atomicWrite';
import { defaultValidatorCacheDir, workerStarted } from './host/validatorCache';

const KEEP = 4;
const main = path.join(__dirname, 'server-main.js');
const source = fs.readFileSync(main, 'utf8');
const validators = defaultValidatorCacheDir();
const dir = validators === undefined ? undefined : path.join(path.dirname(validators), 'code-cache');
const file = dir === undefined ? undefined : path.join(dir, `${codeCacheKey(main)}.bin`);

/** The name of a bundle file's code cache: the file's identity and version, and the Node that compiled it. */
function codeCacheKey(bundle: string): string {
  const st = fs.statSync(bundle, { bigint: true });
  const identity = [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs, process.version, process.arch].join('\0');
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

let cachedData: Buffer | undefined;
try {
  if (file !== undefined) cachedData = fs.readFileSync(file);
} catch {
  // no cache yet
}
const script = new vm.Script((Module as unknown as { wrap: (s: string) => string }).wrap(source), { filename: main, ...(cachedData ? { cachedData } : {}) });
if (file !== undefined && dir !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
  process.once('exit', () => {
    if (workerStarted()) return; // V8 would reject it in a process without a worker (see WORKER_STARTED)
    if (!writeFileAtomic(file, script.createCachedData())) return;
    try {
      const old = fs
        .readdirSync(dir)
        .map((n) => path.join(dir, n))
        .filter((p) => p.endsWith('.bin') || p.endsWith('.tmp'))
        .map((p) => ({ p, t: fs.statSync(p).mtimeMs }))
        .sort((a, b) => b.t - a.t)
        .filter((e) => e.p !== file);
      for (const e of old.slice(KEEP - 1)) fs.rmSync(e.p, { force: true });
    } catch {
      // pruning is best effort: the next start prunes again
    }
  });
}
const mainModule = { exports: {} };
(script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void)(mainModule.exports, createRequire(main), mainModule, main, __dirname);
