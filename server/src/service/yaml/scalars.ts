// How Helm reads a YAML scalar: go-yaml v2's resolver (YAML 1.1 booleans, base-prefixed and leading-zero octal
// integers, timestamps kept as strings) followed by sigs.k8s.io/yaml's YAML -> JSON step (every number a float64).

export type ScalarKind = 'null' | 'bool' | 'int' | 'float' | 'string' | 'nonfinite';

export interface ResolvedScalar {
  value: null | boolean | number | string;
  kind: ScalarKind;
  /** Set when a YAML 1.2 reader (and most people) would read the scalar differently from Helm. */
  surprise?: 'yaml11-boolean' | 'yaml11-octal' | 'yaml11-base';
}

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const YAML12_BOOLS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const NONFINITE = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
// go-yaml v2's yamlStyleFloat.
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// Go's strconv.ParseInt/ParseUint with base 0 (after go-yaml removed every underscore).
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;

function goParseInt(plain: string): bigint | undefined {
  if (!GO_INT.test(plain)) return undefined;
  const negative = plain.startsWith('-');
  const body = plain.replace(/^[-+]/, '');
  let n: bigint;
  if (/^0[xX]/.test(body)) n = BigInt('0x' + body.slice(2));
  else if (/^0[bB]/.test(body)) n = BigInt('0b' + body.slice(2));
  else if (/^0[oO]/.test(body)) n = BigInt('0o' + body.slice(2));
  else if (body.length > 1 && body.startsWith('0')) n = BigInt('0o' + body.slice(1));
  else n = BigInt(body);
  if (negative) n = -n;
  if (n > UINT64_MAX || n < -INT64_MAX - 1n) return undefined;
  if (negative && n > 0n) return undefined;
  return n;
}

/** Resolves a plain (unquoted, untagged) scalar's source text the way Helm does. */
export function resolvePlainScalar(source: string): ResolvedScalar {
  if (NULL_WORDS.has(source)) return { value: null, kind: 'null' };
  if (TRUE_WORDS.has(source)) return { value: true, kind: 'bool', ...(YAML12_BOOLS.has(source) ? {} : { surprise: 'yaml11-boolean' as const }) };
  if (FALSE_WORDS.has(source)) return { value: false, kind: 'bool', ...(YAML12_BOOLS.has(source) ? {} : { surprise: 'yaml11-boolean' as const }) };
  if (NONFINITE.has(source)) return { value: source, kind: 'nonfinite' };
  const first = source.charCodeAt(0);
  const numeric = (first >= 48 && first <= 57) || source[0] === '-' || source[0] === '+' || source[0] === '.';
  if (!numeric) return { value: source, kind: 'string' };
  const plain = source.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) {
    const body = plain.replace(/^[-+]/, '');
    const surprise = /^0[0-7]+$/.test(body) ? 'yaml11-octal' : /^0[bBoO]/.test(body) || source.includes('_') ? 'yaml11-base' : undefined;
    return { value: Number(int), kind: 'int', ...(surprise ? { surprise } : {}) };
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { value: f, kind: 'float' };
  }
  return { value: source, kind: 'string' };
}

/**
 * Go's `%v` for a float64, which is what `{{ .Values.x }}` prints for a number read from a values file:
 * strconv's 'g' format with the shortest digits, which switches to exponent form when the decimal exponent is
 * below -4 or at least 6 (so 1000000 renders as `1e+06`, 1234567 as `1.234567e+06`).
 */
export function goFormatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(n);
}

/** True when a number read from a values file prints differently in a template than it reads in the file. */
export function rendersDifferently(n: number): boolean {
  return Number.isFinite(n) && goFormatFloat(n) !== String(n);
}
