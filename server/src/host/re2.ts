import { RE2JS } from 're2js';

/**
 * RE2 behind ajv's RegExp interface: linear-time matching for `pattern` and `patternProperties`. The compiler gives it
 * to ajv (`code.regExp`) and the schema interpreter matches `pattern` with it, so both match alike.
 */
export function re2(pattern: string, flags: string): { test: (s: string) => boolean; toString: () => string } {
  const compiled = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
  // ajv keys its cache of compiled patterns by toString(): it must differ per pattern.
  return { test: (s: string) => compiled.test(s), toString: () => `/${pattern}/${flags}` };
}
// How the standalone code names this function: `loadStandalone` provides it under that module name.
re2.code = 'require("helm-values:re2").default';
