// Contract of `helm-values check` on a chart with templates (issue 10), on the built CLI: helm.unused-key (hint, once
// per chart whatever the environments), helm.unknown-key "has no effect", template.undefined-value (warning, in the
// template file at the reference), template.required-missing (error, naming the environments; exit 1), and
// helm.float-rendering only for values a template prints as text. A chart without templates: none of these.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chartYaml, cli, type CliFinding, json, show, tempDir, writeTree } from './cliUtil';

const root = tempDir('hv-tplcheck-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

const CODES = new Set(['helm.unused-key', 'helm.unknown-key', 'helm.float-rendering', 'template.undefined-value', 'template.required-missing']);

function check(chart: string): { status: number; findings: string[] } {
  const r = cli(['check', chart, '-o', 'json'], root);
  const out = json<{ findings: CliFinding[] }>(r, show(r));
  return { status: r.code ?? -1, findings: out.findings.filter((f) => CODES.has(f.code)).map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.code} ${f.message}`) };
}

const values = 'image:\n  tag: "1.0"\n  digest: ""\nhost: ""\nreplicas: 1000000\nbig: 2000000\n';
writeTree(path.join(root, 'app'), {
  'Chart.yaml': chartYaml('app'),
  'values.yaml': values,
  'values-prod.yaml': 'host: prod.example.com\nimage:\n  tag: "2.0"\n  tga: x\n',
  'values-dev.yaml': 'image:\n  tag: dev\n',
  'templates/deployment.yaml': 'image: {{ .Values.image.tag }}\nhost: {{ required "host!" .Values.host }}\nreplicas: {{ .Values.replicas }}\nbig: {{ int .Values.big }}\nextra: {{ .Values.extra.name }}\n',
});
writeTree(path.join(root, 'plain'), { 'Chart.yaml': chartYaml('plain'), 'values.yaml': values, 'values-prod.yaml': 'image:\n  tga: x\n' });

test('check with templates: the new codes, unused once per chart, required-missing per environment (exit 1)', () => {
  const { status, findings } = check('app');
  assert.equal(status, 1);
  assert.deepEqual(findings, [
    'app/templates/deployment.yaml:2:27 error template.required-missing required .Values.host is "" here: helm fails to render this environment [environments: dev, default]',
    'app/templates/deployment.yaml:5:11 warning template.undefined-value .Values.extra.name is not defined by any values layer of any environment, and no if/with/default/hasKey guards it: it renders empty',
    'app/values-prod.yaml:4:3 warning helm.unknown-key image.tga has no effect: no template reads it (did you mean "tag"?) [environment: prod]',
    'app/values.yaml:3:3 hint helm.unused-key image.digest: no template of the chart reads this key; it has no effect',
    'app/values.yaml:5:11 info helm.float-rendering 1000000 reaches templates as a float64 and renders as 1e+06 in {{ .Values... }}; quote it, or pipe it through int in the template.',
  ]);
});

test('check without templates: as before (no template codes, every float, the declared-keys unknown-key)', () => {
  const { findings } = check('plain');
  assert.deepEqual(
    findings.map((f) => f.split(' ').slice(0, 3).join(' ')),
    ['plain/values-prod.yaml:2:3 warning helm.unknown-key', 'plain/values.yaml:5:11 info helm.float-rendering', 'plain/values.yaml:6:6 info helm.float-rendering'],
  );
});
