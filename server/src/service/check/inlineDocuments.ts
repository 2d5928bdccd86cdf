// Inline values written inside a manifest (an Argo CD `helm.valuesObject`, a HelmRelease's `spec.values`, a helmfile
// inline map) as values documents of the manifest file: the text is placed at its own line and column, so every
// position (hover, a schema error, explain's source) is the manifest's. Parsed once per text, in the host's caches.
import type { EnvironmentLayer } from '../chart/environments';
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import { parseValuesDocument, type ValuesDocument } from '../yaml/valuesDocument';

type InlineLayer = EnvironmentLayer & { type: 'inline' };

const INLINE = memoKey('check.inline-documents', () => new Map<string, { text: string; doc: ValuesDocument }>());

/** The text of `layer` at its place: `line` empty lines, each line indented by `column` (YAML reads it the same). */
export function placedText(layer: Pick<InlineLayer, 'text' | 'line' | 'column' | 'placed'>): string {
  if (layer.placed) return layer.text;
  const pad = ' '.repeat(layer.column);
  return '\n'.repeat(layer.line) + (pad === '' ? layer.text : layer.text.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n'));
}

export function inlineDocument(caches: ServiceCaches, layer: InlineLayer): ValuesDocument {
  const all = caches.get(INLINE);
  const key = `${layer.file}\u0000${layer.line}\u0000${layer.column}`;
  const hit = all.get(key);
  if (hit && hit.text === layer.text) return hit.doc;
  const doc = parseValuesDocument(layer.file, placedText(layer));
  all.delete(key);
  all.set(key, { text: layer.text, doc });
  if (all.size > 512) all.delete(all.keys().next().value as string);
  return doc;
}

/** Every inline document read so far for a file (the manifest's own lines: hover and diagnostics there). */
export function inlineDocumentsOf(caches: ServiceCaches, file: string): ValuesDocument[] {
  return [...caches.get(INLINE).values()].filter((e) => e.doc.file === file).map((e) => e.doc);
}

/**
 * The text of the block of inline values around `offset` in a manifest's current text, as a values document with the
 * manifest's offsets (everything else blanked, newlines kept): the block starts at a layer's line and runs while
 * lines are blank or indented at least to its column, so it follows the user's typing. Undefined outside every block.
 */
export function inlineScope(layers: readonly Pick<InlineLayer, 'line' | 'column'>[], text: string, offset: number): string | undefined {
  const lines = text.split('\n');
  let at = 0;
  let line = 0;
  while (line < lines.length - 1 && at + (lines[line] ?? '').length < offset) at += (lines[line++] ?? '').length + 1;
  for (const l of layers) {
    if (line < l.line) continue;
    let end = l.line;
    while (end < lines.length) {
      const s = lines[end] ?? '';
      const indent = s.length - s.trimStart().length;
      if (end > l.line && s.trim() !== '' && indent < l.column) break;
      end++;
    }
    if (line >= end) continue;
    return lines
      .slice(0, end)
      .map((s, i) => (i < l.line ? ' '.repeat(s.length) : ' '.repeat(Math.min(l.column, s.length)) + s.slice(l.column)))
      .join('\n');
  }
  return undefined;
}
