// Helm's own test vectors (test/fixtures/helm-vectors), run end to end through the built CLI: each vector's chart
// is written to disk as a chart tree, its user values passed as `-f` files or as --set-family flags, and the
// output of `effective -o json` compared with what Helm's tests assert. Every run goes through the CLI's whole
// pipeline (user values, ProcessDependencies, CoalesceValues), at the default Helm release unless the vector needs
// another (VECTOR_RELEASE). The counts, and the precise reason for each vector not run, are printed at the end.
//
//   coalesce.json      CoalesceValues / ToRenderValues: the chart as Helm's Go test builds it (subcharts added with
//                      AddDependency, not declared in Chart.yaml: dependency processing leaves them alone), and
//                      again with the subcharts declared in Chart.yaml, where ProcessDependencies' import step
//                      (merge=true) first copies the subchart defaults, nulls included, into the parent's values.
//                      MergeMaps (-f layering): the override files as `-f` with `--user-supplied`, which prints
//                      Helm's user-supplied values (what `helm get values` shows).
//                      CoalesceTables: Helm's Upgrade.reuseValues, CoalesceTables(new values, previous release's
//                      values): the new values as `-f`, the previous ones as `--reset-then-reuse-values` (and as
//                      `--reuse-values` with the computed values of that previous install as `--reuse-values-all`).
//                      MergeTables / MergeValues: charts whose import-values processing (ProcessDependencies, merge
//                      mode) applies them to the vector's tables; see runMergeTables and runMergeValues.
//   dependencies.json  DependencyEnabled: the testdata chart with userValues as `-f`; an enabled subchart (at its
//                      name or alias path) gets its own defaults and the `global` table Helm injects, a disabled
//                      one neither. ImportValues: checked on the effective values (see VECTOR_RELEASE for the one
//                      that needs Helm 4.1, and the merge=false one, whose assertions hold on install's values).
//   strvals.json       set / set-string / set-literal / set-json / set-file, `initial` as a -f file, `thenInputs`
//                      as repeated flags, cli-options as several flag kinds: `expected` must equal the output,
//                      `error: true` must exit 2. internal-setIndex (setIndex(list, index, value)): the list as a
//                      key of a -f file and `--set key[index]=value`, which Helm parses into the map built from the
//                      -f files (strvals.ParseInto(value, base)), so listItem calls setIndex on that very list.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { formatRelease, NEWEST_RELEASE } from '../../server/src/service/helm/versions';
import { assertYamlEqual, chartYaml, cliAsync, json, lookup, repoRoot, show, tempDir, writeTree, type CliResult } from './cliUtil';

const vectorsDir = path.join(repoRoot, 'test/fixtures/helm-vectors');
const load = <T>(name: string) => JSON.parse(fs.readFileSync(path.join(vectorsDir, name), 'utf8')) as { vectors: T[] };
const POOL = 4;

const counts: Record<string, { run: number; total: number; skipped: string[] }> = {};
/** Layouts or releases of a vector that run differently, with why (printed with the counts). */
const notes: string[] = [];
function count(file: string, total: number, run: boolean, why?: string): void {
  const c = (counts[file] ??= { run: 0, total, skipped: [] });
  if (run) c.run++;
  else c.skipped.push(why ?? '');
}
after(() => {
  for (const [file, c] of Object.entries(counts)) {
    const reasons = new Map<string, number>();
    for (const r of c.skipped) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    console.log(`# ${file}: ${c.run} of ${c.total} vectors run through the CLI${[...reasons].map(([r, n]) => `; ${n} not expressible (${r})`).join('')}`);
  }
  for (const n of notes) console.log(`# note: ${n}`);
});

type Value = unknown;

// ---------------------------------------------------------------------------------------------------------------
// coalesce.json
// ---------------------------------------------------------------------------------------------------------------
interface SubSpec {
  chartDefaults: Record<string, Value> | null;
  subcharts?: Record<string, SubSpec>;
}
interface CoalesceVector extends SubSpec {
  name: string;
  operation: string;
  chart?: string;
  overrides: (Record<string, Value> | null)[];
  overridesYaml?: string[];
  expected?: Value;
  expectedPaths?: Record<string, Value>;
  absentPaths?: string[];
  nullPaths?: string[];
  presentPaths?: string[];
  expectedWarnings?: string[];
}

