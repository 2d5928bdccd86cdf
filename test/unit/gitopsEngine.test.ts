// The engine's side of discovered environments: ordered layers, inline values documents placed at their manifest
// lines, kustomize merge patches (RFC 7386), Flux valuesFiles as the chart's defaults, SOPS files (keys only), and
// flags with the manifest line that passes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChartAnalysis } from '../../server/src/service/analysis';
import type { Environment, EnvironmentLayer } from '../../server/src/service/chart/environments';
import { explainPath, parsePathExpression, sourceJson, sourceText } from '../../server/src/service/helm/explain';
import { analysisOf, dedent, parseFixture } from './fixture';

function withEnvironment(fixture: string, layers: EnvironmentLayer[]): ChartAnalysis {
  const a = analysisOf(parseFixture(dedent(fixture)).files);
  const env: Environment = { name: 'gitops', origin: 'config', values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [], layers };
  return new ChartAnalysis({ ...a.input, environments: [...a.input.environments, env] });
}

function explain(a: ChartAnalysis, path: string) {
  const r = a.environment('gitops');
  assert.ok(r?.effective, 'environment merged');
  assert.equal(r.effective.error, undefined);
  const segments = parsePathExpression(path);
  assert.ok(segments);
  return explainPath(r.effective, segments);
}

const CHART = `
  #- /chart/values.yaml
  image:
    repository: nginx
    tag: "1.0"
  b:
    c: default
  #- /chart/prod.yaml
  image:
    tag: "from-file"
`;

test('layers apply in their order: a flag before inline values loses to them, after them wins', () => {
  const inline: EnvironmentLayer = { type: 'inline', file: '/apps/hr.yaml', text: 'image:\n  tag: "inline"\n', line: 11, column: 4, origin: 'HelmRelease podinfo' };
  const flag: EnvironmentLayer = { type: 'flag', flag: 'set', arg: 'image.tag=flag', at: { file: '/apps/hr.yaml', line: 7, column: 7 }, origin: 'HelmRelease podinfo', detail: 'targetPath image.tag' };
  const before = explain(withEnvironment(CHART, [flag, inline]), 'image.tag');
  assert.equal(before.value, 'inline');
  assert.deepEqual(sourceJson(before.source), { file: '/apps/hr.yaml', line: 13, column: 7, layer: '/apps/hr.yaml', origin: 'HelmRelease podinfo' });
  assert.equal(sourceText(before.shadowed[0]?.source), 'HelmRelease podinfo (/apps/hr.yaml:7), targetPath image.tag');
  const after = explain(withEnvironment(CHART, [inline, flag]), 'image.tag');
  assert.equal(after.value, 'flag');
  assert.deepEqual(sourceJson(after.source), { flag: '--set', arg: 'image.tag=flag', file: '/apps/hr.yaml', line: 7, column: 7, origin: 'HelmRelease podinfo', detail: 'targetPath image.tag' });
});

test('files and inline values merge like -f; chart defaults below them', () => {
  const a = withEnvironment(CHART, [
    { type: 'file', path: 'prod.yaml' },
    { type: 'inline', file: '/apps/app.yaml', text: 'extra: 1\n', line: 0, column: 0, origin: 'Application prod' },
  ]);
  assert.equal(explain(a, 'image.tag').value, 'from-file');
  assert.equal(explain(a, 'image.repository').value, 'nginx');
  const extra = explain(a, 'extra');
  assert.deepEqual(sourceJson(extra.source), { file: '/apps/app.yaml', line: 1, column: 1, layer: '/apps/app.yaml', origin: 'Application prod' });
});

test('a merge patch changes the inline values before it: maps merge, lists replace, null removes the key (the chart default shows)', () => {
  const a = withEnvironment(CHART, [
    { type: 'inline', file: '/base/hr.yaml', text: 'b:\n  c: base\n  d: 2\nlist: [1, 2]\ngone: x\n', line: 9, column: 4, origin: 'HelmRelease app' },
    { type: 'inline', file: '/prod/patch.yaml', text: 'b:\n  c: null\n  e: 3\nlist: [9]\ngone: null\n', line: 5, column: 4, origin: 'HelmRelease app (prod)', mergePatch: true },
  ]);
  assert.equal(explain(a, 'b.c').value, 'default', 'the patch null never reaches Helm');
  assert.equal(explain(a, 'b.d').value, 2);
  const e = explain(a, 'b.e');
  assert.equal(e.value, 3);
  assert.deepEqual(sourceJson(e.source), { file: '/prod/patch.yaml', line: 8, column: 7, layer: '/prod/patch.yaml', origin: 'HelmRelease app (prod)' });
  const list = explain(a, 'list');
  assert.deepEqual(list.value, [9]);
  assert.equal((list.source as { file: string }).file, '/prod/patch.yaml');
  assert.equal(list.shadowed[0]?.source.kind === 'file' && list.shadowed[0].source.file, '/base/hr.yaml');
  assert.equal(explain(a, 'gone').found, false);
});

test('a merge patch without inline values before it makes them', () => {
  const a = withEnvironment(CHART, [{ type: 'inline', file: '/prod/patch.yaml', text: 'image:\n  tag: patched\n  pull: null\n', line: 0, column: 0, origin: 'p', mergePatch: true }]);
  assert.equal(explain(a, 'image.tag').value, 'patched');
  assert.equal(explain(a, 'image.pull').found, false);
});

test("Flux valuesFiles replace the chart's values.yaml: merged in order, each key from its own file", () => {
  const a = withEnvironment(
    `${CHART}
  #- /chart/values-a.yaml
  image:
    tag: a
  only: a
  #- /chart/values-b.yaml
  only: b
  `,
    [
      { type: 'file', path: 'values-a.yaml', defaults: true },
      { type: 'file', path: 'values-b.yaml', defaults: true },
    ],
  );
  assert.equal(explain(a, 'image.tag').value, 'a');
  assert.equal(explain(a, 'image.repository').found, false, "values.yaml is not read when valuesFiles replace it");
  const only = explain(a, 'only');
  assert.equal(only.value, 'b');
  assert.equal(only.source?.kind === 'file' && only.source.file, '/chart/values-b.yaml');
  const one = withEnvironment(`${CHART}\n  #- /chart/values-a.yaml\n  only: a\n`, [{ type: 'file', path: 'values-a.yaml', defaults: true }]);
  assert.equal(explain(one, 'only').value, 'a');
  assert.equal(explain(one, 'b.c').found, false);
});

test('a SOPS file: its keys are layers, its metadata is not a value', () => {
  const a = withEnvironment(
    `${CHART}
  #- /chart/secrets.yaml
  password: ENC[AES256_GCM,data:abc,type:str]
  sops:
    version: 3.8.1
  `,
    [{ type: 'file', path: 'secrets.yaml', sops: true }],
  );
  assert.equal(explain(a, 'password').found, true);
  assert.equal(explain(a, 'sops').found, false);
});

test('inline values are documents of the manifest at their own lines (schema errors and hover land there)', () => {
  const a = withEnvironment(CHART, [{ type: 'inline', file: '/apps/app.yaml', text: 'image:\n  tag: x\n', line: 20, column: 6, origin: 'Application prod' }]);
  const r = a.environment('gitops');
  const doc = r?.files[0];
  assert.ok(doc);
  assert.equal(doc.file, '/apps/app.yaml');
  const entry = doc.entries.find((e) => e.path.join('.') === 'image.tag');
  assert.deepEqual(entry && { line: entry.line, column: entry.column }, { line: 22, column: 9 });
});
