// helm-values-language-server: the LSP adapter. Each handler looks up a snapshot, calls one service function and
// converts offsets to LSP ranges; the one error boundary is `guard`. Run with `--stdio` (any LSP client) or under
// VS Code's IPC transport.
import * as path from 'node:path';
import {
  CodeActionKind,
  CodeLens,
  CreateFile,
  TextDocumentEdit,
  type WorkspaceEdit,
  type CodeAction,
  type TextEdit,
  CompletionItemKind,
  CompletionItemTag,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  FileChangeType,
  InlayHint,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type Location,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ChartInfoRequest, EffectiveValuesChangedNotification, EffectiveValuesRequest, ExplainRequest, InferSchemaRequest, SetActiveEnvironmentNotification, Settings } from './protocol';
import { inferSchema } from './service/schema/infer';
import { defaultSchemaDraft, formatRelease } from './service/helm/versions';
import { computeCodeActions } from './service/features/codeActions';
import { computeCompletion } from './service/features/completion';
import { explainAt, renderEffectiveValues } from './service/features/effectiveView';
import { computeHover } from './service/features/hover';
import { computeCodeLenses, computeInlayHints } from './service/features/inlayHints';
import { computeDefinition, computeDocumentSymbols, computeReferences } from './service/features/navigation';
import type { FileSpan, SymbolResult } from './service/features/types';
import type { Finding } from './service/types';
import { parseValuesDocument } from './service/yaml/valuesDocument';
import { outermostChart, Workspace, type OpenDocument, type Snapshot } from './lsp/workspace';

if (process.argv.includes('--version')) {
  process.stdout.write('helm-values-language-server 0.1.0\n');
  process.exit(0);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const workspace = new Workspace(() => {
  const m = new Map<string, OpenDocument>();
  for (const d of documents.all()) m.set(URI.parse(d.uri).fsPath, { text: d.getText(), version: d.version });
  return m;
});

let pullSettings = false;
let dynamicConfig = false;
/** The client applies `documentChanges` with file creation (a fix's edit to a file that does not exist yet). */
let createFiles = false;
let globalSettings: Settings = Settings.from({});
const activeEnvironments = new Map<string, string | undefined>();
const settingsCache = new Map<string, Settings>();

connection.onInitialize((params) => {
  pullSettings = !!params.capabilities.workspace?.configuration;
  dynamicConfig = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  const editCaps = params.capabilities.workspace?.workspaceEdit;
  createFiles = !!editCaps?.documentChanges && !!editCaps.resourceOperations?.includes('create');
  workspace.roots = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri).fsPath);
  if (workspace.roots.length === 0 && params.rootUri) workspace.roots = [URI.parse(params.rootUri).fsPath];
  const init = params.initializationOptions as { settings?: unknown } | undefined;
  if (init?.settings) globalSettings = Settings.from(init.settings);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '\n'], resolveProvider: false },
      inlayHintProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'helm-values', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (dynamicConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'helmValues' });
});

// ---------------------------------------------------------------------------------------------------------------
// Snapshots and settings

async function settingsFor(uri: string): Promise<Settings> {
  if (!pullSettings) return globalSettings;
  const hit = settingsCache.get(uri);
  if (hit) return hit;
  const raw = (await connection.workspace.getConfiguration({ scopeUri: uri, section: 'helmValues' })) as unknown;
  const s = Settings.from(raw);
  settingsCache.set(uri, s);
  return s;
}

async function snapshotOf(uri: string): Promise<{ snapshot: Snapshot; file: string } | undefined> {
  const file = URI.parse(uri).fsPath;
  const chartDir = outermostChart(file);
  if (chartDir === undefined) return undefined;
  const settings = await settingsFor(URI.file(chartDir).toString());
  return { snapshot: workspace.snapshot(chartDir, settings), file };
}

function activeEnvironment(chartDir: string, settings: Settings): string | undefined {
  return activeEnvironments.has(chartDir) ? activeEnvironments.get(chartDir) : settings.activeEnvironments[chartDir];
}

