// The benchmark's inputs: real charts from test/fixtures/corpus (so `npm run bench` needs nothing outside the repo),
// and, for the LSP comparison, the files to open, the line to toggle and the positions to query, named by YAML path
// so they survive edits of the fixtures.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { benchDir, repoRoot } from './build.mjs';

const corpus = path.join(repoRoot, 'test', 'fixtures', 'corpus', 'charts');

export const charts = {
  kps: path.join(corpus, 'prometheus-community__helm-charts', 'charts', 'kube-prometheus-stack'),
  argocd: path.join(corpus, 'argoproj__argo-helm', 'charts', 'argo-cd'),
  postgresql: path.join(corpus, 'bitnami__charts', 'bitnami', 'postgresql'),
  redis: path.join(corpus, 'bitnami__charts', 'bitnami', 'redis'),
  traefik: path.join(corpus, 'traefik__traefik-helm-chart', 'traefik'),
  /** kube-prometheus-stack with its templates and its subcharts' (test/fixtures/templates, issue 10). */
  kpsTemplates: path.join(repoRoot, 'test', 'fixtures', 'templates', 'kube-prometheus-stack'),
};

/**
 * kube-prometheus-stack with its 290 KB values.schema.json (bench/data, the schema the peer gets) placed in the chart,
 * so that our server validates against the same schema: a copy of the corpus chart under bench/out/charts/ (the
 * corpus chart ships no schema). Made on first use; `schemaChart()` returns its directory.
 */
export const kpsSchemaChart = path.join(benchDir, 'out', 'charts', 'kube-prometheus-stack-schema');
const kpsSchemaFile = path.join(benchDir, 'data', 'kube-prometheus-stack.values.schema.json');

export function prepareSchemaChart() {
  const schema = readFileSync(kpsSchemaFile, 'utf8');
  const target = path.join(kpsSchemaChart, 'values.schema.json');
  if (existsSync(target) && readFileSync(target, 'utf8') === schema && readFileSync(path.join(kpsSchemaChart, 'values.yaml'), 'utf8') === readFileSync(path.join(charts.kps, 'values.yaml'), 'utf8')) return kpsSchemaChart;
  rmSync(kpsSchemaChart, { recursive: true, force: true });
  mkdirSync(path.dirname(kpsSchemaChart), { recursive: true });
  cpSync(charts.kps, kpsSchemaChart, { recursive: true });
  writeFileSync(target, schema);
  return kpsSchemaChart;
}

/**
 * A GitOps workspace (issue 9): kube-prometheus-stack with its schema (as in the main case) under charts/, deployed by
 * an Argo CD Application (apps/monitoring.yaml) with a values file, inline `valuesObject` and `parameters`. The
 * language server's workspace folder is the workspace, so it discovers the Application: values.yaml gets a fifth
 * environment (`monitoring-prod`), and the Application's inline values are a values document of their own. The peer
 * validates the inline values the way its users would: a schema for the Application whose `valuesObject` is the
 * chart's schema (`$ref`), mapped to the manifest.
 */
export const gitopsWorkspace = path.join(benchDir, 'out', 'gitops-kps');
const gitopsChart = path.join(gitopsWorkspace, 'charts', 'kube-prometheus-stack');
const gitopsManifest = path.join(gitopsWorkspace, 'apps', 'monitoring.yaml');
const applicationSchema = path.join(benchDir, 'out', 'argocd-application-kps.schema.json');

const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: monitoring-prod
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: monitoring
  source:
    repoURL: https://github.com/example/platform.git
    targetRevision: main
    path: charts/kube-prometheus-stack
    helm:
      valueFiles:
        - ci/03-non-defaults-values.yaml
      valuesObject:
        alertmanager:
          alertmanagerSpec:
            replicas: 2
            retention: 240h
        prometheusOperator:
          admissionWebhooks:
            deployment:
              podLabels:
                team: platform
      parameters:
        - name: prometheus.prometheusSpec.retention
          value: 30d
        - name: prometheus.prometheusSpec.replicas
          value: "2"
