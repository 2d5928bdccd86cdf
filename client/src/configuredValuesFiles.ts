// The values files that `helmValues.environments` names, as patterns the client can select documents and watch files
// by, and the chart templates the client selects. Pure (no vscode), so the unit tests call it directly.
import * as path from 'node:path';

/**
 * The values files of configured environments (`{ chart?, values? }[]`, the raw setting of one workspace folder):
 * `chart/file` (relative to the folder) when the environment names its chart, `**\/file` when it applies to every
 * chart of the folder, an absolute `/`-separated path when the file is absolute or lies outside the folder. Entries
 * that are not strings are skipped (the server reports them). Sorted, without duplicates.
 */
export function configuredValuesFiles(environments: unknown, folder: string): string[] {
  const out = new Set<string>();
  const slashes = (p: string): string => p.replaceAll('\\', '/');
  for (const env of Array.isArray(environments) ? environments : []) {
    if (env === null || typeof env !== 'object') continue;
    const { chart, values } = env as { chart?: unknown; values?: unknown };
    for (const file of Array.isArray(values) ? values : []) {
      if (typeof file !== 'string' || file.trim() === '') continue;
      if (path.posix.isAbsolute(slashes(file)) || path.win32.isAbsolute(file)) {
        out.add(path.posix.normalize(slashes(file)));
      } else if (typeof chart === 'string' && chart.trim() !== '') {
        const relative = path.posix.normalize(path.posix.join(slashes(chart), slashes(file)));
        out.add(relative.startsWith('../') ? path.posix.join(slashes(folder), relative) : relative);
      } else {
        // Relative to whichever chart it applies to: at any depth below the folder (`../` parts are dropped).
        out.add(`**/${path.posix.normalize(slashes(file)).replace(/^(\.\.\/)+/, '')}`);
      }
    }
  }
  return [...out].sort();
}

/**
 * Chart templates, in whatever language another extension gives them (`helm` from the Kubernetes extension,
 * `go-template`, plain `yaml`; `_helpers.tpl` and NOTES.txt as plain text without one): the server answers hovers,
 * definitions and completions on `.Values` references there. Selecting a document changes nothing of its language.
 */
export const TEMPLATE_DOCUMENTS: readonly { scheme: 'file'; language: string; pattern: string }[] = [
  ...['helm', 'go-template', 'yaml'].map((language) => ({ scheme: 'file' as const, language, pattern: '**/templates/**' })),
  { scheme: 'file', language: 'plaintext', pattern: '**/templates/**/*.{tpl,txt}' },
];

/** Template files: an edit on disk changes which keys the chart reads. */
export const TEMPLATE_FILES_GLOB = '**/templates/**';
