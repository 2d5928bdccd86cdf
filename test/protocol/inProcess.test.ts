// The language server started in process with `startServer(connection, host)` over an in-memory stream pair, driven
// by a JSON-RPC client through the typed wire contract (protocol.ts). Its diagnostics are compared with the CLI's
// `run` on the same workspace: the two adapters read the same project (ignore file, configuration problems, schema
// draft) through host/projectModel.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import * as rpc from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { run } from '../../server/src/cli/main';
import { createHost, startServer } from '../../server/src/lsp/startServer';
import { ChartInfoRequest, ClearCachesRequest, InferSchemaRequest } from '../../server/src/protocol';
import { cliLines, lspLines, type CliFinding } from './util';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'inProcess-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/** A repository with `.git` and a `.helmsecretsignore` at its root, and a chart two folders down. */
function repo(name: string): { root: string; chart: string } {
  const root = path.join(tmp, name);
  writeTree(root, {
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.helmsecretsignore': 'charts/api/values-prod.yaml:secret.password:db.password\n',
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'charts/api/values.yaml': 'replicas: 1\ndb:\n  password: ""\ncache:\n  password: ""\n',
    'charts/api/values-prod.yaml': 'replicas: 3\ndb:\n  password: "s3cr3t-Pr0d-pa55w0rd"\ncache:\n  password: "an0ther-Secr3t-v4lue"\n',
    'charts/api/values.schema.json': JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer' } } }),
  });
  return { root, chart: path.join(root, 'charts', 'api') };
}

/** The server in this process and a client speaking to it; `settings` answers workspace/configuration. */
async function inProcess(workspaceFolder: string, settings: Record<string, unknown>) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const session = startServer(createConnection(ProposedFeatures.all, new rpc.StreamMessageReader(toServer), new rpc.StreamMessageWriter(toClient)), createHost());
  const client = rpc.createMessageConnection(new rpc.StreamMessageReader(toClient), new rpc.StreamMessageWriter(toServer));
  const publishes: PublishDiagnosticsParams[] = [];
  const errors: string[] = [];
  const waiters: (() => void)[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    publishes.push(p);
    for (const w of waiters.splice(0)) w();
  });
  client.onNotification('window/logMessage', (p: { type: number; message: string }) => {
    if (p.type === 1) errors.push(p.message);
  });
  client.onRequest((method: string, params: unknown) => (method === 'workspace/configuration' ? (params as { items: unknown[] }).items.map(() => settings.helmValues) : null));
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: URI.file(workspaceFolder).toString(), workspaceFolders: [{ uri: URI.file(workspaceFolder).toString(), name: 'ws' }], capabilities: { workspace: { configuration: true } } });
  await client.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  return {
    session,
    client,
    errors,
    settings,
    async open(file: string): Promise<string> {
      const uri = URI.file(file).toString();
      versions.set(uri, 1);
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(file, 'utf8') } });
      return uri;
    },
    async change(uri: string, text: string): Promise<void> {
      const version = (versions.get(uri) ?? 0) + 1;
      versions.set(uri, version);
      await client.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    /** Every publish for `uri` so far, oldest first. */
    all(uri: string): PublishDiagnosticsParams[] {
      return publishes.filter((p) => p.uri === uri);
    },
    last(uri: string): PublishDiagnosticsParams | undefined {
      return publishes.filter((p) => p.uri === uri).at(-1);
    },
    /** Waits for the latest diagnostics of `uri` to satisfy `ok` (on publishes, with a timeout). */
    async waitFor(uri: string, ok: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean, what: string): Promise<PublishDiagnosticsParams> {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const p = publishes.filter((x) => x.uri === uri).at(-1);
        if (p && ok(p.diagnostics, p)) return p;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(p?.diagnostics.map((d) => d.code))}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    async close(uri: string): Promise<void> {
      await client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    async stop(): Promise<void> {
      await client.sendRequest('shutdown');
      client.dispose();
    },
  };
}

/** `helm-values check <args> -o json`, in this process. */
function cliFindings(args: string[]): CliFinding[] {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(['check', ...args, '-o', 'json'], (s) => out.push(s), (s) => err.push(s));
  assert.ok(code === 0 || code === 1, `check ${args.join(' ')} exited ${code}: ${err.join('\n')}`);
  return (JSON.parse(out.join('\n')) as { findings: CliFinding[] }).findings;
}

