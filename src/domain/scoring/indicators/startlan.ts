import { ind } from '../../indicators';
import { L, toRef } from '../derived';
import type { IndicatorModule } from '../deriver';

/**
 * Husbanken start-up loans (startlån) granted through the kommune per 1,000 inhabitants (SSB/KOSTRA
 * 13277, the count; population from 07459 on 1 January of the year, or the nearest year before),
 * in the latest year with counts, with Norway's rate as the ratio of the kommuner's sums.
 */
export const startlanPer1000: IndicatorModule = {
  id: 'startlan_per_1000',
  reads: [],
  derive(ctx, code) {
    const year = ctx.idx.latest(ind.startlanCount);
    const o = year ? ctx.idx.get(code, ind.startlanCount, year) : undefined;
    const pop = year ? ctx.refs.weightPopulation(code, year) : undefined;
    if (!year || o?.value == null || !pop) {
      return { ok: false, reason: L('startlån mangler (SSB/KOSTRA 13277)', 'start-up loans are missing (SSB/KOSTRA 13277)'), inputs: o ? [toRef(o)] : [] };
    }
    const reference = ctx.refs.ratioOfSums(
      `startlan|${year}`,
      year,
      (c, add) => {
        const n = ctx.idx.value(c, ind.startlanCount, year);
        const p = ctx.refs.weightPopulation(c, year);
        if (n !== undefined && p) add(n, p);
      },
      { unit: 'per 1000', method: 'ratio-of-sums', value: (n, p) => (1000 * n) / p },
    );
    return {
      ok: true,
      value: (1000 * o.value) / pop,
      unit: 'per 1000',
      period: year,
      detail: { k: 'rate', count: o.value, population: pop, period: year },
      inputs: [toRef(o)],
      base: pop,
      ...(reference ? { reference } : {}),
    };
  },
};
