// GitOps discovery: the deployments that Argo CD Applications/ApplicationSets, Flux HelmReleases (with their
// kustomize overlays) and helmfile releases declare in a workspace, each as an environment whose layers are in the
// tool's exact order. Pure: the host lists and reads the files (filter them with `isScannedPath`).
import { readArgo } from './argocd';
import { DiscoveryContext } from './context';
import { readFlux } from './flux';
import { isHelmfilePath, readHelmfiles } from './helmfile';
import { isScannedPath } from './paths';
import type { DiscoveredEnvironment, GitopsDiscovery, GitopsFinding, GitopsWorkspace } from './types';

const ARGO_HINT = /^kind:\s*["']?Application(Set)?\b/m;
const FLUX_HINT = /^kind:\s*["']?(HelmRelease|Kustomization|ConfigMap|Secret|HelmRepository|OCIRepository|HelmChart|GitRepository|Bucket)\b/m;
const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;

/**
 * Whether discovery reads a file with this text as a manifest (an Argo CD, Flux or kustomize resource, a kustomization
 * or a helmfile): a host that gives open texts uses it to know which unsaved edits can change the environments.
 */
export function isManifestText(file: string, text: string): boolean {
  return isHelmfilePath(file) || KUSTOMIZATION_FILE.test(file) || ARGO_HINT.test(text) || FLUX_HINT.test(text);
}

export function discoverEnvironments(ws: GitopsWorkspace): GitopsDiscovery {
  const ctx = new DiscoveryContext(ws);
  const environments: DiscoveredEnvironment[] = [];
  const findings: GitopsFinding[] = [];
  const fluxFiles: string[] = [];
  const helmfiles: string[] = [];
  for (const file of ctx.index.files) {
    if (!isScannedPath(file, (d) => ctx.isChartDir(d))) continue;
    if (isHelmfilePath(file)) {
      helmfiles.push(file);
      continue;
    }
    if (!/\.ya?ml$/.test(file) || ws.knownPlain?.(file) === true) continue;
    const text = ctx.read(file);
    if (text === undefined) continue;
    if (ARGO_HINT.test(text)) {
      for (const m of ctx.docs(file)) {
        const r = readArgo(ctx, m);
        environments.push(...r.environments);
        findings.push(...r.findings);
      }
    }
    if (KUSTOMIZATION_FILE.test(file) || FLUX_HINT.test(text)) fluxFiles.push(file);
  }
  const flux = readFlux(ctx, fluxFiles);
  environments.push(...flux.environments);
  findings.push(...flux.findings);
  const hf = readHelmfiles(ctx, helmfiles);
  environments.push(...hf.environments);
  findings.push(...hf.findings);
  for (const [, parsed] of ctx.allParsed()) findings.push(...parsed.findings);
  uniqueNames(environments);
  for (const e of environments) findings.push(...e.findings);
  return { environments, findings: dedupe(findings).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column)) };
}

/** Two deployments with one name (the same Application name in two folders) get their file appended. */
function uniqueNames(envs: DiscoveredEnvironment[]): void {
  const count = new Map<string, number>();
  for (const e of envs) count.set(e.name, (count.get(e.name) ?? 0) + 1);
  for (const e of envs) if ((count.get(e.name) ?? 0) > 1) e.name = `${e.name} (${e.definedAt.file}:${e.definedAt.line})`;
  const again = new Map<string, number>();
  for (const e of envs) {
    const n = (again.get(e.name) ?? 0) + 1;
    again.set(e.name, n);
    if (n > 1) e.name = `${e.name} #${n}`;
  }
}

function dedupe(list: GitopsFinding[]): GitopsFinding[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const k = `${f.file}:${f.line}:${f.column}:${f.code}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
