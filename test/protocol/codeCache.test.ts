// The bin's V8 code cache (server/src/bin.ts): a first start writes it, the next start uses it without writing it
// again, and a bundle file that changed, even to a text of the same length, gets a cache of its own.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from './lspClient';
import { ensureBuilt } from './util';

before(() => ensureBuilt());

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hv-code-cache-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('the code cache is written once, used by the next start, and made again when the bundle file changes', () => {
  const dist = path.join(tmp, 'dist');
  fs.mkdirSync(dist);
  for (const f of ['server.js', 'server-main.js']) fs.copyFileSync(path.join(repoRoot, 'dist', f), path.join(dist, f));
  const validators = path.join(tmp, 'cache', 'helm-values', 'validators');
  const codeCache = path.join(tmp, 'cache', 'helm-values', 'code-cache');
  const start = () => execFileSync(process.execPath, [path.join(dist, 'server.js'), '--version'], { env: { ...process.env, HELM_VALUES_VALIDATOR_CACHE_DIR: validators }, encoding: 'utf8' }).trim();
  const caches = () => (fs.existsSync(codeCache) ? fs.readdirSync(codeCache).filter((f) => f.endsWith('.bin')).sort() : []);

  assert.equal(start(), 'helm-values-language-server 0.1.0');
  const [first, ...more] = caches();
  assert.ok(first !== undefined && more.length === 0, `one cache after the first start: ${caches().join(', ')}`);
  const written = fs.statSync(path.join(codeCache, first)).mtimeMs;

  assert.equal(start(), 'helm-values-language-server 0.1.0');
  assert.deepEqual(caches(), [first], 'the second start uses the cache');
  assert.equal(fs.statSync(path.join(codeCache, first)).mtimeMs, written, 'an accepted cache is not written again');

  // The same length, another text: V8's own check (the source's length) would take the old cache for it.
  const main = path.join(dist, 'server-main.js');
  const text = fs.readFileSync(main, 'utf8');
  assert.ok(text.includes('helm-values-language-server 0.1.0'));
  fs.writeFileSync(main, text.replace('helm-values-language-server 0.1.0', 'helm-values-language-server 9.9.9'));
  assert.equal(start(), 'helm-values-language-server 9.9.9', 'the changed bundle runs as it is now');
  assert.equal(caches().length, 2, 'the changed bundle file has a cache of its own');
  assert.equal(start(), 'helm-values-language-server 9.9.9');
  assert.equal(caches().length, 2, 'which the next start uses');
});
