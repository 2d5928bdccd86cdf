// Argo CD: Application (spec.source, or each Helm entry of spec.sources) and ApplicationSet (list and git
// files/directories generators, expanded against the workspace).
//
// Order of layers (reposerver/repository/repository.go helmTemplate + util/helm/cmd.go template): the resolved
// valueFiles as --values, then values/valuesObject as one more --values (valuesObject replaces values), then
// parameters as --set (--set-string with forceString) and fileParameters as --set-file. Argo CD keeps Set, SetString
// and SetFile in Go maps, so a repeated name collapses and the last entry wins. Helm applies the flag kinds in its
// fixed order, which is the order of the layers here.
//
// valueFiles (getResolvedValueFiles): relative to the source's path, a leading `/` is the repository root (the
// workspace), `$<ref>/...` is relative to the root of the source with `ref: <ref>` (taken to be this workspace), env
// variables (`$ARGOCD_APP_NAME`, `${...}`, `$$` for `$`) are substituted (after the ref is resolved), globs expand
// in doublestar's order with entries listed explicitly keeping their own position, duplicates are dropped, and
// ignoreMissingValueFiles drops missing files and globs that match nothing.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { remoteChartNote, type DiscoveryContext } from './context';
import { bool, entries, finding, get, getIn, inlineText, items, kindOf, locOf, pairOf, str, type ManifestDoc } from './manifest';
import { basename, dirname, isGlob, joinPath } from './paths';
import type { ChartLocation, DiscoveredEnvironment, GitopsFinding, InlineText, Layer, SetLayer, SourceLocation } from './types';

const ARGO_API = 'argoproj.io/v1alpha1';

/** Renders a template string of an ApplicationSet (identity for a plain Application); undefined when unresolved. */
type Render = (s: string) => string | undefined;

export interface ReadResult {
  environments: DiscoveredEnvironment[];
  /** Findings about the manifest that belong to no single environment. */
  findings: GitopsFinding[];
}

export function readArgo(ctx: DiscoveryContext, m: ManifestDoc): ReadResult {
  const { apiVersion, kind } = kindOf(m);
  if (kind !== 'Application' && kind !== 'ApplicationSet') return { environments: [], findings: [] };
  if (apiVersion === undefined || !apiVersion.startsWith('argoproj.io/')) return { environments: [], findings: [] };
  const root = m.doc.contents;
  if (apiVersion !== ARGO_API) {
    return { environments: [], findings: [finding(locOf(m, get(root, 'apiVersion')), 'error', 'gitops.unknown-api-version', `${kind} has apiVersion ${apiVersion}, which Argo CD does not serve (it serves ${ARGO_API}); this ${kind} is skipped`)] };
  }
  if (kind === 'Application') {
    const sink: GitopsFinding[] = [];
    return { environments: readApplication(ctx, m, root as Node, (s) => s, sink), findings: sink };
  }
  return readApplicationSet(ctx, m, root as Node);
}

