// GitOps discovery through the one project model: the language server (workspace folder) and the CLI (git work
// tree) ask openProject for a chart and get the same discovered environments and findings; discovery runs once per
// workspace in the host caches and is dropped when a manifest changes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliProjectRequest } from '../../server/src/cli/main';
import { HostCaches, openProject, type ProjectRequest } from '../../server/src/host/projectModel';
import type { FileReader } from '../../server/src/host/chartReader';
import { discoverWorkspace, helmRepositoryCache, listWorkspace } from '../../server/src/host/gitops';
import { Workspace } from '../../server/src/lsp/workspace';
import { Settings } from '../../server/src/protocol';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'projectModelGitops-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function repo(name: string): { root: string; chart: string } {
  const root = path.join(tmp, name);
  const files: Record<string, string> = {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    'charts/api/values.yaml': 'replicas: 1\nimage:\n  tag: "1"\n',
    'charts/api/values-prod.yaml': 'replicas: 3\n',
    'charts/api/templates/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .Values.name }}\n',
    'node_modules/x/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: hidden\n',
    'apps/prod.yaml':
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: prod\nspec:\n  source:\n    repoURL: https://example.com/repo.git\n    path: charts/api\n    helm:\n      valueFiles: [values-prod.yaml]\n      valuesObject:\n        image:\n          tag: "2"\n      parameters:\n        - name: replicas\n          value: "5"\n',
    'apps/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: [\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return { root, chart: path.join(root, 'charts', 'api') };
}

function editorRequest(folder: string, chart: string): ProjectRequest {
  const ws = new Workspace(() => new Map());
  ws.roots = [folder];
  return ws.projectRequest(chart, Settings.from({}), new Map());
}

function cliRequest(cwd: string, chart: string): ProjectRequest {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return { ...cliProjectRequest(['check', chart], chart), display: (p) => p };
  } finally {
    process.chdir(before);
  }
}

test('the editor and the CLI get the same discovered environments from openProject, after the chart\'s own', () => {
  const { root, chart } = repo('same');
  const editor = openProject(editorRequest(root, chart));
  const cli = openProject(cliRequest(path.join(root, 'apps'), chart));
  assert.deepEqual(cli.input.environments, editor.input.environments);
  assert.deepEqual(editor.input.environments.map((e) => e.name), ['prod', 'default', 'prod (argocd)'], 'a name already taken gets the tool appended');
  const env = editor.input.environments[2];
  assert.deepEqual(env?.discovered, { kind: 'argocd', file: path.join(root, 'apps/prod.yaml'), line: 4, column: 9, label: 'Application prod' });
  assert.deepEqual(
    env?.layers?.map((l) => (l.type === 'flag' ? `${l.flag} ${l.arg} @${l.at?.line}` : l.type === 'file' ? `file ${l.path}` : `inline ${l.file}:${l.line}`)),
    ['file values-prod.yaml', `inline ${path.join(root, 'apps/prod.yaml')}:11`, 'set replicas=5 @16'],
  );
  assert.deepEqual(env?.values, ['values-prod.yaml'], 'the files it reads, for the features that ask');
  // Findings of the chart's deployments are the project's; the rest of the workspace's are on `gitops`.
  assert.deepEqual(editor.problems, cli.problems);
  assert.ok(editor.gitops?.discovery.findings.some((f) => f.code === 'gitops.malformed-manifest' && f.file === 'apps/broken.yaml'));
});

test('the listing skips .git, node_modules and chart templates; discovery is kept until a manifest changes', () => {
  const { root, chart } = repo('cache');
  const files = listWorkspace(root);
  assert.ok(files.includes('apps/prod.yaml'));
  assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.includes('/templates/') || f.startsWith('.git/')), files.join(','));
  const caches = new HostCaches();
  const first = caches.gitops(root);
  assert.equal(caches.gitops(root), first, 'discovered once');
  caches.invalidate([path.join(chart, 'values.yaml')]);
  assert.notEqual(caches.gitops(root), first, 'a YAML file under the workspace changed');
  const second = caches.gitops(root);
  caches.invalidate([path.join(root, 'node_modules', 'x', 'app.yaml')]);
  assert.equal(caches.gitops(root), second, 'node_modules is not read');
});

