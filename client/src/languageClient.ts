// The language client: starts the bundled server over IPC for values files and Chart.yaml (which ones: valuesFiles.ts),
// forwards file events and answers the server's settings pulls in one typed shape (`Settings` of the wire contract).
import { extensions, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Settings } from '../../server/src/protocol';
import type { ActiveEnvironments } from './activeEnvironments';
import { ValuesFiles } from './valuesFiles';

/**
 * V8's young generation capped at 4 MiB per semi-space (Node's default grows to 16): each edit allocates short-lived
 * trees, and the default lets garbage pile up; measured on kube-prometheus-stack, peak RSS 117 -> 97 MiB with no
 * slower edits. Launched without it (as other editors and `npm run bench` launch the bin), the server sets the
 * equivalent limit itself (server/src/host/v8Limits.ts); a flag given here wins.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];

export function createLanguageClient(context: ExtensionContext, environments: ActiveEnvironments): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_NODE_FLAGS } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] } },
  };
  // Values files by name, those the settings configure and the GitOps manifests the server announces; it restarts the
  // client when the configured files or the manifests change.
  const valuesFiles = new ValuesFiles(context.workspaceState);
  context.subscriptions.push(valuesFiles);

  const clientOptions: LanguageClientOptions = {
    documentSelector: valuesFiles.selector,
    synchronize: { configurationSection: 'helmValues', fileEvents: valuesFiles.watchers },
    middleware: {
      workspace: {
        // The settings of `helmValues`, plus the environment the picker chose per chart (kept in workspace state).
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value: unknown, i) =>
            params.items[i]?.section === 'helmValues' ? { ...Settings.from(value), activeEnvironments: environments.all(), yamlSyntaxDiagnostics: yamlSyntaxDiagnostics(value) } : value,
          );
        },
      },
    },
  };
  // The id `helmValues` makes the client honour the `helmValues.trace.server` setting.
  const client = new LanguageClient('helmValues', 'Helm Values', serverOptions, clientOptions);
  valuesFiles.follow(client);
  return client;
}

/**
 * `helmValues.yamlSyntaxDiagnostics`: "auto" leaves plain YAML syntax problems to Red Hat's YAML extension when it is
 * installed (it reports them too), so the same problem is not listed twice.
 */
function yamlSyntaxDiagnostics(raw: unknown): boolean {
  const setting = raw !== null && typeof raw === 'object' ? (raw as { yamlSyntaxDiagnostics?: unknown }).yamlSyntaxDiagnostics : undefined;
  if (setting === 'on' || setting === true) return true;
  if (setting === 'off' || setting === false) return false;
  return extensions.getExtension('redhat.vscode-yaml') === undefined;
}
