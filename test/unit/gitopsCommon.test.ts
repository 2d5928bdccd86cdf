// GitOps discovery, common parts: the scan filter, workspace globs, the conversion to the engine's Environment, the
// argocd-example-apps layout (an app-of-apps chart), and discovery speed on 2,000 files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileIndex, isScannedPath, joinPath } from '../../server/src/service/gitops/paths';
import { environmentJson, relativeTo, toEnvironment } from '../../server/src/service/gitops/toEnvironment';
import { renderTemplate } from '../../server/src/service/gitops/gotmpl';
import { byName, corpusFiles, discover, findingLines, inlineFiles, layers } from './gitopsFixture';

test('scan filter: YAML outside .git, node_modules and a chart\'s templates/', () => {
  const isChart = (d: string) => d === 'apps' || d === 'charts/web';
  assert.equal(isScannedPath('apps/templates/applications.yaml', isChart), false);
  assert.equal(isScannedPath('charts/web/templates/deploy.yaml', isChart), false);
  assert.equal(isScannedPath('kustomize/templates/release.yaml', isChart), true); // not a chart's templates
  assert.equal(isScannedPath('.git/config.yaml'), false);
  assert.equal(isScannedPath('web/node_modules/x/a.yaml'), false);
  assert.equal(isScannedPath('helmfile.yaml.gotmpl'), true);
  assert.equal(isScannedPath('README.md'), false);
  assert.equal(isScannedPath('templates/x.yaml'), false); // without chart knowledge, templates/ is skipped
});

test('workspace globs follow doublestar: names in order, ** matches zero directories first', () => {
  const index = new FileIndex(['e/z.yaml', 'e/a.yaml', 'e/n/c.yaml', 'e/n/m/d.yaml', 'e/b.yml', 'f/a.yaml']);
  assert.deepEqual(index.glob('e/*.yaml'), ['e/a.yaml', 'e/z.yaml']);
  assert.deepEqual(index.glob('e/**/*.yaml'), ['e/a.yaml', 'e/z.yaml', 'e/n/c.yaml', 'e/n/m/d.yaml']);
  assert.deepEqual(index.glob('e/*.{yaml,yml}'), ['e/a.yaml', 'e/b.yml', 'e/z.yaml']);
  assert.deepEqual(index.glob('[ef]/a.yaml'), ['e/a.yaml', 'f/a.yaml']);
  assert.deepEqual(index.glob('*', 'dirs'), ['e', 'f']);
  assert.deepEqual(index.glob('e/?.yaml'), ['e/a.yaml', 'e/z.yaml']);
  assert.equal(joinPath('a/b', '../../..'), undefined);
  assert.equal(joinPath('a/b', '/c/./d'), 'c/d');
});

