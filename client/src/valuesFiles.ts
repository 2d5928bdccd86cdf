// Which documents the language client hands to the server, and which files it watches: values files by their
// conventional names, Chart.yaml and chart templates, plus every file named in `helmValues.environments`, whatever its name
// (`deploy/prod-overrides.yml`), plus the GitOps manifests the server announces (GitopsManifestsNotification: the
// Argo CD, Flux and helmfile manifests that deploy a chart or carry its inline values; no other Kubernetes YAML).
// Folders are watched too, for their creation and deletion (folderEvents.ts): VS Code reports a folder made or removed
// with its files as one event for the folder, which no file glob matches.
// A client reads its document selector and watchers when it starts, so when the configured files or the announced
// manifests change, the client restarts with the new ones. The last announced manifests are kept in the workspace
// state, so a later session starts with them (no restart unless they changed).
import * as path from 'node:path';
import { Disposable, FileType, RelativePattern, Uri, workspace, type FileSystemWatcher, type GlobPattern, type Memento } from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, State, type DocumentSelector, type FileEvent, type LanguageClient } from 'vscode-languageclient/node';
import { GitopsManifestsNotification } from '../../server/src/protocol';
import { configuredValuesFiles, TEMPLATE_DOCUMENTS, TEMPLATE_FILES_GLOB } from './configuredValuesFiles';
import { heldKnownPath } from './folderEvents';

/** Values files by convention, and Chart.yaml: the documents the server analyses whatever the settings. */
const CONVENTIONAL = ['**/values*.yaml', '**/values*.yml', '**/values/*.yaml', '**/ci/*.yaml', '**/Chart.yaml'];

/** Every file whose change can alter a chart's effective values or findings (`.helmsecretsignore`: secret findings). */
const CHART_FILES_GLOB =
  '**/{Chart.yaml,Chart.lock,requirements.yaml,values*.yaml,values*.yml,values/*.yaml,ci/*.yaml,values.schema.json,charts/*.tgz,.helmsecretsignore}';

/** Argo CD, Flux and helmfile manifests anywhere in the folder: a change re-runs the server's GitOps discovery. */
const GITOPS_FILES_GLOB = '**/*.{yaml,yml,gotmpl}';

/** Every path, for folders made or removed with their files (see folderEvents.ts). */
const ANY_PATH_GLOB = '**/*';

/** Folder events go to the server after this delay, in one notification, as the client's own file events do. */
const FOLDER_EVENTS_DELAY_MS = 250;

/** A configured values file: the pattern a document's path must match, and the glob to watch. */
interface Configured {
  document: string;
  watch: GlobPattern;
}

function configured(): Configured[] {
  const out = new Map<string, Configured>();
  for (const folder of workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const dir = folder.uri.fsPath;
    for (const file of configuredValuesFiles(workspace.getConfiguration('helmValues', folder.uri).get('environments'), dir)) {
      if (file.startsWith('**/')) out.set(file, { document: file, watch: file });
      else if (path.posix.isAbsolute(file)) out.set(file, { document: path.normalize(file), watch: new RelativePattern(Uri.file(path.dirname(file)), path.basename(file)) });
      else out.set(path.join(dir, file), { document: path.join(dir, file), watch: new RelativePattern(folder, file) });
    }
  }
  return [...out.values()];
}

/** The workspace-state key of the manifests the server announced last. */
const MANIFESTS_KEY = 'helmValues.gitopsManifests';

function selectorOf(files: Configured[], manifests: readonly string[]): DocumentSelector {
  return [
    ...[...CONVENTIONAL, ...files.map((f) => f.document)].map((pattern) => ({ scheme: 'file', language: 'yaml', pattern })),
    // Whatever language the editor gave them (helmfile.yaml.gotmpl is not YAML to VS Code).
    ...manifests.map((file) => ({ scheme: 'file', pattern: path.normalize(file) })),
    ...TEMPLATE_DOCUMENTS,
  ];
}

/**
 * The client's document selector and file watchers, following the configured environments: give `selector` and
 * `watchers` to the client's options, then call `follow(client)`.
 */
