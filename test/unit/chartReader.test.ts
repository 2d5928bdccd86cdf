// Host chart reader: builds chart trees on disk (directories, packaged .tgz, broken files, symlink loops) and checks
// the exact ChartSource read from them. Problems are compared as `severity code file` (codes, never messages).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createTar } from 'nanotar';
import { discoverCharts, findChartRoot, readChartDir } from '../../server/src/host/chartReader';
import type { ChartSource } from '../../server/src/service/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chartReader-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Tree = Record<string, string | Uint8Array>;

/** Writes files (paths relative to `root`, `/`-separated) and returns root. */
function writeTree(root: string, files: Tree): string {
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  return root;
}

/** A packaged chart: gzip of a tar holding the files (names include the top folder). */
function tgz(files: Tree, patch: (tar: Uint8Array) => Uint8Array = (t) => t): Uint8Array {
  return zlib.gzipSync(patch(createTar(Object.entries(files).map(([name, data]) => ({ name, data })))));
}

/** ChartSource with problems as `severity code file`, recursively: what the assertions compare. */
interface Shape extends Omit<ChartSource, 'problems' | 'subcharts'> {
  subcharts: Shape[];
  problems: string[];
}
function shape(source: ChartSource): Shape {
  return {
    ...source,
    subcharts: source.subcharts.map(shape),
    problems: source.problems.map((p) => `${p.severity} ${p.code} ${p.file}`),
  };
}
function chart(dir: string, parts: Partial<Shape>): Shape {
  return { dir, overlays: [], subcharts: [], problems: [], ...parts };
}

