// The extensionTestsPath module, in @vscode/test-electron's form: VS Code (desktop, or code-server's extension host)
// calls `run()` inside the real extension host once the extension under development is loaded. Bundled by
// test/e2e/build.mjs to dist-test/suite/index.js; `mocha` and `vscode` stay external.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Marker of the summary line the drivers read (mocha's "N passing" is not a closing `N passed, N failed` line). */
export const SUMMARY_MARKER = 'HELM_VALUES_E2E_SUMMARY';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, grep: process.env.HELM_VALUES_E2E_GREP });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats;
      console.log(`${SUMMARY_MARKER} ${JSON.stringify({ passed: s?.passes ?? 0, failed: s?.failures ?? failures, skipped: s?.pending ?? 0 })}`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