function readApplication(ctx: DiscoveryContext, m: ManifestDoc, root: Node, render: Render, sink: GitopsFinding[]): DiscoveredEnvironment[] {
  const unresolved: GitopsFinding[] = [];
  const r = (node: Node | undefined): string | undefined => {
    const s = str(node);
    if (s === undefined) return undefined;
    const out = render(s);
    if (out === undefined) unresolved.push(finding(locOf(m, node), 'warning', 'gitops.unresolved-template', `\`${s}\` uses a generator parameter that cannot be resolved offline; this setting is left out`));
    return out;
  };
  const nameNode = getIn(root, ['metadata', 'name']);
  if (nameNode !== undefined && !isScalar(nameNode)) {
    sink.push(finding(locOf(m, nameNode), 'info', 'gitops.templated-manifest', 'metadata.name is not a string: this looks like a template of an Application (`{{ }}` placeholders), not an Application; it is skipped'));
    return [];
  }
  const appName = r(nameNode) ?? 'application';
  const spec = get(root, 'spec');
  const sourcesNode = get(spec, 'sources');
  const sources = sourcesNode !== undefined && items(sourcesNode).length > 0 ? items(sourcesNode) : get(spec, 'source') !== undefined ? [get(spec, 'source') as Node] : [];
  if (sourcesNode !== undefined && items(sourcesNode).length > 0 && get(spec, 'source') !== undefined) {
    sink.push(finding(locOf(m, pairOfKey(spec, 'source')), 'info', 'gitops.source-ignored', '`source` is ignored because `sources` is set: Argo CD then deploys the entries of `sources` only'));
  }
  const refs = new Set<string>();
  for (const s of sources) {
    const ref = str(get(s, 'ref'));
    if (ref !== undefined) refs.add(ref);
  }
  const helmSources = sources.filter((s) => {
    if (get(s, 'chart') !== undefined || get(s, 'helm') !== undefined) return true;
    const path = r(get(s, 'path'));
    return path !== undefined && ctx.isChartDir(joinPath('', path) ?? '');
  });
  const out: DiscoveredEnvironment[] = [];
  for (const source of helmSources) {
    const findings: GitopsFinding[] = [];
    const chartName = r(get(source, 'chart'));
    const path = r(get(source, 'path'));
    const label = helmSources.length > 1 ? `${appName} [${chartName ?? path ?? out.length}]` : appName;
    const definedAt = locOf(m, nameNode ?? root);
    let chart: ChartLocation;
    let chartDir: string | undefined;
    if (chartName !== undefined) {
      const remote = ctx.remoteChart(r(get(source, 'repoURL')) ?? '', chartName, r(get(source, 'targetRevision')));
      chart = remote;
      if (!remote.cached) findings.push(finding(locOf(m, get(source, 'chart')), 'info', 'gitops.chart-not-local', remoteChartNote(remote)));
    } else if (path !== undefined) {
      const dir = joinPath('', path);
      if (dir !== undefined && ctx.isChartDir(dir)) {
        chart = { type: 'local', dir };
        chartDir = dir;
      } else if (dir !== undefined && ctx.index.isDir(dir)) {
        chart = { type: 'unknown', reason: `${dir} has no Chart.yaml` };
        findings.push(finding(locOf(m, get(source, 'path')), 'warning', 'gitops.no-chart-yaml', `${dir} has no Chart.yaml, so Helm cannot render it; point \`path\` at the chart's directory`));
      } else {
        chart = { type: 'unknown', reason: `${path} is not in this workspace` };
        findings.push(finding(locOf(m, get(source, 'path')), 'info', 'gitops.chart-not-local', `${path} is not a directory of this workspace (another repository?); open that repository to see this chart's values`));
      }
    } else if (get(source, 'chart') === undefined && get(source, 'path') === undefined) {
      chart = { type: 'unknown', reason: 'no path or chart' };
      findings.push(finding(locOf(m, source), 'warning', 'gitops.no-chart', 'this Helm source names neither `path` nor `chart`'));
    } else chart = { type: 'unknown', reason: 'the chart is named by an unresolved template' };
    const env = argoEnv(appName, get(getIn(spec, ['destination']), 'namespace'), str(get(spec, 'project')), path, source, r);
    const helm = get(source, 'helm');
    const layers: Layer[] = [];
    const ignoreMissing = bool(get(helm, 'ignoreMissingValueFiles'));
    // valueFiles
    const resolveOne = (raw: string, at: Node): { path: string; inChart?: boolean } | 'skip' => {
      const refMatch = /^\$([^/]+)\/(.*)$/.exec(raw);
      if (refMatch && refs.has(refMatch[1])) {
        const s = envsubst(`/${refMatch[2]}`, env, m, at, findings);
        if (s === undefined) return 'skip';
        const p = joinPath('', s);
        if (p === undefined) {
          findings.push(finding(locOf(m, at), 'error', 'gitops.path-outside-workspace', `${raw} leaves the repository; Argo CD refuses paths outside it`));
          return 'skip';
        }
        return { path: p };
      }
      if (refMatch && raw.startsWith('$') && !refs.has(refMatch[1]) && !/^\$\{?ARGOCD_/.test(raw)) {
        findings.push(finding(locOf(m, at), 'warning', 'gitops.unknown-ref', `${raw} refers to source \`$${refMatch[1]}\`, but no entry of spec.sources has \`ref: ${refMatch[1]}\``));
        return 'skip';
      }
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
        findings.push(finding(locOf(m, at), 'info', 'gitops.remote-values-file', `${raw} is fetched by Argo CD at sync time; it is not read offline`));
        return 'skip';
      }
      const s = envsubst(raw, env, m, at, findings);
      if (s === undefined) return 'skip';
      if (chartDir === undefined && !s.startsWith('/')) return chartName !== undefined ? { path: joinPath('', s) ?? s, inChart: true } : 'skip';
      const p = joinPath(chartDir ?? '', s);
      if (p === undefined) {
        findings.push(finding(locOf(m, at), 'error', 'gitops.path-outside-workspace', `${raw} leaves the repository; Argo CD refuses paths outside it`));
        return 'skip';
      }
      return { path: p };
    };
    const rawFiles: Array<{ node: Node; raw: string }> = [];
    for (const n of items(get(helm, 'valueFiles'))) {
      const raw = r(n);
      if (raw !== undefined) rawFiles.push({ node: n, raw });
    }
    const resolved = rawFiles.map((f) => ({ ...f, res: resolveOne(f.raw, f.node) }));
    const explicit = new Set<string>();
    for (const f of resolved) if (f.res !== 'skip' && !f.res.inChart && !isGlob(f.res.path)) explicit.add(f.res.path);
    const seen = new Set<string>();
    const add = (p: string, node: Node, inChart?: boolean) => {
      if (seen.has(p)) return;
      seen.add(p);
      layers.push({ type: 'file', path: p, at: locOf(m, node), ...(inChart ? { inChart: true } : {}) });
    };
    for (const f of resolved) {
      if (f.res === 'skip') continue;
      if (f.res.inChart) {
        add(f.res.path, f.node, true);
        continue;
      }
      if (isGlob(f.res.path)) {
        const matches = ctx.index.glob(f.res.path);
        if (matches.length === 0 && !ignoreMissing) findings.push(finding(locOf(m, f.node), 'error', 'gitops.missing-values-file', `values file glob "${f.raw}" matched no files (Argo CD fails the sync); fix the pattern or set ignoreMissingValueFiles: true`));
        for (const p of matches) if (!explicit.has(p)) add(p, f.node);
        continue;
      }
      if (!ctx.index.isFile(f.res.path)) {
        if (!ignoreMissing) findings.push(finding(locOf(m, f.node), 'error', 'gitops.missing-values-file', `values file ${f.res.path} does not exist (Argo CD fails the sync); fix the path or set ignoreMissingValueFiles: true`));
        continue;
      }
      add(f.res.path, f.node);
    }
    // values / valuesObject
    const valuesObject = get(helm, 'valuesObject');
    const values = get(helm, 'values');
    if (valuesObject !== undefined && isMap(valuesObject)) {
      const t = renderedInline(m, valuesObject, render, findings);
      if (t) layers.push({ type: 'inline', source: t, at: locOf(m, valuesObject) });
      if (values !== undefined) findings.push(finding(locOf(m, values), 'info', 'gitops.values-ignored', '`values` is ignored because `valuesObject` is set: Argo CD uses valuesObject instead, they are not merged'));
    } else if (values !== undefined && isScalar(values) && typeof values.value === 'string' && values.value.trim() !== '') {
      const t = renderedInline(m, values, render, findings);
      if (t) layers.push({ type: 'inline', source: t, at: locOf(m, values) });
    } else if (values !== undefined && (isMap(values) || isSeq(values))) {
      findings.push(finding(locOf(m, values), 'error', 'gitops.values-not-string', '`helm.values` must be a YAML string (use `values: |`), or use `valuesObject` for a map'));
    }
    // parameters
    const sets = new Map<string, SetLayer>();
    const setStrings = new Map<string, SetLayer>();
    for (const p of items(get(helm, 'parameters'))) {
      const name = r(get(p, 'name'));
      if (name === undefined) continue;
      const valueNode = get(p, 'value');
      const rawValue = valueNode === undefined ? '' : r(valueNode);
      if (rawValue === undefined) continue;
      const value = envsubst(rawValue, env, m, valueNode ?? p, findings);
      if (value === undefined) continue;
      const forceString = bool(get(p, 'forceString'));
      const target = forceString ? setStrings : sets;
      const layer: SetLayer = { type: forceString ? 'set-string' : 'set', arg: `${name}=${cleanSetParameters(value)}`, at: locOf(m, valueNode ?? get(p, 'name')) };
      target.delete(name);
      target.set(name, layer);
    }
    layers.push(...sets.values(), ...setStrings.values());
    const files = new Map<string, SetLayer>();
    for (const p of items(get(helm, 'fileParameters'))) {
      const name = r(get(p, 'name'));
      const pathNode = get(p, 'path');
      const raw = r(pathNode);
      if (name === undefined || raw === undefined || pathNode === undefined) continue;
      const res = resolveOne(raw, pathNode);
      if (res === 'skip') continue;
      if (!res.inChart && !ctx.index.isFile(res.path)) findings.push(finding(locOf(m, pathNode), 'error', 'gitops.missing-values-file', `file ${res.path} for --set-file ${name} does not exist`));
      files.delete(name);
      files.set(name, { type: 'set-file', arg: `${name}=${cleanSetParameters(res.path)}`, at: locOf(m, pathNode) });
    }
    layers.push(...files.values());
    findings.push(...unresolved.splice(0));
    out.push({ name: label, kind: 'argocd', chart, definedAt, layers, findings });
  }
  return out;
}