test('reads a chart with overlays of every convention, a directory subchart and nested packaged subcharts', () => {
  const common = tgz({
    'common/Chart.yaml': 'name: common\n',
    'common/values.yaml': 'common: {}\n',
  });
  const redis = tgz({
    'redis/Chart.yaml': 'name: redis\n',
    'redis/requirements.yaml': 'dependencies: []\n',
    'redis/values.yaml': '\uFEFFarchitecture: replication\n',
    'redis/values.schema.json': '{"type":"object"}',
    'redis/values-ha.yaml': 'replica: {replicaCount: 3}\n',
    'redis/ci/lint-values.yaml': 'lint: true\n',
    'redis/templates/master.yaml': 'kind: StatefulSet\n',
    'redis/charts/common-2.0.0.tgz': common,
    'redis/charts/inner/Chart.yaml': 'name: inner\n',
    'redis/charts/inner/values.yaml': 'inner: 1\n',
    'redis/charts/inner/values.prod.yml': 'inner: 2\n',
  });
  const dir = writeTree(path.join(tmp, 'overlays', 'app'), {
    'Chart.yaml': 'apiVersion: v1\nname: app\n',
    'requirements.yaml': 'dependencies:\n  - name: redis\n',
    'values.yaml': '\uFEFFreplicas: 1\n',
    'values.schema.json': '{}',
    'values-prod.yaml': 'replicas: 3\n',
    'values-prod.yml': 'replicas: 4\n',
    'values.staging.yml': 'replicas: 2\n',
    'values.schema.yaml': 'odd: but a candidate\n',
    'values-extra.json': '{}',
    'other.yaml': 'not: an overlay\n',
    'values/dev.yaml': 'env: dev\n',
    'values/qa.yml': 'env: qa\n',
    'values/notes.txt': 'not yaml\n',
    'values/nested/deep.yaml': 'too: deep\n',
    'ci/lint-values.yaml': 'lint: true\n',
    'ci/smoke.yml': 'smoke: true\n',
    'ci/README.md': '# ci\n',
    'templates/deployment.yaml': 'kind: Deployment\n',
    'charts/aaa-dir/Chart.yaml': 'name: aaa-dir\n',
    'charts/aaa-dir/values.yaml': 'a: 1\n',
    'charts/aaa-dir/values-dev.yaml': 'a: 2\n',
    'charts/no-chart/README.md': 'no Chart.yaml here\n',
    'charts/notes.txt': 'ignored\n',
    'charts/redis-17.3.7.tgz': redis,
  });

  const r = 'app/charts/redis-17.3.7.tgz';
  assert.deepEqual(shape(readChartDir(dir, { displayDir: 'app' })), chart('app', {
    chartYaml: { path: 'app/Chart.yaml', text: 'apiVersion: v1\nname: app\n' },
    requirementsYaml: { path: 'app/requirements.yaml', text: 'dependencies:\n  - name: redis\n' },
    valuesYaml: { path: 'app/values.yaml', text: 'replicas: 1\n' },
    schemaJson: { path: 'app/values.schema.json', text: '{}' },
    templates: [{ path: 'app/templates/deployment.yaml', text: 'kind: Deployment\n' }],
    overlays: [
      { path: 'app/ci/lint-values.yaml', text: 'lint: true\n' },
      { path: 'app/ci/smoke.yml', text: 'smoke: true\n' },
      { path: 'app/values-prod.yaml', text: 'replicas: 3\n' },
      { path: 'app/values-prod.yml', text: 'replicas: 4\n' },
      { path: 'app/values.schema.yaml', text: 'odd: but a candidate\n' },
      { path: 'app/values.staging.yml', text: 'replicas: 2\n' },
      { path: 'app/values/dev.yaml', text: 'env: dev\n' },
      { path: 'app/values/qa.yml', text: 'env: qa\n' },
    ],
    subcharts: [
      chart('app/charts/aaa-dir', {
        chartYaml: { path: 'app/charts/aaa-dir/Chart.yaml', text: 'name: aaa-dir\n' },
        valuesYaml: { path: 'app/charts/aaa-dir/values.yaml', text: 'a: 1\n' },
        overlays: [{ path: 'app/charts/aaa-dir/values-dev.yaml', text: 'a: 2\n' }],
      }),
      chart(r, {
        chartYaml: { path: `${r}#redis/Chart.yaml`, text: 'name: redis\n' },
        requirementsYaml: { path: `${r}#redis/requirements.yaml`, text: 'dependencies: []\n' },
        valuesYaml: { path: `${r}#redis/values.yaml`, text: 'architecture: replication\n' },
        schemaJson: { path: `${r}#redis/values.schema.json`, text: '{"type":"object"}' },
        templates: [{ path: `${r}#redis/templates/master.yaml`, text: 'kind: StatefulSet\n' }],
        overlays: [
          { path: `${r}#redis/ci/lint-values.yaml`, text: 'lint: true\n' },
          { path: `${r}#redis/values-ha.yaml`, text: 'replica: {replicaCount: 3}\n' },
        ],
        subcharts: [
          chart(`${r}#redis/charts/common-2.0.0.tgz`, {
            chartYaml: { path: `${r}#redis/charts/common-2.0.0.tgz#common/Chart.yaml`, text: 'name: common\n' },
            valuesYaml: { path: `${r}#redis/charts/common-2.0.0.tgz#common/values.yaml`, text: 'common: {}\n' },
          }),
          chart(`${r}#redis/charts/inner`, {
            chartYaml: { path: `${r}#redis/charts/inner/Chart.yaml`, text: 'name: inner\n' },
            valuesYaml: { path: `${r}#redis/charts/inner/values.yaml`, text: 'inner: 1\n' },
            overlays: [{ path: `${r}#redis/charts/inner/values.prod.yml`, text: 'inner: 2\n' }],
          }),
        ],
      }),
    ],
  }));

  // Without displayDir, display paths start from dir as given.
  const plain = readChartDir(dir);
  assert.equal(plain.dir, dir);
  assert.equal(plain.valuesYaml?.path, path.join(dir, 'values.yaml'));
  assert.equal(plain.subcharts[1]?.valuesYaml?.path, `${path.join(dir, 'charts', 'redis-17.3.7.tgz')}#redis/values.yaml`);
});

