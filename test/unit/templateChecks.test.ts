// The findings and features that read the chart's templates (issue 10), as data: a chart written inline with its
// templates; each expected finding is `file:line:column severity[code] message`, as `check` reports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysisAtCursor, analysisOf, dedent, parseFixture } from './fixture';
import type { Finding } from '../../server/src/service/types';
import { computeHover } from '../../server/src/service/features/hover';
import { computeReferences } from '../../server/src/service/features/navigation';
import { computeCodeLenses, computeInlayHints } from '../../server/src/service/features/inlayHints';
import { toDiagnostic } from '../../server/src/lsp/conversions';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';

const CODES = new Set(['helm.unused-key', 'helm.unknown-key', 'helm.float-rendering', 'template.undefined-value', 'template.required-missing']);

function show(f: Finding): string {
  return `${f.file.replace('/chart/', '')}:${f.line}:${f.column} ${f.severity}[${f.code}] ${f.message}`;
}

function findings(fixture: string): string[] {
  return analysisOf(parseFixture(dedent(fixture)).files)
    .findings()
    .filter((f) => CODES.has(f.code))
    .map(show);
}

function checkFindings(fixture: string, expected: string[]): void {
  assert.deepEqual(findings(fixture), expected);
}

test('helm.unused-key: a chart default no template reads, once per chart (not per environment), at the highest key', () => {
  checkFindings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    image:
      tag: "1.0"
      digest: ""
    old:
      a: 1
      b: 2
    #- /chart/values-prod.yaml
    image:
      tag: "2.0"
    #- /chart/values-dev.yaml
    image:
      tag: dev
    #- /chart/templates/deployment.yaml
    image: {{ .Values.image.tag }}
    `,
    ['values.yaml:3:3 hint[helm.unused-key] image.digest: no template of the chart reads this key; it has no effect', 'values.yaml:4:1 hint[helm.unused-key] old: no template of the chart reads this key; it has no effect'],
  );
});

test('helm.unused-key: a parent template reading .Values.sub.x uses the subchart key x; a subtree read uses every key below', () => {
  checkFindings(`
    #- /chart/Chart.yaml
    name: app
    dependencies:
      - name: sub
        version: 1.0.0
    #- /chart/values.yaml
    config:
      a: 1
    #- /chart/templates/cm.yaml
    data: {{ toYaml .Values.config }}
    port: {{ .Values.sub.port }}
    #- /chart/charts/sub/Chart.yaml
    name: sub
    version: 1.0.0
    #- /chart/charts/sub/values.yaml
    port: 80
    host: x
    #- /chart/charts/sub/templates/svc.yaml
    kind: Service
    `,
    ['charts/sub/values.yaml:2:1 hint[helm.unused-key] sub.host: no template of the chart reads this key; it has no effect'],
  );
});

test('a dynamic read of the whole of .Values does not use every key; below the root it protects the subtree', () => {
  checkFindings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    sections: [a]
    extra:
      x: 1
    cfg:
      y: 2
    #- /chart/templates/t.yaml
    {{ range .Values.sections }}{{ index $.Values . }}{{ end }}
    {{ index .Values.cfg $.Values.sections }}
    `,
    ['values.yaml:2:1 hint[helm.unused-key] extra: no template of the chart reads this key; it has no effect'],
  );
});

test('helm.unknown-key with templates: "has no effect" for an overlay key no template reads; none for a read key values.yaml lacks', () => {
  checkFindings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    image:
      tag: "1.0"
    #- /chart/values-prod.yaml
    image:
      tag: "2.0"
      registry: quay.io
      tga: x
    #- /chart/templates/deployment.yaml
    image: {{ with .Values.image.registry }}{{ . }}/{{ end }}{{ .Values.image.tag }}
    `,
    ['values-prod.yaml:4:3 warning[helm.unknown-key] image.tga has no effect: no template reads it (did you mean "tag"?) [environment: prod]'],
  );
});

test('charts without templates keep the unknown-key message and every float-rendering warning', () => {
  const out = findings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    image:
      tag: "1.0"
    replicas: 1000000
    #- /chart/values-prod.yaml
    image:
      tga: x
    `);
  assert.deepEqual(out, ['values-prod.yaml:2:3 warning[helm.unknown-key] "tga" is not a key of image in values.yaml (did you mean "tag"?) [environment: prod]', 'values.yaml:3:11 info[helm.float-rendering] 1000000 reaches templates as a float64 and renders as 1e+06 in {{ .Values... }}; quote it, or pipe it through int in the template.']);
});

