// Editor features inside template files: hover, definition and completion at template offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { computeTemplateCompletion, computeTemplateDefinition, computeTemplateHover } from '../../server/src/service/features/templateFeatures';
import { analysisAtSnippet, analysisOf, dedent } from './fixture';

const CHART = dedent(`
  #- /chart/Chart.yaml
  apiVersion: v2
  name: app
  version: 1.0.0
  #- /chart/values.yaml
  image:
    # The image tag.
    tag: "1.0"
    repository: nginx
  service:
    port: 80
  list:
    - name: a
  #- /chart/values-prod.yaml
  image:
    tag: "2.0"
  #- /chart/templates/deployment.yaml
  image: {{ .Values.image.tag }}
  {{- with .Values.service }}
  port: {{ .port }}
  {{- end }}
  {{ range .Values.list }}{{ .name }}{{ end }}
  {{ include "app.helper" . }}
  #- /chart/templates/_helpers.tpl
  {{ define "app.helper" }}{{ .Values.image.repository }}{{ end }}
`);

function hover(file: string, snippet: string, fixture = CHART, activeEnvironment?: string) {
  const { analysis, offset, text } = analysisAtSnippet(fixture, file, snippet);
  const h = computeTemplateHover(analysis, file, offset, activeEnvironment !== undefined ? { activeEnvironment } : {});
  return h && { markdown: h.markdown, range: text.slice(h.start, h.end) };
}

function definition(file: string, snippet: string, fixture = CHART) {
  const { analysis, offset, files } = analysisAtSnippet(fixture, file, snippet);
  return computeTemplateDefinition(analysis, file, offset).map((s) => `${s.file}:${(files.get(s.file) ?? '').slice(s.start, s.end)}@${(files.get(s.file) ?? '').slice(0, s.start).split('\n').length}`);
}

const DEPLOYMENT = '/chart/templates/deployment.yaml';

test('hover on .Values.image.tag: the value in each environment, the winning layer, the chart default and the docs', () => {
  assert.deepEqual(hover(DEPLOYMENT, '.Values.image.t$0ag'), {
    range: 'tag',
    markdown: dedent(`
      **\`image.tag\`** — read by this template

      | env | value | from |
      |---|---|---|
      | default | \`"1.0"\` | \`values.yaml:3\` |
      | prod | \`"2.0"\` | \`values-prod.yaml:2\` |

      Chart default: \`"1.0"\` from \`values.yaml:3\`

      ---

      The image tag.`).trimEnd(),
  });
});

test('hover narrows to the segment under the cursor, and follows the active environment', () => {
  const h = hover(DEPLOYMENT, '.Values.im$0age.tag', CHART, 'prod');
  assert.equal(h?.range, 'image');
  assert.match(h?.markdown ?? '', /^\*\*`image`\*\* — read by this template\n\n`\{…2 keys\}` in \*\*prod\*\*, from `values-prod.yaml:1`/);
  assert.equal(hover(DEPLOYMENT, '.Val$0ues.image.tag'), undefined, 'the whole of .Values is no key');
  assert.equal(hover(DEPLOYMENT, 'ima$0ge:'), undefined, 'text outside actions');
});

test('hover resolves with/range contexts and include into _helpers.tpl', () => {
  assert.match(hover(DEPLOYMENT, '.po$0rt')?.markdown ?? '', /^\*\*`service.port`\*\* — read by this template\n\n`80` in all 2 environments, from `values.yaml:6`$/);
  assert.match(hover(DEPLOYMENT, '.na$0me')?.markdown ?? '', /^\*\*`list`\*\* — read by this template; each element read as `list\[\].name`/);
  assert.match(hover('/chart/templates/_helpers.tpl', '.Values.image.repo$0sitory')?.markdown ?? '', /^\*\*`image.repository`\*\*.*\n\n`"nginx"` in all 2 environments, from `values.yaml:4`$/);
});

