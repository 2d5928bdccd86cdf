// (d) GitOps discovery (issue 9): a generated workspace of 2,000 YAML files (charts, Argo CD Applications and
// ApplicationSets, Flux HelmReleases with kustomize overlays, helmfiles, and plain Kubernetes manifests that are not
// deployments, in the proportions of a platform repository), discovered by a fresh process each time ("cold": the
// code is not yet compiled by V8; the files are in the OS page cache, as in an editor that just opened the folder).
// Target: <= 1 s. Also the same discovery repeated in that process (warm) for scale.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { enginePath } from './build.mjs';
import { stats } from './stats.mjs';

/** Writes the workspace; returns its root and how many YAML files it holds. */
export function generateWorkspace(total = 2000) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hv-bench-gitops-'));
  let n = 0;
  const write = (rel, text) => {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    if (/\.ya?ml(\.gotmpl)?$/.test(rel)) n++;
  };
  const charts = 40;
  for (let c = 0; c < charts; c++) {
    write(`charts/svc${c}/Chart.yaml`, `apiVersion: v2\nname: svc${c}\nversion: 1.0.${c}\n`);
    write(`charts/svc${c}/values.yaml`, Array.from({ length: 60 }, (_, i) => `key${i}:\n  enabled: true\n  replicas: ${i}\n  image: {repository: r/${i}, tag: "1.${i}"}\n`).join(''));
    for (const env of ['dev', 'staging', 'prod']) write(`charts/svc${c}/values-${env}.yaml`, `key1:\n  replicas: 3\nkey2:\n  enabled: false\n`);
    for (let t = 0; t < 6; t++) write(`charts/svc${c}/templates/t${t}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-${t}\ndata:\n  a: {{ .Values.key1.replicas | quote }}\n`);
  }
  for (let a = 0; a < 240; a++) {
    const c = a % charts;
    write(
      `apps/${['dev', 'staging', 'prod'][a % 3]}/app${a}.yaml`,
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app${a}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://git.example.com/platform.git\n    targetRevision: main\n    path: charts/svc${c}\n    helm:\n      valueFiles:\n        - values-${['dev', 'staging', 'prod'][a % 3]}.yaml\n      valuesObject:\n        key3:\n          replicas: ${a}\n      parameters:\n        - name: key4.image.tag\n          value: "2.${a}"\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ns${a}\n`,
    );
  }
  for (let s = 0; s < 20; s++) {
    write(`appsets/set${s}.yaml`, `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: set${s}\nspec:\n  generators:\n    - list:\n        elements:\n          - env: dev\n          - env: prod\n  template:\n    metadata:\n      name: 'set${s}-{{env}}'\n    spec:\n      project: default\n      source:\n        repoURL: https://git.example.com/platform.git\n        path: charts/svc${s}\n        helm:\n          valueFiles: ['values-{{env}}.yaml']\n      destination:\n        server: https://kubernetes.default.svc\n`);
  }
  for (let f = 0; f < 60; f++) {
    write(`flux/base/rel${f}/kustomization.yaml`, `resources: [release.yaml]\n`);
    write(`flux/base/rel${f}/release.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: rel${f}\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/svc${f % charts}\n      sourceRef:\n        kind: GitRepository\n        name: platform\n  values:\n    key5:\n      replicas: 1\n`);
    for (const env of ['staging', 'prod']) {
      write(`flux/${env}/rel${f}/kustomization.yaml`, `resources: [../../base/rel${f}]\npatches:\n  - path: patch.yaml\n`);
      write(`flux/${env}/rel${f}/patch.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: rel${f}\nspec:\n  values:\n    key5:\n      replicas: 3\n`);
    }
  }
  write('flux/base/repo.yaml', `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: platform\nspec:\n  url: https://git.example.com/platform.git\n`);
  for (let h = 0; h < 20; h++) {
    write(`helmfiles/h${h}/helmfile.yaml`, `environments:\n  dev: {}\n  prod: {}\n---\nreleases:\n  - name: web${h}\n    chart: ../../charts/svc${h % charts}\n    values:\n      - values/{{ .Environment.Name }}.yaml\n      - key6:\n          replicas: 2\n    set:\n      - name: key7.image.tag\n        value: "3.${h}"\n`);
    for (const env of ['dev', 'prod']) write(`helmfiles/h${h}/values/${env}.yaml`, `key8:\n  enabled: true\n`);
  }
  // The rest: Kubernetes manifests that deploy nothing (Deployments, Services, ConfigMaps), as most of a repository is.
  for (let k = 0; n < total; k++) {
    write(`k8s/team${k % 25}/m${k}.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${k}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.${k % 30}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s${k}\nspec:\n  ports: [{port: 80}]\n`);
  }
  return { root, files: n };
}

const CHILD = `
const { discoverWorkspace } = require(process.argv[1]);
const t0 = performance.now();
const r = discoverWorkspace(process.argv[2], { env: {} });
const cold = performance.now() - t0;
const warm = [];
for (let i = 0; i < 3; i++) { const t = performance.now(); discoverWorkspace(process.argv[2], { env: {} }); warm.push(performance.now() - t); }
process.stdout.write(JSON.stringify({ cold, warm, files: r.files, environments: r.discovery.environments.length, findings: r.discovery.findings.length }));
`;

export function runDiscovery(o, log) {
  const { root, files } = generateWorkspace(2000);
  log(`discovery: ${files} YAML files generated in ${root}`);
  try {
    const reps = o.quick ? 3 : 10;
    const samples = [];
    for (let i = 0; i < reps; i++) {
      const r = spawnSync(process.execPath, ['-e', CHILD, enginePath, root], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`discovery child failed: ${r.stderr}`);
      samples.push(JSON.parse(r.stdout));
    }
    const first = samples[0];
    log(`discovery: ${first.environments} environments, ${first.findings} findings over ${first.files} listed files`);
    return {
      files,
      listed: first.files,
      environments: first.environments,
      findings: first.findings,
      rows: [
        { name: 'discovery, cold (fresh process, first run)', ...stats(samples.map((s) => s.cold)), target: 'discovery' },
        { name: 'discovery, warm (same process, runs 2-4)', ...stats(samples.flatMap((s) => s.warm)) },
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
