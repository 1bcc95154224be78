import { ind } from '../../indicators';
import type { Observation } from '../../observation';
import { L, toRef } from '../derived';
import type { IndicatorModule } from '../deriver';
import type { DerivedIndicatorId } from './ids';
import { changeReference } from './population-change';

/**
 * Projected population change in % from the projection's base year (the registered population on
 * 1 January of its first year) to 1 January of `target`, SSB 14746 main alternative (MMMM). Norway's
 * figure: the published national projection, else the ratio of the kommuner's sums.
 */
function projectedChange(id: DerivedIndicatorId, target: string): IndicatorModule {
  return {
    id,
    reads: [],
    derive(ctx, code) {
      const periods = ctx.idx.periods(ind.populationProjected);
      const base = periods[periods.length - 1];
      if (!base || !periods.includes(target) || base >= target) {
        return { ok: false, reason: L(`ingen befolkningsframskriving til ${target} (SSB 14746)`, `no population projection to ${target} (SSB 14746)`), inputs: [] };
      }
      const oBase = ctx.idx.get(code, ind.populationProjected, base);
      const oEnd = ctx.idx.get(code, ind.populationProjected, target);
      const inputs = [oBase, oEnd].filter((o): o is Observation => !!o).map(toRef);
      if (oBase?.value == null || oEnd?.value == null || oBase.value === 0) {
        return { ok: false, reason: L(`framskrevet folketall ${base}/${target} mangler (SSB 14746)`, `projected population ${base}/${target} is missing (SSB 14746)`), inputs };
      }
      const pct = (from: number, to: number) => ((to - from) / from) * 100;
      const nb = ctx.idx.value('0', ind.populationProjected, base);
      const ne = ctx.idx.value('0', ind.populationProjected, target);
      const reference =
        nb !== undefined && ne !== undefined && nb > 0
          ? { value: pct(nb, ne), unit: '%', period: `${base}-${target}`, method: 'published' as const, populationCoverage: null, sources: [ctx.idx.get('0', ind.populationProjected, base)!, ctx.idx.get('0', ind.populationProjected, target)!].map(toRef) }
          : changeReference(ctx, ind.populationProjected, base, target, base);
      return {
        ok: true,
        value: pct(oBase.value, oEnd.value),
        unit: '%',
        period: `${base}-${target}`,
        detail: { k: 'popchange', start: base, end: target, from: oBase.value, to: oEnd.value },
        inputs,
        ...(reference ? { reference } : {}),
      };
    },
  };
}

export const projectedChange2030 = projectedChange('projected_population_change_2030', '2030');
export const projectedChange2035 = projectedChange('projected_population_change_2035', '2035');
