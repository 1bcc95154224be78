import { ind } from '../../indicators';
import type { ModelParameters } from '../model';
import { L, toRef, type Reference } from '../derived';
import type { IndicatorModule } from '../deriver';
import { housingYear, nationalPrice, priceForYear } from './price';
import { nationalIncome } from './median-income';

/** The yearly payment on an annuity loan for the model's dwelling at a price per m². */
export function annualCost(params: ModelParameters, price: number): number {
  const { dwellingSizeM2, loanShare, annualInterestRate, termYears } = params.housingCost;
  const loan = price * dwellingSizeM2 * loanShare;
  const n = termYears * 12;
  const r = annualInterestRate / 12;
  const monthly = r === 0 ? loan / n : (loan * r) / (1 - Math.pow(1 + r, -n));
  return monthly * 12;
}

/**
 * Housing cost ratio: the annual cost of the model's dwelling ÷ median household income × 100
 * (SSB 06035/14545, 06944), both of the latest year that has prices and incomes.
 */
export const housingCost: IndicatorModule = {
  id: 'housing_cost_ratio',
  reads: ['housingCost'],
  derive(ctx, code) {
    const pr = priceForYear(ctx, code, housingYear(ctx));
    if ('ok' in pr) return pr;
    const { year } = pr;
    const inc = ctx.idx.get(code, ind.medianIncome, year);
    const inputs = [...pr.inputs, ...(inc ? [toRef(inc)] : [])];
    if (inc?.value == null) {
      return { ok: false, reason: L(`medianinntekt for ${year} mangler (SSB 06944)`, `median income for ${year} is missing (SSB 06944)`), inputs };
    }
    const cost = annualCost(ctx.params, pr.price);
    const value = (cost / inc.value) * 100;
    const np = nationalPrice(ctx, year);
    const ni = nationalIncome(ctx, year);
    const reference: Reference | null =
      np && ni
        ? { value: (annualCost(ctx.params, np.value) / ni.value) * 100, unit: '%', period: year, method: np.method, populationCoverage: Math.min(np.populationCoverage ?? 1, ni.populationCoverage ?? 1), sources: [] }
        : null;
    return {
      ok: true,
      value,
      unit: '%',
      period: year,
      detail: { k: 'housing', m2: ctx.params.housingCost.dwellingSizeM2, price: pr.price, cost, income: inc.value, year },
      inputs,
      ...(reference ? { reference } : {}),
    };
  },
};
