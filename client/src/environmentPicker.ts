// The status bar item showing the environment of the active editor's chart (the one inlay hints and code lenses
// follow), and "Helm Values: Select Environment", which changes it.
import { commands, Disposable, StatusBarAlignment, window, type StatusBarItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SetActiveEnvironmentNotification, type ChartInfo } from '../../server/src/protocol';
import type { ActiveEnvironments } from './activeEnvironments';
import { pickEnvironment, type Charts } from './charts';

export const SELECT_ENVIRONMENT = 'helmValues.selectEnvironment';
/** Context key: the active editor belongs to a chart (menus use it). */
const IN_CHART = 'helmValues.inChart';

/** Arguments for scripted use (tests, keybindings): `environment: null` selects all environments. */
export interface SelectEnvironmentArgs {
  chartDir?: string;
  environment?: string | null;
}

export class EnvironmentPicker implements Disposable {
  private readonly item: StatusBarItem;
  private readonly disposables: Disposable[] = [];
  private shown: ChartInfo | undefined;
  /** Increases with each refresh, so that a slow answer for an editor left since is dropped. */
  private generation = 0;

  constructor(
    private readonly client: LanguageClient,
    private readonly charts: Charts,
    private readonly environments: ActiveEnvironments,
  ) {
    this.item = window.createStatusBarItem('helmValues.environment', StatusBarAlignment.Right, 100);
    this.item.name = 'Helm Values Environment';
    this.item.command = SELECT_ENVIRONMENT;
    this.disposables.push(
      this.item,
      commands.registerCommand(SELECT_ENVIRONMENT, (args?: SelectEnvironmentArgs) => this.select(args)),
      window.onDidChangeActiveTextEditor(() => this.refresh()),
      environments.onDidChange(() => this.refresh()),
      charts.onDidStart(() => this.refresh()),
      // Environments come from file names and settings: refresh when the chart changed.
      charts.onDidChange((chartDir) => {
        if (chartDir === this.shown?.chartDir) void this.refresh();
      }),
    );
    void this.refresh();
  }

  /** Chooses the environment of a chart (from args, else with a quick pick); returns the chart's state afterwards. */
  async select(args: SelectEnvironmentArgs = {}): Promise<ChartInfo | undefined> {
    const chart = await this.charts.resolve(args.chartDir);
    if (!chart) return undefined;
    const current = this.environments.get(chart.chartDir);
    const chosen = args.environment !== undefined
      ? args.environment
      : await pickEnvironment(chart, { title: 'Helm Values: environment for inlay hints and code lenses', current, offerAll: true });
    if (chosen === undefined) return chart;
    const environment = chosen ?? undefined;
    // The server first, so that the refresh the store triggers reads the new state back.
    const params: SetActiveEnvironmentNotification.Params = { chartDir: chart.chartDir, ...(environment !== undefined ? { environment } : {}) };
    await this.client.sendNotification(SetActiveEnvironmentNotification.type, params);
    await this.environments.set(chart.chartDir, environment);
    return this.charts.ofDir(chart.chartDir);
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const chart = await this.charts.active().catch(() => undefined);
    if (generation !== this.generation) return;
    this.shown = chart;
    void commands.executeCommand('setContext', IN_CHART, chart !== undefined);
    if (!chart) {
      this.item.hide();
      return;
    }
    const active = this.environments.get(chart.chartDir) ?? chart.activeEnvironment;
    const known = active === undefined || chart.environments.some((e) => e.name === active);
    this.item.text = `$(layers) ${active ?? 'All environments'}${known ? '' : ' (missing)'}`;
    this.item.tooltip = `Helm Values: environment of chart ${chart.name} shown in inlay hints and code lenses` +
      `${known ? '' : ` (${active} is no longer defined)`}. Click to choose another.`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
