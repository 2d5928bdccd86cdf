// What a template file of a chart holds at an offset: the values reference there (from the chart's template index,
// so `with`/`range` contexts, variables and `include`d defines are resolved), narrowed to the segment under the
// cursor; and the `.Values.a.` chain being typed (for completion: the text is broken then, so it is read as text).
// Paths returned are in the root chart's values (a subchart's `.Values.x` is the root's `<alias>.x`, `.Values.global.x`
// included: the effective values hold each subchart's view of the globals under its key).
import type { ChartAnalysis } from '../analysis';
import type { ChartModel } from '../chart/chartModel';
import { memoKey } from '../memo';
import { templateIndexOf } from '../templates/chartTemplates';
import type { TemplateIndex, TemplateUsage, UsageKind } from '../templates/templateIndex';

/** Template files of the chart tree by path, with the chart whose templates/ holds each. */
const TEMPLATE_FILES = memoKey<{ files?: Map<string, { model: ChartModel; text: string }> }>('features.template-files', () => ({}));

function templateFiles(analysis: ChartAnalysis): Map<string, { model: ChartModel; text: string }> {
  const slot = analysis.memo.get(TEMPLATE_FILES);
  if (slot.files) return slot.files;
  const files = new Map<string, { model: ChartModel; text: string }>();
  const walk = (model: ChartModel): void => {
    for (const t of model.templates ?? []) files.set(t.path, { model, text: t.text });
    model.subcharts.forEach(walk);
  };
  walk(analysis.model);
  slot.files = files;
  return files;
}

/** Whether `file` is a file under templates/ of the chart or of one of its subcharts. */
export function isTemplateFile(analysis: ChartAnalysis, file: string): boolean {
  return templateFiles(analysis).has(file);
}

export interface TemplateReference {
  /** Root-coordinate paths read at the cursor; `[]` is any element (several: aliases, a define included with several contexts). */
  paths: string[][];
  /** How the reference reads its value (the widest of the references there). */
  kind: UsageKind;
  /** The span of the segment under the cursor (or of the whole reference when it is no field chain). */
  start: number;
  end: number;
}

const CHAIN = /^(?:\$[A-Za-z0-9_]*)?(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const FIELD = /\.([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * How many trailing segments of a reference's path lie after the cursor, and the span of the segment under it: in
 * `.Values.image.tag` the cursor on `image` reads `image`, not `image.tag`. Undefined for references that are no
 * field chain (`index .Values "a"`): the whole reference is meant.
 */
function segmentAt(text: string, u: TemplateUsage, offset: number): { drop: number; start: number; end: number } | undefined {
  const chain = text.slice(u.offset, u.end);
  if (!CHAIN.test(chain)) return undefined;
  const fields = [...chain.matchAll(FIELD)].map((m) => ({ start: u.offset + (m.index ?? 0), end: u.offset + (m.index ?? 0) + m[0].length }));
  const at = fields.findIndex((f) => offset >= f.start && offset <= f.end);
  // On the variable (`$x` of `$x.b.c`): what the variable holds.
  if (at < 0) return { drop: fields.length, start: u.offset, end: fields[0]?.start ?? u.end };
  const f = fields[at];
  return f ? { drop: fields.length - 1 - at, start: f.start + 1, end: f.end } : undefined;
}

const WIDTH: Record<UsageKind, number> = { read: 0, subtree: 1, dynamic: 2 };

/** The values reference at an offset of a template file, if any. */
export function templateReferenceAt(analysis: ChartAnalysis, file: string, offset: number): TemplateReference | undefined {
  const source = templateFiles(analysis).get(file);
  if (!source) return undefined;
  const index = templateIndexOf(analysis);
  const here = index.usages.filter((u) => u.file === file && u.offset <= offset && offset <= u.end);
  if (here.length === 0) return undefined;
  // The innermost reference (`.Values.a` inside `index .Values.a "b"`).
  const span = Math.min(...here.map((u) => u.end - u.offset));
  let inner = here.filter((u) => u.end - u.offset === span);
  // `range .Values.list` records the list and its elements at the same place: the list is what is written there.
  const whole = inner.filter((u) => u.path[u.path.length - 1] !== '[]');
  if (whole.length > 0) inner = whole;
  const paths = new Map<string, string[]>();
  let start = Infinity;
  let end = -Infinity;
  let kind: UsageKind = 'read';
  for (const u of inner) {
    const seg = segmentAt(source.text, u, offset);
    const drop = seg?.drop ?? 0;
    if (drop >= u.path.length && u.path.length > 0) continue;
    const path = u.path.slice(0, u.path.length - drop);
    if (path.length === 0 && u.kind === 'read') continue;
    for (const p of rootPathsOf(index, u.chart, path)) paths.set(p.join('\u0000'), p);
    start = Math.min(start, seg?.start ?? u.offset);
    end = Math.max(end, seg?.end ?? u.end);
    if (drop === 0 && WIDTH[u.kind] > WIDTH[kind]) kind = u.kind;
  }
  if (paths.size === 0) return undefined;
  return { paths: [...paths.values()], kind, start, end };
}

/**
 * A chart-local path of chart `chart` of the index in root coordinates: `.Values.global.x` of a subchart is
 * `<alias>.global.x`, its own view of the globals (templates/globals.ts), as in the effective values.
 */
function rootPathsOf(index: TemplateIndex, chart: number, path: readonly string[]): string[][] {
  const c = index.charts[chart];
  return (c?.prefixes ?? [[]]).map((p) => [...p, ...path]);
}

export interface ValuesChain {
  /** Root-coordinate paths of the map whose keys are being typed (several when the subchart has aliases). */
  parents: string[][];
  /** The key typed so far is [replaceStart, replaceEnd). */
  replaceStart: number;
  replaceEnd: number;
}

/** `.Values.a.b.` or `$.Values.` right before the cursor (and the word being typed), inside an action. */
const TYPED = /(?:^|[^A-Za-z0-9_$.)\]])\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\.([A-Za-z0-9_]*)$/;

/** The `.Values.` chain typed at an offset of a template file, for completion; undefined elsewhere. */
export function valuesChainAt(analysis: ChartAnalysis, file: string, text: string, offset: number): ValuesChain | undefined {
  const source = templateFiles(analysis).get(file);
  if (!source) return undefined;
  const before = text.slice(Math.max(0, offset - 500), offset);
  // Inside an action: the last `{{` before the cursor is not closed.
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.lastIndexOf('}}') > open) return undefined;
  const m = TYPED.exec(before.slice(open + 2));
  if (!m) return undefined;
  const path = (m[1] ?? '').split('.').filter((s) => s !== '');
  const typed = m[2] ?? '';
  let replaceEnd = offset;
  while (replaceEnd < text.length && /[A-Za-z0-9_]/.test(text.charAt(replaceEnd))) replaceEnd++;
  const index = templateIndexOf(analysis);
  const chart = index.charts.find((c) => c.dir === source.model.dir);
  return { parents: rootPathsOf(index, chart?.id ?? 0, path), replaceStart: offset - typed.length, replaceEnd };
}