test('hover in a subchart template shows the key under the subchart alias, and toYaml reads the subtree', () => {
  const fixture = dedent(`
    #- /chart/Chart.yaml
    apiVersion: v2
    name: app
    version: 1.0.0
    dependencies:
      - name: db
        alias: primary
        version: 1.0.0
    #- /chart/values.yaml
    primary:
      port: 5433
    #- /chart/charts/db/Chart.yaml
    apiVersion: v2
    name: db
    version: 1.0.0
    #- /chart/charts/db/values.yaml
    port: 5432
    resources: {}
    #- /chart/charts/db/templates/sts.yaml
    port: {{ .Values.port }}
    {{ toYaml .Values.resources }}
  `);
  const h = hover('/chart/charts/db/templates/sts.yaml', '.Values.po$0rt', fixture);
  assert.equal(h?.markdown, '**`primary.port`** — read by this template\n\n`5433` in **default**, from `values.yaml:2`\n\nShadows:\n- `5432` from `db defaults: charts/db/values.yaml:1`');
  assert.match(hover('/chart/charts/db/templates/sts.yaml', '.Values.reso$0urces', fixture)?.markdown ?? '', /^\*\*`primary.resources`\*\* — read as a whole by this template/);
});

test('definition: the winning layer of each environment, then the chart default', () => {
  assert.deepEqual(definition(DEPLOYMENT, '.Values.image.t$0ag'), ['/chart/values-prod.yaml:tag@2', '/chart/values.yaml:tag@3']);
  assert.deepEqual(definition(DEPLOYMENT, '.po$0rt'), ['/chart/values.yaml:port@6']);
  const unset = CHART.replace('{{ .Values.image.tag }}', '{{ .Values.image.digest }}');
  assert.deepEqual(definition(DEPLOYMENT, '.Values.image.dig$0est', unset), ['/chart/values.yaml:image@1'], 'not set anywhere: the nearest declared ancestor');
});

test('completion after .Values. and .Values.a. offers the layers keys, with values and where they are set', () => {
  const typing = CHART.replace('{{ .Values.image.tag }}', '{{ .Values.image.t }}').replace('{{ include', '{{ $.Values. }}{{ include');
  const a = analysisAtSnippet(typing, DEPLOYMENT, '.Values.image.t$0 }}');
  const items = computeTemplateCompletion(a.analysis, DEPLOYMENT, a.text, a.offset);
  assert.deepEqual(items.map((i) => [i.label, i.detail, a.text.slice(i.replaceStart, i.replaceEnd)]), [
    ['tag', '"1.0"', 't'],
    ['repository', '"nginx"', 't'],
  ]);
  const b = analysisAtSnippet(typing, DEPLOYMENT, '$.Values.$0 }}');
  assert.deepEqual(computeTemplateCompletion(b.analysis, DEPLOYMENT, b.text, b.offset).map((i) => i.label), ['image', 'service', 'list']);
  const outside = analysisAtSnippet(typing, DEPLOYMENT, 'image: $0');
  assert.deepEqual(computeTemplateCompletion(outside.analysis, DEPLOYMENT, outside.text, outside.offset), []);
});

test('completion offers schema properties and keys only an overlay sets; keys that are no field name are left out', () => {
  const fixture = dedent(`
    #- /chart/values.yaml
    ingress:
      enabled: false
      my-key: 1
    #- /chart/values-prod.yaml
    ingress:
      className: nginx
    #- /chart/values.schema.json
    {"type": "object", "properties": {"ingress": {"type": "object", "properties": {"enabled": {"type": "boolean", "description": "Turn it on."}, "hosts": {"type": "array"}}}}}
    #- /chart/templates/ingress.yaml
    {{ if .Values.ingress. }}{{ end }}
  `);
  const a = analysisAtSnippet(fixture, '/chart/templates/ingress.yaml', '.Values.ingress.$0 }}');
  const items = computeTemplateCompletion(a.analysis, '/chart/templates/ingress.yaml', a.text, a.offset);
  assert.deepEqual(items.map((i) => [i.label, i.detail, i.documentation]), [
    ['enabled', 'boolean = false', 'Turn it on.\n\n/chart/values.yaml:2 (chart defaults)'],
    ['className', '"nginx"', '/chart/values-prod.yaml:2 (set in prod)'],
    ['hosts', 'array', '/chart/values.schema.json (schema)'],
  ]);
});