/** `declared`: the subcharts are also listed under `dependencies:` in Chart.yaml (so import processing runs). */
function writeChart(dir: string, name: string, spec: SubSpec, declared: boolean): void {
  const deps = declared ? Object.keys(spec.subcharts ?? {}) : [];
  writeTree(dir, { 'Chart.yaml': chartYaml(name, deps.length ? `dependencies:\n${deps.map((d) => `  - name: ${d}\n    version: 0.1.0\n`).join('')}` : '') });
  if (spec.chartDefaults !== null) writeTree(dir, { 'values.yaml': stringify(spec.chartDefaults) });
  for (const [sub, s] of Object.entries(spec.subcharts ?? {})) writeChart(path.join(dir, 'charts', sub), sub, s, declared);
}

/**
 * The release MergeTables and MergeValues vectors run at. Their results keep nulls; Helm computes them inside import
 * processing, and the values templates see are coalesced once more afterwards, which from 4.2.0 drops every
 * chart-default null (helm/helm#31979). So the nulls they assert reach `.Values` only before 4.2.0: the newest
 * release before it. Both functions are the same at 4.1.4 and at the vectors' commit (the 4.2 changes to
 * coalesceTablesFullKey and coalesceValues apply only when not merging).
 */
const MERGE_RELEASE = '4.1';

