import { ind } from '../../indicators';
import { NATIONAL_REGION } from '../../kommune/types';
import { L, toRef } from '../derived';
import type { IndicatorModule } from '../deriver';

/** Population on 1 January of the latest year (SSB 07459), with Norway's population beside it. */
export const population: IndicatorModule = {
  id: 'population',
  reads: [],
  derive(ctx, code) {
    const year = ctx.idx.latest(ind.population);
    const o = year ? ctx.idx.get(code, ind.population, year) : undefined;
    if (!year || o?.value == null) return { ok: false, reason: L('folketall mangler (SSB 07459)', 'population is missing (SSB 07459)'), inputs: [] };
    const national = ctx.refs.nationalPopulation(year);
    const published = ctx.idx.get(NATIONAL_REGION, ind.population, year);
    return {
      ok: true,
      value: o.value,
      unit: 'personer',
      period: o.period,
      detail: { k: 'plain' },
      inputs: [toRef(o)],
      ...(national !== null ? { reference: { value: national, unit: 'personer', period: year, method: published ? 'published' : 'sum', populationCoverage: null, sources: published ? [toRef(published)] : [] } } : {}),
    };
  },
};
