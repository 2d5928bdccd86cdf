// helmfile: helmfile.yaml, helmfile.yaml.gotmpl and helmfile.d/*. One environment per release x helmfile
// environment.
//
// Layers (pkg/state/state.go namespaceAndValuesFlags): `values` entries (from `inherit`ed templates first, then the
// release's own; files, globs and inline maps, in order) as --values, then `secrets` as further --values, then
// `set` (--set; `file:` gives --set-file; `values:` gives --set name={a,b}) and `setString` (--set-string), names and
// values escaped like helmfile's escape(). missingFileHandler (Error by default; Warn, Info, Debug) decides how a
// missing file is reported; the layer is skipped either way.
//
// State values (`.Values` when rendering): root `values:` then the environment's `values:`, maps merged. A `.gotmpl`
// helmfile is rendered part by part (`---`), each part with the values known so far; release fields (values paths,
// set values, inline maps) are rendered again per release (`.Release.Name`). Only what gotmpl.ts evaluates is
// evaluated: anything else is a finding on its line, and the layer it belongs to is skipped.
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { remoteChartNote, type DiscoveryContext } from './context';
import { renderTemplate, type Rendered, type TemplateContext } from './gotmpl';
import { entries, finding, get, inlineText, items, locOf, parseManifest, str, type ManifestDoc } from './manifest';
import { basename, dirname, isGlob, joinPath } from './paths';
import type { ChartLocation, DiscoveredEnvironment, FindingSeverity, GitopsFinding, Layer, SourceLocation } from './types';

export function isHelmfilePath(p: string): boolean {
  const name = basename(p);
  if (/^helmfile\.ya?ml(\.gotmpl)?$/.test(name)) return true;
  return basename(dirname(p)) === 'helmfile.d' && /\.(ya?ml|gotmpl)$/.test(name);
}

interface Entry {
  m: ManifestDoc;
  node: Node;
  /** Lines of the owning file that could not be rendered. */
  bad: Set<number>;
}

interface State {
  envNames: string[];
  envDefs: Map<string, Entry[]>;
  rootValues: Entry[];
  templates: Map<string, Entry>;
  releases: Entry[];
  repositories: Map<string, { url: string; oci: boolean }>;
  missingFileHandler?: string;
  /** Templates every release inherits first (`defaultInherit`). */
  defaultInherit: string[];
}

export function readHelmfiles(ctx: DiscoveryContext, files: readonly string[]): { environments: DiscoveredEnvironment[]; findings: GitopsFinding[] } {
  const environments: DiscoveredEnvironment[] = [];
  const findings: GitopsFinding[] = [];
  const env = ctx.ws.env ?? {};
  for (const file of files) {
    // A first reading finds the environments' names; each environment is then read with its own values (findings
    // that repeat across environments are merged by the caller).
    const probe = loadState(ctx, file, 'default', env, [], []);
    const names = probe.envNames.length > 0 ? probe.envNames : ['default'];
    for (const envName of names) {
      const state = loadState(ctx, file, envName, env, findings, []);
      const values = stateValues(ctx, state, envName, env, findings);
      for (const rel of state.releases) environments.push(releaseEnv(ctx, file, state, rel, envName, values, env));
    }
  }
  return { environments, findings };
}

