// Flux discovery: HelmRelease layers (valuesFiles, valuesFrom, spec.values) and kustomize overlays, on the real corpus
// (flux2-kustomize-helm-example, flux2-monitoring-example, helm-controller testdata) and small cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byName, corpusFiles, discover, findingLines, inlineFiles, layers } from './gitopsFixture';

test('flux2-kustomize-helm-example: one environment per overlay (production, staging), base values then the patch', () => {
  const d = discover(corpusFiles('fluxcd__flux2-kustomize-helm-example'));
  assert.deepEqual(d.environments.map((e) => e.name).sort(), ['cert-manager', 'envoy-gateway', 'production/podinfo', 'staging/podinfo']);
  const prod = byName(d, 'production/podinfo');
  assert.deepEqual(layers(prod), ['inline @apps/base/podinfo/release.yaml:24', 'inline (merge patch) @apps/production/podinfo-values.yaml:11']);
  assert.deepEqual(layers(byName(d, 'staging/podinfo')), ['inline @apps/base/podinfo/release.yaml:24', 'inline (merge patch) @apps/staging/podinfo-values.yaml:13']);
  // The patch also sets the chart's version: the overlay's own.
  assert.deepEqual(prod?.chart, { type: 'remote', repoURL: 'https://stefanprodan.github.io/podinfo', chart: 'podinfo', version: '>=1.0.0', cached: false });
  assert.equal(byName(d, 'staging/podinfo')?.chart.type === 'remote' && (byName(d, 'staging/podinfo')?.chart as { version?: string }).version, '>=1.0.0-alpha');
  assert.deepEqual(prod?.definedAt, { file: 'apps/base/podinfo/release.yaml', line: 4, column: 9 });
  // The patch's spec.values, as a document of its own lines.
  const patch = prod?.layers[1];
  assert.ok(patch?.type === 'inline');
  assert.equal(patch.source.text, 'httpRoute:\n  hostnames:\n    - podinfo.production\n');
  assert.deepEqual([patch.source.line, patch.source.column], [10, 4]);
  // chartRef to an OCIRepository.
  assert.deepEqual(byName(d, 'cert-manager')?.chart, { type: 'remote', repoURL: 'oci://quay.io/jetstack/charts/cert-manager', chart: 'cert-manager', version: '1.x', cached: false });
  assert.deepEqual(layers(byName(d, 'cert-manager')), ['inline @infrastructure/controllers/cert-manager.yaml:40']);
  assert.deepEqual(layers(byName(d, 'envoy-gateway')), []);
  assert.ok(findingLines(d).every((f) => f.startsWith('info gitops.chart-not-local ')), findingLines(d).join('\n'));
});

test('flux2-monitoring-example: valuesFrom a ConfigMap made by configMapGenerator from a file, then spec.values', () => {
  const d = discover(corpusFiles('fluxcd__flux2-monitoring-example'));
  assert.deepEqual(d.environments.map((e) => e.name), ['kube-prometheus-stack', 'promtail', 'loki']);
  const kps = byName(d, 'kube-prometheus-stack');
  assert.deepEqual(layers(kps), [
    'file monitoring/controllers/kube-prometheus-stack/kube-state-metrics-config.yaml @monitoring/controllers/kube-prometheus-stack/kustomization.yaml:11',
    'inline @monitoring/controllers/kube-prometheus-stack/release.yaml:27',
  ]);
  assert.deepEqual(kps?.layers[0].via, { file: 'monitoring/controllers/kube-prometheus-stack/release.yaml', line: 22, column: 5 });
  assert.deepEqual(layers(byName(d, 'loki')), ['inline @monitoring/controllers/loki-stack/release.yaml:18']);
  assert.deepEqual(layers(byName(d, 'promtail')), ['inline @monitoring/controllers/loki-stack/promtail-release.yaml:20']);
});