test('helm.float-rendering only where a template prints the value as text (directly, quote, toString), not under int or toYaml', () => {
  const out = findings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    direct: 1000000
    quoted: 2000000
    str: 3000000
    asInt: 4000000
    yaml: 5000000
    #- /chart/templates/t.yaml
    a: {{ .Values.direct }}
    b: {{ .Values.quoted | quote }}
    c: {{ toString .Values.str }}
    d: {{ int .Values.asInt }}
    e: {{ toYaml .Values.yaml }}
    `);
  assert.deepEqual(
    out.map((f) => f.split(' ')[0]),
    ['values.yaml:1:9', 'values.yaml:2:9', 'values.yaml:3:6'],
  );
  assert.ok(out.every((f) => f.includes('[helm.float-rendering]')),
  );
});

test('template.undefined-value: a reference no layer of any environment defines and nothing guards', () => {
  checkFindings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    a: 1
    empty: null
    #- /chart/values-prod.yaml
    onlyProd: x
    #- /chart/templates/t.yaml
    a: {{ .Values.a }} {{ .Values.onlyProd }} {{ .Values.empty }}
    b: {{ .Values.missing }}
    {{- if .Values.flag }}c: {{ .Values.flag }}{{ end }}
    d: {{ .Values.other | default "x" }}
    {{- with .Values.opt }}e: {{ .x }}{{ end }}
    `,
    ['templates/t.yaml:2:7 warning[template.undefined-value] .Values.missing is not defined by any values layer of any environment, and no if/with/default/hasKey guards it: it renders empty'],
  );
});

test('template.required-missing: an error at the reference, naming the environments where it is nil or ""', () => {
  checkFindings(`
    #- /chart/Chart.yaml
    name: app
    #- /chart/values.yaml
    host: ""
    db: {}
    a: 1
    #- /chart/values-prod.yaml
    host: prod.example.com
    #- /chart/values-dev.yaml
    a: 2
    #- /chart/templates/t.yaml
    host: {{ required "host is required" .Values.host }}
    {{- if .Values.a }}{{ required "only when a" .Values.db.user }}{{ end }}
    `,
    ['templates/t.yaml:1:38 error[template.required-missing] required .Values.host is "" here: helm fails to render this environment [environments: dev, default]'],
  );
});

// The `$0` is in values.yaml: the `text` of analysisAtCursor below is that file.
const CHART = `
#- /chart/Chart.yaml
name: app
#- /chart/values.yaml
image:
  tag: "1.0"$0
unusedKey: 1
#- /chart/templates/_helpers.tpl
{{ define "app.image" }}{{ .Values.image.tag }}{{ end }}
#- /chart/templates/deployment.yaml
kind: Deployment
image: {{ include "app.image" . }}
tag: {{ .Values.image.tag }}
`;

test('hover on a values key lists the templates that read it (a define by the call that reaches it); "unused" otherwise', () => {
  const { analysis: a, file, offset, text } = analysisAtCursor(dedent(CHART));
  const h = computeHover(a, file, offset, {});
  assert.match(h?.markdown ?? '', /Read by `templates\/deployment\.yaml:2` via `templates\/_helpers\.tpl:1`, `templates\/deployment\.yaml:3`/);
  const u = computeHover(a, '/chart/values.yaml', text.indexOf('unusedKey') + 1, {});
  assert.match(u?.markdown ?? '', /\*\*Unused\*\*: no template of the chart reads this key/);
});

test('references of a values key include the template locations', () => {
  const { analysis: a, files, text: values } = analysisAtCursor(dedent(CHART));
  const refs = computeReferences(a, '/chart/values.yaml', values.indexOf('tag') + 1);
  const shown = refs.map((r) => `${r.file.replace('/chart/', '')} ${JSON.stringify((files.get(r.file) ?? '').slice(r.start, r.end))}`);
  assert.deepEqual(shown, ['values.yaml "tag"', 'templates/_helpers.tpl ".Values.image.tag"', 'templates/deployment.yaml ".Values.image.tag"']);
});

test('"unused" inlay hint and code lens where nothing reads a key', () => {
  const { analysis: a, text } = analysisAtCursor(dedent(CHART));
  const hints = computeInlayHints(a, '/chart/values.yaml', 0, text.length, {}).filter((h) => h.label === 'unused');
  assert.deepEqual(hints.map((h) => text.slice(0, h.offset).split('\n').length), [3]);
  const lenses = computeCodeLenses(a, '/chart/values.yaml', {}).filter((l) => l.title.startsWith('unused'));
  assert.deepEqual(lenses.map((l) => text.slice(l.offset, l.offset + 9)), ['unusedKey']);
});

