// Flux `chart.spec.valuesFiles`: source-controller packages the chart with these files merged (MergeMaps, first YAML
// document of each, later wins) as its values.yaml, so they are the chart's defaults, not user values. The engine gets
// a chart model whose values document is that merge; each key keeps the file and line that supplied it.
import type { ChartModel } from '../chart/chartModel';
import type { ServiceCaches } from '../caches';
import { MemoTable, memoKey } from '../memo';
import type { Value, ValueMap } from '../types';
import type { KeyEntry, PathSegment, ValuesDocument } from '../yaml/valuesDocument';
import { isTable, setOwn } from '../values/valueUtil';

/** Models with replaced defaults, per (model, documents) by identity, so merges of one environment share them. */
const REPLACED = memoKey('helm.replaced-defaults', () => new WeakMap<ChartModel, Map<string, { docs: readonly ValuesDocument[]; model: ChartModel }>>());

export function withReplacedDefaults(model: ChartModel, docs: readonly ValuesDocument[], caches: ServiceCaches): ChartModel {
  const byModel = caches.get(REPLACED);
  let slots = byModel.get(model);
  if (!slots) byModel.set(model, (slots = new Map()));
  const key = docs.map((d) => caches.objectId(d)).join(',');
  const hit = slots.get(key);
  if (hit) return hit.model;
  const values = docs.length === 1 ? firstDocument(docs[0] as ValuesDocument) : mergedDocument(docs);
  const out: ChartModel = { ...model, values };
  slots.set(key, { docs, model: out });
  if (slots.size > 16) slots.delete(slots.keys().next().value as string);
  return out;
}

/** A file read the way source-controller reads it: the first YAML document only. */
function firstDocument(doc: ValuesDocument): ValuesDocument {
  if (doc.documents.length <= 1) return doc;
  return Object.assign(Object.create(doc) as ValuesDocument, { documents: doc.documents.slice(0, 1), memo: new MemoTable() });
}

/** Several files merged into one document whose `entryOf`/`fileOf` name each key's own file. */
function mergedDocument(docs: readonly ValuesDocument[]): ValuesDocument {
  const first = docs[0] as ValuesDocument;
  const origins = new WeakMap<object, Map<PathSegment, { doc: ValuesDocument; container: object }>>();
  const note = (out: object, key: PathSegment, doc: ValuesDocument, container: object) => {
    let m = origins.get(out);
    if (!m) origins.set(out, (m = new Map()));
    m.set(key, { doc, container });
  };
  /** A copy of `v` (from `doc`) whose containers are new, each key noted. */
  const copy = (v: Value, doc: ValuesDocument): Value => {
    if (Array.isArray(v)) {
      const out = v.map((x) => copy(x, doc));
      v.forEach((_, i) => note(out, i, doc, v));
      return out;
    }
    if (isTable(v)) {
      const out: ValueMap = {};
      for (const k of Object.keys(v)) {
        setOwn(out, k, copy(v[k] ?? null, doc));
        note(out, k, doc, v);
      }
      return out;
    }
    return v;
  };
  /** Flux's transform.MergeMaps: maps merge recursively, anything else replaces. */
  const merge = (into: ValueMap, from: ValueMap, doc: ValuesDocument): void => {
    for (const k of Object.keys(from)) {
      const v = from[k] ?? null;
      const cur = into[k];
      if (isTable(v) && cur !== undefined && isTable(cur)) {
        merge(cur, v, doc);
        continue;
      }
      setOwn(into, k, copy(v, doc));
      note(into, k, doc, from);
    }
  };
  const root: ValueMap = {};
  for (const d of docs) merge(root, d.documents[0] ?? {}, d);
  const entryOf = (container: object, key: PathSegment): KeyEntry | undefined => {
    const o = origins.get(container)?.get(key);
    return o ? o.doc.entryOf(o.container, key) : undefined;
  };
  const fileOf = (container: object, key: PathSegment): string | undefined => origins.get(container)?.get(key)?.doc.file;
  // Facts memoized on a document are about its values: this one has its own memo.
  return Object.assign(Object.create(first) as ValuesDocument, { documents: [root], entryOf, fileOf, memo: new MemoTable() });
}
