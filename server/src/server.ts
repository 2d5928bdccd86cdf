// helm-values-language-server: the LSP adapter. Looks up the chart of a document, calls the service, converts
// findings to LSP diagnostics. Run with `--stdio` (any LSP client) or under VS Code's IPC transport.
import * as path from 'node:path';
import { createConnection, DiagnosticSeverity, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { chartEnvironments, readEnvironmentConfig } from './service/chart/environments';
import { checkChart } from './service/check/check';
import type { Finding } from './service/types';
import { parseValuesDocument } from './service/yaml/valuesDocument';
import { findChartRoot, readTextFile } from './host/chartReader';
import { loadChartAt, valuesResolver } from './host/project';

if (process.argv.includes('--version')) {
  process.stdout.write('helm-values-language-server\n');
  process.exit(0);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settingsSupported = false;

connection.onInitialize((params) => {
  settingsSupported = !!params.capabilities.workspace?.configuration;
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental }, serverInfo: { name: 'helm-values' } };
});

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint };

function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: { start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: Math.max(f.endColumn - 1, f.endLine === f.line ? f.column : 0) } },
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'helm-values',
    message: f.message,
  };
}

interface Settings {
  helmVersion: 3 | 4;
  environments: unknown;
}

async function settingsFor(uri: string): Promise<Settings> {
  if (!settingsSupported) return { helmVersion: 4, environments: [] };
  const raw = (await connection.workspace.getConfiguration({ scopeUri: uri, section: 'helmValues' })) as Partial<Settings> | null;
  return { helmVersion: raw?.helmVersion === 3 ? 3 : 4, environments: raw?.environments ?? [] };
}

/** Files (absolute paths) that had diagnostics last time, per chart, so cleared files get an empty list. */
const published = new Map<string, Set<string>>();

async function validate(uri: string): Promise<void> {
  const file = URI.parse(uri).fsPath;
  const open = new Map(documents.all().map((d) => [URI.parse(d.uri).fsPath, d.getText()]));
  const chartDir = findChartRoot(file);
  if (chartDir === undefined) {
    const text = open.get(file) ?? (() => { const r = readTextFile(file); return 'text' in r ? r.text : ''; })();
    void connection.sendDiagnostics({ uri, diagnostics: parseValuesDocument(file, text).problems.map(toDiagnostic) });
    return;
  }
  const settings = await settingsFor(uri);
  const chart = loadChartAt(chartDir, chartDir, open);
  const configured = readEnvironmentConfig(settings.environments, 'helmValues.environments').environments;
  const { environments } = chartEnvironments(chart.model, configured);
  const { findings } = checkChart({ model: chart.model, environments, resolveValues: valuesResolver(chart, chart.absDir, chart.displayDir, open), helmVersion: settings.helmVersion, documents: chart.documents });
  const byFile = new Map<string, Diagnostic[]>();
  for (const f of findings) {
    const abs = path.resolve(f.file.split('#')[0] ?? f.file);
    const list = byFile.get(abs) ?? [];
    list.push(toDiagnostic(f));
    byFile.set(abs, list);
  }
  const before = published.get(chartDir) ?? new Set<string>();
  for (const abs of before) if (!byFile.has(abs)) void connection.sendDiagnostics({ uri: URI.file(abs).toString(), diagnostics: [] });
  for (const [abs, diags] of byFile) void connection.sendDiagnostics({ uri: URI.file(abs).toString(), diagnostics: diags });
  if (!byFile.has(file)) void connection.sendDiagnostics({ uri, diagnostics: [] });
  published.set(chartDir, new Set(byFile.keys()));
}

const timers = new Map<string, NodeJS.Timeout>();
function schedule(uri: string, delay: number): void {
  const t = timers.get(uri);
  if (t) clearTimeout(t);
  timers.set(
    uri,
    setTimeout(() => {
      timers.delete(uri);
      validate(uri).catch((e: unknown) => connection.console.error(`helm-values: validating ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
    }, delay),
  );
}

documents.onDidOpen((e) => schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => schedule(e.document.uri, 120));
documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
connection.onDidChangeWatchedFiles(() => {
  for (const d of documents.all()) schedule(d.uri, 50);
});
connection.onDidChangeConfiguration(() => {
  for (const d of documents.all()) schedule(d.uri, 0);
});

documents.listen(connection);
connection.listen();
