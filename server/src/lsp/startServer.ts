// The LSP adapter: `startServer(connection, host)` registers every handler on a connection and starts listening.
// Each handler looks up a snapshot, calls one service function and converts its result (conversions.ts), inside the
// one cancellation-and-error boundary (`guard`). All state lives in the objects made here: the bin
// (server/src/server.ts) makes a stdio/IPC connection; tests pass an in-process one.
import * as path from 'node:path';
import { CodeActionKind, DidChangeConfigurationNotification, TextDocuments, TextDocumentSyncKind, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ChartInfoRequest, ClearCachesRequest, EffectiveValuesRequest, ExplainRequest, GitopsManifestsNotification, InferSchemaRequest, LiveValuesRequest, SetActiveEnvironmentNotification, Settings } from '../protocol';
import { stringify } from 'yaml';
import { loadClusterReader } from '../host/kube/load';
import { computeDrift, valuesRedactor } from '../service/custody/drift';
import type { LiveComparison } from '../service/features/types';
import type { Value, ValueMap } from '../service/types';
import { HostCaches, schemaUriFor } from '../host/projectModel';
import { formatRelease } from '../service/helm/versions';
import { defaultWorkerFile } from '../host/schemaOffThread';
import { ValidatorCache } from '../host/validatorCache';
import { computeCodeActions } from '../service/features/codeActions';
import { computeCompletion } from '../service/features/completion';
import { explainAt, renderEffectiveValues } from '../service/features/effectiveView';
import { computeHover, prepareHover } from '../service/features/hover';
import { computeCodeLenses, computeInlayHints } from '../service/features/inlayHints';
import { templateTextOf } from '../service/templates/modelIndex';
import { computeDefinition, computeDocumentSymbols, computeReferences } from '../service/features/navigation';
import { computeTemplateCompletion, computeTemplateDefinition, computeTemplateHover } from '../service/features/templateFeatures';
import { isTemplateFile } from '../service/features/templateTarget';
import { inferSchema } from '../service/schema/infer';
import { toCodeAction, toCodeLens, toCompletionItem, toDocumentSymbol, toHover, toInlayHint, toLocation } from './conversions';
import { DiagnosticsScheduler, TYPING_DELAY_MS } from './diagnostics';
import { inTemplatesFolder, outermostChart, Workspace, type OpenDocument, type Snapshot } from './workspace';

/** What the server gets from its host: the long-lived caches (cleared by helmValues/clearCaches). */
export interface ServerHost {
  caches: HostCaches;
  /** Called when a chart's check and the preparation of queries are done (the bin: a full GC once idle). */
  collectWhenIdle?: () => void;
}

export function createHost(): ServerHost {
  // Compiled validators persist between sessions (host/validatorCache.ts); first compiles run on a worker thread.
  return { caches: new HostCaches(undefined, { validators: ValidatorCache.fromEnvironment(), workerFile: defaultWorkerFile() }) };
}

export interface ServerSession {
  workspace: Workspace;
  documents: TextDocuments<TextDocument>;
  diagnostics: DiagnosticsScheduler;
}

/** A request's snapshot: the chart's analysis, the file asked about and its open document. */
interface Target {
  snapshot: Snapshot;
  file: string;
  doc: TextDocument;
}

/** Request URIs whose paths `startServer` keeps before it starts again. */
const MAX_REMEMBERED_URIS = 1000;

