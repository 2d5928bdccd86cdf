// End-to-end test of environments read from where teams declare them (issue 9): an Argo CD Application written into
// the workspace becomes an environment, and the hover on a key of values.yaml names the Application parameter that
// wins, with the manifest's file and line; the client follows the manifests the server discovers, so a hover inside
// an Application's `helm.valuesObject` shows that key's precedence. Manifests that come or go with their folder (VS
// Code reports one event, for the folder) are found and forgotten too. The workspace is left as found (the manifests
// are removed).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, markdownOf, poll, positionOf, workspaceFile } from './helpers';

const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: webapp-prod-eu
spec:
  source:
    repoURL: https://github.com/example/webapp.git
    path: .
    helm:
      valueFiles:
        - values-prod.yaml
      parameters:
        - name: image.tag
          value: "2.5.0-eu"
`;

/** An Application that comes into the workspace inside a folder moved there. */
const MOVED = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: webapp-moved
spec:
  source:
    repoURL: https://github.com/example/webapp.git
    path: .
    helm:
      parameters:
        - name: image.tag
          value: "3.0.0-moved"
`;

const INLINE = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: webapp-inline
spec:
  source:
    repoURL: https://github.com/example/webapp.git
    path: .
    helm:
      valuesObject:
        image:
          repository: registry.example.com/webapp
`;

describe('helm-values with an Argo CD Application in the workspace (extension host)', () => {
  const manifest = (): vscode.Uri => workspaceFile('argocd', 'webapp-prod-eu.yaml');
  let values: vscode.TextDocument;
  const hoverOnTag = async (): Promise<string> =>
    markdownOf((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', values.uri, positionOf(values, 'tag:', 1))) ?? []);
  /** The hover on image.tag once `ok` holds for it (undefined after the timeout). */
  const hoverOnTagWhen = (ok: (md: string) => boolean, timeoutMs: number): Promise<string | undefined> =>
    poll(async () => {
      const text = await hoverOnTag();
      return ok(text) ? text : undefined;
    }, timeoutMs);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await ext.activate();
    values = await vscode.workspace.openTextDocument(workspaceFile('values.yaml'));
    await vscode.window.showTextDocument(values);
  });

  after(async () => {
    for (const folder of ['argocd', 'apps-moved']) await vscode.workspace.fs.delete(workspaceFile(folder), { recursive: true }).then(undefined, () => undefined);
    // The server forgets the Applications once their folders are gone (whatever runs next sees the workspace as it was).
    await hoverOnTagWhen((md) => !/webapp-(prod-eu|moved)/.test(md), 20_000);
  });

  it('the hover on image.tag in values.yaml names the Application parameter that wins, at its manifest line', async () => {
    await vscode.workspace.fs.writeFile(manifest(), new TextEncoder().encode(APPLICATION));
    const md = await hoverOnTagWhen((text) => text.includes('Application webapp-prod-eu'), 60_000);
    assert.ok(md, 'the hover on image.tag never named the Application webapp-prod-eu written to argocd/webapp-prod-eu.yaml');
    console.log(`hover on image.tag in values.yaml with an Argo CD Application:\n${md}`);
    assert.match(md, /Application webapp-prod-eu \(argocd\/webapp-prod-eu\.yaml:14\), parameter image\.tag/);
    assert.match(md, /2\.5\.0-eu/, 'the parameter\'s value');
  });

  it('a hover inside the Application\'s helm.valuesObject shows the key\'s precedence (the manifest joins the client\'s documents)', async () => {
    const file = workspaceFile('argocd', 'webapp-inline.yaml');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(INLINE));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const md = await poll(async () => {
      const text = markdownOf((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'repository', 2))) ?? []);
      return text.includes('registry.example.com/webapp') ? text : undefined;
    }, 60_000);
    assert.ok(md, 'no hover with the inline value on image.repository inside argocd/webapp-inline.yaml');
    console.log(`hover inside the Application's valuesObject:\n${md}`);
    assert.match(md, /ghcr\.io\/example\/webapp/, 'the chart default it overrides');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('deleting the folder of the Applications (one event, for the folder) removes their environments', async () => {
    await vscode.workspace.fs.delete(workspaceFile('argocd'), { recursive: true });
    const md = await hoverOnTagWhen((text) => text.includes('image.tag') && !text.includes('webapp-prod-eu'), 20_000);
    assert.ok(md, 'the hover on image.tag still names the Application webapp-prod-eu after argocd/ was deleted');
  });

  it('an Application moved into the workspace with its folder (one event, for the folder) becomes an environment', async () => {
    // Written next to the workspace folder, then moved in: the watcher sees the folder arrive, never the file in it.
    const outside = vscode.Uri.joinPath(workspaceFile(), '..', `apps-${process.pid}`);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(outside, 'webapp-moved.yaml'), new TextEncoder().encode(MOVED));
    await vscode.workspace.fs.rename(outside, workspaceFile('apps-moved'));
    const md = await hoverOnTagWhen((text) => text.includes('Application webapp-moved'), 20_000);
    assert.ok(md, 'the hover on image.tag never named the Application webapp-moved of apps-moved/webapp-moved.yaml');
    assert.match(md, /Application webapp-moved \(apps-moved\/webapp-moved\.yaml:12\), parameter image\.tag/);

    await vscode.workspace.fs.delete(workspaceFile('apps-moved'), { recursive: true });
    const gone = await hoverOnTagWhen((text) => text.includes('image.tag') && !text.includes('webapp-moved'), 20_000);
    assert.ok(gone, 'the hover on image.tag still names the Application webapp-moved after apps-moved/ was deleted');
  });
});