/** Reads a state file and its bases, rendering `.gotmpl` parts with the values known so far. */
function loadState(ctx: DiscoveryContext, file: string, envName: string, env: Readonly<Record<string, string>>, findings: GitopsFinding[], stack: string[]): State {
  const state: State = { envNames: [], envDefs: new Map(), rootValues: [], templates: new Map(), releases: [], repositories: new Map(), defaultInherit: [] };
  const text = ctx.read(file);
  if (text === undefined || stack.includes(file)) return state;
  const templated = file.endsWith('.gotmpl');
  const parts = splitParts(text);
  for (const part of parts) {
    let partText = part.text;
    let bad = new Set<number>();
    if (templated) {
      const values = stateValues(ctx, state, envName, env, []);
      const r = renderTemplate(partText, { environment: envName, values, env });
      reportTemplateProblems(file, r, part.line, findings, 'the setting on this line is skipped');
      partText = r.text;
      bad = new Set([...r.badLines].map((l) => l + part.line));
    }
    const padded = '\n'.repeat(part.line) + partText;
    const parsed = parseManifest(file, padded);
    findings.push(...parsed.findings);
    for (const m of parsed.docs) {
      const root = m.doc.contents as Node | null;
      if (!isMap(root)) continue;
      for (const b of items(get(root, 'bases'))) {
        const p = joinPath(dirname(file), str(b) ?? '');
        if (p === undefined || !ctx.index.isFile(p)) {
          findings.push(finding(locOf(m, b), 'error', 'gitops.missing-values-file', `base ${str(b)} does not exist`));
          continue;
        }
        mergeState(state, loadState(ctx, p, envName, env, findings, [...stack, file]));
      }
      for (const [name, def] of entries(get(root, 'environments'))) {
        if (!state.envNames.includes(name)) state.envNames.push(name);
        const list = state.envDefs.get(name) ?? [];
        for (const v of items(get(def, 'values'))) list.push({ m, node: v, bad });
        state.envDefs.set(name, list);
      }
      for (const v of items(get(root, 'values'))) state.rootValues.push({ m, node: v, bad });
      for (const [name, t] of entries(get(root, 'templates'))) if (t) state.templates.set(name, { m, node: t, bad });
      for (const r of items(get(root, 'repositories'))) {
        const name = str(get(r, 'name'));
        const url = str(get(r, 'url'));
        if (name !== undefined && url !== undefined) state.repositories.set(name, { url, oci: get(r, 'oci') !== undefined && str(get(r, 'oci')) === 'true' });
      }
      const di = get(root, 'defaultInherit');
      if (di !== undefined) state.defaultInherit = (isSeq(di) ? items(di).map((n) => str(n) ?? '') : [str(di) ?? '']).map((x) => x.trim()).filter((x) => x !== '');
      const mfh = str(get(get(root, 'helmDefaults'), 'missingFileHandler')) ?? str(get(root, 'missingFileHandler'));
      if (mfh !== undefined) state.missingFileHandler = mfh;
      for (const rel of items(get(root, 'releases'))) state.releases.push({ m, node: rel, bad });
    }
  }
  return state;
}

function mergeState(into: State, from: State): void {
  for (const n of from.envNames) if (!into.envNames.includes(n)) into.envNames.push(n);
  for (const [k, v] of from.envDefs) into.envDefs.set(k, [...(into.envDefs.get(k) ?? []), ...v]);
  into.rootValues.push(...from.rootValues);
  for (const [k, v] of from.templates) into.templates.set(k, v);
  into.releases.push(...from.releases);
  for (const [k, v] of from.repositories) into.repositories.set(k, v);
  if (from.defaultInherit.length > 0) into.defaultInherit = from.defaultInherit;
  if (from.missingFileHandler !== undefined) into.missingFileHandler = from.missingFileHandler;
}

function splitParts(text: string): Array<{ text: string; line: number }> {
  const lines = text.split('\n');
  const parts: Array<{ text: string; line: number }> = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || /^---\s*$/.test(lines[i])) {
      parts.push({ text: lines.slice(start, i).join('\n'), line: start });
      start = i + 1;
    }
  }
  return parts;
}

function reportTemplateProblems(file: string, r: Rendered, lineShift: number, findings: GitopsFinding[], consequence: string): void {
  for (const p of r.problems) findings.push({ file, line: p.line + lineShift, column: p.column, severity: 'warning', code: 'gitops.template-unsupported', message: `${p.expr}: ${p.reason}; ${consequence}` });
}

