// Precision and recall of the secret detector on the labeled cases of the policy (test/fixtures/secrets/cases.jsonl).
// A case is detected when a `secret.*` finding of severity error or warning covers the line of the labeled value
// (any line of it, for block scalars), or points at it through related information (alias sites). Gates:
// precision >= 0.95 and recall >= 0.90 (gitleaks' default rules: 0.94 / 0.59 on this kind of set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { parseValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { detectSecrets, type SecretFinding } from '../../server/src/service/secrets/detect';
import { parseKeyPath } from '../../server/src/service/secrets/keyPath';

interface Case {
  id: string;
  yaml: string;
  path: string;
  secret: boolean;
  kind: string;
  severity: 'error' | 'warning' | 'info' | 'none';
  why: string;
}

const cases: Case[] = readFileSync(new URL('../fixtures/secrets/cases.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Case);

/** Lines (1-based, inclusive ranges) of the labeled value: where it is written, and where an alias resolves to. */
function labeledLines(text: string, path: string): { from: number; to: number }[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, version: '1.1', uniqueKeys: false });
  const out: { from: number; to: number }[] = [];
  const span = (n: YamlNode) => {
    const r = n.range ?? [0, 0, 0];
    const endOffset = Math.max(r[0], r[1] - 1);
    const to = text[endOffset] === '\n' ? lc.linePos(Math.max(r[0], endOffset - 1)).line : lc.linePos(endOffset).line;
    out.push({ from: lc.linePos(r[0]).line, to });
  };
  const lookup = (node: YamlNode | null | undefined, seg: string | number): YamlNode | undefined => {
    let n = node;
    if (n && isAlias(n)) n = n.resolve(doc) as YamlNode | undefined;
    if (typeof seg === 'number') return isSeq(n) ? (n.items[seg] as YamlNode | undefined) : undefined;
    if (!isMap(n)) return undefined;
    let found: YamlNode | undefined;
    for (const item of n.items) {
      if (!isPair(item)) continue;
      const k = item.key as YamlNode | null;
      if (isScalar(k) && k.source === '<<') {
        const merged = lookup(item.value as YamlNode, seg);
        if (merged && !found) found = merged;
      } else if (isScalar(k) && String(k.value) === seg) found = item.value as YamlNode;
    }
    return found;
  };
  let node: YamlNode | undefined = doc.contents ?? undefined;
  for (const seg of parseKeyPath(path)) node = lookup(node, seg);
  if (!node) return out;
  span(node);
  if (isAlias(node)) {
    const target = node.resolve(doc) as YamlNode | undefined;
    if (target) span(target);
  }
  return out;
}

function covers(f: SecretFinding, lines: { from: number; to: number }[]): boolean {
  const spans = [{ from: f.line, to: f.endLine }, ...f.related.map((r) => ({ from: r.line, to: r.endLine }))];
  return spans.some((s) => lines.some((l) => s.from <= l.to && l.from <= s.to));
}

interface Outcome {
  c: Case;
  detected: boolean;
  findings: SecretFinding[];
}

function run(): Outcome[] {
  return cases.map((c) => {
    const doc = parseValuesDocument(`/cases/${c.id}.yaml`, c.yaml);
    const lines = labeledLines(c.yaml, c.path);
    assert.ok(lines.length > 0, `${c.id}: path ${c.path} not found in its YAML`);
    const findings = detectSecrets(doc, {}).filter((f) => (f.severity === 'error' || f.severity === 'warning') && covers(f, lines));
    return { c, detected: findings.length > 0, findings };
  });
}

test('secret detector: precision and recall on the labeled cases', () => {
  const outcomes = run();
  const tp = outcomes.filter((o) => o.c.secret && o.detected);
  const fp = outcomes.filter((o) => !o.c.secret && o.detected);
  const fn = outcomes.filter((o) => o.c.secret && !o.detected);
  const positives = outcomes.filter((o) => o.c.secret).length;
  const precision = tp.length / Math.max(1, tp.length + fp.length);
  const recall = tp.length / Math.max(1, positives);
  const kinds = new Map<string, { total: number; found: number }>();
  for (const o of outcomes.filter((x) => x.c.secret)) {
    const k = kinds.get(o.c.kind) ?? { total: 0, found: 0 };
    k.total++;
    if (o.detected) k.found++;
    kinds.set(o.c.kind, k);
  }
  const lines = [
    `cases: ${outcomes.length} (${positives} secrets, ${outcomes.length - positives} non-secrets)`,
    `precision ${precision.toFixed(3)} (${tp.length}/${tp.length + fp.length}), recall ${recall.toFixed(3)} (${tp.length}/${positives})`,
    ...[...kinds].sort().map(([k, v]) => `  ${k.padEnd(34)} ${v.found}/${v.total}`),
    ...fn.map((o) => `  MISS ${o.c.id} ${o.c.kind} ${o.c.path}`),
    ...fp.map((o) => `  FALSE POSITIVE ${o.c.id} ${o.c.kind} ${o.c.path}: ${o.findings.map((f) => f.code).join(', ')}`),
  ];
  console.log(lines.join('\n'));
  assert.ok(precision >= 0.95, `precision ${precision.toFixed(3)} < 0.95`);
  assert.ok(recall >= 0.9, `recall ${recall.toFixed(3)} < 0.90`);
});

test('secret detector: severities and quiet non-secrets agree with the labels', () => {
  // Informational: how often the reported tier equals the labeled one (error / warning / info / none).
  const rank = { none: 0, info: 1, warning: 2, error: 3 } as const;
  let agree = 0;
  const report: string[] = [];
  for (const c of cases) {
    const doc = parseValuesDocument(`/cases/${c.id}.yaml`, c.yaml);
    const lines = labeledLines(c.yaml, c.path);
    const fs = detectSecrets(doc, {}).filter((f) => covers(f, lines) && f.severity !== 'hint');
    const got = fs.reduce<keyof typeof rank>((m, f) => (rank[f.severity as keyof typeof rank] > rank[m] ? (f.severity as keyof typeof rank) : m), 'none');
    if (got === c.severity) agree++;
    else report.push(`  ${c.id} labeled ${c.severity}, reported ${got} (${fs.map((f) => f.code).join(', ') || 'nothing'})`);
  }
  console.log(`severity agreement ${agree}/${cases.length}\n${report.join('\n')}`);
  // Every non-secret labeled "none" must be completely quiet (no placeholder either).
  const noisy = cases.filter((c) => c.severity === 'none').filter((c) => {
    const lines = labeledLines(c.yaml, c.path);
    return detectSecrets(parseValuesDocument(`/cases/${c.id}.yaml`, c.yaml), {}).some((f) => covers(f, lines) && f.severity !== 'hint');
  });
  assert.deepEqual(noisy.map((c) => c.id), []);
});