export function startServer(connection: Connection, host: ServerHost = createHost()): ServerSession {
  const documents = new TextDocuments(TextDocument);
  // The paths of the URIs requests name, each made once: vscode-uri parses them character by character, tenths of a
  // millisecond of every hover after a pause.
  const paths = new Map<string, string>();
  const fsPathOf = (uri: string): string => {
    let p = paths.get(uri);
    if (p === undefined) {
      if (paths.size >= MAX_REMEMBERED_URIS) paths.clear();
      p = URI.parse(uri).fsPath;
      paths.set(uri, p);
    }
    return p;
  };
  /** The open documents by path, made again only after one opened, changed or closed (the workspace compares it by identity). */
  let openDocuments: Map<string, OpenDocument> | undefined;
  const workspace = new Workspace(() => {
    if (!openDocuments) {
      openDocuments = new Map();
      for (const d of documents.all()) openDocuments.set(fsPathOf(d.uri), { text: d.getText(), version: d.version });
    }
    return openDocuments;
  }, host.caches);
  const client = { pullSettings: false, dynamicConfig: false, folderEvents: false, createFiles: false };
  let globalSettings = Settings.from({});
  /** The environment the client's picker chose per chart (overrides the setting). */
  const activeEnvironments = new Map<string, string | undefined>();
  /** Per chart directory: its settings as pulled from the client (scoped to the chart's folder). */
  const settingsCache = new Map<string, Settings>();
  /** The last live comparison per chart (Compare Environment with Live Release), shown on hover until the next one. */
  const liveComparisons = new Map<string, LiveComparison>();

  async function settingsFor(chartDir: string): Promise<Settings> {
    if (!client.pullSettings) return globalSettings;
    const hit = settingsCache.get(chartDir);
    if (hit) return hit;
    const s = Settings.from((await connection.workspace.getConfiguration({ scopeUri: URI.file(chartDir).toString(), section: 'helmValues' })) as unknown);
    settingsCache.set(chartDir, s);
    return s;
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

  async function snapshotOf(chartDir: string): Promise<Snapshot> {
    return workspace.snapshot(chartDir, await settingsFor(chartDir));
  }

  /** `guard` around a request about the chart of a file (open or not): `f` runs only when the file is in a chart. */
  function onChart<T>(what: string, uri: string, token: CancellationToken, fallback: T, f: (s: Snapshot) => T): Promise<T> {
    return guard(what, uri, fallback, async () => {
      const chartDir = workspace.chartOfFile(fsPathOf(uri));
      const snapshot = chartDir === undefined ? undefined : await snapshotOf(chartDir);
      return snapshot === undefined || token.isCancellationRequested ? fallback : f(snapshot);
    });
  }

  /**
   * `guard` around a request on an open document of a chart: `f` runs only when there is one, and not once the client
   * cancelled the request (while the settings were pulled).
   */
  function onTarget<T>(what: string, uri: string, token: CancellationToken, fallback: T, f: (t: Target) => T): Promise<T> {
    return onChart(what, uri, token, fallback, (snapshot) => {
      const doc = documents.get(uri);
      return doc ? f({ snapshot, file: fsPathOf(uri), doc }) : fallback;
    });
  }

  const activeEnvironment = (s: Snapshot) => (activeEnvironments.has(s.chartDir) ? activeEnvironments.get(s.chartDir) : s.settings.activeEnvironments[s.chartDir]);
  /** The current text of a chart file: the open document's, else what the snapshot read. */
  const textIn = (s: Snapshot) => (file: string) =>
    documents.get(URI.file(file).toString())?.getText() ?? s.analysis.document(file)?.text ?? s.analysis.places().find((p) => p.model.schema?.path === file)?.model.schema?.text ?? templateTextOf(s.analysis.model, file) ?? '';

  /**
   * After each publish of a chart, in a turn of its own and only if no edit came meanwhile: `prepareHover`, then a
   * hover on the first key of each open file of the chart, its result dropped. It builds what a hover needs of the new documents and
   * analysis (comment and path indexes, layers: a millisecond or two on a 6,000-line file), off the path of both
   * the edit's diagnostics and the next hover; the first time, it also compiles the hover's code (a process's first
   * hover costs several ms more than the next ones), which the bin's code cache then keeps for later starts.
   */
  const prepareQueries = (chartDir: string, s: Snapshot, current: () => boolean) =>
    setImmediate(() => {
      if (!current()) return;
      void guard('preparing hover', chartDir, undefined, () => {
        // The indexes of the open documents (inline values of manifests too) and the charts' key documentation.
        prepareHover(s.analysis, documents.all().map((d) => URI.parse(d.uri).fsPath));
        for (const d of documents.all()) {
          const file = URI.parse(d.uri).fsPath;
          const key = file.startsWith(chartDir + path.sep) ? s.analysis.document(file)?.entries[0] : undefined;
          if (key) computeHover(s.analysis, file, key.keyStart, { activeEnvironment: activeEnvironment(s) });
        }
      });
      host.collectWhenIdle?.();
    });
  const scheduler = new DiagnosticsScheduler({ connection, documents, workspace, settingsFor, guard, published: prepareQueries });

  /** The GitOps manifests last announced to the client (GitopsManifestsNotification), one per line. */
  let announced = '';
  /** Tells the client which manifests to send (after start, and whenever files or folders changed). */
  const announceManifests = () =>
    void guard('gitops manifests', '', undefined, () => {
      const files = workspace.gitopsManifests();
      if (files.join('\n') === announced) return;
      announced = files.join('\n');
      void connection.sendNotification(GitopsManifestsNotification.type, { files });
    });

  connection.onInitialize((params) => {
    const caps = params.capabilities.workspace;
    client.pullSettings = !!caps?.configuration;
    client.dynamicConfig = !!caps?.didChangeConfiguration?.dynamicRegistration;
    client.folderEvents = !!caps?.workspaceFolders;
    client.createFiles = !!caps?.workspaceEdit?.documentChanges && !!caps.workspaceEdit.resourceOperations?.includes('create');
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
        completionProvider: { triggerCharacters: [':', ' ', '\n', '.'], resolveProvider: false },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        ...(client.folderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: 'helm-values', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (client.dynamicConfig) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'helmValues' });
    if (client.folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => URI.parse(f.uri).fsPath));
        workspace.roots = [...workspace.roots.filter((r) => !removed.has(r)), ...e.added.map((f) => URI.parse(f.uri).fsPath)];
        workspace.clear();
        scheduler.scheduleAll();
        announceManifests();
      });
    }
    announceManifests();
  });

  // Diagnostics: scheduled on every change; see diagnostics.ts.
  documents.onDidOpen((e) => {
    openDocuments = undefined;
    workspace.opened(fsPathOf(e.document.uri));
    scheduler.schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    openDocuments = undefined;
    scheduler.schedule(e.document.uri, TYPING_DELAY_MS);
  });
  documents.onDidClose((e) => {
    openDocuments = undefined;
    scheduler.closed(e.document.uri);
  });
  connection.onDidChangeWatchedFiles((e) => {
    workspace.invalidate(e.changes.map((c) => URI.parse(c.uri).fsPath));
    const charts = new Set(e.changes.flatMap((c) => outermostChart(URI.parse(c.uri).fsPath) ?? []));
    for (const d of documents.all()) {
      const dir = workspace.chartOfFile(URI.parse(d.uri).fsPath);
      if (dir && (charts.has(dir) || charts.size === 0)) scheduler.schedule(d.uri, 20);
    }
    announceManifests();
  });
  connection.onDidChangeConfiguration((change) => {
    settingsCache.clear();
    const raw = change.settings as { helmValues?: unknown } | undefined;
    if (raw?.helmValues) globalSettings = Settings.from(raw.helmValues);
    scheduler.scheduleAll();
  });
  connection.onShutdown(() => scheduler.dispose());

  // Requests: each one snapshot lookup, one service call, one conversion.
  connection.onHover((p, token) =>
    onTarget('hover', p.textDocument.uri, token, null, ({ snapshot: s, file, doc }) => {
      const live = liveComparisons.get(s.chartDir);
      const options = { activeEnvironment: activeEnvironment(s), ...(live ? { live } : {}) };
      const offset = doc.offsetAt(p.position);
      const h = isTemplateFile(s.analysis, file) ? computeTemplateHover(s.analysis, file, offset, options) : computeHover(s.analysis, file, offset, options);
      return h ? toHover(h, doc) : null;
    }),
  );
  connection.languages.inlayHint.on((p, token) =>
    onTarget('inlay hints', p.textDocument.uri, token, [], ({ snapshot: s, file, doc }) =>
      !s.settings.inlayHints ? [] : computeInlayHints(s.analysis, file, doc.offsetAt(p.range.start), doc.offsetAt(p.range.end), { activeEnvironment: activeEnvironment(s) }).map((h) => toInlayHint(h, doc)),
    ),
  );
  connection.onCodeLens((p, token) =>
    onTarget('code lenses', p.textDocument.uri, token, [], ({ snapshot: s, file, doc }) => (!s.settings.codeLens ? [] : computeCodeLenses(s.analysis, file, { activeEnvironment: activeEnvironment(s) }).map((l) => toCodeLens(l, doc, textIn(s))))),
  );
  connection.onDefinition((p, token) =>
    onTarget('definition', p.textDocument.uri, token, [], ({ snapshot: s, file, doc }) =>
      (isTemplateFile(s.analysis, file) ? computeTemplateDefinition : computeDefinition)(s.analysis, file, doc.offsetAt(p.position)).map((t) => toLocation(t, textIn(s))),
    ),
  );
  connection.onReferences((p, token) => onTarget('references', p.textDocument.uri, token, [], ({ snapshot: s, file, doc }) => computeReferences(s.analysis, file, doc.offsetAt(p.position)).map((t) => toLocation(t, textIn(s)))));
  connection.onDocumentSymbol((p) =>
    guard('document symbols', p.textDocument.uri, [], () => {
      const doc = documents.get(p.textDocument.uri);
      // A template's outline is its language's (another extension's): it is no values document.
      return doc && !inTemplatesFolder(URI.parse(doc.uri).fsPath) ? computeDocumentSymbols(workspace.documents.get(URI.parse(doc.uri).fsPath, doc.getText())).map((x) => toDocumentSymbol(x, doc)) : [];
    }),
  );
  connection.onCompletion((p, token) =>
    onTarget('completion', p.textDocument.uri, token, [], ({ snapshot: s, file, doc }) => {
      // `.` triggers completion of `.Values.` keys in templates only.
      const template = isTemplateFile(s.analysis, file);
      if (!template && p.context?.triggerCharacter === '.') return [];
      return (template ? computeTemplateCompletion : computeCompletion)(s.analysis, file, doc.getText(), doc.offsetAt(p.position)).map((c) => toCompletionItem(c, doc));
    }),
  );
  connection.onCodeAction((p, token) =>
    onTarget('code actions', p.textDocument.uri, token, [], ({ snapshot: s, file, doc }) => {
      const codes = new Set(p.context.diagnostics.map((d) => String(d.code ?? '')));
      const actions = computeCodeActions(s.analysis, file, doc.offsetAt(p.range.start), doc.offsetAt(p.range.end)).filter((a) => codes.size === 0 || codes.has(a.code));
      return actions.map((a) => toCodeAction(a, p.context.diagnostics, { textOf: textIn(s), isOpen: (uri) => !!documents.get(uri) }, client.createFiles));
    }),
  );

  // Custom requests of the wire contract (protocol.ts).
  connection.onRequest(ChartInfoRequest.type, (p, token) =>
    onChart('chart info', p.uri, token, null, (s) => {
      const active = activeEnvironment(s);
      return { chartDir: s.chartDir, name: s.analysis.model.name, environments: s.analysis.environments.map((e) => ({ name: e.name, origin: e.origin, values: e.values })), ...(active ? { activeEnvironment: active } : {}) };
    }),
  );
  connection.onNotification(SetActiveEnvironmentNotification.type, (p) => {
    activeEnvironments.set(p.chartDir, p.environment);
    void connection.languages.inlayHint.refresh().catch(() => undefined);
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
  });
  connection.onRequest(EffectiveValuesRequest.type, (p) =>
    guard('effective values', p.chartDir, { text: '', helmVersion: '', error: 'internal error' }, async () => {
      if (p.revision !== undefined) {
        const settings = await settingsFor(p.chartDir);
        const at = workspace.snapshotAt(p.chartDir, settings, p.revision);
        if ('error' in at) return { text: '', helmVersion: '', error: at.error };
        return { ...renderEffectiveValues(at.analysis, p.environment, p.annotate), helmVersion: formatRelease(at.helm.release) };
      }
      const s = await snapshotOf(p.chartDir);
      return { ...renderEffectiveValues(s.analysis, p.environment, p.annotate), helmVersion: formatRelease(s.helm.release) };
    }),
  );
  connection.onRequest(LiveValuesRequest.type, (p) =>
    guard('live values', p.chartDir, { declared: '', live: '', changes: [], summary: '', error: 'internal error' }, async () => {
      const fail = (error: string): LiveValuesRequest.Result => ({ declared: '', live: '', changes: [], summary: '', error });
      const s = await snapshotOf(p.chartDir);
      const effective = s.analysis.environment(p.environment)?.effective;
      if (!effective) return fail(`no environment "${p.environment}" (known: ${s.analysis.environments.map((e) => e.name).join(', ')})`);
      const readLive = await loadClusterReader();
      const r = await readLive({ release: p.release, ...(p.namespace ? { namespace: p.namespace } : {}), ...(p.context ? { context: p.context } : {}), ...(p.kubeconfig ? { kubeconfig: p.kubeconfig } : {}) });
      if ('error' in r) return fail(`cannot read release "${p.release}"${r.server ? ` from ${r.server}` : ''}${r.context ? ` (context ${r.context})` : ''}: ${r.error}`);
      const liveValues = r.config as ValueMap;
      const redactLive = valuesRedactor(liveValues, s.analysis.input.secrets ?? {}, s.analysis.caches);
      const report = computeDrift({
        environment: p.environment,
        effective,
        live: { values: liveValues, computed: false, release: r.release, revision: r.revision, ...(r.chartVersion !== undefined ? { chartVersion: r.chartVersion } : {}) },
        declaredChartVersion: s.analysis.model.version,
        redactDeclared: (v) => s.analysis.redact(v),
        redactLive,
      });
      liveComparisons.set(s.chartDir, { environment: p.environment, release: p.release, changes: new Map(report.changes.map((c) => [c.path, { kind: c.kind, ...(c.live !== undefined ? { live: c.live } : {}) }])) });
      const yaml = (v: Value) => stringify(sortKeys(v), { lineWidth: 0, aliasDuplicateObjects: false });
      const chart = report.chartVersion?.live !== undefined && report.chartVersion.live !== report.chartVersion.declared ? `; chart ${report.chartVersion.declared} declared, ${report.chartVersion.live} live` : '';
      return {
        declared: yaml(s.analysis.redact(effective.userValues)),
        live: yaml(redactLive(liveValues)),
        changes: report.changes.map((c) => ({ path: c.path, kind: c.kind, ...(c.declared !== undefined ? { declared: c.declared } : {}), ...(c.live !== undefined ? { live: c.live } : {}) })),
        summary: `${report.changes.length === 0 ? 'no drift' : `${report.changes.length} drifted path${report.changes.length === 1 ? '' : 's'}`} (release ${r.release} revision ${r.revision}, ${r.record} in ${r.namespace}${chart})`,
      };
    }),
  );
  connection.onRequest(ExplainRequest.type, (p, token) => onTarget('explain', p.uri, token, null, ({ snapshot: s, file, doc }) => explainAt(s.analysis, file, doc.offsetAt(p.position)) ?? null));
  connection.onRequest(InferSchemaRequest.type, (p) =>
    guard('infer schema', p.chartDir, { text: '', error: 'internal error' }, async () => {
      const s = await snapshotOf(p.chartDir);
      const values = s.analysis.model.values;
      return values ? { text: JSON.stringify(inferSchema(values, { draft: schemaUriFor(s.helm) }), null, 2) + '\n' } : { text: '', error: `${p.chartDir} has no values.yaml to infer a schema from` };
    }),
  );
  connection.onRequest(ClearCachesRequest.type, () =>
    guard('clear caches', '', null, () => {
      workspace.clear();
      scheduler.scheduleAll();
      announceManifests();
      return null;
    }),
  );

  documents.listen(connection);
  connection.listen();
  return { workspace, documents, diagnostics: scheduler };
}

/** A value with map keys sorted, as Helm prints values. */
function sortKeys(v: Value): Value {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k] ?? null)]));
  return v;
}
