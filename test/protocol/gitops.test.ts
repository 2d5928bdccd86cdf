// The language server with an Argo CD Application in the workspace folder: a hover on a key of values.yaml names the
// Application parameter that wins, a hover inside the Application's inline values shows their precedence, and a
// schema error in the inline values is published on the manifest's line; both follow unsaved edits of the manifest.
// The server announces the manifest (helmValues/gitopsManifests) so that a client selecting documents adds it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { positionOf, uriOf, type LspClient } from './lspClient';
import { hoverMarkdown, shutdownCleanly, startServer, tempFolder } from './util';

const root = tempFolder('helm-values-gitops-', {
  '.git/HEAD': 'ref: refs/heads/main\n',
  'guestbook/Chart.yaml': 'apiVersion: v2\nname: guestbook\nversion: 0.1.0\n',
  'guestbook/values.yaml': 'replicaCount: 1\nimage:\n  repository: gcr.io/google-samples/gb-frontend\n  tag: v5\n',
  'guestbook/values.schema.json': JSON.stringify({ type: 'object', properties: { replicaCount: { type: 'integer' } } }),
  'apps/prod-eu.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: prod-eu
spec:
  source:
    repoURL: https://github.com/example/apps.git
    path: guestbook
    helm:
      valuesObject:
        replicaCount: many
        image:
          repository: registry.example.com/gb
      parameters:
        - name: image.tag
          value: v7
`,
});
let c: LspClient;

before(async () => {
  c = await startServer(root);
});

after(() => shutdownCleanly(c).finally(() => fs.rmSync(root, { recursive: true, force: true })));

test('hover in values.yaml: "Application prod-eu (apps/prod-eu.yaml:16), parameter image.tag" wins', async () => {
  const uri = await c.open(path.join(root, 'guestbook/values.yaml'));
  const md = hoverMarkdown(await c.hover(uri, positionOf(c.text(uri), 'tag', 1)));
  assert.match(md, /prod-eu/);
  assert.match(md, /Application prod-eu \(apps\/prod-eu\.yaml:16\), parameter image\.tag/);
});

test('hover inside the Application\'s valuesObject, and the schema error there on the manifest line', async () => {
  const manifest = path.join(root, 'apps/prod-eu.yaml');
  const uri = await c.open(manifest);
  const md = hoverMarkdown(await c.hover(uri, positionOf(c.text(uri), 'repository', 2)));
  assert.match(md, /registry\.example\.com\/gb/);
  assert.match(md, /gcr\.io\/google-samples\/gb-frontend/, 'the chart default it shadows');
  const p = await c.waitForDiagnostics(uriOf(manifest), (d) => d.some((x) => String(x.code).startsWith('schema.')), 15_000);
  const schema = p.diagnostics.filter((d) => String(d.code).startsWith('schema.'));
  assert.deepEqual(schema.map((d) => d.range.start.line + 1), [11]);
});

test('the server announces the manifests that deploy a chart (helmValues/gitopsManifests), and no other YAML', async () => {
  const announced = c.custom.filter((n) => n.method === 'helmValues/gitopsManifests').map((n) => (n.params as { files: string[] }).files);
  assert.deepEqual(announced, [[path.join(root, 'apps/prod-eu.yaml')]]);
});

test('an unsaved edit of the valuesObject: the hover and the schema error follow the open text', async () => {
  const manifest = path.join(root, 'apps/prod-eu.yaml');
  const uri = uriOf(manifest);
  const values = uriOf(path.join(root, 'guestbook/values.yaml'));
  await c.replace(uri, 'replicaCount: many', 'replicaCount: 3');
  await c.waitForDiagnostics(uri, (d) => !d.some((x) => String(x.code).startsWith('schema.')), 15_000, 'the schema error gone with the edit');
  await c.replace(uri, 'registry.example.com/gb', 'registry.example.com/edited');
  assert.match(hoverMarkdown(await c.hover(uri, positionOf(c.text(uri), 'repository', 2))), /registry\.example\.com\/edited/);
  assert.match(hoverMarkdown(await c.hover(values, positionOf(c.text(values), 'repository', 2))), /registry\.example\.com\/edited/, 'values.yaml sees the unsaved layer');
  // The key moves two lines down with an invalid value: the schema error follows it.
  await c.replace(uri, 'replicaCount: 3\n        image:\n          repository: registry.example.com/edited', 'image:\n          repository: registry.example.com/edited\n        replicaCount: lots');
  const p = await c.waitForDiagnostics(uri, (d) => d.some((x) => String(x.code).startsWith('schema.')), 15_000);
  assert.deepEqual(p.diagnostics.filter((d) => String(d.code).startsWith('schema.')).map((d) => d.range.start.line + 1), [13]);
  assert.match(fs.readFileSync(manifest, 'utf8'), /replicaCount: many/, 'nothing was saved');
});

test('a folder of manifests that comes or goes, told as one event for the folder (as VS Code tells it), is read again', async () => {
  // A folder moved or checked out into the workspace, and a deleted one, give one file event: the folder's.
  const folder = path.join(root, 'more');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'staging.yaml'), fs.readFileSync(path.join(root, 'apps/prod-eu.yaml'), 'utf8').replace('name: prod-eu', 'name: staging-moved').replace('value: v7', 'value: v8-moved'));
  const values = uriOf(path.join(root, 'guestbook/values.yaml'));
  const announced = () => c.custom.filter((n) => n.method === 'helmValues/gitopsManifests').map((n) => (n.params as { files: string[] }).files);
  const waitFor = async (files: string[], what: string) => {
    const end = Date.now() + 15_000;
    while (JSON.stringify(announced().at(-1)) !== JSON.stringify(files)) {
      assert.ok(Date.now() < end, `${what}: announced ${JSON.stringify(announced())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await c.filesChanged([{ file: folder, type: 1 }]);
  await waitFor([path.join(root, 'apps/prod-eu.yaml'), path.join(folder, 'staging.yaml')], 'the manifest in the folder that came');
  assert.match(hoverMarkdown(await c.hover(values, positionOf(c.text(values), 'tag', 1))), /Application staging-moved \(more\/staging\.yaml:16\), parameter image\.tag/);

  fs.rmSync(folder, { recursive: true });
  await c.filesChanged([{ file: folder, type: 3 }]);
  await waitFor([path.join(root, 'apps/prod-eu.yaml')], 'the manifests without the folder that went');
  assert.doesNotMatch(hoverMarkdown(await c.hover(values, positionOf(c.text(values), 'tag', 1))), /staging-moved/);
});
