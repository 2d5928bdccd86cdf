// The reference resolver and the template index, one resolution rule at a time. Each case is an in-memory chart
// (template texts, subcharts) and the references it must yield, printed as
// `kind path file:line:col [guarded] [required] [printed=…] [via file:line]` in root coordinates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate } from '../../server/src/service/templates/parser';
import { buildTemplateIndex, formatUsagePath, type TemplateChartInput, type TemplateIndex, type TemplateUsage } from '../../server/src/service/templates/templateIndex';

type Files = Record<string, string>;

function chart(dir: string, files: Files, subcharts: TemplateChartInput['subcharts'] = [], helmReads: TemplateChartInput['helmReads'] = []): TemplateChartInput {
  return { dir, templates: Object.entries(files).map(([p, text]) => ({ path: `${dir}/templates/${p}`, text })), subcharts, helmReads };
}

function show(index: TemplateIndex, u: TemplateUsage): string {
  const flags = [u.guarded ? 'guarded' : '', u.required ? 'required' : '', u.printed ? `printed=${u.printed}` : '', u.via ? `via ${u.via.file}:${u.via.line}` : '']
    .filter((s) => s !== '')
    .join(' ');
  return `${u.kind} ${index.rootPaths(u).map(formatUsagePath).join('|')} ${u.file}:${u.line}:${u.column}${flags ? ` ${flags}` : ''}`;
}

function usages(input: TemplateChartInput): string[] {
  const index = buildTemplateIndex(input);
  assert.deepEqual(index.problems, []);
  return index.usages.map((u) => show(index, u));
}

/** The references of one template `c/templates/t.yaml` (plus helper files). */
function check(text: string, expected: string[], helpers: Files = {}): void {
  assert.deepEqual(usages(chart('c', { 't.yaml': text, ...helpers })), expected, text);
}

test('.Values paths, $.Values, printing', () => {
  check('a: {{ .Values.a.b }}\nb: {{ $.Values.c }}', ['read a.b c/templates/t.yaml:1:7 printed=text', 'read c c/templates/t.yaml:2:7 printed=text']);
  check('{{ .Values.x | quote }}{{ .Values.y | toString }}{{ .Values.z | int }}{{ .Values.w | int64 }}', [
    'read x c/templates/t.yaml:1:4 printed=quote',
    'read y c/templates/t.yaml:1:27 printed=toString',
    'read z c/templates/t.yaml:1:53 printed=int',
    'read w c/templates/t.yaml:1:74 printed=int',
  ]);
  check('{{ printf "%v" .Values.x }}{{ .Values.y | default 1 | quote }}', ['read x c/templates/t.yaml:1:16 printed=text', 'read y c/templates/t.yaml:1:31 guarded printed=quote']);
  // Not a reference: .Release, .Chart, .Capabilities.
  check('{{ .Release.Name }}{{ .Chart.Name }}', []);
});

test('toYaml / toJson / tpl read a whole subtree', () => {
  check('{{ toYaml .Values.res | nindent 2 }}{{ .Values.a | toJson }}{{ tpl .Values.t $ }}', [
    'subtree res c/templates/t.yaml:1:11 printed=yaml',
    'subtree a c/templates/t.yaml:1:40 printed=json',
    'subtree t c/templates/t.yaml:1:68',
  ]);
  check('{{ toYaml .Values }}', ['subtree  c/templates/t.yaml:1:4']);
});

