// Flux HelmRelease (helm.toolkit.fluxcd.io v2, v2beta1, v2beta2), with the kustomize overlays that patch it.
//
// Layers (helm-controller: chart values from the HelmChart; ChartValuesFromReferences; then spec.values):
//   1. spec.chart.spec.valuesFile (deprecated) then valuesFiles: they REPLACE the chart's values.yaml as the defaults;
//      paths are relative to the source's root (a GitRepository in this workspace: the workspace root).
//   2. spec.valuesFrom, in list order: a ConfigMap/Secret key (default `values.yaml`) merged like one more values
//      file, or with targetPath one `--set` (a value in quotes: `--set-string`), applied at its place in the list.
//      `optional` tolerates a missing object or key.
//   3. spec.values, merged last.
// Kustomize: each kustomization that no other kustomization uses as a resource is an overlay root; a HelmRelease it
// reaches, patched by the kustomizations on the way (innermost first), is one environment. A patch on a custom
// resource is a JSON merge patch (kustomize has no strategic-merge schema for a CRD): maps merge, lists and scalars
// replace, null deletes. Patches to spec.values stay separate layers (merge: 'merge-patch') so that a value set by a
// patch points to the patch file's line. A Flux Kustomization (kustomize.toolkit.fluxcd.io) whose GitRepository path
// is in the workspace is an overlay root too, with its own `spec.patches` applied last.
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { remoteChartNote, type DiscoveryContext } from './context';
import { bool, entries, finding, get, getIn, inlineText, items, kindOf, locOf, parseEmbedded, str, type ManifestDoc } from './manifest';
import { basename, dirname, joinPath } from './paths';
import type { ChartLocation, DiscoveredEnvironment, GitopsFinding, InlineText, Layer, SourceLocation } from './types';

const HELMRELEASE_APIS = new Set(['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta1', 'helm.toolkit.fluxcd.io/v2beta2']);
const KUSTOMIZE_API = /^kustomize\.config\.k8s\.io\/v1(alpha1|beta1)$/;

interface Obj {
  m: ManifestDoc;
  root: Node;
}

interface Kustomization {
  dir: string;
  file: string;
  m: ManifestDoc;
  root: Node;
}

interface Patch {
  /** The patch document's root (a HelmRelease fragment). */
  obj: Obj;
  target?: Node;
  targetOwner?: ManifestDoc;
}

interface Instance {
  base: Obj;
  patches: Obj[];
  /** Kustomization directories on the way from the base to the root. */
  chain: string[];
}

interface GeneratedData {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  dir: string;
  /** key -> where its value comes from. */
  keys: Map<string, { file: string; at: SourceLocation } | { literal: string; at: SourceLocation }>;
}