function pairOfKey(map: Node | undefined, key: string): Node | undefined {
  return (pairOf(map, key)?.key ?? undefined) as Node | undefined;
}

/** Inline values after the ApplicationSet's rendering; undefined (with a finding) when a parameter is unknown. */
function renderedInline(m: ManifestDoc, node: Node, render: Render, findings: GitopsFinding[]): InlineText | undefined {
  const t = inlineText(m, node);
  if (!t) return undefined;
  const text = render(t.text);
  if (text === undefined) {
    findings.push(finding(locOf(m, node), 'warning', 'gitops.unresolved-template', 'these inline values use a generator parameter that cannot be resolved offline; the layer is left out'));
    return undefined;
  }
  return text === t.text ? t : { ...t, text, exact: false };
}

/** Argo CD's build environment for one source (repository.go newEnv); revisions are unknown offline. */
function argoEnv(appName: string, nsNode: Node | undefined, project: string | undefined, path: string | undefined, source: Node, r: (n: Node | undefined) => string | undefined): Map<string, string | undefined> {
  return new Map<string, string | undefined>([
    ['ARGOCD_APP_NAME', appName],
    ['ARGOCD_APP_NAMESPACE', r(nsNode) ?? ''],
    ['ARGOCD_APP_PROJECT_NAME', project ?? ''],
    ['ARGOCD_APP_SOURCE_PATH', path ?? ''],
    ['ARGOCD_APP_SOURCE_REPO_URL', r(get(source, 'repoURL')) ?? ''],
    ['ARGOCD_APP_SOURCE_TARGET_REVISION', r(get(source, 'targetRevision')) ?? ''],
    ['ARGOCD_APP_REVISION', undefined],
    ['ARGOCD_APP_REVISION_SHORT', undefined],
    ['ARGOCD_APP_REVISION_SHORT_8', undefined],
  ]);
}

