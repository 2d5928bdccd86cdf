// Review findings (helm.redundant-override, helm.unknown-key, helm.type-change) as data: each expected finding is
// `file:line:column-endLine:endColumn severity[code] message`, as `check` reports it (merged across environments).
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analysisOf, dedent, parseFixture, type AnalysisOptions } from './fixture';
import { checkChart } from '../../server/src/service/check/check';
import { editDistance, reviewFindings, suggestKey } from '../../server/src/service/check/review';
import { chartEnvironments } from '../../server/src/service/chart/environments';
import { loadChartAt, valuesResolver } from '../../server/src/host/project';
import type { Finding } from '../../server/src/service/types';

const REVIEW = new Set(['helm.redundant-override', 'helm.unknown-key', 'helm.type-change']);

function show(f: Finding): string {
  return `${f.file.replace('/chart/', '')}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity}[${f.code}] ${f.message}`;
}

function review(fixture: string, options: AnalysisOptions = {}): Finding[] {
  return analysisOf(parseFixture(dedent(fixture)).files, options)
    .findings()
    .filter((f) => REVIEW.has(f.code));
}

function checkReview(fixture: string, expected: string[], options: AnalysisOptions = {}): void {
  assert.deepEqual(review(fixture, options).map(show), expected);
}

test('redundant override: an overlay sets a leaf or a list to exactly the value it shadows', () => {
  checkReview(
    `
    #- /chart/values.yaml
    image:
      tag: "1.0"
      pullPolicy: IfNotPresent
    ports: [80, 443]
    env:
      - name: A
        value: "1"
    resources: {}
    #- /chart/values-prod.yaml
    image:
      tag: "1.0"
      pullPolicy: Always
    ports: [80, 443]
    env:
      - value: "1"
        name: A
    resources: {}
    `,
    [
      'values-prod.yaml:2:3-2:6 info[helm.redundant-override] image.tag: same value as values.yaml:2 ("1.0"); this override has no effect [environment: prod]',
      'values-prod.yaml:4:1-4:6 info[helm.redundant-override] ports: same value as values.yaml:4 ([80,443]); this override has no effect [environment: prod]',
      'values-prod.yaml:5:1-5:4 info[helm.redundant-override] env: same value as values.yaml:5 ([{"name":"A","value":"1"}]); this override has no effect [environment: prod]',
    ],
  );
});

test('redundant override: against the immediate next layer only, and a parent values.yaml over a subchart default', () => {
  checkReview(
    `
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: redis
        version: 1.x
    #- /chart/values.yaml
    tag: a
    redis:
      port: 6379
      auth: false
    #- /chart/common.yaml
    tag: b
    #- /chart/prod.yaml
    tag: a
    #- /chart/charts/redis/Chart.yaml
    apiVersion: v2
    name: redis
    version: 1.0.0
    #- /chart/charts/redis/values.yaml
    port: 6379
    auth: true
    `,
    // prod.yaml's tag equals values.yaml's but shadows common.yaml's: it has an effect.
    ['values.yaml:3:3-3:7 info[helm.redundant-override] redis.port: same value as charts/redis/values.yaml:1 (6379); this override has no effect [environments: prod, default]'],
    { config: [{ name: 'prod', values: ['common.yaml', 'prod.yaml'] }] },
  );
});

test('unknown key: a typo of a declared sibling, with the suggestion as data', () => {
  const findings = review(`
    #- /chart/values.yaml
    replicaCount: 1
    image:
      repository: nginx
      tag: "1.0"
    #- /chart/values-prod.yaml
    replicaCont: 3
    image:
      tagg: "2.0"
      Repository: other
      digest: sha256
  `);
  assert.deepEqual(findings.map(show), [
    'values-prod.yaml:1:1-1:12 warning[helm.unknown-key] "replicaCont" is not a key of values.yaml (did you mean "replicaCount"?) [environment: prod]',
    'values-prod.yaml:3:3-3:7 warning[helm.unknown-key] "tagg" is not a key of image in values.yaml (did you mean "tag"?) [environment: prod]',
    'values-prod.yaml:4:3-4:13 warning[helm.unknown-key] "Repository" is not a key of image in values.yaml (did you mean "repository"?) [environment: prod]',
    'values-prod.yaml:5:3-5:9 warning[helm.unknown-key] "digest" is not a key of image in values.yaml [environment: prod]',
  ]);
  assert.deepEqual(findings.map((f) => f.data), [{ suggestion: 'replicaCount' }, { suggestion: 'tag' }, { suggestion: 'repository' }, undefined]);
  // Keys of a subchart, under its alias: declared by the subchart's values.yaml.
  checkReview(
    `
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: redis
        version: 1.x
        alias: cache
    #- /chart/values.yaml
    cache:
      port: 1
    #- /chart/values-prod.yaml
    cache:
      clustr: true
    #- /chart/charts/redis/Chart.yaml
    apiVersion: v2
    name: redis
    version: 1.0.0
    #- /chart/charts/redis/values.yaml
    port: 6379
    cluster: false
    `,
    ['values-prod.yaml:2:3-2:9 warning[helm.unknown-key] "clustr" is not a key of cache in values.yaml or charts/redis/values.yaml (did you mean "cluster"?) [environment: prod]'],
  );
});