describe('startServer in process', () => {
  test('the ignore file above the workspace folder applies in the editor as in the CLI; diagnostics are versioned', async () => {
    const { chart } = repo('ignore');
    // The workspace folder is the chart: the ignore file at the repository root is above it.
    const s = await inProcess(chart, { helmValues: {} });
    try {
      const prod = path.join(chart, 'values-prod.yaml');
      const uri = await s.open(prod);
      const p = await s.waitFor(uri, (d) => d.some((x) => String(x.code).startsWith('secret.')), 'secret findings');
      assert.equal(p.version, 1, 'diagnostics carry the version they were computed on');
      const cli = cliFindings([chart]).filter((f) => path.resolve(f.file) === prod);
      assert.ok(cli.some((f) => f.code === 'secret.password' && f.line === 5), 'cache.password is reported');
      assert.ok(!cli.some((f) => f.line === 3), 'db.password is ignored by the repository\'s ignore file');
      await s.waitFor(uri, (d) => lspLines(d).join('\n') === cliLines(cli).join('\n'), 'diagnostics equal to the CLI\'s');

      await s.change(uri, 'replicas: "three"\ndb:\n  password: "s3cr3t-Pr0d-pa55w0rd"\n');
      const edited = await s.waitFor(uri, (d) => d.some((x) => x.code === 'schema.type'), 'the schema error of the edit');
      assert.equal(edited.version, 2);
      assert.deepEqual(s.errors, []);
    } finally {
      await s.stop();
    }
  });

  test('configuration problems: errors with a code in both adapters; the CLI names the file and line', async () => {
    const { root, chart } = repo('config');
    const environments = [{ name: 'a', extends: 'b' }, { name: 'b', extends: 'a' }];
    const config = path.join(root, 'envs.yaml');
    fs.writeFileSync(config, '- {name: a, extends: b}\n- {name: b, extends: a}\n');
    const s = await inProcess(root, { helmValues: { environments } });
    try {
      const values = path.join(chart, 'values.yaml');
      const uri = await s.open(values);
      const p = await s.waitFor(uri, (d) => d.some((x) => x.code === 'config.environments'), 'config problems');
      const editor = p.diagnostics.filter((d) => d.code === 'config.environments');
      const cli = cliFindings([chart, '--config', config]).filter((f) => f.code === 'config.environments');
      assert.deepEqual(
        editor.map((d) => `${d.severity} ${d.message}`).sort(),
        cli.map((f) => `${f.severity === 'error' ? 1 : 0} ${f.message}`).sort(),
      );
      assert.deepEqual(editor.map((d) => d.range.start.line), [0, 0], 'settings have no file: the chart\'s values.yaml, line 1');
      assert.deepEqual(cli.map((f) => `${f.file}:${f.line}`).sort(), [`${config}:1`, `${config}:2`]);
      assert.deepEqual(s.errors, []);
    } finally {
      await s.stop();
    }
  });

  test('yamlSyntaxDiagnostics in its string form; typed custom requests; clearCaches', async () => {
    const { chart } = repo('typed');
    const s = await inProcess(chart, { helmValues: { yamlSyntaxDiagnostics: 'off', helmVersion: '3' } });
    try {
      const uri = await s.open(path.join(chart, 'values-prod.yaml'));
      await s.change(uri, 'replicas: [3\n');
      await s.waitFor(uri, (_, p) => p.version === 2, 'diagnostics of the broken text');
      assert.ok(!s.last(uri)?.diagnostics.some((d) => d.code === 'yaml.syntax'), '"off" (a string, as Neovim sends it) hides yaml.syntax');

      const info = await s.client.sendRequest(ChartInfoRequest.type, { uri });
      assert.equal(info?.chartDir, chart);
      assert.deepEqual(info?.environments.map((e) => e.name), ['prod', 'default']);
      const unopened = await s.client.sendRequest(ChartInfoRequest.type, { uri: URI.file(path.join(chart, 'Chart.yaml')).toString() });
      assert.equal(unopened?.chartDir, chart, 'a file of the chart that is not open (the explorer\'s context menu)');
      const schema = await s.client.sendRequest(InferSchemaRequest.type, { chartDir: chart });
      // helmVersion 3 is the newest Helm 3 (3.19+): 2020-12, as `helm-values schema --helm-version 3` prints.
      const out: string[] = [];
      assert.equal(run(['schema', chart, '--helm-version', '3'], (x) => out.push(x), () => undefined), 0);
      assert.equal(schema.text.trimEnd(), out.join('\n'));
      assert.match(schema.text, /2020-12/);

      const before = s.session.workspace.caches.documents;
      assert.equal(await s.client.sendRequest(ClearCachesRequest.type), null);
      assert.notEqual(s.session.workspace.caches.documents, before, 'the host caches were cleared');
      s.settings.helmValues = { yamlSyntaxDiagnostics: 'on' };
      await s.client.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await s.waitFor(uri, (d) => d.some((x) => x.code === 'yaml.syntax'), '"on" shows yaml.syntax');
      assert.deepEqual(s.errors, []);
    } finally {
      await s.stop();
    }
  });
  test('an edit publishes its findings before the comparison of Helm releases and the secret scan, which neither flicker nor go stale', async () => {
    // Chart-default nulls: Helm 4.2.0+ drops them, older releases keep them (helm.version-dependent, an info).
    const root = path.join(tmp, 'phases');
    writeTree(root, {
      'Chart.yaml': 'apiVersion: v2\nname: phases\nversion: 0.1.0\n',
      'values.yaml': 'replicas: 1\nimage:\n  tag: ""\nservice:\n  nodePort: null\n  port: 80\ndb:\n  password: "s3cr3t-Pr0d-pa55w0rd"\n',
      'values.schema.json': JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer' } } }),
    });
    const file = path.join(root, 'values.yaml');
    const s = await inProcess(root, { helmValues: {} });
    try {
      const uri = await s.open(file);
      const versionFinding = (d: Diagnostic[]) => d.filter((x) => x.code === 'helm.version-dependent');
      const secretFinding = (d: Diagnostic[]) => d.filter((x) => String(x.code).startsWith('secret.'));
      const first = await s.waitFor(uri, (d) => versionFinding(d).length === 1 && secretFinding(d).length === 1, 'the version and secret findings');
      assert.equal(secretFinding(first.diagnostics)[0]?.range.start.line, 7, 'on db.password');
      assert.equal(versionFinding(first.diagnostics)[0]?.range.start.line, 4, 'on service.nodePort');

      // Two lines inserted above it, and a schema error: the finding moves with its key in every publish.
      const seen = s.all(uri).length;
      const text = 'replicas: "one"\n# a comment\n# another\nimage:\n  tag: ""\nservice:\n  nodePort: null\n  port: 80\ndb:\n  password: "s3cr3t-Pr0d-pa55w0rd"\n';
      await s.change(uri, text);
      const edited = await s.waitFor(uri, (d, p) => p.version === 2 && d.some((x) => x.code === 'schema.type'), 'the schema error of the edit');
      const after = s.all(uri).slice(seen);
      assert.ok(after.length >= 1);
      for (const p of after) {
        assert.deepEqual(versionFinding(p.diagnostics).map((d) => d.range.start.line), [6], `every publish after the edit has the finding on its new line: ${JSON.stringify(p.diagnostics.map((d) => [d.code, d.range.start.line]))}`);
        assert.deepEqual(secretFinding(p.diagnostics).map((d) => d.range.start.line), [9], `and the secret finding: ${JSON.stringify(p.diagnostics.map((d) => [d.code, d.range.start.line]))}`);
      }
      assert.equal(versionFinding(edited.diagnostics)[0]?.range.start.line, 6);
      fs.writeFileSync(file, text); // the CLI reads the disk; the server, the open text (the same)
      const cli = cliFindings([root]).filter((f) => path.resolve(f.file) === file);
      await s.waitFor(uri, (d) => lspLines(d).join('\n') === cliLines(cli).join('\n'), "diagnostics equal to the CLI's");

      // The edit removes the null: the carried finding goes at once (the edit touched it), and the comparison agrees.
      await s.change(uri, 'replicas: 1\nimage:\n  tag: ""\nservice:\n  port: 80\ndb:\n  password: "s3cr3t-Pr0d-pa55w0rd"\n');
      const gone = await s.waitFor(uri, (_, p) => p.version === 3, 'the diagnostics of the third text');
      assert.deepEqual(versionFinding(gone.diagnostics), []);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(versionFinding(s.last(uri)?.diagnostics ?? []), [], 'no Helm release keeps a null that is not there');
      assert.deepEqual(s.errors, []);
    } finally {
      await s.stop();
    }
  });
  test('a values file joins a chart when a Chart.yaml appears: on the file event, or as it opens again when no files are watched', async () => {
    const root = path.join(tmp, 'late');
    const secret = 'password: "s3cr3t-Pr0d-pa55w0rd"\n';
    writeTree(root, { 'watched/values.yaml': secret, 'unwatched/values.yaml': secret });
    const s = await inProcess(root, { helmValues: {} });
    const chartYaml = (name: string) => fs.writeFileSync(path.join(root, name, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
    const hasSecret = (d: Diagnostic[]) => d.some((x) => String(x.code).startsWith('secret.'));
    try {
      for (const name of ['watched', 'unwatched']) {
        const uri = await s.open(path.join(root, name, 'values.yaml'));
        await s.waitFor(uri, (d) => d.length === 0, `${name}: no findings outside a chart`);
      }
      const watched = URI.file(path.join(root, 'watched', 'values.yaml')).toString();
      chartYaml('watched');
      await s.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(path.join(root, 'watched', 'Chart.yaml')).toString(), type: 1 }] });
      await s.waitFor(watched, hasSecret, 'the chart\'s secret finding after the Chart.yaml file event');

      const unwatched = URI.file(path.join(root, 'unwatched', 'values.yaml')).toString();
      chartYaml('unwatched');
      await s.close(unwatched);
      await s.open(path.join(root, 'unwatched', 'values.yaml'));
      await s.waitFor(unwatched, hasSecret, 'the secret finding once the file opens again, with no file event');
      assert.deepEqual(s.errors, []);
    } finally {
      await s.stop();
    }
  });
});
