// Protocol tests of the editor features through the built server on examples/webapp: hover, inlay hints,
// completion, definition, references, document symbols. Each checks real content (values, layers, docs), so an
// empty answer fails.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CompletionItem, DocumentSymbol, InlayHint } from 'vscode-languageserver';
import { offsetAt, positionOf, uriOf, type LspClient } from './lspClient';
import { hoverMarkdown, shutdownCleanly, startServer, webapp } from './util';

const file = (p: string) => path.join(webapp, p);
let c: LspClient;
const uris: Record<string, string> = {};

before(async () => {
  c = await startServer(webapp);
  for (const f of ['values.yaml', 'values-prod.yaml', 'values-staging.yaml', 'charts/redis/values.yaml']) uris[f] = await c.open(file(f));
  await c.waitForDiagnostics(uris['values-prod.yaml'] ?? '', (d) => d.length > 0);
});

after(() => shutdownCleanly(c));

function uri(f: string): string {
  const u = uris[f];
  assert.ok(u, `${f} is not open`);
  return u;
}

const lineOf = (f: string, needle: string) => positionOf(c.text(uri(f)), needle).line;
const hintText = (h: InlayHint) => `${typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')} ${typeof h.tooltip === 'string' ? h.tooltip : (h.tooltip?.value ?? '')}`;

describe('hover', () => {
  test('on an override in an overlay: the path, its value and the layer it shadows', async () => {
    const text = c.text(uri('values-prod.yaml'));
    const h = await c.hover(uri('values-prod.yaml'), positionOf(text, 'pullPolicy', 2));
    const md = hoverMarkdown(h);
    assert.match(md, /image\.pullPolicy/);
    assert.match(md, /IfNotPresent/);
    assert.match(md, /values\.yaml/);
    assert.deepEqual(h?.range?.start, positionOf(text, 'pullPolicy'), 'the range starts at the key');
  });

  test('on a chart default: its documentation and the environments that override it', async () => {
    const md = hoverMarkdown(await c.hover(uri('values.yaml'), positionOf(c.text(uri('values.yaml')), 'replicaCount', 3)));
    assert.match(md, /Number of web pods/);
    assert.match(md, /staging/);
    assert.match(md, /values-staging\.yaml/);
    assert.match(md, /\b2\b/);
  });

  test("on a subchart's default: the alias path and the overlay that sets it", async () => {
    const md = hoverMarkdown(await c.hover(uri('charts/redis/values.yaml'), positionOf(c.text(uri('charts/redis/values.yaml')), 'size: 8Gi', 1)));
    assert.match(md, /cache\.master\.persistence\.size/);
    assert.match(md, /20Gi/);
    assert.match(md, /values-prod\.yaml/);
  });
});

describe('inlay hints', () => {
  test('values.yaml: a hint on an overridden key, none on keys nobody overrides', async () => {
    const hints = (await c.inlayHints(uri('values.yaml'))) ?? [];
    const on = (needle: string) => hints.filter((h) => h.position.line === lineOf('values.yaml', needle));
    const tag = on('  tag: ""');
    assert.ok(tag.length > 0, `a hint on image.tag; got hints on lines ${hints.map((h) => h.position.line + 1).join(', ')}`);
    assert.match(tag.map(hintText).join(' '), /prod|staging/);
    for (const quiet of ['  repository: ghcr.io', '  className: nginx', '  type: ClusterIP']) assert.deepEqual(on(quiet).map(hintText), [], `no hint on ${quiet.trim()}`);
  });

  test('values-prod.yaml: a hint on an override names the layer it shadows', async () => {
    const hints = (await c.inlayHints(uri('values-prod.yaml'))) ?? [];
    const tag = hints.filter((h) => h.position.line === lineOf('values-prod.yaml', 'tag: "2.3.1"'));
    assert.ok(tag.length > 0, 'a hint on image.tag');
    assert.match(tag.map(hintText).join(' '), /values\.yaml|""/);
  });
});

