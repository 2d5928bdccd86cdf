// "Compare Environment with Live Release": the environment's declared user-supplied values against what its Helm
// release runs, in a diff editor. The server reads the cluster (helmValues/liveValues) only when the user runs this
// command; afterwards hovers on drifted keys show "live: … (differs)".
import { commands, Disposable, ProgressLocation, window, workspace, type Uri } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LiveValuesRequest } from '../../server/src/protocol';
import type { ActiveEnvironments } from './activeEnvironments';
import { pickEnvironment, type Charts } from './charts';

export const COMPARE_WITH_LIVE_RELEASE = 'helmValues.compareWithLiveRelease';

/** Arguments for scripted use (tests, keybindings); missing ones are asked for. */
export interface CompareWithLiveReleaseArgs {
  chartDir?: string;
  environment?: string;
  release?: string;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
}

export function registerLiveRelease(client: LanguageClient, charts: Charts, environments: ActiveEnvironments): Disposable {
  const compare = async (args: CompareWithLiveReleaseArgs = {}): Promise<[Uri, Uri] | undefined> => {
    const chart = await charts.resolve(args.chartDir);
    if (!chart) return undefined;
    const environment = args.environment ?? environments.get(chart.chartDir) ?? chart.activeEnvironment ?? (await pickEnvironment(chart, { title: 'Helm Values: compare with the live release the environment' })) ?? undefined;
    if (!environment) return undefined;
    const release = args.release ?? (await window.showInputBox({ title: `Helm Values: the Helm release of ${chart.name} ${environment}`, prompt: 'Release name (read with your kubeconfig: current context unless one is given)', value: chart.name }));
    if (!release) return undefined;
    const params: LiveValuesRequest.Params = { chartDir: chart.chartDir, environment, release, ...(args.namespace ? { namespace: args.namespace } : {}), ...(args.context ? { context: args.context } : {}), ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}) };
    const r = await window.withProgress({ location: ProgressLocation.Window, title: `Reading release ${release}` }, () => client.sendRequest(LiveValuesRequest.type, params));
    if (r.error) {
      void window.showErrorMessage(`Helm Values: ${r.error}`);
      return undefined;
    }
    const [left, right] = await Promise.all([workspace.openTextDocument({ language: 'yaml', content: r.declared }), workspace.openTextDocument({ language: 'yaml', content: r.live })]);
    await commands.executeCommand('vscode.diff', left.uri, right.uri, `${chart.name} ${environment}: declared ↔ live release ${release}`, { preview: false });
    void window.showInformationMessage(`Helm Values: ${environment} against release ${release}: ${r.summary}`);
    return [left.uri, right.uri];
  };
  return Disposable.from(commands.registerCommand(COMPARE_WITH_LIVE_RELEASE, compare));
}