test('unknown key: quiet on free-form maps, absent parents, global, missing subcharts, documented and foreign keys', () => {
  checkReview(
    `
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: postgresql
        version: 1.x
        condition: postgresql.enabled
      - name: redis
        version: 1.x
        alias: cache
        condition: cache.enabled
    #- /chart/values.yaml
    podAnnotations: {}
    labels: {}
    env: {}
    nodeSelector:
      kubernetes.io/os: linux
    securityContext:
      runAsUser: 1000
    livenessProbe:
      httpGet:
        path: /
    pdb:
      enabled: false
      # minAvailable: 1
    scripts:
      init.sh: echo
    config:
      log_level: info
    routes:
      main:
        enabled: false
        hostnames: []
    postgresql:
      auth:
        username: app
    global:
      imageRegistry: ""
    #- /chart/values-prod.yaml
    podAnnotations:
      a: b
    labels:
      team: x
    env:
      LOG: debug
    nodeSelector:
      disktype: ssd
    securityContext:
      runAsNonRoot: true
    livenessProbe:
      tcpSocket:
        port: 80
    pdb:
      minAvailable: 1
    scripts:
      run.sh: echo
    config:
      max_conns: 10
    routes:
      extra:
        enabled: true
        hostnames: [a]
    postgresql:
      auth:
        password: secret
    cache:
      enabled: true
      cluster: true
    global:
      storageClass: fast
    newThing:
      nested: 1
    #- /chart/charts/redis/Chart.yaml
    apiVersion: v2
    name: redis
    version: 1.0.0
    #- /chart/charts/redis/values.yaml
    port: 6379
    cluster: false
    `,
    ['values-prod.yaml:32:1-32:9 warning[helm.unknown-key] "newThing" is not a key of values.yaml [environment: prod]'],
  );
});

test('unknown key: a key an earlier overlay of the environment declares is known', () => {
  checkReview(
    `
    #- /chart/values.yaml
    a: 1
    #- /chart/common.yaml
    extra: 1
    #- /chart/prod.yaml
    extra: 2
    `,
    ['common.yaml:1:1-1:6 warning[helm.unknown-key] "extra" is not a key of values.yaml [environment: prod]'],
    { config: [{ name: 'prod', values: ['common.yaml', 'prod.yaml'] }] },
  );
});

test('type change: lists or maps against other kinds (warning), scalar kinds (info); Helm-warned, null and "" left alone', () => {
  checkReview(
    `
    #- /chart/values.yaml
    port: "8080"
    enabled: true
    hosts: [a]
    extraArgs: {}
    tolerations: []
    image:
      tag: "1.0"
      list: [1]
    annotations: {}
    servicePort: ""
    maybe: null
    #- /chart/values-prod.yaml
    port: 8080
    enabled: "yes"
    hosts: a
    extraArgs: [--x]
    tolerations: {}
    image:
      tag: 1.5
      list: {a: 1}
    annotations: none
    servicePort: 80
    maybe: [1]
    `,
    [
      'values-prod.yaml:1:1-1:5 info[helm.type-change] port: values-prod.yaml makes this a number (8080); values.yaml:1 has a string ("8080") [environment: prod]',
      'values-prod.yaml:2:1-2:8 info[helm.type-change] enabled: values-prod.yaml makes this a string ("yes"); values.yaml:2 has a boolean (true) [environment: prod]',
      'values-prod.yaml:3:1-3:6 warning[helm.type-change] hosts: values-prod.yaml makes this a string ("a"); values.yaml:3 has a list (["a"]) [environment: prod]',
      'values-prod.yaml:4:1-4:10 warning[helm.type-change] extraArgs: values-prod.yaml makes this a list (["--x"]); values.yaml:4 has a map ({}) [environment: prod]',
      'values-prod.yaml:7:3-7:6 info[helm.type-change] image.tag: values-prod.yaml makes this a number (1.5); values.yaml:7 has a string ("1.0") [environment: prod]',
      'values-prod.yaml:9:1-9:12 warning[helm.type-change] annotations: values-prod.yaml makes this a string ("none"); values.yaml:9 has a map ({}) [environment: prod]',
    ],
  );
  // Helm itself warns when a map meets a list in coalescing (tolerations, image.list): no second finding there.
  const all = analysisOf(parseFixture(dedent(`
    #- /chart/values.yaml
    tolerations: []
    image:
      list: [1]
    #- /chart/values-prod.yaml
    tolerations: {}
    image:
      list: {a: 1}
  `)).files).findings();
  assert.deepEqual(all.map((f) => `${f.line} ${f.code}`), ['1 helm.type-conflict', '3 helm.type-conflict']);
  // Between -f files (Helm's MergeMaps) Helm is silent: a list turned into a map is reported.
  checkReview(
    `
    #- /chart/values.yaml
    hosts: null
    #- /chart/base.yaml
    hosts: [a]
    #- /chart/prod.yaml
    hosts: {a: 1}
    `,
    ['prod.yaml:1:1-1:6 warning[helm.type-change] hosts: prod.yaml makes this a map ({"a":1}); base.yaml:1 has a list (["a"]) [environment: prod]'],
    { config: [{ name: 'prod', values: ['base.yaml', 'prod.yaml'] }] },
  );
});

