// Contract of `helm-values usages <chart-dir> <dotted.path> [-o text|json]` (issue 10), on the built CLI:
// `{"path", "usages": [{"file", "line", "column", "kind"}]}` with files relative to the chart, templates of the chart,
// of a subchart directory (under its alias) and of a packaged subchart in charts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createTar } from 'nanotar';
import { chartYaml, cli, json, show, tempDir, writeTree } from './cliUtil';

const root = tempDir('hv-usages-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

const chart = path.join(root, 'app');
writeTree(chart, {
  'Chart.yaml': chartYaml('app', 'dependencies:\n  - name: db\n    alias: database\n    condition: database.enabled\n  - name: cache\n'),
  'values.yaml': 'image:\n  repository: nginx\n  tag: "1.0"\nresources: {}\ndatabase:\n  enabled: true\n  port: 5432\n',
  'templates/deployment.yaml': [
    'kind: Deployment',
    'spec:',
    '  image: {{ include "app.image" .Values.image }}',
    '  resources: {{- toYaml .Values.resources | nindent 4 }}',
    '  {{- with .Values.extra }}',
    '  extra: {{ .name }}',
    '  {{- end }}',
    '',
  ].join('\n'),
  'templates/_helpers.tpl': '{{- define "app.image" -}}\n{{ .repository }}:{{ .tag | default "latest" }}\n{{- end -}}\n',
  'charts/db/Chart.yaml': chartYaml('db'),
  'charts/db/values.yaml': 'port: 5432\n',
  'charts/db/templates/service.yaml': 'port: {{ .Values.port }}\n',
});
const tar = createTar([
  { name: 'cache/Chart.yaml', data: 'apiVersion: v2\nname: cache\nversion: 1.0.0\n' },
  { name: 'cache/values.yaml', data: 'size: 1\n' },
  { name: 'cache/templates/cm.yaml', data: 'size: {{ .Values.size | quote }}\nregistry: {{ .Values.global.registry }}\n' },
]);
fs.writeFileSync(path.join(chart, 'charts', 'cache-1.0.0.tgz'), zlib.gzipSync(tar));

function usages(dotted: string): { path: string; usages: { file: string; line: number; column: number; kind: string }[] } {
  const r = cli(['usages', chart, dotted, '-o', 'json'], root);
  assert.equal(r.code, 0, show(r));
  return json(r);
}

test('usages -o json: the issue\'s shape, files relative to the chart', () => {
  assert.deepEqual(usages('image.tag'), { path: 'image.tag', usages: [{ file: 'templates/_helpers.tpl', line: 2, column: 22, kind: 'read' }] });
  assert.deepEqual(usages('resources.limits.cpu'), { path: 'resources.limits.cpu', usages: [{ file: 'templates/deployment.yaml', line: 4, column: 25, kind: 'subtree' }] });
  assert.deepEqual(usages('extra.name').usages, [{ file: 'templates/deployment.yaml', line: 6, column: 13, kind: 'read' }]);
  // A subchart directory, under its alias; a dependency condition is a read of Chart.yaml.
  assert.deepEqual(usages('database.port').usages, [{ file: 'charts/db/templates/service.yaml', line: 1, column: 10, kind: 'read' }]);
  assert.deepEqual(usages('database.enabled').usages, [{ file: 'Chart.yaml', line: 5, column: 1, kind: 'read' }]);
  // A packaged subchart's templates; global is shared.
  assert.deepEqual(usages('cache.size').usages, [{ file: 'charts/cache-1.0.0.tgz#cache/templates/cm.yaml', line: 1, column: 10, kind: 'read' }]);
  assert.deepEqual(usages('global.registry').usages, [{ file: 'charts/cache-1.0.0.tgz#cache/templates/cm.yaml', line: 2, column: 14, kind: 'read' }]);
  assert.deepEqual(usages('nothing.here'), { path: 'nothing.here', usages: [] });
});

test('usages text output, and usage errors', () => {
  const r = cli(['usages', chart, 'image.tag'], root);
  assert.equal(r.code, 0, show(r));
  assert.equal(r.stdout.trim(), 'templates/_helpers.tpl:2:22: read image.tag (via templates/deployment.yaml:3)');
  const none = cli(['usages', chart, 'nothing'], root);
  assert.equal(none.stdout.trim(), 'nothing: no template reads it');
  assert.equal(cli(['usages', chart], root).code, 2);
  assert.equal(cli(['usages', chart, 'a..b'], root).code, 2);
  assert.equal(cli(['usages', chart, 'a', '-o', 'yaml'], root).code, 2);
  assert.equal(cli(['usages', path.join(root, 'missing'), 'a'], root).code, 2);
});
