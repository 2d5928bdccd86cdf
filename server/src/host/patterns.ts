// Compiling a user's regular expression (from settings) can throw: the host does it and reports failures.
export function compileUserPattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
