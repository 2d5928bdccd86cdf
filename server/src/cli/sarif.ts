// SARIF 2.1.0 for code scanning (GitHub and others): one rule per finding code.
import type { Finding } from '../service/types';

const LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function toSarif(findings: readonly Finding[], version: string): object {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'helm-values',
            version,
            informationUri: 'https://github.com/helm-values/helm-values',
            rules: codes.map((id) => ({ id, name: id, shortDescription: { text: id } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.replace(/\\/g, '/').replace(/^\.\//, '') },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.endLine === f.line ? f.column + 1 : 1) },
              },
            },
          ],
        })),
      },
    ],
  };
}