test('binary and non-UTF-8 files, broken archives and symlink loops become findings', () => {
  const dir = writeTree(path.join(tmp, 'broken', 'app'), {
    'Chart.yaml': 'name: app\n',
    'values.yaml': new Uint8Array([0x61, 0x3a, 0x20, 0x00, 0x01, 0x0a]),
    'values-bad.yaml': new Uint8Array([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]),
    'values-good.yaml': 'a: 1\n',
    'charts/corrupt-1.0.0.tgz': new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00]),
    'charts/plain-1.0.0.tgz': zlib.gzipSync('name: not a tar archive\n'.repeat(40)),
    'charts/nochart-1.0.0.tgz': tgz({ 'nochart/values.yaml': 'a: 1\n' }),
    'charts/loose-1.0.0.tgz': tgz({ 'Chart.yaml': 'name: loose\n', 'loose/Chart.yaml': 'name: loose\n' }),
    'charts/bin-1.0.0.tgz': tgz({ 'bin/Chart.yaml': 'name: bin\n', 'bin/values.yaml': new Uint8Array([0xff, 0xfe, 0x00]) }),
  });
  fs.symlinkSync('..', path.join(dir, 'charts', 'loop'), 'dir');
  fs.symlinkSync('self', path.join(dir, 'charts', 'self'));

  assert.deepEqual(shape(readChartDir(dir, { displayDir: 'app' })), chart('app', {
    chartYaml: { path: 'app/Chart.yaml', text: 'name: app\n' },
    overlays: [{ path: 'app/values-good.yaml', text: 'a: 1\n' }],
    subcharts: [
      chart('app/charts/bin-1.0.0.tgz', {
        chartYaml: { path: 'app/charts/bin-1.0.0.tgz#bin/Chart.yaml', text: 'name: bin\n' },
        problems: ['error host.binary-file app/charts/bin-1.0.0.tgz#bin/values.yaml'],
      }),
      chart('app/charts/loose-1.0.0.tgz', {
        chartYaml: { path: 'app/charts/loose-1.0.0.tgz#loose/Chart.yaml', text: 'name: loose\n' },
      }),
    ],
    problems: [
      'error host.binary-file app/values.yaml',
      'error host.binary-file app/values-bad.yaml',
      'error host.bad-archive app/charts/corrupt-1.0.0.tgz',
      'error host.symlink-loop app/charts/loop',
      'error host.bad-archive app/charts/loose-1.0.0.tgz#Chart.yaml',
      'error host.bad-archive app/charts/nochart-1.0.0.tgz',
      'error host.bad-archive app/charts/plain-1.0.0.tgz',
      'error host.read-error app/charts/self',
    ],
  }));
});

test('values.yml alone is reported as ignored by Helm; a missing chart is a finding, not a throw', () => {
  const dir = writeTree(path.join(tmp, 'yml', 'app'), { 'Chart.yaml': 'name: app\n', 'values.yml': 'a: 1\n' });
  assert.deepEqual(shape(readChartDir(dir, { displayDir: 'app' })), chart('app', {
    chartYaml: { path: 'app/Chart.yaml', text: 'name: app\n' },
    problems: ['warning host.values-yml app/values.yml'],
  }));
  assert.deepEqual(shape(readChartDir(path.join(tmp, 'missing'), { displayDir: 'missing' })), chart('missing', {
    problems: ['error host.read-error missing'],
  }));
});

test('archive limits: a zip bomb, too many entries and too-deep nesting give findings', () => {
  let nested = tgz({ 'n0/Chart.yaml': 'name: n0\n' });
  for (let i = 1; i <= 9; i++) nested = tgz({ [`n${i}/Chart.yaml`]: `name: n${i}\n`, [`n${i}/charts/n${i - 1}.tgz`]: nested });
  const dir = writeTree(path.join(tmp, 'limits', 'app'), {
    'Chart.yaml': 'name: app\n',
    'charts/bomb-1.0.0.tgz': tgz({ 'bomb/Chart.yaml': 'name: bomb\n', 'bomb/values.yaml': 'a'.repeat(4 << 20) }),
    'charts/many-1.0.0.tgz': tgz({ 'many/Chart.yaml': 'name: many\n', 'many/a.yaml': '', 'many/b.yaml': '' }),
    'charts/n9.tgz': nested,
  });
  const source = readChartDir(dir, { displayDir: 'app', maxArchiveBytes: 1 << 20, maxArchiveEntries: 2 });
  assert.deepEqual(shape(source).problems, [
    'error host.bad-archive app/charts/bomb-1.0.0.tgz',
    'error host.bad-archive app/charts/many-1.0.0.tgz',
  ]);
  // n9 … n2 are read (8 levels); n1's archive of n0 is one level too deep.
  let level = source.subcharts[0];
  const names: string[] = [];
  while (level?.chartYaml) {
    names.push(level.chartYaml.text.trim());
    if (level.subcharts.length === 0) break;
    level = level.subcharts[0];
  }
  assert.deepEqual(names, ['name: n9', 'name: n8', 'name: n7', 'name: n6', 'name: n5', 'name: n4', 'name: n3', 'name: n2']);
  assert.deepEqual(shape(level ?? chart('', {})).problems, ['error host.bad-archive ' + 'app/charts/n9.tgz' + '#n9/charts/n8.tgz#n8/charts/n7.tgz#n7/charts/n6.tgz#n6/charts/n5.tgz#n5/charts/n4.tgz#n4/charts/n3.tgz#n3/charts/n2.tgz#n2/charts/n1.tgz']);
});