export function readFlux(ctx: DiscoveryContext, files: readonly string[]): { environments: DiscoveredEnvironment[]; findings: GitopsFinding[] } {
  const findings: GitopsFinding[] = [];
  const releases: Obj[] = [];
  const byKindName = new Map<string, Obj[]>();
  const kustomizations = new Map<string, Kustomization>();
  const generated: GeneratedData[] = [];
  const fluxKustomizations: Obj[] = [];
  for (const file of files) {
    for (const m of ctx.docs(file)) {
      const root = m.doc.contents as Node | null;
      if (!isMap(root)) continue;
      const { apiVersion, kind } = kindOf(m);
      if (kind === 'Kustomization' || kind === 'Component' || (kind === undefined && /(^|\/)kustomization\.ya?ml$/.test(file))) {
        if (apiVersion !== undefined && /^kustomize\.toolkit\.fluxcd\.io\//.test(apiVersion)) {
          fluxKustomizations.push({ m, root });
          continue;
        }
        if (apiVersion !== undefined && !KUSTOMIZE_API.test(apiVersion)) continue;
        kustomizations.set(dirname(file), { dir: dirname(file), file, m, root });
        continue;
      }
      if (kind === 'HelmRelease') {
        if (apiVersion === undefined || !HELMRELEASE_APIS.has(apiVersion)) {
          findings.push(finding(locOf(m, get(root, 'apiVersion')), 'error', 'gitops.unknown-api-version', `HelmRelease has apiVersion ${apiVersion ?? '(none)'}; Flux serves helm.toolkit.fluxcd.io/v2 (v2beta1 and v2beta2 are older); this HelmRelease is skipped`));
          continue;
        }
        releases.push({ m, root });
        continue;
      }
      const name = str(getIn(root, ['metadata', 'name']));
      if (kind !== undefined && name !== undefined) {
        const k = `${kind}/${name}`;
        byKindName.set(k, [...(byKindName.get(k) ?? []), { m, root }]);
      }
    }
  }
  for (const k of kustomizations.values()) {
    for (const [genKey, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
      for (const g of items(get(k.root, genKey))) {
        const name = str(get(g, 'name'));
        if (name === undefined) continue;
        const keys: GeneratedData['keys'] = new Map();
        for (const f of items(get(g, 'files'))) {
          const spec = str(f);
          if (spec === undefined) continue;
          const eq = spec.indexOf('=');
          const key = eq >= 0 ? spec.slice(0, eq) : basename(spec);
          const path = joinPath(k.dir, eq >= 0 ? spec.slice(eq + 1) : spec);
          if (path === undefined) continue;
          if (!ctx.index.isFile(path)) findings.push(finding(locOf(k.m, f), 'error', 'gitops.missing-values-file', `${path} does not exist; kustomize cannot build ${kind} ${name}`));
          keys.set(key, { file: path, at: locOf(k.m, f) });
        }
        for (const l of items(get(g, 'literals'))) {
          const spec = str(l);
          if (spec === undefined || !spec.includes('=')) continue;
          keys.set(spec.slice(0, spec.indexOf('=')), { literal: spec.slice(spec.indexOf('=') + 1), at: locOf(k.m, l) });
        }
        generated.push({ kind, name, dir: k.dir, keys });
      }
    }
  }

  // Kustomization graph.
  const children = new Map<string, Array<{ dir?: string; file?: string }>>();
  const used = new Set<string>();
  for (const k of kustomizations.values()) {
    const list: Array<{ dir?: string; file?: string }> = [];
    for (const key of ['resources', 'bases', 'components']) {
      for (const r of items(get(k.root, key))) {
        const s = str(r);
        if (s === undefined || /^[a-z]+:\/\/|^github\.com\//i.test(s)) continue;
        const p = joinPath(k.dir, s);
        if (p === undefined) continue;
        if (kustomizations.has(p)) {
          list.push({ dir: p });
          used.add(p);
        } else if (ctx.index.isFile(p)) list.push({ file: p });
        else findings.push(finding(locOf(k.m, r), 'warning', 'gitops.missing-resource', `${p} is neither a file nor a kustomization directory of this workspace`));
      }
    }
    children.set(k.dir, list);
  }
  const build = (dir: string, stack: string[]): Instance[] => {
    if (stack.includes(dir)) return [];
    const k = kustomizations.get(dir);
    if (!k) return [];
    const out: Instance[] = [];
    for (const c of children.get(dir) ?? []) {
      if (c.dir !== undefined) out.push(...build(c.dir, [...stack, dir]).map((i) => ({ ...i, chain: [...i.chain, dir] })));
      else if (c.file !== undefined) for (const r of releases) if (r.m.file === c.file) out.push({ base: r, patches: [], chain: [dir] });
    }
    for (const p of kustomizationPatches(ctx, k, findings)) {
      for (const inst of out) {
        if (patchMatches(p, inst)) inst.patches.push(p.obj);
      }
    }
    return out;
  };
  // Documents used as patches are fragments, not deployments of their own.
  const patchDocs = new Set<ManifestDoc>();
  for (const k of kustomizations.values()) for (const p of kustomizationPatches(ctx, k, [])) patchDocs.add(p.obj.m);
  // Flux Kustomizations (kustomize.toolkit.fluxcd.io) whose GitRepository path is in the workspace: the kustomize
  // build of that path (Flux generates a kustomization when the folder has none: its manifests, and the
  // kustomizations of its subfolders), then the Flux Kustomization's own patches. Each is an overlay root of its own
  // and takes the place of the plain kustomize roots it builds.
  const covered = new Set<string>();
  const overlays: Array<{ label: string; instances: Instance[] }> = [];
  const fluxNames = fluxKustomizations.map((o) => str(getIn(o.root, ['metadata', 'name'])) ?? 'kustomization');
  fluxKustomizations.forEach((o, i) => {
    const spec = get(o.root, 'spec');
    if (str(getIn(spec, ['sourceRef', 'kind'])) !== 'GitRepository') return;
    const dir = joinPath('', str(get(spec, 'path')) ?? '');
    if (dir === undefined || !ctx.index.isDir(dir)) return;
    const instances: Instance[] = [];
    const walk = (d: string) => {
      if (kustomizations.has(d)) {
        covered.add(d);
        instances.push(...build(d, []));
        return;
      }
      for (const entry of ctx.index.list(d)) {
        if (ctx.index.isFile(entry)) {
          for (const r of releases) if (r.m.file === entry) instances.push({ base: r, patches: [], chain: [] });
        } else walk(entry);
      }
    };
    walk(dir);
    const own: Kustomization = { dir: dirname(o.m.file), file: o.m.file, m: o.m, root: spec as Node };
    for (const p of kustomizationPatches(ctx, own, findings)) for (const inst of instances) if (patchMatches(p, inst)) inst.patches.push(p.obj);
    const name = fluxNames[i];
    overlays.push({ label: fluxNames.filter((n) => n === name).length > 1 ? `${dirname(o.m.file) || '.'}/${name}` : name, instances });
  });
  // An overlay is named by its folder's name, or its whole path when two overlays share a folder name.
  const roots = [...kustomizations.keys()].filter((d) => !used.has(d) && !covered.has(d)).sort();
  const label = (dir: string) => (roots.filter((d) => basename(d) === basename(dir)).length > 1 || basename(dir) === '' ? dir || '.' : basename(dir));
  for (const dir of roots) overlays.push({ label: label(dir), instances: build(dir, []) });
  const instancesByRelease = new Map<Obj, Array<{ root: string; inst: Instance }>>();
  for (const o of overlays) for (const inst of o.instances) instancesByRelease.set(inst.base, [...(instancesByRelease.get(inst.base) ?? []), { root: o.label, inst }]);
  const environments: DiscoveredEnvironment[] = [];
  for (const r of releases) {
    if (patchDocs.has(r.m)) continue;
    const name = str(getIn(r.root, ['metadata', 'name'])) ?? 'helmrelease';
    const found = instancesByRelease.get(r) ?? [];
    const perOverlay = found.length > 1 || found.some((f) => f.inst.patches.length > 0);
    if (found.length === 0) environments.push(releaseEnv(ctx, name, { base: r, patches: [], chain: [] }, byKindName, generated));
    for (const f of found) environments.push(releaseEnv(ctx, perOverlay ? `${f.root}/${name}` : name, f.inst, byKindName, generated));
  }
  return { environments, findings };
}

function kustomizationPatches(ctx: DiscoveryContext, k: Kustomization, findings: GitopsFinding[]): Patch[] {
  const out: Patch[] = [];
  const docsOf = (entry: Node, pathNode: Node | undefined, patchNode: Node | undefined): ManifestDoc[] => {
    if (pathNode !== undefined) {
      const p = joinPath(k.dir, str(pathNode) ?? '');
      if (p === undefined || !ctx.index.isFile(p)) {
        findings.push(finding(locOf(k.m, pathNode), 'error', 'gitops.missing-patch', `patch file ${p ?? str(pathNode)} does not exist`));
        return [];
      }
      return ctx.docs(p);
    }
    if (patchNode !== undefined) {
      const t = inlineText(k.m, patchNode);
      if (!t) return [];
      const parsed = parseEmbedded(t);
      findings.push(...parsed.findings);
      return parsed.docs;
    }
    void entry;
    return [];
  };
  for (const s of items(get(k.root, 'patchesStrategicMerge'))) {
    const isInline = isScalar(s) && typeof (s as Scalar).value === 'string' && ((s as Scalar).value as string).includes('\n');
    for (const m of docsOf(s, isInline ? undefined : s, isInline ? s : undefined)) pushPatch(m, undefined);
  }
  for (const p of items(get(k.root, 'patches'))) {
    for (const m of docsOf(p, get(p, 'path'), get(p, 'patch'))) pushPatch(m, get(p, 'target'));
  }
  for (const p of items(get(k.root, 'patchesJson6902'))) {
    if (str(get(get(p, 'target'), 'kind')) === 'HelmRelease') findings.push(finding(locOf(k.m, p), 'warning', 'gitops.unsupported-patch', 'JSON 6902 patches of a HelmRelease are not applied here; write the change as a merge patch (a partial HelmRelease) to see it as a layer'));
  }
  return out;

  function pushPatch(m: ManifestDoc, target: Node | undefined): void {
    const root = m.doc.contents as Node | null;
    if (isSeq(root)) {
      const kind = str(get(target, 'kind'));
      if (kind === undefined || kind === 'HelmRelease') findings.push(finding(locOf(m, root), 'warning', 'gitops.unsupported-patch', 'JSON 6902 patches (op/path/value lists) of a HelmRelease are not applied here; write the change as a merge patch (a partial HelmRelease) to see it as a layer'));
      return;
    }
    if (!isMap(root)) return;
    out.push({ obj: { m, root }, ...(target !== undefined ? { target, targetOwner: k.m } : {}) });
  }
}

function patchMatches(p: Patch, inst: Instance): boolean {
  const base = inst.base.root;
  const kind = str(get(base, 'kind'));
  const name = str(getIn(base, ['metadata', 'name']));
  const ns = str(getIn(base, ['metadata', 'namespace']));
  if (p.target !== undefined) {
    const t = p.target;
    const tk = str(get(t, 'kind'));
    const tn = str(get(t, 'name'));
    const tns = str(get(t, 'namespace'));
    const tg = str(get(t, 'group'));
    if (tk !== undefined && !selects(tk, kind ?? '')) return false;
    if (tn !== undefined && !selects(tn, name ?? '')) return false;
    if (tns !== undefined && ns !== undefined && !selects(tns, ns)) return false;
    if (tg !== undefined && tg !== 'helm.toolkit.fluxcd.io') return false;
    return true;
  }
  const pk = str(get(p.obj.root, 'kind'));
  const pn = str(getIn(p.obj.root, ['metadata', 'name']));
  const pns = str(getIn(p.obj.root, ['metadata', 'namespace']));
  return pk === kind && pn === name && (pns === undefined || ns === undefined || pns === ns);
}

/** kustomize matches a target's kind, name and namespace as anchored regular expressions (Go RE2). */
function selects(pattern: string, value: string): boolean {
  if (pattern === value) return true;
  const re = safeRegExp(pattern);
  return re !== undefined && re.test(value);
}

/**
 * The common subset of RE2 as a JavaScript RegExp, built only from checked tokens (literals, `.`, classes, groups,
 * `|`, and a quantifier after an atom), so that building it cannot throw; anything else selects nothing.
 */
function safeRegExp(pattern: string): RegExp | undefined {
  let out = '';
  let depth = 0;
  let atom = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      out += /[A-Za-z0-9]/.test(n) ? (/[dwsDWS]/.test(n) ? `\\${n}` : n) : `\\${n}`;
      atom = true;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\').replace(/\[/g, '\\[');
      out += `[${body}]`;
      i = end;
      atom = true;
    } else if (c === '(') {
      out += '(?:';
      depth++;
      atom = false;
    } else if (c === ')') {
      if (depth === 0 || out.endsWith('(?:')) return undefined;
      out += ')';
      depth--;
      atom = true;
    } else if (c === '*' || c === '+' || c === '?') {
      if (!atom) return undefined;
      out += c;
      atom = false;
    } else if (c === '|') {
      out += '|';
      atom = false;
    } else if (c === '^' || c === '$') {
      // anchored anyway
    } else if (c === '.') {
      out += '.';
      atom = true;
    } else {
      out += c.replace(/[{}\]/]/g, '\\$&');
      atom = true;
    }
  }
  if (depth !== 0) return undefined;
  return new RegExp(`^(?:${out})$`);
}

