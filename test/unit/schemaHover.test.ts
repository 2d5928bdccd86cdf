// Hover shows what the charts' values.schema.json say about a key (type, title, description, allowed values,
// default, examples, required properties) in a "Schema" section after the precedence part. Tests are data: a
// fixture with a `$0` cursor and the whole expected markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeHover } from '../../server/src/service/features/hover';
import { analysisAtSnippet, analysisOf, appWithRedis, dedent } from './fixture';

const CORPUS = fileURLToPath(new URL('../fixtures/corpus/charts/', import.meta.url));

function hoverAt(fixture: string, file: string, snippet: string): string | undefined {
  const { analysis, offset } = analysisAtSnippet(fixture, file, snippet);
  return computeHover(analysis, file, offset, {})?.markdown;
}

function checkHover(fixture: string, file: string, snippet: string, expected: string): void {
  assert.equal(hoverAt(fixture, file, snippet), dedent(expected).trim());
}

const SCHEMA = {
  type: 'object',
  properties: {
    image: { $ref: '#/$defs/image' },
    resources: { $ref: '#/definitions/resources' },
    hosts: { type: 'array', items: { type: 'string', description: 'A host name', examples: ['a.example.com'] } },
    legacyName: { type: 'string', deprecated: true, description: 'Use nameOverride' },
    extra: { type: 'object', additionalProperties: true },
    cache: { type: 'object', properties: { enabled: { type: 'boolean', description: 'Deploy the cache' } } },
  },
  $defs: {
    image: {
      type: 'object',
      properties: {
        pullPolicy: { type: 'string', description: 'Image pull policy', enum: ['Always', 'IfNotPresent', 'Never'], default: 'IfNotPresent' },
        tag: { allOf: [{ type: 'string' }, { description: 'Image tag', examples: ['1.25', '1.25-alpine', 'latest', 'stable'] }] },
      },
    },
  },
  definitions: {
    resources: { type: 'object', title: 'Resources', description: 'Container resources ([docs](https://kubernetes.io))', required: ['limits', 'requests'] },
  },
};

const REDIS_SCHEMA = {
  type: 'object',
  properties: {
    architecture: { description: 'Redis architecture', anyOf: [{ const: 'standalone' }, { const: 'replication' }] },
    port: { type: ['integer', 'string'], description: 'Redis port' },
  },
};

const CHART = appWithRedis({
  dependency: 'alias: cache',
  schema: JSON.stringify(SCHEMA),
  values: `image:
  # -- Image pull policy
  pullPolicy: IfNotPresent
  tag: "1.0"
resources: {}
hosts: [a.example.com]
legacyName: app
extra:
  anything: 1`,
  overlay: `cache:
  architecture: replication
  port: 6380
  enabled: true`,
  redisSchema: JSON.stringify(REDIS_SCHEMA),
  redis: `architecture: standalone
port: 6379
`,
});

test('schema hover: type, allowed values and default after the precedence part; the values.yaml comment not repeated', () => {
  checkHover(
    CHART,
    '/chart/values.yaml',
    'pull$0Policy',
    `
    **\`image.pullPolicy\`** — chart default

    \`"IfNotPresent"\` in all 2 environments, from \`values.yaml:3\`, not overridden

    ---

    **Schema** \`string\`

    Allowed: \`"Always"\`, \`"IfNotPresent"\`, \`"Never"\` · default \`"IfNotPresent"\`

    ---

    Image pull policy
    `,
  );
});

test('schema hover: allOf branches merge; examples are cut after three', () => {
  checkHover(
    CHART,
    '/chart/values.yaml',
    't$0ag',
    `
    **\`image.tag\`** — chart default

    \`"1.0"\` in all 2 environments, from \`values.yaml:4\`, not overridden

    ---

    **Schema** \`string\`

    Image tag

    Examples \`"1.25"\`, \`"1.25-alpine"\`, \`"latest"\` and 1 more
    `,
  );
});