test('with and range change the context; range elements are `[]`', () => {
  check('{{ with .Values.a }}{{ .b }}{{ end }}', ['read a c/templates/t.yaml:1:9 guarded', 'read a.b c/templates/t.yaml:1:24 guarded printed=text']);
  check('{{ with .Values.a }}{{ else }}{{ .Values.c }}{{ end }}', ['read a c/templates/t.yaml:1:9 guarded', 'read c c/templates/t.yaml:1:34 printed=text']);
  check('{{ range .Values.list }}{{ .name }}{{ end }}', [
    'read list c/templates/t.yaml:1:10',
    'read list[] c/templates/t.yaml:1:10',
    'read list[].name c/templates/t.yaml:1:28 printed=text',
  ]);
  check('{{ range $k, $v := .Values.env }}{{ $k }}={{ $v }}{{ end }}', [
    'read env c/templates/t.yaml:1:20',
    'read env[] c/templates/t.yaml:1:20 printed=text',
  ]);
  check('{{ range $i, $p := .Values.ports }}{{ $p.port }}{{ $.Values.name }}{{ end }}', [
    'read ports c/templates/t.yaml:1:20',
    'read ports[] c/templates/t.yaml:1:20',
    'read ports[].port c/templates/t.yaml:1:39 printed=text',
    'read name c/templates/t.yaml:1:52 printed=text',
  ]);
});

test('variables, assignment (either value afterwards), set', () => {
  check('{{ $x := .Values.a }}{{ $x.b }}', ['read a c/templates/t.yaml:1:10', 'read a.b c/templates/t.yaml:1:25 printed=text']);
  check('{{ $x := dict }}{{ if .Values.on }}{{ $x = .Values.a }}{{ end }}{{ $x.b }}', [
    'read on c/templates/t.yaml:1:23 guarded',
    'read a c/templates/t.yaml:1:44',
    'read a.b c/templates/t.yaml:1:68 printed=text',
  ]);
  check('{{ $d := dict }}{{ $_ := set $d "k" .Values.a }}{{ $d.k.b }}', ['read a c/templates/t.yaml:1:37', 'read a.b c/templates/t.yaml:1:52 printed=text']);
});

test('index, get, hasKey, dig, pluck with literal keys; a computed key is dynamic', () => {
  check('{{ index .Values "a" "b-c" }}{{ get .Values.m "k" }}', ['read a.b-c c/templates/t.yaml:1:4 printed=text', 'read m c/templates/t.yaml:1:37', 'read m.k c/templates/t.yaml:1:33 printed=text']);
  check('{{ if hasKey .Values.m "k" }}{{ .Values.m.k.x }}{{ end }}', ['read m c/templates/t.yaml:1:14', 'read m.k c/templates/t.yaml:1:7 guarded', 'read m.k.x c/templates/t.yaml:1:33 guarded printed=text']);
  check('{{ dig "a" "b" "def" .Values.m }}', ['read m c/templates/t.yaml:1:22', 'read m.a.b c/templates/t.yaml:1:4 guarded printed=text']);
  // first/last give one element of the list: its keys are the elements' keys.
  check('{{ (first .Values.hosts).host }}{{ (last .Values.hosts).port }}', [
    'read hosts c/templates/t.yaml:1:11',
    'read hosts[] c/templates/t.yaml:1:5',
    'read hosts[].host c/templates/t.yaml:1:4 printed=text',
    'read hosts c/templates/t.yaml:1:42',
    'read hosts[] c/templates/t.yaml:1:37',
    'read hosts[].port c/templates/t.yaml:1:36 printed=text',
  ]);
  check('{{ pluck "k" .Values.x .Values.y | first }}', ['read x c/templates/t.yaml:1:14', 'read y c/templates/t.yaml:1:24', 'read x.k c/templates/t.yaml:1:4 printed=text', 'read y.k c/templates/t.yaml:1:4 printed=text']);
  // A variable holding a literal is a literal key; a computed one is not.
  check('{{ $k := "a" }}{{ index .Values.m $k }}', ['read m c/templates/t.yaml:1:25', 'read m.a c/templates/t.yaml:1:19 printed=text']);
  check('{{ $k := print "a" }}{{ index .Values.m $k }}', ['read m c/templates/t.yaml:1:31', 'dynamic m c/templates/t.yaml:1:25']);
  check('{{ range $k, $_ := .Values.m }}{{ (index $.Values.m $k).x }}{{ end }}', [
    'read m c/templates/t.yaml:1:20',
    'read m[] c/templates/t.yaml:1:20',
    'read m c/templates/t.yaml:1:42',
    'dynamic m c/templates/t.yaml:1:36',
  ]);
});

