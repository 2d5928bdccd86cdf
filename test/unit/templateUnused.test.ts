// Every key the template index calls unused in the real charts of test/fixtures/templates, checked against a plain
// text search of the templates (issue 10): a key whose last segment appears as `.name` or `"name"` anywhere in them
// is a suspect false positive. The suspects are listed (test diagnostics). A stricter search, within the chart's own
// templates and its parents' (where `.Values.<key>` can be read from), looks for `.parent.name` or `"name"`: each of
// its hits was reviewed by hand against the templates, and is listed below with the reason it is a true finding.
// bitnami-nginx: common.warnings.resources reads `index $values <computed section>`, a dynamic read of the whole of
// .Values; by the rule in service/templates/README.md it uses no key in particular (a dynamic read below the root
// protects its subtree), so the chart's keys are judged like any other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readChartDir } from '../../server/src/host/chartReader';
import { loadChart, type ChartModel } from '../../server/src/service/chart/chartModel';
import { templateChartOf } from '../../server/src/service/templates/chartTemplates';
import { buildTemplateIndex } from '../../server/src/service/templates/templateIndex';
import { loadChartAt, valuesResolver } from '../../server/src/host/project';
import { chartEnvironments } from '../../server/src/service/chart/environments';
import { checkChart } from '../../server/src/service/check/check';
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';

const ROOT = path.join(__dirname, '../fixtures/templates');

/** Strict-search hits, reviewed: each key is really not read by any template of its chart. */
const REVIEWED: Record<string, Record<string, string>> = {
  'kube-prometheus-stack': {
    'defaultRules.additionalRuleGroupAnnotations.kubelet': 'templates read additionalRuleGroupAnnotations.<group> for alerting groups only; "kubelet" matched a rule name',
    'defaultRules.additionalRuleGroupAnnotations.node': 'as above; "node" matched other strings',
    'prometheusOperator.admissionWebhooks.deployment.serviceAccount.create': 'only .name, .annotations and .automountServiceAccountToken of it are read',
    'prometheusOperator.admissionWebhooks.deployment.service.additionalPorts': 'only prometheus/alertmanager/thanosRuler services read additionalPorts',
    'prometheusOperator.service.additionalPorts': 'as above',
    'prometheusOperator.serviceMonitor.scrapeTimeout': 'the operator ServiceMonitor reads interval, not scrapeTimeout',
    'grafana.imageRenderer.service.appProtocol': 'image-renderer-service.yaml reads imageRenderer.appProtocol, not imageRenderer.service.appProtocol',
    'kube-state-metrics.prometheus.monitor.namespace': 'the ServiceMonitor namespace comes from the kube-state-metrics.namespace helper',
  },
  'bitnami-nginx': {
    'ingress.apiVersion': 'common.capabilities.ingress.apiVersion prints a constant; the value is documented but not read',
  },
  grafana: {
    'imageRenderer.service.appProtocol': 'as in kube-prometheus-stack/charts/grafana',
  },
  'cert-manager': {
    'acmesolver.image.pullPolicy': 'the solver image is passed as --acme-http01-solver-image; its pull policy is not rendered',
  },
};

interface Report {
  unused: string[];
  suspects: string[];
  strict: string[];
}

function unusedKeys(name: string): Report {
  const model = loadChart(readChartDir(path.join(ROOT, name), { displayDir: name }));
  const index = buildTemplateIndex(templateChartOf(model));
  assert.deepEqual(index.problems, [], `${name}: template parse errors`);
  const texts: string[] = [];
  const collect = (m: ChartModel): void => {
    for (const t of m.templates ?? []) texts.push(t.text);
    m.subcharts.forEach(collect);
  };
  collect(model);
  const all = texts.join('\n');
  const report: Report = { unused: [], suspects: [], strict: [] };
  const visit = (v: unknown, rel: (string | number)[], prefix: string[], own: string): void => {
    if (v === null || typeof v !== 'object') return;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) {
      const p = [...rel, k];
      // A subchart's own `global.*` default is judged at `<alias>.global.*` (used by its templates and below only).
      const root = [...prefix, ...p];
      if (index.isUsed(root)) {
        visit(x, p, prefix, own);
        continue;
      }
      if (typeof k === 'number') continue;
      const key = root.join('.');
      report.unused.push(key);
      if (all.includes(`.${k}`) || all.includes(`"${k}"`)) report.suspects.push(key);
      const parent = rel[rel.length - 1];
      if (typeof parent === 'string' && (own.includes(`.${parent}.${k}`) || own.includes(`"${k}"`))) report.strict.push(key);
    }
  };
  const walk = (m: ChartModel, prefix: string[], parents: string): void => {
    const own = parents + (m.templates ?? []).map((t) => t.text).join('\n');
    visit(m.values?.documents[0], [], prefix, own);
    for (const s of m.subcharts) {
      const deps = (m.dependencies ?? []).filter((d) => d.name === s.name);
      walk(s, [...prefix, deps[0]?.alias ?? s.name], own);
    }
  };
  walk(model, [], '');
  return report;
}

for (const name of ['kube-prometheus-stack', 'common', 'bitnami-nginx', 'grafana', 'argo-cd', 'ingress-nginx', 'cert-manager', 'traefik']) {
  test(`${name}: every unused key is checked against a text search of the templates`, (t) => {
    const r = unusedKeys(name);
    t.diagnostic(`${name}: ${r.unused.length} unused keys, ${r.suspects.length} suspects by the last-segment search, ${r.strict.length} by the strict search`);
    for (const s of r.suspects) t.diagnostic(`  suspect: ${s}`);
    assert.deepEqual(r.strict.sort(), Object.keys(REVIEWED[name] ?? {}).sort(), 'strict-search suspects: review each new one against the templates');
  });
}

// `check` reports helm.unused-key for exactly the keys the index calls unused (the highest of each unused subtree),
// once each, whatever the number of environments.
for (const name of ['kube-prometheus-stack', 'bitnami-nginx', 'grafana', 'argo-cd', 'cert-manager', 'traefik']) {
  test(`${name}: check's helm.unused-key findings are the index's verdict`, () => {
    const dir = path.join(ROOT, name);
    const chart = loadChartAt(dir, name);
    const { environments } = chartEnvironments(chart.model, []);
    const { findings } = checkChart({ model: chart.model, environments, resolveValues: valuesResolver(chart, dir, name), helmVersion: NEWEST_RELEASE[4], documents: chart.documents, compareVersions: false });
    const reported = findings.filter((f) => f.code === 'helm.unused-key').map((f) => f.message.slice(0, f.message.indexOf(':')));
    assert.equal(new Set(reported).size, reported.length, 'each unused key once');
    assert.ok(findings.filter((f) => f.code === 'helm.unused-key').every((f) => f.severity === 'hint' && !/\[environments?:/.test(f.message)));
    assert.deepEqual(reported.sort(), unusedKeys(name).unused.sort());
  });
}
