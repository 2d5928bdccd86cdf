// template.undefined-value against the guards Helm's evaluation makes safe, each from a real chart's template line
// (the charts under test/fixtures/templates/), and the negatives: an unguarded reference whose value is rendered is
// still reported. Each expected finding is `file:line:column .Values.path`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisOf, dedent, parseFixture } from './fixture';

function undefinedValues(templates: string, values = 'defined: 1\n'): string[] {
  const fixture = `#- /chart/Chart.yaml\nname: app\n#- /chart/values.yaml\n${values}#- /chart/templates/t.yaml\n${dedent(templates)}`;
  return analysisOf(parseFixture(fixture).files)
    .findings()
    .filter((f) => f.code === 'template.undefined-value')
    .map((f) => `${f.file.replace('/chart/', '')}:${f.line}:${f.column} ${f.message.split(' ')[0]}`);
}

test('default A B inside `if or A B`: one of them is set, the result is never empty (kube-state-metrics, grafana)', () => {
  // kube-state-metrics templates/servicemonitor.yaml:43-44; grafana templates/_pod.tpl:167-169.
  assert.deepEqual(
    undefinedValues(`
    {{- if or .Values.prometheus.monitor.http.interval .Values.prometheus.monitor.interval }}
      interval: {{ .Values.prometheus.monitor.http.interval | default .Values.prometheus.monitor.interval }}
    {{- end }}
    {{- if or .Values.sidecar.logLevel .Values.sidecar.alerts.logLevel }}
        value: {{ default .Values.sidecar.logLevel .Values.sidecar.alerts.logLevel }}
    {{- end }}
    `),
    [],
  );
  // kube-prometheus-stack templates/prometheus/servicemonitor.yaml:66-67: the second alternative is a range element.
  assert.deepEqual(
    undefinedValues(`
    {{- range .Values.prometheus.serviceMonitor.additionalEndpoints }}
    {{- if or $.Values.prometheus.serviceMonitor.proxyUrl .proxyUrl }}
        proxyUrl: {{ default $.Values.prometheus.serviceMonitor.proxyUrl .proxyUrl }}
    {{- end }}
    {{- end }}
    `),
    [],
  );
});

test('negative: `if or A B` guards neither A alone nor a default that leaves one of them out', () => {
  assert.deepEqual(
    undefinedValues(`
    {{- if or .Values.a .Values.b }}
    x: {{ .Values.a }}
    y: {{ default .Values.a .Values.c }}
    z: {{ or .Values.a .Values.b }}
    {{- end }}
    w: {{ default .Values.nope .Values.defined }}
    `),
    ['templates/t.yaml:2:7 .Values.a', 'templates/t.yaml:3:15 .Values.a', 'templates/t.yaml:6:15 .Values.nope'],
  );
});

test('ternary A B (kindIs "bool" A): A is picked only when it is a bool; a value only tested renders nothing (grafana)', () => {
  // grafana templates/_pod.tpl:183-187.
  assert.deepEqual(
    undefinedValues(`
    {{- $skipTlsVerify := ternary .Values.sidecar.alerts.skipTlsVerify .Values.sidecar.skipTlsVerify (kindIs "bool" .Values.sidecar.alerts.skipTlsVerify) }}
    {{- if $skipTlsVerify }}
    - name: SKIP_TLS_VERIFY
      value: "true"
    {{- end }}
    `),
    [],
  );
});

test('negative: the side of a ternary the test does not prove, when rendered, is reported', () => {
  assert.deepEqual(
    undefinedValues(`
    a: {{ ternary .Values.nope "b" .Values.flag }}
    b: {{ ternary .Values.x .Values.y (kindIs "bool" .Values.x) }}
    c: {{ ternary .Values.z "t" (kindIs "invalid" .Values.z) }}
    d: {{ ternary "t" .Values.w (kindIs "invalid" .Values.w) }}
    `),
    // d: the value is picked only when it is not nil.
    ['templates/t.yaml:1:15 .Values.nope', 'templates/t.yaml:2:25 .Values.y', 'templates/t.yaml:3:15 .Values.z'],
  );
});

