// The language server inside template files, over stdio: hover on a `.Values` reference shows the effective value
// per environment, definition jumps to the winning layer and the chart default, completion after `.Values.` offers
// the keys (also on the `.` trigger), an edit of the open template reaches the index, and a template changed on disk
// (a file-watcher event) is read again.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { positionOf, uriOf, type LspClient } from './lspClient';
import { codes, hoverMarkdown, shutdownCleanly, startServer, tempFolder } from './util';

const root = tempFolder('helm-values-templates-', {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'app/values.yaml': 'image:\n  repository: nginx\n  tag: "1.25"\nservice:\n  port: 80\nother:\n  tag: edge\n',
  'app/values-prod.yaml': 'image:\n  tag: "1.26"\n',
  'app/templates/deployment.yaml': 'image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\nlabels: {{ include "app.labels" (dict "v" .Values.image) }}\n',
  'app/templates/_helpers.tpl': '{{- define "app.labels" -}}\ntag: {{ .v.tag }}\n{{- end }}\n',
});
let c: LspClient;

before(async () => {
  c = await startServer(root);
});

after(() => shutdownCleanly(c).finally(() => fs.rmSync(root, { recursive: true, force: true })));

test('hover on .Values.image.tag in a template: the value per environment and the winning layer', async () => {
  const uri = await c.open(path.join(root, 'app/templates/deployment.yaml'), undefined, 'helm');
  const h = await c.hover(uri, positionOf(c.text(uri), '.Values.image.tag', 15));
  assert.equal(hoverMarkdown(h), '**`image.tag`** — read by this template\n\n| env | value | from |\n|---|---|---|\n| default | `"1.25"` | `values.yaml:3` |\n| prod | `"1.26"` | `values-prod.yaml:2` |\n\nChart default: `"1.25"` from `values.yaml:3`');
  assert.deepEqual(h?.range, { start: positionOf(c.text(uri), '.Values.image.tag', 14), end: positionOf(c.text(uri), '.Values.image.tag', 17) }, 'the range is the key hovered: tag');
});

test('a template is no values file: no outline and no YAML problems from helm-values', async () => {
  const uri = uriOf(path.join(root, 'app/templates/deployment.yaml'));
  assert.deepEqual(await c.documentSymbols(uri), []);
  const p = await c.waitForDiagnostics(uri, () => true, 15_000);
  assert.deepEqual(codes(p.diagnostics).filter((code) => code.startsWith('yaml.')), []);
  // Outside any chart, a templates/ file is not read as a loose values file either.
  const loose = await c.open(path.join(root, 'loose/templates/cm.yaml'), 'data:\n  {{- range .Values.items }}\n  {{ . }}: x\n  {{- end }}\n', 'helm');
  // A loose values file opened after it gets its YAML problem: by then the template's would have been published.
  const values = await c.open(path.join(root, 'loose/values.yaml'), 'a: [\n');
  await c.waitForDiagnostics(values, (d) => d.length > 0, 15_000);
  assert.equal(c.lastDiagnostics(loose), undefined, 'nothing published for the template');
});

test('definition on a template reference: the winning layer, then the chart default', async () => {
  const uri = uriOf(path.join(root, 'app/templates/deployment.yaml'));
  const locations = await c.definition(uri, positionOf(c.text(uri), '.Values.image.tag', 16));
  assert.deepEqual(
    locations.map((l) => [path.relative(root, new URL(l.uri).pathname), l.range.start.line + 1]),
    [
      ['app/values-prod.yaml', 2],
      ['app/values.yaml', 3],
    ],
  );
});

test('completion after .Values. and .Values.image. (typed in the open text, also on the "." trigger)', async () => {
  const uri = uriOf(path.join(root, 'app/templates/deployment.yaml'));
  await c.change(uri, c.text(uri) + 'port: {{ .Values. }}\npull: {{ .Values.image. }}\n');
  const top = await c.completion(uri, positionOf(c.text(uri), '.Values. }}', 8));
  assert.deepEqual(top.map((i) => i.label), ['image', 'service', 'other']);
  const r = await c.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position: positionOf(c.text(uri), '.Values.image. }}', 14), context: { triggerKind: 2, triggerCharacter: '.' } });
  const items = r === null ? [] : Array.isArray(r) ? r : r.items;
  assert.deepEqual(items.map((i) => [i.label, i.detail]), [['repository', '"nginx"'], ['tag', '"1.25"']]);
  const values = await c.open(path.join(root, 'app/values.yaml'));
  const none = await c.request<CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: values }, position: positionOf(c.text(values), 'nginx', 0), context: { triggerKind: 2, triggerCharacter: '.' } });
  assert.deepEqual(none, [], 'the "." trigger offers nothing in values files');
});

test('an edit of the open template reaches the index; a template changed on disk is read again', async () => {
  const uri = uriOf(path.join(root, 'app/templates/deployment.yaml'));
  await c.change(uri, c.text(uri) + 'svc: {{ .Values.service.port }}\n');
  assert.match(hoverMarkdown(await c.hover(uri, positionOf(c.text(uri), '.Values.service.port', 17))), /^\*\*`service.port`\*\* — read by this template\n\n`80` in all 2 environments, from `values.yaml:5`$/);
  // The helper reads `.v.tag`: what `v` is comes from the caller, deployment.yaml.
  const helpers = await c.open(path.join(root, 'app/templates/_helpers.tpl'), undefined, 'helm');
  assert.match(hoverMarkdown(await c.hover(helpers, positionOf(c.text(helpers), '.v.tag', 3))), /^\*\*`image.tag`\*\*/);
  await c.close(uri);
  const file = path.join(root, 'app/templates/deployment.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('(dict "v" .Values.image)', '(dict "v" .Values.other)'));
  await c.filesChanged([{ file, type: 2 }]);
  assert.match(hoverMarkdown(await c.hover(helpers, positionOf(c.text(helpers), '.v.tag', 3))), /^\*\*`other.tag`\*\* — read by this template\n\n`"edge"` in all 2 environments/);
});
