// Key and value completion from the layers below (an overlay offers the chart's keys with their defaults) and from
// the charts' values.schema.json (properties with types and descriptions, allowed values, skeletons of required
// properties), one item per key: the layers give the default, the schema the type and the description.
// Three helpers: where the cursor is (completionCursor.ts, from the text alone: it may be broken mid-typing), what the
// layers offer there (completionOffers.ts), and the YAML text inserted (yamlSnippets.ts).
import { inlineScope } from '../check/inlineDocuments';
import type { ChartAnalysis } from '../analysis';
import type { Value } from '../types';
import { preview } from './navigation';
import { mapOf, schemasAt, shapeOf, summaryOf, type SchemaProperty } from './schemaInfo';
import type { CompletionResult } from './types';
import { cursorContext, type KeyContext, type ValueContext } from './completionCursor';
import { documentsOf, offersBelow, offersElsewhere, otherLayers, setIn, valueAt, type Offer } from './completionOffers';
import { escapeSnippet, scalarText, valueSnippet, yamlKey } from './yamlSnippets';

export function computeCompletion(analysis: ChartAnalysis, file: string, text: string, offset: number): CompletionResult[] {
  const role = analysis.roleOf(file);
  if (role.kind === 'unknown') return [];
  // In a GitOps manifest, only inside a block of inline values, read as a values document of its own.
  const inline = analysis.inlineLayers(file);
  const scoped = inline.length > 0 ? inlineScope(inline, text, offset) : text;
  if (scoped === undefined) return [];
  const at = cursorContext(scoped, offset);
  if (!at) return [];
  if (at.kind === 'value') return valueCompletions(analysis, file, at);
  return keyCompletions(analysis, file, at);
}


// ---------------------------------------------------------------------------------------------------------------
// Keys: the layers' keys and the schema's properties, one item per key.

interface KeyCandidate {
  key: string;
  offer?: Offer;
  prop?: SchemaProperty;
  deprecated: boolean;
}

function keyCompletions(analysis: ChartAnalysis, file: string, at: KeyContext): CompletionResult[] {
  const below = offersBelow(analysis, file, at.parent);
  const offers = [...below, ...offersElsewhere(analysis, file, at.parent, new Set(below.map((o) => o.key)))];
  const parts = schemasAt(analysis, file, at.parent);
  const map = parts.length > 0 ? mapOf(parts) : undefined;
  const props = new Map<string, SchemaProperty>();
  for (const p of map?.properties ?? []) props.set(p.name, p);
  const candidates: KeyCandidate[] = [];
  const offered = new Set<string>();
  for (const o of offers) {
    offered.add(o.key);
    const prop = props.get(o.key);
    // A closed map (`additionalProperties: false`): keys the schema does not declare would fail validation.
    if (map?.closed && !prop) continue;
    // Keys other files set that a schema does not declare are likely mistakes there: not offered.
    if (o.elsewhere && map && !prop) continue;
    candidates.push({ key: o.key, offer: o, ...(prop ? { prop } : {}), deprecated: prop ? summaryOf(prop.parts).deprecated : false });
  }
  for (const prop of props.values()) if (!offered.has(prop.name)) candidates.push({ key: prop.name, prop, deprecated: summaryOf(prop.parts).deprecated });
  // Deprecated properties last, each group in its order (the layers' keys, then the schema's).
  const ordered = [...candidates.filter((c) => !c.deprecated), ...candidates.filter((c) => c.deprecated)];
  const out: CompletionResult[] = [];
  ordered.forEach((c, i) => {
    if (at.present.has(c.key)) return;
    const key = escapeSnippet(yamlKey(c.key));
    out.push({
      label: c.key,
      kind: 'property',
      detail: keyDetail(c),
      documentation: keyDocumentation(c),
      insertText: at.bare ? key : key + valueSnippet(c.offer?.value, c.prop?.parts ?? [], at.indent),
      snippet: true,
      replaceStart: at.replaceStart,
      replaceEnd: at.replaceEnd,
      sortText: String(i).padStart(5, '0'),
      ...(c.deprecated ? { deprecated: true } : {}),
    });
  });
  return out;
}

