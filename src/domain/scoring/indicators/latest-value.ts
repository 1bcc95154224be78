import { L, toRef, type Derived } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';
import type { DerivedIndicatorId } from './ids';

/**
 * An indicator that is one published figure: the kommune's value in the latest period that has
 * any kommune values, optionally with Norway's population-weighted mean for comparison.
 */
export function latestValue(
  id: DerivedIndicatorId,
  observed: string,
  unit: string,
  missing: { nb: string; en: string },
  opts: { weightedReference?: boolean; base?: boolean } = {},
): IndicatorModule {
  return {
    id,
    reads: [],
    derive(ctx: DeriveContext, code: string): Derived {
      const period = ctx.idx.latest(observed);
      const o = period ? ctx.idx.get(code, observed, period) : undefined;
      if (!period || o?.value == null) return { ok: false, reason: L(missing.nb, missing.en), inputs: o ? [toRef(o)] : [] };
      const reference = opts.weightedReference ? ctx.refs.weightedMean(observed, period, unit) : null;
      const base = opts.base ? ctx.refs.weightPopulation(code, period) : undefined;
      return {
        ok: true,
        value: o.value,
        unit,
        period,
        detail: { k: 'plain' },
        inputs: [toRef(o)],
        ...(reference ? { reference } : {}),
        ...(base !== undefined ? { base } : {}),
      };
    },
  };
}
