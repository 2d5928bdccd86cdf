// Diagnostics scheduling: one job per chart (or per document outside any chart), debounced, cancellable. A job
// computes the chart's findings and publishes every file's list, with the version of the open text it was computed
// on. An edit that arrives while a job runs makes it stale: it stops between environments and the next job reuses
// every environment finished meanwhile. The first check of a chart publishes what needs no schema before the schema
// compile blocks the thread.
import * as path from 'node:path';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { EffectiveValuesChangedNotification, type Settings } from '../protocol';
import type { Finding } from '../service/types';
import { parseValuesDocument } from '../service/yaml/valuesDocument';
import { toDiagnostic } from './conversions';
import { inTemplatesFolder, outermostChart, type Snapshot, type Workspace } from './workspace';

/** The findings published after the rest of an edit's (see publishSnapshot and ChartAnalysis.findingsFirst). */
const deferred = (code: Diagnostic['code']): boolean => code === 'helm.version-dependent' || (typeof code === 'string' && code.startsWith('secret.'));
/** Problems Red Hat's YAML extension reports too (see Settings.yamlSyntaxDiagnostics). */
const YAML_SYNTAX_CODES = new Set(['yaml.syntax', 'yaml.duplicate-key']);

/**
 * Debounce after a keystroke: none beyond the current turn of the event loop (changes that arrive together are
 * still checked once). Keystrokes come 50 ms or more apart, so a longer delay would coalesce nothing and only add
 * to every edit's latency; what keeps the server from falling behind the typist is that a check in progress stops
 * between environments when a newer edit arrives.
 */
export const TYPING_DELAY_MS = 0;

export interface SchedulerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  workspace: Workspace;
  /** The settings of a chart directory. */
  settingsFor: (chartDir: string) => Promise<Settings>;
  /** The adapter's error boundary. */
  guard: <T>(what: string, uri: string, fallback: T, f: () => Promise<T> | T) => Promise<T>;
  /**
   * Called after each complete publish of a chart with the snapshot published; `current()` tells whether it is still
   * the chart's latest (no edit arrived since).
   */
  published?: (chartDir: string, snapshot: Snapshot, current: () => boolean) => void;
}

export class DiagnosticsScheduler {
  /** Per chart: the files that were last sent a non-empty list (they get an empty one when their problems go). */
  private readonly published = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per chart (or loose document): bumped by every change, so a job in progress knows it is out of date. */
  private readonly generations = new Map<string, number>();
  /** Charts waiting for remote schema documents (one wait per chart, however often it is re-checked meanwhile). */
  private readonly awaitingRemote = new Set<string>();

  constructor(private readonly ctx: SchedulerContext) {}

