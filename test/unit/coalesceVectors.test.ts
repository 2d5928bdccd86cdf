// Helm's own coalescing tests (test/fixtures/helm-vectors/coalesce.json) run against the engine.
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { coalesceValues, coalesceTablesFullKey, mergeMaps, type CoalesceChart, type CoalesceContext } from '../../server/src/service/helm/coalesce';
import { Provenance } from '../../server/src/service/helm/provenance';
import { deepCopy } from '../../server/src/service/values/valueUtil';
import type { Value, ValueMap } from '../../server/src/service/types';
import { lookup, assertYamlEqual } from './vectorUtil';

interface SubSpec { chartDefaults: ValueMap | null; subcharts?: Record<string, SubSpec> }
interface Vector {
  name: string; operation: string; chart?: string; chartDefaults: ValueMap | null; subcharts?: Record<string, SubSpec>;
  overrides: (ValueMap | null)[]; expected?: Value; expectedPaths?: Record<string, Value>; absentPaths?: string[];
  nullPaths?: string[]; presentPaths?: string[]; expectedWarnings?: string[]; inputNotMutated?: boolean;
}
const file = JSON.parse(readFileSync(new URL('../fixtures/helm-vectors/coalesce.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

function chartOf(name: string, spec: SubSpec): CoalesceChart {
  return { name, values: spec.chartDefaults ?? {}, dependencies: Object.entries(spec.subcharts ?? {}).map(([n, s]) => chartOf(n, s)) };
}

file.vectors.forEach((v, i) => {
  test(`coalesce vector ${i}: ${v.name}`, () => {
    const warnings: string[] = [];
    const ctx: CoalesceContext = { prov: new Provenance(), version: NEWEST_RELEASE[4], warn: (m) => warnings.push(m) };
    let result: Value;
    const before = JSON.stringify(v.overrides);
    switch (v.operation) {
      case 'CoalesceValues':
      case 'MergeValues':
      case 'ToRenderValues': {
        const chart = chartOf(v.chart ?? 'chart', { chartDefaults: v.chartDefaults, ...(v.subcharts ? { subcharts: v.subcharts } : {}) });
        const r = coalesceValues(ctx, chart, v.overrides[0] ?? null, v.operation === 'MergeValues');
        assert.ok(!('error' in r), 'error' in r ? r.error : '');
        result = r.values;
        break;
      }
      case 'CoalesceTables':
      case 'MergeTables':
        result = coalesceTablesFullKey(ctx, deepCopy(v.overrides[0] ?? null), deepCopy(v.chartDefaults), '', v.operation === 'MergeTables');
        break;
      case 'MergeMaps':
        result = v.overrides.reduce<ValueMap>((acc, o) => mergeMaps(ctx.prov, acc, deepCopy(o ?? {})), deepCopy(v.chartDefaults ?? {}));
        break;
      default:
        assert.fail(`unknown operation ${v.operation}`);
    }
    if (v.expected !== undefined) assertYamlEqual(result, v.expected);
    for (const [p, want] of Object.entries(v.expectedPaths ?? {})) {
      const got = lookup(result, p);
      assert.ok(got.found, `${p} should be present`);
      assertYamlEqual(got.value, want, p);
    }
    for (const p of v.absentPaths ?? []) assert.equal(lookup(result, p).found, false, `${p} should be absent`);
    for (const p of v.nullPaths ?? []) {
      const got = lookup(result, p);
      assert.ok(got.found && got.value === null, `${p} should be present and null`);
    }
    for (const p of v.presentPaths ?? []) assert.ok(lookup(result, p).found, `${p} should be present`);
    if (v.expectedWarnings) assert.deepEqual([...warnings].sort(), [...v.expectedWarnings].sort());
    if (v.inputNotMutated) assert.equal(JSON.stringify(v.overrides), before);
  });
});
