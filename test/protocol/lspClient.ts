// A small LSP client for protocol tests (and the benchmark): spawns a language server over stdio, speaks JSON-RPC
// through vscode-jsonrpc, answers the server's own requests the way an editor does (settings pulls, registrations,
// progress, refreshes), mirrors the text of open documents so edits can be sent as ranges, and waits for
// diagnostics on events, never on sleeps.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as rpc from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentSymbol,
  Hover,
  InitializeResult,
  InlayHint,
  Location,
  LocationLink,
  Position,
  Range,
  SymbolInformation,
} from 'vscode-languageserver';

// __dirname (not import.meta): the benchmark bundles this file as CommonJS into bench/out/, two levels down too.
export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverPath = path.join(repoRoot, 'dist', 'server.js');

export interface ClientOptions {
  /** Server command line; default: this Node binary running dist/server.js --stdio. */
  command?: string[];
  cwd?: string;
  /** Workspace folders (absolute paths); the first is also rootUri. */
  workspaceFolders?: string[];
  /** Answers `workspace/configuration` by section (dotted lookup); mutable through `setSettings`. */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  /** Advertise `workspace.configuration` (settings pulls). Default true. */
  configurationCapability?: boolean;
  /** Also push `settings` with workspace/didChangeConfiguration after `initialized` (some servers only read that). */
  pushSettings?: boolean;
  /** Milliseconds to wait for any single response or event. Default 20000. */
  timeoutMs?: number;
  /** Default: this process's, with an empty cache of compiled validators of its own (every launch is a first open). */
  env?: NodeJS.ProcessEnv;
}

let validatorCaches: string | undefined;
/** A new empty directory for a launch's validator cache (under one per test process, removed at exit). */
export function freshValidatorCacheDir(): string {
  if (validatorCaches === undefined) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hv-lsp-validators-'));
    validatorCaches = root;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return fs.mkdtempSync(path.join(validatorCaches, 'c'));
}

/** One textDocument/publishDiagnostics as received, with the client's clock at arrival. */
export interface Publish {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  /** performance.now() when the notification was read. */
  receivedAt: number;
  /** Running count of publishes received by this client (all URIs). */
  seq: number;
}

export interface ConfigurationRequest {
  items: { scopeUri?: string; section?: string }[];
  answer: unknown[];
}

interface Waiter {
  uri: string;
  predicate: (p: Publish) => boolean;
  resolve: (p: Publish) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  label: string;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export function fileOf(uri: string): string {
  return fileURLToPath(uri);
}

/** 0-based LSP position of a UTF-16 offset in `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: Math.min(offset, text.length) - lineStart };
}

/** UTF-16 offset of a 0-based LSP position in `text` (clamped to the line). */
export function offsetAt(text: string, pos: Position): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const eol = text.indexOf('\n', offset);
  return Math.min(offset + pos.character, eol < 0 ? text.length : eol);
}