test('schema hover: title, markdown description and required properties through #/definitions', () => {
  checkHover(
    CHART,
    '/chart/values.yaml',
    'res$0ources',
    `
    **\`resources\`** — chart default

    \`{}\` in all 2 environments, from \`values.yaml:5\`, not overridden

    ---

    **Schema** \`object\` — Resources

    Container resources ([docs](https://kubernetes.io))

    Requires \`limits\`, \`requests\`
    `,
  );
});

test('schema hover: list items, deprecated keys', () => {
  checkHover(
    CHART,
    '/chart/values.yaml',
    'a.ex$0ample.com',
    `
    **\`hosts[0]\`** — chart default

    \`"a.example.com"\` in all 2 environments, from \`values.yaml:6\`, not overridden

    ---

    **Schema** \`string\`

    A host name

    Example \`"a.example.com"\`
    `,
  );
  assert.match(hoverAt(CHART, '/chart/values.yaml', 'legacy$0Name') ?? '', /\n\n---\n\n\*\*Schema\*\* `string` · \*\*deprecated\*\*\n\nUse nameOverride$/);
});

test('schema hover: under a subchart alias the subchart\'s schema, and the parent schema\'s properties there', () => {
  checkHover(
    CHART,
    '/chart/values-prod.yaml',
    'arch$0itecture',
    `
    **\`cache.architecture\`** — override in **prod**

    \`"replication"\` in **prod**, from \`values-prod.yaml:2\` — **this line wins**

    Shadows:
    - \`"standalone"\` from \`redis defaults: charts/redis/values.yaml:1\`

    ---

    **Schema**

    Redis architecture

    Allowed: \`"standalone"\`, \`"replication"\`
    `,
  );
  assert.match(hoverAt(CHART, '/chart/charts/redis/values.yaml', 'po$0rt') ?? '', /\n\n---\n\n\*\*Schema\*\* `integer \| string`\n\nRedis port$/);
  assert.match(hoverAt(CHART, '/chart/values-prod.yaml', 'enab$0led') ?? '', /\n\n---\n\n\*\*Schema\*\* `boolean`\n\nDeploy the cache$/);
});

test('schema hover: quiet where the schema says nothing', () => {
  // `extra.anything`: allowed by additionalProperties: true, nothing to say.
  assert.ok(!(hoverAt(CHART, '/chart/values.yaml', 'any$0thing') ?? '').includes('Schema'));
  // Without a schema, the hover is what it was.
  const plain = CHART.replace(/#- \/chart\/values\.schema\.json\n.*\n/, '');
  assert.ok(!(hoverAt(plain, '/chart/values.yaml', 'pull$0Policy') ?? '').includes('Schema'));
});

test('real chart: Bitnami redis with its schema, master.persistence.size', () => {
  const dir = CORPUS + 'bitnami__charts/bitnami/redis/';
  const files = new Map<string, string>();
  for (const name of ['Chart.yaml', 'values.yaml', 'values.schema.json']) files.set(`/chart/${name}`, readFileSync(dir + name, 'utf8'));
  files.set('/chart/Chart.yaml', (files.get('/chart/Chart.yaml') ?? '').replace(/^dependencies:\n(?:[-\s].*\n)*/m, ''));
  files.set('/chart/values-prod.yaml', 'master:\n  persistence:\n    size: 50Gi\n    accessModes: [ReadWriteOnce]\n');
  const a = analysisOf(files);
  const over = computeHover(a, '/chart/values-prod.yaml', 'master:\n  persistence:\n    si'.length, {});
  assert.ok(over);
  // The values.yaml comment says what the schema description says: once.
  assert.ok(over.markdown.endsWith('\n\n---\n\n**Schema** `string`\n\nDefault `"8Gi"`\n\n---\n\nPersistent Volume size'), over.markdown);
  const modes = computeHover(a, '/chart/values-prod.yaml', 'master:\n  persistence:\n    size: 50Gi\n    acc'.length, {});
  assert.ok(modes?.markdown.includes('**Schema** `array`\n\nDefault `["ReadWriteOnce"]`'), modes?.markdown);
});
