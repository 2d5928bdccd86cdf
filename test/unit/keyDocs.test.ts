// Key documentation from values.yaml comments: helm-docs, Bitnami @param, plain comment blocks. Tests are data:
// a values text with a `$0` marker on the key (its path is taken from the document), and the expected text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { keyDocumentation } from '../../server/src/service/yaml/keyDocs';
import { parseValuesDocument, type PathSegment } from '../../server/src/service/yaml/valuesDocument';
import { dedent } from './fixture';

/** Documentation of the key at `$0`, or of `path` when given. */
function checkDocs(text: string, expected: string | undefined, path?: PathSegment[]): void {
  const src = dedent(text);
  const at = src.indexOf('$0');
  const doc = parseValuesDocument('/chart/values.yaml', at >= 0 ? src.slice(0, at) + src.slice(at + 2) : src);
  const key = path ?? doc.index.entryAt(at)?.path;
  assert.ok(key, 'no key at $0');
  assert.equal(keyDocumentation(doc, key), expected);
}

const CORPUS = new URL('../fixtures/corpus/charts/', import.meta.url);
const corpusValues = (rel: string) => parseValuesDocument(`/corpus/${rel}`, readFileSync(new URL(rel, CORPUS), 'utf8'));

test('helm-docs: "# --" directly above the key, continuation lines, @default, other @ lines ignored', () => {
  checkDocs(
    `
    # -- Image to run
    image:
      # -- Tag of the image.
      # Defaults to the chart's appVersion.
      # @default -- \`.Chart.AppVersion\`
      # @section -- Image
      ta$0g: ""
    `,
    "Tag of the image. Defaults to the chart's appVersion.\n\nDefault: `.Chart.AppVersion`",
  );
  checkDocs(
    `
    # -- Image to run
    ima$0ge:
      tag: ""
    `,
    'Image to run',
  );
});

test('helm-docs: a plain comment before the "# --" line is not part of it; a blank continuation is a paragraph', () => {
  checkDocs(
    `
    ## Replicas
    # -- How many pods
    #
    # More than one needs a PodDisruptionBudget
    replic$0as: 1
    `,
    'How many pods\n\nMore than one needs a PodDisruptionBudget',
  );
});

test('helm-docs older form "# path -- description" anywhere in the file', () => {
  checkDocs(
    `
    # service.port -- Port of the Service
    service:
      type: ClusterIP
      po$0rt: 80
    `,
    'Port of the Service',
  );
});

test('Bitnami: "## @param" anywhere, modifiers stripped, dotted and list paths', () => {
  const text = `
    ## @section Common parameters
    ## @param master.persistence.size Persistent Volume size
    ## @param master.persistence.accessModes [array] Persistent Volume access modes
    ## @param extraEnvVars[0].name Name of the first extra variable
    ## @extra master.extra Not a key of this file
    ## @skip master.skipped
    ##
    master:
      persistence:
        ## @param master.persistence.enabled Enable persistence using PVCs
        ##
        enabled: true
        size: 8Gi
        accessModes:
          - ReadWriteOnce
    extraEnvVars:
      - name: FOO
        value: bar
    `;
  checkDocs(text, 'Persistent Volume size', ['master', 'persistence', 'size']);
  checkDocs(text, 'Persistent Volume access modes', ['master', 'persistence', 'accessModes']);
  checkDocs(text, 'Enable persistence using PVCs', ['master', 'persistence', 'enabled']);
  checkDocs(text, 'Name of the first extra variable', ['extraEnvVars', 0, 'name']);
  checkDocs(text, undefined, ['extraEnvVars', 0, 'value']);
  checkDocs(text, undefined, ['master', 'extra']);
  // The block above `master:` holds only @ lines (and one blank `##`): nothing plain is left.
  checkDocs(text, undefined, ['master']);
});