describe('completion', () => {
  /** Types `typed` on a new line after `afterLine` in values-prod.yaml, completes at its end, then undoes the edit. */
  async function completeAt(afterLine: string, typed: string): Promise<{ items: CompletionItem[]; apply: (label: string) => string }> {
    const u = uri('values-prod.yaml');
    const original = c.text(u);
    const at = positionOf(original, afterLine, afterLine.length);
    await c.changeRange(u, { start: at, end: at }, `${typed}\n`);
    const text = c.text(u);
    try {
      const items = await c.completion(u, { line: at.line, character: typed.length });
      return {
        items,
        apply: (label) => {
          const item = items.find((i) => i.label === label);
          assert.ok(item, `no item ${label} among ${items.map((i) => i.label).join(', ')}`);
          const e = item.textEdit;
          assert.ok(e && 'range' in e, 'items carry a textEdit with a range');
          // snippets as the editor leaves them: placeholders become their default text
          const inserted = item.insertTextFormat === 2 ? e.newText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') : e.newText;
          return text.slice(0, offsetAt(text, e.range.start)) + inserted + text.slice(offsetAt(text, e.range.end));
        },
      };
    } finally {
      await c.change(u, original);
    }
  }

  test("in an overlay, under image: the chart's keys with their defaults and where they come from", async () => {
    const { items, apply } = await completeAt('image:\n', '  re');
    const repo = items.find((i) => i.label === 'repository');
    assert.ok(repo, `repository offered; got ${items.map((i) => i.label).join(', ')}`);
    const doc = typeof repo.documentation === 'string' ? repo.documentation : (repo.documentation?.value ?? '');
    assert.match(repo.detail ?? '', /ghcr\.io\/example\/webapp/, 'the default value');
    assert.match(doc, /values\.yaml:8\b/, 'the layer and line it comes from');
    assert.match(apply('repository'), /\nimage:\n {2}repository: ghcr\.io\/example\/webapp\n {2}tag: "2\.3\.1"\n/);
  });

  test('in an overlay, at the top level: keys of values.yaml not set yet', async () => {
    const { items } = await completeAt('  port: 80\n', 'pod');
    assert.ok(items.some((i) => i.label === 'podAnnotations'), `podAnnotations offered; got ${items.map((i) => i.label).join(', ')}`);
  });
});

describe('navigation', () => {
  test('definition: an override goes to the key it overrides in values.yaml (and in a subchart)', async () => {
    const prod = c.text(uri('values-prod.yaml'));
    const tag = await c.definition(uri('values-prod.yaml'), positionOf(prod, 'tag:', 1));
    assert.ok(tag.some((l) => l.uri === uriOf(file('values.yaml')) && l.range.start.line === lineOf('values.yaml', '  tag: ""')), JSON.stringify(tag));
    const size = await c.definition(uri('values-prod.yaml'), positionOf(prod, 'size: 20Gi', 1));
    assert.ok(size.some((l) => l.uri === uriOf(file('charts/redis/values.yaml')) && l.range.start.line === lineOf('charts/redis/values.yaml', 'size: 8Gi')), JSON.stringify(size));
  });

  test('references: every layer that sets image.tag', async () => {
    const refs = await c.references(uri('values.yaml'), positionOf(c.text(uri('values.yaml')), '  tag: ""', 3));
    const at = (f: string, needle: string) => refs.some((l) => l.uri === uriOf(file(f)) && l.range.start.line === lineOf(f, needle));
    assert.ok(at('values-prod.yaml', 'tag: "2.3.1"'), JSON.stringify(refs));
    assert.ok(at('values-staging.yaml', 'tag: "2.3.1-rc.2"'), JSON.stringify(refs));
  });

  test('document symbols: the key tree, with values typed as Helm reads them', async () => {
    const symbols = (await c.documentSymbols(uri('values-prod.yaml'))) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['replicaCont', 'image', 'service', 'ingress', 'featureFlags', 'resources', 'cache']);
    const child = (s: DocumentSymbol | undefined, name: string) => s?.children?.find((x) => x.name === name);
    const image = symbols.find((s) => s.name === 'image');
    assert.deepEqual(image?.children?.map((s) => s.name), ['tag', 'pullPolicy']);
    assert.equal(image?.kind, 2, 'a map is a Module');
    assert.equal(child(image, 'tag')?.kind, 15, 'a string');
    assert.equal(child(symbols.find((s) => s.name === 'ingress'), 'enabled')?.kind, 17, '`yes` is the boolean true for Helm');
    assert.equal(child(symbols.find((s) => s.name === 'featureFlags'), 'country')?.kind, 17, '`NO` is the boolean false for Helm');
    assert.equal(child(child(child(symbols.find((s) => s.name === 'cache'), 'master'), 'persistence'), 'size')?.kind, 15);
  });
});
