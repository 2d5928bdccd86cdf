// End-to-end tests of the schema and secrets features in the real extension host, on the copy of examples/webapp the
// drivers open: the `helmValues.secrets.*` settings as the server receives them, `secret.password` and its fixes,
// `schema.*` diagnostics on merged values and their quick fix, the JSON meta-schema on values.schema.json, and
// "Generate Schema Draft". Each test leaves the workspace as it found it (edits reverted, files removed).
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ChartInfo } from '../../../server/src/protocol';
import { codeActionsFor, codeOf, EXTENSION_ID, inProgress, positionOf, revert, waitForEvent, workspaceFile } from './helpers';

interface HelmValuesApi {
  chartInfo(uri: vscode.Uri): Promise<ChartInfo | undefined>;
}

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);

const PASSWORD = 'Kp9#vQ2!wLm4zR7s';

/**
 * A small schema for the example chart: replicaCount must be a positive integer. No `$schema`: VS Code's JSON support
 * then validates the file with the meta-schema our `jsonValidation` contribution associates with values.schema.json.
 */
const SCHEMA = `{
  "type": "object",
  "properties": {
    "replicaCount": { "type": "integer", "minimum": 1 }
  }
}
`;

function diagnostics(doc: vscode.TextDocument, code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => codeOf(d) === code);
}

async function waitForDiagnostic(doc: vscode.TextDocument, code: string, what = `${code} on ${doc.uri.path.split('/').pop()}`): Promise<vscode.Diagnostic> {
  await waitForEvent(vscode.languages.onDidChangeDiagnostics, () => diagnostics(doc, code).length > 0, what);
  const [d] = diagnostics(doc, code);
  assert.ok(d);
  return d;
}

function waitForNoDiagnostic(doc: vscode.TextDocument, code: string, what: string): Promise<void> {
  return waitForEvent(vscode.languages.onDidChangeDiagnostics, () => diagnostics(doc, code).length === 0, what);
}

/** Labels of a completion list, without the quotes JSON completions may carry. */
async function completionLabels(uri: vscode.Uri, at: vscode.Position): Promise<string[]> {
  const list = await run<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, at);
  return (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/^"|"$/g, ''));
}

