// End-to-end test of `helm.unused-key` (issue 10) on the example chart: the values.yaml of its redis subchart (a
// stand-in with no templates of its own, installed under the alias `cache`) holds defaults that no template of the
// chart reads, while the parent's templates/deployment.yaml reads `.Values.cache.auth.existingSecret`. Its
// `global.storageClass` default is unused too: the parent's pvc.yaml reads `.Values.global.storageClass`, the root's
// global (globals flow down only, never up from a subchart's values.yaml). The user sees
// those keys faded (a hint tagged Unnecessary) with an `unused` inlay hint, and the finding follows the templates: an
// unsaved edit of a parent template that starts reading a key, and a template created on disk in the subchart. Each
// test leaves the workspace as it found it (edit reverted, file deleted).
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, EXTENSION_ID, featureContent, labelOf, markdownOf, poll, positionOf, revert, waitForEvent, workspaceFile } from './helpers';

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);

/** The subchart's own template, written on disk by the last test: it reads one key below `master`, and its global. */
const MASTER_PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ .Release.Name }}-redis-data
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: {{ .Values.global.storageClass }}
  resources:
    requests:
      storage: {{ .Values.master.persistence.size }}
`;

describe('helm.unused-key in the example chart (extension host)', () => {
  let values: vscode.TextDocument;
  /** The text of each helm.unused-key diagnostic's range in charts/redis/values.yaml, with its line (1-based). */
  const unused = (): string[] =>
    vscode.languages
      .getDiagnostics(values.uri)
      .filter((d) => codeOf(d) === 'helm.unused-key')
      .map((d) => `${values.getText(d.range)}:${d.range.start.line + 1}`)
      .sort();
  const waitForUnused = async (expected: string[], what: string): Promise<void> => {
    await waitForEvent(vscode.languages.onDidChangeDiagnostics, () => JSON.stringify(unused()) === JSON.stringify(expected), `${what} (now: ${JSON.stringify(unused())})`, 30_000);
  };
  const hintsOf = async (doc: vscode.TextDocument): Promise<vscode.InlayHint[]> => (await run<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0))) ?? [];
  /** The 1-based lines of charts/redis/values.yaml with an `unused` inlay hint. */
  const unusedHintLines = async (): Promise<number[]> => (await hintsOf(values)).filter((h) => labelOf(h) === 'unused').map((h) => h.position.line + 1);
  const BEFORE = ['architecture:5', 'enabled:8', 'global:1', 'master:12', 'service:18'];

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await ext.activate();
    values = await vscode.workspace.openTextDocument(workspaceFile('charts', 'redis', 'values.yaml'));
    await vscode.window.showTextDocument(values);
  });

  it('marks the subchart defaults no template reads as unnecessary hints, and not the key the parent reads', async () => {
    await waitForUnused(BEFORE, 'helm.unused-key on architecture, auth.enabled, global, master and service of charts/redis/values.yaml');
    const found = vscode.languages.getDiagnostics(values.uri).filter((d) => codeOf(d) === 'helm.unused-key');
    for (const d of found) {
      assert.equal(d.severity, vscode.DiagnosticSeverity.Hint, d.message);
      assert.deepEqual(d.tags, [vscode.DiagnosticTag.Unnecessary], `${d.message}: shown faded`);
      assert.equal(d.source, 'helm-values');
    }
    const messages = found.map((d) => d.message).sort();
    console.log(`helm.unused-key in charts/redis/values.yaml:\n  ${messages.join('\n  ')}`);
    assert.deepEqual(messages, [
      'cache.architecture: no template of the chart reads this key; it has no effect',
      'cache.auth.enabled: no template of the chart reads this key; it has no effect',
      'cache.global: no template of the chart reads this key; it has no effect',
      'cache.master: no template of the chart reads this key; it has no effect',
      'cache.service: no template of the chart reads this key; it has no effect',
    ]);
    // templates/deployment.yaml reads .Values.cache.auth.existingSecret.
    assert.ok(!unused().some((u) => /^(existingSecret|auth):/.test(u)), JSON.stringify(unused()));
  });

  it('shows the "unused" inlay hint on those keys (inlay hints are on by default), and none in values.yaml', async function () {
    assert.equal(vscode.workspace.getConfiguration('helmValues').get('inlayHints'), true, 'helmValues.inlayHints is on by default');
    const lines = await featureContent(this, 'inlayHints', '"unused" inlay hints in charts/redis/values.yaml', async () => {
      const l = await unusedHintLines();
      return l.length > 0 ? l : undefined;
    });
    assert.deepEqual(lines, [1, 5, 8, 12, 18], 'on global, architecture, auth.enabled, master and service');
    const hint = (await hintsOf(values)).find((h) => labelOf(h) === 'unused');
    assert.match(String(typeof hint?.tooltip === 'string' ? hint.tooltip : hint?.tooltip?.value), /No template of the chart reads this key/);
    // The chart's own values.yaml: every default is read by a template; its other hints (overrides) still show.
    const chartValues = await vscode.workspace.openTextDocument(workspaceFile('values.yaml'));
    const labels = (await hintsOf(chartValues)).map(labelOf);
    console.log(`values.yaml: ${labels.length} inlay hints, e.g. ${JSON.stringify(labels[0])}`);
    assert.ok(labels.length > 0, 'values.yaml has inlay hints (its keys are overridden by values-prod.yaml)');
    assert.ok(!labels.includes('unused'), `values.yaml: ${JSON.stringify(labels)}`);
  });

  it('the hover on an unused key says that no template reads it', async function () {
    const md = await featureContent(this, 'hover', 'a hover on architecture in charts/redis/values.yaml', async () => {
      const text = markdownOf((await run<vscode.Hover[]>('vscode.executeHoverProvider', values.uri, positionOf(values, '\narchitecture:', 3))) ?? []);
      return text.includes('architecture') ? text : undefined;
    });
    assert.match(md, /^\*\*`cache\.architecture`\*\* — default of subchart `redis`/, md);
    assert.match(md, /\*\*Unused\*\*: no template of the chart reads this key\./, md);
    const read = markdownOf((await run<vscode.Hover[]>('vscode.executeHoverProvider', values.uri, positionOf(values, 'existingSecret:', 2))) ?? []);
    assert.match(read, /Read by `templates\/deployment\.yaml:\d+`/, read);
    // The parent's templates/pvc.yaml reads the root's global.storageClass, not the subchart's default.
    const global = markdownOf((await run<vscode.Hover[]>('vscode.executeHoverProvider', values.uri, positionOf(values, 'storageClass:', 2))) ?? []);
    assert.match(global, /\*\*Unused\*\*: no template of the chart reads this key\./, global);
  });

  it('the finding goes when a parent template starts reading the key (unsaved edit), and comes back on revert', async () => {
    await waitForUnused(BEFORE, 'the initial findings');
    const template = await vscode.workspace.openTextDocument(workspaceFile('templates', 'deployment.yaml'));
    const editor = await vscode.window.showTextDocument(template);
    const line = positionOf(template, '.Values.cache.auth.existingSecret').line;
    const end = template.lineAt(line).range.end;
    const ok = await editor.edit((e) => e.insert(end, '\n            - name: REDIS_ARCHITECTURE\n              value: {{ .Values.cache.architecture | quote }}'));
    assert.ok(ok, 'the edit of templates/deployment.yaml was not applied');
    try {
      await waitForUnused(['enabled:8', 'global:1', 'master:12', 'service:18'], 'cache.architecture to stop being unused once templates/deployment.yaml reads it');
      const lines = await poll(async () => {
        const l = await unusedHintLines();
        return l.includes(5) ? undefined : l;
      }, 10_000);
      assert.deepEqual(lines, [1, 8, 12, 18], 'the "unused" inlay hint on architecture is gone, the others stay');
      const hover = await poll(async () => {
        const md = markdownOf((await run<vscode.Hover[]>('vscode.executeHoverProvider', values.uri, positionOf(values, '\narchitecture:', 3))) ?? []);
        return md.includes('Read by') ? md : undefined;
      }, 10_000);
      assert.match(hover ?? '', /Read by `templates\/deployment\.yaml:\d+`/, 'the hover names the template that reads it now');
    } finally {
      await revert(template);
    }
    assert.equal(template.isDirty, false);
    await waitForUnused(BEFORE, 'cache.architecture to be unused again after the revert');
  });

  it('a template created on disk in the subchart uses the key it reads; deleting it brings the finding back', async () => {
    const file = workspaceFile('charts', 'redis', 'templates', 'pvc.yaml');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(MASTER_PVC));
    try {
      // master.persistence.size is read now: `master` is used, and its unread sibling becomes the highest unused key;
      // the subchart's own template reads .Values.global.storageClass: its global default is used.
      await waitForUnused(['architecture:5', 'enabled:14', 'enabled:8', 'service:18'], 'the subchart template charts/redis/templates/pvc.yaml to be seen');
      const moved = vscode.languages.getDiagnostics(values.uri).find((d) => d.range.start.line === 13);
      assert.equal(moved?.message, 'cache.master.persistence.enabled: no template of the chart reads this key; it has no effect');
    } finally {
      await vscode.workspace.fs.delete(workspaceFile('charts', 'redis', 'templates'), { recursive: true });
    }
    await waitForUnused(BEFORE, 'cache.master and cache.global to be unused again once the subchart template is deleted');
  });
});