test('guards: if, with, default, hasKey, and; required', () => {
  check('{{ if .Values.a }}{{ .Values.a.b }}{{ .Values.c }}{{ end }}', [
    'read a c/templates/t.yaml:1:7 guarded',
    'read a.b c/templates/t.yaml:1:22 guarded printed=text',
    'read c c/templates/t.yaml:1:39 printed=text',
  ]);
  check('{{ if and .Values.a .Values.a.b }}x{{ end }}', ['read a c/templates/t.yaml:1:11 guarded', 'read a.b c/templates/t.yaml:1:21 guarded']);
  check('{{ if or .Values.a .Values.b }}{{ .Values.a.x }}{{ end }}', ['read a c/templates/t.yaml:1:10', 'read b c/templates/t.yaml:1:20', 'read a.x c/templates/t.yaml:1:35 printed=text']);
  check('{{ required "set x" .Values.x }}{{ .Values.y | required "y!" | quote }}', [
    'read x c/templates/t.yaml:1:21 required printed=text',
    'read y c/templates/t.yaml:1:36 required printed=quote',
  ]);
});

test('include and template follow the define with the context passed', () => {
  const helpers = {
    '_helpers.tpl': '{{- define "img" -}}{{ .repository }}:{{ .tag | default "latest" }}{{- end -}}\n' +
      '{{- define "name" -}}{{ .Values.nameOverride | default .Chart.Name }}{{- end -}}\n' +
      '{{- define "ctx" -}}{{ .value.x }}{{ .context.Values.y }}{{- end -}}\n' +
      '{{- define "unused" -}}{{ .Values.never }}{{- end -}}',
  };
  check('{{ include "img" .Values.image }}', [
    'read image c/templates/t.yaml:1:18',
    'read image.repository c/templates/_helpers.tpl:1:24 printed=text via c/templates/t.yaml:1',
    'read image.tag c/templates/_helpers.tpl:1:42 guarded printed=text via c/templates/t.yaml:1',
  ], helpers);
  check('{{ template "name" . }}{{ include "name" $ }}', [
    'read nameOverride c/templates/_helpers.tpl:2:25 guarded printed=text via c/templates/t.yaml:1',
    'read nameOverride c/templates/_helpers.tpl:2:25 guarded printed=text via c/templates/t.yaml:1',
  ], helpers);
  check('{{ include "ctx" (dict "value" .Values.v "context" $) }}', [
    'read v c/templates/t.yaml:1:32',
    'read v.x c/templates/_helpers.tpl:3:24 printed=text via c/templates/t.yaml:1',
    'read y c/templates/_helpers.tpl:3:38 printed=text via c/templates/t.yaml:1',
  ], helpers);
  // A computed template name: what it reads of the values passed is dynamic.
  check('{{ include (printf "%s" "img") .Values.image }}', ['dynamic image c/templates/t.yaml:1:32'], helpers);
  // Recursion is bounded.
  check('{{ include "r" .Values.a }}', ['read a c/templates/t.yaml:1:16', 'read a.n c/templates/_r.tpl:1:20 printed=text via c/templates/t.yaml:1'], {
    '_r.tpl': '{{ define "r" }}{{ .n }}{{ include "r" . }}{{ end }}',
  });
});

