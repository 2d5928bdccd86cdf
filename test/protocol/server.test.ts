// Protocol tests: the built language server (dist/server.js) driven over stdio like an editor drives it.
// Diagnostics are compared with `helm-values check -o json` on the same texts: the CLI and the server call the same
// service, so they must agree line for line.
import { formatRelease, NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { LspClient, fileOf, freshValidatorCacheDir, positionOf, uriOf, type ClientOptions, type Publish } from './lspClient';
import { byFile, cliCheck, cliLines, codes, edit, ensureBuilt, kubePrometheusStack, lspLines, redis, tempCopy, webapp } from './util';

before(() => ensureBuilt());

/** Starts a server, runs `body`, then requires a clean shutdown (exit code 0) and no error logged by the server. */
async function withServer(options: ClientOptions, body: (c: LspClient) => Promise<void>): Promise<void> {
  const c = await LspClient.start({ settings: { helmValues: {} }, ...options });
  try {
    await body(c);
  } catch (e) {
    await c.kill();
    throw e;
  }
  const r = await c.shutdown();
  assert.equal(r.shutdownResult, null, 'shutdown answers null');
  assert.deepEqual({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `the server exits with 0 after shutdown/exit; stderr: ${c.stderr}`);
  assert.deepEqual(
    c.messages.filter((m) => m.type === 1),
    [],
    'the server logged no errors',
  );
}

/** Runs `body` on a chart copied to a temporary folder, and removes the copy afterwards, pass or fail. */
async function withCopy<T extends { dispose: () => void }>(copy: T, body: (copy: T) => Promise<void>): Promise<void> {
  try {
    await body(copy);
  } finally {
    copy.dispose();
  }
}

const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Writes the client's open texts into the chart copy on disk, runs the CLI on the chart (absolute path, so display
 * paths are the server's), and requires the server's latest diagnostics of every file to equal the CLI's findings.
 */
async function assertAgreesWithCli(c: LspClient, chart: string, args: string[] = []): Promise<void> {
  for (const uri of c.openDocuments()) fs.writeFileSync(fileOf(uri), c.text(uri));
  const expected = byFile(cliCheck([chart, ...args]));
  const files = new Set([...expected.keys(), ...c.publishes.map((p) => fileOf(p.uri)).filter((f) => f.startsWith(chart + path.sep))]);
  for (const file of files) {
    const want = cliLines(expected.get(file) ?? []);
    const uri = uriOf(file);
    if (want.length === 0 && !c.lastDiagnostics(uri)) continue;
    await c.waitForDiagnostics(uri, (d) => sameLines(lspLines(d), want), 10_000, `diagnostics equal to the CLI's for ${file}`).catch(() => undefined);
    assert.deepEqual(lspLines(c.lastDiagnostics(uri)?.diagnostics ?? []), want, `${path.relative(chart, file)}: server diagnostics vs helm-values check ${args.join(' ')}`);
  }
}

describe('examples/webapp', () => {
  test('values-prod.yaml: diagnostics are the findings of `helm-values check examples/webapp -o json`', async () => {
    const cli = byFile(cliCheck(['examples/webapp']));
    const prod = path.join(webapp, 'values-prod.yaml');
    const expected = cli.get(prod) ?? [];
    assert.ok(expected.some((f) => f.code === 'helm.yaml11-boolean'), 'the CLI reports helm.yaml11-boolean in values-prod.yaml');
    await withServer({ workspaceFolders: [webapp] }, async (c) => {
      const uri = await c.open(prod);
      const p = await c.waitForDiagnostics(uri, (d) => d.length > 0);
      assert.ok(codes(p.diagnostics).includes('helm.yaml11-boolean'));
      assert.deepEqual(lspLines(p.diagnostics), cliLines(expected));
      assert.ok(p.diagnostics.every((d) => d.source === 'helm-values'));
      // Every other file the CLI has findings for gets them too (the chart is checked as a whole).
      for (const [file, list] of cli) {
        const got = await c.waitForDiagnostics(uriOf(file), (d) => d.length === list.length);
        assert.deepEqual(lspLines(got.diagnostics), cliLines(list), file);
      }
    });
  });

  test('an edit updates diagnostics: a YAML syntax error appears, then goes when fixed (incremental and full sync)', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const uri = await c.open(path.join(copy.chart, 'values-prod.yaml'));
        const original = c.text(uri);
        await c.waitForDiagnostics(uri, (d) => codes(d).includes('helm.yaml11-boolean'));

        await c.replace(uri, 'tag: "2.3.1"', 'tag: [2.3.1'); // incremental change
        const broken = await c.waitForDiagnostics(uri, (d) => codes(d).includes('yaml.syntax'));
        const syntax = broken.diagnostics.filter((d) => d.code === 'yaml.syntax');
        assert.ok(syntax.every((d) => d.severity === 1), 'syntax errors are errors');
        assert.ok(syntax.every((d) => d.range.start.line >= 3), 'the error is at or after the edited line 4');
        await assertAgreesWithCli(c, copy.chart);

        await c.change(uri, original); // full change
        const fixed = await c.waitForDiagnostics(uri, (d) => !codes(d).includes('yaml.syntax'));
        assert.equal(codes(fixed.diagnostics).filter((x) => x === 'helm.yaml11-boolean').length, 2, 'both YAML 1.1 booleans are reported again');
        await assertAgreesWithCli(c, copy.chart);
      });
    });
  });

  test('a change to one file updates the diagnostics of the other files of the chart', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const chartUri = await c.open(path.join(copy.chart, 'Chart.yaml'));
        const valuesUri = await c.open(path.join(copy.chart, 'values.yaml'));
        const prodUri = await c.open(path.join(copy.chart, 'values-prod.yaml'));
        const prodText = c.text(prodUri);
        const valuesText = c.text(valuesUri);
        await c.waitForDiagnostics(prodUri, (d) => codes(d).includes('helm.yaml11-boolean'));
        await c.waitForDiagnostics(chartUri, (d) => d.length === 0);

        // The overlay makes the condition of the `cache` dependency (declared in Chart.yaml) a non-boolean.
        await c.replace(prodUri, 'cache:\n', 'cache:\n  enabled: "maybe"\n');
        const chartDiags = await c.waitForDiagnostics(chartUri, (d) => codes(d).includes('helm.dependency'));
        const dep = chartDiags.diagnostics.find((d) => d.code === 'helm.dependency');
        assert.match(dep?.message ?? '', /Condition path 'cache\.enabled'.*non-bool.*\[environment: prod\]/);
        assert.equal(dep?.range.start.line, 7, 'on the dependency entry in Chart.yaml (line 8)');
        await assertAgreesWithCli(c, copy.chart);

        // The chart defaults turn `featureFlags` into a string: the overlays that set it as a map are skipped.
        await c.replace(valuesUri, 'featureFlags:\n  # -- Turn on the new checkout flow.\n  newCheckout: false\n  # -- Country code used for tax rules (an ISO code, as text).\n  country: "NO"\n', 'featureFlags: "off"\n');
        const prodDiags = await c.waitForDiagnostics(prodUri, (d) => codes(d).includes('helm.type-conflict'));
        const conflict = prodDiags.diagnostics.find((d) => d.code === 'helm.type-conflict');
        assert.equal(conflict?.range.start.line, 12, 'on featureFlags in values-prod.yaml (line 13)');
        assert.match(conflict?.message ?? '', /featureFlags/);
        await assertAgreesWithCli(c, copy.chart);

        await c.change(prodUri, prodText);
        await c.change(valuesUri, valuesText);
        await c.waitForDiagnostics(chartUri, (d) => !codes(d).includes('helm.dependency'));
        await c.waitForDiagnostics(prodUri, (d) => !codes(d).includes('helm.type-conflict'));
        await assertAgreesWithCli(c, copy.chart);
      });
    });
  });

  test('closing an edited document brings back the diagnostics of the file on disk', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const file = path.join(copy.chart, 'values-prod.yaml');
        const uri = await c.open(file);
        await c.replace(uri, 'enabled: yes', 'enabled: [yes');
        await c.waitForDiagnostics(uri, (d) => codes(d).includes('yaml.syntax'));
        await c.close(uri);
        const after = await c.waitForDiagnostics(uri, (d) => !codes(d).includes('yaml.syntax'));
        assert.deepEqual(lspLines(after.diagnostics), cliLines(byFile(cliCheck([copy.chart])).get(file) ?? []));
      });
    });
  });

  test('a values file outside any chart: its own YAML problems, cleared when closed; requests answer empty', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      const loose = path.join(copy.root, 'loose.yaml');
      fs.writeFileSync(loose, 'a: [1\nb: 2\n');
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const uri = await c.open(loose);
        await c.waitForDiagnostics(uri, (d) => codes(d).includes('yaml.syntax'));
        assert.equal(await c.hover(uri, { line: 1, character: 0 }), null);
        assert.deepEqual(await c.completion(uri, { line: 1, character: 0 }), []);
        await c.close(uri);
        await c.waitForDiagnostics(uri, (d) => d.length === 0);
      });
    });
  });

  test('helmValues.helmVersion is pulled through workspace/configuration and takes effect', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      await withServer({ workspaceFolders: [copy.root], settings: { helmValues: { helmVersion: 3 } } }, async (c) => {
        const uri = await c.open(path.join(copy.chart, 'values-staging.yaml'));
        // A second YAML document: Helm 4 merges it, Helm 3 reads only the first.
        await c.change(uri, `${c.text(uri)}---\nreplicaCount: 5\n`);
        const v3 = await c.waitForDiagnostics(uri, (d) => codes(d).includes('helm.version-dependent'));
        assert.match(v3.diagnostics.find((d) => d.code === 'helm.version-dependent')?.message ?? '', /^replicaCount: Helm 3 gives 2; Helm 4 gives 5\./);
        const pulls = c.configurationRequests.filter((r) => r.items.some((i) => i.section === 'helmValues'));
        assert.ok(pulls.length >= 1, 'the server pulled helmValues');
        assert.equal(pulls[0]?.items[0]?.scopeUri, uriOf(copy.chart), 'scoped to the chart folder');
        await assertAgreesWithCli(c, copy.chart, ['--helm-version', '3']);

        const before = c.configurationRequests.length;
        await c.setSettings({ helmValues: { helmVersion: 4 } });
        const v4 = await c.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'helm.version-dependent' && x.message.startsWith('replicaCount: Helm 4 gives 5; Helm 3 gives 2.')));
        assert.ok(v4.diagnostics.length > 0);
        assert.ok(c.configurationRequests.length > before, 'the server pulled the settings again after didChangeConfiguration');
        await assertAgreesWithCli(c, copy.chart, ['--helm-version', '4']);
      });
    });
  });

  test('helmValues.helmVersion takes a release (4.1 is 4.1.4); an invalid one is a warning and the newest Helm 4 is used', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      await withServer({ workspaceFolders: [copy.root], settings: { helmValues: { helmVersion: '4.1' } } }, async (c) => {
        const uri = await c.open(path.join(copy.chart, 'values-staging.yaml'));
        await c.waitForDiagnostics(uri, () => true);
        const r = await c.request<{ text: string; helmVersion: string }>('helmValues/effectiveValues', { chartDir: copy.chart, environment: 'default', annotate: false });
        assert.equal(r.helmVersion, '4.1.4');
        assert.match(r.text, /\(Helm 4\.1\.4\)/);
        await assertAgreesWithCli(c, copy.chart, ['--helm-version', '4.1']);

        await c.setSettings({ helmValues: { helmVersion: 'latest' } });
        const values = uriOf(path.join(copy.chart, 'values.yaml'));
        const warned = await c.waitForDiagnostics(values, (d) => d.some((x) => x.message.startsWith('helmValues.helmVersion: "latest" is not a Helm version')));
        assert.equal(warned.diagnostics.find((x) => x.message.startsWith('helmValues.helmVersion'))?.severity, 2);
        const fallback = await c.request<{ helmVersion: string }>('helmValues/effectiveValues', { chartDir: copy.chart, environment: 'default', annotate: false });
        assert.equal(fallback.helmVersion, formatRelease(NEWEST_RELEASE[4]));
      });
    });
  });

  test('helmValues.environments is pulled through workspace/configuration and takes effect', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      const environments = [
        { name: 'prod', values: ['values/common.yaml', 'values-prod.yaml'] },
        { name: 'qa', values: ['values-qa.yaml'] },
      ];
      const config = path.join(copy.root, 'environments.json');
      fs.writeFileSync(config, JSON.stringify({ environments }));
      await withServer({ workspaceFolders: [copy.root], settings: { helmValues: { environments } } }, async (c) => {
        const chartUri = await c.open(path.join(copy.chart, 'Chart.yaml'));
        await c.open(path.join(copy.chart, 'values-prod.yaml'));
        const p = await c.waitForDiagnostics(chartUri, (d) => codes(d).includes('helm.missing-values-file'));
        assert.match(p.diagnostics.find((d) => d.code === 'helm.missing-values-file')?.message ?? '', /^Environment "qa": .*values-qa\.yaml/);
        await assertAgreesWithCli(c, copy.chart, ['--config', config]);

        await c.setSettings({ helmValues: { environments: [] } });
        await c.waitForDiagnostics(chartUri, (d) => !codes(d).includes('helm.missing-values-file'));
        await assertAgreesWithCli(c, copy.chart);
      });
    });
  });

  test('helmValues/effectiveValues at a git revision (Compare Effective Values with HEAD): read with git, open edits only on the working side', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: copy.root, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
      git('init', '-q');
      git('add', '-A');
      git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'one');
      const prod = path.join(copy.chart, 'values-prod.yaml');
      const text = fs.readFileSync(prod, 'utf8');
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const uri = await c.open(prod);
        await c.change(uri, edit(text, 'tag: "2.3.1"', 'tag: "9.9.9"'));
        const params = { chartDir: copy.chart, environment: 'prod', annotate: false };
        const working = await c.request<{ text: string; error?: string }>('helmValues/effectiveValues', params);
        const head = await c.request<{ text: string; error?: string }>('helmValues/effectiveValues', { ...params, revision: 'HEAD' });
        assert.equal(head.error, undefined);
        assert.match(working.text, /tag: "?9\.9\.9"?/);
        assert.match(head.text, /tag: "?2\.3\.1"?/);
        assert.doesNotMatch(head.text, /9\.9\.9/);
        const bad = await c.request<{ text: string; error?: string }>('helmValues/effectiveValues', { ...params, revision: 'no-such-ref' });
        assert.match(bad.error ?? '', /no-such-ref: unknown revision/);
      });
    });
  });

  test('helmValues/liveValues (Compare Environment with Live Release): declared against a release served by a fake API server; hovers then show the live value', async () => {
    const copy = tempCopy(webapp);
    const encode = (rel: object) => {
      const gz = zlib.gzipSync(Buffer.from(JSON.stringify(rel)), { level: 9 });
      gz[9] = 0xff; // as Go's gzip writes it
      return gz.toString('base64');
    };
    const record = { name: 'web', info: { status: 'deployed' }, chart: { metadata: { name: 'webapp', version: '9.9.9' } }, config: { image: { tag: '2.3.0-hotfix' }, debug: true }, version: 7, namespace: 'apps' };
    const item = { metadata: { name: 'sh.helm.release.v1.web.v7', labels: { name: 'web', owner: 'helm', status: 'deployed', version: '7' } }, data: { release: Buffer.from(encode(record)).toString('base64') } };
    const auth: string[] = [];
    const api = http.createServer((req, res) => {
      auth.push(String(req.headers.authorization));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: req.url?.includes('/secrets?') ? [item] : [] }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const port = (api.address() as AddressInfo).port;
      const kubeconfig = path.join(copy.root, 'kubeconfig');
      fs.writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: apps}}]\ncurrent-context: x\nusers: [{name: u, user: {token: t0k3n}}]\n`);
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const prod = path.join(copy.chart, 'values-prod.yaml');
        const uri = await c.open(prod);
        const before = await c.hover(uri, positionOf(c.text(uri), 'tag: "2.3.1"', 1));
        assert.doesNotMatch(JSON.stringify(before), /live:/, 'no cluster is read before the command');
        assert.equal(auth.length, 0);
        const r = await c.request<{ declared: string; live: string; changes: { path: string; kind: string }[]; summary: string; error?: string }>('helmValues/liveValues', { chartDir: copy.chart, environment: 'prod', release: 'web', kubeconfig });
        assert.equal(r.error, undefined, `${r.error ?? ''}\n${c.messages.map((m) => m.message).join('\n')}`);
        assert.ok(auth.every((a) => a === 'Bearer t0k3n') && auth.length > 0);
        assert.ok(r.changes.some((x) => x.path === 'image.tag' && x.kind === 'differs'), JSON.stringify(r.changes));
        assert.ok(r.changes.some((x) => x.path === 'debug' && x.kind === 'live-only'));
        assert.match(r.live, /tag: 2\.3\.0-hotfix/);
        assert.match(r.summary, /revision 7.*chart 0\.1\.0 declared, 9\.9\.9 live|revision 7.*declared, 9\.9\.9 live/);
        const after = await c.hover(uri, positionOf(c.text(uri), 'tag: "2.3.1"', 1));
        assert.match(JSON.stringify(after), /live: `\\"2\.3\.0-hotfix\\"` \(differs; release `web`, environment \*\*prod\*\*\)|live: `"2\.3\.0-hotfix"` \(differs/);
        const missing = await c.request<{ error?: string }>('helmValues/liveValues', { chartDir: copy.chart, environment: 'prod', release: 'nope', kubeconfig });
        assert.match(missing.error ?? '', /no such release "nope" in namespace apps/);
      });
    } finally {
      api.close();
      copy.dispose();
    }
  });
});

describe('corpus charts (temporary copies)', () => {
  test('kube-prometheus-stack: values.yaml and two ci overlays open; diagnostics equal the CLI; a change on disk is picked up', async () => {
    await withCopy(tempCopy(kubePrometheusStack), async (copy) => {
      await withServer({ workspaceFolders: [copy.chart] }, async (c) => {
        const values = await c.open(path.join(copy.chart, 'values.yaml'));
        await c.open(path.join(copy.chart, 'ci', '03-non-defaults-values.yaml'));
        await c.open(path.join(copy.chart, 'ci', '05-ingress-and-gateway-routes-values.yaml'));
        await c.waitForDiagnostics(values, () => true, 60_000);
        const chartYaml = await c.waitForDiagnostics(uriOf(path.join(copy.chart, 'Chart.yaml')), (d) => d.length > 0, 60_000);
        assert.ok(codes(chartYaml.diagnostics).includes('helm.missing-dependency'), 'subcharts not vendored: reported on Chart.yaml');
        await assertAgreesWithCli(c, copy.chart);

        // An overlay that is not open breaks on disk; the file watcher tells the server.
        const overlay = path.join(copy.chart, 'ci', '06-upgrade-crds-values.yaml');
        const original = fs.readFileSync(overlay, 'utf8');
        fs.writeFileSync(overlay, `${original}broken: [\n`);
        await c.filesChanged([{ file: overlay, type: 2 }]);
        await c.waitForDiagnostics(uriOf(overlay), (d) => codes(d).includes('yaml.syntax'), 60_000);
        await assertAgreesWithCli(c, copy.chart);
        fs.writeFileSync(overlay, original);
        await c.filesChanged([{ file: overlay, type: 2 }]);
        await c.waitForDiagnostics(uriOf(overlay), (d) => d.length === 0, 60_000);
      });
    });
  });

  test('kube-prometheus-stack: a burst of edits faster than the checks is coalesced; the last publish is of the last text', async () => {
    await withCopy(tempCopy(kubePrometheusStack), async (copy) => {
      await withServer({ workspaceFolders: [copy.chart] }, async (c) => {
        const values = await c.open(path.join(copy.chart, 'values.yaml'));
        await c.open(path.join(copy.chart, 'ci', '03-non-defaults-values.yaml'));
        await c.waitForDiagnostics(values, () => true, 60_000);
        const before = c.publishes.filter((p) => p.uri === values).length;
        // 30 keystrokes sent back to back, each a valid port number, then `yes` (a YAML 1.1 boolean).
        let current = 'nodePortTls: 30443';
        for (let i = 0; i < 30; i++) {
          const next = `nodePortTls: ${30444 + i}`;
          await c.replace(values, current, next);
          current = next;
        }
        const last = await c.replace(values, current, 'nodePortTls: yes');
        const p = await c.waitForDiagnostics(values, (d, pub) => pub.version === last && codes(d).includes('helm.yaml11-boolean'), 60_000, 'diagnostics of the final text');
        const line = c.text(values).slice(0, c.text(values).indexOf('nodePortTls: yes')).split('\n').length - 1;
        assert.ok(p.diagnostics.some((d) => d.code === 'helm.yaml11-boolean' && d.range.start.line === line));
        // Stale checks were dropped: far fewer publishes than edits, and none after the final one's.
        await new Promise((r) => setTimeout(r, 500));
        const during = c.publishes.filter((x) => x.uri === values).slice(before);
        assert.ok(during.length < 10, `${during.length} publishes for 31 edits`);
        assert.equal(during[during.length - 1]?.version, last);
        for (const x of during) assert.ok(x.version !== undefined, 'an open document is published with its version');
        await assertAgreesWithCli(c, copy.chart);
      });
    });
  });

  test('bitnami redis: diagnostics equal the CLI, before and after an edit', async () => {
    await withCopy(tempCopy(redis), async (copy) => {
      await withServer({ workspaceFolders: [copy.chart] }, async (c) => {
        const uri = await c.open(path.join(copy.chart, 'values.yaml'));
        await c.waitForDiagnostics(uri, () => true, 60_000);
        await assertAgreesWithCli(c, copy.chart);
        await c.replace(uri, 'architecture: replication', 'architecture: on');
        const p = await c.waitForDiagnostics(uri, (d) => codes(d).includes('helm.yaml11-boolean'), 60_000);
        const line = c.text(uri).slice(0, c.text(uri).indexOf('architecture: on')).split('\n').length - 1;
        assert.ok(p.diagnostics.some((d) => d.code === 'helm.yaml11-boolean' && d.range.start.line === line));
        await assertAgreesWithCli(c, copy.chart);
      });
    });
  });
});

/**
 * A copy of bitnami redis (a 3,300-line schema) with `architecture: on` (a schema error), its schema as shipped
 * (interpreted on a first open: type, properties, items only) or with a root `minProperties: 0`, a keyword that
 * changes no result but that the interpreter declines (compiled: the first check publishes what needs no schema
 * first).
 */
function redisCopy(schema: 'interpreted' | 'compiled') {
  const copy = tempCopy(redis);
  const file = path.join(copy.chart, 'values.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('architecture: replication', 'architecture: on'));
  if (schema === 'compiled') {
    const schemaFile = path.join(copy.chart, 'values.schema.json');
    fs.writeFileSync(schemaFile, JSON.stringify({ ...(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object), minProperties: 0 }, null, 2));
  }
  return { ...copy, file };
}

/** Waits until the server has stored a compiled validator in `cacheDir` (a first open compiles behind). */
async function storedValidator(cacheDir: string): Promise<void> {
  const until = Date.now() + 60_000;
  while (!(fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some((n) => n.endsWith('.validator.js')))) {
    assert.ok(Date.now() < until, 'no compiled validator stored within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a chart with a large schema (bitnami redis)', () => {
  test('a schema the interpreter declines: the first check publishes what needs no schema first, then the schema errors; later checks never drop them', async () => {
    await withCopy(redisCopy('compiled'), async (copy) => {
      await withServer({ workspaceFolders: [copy.chart] }, async (c) => {
        const uri = await c.open(copy.file);
        const full = await c.waitForDiagnostics(uri, (d) => codes(d).some((x) => x.startsWith('schema.')), 60_000, 'schema findings');
        const all = c.publishes.filter((p) => p.uri === uri);
        const first = all[0];
        assert.ok(first, 'no publish');
        assert.ok(codes(first.diagnostics).includes('helm.yaml11-boolean'), `first publish: ${codes(first.diagnostics).join(', ')}`);
        assert.ok(!codes(first.diagnostics).some((x) => x.startsWith('schema.')), 'the first publish waited for the schema');
        assert.ok(first.seq < full.seq);
        // Schema compiled: an edit is published once, schema findings included.
        const before = c.publishes.length;
        await c.replace(uri, 'architecture: on', 'architecture: yes');
        await c.waitForDiagnostics(uri, (d, p) => p.seq > before && codes(d).includes('helm.yaml11-boolean'), 60_000);
        await new Promise((r) => setTimeout(r, 300));
        for (const p of c.publishes.slice(before).filter((x) => x.uri === uri)) assert.ok(codes(p.diagnostics).some((x) => x.startsWith('schema.')), 'a later publish without the schema findings');
        await assertAgreesWithCli(c, copy.chart);
      });
    });
  });

  test('a schema the interpreter evaluates: the first check publishes once, schema errors included, as the CLI; edits while and after ajv compiles behind keep them', async () => {
    const copy = redisCopy('interpreted');
    const cacheDir = freshValidatorCacheDir();
    try {
      await withServer({ workspaceFolders: [copy.chart], env: { ...process.env, HELM_VALUES_VALIDATOR_CACHE_DIR: cacheDir } }, async (c) => {
        const uri = await c.open(copy.file);
        const full = await c.waitForDiagnostics(uri, (d) => codes(d).some((x) => x.startsWith('schema.')), 60_000, 'schema findings');
        const first = c.publishes.find((p) => p.uri === uri);
        assert.equal(first?.seq, full.seq, 'one publish, schema findings included');
        assert.ok(codes(full.diagnostics).includes('helm.yaml11-boolean'));
        await assertAgreesWithCli(c, copy.chart);
        // An edit at once (ajv still compiling on the worker, most likely), then after the validator is stored.
        for (const [from, to] of [['architecture: on', 'architecture: yes'], ['architecture: yes', 'architecture: on']]) {
          const before = c.publishes.length;
          await c.replace(uri, from, to);
          await c.waitForDiagnostics(uri, (d, p) => p.seq > before && codes(d).includes('helm.yaml11-boolean'), 60_000);
          for (const p of c.publishes.slice(before).filter((x) => x.uri === uri)) assert.ok(codes(p.diagnostics).some((x) => x.startsWith('schema.')), 'a publish without the schema findings');
          await storedValidator(cacheDir);
          await new Promise((r) => setTimeout(r, 200));
        }
        assert.deepEqual(c.publishes.filter((p) => p.uri === uri).at(-1)?.diagnostics, full.diagnostics, 'compiled code gives what the interpreter gave');
        await assertAgreesWithCli(c, copy.chart);
      });
    } finally {
      copy.dispose();
    }
  });
});

describe('the cache of compiled schemas', () => {
  for (const schema of ['compiled', 'interpreted'] as const) {
    test(`a reopen loads the compiled schema from disk: its first publish already has the schema findings, the same as the first open's (schema ${schema} on the first open)`, async () => {
      const copy = redisCopy(schema);
      const cacheDir = freshValidatorCacheDir();
      try {
        const launch = async () => {
          let first: Publish | undefined;
          let full: Publish | undefined;
          await withServer({ workspaceFolders: [copy.chart], env: { ...process.env, HELM_VALUES_VALIDATOR_CACHE_DIR: cacheDir } }, async (c) => {
            const uri = await c.open(copy.file);
            full = await c.waitForDiagnostics(uri, (d) => codes(d).some((x) => x.startsWith('schema.')), 60_000, 'schema findings');
            first = c.publishes.find((p) => p.uri === uri);
            await storedValidator(cacheDir);
          });
          assert.ok(first && full);
          return { first, full };
        };
        const firstOpen = await launch();
        if (schema === 'compiled') assert.ok(!codes(firstOpen.first.diagnostics).some((x) => x.startsWith('schema.')), 'first open: what needs no schema comes first');
        else assert.equal(firstOpen.first.seq, firstOpen.full.seq, 'first open, interpreted: one publish, schema findings included');
        const reopen = await launch();
        assert.equal(reopen.first.seq, reopen.full.seq, 'reopen: one publish, schema findings included');
        assert.deepEqual(reopen.full.diagnostics, firstOpen.full.diagnostics);
        // A cache emptied behind the server's back is only a first open again.
        fs.rmSync(cacheDir, { recursive: true, force: true });
        assert.deepEqual((await launch()).full.diagnostics, firstOpen.full.diagnostics);
      } finally {
        copy.dispose();
      }
    });
  }
});

