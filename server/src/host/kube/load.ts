// Loads the cluster reader (liveRelease.ts) on demand: bundled apart as dist/kube.js beside the CLI and the server
// (scripts/build.mjs), so the large Kubernetes client is read only when a command reads a cluster.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ClusterFailure, ClusterTarget, LiveRelease } from './liveRelease';

export type ReadLiveRelease = (t: ClusterTarget) => Promise<LiveRelease | ClusterFailure>;

/** The cluster reader: dist/kube.js beside the running bundle; the module itself when running from source. */
export function loadClusterReader(): Promise<ReadLiveRelease> {
  const bundled = typeof __dirname === 'string' ? path.join(__dirname, 'kube.js') : undefined;
  // Loaded with a require the bundler does not follow, so the Kubernetes client stays out of the other bundles; not
  // import(): the server's bundle runs in a vm.Script (bin.ts, for V8's code cache), which has no dynamic import.
  const load = createRequire(typeof __filename === 'string' ? __filename : path.join(process.cwd(), 'index.js'));
  const specifier = bundled !== undefined && fs.existsSync(bundled) ? bundled : ['.', 'liveRelease'].join('/');
  const mod = load(specifier) as { readLiveRelease: ReadLiveRelease };
  return Promise.resolve(mod.readLiveRelease);
}
