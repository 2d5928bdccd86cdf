// "Show Effective Values" (a read-only YAML document per chart and environment, each leaf annotated with its source,
// updated live) and "Compare Environments" (a diff of two such documents without annotations).
import { commands, Disposable, EventEmitter, ViewColumn, window, workspace, type TextDocumentContentProvider, type Uri } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EffectiveValuesRequest, type ChartInfo } from '../../server/src/protocol';
import type { ActiveEnvironments } from './activeEnvironments';
import { pickEnvironment, type Charts } from './charts';
import { EFFECTIVE_VALUES_SCHEME, effectiveValuesUri, parseEffectiveValuesUri } from './virtualDocuments';

export const SHOW_EFFECTIVE_VALUES = 'helmValues.showEffectiveValues';
export const COMPARE_ENVIRONMENTS = 'helmValues.compareEnvironments';
export const COMPARE_WITH_HEAD = 'helmValues.compareWithHead';
export const COMPARE_WITH_REVISION = 'helmValues.compareWithRevision';

/** Arguments for scripted use (tests, keybindings); missing ones are asked for. */
export interface ShowEffectiveValuesArgs {
  chartDir?: string;
  environment?: string;
}
export interface CompareWithRevisionArgs {
  chartDir?: string;
  environment?: string;
  /** A git revision (branch, tag, commit); asked for when missing (HEAD for Compare with HEAD). */
  revision?: string;
}
export interface CompareEnvironmentsArgs {
  chartDir?: string;
  left?: string;
  right?: string;
}

class EffectiveValuesProvider implements TextDocumentContentProvider {
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {}

  async provideTextDocumentContent(uri: Uri): Promise<string> {
    const a = parseEffectiveValuesUri(uri);
    if (!a) return '# helm-values: not an effective-values address\n';
    const params: EffectiveValuesRequest.Params = { chartDir: a.chartDir, environment: a.environment, annotate: a.annotate, ...(a.revision !== undefined ? { revision: a.revision } : {}) };
    const r = await this.client.sendRequest(EffectiveValuesRequest.type, params);
    // The server's text carries its own header (chart, environment, layers) when annotated.
    const error = r.error ? `# helm-values: ${r.error.replace(/\n/g, '\n# ')}\n` : '';
    return `${error}${r.text}`;
  }

  /** Re-reads every open effective-values document of a chart (of every chart when none is given). */
  refresh(chartDir?: string): void {
    for (const doc of workspace.textDocuments) {
      const address = parseEffectiveValuesUri(doc.uri);
      if (address && (chartDir === undefined || address.chartDir === chartDir)) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerEffectiveValuesView(client: LanguageClient, charts: Charts, environments: ActiveEnvironments): Disposable {
  const provider = new EffectiveValuesProvider(client);

  /** The given environment, else the chart's active one, else one the user picks. */
  const environmentOf = async (chart: ChartInfo, given: string | undefined): Promise<string | undefined> =>
    given ?? environments.get(chart.chartDir) ?? chart.activeEnvironment ??
    (await pickEnvironment(chart, { title: 'Helm Values: show the effective values of' })) ?? undefined;

  const show = async (args: ShowEffectiveValuesArgs = {}): Promise<Uri | undefined> => {
    const chart = await charts.resolve(args.chartDir);
    const environment = chart && (await environmentOf(chart, args.environment));
    if (!chart || !environment) return undefined;
    const uri = effectiveValuesUri({ chartDir: chart.chartDir, chartName: chart.name, environment, annotate: true });
    const doc = await workspace.openTextDocument(uri);
    await window.showTextDocument(doc, { preview: false, viewColumn: ViewColumn.Beside });
    return uri;
  };

  const compare = async (args: CompareEnvironmentsArgs = {}): Promise<[Uri, Uri] | undefined> => {
    const chart = await charts.resolve(args.chartDir);
    if (!chart) return undefined;
    const left = args.left ?? (await pickEnvironment(chart, { title: 'Helm Values: compare environment…' })) ?? undefined;
    if (!left) return undefined;
    const right = args.right ?? (await pickEnvironment(chart, { title: `Helm Values: compare ${left} with…`, exclude: left })) ?? undefined;
    if (!right) return undefined;
    const at = (environment: string): Uri => effectiveValuesUri({ chartDir: chart.chartDir, chartName: chart.name, environment, annotate: false });
    const uris: [Uri, Uri] = [at(left), at(right)];
    await commands.executeCommand('vscode.diff', uris[0], uris[1], `${chart.name}: ${left} ↔ ${right} (effective values)`, { preview: false });
    return uris;
  };

  /** The environment's effective values at a git revision (left) against the working tree with open edits (right). */
  const compareWithRevision = async (args: CompareWithRevisionArgs = {}, ask: boolean): Promise<[Uri, Uri] | undefined> => {
    const chart = await charts.resolve(args.chartDir);
    const environment = chart && (await environmentOf(chart, args.environment));
    if (!chart || !environment) return undefined;
    const revision = args.revision ?? (ask ? await window.showInputBox({ title: 'Helm Values: compare the effective values with revision', prompt: 'A branch, tag or commit (read with git)', value: 'HEAD' }) : 'HEAD');
    if (!revision) return undefined;
    const at = (rev: string | undefined): Uri => effectiveValuesUri({ chartDir: chart.chartDir, chartName: chart.name, environment, annotate: false, ...(rev !== undefined ? { revision: rev } : {}) });
    const uris: [Uri, Uri] = [at(revision), at(undefined)];
    await commands.executeCommand('vscode.diff', uris[0], uris[1], `${chart.name} ${environment}: ${revision} ↔ working tree (effective values)`, { preview: false });
    return uris;
  };

  return Disposable.from(
    commands.registerCommand(COMPARE_WITH_HEAD, (args?: CompareWithRevisionArgs) => compareWithRevision(args, false)),
    commands.registerCommand(COMPARE_WITH_REVISION, (args?: CompareWithRevisionArgs) => compareWithRevision(args, true)),
    provider,
    workspace.registerTextDocumentContentProvider(EFFECTIVE_VALUES_SCHEME, provider),
    charts.onDidChange((chartDir) => provider.refresh(chartDir)),
    charts.onDidStart(() => provider.refresh()), // a restarted server: documents opened before it read again
    commands.registerCommand(SHOW_EFFECTIVE_VALUES, show),
    commands.registerCommand(COMPARE_ENVIRONMENTS, compare),
  );
}
