// The project model (host/projectModel.ts): both adapters ask it for the same chart, the language server from its
// settings (lsp/workspace.ts) and the CLI from its flags (cli/main.ts), and must get the same service input and the
// same configuration problems: ignore file location, environment problems with file and line, schema draft.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliProjectRequest } from '../../server/src/cli/main';
import { configFileEnvironments, helmRelease, HostCaches, openProject, settingsEnvironments, type Project, type ProjectRequest } from '../../server/src/host/projectModel';
import { Workspace } from '../../server/src/lsp/workspace';
import { Settings } from '../../server/src/protocol';
import { ChartAnalysis } from '../../server/src/service/analysis';
import { computeHover } from '../../server/src/service/features/hover';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'projectModel-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

const chartYaml = (name: string) => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`;

/** A repository: `.git` at its root, a chart under charts/api with a secret in values-prod.yaml. */
function repo(name: string, files: Record<string, string> = {}): { root: string; chart: string } {
  const root = path.join(tmp, name);
  writeTree(root, {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'charts/api/Chart.yaml': chartYaml('api'),
    'charts/api/values.yaml': 'replicas: 1\ndb:\n  password: ""\n',
    'charts/api/values-prod.yaml': 'replicas: 3\ndb:\n  password: "s3cr3t-Pr0d-pa55"\n',
    ...files,
  });
  return { root, chart: path.join(root, 'charts', 'api') };
}

/** The editor's request: a workspace folder, settings as a client sends them. */
function editorRequest(workspaceFolder: string, chart: string, raw: unknown): ProjectRequest {
  const ws = new Workspace(() => new Map());
  ws.roots = [workspaceFolder];
  return ws.projectRequest(chart, Settings.from(raw), new Map());
}

/** The CLI's request, run from `cwd` (its workspace root) on the chart's absolute path. */
function cliRequest(cwd: string, chart: string, flags: string[] = []): ProjectRequest {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return { ...cliProjectRequest(['check', chart, ...flags], chart), display: (p) => p };
  } finally {
    process.chdir(before);
  }
}

/** What both adapters must agree on, in a comparable shape. */
function essentials(p: Project) {
  const values = path.join(p.chart.absDir, 'values-prod.yaml');
  return {
    environments: p.input.environments,
    helmVersion: p.input.helmVersion,
    ignoreFile: p.input.secretsIgnoreFile,
    ignoreEntries: p.input.secrets?.ignoreEntries,
    relativeValuesPath: p.input.relativePath?.(values),
    problems: p.problems.map((f) => `${f.severity} ${f.code} ${f.file}:${f.line}`),
  };
}

describe('the secrets ignore file: one rule for both adapters', () => {
  test('the nearest .helmsecretsignore above the chart, whatever the workspace folder or current directory', () => {
    const { root, chart } = repo('ignore-at-root', { '.helmsecretsignore': 'charts/api/values-prod.yaml:secret.password:db.password\n' });
    const editorAtRoot = essentials(openProject(editorRequest(root, chart, {})));
    const editorAtChart = essentials(openProject(editorRequest(chart, chart, {})));
    const cliAtRoot = essentials(openProject(cliRequest(root, chart)));
    const cliInChart = essentials(openProject(cliRequest(chart, chart)));
    assert.equal(editorAtRoot.ignoreFile?.path, path.join(root, '.helmsecretsignore'));
    assert.equal(editorAtRoot.relativeValuesPath, 'charts/api/values-prod.yaml', 'entries are relative to the ignore file');
    assert.equal(editorAtRoot.ignoreEntries?.length, 1);
    for (const other of [editorAtChart, cliAtRoot, cliInChart]) assert.deepEqual(other, editorAtRoot);
  });

  test('an ignore file nearer the chart wins; one above the repository root is not read', () => {
    const { root, chart } = repo('ignore-nearer', { '.helmsecretsignore': '*:*:**\n', 'charts/api/.helmsecretsignore': 'values-prod.yaml:secret.password:db.password\n' });
    writeTree(tmp, { '.helmsecretsignore': 'garbage line\n' });
    try {
      for (const p of [openProject(editorRequest(root, chart, {})), openProject(cliRequest(root, chart))]) {
        assert.equal(p.input.secretsIgnoreFile?.path, path.join(chart, '.helmsecretsignore'));
        assert.equal(p.input.relativePath?.(path.join(chart, 'values-prod.yaml')), 'values-prod.yaml');
      }
      const outside = repo('ignore-outside');
      for (const p of [openProject(editorRequest(outside.root, outside.chart, {})), openProject(cliRequest(outside.root, outside.chart))]) {
        assert.equal(p.input.secretsIgnoreFile?.text, '', 'the file above the repository root is not read');
        assert.deepEqual(p.problems, []);
      }
    } finally {
      fs.rmSync(path.join(tmp, '.helmsecretsignore'));
    }
  });

  test('without one: the workspace root, where the editor\'s fix creates it', () => {
    const { root, chart } = repo('no-ignore');
    assert.equal(openProject(editorRequest(root, chart, {})).input.secretsIgnoreFile?.path, path.join(root, '.helmsecretsignore'));
    assert.equal(openProject(editorRequest(chart, chart, {})).input.secretsIgnoreFile?.path, path.join(chart, '.helmsecretsignore'));
  });

  test('a broken line of the ignore file is a config finding at its line, in both adapters', () => {
    const { root, chart } = repo('ignore-broken', { '.helmsecretsignore': '# ok\nnot an entry\n' });
    const editor = essentials(openProject(editorRequest(root, chart, {})));
    assert.deepEqual(editor.problems, [`error config.secrets-ignore-file ${path.join(root, '.helmsecretsignore')}:2`]);
    assert.deepEqual(essentials(openProject(cliRequest(root, chart))).problems, editor.problems);
  });
});

describe('environments and their problems', () => {
  const environments = [
    { name: 'common', values: ['values.yaml'] },
    { name: 'prod', extends: 'common', values: ['values-prod.yaml'], set: ['replicas=5'], setFile: ['cfg=files/app.conf'] },
    { name: 'loop-a', extends: 'loop-b' },
    { name: 'loop-b', extends: 'loop-a' },
    { name: 'elsewhere', chart: 'charts/other', values: ['x.yaml'] },
  ];

  test('the setting and an environments file with the same entries give the same environments and problems', () => {
    const { root, chart } = repo('envs');
    fs.writeFileSync(path.join(root, 'envs.json'), JSON.stringify({ environments }, null, 1));
    const editor = openProject(editorRequest(root, chart, { environments }));
    const cli = openProject(cliRequest(root, chart, ['--config', path.join(root, 'envs.json')]));
    assert.deepEqual(cli.input.environments, editor.input.environments);
    assert.deepEqual(
      editor.input.environments.map((e) => e.name),
      ['common', 'prod', 'loop-a', 'loop-b', 'default'],
      'configured first; prod replaces the convention of values-prod.yaml; elsewhere is for another chart',
    );
    assert.deepEqual(editor.input.environments.find((e) => e.name === 'prod')?.setFile, [`cfg=${path.join(chart, 'files', 'app.conf')}`], '--set-file paths are anchored at the chart');
    const shape = (p: Project) => p.problems.map((f) => `${f.severity} ${f.code} ${f.message}`);
    assert.deepEqual(shape(cli), shape(editor), 'the same problems, with the same severity and code');
    assert.equal(editor.problems.length, 2);
    // Where: the setting has no file (the chart's values.yaml, line 1); the file names the entry's line.
    assert.deepEqual(
      editor.problems.map((f) => `${f.file}:${f.line}`),
      [`${path.join(chart, 'values.yaml')}:1`, `${path.join(chart, 'values.yaml')}:1`],
    );
    const text = fs.readFileSync(path.join(root, 'envs.json'), 'utf8').split('\n');
    for (const f of cli.problems) {
      assert.equal(f.file, path.join(root, 'envs.json'));
      const name = /environment "([^"]+)"/.exec(f.message)?.[1];
      assert.ok(text[f.line - 1] !== undefined && text.slice(f.line - 1, f.line + 1).join('\n').includes(`"${name}"`), `${f.message} at line ${f.line}`);
    }
  });

  test('owners: the helmValues.owners setting and a --config file\'s owners: give the same rules, shown on hover', () => {
    const { root, chart } = repo('owners');
    const owners = [
      { paths: ['db.**'], owners: ['@dba'] },
      { paths: ['replicas'], owners: ['@sre'], environments: ['prod'] },
    ];
    fs.writeFileSync(path.join(root, 'custody.json'), JSON.stringify({ environments: [], owners }, null, 1));
    const editor = openProject(editorRequest(root, chart, { owners }));
    const cli = openProject(cliRequest(root, chart, ['--config', path.join(root, 'custody.json')]));
    assert.deepEqual(editor.custody.owners, cli.custody.owners);
    assert.deepEqual(editor.input.owners, owners);
    const hoverOn = (key: string) => {
      const analysis = new ChartAnalysis(editor.input);
      const file = path.join(chart, 'values.yaml');
      const text = fs.readFileSync(file, 'utf8');
      return computeHover(analysis, file, text.indexOf(key), {})?.markdown ?? '';
    };
    assert.match(hoverOn('password'), /\*\*Owners\*\*: `@dba`/);
    // A rule for one environment: the owners per group of environments.
    assert.match(hoverOn('replicas'), /\*\*Owners\*\*:\n- default: none \(no `owners:` rule covers this key\)\n- prod: `@sre`/);
    // A malformed rule is a config finding; without rules, no owners line.
    const broken = openProject(editorRequest(root, chart, { owners: [{ paths: 'db', owners: [] }] }));
    assert.ok(broken.problems.some((f) => f.code === 'config.owners'), broken.problems.map((f) => f.message).join('\n'));
    assert.doesNotMatch(computeHover(new ChartAnalysis(openProject(editorRequest(root, chart, {})).input), path.join(chart, 'values.yaml'), 0, {})?.markdown ?? '', /Owners/);
  });

  test('an unreadable or malformed environments file is a finding naming the file and line, not an exception', () => {
    const bomb = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) bomb.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const { root, chart } = repo('envs-bad', { 'bad.yaml': 'environments:\n  - name: a\n    values: [\n', 'bomb.yaml': bomb.join('\n') + '\n' });
    for (const [file, line] of [['bad.yaml', 4], ['missing.yaml', 1], ['bomb.yaml', 1]] as const) {
      const p = openProject({ ...cliRequest(root, chart), environments: [configFileEnvironments(path.join(root, file))] });
      assert.equal(p.problems.length, 1, JSON.stringify(p.problems));
      assert.equal(p.problems[0]?.code, 'config.environments');
      assert.equal(p.problems[0]?.severity, 'error');
      assert.equal(`${p.problems[0]?.file}:${p.problems[0]?.line}`, `${path.join(root, file)}:${line}`);
      assert.deepEqual(p.input.environments.map((e) => e.name), ['prod', 'default'], 'the conventions still apply');
    }
  });

  test('environment sources are pluggable: each source\'s chart: is relative to its own root', () => {
    const { root, chart } = repo('envs-sources');
    const caches = new HostCaches();
    const p = openProject({
      ...editorRequest(root, chart, {}),
      caches,
      environments: [settingsEnvironments([{ name: 'a', chart: 'charts/api' }], root), settingsEnvironments([{ name: 'b', chart: 'api' }, { name: 'c', chart: 'nope' }], path.join(root, 'charts'))],
    });
    assert.deepEqual(p.input.environments.map((e) => e.name), ['a', 'b', 'prod', 'default']);
  });
});

describe('the Helm release and the schema draft: one parser', () => {
  test('3 and 4 mean the newest release of the major; releases before 3.18.5 default to draft-07', () => {
    const cases: [unknown, string | undefined][] = [
      ['4', '2020-12'],
      [4, '2020-12'],
      ['3', '2020-12'],
      [3, '2020-12'],
      ['3.19', '2020-12'],
      ['3.18', '2020-12'], // the newest 3.18 patch: Helm switched to jsonschema/v6 in 3.18.5
      ['3.18.5', '2020-12'],
      ['3.18.4', '07'],
      ['3.17', '07'],
      ['4.1', '2020-12'],
      ['5', undefined],
      ['x', undefined],
      [null, undefined],
    ];
    for (const [raw, draft] of cases) {
      const r = helmRelease(raw);
      assert.equal('error' in r ? undefined : r.schemaDraft, draft, String(raw));
    }
  });

  test('the setting and the flag give the same release to the project', () => {
    const { root, chart } = repo('release');
    for (const v of ['3', '4']) {
      const editor = editorRequest(root, chart, { helmVersion: Number(v) });
      const cli = cliRequest(root, chart, ['--helm-version', v]);
      assert.deepEqual(editor.helm, cli.helm, v);
      assert.equal(openProject(editor).input.helmVersion, openProject(cli).input.helmVersion);
    }
  });
});

describe('host caches', () => {
  test('one owner: a chart read is kept until invalidated, and clear() forgets everything', () => {
    const { root, chart } = repo('caches');
    const caches = new HostCaches();
    const request = { ...editorRequest(root, chart, {}), caches };
    const first = openProject(request);
    fs.writeFileSync(path.join(chart, 'values.yaml'), 'replicas: 2\n');
    assert.equal(openProject(request).input.model.values?.text, first.input.model.values?.text, 'read once');
    caches.invalidate([path.join(chart, 'values.yaml')]);
    assert.equal(openProject(request).input.model.values?.text, 'replicas: 2\n');
    fs.writeFileSync(path.join(chart, 'values.yaml'), 'replicas: 4\n');
    const documents = caches.documents;
    caches.clear();
    assert.notEqual(caches.documents, documents);
    assert.equal(openProject(request).input.model.values?.text, 'replicas: 4\n');
  });

  test("the editor's snapshot of a chart: kept while nothing it reads changed, made again when a document, the settings or a file did", () => {
    const { root, chart } = repo('snapshots');
    const values = path.join(chart, 'values.yaml');
    /** Open documents as the language server hands them out: one map until a document changes; counts its reads. */
    class OpenDocuments extends Map<string, { text: string; version: number }> {
      reads = 0;
      override [Symbol.iterator]() {
        this.reads++;
        return super[Symbol.iterator]();
      }
    }
    let open = new OpenDocuments([[values, { text: 'replicas: 5\n', version: 1 }]]);
    const ws = new Workspace(() => open);
    ws.roots = [root];
    const settings = Settings.from({});
    const first = ws.snapshot(chart, settings);
    assert.equal(first.analysis.document(values)?.text, 'replicas: 5\n');
    const reads = open.reads;
    assert.equal(ws.snapshot(chart, settings), first, 'nothing changed');
    assert.equal(open.reads, reads, 'the same documents and settings: not read again');

    open = new OpenDocuments(open); // handed out again, the same versions
    assert.equal(ws.snapshot(chart, settings), first, 'the same versions: the same snapshot');
    assert.equal(ws.snapshot(chart, Settings.from({})), first, 'equal settings: the same snapshot');
    assert.notEqual(ws.snapshot(chart, Settings.from({ inlayHints: false })), first, 'other settings: a new snapshot');

    open = new OpenDocuments([[values, { text: 'replicas: 6\n', version: 2 }]]);
    const edited = ws.snapshot(chart, settings);
    assert.equal(edited.analysis.document(values)?.text, 'replicas: 6\n');

    // A file that is not open changes on disk: the file event makes the next snapshot read it, the documents unchanged.
    const prod = path.join(chart, 'values-prod.yaml');
    fs.writeFileSync(prod, 'replicas: 7\n');
    assert.equal(ws.snapshot(chart, settings), edited, 'no file event yet: what was read stays');
    ws.invalidate([prod]);
    const reread = ws.snapshot(chart, settings);
    assert.notEqual(reread, edited);
    assert.equal(reread.analysis.document(prod)?.text, 'replicas: 7\n');
    assert.equal(ws.snapshot(chart, settings), reread);
    ws.clear();
    assert.notEqual(ws.snapshot(chart, settings), reread, 'clear: made again');
  });
});
