// Addresses of the read-only documents the client shows: effective values (scheme `helm-values`, one per chart,
// environment and annotation mode) and key explanations (scheme `helm-values-explain`, markdown).
import { Uri } from 'vscode';

export const EFFECTIVE_VALUES_SCHEME = 'helm-values';
export const EXPLAIN_SCHEME = 'helm-values-explain';

export interface EffectiveValuesAddress {
  /** Absolute chart directory. */
  chartDir: string;
  chartName: string;
  environment: string;
  /** Each leaf annotated with the layer it came from (off for comparisons, where it would only add noise). */
  annotate: boolean;
  /** A git revision: the values at that commit (Compare Effective Values with HEAD); absent: the working tree. */
  revision?: string;
}

/** `helm-values:/webapp/prod.effective.yaml?chart=/abs/webapp&env=prod&annotate=1`: the `.yaml` path gives the language. */
export function effectiveValuesUri(a: EffectiveValuesAddress): Uri {
  const query = new URLSearchParams({ chart: a.chartDir, name: a.chartName, env: a.environment, annotate: a.annotate ? '1' : '0', ...(a.revision !== undefined ? { rev: a.revision } : {}) });
  const safe = (s: string): string => s.replace(/[/\\?#]/g, '_');
  const at = a.revision !== undefined ? `@${safe(a.revision)}` : '';
  return Uri.from({ scheme: EFFECTIVE_VALUES_SCHEME, path: `/${safe(a.chartName)}/${safe(a.environment)}${at}.effective.yaml`, query: query.toString() });
}

export function parseEffectiveValuesUri(uri: Uri): EffectiveValuesAddress | undefined {
  if (uri.scheme !== EFFECTIVE_VALUES_SCHEME) return undefined;
  const q = new URLSearchParams(uri.query);
  const chartDir = q.get('chart');
  const environment = q.get('env');
  if (!chartDir || !environment) return undefined;
  const revision = q.get('rev');
  return { chartDir, chartName: q.get('name') ?? '', environment, annotate: q.get('annotate') !== '0', ...(revision !== null ? { revision } : {}) };
}