/** The effective node at `path` after the merge patches, with the document that set it; null if deleted. */
function effective(inst: Instance, path: readonly string[]): { obj: Obj; node: Node } | undefined {
  let result: { obj: Obj; node: Node } | undefined;
  for (const obj of [inst.base, ...inst.patches]) {
    let cur: Node | undefined = obj.root;
    let i = 0;
    for (; i < path.length && cur !== undefined; i++) {
      if (!isMap(cur)) break;
      cur = get(cur, path[i]);
    }
    if (cur === undefined) continue; // this document does not touch the path
    if (i < path.length) {
      // A non-map on the way replaced (or deleted) the whole subtree.
      result = undefined;
      continue;
    }
    result = isScalar(cur) && (cur as Scalar).value === null ? undefined : { obj, node: cur };
  }
  return result;
}

function releaseEnv(ctx: DiscoveryContext, name: string, inst: Instance, byKindName: Map<string, Obj[]>, generated: GeneratedData[]): DiscoveredEnvironment {
  const findings: GitopsFinding[] = [];
  const base = inst.base;
  const definedAt = locOf(base.m, getIn(base.root, ['metadata', 'name']) ?? base.root);
  const layers: Layer[] = [];
  const at = (e: { obj: Obj; node: Node } | undefined): SourceLocation => (e ? locOf(e.obj.m, e.node) : definedAt);
  const lookup = (kind: string, n: string | undefined): Obj | undefined => {
    if (n === undefined) return undefined;
    const list = byKindName.get(`${kind}/${n}`) ?? [];
    return list.find((o) => inst.chain.includes(dirname(o.m.file))) ?? list.find((o) => dirname(o.m.file) === dirname(base.m.file)) ?? list[0];
  };

  // Chart location and the values files that replace its defaults.
  let chart: ChartLocation = { type: 'unknown', reason: 'no chart' };
  let chartSpecPath = ['spec', 'chart', 'spec'];
  let sourceKind: string | undefined;
  const chartRefKind = str(effective(inst, ['spec', 'chartRef', 'kind'])?.node);
  const chartRefName = str(effective(inst, ['spec', 'chartRef', 'name'])?.node);
  let helmChartObj: Obj | undefined;
  if (chartRefKind !== undefined) {
    const refAt = at(effective(inst, ['spec', 'chartRef', 'kind']));
    if (chartRefKind === 'OCIRepository') {
      const repo = lookup('OCIRepository', chartRefName);
      if (repo) {
        const url = str(getIn(repo.root, ['spec', 'url'])) ?? '';
        const tag = str(getIn(repo.root, ['spec', 'ref', 'tag'])) ?? str(getIn(repo.root, ['spec', 'ref', 'semver']));
        const remote = ctx.remoteChart(url, basename(url), tag);
        chart = remote;
        if (!remote.cached) findings.push(finding(refAt, 'info', 'gitops.chart-not-local', remoteChartNote(remote)));
      } else {
        chart = { type: 'unknown', reason: `OCIRepository ${chartRefName} not found` };
        findings.push(finding(refAt, 'info', 'gitops.source-not-found', `OCIRepository ${chartRefName} is not defined in this workspace, so the chart is unknown`));
      }
    } else if (chartRefKind === 'HelmChart') {
      helmChartObj = lookup('HelmChart', chartRefName);
      if (!helmChartObj) {
        chart = { type: 'unknown', reason: `HelmChart ${chartRefName} not found` };
        findings.push(finding(refAt, 'info', 'gitops.source-not-found', `HelmChart ${chartRefName} is not defined in this workspace, so the chart is unknown`));
      }
    }
  }
  const specField = (field: string): { obj: Obj; node: Node } | undefined => {
    if (helmChartObj) {
      const n = getIn(helmChartObj.root, ['spec', field]);
      return n === undefined ? undefined : { obj: helmChartObj, node: n };
    }
    return effective(inst, [...chartSpecPath, field]);
  };
  if (helmChartObj) chartSpecPath = ['spec'];
  if (chartRefKind === undefined || helmChartObj) {
    const chartE = specField('chart');
    const chartName = str(chartE?.node);
    const version = str(specField('version')?.node);
    sourceKind = str(helmChartObj ? getIn(helmChartObj.root, ['spec', 'sourceRef', 'kind']) : effective(inst, [...chartSpecPath, 'sourceRef', 'kind'])?.node);
    const sourceName = str(helmChartObj ? getIn(helmChartObj.root, ['spec', 'sourceRef', 'name']) : effective(inst, [...chartSpecPath, 'sourceRef', 'name'])?.node);
    if (chartName === undefined) {
      findings.push(finding(definedAt, 'warning', 'gitops.no-chart', 'this HelmRelease has neither spec.chart.spec.chart nor spec.chartRef'));
    } else if (sourceKind === 'HelmRepository') {
      const repo = lookup('HelmRepository', sourceName);
      const url = repo ? str(getIn(repo.root, ['spec', 'url'])) ?? '' : '';
      const isOci = repo !== undefined && str(getIn(repo.root, ['spec', 'type'])) === 'oci';
      if (!repo) {
        chart = { type: 'unknown', reason: `HelmRepository ${sourceName} not found` };
        findings.push(finding(at(chartE), 'info', 'gitops.source-not-found', `HelmRepository ${sourceName} is not defined in this workspace; the chart ${chartName} cannot be located`));
      } else {
        const remote = ctx.remoteChart(isOci && !url.endsWith(`/${chartName}`) ? `${url}/${chartName}` : url, chartName, version);
        chart = remote;
        if (!remote.cached) findings.push(finding(at(chartE), 'info', 'gitops.chart-not-local', remoteChartNote(remote)));
      }
    } else {
      const dir = joinPath('', chartName);
      if (dir !== undefined && ctx.isChartDir(dir)) chart = { type: 'local', dir };
      else if (dir !== undefined && ctx.index.isDir(dir) && dir !== '') {
        chart = { type: 'unknown', reason: `${dir} has no Chart.yaml` };
        findings.push(finding(at(chartE), 'warning', 'gitops.no-chart-yaml', `${dir} has no Chart.yaml; point spec.chart.spec.chart at the chart's directory (relative to the ${sourceKind ?? 'source'}'s root)`));
      } else {
        chart = { type: 'unknown', reason: `${chartName} is not in this workspace` };
        findings.push(finding(at(chartE), 'info', 'gitops.chart-not-local', `${chartName} is not a directory of this workspace (is the ${sourceKind ?? 'source'} ${sourceName ?? ''} another repository?)`));
      }
    }
  }
  // 1. valuesFile + valuesFiles: the chart defaults.
  const ignoreMissing = bool(specField('ignoreMissingValuesFiles')?.node);
  const defaultsFiles: Array<{ raw: string; e: { obj: Obj; node: Node } }> = [];
  const single = specField('valuesFile');
  if (single && str(single.node) !== undefined) defaultsFiles.push({ raw: str(single.node) as string, e: single });
  const multi = specField('valuesFiles');
  if (multi) for (const n of items(multi.node)) if (str(n) !== undefined) defaultsFiles.push({ raw: str(n) as string, e: { obj: multi.obj, node: n } });
  for (const { raw, e } of defaultsFiles) {
    if (chart.type === 'remote') {
      layers.push({ type: 'file', path: joinPath('', raw) ?? raw, inChart: true, replacesChartDefaults: true, at: at(e) });
      continue;
    }
    const p = joinPath('', raw);
    if (p === undefined || !ctx.index.isFile(p)) {
      if (!ignoreMissing) findings.push(finding(at(e), 'error', 'gitops.missing-values-file', `values file ${p ?? raw} does not exist (paths are relative to the ${sourceKind ?? 'source'}'s root, e.g. ./charts/app/values-prod.yaml); fix the path or set ignoreMissingValuesFiles: true`));
      continue;
    }
    layers.push({ type: 'file', path: p, replacesChartDefaults: true, at: at(e) });
  }

  // 2. valuesFrom.
  const valuesFrom = effective(inst, ['spec', 'valuesFrom']);
  for (const item of valuesFrom ? items(valuesFrom.node) : []) {
    const via = locOf(valuesFrom?.obj.m ?? base.m, item);
    const kind = str(get(item, 'kind'));
    const refName = str(get(item, 'name'));
    const key = str(get(item, 'valuesKey')) ?? 'values.yaml';
    const targetPath = str(get(item, 'targetPath'));
    const optional = bool(get(item, 'optional'));
    if ((kind !== 'ConfigMap' && kind !== 'Secret') || refName === undefined) {
      findings.push(finding(via, 'error', 'gitops.bad-values-from', 'valuesFrom entries need `kind: ConfigMap` or `kind: Secret` and a `name`'));
      continue;
    }
    const value = valueOf(ctx, kind, refName, key, inst, lookup, generated);
    if (value === undefined) {
      if (!optional) findings.push(finding(via, 'error', 'gitops.missing-values-from', `${kind} ${refName} with key ${key} is not in this workspace (no manifest or kustomize ${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} defines it); Flux fails unless \`optional: true\``));
      continue;
    }
    if (targetPath !== undefined) {
      const raw = 'file' in value ? ctx.read(value.file) ?? '' : value.text.text;
      const quoted = /^'.*'$|^".*"$/s.test(raw) && raw.length >= 2;
      const plain = quoted ? raw.replace(/^['"]+|['"]+$/g, '') : raw;
      layers.push({ type: quoted ? 'set-string' : 'set', arg: `${targetPath}=${plain}`, at: value.at, via });
    } else if ('file' in value) layers.push({ type: 'file', path: value.file, at: value.at, via });
    else layers.push({ type: 'inline', source: value.text, at: value.at, via });
  }

  // 3. spec.values, and the patches' spec.values as merge patches over it.
  for (const obj of [base, ...inst.patches]) {
    const spec = get(obj.root, 'spec');
    const values = get(spec, 'values');
    const cleared = (spec !== undefined && !isMap(spec)) || (values !== undefined && !isMap(values));
    if (cleared) {
      for (let i = layers.length - 1; i >= 0; i--) {
        const l = layers[i];
        if (l.type === 'inline' && l.via === undefined) layers.splice(i, 1);
      }
      continue;
    }
    if (values === undefined) continue;
    const t = inlineText(obj.m, values);
    if (t) layers.push({ type: 'inline', source: t, at: locOf(obj.m, values), ...(obj === base ? {} : { merge: 'merge-patch' as const }) });
  }
  return { name, kind: 'flux', chart, definedAt, layers, findings };
}

type Value = { file: string; at: SourceLocation } | { text: InlineText; at: SourceLocation };

function valueOf(
  ctx: DiscoveryContext,
  kind: 'ConfigMap' | 'Secret',
  name: string,
  key: string,
  inst: Instance,
  lookup: (kind: string, n: string | undefined) => Obj | undefined,
  generated: GeneratedData[],
): Value | undefined {
  // Generators on this overlay's chain, outermost first (an overlay's `behavior: merge` generator wins for its keys),
  // else any generator of that name in the workspace.
  const gens = generated.filter((g) => g.kind === kind && g.name === name);
  const onChain = gens.filter((g) => inst.chain.includes(g.dir)).sort((a, b) => inst.chain.indexOf(b.dir) - inst.chain.indexOf(a.dir));
  for (const gen of onChain.length > 0 ? onChain : gens.slice(0, 1)) {
    const v = gen.keys.get(key);
    if (v && 'file' in v) return ctx.index.isFile(v.file) ? { file: v.file, at: v.at } : undefined;
    if (v) return { text: { file: v.at.file, text: v.literal, line: v.at.line - 1, column: v.at.column - 1, exact: false }, at: v.at };
  }
  const obj = lookup(kind, name);
  if (!obj) return undefined;
  const plainKeys = kind === 'Secret' ? ['stringData', 'data'] : ['data', 'binaryData'];
  for (const section of plainKeys) {
    const n = getIn(obj.root, [section, key]);
    if (n === undefined) continue;
    const t = inlineText(obj.m, n);
    if (!t) {
      const s = str(n);
      if (s === undefined) continue;
      return { text: { file: obj.m.file, text: s, line: locOf(obj.m, n).line - 1, column: locOf(obj.m, n).column - 1, exact: false }, at: locOf(obj.m, n) };
    }
    const encoded = section === 'data' ? kind === 'Secret' : section === 'binaryData';
    if (encoded) {
      const decoded = decodeBase64(t.text);
      if (decoded === undefined) return undefined;
      return { text: { ...t, text: decoded, exact: false }, at: locOf(obj.m, n) };
    }
    return { text: t, at: locOf(obj.m, n) };
  }
  void entries;
  return undefined;
}

function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) return undefined;
  const bin = atob(clean);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
