// The VS Code client: starts the bundled language server and adds the UI that LSP has no words for (environment
// picker, effective-values documents, comparisons, key explanations, schema drafts). No feature logic lives here.
import type { ExtensionContext, Uri } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ChartInfo } from '../../server/src/protocol';
import { ActiveEnvironments } from './activeEnvironments';
import { Charts } from './charts';
import { registerEffectiveValuesView } from './effectiveValuesView';
import { EnvironmentPicker } from './environmentPicker';
import { registerExplainKey } from './explainKey';
import { registerGenerateSchema } from './generateSchema';
import { registerLiveRelease } from './liveRelease';
import { createLanguageClient } from './languageClient';
import { registerRevealLocations } from './revealLocations';

/** What the extension exports to other extensions (and to its end-to-end tests). */
export interface HelmValuesApi {
  /** The chart a document belongs to, its environments and the active one. */
  chartInfo(uri: Uri): Promise<ChartInfo | undefined>;
}

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<HelmValuesApi> {
  const environments = new ActiveEnvironments(context.workspaceState);
  client = createLanguageClient(context, environments);
  const charts = new Charts(client);
  // Commands first: they exist even if the server fails to start.
  context.subscriptions.push(
    environments,
    charts,
    new EnvironmentPicker(client, charts, environments),
    registerEffectiveValuesView(client, charts, environments),
    registerExplainKey(client),
    registerRevealLocations(client),
    registerGenerateSchema(client, charts),
    registerLiveRelease(client, charts, environments),
  );
  await client.start();
  return { chartInfo: (uri) => charts.of(uri) };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