/** The one error boundary: a failing request logs with context and answers `fallback`. */
async function guard<T>(what: string, uri: string, fallback: T, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    connection.console.error(`helm-values: ${what} failed for ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fallback;
  }
}

function textOf(file: string): string | undefined {
  return documents.get(URI.file(file).toString())?.getText();
}

function positionAt(file: string, text: string | undefined, offset: number): { line: number; character: number } {
  const t = text ?? textOf(file) ?? '';
  return TextDocument.create('', '', 0, t).positionAt(offset);
}

function rangeIn(doc: TextDocument, start: number, end: number): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

/** The current text of a chart file: the open document's, else what the snapshot read. */
function snapshotText(s: Snapshot, file: string): string {
  return textOf(file) ?? s.analysis.document(file)?.text ?? s.analysis.places().find((p) => p.model.schema?.path === file)?.model.schema?.text ?? '';
}

function locationOf(s: Snapshot, span: FileSpan): Location {
  const text = snapshotText(s, span.file);
  return { uri: URI.file(span.file).toString(), range: { start: positionAt(span.file, text, span.start), end: positionAt(span.file, text, span.end) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnostics: pushed per chart, debounced; every file of the chart gets its list.

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

function toDiagnostic(f: Finding): Diagnostic {
  const end = { line: f.endLine - 1, character: Math.max(0, f.endColumn - 1) };
  const start = { line: f.line - 1, character: f.column - 1 };
  if (end.line === start.line && end.character <= start.character) end.character = start.character + 1;
  const d: Diagnostic = { range: { start, end }, severity: SEVERITY[f.severity], code: f.code, source: 'helm-values', message: f.message };
  const extra = f as Finding & { codeDescription?: { href: string }; related?: { line: number; column: number; endLine: number; endColumn: number; message: string }[] };
  if (extra.codeDescription) d.codeDescription = extra.codeDescription;
  if (extra.related && extra.related.length > 0) {
    d.relatedInformation = extra.related.map((r) => ({ location: { uri: URI.file(f.file).toString(), range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } } }, message: r.message }));
  }
  return d;
}

const published = new Map<string, Set<string>>();
/** Problems Red Hat's YAML extension reports too (see Settings.yamlSyntaxDiagnostics). */
const YAML_SYNTAX_CODES = new Set(['yaml.syntax', 'yaml.duplicate-key']);
const timers = new Map<string, NodeJS.Timeout>();

/** Publishes a file's diagnostics, with the version of the open text they were computed on (none for files on disk). */
function send(uri: string, diagnostics: Diagnostic[]): void {
  const version = documents.get(uri)?.version;
  void connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
}

async function publishChart(chartDir: string, stale: () => boolean): Promise<void> {
  const settings = await settingsFor(URI.file(chartDir).toString());
  if (stale()) return;
  const snap = workspace.snapshot(chartDir, settings);
  // The first check of a chart whose schema is not compiled yet publishes what needs no schema first (ajv takes a
  // few hundred milliseconds on a large schema), then everything. Later checks publish once: nothing flickers.
  if (!published.has(chartDir)) {
    const quick = workspace.withoutPendingSchemas(snap);
    if (quick) {
      if (!(await publishSnapshot(chartDir, quick, stale))) return;
      // Let the connection write them (its writer runs on a later turn) before the compile blocks the thread.
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (stale()) return;
    }
  }
  if (!(await publishSnapshot(chartDir, snap, stale))) return;
  void connection.sendNotification(EffectiveValuesChangedNotification.method, { chartDir });
  fetchRemoteSchemas(chartDir, snap);
}

/** Publishes every file's findings of a snapshot; false when an edit arrived meanwhile (nothing more was sent). */
async function publishSnapshot(chartDir: string, snap: Snapshot, stale: () => boolean): Promise<boolean> {
  // One environment at a time, yielding in between: an edit that arrives meanwhile cancels the rest of this check
  // (the next one reuses every environment finished here that the edit did not touch).
  for (const env of snap.analysis.environments) {
    snap.analysis.environment(env.name);
    await new Promise((resolve) => setImmediate(resolve));
    if (stale()) return false;
  }
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of snap.analysis.findings()) {
    if (!snap.settings.yamlSyntaxDiagnostics && YAML_SYNTAX_CODES.has(f.code)) continue;
    const abs = path.resolve(f.file.split('#')[0] ?? f.file);
    const list = byFile.get(abs) ?? [];
    list.push(toDiagnostic(f));
    byFile.set(abs, list);
  }
  if (snap.configProblems.length > 0) {
    const values = path.join(chartDir, 'values.yaml');
    const list = byFile.get(values) ?? [];
    for (const p of snap.configProblems) list.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: DiagnosticSeverity.Warning, code: 'config.environments', source: 'helm-values', message: p });
    byFile.set(values, list);
  }
  const before = published.get(chartDir) ?? new Set<string>();
  for (const abs of before) if (!byFile.has(abs)) send(URI.file(abs).toString(), []);
  for (const [abs, diags] of byFile) send(URI.file(abs).toString(), diags);
  for (const d of documents.all()) {
    const abs = URI.parse(d.uri).fsPath;
    if (abs.startsWith(chartDir + path.sep) && !byFile.has(abs) && !before.has(abs)) send(d.uri, []);
  }
  published.set(chartDir, new Set(byFile.keys()));
  return true;
}

/** Charts waiting for remote schema documents (one wait per chart, however often it is re-checked meanwhile). */
const awaitingRemote = new Set<string>();

/**
 * helmValues.schema.fetchRemoteRefs: when a chart's schemas reference remote documents not fetched yet, fetch them
 * (each URL once per session: one in flight is awaited, one that failed is not asked again), then check the chart
 * again so its values are validated with them.
 */
function fetchRemoteSchemas(chartDir: string, snap: Snapshot): void {
  const urls = workspace.pendingRemoteSchemas(snap);
  if (urls.length === 0 || awaitingRemote.has(chartDir)) return;
  awaitingRemote.add(chartDir);
  void workspace.remoteSchemas
    .fetchAll(urls)
    .then(() => {
      awaitingRemote.delete(chartDir);
      workspace.remoteSchemasArrived();
      const open = documents.all().find((d) => outermostChart(URI.parse(d.uri).fsPath) === chartDir);
      if (open) schedule(open.uri, 0);
    })
    .catch((e: unknown) => {
      awaitingRemote.delete(chartDir);
      connection.console.error(`helm-values: fetching remote schemas failed for ${chartDir}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
}

async function publishLoose(uri: string): Promise<void> {
  const d = documents.get(uri);
  if (!d) return;
  await connection.sendDiagnostics({ uri, diagnostics: parseValuesDocument(URI.parse(uri).fsPath, d.getText()).problems.map(toDiagnostic) });
}

/** Per chart (or loose file): bumped by every change, so a check in progress knows it is out of date. */
const generations = new Map<string, number>();
/**
 * Debounce after a keystroke. Short, because it is not the only guard against falling behind the typist: a check
 * in progress stops between environments when a newer edit arrives.
 */
const TYPING_DELAY_MS = 10;

function schedule(uri: string, delay: number): void {
  const file = URI.parse(uri).fsPath;
  const chartDir = outermostChart(file);
  const key = chartDir ?? uri;
  const generation = (generations.get(key) ?? 0) + 1;
  generations.set(key, generation);
  const stale = () => generations.get(key) !== generation;
  const t = timers.get(key);
  if (t) clearTimeout(t);
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      void guard('diagnostics', uri, undefined, () => (chartDir === undefined ? publishLoose(uri) : publishChart(chartDir, stale)));
    }, delay),
  );
}