test('argocd-example-apps layout: Applications inside an app-of-apps chart\'s templates/ are not scanned; a real Application is', () => {
  // Layout of argoproj/argocd-example-apps (not copied: no license): apps/ is a chart whose templates/ render Applications.
  const files = inlineFiles(`
    #- apps/Chart.yaml
    name: applications
    #- apps/templates/applications.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: from-template
    spec:
      source:
        path: helm-guestbook
    #- helm-guestbook/Chart.yaml
    name: helm-guestbook
    #- helm-guestbook/values.yaml
    replicaCount: 1
    #- helm-guestbook/values-production.yaml
    replicaCount: 3
    #- deploy/helm-guestbook.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: helm-guestbook
    spec:
      source:
        repoURL: https://github.com/argoproj/argocd-example-apps
        path: helm-guestbook
        helm:
          releaseName: helm-guestbook
          valueFiles: [values-production.yaml]
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => e.name), ['helm-guestbook']);
  assert.deepEqual(layers(byName(d, 'helm-guestbook')), ['file helm-guestbook/values-production.yaml @deploy/helm-guestbook.yaml:11']);
});

test('toEnvironment: what the flat Environment can express, paths relative to the chart; the rest is listed as dropped', () => {
  const d = discover(corpusFiles('argoproj__argo-cd', {
    'apps/a.yaml': `
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: a
      spec:
        source:
          path: test/e2e/testdata/helm-glob-values
          helm:
            valueFiles: [envs/*.yaml, /test/e2e/testdata/helm/baz.yaml]
            valuesObject:
              foo: inline
            parameters:
              - name: foo
                value: set
            fileParameters:
              - name: bar
                path: values.yaml
    `,
  }));
  const { environment, dropped } = toEnvironment(byName(d, 'a') ?? assert.fail('no environment'));
  assert.deepEqual(environment, {
    name: 'a',
    origin: 'config',
    values: ['envs/a.yaml', 'envs/b.yaml', '../helm/baz.yaml'],
    set: ['foo=set'],
    setString: [],
    setJson: [],
    setFile: ['bar=values.yaml'],
    setLiteral: [],
  });
  assert.deepEqual(dropped.map((x) => x.reason), ['inline values in a manifest']);
  // The CLI's JSON shape.
  assert.deepEqual(environmentJson(byName(d, 'a') ?? assert.fail('no environment')), {
    name: 'a',
    kind: 'argocd',
    chart: 'test/e2e/testdata/helm-glob-values',
    definedAt: { file: 'apps/a.yaml', line: 4 },
    layers: [
      { type: 'file', file: 'test/e2e/testdata/helm-glob-values/envs/a.yaml' },
      { type: 'file', file: 'test/e2e/testdata/helm-glob-values/envs/b.yaml' },
      { type: 'file', file: 'test/e2e/testdata/helm/baz.yaml' },
      { type: 'inline', file: 'apps/a.yaml', line: 11 },
      { type: 'set', file: 'apps/a.yaml', line: 14, arg: 'foo=set' },
      { type: 'set-file', file: 'apps/a.yaml', line: 17, arg: 'bar=test/e2e/testdata/helm-glob-values/values.yaml' },
    ],
    findings: [],
  });
  // Flux: valuesFiles replace the defaults, a targetPath set before a values layer keeps its order only in the rich type.
  const flux = discover(corpusFiles('fluxcd__helm-controller'));
  const conv = toEnvironment(byName(flux, 'valuesfrom') ?? assert.fail('no environment'));
  assert.deepEqual(conv.environment.set, ['resources.limits.cpu=400m', 'list.example={a,b,c}', 'list.example[2]=d', 'podAnnotations.some\\.k8s\\.annotation\\/env=demo']);
  assert.equal(conv.dropped.length, 4);
  assert.equal(relativeTo('charts/app', 'charts/app/values.yaml'), 'values.yaml');
  assert.equal(relativeTo('charts/app', 'envs/prod.yaml'), '../../envs/prod.yaml');
  assert.equal(relativeTo(undefined, 'envs/prod.yaml'), '/envs/prod.yaml');
});

test('gotmpl: lines stay in place; escapes, comments and trims; control structures blank their lines', () => {
  const r = renderTemplate('a: {{ .Environment.Name }}\nb: {{`{{ .Release.Name }}`}}\nc: {{- /* note */ -}} x\n{{ if true }}\nd: 1\n{{ end }}\ne: 2\n', { environment: 'prod', env: {} });
  assert.equal(r.text, 'a: prod\nb: {{ .Release.Name }}\nc:x\n\n\n\ne: 2\n');
  assert.deepEqual([...r.badLines].sort(), [4, 5, 6]);
  assert.deepEqual(r.problems.map((p) => [p.line, p.expr]), [[4, '{{ if true }}']]);
});

// Its speed (target: 1 s cold) is measured by `npm run bench` (section discovery), not asserted here.
test('discovery over 2,000 YAML files finds every deployment and reports nothing', () => {
  const files = new Map<string, string>();
  for (let i = 0; i < 1800; i++) files.set(`svc${i % 60}/values-${i}.yaml`, `replicaCount: ${i}\nimage:\n  repository: nginx\n  tag: "1.${i}"\n`.repeat(10));
  for (let i = 0; i < 60; i++) files.set(`svc${i}/Chart.yaml`, `name: svc${i}\nversion: 1.0.0\n`);
  for (let i = 0; i < 70; i++) {
    files.set(`apps/app${i}.yaml`, `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app${i}\nspec:\n  source:\n    path: svc${i % 60}\n    helm:\n      valueFiles: [values-${i}.yaml, 'values-*.yaml']\n      parameters:\n        - name: image.tag\n          value: "${i}"\n`);
  }
  for (let i = 0; i < 70; i++) {
    files.set(`flux/rel${i}.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: rel${i}\nspec:\n  chart:\n    spec:\n      chart: ./svc${i % 60}\n      sourceRef: {kind: GitRepository, name: repo}\n  values:\n    replicaCount: ${i}\n`);
  }
  assert.ok(files.size >= 2000);
  const d = discover(files);
  assert.equal(d.environments.length, 140);
  assert.deepEqual(findingLines(d), []);
});

test('discovery never throws: every corpus manifest cut short at several points still gives a result', () => {
  const repos = ['argoproj__argo-cd', 'aws-samples__eks-blueprints-add-ons', 'fluxcd__flux2-kustomize-helm-example', 'fluxcd__flux2-monitoring-example', 'fluxcd__helm-controller', 'gitops-bridge-dev__gitops-bridge', 'helmfile__helmfile'];
  let runs = 0;
  for (const repo of repos) {
    const files = corpusFiles(repo);
    const manifests = [...files.keys()].filter((p) => /kind: (Application|HelmRelease|Kustomization|ConfigMap|Secret)|releases:|kustomization/.test(`${p}\n${files.get(p) ?? ''}`));
    for (const p of manifests.slice(0, 12)) {
      const text = files.get(p) ?? '';
      for (const cut of [0.2, 0.5, 0.8].map((f) => Math.floor(text.length * f))) {
        const mutated = new Map(files);
        mutated.set(p, text.slice(0, cut));
        const d = discover(mutated);
        assert.ok(Array.isArray(d.environments) && Array.isArray(d.findings));
        runs++;
      }
    }
  }
  assert.ok(runs > 90, `${runs} runs`);
});