/** The state values of an environment: root values, then the environment's values (files or inline maps). */
function stateValues(ctx: DiscoveryContext, state: State, envName: string, env: Readonly<Record<string, string>>, findings: GitopsFinding[]): Record<string, unknown> {
  let acc: Record<string, unknown> = {};
  for (const e of [...state.rootValues, ...(state.envDefs.get(envName) ?? [])]) {
    if (isMap(e.node)) {
      const v = e.node.toJSON() as unknown;
      if (isPlainMap(v)) acc = mergeMaps(acc, v);
      continue;
    }
    const p = str(e.node);
    if (p === undefined) continue;
    const path = joinPath(dirname(e.m.file), p);
    if (path === undefined || !ctx.index.isFile(path)) {
      findings.push(finding(locOf(e.m, e.node), 'error', 'gitops.missing-values-file', `environment values file ${path ?? p} does not exist`));
      continue;
    }
    let text = ctx.read(path) ?? '';
    if (path.endsWith('.gotmpl')) {
      const r = renderTemplate(text, { environment: envName, values: acc, env });
      if (r.problems.length > 0) {
        reportTemplateProblems(path, r, 0, findings, 'this values file is skipped');
        continue;
      }
      text = r.text;
    }
    const parsed = parseManifest(path, text);
    const v = parsed.docs[0]?.doc.toJS() as unknown;
    if (isPlainMap(v)) acc = mergeMaps(acc, v);
  }
  return acc;
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainMap(out[k]) && isPlainMap(v) ? mergeMaps(out[k] as Record<string, unknown>, v) : v;
  return out;
}

function escape(v: string): string {
  return v.replace(/\{/g, '\\{').replace(/\}/g, '\\}').replace(/,/g, '\\,');
}

const SEVERITY: Record<string, FindingSeverity | undefined> = { error: 'error', warn: 'warning', info: 'info', debug: undefined };

