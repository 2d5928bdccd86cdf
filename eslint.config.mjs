// ESLint flat config: typescript-eslint's recommended rules, plus the import boundaries of the architecture
// (docs: style guide, "Keep the service's import boundary mechanical").
//   server/src/service/**  pure language service: no LSP, no vscode, no Node built-ins (no IO), no host/lsp/cli/server.ts
//   server/src/host/**     may touch the file system, but knows nothing of vscode
//   client/**              talks to the server over LSP only; may share server/src/protocol.ts, no other server module
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const linted = ['client/src/**', 'server/src/**', 'test/**', 'bench/**', 'scripts/**'].flatMap((dir) => [
  `${dir}/*.ts`,
  `${dir}/*.mts`,
  `${dir}/*.cts`,
  `${dir}/*.js`,
  `${dir}/*.mjs`,
  `${dir}/*.cjs`,
]);

const languageServerPackages = {
  group: ['vscode-languageserver', 'vscode-languageserver/**', 'vscode-languageserver-*', 'vscode-languageserver-*/**'],
  message: 'The language service knows nothing of LSP: only server/src/lsp and server/src/server.ts do.',
};
const vscodeModule = { name: 'vscode', message: 'Only the client (client/src) may import vscode.' };
const nodeBuiltins = {
  group: ['node:*', ...builtinModules.flatMap((m) => [m, `${m}/**`])],
  message: 'The language service does no IO: file access belongs to server/src/host, which hands the service plain inputs.',
};

// Pure functions of a snapshot: no timers, no process state, no dynamic loading.
const serviceGlobals = ['setTimeout', 'setInterval', 'setImmediate', 'process', 'require', '__dirname', '__filename'].map((name) => ({
  name,
  message: 'The language service is a pure function of its inputs: timers, process state and loading belong to the host or the adapter.',
}));

/**
 * server/src/service files at depth `depth` below the service folder reach server/src with `depth + 1` `..`
 * segments; anything there other than service/ is forbidden (host, lsp, cli, server.ts).
 */
function serviceOutwardImports(depth) {
  const up = '../'.repeat(depth + 1);
  return {
    group: [
      `${up}host`, `${up}host/**`,
      `${up}lsp`, `${up}lsp/**`,
      `${up}cli`, `${up}cli/**`,
      `${up}server`, `${up}server.ts`,
      '**/server/src/host', '**/server/src/host/**',
      '**/server/src/lsp', '**/server/src/lsp/**',
      '**/server/src/cli', '**/server/src/cli/**',
    ],
    message: 'The language service may not depend on the host, the LSP adapter or the CLI: they call it, never the reverse.',
  };
}

/**
 * No module-level mutable state in the service (style guide: caches belong to the document, the analysis, or the
 * ServiceCaches object the host owns; a module-level cache has no owner and is never cleared). At the top level of a
 * module: no `let`/`var`, no WeakMap/WeakSet/WeakRef, no empty Map/Set to fill later, no instances of classes.
 * Constant lookup tables (`new Set([...])` of words, typed arrays of constants, RegExps) stay allowed.
 */
const topLevel = ['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration'];
const moduleState = [
  ...topLevel.map((d) => ({
    selector: `${d}[kind!='const']`,
    message: 'No module-level mutable state in the service: keep it on the document (doc.memo), the analysis (analysis.memo) or the host-owned ServiceCaches (memoKey).',
  })),
  ...topLevel.map((d) => ({
    selector: `${d} > VariableDeclarator > NewExpression[callee.name=/^Weak(Map|Set|Ref)$/]`,
    message: 'A module-level WeakMap is a cache without an owner: put it on the document (doc.memo), the analysis (analysis.memo) or the host-owned ServiceCaches (memoKey).',
  })),
  ...topLevel.map((d) => ({
    selector: `${d} > VariableDeclarator > NewExpression[callee.name=/^(Map|Set)$/][arguments.length=0]`,
    message: 'A module-level empty Map/Set is a cache without an owner: put it on the document (doc.memo), the analysis (analysis.memo) or the host-owned ServiceCaches (memoKey).',
  })),
  ...topLevel.map((d) => ({
    selector: `${d} > VariableDeclarator > NewExpression:not([callee.name=/^(Map|Set|Weak(Map|Set|Ref)|RegExp|TextDecoder|TextEncoder|(Int|Uint|Float)(8|16|32|64)Array)$/])`,
    message: 'A module-level object instance is shared state without an owner: create it per call, or keep it in the host-owned ServiceCaches (memoKey).',
  })),
];

// Rule options replace each other between config objects, so each depth gets the complete list.
const serviceBoundaries = [0, 1, 2, 3, 4, 5].map((depth) => ({
  name: `helm-values/service-boundary-depth-${depth}`,
  files: [`server/src/service/${'*/'.repeat(depth)}*.{ts,mts,cts,js,mjs,cjs}`],
  rules: {
    'no-restricted-imports': ['error', {
      paths: [vscodeModule],
      patterns: [languageServerPackages, nodeBuiltins, serviceOutwardImports(depth)],
    }],
    'no-restricted-globals': ['error', ...serviceGlobals],
    'no-restricted-syntax': ['error', ...moduleState],
  },
}));

export default defineConfig(
  {
    name: 'helm-values/ignores',
    ignores: ['dist/**', 'dist-test/**', '**/node_modules/**', 'test/fixtures/**', '.e2e-tools/**', 'test-artifacts/**', 'bench/out/**', 'bench/results/**', '*.vsix', '**/_*.ts', '**/*.tmp.ts'],
  },
  {
    name: 'helm-values/typescript',
    files: linted,
    extends: [tseslint.configs.recommended],
  },
  ...serviceBoundaries,
  {
    // The wire contract declares each request as `namespace X { method; Params; Result }` (style guide).
    name: 'helm-values/protocol',
    files: ['server/src/protocol.ts'],
    rules: { '@typescript-eslint/no-namespace': 'off' },
  },
  {
    name: 'helm-values/host-boundary',
    files: ['server/src/host/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeModule] }],
    },
  },
  {
    name: 'helm-values/client-boundary',
    files: ['client/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          // Any path through a `server` folder, except server/src/protocol(.ts).
          regex: '(^|/)server(/(?!src/protocol(\\.ts)?$)|$)',
          message: 'The client talks to the server over LSP; share types only through server/src/protocol.ts.',
        }],
      }],
    },
  },
);
