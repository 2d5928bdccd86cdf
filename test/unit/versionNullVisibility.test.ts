// helm.version-dependent on a key that is null in some Helm releases and absent in others (a chart-default null:
// Helm 4.2.0 drops it, older releases keep it): reported only where something can tell the two apart, a template
// that looks at the map holding the key or at the key's presence, or the schema's verdict. A template that reads the
// key alone gets nil either way. Charts without templates, and differences of real values, are reported as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkChart } from '../../server/src/service/check/check';
import { parseHelmRelease, type HelmRelease } from '../../server/src/service/helm/versions';
import { analysisOf } from './fixture';
import { buildTemplateIndex } from '../../server/src/service/templates/templateIndex';
import { nullVisibility } from '../../server/src/service/check/nullVisibility';
import { createServiceCaches } from '../../server/src/service/caches';

function release(text: string): HelmRelease {
  const r = parseHelmRelease(text);
  if ('error' in r) throw new Error(r.error);
  return r.release;
}

const VALUES = 'a:\n  b: null\n  c: 1\n';
const NULL_B = 'a.b: Helm 4.2.0 and later give (absent); Helm 3, 4.0.0–4.1.4 give null. [environment: default]';

/** The helm.version-dependent messages of a chart with this values.yaml and these files (paths below /chart). */
function versionFindings(files: Record<string, string>, values = VALUES, version = '4'): string[] {
  const map = new Map(Object.entries({ '/chart/values.yaml': values, ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`/chart/${k}`, v])) }));
  const a = analysisOf(map, { helmVersion: release(version) });
  const { findings } = checkChart({ model: a.model, environments: a.environments, resolveValues: a.input.resolveValues, helmVersion: release(version), documents: a.input.documents, ...(a.input.schemas ? { schemas: a.input.schemas } : {}) });
  return findings.filter((f) => f.code === 'helm.version-dependent').map((f) => f.message);
}

const template = (text: string) => ({ 'templates/cm.yaml': text });

test('no templates: a chart-default null is reported', () => {
  assert.deepEqual(versionFindings({}), [NULL_B]);
});

test('templates that read only the key itself cannot tell null from absent: quiet', () => {
  assert.deepEqual(versionFindings(template('x: {{ .Values.a.b }}\ny: {{ .Values.a.c }}\n')), []);
  // Guards, defaults, quoting, index and tpl of the key give the same nil either way.
  assert.deepEqual(versionFindings(template('{{ if .Values.a.b }}x: {{ .Values.a.b | default "d" | quote }}{{ end }}\ny: {{ index .Values "a" "b" }}\nz: {{ tpl (.Values.a.b | toString) . }}\n')), []);
  // Looking into the map by another key says nothing about this one.
  assert.deepEqual(versionFindings(template('{{ if hasKey .Values.a "c" }}c: {{ get .Values.a "c" }}{{ end }}\n')), []);
  assert.deepEqual(versionFindings(template('c: {{ (.Values.a).c }}\nd: {{ dig "a" "c" 0 .Values }}\n')), []);
});

test('toYaml of the map holding the key prints b: null or nothing: reported', () => {
  assert.deepEqual(versionFindings(template('a: {{ toYaml .Values.a | nindent 2 }}\n')), [NULL_B]);
  assert.deepEqual(versionFindings(template('{{ with .Values.a }}a: {{ toJson . }}{{ end }}\n')), [NULL_B]);
  // toYaml of all of .Values.
  assert.deepEqual(versionFindings(template('{{ toYaml .Values }}\n')), [NULL_B]);
});

test('presence tests of the key (hasKey, dig, get, pluck): reported', () => {
  assert.deepEqual(versionFindings(template('{{ if hasKey .Values.a "b" }}x: 1{{ end }}\n')), [NULL_B]);
  // dig gives a present null, but its default for a missing key (and the parent is never read on its own here).
  assert.deepEqual(versionFindings(template('x: {{ dig "a" "b" "none" .Values }}\n')), [NULL_B]);
  // get gives "" for a missing key, nil for a present null.
  assert.deepEqual(versionFindings(template('x: {{ get .Values.a "b" | kindOf }}\n')), [NULL_B]);
  assert.deepEqual(versionFindings(template('x: {{ pluck "b" .Values.a | len }}\n')), [NULL_B]);
});

