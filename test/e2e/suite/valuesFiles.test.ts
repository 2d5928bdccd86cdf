// End-to-end test of the client's document selector following the configuration: a values file whose name matches no
// convention (`deploy/prod-overrides.yml`) gets nothing from helm-values until an environment in
// `helmValues.environments` names it; then the client restarts with it selected, and it gets hovers and completion.
// Runs last (files run in name order): the restarts it causes stay out of the other suites. It leaves the workspace as
// it found it (setting reset, file removed).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ChartInfo } from '../../../server/src/protocol';
import { EXTENSION_ID, markdownOf, poll, positionOf, workspaceFile } from './helpers';

interface HelmValuesApi {
  chartInfo(uri: vscode.Uri): Promise<ChartInfo | undefined>;
}

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);

const OVERLAY = 'image:\n  tag: "2.4.0-rc.1"\n  \nreplicaCount: 3\n';
const ENVIRONMENTS = [{ name: 'prod-overrides', values: ['values-prod.yaml', 'deploy/prod-overrides.yml'] }];

describe('helm-values on configured values files (extension host)', () => {
  let api: HelmValuesApi;
  let prod: vscode.TextDocument;
  const overlay = (): vscode.Uri => workspaceFile('deploy', 'prod-overrides.yml');
  const unconfigured = (): vscode.Uri => workspaceFile('deploy', 'other.yml');
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('helmValues');
  const write = (uri: vscode.Uri, text: string): Thenable<void> => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const hoverOnTag = async (doc: vscode.TextDocument): Promise<string> => markdownOf((await run<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'tag:', 1))) ?? []);
  /** The hover on image.tag once it includes `needle` (undefined after the timeout). */
  const hoverWith = (doc: vscode.TextDocument, needle: string, timeoutMs = 30_000): Promise<string | undefined> =>
    poll(async () => {
      const md = await hoverOnTag(doc);
      return md.includes(needle) ? md : undefined;
    }, timeoutMs);

  before(async () => {
    const ext = vscode.extensions.getExtension<HelmValuesApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = await ext.activate();
    prod = await vscode.workspace.openTextDocument(workspaceFile('values-prod.yaml'));
    await write(overlay(), OVERLAY);
    await write(unconfigured(), OVERLAY);
  });

  after(async () => {
    await config().update('environments', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(workspaceFile('deploy'), { recursive: true }).then(undefined, () => undefined);
    // The client restarts once more without the file: wait until it answers again, for whatever runs next.
    await hoverWith(prod, 'values-prod.yaml', 20_000);
  });

  it('a file named in helmValues.environments is watched, and gets hovers and completion, whatever its name', async () => {
    await config().update('environments', ENVIRONMENTS, vscode.ConfigurationTarget.Workspace);
    const info = await poll(async () => {
      const i = await api.chartInfo(prod.uri);
      return i?.environments.some((e) => e.name === 'prod-overrides') ? i : undefined;
    }, 30_000);
    assert.ok(info, 'the server never listed the configured environment prod-overrides');

    // Watched while closed: the server reads it from disk, and a change on disk reaches the server.
    const before = await hoverWith(prod, '2.4.0-rc.1');
    assert.ok(before, 'the hover on image.tag in values-prod.yaml does not show the value from deploy/prod-overrides.yml');
    await write(overlay(), OVERLAY.replace('2.4.0-rc.1', '2.4.0-rc.2'));
    assert.ok(await hoverWith(prod, '2.4.0-rc.2', 15_000), 'a change of deploy/prod-overrides.yml on disk did not reach the server (not watched)');

    // Opened: hovers and completion in the file itself.
    const doc = await vscode.workspace.openTextDocument(overlay());
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'yaml');
    const md = await hoverWith(doc, 'prod-overrides.yml:2');
    assert.ok(md, 'no hover naming deploy/prod-overrides.yml:2 on image.tag in the configured file');
    console.log(`hover on image.tag in deploy/prod-overrides.yml:\n${md}`);
    assert.match(md, /image\.tag/);
    assert.match(md, /2\.4\.0-rc\.2/);
    assert.match(md, /values-prod\.yaml:4/, 'it shadows values-prod.yaml');
    const list = await run<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(2, 2));
    const labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('pullPolicy'), `completion under image: offers pullPolicy: ${labels.slice(0, 20).join(', ')}`);

    // A YAML file that no environment names stays out of the server's hands.
    const other = await vscode.workspace.openTextDocument(unconfigured());
    await vscode.window.showTextDocument(other);
    assert.equal(await hoverOnTag(other), '', 'deploy/other.yml is no values file: no hover');
  });

  it('a question about the chart asked as the client restarts waits for it, rather than finding no chart', async () => {
    // Another configured file: the client restarts with the new selector as the setting lands.
    await config().update('environments', [...ENVIRONMENTS, { name: 'other', values: ['deploy/other.yml'] }], vscode.ConfigurationTarget.Workspace);
    const info = await api.chartInfo(prod.uri);
    assert.ok(info, 'values-prod.yaml belongs to no chart while the client restarts');
    assert.ok(info.chartDir.length > 0);
  });
});