test('helm-controller testdata valuesfrom: list order, targetPath as --set at its place, the Secret, then spec.values', () => {
  const d = discover(corpusFiles('fluxcd__helm-controller'));
  assert.deepEqual(layers(byName(d, 'valuesfrom')), [
    'inline @config/testdata/valuesfrom/configmap.yaml:6',
    'inline @config/testdata/valuesfrom/configmap.yaml:11',
    'set resources.limits.cpu=400m @config/testdata/valuesfrom/configmap.yaml:16',
    'set list.example={a,b,c} @config/testdata/valuesfrom/configmap.yaml:17',
    'set list.example[2]=d @config/testdata/valuesfrom/configmap.yaml:18',
    'set podAnnotations.some\\.k8s\\.annotation\\/env=demo @config/testdata/valuesfrom/configmap.yaml:19',
    'inline @config/testdata/valuesfrom/secret.yaml:7',
    'inline @config/testdata/valuesfrom/helmrelease.yaml:41',
  ]);
  const env = byName(d, 'valuesfrom');
  const limits = env?.layers[0];
  assert.ok(limits?.type === 'inline');
  assert.equal(limits.source.text, 'resources:\n  limits:\n    cpu: 200m\n    memory: 128Mi\n');
  assert.deepEqual([limits.source.line, limits.source.column, limits.source.exact], [6, 4, true]);
  assert.deepEqual(env?.layers[2].via, { file: 'config/testdata/valuesfrom/helmrelease.yaml', line: 22, column: 7 });
  // Charts from HelmRepositories that the testdata does not define: unknown, said once per release.
  assert.deepEqual(env?.chart, { type: 'unknown', reason: 'HelmRepository podinfo not found' });
  assert.ok(findingLines(d).includes('info gitops.source-not-found config/testdata/valuesfrom/helmrelease.yaml:9'));
  assert.deepEqual(byName(d, 'podinfo-git')?.chart, { type: 'unknown', reason: './charts/podinfo is not in this workspace' });
});

test('valuesFiles replace the chart defaults (valuesFile first), relative to the GitRepository root; missing ones are errors unless ignored', () => {
  const files = inlineFiles(`
    #- charts/podinfo/Chart.yaml
    name: podinfo
    #- charts/podinfo/values.yaml
    a: 1
    #- charts/podinfo/values-prod.yaml
    a: 2
    #- charts/podinfo/values-base.yaml
    a: 0
    #- clusters/prod/podinfo.yaml
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata:
      name: podinfo
    spec:
      url: https://github.com/me/repo
    ---
    apiVersion: helm.toolkit.fluxcd.io/v2beta2
    kind: HelmRelease
    metadata:
      name: podinfo
    spec:
      chart:
        spec:
          chart: ./charts/podinfo
          sourceRef:
            kind: GitRepository
            name: podinfo
          valuesFiles:
            - ./charts/podinfo/values.yaml
            - ./charts/podinfo/values-prod.yaml
            - ./charts/podinfo/values-missing.yaml
          valuesFile: ./charts/podinfo/values-base.yaml
      values:
        a: 3
  `);
  const d = discover(files);
  const env = byName(d, 'podinfo');
  assert.deepEqual(env?.chart, { type: 'local', dir: 'charts/podinfo' });
  assert.deepEqual(layers(env), [
    'file charts/podinfo/values-base.yaml (defaults) @clusters/prod/podinfo.yaml:23',
    'file charts/podinfo/values.yaml (defaults) @clusters/prod/podinfo.yaml:20',
    'file charts/podinfo/values-prod.yaml (defaults) @clusters/prod/podinfo.yaml:21',
    'inline @clusters/prod/podinfo.yaml:25',
  ]);
  assert.deepEqual(findingLines(d), ['error gitops.missing-values-file clusters/prod/podinfo.yaml:22']);
  const ignored = new Map(files);
  ignored.set('clusters/prod/podinfo.yaml', (files.get('clusters/prod/podinfo.yaml') ?? '').replace(/^( *)valuesFile:/m, '$1ignoreMissingValuesFiles: true\n$1valuesFile:'));
  assert.deepEqual(findingLines(discover(ignored)), []);
});