documents.onDidOpen((e) => schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => schedule(e.document.uri, TYPING_DELAY_MS));
documents.onDidClose((e) => {
  if (outermostChart(URI.parse(e.document.uri).fsPath) === undefined) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  else schedule(e.document.uri, 0);
});
connection.onDidChangeWatchedFiles((e) => {
  const paths = e.changes.map((c) => URI.parse(c.uri).fsPath);
  workspace.invalidate(paths);
  const charts = new Set<string>();
  for (const c of e.changes) {
    const dir = outermostChart(URI.parse(c.uri).fsPath) ?? (c.type === FileChangeType.Deleted ? undefined : undefined);
    if (dir) charts.add(dir);
  }
  for (const d of documents.all()) {
    const dir = outermostChart(URI.parse(d.uri).fsPath);
    if (dir && (charts.has(dir) || charts.size === 0)) schedule(d.uri, 20);
  }
});
connection.onDidChangeConfiguration((change) => {
  settingsCache.clear();
  const raw = change.settings as { helmValues?: unknown } | undefined;
  if (raw?.helmValues) globalSettings = Settings.from(raw.helmValues);
  for (const d of documents.all()) schedule(d.uri, 0);
});

// ---------------------------------------------------------------------------------------------------------------
// Requests: each one snapshot lookup, one service call, one conversion.

