// Completion from the charts' values.schema.json, merged with the layers' keys: tests are data (a fixture with a
// `$0` cursor, the offered items as `label: detail`, and the whole text after applying one item).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analysisAtCursor, analysisOf, appWithRedis, dedent, type AnalysisOptions } from './fixture';
import { computeCompletion } from '../../server/src/service/features/completion';
import type { CompletionResult } from '../../server/src/service/features/types';
import type { ChartAnalysis } from '../../server/src/service/analysis';

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url));

function complete(fixture: string, options: AnalysisOptions = {}): { items: CompletionResult[]; text: string } {
  const { analysis, file, offset, text } = analysisAtCursor(fixture, options);
  return { items: computeCompletion(analysis, file, text, offset), text };
}

/** Snippet text as the editor leaves it: placeholders and choices expanded to their (first) text, `$0` kept, other tab stops removed. */
function expand(snippet: string): string {
  return snippet
    .replace(/\$\{\d+:((?:[^}\\]|\\.)*)\}/g, (_, d: string) => d.replace(/\\(.)/g, '$1'))
    .replace(/\$\{\d+\|((?:[^,|\\]|\\.)*)(?:,(?:[^,|\\]|\\.)*)*\|\}/g, (_, d: string) => d.replace(/\\(.)/g, '$1'))
    .replace(/\$([1-9]\d*)/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

function sorted(items: CompletionResult[]): CompletionResult[] {
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

/** Items as `label: detail`, in sort order. */
function checkItems(fixture: string, expected: string[], options?: AnalysisOptions): void {
  assert.deepEqual(sorted(complete(fixture, options).items).map((i) => `${i.label}: ${i.detail ?? ''}`), expected);
}

/** Applies the item labelled `label` and compares the whole resulting text of the cursor's file. */
function checkApply(fixture: string, label: string, expected: string, options?: AnalysisOptions): CompletionResult {
  const { items, text } = complete(fixture, options);
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no item ${label} among ${items.map((i) => i.label).join(', ')}`);
  const inserted = item.snippet ? expand(item.insertText) : item.insertText;
  assert.equal(text.slice(0, item.replaceStart) + inserted + text.slice(item.replaceEnd), expected);
  return item;
}

const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    image: { $ref: '#/$defs/image' },
    replicas: { type: 'integer', description: 'Number of pods', default: 1, minimum: 1 },
    debug: { type: 'boolean', description: 'Verbose logs' },
    logLevel: { type: 'string', description: 'Log level', enum: ['debug', 'info', 'warn'], default: 'info' },
    resources: { $ref: '#/definitions/resources' },
    service: {
      allOf: [{ $ref: '#/$defs/port' }, { properties: { type: { description: 'Service type', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] } } }],
    },
    mode: { description: 'Helm reads yes as a boolean: quote it', anyOf: [{ const: 'yes' }, { const: 'no' }] },
    fileMode: { type: 'string', description: 'Octal file mode', examples: ['0755', '0644'] },
    version: { type: 'string', default: '1.0' },
    podSecurityContext: {
      type: 'object',
      additionalProperties: false,
      properties: { runAsUser: { type: 'integer', description: 'UID' }, fsGroup: { type: 'integer', description: 'GID' } },
    },
    legacyName: { type: 'string', deprecated: true, description: 'Use nameOverride' },
    nameOverride: { type: 'string', title: 'Name override', description: 'Replaces the chart name' },
    cache: { type: 'object', properties: { enabled: { type: 'boolean', description: 'Deploy the cache' } } },
    sidecars: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, resources: { $ref: '#/definitions/resources' } } } },
    probe: {
      type: 'object',
      required: ['httpGet', 'periodSeconds'],
      properties: {
        httpGet: { type: 'object', required: ['path', 'port'], properties: { path: { type: 'string', default: '/healthz' }, port: { type: ['integer', 'string'] } } },
        periodSeconds: { type: 'integer' },
        exec: { type: 'object' },
      },
    },
  },
  $defs: {
    image: {
      type: 'object',
      properties: {
        repository: { type: 'string', description: 'Image repository' },
        tag: { type: 'string', description: 'Image tag' },
        pullPolicy: { type: 'string', description: 'Pull policy', enum: ['Always', 'IfNotPresent', 'Never'] },
        digest: { type: 'string', description: 'Image digest (overrides the tag)' },
      },
    },
    port: { type: 'object', properties: { port: { type: 'integer', description: 'Service port', default: 80 } } },
  },
  definitions: {
    resources: {
      type: 'object',
      description: 'Container resources',
      required: ['limits', 'requests'],
      properties: {
        limits: { type: 'object', description: 'Upper bounds' },
        requests: { type: 'object', description: 'Reserved' },
        claims: { type: 'array' },
      },
    },
  },
};

const REDIS_SCHEMA = {
  type: 'object',
  properties: {
    port: { type: 'integer', description: 'Redis port' },
    architecture: { type: 'string', description: 'Redis architecture', enum: ['standalone', 'replication'] },
    auth: { type: 'object', description: 'Authentication', properties: { enabled: { type: 'boolean', description: 'Enable password authentication' }, password: { type: 'string' } } },
  },
};

/** A chart `app` with a schema, and subchart redis (with its own schema) under the alias `cache`. */
function chart(parts: { values?: string; overlay?: string; redis?: string }): string {
  return appWithRedis({ dependency: 'alias: cache', schema: JSON.stringify(SCHEMA, null, 2), values: parts.values ?? DEFAULTS, overlay: parts.overlay ?? '', redisSchema: JSON.stringify(REDIS_SCHEMA, null, 2), redis: parts.redis ?? 'port: 6379\nauth:\n  enabled: true\n' });
}

const DEFAULTS = dedent(`
  image:
    repository: nginx
    tag: "1.0"
  replicas: 1
  resources: {}
  podSecurityContext:
    runAsUser: 1000
    seLinuxOptions: {}
  cache:
    port: 1
`);

test('schema completion: the layers\' keys first (type from the schema, default from the layers), then the schema\'s, deprecated last', () => {
  checkItems(chart({ overlay: '$0' }), [
    'image: object = {…}',
    'replicas: integer = 1',
    'resources: object = {}',
    'podSecurityContext: object = {…}',
    'cache: object = {…}',
    'debug: boolean',
    'logLevel: string = "info"',
    'service: object',
    'mode: "yes" | "no"',
    'fileMode: string',
    'version: string = "1.0"',
    'nameOverride: string',
    'sidecars: array',
    'probe: object',
    'legacyName: deprecated string',
  ]);
});

test('schema completion: properties through $ref to #/$defs, with descriptions; keys already set are hidden', () => {
  checkItems(chart({ overlay: 'image:\n  tag: "2.0"\n  $0' }), ['repository: string = "nginx"', 'pullPolicy: string', 'digest: string']);
  const { items } = complete(chart({ overlay: 'image:\n  $0\n  digest: sha256:abc' }));
  assert.deepEqual(
    sorted(items).map((i) => `${i.label} <- ${i.documentation ?? ''}`),
    [
      'repository <- Image repository\n\n/chart/values.yaml:2 (app defaults)',
      'tag <- Image tag\n\n/chart/values.yaml:3 (app defaults)',
      'pullPolicy <- Pull policy\n\nAllowed: `"Always"`, `"IfNotPresent"`, `"Never"`\n\n/chart/values.schema.json (app schema)',
    ],
  );
});

test('schema completion: allOf and anyOf branches merge; an enum inserts a choice, a default a placeholder', () => {
  checkItems(chart({ overlay: 'service:\n  $0' }), ['port: integer = 80', 'type: "ClusterIP" | "NodePort" | "LoadBalancer"']);
  const type = checkApply(chart({ overlay: 'service:\n  ty$0' }), 'type', 'service:\n  type: ClusterIP\n');
  assert.equal(type.insertText, 'type: ${1|ClusterIP,NodePort,LoadBalancer|}');
  checkApply(chart({ overlay: 'service:\n  $0' }), 'port', 'service:\n  port: 80\n');
  // The schema default first among the allowed values.
  assert.equal(checkApply(chart({ overlay: 'log$0' }), 'logLevel', 'logLevel: info\n').insertText, 'logLevel: ${1|info,debug,warn|}');
  assert.equal(checkApply(chart({ overlay: 'deb$0' }), 'debug', 'debug: true\n').insertText, 'debug: ${1|true,false|}');
  // Strings Helm would read as something else are quoted: "yes" (a YAML 1.1 boolean), "1.0" (a float).
  assert.equal(checkApply(chart({ overlay: 'mo$0' }), 'mode', 'mode: "yes"\n').insertText, 'mode: ${1|"yes","no"|}');
  checkApply(chart({ overlay: 'ver$0' }), 'version', 'version: "1.0"\n');
});

test('schema completion: a map whose schema requires properties inserts a skeleton of them', () => {
  const item = checkApply(chart({ overlay: 'image:\n  tag: "2"\nres$0' }), 'resources', 'image:\n  tag: "2"\nresources:\n  limits:\n    \n  requests:\n    \n');
  assert.equal(item.insertText, 'resources:\n  limits:\n    $1\n  requests:\n    $2');
  // Nested required properties, defaults as placeholders; in a list item the indentation follows the item.
  checkApply(chart({ overlay: 'pro$0' }), 'probe', 'probe:\n  httpGet:\n    path: /healthz\n    port: \n  periodSeconds: \n');
  checkApply(chart({ overlay: 'probe:\n  $0' }), 'httpGet', 'probe:\n  httpGet:\n    path: /healthz\n    port: \n');
  checkApply(chart({ overlay: 'sidecars:\n  - name: a\n    res$0' }), 'resources', 'sidecars:\n  - name: a\n    resources:\n      limits:\n        \n      requests:\n        \n');
  checkApply(chart({ overlay: 'sidecars:\n  - res$0' }), 'resources', 'sidecars:\n  - resources:\n      limits:\n        \n      requests:\n        \n');
  checkItems(chart({ overlay: 'sidecars:\n  - $0' }), ['name: required string', 'resources: object']);
  // What the layers below already supply is not required again.
  const supplied = chart({ values: 'resources:\n  limits:\n    cpu: 1\n', overlay: 'res$0' });
  checkApply(supplied, 'resources', 'resources:\n  requests:\n    \n');
  // Only the key in front of an existing value.
  checkApply(chart({ overlay: 'res$0: {}' }), 'resources', 'resources: {}\n');
});

test('schema completion: a closed map (additionalProperties: false) offers only declared names', () => {
  // seLinuxOptions is in the chart defaults but the schema does not allow it.
  checkItems(chart({ overlay: 'podSecurityContext:\n  $0' }), ['runAsUser: integer = 1000', 'fsGroup: integer']);
  checkItems(chart({ values: 'podSecurityContext:\n  $0' }), ['runAsUser: integer', 'fsGroup: integer']);
});

test('schema completion: deprecated properties last and marked', () => {
  const { items } = complete(chart({ overlay: 'nameOverride: x\n$0' }));
  const last = sorted(items).at(-1);
  assert.equal(last?.label, 'legacyName');
  assert.equal(last?.detail, 'deprecated string');
  assert.ok(!items.some((i) => i.label === 'nameOverride'));
});

test('schema completion: under a subchart alias the subchart\'s schema, with the parent schema\'s properties there', () => {
  checkItems(chart({ overlay: 'cache:\n  $0' }), ['port: integer = 1', 'auth: object = {…}', 'architecture: string', 'enabled: boolean']);
  checkItems(chart({ overlay: 'cache:\n  auth:\n    $0' }), ['enabled: boolean = true', 'password: string']);
  checkApply(chart({ overlay: 'cache:\n  arch$0' }), 'architecture', 'cache:\n  architecture: standalone\n');
  // In the parent's values.yaml, under the alias.
  checkItems(chart({ values: 'cache:\n  port: 1\n  $0' }), ['auth: object = {…}', 'architecture: string', 'enabled: boolean']);
  // In the subchart's own values.yaml: its own schema (and the parent's, which Helm validates under the alias too).
  checkItems(chart({ redis: 'port: 6379\n$0' }), ['architecture: string', 'auth: object', 'enabled: boolean']);
  const { items } = complete(chart({ redis: 'au$0' }));
  assert.equal(items.find((i) => i.label === 'auth')?.documentation, 'Authentication\n\n/chart/charts/redis/values.schema.json (redis schema)');
});

test('schema completion: values from enum, const, the schema default, examples and boolean types', () => {
  checkItems(chart({ overlay: 'logLevel: $0' }), ['info: schema default', 'debug: allowed', 'warn: allowed']);
  checkItems(chart({ overlay: 'image:\n  pullPolicy: $0' }), ['Always: allowed', 'IfNotPresent: allowed', 'Never: allowed']);
  checkItems(chart({ overlay: 'mode: $0' }), ['yes: allowed', 'no: allowed']);
  checkItems(chart({ overlay: 'debug: $0' }), ['true: boolean', 'false: boolean']);
  // The layers' default first; the schema's default when it is the same value is not repeated.
  checkItems(chart({ overlay: 'replicas: $0' }), ['1: default']);
  checkItems(chart({ overlay: 'cache:\n  auth:\n    enabled: $0' }), ['true: default', 'false: default: true']);
  // Examples quoted as Helm reads values back: "0755" would be an octal integer.
  checkApply(chart({ overlay: 'fileMode: 07$0' }), '0755', 'fileMode: "0755"\n');
  checkApply(chart({ overlay: 'mode: y$0' }), 'yes', 'mode: "yes"\n');
  checkApply(chart({ overlay: 'logLevel: inf$0' }), 'warn', 'logLevel: warn\n');
  // Nothing for a key the schema leaves open.
  checkItems(chart({ overlay: 'nameOverride: $0' }), []);
});

test('schema completion: no schema, no change; a broken schema file gives the layers\' keys alone', () => {
  const plain = chart({ overlay: 'image:\n  $0' }).replace(/#- \/chart\/values\.schema\.json\n[\s\S]*?(?=#- \/chart\/values\.yaml)/, '');
  checkItems(plain, ['repository: "nginx"', 'tag: "1.0"']);
  const broken = chart({ overlay: 'image:\n  $0' }).replace('"$schema"', '{ broken');
  checkItems(broken, ['repository: "nginx"', 'tag: "1.0"']);
  checkItems(chart({ overlay: 'image:\n  $0' }), ['repository: "nginx"', 'tag: "1.0"'], { schemas: false });
});

// ---------------------------------------------------------------------------------------------------------------
// Real charts with large schemas: Bitnami redis and Traefik.

function realChart(rel: string, overlay: string): { analysis: ChartAnalysis; text: string; cursor: number } {
  const dir = CORPUS + rel + '/';
  const files = new Map<string, string>();
  for (const name of ['Chart.yaml', 'values.yaml', 'values.schema.json']) files.set(`/chart/${name}`, readFileSync(dir + name, 'utf8'));
  // Keep only the chart itself (its subcharts are not vendored in the corpus).
  files.set('/chart/Chart.yaml', (files.get('/chart/Chart.yaml') ?? '').replace(/^dependencies:\n(?:[-\s].*\n)*/m, ''));
  const cursor = overlay.indexOf('$0');
  const text = overlay.replace('$0', '');
  files.set('/chart/values-prod.yaml', text);
  return { analysis: analysisOf(files), text, cursor };
}

function median(f: () => void): number {
  for (let i = 0; i < 5; i++) f();
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return times[10] ?? 0;
}

test('real chart: Bitnami redis, inside master.persistence the schema\'s properties with their descriptions; latency', () => {
  const { analysis, text, cursor } = realChart('bitnami__charts/bitnami/redis', 'master:\n  persistence:\n    size: 20Gi\n    $0\n');
  const t0 = performance.now();
  const items = computeCompletion(analysis, '/chart/values-prod.yaml', text, cursor); // compiles the schema once
  const first = performance.now() - t0;
  const byLabel = new Map(items.map((i) => [i.label, i]));
  assert.ok(!byLabel.has('size'));
  assert.equal(byLabel.get('storageClass')?.detail, 'string = ""');
  assert.match(byLabel.get('storageClass')?.documentation ?? '', /^Persistent Volume storage class\n\n\/chart\/values\.yaml:\d+ \(redis defaults\)$/);
  assert.match(byLabel.get('accessModes')?.documentation ?? '', /^Persistent Volume access modes/);
  const described = items.filter((i) => /\n\n/.test(i.documentation ?? ''));
  assert.ok(described.length >= 10, `${described.length} items with a description`);
  const ms = median(() => computeCompletion(analysis, '/chart/values-prod.yaml', text, cursor));
  // Informative only: speed targets are judged by `npm run bench`, not here.
  console.log(`schema completion on bitnami redis (master.persistence): first ${first.toFixed(1)} ms (schema compile included), median ${ms.toFixed(2)} ms of 20 warm`);
});

test('real chart: Traefik, a map under additionalProperties (ports.<name>) and the root; latency', () => {
  const { analysis, text, cursor } = realChart('traefik__traefik-helm-chart/traefik', 'ports:\n  web:\n    port: 8000\n    $0\n');
  const t0 = performance.now();
  const items = computeCompletion(analysis, '/chart/values-prod.yaml', text, cursor);
  const first = performance.now() - t0;
  const byLabel = new Map(items.map((i) => [i.label, i]));
  assert.ok(byLabel.has('expose') && byLabel.has('exposedPort') && byLabel.has('protocol'));
  assert.match(byLabel.get('asDefault')?.documentation ?? '', /^Enable this entrypoint as a default entrypoint/);
  // A port name only the schema knows (additionalProperties) gets the same properties.
  const other = realChart('traefik__traefik-helm-chart/traefik', 'ports:\n  custom:\n    $0\n');
  const custom = computeCompletion(other.analysis, '/chart/values-prod.yaml', other.text, other.cursor);
  assert.ok(custom.some((i) => i.label === 'asDefault' && i.detail === 'boolean | null'));
  const root = realChart('traefik__traefik-helm-chart/traefik', 'deployment:\n  replicas: 2\n$0\n');
  const top = computeCompletion(root.analysis, '/chart/values-prod.yaml', root.text, root.cursor);
  assert.ok(top.length > 50 && !top.some((i) => i.label === 'deployment'));
  const ms = median(() => computeCompletion(analysis, '/chart/values-prod.yaml', text, cursor));
  const msRoot = median(() => computeCompletion(root.analysis, '/chart/values-prod.yaml', root.text, root.cursor));
  // Informative only: speed targets are judged by `npm run bench`, not here.
  console.log(`schema completion on traefik (ports.web): first ${first.toFixed(1)} ms (schema compile included), median ${ms.toFixed(2)} ms; at the root (${top.length} items) median ${msRoot.toFixed(2)} ms, of 20 warm`);
});
