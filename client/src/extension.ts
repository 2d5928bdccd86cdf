// The VS Code client: starts the bundled language server and forwards file events.
// No feature logic lives here; UI that LSP has no words for (environment picker, views) comes later.
import { workspace, type ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** Values files and Chart.yaml, the documents the server analyses. */
const documentSelector: DocumentSelector = [
  '**/values*.yaml',
  '**/values*.yml',
  '**/values/*.yaml',
  '**/ci/*.yaml',
  '**/Chart.yaml',
].map((pattern) => ({ scheme: 'file', language: 'yaml', pattern }));

/** Every file whose change can alter a chart's effective values. */
const chartFilesGlob =
  '**/{Chart.yaml,Chart.lock,requirements.yaml,values*.yaml,values*.yml,values/*.yaml,ci/*.yaml,values.schema.json,charts/*.tgz}';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };

  const watcher = workspace.createFileSystemWatcher(chartFilesGlob);
  context.subscriptions.push(watcher);

  const clientOptions: LanguageClientOptions = {
    documentSelector,
    synchronize: { configurationSection: 'helmValues', fileEvents: watcher },
  };

  // The id `helmValues` makes the client honour the `helmValues.trace.server` setting.
  client = new LanguageClient('helmValues', 'Helm Values', serverOptions, clientOptions);
  await client.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