/** Go's os.Expand with Argo CD's mapping: `$$` is `$`, unknown names are empty; a revision is unknown offline. */
function envsubst(s: string, env: Map<string, string | undefined>, m: ManifestDoc, at: Node, findings: GitopsFinding[]): string | undefined {
  let unknown: string | undefined;
  const out = s.replace(/\$(\$|\{([^}]*)\}|([A-Za-z0-9_]+))/g, (_all, tok: string, braced: string | undefined, bare: string | undefined) => {
    if (tok === '$') return '$';
    const name = braced ?? bare ?? '';
    if (env.has(name) && env.get(name) === undefined) unknown = name;
    return env.get(name) ?? '';
  });
  if (unknown !== undefined) {
    findings.push(finding(locOf(m, at), 'warning', 'gitops.unresolved-variable', `$${unknown} is only known when Argo CD syncs (the commit being deployed); this entry is left out`));
    return undefined;
  }
  return out;
}

/** util/helm/cmd.go cleanSetParameters: commas are escaped unless the value is a `{a,b}` list. */
export function cleanSetParameters(val: string): string {
  if (val.startsWith('{') && val.endsWith('}')) return val;
  let out = '';
  let prev = '';
  for (const ch of val) {
    out += ch === ',' && prev !== '\\' ? '\\,' : ch;
    prev = ch;
  }
  return out;
}

