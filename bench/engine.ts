// What the benchmark calls in process, bundled by bench/lib/build.mjs into bench/out/engine.cjs (esbuild, like dist/):
// the service and host functions whose cost we split (parse, load, merge, check), the CLI's `run` for whole commands
// without process start, the language server's Workspace for the per-edit recomputation, and the protocol tests'
// LSP client for driving real servers.
import { NEWEST_RELEASE } from '../server/src/service/helm/versions';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { run } from '../server/src/cli/main';
import { readChartDir } from '../server/src/host/chartReader';
import { loadChartAt, valuesResolver } from '../server/src/host/project';
import { Workspace, type OpenDocument } from '../server/src/lsp/workspace';
import { Settings } from '../server/src/protocol';
import { createServiceCaches } from '../server/src/service/caches';
import { loadChart } from '../server/src/service/chart/chartModel';
import { computeEffective } from '../server/src/service/helm/effective';
import { DocumentCache } from '../server/src/service/yaml/documentCache';
import { templateChartOf } from '../server/src/service/templates/chartTemplates';
import { buildTemplateIndex, type TemplateChartInput, type TemplateIndex } from '../server/src/service/templates/templateIndex';
import { parseValuesDocument } from '../server/src/service/yaml/valuesDocument';

export { LspClient, positionAt, offsetAt, uriOf } from '../test/protocol/lspClient';

/** parseValuesDocument on a text; returns the number of keys (so the work cannot be optimized away). */
export function parse(file: string, text: string): number {
  return parseValuesDocument(file, text).entries.length;
}

/** Reads the chart directory from disk (texts only) and builds the model (parses values.yaml and subcharts). */
export function loadFromDisk(chartDir: string): number {
  return loadChart(readChartDir(chartDir, { displayDir: chartDir }), new DocumentCache()).subcharts.length;
}

/** A chart with its overlays parsed once, for timing the merge alone. */
export interface Prepared {
  merge(): number;
}

export function prepareMerge(chartDir: string, overlays: readonly string[]): Prepared {
  const chart = loadChartAt(chartDir, chartDir);
  const resolve = valuesResolver(chart, chartDir, chartDir);
  const files = overlays.map((o) => {
    const r = resolve(o);
    if ('error' in r) throw new Error(r.error);
    return r;
  });
  // One host-owned cache across merges, as the language server keeps one per session.
  const caches = createServiceCaches();
  return {
    merge: () => {
      const eff = computeEffective(chart.model, { files, set: [], setString: [], setJson: [], setFile: [], setLiteral: [] }, NEWEST_RELEASE[4], caches);
      if (eff.error) throw new Error(eff.error.message);
      return Object.keys(eff.values).length;
    },
  };
}

/**
 * Effective values with provenance from the files on disk, nothing cached: read + parse the chart and the overlays,
 * then merge. Returns the phase times in ms.
 */
export function effectiveFromDisk(chartDir: string, overlays: readonly string[]): { load: number; overlays: number; merge: number; total: number } {
  const t0 = performance.now();
  const chart = loadChartAt(chartDir, chartDir);
  const t1 = performance.now();
  const resolve = valuesResolver(chart, chartDir, chartDir);
  const files = overlays.map((o) => {
    const r = resolve(o);
    if ('error' in r) throw new Error(r.error);
    return r;
  });
  const t2 = performance.now();
  const eff = computeEffective(chart.model, { files, set: [], setString: [], setJson: [], setFile: [], setLiteral: [] }, NEWEST_RELEASE[4]);
  const t3 = performance.now();
  if (eff.error) throw new Error(eff.error.message);
  return { load: t1 - t0, overlays: t2 - t1, merge: t3 - t2, total: t3 - t0 };
}

/** The CLI in process: exit code and the size of what it printed. */
export function runCli(argv: string[]): { code: number; outChars: number; errChars: number } {
  let outChars = 0;
  let errChars = 0;
  const code = run(
    argv,
    (s) => {
      outChars += s.length + 1;
    },
    (s) => {
      errChars += s.length + 1;
    },
  );
  return { code, outChars, errChars };
}

/**
 * The language server's work after an edit, in process: a Workspace with `open` files, one of which (`edited`)
 * alternates between its text and `alternate`; each `step()` bumps the version, takes the snapshot and computes
 * every finding of the chart, as publishChart does (`first`: what it publishes first after an edit, everything but
 * `helm.version-dependent`). Returns the number of findings.
 */
export function serverEditLoop(chartDir: string, open: readonly string[], edited: string, alternate: string, phase: 'first' | 'complete' = 'complete'): { step: () => number } {
  let docs = new Map<string, OpenDocument>();
  for (const f of open) docs.set(path.resolve(chartDir, f), { text: readText(path.resolve(chartDir, f)), version: 1 });
  const abs = path.resolve(chartDir, edited);
  const original = docs.get(abs)?.text ?? readText(abs);
  const ws = new Workspace(() => docs);
  ws.roots = [chartDir];
  const settings = Settings.from({});
  let flip = false;
  return {
    step: () => {
      flip = !flip;
      const prev = docs.get(abs);
      // A new map, as the server hands out after a change (the workspace keeps a snapshot while the map is the same).
      docs = new Map(docs).set(abs, { text: flip ? alternate : original, version: (prev?.version ?? 0) + 1 });
      const { analysis } = ws.snapshot(chartDir, settings);
      return (phase === 'first' ? analysis.findingsFirst() : analysis.findings()).length;
    },
  };
}

function readText(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

export { discoverWorkspace } from '../server/src/host/gitops';

/**
 * The template index of a chart read from disk (texts read once, not timed): `build()` makes it from nothing (every
 * file parsed and resolved), `update()` rebuilds it after one template changed (the text of `templates/<changed>`
 * alternates between two versions), from the previous index, as the server does after an edit.
 */
export function prepareTemplates(chartDir: string, changed = 'prometheus/prometheus.yaml'): { build(): number; update(): number } {
  const input = templateChartOf(loadChart(readChartDir(chartDir, { displayDir: chartDir }), new DocumentCache()));
  const target = input.templates.find((t) => t.path.endsWith(`templates/${changed}`));
  if (!target) throw new Error(`no templates/${changed} in ${chartDir}`);
  const edited = (n: number): TemplateChartInput => ({
    ...input,
    templates: input.templates.map((t) => (t === target ? { path: t.path, text: `${t.text}\n{{- /* edit ${n % 2} */}}\n` } : t)),
  });
  let previous: TemplateIndex | undefined;
  let n = 0;
  return {
    build: () => buildTemplateIndex(input).usages.length,
    update: () => {
      previous ??= buildTemplateIndex(input);
      previous = buildTemplateIndex(edited(n++), previous);
      return previous.usages.length;
    },
  };
}
