// Waiting on the real editor: events where VS Code has one, short polling where it has none (hover, inlay hints), each
// with a timeout. Never a fixed sleep.
import type { Context } from 'mocha';
import * as vscode from 'vscode';

/**
 * Server features still being written, whose requests answer empty for now: their tests wait briefly and are reported
 * as pending ("skipped") when nothing comes, instead of failing. As soon as a feature answers, its test asserts in
 * full. Names: hover, inlayHints, codeLens, effectiveValues, explain, inferSchema, ignoreFileFix. None is listed by
 * default (the server has them all); set HELM_VALUES_E2E_IN_PROGRESS=hover,explain (comma-separated) while one is
 * being rewritten as a stub, or list it in DEFAULT_IN_PROGRESS for a feature added to the tests before the server.
 */
const DEFAULT_IN_PROGRESS: string[] = [];
const IN_PROGRESS = new Set([...DEFAULT_IN_PROGRESS, ...(process.env.HELM_VALUES_E2E_IN_PROGRESS ?? '').split(',')].map((s) => s.trim()).filter(Boolean));

export function inProgress(feature: string): boolean {
  return IN_PROGRESS.has(feature);
}

export const EXTENSION_ID = 'helm-values.helm-values';

export function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder (examples/webapp)');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Polls `produce` until it gives a value, or undefined after `timeoutMs`. */
export async function poll<T>(produce: () => Thenable<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 100): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await produce();
    if (v !== undefined) return v;
    if (Date.now() >= end) return undefined;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves when `check` holds, re-checked on each firing of `event`; rejects after `timeoutMs`. */
export function waitForEvent<E>(event: vscode.Event<E>, check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event(() => {
      if (!check()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/**
 * Waits for a server feature's real content. A feature listed as in progress that never answers marks the test
 * pending (clearly logged); any other silence fails the test.
 */
export async function featureContent<T>(ctx: Context, feature: string, what: string, produce: () => Thenable<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const inProgress = IN_PROGRESS.has(feature);
  const got = await poll(produce, inProgress ? 3_000 : timeoutMs);
  if (got !== undefined) return got;
  if (inProgress) {
    console.log(`PENDING: ${feature} is still a stub on the server (no ${what}); this test is skipped until it lands`);
    ctx.skip();
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** The position `at` characters into the first occurrence of `needle` in the document. */
export function positionOf(doc: vscode.TextDocument, needle: string, at = 0): vscode.Position {
  const offset = doc.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" not found in ${doc.uri.fsPath}`);
  return doc.positionAt(offset + at);
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

export function markdownOf(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n---\n');
}

export function labelOf(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}

/**
 * Code actions (not bare commands) for the range of a diagnostic, as the light bulb would list them. The API command
 * returns title, kind, edit, command and isPreferred only: `diagnostics` does not survive its conversion.
 */
export async function codeActionsFor(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
  return (all ?? []).filter((a): a is vscode.CodeAction => !('command' in a && typeof a.command === 'string'));
}

/** Drops unsaved edits of a document (its editor is shown first: the revert command acts on the active editor). */
export async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}