test('not (empty X) proves X (grafana, ingress-nginx, kube-state-metrics)', () => {
  // grafana templates/service.yaml:65-66; ingress-nginx templates/controller-service-metrics.yaml:38-40;
  // kube-state-metrics templates/service.yaml:38-39.
  assert.deepEqual(
    undefinedValues(`
    {{- if (and (eq .Values.service.type "NodePort") (not (empty .Values.service.nodePort))) }}
      nodePort: {{ .Values.service.nodePort }}
    {{- end }}
    {{- $setNodePorts := (or (eq .Values.controller.metrics.service.type "NodePort") (eq .Values.controller.metrics.service.type "LoadBalancer")) }}
    {{- if (and $setNodePorts (not (empty .Values.controller.metrics.service.nodePort))) }}
      nodePort: {{ .Values.controller.metrics.service.nodePort }}
    {{- end }}
    {{- if and (not .Values.autosharding.enabled) (eq .Values.service.type "NodePort") (not (empty .Values.selfMonitor.telemetryNodePort)) }}
      nodePort: {{ .Values.selfMonitor.telemetryNodePort }}
    {{- end }}
    `),
    [],
  );
});

test('negative: `if empty X` and `if not X` do not prove X in their body; `if X` does not in its else', () => {
  assert.deepEqual(
    undefinedValues(`
    {{- if empty .Values.a }}a: {{ .Values.a }}{{ end }}
    {{- if not .Values.b }}b: {{ .Values.b }}{{ end }}
    {{- if .Values.c }}{{ else }}c: {{ .Values.c }}{{ end }}
    `),
    ['templates/t.yaml:1:32 .Values.a', 'templates/t.yaml:2:30 .Values.b', 'templates/t.yaml:3:36 .Values.c'],
  );
});

test('the else of `if not X` proves X (kube-state-metrics)', () => {
  // kube-state-metrics templates/rolebinding.yaml:14-18.
  assert.deepEqual(
    undefinedValues(`
    {{- if (not $.Values.rbac.useExistingRole) }}
      name: app
    {{- else }}
      name: {{ $.Values.rbac.useExistingRole }}
    {{- end }}
    `),
    [],
  );
});

test('not (has (quote X) (list "" (quote ""))) proves X: quote of nil is "" (cert-manager)', () => {
  // cert-manager templates/deployment.yaml:19-20.
  assert.deepEqual(
    undefinedValues(`
      {{- if not (has (quote .Values.global.revisionHistoryLimit) (list "" (quote ""))) }}
      revisionHistoryLimit: {{ .Values.global.revisionHistoryLimit }}
      {{- end }}
    `),
    [],
  );
  // Without quote, `has nil (list "")` is false: nothing is proven.
  assert.deepEqual(
    undefinedValues(`
    {{- if not (has .Values.nope (list "")) }}x: {{ .Values.nope }}{{ end }}
    `),
    ['templates/t.yaml:1:49 .Values.nope'],
  );
});

test('a value only compared or only tested is not rendered (argo-cd, cert-manager)', () => {
  // argo-cd templates/argocd-server/ingress.yaml:2-3 and templates/_helpers.tpl:238 (the fallback of a default, made
  // an int and compared).
  assert.deepEqual(
    undefinedValues(
      `
    {{- $insecure := index .Values.configs.params "server.insecure" | toString -}}
    {{- $servicePort := eq $insecure "true" | ternary .Values.server.service.servicePortHttp .Values.server.service.servicePortHttps -}}
    port: {{ $servicePort }}
    {{- $_ := set .Values.presets "leader.election" (gt ((.Values.applicationSet.replicas | default .Values.applicationSet.replicaCount) | int64) 1) -}}
    `,
      'configs:\n  params: {}\nserver:\n  service:\n    servicePortHttp: 80\n    servicePortHttps: 443\napplicationSet:\n  replicas: 1\npresets: {}\n',
    ),
    [],
  );
  // cert-manager templates/webhook-deployment.yaml:110-111: a variable used only as the receiver of tested fields.
  assert.deepEqual(
    undefinedValues(
      `
    {{- $config := .Values.webhook.config -}}
    {{- $tlsConfig := default $config.tlsConfig "" }}
    {{ if or (not $config.tlsConfig) (and (not $tlsConfig.dynamic) (not $tlsConfig.filesystem) ) -}}
    - --dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)
    {{- end }}
    `,
      'webhook:\n  config: {}\n',
    ),
    [],
  );
});