describe('lifecycle', () => {
  test('initialize advertises the features; shutdown then exit ends the process with code 0', async () => {
    await withServer({ workspaceFolders: [webapp] }, async (c) => {
      const caps = c.initializeResult?.capabilities;
      assert.equal(c.initializeResult?.serverInfo?.name, 'helm-values');
      assert.equal(caps?.textDocumentSync, 2, 'incremental sync');
      for (const k of ['hoverProvider', 'definitionProvider', 'referencesProvider', 'documentSymbolProvider', 'completionProvider', 'inlayHintProvider'] as const) assert.ok(caps?.[k], k);
      assert.ok(c.serverRequests.has('client/registerCapability') || c.serverRequests.size === 0);
    });
  });

  test('exit without shutdown ends the process with code 1', async () => {
    const c = await LspClient.start({ workspaceFolders: [webapp] });
    const exited = new Promise<number | null>((resolve) => c.proc.once('exit', (code) => resolve(code)));
    await c.notify('exit', null);
    assert.equal(await exited, 1);
    await c.kill();
  });

  test('an edit stays in memory: the file on disk is untouched', async () => {
    await withCopy(tempCopy(webapp), async (copy) => {
      const file = path.join(copy.chart, 'values-prod.yaml');
      const before = fs.readFileSync(file, 'utf8');
      await withServer({ workspaceFolders: [copy.root] }, async (c) => {
        const uri = await c.open(file);
        await c.change(uri, edit(before, 'replicaCont: 4', 'replicaCount: [4'));
        await c.waitForDiagnostics(uri, (d) => codes(d).includes('yaml.syntax'));
      });
      assert.equal(fs.readFileSync(file, 'utf8'), before);
    });
  });
});
