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
