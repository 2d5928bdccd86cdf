// The findings a values file's keys and scalars can earn, phrased once for both readers of values files (the fast
// block reader and the composer-based one), so the two say exactly the same thing.
import type { Severity, Value } from '../types';
import { goFormatFloat, rendersDifferently, type ResolvedScalar } from './scalars';

/** What to report, before it is placed in a file. */
export interface FindingText {
  severity: Severity;
  code: string;
  message: string;
}

/** The finding a plain scalar earns, given how Helm resolved it; undefined when Helm reads it as anyone would. */
export function plainScalarFinding(r: ResolvedScalar, source: string): FindingText | undefined {
  if (r.surprise === 'yaml11-boolean') {
    return { severity: 'warning', code: 'helm.yaml11-boolean', message: `"${source}" is read by Helm as the boolean ${String(r.value)} (YAML 1.1), not as a string. Quote it ("${source}") if you mean the text.` };
  }
  if (r.surprise === 'yaml11-octal') {
    return { severity: 'warning', code: 'helm.yaml11-octal', message: `${source} has a leading zero, so Helm reads it as the octal number ${String(r.value)}. Quote it ("${source}") for the text, or drop the zero for decimal.` };
  }
  if (r.surprise === 'yaml11-base' && /_|^[-+]?0[bB]/.test(source)) {
    return { severity: 'info', code: 'helm.yaml11-number', message: `${source} is read by Helm as the number ${String(r.value)} (YAML 1.1); YAML 1.2 tools read it as a string.` };
  }
  if (r.kind === 'nonfinite') {
    return { severity: 'error', code: 'helm.nonfinite-number', message: `${source} is an infinite or NaN float, which Helm cannot convert to JSON: installing fails with "unsupported value". Quote it if you mean the text.` };
  }
  if (typeof r.value === 'number' && rendersDifferently(r.value)) {
    return { severity: 'info', code: 'helm.float-rendering', message: `${source} reaches templates as a float64 and renders as ${goFormatFloat(r.value)} in {{ .Values... }}; quote it, or pipe it through int in the template.` };
  }
  return undefined;
}

/** A plain key that YAML 1.1 reads as a boolean, so the key Helm sees is "true" or "false". */
export function booleanKeyFinding(source: string, value: boolean): FindingText {
  return { severity: 'warning', code: 'helm.yaml11-key', message: `Key "${source}" is read by Helm as the boolean ${value} (YAML 1.1), so the key becomes "${value}". Quote it: "${source}":` };
}

/** A key repeated in one map: the later one (whose value starts on `keptLine`) wins. */
export function duplicateKeyFinding(key: string, keptLine: number, droppedLine: number): FindingText {
  return { severity: 'warning', code: 'yaml.duplicate-key', message: `Duplicate key "${key}": Helm silently keeps the last one (line ${keptLine}), dropping the one on line ${droppedLine}.` };
}

/** The JSON object key Helm (sigs.k8s.io/yaml) makes of a resolved scalar map key. */
export function mapKeyString(v: Value): string {
  if (v === null) return 'null';
  return typeof v === 'number' ? goFormatFloat(v) : String(v);
}
