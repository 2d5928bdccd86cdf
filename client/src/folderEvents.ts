// Folder events the client passes on to the server (valuesFiles.ts watches folders for them). VS Code reports a folder
// created or deleted together with its files as one event, for the folder alone: a deleted folder never gets events for
// its files (by design: microsoft/vscode#109754), a folder moved or checked out into the workspace gets none for the
// files in it, and a file written right after its folder was made sometimes gets none either (the watch on the new
// folder comes after the file). The client's file globs match no folder, so without these the server would never hear
// of the manifests and values files such a folder brings or takes away. Pure (no vscode): the unit tests call it.
import * as path from 'node:path';

/**
 * Whether a deleted path was a folder worth telling the server about: it is, or holds, one of `known` (absolute paths
 * the client knows the server reads: the announced GitOps manifests, open documents, the folders created this session).
 * Any other deleted path is a file the file globs did not match, or a folder of nothing the server read.
 */
export function heldKnownPath(deleted: string, known: Iterable<string>): boolean {
  const inside = deleted.endsWith(path.sep) ? deleted : deleted + path.sep;
  for (const p of known) if (p === deleted || p.startsWith(inside)) return true;
  return false;
}