test('negative: a value that is also rendered, or rendered through toString/quote/int/upper, is reported', () => {
  assert.deepEqual(
    undefinedValues(`
    {{- $v := .Values.a }}
    {{- if eq $v "x" }}x{{ end }}
    v: {{ $v | upper }}
    {{- $s := .Values.b | toString }}
    s: {{ $s }}
    q: {{ .Values.c | quote }} {{ .Values.d | int }}
    n: {{ .Values.nope.x }}
    `),
    ['templates/t.yaml:1:11 .Values.a', 'templates/t.yaml:4:11 .Values.b', 'templates/t.yaml:6:7 .Values.c', 'templates/t.yaml:6:31 .Values.d', 'templates/t.yaml:7:7 .Values.nope.x'],
  );
});

test('(x).y is nil-safe: the receiver x is not rendered, only the full reference is judged (kube-prometheus-stack)', () => {
  // kube-prometheus-stack templates/prometheus-operator/deployment.yaml:101.
  assert.deepEqual(
    undefinedValues(
      `
    - --config-reloader-cpu-request={{ (((.Values.prometheusOperator.prometheusConfigReloader.resources).requests).cpu) | default 0 }}
    `,
      'prometheusOperator:\n  prometheusConfigReloader:\n    resources: {}\n',
    ),
    [],
  );
  // Negative: the full reference, rendered and unguarded, is reported (once, not its receiver).
  assert.deepEqual(undefinedValues(`x: {{ (.Values.nope).x }}\n`), ['templates/t.yaml:1:7 .Values.nope.x']);
});

test('index (list a b c) 1 is the second item, not any of them (kube-prometheus-stack)', () => {
  // kube-prometheus-stack templates/_helpers.tpl:260-272 reached from exporters/kube-controller-manager/endpoints.yaml:20.
  const templates = `
  {{- define "kubeVersion" -}}
    {{- default .Capabilities.KubeVersion.Version .Values.kubeVersionOverride -}}
  {{- end -}}
  {{- define "kubeVersionDefaultValue" -}}
    {{- $values := index . 0 -}}
    {{- $default := index . 2 -}}
    {{- if kindIs "invalid" $default -}}
      {{- include "kubeVersion" $values -}}
    {{- else -}}
      {{- print $default }}
    {{- end -}}
  {{- end -}}
  port: {{ include "kubeVersionDefaultValue" (list . 10252 .Values.kubeControllerManager.service.port) }}
  `;
  assert.deepEqual(undefinedValues(templates, 'kubeVersionOverride: ""\nkubeControllerManager:\n  service:\n    port: null\n'), []);
  // Negative: the item picked by position, rendered and undefined, is reported.
  assert.deepEqual(undefinedValues(`x: {{ index (list 1 .Values.nope) 1 }}\n`), ['templates/t.yaml:1:21 .Values.nope']);
});

test('guards that were already seen stay: (x).y in an if, hasKey, with, dig, a define guarded at its call site', () => {
  assert.deepEqual(
    undefinedValues(`
    {{- define "t.port" }}{{ .Values.svc.port }}{{ end }}
    {{- if (.Values.a).b }}a: {{ .Values.a.b.c }}{{ end }}
    {{- if hasKey .Values.x "k" }}k: {{ .Values.x.k }}{{ end }}
    {{- with .Values.w }}w: {{ .v }}{{ end }}
    d: {{ dig "p" "q" "none" .Values.m }}
    {{- if .Values.svc }}p: {{ include "t.port" . }}{{ end }}
    `),
    [],
  );
});
