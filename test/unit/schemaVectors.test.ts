// Helm's schema tests (test/fixtures/helm-vectors/schema.json) through the host compiler and the service validator.
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { compileSchema } from '../../server/src/host/schemaCompiler';
import type { ChartModel } from '../../server/src/service/chart/chartModel';
import type { WorkingChart } from '../../server/src/service/helm/dependencies';
import { Provenance } from '../../server/src/service/helm/provenance';
import { validateEnvironment } from '../../server/src/service/schema/validate';
import type { CompiledSchema } from '../../server/src/service/schema/types';
import type { ValueMap } from '../../server/src/service/types';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';

interface Vector {
  name: string; operation: string; valuesFile?: string; schemaFile?: string; schema?: unknown; values?: ValueMap;
  subcharts?: Record<string, { schema: unknown }>; valid: boolean; expectedErrors?: { instancePath: string; message: string }[];
}
const root = fileURLToPath(new URL('../fixtures/helm-vectors/', import.meta.url));
const file = JSON.parse(readFileSync(join(root, 'schema.json'), 'utf8')) as { vectors: Vector[] };

function model(name: string, schema: string | undefined): ChartModel {
  return { name, version: '1.0.0', apiVersion: 'v2', dir: `/${name}`, subcharts: [], overlays: [], problems: [], ...(schema !== undefined ? { schema: { path: `/${name}/values.schema.json`, text: schema } } : {}) };
}

file.vectors.forEach((v, i) => {
  test(`schema vector ${i}: ${v.name}`, () => {
    const rootSchema = v.schemaFile ? readFileSync(join(root, v.schemaFile), 'utf8') : v.schema !== undefined ? JSON.stringify(v.schema) : undefined;
    const values = v.valuesFile ? (parseValuesDocument(v.valuesFile, readFileSync(join(root, v.valuesFile), 'utf8')).documents[0] ?? {}) : (v.values ?? {});
    const top = model('chrt', rootSchema);
    const subs = Object.entries(v.subcharts ?? {}).map(([n, s]) => model(n, JSON.stringify(s.schema)));
    const compiled = new Map<ChartModel, CompiledSchema>();
    for (const m of [top, ...subs]) if (m.schema) compiled.set(m, compileSchema(m.schema, { defaultDraft: '2020-12' }));
    const problems = [...compiled.values()].flatMap((c) => c.problems.filter((p) => p.severity === 'error'));
    const chart: WorkingChart = { name: 'chrt', values: {}, model: top, metaDeps: undefined, dependencies: subs.map((m) => ({ name: m.name, values: {}, model: m, metaDeps: undefined, dependencies: [] })) };
    const messages = validateEnvironment(
      { effective: { values, prov: new Provenance(), messages: [], chart, helmVersion: NEWEST_RELEASE[4], userValues: {} }, files: [] },
      (m) => compiled.get(m),
      '/chrt/values.yaml',
    );
    if (v.valid) {
      assert.deepEqual(problems, []);
      assert.deepEqual(messages.map((m) => m.message), []);
      return;
    }
    assert.ok(problems.length + messages.length > 0, 'expected the schema or the values to be rejected');
    for (const e of v.expectedErrors ?? []) {
      const missing = /missing property '(.+)'/.exec(e.message)?.[1];
      const keyword = missing ? 'required' : (/^(\w+):/.exec(e.message)?.[1] ?? '');
      const hit = messages.find((m) => m.data?.keyword === keyword && (missing ? (m.data.path as string[]).join('/') === missing : '/' + (m.data?.path as string[]).join('/') === e.instancePath));
      assert.ok(hit, `expected a ${keyword} error at ${e.instancePath || '(root)'}; got ${JSON.stringify(messages.map((m) => m.message))}`);
    }
  });
});