test('template edits reach the index: a reference typed in the open text is hovered', () => {
  const edited = CHART.replace('{{ .Values.image.tag }}', '{{ .Values.service.port | quote }}');
  assert.match(hover(DEPLOYMENT, '.Values.service.po$0rt', edited)?.markdown ?? '', /^\*\*`service.port`\*\*/);
});

/** A chart of test/fixtures/templates (templates included) as fixture files under /chart. */
function realChart(name: string): Map<string, string> {
  const dir = join(__dirname, '../fixtures/templates', name);
  const files = new Map<string, string>();
  (function walk(d: string) {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(`/chart/${relative(dir, p).split('\\').join('/')}`, readFileSync(p, 'utf8'));
    }
  })(dir);
  return files;
}

test('grafana (real templates): hover, definition and completion at references in _helpers.tpl, _pod.tpl and pvc.yaml', () => {
  const files = realChart('grafana');
  const analysis = analysisOf(files, { schemas: false });
  const offsetOf = (file: string, needle: string, delta: number) => {
    const i = (files.get(file) ?? '').indexOf(needle);
    assert.ok(i >= 0, `${needle} not in ${file}`);
    return i + delta;
  };
  const helpers = '/chart/templates/_helpers.tpl';
  assert.match(computeTemplateHover(analysis, helpers, offsetOf(helpers, '.Values.image.tag', 15), {})?.markdown ?? '', /^\*\*`image\.tag`\*\* — read by this template\n\n`""` in \*\*default\*\*, from `values\.yaml:\d+`/);
  // In the `grafana.pod` define (included by deployment.yaml): `with` then `toYaml .` reads the whole map.
  const pod = '/chart/templates/_pod.tpl';
  assert.match(computeTemplateHover(analysis, pod, offsetOf(pod, '.Values.initChownData.resources', 24), {})?.markdown ?? '', /^\*\*`initChownData\.resources`\*\* — read as a whole by this template\n\n`\{\}` in \*\*default\*\*/);
  const pvc = '/chart/templates/pvc.yaml';
  const size = offsetOf(pvc, '.Values.persistence.size', 21);
  assert.match(computeTemplateHover(analysis, pvc, size, {})?.markdown ?? '', /^\*\*`persistence\.size`\*\* — read by this template\n\n`"10Gi"` in \*\*default\*\*/);
  const values = files.get('/chart/values.yaml') ?? '';
  assert.deepEqual(
    computeTemplateDefinition(analysis, pvc, size).map((s) => [s.file, values.slice(s.start, s.end), values.slice(0, s.start).split('\n').length]),
    [['/chart/values.yaml', 'size', 497]],
  );
  const text = (files.get(pvc) ?? '').replace('.Values.persistence.size', '.Values.persistence.');
  const typed = text.indexOf('.Values.persistence.') + '.Values.persistence.'.length;
  const labels = computeTemplateCompletion(analysis, pvc, text, typed).map((i) => i.label);
  const persistence = (analysis.model.values?.documents[0] ?? {}).persistence;
  assert.deepEqual(labels, Object.keys(persistence !== null && typeof persistence === 'object' ? persistence : {}), 'the keys of persistence in values.yaml, in their order');
  assert.ok(labels.includes('size'));
});

// A subchart template's `.Values.global.x` is its own view of the globals (helm-semantics B6): `<alias>.global.x` in
// the effective values, its values.yaml `global.x` default overridden by the parent's globals; a chart below it adds
// nothing. The root's templates see the root's globals only.
const GLOBALS = dedent(`
  #- /chart/Chart.yaml
  apiVersion: v2
  name: app
  version: 1.0.0
  dependencies:
    - name: redis
      version: 1.0.0
      alias: cache
  #- /chart/values.yaml
  global:
    # The region of every chart.
    region: eu
  #- /chart/values-prod.yaml
  global:
    region: us
    zone: b
  #- /chart/templates/app.yaml
  region: {{ .Values.global.region }}
  {{ .Values.global. }}
  #- /chart/charts/redis/Chart.yaml
  apiVersion: v2
  name: redis
  version: 1.0.0
  #- /chart/charts/redis/values.yaml
  global:
    region: local
    # The storage class of the cache.
    storageClass: fast
  #- /chart/charts/redis/templates/pvc.yaml
  storageClassName: {{ .Values.global.storageClass }}
  region: {{ .Values.global.region }}
  {{ .Values.global. }}
  #- /chart/charts/redis/charts/inner/Chart.yaml
  apiVersion: v2
  name: inner
  version: 1.0.0
  #- /chart/charts/redis/charts/inner/values.yaml
  global:
    deep: inner
`);
const PVC = '/chart/charts/redis/templates/pvc.yaml';