test('plain comment blocks: markers stripped, commented-out YAML skipped, lines kept apart', () => {
  checkDocs(
    `
    ## Configure the ingress
    ## ref: https://kubernetes.io/docs/concepts/services-networking/ingress/
    ##
    ## annotations:
    ##   kubernetes.io/ingress.class: nginx
    ##   - name: foo
    ## Note: paths are prefixes
    ingr$0ess: {}
    `,
    'Configure the ingress  \nref: https://kubernetes.io/docs/concepts/services-networking/ingress/\n\nNote: paths are prefixes',
  );
  checkDocs(
    `
    # resources:
    #   limits:
    #     cpu: 100m
    resour$0ces: {}
    `,
    undefined,
  );
});

test('plain comments only when no helm-docs or Bitnami doc exists', () => {
  checkDocs(
    `
    ## @param port Port of the server
    ## Some plain words
    po$0rt: 80
    `,
    'Port of the server',
  );
});

test('no documentation: blank line between comment and key, key not first on its line, trailing comment', () => {
  checkDocs(
    `
    # Detached comment

    ke$0y: 1
    `,
    undefined,
  );
  checkDocs(
    `
    # About the map
    map: {a: 1, b$0: 2}
    `,
    undefined,
  );
  checkDocs('a$0: 1 # trailing\n', undefined);
});

test('list items: the comment above an item documents it; tags are escaped outside code spans', () => {
  checkDocs(
    `
    hosts:
      # The <primary> host, \`<name>.example.com\`
      - na$0me: web
    `,
    'The \\<primary> host, `<name>.example.com`',
  );
});

test('real charts: Bitnami redis, argo-cd (helm-docs), kube-prometheus-stack (plain)', () => {
  const redis = corpusValues('bitnami__charts/bitnami/redis/values.yaml');
  assert.equal(keyDocumentation(redis, ['master', 'persistence', 'size']), 'Persistent Volume size');
  assert.equal(keyDocumentation(redis, ['master', 'persistence']), 'Persistence parameters  \nref: https://kubernetes.io/docs/concepts/storage/persistent-volumes/');
  const argo = corpusValues('argoproj__argo-helm/charts/argo-cd/values.yaml');
  assert.equal(keyDocumentation(argo, ['namespaceOverride']), 'Override the namespace\n\nDefault: `.Release.Namespace`');
  const kps = corpusValues('prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml');
  assert.equal(keyDocumentation(kps, ['alertmanager', 'enabled']), 'Deploy alertmanager');
  assert.equal(keyDocumentation(kps, ['prometheus', 'prometheusSpec', 'retention']), 'How long to retain metrics');
  assert.equal(keyDocumentation(kps, ['no', 'such', 'key']), undefined);
});

test('the index is built once per document and answers as a fresh document does (its speed: npm run bench, hover)', () => {
  const rel = 'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml';
  const kps = corpusValues(rel);
  keyDocumentation(kps, ['alertmanager', 'enabled']);
  const paths = kps.entries.filter((_, i) => i % 10 === 0).map((e) => e.path);
  const warm = paths.map((p) => keyDocumentation(kps, p));
  const fresh = paths.map((p) => keyDocumentation(corpusValues(rel), p));
  assert.deepEqual(warm, fresh);
  assert.ok(warm.filter((d) => d !== undefined).length > 50, 'most sampled keys of kube-prometheus-stack are documented');
});

test('lines are read as split at \\r?\\n: CRLF files document every key as LF ones', () => {
  for (const rel of ['bitnami__charts/bitnami/redis/values.yaml', 'argoproj__argo-helm/charts/argo-cd/values.yaml', 'prometheus-community__helm-charts/charts/kube-prometheus-stack/values.yaml']) {
    const text = readFileSync(new URL(rel, CORPUS), 'utf8');
    const lf = parseValuesDocument(`/corpus/${rel}`, text);
    const crlf = parseValuesDocument(`/corpus/${rel}`, text.replace(/\n/g, '\r\n'));
    let documented = 0;
    for (const e of lf.entries) {
      const expected = keyDocumentation(lf, e.path);
      if (expected !== undefined) documented++;
      assert.equal(keyDocumentation(crlf, e.path), expected, `${rel}: ${e.path.join('.')}`);
    }
    assert.ok(documented > 100, `${rel}: ${documented} documented keys`);
  }
  checkDocs('# -- first\r\n# second\r\nke$0y: 1\r\n', 'first second');
});