test('valuesFrom: quoted targetPath values are --set-string, Secret data is base64-decoded, optional tolerates missing, generators map keys', () => {
  const files = inlineFiles(`
    #- app/prod-values.yaml
    replicas: 4
    #- app/kustomization.yaml
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    resources:
      - release.yaml
      - cm.yaml
    secretGenerator:
      - name: app-secret
        files:
          - values.yaml=prod-values.yaml
        literals:
          - token="abc"
    #- app/cm.yaml
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: app-cm
    data:
      tag: '"1.0"'
      port: "8080"
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: app-b64
    data:
      values.yaml: aW1hZ2U6CiAgdGFnOiB2Mgo=
    #- app/release.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
    spec:
      chartRef:
        kind: OCIRepository
        name: missing-repo
      valuesFrom:
        - kind: ConfigMap
          name: app-cm
          valuesKey: tag
          targetPath: image.tag
        - kind: ConfigMap
          name: app-cm
          valuesKey: port
          targetPath: service.port
        - kind: Secret
          name: app-secret
        - kind: Secret
          name: app-secret
          valuesKey: token
          targetPath: auth.token
        - kind: Secret
          name: app-b64
        - kind: ConfigMap
          name: nowhere
          optional: true
        - kind: ConfigMap
          name: nowhere-required
  `);
  const d = discover(files);
  const env = byName(d, 'app');
  assert.deepEqual(layers(env), [
    'set-string image.tag=1.0 @app/cm.yaml:6',
    'set service.port=8080 @app/cm.yaml:7',
    'file app/prod-values.yaml @app/kustomization.yaml:9',
    'set-string auth.token=abc @app/kustomization.yaml:11',
    'inline @app/cm.yaml:14',
  ]);
  const b64 = env?.layers[4];
  assert.ok(b64?.type === 'inline');
  assert.equal(b64.source.text, 'image:\n  tag: v2\n');
  assert.equal(b64.source.exact, false);
  assert.deepEqual(findingLines(d), ['info gitops.source-not-found app/release.yaml:7', 'error gitops.missing-values-from app/release.yaml:29']);
});

test('nested overlays: only the outermost kustomization is an environment; patches apply innermost first', () => {
  const files = inlineFiles(`
    #- base/kustomization.yaml
    resources: [release.yaml, repo.yaml]
    #- base/repo.yaml
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmRepository
    metadata:
      name: charts
    spec:
      url: https://charts.example.com
    #- base/release.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: web
    spec:
      chart:
        spec:
          chart: web
          version: 2.0.0
          sourceRef: {kind: HelmRepository, name: charts}
      values:
        replicas: 1
    #- staging/kustomization.yaml
    resources: [../base]
    patchesStrategicMerge:
      - web.yaml
    #- staging/web.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: web
    spec:
      values:
        replicas: 2
        debug: null
    #- staging-eu/kustomization.yaml
    resources: [../staging]
    patches:
      - target:
          kind: HelmRelease
          name: web
        patch: |
          apiVersion: helm.toolkit.fluxcd.io/v2
          kind: HelmRelease
          metadata:
            name: any
          spec:
            values:
              region: eu
      - target:
          kind: HelmRelease
        patch: |
          - op: replace
            path: /spec/values/replicas
            value: 5
      - path: other.yaml
        target:
          kind: Deployment
    #- staging-eu/other.yaml
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 3
  `);
  const d = discover(files, { cached: ['web-2.0.0.tgz'] });
  assert.deepEqual(d.environments.map((e) => e.name), ['staging-eu/web']);
  const env = byName(d, 'staging-eu/web');
  assert.deepEqual(layers(env), ['inline @base/release.yaml:12', 'inline (merge patch) @staging/web.yaml:7', 'inline (merge patch) @staging-eu/kustomization.yaml:13']);
  const inlinePatch = env?.layers[2];
  assert.ok(inlinePatch?.type === 'inline');
  assert.equal(inlinePatch.source.text, 'region: eu\n');
  assert.deepEqual([inlinePatch.source.line, inlinePatch.source.column], [12, 10]);
  assert.deepEqual(env?.chart, { type: 'remote', repoURL: 'https://charts.example.com', chart: 'web', version: '2.0.0', cacheArchive: 'web-2.0.0.tgz', cached: true });
  assert.deepEqual(findingLines(d), ['warning gitops.unsupported-patch staging-eu/kustomization.yaml:17']);
});