// ---- ApplicationSet ----

type Params = Record<string, unknown>;

function readApplicationSet(ctx: DiscoveryContext, m: ManifestDoc, root: Node): ReadResult {
  const spec = get(root, 'spec');
  const goTemplate = bool(get(spec, 'goTemplate'));
  const template = get(spec, 'template');
  const out: DiscoveredEnvironment[] = [];
  const extra: GitopsFinding[] = [];
  for (const gen of items(get(spec, 'generators'))) {
    const res = generatorParams(ctx, m, gen, goTemplate, extra, undefined);
    if ('offline' in res) {
      const [key, keyNode] = res.offline;
      extra.push(finding(locOf(m, keyNode), 'info', 'gitops.generator-offline', `the \`${key}\` generator needs ${key === 'clusters' || key === 'clusterDecisionResource' ? 'a live cluster (the clusters registered in Argo CD)' : key === 'plugin' ? 'a generator plugin service' : 'an SCM or pull-request provider API'}; its Applications cannot be listed offline`));
      continue;
    }
    const body = entries(gen)[0]?.[1];
    if (get(body, 'template') !== undefined && entries(get(body, 'template')).some(([, v]) => entries(v).length > 0)) {
      extra.push(finding(locOf(m, get(body, 'template')), 'warning', 'gitops.appset-unsupported', 'a generator-level `template` is not applied here; the ApplicationSet\'s spec.template is used'));
    }
    for (const params of res.params) {
      const render: Render = (s) => renderTemplate(s, params, goTemplate);
      out.push(...readApplication(ctx, m, template as Node, render, extra));
    }
  }
  return { environments: out, findings: extra };
}

/**
 * The parameter sets of one generator: list and git directly; matrix (each set of the first child combined with
 * each set of the second, which may use the first's parameters) and merge (sets of the first child, overridden by
 * the sets of the others that agree on every merge key) when their children resolve. Otherwise the generator that
 * needs a live system.
 */