test('LSP: helm.unused-key is tagged Unnecessary (shown faded); other findings are not', () => {
  const f: Finding = { file: '/chart/values.yaml', line: 2, column: 1, endLine: 2, endColumn: 4, severity: 'hint', code: 'helm.unused-key', message: 'x' };
  assert.deepEqual(toDiagnostic(f).tags, [DiagnosticTag.Unnecessary]);
  assert.equal(toDiagnostic(f).severity, DiagnosticSeverity.Hint);
  assert.equal(toDiagnostic({ ...f, code: 'helm.unknown-key', severity: 'warning' }).tags, undefined);
});

// Globals flow down only (helm-semantics B6): a subchart's own `global.*` default is seen by its templates and those of
// the charts below it, never by the parent's; the root's `global.*` reaches every chart. The finding and the hover in
// the values file agree.
function globalsChart(parent: string, sub: string, inner: string): string {
  return `
  #- /chart/Chart.yaml
  name: app
  dependencies:
    - name: redis
      version: 1.0.0
      alias: cache
  #- /chart/values.yaml
  global:
    x: root
    w: root
  #- /chart/templates/parent.yaml
  ${parent}
  #- /chart/charts/redis/Chart.yaml
  name: redis
  version: 1.0.0
  #- /chart/charts/redis/values.yaml
  global:
    x: sub
    v: sub
  #- /chart/charts/redis/templates/sub.yaml
  ${sub}
  #- /chart/charts/redis/charts/inner/Chart.yaml
  name: inner
  version: 1.0.0
  #- /chart/charts/redis/charts/inner/values.yaml
  global:
    z: inner
  #- /chart/charts/redis/charts/inner/templates/inner.yaml
  ${inner}
  `;
}

/** helm.unused-key findings (file:line name) and the hover's templates section of each `global` key of each values.yaml. */
function globalsVerdicts(fixture: string): { unused: string[]; hovers: Record<string, string> } {
  const fx = parseFixture(dedent(fixture));
  const a = analysisOf(fx.files);
  const unused = a
    .findings()
    .filter((f) => f.code === 'helm.unused-key')
    .map((f) => `${f.file.replace('/chart/', '')}:${f.line} ${f.message.slice(0, f.message.indexOf(':'))}`);
  const hovers: Record<string, string> = {};
  for (const [file, key] of [['/chart/values.yaml', 'x'], ['/chart/values.yaml', 'w'], ['/chart/charts/redis/values.yaml', 'x'], ['/chart/charts/redis/values.yaml', 'v'], ['/chart/charts/redis/charts/inner/values.yaml', 'z']] as const) {
    const text = fx.files.get(file) ?? '';
    const md = computeHover(a, file, text.indexOf(`  ${key}:`) + 2, {})?.markdown ?? '';
    const section = md.split('\n\n---\n\n').find((s) => s.startsWith('Read by') || s.startsWith('**Unused**') || s.startsWith('Templates read')) ?? '(none)';
    hovers[`${file.replace('/chart/', '')} ${key}`] = section.startsWith('**Unused**') ? 'Unused' : section;
  }
  return { unused, hovers };
}

test('globals flow down: a subchart\'s global default is used only by its templates and those below it; the hover agrees', () => {
  // The parent reads global.x and global.w only; the subchart reads global.v; the inner chart reads nothing.
  const parentOnly = globalsVerdicts(globalsChart('a: {{ .Values.global.x }}{{ .Values.global.w }}', 'b: {{ .Values.global.v }}', 'kind: Inner'));
  assert.deepEqual(parentOnly.unused.sort(), [
    'charts/redis/charts/inner/values.yaml:1 cache.inner.global',
    'charts/redis/values.yaml:2 cache.global.x',
  ]);
  assert.deepEqual(parentOnly.hovers, {
    'values.yaml x': 'Read by `templates/parent.yaml:1`',
    'values.yaml w': 'Read by `templates/parent.yaml:1`',
    'charts/redis/values.yaml x': 'Unused',
    'charts/redis/values.yaml v': 'Read by `charts/redis/templates/sub.yaml:1`',
    'charts/redis/charts/inner/values.yaml z': 'Unused',
  });

  // The subchart reads global.x too: its default is used (by it, not by the parent's read); the inner chart reads
  // global.z and global.v: its own z default, and the subchart's v (a chart above it), are used by it.
  const subReads = globalsVerdicts(globalsChart('a: {{ .Values.global.x }}', 'b: {{ .Values.global.v }}{{ .Values.global.x | quote }}', 'c: {{ .Values.global.z }}{{ .Values.global.v }}'));
  assert.deepEqual(subReads.unused, ['values.yaml:3 global.w']);
  assert.deepEqual(subReads.hovers, {
    'values.yaml x': 'Read by `charts/redis/templates/sub.yaml:1`, `templates/parent.yaml:1`',
    'values.yaml w': 'Unused',
    'charts/redis/values.yaml x': 'Read by `charts/redis/templates/sub.yaml:1`',
    'charts/redis/values.yaml v': 'Read by `charts/redis/charts/inner/templates/inner.yaml:1`, `charts/redis/templates/sub.yaml:1`',
    'charts/redis/charts/inner/values.yaml z': 'Read by `charts/redis/charts/inner/templates/inner.yaml:1`',
  });
});

