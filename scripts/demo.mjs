// `npm run demo`: the CLI on the bundled example chart (examples/webapp), showing what helm-values sees.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const chart = 'examples/webapp';
const config = `${chart}/helm-values.yaml`;
const steps = [
  ['Findings in every environment (check)', ['check', chart, '--config', config]],
  ['Where does image.tag come from in prod-eu? (explain)', ['explain', chart, 'image.tag', '--config', config, '--env', 'prod-eu']],
  ['A global, as the redis subchart (alias "cache") sees it', ['explain', chart, 'cache.global.storageClass', '--config', config, '--env', 'prod-eu']],
  ['The effective values Helm passes to templates in prod-eu (effective, excerpt)', ['effective', chart, '--config', config, '--env', 'prod-eu', '-o', 'yaml']],
];
let failed = false;
for (const [title, args] of steps) {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n$ helm-values ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: root, encoding: 'utf8' });
  const out = args[0] === 'effective' ? r.stdout.split('\n').slice(0, 40).join('\n') + '\n  ...\n' : r.stdout;
  process.stdout.write(out + r.stderr);
  // check exits 1 when it finds errors; the example chart has warnings only, so every step should exit 0.
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
