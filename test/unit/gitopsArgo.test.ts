// Argo CD discovery: Applications and ApplicationSets, on the real corpus (test/fixtures/gitops) and small cases.
// Expected layer orders come from reading the manifests against Argo CD's rules (docs/helm-semantics.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byName, corpusFiles, discover, findingLines, inlineFiles, layers } from './gitopsFixture';

const argo = (extra: Record<string, string>) => corpusFiles('argoproj__argo-cd', extra);

const app = (name: string, path: string, helm: string) => `
  apiVersion: argoproj.io/v1alpha1
  kind: Application
  metadata:
    name: ${name}
  spec:
    project: default
    source:
      repoURL: https://github.com/argoproj/argo-cd.git
      path: ${path}
      helm:
${helm.split('\n').map((l) => `        ${l}`).join('\n')}
`;

test('argo-cd e2e helm-glob-values: envs/*.yaml expands to a.yaml then b.yaml (b wins), TestHelmGlobValueFiles', () => {
  const d = discover(argo({ 'apps/glob.yaml': app('glob', 'test/e2e/testdata/helm-glob-values', 'valueFiles:\n  - envs/*.yaml') }));
  const env = byName(d, 'glob');
  assert.deepEqual(env?.chart, { type: 'local', dir: 'test/e2e/testdata/helm-glob-values' });
  assert.deepEqual(layers(env), [
    'file test/e2e/testdata/helm-glob-values/envs/a.yaml @apps/glob.yaml:12',
    'file test/e2e/testdata/helm-glob-values/envs/b.yaml @apps/glob.yaml:12',
  ]);
  assert.deepEqual(env?.definedAt, { file: 'apps/glob.yaml', line: 4, column: 9 });
});

test('argo-cd e2e: envs/**/*.yaml matches at depth zero first, then nested/c.yaml last (TestHelmRecursiveGlobValueFiles)', () => {
  const d = discover(argo({ 'apps/glob.yaml': app('glob', 'test/e2e/testdata/helm-glob-values', 'valueFiles:\n  - envs/**/*.yaml') }));
  assert.deepEqual(layers(byName(d, 'glob')).map((l) => l.split(' ')[1]), [
    'test/e2e/testdata/helm-glob-values/envs/a.yaml',
    'test/e2e/testdata/helm-glob-values/envs/b.yaml',
    'test/e2e/testdata/helm-glob-values/envs/nested/c.yaml',
  ]);
});

