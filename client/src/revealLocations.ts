// `helmValues.revealLocations`, the command of the server's code lenses ("overridden in prod, staging"): shows the
// target lines in the peek view. The lens passes LSP JSON `(uri, position, locations)`; vscode values are taken too.
import { commands, Location, Position, Uri, type Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type * as lsp from 'vscode-languageclient/node';

export const REVEAL_LOCATIONS = 'helmValues.revealLocations';

export function registerRevealLocations(client: LanguageClient): Disposable {
  const c = client.protocol2CodeConverter;
  return commands.registerCommand(
    REVEAL_LOCATIONS,
    async (uri: string | Uri, position: lsp.Position | Position, locations: (lsp.Location | Location)[] = []): Promise<void> => {
      const target = typeof uri === 'string' ? c.asUri(uri) : uri;
      const at = position instanceof Position ? position : c.asPosition(position);
      const targets = locations.map((l) => (l instanceof Location ? l : c.asLocation(l)));
      await commands.executeCommand('editor.action.showReferences', target, at, targets);
    },
  );
}