/** Rewrites tar headers the way Go's archive/tar (`helm package`) stores names over 100 bytes: ustar prefix + name. */
function ustarSplit(tar: Uint8Array): Uint8Array {
  const out = new Uint8Array(tar);
  for (let offset = 0; offset + 512 <= out.length && out[offset] !== 0;) {
    const h = out.subarray(offset, offset + 512);
    const name = new TextDecoder().decode(h.subarray(0, h.subarray(0, 100).indexOf(0)));
    const size = parseInt(new TextDecoder().decode(h.subarray(124, 135)), 8);
    const slash = name.lastIndexOf('/');
    h.fill(0, 0, 100).set(new TextEncoder().encode(name.slice(slash + 1)), 0);
    h.fill(0, 345, 500).set(new TextEncoder().encode(name.slice(0, slash)), 345);
    h.fill(0x20, 148, 156);
    const sum = h.reduce((a, b) => a + b, 0);
    h.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

test('reads names split into ustar prefix and name (Go archive/tar), and a .tgz given directly', () => {
  const file = path.join(tmp, 'prefix', 'long-1.0.0.tgz');
  writeTree(path.dirname(file), {
    'long-1.0.0.tgz': tgz({ 'long/Chart.yaml': 'name: long\n', 'long/values/prod.yaml': 'env: prod\n' }, ustarSplit),
  });
  assert.deepEqual(shape(readChartDir(file, { displayDir: 'long-1.0.0.tgz' })), chart('long-1.0.0.tgz', {
    chartYaml: { path: 'long-1.0.0.tgz#long/Chart.yaml', text: 'name: long\n' },
    overlays: [{ path: 'long-1.0.0.tgz#long/values/prod.yaml', text: 'env: prod\n' }],
  }));
});

test('findChartRoot walks up to the nearest Chart.yaml', () => {
  const dir = writeTree(path.join(tmp, 'find', 'app'), {
    'Chart.yaml': 'name: app\n',
    'templates/deep/x.yaml': '',
    'charts/sub/Chart.yaml': 'name: sub\n',
    'charts/sub/values.yaml': '',
  });
  writeTree(path.join(tmp, 'find'), { 'outside.yaml': '' });
  assert.equal(findChartRoot(path.join(dir, 'templates', 'deep', 'x.yaml')), dir);
  assert.equal(findChartRoot(path.join(dir, 'values.yaml')), dir);
  assert.equal(findChartRoot(path.join(dir, 'charts', 'sub', 'values.yaml')), path.join(dir, 'charts', 'sub'));
  assert.equal(findChartRoot(path.join(tmp, 'find', 'outside.yaml')), undefined);
});

test('discoverCharts lists charts, skipping node_modules, .git and subcharts, without looping on symlinks', () => {
  const ws = writeTree(path.join(tmp, 'ws'), {
    'app/Chart.yaml': 'name: app\n',
    'app/charts/sub/Chart.yaml': 'name: sub\n',
    'app/examples/demo/Chart.yaml': 'name: demo\n',
    'charts/one/Chart.yaml': 'name: one\n',
    'charts/two/Chart.yaml': 'name: two\n',
    'charts/README.md': '',
    'deploy/a/b/Chart.yaml': 'name: b\n',
    'node_modules/pkg/Chart.yaml': 'name: pkg\n',
    '.git/x/Chart.yaml': 'name: x\n',
  });
  fs.symlinkSync('..', path.join(ws, 'deploy', 'loop'), 'dir');
  fs.symlinkSync('dangling', path.join(ws, 'broken'));
  assert.deepEqual(discoverCharts(ws), [
    path.join(ws, 'app'),
    path.join(ws, 'app', 'examples', 'demo'),
    path.join(ws, 'charts', 'one'),
    path.join(ws, 'charts', 'two'),
    path.join(ws, 'deploy', 'a', 'b'),
  ]);
});