test('a HelmRelease with an unknown apiVersion is a finding and is skipped; a chartRef to a HelmChart uses its spec', () => {
  const files = inlineFiles(`
    #- charts/x/Chart.yaml
    name: x
    #- charts/x/values-a.yaml
    a: 1
    #- r.yaml
    apiVersion: helm.toolkit.fluxcd.io/v1
    kind: HelmRelease
    metadata:
      name: old
    ---
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: HelmChart
    metadata:
      name: x-chart
    spec:
      chart: charts/x
      sourceRef: {kind: GitRepository, name: repo}
      valuesFiles: [charts/x/values-a.yaml]
    ---
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: new
    spec:
      chartRef: {kind: HelmChart, name: x-chart}
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => e.name), ['new']);
  assert.deepEqual(byName(d, 'new')?.chart, { type: 'local', dir: 'charts/x' });
  assert.deepEqual(layers(byName(d, 'new')), ['file charts/x/values-a.yaml (defaults) @r.yaml:13']);
  assert.deepEqual(findingLines(d), ['error gitops.unknown-api-version r.yaml:1']);
});

test('an overlay\'s generator with the same name wins for its keys (behavior: merge); each overlay reads its own', () => {
  const files = inlineFiles(`
    #- base/kustomization.yaml
    resources: [release.yaml]
    configMapGenerator:
      - name: app-values
        files: [values.yaml=base-values.yaml]
    #- base/base-values.yaml
    a: 1
    #- base/release.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
    spec:
      chartRef: {kind: OCIRepository, name: app}
      valuesFrom:
        - kind: ConfigMap
          name: app-values
    #- prod/kustomization.yaml
    resources: [../base]
    configMapGenerator:
      - name: app-values
        behavior: merge
        files: [values.yaml=prod-values.yaml]
    #- prod/prod-values.yaml
    a: 2
    #- dev/kustomization.yaml
    resources: [../base]
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => [e.name, layers(e)]), [
    ['dev/app', ['file base/base-values.yaml @base/kustomization.yaml:4']],
    ['prod/app', ['file prod/prod-values.yaml @prod/kustomization.yaml:5']],
  ]);
});

test('overlays in folders of the same name are named by their path', () => {
  const files = inlineFiles(`
    #- base/kustomization.yaml
    resources: [release.yaml]
    #- base/release.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: app
    spec:
      chartRef: {kind: OCIRepository, name: app}
    #- eu/prod/kustomization.yaml
    resources: [../../base]
    #- us/prod/kustomization.yaml
    resources: [../../base]
  `);
  assert.deepEqual(discover(files).environments.map((e) => e.name), ['eu/prod/app', 'us/prod/app']);
});

test('Flux Kustomizations with a GitRepository path in the workspace: each one, with its own patches, is an overlay', () => {
  const files = inlineFiles(`
    #- apps/podinfo/kustomization.yaml
    resources: [release.yaml]
    #- apps/podinfo/release.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: podinfo
    spec:
      chartRef: {kind: OCIRepository, name: podinfo}
      values:
        replicas: 1
    #- apps/plain/release.yaml
    apiVersion: helm.toolkit.fluxcd.io/v2
    kind: HelmRelease
    metadata:
      name: plain
    spec:
      chartRef: {kind: OCIRepository, name: plain}
    #- clusters/prod/apps.yaml
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: apps
    spec:
      sourceRef: {kind: GitRepository, name: flux-system}
      path: ./apps
      patches:
        - target: {kind: HelmRelease, name: podinfo}
          patch: |
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: podinfo
            spec:
              values:
                replicas: 3
    #- clusters/staging/apps.yaml
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: apps
    spec:
      sourceRef: {kind: GitRepository, name: flux-system}
      path: ./apps
  `);
  const d = discover(files);
  assert.deepEqual(d.environments.map((e) => [e.name, layers(e)]), [
    ['clusters/prod/apps/podinfo', ['inline @apps/podinfo/release.yaml:8', 'inline (merge patch) @clusters/prod/apps.yaml:17']],
    ['clusters/staging/apps/podinfo', ['inline @apps/podinfo/release.yaml:8']],
    ['clusters/prod/apps/plain', []],
    ['clusters/staging/apps/plain', []],
  ]);
});