test('subcharts: under their key or alias, .Values.global too (its own view); library helpers run with the caller\'s values', () => {
  const sub = chart('c/charts/s', { 'a.yaml': '{{ .Values.port }}{{ .Values.global.registry }}', '_lib.tpl': '{{ define "lib.x" }}{{ .Values.libKey }}{{ end }}' });
  const input = chart('c', { 't.yaml': '{{ .Values.s1.port }}{{ include "lib.x" . }}' }, [{ keys: ['s1', 's2'], chart: sub }]);
  assert.deepEqual(usages(input), [
    'read s1.port c/templates/t.yaml:1:4 printed=text',
    'read libKey c/charts/s/templates/_lib.tpl:1:24 printed=text via c/templates/t.yaml:1',
    'read s1.port|s2.port c/charts/s/templates/a.yaml:1:4 printed=text',
    'read s1.global.registry|s2.global.registry c/charts/s/templates/a.yaml:1:22 printed=text',
  ]);
  // The parent's definition of a name wins over a subchart's (Helm parses the shallowest path last).
  const sub2 = chart('c/charts/s', { '_h.tpl': '{{ define "h" }}{{ .Values.fromSub }}{{ end }}' });
  const over = chart('c', { 't.yaml': '{{ include "h" . }}', '_h.tpl': '{{ define "h" }}{{ .Values.fromParent }}{{ end }}' }, [{ keys: ['s'], chart: sub2 }]);
  assert.deepEqual(usages(over), ['read fromParent c/templates/_h.tpl:1:20 printed=text via c/templates/t.yaml:1']);
});

test('isUsed and usagesOf: read, subtree, dynamic, list elements, wildcards', () => {
  const index = buildTemplateIndex(
    chart('c', {
      't.yaml': '{{ .Values.a.b }}{{ toYaml .Values.res }}{{ index .Values.dyn (print "k") }}{{ range .Values.list }}{{ .name }}{{ end }}{{ .Values.scalars }}',
    }, [], [{ path: ['sub', 'enabled'], file: 'c/Chart.yaml', line: 4 }]),
  );
  const used = (p: (string | number)[]) => index.isUsed(p);
  assert.equal(used(['a']), true, 'ancestor of a read');
  assert.equal(used(['a', 'b']), true);
  assert.equal(used(['a', 'c']), false);
  assert.equal(used(['a', 'b', 'c']), false, 'below a plain read');
  assert.equal(used(['res', 'limits', 'cpu']), true, 'below a subtree read');
  assert.equal(used(['dyn', 'anything']), true, 'below a dynamic read');
  assert.equal(used(['list', 0]), true);
  assert.equal(used(['list', 0, 'name']), true);
  assert.equal(used(['list', 0, 'other']), false);
  assert.equal(used(['scalars', 2]), true, 'an element of a list that is read');
  assert.equal(used(['sub', 'enabled']), true, 'a dependency condition');
  assert.equal(used(['nothing']), false);
  assert.deepEqual(index.usagesOf(['res', 'limits']).map((u) => `${u.kind} ${formatUsagePath(u.path)}`), ['subtree res']);
  assert.deepEqual(index.usagesOf(['list', 3, 'name']).map((u) => `${u.kind} ${formatUsagePath(u.path)} ${u.line}:${u.column}`), ['read list[].name 1:104']);
});

test('a dynamic read of the whole of .Values uses no key in particular; below the root it protects its subtree', () => {
  const index = buildTemplateIndex(chart('c', { 't.yaml': '{{ range .Values.sections }}{{ index $.Values . }}{{ end }}{{ index .Values.cfg $.Values.k }}' }));
  assert.equal(index.isUsed(['any', 'key']), false);
  assert.deepEqual(index.usagesOf(['any', 'key']), []);
  assert.equal(index.isUsed(['cfg', 'any', 'key']), true);
  assert.deepEqual(index.usagesOf(['cfg', 'x']).map((u) => `${u.kind} ${formatUsagePath(u.path)}`), ['dynamic cfg']);
  // toYaml .Values prints every key: a subtree read of the root uses them all.
  assert.equal(buildTemplateIndex(chart('c', { 't.yaml': '{{ toYaml .Values }}' })).isUsed(['any', 'key']), true);
});