function generatorParams(ctx: DiscoveryContext, m: ManifestDoc, gen: Node, goTemplate: boolean, findings: GitopsFinding[], parent: Params | undefined): { params: Params[] } | { offline: [string, Node] } {
  const [first] = entries(gen);
  if (!first) return { params: [] };
  const [key, body] = first;
  const keyNode = first[2].key as Node;
  if (key === 'list') {
    const p = listParams(body, goTemplate);
    return p ? { params: p } : { offline: [key, keyNode] };
  }
  if (key === 'git') {
    const p = gitParams(ctx, m, body, goTemplate, findings, parent);
    return p ? { params: p } : { offline: [key, keyNode] };
  }
  if (key === 'matrix' || key === 'merge') {
    const children = items(get(body, 'generators'));
    if (children.length < 2 || (key === 'matrix' && children.length > 2)) {
      findings.push(finding(locOf(m, keyNode), 'warning', 'gitops.bad-generator', `a \`${key}\` generator needs ${key === 'matrix' ? 'exactly two' : 'at least two'} child generators (it has ${children.length})`));
      return { params: [] };
    }
    if (key === 'matrix') {
      const a = generatorParams(ctx, m, children[0], goTemplate, findings, parent);
      if ('offline' in a) return a;
      const out: Params[] = [];
      for (const pa of a.params) {
        const b = generatorParams(ctx, m, children[1], goTemplate, findings, { ...(parent ?? {}), ...pa });
        if ('offline' in b) return b;
        for (const pb of b.params) out.push(mergeParams(pa, pb, goTemplate));
      }
      return { params: out };
    }
    const mergeKeys = items(get(body, 'mergeKeys')).map((n) => str(n) ?? '');
    const sets: Params[][] = [];
    for (const c of children) {
      const r = generatorParams(ctx, m, c, goTemplate, findings, parent);
      if ('offline' in r) return r;
      sets.push(r.params);
    }
    const base = sets[0].map((p) => ({ ...p }));
    for (const other of sets.slice(1)) {
      for (let i = 0; i < base.length; i++) {
        const match = other.find((o) => mergeKeys.every((k) => lookupParam(o, k, goTemplate) !== undefined && lookupParam(o, k, goTemplate) === lookupParam(base[i], k, goTemplate)));
        if (match) base[i] = mergeParams(base[i], match, goTemplate);
      }
    }
    return { params: base };
  }
  return { offline: [key, keyNode] };
}