test('reads of the map itself (its size, its keys, a define it is passed to): reported', () => {
  assert.deepEqual(versionFindings(template('{{ range $k, $v := .Values.a }}{{ $k }}: {{ $v }}\n{{ end }}')), [NULL_B]);
  assert.deepEqual(versionFindings(template('n: {{ len .Values.a }}\n')), [NULL_B]);
  assert.deepEqual(versionFindings(template('{{ range keys .Values.a }}{{ . }}\n{{ end }}')), [NULL_B]);
  assert.deepEqual(versionFindings({ 'templates/_h.tpl': '{{ define "h" }}{{ .c }}{{ end }}', ...template('x: {{ include "h" .Values.a }}\n') }), [NULL_B]);
});

test('a subtree read of an ancestor in a subchart is found in root coordinates', () => {
  const files = { 'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n', 'charts/sub/values.yaml': 'a:\n  b: null\n  c: 1\n' };
  const msg = 'sub.a.b: Helm 4.2.0 and later give (absent); Helm 3, 4.0.0–4.1.4 give null. [environment: default]';
  assert.deepEqual(versionFindings({ ...files, 'charts/sub/templates/cm.yaml': 'x: {{ .Values.a.b }}\n' }, 'x: 1\n'), []);
  assert.deepEqual(versionFindings({ ...files, 'charts/sub/templates/cm.yaml': '{{ toYaml .Values.a }}\n' }, 'x: 1\n'), [msg]);
  // The parent's template reads the subchart's map whole.
  assert.deepEqual(versionFindings({ ...files, 'templates/cm.yaml': '{{ toYaml .Values.sub }}\n', 'charts/sub/templates/cm.yaml': 'x: {{ .Values.a.b }}\n' }, 'x: 1\n'), [msg]);
});

test('a computed key below an ancestor may be any key: reported', () => {
  assert.deepEqual(versionFindings(template('{{ $k := .Release.Name }}x: {{ toYaml (index .Values.a $k) }}\n')), [NULL_B]);
});

test('a difference of real values is reported even where no template reads the key', () => {
  // Multi-document values.yaml: Helm 3 reads the first document, Helm 4 all of them.
  const values = 'a:\n  b: 1\n---\na:\n  b: 2\n';
  assert.deepEqual(versionFindings(template('x: 1\n'), values), ['a.b: Helm 4 gives 2; Helm 3 gives 1. [environment: default]']);
});

test("a null the schema rejects changes Helm's verdict: reported even where no template can tell", () => {
  const strict = JSON.stringify({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'string' } } } } });
  const lax = JSON.stringify({ type: 'object', properties: { a: { type: 'object', properties: { b: { type: ['string', 'null'] } } } } });
  const tpl = template('x: {{ .Values.a.b }}\n');
  assert.deepEqual(versionFindings({ ...tpl, 'values.schema.json': strict }, VALUES, '4.1'), [NULL_B.replace('Helm 4.2.0 and later give (absent); Helm 3, 4.0.0–4.1.4 give null', 'Helm 3, 4.0.0–4.1.4 give null; Helm 4.2.0 and later give (absent)')]);
  assert.deepEqual(versionFindings({ ...tpl, 'values.schema.json': strict }), [NULL_B]);
  assert.deepEqual(versionFindings({ ...tpl, 'values.schema.json': lax }), []);
});

test('the lookup is kept across the next index of unchanged templates, and rebuilt when a template changes', () => {
  const chart = (text: string) => ({ dir: '/chart', templates: [{ path: '/chart/templates/cm.yaml', text }, { path: '/chart/templates/b.yaml', text: 'b: {{ .Values.x }}\n' }], subcharts: [] });
  const caches = createServiceCaches();
  const first = buildTemplateIndex(chart('x: {{ .Values.a.b }}\n'));
  const lookup = nullVisibility(first, caches);
  assert.equal(lookup(['a', 'b']), false);
  // A new index of the same texts (as an edit of values.yaml makes): the same lookup.
  const same = buildTemplateIndex(chart('x: {{ .Values.a.b }}\n'), first);
  assert.notEqual(same, first);
  assert.equal(nullVisibility(same, caches), lookup);
  // A template now prints the map: a new lookup that sees the key.
  const changed = buildTemplateIndex(chart('x: {{ toYaml .Values.a }}\n'), same);
  assert.equal(nullVisibility(changed, caches)(['a', 'b']), true);
  assert.equal(nullVisibility(first, caches)(['a', 'b']), false);
});
