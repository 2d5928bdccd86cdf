// Hover with a discovered environment: in a values file, the winning layer names the manifest object, file, line and
// entry ("Application prod-eu (apps/prod-eu.yaml:15), parameter image.tag"); inside the manifest, inline values are a
// values document on their own lines, with the same precedence view as a values file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChartAnalysis } from '../../server/src/service/analysis';
import type { Environment } from '../../server/src/service/chart/environments';
import { computeHover } from '../../server/src/service/features/hover';
import { computeInlayHints } from '../../server/src/service/features/inlayHints';
import { computeCompletion } from '../../server/src/service/features/completion';
import { placeInManifest } from '../../server/src/host/gitops';
import { analysisOf, dedent, parseFixture } from './fixture';

const MANIFEST = dedent(`
  apiVersion: argoproj.io/v1alpha1
  kind: Application
  metadata:
    name: prod-eu
  spec:
    source:
      path: chart
      helm:
        valuesObject:
          replicas: 3
          image:
            pullPolicy: Always
        parameters:
          - name: image.tag
            value: "9.9"
`);

const CHART = `
  #- /chart/Chart.yaml
  apiVersion: v2
  name: app
  version: 1.0.0
  #- /chart/values.yaml
  image:
    tag: "1.0"
    pullPolicy: IfNotPresent
  replicas: 1
  resources: {}
`;

function analysis(): ChartAnalysis {
  const base = analysisOf(parseFixture(dedent(CHART)).files);
  const inline = { text: 'replicas: 3\nimage:\n  pullPolicy: Always\n', line: 9, column: 8 };
  const placed = placeInManifest(MANIFEST, inline);
  assert.ok(placed, 'the inline text is the manifest\'s own bytes');
  const env: Environment = {
    name: 'prod-eu',
    origin: 'config',
    values: [],
    set: [],
    setString: [],
    setJson: [],
    setFile: [],
    setLiteral: [],
    layers: [
      { type: 'inline', file: '/apps/prod-eu.yaml', ...inline, text: placed, placed: true, origin: 'Application prod-eu' },
      { type: 'flag', flag: 'set', arg: 'image.tag=9.9', at: { file: '/apps/prod-eu.yaml', line: 15, column: 18 }, origin: 'Application prod-eu', detail: 'parameter image.tag' },
    ],
    discovered: { kind: 'argocd', file: '/apps/prod-eu.yaml', line: 4, column: 9, label: 'Application prod-eu' },
  };
  return new ChartAnalysis({ ...base.input, environments: [...base.input.environments, env], relativePath: (f) => f.replace(/^\//, '') });
}

test('hover in values.yaml: the winning manifest layer by object, file, line and entry', () => {
  const a = analysis();
  const text = a.input.model.values?.text ?? '';
  const h = computeHover(a, '/chart/values.yaml', text.indexOf('tag:') + 1, { activeEnvironment: 'prod-eu' });
  assert.ok(h);
  assert.match(h.markdown, /Application prod-eu \(apps\/prod-eu\.yaml:15\), parameter image\.tag/);
});

test('hover on inline values inside the manifest: its own line wins, the chart default is shadowed', () => {
  const a = analysis();
  const offset = MANIFEST.indexOf('pullPolicy: Always') + 2;
  const h = computeHover(a, '/apps/prod-eu.yaml', offset, { activeEnvironment: 'prod-eu' });
  assert.ok(h, 'a hover on the manifest line');
  assert.equal(MANIFEST.slice(h.start, h.end), 'pullPolicy');
  assert.match(h.markdown, /"Always"/);
  assert.match(h.markdown, /this line/);
  assert.match(h.markdown, /"IfNotPresent"/);
  // Outside the inline values (the parameters list): no values key there.
  assert.equal(computeHover(a, '/apps/prod-eu.yaml', MANIFEST.indexOf('kind:') + 1, {}), undefined);
});

test('inlay hints on the manifest\'s inline values: the chart default each key replaces, at the key\'s line end', () => {
  const a = analysis();
  const hints = computeInlayHints(a, '/apps/prod-eu.yaml', 0, MANIFEST.length, { activeEnvironment: 'prod-eu' });
  const labelled = hints.map((h) => `${MANIFEST.slice(MANIFEST.lastIndexOf('\n', h.offset - 1) + 1, h.offset).trim()} «${h.label}»`);
  assert.ok(labelled.some((l) => l.startsWith('replicas: 3 «') && l.includes('1')), labelled.join('\n'));
  assert.ok(labelled.some((l) => l.startsWith('pullPolicy: Always «') && l.includes('IfNotPresent')), labelled.join('\n'));
});

test('completion inside inline values offers the chart\'s keys; outside them, nothing', () => {
  const a = analysis();
  const typed = MANIFEST.replace('        replicas: 3\n', '        replicas: 3\n        rep\n');
  const offset = typed.indexOf('        rep\n') + '        rep'.length;
  const items = computeCompletion(a, '/apps/prod-eu.yaml', typed, offset);
  assert.deepEqual(items.map((i) => i.label), ['resources'], 'the chart key not set yet');
  const outside = MANIFEST.replace('  project: default\n', '').replace('spec:\n', 'spec:\n  pro\n');
  assert.deepEqual(computeCompletion(a, '/apps/prod-eu.yaml', outside, outside.indexOf('  pro\n') + 5), []);
});
