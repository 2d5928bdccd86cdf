// helm-values-language-server: makes the connection (`--stdio` for any LSP client, or VS Code's IPC transport) and
// starts the server on it (lsp/startServer.ts).
import { collectWhenIdle } from './host/v8Limits'; // first: the server's own V8 limits, before other modules allocate
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createHost, startServer } from './lsp/startServer';

if (process.argv.includes('--version')) {
  process.stdout.write('helm-values-language-server 0.1.0\n');
  process.exit(0);
}

startServer(createConnection(ProposedFeatures.all), { ...createHost(), collectWhenIdle });
