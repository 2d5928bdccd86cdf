// Settings.from (server/src/protocol.ts): settings as any client sends them, normalized once for both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Settings } from '../../server/src/protocol';

test('yamlSyntaxDiagnostics: a boolean, or the setting\'s own strings as Neovim and other clients send them', () => {
  const cases: [unknown, boolean][] = [
    [undefined, true],
    [true, true],
    [false, false],
    ['on', true],
    ['off', false],
    ['OFF', false],
    ['false', false],
    // Only the VS Code client knows whether Red Hat's YAML extension reports them; it sends a boolean.
    ['auto', true],
  ];
  for (const [raw, want] of cases) assert.equal(Settings.from({ yamlSyntaxDiagnostics: raw }).yamlSyntaxDiagnostics, want, JSON.stringify(raw));
});
