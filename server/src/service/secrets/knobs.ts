// The charts' knobs a secret fix may use (existingSecret-style keys), seen from one values file: an overlay sees the
// root chart and every subchart under its name/alias prefix; a chart's own values.yaml sees itself and its
// subcharts. Pure; reads only the analysis snapshot.
import type { ChartAnalysis } from '../analysis';
import type { ChartModel } from '../chart/chartModel';
import type { PathSegment } from '../yaml/valuesDocument';
import type { ChartKnobs } from './fixes';

export function chartKnobs(analysis: ChartAnalysis, file: string, schemaOf?: (model: ChartModel) => unknown): ChartKnobs[] {
  const places = analysis.places();
  const role = analysis.roleOf(file);
  const base: readonly PathSegment[][] = role.kind === 'defaults' ? role.place.prefixes : [[]];
  const out: ChartKnobs[] = [];
  for (const place of places) {
    for (const prefix of place.prefixes) {
      for (const b of base) {
        if (b.length > prefix.length || b.some((s, i) => prefix[i] !== s)) continue;
        const knob: ChartKnobs = { prefix: prefix.slice(b.length) };
        const values = place.model.values?.documents[0];
        if (values) knob.values = values;
        const schema = schemaOf?.(place.model);
        if (schema !== undefined) knob.schema = schema;
        out.push(knob);
      }
    }
  }
  return out;
}