/** `"nginx"` from the layers alone; with a schema `string = "nginx"`, `deprecated string`, `required object`. */
function keyDetail(c: KeyCandidate): string {
  if (!c.prop) return c.offer?.elsewhere ? `${preview(c.offer.value)} (elsewhere)` : preview(c.offer?.value);
  const summary = summaryOf(c.prop.parts);
  const shape = shapeOf(c.prop.parts);
  const type = summary.types.length > 0 ? summary.types.join(' | ') : shape !== 'other' ? shape : summary.enum ? enumText(summary.enum) : '';
  const value = c.offer ? preview(c.offer.value) : summary.default !== undefined ? preview(summary.default as Value) : '';
  const words = [c.deprecated ? 'deprecated' : '', c.prop.required && !c.offer ? 'required' : '', type].filter((w) => w !== '').join(' ');
  return words === '' ? value : value === '' ? words : `${words} = ${value}`;
}

function keyDocumentation(c: KeyCandidate): string {
  const from = c.offer?.from;
  if (!c.prop) return from ?? '';
  const summary = summaryOf(c.prop.parts);
  const owner = c.prop.parts[0];
  const lines = [
    summary.title !== undefined && summary.title !== summary.description ? `**${summary.title}**` : '',
    summary.description ?? '',
    summary.enum ? `Allowed: ${listOf(summary.enum)}` : '',
    from ?? (owner ? `${owner.file} (${owner.model.name} schema)` : ''),
  ];
  return lines.filter((l) => l !== '').join('\n\n');
}

/** Allowed values as a type: `"yes" | "no"`. */
function enumText(values: readonly unknown[]): string {
  const shown = values.slice(0, 4).map((v) => JSON.stringify(v) ?? 'null');
  return values.length > 4 ? `${shown.join(' | ')} | …` : shown.join(' | ');
}

/** Values as inline code, the first few. */
function listOf(values: readonly unknown[], max = 10): string {
  const shown = values.slice(0, max).map((v) => `\`${JSON.stringify(v) ?? 'null'}\``);
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// Values: the layers' boolean default and its opposite; with a schema, allowed values, its default, examples.

function valueCompletions(analysis: ChartAnalysis, file: string, at: ValueContext): CompletionResult[] {
  const parent = at.path.slice(0, -1);
  const key = at.path[at.path.length - 1];
  if (typeof key !== 'string') return [];
  const offer = offersBelow(analysis, file, parent).find((o) => o.key === key);
  const parts = schemasAt(analysis, file, at.path);
  const summary = parts.length > 0 ? summaryOf(parts) : undefined;
  const items: { text: string; label: string; detail: string; documentation?: string }[] = [];
  const add = (v: unknown, detail: string, documentation?: string) => {
    const text = scalarText(v);
    if (text === undefined || items.some((i) => i.text === text)) return;
    items.push({ text, label: String(v), detail, ...(documentation !== undefined ? { documentation } : {}) });
  };
  const def = offer?.value;
  if (offer && (typeof def === 'boolean' || (summary && def !== null && typeof def !== 'object'))) add(def, 'default', offer.from);
  if (offer && typeof def === 'boolean') add(!def, `default: ${String(def)}`, offer.from);
  if (summary) {
    const doc = summary.description;
    if (summary.default !== undefined) add(summary.default, 'schema default', doc);
    for (const v of summary.enum ?? []) add(v, 'allowed', doc);
    for (const v of summary.examples) add(v, 'example', doc);
    if (summary.types.includes('boolean')) for (const b of [true, false]) add(b, 'boolean', doc);
  }
  // What this file holds there now: a boolean offers its opposite (Helm's true/false, not YAML 1.1's yes/no).
  const here = analysis.document(file);
  const current = here ? documentsOf(here, analysis.input.helmVersion).map((d) => valueAt(d, at.path)).find((v) => v !== undefined) : undefined;
  if (typeof current === 'boolean') add(!current, `boolean (now ${String(current)})`);
  // Scalars the chart's other values files set at this key (other environments' choices).
  for (const l of otherLayers(analysis, file, at.path)) {
    if (l.value === null || typeof l.value === 'object') continue;
    const entry = l.doc.index.keyAt(l.path);
    add(l.value, setIn(l.doc, entry?.line, l.envs));
  }
  return items.map((item, i) => ({
    label: item.label,
    kind: 'value' as const,
    detail: item.detail,
    ...(item.documentation !== undefined ? { documentation: item.documentation } : {}),
    insertText: item.text,
    replaceStart: at.replaceStart,
    replaceEnd: at.replaceEnd,
    sortText: String(i).padStart(5, '0'),
  }));
}
