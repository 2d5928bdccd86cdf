// "Helm Values: Generate Schema Draft": the server infers a values.schema.json from the chart's values.yaml (types,
// defaults, `# --` and `# @schema` comments) and the client opens it, unsaved, for review. Nothing is written until the
// user saves: with no schema in the chart, the draft is an untitled document bound to `<chart>/values.schema.json`
// (Save writes there); when the chart has one, the draft is a plain untitled document and can be compared with it.
import { commands, Disposable, Position, Range, Uri, window, workspace, WorkspaceEdit } from 'vscode';
import { ErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import type { Charts } from './charts';
import { InferSchemaRequest } from '../../server/src/protocol';

export const GENERATE_SCHEMA = 'helmValues.generateSchema';

type InferSchemaParams = InferSchemaRequest.Params;
type InferSchemaResult = InferSchemaRequest.Result;

/** Arguments for scripted use (tests, keybindings); the explorer's context menu passes the clicked file's Uri. */
export interface GenerateSchemaArgs {
  chartDir?: string;
}

async function exists(uri: Uri): Promise<boolean> {
  return workspace.fs.stat(uri).then(() => true, () => false);
}

/** Shows `text` in an untitled JSON document; bound to `target` (Save writes there) when given. */
async function openDraft(text: string, target: Uri | undefined): Promise<Uri> {
  if (!target) {
    const doc = await workspace.openTextDocument({ language: 'json', content: text });
    await window.showTextDocument(doc, { preview: false });
    return doc.uri;
  }
  const uri = target.with({ scheme: 'untitled' });
  const doc = await workspace.openTextDocument(uri);
  // Run twice, the command replaces the earlier draft rather than appending to it.
  const edit = new WorkspaceEdit();
  edit.replace(uri, new Range(new Position(0, 0), doc.lineAt(doc.lineCount - 1).range.end), text);
  await workspace.applyEdit(edit);
  await window.showTextDocument(doc, { preview: false });
  return uri;
}

export function registerGenerateSchema(client: LanguageClient, charts: Charts): Disposable {
  /** Opens the draft of the given (or active, or picked) chart; returns its untitled address. */
  const generate = async (args?: GenerateSchemaArgs | Uri): Promise<Uri | undefined> => {
    const chart = args instanceof Uri ? await charts.of(args) : await charts.resolve(args?.chartDir);
    if (!chart) return undefined;
    const params: InferSchemaParams = { chartDir: chart.chartDir };
    const r = await client.sendRequest(InferSchemaRequest.type, params).then(
      (result) => result,
      (e: unknown): InferSchemaResult => ({
        text: '',
        error: e instanceof ResponseError && e.code === ErrorCodes.MethodNotFound
          ? 'this version of the language server cannot infer schemas (no helmValues/inferSchema request).'
          : `the language server failed to infer a schema: ${e instanceof Error ? e.message : String(e)}`,
      }),
    );
    if (r.error !== undefined || r.text === '') {
      void window.showWarningMessage(`Helm Values: ${r.error ?? `chart ${chart.name}: nothing to infer a schema from.`}`);
      return undefined;
    }
    const target = Uri.joinPath(Uri.file(chart.chartDir), 'values.schema.json');
    const existing = await exists(target);
    const draft = await openDraft(r.text, existing ? undefined : target);
    const message = existing
      ? `Helm Values: a draft schema inferred from ${chart.name}'s values.yaml (unsaved). The chart already has a values.schema.json: compare before replacing it.`
      : `Helm Values: a draft schema inferred from ${chart.name}'s values.yaml. Review it; saving writes ${workspace.asRelativePath(target)}.`;
    const compare = 'Compare with values.schema.json';
    void window.showInformationMessage(message, ...(existing ? [compare] : [])).then((choice) => {
      if (choice === compare) void commands.executeCommand('vscode.diff', target, draft, `${chart.name}: values.schema.json ↔ inferred draft`);
    });
    return draft;
  };
  return commands.registerCommand(GENERATE_SCHEMA, generate);
}
