// Whether a chart's templates can tell a key that is null from a key that is absent: the one difference between
// Helm releases that `clean-chart-default-nils` (4.2.0) and the user-null behaviours make on most charts.
//
// A template that reads the key itself gets nil either way (`.Values.a.b`, `index`, `if`, `default`, `quote`, `tpl`,
// `toYaml` of it: missingkey=zero gives nil for a missing key), so a read of the key alone, of any kind, tells nothing.
// It can tell only where it looks at the map that holds the key, or at the key's presence:
//   - a `subtree` or `dynamic` read of an ancestor (`toYaml .Values.a` prints `b: null` or nothing; an include the
//     index cannot follow may do anything with the map; a computed key may be any key);
//   - a read of the parent map itself (`if`/`with`/`empty`/`len`/`default` of a map test its size, `range`/`keys`
//     visit its keys, printing it prints `map[b:<nil>]`, a define it is passed to may do any of these): conservative,
//     the index does not say how; except where the map is only looked into by literal keys (`hasKey .Values.a "x"`,
//     `get`, `index`, `dig`, `pluck`, `(.Values.a).x`: TemplateUsage.selectOnly), where only those keys matter;
//   - an element read right below the parent (`range .Values` visits the key: `[]` at the key's place);
//   - a read that tests presence (`hasKey`, `get`, `pluck`, `dig`: TemplateUsage.presence) of the key, or of a key
//     below it for `dig` (dig stops at a missing key with its default, and fails on a null it must descend into).
// The lookup is built once per template index, in the host's caches, and kept across the chart's next indexes while
// their references are the same (an edit of values.yaml makes a new index of unchanged templates).
import type { ServiceCaches } from '../caches';
import { memoKey } from '../memo';
import type { TemplateIndex, TemplateUsage } from '../templates/templateIndex';

interface Node {
  children: Map<string, Node>;
  /** A reference ends here that may look at the map as a whole (not only into it by literal keys). */
  read: boolean;
  /** A subtree or dynamic read ends here: everything below is seen as it is. */
  whole: boolean;
  /** A presence test covers this key (hasKey/get/pluck of it, dig through it). */
  presence: boolean;
}

const newNode = (): Node => ({ children: new Map(), read: false, whole: false, presence: false });

type Lookup = (path: readonly string[]) => boolean;

const LOOKUPS = memoKey('check.null-visibility', () => new WeakMap<TemplateIndex, Lookup>());
/** The latest lookup of each root chart, with what it was built from. */
const LATEST = memoKey('check.null-visibility.latest', () => new Map<string, { prefixes: string; usages: readonly TemplateUsage[]; lookup: Lookup }>());

/**
 * `(path) => whether some template of the index can tell null from absent at path` (root coordinates). Built once per
 * index; charts without templates see everything (there is nothing to prove a difference unseen).
 */
export function nullVisibility(templates: TemplateIndex, caches: ServiceCaches): Lookup {
  const lookups = caches.get(LOOKUPS);
  const hit = lookups.get(templates);
  if (hit) return hit;
  if (!templates.hasTemplates) {
    const all: Lookup = () => true;
    lookups.set(templates, all);
    return all;
  }
  const latest = caches.get(LATEST);
  const dir = templates.charts[0]?.dir ?? '';
  const prefixes = JSON.stringify(templates.charts.map((c) => c.prefixes));
  const prev = latest.get(dir);
  const lookup = prev && prev.prefixes === prefixes && sameReads(prev.usages, templates.usages) ? prev.lookup : buildLookup(templates);
  latest.set(dir, { prefixes, usages: templates.usages, lookup });
  lookups.set(templates, lookup);
  return lookup;
}

/** Whether two indexes' references give the same lookup (the fields it reads, in the same order). */
function sameReads(a: readonly TemplateUsage[], b: readonly TemplateUsage[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (!x || !y || x.chart !== y.chart || x.kind !== y.kind || x.presence !== y.presence || x.selectOnly !== y.selectOnly || x.path.length !== y.path.length) return false;
    for (let j = 0; j < x.path.length; j++) if (x.path[j] !== y.path[j]) return false;
  }
  return true;
}

function buildLookup(templates: TemplateIndex): Lookup {
  const root = newNode();
  for (const u of templates.usages) {
    for (const path of templates.rootPaths(u)) {
      let node = root;
      const along: Node[] = [root];
      for (const s of path) {
        let next = node.children.get(s);
        if (!next) node.children.set(s, (next = newNode()));
        node = next;
        along.push(node);
      }
      if (!u.selectOnly) node.read = true;
      if (u.kind !== 'read') node.whole = true;
      for (let k = 0; k < (u.presence ?? 0) && k < path.length; k++) {
        const covered = along[along.length - 1 - k];
        if (covered) covered.presence = true;
      }
    }
  }
  return (path) => {
    const last = path.length - 1;
    const go = (node: Node, i: number, byElement: boolean): boolean => {
      if (i === path.length) return node.presence || (byElement && node.read);
      if (node.whole || (i === last && node.read)) return true;
      const exact = node.children.get(path[i] ?? '');
      if (exact && go(exact, i + 1, false)) return true;
      const any = node.children.get('[]');
      return any !== undefined && go(any, i + 1, true);
    };
    return path.length > 0 && go(root, 0, false);
  };
}
