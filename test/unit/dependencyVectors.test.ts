// Helm's dependency tests (test/fixtures/helm-vectors/dependencies.json): tags, conditions, aliases and
// import-values, on Helm's own testdata charts read through the chart reader.
import { NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readChartDir } from '../../server/src/host/chartReader';
import { loadChart } from '../../server/src/service/chart/chartModel';
import type { CoalesceContext } from '../../server/src/service/helm/coalesce';
import { processDependencies, processDependencyEnabled, processDependencyImportValues, workingChart, type WorkingChart } from '../../server/src/service/helm/dependencies';
import { enabledCharts } from '../../server/src/service/helm/effective';
import { Provenance } from '../../server/src/service/helm/provenance';
import type { Value, ValueMap } from '../../server/src/service/types';
import { assertYamlEqual, lookup } from './vectorUtil';

interface Vector {
  name: string; operation: string; chartDir: string; merge?: boolean; userValues?: ValueMap;
  expectedEnabledCharts?: string[]; expectedPaths?: Record<string, Value>; absentPaths?: string[]; nullPaths?: string[];
  expectedEnabledDependencyCount?: number; expectedDependencyCountBeforeEnable?: number; expectedEnabledDependencyValues?: ValueMap;
}
const root = fileURLToPath(new URL('../fixtures/helm-vectors/', import.meta.url));
const file = JSON.parse(readFileSync(join(root, 'dependencies.json'), 'utf8')) as { vectors: Vector[] };

function load(v: Vector): WorkingChart {
  const source = readChartDir(join(root, v.chartDir));
  if (v.chartDir.endsWith('import-values-from-enabled-subchart/parent-chart')) {
    // Helm's testdata ships these subcharts packaged; their sources live under envs/ (see the vector's note).
    source.subcharts.push(readChartDir(join(root, v.chartDir, 'envs/dev')), readChartDir(join(root, v.chartDir, 'envs/prod')));
  }
  return workingChart(loadChart(source), NEWEST_RELEASE[4]);
}

/** Numbers compared via their decimal string form, as the Go test does. */
function numText(x: Value | undefined): Value | undefined {
  return typeof x === 'number' ? String(x) : x;
}

file.vectors.forEach((v, i) => {
  test(`dependency vector ${i}: ${v.name}`, () => {
    const prov = new Provenance();
    const ctx: CoalesceContext = { prov, version: NEWEST_RELEASE[4], warn: () => undefined };
    const chart = load(v);
    if (v.expectedDependencyCountBeforeEnable !== undefined) assert.equal(chart.dependencies.length, v.expectedDependencyCountBeforeEnable);
    let err: string | undefined;
    switch (v.operation) {
      case 'DependencyEnabled':
        err = processDependencyEnabled(ctx, chart, v.userValues ?? {}, '', []);
        break;
      case 'ImportValues':
        err = processDependencyImportValues(ctx, chart, [], v.merge ?? true);
        break;
      default:
        err = processDependencies(ctx, chart, v.userValues ?? {}, []);
    }
    assert.equal(err, undefined);
    if (v.expectedEnabledCharts) assert.deepEqual(enabledCharts(chart).sort(), v.expectedEnabledCharts);
    for (const [p, want] of Object.entries(v.expectedPaths ?? {})) {
      const got = lookup(chart.values, p);
      assert.ok(got.found, `${p} should be present`);
      assertYamlEqual(numText(got.value), numText(want), p);
    }
    for (const p of v.absentPaths ?? []) assert.equal(lookup(chart.values, p).found, false, `${p} should be absent`);
    for (const p of v.nullPaths ?? []) assert.ok(lookup(chart.values, p).found && lookup(chart.values, p).value === null, `${p} should be null`);
    if (v.expectedEnabledDependencyCount !== undefined) assert.equal(chart.dependencies.length, v.expectedEnabledDependencyCount);
    for (const [p, want] of Object.entries(v.expectedEnabledDependencyValues ?? {})) {
      const dep = chart.dependencies[0];
      assert.ok(dep);
      assertYamlEqual(lookup(dep.values, p).value, want, p);
    }
  });
});