function releaseEnv(ctx: DiscoveryContext, stateFile: string, state: State, rel: Entry, envName: string, values: Record<string, unknown>, env: Readonly<Record<string, string>>): DiscoveredEnvironment {
  const findings: GitopsFinding[] = [];
  const m = rel.m;
  const baseDir = dirname(stateFile);
  const releaseName = str(get(rel.node, 'name')) ?? 'release';
  const namespace = str(get(rel.node, 'namespace'));
  const chartRaw = str(get(rel.node, 'chart'));
  const labels: Record<string, string> = {};
  for (const [k, v] of entries(get(rel.node, 'labels'))) if (str(v) !== undefined) labels[k] = str(v) as string;
  const tctx: TemplateContext = { environment: envName, release: { name: releaseName, ...(namespace !== undefined ? { namespace } : {}), ...(chartRaw !== undefined ? { chart: chartRaw } : {}), labels }, values, env };
  const definedAt = locOf(m, get(rel.node, 'name') ?? rel.node);
  // Templates the release inherits (defaultInherit first, then `inherit`, each after its own inherited templates),
  // then the release: helmfile merges them with mergo's WithAppendSlice, so list fields append in this order.
  const expand = (owner: Entry, path: string[], defaults: string[]): Entry[] => {
    const list = items(get(owner.node, 'inherit')).map((inh) => ({ name: str(get(inh, 'template')) ?? '', except: items(get(inh, 'except')).map((n) => str(n)), at: inh as Node }));
    const named = new Set(list.map((x) => x.name));
    const all = [...defaults.filter((d) => !named.has(d)).map((name) => ({ name, except: [] as Array<string | undefined>, at: owner.node })), ...list];
    const out: Entry[] = [];
    for (const { name, except, at } of all) {
      const t = state.templates.get(name);
      if (path.includes(name)) {
        findings.push(finding(locOf(owner.m, at), 'error', 'gitops.unknown-template', `cyclic template inheritance: ${[...path, name].join(' -> ')}`));
        continue;
      }
      if (!t) {
        findings.push(finding(locOf(owner.m, at), 'error', 'gitops.unknown-template', `template ${name || '(none)'} is not defined in this helmfile or its bases`));
        continue;
      }
      out.push(...expand(t, [...path, name], []).map((e) => ({ ...e, node: exceptKeys(e.node, except) })));
    }
    out.push(owner);
    return out;
  };
  const sources: Entry[] = expand(rel, [], state.defaultInherit);
  const field = (key: string): Array<{ e: Entry; node: Node }> => sources.flatMap((e) => items(get(e.node, key)).map((node) => ({ e, node })));
  const scalarField = (key: string): string | undefined => {
    let v: string | undefined;
    for (const e of sources) if (str(get(e.node, key)) !== undefined) v = str(get(e.node, key));
    return v;
  };
  const handler = (scalarField('missingFileHandler') ?? state.missingFileHandler ?? 'Error').toLowerCase();
  const missing = (at: SourceLocation, what: string) => {
    const sev = SEVERITY[handler] ?? 'error';
    if (SEVERITY[handler] === undefined && handler === 'debug') return;
    findings.push(finding(at, sev, 'gitops.missing-values-file', `${what} does not exist (missingFileHandler: ${handler[0].toUpperCase()}${handler.slice(1)})`));
  };
  const render = (s: string, e: Entry, node: Node): string | undefined => {
    if (!s.includes('{{')) return s;
    const r = renderTemplate(s, tctx);
    if (r.problems.length > 0) {
      const at = locOf(e.m, node);
      for (const p of r.problems) findings.push(finding(at, 'warning', 'gitops.template-unsupported', `${p.expr}: ${p.reason}; this layer is skipped`));
      return undefined;
    }
    return r.text;
  };
  const isBad = (e: Entry, node: Node): boolean => {
    const a = locOf(e.m, node).line;
    const end = node.range ? e.m.lines.linePos(Math.max(node.range[0], node.range[1] - 1)).line : a;
    for (let l = a; l <= end; l++) if (e.bad.has(l)) return true;
    return false;
  };
  const layers: Layer[] = [];
  const fileLayers = (list: Array<{ e: Entry; node: Node }>, secrets: boolean) => {
    for (const { e, node } of list) {
      if (isBad(e, node)) continue;
      const at = locOf(e.m, node);
      if (isMap(node)) {
        if (secrets) continue;
        const t = inlineText(e.m, node);
        if (!t) continue;
        const text = render(t.text, e, node);
        if (text === undefined) continue;
        layers.push({ type: 'inline', source: text === t.text ? t : { ...t, text, exact: false }, at });
        continue;
      }
      const raw = str(node);
      if (raw === undefined) continue;
      const rendered = render(raw, e, node);
      if (rendered === undefined) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rendered) || rendered.startsWith('git::')) {
        findings.push(finding(at, 'info', 'gitops.remote-values-file', `${rendered} is fetched by helmfile; it is not read offline`));
        continue;
      }
      const path = joinPath(baseDir, rendered);
      if (path === undefined) {
        findings.push(finding(at, 'error', 'gitops.path-outside-workspace', `${rendered} leaves the workspace`));
        continue;
      }
      if (isGlob(path) && !secrets) {
        const matches = ctx.index.glob(path).sort();
        if (matches.length === 0) missing(at, `values files matching ${rendered}`);
        for (const p of matches) {
          const l = fileLayer(ctx, p, at, false, tctx, findings);
          if (l) layers.push(l);
        }
        continue;
      }
      if (isGlob(path)) {
        findings.push(finding(at, 'error', 'gitops.glob-in-secrets', 'glob patterns in release secret files are not supported by helmfile'));
        continue;
      }
      if (!ctx.index.isFile(path)) {
        missing(at, `${secrets ? 'secrets' : 'values'} file ${path}`);
        continue;
      }
      const l = fileLayer(ctx, path, at, secrets, tctx, findings);
      if (l) layers.push(l);
    }
  };
  fileLayers(field('values'), false);
  fileLayers(field('secrets'), true);
  for (const [key, flag] of [['set', 'set'], ['setString', 'set-string']] as const) {
    for (const { e, node } of field(key)) {
      if (isBad(e, node)) continue;
      const name = str(get(node, 'name'));
      if (name === undefined) continue;
      const valueNode = get(node, 'value');
      const fileNode = get(node, 'file');
      const listNode = get(node, 'values');
      if (valueNode !== undefined && str(valueNode) !== undefined && str(valueNode) !== '') {
        const v = render(str(valueNode) as string, e, valueNode);
        if (v !== undefined) layers.push({ type: flag, arg: `${escape(name)}=${escape(v)}`, at: locOf(e.m, valueNode) });
      } else if (fileNode !== undefined && flag === 'set') {
        const f = render(str(fileNode) ?? '', e, fileNode);
        const p = f === undefined ? undefined : joinPath(baseDir, f);
        if (p === undefined) continue;
        if (!ctx.index.isFile(p)) missing(locOf(e.m, fileNode), `file ${p} for --set-file ${name}`);
        layers.push({ type: 'set-file', arg: `${escape(name)}=${p}`, at: locOf(e.m, fileNode) });
      } else if (isSeq(listNode)) {
        const vals = items(listNode).map((n) => render(str(n) ?? '', e, n));
        if (vals.some((v) => v === undefined)) continue;
        layers.push({ type: flag, arg: `${escape(name)}={${vals.map((v) => escape(v as string)).join(',')}}`, at: locOf(e.m, listNode) });
      }
    }
  }
  // Helm applies --set before --set-file whatever the order in the manifest.
  const order = { file: 0, inline: 0, 'set-json': 1, set: 2, 'set-string': 3, 'set-file': 4, 'set-literal': 5 } as const;
  layers.sort((a, b) => order[a.type] - order[b.type]);
  const chart = chartOf(ctx, state, baseDir, chartRaw, str(get(rel.node, 'version')), locOf(m, get(rel.node, 'chart') ?? rel.node), findings);
  return { name: `${envName}/${releaseName}`, kind: 'helmfile', chart, definedAt, layers, findings };
}

