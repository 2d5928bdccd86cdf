// From a discovered environment to the engine's flat `Environment` (values files, then --set* lists), for what that
// shape can express. What it cannot express is returned as `dropped`, each with the reason, so the caller can say
// that the merge is partial:
//   - inline values (Argo CD values/valuesObject, HelmRelease spec.values, ConfigMap keys, helmfile inline maps):
//     the engine needs a layer kind "values document at (file, line, column)" (InlineText serves it);
//   - Flux valuesFiles, which replace the chart's values.yaml instead of going over it: the engine needs
//     "defaults = these files" in place of the chart's values.yaml;
//   - a layer after a `--set` layer (Flux applies valuesFrom in list order, so a targetPath can come before a file):
//     the flat shape always applies files before flags; the engine needs an ordered list of layers;
//   - kustomize patches of spec.values (merge 'merge-patch'): a JSON merge patch, where null removes the key;
//   - helmfile SOPS secrets (keys without values) and rendered `.gotmpl` values files (content differs from the file).
import type { Environment } from '../chart/environments';
import type { DiscoveredEnvironment, Layer } from './types';

export interface ConvertedEnvironment {
  environment: Environment;
  dropped: Array<{ layer: Layer; reason: string }>;
}

const FLAG_FIELD = { set: 'set', 'set-string': 'setString', 'set-json': 'setJson', 'set-file': 'setFile', 'set-literal': 'setLiteral' } as const;

export function toEnvironment(env: DiscoveredEnvironment): ConvertedEnvironment {
  const chartDir = env.chart.type === 'local' ? env.chart.dir : undefined;
  const out: Environment = { name: env.name, origin: 'config', values: [], set: [], setString: [], setJson: [], setFile: [], setLiteral: [] };
  const dropped: ConvertedEnvironment['dropped'] = [];
  let sawFlag = false;
  for (const layer of env.layers) {
    if (layer.type === 'inline') {
      dropped.push({ layer, reason: layer.merge === 'merge-patch' ? 'a kustomize merge patch of spec.values' : 'inline values in a manifest' });
      continue;
    }
    if (layer.type === 'file') {
      if (layer.replacesChartDefaults) dropped.push({ layer, reason: "Flux valuesFiles replace the chart's values.yaml" });
      else if (layer.sops) dropped.push({ layer, reason: 'SOPS-encrypted values (keys only)' });
      else if (layer.text !== undefined) dropped.push({ layer, reason: 'a rendered .gotmpl values file' });
      else if (sawFlag) dropped.push({ layer, reason: 'a values layer after a --set layer (Flux valuesFrom order)' });
      else out.values.push(layer.inChart ? layer.path : relativeTo(chartDir, layer.path));
      continue;
    }
    sawFlag = true;
    const field = FLAG_FIELD[layer.type];
    if (layer.type === 'set-file') {
      const eq = layer.arg.indexOf('=');
      out.setFile.push(`${layer.arg.slice(0, eq)}=${relativeTo(chartDir, layer.arg.slice(eq + 1))}`);
    } else out[field].push(layer.arg);
  }
  return { environment: out, dropped };
}

/** `file` (workspace-relative) as a path relative to `dir`; workspace-relative with a leading `/` when no chart dir. */
export function relativeTo(dir: string | undefined, file: string): string {
  if (dir === undefined) return `/${file}`;
  const from = dir === '' ? [] : dir.split('/');
  const to = file.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/** One environment as the CLI's `environments -o json` lists it (issue 9): layers by type, with file/line/arg. */
export interface EnvironmentJson {
  name: string;
  /** A discovered environment's tool, or how a chart's own environment is known (configuration, file name, defaults). */
  kind: DiscoveredEnvironment['kind'] | 'config' | 'convention' | 'default';
  /** The chart's directory (workspace-relative) when it is in the workspace, else null. */
  chart: string | null;
  /** Where the manifest declares it; null for a chart's own environments. */
  definedAt: { file: string; line: number } | null;
  layers: Array<{ type: Layer['type']; file?: string; line?: number; arg?: string }>;
  findings: DiscoveredEnvironment['findings'];
}

export function environmentJson(env: DiscoveredEnvironment): EnvironmentJson {
  return {
    name: env.name,
    kind: env.kind,
    chart: env.chart.type === 'local' ? env.chart.dir : null,
    definedAt: { file: env.definedAt.file, line: env.definedAt.line },
    layers: env.layers.map((l) =>
      l.type === 'file' ? { type: 'file', file: l.path } : l.type === 'inline' ? { type: 'inline', file: l.at.file, line: l.at.line } : { type: l.type, file: l.at.file, line: l.at.line, arg: l.arg },
    ),
    findings: env.findings,
  };
}
