import { ind } from '../../indicators';
import { L, toRef, type Reference } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';
import { References } from '../references';

/** Norway's median household income: published, else the population-weighted mean of kommune medians. */
export function nationalIncome(ctx: DeriveContext, year: string): Reference | null {
  return ctx.refs.weightedMean(ind.medianIncome, year, 'kr');
}

/** Median household income after tax, latest year (SSB 06944). */
export const medianIncome: IndicatorModule = {
  id: 'median_income',
  reads: [],
  derive(ctx, code) {
    const year = ctx.idx.latest(ind.medianIncome);
    const o = year ? ctx.idx.get(code, ind.medianIncome, year) : undefined;
    const inputs = o ? [toRef(o)] : [];
    if (!year || o?.value == null) return { ok: false, reason: L('medianinntekt mangler (SSB 06944)', 'median income is missing (SSB 06944)'), inputs };
    const ref = nationalIncome(ctx, year);
    return { ok: true, value: o.value, unit: 'kr', period: year, detail: { k: 'plain' }, inputs, ...(ref ? { reference: ref } : {}) };
  },
};

/** The kommune's median income ÷ Norway's × 100. */
export const medianIncomePct: IndicatorModule = {
  id: 'median_income_pct_of_national',
  reads: [],
  derive(ctx, code) {
    const d = medianIncome.derive(ctx, code);
    if (!d.ok) return d;
    if (!d.reference) return { ok: false, reason: References.missing('medianinntekt', 'median income', d.period), inputs: d.inputs };
    return {
      ok: true,
      value: (d.value / d.reference.value) * 100,
      unit: '% av landet',
      period: d.period,
      detail: { k: 'income', own: d.value, national: d.reference.value, year: d.period },
      inputs: d.inputs,
      reference: d.reference,
    };
  },
};