function exceptKeys(node: Node, except: Array<string | undefined>): Node {
  if (except.length === 0 || !isMap(node)) return node;
  const copy = node.clone() as typeof node;
  copy.items = copy.items.filter((p) => !(isScalar(p.key) && except.includes(String((p.key as Scalar).value))));
  return copy;
}

function fileLayer(ctx: DiscoveryContext, path: string, at: SourceLocation, secrets: boolean, tctx: TemplateContext, findings: GitopsFinding[]): Layer | undefined {
  const text = ctx.read(path) ?? '';
  if (path.endsWith('.gotmpl')) {
    const r = renderTemplate(text, tctx);
    if (r.problems.length > 0) {
      reportTemplateProblems(path, r, 0, findings, 'this values file is skipped');
      findings.push(finding(at, 'warning', 'gitops.template-unsupported', `${path} cannot be rendered offline (see the findings in that file); the layer is skipped`));
      return undefined;
    }
    return { type: 'file', path, at, ...(r.changed ? { text: r.text } : {}) };
  }
  if (secrets && /^sops:\s*$/m.test(text)) return { type: 'file', path, at, sops: true };
  return { type: 'file', path, at };
}

function chartOf(ctx: DiscoveryContext, state: State, baseDir: string, chart: string | undefined, version: string | undefined, at: SourceLocation, findings: GitopsFinding[]): ChartLocation {
  if (chart === undefined) {
    findings.push(finding(at, 'warning', 'gitops.no-chart', 'this release names no chart'));
    return { type: 'unknown', reason: 'no chart' };
  }
  if (chart.startsWith('oci://')) {
    const remote = ctx.remoteChart(chart, basename(chart), version);
    if (!remote.cached) findings.push(finding(at, 'info', 'gitops.chart-not-local', remoteChartNote(remote)));
    return remote;
  }
  const slash = chart.indexOf('/');
  const repo = slash > 0 ? state.repositories.get(chart.slice(0, slash)) : undefined;
  const local = joinPath(baseDir, chart);
  if (!repo && (chart.startsWith('.') || chart.startsWith('/') || (local !== undefined && ctx.index.isDir(local)))) {
    if (local !== undefined && ctx.isChartDir(local)) return { type: 'local', dir: local };
    const exists = local !== undefined && ctx.index.isDir(local);
    findings.push(finding(at, 'warning', 'gitops.no-chart-yaml', exists ? `${local} has no Chart.yaml; point \`chart:\` at the chart's directory` : `chart directory ${local ?? chart} is not in this workspace; point \`chart:\` at a directory with a Chart.yaml`));
    return { type: 'unknown', reason: `${local ?? chart} has no Chart.yaml` };
  }
  if (repo) {
    const name = chart.slice(slash + 1);
    const remote = ctx.remoteChart(repo.oci ? `oci://${repo.url}/${name}` : repo.url, name, version);
    if (!remote.cached) findings.push(finding(at, 'info', 'gitops.chart-not-local', remoteChartNote(remote)));
    return remote;
  }
  findings.push(finding(at, 'info', 'gitops.chart-not-local', `chart ${chart} comes from a repository not declared in this helmfile (or a source helmfile fetches); it cannot be located offline`));
  return { type: 'unknown', reason: `${chart} cannot be located offline` };
}