test('hover on .Values.global.x in a subchart template: the subchart\'s view, its own default under the parent\'s globals', () => {
  // Only the subchart's own values.yaml sets it: the root's global.storageClass is not set anywhere.
  assert.deepEqual(hover(PVC, '.Values.global.storageC$0lass', GLOBALS), {
    range: 'storageClass',
    markdown: '**`cache.global.storageClass`** — read by this template\n\n`"fast"` in all 2 environments, from `redis defaults: charts/redis/values.yaml:4`\n\n---\n\nThe storage class of the cache.',
  });
  // The parent's global wins over the subchart's own default (which is shadowed), in each environment.
  assert.deepEqual(hover(PVC, '.Values.global.reg$0ion', GLOBALS), {
    range: 'region',
    markdown: dedent(`
      **\`cache.global.region\`** — read by this template

      | env | value | from |
      |---|---|---|
      | default | \`"eu"\` | \`global from values.yaml:3\` |
      | prod | \`"us"\` | \`global from values-prod.yaml:2\` |

      Chart default: \`"eu"\` from \`global from values.yaml:3\`

      ---

      The region of every chart.`).trimEnd(),
  });
  assert.match(hover('/chart/templates/app.yaml', '.Values.global.reg$0ion', GLOBALS)?.markdown ?? '', /^\*\*`global\.region`\*\* — read by this template\n\n\| env/);
});

test('definition of .Values.global.x in a subchart template: the winning layers, then the parents\' and its own global default', () => {
  assert.deepEqual(definition(PVC, '.Values.global.storageC$0lass', GLOBALS), ['/chart/charts/redis/values.yaml:storageClass@4']);
  assert.deepEqual(definition(PVC, '.Values.global.reg$0ion', GLOBALS), ['/chart/values-prod.yaml:region@2', '/chart/values.yaml:region@3', '/chart/charts/redis/values.yaml:region@2']);
  // The root's templates see the root's globals only: the subchart's own default is no definition of theirs.
  assert.deepEqual(definition('/chart/templates/app.yaml', '.Values.global.reg$0ion', GLOBALS), ['/chart/values-prod.yaml:region@2', '/chart/values.yaml:region@3']);
});

test('completion after .Values.global. offers the keys of the chart\'s view of the globals: its own and its parents\', none below', () => {
  const sub = analysisAtSnippet(GLOBALS, PVC, '{{ .Values.global.$0 }}');
  assert.deepEqual(computeTemplateCompletion(sub.analysis, PVC, sub.text, sub.offset).map((i) => [i.label, i.detail, i.documentation]), [
    ['region', '"eu"', '/chart/values.yaml:3 (app defaults)'],
    ['storageClass', '"fast"', '/chart/charts/redis/values.yaml:4 (redis defaults, under cache)'],
    ['zone', '"b"', '/chart/values-prod.yaml:3 (set in prod)'],
  ]);
  const root = analysisAtSnippet(GLOBALS, '/chart/templates/app.yaml', '{{ .Values.global.$0 }}');
  assert.deepEqual(computeTemplateCompletion(root.analysis, '/chart/templates/app.yaml', root.text, root.offset).map((i) => [i.label, i.detail, i.documentation]), [
    ['region', '"eu"', '/chart/values.yaml:3 (app defaults)'],
    ['zone', '"b"', '/chart/values-prod.yaml:3 (set in prod)'],
  ]);
});