test('findings merge across environments like Helm messages; each sits on the overriding key', () => {
  checkReview(
    `
    #- /chart/values.yaml
    tag: "1.0"
    #- /chart/shared.yaml
    tagg: "1.0"
    `,
    ['shared.yaml:1:1-1:5 warning[helm.unknown-key] "tagg" is not a key of values.yaml (did you mean "tag"?) [environments: a, b]'],
    { config: [{ name: 'a', values: ['shared.yaml'] }, { name: 'b', values: ['shared.yaml'], set: ['x=1'] }] },
  );
});

test('quiet when nothing is overridden or every override changes something', () => {
  checkReview(
    `
    #- /chart/values.yaml
    image:
      tag: "1.0"
    list: [1]
    #- /chart/values-prod.yaml
    image:
      tag: "2.0"
    list: [2]
    `,
    [],
  );
  checkReview('#- /chart/values.yaml\na: 1\n', []);
});

test('suggestions: edit distance relative to length', () => {
  assert.equal(editDistance('replicaCont', 'replicaCount'), 1);
  assert.equal(editDistance('prot', 'port'), 1);
  assert.equal(suggestKey('prot', ['port', 'auth']), 'port');
  assert.equal(suggestKey('a', ['b']), undefined);
  assert.equal(suggestKey('replicas', ['replicaCount']), undefined);
  assert.equal(suggestKey('service_account', ['serviceAccount']), 'serviceAccount');
});

test('reviewFindings of one environment directly: same findings as check, before merging', () => {
  const a = analysisOf(parseFixture(dedent(`
    #- /chart/values.yaml
    tag: "1.0"
    #- /chart/values-prod.yaml
    tag: "1.0"
  `)).files);
  const prod = a.environment('prod');
  assert.ok(prod);
  assert.deepEqual(reviewFindings({ model: a.model, result: prod }).map(show), [
    'values-prod.yaml:1:1-1:4 info[helm.redundant-override] tag: same value as values.yaml:1 ("1.0"); this override has no effect',
  ]);
});

test('corpus: no review finding is an error; the known stale keys of ci/ files are found', () => {
  const root = path.resolve('test/fixtures/corpus/charts');
  const charts = [
    'argoproj__argo-helm/charts/argo-events',
    'argoproj__argo-helm/charts/argo-workflows',
    'codecentric__helm-charts/charts/keycloak',
    'kubernetes__ingress-nginx/charts/ingress-nginx',
    'prometheus-community__helm-charts/charts/prometheus',
    'prometheus-community__helm-charts/charts/kube-prometheus-stack',
    'bitnami__charts/bitnami/postgresql',
  ];
  const found: string[] = [];
  for (const c of charts) {
    const dir = path.join(root, c);
    const chart = loadChartAt(dir, c);
    const { environments } = chartEnvironments(chart.model, []);
    const { findings } = checkChart({ model: chart.model, environments, resolveValues: valuesResolver(chart, dir, c), helmVersion: NEWEST_RELEASE[4], documents: chart.documents, compareVersions: false });
    for (const f of findings.filter((x) => REVIEW.has(x.code))) {
      assert.notEqual(f.severity, 'error', show(f));
      if (f.code !== 'helm.redundant-override') found.push(`${f.file}:${f.line} ${f.code} ${f.message}`);
    }
  }
  assert.deepEqual(found, [
    'argoproj__argo-helm/charts/argo-events/ci/test-values.yaml:1 helm.unknown-key "singleNamespace" is not a key of values.yaml [environment: ci/test-values]',
    'codecentric__helm-charts/charts/keycloak/ci/h2-and-ingress-values.yaml:62 helm.unknown-key "labels" is not a key of ingress.console in values.yaml [environment: ci/h2-and-ingress-values]',
    'prometheus-community__helm-charts/charts/kube-prometheus-stack/ci/03-non-defaults-values.yaml:92 helm.type-change grafana.sidecar.datasources.alertmanager.name: ci/03-non-defaults-values.yaml makes this a number (0); values.yaml:1608 has a string ("Alertmanager") [environment: ci/03-non-defaults-values]',
  ]);
});