test('a glob that matches nothing is an error (TestHelmGlobValueFilesNoMatch), silent with ignoreMissingValueFiles', () => {
  const noMatch = discover(argo({ 'apps/glob.yaml': app('glob', 'test/e2e/testdata/helm-glob-values', 'valueFiles:\n  - nonexistent/*.yaml') }));
  assert.deepEqual(findingLines(noMatch).filter((f) => f.includes(' apps/')), ['error gitops.missing-values-file apps/glob.yaml:12']);
  assert.match(noMatch.findings.find((f) => f.file === 'apps/glob.yaml')?.message ?? '', /nonexistent\/\*\.yaml" matched no files/);
  const ignored = discover(argo({ 'apps/glob.yaml': app('glob', 'test/e2e/testdata/helm-glob-values', 'ignoreMissingValueFiles: true\nvalueFiles:\n  - nonexistent/*.yaml') }));
  assert.deepEqual(findingLines(ignored).filter((f) => f.includes(' apps/')), []);
  assert.deepEqual(layers(byName(ignored, 'glob')), []);
});

test('an explicit entry keeps its own position, the glob skips it; duplicates are dropped', () => {
  const d = discover(argo({ 'apps/glob.yaml': app('glob', 'test/e2e/testdata/helm-glob-values', 'valueFiles:\n  - envs/*.yaml\n  - values.yaml\n  - envs/a.yaml\n  - values.yaml') }));
  assert.deepEqual(layers(byName(d, 'glob')), [
    'file test/e2e/testdata/helm-glob-values/envs/b.yaml @apps/glob.yaml:12',
    'file test/e2e/testdata/helm-glob-values/values.yaml @apps/glob.yaml:13',
    'file test/e2e/testdata/helm-glob-values/envs/a.yaml @apps/glob.yaml:14',
  ]);
});

test('argo-cd e2e declarative-apps/invalid-helm.yaml: a missing values file is an error on its line', () => {
  // The e2e test renders invalid-helm.yaml with {{.Path}} = the helm testdata; the same Application, resolved:
  const files = argo({ 'apps/invalid-helm.yaml': app('invalid-helm', 'test/e2e/testdata/helm', 'valueFiles:\n  - does-not-exist-values.yaml') });
  const d = discover(files);
  assert.deepEqual(findingLines(d).filter((f) => f.includes(' apps/')), ['error gitops.missing-values-file apps/invalid-helm.yaml:12']);
  assert.deepEqual(layers(byName(d, 'invalid-helm')), []);
  // The template itself (`name: {{.Name}}`) is recognised as a template, not an Application.
  assert.ok(findingLines(d).includes('info gitops.templated-manifest test/e2e/testdata/declarative-apps/invalid-helm.yaml:4'));
  assert.equal(d.environments.filter((e) => e.definedAt.file.includes('declarative-apps')).length, 0);
});

test('argo-cd docs application.yaml: spec.sources wins over spec.source (a path outside the workspace, not Helm)', () => {
  const d = discover(argo({}));
  assert.equal(byName(d, 'guestbook'), undefined);
  assert.ok(findingLines(d).includes('info gitops.source-ignored docs/operator-manual/application.yaml:21'));
});

test('argo-cd docs application.yaml, single source: valueFiles, then valuesObject (values ignored), then --set, --set-string, --set-file', () => {
  // The same manifest without its `sources:` example, so that Argo CD reads `source`.
  const text = corpusFiles('argoproj__argo-cd').get('docs/operator-manual/application.yaml') ?? '';
  const single = text.replace(/ {2}# Sources field specifies[\s\S]*?(?= {2}# Destination cluster)/, '');
  assert.notEqual(single, text);
  const files = argo({});
  files.set('docs/operator-manual/application.yaml', single);
  const d = discover(files);
  const env = byName(d, 'guestbook');
  assert.equal(env?.kind, 'argocd');
  // `chart: chart-name` with `targetRevision: HEAD`: a Helm repository chart, no exact version to look up in the cache.
  assert.deepEqual(env?.chart, { type: 'remote', repoURL: 'https://github.com/argoproj/argocd-example-apps.git', chart: 'chart-name', version: 'HEAD', cached: false });
  assert.deepEqual(layers(env), [
    'file values-prod.yaml (in chart) @docs/operator-manual/application.yaml:49',
    'inline @docs/operator-manual/application.yaml:72',
    'set nginx-ingress.controller.service.annotations.external-dns\\.alpha\\.kubernetes\\.io/hostname=mydomain.example.com @docs/operator-manual/application.yaml:33',
    'set-string ingress.annotations.kubernetes\\.io/tls-acme=true @docs/operator-manual/application.yaml:35',
    'set-file config=files/config.json @docs/operator-manual/application.yaml:41',
  ]);
  const inline = env?.layers[1];
  assert.ok(inline?.type === 'inline');
  assert.equal(inline.source.line, 71); // 0-based line of `ingress:` under valuesObject
  assert.equal(inline.source.column, 8);
  assert.match(inline.source.text, /^ingress:\n {2}enabled: true\n/);
  assert.ok(findingLines(d).includes('info gitops.values-ignored docs/operator-manual/application.yaml:55'));
  assert.ok(findingLines(d).includes('info gitops.chart-not-local docs/operator-manual/application.yaml:27'));
});

test('values (a YAML string) is an inline layer whose text maps back to the manifest lines', () => {
  const files = inlineFiles(`
    #- charts/app/Chart.yaml
    name: app
    #- charts/app/values.yaml
    a: 1
    #- apps/app.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: app
    spec:
      source:
        path: charts/app
        helm:
          values: |
            image:
              tag: "2.0"
  `);
  const env = byName(discover(files), 'app');
  const l = env?.layers[0];
  assert.ok(l?.type === 'inline');
  assert.deepEqual({ line: l.source.line, column: l.source.column, exact: l.source.exact }, { line: 9, column: 8, exact: true });
  assert.equal(l.source.text, 'image:\n  tag: "2.0"\n');
  const lines = (files.get('apps/app.yaml') ?? '').split('\n');
  assert.equal(lines[l.source.line + 1].slice(l.source.column), '  tag: "2.0"');
});

test('parameters: duplicates collapse with the last value winning; forceString goes to --set-string; $ARGOCD_APP_NAME is substituted', () => {
  const files = inlineFiles(`
    #- charts/app/Chart.yaml
    name: app
    #- charts/app/values.yaml
    a: 1
    #- charts/app/values-prod-eu.yaml
    a: 2
    #- apps/prod.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: prod-eu
    spec:
      project: team
      destination:
        namespace: shop
      source:
        path: charts/app
        helm:
          valueFiles:
            - values-$ARGOCD_APP_NAME.yaml
          fileParameters:
            - name: cfg
              path: /charts/app/values.yaml
          parameters:
            - name: image.tag
              value: "1.0"
            - name: hosts
              value: a,b
            - name: list
              value: "{x,y}"
            - name: image.tag
              value: "2.0"
            - name: ns
              value: $ARGOCD_APP_NAMESPACE-\${ARGOCD_APP_PROJECT_NAME}-$$HOME
              forceString: true
  `);
  const env = byName(discover(files), 'prod-eu');
  assert.deepEqual(layers(env), [
    'file charts/app/values-prod-eu.yaml @apps/prod.yaml:13',
    'set hosts=a\\,b @apps/prod.yaml:21',
    'set list={x,y} @apps/prod.yaml:23',
    'set image.tag=2.0 @apps/prod.yaml:25',
    'set-string ns=shop-team-$HOME @apps/prod.yaml:27',
    'set-file cfg=charts/app/values.yaml @apps/prod.yaml:16',
  ]);
});

test('a revision variable is unknown offline: the entry is left out with a finding', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- app.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: a
    spec:
      source:
        path: c
        helm:
          parameters:
            - name: rev
              value: $ARGOCD_APP_REVISION
  `);
  const d = discover(files);
  assert.deepEqual(layers(byName(d, 'a')), []);
  assert.deepEqual(findingLines(d), ['warning gitops.unresolved-variable app.yaml:11']);
});

test('multiple sources: $values/... refers to the ref source (this workspace); each Helm source is an environment', () => {
  const files = inlineFiles(`
    #- envs/prod/app.yaml
    replicas: 3
    #- apps/app.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: shop
    spec:
      sources:
        - repoURL: https://github.com/me/config.git
          ref: values
        - repoURL: https://charts.example.com
          chart: shop
          targetRevision: 1.2.3
          helm:
            valueFiles:
              - $values/envs/prod/app.yaml
              - $other/x.yaml
              - values-small.yaml
  `);
  const d = discover(files, { cached: ['shop-1.2.3.tgz'] });
  const env = byName(d, 'shop');
  assert.deepEqual(env?.chart, { type: 'remote', repoURL: 'https://charts.example.com', chart: 'shop', version: '1.2.3', cacheArchive: 'shop-1.2.3.tgz', cached: true });
  assert.deepEqual(layers(env), ['file envs/prod/app.yaml @apps/app.yaml:14', 'file values-small.yaml (in chart) @apps/app.yaml:16']);
  assert.deepEqual(findingLines(d), ['warning gitops.unknown-ref apps/app.yaml:15']);
});

test('a chart path without Chart.yaml, an unknown apiVersion and a malformed manifest are findings; the rest still works', () => {
  const files = inlineFiles(`
    #- notachart/values.yaml
    a: 1
    #- good/Chart.yaml
    name: good
    #- apps/a.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: a
    spec:
      source:
        path: notachart
        helm:
          valueFiles: [values.yaml]
    ---
    apiVersion: argoproj.io/v1beta9
    kind: Application
    metadata:
      name: b
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: good
    spec:
      source:
        path: good
    #- apps/broken.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata: [unclosed
  `);
  const d = discover(files);
  assert.deepEqual(findingLines(d), [
    'warning gitops.no-chart-yaml apps/a.yaml:7',
    'error gitops.unknown-api-version apps/a.yaml:11',
    'error gitops.malformed-manifest apps/broken.yaml:4', // the flow sequence is found unclosed at the end
  ]);
  assert.deepEqual(d.environments.map((e) => e.name), ['a', 'good']);
});

test('ApplicationSet list generator: one Application per element, templates rendered, names from the template', () => {
  const files = inlineFiles(`
    #- charts/web/Chart.yaml
    name: web
    #- charts/web/values-staging.yaml
    a: 1
    #- charts/web/values-prod.yaml
    a: 2
    #- appsets/web.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: web
    spec:
      generators:
        - list:
            elements:
              - env: staging
              - env: prod
                values:
                  tag: "9"
      template:
        metadata:
          name: 'web-{{env}}'
        spec:
          source:
            path: charts/web
            helm:
              valueFiles: ['values-{{env}}.yaml']
              parameters:
                - name: image.tag
                  value: '{{values.tag}}'
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => e.name), ['web-staging', 'web-prod']);
  assert.deepEqual(layers(byName(d, 'web-prod')), ['file charts/web/values-prod.yaml @appsets/web.yaml:20', 'set image.tag=9 @appsets/web.yaml:23']);
  // staging has no values.tag: that parameter cannot be rendered, so it is left out with a finding.
  assert.deepEqual(layers(byName(d, 'web-staging')), ['file charts/web/values-staging.yaml @appsets/web.yaml:20']);
  assert.deepEqual(findingLines(d), ['warning gitops.unresolved-template appsets/web.yaml:23']);
});

