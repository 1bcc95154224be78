import { DWELLING_TYPES, ind } from '../../indicators';
import { L, toRef, type Derived, type Reference, type SourceRef } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';

/**
 * Price per m² of used owner-occupied dwellings (SSB 06035): the kommune's figure is the mean of
 * the dwelling types' prices weighted by their number of sales in the same year
 * (`price.measure = sales-weighted-all-types`). Where SSB suppresses the price (too few sales) it
 * is missing (`price.suppressedFallback = none`). Shared by the price, housing-cost and
 * property-index modules.
 */
/** The observation ids per dwelling type, built once (these lookups run per kommune and type). */
const TYPE_IDS = DWELLING_TYPES.map((t) => ({ price: ind.priceM2(t.key), sales: ind.sales(t.key) }));

export type PriceResult = { value: number; inputs: SourceRef[] } | { value: null; suppressed: boolean; inputs: SourceRef[] };

export function priceOf(ctx: DeriveContext, code: string, year: string): PriceResult {
  const inputs: SourceRef[] = [];
  let weighted = 0;
  let sales = 0;
  let suppressed = false;
  const priced: number[] = [];
  let unweightable = false;
  for (const t of TYPE_IDS) {
    const p = ctx.idx.get(code, t.price, year);
    if (!p) continue;
    if (p.value === null) {
      if (p.status === 'suppressed') suppressed = true;
      continue;
    }
    inputs.push(toRef(p));
    priced.push(p.value);
    const s = ctx.idx.get(code, t.sales, year);
    if (s?.value == null) unweightable = true;
    else {
      inputs.push(toRef(s));
      weighted += p.value * s.value;
      sales += s.value;
    }
  }
  if (priced.length === 0) return { value: null, suppressed, inputs };
  if (!unweightable && sales > 0) return { value: weighted / sales, inputs };
  if (priced.length === 1) return { value: priced[0]!, inputs };
  return { value: null, suppressed: false, inputs };
}

/** The year of price data: the latest year with sales counts (needed to weight dwelling types). */
export function priceYear(ctx: DeriveContext): string | undefined {
  return ctx.memo('price-year', () =>
    TYPE_IDS.map((t) => ctx.idx.latest(t.sales)).filter((y): y is string => !!y).sort().reverse()[0],
  );
}

/** Norway's sales-weighted price across all kommuner and dwelling types. */
export function nationalPrice(ctx: DeriveContext, year: string): Reference | null {
  return ctx.refs.ratioOfSums(
    `price|${year}`,
    year,
    (c, add) => {
      for (const t of TYPE_IDS) {
        const p = ctx.idx.value(c, t.price, year);
        const s = ctx.idx.value(c, t.sales, year);
        if (p !== undefined && s !== undefined && s > 0) add(p * s, s);
      }
    },
    { unit: 'kr/m²', method: 'sales-weighted-mean', value: (w, s) => w / s },
  );
}

/** The kommune's price for the price year, or why it is missing. */
export function priceForYear(ctx: DeriveContext, code: string): { year: string; price: number; inputs: SourceRef[] } | Extract<Derived, { ok: false }> {
  const year = priceYear(ctx);
  const pr: PriceResult = year ? priceOf(ctx, code, year) : { value: null, suppressed: false, inputs: [] };
  if (!year || pr.value === null) return priceMissing(year, pr.inputs, 'suppressed' in pr && pr.suppressed);
  return { year, price: pr.value, inputs: pr.inputs };
}

function priceMissing(year: string | undefined, inputs: SourceRef[], suppressed: boolean): Extract<Derived, { ok: false }> {
  if (!year) return { ok: false, reason: L('ingen kvadratmeterpriser (SSB 06035)', 'no prices per m² (SSB 06035)'), inputs };
  return {
    ok: false,
    reason: suppressed
      ? L(`SSB publiserer ikke kvadratmeterpris for ${year} (for få omsetninger, tabell 06035)`, `SSB does not publish a price per m² for ${year} (too few sales, table 06035)`)
      : L(`kvadratmeterpris for ${year} mangler (SSB 06035)`, `price per m² for ${year} is missing (SSB 06035)`),
    inputs,
  };
}

export const pricePerM2: IndicatorModule = {
  id: 'price_per_m2',
  derive(ctx, code) {
    const pr = priceForYear(ctx, code);
    if ('ok' in pr) return pr;
    const ref = nationalPrice(ctx, pr.year);
    return { ok: true, value: pr.price, unit: 'kr/m²', period: pr.year, detail: { k: 'plain' }, inputs: pr.inputs, ...(ref ? { reference: ref } : {}) };
  },
};
