import { ind } from '../../indicators';
import type { Observation } from '../../observation';
import { L, toRef, type Reference } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';

/** Norway's change of a population series in %, as the ratio of the kommuner's sums (Σ end − Σ start) / Σ start × 100. */
export function changeReference(ctx: DeriveContext, indicator: string, start: string, end: string, coverageYear: string): Reference | null {
  return ctx.refs.ratioOfSums(
    `change|${indicator}|${start}|${end}`,
    coverageYear,
    (c, add) => {
      const s = ctx.idx.value(c, indicator, start);
      const e = ctx.idx.value(c, indicator, end);
      if (s !== undefined && e !== undefined) add(e, s);
    },
    { unit: '%', method: 'ratio-of-sums', period: `${start}-${end}`, value: (e, s) => ((e - s) / s) * 100 },
  );
}

/** (P(1.1.end) − P(1.1.start)) / P(1.1.start) × 100 over `populationChange.years` (SSB 07459). */
export const populationChange: IndicatorModule = {
  id: 'population_change_5y',
  reads: ['populationChange'],
  derive(ctx, code) {
    const years = ctx.params.populationChange.years;
    const end = ctx.idx.latest(ind.population);
    if (!end) return { ok: false, reason: L('ingen befolkningstall', 'no population figures'), inputs: [] };
    const start = String(Number(end) - years);
    const oEnd = ctx.idx.get(code, ind.population, end);
    const oStart = ctx.idx.get(code, ind.population, start);
    const inputs = [oStart, oEnd].filter((o): o is Observation => !!o).map(toRef);
    if (oEnd?.value == null || oStart?.value == null) {
      const miss = oStart?.value == null ? start : end;
      return {
        ok: false,
        reason: L(`folketall for 1.1.${miss} mangler (SSB 07459)`, `population on 1 Jan ${miss} is missing (SSB 07459)`),
        inputs,
      };
    }
    const value = ((oEnd.value - oStart.value) / oStart.value) * 100;
    const ref = changeReference(ctx, ind.population, start, end, end);
    return {
      ok: true,
      value,
      unit: '%',
      period: `${start}-${end}`,
      detail: { k: 'popchange', start, end, from: oStart.value, to: oEnd.value },
      inputs,
      ...(ref ? { reference: ref } : {}),
    };
  },
};