describe('helm-values schema and secrets (extension host)', () => {
  let chartDir: string;
  let staging: vscode.TextDocument;
  const schemaUri = (): vscode.Uri => workspaceFile('values.schema.json');

  before(async () => {
    const ext = vscode.extensions.getExtension<HelmValuesApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    const api = await ext.activate();
    staging = await vscode.workspace.openTextDocument(workspaceFile('values-staging.yaml'));
    await vscode.window.showTextDocument(staging);
    const info = await api.chartInfo(staging.uri);
    assert.ok(info, 'values-staging.yaml belongs to no chart');
    chartDir = info.chartDir;
  });

  after(async () => {
    await vscode.workspace.fs.delete(schemaUri()).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('helmValues').update('secrets.disabledRules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('declares the helmValues.secrets.* settings, read as one `secrets` object', () => {
    const expected = {
      enabled: true,
      ignorePaths: [],
      ignoreKeyPaths: [],
      ignoreValues: [],
      disabledRules: [],
      placeholders: true,
      placeholderPatterns: [],
      replacePlaceholderPatterns: false,
      entropyRule: { enabled: false },
    };
    assert.deepEqual(vscode.workspace.getConfiguration('helmValues', staging.uri).get('secrets'), expected);
    // What vscode-languageclient answers to the server's `workspace/configuration` pull of section `helmValues`.
    const section = vscode.workspace.getConfiguration(undefined, staging.uri).get<{ secrets?: unknown }>('helmValues');
    assert.deepEqual(JSON.parse(JSON.stringify(section?.secrets)), expected);
  });

  it('reports the plaintext password of values-staging.yaml (secret.password) and fixes it with existingSecret', async () => {
    const d = await waitForDiagnostic(staging, 'secret.password');
    assert.equal(staging.getText(d.range), PASSWORD);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(!d.message.includes(PASSWORD), `the message shows the secret: ${d.message}`);

    const actions = await codeActionsFor(staging, d);
    const titles = actions.map((a) => a.title);
    console.log(`secret.password fixes:\n  ${titles.join('\n  ')}`);
    const fix = actions.find((a) => /existingSecret/.test(a.title));
    assert.ok(fix?.edit, `no existingSecret fix among: ${titles.join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(titles.some((t) => /ref\+vault/.test(t)), 'no vals reference fix');
    assert.ok(titles.some((t) => /# helm-values: ignore secret/.test(t)), 'no suppression fix');

    const name = /existingSecret: (\S+)/.exec(fix.title)?.[1] ?? '';
    const before = staging.getText();
    try {
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit was not applied');
      // values.yaml already names the Secret (cache.auth.existingSecret: webapp-redis), so the fix only blanks the
      // plaintext value: repeating the default in the overlay would be a redundant override.
      assert.equal(name, 'webapp-redis');
      const expected = before.replace(`  auth:\n    password: "${PASSWORD}"`, `  auth:\n    password: ""`);
      assert.notEqual(expected, before);
      assert.equal(staging.getText(), expected);
      await waitForNoDiagnostic(staging, 'secret.password', 'secret.password to go away after the fix');
    } finally {
      await revert(staging);
    }
    assert.equal(staging.getText(), before);
  });

  it('adds a secret finding to a new .helmsecretsignore, which silences it', async function () {
    const ignoreUri = workspaceFile('.helmsecretsignore');
    const d = await waitForDiagnostic(staging, 'secret.password');
    const fix = (await codeActionsFor(staging, d)).find((a) => /\.helmsecretsignore/.test(a.title));
    assert.ok(fix?.edit, 'no .helmsecretsignore fix');
    try {
      const applied = await vscode.workspace.applyEdit(fix.edit);
      if (!applied && inProgress('ignoreFileFix')) {
        console.log('PENDING: the server edits .helmsecretsignore without creating it (no CreateFile); this test is skipped until it does');
        this.skip();
      }
      assert.ok(applied, 'the edit was not applied');
      const doc = await vscode.workspace.openTextDocument(ignoreUri);
      if (doc.isDirty) await doc.save();
      assert.match(doc.getText(), /^values-staging\.yaml:secret\.password:cache\.auth\.password$/m);
      await waitForNoDiagnostic(staging, 'secret.password', 'secret.password to be silenced by .helmsecretsignore');
    } finally {
      await vscode.workspace.fs.delete(ignoreUri).then(undefined, () => undefined);
    }
    await waitForDiagnostic(staging, 'secret.password', 'secret.password to come back when .helmsecretsignore is gone');
  });

  it('passes helmValues.secrets.disabledRules to the server', async () => {
    await waitForDiagnostic(staging, 'secret.password');
    const config = vscode.workspace.getConfiguration('helmValues');
    await config.update('secrets.disabledRules', ['password'], vscode.ConfigurationTarget.Workspace);
    try {
      await waitForNoDiagnostic(staging, 'secret.password', 'secret.password to be disabled by helmValues.secrets.disabledRules');
    } finally {
      await config.update('secrets.disabledRules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostic(staging, 'secret.password', 'secret.password to come back when the setting is removed');
  });

  it('generates a schema draft into an unsaved JSON document bound to values.schema.json', async function () {
    const uri = await run<vscode.Uri | undefined>('helmValues.generateSchema', { chartDir });
    if (!uri && inProgress('inferSchema')) {
      console.log('PENDING: the server does not answer helmValues/inferSchema yet; this test is skipped until it does');
      this.skip();
    }
    assert.ok(uri, 'the command returned no document');
    assert.equal(uri.scheme, 'untitled');
    assert.equal(uri.path, schemaUri().path);
    const doc = await vscode.workspace.openTextDocument(uri);
    try {
      assert.equal(doc.languageId, 'json');
      assert.equal(doc.isDirty, true);
      const schema = JSON.parse(doc.getText()) as { properties: Record<string, { type?: string; default?: unknown; description?: string; properties?: Record<string, unknown> }> };
      assert.deepEqual(schema.properties.replicaCount, { type: 'integer', description: 'Number of web pods.', default: 1 });
      assert.equal(schema.properties.cache?.type, 'object');
      const exists = await vscode.workspace.fs.stat(schemaUri()).then(() => true, () => false);
      assert.equal(exists, false, 'values.schema.json was written without the user saving');
      // The draft's `$schema` meta-schema resolves without network: completion offers its keywords.
      const labels = await completionLabels(uri, positionOf(doc, '"replicaCount": {', '"replicaCount": {'.length));
      assert.ok(labels.includes('minimum') && labels.includes('enum'), `no meta-schema completions in the draft: ${labels.join(', ')}`);
    } finally {
      await vscode.window.showTextDocument(doc);
      await run('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('validates merged values against values.schema.json (schema.type) and converts the value with its quick fix', async () => {
    await vscode.workspace.fs.writeFile(schemaUri(), new TextEncoder().encode(SCHEMA));
    const editor = await vscode.window.showTextDocument(staging);
    const before = staging.getText();
    const at = positionOf(staging, 'replicaCount: 2', 'replicaCount: '.length);
    try {
      // An unsaved overlay edit: "3" is a string, the schema wants an integer; the error is on the overlay's line.
      await editor.edit((e) => e.replace(new vscode.Range(at, at.translate(0, 1)), '"3"'));
      const d = await waitForDiagnostic(staging, 'schema.type');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, at.line);

      // The preferred fix at the diagnostic (what Auto Fix applies); the line's other finding, helm.type-change, has none.
      const actions = await codeActionsFor(staging, d);
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix?.edit, `no preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
      console.log(`schema.type fix: ${fix.title}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit was not applied');
      assert.equal(staging.getText(), before.replace('replicaCount: 2', 'replicaCount: 3'));
      await waitForNoDiagnostic(staging, 'schema.type', 'schema.type to go away after the fix');
    } finally {
      await revert(staging);
    }
    assert.equal(staging.getText(), before);
  });

  it('completes and validates values.schema.json with the JSON Schema meta-schema, offline', async () => {
    if (!(await vscode.workspace.fs.stat(schemaUri()).then(() => true, () => false))) {
      await vscode.workspace.fs.writeFile(schemaUri(), new TextEncoder().encode(SCHEMA));
    }
    const doc = await vscode.workspace.openTextDocument(schemaUri());
    const editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'json');
    try {
      // Keywords of the meta-schema inside a property schema.
      const labels = await completionLabels(doc.uri, positionOf(doc, '"replicaCount": {', '"replicaCount": {'.length));
      assert.ok(labels.includes('maximum') && labels.includes('description'), `no meta-schema completions: ${labels.join(', ')}`);
      // A keyword of the wrong type is reported by VS Code's JSON support (not by helm-values).
      const at = positionOf(doc, '"minimum": 1', '"minimum": '.length);
      await editor.edit((e) => e.replace(new vscode.Range(at, at.translate(0, 1)), '"one"'));
      const jsonProblems = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source !== 'helm-values');
      await waitForEvent(vscode.languages.onDidChangeDiagnostics, () => jsonProblems().some((d) => d.range.start.line === at.line), 'a meta-schema problem on "minimum"');
      const problems = jsonProblems();
      console.log(`values.schema.json problems: ${problems.map((d) => `${d.source ?? ''}: ${d.message}`).join(' | ')}`);
      assert.ok(!problems.some((d) => /load|resolve|download/i.test(d.message)), 'the meta-schema did not load offline');
    } finally {
      await revert(doc);
      await run('workbench.action.closeActiveEditor');
    }
  });
});