/** cleanNilValues: a copy without null map entries, at every depth (lists are left as they are, as in Helm). */
function withoutNulls(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

/**
 * The chart in `dir` at MERGE_RELEASE, and at the default release: there the vector's table (`pick`), which no
 * chart's defaults are coalesced with after import processing, differs only by the final coalescing's
 * cleanNilValues (the same values without their nulls). Returns the MERGE_RELEASE output of `pick`.
 */
async function atMergeRelease(dir: string, chart: string, pick: (values: unknown) => unknown): Promise<{ r: CliResult; values: unknown }> {
  const [r, now] = await Promise.all([cliAsync(['effective', chart, '--helm-version', MERGE_RELEASE, '-o', 'json'], dir), cliAsync(['effective', chart, '-o', 'json'], dir)]);
  assert.equal(r.code, 0, show(r));
  assert.equal(now.code, 0, show(now));
  const values = pick(json(r));
  assertYamlEqual(pick(json(now)), withoutNulls(values), `at the default release (${formatRelease(NEWEST_RELEASE[4])}), the ${MERGE_RELEASE} values without their nulls`);
  return { r, values };
}
const DECLARED_DIFFERS: Record<string, string> = {
  'null in subchart defaults cleaned even when user partially overrides the same map':
    "with the subchart declared in Chart.yaml, Helm's own pipeline gives child.keyMapping.password: null (Helm 4.2.4 source: ProcessDependencies' import step copies the null into the parent's values; the user's map merges with it as a child-chart key, merge=true; the child's coalesce then keeps a null no lower layer overrides, helm/helm#31643); the vector holds for the chart its Go test builds, run above",
};

function checkCoalesceResult(v: CoalesceVector, r: { stderr: string }, result: unknown): void {
  if (v.expected !== undefined) assertYamlEqual(result, v.expected, 'expected');
  for (const [p, want] of Object.entries(v.expectedPaths ?? {})) {
    const got = lookup(result, p);
    assert.ok(got.found, `${p} should be present; got ${JSON.stringify(result)}`);
    assertYamlEqual(got.value, want, p);
  }
  for (const p of v.absentPaths ?? []) assert.equal(lookup(result, p).found, false, `${p} should be absent; got ${JSON.stringify(lookup(result, p).value)}`);
  for (const p of v.nullPaths ?? []) {
    const got = lookup(result, p);
    assert.ok(got.found && got.value === null, `${p} should be present and null`);
  }
  for (const p of v.presentPaths ?? []) assert.ok(lookup(result, p).found, `${p} should be present`);
  // Helm prints its coalescing warnings; the CLI prints them on stderr.
  for (const w of v.expectedWarnings ?? []) assert.ok(r.stderr.includes(w), `warning "${w}" not on stderr:\n${r.stderr}`);
}

/** The vector's higher-precedence table (`overrides[0]`) as YAML, in the spelling the Go test parsed when it has one. */
const overrideYaml = (v: CoalesceVector) => v.overridesYaml?.[0] ?? (v.overrides[0] === null ? '' : stringify(v.overrides[0]));
/** A table as `helm get values -o yaml` prints it (`null` for none: a release stores empty values as nil). */
const getValuesYaml = (t: Record<string, Value> | null) => (t === null || Object.keys(t).length === 0 ? 'null\n' : stringify(t));

/**
 * CoalesceTables(dst = overrides[0], src = chartDefaults), as Upgrade.reuseValues calls it: CoalesceTables(newVals,
 * current.Config). `helm upgrade REL empty -f new.yaml --reset-then-reuse-values` on a chart without values: the
 * new release's user-supplied values are the vector's result, and so are the values templates see. With
 * `--reuse-values` the user-supplied values are the same; the chart's values.yaml is replaced by the previous
 * computed values (what `effective -f prev.yaml` printed for the previous install), so those are not checked there.
 */
async function runCoalesceTables(v: CoalesceVector): Promise<void> {
  const dir = tempDir('hv-coalescetables-');
  writeTree(dir, { 'empty/Chart.yaml': chartYaml('empty'), 'new.yaml': overrideYaml(v), 'prev.yaml': getValuesYaml(v.chartDefaults) });
  const flags = ['-f', 'new.yaml', '--reset-then-reuse-values', 'prev.yaml'];
  const supplied = await cliAsync(['effective', 'empty', ...flags, '--user-supplied', '-o', 'json'], dir);
  assert.equal(supplied.code, 0, show(supplied));
  checkCoalesceResult(v, supplied, json(supplied));
  const effective = await cliAsync(['effective', 'empty', ...flags, '-o', 'json'], dir);
  assert.equal(effective.code, 0, show(effective));
  checkCoalesceResult(v, effective, json(effective));
  // --reuse-values: the previous release installed with -f prev.yaml; its computed values are `helm get values --all`.
  const install = await cliAsync(['effective', 'empty', ...(v.chartDefaults === null ? [] : ['-f', 'prev.yaml']), '-o', 'json'], dir);
  assert.equal(install.code, 0, show(install));
  writeTree(dir, { 'prev-all.yaml': getValuesYaml(json(install)) });
  const reuse = await cliAsync(['effective', 'empty', '-f', 'new.yaml', '--reuse-values', 'prev.yaml', '--reuse-values-all', 'prev-all.yaml', '--user-supplied', '-o', 'json'], dir);
  assert.equal(reuse.code, 0, show(reuse));
  checkCoalesceResult(v, reuse, json(reuse));
}

/**
 * MergeTables(dst = overrides[0], src = chartDefaults), as processImportValues calls it last: c.Values =
 * MergeTables(cvals, b), where cvals is the parent's values (MergeValues(parent, nil): its values.yaml, here dst)
 * and b what it imports (here src, imported whole: `import-values: [{child: data, parent: .}]` from a subchart `s`
 * whose values are `data: src`). For a nil src Helm's pipeline has no exact counterpart (b is never nil); the
 * subchart exports an empty table, and MergeTables(cvals, {}) leaves cvals as a nil src does. `.Values` is the
 * parent's values after import processing, coalesced once more (see MERGE_RELEASE), plus the subchart's table `s`.
 */
async function runMergeTables(v: CoalesceVector): Promise<void> {
  const dir = tempDir('hv-mergetables-');
  writeTree(dir, {
    'parent/Chart.yaml': chartYaml('parent', 'dependencies:\n  - name: s\n    version: 0.1.0\n    import-values:\n      - child: data\n        parent: .\n'),
    'parent/values.yaml': overrideYaml(v),
    'parent/charts/s/Chart.yaml': chartYaml('s'),
    'parent/charts/s/values.yaml': stringify({ data: v.chartDefaults ?? {} }),
  });
  const { r, values } = await atMergeRelease(dir, 'parent', (x) => x);
  const { s, ...parent } = values as Record<string, unknown>;
  assertYamlEqual(lookup(s, 'data').value, v.chartDefaults ?? {}, 'the subchart keeps its own values');
  checkCoalesceResult(v, r, parent);
}

/**
 * MergeValues(chart, overrides): processImportValues calls MergeValues(c, nil) on every chart that declares
 * dependencies, and its coalesceDeps calls coalesce(subchart, parentValues[subchart], merge=true) on each
 * subchart: MergeValues of the subchart with its parent's values for it. So: `mw` holds the vector's overrides
 * under `moby` (its subchart, the vector's chart tree as the Go test builds it), and `w` above it imports that
 * merged table (`child: moby` from `mw`) to `merged`, where no later coalescing against moby's defaults reaches it.
 */
async function runMergeValues(v: CoalesceVector): Promise<void> {
  const dir = tempDir('hv-mergevalues-');
  const indented = overrideYaml(v).split('\n').map((l) => (l === '' ? l : `  ${l}`)).join('\n');
  writeTree(dir, {
    'w/Chart.yaml': chartYaml('w', 'dependencies:\n  - name: mw\n    version: 0.1.0\n    import-values:\n      - child: moby\n        parent: merged\n'),
    'w/charts/mw/Chart.yaml': chartYaml('mw'),
    'w/charts/mw/values.yaml': `moby:\n${indented}`,
  });
  writeChart(path.join(dir, 'w/charts/mw/charts/moby'), v.chart ?? 'moby', v, false);
  const { r, values } = await atMergeRelease(dir, 'w', (x) => {
    const merged = lookup(x, 'merged');
    assert.ok(merged.found, 'w imports the merged table to `merged`');
    return merged.value;
  });
  checkCoalesceResult(v, r, values);
}

const RUNNERS: Record<string, (v: CoalesceVector) => Promise<void>> = { CoalesceTables: runCoalesceTables, MergeTables: runMergeTables, MergeValues: runMergeValues };

describe('coalesce.json through `effective -f`', { concurrency: POOL }, () => {
  const { vectors } = load<CoalesceVector>('coalesce.json');
  vectors.forEach((v, i) => {
    const runner = RUNNERS[v.operation];
    if (runner) {
      count('coalesce.json', vectors.length, true);
      if (v.operation !== 'CoalesceTables') {
        notes.push(`coalesce vector ${i} (${v.operation}) runs with --helm-version ${MERGE_RELEASE}: its nulls reach .Values only before 4.2.0 (see MERGE_RELEASE); at the default release the same values, without nulls`);
      }
      it(`coalesce vector ${i}: ${v.name} (${v.operation === 'CoalesceTables' ? '--reset-then-reuse-values, --reuse-values' : `import-values chart, Helm ${MERGE_RELEASE}`})`, () => runner(v));
      return;
    }
    if (v.operation === 'MergeMaps') {
      count('coalesce.json', vectors.length, true);
      it(`coalesce vector ${i}: ${v.name} (effective --user-supplied)`, async () => {
        const dir = tempDir('hv-mergemaps-');
        writeTree(dir, { 'chart/Chart.yaml': chartYaml('chart') });
        const args: string[] = [];
        [v.chartDefaults, ...v.overrides].forEach((o, k) => {
          if (o === null) return;
          writeTree(dir, { [`f${k}.yaml`]: stringify(o) });
          args.push('-f', `f${k}.yaml`);
        });
        const r = await cliAsync(['effective', 'chart', '--user-supplied', ...args, '-o', 'json'], dir);
        assert.equal(r.code, 0, show(r));
        checkCoalesceResult(v, r, json(r));
      });
      return;
    }
    const expressible = (v.operation === 'CoalesceValues' || v.operation === 'ToRenderValues') && v.overrides.length === 1;
    if (!expressible) {
      count('coalesce.json', vectors.length, false, `${v.operation}: no CLI path`);
      return;
    }
    count('coalesce.json', vectors.length, true);
    for (const declared of v.subcharts ? [false, true] : [false]) {
      const why = declared ? DECLARED_DIFFERS[v.name] : undefined;
      if (why) {
        notes.push(`coalesce vector ${i} with subcharts declared: ${why}`);
        continue;
      }
      it(`coalesce vector ${i}: ${v.name}${declared ? ' (subcharts declared in Chart.yaml)' : ''}`, async () => {
        const dir = tempDir('hv-coalesce-');
        writeChart(path.join(dir, 'chart'), v.chart ?? 'chart', v, declared);
        writeTree(dir, { 'override.yaml': overrideYaml(v) });
        const r = await cliAsync(['effective', 'chart', '-f', 'override.yaml', '-o', 'json'], dir);
        assert.equal(r.code, 0, show(r));
        checkCoalesceResult(v, r, json(r));
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// dependencies.json
// ---------------------------------------------------------------------------------------------------------------
interface DependencyVector {
  name: string;
  operation: string;
  chartDir: string;
  merge?: boolean;
  userValues?: Record<string, Value>;
  expectedEnabledCharts?: string[];
  expectedPaths?: Record<string, Value>;
  absentPaths?: string[];
  nullPaths?: string[];
  expectedEnabledDependencyCount?: number;
  expectedDependencyCountBeforeEnable?: number;
  expectedEnabledDependencyValues?: Record<string, Value>;
}

/** Vectors (by name) that hold only at another Helm release than the default, and why. */
const VECTOR_RELEASE: Record<string, { version: string; why: string }> = {
  'import-values with merge=true keeps explicit nulls': {
    version: '4.1',
    why: "it asserts the parent's values after import processing (ensurenull: null); the CLI prints them after coalescing, which copies a chart-default null into .Values up to Helm 4.1 and drops it from 4.2.0 (helm/helm#31979)",
  },
};

/** Every subchart path of a chart directory tree (names or aliases as Chart.yaml declares them), e.g. `a`, `a.b`. */
function subchartPaths(chartDir: string, prefix = ''): { path: string; dir: string }[] {
  const out: { path: string; dir: string }[] = [];
  const chartsDir = path.join(chartDir, 'charts');
  if (!fs.existsSync(chartsDir)) return out;
  const byName = new Map<string, string>();
  for (const d of fs.readdirSync(chartsDir)) {
    const cy = path.join(chartsDir, d, 'Chart.yaml');
    if (!fs.existsSync(cy)) continue;
    const name = /^name:\s*(\S+)/m.exec(fs.readFileSync(cy, 'utf8'))?.[1];
    if (name) byName.set(name, path.join(chartsDir, d));
  }
  // Aliases from the parent's Chart.yaml: `- name: x` followed by `alias: y` in the same list item.
  const parentYaml = fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8');
  const aliasOf = new Map<string, string[]>();
  for (const item of parentYaml.split(/\n\s*-\s+(?=name:)/).slice(1)) {
    const n = /^name:\s*(\S+)/.exec(item)?.[1];
    const a = /\n\s*alias:\s*(\S+)/.exec(item)?.[1];
    if (n) aliasOf.set(n, [...(aliasOf.get(n) ?? []), a ?? n]);
  }
  for (const [name, dir] of byName) {
    for (const as of aliasOf.get(name) ?? [name]) {
      const p = prefix === '' ? as : `${prefix}.${as}`;
      out.push({ path: p, dir }, ...subchartPaths(dir, p));
    }
  }
  return out;
}

/** Keys of a subchart's own values.yaml (what an enabled subchart must carry). */
function ownKeys(dir: string): string[] {
  const f = path.join(dir, 'values.yaml');
  if (!fs.existsSync(f)) return [];
  return [...fs.readFileSync(f, 'utf8').matchAll(/^([A-Za-z][\w-]*):/gm)].map((m) => m[1]!).filter((k) => k !== 'global' && k !== 'exports');
}

describe('dependencies.json through `effective -f`', { concurrency: POOL }, () => {
  const { vectors } = load<DependencyVector>('dependencies.json');
  vectors.forEach((v, i) => {
    const release = VECTOR_RELEASE[v.name];
    if (release) notes.push(`dependency vector ${i} runs with --helm-version ${release.version}: ${release.why}`);
    if (v.operation !== 'DependencyEnabled' && v.merge === false) {
      notes.push(`dependency vector ${i} (ImportValues, merge=false) is checked on install's values (ProcessDependencies with merge=true, then CoalesceValues at Helm ${formatRelease(NEWEST_RELEASE[4])}): its imported paths are the same, and ensurenull is absent because coalescing drops the chart-default null (helm/helm#31979), not because of merge=false's trimNilValues`);
    }
    count('dependencies.json', vectors.length, true);
    it(`dependency vector ${i} (${v.operation}${release ? `, Helm ${release.version}` : ''}): ${v.name}`, async () => {
      let chartDir = path.join(vectorsDir, v.chartDir);
      if (v.expectedDependencyCountBeforeEnable !== undefined && fs.existsSync(path.join(chartDir, 'envs'))) {
        // Helm's testdata ships these subcharts packaged; rebuild charts/<name> from their sources under envs/.
        const copy = path.join(tempDir('hv-deps-'), path.basename(chartDir));
        fs.cpSync(chartDir, copy, { recursive: true });
        for (const env of fs.readdirSync(path.join(copy, 'envs'))) fs.cpSync(path.join(copy, 'envs', env), path.join(copy, 'charts', env), { recursive: true });
        fs.rmSync(path.join(copy, 'envs'), { recursive: true });
        chartDir = copy;
      }
      const work = tempDir('hv-deps-');
      writeTree(work, { 'user.yaml': v.userValues ? stringify(v.userValues) : '' });
      const r = await cliAsync(['effective', chartDir, '-f', 'user.yaml', ...(release ? ['--helm-version', release.version] : []), '-o', 'json'], work);
      assert.equal(r.code, 0, show(r));
      const result = json(r);
      if (v.expectedEnabledCharts) {
        const root = v.expectedEnabledCharts.find((c) => !c.includes('.'));
        assert.ok(root);
        const enabled = new Set(v.expectedEnabledCharts.filter((c) => c !== root).map((c) => c.slice(root.length + 1)));
        const all = subchartPaths(chartDir);
        for (const e of enabled) assert.ok(all.some((s) => s.path === e), `vector names ${e}, not in the chart tree`);
        for (const s of all) {
          const want = enabled.has(s.path);
          assert.equal(lookup(result, `${s.path}.global`).found, want, `${s.path}: Helm injects \`global\` only into enabled subcharts (want ${want ? 'enabled' : 'disabled'})`);
          for (const k of ownKeys(s.dir)) {
            assert.equal(lookup(result, `${s.path}.${k}`).found, want, `${s.path}.${k}: subchart default ${want ? 'missing from an enabled' : 'present in a disabled'} subchart`);
          }
        }
      }
      for (const [p, want] of Object.entries(v.expectedPaths ?? {})) {
        const got = lookup(result, p);
        assert.ok(got.found, `${p} should be present`);
        assertYamlEqual(typeof got.value === 'number' ? String(got.value) : got.value, typeof want === 'number' ? String(want) : want, p);
      }
      for (const p of v.absentPaths ?? []) assert.equal(lookup(result, p).found, false, `${p} should be absent`);
      for (const p of v.nullPaths ?? []) {
        const got = lookup(result, p);
        assert.ok(got.found && got.value === null, `${p} should be present and null`);
      }
      if (v.expectedEnabledDependencyCount !== undefined) {
        const subs = subchartPaths(chartDir).filter((s) => !s.path.includes('.'));
        assert.equal(subs.length, v.expectedDependencyCountBeforeEnable);
        const enabled = subs.filter((s) => lookup(result, `${s.path}.global`).found);
        assert.equal(enabled.length, v.expectedEnabledDependencyCount, `enabled: ${enabled.map((s) => s.path).join(', ')}`);
        for (const [p, want] of Object.entries(v.expectedEnabledDependencyValues ?? {})) assertYamlEqual(lookup(result, `${enabled[0]!.path}.${p}`).value, want, p);
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// strvals.json
// ---------------------------------------------------------------------------------------------------------------
interface StrvalsVector {
  name: string;
  kind: string;
  input?: string;
  thenInputs?: string[];
  initial?: Value;
  files?: Record<string, string>;
  options?: { setJson?: string[]; set?: string[]; setString?: string[]; setFile?: string[]; setLiteral?: string[] };
  expected?: Value;
  error?: boolean;
  errorMessage?: string;
  /** internal-setIndex: setIndex(initial, index, value). */
  index?: number;
  value?: Value;
}

const FLAG: Record<string, string> = { set: '--set', 'set-string': '--set-string', 'set-literal': '--set-literal', 'set-json': '--set-json', 'set-file': '--set-file' };
const OPTION_FLAG: Record<string, string> = { setJson: '--set-json', set: '--set', setString: '--set-string', setFile: '--set-file', setLiteral: '--set-literal' };

let emptyChart = '';
function emptyChartDir(): string {
  if (emptyChart === '') {
    emptyChart = tempDir('hv-strvals-');
    writeTree(emptyChart, { 'empty/Chart.yaml': chartYaml('empty') });
  }
  return emptyChart;
}

async function runStrvals(v: StrvalsVector, extended: boolean): Promise<void> {
  const cwd = extended ? tempDir('hv-strvals-x-') : emptyChartDir();
  if (extended) writeTree(cwd, { 'empty/Chart.yaml': chartYaml('empty') });
  const args: string[] = [];
  if (v.initial !== undefined) {
    writeTree(cwd, { 'initial.yaml': JSON.stringify(v.initial) });
    args.push('-f', 'initial.yaml');
  }
  for (const [p, text] of Object.entries(v.files ?? {})) writeTree(cwd, { [p]: text });
  const flags: string[] = [];
  if (v.kind === 'cli-options') {
    for (const [k, list] of Object.entries(v.options ?? {})) for (const x of list ?? []) args.push(`${OPTION_FLAG[k]}=${x}`);
  } else {
    const flag = FLAG[v.kind]!;
    for (const input of [v.input ?? '', ...(v.thenInputs ?? [])]) {
      args.push(`${flag}=${input}`);
      flags.push(flag);
    }
  }
  const r = await cliAsync(['effective', 'empty', ...args, '-o', 'json'], cwd);
  if (v.error) {
    assert.equal(r.code, 2, `should fail: ${show(r)}`);
    if (flags[0]) assert.ok(r.stderr.includes(flags[0]), `stderr names ${flags[0]}: ${r.stderr}`);
    if (v.errorMessage) assert.ok(r.stderr.includes(v.errorMessage), `stderr has "${v.errorMessage}": ${r.stderr}`);
    assert.equal(r.stdout, '');
    return;
  }
  assert.equal(r.code, 0, show(r));
  assertYamlEqual(json(r), v.expected, 'expected');
}

/**
 * setIndex(initial, index, value) through `-f` (a key `list` holding `initial`) and `--set list[index]=value`: Options.
 * MergeValues parses each --set into the map built from the -f files, where key() finds the list and listItem
 * calls setIndex on it. An error stops Helm ("failed parsing --set data: ..."; the messages are setIndex's, and
 * listItem's own check for a negative index, in pkg/strvals/parser.go), so nothing is printed: the list stays
 * unchanged only inside Helm, and the CLI, like Helm, prints no values.
 */
async function runSetIndex(v: StrvalsVector): Promise<void> {
  const cwd = tempDir('hv-setindex-');
  writeTree(cwd, { 'empty/Chart.yaml': chartYaml('empty'), 'initial.yaml': stringify({ list: v.initial }) });
  const r = await cliAsync(['effective', 'empty', '-f', 'initial.yaml', `--set=list[${v.index}]=${String(v.value)}`, '-o', 'json'], cwd);
  if (v.error) {
    assert.equal(r.code, 2, `should fail: ${show(r)}`);
    const index = v.index ?? 0;
    const message = index < 0 ? `negative ${index} index not allowed` : `index of ${index} is greater than maximum supported index of 65536`;
    assert.ok(r.stderr.includes(`failed parsing --set data: ${message}`), `stderr has Helm's error "${message}": ${r.stderr}`);
    assert.equal(r.stdout, '');
    return;
  }
  assert.equal(r.code, 0, show(r));
  assertYamlEqual(json(r), { list: v.expected }, 'expected');
}

describe('strvals.json through `effective --set*`', { concurrency: POOL }, () => {
  const { vectors } = load<StrvalsVector>('strvals.json');
  vectors.forEach((v, i) => {
    const simpleKind = ['set', 'set-string', 'set-literal', 'set-json'].includes(v.kind);
    const plain = simpleKind && v.initial === undefined && v.files === undefined && v.thenInputs === undefined && (v.expected !== undefined || v.error === true);
    if (!plain) return;
    count('strvals.json', vectors.length, true);
    it(`strvals vector ${i} (${v.kind}): ${v.name}`, () => runStrvals(v, false));
  });
});

describe('strvals.json through `effective` (extended: -f initial values, repeated flags, --set-file, several kinds)', { concurrency: POOL }, () => {
  const { vectors } = load<StrvalsVector>('strvals.json');
  vectors.forEach((v, i) => {
    const simpleKind = ['set', 'set-string', 'set-literal', 'set-json'].includes(v.kind);
    const plain = simpleKind && v.initial === undefined && v.files === undefined && v.thenInputs === undefined && (v.expected !== undefined || v.error === true);
    if (plain) return;
    if (v.kind === 'internal-setIndex') {
      count('strvals.json', vectors.length, true);
      it(`strvals vector ${i} (${v.kind}, -f list then --set list[${v.index}]=${String(v.value)}): ${v.name}`, () => runSetIndex(v));
      return;
    }
    if (v.expected === undefined && v.error !== true) {
      count('strvals.json', vectors.length, false, 'no expected result');
      return;
    }
    count('strvals.json', vectors.length, true);
    it(`strvals vector ${i} (${v.kind}${v.initial !== undefined ? ', initial' : ''}${v.thenInputs ? ', thenInputs' : ''}${v.files ? ', files' : ''}): ${v.name}`, () => runStrvals(v, true));
  });
});
