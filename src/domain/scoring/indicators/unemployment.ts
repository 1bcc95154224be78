import { ind } from '../../indicators';
import { L, toRef, type Derived, type Reference, type SourceRef } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';

/**
 * Registered unemployment. Measures are tried in the model's priority order
 * (`unemployment.definitions`: SSB 13563 register-based rate, NAV 12-month mean, NAV month); a
 * measure counts only when the kommune's value and a national figure exist for **the same measure
 * and period** — never a mix of measures.
 */
function unemploymentReference(ctx: DeriveContext, def: string, period: string): Reference | null {
  return ctx.refs.cached(`unemp|${def}|${period}`, () => {
    const pub = ctx.refs.published(def, period);
    if (pub) return pub;
    if (def !== ind.unemploymentSsb13563) return null;
    // SSB 13563 publishes counts, so Norway's rate is the ratio of the summed counts.
    const s = ctx.refs.sums(period, (c, add) => {
      const u = ctx.idx.value(c, ind.unemployedSsb13563, period);
      const e = ctx.idx.value(c, ind.employedSsb13563, period);
      if (u !== undefined && e !== undefined) add(u, u + e);
    });
    return s ? { value: (100 * s.num) / s.den, unit: '%', period, method: 'ratio-of-sums', populationCoverage: s.coverage, sources: [] } : null;
  });
}

export const unemploymentPct: IndicatorModule = {
  id: 'unemployment_pct_of_national',
  reads: ['unemployment'],
  derive(ctx, code) {
    const tried: string[] = [];
    const inputs: SourceRef[] = [];
    for (const def of ctx.params.unemployment.definitions) {
      for (const period of ctx.idx.periods(def)) {
        const o = ctx.idx.get(code, def, period);
        if (o?.value == null) continue;
        const ref = unemploymentReference(ctx, def, period);
        if (!ref) {
          tried.push(`${o.source} ${o.sourceTable} ${period}`);
          inputs.push(toRef(o));
          continue;
        }
        return {
          ok: true,
          value: (o.value / ref.value) * 100,
          unit: '% av landet',
          period,
          detail: { k: 'unemployment', own: o.value, national: ref.value, source: o.source, period },
          inputs: [toRef(o), ...ref.sources],
          reference: ref,
        };
      }
    }
    if (tried.length > 0) {
      return {
        ok: false,
        reason: L(
          `ledighetstall finnes (${tried.join(', ')}), men ikke landstall for samme mål og periode`,
          `unemployment figures exist (${tried.join(', ')}), but no national figure for the same measure and period`,
        ),
        inputs,
      };
    }
    return { ok: false, reason: L('ingen registrert ledighet for kommunen i datagrunnlaget', 'no registered unemployment for the kommune in the data'), inputs };
  },
};

/**
 * The kommune's own unemployment rate for the card: the measure the rule compares, with Norway's
 * figure; without a national figure of the same measure, its latest own figure alone.
 */
export const unemploymentRate: IndicatorModule = {
  id: 'unemployment_rate',
  reads: ['unemployment'],
  derive(ctx, code): Derived {
    const un = unemploymentPct.derive(ctx, code);
    if (un.ok && un.reference) {
      const own = un.inputs[0]!;
      return { ok: true, value: own.value!, unit: '%', period: un.period, detail: { k: 'plain' }, inputs: un.inputs, reference: un.reference };
    }
    const own = ctx.params.unemployment.definitions
      .map((def) => ctx.idx.periods(def).map((p) => ctx.idx.get(code, def, p)).find((o) => o?.value != null))
      .find((o) => o !== undefined);
    if (own?.value != null) return { ok: true, value: own.value, unit: '%', period: own.period, detail: { k: 'plain' }, inputs: [toRef(own)] };
    return un;
  },
};