test('globals flow down: the root\'s global default is used by a read in any chart; toYaml of a subchart\'s .Values prints them', () => {
  // Only the inner chart reads anything: global.w of the root (and the subchart's global.x via toYaml of its values).
  const deep = globalsVerdicts(globalsChart('kind: Parent', 'kind: Sub', 'c: {{ .Values.global.w }}{{ .Values.global.z }}'));
  // The subchart's `global` map passes global.w down to the inner chart, but its own x and v defaults are read by no one.
  assert.deepEqual(deep.unused.sort(), ['charts/redis/values.yaml:2 cache.global.x', 'charts/redis/values.yaml:3 cache.global.v', 'values.yaml:2 global.x']);
  assert.equal(deep.hovers['values.yaml w'], 'Read by `charts/redis/charts/inner/templates/inner.yaml:1`');
  assert.equal(deep.hovers['values.yaml x'], 'Unused');
  const dump = globalsVerdicts(globalsChart('kind: Parent', 'kind: Sub', 'c: {{ toYaml .Values }}'));
  assert.deepEqual(dump.unused, []);
  assert.equal(dump.hovers['charts/redis/values.yaml x'], 'Read by `charts/redis/charts/inner/templates/inner.yaml:1` (whole subtree)');
});

// What a subchart template's `.Values.global.x` gets is its own view (helm-semantics B6): its values.yaml `global.x`
// under the parents' globals, `<alias>.global.x` in the effective values; a chart below or beside it adds nothing.
const GLOBAL_READS = `
  #- /chart/Chart.yaml
  name: app
  dependencies:
    - name: redis
      version: 1.0.0
      alias: cache
      condition: cache.enabled
  #- /chart/values.yaml
  global:
    region: eu
  cache:
    enabled: true
  #- /chart/values-prod.yaml
  global:
    region: ""
  #- /chart/values-off.yaml
  global:
    region: ""
  cache:
    enabled: false
  #- /chart/templates/app.yaml
  a: {{ .Values.global.region }}
  b: {{ .Values.global.storageClass }}
  #- /chart/charts/redis/Chart.yaml
  name: redis
  version: 1.0.0
  #- /chart/charts/redis/values.yaml
  global:
    storageClass: fast
  #- /chart/charts/redis/templates/pvc.yaml
  c: {{ required "a storage class" .Values.global.storageClass }}
  d: {{ required "a region" .Values.global.region }}
  e: {{ .Values.global.deep }}
  f: {{ .Values.global.storageClass }}
  #- /chart/charts/redis/charts/inner/Chart.yaml
  name: inner
  version: 1.0.0
  #- /chart/charts/redis/charts/inner/values.yaml
  global:
    deep: inner
  #- /chart/charts/redis/charts/inner/templates/inner.yaml
  g: {{ .Values.global.deep }}{{ .Values.global.storageClass }}
`;

test('template.required-missing: a subchart\'s global is its own view (its default counts); a disabled subchart does not render', () => {
  // c: only the subchart's own values.yaml sets global.storageClass, which its templates see: nothing missing.
  // d: the parent's global.region is "" in prod; in `off` it is "" too, but the subchart is disabled there.
  assert.deepEqual(
    findings(GLOBAL_READS).filter((f) => f.includes('required-missing')),
    ['charts/redis/templates/pvc.yaml:2:27 error[template.required-missing] required .Values.global.region is "" here: helm fails to render this environment [environment: prod]'],
  );
});

test('template.undefined-value: a global read is defined by its chart\'s own global default or a parent\'s, never by a chart below', () => {
  // b: the parent reads global.storageClass, which only the subchart sets; e: the subchart reads global.deep, which
  // only the chart below it sets. f and the inner chart's reads are defined (their own default, or the subchart's above).
  assert.deepEqual(findings(GLOBAL_READS).filter((f) => f.includes('undefined-value')), [
    'charts/redis/templates/pvc.yaml:3:7 warning[template.undefined-value] .Values.global.deep is not defined by any values layer of any environment, and no if/with/default/hasKey guards it: it renders empty',
    'templates/app.yaml:2:7 warning[template.undefined-value] .Values.global.storageClass is not defined by any values layer of any environment, and no if/with/default/hasKey guards it: it renders empty',
  ]);
});