test('incremental: one template changed reuses the rest; a changed define rebuilds', () => {
  const files: Files = {
    '_h.tpl': '{{ define "h" }}{{ .Values.h }}{{ end }}',
    'a.yaml': '{{ .Values.a }}{{ include "h" . }}',
    'b.yaml': '{{ .Values.b }}',
  };
  const first = buildTemplateIndex(chart('c', files));
  const second = buildTemplateIndex(chart('c', { ...files, 'b.yaml': '{{ .Values.b2 }}' }), first);
  const fresh = buildTemplateIndex(chart('c', { ...files, 'b.yaml': '{{ .Values.b2 }}' }));
  assert.deepEqual(second.usages, fresh.usages);
  assert.equal(second.usages[0], first.usages[0], 'the unchanged file keeps its references');
  const third = buildTemplateIndex(chart('c', { ...files, 'b.yaml': '{{ .Values.b2 }}', '_h.tpl': '{{ define "h" }}{{ .Values.h2 }}{{ end }}' }), second);
  assert.deepEqual(third.usages.map((u) => formatUsagePath(u.path)), ['a', 'h2', 'b2']);
});

test('globals flow down only: a global read uses the root\'s global and that of its chart and the charts above it', () => {
  const inner = chart('c/charts/s/charts/i', { 'i.yaml': '{{ .Values.global.deep }}' });
  const sub = chart('c/charts/s', { 'a.yaml': '{{ .Values.global.reg }}' }, [{ keys: ['i'], chart: inner }]);
  const index = buildTemplateIndex(chart('c', { 't.yaml': '{{ .Values.global.top }}' }, [{ keys: ['s1', 's2'], chart: sub }]));
  const used = (p: string) => index.isUsed(p.split('.'));
  // The root's global: read anywhere.
  for (const p of ['global.top', 'global.reg', 'global.deep']) assert.equal(used(p), true, p);
  // A subchart's own global (under each alias): read by it or below it, never by the parent.
  for (const p of ['s1.global.reg', 's2.global.reg', 's1.global.deep', 's2.i.global.deep']) assert.equal(used(p), true, p);
  for (const p of ['s1.global.top', 's2.global.top', 's1.i.global.reg', 's2.i.global.top']) assert.equal(used(p), false, p);
  // Usages keep their value coordinates: the chart's own view of the globals, `<alias>.global.*` in the effective
  // values (the merge of its global defaults with the parent's globals).
  assert.deepEqual(index.usagesOf(['s1', 'global', 'reg']).map((u) => index.rootPaths(u).map(formatUsagePath).join('|')), ['s1.global.reg|s2.global.reg']);
  assert.deepEqual(index.usagesOf(['global', 'deep']).map((u) => index.rootPaths(u).map(formatUsagePath).join('|')), ['s1.i.global.deep|s2.i.global.deep']);
  // toYaml of a subchart's whole .Values prints its own values (its subcharts' included) and the globals it gets from
  // above: the root's, and those of the charts between.
  const dump = buildTemplateIndex(chart('c', { 't.yaml': 'x' }, [{ keys: ['s'], chart: chart('c/charts/s', { 'a.yaml': '{{ toYaml .Values }}' }, [{ keys: ['i'], chart: chart('c/charts/s/charts/i', { 'i.yaml': 'y' }) }]) }]));
  assert.equal(dump.isUsed(['global', 'any']), true);
  assert.equal(dump.isUsed(['s', 'global', 'any']), true);
  assert.equal(dump.isUsed(['other']), false);
});

test('parsedOf: the tree of every template file, kept (files with defines) or parsed again (rendered files), as parseTemplate gives it', () => {
  const files: Files = {
    '_h.tpl': '{{ define "h" }}{{ .Values.h }}{{ end }}',
    'a.yaml': 'a: {{ .Values.a | quote }}\n{{- if .Values.b }}\nb: {{ include "h" . }}\n{{- end }}\n',
    'broken.yaml': '{{ .Values.ok }}\n{{ .a ) }}\n',
    'blockish.yaml': '# a block of text\n{{ .Values.c }}',
  };
  const index = buildTemplateIndex(chart('c', files));
  for (const [p, text] of Object.entries(files)) {
    const file = `c/templates/${p}`;
    assert.deepEqual(index.parsedOf(file), parseTemplate(file, text), p);
  }
  assert.equal(index.parsedOf('c/templates/none.yaml'), undefined);
  assert.deepEqual(
    index.problems.map((p) => `${p.file}:${p.line}:${p.column}`),
    ['c/templates/broken.yaml:2:7'],
  );
});