connection.onHover((p) =>
  guard('hover', p.textDocument.uri, null, async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc) return null;
    const h = computeHover(s.snapshot.analysis, s.file, doc.offsetAt(p.position), { activeEnvironment: activeEnvironment(s.snapshot.chartDir, s.snapshot.settings) });
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeIn(doc, h.start, h.end) } : null;
  }),
);

connection.languages.inlayHint.on((p) =>
  guard('inlay hints', p.textDocument.uri, [] as InlayHint[], async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc || !s.snapshot.settings.inlayHints) return [];
    const hints = computeInlayHints(s.snapshot.analysis, s.file, doc.offsetAt(p.range.start), doc.offsetAt(p.range.end), { activeEnvironment: activeEnvironment(s.snapshot.chartDir, s.snapshot.settings) });
    return hints.map((h) => ({ position: doc.positionAt(h.offset), label: h.label, paddingLeft: true, ...(h.tooltip ? { tooltip: { kind: MarkupKind.Markdown, value: h.tooltip } } : {}) }));
  }),
);

connection.onCodeLens((p) =>
  guard('code lenses', p.textDocument.uri, [] as CodeLens[], async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc || !s.snapshot.settings.codeLens) return [];
    return computeCodeLenses(s.snapshot.analysis, s.file, { activeEnvironment: activeEnvironment(s.snapshot.chartDir, s.snapshot.settings) }).map((l) => ({
      range: rangeIn(doc, l.offset, l.offset),
      command: { title: l.title, command: l.targets.length > 0 ? 'helmValues.revealLocations' : '', arguments: [p.textDocument.uri, doc.positionAt(l.offset), l.targets.map((t) => locationOf(s.snapshot, t))] },
    }));
  }),
);

connection.onDefinition((p) =>
  guard('definition', p.textDocument.uri, [] as Location[], async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc) return [];
    return computeDefinition(s.snapshot.analysis, s.file, doc.offsetAt(p.position)).map((t) => locationOf(s.snapshot, t));
  }),
);

connection.onReferences((p) =>
  guard('references', p.textDocument.uri, [] as Location[], async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc) return [];
    return computeReferences(s.snapshot.analysis, s.file, doc.offsetAt(p.position)).map((t) => locationOf(s.snapshot, t));
  }),
);

const SYMBOL_KIND: Record<SymbolResult['kind'], SymbolKind> = { object: SymbolKind.Module, array: SymbolKind.Array, string: SymbolKind.String, number: SymbolKind.Number, boolean: SymbolKind.Boolean, null: SymbolKind.Null };

connection.onDocumentSymbol((p) =>
  guard('document symbols', p.textDocument.uri, [] as DocumentSymbol[], () => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const parsed = workspace.documents.get(URI.parse(p.textDocument.uri).fsPath, doc.getText());
    const convert = (x: SymbolResult): DocumentSymbol => ({ name: x.name, detail: x.detail, kind: SYMBOL_KIND[x.kind], range: rangeIn(doc, x.start, x.end), selectionRange: rangeIn(doc, x.selectionStart, x.selectionEnd), children: x.children.map(convert) });
    return computeDocumentSymbols(parsed).map(convert);
  }),
);

connection.onCompletion((p) =>
  guard('completion', p.textDocument.uri, [] as CompletionItem[], async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc) return [];
    return computeCompletion(s.snapshot.analysis, s.file, doc.getText(), doc.offsetAt(p.position)).map((c) => ({
      label: c.label,
      kind: c.kind === 'property' ? CompletionItemKind.Property : c.kind === 'snippet' ? CompletionItemKind.Snippet : CompletionItemKind.Value,
      ...(c.detail ? { detail: c.detail } : {}),
      ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
      ...(c.sortText ? { sortText: c.sortText } : {}),
      ...(c.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
      insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      // Snippets carry their absolute indentation: VS Code must not re-indent them.
      insertTextMode: InsertTextMode.asIs,
      textEdit: { range: rangeIn(doc, c.replaceStart, c.replaceEnd), newText: c.insertText },
    }));
  }),
);