function lookupParam(p: Params, key: string, goTemplate: boolean): unknown {
  if (!goTemplate) return p[key];
  let cur: unknown = p;
  for (const k of key.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

function mergeParams(a: Params, b: Params, goTemplate: boolean): Params {
  if (!goTemplate) return { ...a, ...b };
  const out: Params = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = cur !== null && typeof cur === 'object' && !Array.isArray(cur) && v !== null && typeof v === 'object' && !Array.isArray(v) ? mergeParams(cur as Params, v as Params, true) : v;
  }
  return out;
}

function toPlain(node: Node | undefined): unknown {
  if (node === undefined) return undefined;
  return (node as unknown as { toJSON(): unknown }).toJSON();
}

function listParams(body: Node | undefined, goTemplate: boolean): Params[] | undefined {
  if (get(body, 'elementsYaml') !== undefined) return undefined;
  return items(get(body, 'elements')).map((el) => {
    const obj = toPlain(el);
    if (goTemplate) return (obj ?? {}) as Params;
    const params: Params = {};
    for (const [k, v] of Object.entries((obj ?? {}) as Record<string, unknown>)) {
      if (k === 'values' && v !== null && typeof v === 'object') for (const [vk, vv] of Object.entries(v)) params[`values.${vk}`] = stringify(vv);
      else params[k] = stringify(v);
    }
    return params;
  });
}

function stringify(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function flatten(obj: unknown, prefix: string, out: Params): void {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (Array.isArray(obj)) {
    obj.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else out[prefix] = obj === null || obj === undefined ? '' : String(obj);
}

function pathParams(dir: string, file: string | undefined, goTemplate: boolean): Params {
  const segments = dir === '' ? [] : dir.split('/');
  const base = basename(dir);
  const normalized = base.replace(/[^a-zA-Z0-9-.]/g, '-').toLowerCase();
  if (goTemplate) {
    const p: Params = { path: dir, basename: base, basenameNormalized: normalized, segments };
    if (file !== undefined) {
      p.filename = basename(file);
      p.filenameNormalized = basename(file).replace(/[^a-zA-Z0-9-.]/g, '-').toLowerCase();
    }
    return { path: p };
  }
  const p: Params = { path: dir, 'path.basename': base, 'path.basenameNormalized': normalized };
  segments.forEach((s, i) => (p[`path[${i}]`] = s));
  if (file !== undefined) {
    p['path.filename'] = basename(file);
    p['path.filenameNormalized'] = basename(file).replace(/[^a-zA-Z0-9-.]/g, '-').toLowerCase();
  }
  return p;
}

function gitParams(ctx: DiscoveryContext, m: ManifestDoc, body: Node | undefined, goTemplate: boolean, findings: GitopsFinding[], parent: Params | undefined): Params[] | undefined {
  const files = get(body, 'files');
  const dirs = get(body, 'directories');
  if (files === undefined && dirs === undefined) return undefined;
  const values = toPlain(get(body, 'values')) as Record<string, unknown> | undefined;
  const withValues = (p: Params): Params => {
    if (!values) return p;
    const rendered: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) rendered[k] = renderTemplate(stringify(v), p, goTemplate) ?? stringify(v);
    if (goTemplate) return { ...p, values: rendered };
    const out = { ...p };
    for (const [k, v] of Object.entries(rendered)) out[`values.${k}`] = v;
    return out;
  };
  const select = (spec: Node | undefined, what: 'files' | 'dirs'): string[] => {
    const include: string[] = [];
    const exclude = new Set<string>();
    for (const e of items(spec)) {
      const raw = str(get(e, 'path'));
      const pattern = raw !== undefined && parent !== undefined ? renderTemplate(raw, parent, goTemplate) : raw;
      if (pattern === undefined) continue;
      const matches = ctx.index.glob(pattern, what);
      if (bool(get(e, 'exclude'))) matches.forEach((x) => exclude.add(x));
      else {
        if (matches.length === 0) findings.push(finding(locOf(m, get(e, 'path')), 'info', 'gitops.generator-no-match', `${pattern} matches nothing in this workspace`));
        for (const x of matches) if (!include.includes(x)) include.push(x);
      }
    }
    return include.filter((x) => !exclude.has(x)).sort();
  };
  const out: Params[] = [];
  if (files !== undefined) {
    for (const file of select(files, 'files')) {
      const text = ctx.read(file) ?? '';
      const doc = parseDocument(text, { prettyErrors: false });
      if (doc.errors.length > 0) {
        findings.push(finding({ file, line: 1, column: 1 }, 'error', 'gitops.malformed-manifest', `${file} is read by an ApplicationSet git files generator but is not valid JSON/YAML`));
        continue;
      }
      const data = doc.toJS() as unknown;
      for (const obj of Array.isArray(data) ? data : [data]) {
        const p: Params = goTemplate ? { ...((obj ?? {}) as Params) } : {};
        if (!goTemplate) flatten(obj, '', p);
        out.push(withValues({ ...p, ...pathParams(dirname(file), file, goTemplate) }));
      }
    }
  }
  if (dirs !== undefined) for (const dir of select(dirs, 'dirs')) out.push(withValues(pathParams(dir, undefined, goTemplate)));
  return out;
}

/** ApplicationSet rendering: fasttemplate `{{key}}` lookups, or (goTemplate) `{{ .a.b }}` field chains only. */
export function renderTemplate(s: string, params: Params, goTemplate: boolean): string | undefined {
  let failed = false;
  const out = s.replace(/\{\{(-?)([^}]*?)(-?)\}\}/g, (_all, _l: string, body: string) => {
    const expr = body.trim();
    if (!goTemplate) {
      const v = params[expr];
      if (v === undefined) failed = true;
      return v === undefined ? '' : stringify(v);
    }
    const mm = /^\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)$/.exec(expr);
    if (!mm) {
      failed = true;
      return '';
    }
    let cur: unknown = params;
    for (const k of mm[1].split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
    if (cur === undefined || (cur !== null && typeof cur === 'object')) {
      failed = true;
      return '';
    }
    return cur === null ? '' : String(cur);
  });
  return failed ? undefined : out;
}

export type { SourceLocation };
