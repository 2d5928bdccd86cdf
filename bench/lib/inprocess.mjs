// Section (a): the engine in process on kube-prometheus-stack (values.yaml, 6k lines, plus its CI overlays):
// parse (first call in a fresh process, and warm), load, merge with provenance, effective values from disk,
// check, and the language server's recomputation after an edit. Warm figures: median/p95 of N after a warm-up,
// a full GC before each sample (npm run bench passes --expose-gc).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { charts, kpsCiOverlays, kpsTwoOverlays, locate, BAD_VALUE } from './cases.mjs';
import { enginePath } from './build.mjs';
import { noiseMeter, stats, timeSync } from './stats.mjs';

const coldScript = fileURLToPath(new URL('./cold.mjs', import.meta.url));

function cold(mode, k, overlays = [], chart = charts.kps) {
  const runs = [];
  for (let i = 0; i < k; i++) {
    const r = spawnSync(process.execPath, [coldScript, enginePath, mode, chart, ...overlays], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold ${mode}: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  return runs;
}

export function runInProcess(engine, o, log) {
  const kps = charts.kps;
  const valuesFile = path.join(kps, 'values.yaml');
  const values = readFileSync(valuesFile, 'utf8');
  const overlayTexts = kpsCiOverlays.map((f) => [path.join(kps, f), readFileSync(path.join(kps, f), 'utf8')]);
  const N = o.inprocessReps;
  const W = o.inprocessWarmup;
  const rows = [];
  /** `timed`: an array of wall times, or timeSync's {wall, cpu, wait}. */
  const add = (name, timed, note = '', extra = {}) => {
    const t = Array.isArray(timed) ? { wall: timed } : timed;
    const s = stats(t.wall);
    rows.push({ name, ...s, cpu: t.cpu ? stats(t.cpu).median : undefined, wait: t.wait ? stats(t.wait).median : undefined, note, ...extra });
    log(`  ${name}: median ${s.median?.toFixed(1)} ms, p95 ${s.p95?.toFixed(1)} ms (n=${s.n})`);
  };
  log(`\n# in process: kube-prometheus-stack (${values.split('\n').length - 1} lines) + ${kpsCiOverlays.length} ci overlays`);
  const noise = noiseMeter();

  const coldParse = cold('parse', o.coldReps);
  add('parse values.yaml, cold (first call in a fresh process)', coldParse.map((r) => r.first), `module load ${stats(coldParse.map((r) => r.moduleLoad)).median.toFixed(0)} ms before it, not included`);
  add('parse values.yaml, warm', timeSync(() => engine.parse(valuesFile, values), { reps: N, warmup: W }), 'parseValuesDocument: YAML 1.1 values, key index, problems');
  add(`parse the ${kpsCiOverlays.length} ci overlays, warm`, timeSync(() => overlayTexts.forEach(([f, t]) => engine.parse(f, t)), { reps: N, warmup: W }));
  add('load chart from disk, warm', timeSync(() => engine.loadFromDisk(kps), { reps: N, warmup: W }), 'read Chart.yaml, values.yaml, subcharts; build the model');
  const prepared = engine.prepareMerge(kps, kpsCiOverlays);
  add('merge with provenance (parsed inputs), warm', timeSync(() => prepared.merge(), { reps: N, warmup: W }), `values.yaml + ${kpsCiOverlays.length} overlays, Helm 4`);

  const coldEff = cold('effective', o.coldReps, kpsCiOverlays);
  add('effective values from disk, cold (first call in a fresh process)', coldEff.map((r) => r.first), `load ${stats(coldEff.map((r) => r.load)).median.toFixed(0)} + overlays ${stats(coldEff.map((r) => r.overlays)).median.toFixed(0)} + merge ${stats(coldEff.map((r) => r.merge)).median.toFixed(0)} ms`);
  const phases = [];
  const eff = timeSync(() => phases.push(engine.effectiveFromDisk(kps, kpsCiOverlays)), { reps: N, warmup: W });
  const med = (k) => stats(phases.slice(W).map((p) => p[k])).median.toFixed(1);
  add('effective values from disk, warm', eff, `load ${med('load')} + overlays ${med('overlays')} + merge ${med('merge')} ms (no caches)`, { target: 'inprocessEffective' });

  const cliEffArgs = ['effective', kps, ...kpsTwoOverlays.flatMap((f) => ['-f', path.join(kps, f)]), '-o', 'json'];
  add('CLI `effective -f -f -o json` in process, warm', timeSync(() => engine.runCli(cliEffArgs), { reps: N, warmup: W }), 'as (b) without process start: + sorting and JSON output');
  const coldCheck = cold('check', o.coldReps);
  add('CLI `check` in process, cold (first call)', coldCheck.map((r) => r.first));
  add('CLI `check` in process, warm', timeSync(() => engine.runCli(['check', kps, '-o', 'json']), { reps: o.checkReps, warmup: 2 }), 'every environment (default + ci/*), both Helm versions');

  // Issue 10: the template index of kube-prometheus-stack with its 5 subcharts (test/fixtures/templates).
  const coldTpl = cold('templates', o.coldReps, [], charts.kpsTemplates);
  add('template index of kube-prometheus-stack + subcharts, cold (first call in a fresh process)', coldTpl.map((r) => r.first), `parse + resolve every template; module load ${stats(coldTpl.map((r) => r.moduleLoad)).median.toFixed(0)} ms before it, not included`, { target: 'templateIndexCold' });
  const tpl = engine.prepareTemplates(charts.kpsTemplates);
  add('template index of kube-prometheus-stack + subcharts, warm (built from nothing)', timeSync(() => tpl.build(), { reps: N, warmup: W }));
  add('template index after one template changed, warm', timeSync(() => tpl.update(), { reps: N, warmup: W }), 'templates/prometheus/prometheus.yaml edited; from the previous index', { target: 'templateIndexUpdate' });
  add('template index after one template changed, cold (first update in a fresh process)', coldTpl.map((r) => r.update));

  const edit = locate(values, 'prometheusOperator.admissionWebhooks.deployment.service.nodePortTls');
  const badText = values.slice(0, edit.valueStart) + BAD_VALUE + values.slice(edit.valueEnd);
  const loop = engine.serverEditLoop(kps, ['values.yaml', ...kpsTwoOverlays], 'values.yaml', badText);
  // The edit alternates a value breaking the schema with the original: a loop whose findings do not follow it measures
  // nothing (a snapshot kept across the edit).
  const [withError, without] = [loop.step(), loop.step()];
  if (withError <= without) throw new Error(`server edit loop: ${withError} findings with the schema error, ${without} without; the edit was not seen`);
  add('server work per edit of values.yaml (snapshot + all findings), warm', timeSync(() => loop.step(), { reps: o.checkReps, warmup: 2 }), 'what publishChart computes after each didChange, minus LSP and debounce');
  return { chart: kps, lines: values.split('\n').length - 1, overlays: kpsCiOverlays, reps: N, warmup: W, rows, noise: noise.stop() };
}