connection.onCodeAction((p) =>
  guard('code actions', p.textDocument.uri, [] as CodeAction[], async () => {
    const s = await snapshotOf(p.textDocument.uri);
    const doc = documents.get(p.textDocument.uri);
    if (!s || !doc) return [];
    const codes = new Set(p.context.diagnostics.map((d) => String(d.code ?? '')));
    return computeCodeActions(s.snapshot.analysis, s.file, doc.offsetAt(p.range.start), doc.offsetAt(p.range.end))
      .filter((a) => codes.size === 0 || codes.has(a.code))
      .map((a) => {
        const changes: Record<string, TextEdit[]> = {};
        // Files with no text (e.g. a .helmsecretsignore not written yet) may not exist: they are created first.
        const maybeMissing = new Set<string>();
        for (const e of a.edits) {
          const text = snapshotText(s.snapshot, e.file);
          const uri = URI.file(e.file).toString();
          if (text === '' && !documents.get(uri)) maybeMissing.add(uri);
          (changes[uri] ??= []).push({ range: { start: positionAt(e.file, text, e.start), end: positionAt(e.file, text, e.end) }, newText: e.newText });
        }
        const edit: WorkspaceEdit =
          maybeMissing.size === 0 || !createFiles
            ? { changes }
            : { documentChanges: [...[...maybeMissing].map((uri) => CreateFile.create(uri, { ignoreIfExists: true })), ...Object.entries(changes).map(([uri, edits]) => TextDocumentEdit.create({ uri, version: null }, edits))] };
        return { title: a.title, kind: CodeActionKind.QuickFix, isPreferred: a.preferred === true, diagnostics: p.context.diagnostics.filter((d) => d.code === a.code), edit };
      });
  }),
);

// Custom requests of the VS Code client (declared in protocol.ts).

connection.onRequest(ChartInfoRequest.method, (p: ChartInfoRequest.Params) =>
  guard('chart info', p.uri, null as ChartInfoRequest.Result, async () => {
    const s = await snapshotOf(p.uri);
    if (!s) return null;
    const a = s.snapshot.analysis;
    const active = activeEnvironment(s.snapshot.chartDir, s.snapshot.settings);
    return { chartDir: s.snapshot.chartDir, name: a.model.name, environments: a.environments.map((e) => ({ name: e.name, origin: e.origin, values: e.values })), ...(active ? { activeEnvironment: active } : {}) };
  }),
);

connection.onNotification(SetActiveEnvironmentNotification.method, (p: SetActiveEnvironmentNotification.Params) => {
  activeEnvironments.set(p.chartDir, p.environment);
  void connection.languages.inlayHint.refresh().catch(() => undefined);
  void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
});

connection.onRequest(EffectiveValuesRequest.method, (p: EffectiveValuesRequest.Params) =>
  guard('effective values', p.chartDir, { text: '', helmVersion: '', error: 'internal error' } as EffectiveValuesRequest.Result, async () => {
    const settings = await settingsFor(URI.file(p.chartDir).toString());
    const snap = workspace.snapshot(p.chartDir, settings);
    return { ...renderEffectiveValues(snap.analysis, p.environment, p.annotate), helmVersion: formatRelease(snap.analysis.input.helmVersion) };
  }),
);

connection.onRequest(ExplainRequest.method, (p: ExplainRequest.Params) =>
  guard('explain', p.uri, null as ExplainRequest.Result | null, async () => {
    const s = await snapshotOf(p.uri);
    const doc = documents.get(p.uri);
    if (!s || !doc) return null;
    return explainAt(s.snapshot.analysis, s.file, doc.offsetAt(p.position)) ?? null;
  }),
);

connection.onRequest(InferSchemaRequest.method, (p: InferSchemaRequest.Params) =>
  guard('infer schema', p.chartDir, { text: '', error: 'internal error' } as InferSchemaRequest.Result, async () => {
    const settings = await settingsFor(URI.file(p.chartDir).toString());
    const analysis = workspace.snapshot(p.chartDir, settings).analysis;
    const values = analysis.model.values;
    if (!values) return { text: '', error: `${p.chartDir} has no values.yaml to infer a schema from` };
    const draft = defaultSchemaDraft(analysis.input.helmVersion) === '07' ? 'http://json-schema.org/draft-07/schema#' : 'https://json-schema.org/draft/2020-12/schema';
    return { text: JSON.stringify(inferSchema(values, { draft }), null, 2) + '\n' };
  }),
);

documents.listen(connection);
connection.listen();
