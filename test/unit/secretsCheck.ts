// Test helper for the secret detector: fixtures are YAML with the expected findings written as comment lines under
// the line they point at (removed before parsing, so they can sit inside block scalars):
//
//   token: ghp_...
//   #      ^^^^^^^^^^ error[secret.github-token]
//   key: |
//     -----BEGIN RSA PRIVATE KEY-----
//   # ^^^… error[secret.private-key]          (`…`: the finding continues on later lines; only its start is compared)
import assert from 'node:assert/strict';
import { parseValuesDocument, type ValuesDocument } from '../../server/src/service/yaml/valuesDocument';
import { detectSecrets, secretText, type SecretFinding, type SecretOptions } from '../../server/src/service/secrets/detect';

const ANNOTATION = /^(\s*#\s*)(\^+)(…?)\s+(error|warning|info|hint)\[([\w.-]+)\]\s*$/;

export function stripAnnotations(annotated: string): { source: string; expected: string[] } {
  const source: string[] = [];
  const expected: string[] = [];
  for (const line of annotated.split('\n')) {
    const m = ANNOTATION.exec(line);
    if (!m) {
      source.push(line);
      continue;
    }
    const lineNo = source.length;
    const col = (m[1] ?? '').length + 1;
    const end = m[3] ? '…' : String(col + (m[2] ?? '').length);
    expected.push(`${lineNo}:${col}-${end} ${m[4]}[${m[5]}]`);
  }
  return { source: source.join('\n'), expected };
}

export function describeFinding(f: SecretFinding): string {
  return `${f.line}:${f.column}-${f.endLine === f.line ? String(f.endColumn) : '…'} ${f.severity}[${f.code}]`;
}

/** Detects secrets in the annotated fixture and compares every finding (position, severity, code) with the annotations. */
export function checkSecrets(annotated: string, options: SecretOptions = {}, file = '/chart/values.yaml'): { doc: ValuesDocument; findings: SecretFinding[] } {
  const { source, expected } = stripAnnotations(annotated);
  const doc = parseValuesDocument(file, source);
  assert.deepEqual(doc.problems.filter((p) => p.code === 'yaml.syntax'), [], 'fixture must be valid YAML');
  const findings = detectSecrets(doc, options);
  const sorted = (xs: string[]) => [...xs].sort((a, b) => parseInt(a) - parseInt(b) || (a < b ? -1 : 1));
  assert.deepEqual(sorted(findings.map(describeFinding)), sorted(expected), `findings of:\n${source}`);
  for (const f of findings) {
    const secret = secretText(f) ?? '';
    if (secret.length >= 6) assert.ok(!f.message.includes(secret), `message leaks the secret: ${f.message}`);
  }
  return { doc, findings };
}
