// The values files the VS Code client selects and watches because `helmValues.environments` names them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configuredValuesFiles, TEMPLATE_DOCUMENTS, TEMPLATE_FILES_GLOB } from '../../client/src/configuredValuesFiles';

const folder = '/work/project';

test('an environment with a chart: its files relative to the workspace folder', () => {
  assert.deepEqual(configuredValuesFiles([{ name: 'prod', chart: 'charts/api', values: ['deploy/prod-overrides.yml', './values-prod.yaml'] }], folder), [
    'charts/api/deploy/prod-overrides.yml',
    'charts/api/values-prod.yaml',
  ]);
});

test('an environment for every chart: its files at any depth', () => {
  assert.deepEqual(configuredValuesFiles([{ name: 'prod', values: ['deploy/prod-overrides.yml'] }, { name: 'eu', values: ['../shared/eu.yaml'] }], folder), [
    '**/deploy/prod-overrides.yml',
    '**/shared/eu.yaml',
  ]);
});

test('files outside the folder and absolute files stay absolute', () => {
  assert.deepEqual(configuredValuesFiles([{ name: 'a', chart: 'api', values: ['../../shared/a.yaml', '/etc/helm/b.yaml'] }], folder), ['/etc/helm/b.yaml', '/work/shared/a.yaml']);
});

test('duplicates once, sorted; malformed entries are skipped (the server reports them)', () => {
  assert.deepEqual(
    configuredValuesFiles([{ name: 'a', values: ['x.yml', 3, '', null] }, { name: 'b', values: ['x.yml'] }, null, 'prod', { name: 'c', values: 'x.yml' }, { name: 'd', chart: 7, values: ['y.yml'] }], folder),
    ['**/x.yml', '**/y.yml'],
  );
  assert.deepEqual(configuredValuesFiles(undefined, folder), []);
  assert.deepEqual(configuredValuesFiles({ environments: [] }, folder), []);
});

test('chart templates are selected in the languages other extensions give them, and no language is contributed', () => {
  assert.deepEqual(
    TEMPLATE_DOCUMENTS.map((d) => `${d.language} ${d.pattern}`),
    ['helm **/templates/**', 'go-template **/templates/**', 'yaml **/templates/**', 'plaintext **/templates/**/*.{tpl,txt}'],
  );
  assert.equal(TEMPLATE_FILES_GLOB, '**/templates/**');
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: Record<string, unknown> };
  assert.equal(manifest.contributes.languages, undefined, 'a language contribution would change the language id of files other extensions own');
});