export class ValuesFiles implements Disposable {
  private files = configured();
  private readonly chartFiles = workspace.createFileSystemWatcher(CHART_FILES_GLOB);
  private readonly gitopsFiles = workspace.createFileSystemWatcher(GITOPS_FILES_GLOB, false, false, false);
  private readonly templateFiles = workspace.createFileSystemWatcher(TEMPLATE_FILES_GLOB);
  private configuredWatchers = this.files.map((f) => workspace.createFileSystemWatcher(f.watch));
  /** Creations and deletions only; only those of folders reach the server (`followFolders`). */
  private readonly folders = workspace.createFileSystemWatcher(ANY_PATH_GLOB, false, true, false);
  /** The folders created this session (their deletion is passed on too). */
  private readonly createdFolders = new Set<string>();
  private readonly subscriptions: Disposable[] = [];
  private manifests: string[];

  constructor(private readonly state: Memento) {
    const saved = state.get<unknown>(MANIFESTS_KEY);
    this.manifests = Array.isArray(saved) ? saved.filter((f): f is string => typeof f === 'string') : [];
  }

  get selector(): DocumentSelector {
    return selectorOf(this.files, this.manifests);
  }

  get watchers(): FileSystemWatcher[] {
    return [this.chartFiles, this.gitopsFiles, this.templateFiles, ...this.configuredWatchers];
  }

  /**
   * Restarts `client` with the new selector and watchers whenever the configured values files change, or the server
   * announces other GitOps manifests.
   */
  follow(client: LanguageClient): void {
    const restart = (): void => {
      client.clientOptions.documentSelector = this.selector;
      client.clientOptions.synchronize = { ...client.clientOptions.synchronize, fileEvents: this.watchers };
      // A running client restarts now; one still starting, once it runs.
      if (client.state === State.Running) void client.restart();
      else if (client.state === State.Starting) {
        const once = client.onDidChangeState((e) => {
          if (e.newState !== State.Running) return;
          once.dispose();
          void client.restart();
        });
      }
    };
    const update = (): void => {
      const files = configured();
      if (files.map((f) => f.document).join('\n') === this.files.map((f) => f.document).join('\n')) return;
      this.files = files;
      for (const w of this.configuredWatchers) w.dispose();
      this.configuredWatchers = files.map((f) => workspace.createFileSystemWatcher(f.watch));
      restart();
    };
    this.subscriptions.push(
      workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('helmValues.environments')) update();
      }),
      workspace.onDidChangeWorkspaceFolders(update),
      client.onNotification(GitopsManifestsNotification.type, (p) => {
        const files = p.files.filter((f) => typeof f === 'string');
        if (files.join('\n') === this.manifests.join('\n')) return;
        this.manifests = files;
        void this.state.update(MANIFESTS_KEY, files);
        restart();
      }),
    );
    this.followFolders(client);
  }

  /**
   * Passes on the creation of a folder, and the deletion of one that was or held a path the server reads, to `client`
   * as file events: the server reads the folder again (a GitOps discovery, a chart). See folderEvents.ts.
   */
  private followFolders(client: LanguageClient): void {
    let pending: FileEvent[] = [];
    let timer: NodeJS.Timeout | undefined;
    const send = (uri: Uri, type: FileChangeType): void => {
      const event = { uri: client.code2ProtocolConverter.asUri(uri), type };
      // VS Code may report one folder twice in a batch.
      if (pending.some((e) => e.uri === event.uri && e.type === event.type)) return;
      pending.push(event);
      timer ??= setTimeout(() => {
        const changes = pending;
        pending = [];
        timer = undefined;
        // A client that is not running has nothing to tell: the server it starts reads everything afresh.
        if (client.state === State.Running) void client.sendNotification(DidChangeWatchedFilesNotification.type, { changes }).catch(() => undefined);
      }, FOLDER_EVENTS_DELAY_MS);
    };
    const known = (): string[] => [...this.createdFolders, ...this.manifests, ...workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => d.uri.fsPath)];
    this.subscriptions.push(
      this.folders.onDidCreate(async (uri) => {
        const stat = await Promise.resolve(workspace.fs.stat(uri)).catch(() => undefined);
        if (stat === undefined || (stat.type & FileType.Directory) === 0) return;
        this.createdFolders.add(uri.fsPath);
        send(uri, FileChangeType.Created);
      }),
      this.folders.onDidDelete((uri) => {
        if (!heldKnownPath(uri.fsPath, known())) return;
        for (const f of this.createdFolders) if (heldKnownPath(uri.fsPath, [f])) this.createdFolders.delete(f);
        send(uri, FileChangeType.Deleted);
      }),
      { dispose: () => clearTimeout(timer) },
    );
  }

  dispose(): void {
    for (const d of [...this.subscriptions, this.chartFiles, this.gitopsFiles, this.templateFiles, this.folders, ...this.configuredWatchers]) d.dispose();
  }
}
