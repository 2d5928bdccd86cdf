// End-to-end test of the editor inside a chart template (issue 10): the hover on `.Values.image.tag` in
// templates/deployment.yaml of the example chart shows the effective value in each environment and the winning layer,
// and go to definition reaches the layers; the template keeps the language the editor gave it.
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, featureContent, markdownOf, positionOf, workspaceFile } from './helpers';

describe('helm-values in a chart template (extension host)', () => {
  let template: vscode.TextDocument;
  let language: string;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await ext.activate();
    template = await vscode.workspace.openTextDocument(workspaceFile('templates', 'deployment.yaml'));
    language = template.languageId;
    await vscode.window.showTextDocument(template);
  });

  it('the hover on .Values.image.tag shows the value in each environment and the winning layer', async function () {
    // `image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default … }}"`: on `tag`.
    const at = positionOf(template, '.Values.image.tag', 15);
    const md = await featureContent(this, 'hover', 'a hover on .Values.image.tag in templates/deployment.yaml', async () => {
      const text = markdownOf((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', template.uri, at)) ?? []);
      return text.includes('image.tag') ? text : undefined;
    });
    console.log(`hover on .Values.image.tag in templates/deployment.yaml (language ${language}):\n${md}`);
    assert.match(md, /\*\*`image\.tag`\*\* — read by this template/);
    assert.match(md, /\| prod \| `"2\.3\.1"` \| `values-prod\.yaml:4` \|/, 'prod: the override wins');
    assert.match(md, /\| staging \| `"2\.3\.1-rc\.2"` \| `values-staging\.yaml:\d+` \|/);
    assert.match(md, /Chart default: `""` from `values\.yaml:10`/);
    assert.match(md, /Image tag; defaults to the chart's appVersion when empty\./, 'the values.yaml documentation');
    assert.equal(template.languageId, language, 'the template keeps its language');
  });

  it('go to definition on .Values.image.tag reaches the overriding layers and the chart default', async () => {
    const at = positionOf(template, '.Values.image.tag', 15);
    const locations = (await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', template.uri, at)) ?? [];
    const files = locations.map((l) => vscode.workspace.asRelativePath('targetUri' in l ? l.targetUri : l.uri));
    assert.ok(files.includes('values-prod.yaml'), `definition targets: ${files.join(', ')}`);
    assert.ok(files.includes('values.yaml'), `definition targets: ${files.join(', ')}`);
  });
});
