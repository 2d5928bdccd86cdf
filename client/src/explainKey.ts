// "Helm Values: Explain Key": the precedence chain of the key at the cursor, as a read-only markdown document shown in
// the markdown preview beside the editor (no webview of our own: works in desktop VS Code and in code-server alike).
import { commands, Disposable, EventEmitter, Uri, ViewColumn, window, workspace, type TextDocumentContentProvider } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainRequest } from '../../server/src/protocol';
import { EXPLAIN_SCHEME } from './virtualDocuments';

export const EXPLAIN_KEY = 'helmValues.explainKey';

/** Explanations kept for reopened previews; older ones are dropped. */
const KEEP = 20;

class ExplanationProvider implements TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private next = 0;

  /** Stores an explanation; its address names the key so that the preview's title does. */
  add(path: string, markdown: string): Uri {
    const id = String(++this.next);
    this.texts.set(id, markdown);
    for (const old of this.texts.keys()) if (this.texts.size > KEEP) this.texts.delete(old);
    const name = path.replace(/[/\\?#]/g, '_') || 'key';
    return Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}.md`, query: `id=${id}` });
  }

  provideTextDocumentContent(uri: Uri): string {
    const id = new URLSearchParams(uri.query).get('id') ?? '';
    return this.texts.get(id) ?? '*This explanation is no longer available: run "Helm Values: Explain Key" again.*\n';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerExplainKey(client: LanguageClient): Disposable {
  const provider = new ExplanationProvider();

  /** Explains the key at the cursor; returns the address of the markdown shown (undefined when there is no key). */
  const explain = async (): Promise<Uri | undefined> => {
    const editor = window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file') {
      void window.showInformationMessage('Helm Values: open a values file and put the cursor on a key to explain it.');
      return undefined;
    }
    const params: ExplainRequest.Params = {
      uri: client.code2ProtocolConverter.asUri(editor.document.uri),
      position: client.code2ProtocolConverter.asPosition(editor.selection.active),
    };
    const r = await client.sendRequest(ExplainRequest.type, params);
    if (!r) {
      void window.showInformationMessage('Helm Values: no values key at the cursor.');
      return undefined;
    }
    const uri = provider.add(r.path, r.markdown);
    await commands.executeCommand('markdown.showPreviewToSide', uri).then(undefined, async () => {
      // No markdown preview (the built-in extension disabled): the markdown source, read-only, beside the editor.
      await window.showTextDocument(uri, { viewColumn: ViewColumn.Beside, preview: true, preserveFocus: true });
    });
    return uri;
  };

  return Disposable.from(
    provider,
    workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, provider),
    commands.registerCommand(EXPLAIN_KEY, explain),
  );
}
