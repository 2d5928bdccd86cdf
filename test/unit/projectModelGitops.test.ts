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
import { helmRepositoryCache, listWorkspace } from '../../server/src/host/gitops';
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

test("Helm's repository cache: $HELM_CACHE_HOME/repository, else $XDG_CACHE_HOME/helm/repository, else ~/.cache/helm/repository", () => {
  assert.equal(helmRepositoryCache({ HELM_CACHE_HOME: '/h' }), path.join('/h', 'repository'));
  assert.equal(helmRepositoryCache({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'helm', 'repository'));
  assert.equal(helmRepositoryCache({}), path.join(os.homedir(), '.cache', 'helm', 'repository'));
});