test('open texts: a manifest is read as open, the discovery is done again when its text changes, and only then', () => {
  const { root, chart } = repo('open');
  const caches = new HostCaches();
  const manifest = path.join(root, 'apps', 'prod.yaml');
  const values = path.join(chart, 'values.yaml');
  const disk = caches.gitops(root, {}, new Map());
  const tagOf = (run: ReturnType<HostCaches['gitops']>) => run.discovery.environments.find((e) => e.name === 'prod')?.layers.find((l) => l.type === 'inline');
  assert.match(tagOf(disk)?.type === 'inline' ? tagOf(disk)!.source.text : '', /tag: "2"/);
  assert.equal(caches.gitops(root, {}, new Map([[values, 'replicas: 2\n']])), disk, 'an open values file that is no manifest: kept');
  assert.equal(caches.gitops(root, {}, new Map([[manifest, fs.readFileSync(manifest, 'utf8')]])), disk, 'an open manifest as on disk: kept');
  const edited = fs.readFileSync(manifest, 'utf8').replace('tag: "2"', 'tag: "3"');
  const open = caches.gitops(root, {}, new Map([[manifest, edited]]));
  assert.notEqual(open, disk, 'an unsaved edit of a manifest: discovered again');
  const layer = tagOf(open);
  assert.ok(layer?.type === "inline" && /tag: "3"/.test(layer.source.text), 'from the open text');
  assert.equal(open.text('apps/prod.yaml'), edited, 'inline values are placed in the open text');
  assert.equal(caches.gitops(root, {}, new Map([[manifest, edited]])), open, 'the same text again: kept');
  assert.equal(caches.gitops(root), open, 'without open texts: the kept one');
  const closed = caches.gitops(root, {}, new Map());
  assert.notEqual(closed, open, 'closed without saving: the disk again');
  assert.match(tagOf(closed)?.type === 'inline' ? tagOf(closed)!.source.text : '', /tag: "2"/);
  const becomes = caches.gitops(root, {}, new Map([[values, fs.readFileSync(manifest, 'utf8').replace('name: prod', 'name: new')]]));
  assert.notEqual(becomes, closed, 'a file that becomes a manifest in the editor: discovered again');
  assert.deepEqual(becomes.discovery.environments.map((e) => e.name).sort(), ['new', 'prod']);
});

test('a manifest edited again: files plain last time are not read from disk again, an open one only if its text now looks like a manifest', () => {
  const { root, chart } = repo('reread');
  const reads: string[] = [];
  const files: FileReader = {
    kind: (abs) => (fs.existsSync(abs) ? (fs.statSync(abs).isDirectory() ? 'dir' : 'file') : undefined),
    list: (dir) => fs.readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, kind: e.isDirectory() ? 'dir' : 'file' })),
    read: (abs) => {
      reads.push(path.relative(root, abs));
      return fs.readFileSync(abs);
    },
  };
  const manifest = path.join(root, 'apps', 'prod.yaml');
  const values = path.join(chart, 'values.yaml');
  const first = discoverWorkspace(root, { files }, new Map([[values, 'replicas: 2\n']]));
  assert.ok(reads.includes('charts/api/values.yaml'), `the first discovery reads every file: ${reads.join(', ')}`);
  reads.length = 0;
  const edited = fs.readFileSync(manifest, 'utf8').replace('tag: "2"', 'tag: "3"');
  const again = discoverWorkspace(root, { files }, new Map([[values, 'replicas: 2\n'], [manifest, edited]]), first);
  assert.deepEqual(reads, [], 'nothing read from disk: the manifest is open, the rest was plain');
  assert.deepEqual(again.discovery.environments.map((e) => e.name), ['prod']);
  const becomes = discoverWorkspace(root, { files }, new Map([[values, edited.replace('name: prod', 'name: new')], [manifest, edited]]), again);
  assert.deepEqual(becomes.discovery.environments.map((e) => e.name).sort(), ['new', 'prod'], 'an open plain file whose text became a manifest is read as open');
});

test("Helm's repository cache: $HELM_CACHE_HOME/repository, else $XDG_CACHE_HOME/helm/repository, else ~/.cache/helm/repository", () => {
  assert.equal(helmRepositoryCache({ HELM_CACHE_HOME: '/h' }), path.join('/h', 'repository'));
  assert.equal(helmRepositoryCache({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'helm', 'repository'));
  assert.equal(helmRepositoryCache({}), path.join(os.homedir(), '.cache', 'helm', 'repository'));
});
