// Which documents the language client hands to the server, and which files it watches: values files by their
// conventional names, Chart.yaml and chart templates, plus every file named in `helmValues.environments`, whatever its name
// (`deploy/prod-overrides.yml`). A client reads its document selector and watchers when it starts, so when the
// configured files change, the client restarts with the new ones.
import * as path from 'node:path';
import { Disposable, RelativePattern, Uri, workspace, type FileSystemWatcher, type GlobPattern } from 'vscode';
import { State, type DocumentSelector, type LanguageClient } from 'vscode-languageclient/node';
import { configuredValuesFiles, TEMPLATE_DOCUMENTS, TEMPLATE_FILES_GLOB } from './configuredValuesFiles';

/** Values files by convention, and Chart.yaml: the documents the server analyses whatever the settings. */
const CONVENTIONAL = ['**/values*.yaml', '**/values*.yml', '**/values/*.yaml', '**/ci/*.yaml', '**/Chart.yaml'];

/** Every file whose change can alter a chart's effective values or findings (`.helmsecretsignore`: secret findings). */
const CHART_FILES_GLOB =
  '**/{Chart.yaml,Chart.lock,requirements.yaml,values*.yaml,values*.yml,values/*.yaml,ci/*.yaml,values.schema.json,charts/*.tgz,.helmsecretsignore}';

/** Argo CD, Flux and helmfile manifests anywhere in the folder: a change re-runs the server's GitOps discovery. */
const GITOPS_FILES_GLOB = '**/*.{yaml,yml,gotmpl}';

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

function selectorOf(files: Configured[]): DocumentSelector {
  return [...[...CONVENTIONAL, ...files.map((f) => f.document)].map((pattern) => ({ scheme: 'file', language: 'yaml', pattern })), ...TEMPLATE_DOCUMENTS];
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
  private readonly subscriptions: Disposable[] = [];

  get selector(): DocumentSelector {
    return selectorOf(this.files);
  }

  get watchers(): FileSystemWatcher[] {
    return [this.chartFiles, this.gitopsFiles, this.templateFiles, ...this.configuredWatchers];
  }

  /** Restarts `client` with the new selector and watchers whenever the configured values files change. */
  follow(client: LanguageClient): void {
    const update = (): void => {
      const files = configured();
      if (files.map((f) => f.document).join('\n') === this.files.map((f) => f.document).join('\n')) return;
      this.files = files;
      for (const w of this.configuredWatchers) w.dispose();
      this.configuredWatchers = files.map((f) => workspace.createFileSystemWatcher(f.watch));
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
    this.subscriptions.push(
      workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('helmValues.environments')) update();
      }),
      workspace.onDidChangeWorkspaceFolders(update),
    );
  }

  dispose(): void {
    for (const d of [...this.subscriptions, this.chartFiles, this.gitopsFiles, this.templateFiles, ...this.configuredWatchers]) d.dispose();
  }
}
