// Which chart a command is about, and choosing one of its environments: shared by the picker and the views.
import { Disposable, EventEmitter, QuickPickItemKind, Uri, window, workspace, type Event, type QuickPickItem } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { ChartInfoRequest, EffectiveValuesChangedNotification, type ChartInfo } from '../../server/src/protocol';
import { parseEffectiveValuesUri } from './virtualDocuments';

/** At most this many Chart.yaml files are looked at when no editor names a chart. */
const MAX_CHARTS = 200;
/** How long a question about a chart waits for a client that is starting or restarting. */
const RESTART_WAIT_MS = 10_000;

export class Charts implements Disposable {
  private readonly changed = new EventEmitter<string>();
  private readonly started = new EventEmitter<void>();
  private readonly subscriptions: Disposable[];
  /** Fires with a chart directory whose effective values (or environments) changed. */
  readonly onDidChange: Event<string> = this.changed.event;
  /** Fires when the server is (again) running. */
  readonly onDidStart: Event<void> = this.started.event;

  constructor(private readonly client: LanguageClient) {
    // The client keeps one handler per notification method: this is it, fanned out to the views.
    this.subscriptions = [
      this.changed,
      this.started,
      client.onNotification(EffectiveValuesChangedNotification.type, (p) => this.changed.fire(p.chartDir)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.started.fire();
      }),
    ];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  /**
   * Resolves true once the client runs: at once when it does, else when a start or restart is done (the client restarts
   * when the server announces other GitOps manifests); false when it does not run within RESTART_WAIT_MS (stopped).
   */
  private running(): Promise<boolean> {
    if (this.client.isRunning()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        sub.dispose();
        resolve(ok);
      };
      const sub = this.client.onDidChangeState((e) => {
        if (e.newState === State.Running) done(true);
      });
      const timer = setTimeout(() => done(false), RESTART_WAIT_MS);
    });
  }

  /** The chart a document belongs to (values files, Chart.yaml, templates...); undefined outside charts. */
  async of(uri: Uri): Promise<ChartInfo | undefined> {
    // A command run while the client restarts waits for it, rather than finding no chart.
    if (uri.scheme !== 'file' || !(await this.running())) return undefined;
    const params: ChartInfoRequest.Params = { uri: this.client.code2ProtocolConverter.asUri(uri) };
    return (await this.client.sendRequest(ChartInfoRequest.type, params)) ?? undefined;
  }

  ofDir(chartDir: string): Promise<ChartInfo | undefined> {
    return this.of(Uri.joinPath(Uri.file(chartDir), 'Chart.yaml'));
  }

  /** The chart of the active editor (a file of a chart, or an effective-values document). */
  async active(): Promise<ChartInfo | undefined> {
    const uri = window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    const address = parseEffectiveValuesUri(uri);
    return address ? this.ofDir(address.chartDir) : this.of(uri);
  }

  /** The given chart, else the active editor's, else the workspace's only chart, else one the user picks. */
  async resolve(chartDir?: string): Promise<ChartInfo | undefined> {
    if (chartDir) return this.ofDir(chartDir);
    const active = await this.active();
    if (active) return active;
    const all = await this.all();
    if (all.length <= 1) {
      if (all.length === 0) void window.showInformationMessage('Helm Values: no chart (Chart.yaml) found in the workspace.');
      return all[0];
    }
    const picked = await window.showQuickPick(
      all.map((c) => ({ label: c.name, description: workspace.asRelativePath(c.chartDir), chart: c })),
      { title: 'Helm Values: choose a chart', matchOnDescription: true },
    );
    return picked?.chart;
  }

  /** Every chart of the workspace (a subchart's Chart.yaml resolves to its outermost chart, listed once). */
  async all(): Promise<ChartInfo[]> {
    const files = await workspace.findFiles('**/Chart.yaml', '**/node_modules/**', MAX_CHARTS);
    const infos = await Promise.all(files.map((f) => this.of(f)));
    const byDir = new Map<string, ChartInfo>();
    for (const info of infos) if (info && !byDir.has(info.chartDir)) byDir.set(info.chartDir, info);
    return [...byDir.values()].sort((a, b) => a.chartDir.localeCompare(b.chartDir));
  }
}

/** An environment of the chart; `null` = "All environments" (when offered); undefined = cancelled. */
export async function pickEnvironment(
  chart: ChartInfo,
  options: { title: string; current?: string; offerAll?: boolean; exclude?: string },
): Promise<string | null | undefined> {
  type Item = QuickPickItem & { environment?: string | null };
  const envs = chart.environments.filter((e) => e.name !== options.exclude);
  const items: Item[] = envs.map((e) => ({
    label: e.name,
    description: `${e.name === options.current ? '$(check) ' : ''}${e.origin === 'defaults' ? 'chart defaults only' : e.values.join(', ')}`,
    detail: e.origin === 'config' ? 'configured in helmValues.environments' : undefined,
    environment: e.name,
  }));
  if (options.offerAll) {
    items.push({ label: '', kind: QuickPickItemKind.Separator });
    items.push({ label: 'All environments', description: options.current === undefined ? '$(check) every environment side by side' : 'every environment side by side', environment: null });
  }
  if (envs.length === 0) {
    void window.showInformationMessage(`Helm Values: chart ${chart.name} has no environments to choose from.`);
    return undefined;
  }
  const quickPick = window.createQuickPick<Item>();
  quickPick.title = options.title;
  quickPick.placeholder = `Chart ${chart.name}`;
  quickPick.matchOnDescription = true;
  quickPick.items = items;
  const current = items.find((i) => i.environment !== undefined && i.environment === (options.current ?? (options.offerAll ? null : undefined)));
  if (current) quickPick.activeItems = [current];
  const chosen = await new Promise<Item | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
    quickPick.onDidHide(() => resolve(undefined));
    quickPick.show();
  });
  quickPick.dispose();
  return chosen?.environment;
}
