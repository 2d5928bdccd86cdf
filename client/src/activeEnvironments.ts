// The environment chosen per chart (absolute chart directory -> name; absent = all environments), kept in the
// workspace state so that it survives reloads. The language client sends it to the server with every settings pull.
import { EventEmitter, type Event, type Memento } from 'vscode';

const KEY = 'helmValues.activeEnvironments';

export class ActiveEnvironments {
  private readonly changed = new EventEmitter<string>();
  /** Fires with the chart directory whose environment changed. */
  readonly onDidChange: Event<string> = this.changed.event;

  constructor(private readonly state: Memento) {}

  all(): Record<string, string> {
    const raw = this.state.get<unknown>(KEY);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
    return Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  }

  get(chartDir: string): string | undefined {
    return this.all()[chartDir];
  }

  async set(chartDir: string, environment: string | undefined): Promise<void> {
    const next = { ...this.all() };
    if (environment === undefined) delete next[chartDir];
    else next[chartDir] = environment;
    await this.state.update(KEY, next);
    this.changed.fire(chartDir);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
