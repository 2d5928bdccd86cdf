// End-to-end tests in the real extension host, on the example chart examples/webapp (the workspace folder): the
// bundled server, the real `vscode` API, the commands a user runs. Each wait is on an event or a short poll with a
// timeout; features listed as in progress in helpers.ts report "pending" instead of failing while they are stubs.
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ChartInfo } from '../../../server/src/protocol';
import { codeOf, EXTENSION_ID, featureContent, labelOf, markdownOf, poll, positionOf, waitForEvent, workspaceFile } from './helpers';

interface HelmValuesApi {
  chartInfo(uri: vscode.Uri): Promise<ChartInfo | undefined>;
}

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);

describe('helm-values in VS Code (extension host)', () => {
  let api: HelmValuesApi;
  let prod: vscode.TextDocument;
  let chartDir: string;

  before(async () => {
    const ext = vscode.extensions.getExtension<HelmValuesApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    api = await ext.activate();
    prod = await vscode.workspace.openTextDocument(workspaceFile('values-prod.yaml'));
    await vscode.window.showTextDocument(prod);
    const info = await api.chartInfo(prod.uri);
    assert.ok(info, 'values-prod.yaml belongs to no chart');
    chartDir = info.chartDir;
    console.log(`VS Code ${vscode.version} (${vscode.env.appName}), extension host on Node ${process.version}`);
  });

  it('activates in the chart workspace and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.equal(ext?.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['selectEnvironment', 'showEffectiveValues', 'compareEnvironments', 'compareWithHead', 'compareWithRevision', 'compareWithLiveRelease', 'explainKey', 'revealLocations']) {
      assert.ok(commands.includes(`helmValues.${c}`), `command helmValues.${c} is missing`);
    }
    assert.equal(prod.languageId, 'yaml', 'values files stay language yaml');
  });

  it('reports YAML 1.1 booleans in values-prod.yaml (helm.yaml11-boolean)', async () => {
    const booleans = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(prod.uri).filter((d) => codeOf(d) === 'helm.yaml11-boolean');
    await waitForEvent(vscode.languages.onDidChangeDiagnostics, () => booleans().length >= 2, 'helm.yaml11-boolean diagnostics on values-prod.yaml');
    const found = booleans();
    assert.deepEqual(found.map((d) => prod.getText(d.range)).sort(), ['NO', 'yes']);
    for (const d of found) {
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(d.source, 'helm-values');
    }
    assert.ok(found.some((d) => /boolean true/.test(d.message)), found.map((d) => d.message).join('\n'));
  });

  it('shows the winning layer in the hover of a key', async function () {
    const at = positionOf(prod, 'tag:', 1);
    const md = await featureContent(this, 'hover', 'hover text on image.tag', async () => {
      const hovers = await run<vscode.Hover[]>('vscode.executeHoverProvider', prod.uri, at);
      return markdownOf(hovers ?? []) || undefined;
    });
    console.log(`hover on image.tag:\n${md}`);
    assert.match(md, /image\.tag/);
    assert.match(md, /values-prod\.yaml:4/);
  });

  it('shows inlay hints on overriding keys', async function () {
    const whole = new vscode.Range(0, 0, prod.lineCount, 0);
    const hints = await featureContent(this, 'inlayHints', 'inlay hints in values-prod.yaml', async () => {
      const h = await run<vscode.InlayHint[]>('vscode.executeInlayHintProvider', prod.uri, whole);
      return h && h.length > 0 ? h : undefined;
    });
    const tagLine = positionOf(prod, 'tag:').line;
    const onTag = hints.filter((h) => h.position.line === tagLine).map(labelOf);
    console.log(`${hints.length} inlay hints; on image.tag: ${JSON.stringify(onTag)}`);
    assert.ok(onTag.some((l) => l.includes('values.yaml')), `no hint naming values.yaml on line ${tagLine + 1}: ${JSON.stringify(onTag)}`);
  });

  it('shows code lenses only when helmValues.codeLens is on, and their command reveals the other layers', async function () {
    const config = vscode.workspace.getConfiguration('helmValues');
    assert.equal(config.get('codeLens'), false, 'code lenses are off by default (the inlay hints say the same)');
    const reveal = async (): Promise<vscode.CodeLens[]> => (await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', prod.uri)).filter((x) => x.command?.command === 'helmValues.revealLocations');
    assert.deepEqual(await reveal(), [], 'no code lens while helmValues.codeLens is off');
    await config.update('codeLens', true, vscode.ConfigurationTarget.Workspace);
    try {
      const lenses = await featureContent(this, 'codeLens', 'code lenses in values-prod.yaml', async () => {
        const l = await reveal();
        return l.length > 0 ? l : undefined;
      });
      const lens = lenses.find((l) => l.range.start.line === positionOf(prod, 'tag:').line);
      assert.ok(lens?.command, `no reveal lens on image.tag among: ${lenses.map((l) => l.command?.title).join(', ')}`);
      console.log(`code lens on image.tag: ${lens.command.title}`);
      await run(lens.command.command, ...(lens.command.arguments ?? []));
      await run('closeReferenceSearch');
    } finally {
      await config.update('codeLens', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('selects the environment of a chart through the server', async () => {
    const info = await api.chartInfo(prod.uri);
    assert.deepEqual(
      ['default', 'prod', 'staging'].filter((e) => info?.environments.some((x) => x.name === e)),
      ['default', 'prod', 'staging'],
    );
    const staging = await run<ChartInfo | undefined>('helmValues.selectEnvironment', { chartDir, environment: 'staging' });
    assert.equal(staging?.activeEnvironment, 'staging');
    assert.equal((await api.chartInfo(prod.uri))?.activeEnvironment, 'staging');
    const all = await run<ChartInfo | undefined>('helmValues.selectEnvironment', { chartDir, environment: null });
    assert.equal(all?.activeEnvironment, undefined);
  });

  it('shows the effective values as an annotated read-only YAML document that follows edits', async function () {
    const uri = await run<vscode.Uri | undefined>('helmValues.showEffectiveValues', { chartDir, environment: 'prod' });
    assert.ok(uri, 'the command returned no document');
    assert.equal(uri.scheme, 'helm-values');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'yaml');
    const text = await featureContent(this, 'effectiveValues', 'effective values of prod', async () => (doc.getText().includes('replicaCount') ? doc.getText() : undefined));
    assert.match(text, /^replicaCount: 1 # values\.yaml:\d+$/m, 'replicaCount (the prod file misspells it) with its source');
    assert.match(text, /^ {2}tag: "?2\.3\.1"? # values-prod\.yaml:4$/m);

    // An unsaved edit of values-prod.yaml reaches the open document through helmValues/effectiveValuesChanged.
    const editor = await vscode.window.showTextDocument(prod);
    const start = positionOf(prod, '"2.3.1"');
    await editor.edit((e) => e.replace(new vscode.Range(start, start.translate(0, 7)), '"9.9.9"'));
    try {
      await waitForEvent(vscode.workspace.onDidChangeTextDocument, () => /^ {2}tag: "?9\.9\.9"? # values-prod\.yaml:4$/m.test(doc.getText()), 'the effective values to follow the edit');
    } finally {
      await vscode.window.showTextDocument(prod);
      await run('workbench.action.files.revert');
    }
    assert.equal(prod.isDirty, false);
    await waitForEvent(vscode.workspace.onDidChangeTextDocument, () => /^ {2}tag: "?2\.3\.1"? # values-prod\.yaml:4$/m.test(doc.getText()), 'the effective values to follow the revert');
  });

  it('compares two environments in a diff editor', async function () {
    const uris = await run<[vscode.Uri, vscode.Uri] | undefined>('helmValues.compareEnvironments', { chartDir, left: 'staging', right: 'prod' });
    assert.ok(uris, 'the command returned no documents');
    const tab = await poll(() => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputTextDiff ? t.input : undefined;
    }, 5_000);
    assert.ok(tab, 'no diff editor is active');
    assert.equal(tab.original.toString(), uris[0].toString());
    assert.equal(tab.modified.toString(), uris[1].toString());
    const [left, right] = await Promise.all(uris.map((u) => vscode.workspace.openTextDocument(u)));
    await featureContent(this, 'effectiveValues', 'effective values of staging and prod', async () => (left.getText().includes('tag:') && right.getText().includes('tag:') ? true : undefined));
    assert.match(left.getText(), /tag: "?2\.3\.1-rc\.2"?$/m);
    assert.match(right.getText(), /tag: "?2\.3\.1"?$/m);
    assert.doesNotMatch(right.getText(), / # values/, 'comparisons are not annotated');
  });

  it('explains the key at the cursor in a markdown preview', async function () {
    const editor = await vscode.window.showTextDocument(prod);
    const at = positionOf(prod, 'tag:', 1);
    editor.selection = new vscode.Selection(at, at);
    const uri = await featureContent(this, 'explain', 'an explanation of image.tag', () => run<vscode.Uri | undefined>('helmValues.explainKey'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /image\.tag/);
    assert.match(doc.getText(), /values-prod\.yaml:4/);
    const shown = await poll(() => {
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      const preview = tabs.find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('markdown.preview'));
      const source = tabs.find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
      return preview ? `markdown preview "${preview.label}"` : source ? `markdown source "${source.label}"` : undefined;
    }, 10_000);
    assert.ok(shown, 'the explanation is not shown');
    console.log(`explanation shown as ${shown}`);
  });
});