  /** Checks the chart of `uri` (or the loose document) after `delay` ms, cancelling a pending or running check. */
  schedule(uri: string, delay: number): void {
    // A GitOps manifest with inline values is checked with the chart it deploys (its findings come from that check).
    const chartDir = this.ctx.workspace.chartOfFile(URI.parse(uri).fsPath);
    const key = chartDir ?? uri;
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const stale = () => this.generations.get(key) !== generation;
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.ctx.guard('diagnostics', uri, undefined, () => (chartDir === undefined ? this.publishLoose(uri) : this.publishChart(chartDir, stale)));
      }, delay),
    );
  }

  /** Every open document again (settings or caches changed). */
  scheduleAll(delay = 0): void {
    for (const d of this.ctx.documents.all()) this.schedule(d.uri, delay);
  }

  /** A document closed: a loose one loses its diagnostics, a chart's is checked from disk. */
  closed(uri: string): void {
    if (this.ctx.workspace.chartOfFile(URI.parse(uri).fsPath) === undefined) void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    else this.schedule(uri, 0);
  }

  /** Stops every pending job (the server shuts down). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const key of this.generations.keys()) this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /** Publishes a file's diagnostics, with the version of the open text they were computed on (none for files on disk). */
  private send(uri: string, diagnostics: Diagnostic[]): void {
    const version = this.ctx.documents.get(uri)?.version;
    void this.ctx.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  private async publishChart(chartDir: string, stale: () => boolean): Promise<void> {
    const { workspace } = this.ctx;
    const settings = await this.ctx.settingsFor(chartDir);
    if (stale()) return;
    const snap = workspace.snapshot(chartDir, settings);
    // The first check of a chart whose schema is not compiled yet publishes what needs no schema first (ajv takes a
    // few hundred milliseconds on a large schema), then everything. Later checks publish once: nothing flickers.
    if (!this.published.has(chartDir)) {
      const quick = workspace.withoutPendingSchemas(snap);
      if (quick) {
        // The schemas compile on a worker thread meanwhile.
        const compiled = workspace.compileSchemasOffThread(snap);
        if (!(await this.publishSnapshot(chartDir, quick, stale, false))) return;
        await compiled;
        if (stale()) return;
      }
    }
    if (!(await this.publishSnapshot(chartDir, snap, stale))) return;
    workspace.startSchemaCompiles();
    this.ctx.published?.(chartDir, snap, () => !stale());
    void this.ctx.connection.sendNotification(EffectiveValuesChangedNotification.type, { chartDir });
    this.fetchRemoteSchemas(chartDir, snap);
  }

  /**
   * Publishes every file's findings of a snapshot; false when an edit arrived meanwhile (nothing more was sent).
   * In two steps: first everything but the deferred findings (`helm.version-dependent`, which merges every
   * environment again as other Helm releases, and `secret.*`, a scan of every line of an edited file), then, unless
   * `versions` is false, those too, to the files whose list they change. The first step carries each file's deferred
   * findings of the last complete publish over, moved with the edit (dropped where it touched them), so they do not
   * flicker while the second step computes them again.
   */
  private async publishSnapshot(chartDir: string, snap: Snapshot, stale: () => boolean, versions = true): Promise<boolean> {
    // One environment at a time, yielding in between: an edit that arrives meanwhile cancels the rest of this check
    // (the next one reuses every environment finished here that the edit did not touch).
    for (const env of snap.analysis.environments) {
      snap.analysis.environment(env.name);
      await new Promise((resolve) => setImmediate(resolve));
      if (stale()) return false;
    }
    const yamlSyntax = snap.settings.yamlSyntaxDiagnostics;
    const byFile = diagnosticsByFile([...snap.problems, ...snap.analysis.findingsFirst()], yamlSyntax);
    const carried = this.carriedDeferredFindings(chartDir);
    // In the order the complete list has (by position, then code), so a second step that changes nothing sends nothing.
    for (const [abs, diags] of carried) byFile.set(abs, [...(byFile.get(abs) ?? []), ...diags].sort(byPlace));
    const before = this.published.get(chartDir) ?? new Set<string>();
    const sent = new Map<string, Diagnostic[]>();
    const send = (abs: string, diags: Diagnostic[]) => {
      sent.set(abs, diags);
      this.send(URI.file(abs).toString(), diags);
    };
    for (const abs of before) if (!byFile.has(abs)) send(abs, []);
    for (const [abs, diags] of byFile) send(abs, diags);
    for (const d of this.ctx.documents.all()) {
      const abs = URI.parse(d.uri).fsPath;
      if (abs.startsWith(chartDir + path.sep) && !byFile.has(abs) && !before.has(abs)) this.send(d.uri, []);
    }
    this.published.set(chartDir, new Set(byFile.keys()));
    if (!versions) return true;
    await new Promise((resolve) => setImmediate(resolve));
    if (stale()) return false;
    const complete = diagnosticsByFile([...snap.problems, ...snap.analysis.findings()], yamlSyntax);
    for (const abs of new Set([...sent.keys(), ...complete.keys()])) {
      const diags = complete.get(abs) ?? [];
      if (JSON.stringify(diags) !== JSON.stringify(sent.get(abs) ?? [])) this.send(URI.file(abs).toString(), diags);
    }
    this.published.set(chartDir, new Set([...byFile.keys(), ...complete.keys()]));
    this.keepDeferredFindings(chartDir, complete);
    return true;
  }

  /** Per chart, per file: the deferred findings last published, with offsets in the text they were computed on. */
  private readonly deferredFindings = new Map<string, Map<string, { text: string | undefined; diagnostics: { d: Diagnostic; start: number; end: number }[] }>>();

  private keepDeferredFindings(chartDir: string, complete: Map<string, Diagnostic[]>): void {
    const kept = new Map<string, { text: string | undefined; diagnostics: { d: Diagnostic; start: number; end: number }[] }>();
    for (const [abs, diags] of complete) {
      const later = diags.filter((d) => deferred(d.code));
      if (later.length === 0) continue;
      const doc = this.ctx.documents.get(URI.file(abs).toString());
      kept.set(abs, {
        text: doc?.getText(),
        diagnostics: later.map((d) => ({ d, start: doc?.offsetAt(d.range.start) ?? 0, end: doc?.offsetAt(d.range.end) ?? 0 })),
      });
    }
    this.deferredFindings.set(chartDir, kept);
  }

  /** The deferred findings of the last complete publish, moved to each file's current text. */
  private carriedDeferredFindings(chartDir: string): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    for (const [abs, { text, diagnostics }] of this.deferredFindings.get(chartDir) ?? []) {
      const doc = this.ctx.documents.get(URI.file(abs).toString());
      const now = doc?.getText();
      if (text === undefined || now === undefined || doc === undefined) {
        // A file on disk (or one just opened or closed): its positions are those of its text on disk.
        if (text === now) out.set(abs, diagnostics.map((x) => x.d));
        continue;
      }
      out.set(abs, moveThroughEdit(diagnostics, text, now, doc));
    }
    return out;
  }

  /**
   * helmValues.schema.fetchRemoteRefs: when a chart's schemas reference remote documents not fetched yet, fetch them
   * (each URL once per session: one in flight is awaited, one that failed is not asked again), then check the chart
   * again so its values are validated with them.
   */
  private fetchRemoteSchemas(chartDir: string, snap: Snapshot): void {
    const { workspace, connection, documents } = this.ctx;
    const urls = workspace.pendingRemoteSchemas(snap);
    if (urls.length === 0 || this.awaitingRemote.has(chartDir)) return;
    this.awaitingRemote.add(chartDir);
    void workspace.caches.remoteSchemas
      .fetchAll(urls)
      .then(() => {
        this.awaitingRemote.delete(chartDir);
        workspace.remoteSchemasArrived();
        const open = documents.all().find((d) => outermostChart(URI.parse(d.uri).fsPath) === chartDir);
        if (open) this.schedule(open.uri, 0);
      })
      .catch((e: unknown) => {
        this.awaitingRemote.delete(chartDir);
        connection.console.error(`helm-values: fetching remote schemas failed for ${chartDir}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      });
  }

  private async publishLoose(uri: string): Promise<void> {
    const d = this.ctx.documents.get(uri);
    // A template outside any chart is no values file: its Go template syntax is no YAML problem of ours.
    if (!d || inTemplatesFolder(URI.parse(uri).fsPath)) return;
    await this.ctx.connection.sendDiagnostics({ uri, diagnostics: parseValuesDocument(URI.parse(uri).fsPath, d.getText()).problems.map(toDiagnostic) });
  }
}

/** Findings as diagnostics per absolute file (`yamlSyntax` false: without the problems Red Hat's YAML reports). */
export function diagnosticsByFile(findings: readonly Finding[], yamlSyntax: boolean): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of findings) {
    if (!yamlSyntax && YAML_SYNTAX_CODES.has(f.code)) continue;
    const abs = path.resolve(f.file.split('#')[0] ?? f.file);
    const list = byFile.get(abs) ?? [];
    list.push(toDiagnostic(f));
    byFile.set(abs, list);
  }
  return byFile;
}

/**
 * Diagnostics computed on `before` (with their offsets in it), moved to `after`: the text both share at the start and
 * at the end is what the edit left alone; a diagnostic there keeps its place (shifted by the edit's length after
 * it), one that overlaps the edited span or ends where it starts (a key typed into) is dropped.
 */
export function moveThroughEdit(diagnostics: readonly { d: Diagnostic; start: number; end: number }[], before: string, after: string, doc: Pick<TextDocument, 'positionAt'>): Diagnostic[] {
  if (before === after) return diagnostics.map((x) => x.d);
  const n = Math.min(before.length, after.length);
  // Whole chunks first (a slice of a flat string is a view, and comparing two is a memory compare), then characters.
  const CHUNK = 4096;
  let prefix = 0;
  while (prefix + CHUNK <= n && before.slice(prefix, prefix + CHUNK) === after.slice(prefix, prefix + CHUNK)) prefix += CHUNK;
  while (prefix < n && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + CHUNK <= n - prefix && before.slice(before.length - suffix - CHUNK, before.length - suffix) === after.slice(after.length - suffix - CHUNK, after.length - suffix)) suffix += CHUNK;
  while (suffix < n - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const editedEnd = before.length - suffix;
  const delta = after.length - before.length;
  const out: Diagnostic[] = [];
  for (const { d, start, end } of diagnostics) {
    if (end < prefix) out.push(d);
    else if (start >= editedEnd) out.push({ ...d, range: { start: doc.positionAt(start + delta), end: doc.positionAt(end + delta) } });
  }
  return out;
}

function byPlace(a: Diagnostic, b: Diagnostic): number {
  const [x, y] = [String(a.code), String(b.code)];
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (x < y ? -1 : x > y ? 1 : 0);
}