`;

function prepareGitopsWorkspace() {
  const chart = prepareSchemaChart();
  const same = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a, 'utf8') === readFileSync(b, 'utf8');
  if (!same(path.join(chart, 'values.schema.json'), path.join(gitopsChart, 'values.schema.json')) || !same(path.join(chart, 'values.yaml'), path.join(gitopsChart, 'values.yaml'))) {
    rmSync(gitopsWorkspace, { recursive: true, force: true });
    mkdirSync(path.dirname(gitopsChart), { recursive: true });
    cpSync(chart, gitopsChart, { recursive: true });
  }
  mkdirSync(path.dirname(gitopsManifest), { recursive: true });
  writeFileSync(gitopsManifest, APPLICATION);
  const valuesObject = { $ref: pathToFileURL(kpsSchemaFile).href };
  const nest = (keys, inner) => keys.reduceRight((acc, k) => ({ type: 'object', properties: { [k]: acc } }), inner);
  writeFileSync(applicationSchema, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...nest(['spec', 'source', 'helm', 'valuesObject'], valuesObject) }, null, 2));
}

/** kube-prometheus-stack's CI overlays, applied in order (in-process effective values). */
export const kpsCiOverlays = ['ci/01-provision-crds-values.yaml', 'ci/03-non-defaults-values.yaml', 'ci/04-prometheus-operator-webhook-values.yaml', 'ci/05-ingress-and-gateway-routes-values.yaml', 'ci/06-upgrade-crds-values.yaml'];
/** The two overlays of the CLI runs and of the kube-prometheus-stack LSP case. */
export const kpsTwoOverlays = ['ci/03-non-defaults-values.yaml', 'ci/05-ingress-and-gateway-routes-values.yaml'];

/** The value written on an edit line to make it invalid: a YAML 1.1 boolean for Helm, a string for YAML 1.2 tools. */
export const BAD_VALUE = 'yes';

/**
 * LSP cases. `edits[0].file` is opened first, already holding BAD_VALUE on its edit line ("cold invalid": the cold
 * start ends at the first diagnostic on that line, so a server cannot win by publishing an empty list early).
 * Each edit line holds a number or boolean that the peer's schema types, so both servers flag `yes` on it.
 */
export const lspCases = [
  {
    // The issue's main case: the same 6,000-line values.yaml, and both servers validate it against the same 290 KB
    // schema. Complete diagnostics = the schema error on the edit line (not only the quick, schema-free publish).
    name: 'kube-prometheus-stack+schema',
    chart: kpsSchemaChart,
    prepare: prepareSchemaChart,
    peerSchema: kpsSchemaFile,
    schemaError: true,
    files: ['values.yaml'],
    edits: [{ file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.service.nodePortTls' }],
    hover: [{ file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.podLabels' }],
    completion: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.podLabels', at: 'key' },
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.service.ipDualStack.enabled', at: 'value' },
    ],
  },
  {
    // A discovered environment (issue 9): the main case's values.yaml and edit line, with an Argo CD Application in
    // the workspace that deploys the chart; plus an edit and a hover inside the Application's inline values.
    name: 'kube-prometheus-stack+argocd',
    chart: gitopsChart,
    workspace: gitopsWorkspace,
    prepare: prepareGitopsWorkspace,
    peerSchema: kpsSchemaFile,
    peerSchemas: () => ({ [pathToFileURL(kpsSchemaFile).href]: [pathToFileURL(path.join(gitopsChart, 'values.yaml')).href], [pathToFileURL(applicationSchema).href]: [pathToFileURL(gitopsManifest).href] }),
    schemaError: true,
    files: ['values.yaml', '../../apps/monitoring.yaml'],
    edits: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.service.nodePortTls' },
      { file: '../../apps/monitoring.yaml', path: 'spec.source.helm.valuesObject.alertmanager.alertmanagerSpec.replicas' },
    ],
    hover: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.podLabels' },
      { file: 'values.yaml', path: 'prometheus.prometheusSpec.retention' },
      { file: '../../apps/monitoring.yaml', path: 'spec.source.helm.valuesObject.alertmanager.alertmanagerSpec.replicas', inManifest: true },
    ],
    completion: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.podLabels', at: 'key' },
      { file: '../../apps/monitoring.yaml', path: 'spec.source.helm.valuesObject.alertmanager.alertmanagerSpec.replicas', at: 'key', inManifest: true },
    ],
  },
  {
    name: 'kube-prometheus-stack',
    chart: charts.kps,
    peerSchema: path.join(benchDir, 'data', 'kube-prometheus-stack.values.schema.json'),
    files: ['values.yaml', ...kpsTwoOverlays],
    edits: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.service.nodePortTls' },
      { file: 'ci/03-non-defaults-values.yaml', path: 'kubeControllerManager.service.enabled' },
    ],
    hover: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.podLabels' },
      { file: 'ci/03-non-defaults-values.yaml', path: 'kubeScheduler.service.enabled' },
    ],
    completion: [
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.podLabels', at: 'key' },
      { file: 'values.yaml', path: 'prometheusOperator.admissionWebhooks.deployment.service.ipDualStack.enabled', at: 'value' },
      { file: 'ci/03-non-defaults-values.yaml', path: 'kubeControllerManager.service.enabled', at: 'key' },
    ],
  },
  {
    name: 'argo-cd',
    chart: charts.argocd,
    peerSchema: path.join(benchDir, 'data', 'argo-cd.values.schema.json'),
    files: ['values.yaml', 'ci/ha-autoscaling-values.yaml'],
    edits: [{ file: 'values.yaml', path: 'server.terminationGracePeriodSeconds' }],
    hover: [
      { file: 'values.yaml', path: 'server.terminationGracePeriodSeconds' },
      { file: 'ci/ha-autoscaling-values.yaml', path: 'server.autoscaling.minReplicas' },
    ],
    completion: [
      { file: 'values.yaml', path: 'server.terminationGracePeriodSeconds', at: 'key' },
      { file: 'values.yaml', path: 'server.startupProbe.enabled', at: 'value' },
      { file: 'ci/ha-autoscaling-values.yaml', path: 'repoServer.autoscaling.enabled', at: 'key' },
    ],
  },
  {
    name: 'bitnami/postgresql',
    chart: charts.postgresql,
    peerSchema: path.join(charts.postgresql, 'values.schema.json'),
    files: ['values.yaml'],
    edits: [{ file: 'values.yaml', path: 'volumePermissions.enabled' }],
    hover: [{ file: 'values.yaml', path: 'auth.enablePostgresUser' }],
    completion: [
      { file: 'values.yaml', path: 'auth.database', at: 'key' },
      { file: 'values.yaml', path: 'auth.enablePostgresUser', at: 'value' },
    ],
  },
  {
    name: 'bitnami/redis',
    schemaError: true,
    chart: charts.redis,
    peerSchema: path.join(charts.redis, 'values.schema.json'),
    files: ['values.yaml'],
    edits: [{ file: 'values.yaml', path: 'replica.replicaCount' }],
    hover: [{ file: 'values.yaml', path: 'master.count' }],
    completion: [
      { file: 'values.yaml', path: 'master.startupProbe.initialDelaySeconds', at: 'key' },
      { file: 'values.yaml', path: 'master.startupProbe.enabled', at: 'value' },
    ],
  },
  {
    name: 'traefik',
    schemaError: true,
    chart: charts.traefik,
    peerSchema: path.join(charts.traefik, 'values.schema.json'),
    files: ['values.yaml'],
    edits: [{ file: 'values.yaml', path: 'deployment.terminationGracePeriodSeconds' }],
    hover: [{ file: 'values.yaml', path: 'deployment.replicas' }],
    completion: [
      { file: 'values.yaml', path: 'deployment.kind', at: 'key' },
      { file: 'values.yaml', path: 'deployment.enabled', at: 'value' },
    ],
  },
];

/** Offsets of the key and scalar value at a dotted path (numeric segments index lists). Throws when absent. */
export function locate(text, dotted, where = '') {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node = doc.contents;
  let pair;
  for (const seg of dotted.split('.')) {
    if (isMap(node)) {
      pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
      node = pair?.value;
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      pair = undefined;
      node = node.items[Number(seg)];
    } else node = undefined;
    if (node === undefined || (pair === undefined && !isSeq(node) && !isMap(node) && !isScalar(node))) throw new Error(`${where}: no ${dotted} (at ${seg})`);
  }
  if (!pair?.key?.range) throw new Error(`${where}: ${dotted} is not a key`);
  const [keyStart, keyEnd] = pair.key.range;
  const value = isScalar(pair.value) && pair.value.range ? { valueStart: pair.value.range[0], valueEnd: pair.value.range[1] } : {};
  return { keyStart, keyEnd, ...value };
}

/** Settings of yaml-language-server for a case: validation, hover and completion on, the schema on every open file. */
export function peerSettings(kase) {
  return {
    yaml: {
      validate: true,
      completion: true,
      hover: true,
      format: { enable: false },
      schemas: kase.peerSchemas?.() ?? { [pathToFileURL(kase.peerSchema).href]: kase.files.map((f) => pathToFileURL(path.join(kase.chart, f)).href) },
      schemaStore: { enable: false },
      kubernetesCRDStore: { enable: false },
      maxItemsComputed: 5000,
    },
    http: { proxy: '', proxyStrictSSL: false },
    '[yaml]': {},
    editor: { tabSize: 2 },
  };
}

/** Reads a case's files and resolves its edits and positions to offsets. */
export function loadCase(kase) {
  kase.prepare?.();
  const texts = new Map(kase.files.map((f) => [f, readFileSync(path.join(kase.chart, f), 'utf8')]));
  const text = (f) => {
    const t = texts.get(f);
    if (t === undefined) throw new Error(`${kase.name}: ${f} is not among the open files`);
    return t;
  };
  const edits = kase.edits.map((e) => {
    const t = text(e.file);
    const at = locate(t, e.path, `${kase.name} ${e.file}`);
    if (at.valueStart === undefined) throw new Error(`${kase.name}: ${e.path} has no scalar value to edit`);
    const good = t.slice(at.valueStart, at.valueEnd);
    return { ...e, start: at.valueStart, good, bad: BAD_VALUE, badText: t.slice(0, at.valueStart) + BAD_VALUE + t.slice(at.valueEnd) };
  });
  const query = (q) => {
    const at = locate(text(q.file), q.path, `${kase.name} ${q.file}`);
    const offset = q.at === 'value' ? at.valueStart : q.at === 'key' ? at.keyStart : at.keyStart + 1;
    if (offset === undefined) throw new Error(`${kase.name}: ${q.path} has no scalar value`);
    return { ...q, offset, label: `${q.file === kase.files[0] ? '' : `${path.basename(q.file)} `}${q.path.split('.').slice(-2).join('.')}${q.at ? ` (${q.at})` : ''}` };
  };
  const lines = (f) => text(f).split('\n').length - (text(f).endsWith('\n') ? 1 : 0);
  return { ...kase, texts, edits, hover: kase.hover.map(query), completion: kase.completion.map(query), lines: lines(kase.files[0]) };
}
