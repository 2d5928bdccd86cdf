// The extension-host suite in desktop VS Code, through @vscode/test-electron, for machines that can download VS Code
// (the project's own machines cannot: there, test/e2e/codeServer.mjs runs the same suite in code-server).
//   npm run test:vscode                      (builds dist/ and dist-test/, then runs this file)
//   VSCODE_VERSION=1.85.2 npm run test:vscode   a given version (default: stable)
//   VSCODE_EXECUTABLE=/path/to/code npm run test:vscode   an installed VS Code, no download
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  // The suite edits (and reverts) values-prod.yaml: it works on a copy of the example chart.
  const tmp = mkdtempSync(path.join(tmpdir(), 'helm-values-vscode-'));
  const workspace = path.join(tmp, 'webapp');
  cpSync(path.join(root, 'examples/webapp'), workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist-test/suite/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
      ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version: process.env.VSCODE_VERSION ?? 'stable' }),
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error('test:vscode failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