test('ApplicationSet git generators (files and directories, with exclude) expand against the workspace, goTemplate too', () => {
  const files = inlineFiles(`
    #- chart/Chart.yaml
    name: chart
    #- clusters/eu/config.json
    {"cluster": {"name": "eu-1"}, "tag": "1.1"}
    #- clusters/us/config.json
    {"cluster": {"name": "us-1"}, "tag": "1.2"}
    #- envs/dev/values.yaml
    a: 1
    #- envs/prod/values.yaml
    a: 2
    #- envs/old/values.yaml
    a: 0
    #- appsets/set.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: files
    spec:
      generators:
        - git:
            repoURL: https://example.com/repo.git
            files:
              - path: clusters/*/config.json
      template:
        metadata:
          name: 'app-{{cluster.name}}-{{path.basename}}'
        spec:
          source:
            path: chart
            helm:
              parameters:
                - name: tag
                  value: '{{tag}}'
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: dirs
    spec:
      goTemplate: true
      generators:
        - git:
            repoURL: https://example.com/repo.git
            directories:
              - path: envs/*
              - path: envs/old
                exclude: true
      template:
        metadata:
          name: 'dir-{{ .path.basename }}'
        spec:
          source:
            path: chart
            helm:
              valueFiles: ['/{{.path.path}}/values.yaml']
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => e.name), ['app-eu-1-eu', 'app-us-1-us', 'dir-dev', 'dir-prod']);
  assert.deepEqual(layers(byName(d, 'app-us-1-us')), ['set tag=1.2 @appsets/set.yaml:20']);
  assert.deepEqual(layers(byName(d, 'dir-prod')), ['file envs/prod/values.yaml @appsets/set.yaml:42']);
  assert.deepEqual(findingLines(d), []);
});

test('eks-blueprints add-ons: every ApplicationSet uses cluster generators, reported on the generator\'s line, nothing guessed', () => {
  const d = discover(corpusFiles('aws-samples__eks-blueprints-add-ons'));
  assert.equal(d.environments.length, 0);
  const lines = findingLines(d);
  assert.ok(lines.every((l) => l.startsWith('info gitops.generator-offline ')), lines.join('\n'));
  // One per ApplicationSet document: 38 in the corpus (`grep -c 'kind: ApplicationSet'`), each with one generator.
  assert.equal(lines.length, 38);
  // A merge of cluster generators: reported on its first child that needs a cluster.
  assert.ok(lines.includes('info gitops.generator-offline argocd/bootstrap/control-plane/addons/aws/addons-aws-load-balancer-controller-appset.yaml:13'));
  assert.ok(lines.includes('info gitops.generator-offline argocd/bootstrap/control-plane/addons/aws/addons-aws-csi-ebs-resources-appset.yaml:10'));
});

test('eks-blueprints layout through a list generator: $values files in order, missing ones ignored, inline values last', () => {
  // The add-on ApplicationSet's template, with the cluster generator's parameters given by a list generator.
  const appset = `
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: addons-aws-load-balancer-controller
    spec:
      generators:
        - list:
            elements:
              - name: my-cluster
                metadata.annotations.addons_repo_basepath: argocd/
                metadata.labels.environment: dev
                values:
                  addonChart: aws-load-balancer-controller
                  addonChartVersion: 1.6.0
                  addonChartRepository: https://aws.github.io/eks-charts
      template:
        metadata:
          name: addon-{{name}}-{{values.addonChart}}
        spec:
          sources:
            - repoURL: https://github.com/aws-samples/eks-blueprints-add-ons
              ref: values
            - chart: '{{values.addonChart}}'
              repoURL: '{{values.addonChartRepository}}'
              targetRevision: '{{values.addonChartVersion}}'
              helm:
                ignoreMissingValueFiles: true
                valueFiles:
                  - $values/{{metadata.annotations.addons_repo_basepath}}charts/addons/{{values.addonChart}}/values.yaml
                  - $values/{{metadata.annotations.addons_repo_basepath}}environments/{{metadata.labels.environment}}/addons/{{values.addonChart}}/values.yaml
                  - $values/{{metadata.annotations.addons_repo_basepath}}clusters/{{name}}/addons/{{values.addonChart}}/values.yaml
                  - $values/{{metadata.annotations.addons_repo_basepath}}clusters/{{name}}/addons/{{values.addonChart}}/missing.yaml
                values: |
                  clusterName: {{name}}
  `;
  const d = discover(corpusFiles('aws-samples__eks-blueprints-add-ons', { 'local/appset.yaml': appset }));
  const env = byName(d, 'addon-my-cluster-aws-load-balancer-controller');
  assert.deepEqual(layers(env), [
    'file argocd/charts/addons/aws-load-balancer-controller/values.yaml @local/appset.yaml:29',
    'file argocd/environments/dev/addons/aws-load-balancer-controller/values.yaml @local/appset.yaml:30',
    'file argocd/clusters/my-cluster/addons/aws-load-balancer-controller/values.yaml @local/appset.yaml:31',
    'inline @local/appset.yaml:33',
  ]);
  const inline = env?.layers[3];
  assert.ok(inline?.type === 'inline');
  assert.equal(inline.source.text, 'clusterName: my-cluster\n');
  assert.equal(inline.source.exact, false);
  assert.deepEqual(env?.chart, { type: 'remote', repoURL: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '1.6.0', cacheArchive: 'aws-load-balancer-controller-1.6.0.tgz', cached: false });
  assert.deepEqual(findingLines(d).filter((f) => f.includes('local/')), ['info gitops.chart-not-local local/appset.yaml:23']);
});

test('argo-cd docs applicationset.yaml: generators that need a live system are reported on their line', () => {
  const d = discover(argo({}));
  const lines = findingLines(d).filter((f) => f.includes('applicationset.yaml'));
  // clusters, scmProvider, clusterDecisionResource, pullRequest, the merge's first clusters child, plugin.
  for (const line of [35, 70, 116, 133, 198, 217]) assert.ok(lines.includes(`info gitops.generator-offline docs/operator-manual/applicationset.yaml:${line}`), `generator at line ${line}`);
  // The matrix example lists no children (only a comment).
  assert.ok(lines.includes('warning gitops.bad-generator docs/operator-manual/applicationset.yaml:185'));
  assert.ok(lines.includes('warning gitops.appset-unsupported docs/operator-manual/applicationset.yaml:19'));
});

test('ApplicationSet matrix (git directories x list) and merge (by merge key) expand when their children resolve', () => {
  const only = inlineFiles(`
    #- chart/Chart.yaml
    name: chart
    #- envs/dev/values.yaml
    a: 1
    #- envs/prod/values.yaml
    a: 2
    #- set.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: m
    spec:
      generators:
        - matrix:
            generators:
              - git:
                  repoURL: https://example.com/r.git
                  directories: [{path: envs/*}]
              - list:
                  elements: [{region: eu}, {region: us}]
      template:
        metadata:
          name: '{{path.basename}}-{{region}}'
        spec:
          source:
            path: chart
            helm:
              valueFiles: ['/{{path}}/values.yaml']
              parameters: [{name: region, value: '{{region}}'}]
  `);
  const dm = discover(only);
  assert.deepEqual(dm.environments.map((e) => e.name), ['dev-eu', 'dev-us', 'prod-eu', 'prod-us']);
  assert.deepEqual(layers(byName(dm, 'prod-us')), ['file envs/prod/values.yaml @set.yaml:21', 'set region=us @set.yaml:22']);
  const merged = inlineFiles(`
    #- chart/Chart.yaml
    name: chart
    #- set.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: m
    spec:
      generators:
        - merge:
            mergeKeys: [env]
            generators:
              - list:
                  elements: [{env: dev, size: s}, {env: prod, size: m}]
              - list:
                  elements: [{env: prod, size: xl}]
      template:
        metadata:
          name: '{{env}}'
        spec:
          source:
            path: chart
            helm:
              parameters: [{name: size, value: '{{size}}'}]
  `);
  const dg = discover(merged);
  assert.deepEqual(dg.environments.map((e) => [e.name, e.layers.map((l) => ('arg' in l ? l.arg : ''))]), [['dev', ['size=s']], ['prod', ['size=xl']]]);
  assert.deepEqual(findingLines(dg), []);
});

test('valueFiles: URLs are fetched by Argo CD (info), paths leaving the repository are errors; set and set-string of one name both apply', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- app.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: a
    spec:
      source:
        path: c
        helm:
          valueFiles:
            - https://example.com/values.yaml
            - ../../outside.yaml
          parameters:
            - name: x
              value: "1"
            - name: x
              value: "2"
              forceString: true
  `);
  const d = discover(files);
  assert.deepEqual(layers(byName(d, 'a')), ['set x=1 @app.yaml:14', 'set-string x=2 @app.yaml:16']);
  assert.deepEqual(findingLines(d), ['info gitops.remote-values-file app.yaml:10', 'error gitops.path-outside-workspace app.yaml:11']);
});

test('ApplicationSet inline values are rendered per element; an unknown parameter leaves the layer out, never the raw template', () => {
  const files = inlineFiles(`
    #- c/Chart.yaml
    name: c
    #- set.yaml
    apiVersion: argoproj.io/v1alpha1
    kind: ApplicationSet
    metadata:
      name: s
    spec:
      generators:
        - list:
            elements:
              - {env: dev, size: s}
              - {env: prod}
      template:
        metadata:
          name: 'app-{{env}}'
        spec:
          source:
            path: c
            helm:
              values: |
                size: {{size}}
  `);
  const d = discover(files);
  const dev = byName(d, 'app-dev')?.layers[0];
  assert.ok(dev?.type === 'inline');
  assert.equal(dev.source.text, 'size: s\n');
  assert.deepEqual(layers(byName(d, 'app-prod')), []);
  assert.deepEqual(findingLines(d), ['warning gitops.unresolved-template set.yaml:18']);
});
