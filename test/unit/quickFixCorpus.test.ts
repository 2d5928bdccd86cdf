// Every quick fix offered on the real-chart corpus, proven: the 20 charts of test/fixtures/corpus/charts that ship a
// values.schema.json, as they are and mutated in memory to provoke each fixable finding on real keys (a quoted
// number or boolean the schema types, a bare number where it wants a string, an enum near miss, a misspelt or an
// extra property under additionalProperties: false, a deleted required property, a plaintext password, a misspelt
// overlay key, a subchart schema that rejects `global`). Each offered action is applied on its own; the edited
// files must parse, the finding it names must be gone (suppressed, for the ignore fixes), no error may appear, and
// only the finding's own lines may change. Issue requirement: "Every fix offered on the corpus must produce a file
// that parses and fixes the problem it names."
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { ChartAnalysis } from '../../server/src/service/analysis';
import type { Finding } from '../../server/src/service/types';
import { analyze, fixable, identity, loadSchemaCharts, mutationsOf, proveFix, provoked, umbrellaOf, type CorpusChart, type Mutation, type MutationKind } from './quickFixCorpusSupport';

/** Mutation sites per kind per chart: the first eligible ones, values.yaml before the overlays. */
const PER_KIND = 2;

/** Every kind of fix the service offers, by finding code and title. A fix that matches none fails the test. */
const FIX_KINDS: { kind: string; code: RegExp; title: RegExp }[] = [
  { kind: 'type: convert to a number', code: /^schema\.type$/, title: /^Convert to a number: / },
  { kind: 'type: convert to a boolean', code: /^schema\.type$/, title: /^Convert to a boolean: / },
  { kind: 'type: quote as a string', code: /^schema\.type$/, title: /^Quote as a string: / },
  { kind: 'enum: replace with an allowed value', code: /^schema\.enum$/, title: /^Replace with / },
  { kind: 'additional property: rename', code: /^schema\.additional-property$/, title: /^Rename to "/ },
  { kind: 'additional property: remove', code: /^schema\.additional-property$/, title: /^Remove "/ },
  { kind: 'unknown overlay key: rename', code: /^helm\.unknown-key$/, title: /^Rename to "/ },
  { kind: 'required: add with the default', code: /^schema\.required$/, title: /^Add required ".*" with its default$/ },
  { kind: 'required: add a placeholder', code: /^schema\.required$/, title: /^Add required ".*" \(placeholder\)$/ },
  { kind: 'global: allow in the subchart schema', code: /^schema\.global-not-allowed$/, title: /^Allow "global" in / },
  { kind: 'secret: existingSecret', code: /^secret\./, title: /^Use .* \(a Kubernetes Secret\) instead of the plaintext value$/ },
  { kind: 'secret: valueFrom.secretKeyRef', code: /^secret\./, title: /^Read .* \(valueFrom\.secretKeyRef\)/ },
  { kind: 'secret: vals reference', code: /^secret\./, title: /^Replace with a vals reference/ },
  { kind: 'secret: ignore comment', code: /^secret\./, title: /^Ignore this secret finding \(# helm-values: ignore secret\)$/ },
  { kind: 'secret: .helmsecretsignore entry', code: /^secret\./, title: /^Ignore this finding in \.helmsecretsignore/ },
];

/** Mutation kinds that must provoke their finding on at least one chart. */
const MUTATION_KINDS: MutationKind[] = ['quote-number', 'quote-boolean', 'bare-number', 'enum-near-miss', 'misspell-property', 'extra-property', 'delete-required', 'secret-password', 'secret-env', 'overlay-misspell', 'global-not-allowed'];

interface Tally {
  charts: number;
  mutations: number;
  findings: number;
  fixes: number;
  byFix: Map<string, number>;
  byMutation: Map<string, number>;
  failures: string[];
}

function show(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.code}`;
}

/** Applies every action offered on `findings` and proves each; failures are collected with the scenario that led there. */
function proveAll(chart: CorpusChart, scenario: string, files: ReadonlyMap<string, string>, a: ChartAnalysis, findings: readonly Finding[], t: Tally): void {
  for (const { finding, actions } of fixable(a, findings)) {
    t.findings++;
    for (const action of actions) {
      const kind = FIX_KINDS.find((k) => k.code.test(action.code) && k.title.test(action.title));
      if (!kind) t.failures.push(`${scenario}: ${show(finding)}: unclassified fix "${action.title}" (add it to FIX_KINDS)`);
      t.byFix.set(kind?.kind ?? action.title, (t.byFix.get(kind?.kind ?? action.title) ?? 0) + 1);
      t.fixes++;
      for (const p of proveFix(chart, { analysis: a, files, finding, action })) t.failures.push(`${scenario}: ${show(finding)} ${finding.message}\n    fix "${action.title}": ${p}`);
    }
  }
}

function runMutation(chart: CorpusChart, m: Mutation, baseline: ReadonlySet<string>, t: Tally): void {
  t.mutations++;
  const a = analyze(chart, m.files);
  const fresh = a.findings().filter((f) => !baseline.has(identity(a, f)));
  if (!provoked(a, m, fresh)) {
    t.failures.push(`${chart.name}: ${m.what}: expected a new ${m.expect.code} finding on ${m.expect.path} in ${m.expect.file}; new findings: ${fresh.map((f) => `${show(f)} ${f.message}`).join('; ') || 'none'}`);
    return;
  }
  t.byMutation.set(m.kind, (t.byMutation.get(m.kind) ?? 0) + 1);
  proveAll(chart, `${chart.name}: ${m.what}`, m.files, a, fresh, t);
}

test('every quick fix offered on the corpus (as shipped and mutated) parses, fixes what it names, adds no error, keeps the other lines', () => {
  const started = performance.now();
  const charts = loadSchemaCharts();
  assert.equal(charts.length, 20, 'corpus charts with a values.schema.json');
  const t: Tally = { charts: charts.length, mutations: 0, findings: 0, fixes: 0, byFix: new Map(), byMutation: new Map(), failures: [] };
  for (const chart of charts) {
    const base = analyze(chart, chart.files);
    // The fixes offered on the charts as shipped, then on each mutation's new findings.
    proveAll(chart, `${chart.name} (as shipped)`, chart.files, base, base.findings(), t);
    const baseline = new Set(base.findings().map((f) => identity(base, f)));
    for (const m of mutationsOf(chart, PER_KIND)) runMutation(chart, m, baseline, t);
    const umbrella = umbrellaOf(chart);
    if (umbrella) {
      const b = analyze(umbrella.chart, umbrella.baseline);
      runMutation(umbrella.chart, umbrella.mutation, new Set(b.findings().map((f) => identity(b, f))), t);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `quick fixes on the corpus: ${t.charts} charts, ${t.mutations} mutations, ${t.findings} fixable findings, ${t.fixes} fixes applied, ${t.failures.length} failures (${seconds.toFixed(1)} s)\n` +
      `  by fix: ${[...t.byFix].map(([k, n]) => `${k} ${n}`).join(', ')}\n` +
      `  by mutation: ${[...t.byMutation].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
  if (process.env.QUICKFIX_CORPUS_DUMP) writeFileSync(process.env.QUICKFIX_CORPUS_DUMP, t.failures.join('\n'));
  assert.deepEqual(t.failures, []);
  assert.deepEqual(
    FIX_KINDS.map((k) => k.kind).filter((k) => !t.byFix.has(k)),
    [],
    'fix kinds never exercised on the corpus',
  );
  assert.deepEqual(
    MUTATION_KINDS.filter((k) => !t.byMutation.has(k)),
    [],
    'mutation kinds that provoked nothing',
  );
});