/** Position of the `occurrence`-th (0-based) match of `needle` in `text`, plus `delta` characters. Throws if absent. */
export function positionOf(text: string, needle: string, delta = 0, occurrence = 0): Position {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (occurrence ${occurrence}) not found`);
  }
  return positionAt(text, at + delta);
}

/** Range covering the first match of `needle` in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  const start = positionOf(text, needle, 0, occurrence);
  const end = positionAt(text, offsetAt(text, start) + needle.length);
  return { start, end };
}

function lookupSection(settings: Record<string, unknown>, section: string | undefined): unknown {
  if (!section) return settings;
  if (Object.prototype.hasOwnProperty.call(settings, section)) return settings[section];
  let cur: unknown = settings;
  for (const part of section.split('.')) {
    if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, part)) cur = (cur as Record<string, unknown>)[part];
    else return null;
  }
  return cur ?? null;
}

const clientCapabilities = (configuration: boolean): ClientCapabilities => ({
  general: { positionEncodings: ['utf-16'] },
  workspace: {
    configuration,
    workspaceFolders: true,
    applyEdit: false,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    inlayHint: { refreshSupport: true },
    codeLens: { refreshSupport: true },
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: false, willSaveWaitUntil: false, didSave: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    completion: {
      dynamicRegistration: false,
      contextSupport: true,
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], insertReplaceSupport: true, labelDetailsSupport: true, deprecatedSupport: true },
    },
    hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
    definition: { linkSupport: false },
    references: {},
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    inlayHint: { dynamicRegistration: false },
    codeLens: {},
  },
  window: { workDoneProgress: true, showMessage: {} },
});

export class LspClient {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** performance.now() at spawn, and when initialize answered. */
  readonly spawnedAt: number;
  initializedAt = 0;
  initializeResult: InitializeResult | undefined;
  /** Every workspace/configuration request and the answer given. */
  readonly configurationRequests: ConfigurationRequest[] = [];
  /** Server-to-client requests by method (count), including the ones answered with null. */
  readonly serverRequests = new Map<string, number>();
  /** window/logMessage and window/showMessage notifications. */
  readonly messages: { type: number; message: string }[] = [];
  /** Every publishDiagnostics, in arrival order. */
  readonly publishes: Publish[] = [];
  /** The server's own notifications (`helmValues/...`), in arrival order. */
  readonly custom: { method: string; params: unknown }[] = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private readonly conn: rpc.MessageConnection;
  private readonly latest = new Map<string, Publish>();
  private readonly texts = new Map<string, { text: string; version: number; languageId: string }>();
  private waiters: Waiter[] = [];
  private settings: Record<string, unknown>;
  private readonly timeoutMs: number;
  private shuttingDown = false;
  private readonly exited: Promise<void>;

  private constructor(private readonly options: ClientOptions) {
    this.settings = options.settings ?? {};
    this.timeoutMs = options.timeoutMs ?? 20_000;
    const [cmd = process.execPath, ...args] = options.command ?? [process.execPath, serverPath, '--stdio'];
    this.spawnedAt = performance.now();
    this.proc = spawn(cmd, args, { cwd: options.cwd ?? repoRoot, stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? { ...process.env, HELM_VALUES_VALIDATOR_CACHE_DIR: freshValidatorCacheDir() } });
    if (this.proc.pid === undefined) throw new Error(`could not spawn ${cmd}`);
    this.pid = this.proc.pid;
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-20_000);
    });
    this.proc.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        if (!this.shuttingDown) this.failAll(new Error(`server exited unexpectedly (code ${code}, signal ${signal}); stderr: ${this.stderr.slice(-2000)}`));
        resolve();
      });
    });
    if (!this.proc.stdout || !this.proc.stdin) throw new Error('server stdio is not piped');
    this.conn = rpc.createMessageConnection(new rpc.StreamMessageReader(this.proc.stdout), new rpc.StreamMessageWriter(this.proc.stdin));
    this.conn.onRequest((method: string, params: unknown) => this.onServerRequest(method, params));
    this.conn.onNotification((method: string, params: unknown) => this.onServerNotification(method, params));
    this.conn.onError(() => undefined);
    this.conn.listen();
  }

  /** Spawns the server and completes initialize/initialized. */
  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const c = new LspClient(options);
    const folders = options.workspaceFolders ?? [];
    const rootUri = folders[0] !== undefined ? uriOf(folders[0]) : null;
    try {
      await c.initialize(folders, rootUri);
    } catch (e) {
      await c.kill();
      throw e;
    }
    return c;
  }

  private async initialize(folders: string[], rootUri: string | null): Promise<void> {
    const options = this.options;
    this.initializeResult = await this.request<InitializeResult>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'helm-values-protocol-tests', version: '1' },
      locale: 'en',
      rootPath: folders[0] ?? null,
      rootUri,
      workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      initializationOptions: options.initializationOptions,
      capabilities: clientCapabilities(options.configurationCapability !== false),
      trace: 'off',
    });
    this.initializedAt = performance.now();
    await this.conn.sendNotification('initialized', {});
    if (options.pushSettings) await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: this.settings });
  }

  // ------------------------------------------------------------------------------------------ server -> client

  private onServerRequest(method: string, params: unknown): unknown {
    this.serverRequests.set(method, (this.serverRequests.get(method) ?? 0) + 1);
    switch (method) {
      case 'workspace/configuration': {
        const items = ((params as { items?: { scopeUri?: string; section?: string }[] } | undefined)?.items ?? []).map((i) => ({ ...i }));
        const answer = items.map((i) => structuredClone(lookupSection(this.settings, i.section)));
        this.configurationRequests.push({ items, answer });
        return answer;
      }
      case 'workspace/workspaceFolders':
        return (this.options.workspaceFolders ?? []).map((f) => ({ uri: uriOf(f), name: path.basename(f) }));
      case 'workspace/applyEdit':
        return { applied: false, failureReason: 'the test client applies no edits' };
      // registrations, progress, refreshes and the rest: acknowledged
      default:
        return null;
    }
  }

  private onServerNotification(method: string, params: unknown): void {
    if (method === 'textDocument/publishDiagnostics') {
      const p = params as { uri: string; version?: number; diagnostics?: Diagnostic[] };
      const pub: Publish = { uri: p.uri, diagnostics: p.diagnostics ?? [], receivedAt: performance.now(), seq: this.publishes.length + 1, ...(typeof p.version === 'number' ? { version: p.version } : {}) };
      this.publishes.push(pub);
      this.latest.set(pub.uri, pub);
      for (const w of [...this.waiters]) {
        if (w.uri === pub.uri && w.predicate(pub)) {
          this.removeWaiter(w);
          w.resolve(pub);
        }
      }
    } else if (method === 'window/logMessage' || method === 'window/showMessage') {
      const p = params as { type: number; message: string };
      this.messages.push({ type: p.type, message: p.message });
    } else if (method.startsWith('helmValues/')) {
      this.custom.push({ method, params });
    }
  }

  private removeWaiter(w: Waiter): void {
    clearTimeout(w.timer);
    this.waiters = this.waiters.filter((x) => x !== w);
  }

  private failAll(e: Error): void {
    for (const w of [...this.waiters]) {
      this.removeWaiter(w);
      w.reject(e);
    }
  }

  // ------------------------------------------------------------------------------------------ requests

  /** A request with this client's timeout; a server exit rejects it. */
  async request<T>(method: string, params: unknown): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout (${this.timeoutMs} ms) waiting for ${method}; stderr: ${this.stderr.slice(-1000)}`)), this.timeoutMs);
    });
    const died = this.exited.then(() => {
      throw new Error(`server exited during ${method} (${JSON.stringify(this.exit)}); stderr: ${this.stderr.slice(-1000)}`);
    });
    try {
      return await Promise.race([this.conn.sendRequest(method, params) as Promise<T>, timeout, died]);
    } finally {
      clearTimeout(timer);
    }
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** Replaces the settings answered to workspace/configuration and tells the server they changed. */
  async setSettings(settings: Record<string, unknown>, push = false): Promise<void> {
    this.settings = settings;
    await this.notify('workspace/didChangeConfiguration', { settings: push ? settings : null });
  }

  // ------------------------------------------------------------------------------------------ documents

  /** Opens a file (its disk text unless `text` is given); returns its URI. */
  async open(file: string, text?: string, languageId = 'yaml'): Promise<string> {
    const uri = uriOf(file);
    const t = text ?? fs.readFileSync(file, 'utf8');
    this.texts.set(uri, { text: t, version: 1, languageId });
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: t } });
    return uri;
  }

  /** URIs of the documents this client has open. */
  openDocuments(): string[] {
    return [...this.texts.keys()];
  }

  /** The client's copy of an open document. */
  text(uri: string): string {
    const d = this.texts.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    return d.text;
  }

  /** Full-text change. Returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const d = this.texts.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    d.text = text;
    d.version++;
    await this.notify('textDocument/didChange', { textDocument: { uri, version: d.version }, contentChanges: [{ text }] });
    return d.version;
  }

  /** Incremental change: replaces `range` with `text` (the client's copy is updated the same way). */
  async changeRange(uri: string, range: Range, text: string): Promise<number> {
    const d = this.texts.get(uri);
    if (!d) throw new Error(`${uri} is not open`);
    d.text = d.text.slice(0, offsetAt(d.text, range.start)) + text + d.text.slice(offsetAt(d.text, range.end));
    d.version++;
    await this.notify('textDocument/didChange', { textDocument: { uri, version: d.version }, contentChanges: [{ range, text }] });
    return d.version;
  }

  /** Incremental change replacing the `occurrence`-th match of `search` in the current text. */
  replace(uri: string, search: string, replacement: string, occurrence = 0): Promise<number> {
    return this.changeRange(uri, rangeOf(this.text(uri), search, occurrence), replacement);
  }

  async close(uri: string): Promise<void> {
    this.texts.delete(uri);
    await this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /** Tells the server files changed on disk (type 1 created, 2 changed, 3 deleted). */
  filesChanged(changes: { file: string; type: 1 | 2 | 3 }[]): Promise<void> {
    return this.notify('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: uriOf(c.file), type: c.type })) });
  }

  // ------------------------------------------------------------------------------------------ diagnostics

  /** The most recent publish for a URI, if any. */
  lastDiagnostics(uri: string): Publish | undefined {
    return this.latest.get(uri);
  }

  /**
   * Resolves with the first publish for `uri` that satisfies `predicate`: the latest one already received if it
   * does, else the next one that does. Rejects after `timeoutMs` with what was last received.
   */
  waitForDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[], p: Publish) => boolean, timeoutMs = this.timeoutMs, label = 'diagnostics'): Promise<Publish> {
    const test = (p: Publish) => predicate(p.diagnostics, p);
    const current = this.latest.get(uri);
    if (current && test(current)) return Promise.resolve(current);
    return this.nextDiagnostics(uri, predicate, timeoutMs, label);
  }

  /** Like waitForDiagnostics, but only publishes that arrive after this call count. */
  nextDiagnostics(uri: string, predicate: (diagnostics: Diagnostic[], p: Publish) => boolean, timeoutMs = this.timeoutMs, label = 'diagnostics'): Promise<Publish> {
    if (this.exit) return Promise.reject(new Error(`server already exited (${JSON.stringify(this.exit)})`));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        uri,
        label,
        predicate: (p) => predicate(p.diagnostics, p),
        resolve,
        reject,
        timer: setTimeout(() => {
          this.removeWaiter(w);
          const last = this.latest.get(uri);
          const seen = last ? JSON.stringify(last.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)} ${d.message}`)) : 'nothing';
          reject(new Error(`timeout (${timeoutMs} ms) waiting for ${label} on ${uri}; last received: ${seen}; stderr: ${this.stderr.slice(-1000)}`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  // ------------------------------------------------------------------------------------------ features

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r = await this.request<CompletionItem[] | CompletionList | null>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } });
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  inlayHints(uri: string, range?: Range): Promise<InlayHint[] | null> {
    const text = this.text(uri);
    return this.request('textDocument/inlayHint', { textDocument: { uri }, range: range ?? { start: { line: 0, character: 0 }, end: positionAt(text, text.length) } });
  }

  async definition(uri: string, position: Position): Promise<Location[]> {
    const r = await this.request<Location | Location[] | LocationLink[] | null>('textDocument/definition', { textDocument: { uri }, position });
    const list = r === null ? [] : Array.isArray(r) ? r : [r];
    return list.map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
  }

  async references(uri: string, position: Position, includeDeclaration = true): Promise<Location[]> {
    return (await this.request<Location[] | null>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration } })) ?? [];
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[] | SymbolInformation[]> {
    return (await this.request<DocumentSymbol[] | SymbolInformation[] | null>('textDocument/documentSymbol', { textDocument: { uri } })) ?? [];
  }

  // ------------------------------------------------------------------------------------------ lifecycle

  /** shutdown, then exit; resolves with how the process ended (killed after `graceMs` if it does not exit). */
  async shutdown(graceMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null; shutdownResult: unknown }> {
    this.shuttingDown = true;
    let shutdownResult: unknown = undefined;
    if (!this.exit) {
      shutdownResult = await this.request('shutdown', null);
      await this.notify('exit', null);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      const how = await Promise.race([this.exited.then(() => 'exited' as const), late]);
      clearTimeout(timer);
      if (how === 'late') {
        this.proc.kill('SIGKILL');
        await this.exited;
      }
    }
    this.conn.dispose();
    const exit = this.exit ?? { code: null, signal: null };
    return { ...exit, shutdownResult };
  }

  /** Ends the server without the protocol (for cleanup after a failed test). */
  async kill(): Promise<void> {
    this.shuttingDown = true;
    if (!this.exit) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
    this.conn.dispose();
  }
}
