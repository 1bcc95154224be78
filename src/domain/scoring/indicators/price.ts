import { ALL_DWELLING_TYPES, DWELLING_TYPES, ind } from '../../indicators';
import { L, toRef, type Derived, type Reference, type SourceRef } from '../derived';
import type { DeriveContext, IndicatorModule } from '../deriver';

/**
 * Price per m² of used owner-occupied dwellings (SSB 06035 to 2024, 14545 from 2025): the
 * kommune's figure is the mean of the dwelling types' prices weighted by their number of sales in
 * the same year (`price.measure = sales-weighted-all-types`). For a year where SSB publishes its
 * all-types figure (14545, `Boligtype` 00) but not every type 01–03, that figure is the price
 * instead, for every kommune and for Norway alike, so one year never mixes the two measures
 * (docs/sources.md compares them). Where SSB suppresses the price (too few sales) it is missing
 * (`price.suppressedFallback = none`). Shared by the price, housing-cost and property-index modules.
 */
/** The observation ids per dwelling type, built once (these lookups run per kommune and type). */
const TYPE_IDS = DWELLING_TYPES.map((t) => ({ price: ind.priceM2(t.key), sales: ind.sales(t.key) }));

export type PriceResult = { value: number; inputs: SourceRef[] } | { value: null; suppressed: boolean; inputs: SourceRef[] };

/** How a year's price is measured: the sales-weighted mean of the types, or SSB's all-types figure. */
export function priceMeasure(ctx: DeriveContext, year: string): 'types' | 'all' {
  return ctx.memo(`price-measure|${year}`, () => {
    const has = (key: string) => ctx.idx.periods(ind.sales(key)).includes(year);
    return has(ALL_DWELLING_TYPES) && !DWELLING_TYPES.every((t) => has(t.key)) ? 'all' : 'types';
  });
}

/** The table the year's prices come from, as the observations say (for messages). */
function priceTable(ctx: DeriveContext, year: string | undefined): string {
  if (!year) return '06035';
  return ctx.memo(`price-table|${year}`, () => {
    for (const key of [ALL_DWELLING_TYPES, ...DWELLING_TYPES.map((t) => t.key)]) {
      const m = ctx.idx.findMeta(ind.sales(key), year, (x) => /^\d{5}$/.test(x.sourceTable));
      if (m) return m.sourceTable;
    }
    return '06035';
  });
}

export function priceOf(ctx: DeriveContext, code: string, year: string): PriceResult {
  if (priceMeasure(ctx, year) === 'all') {
    const p = ctx.idx.get(code, ind.priceM2(ALL_DWELLING_TYPES), year);
    const s = ctx.idx.get(code, ind.sales(ALL_DWELLING_TYPES), year);
    const inputs = [p, s].filter((o) => o !== undefined).map(toRef);
    if (p?.value == null) return { value: null, suppressed: p?.status === 'suppressed', inputs };
    return { value: p.value, inputs };
  }
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
    [...DWELLING_TYPES.map((t) => t.key), ALL_DWELLING_TYPES].map((k) => ctx.idx.latest(ind.sales(k))).filter((y): y is string => !!y).sort().reverse()[0],
  );
}

/**
 * The latest price year that also has median incomes, for the housing-cost ratio (price and income
 * of one year): prices from 14545 arrive months before the same year's incomes (06944).
 */
export function housingYear(ctx: DeriveContext): string | undefined {
  return ctx.memo('housing-year', () => {
    const incomes = new Set(ctx.idx.periods(ind.medianIncome));
    const years = [...new Set([...DWELLING_TYPES.map((t) => t.key), ALL_DWELLING_TYPES].flatMap((k) => ctx.idx.periods(ind.sales(k))))].sort().reverse();
    return years.find((y) => incomes.has(y)) ?? years[0];
  });
}

/** Norway's price: sales-weighted across kommuner and dwelling types, or the all-types figure (published, else sales-weighted). */
export function nationalPrice(ctx: DeriveContext, year: string): Reference | null {
  if (priceMeasure(ctx, year) === 'all') {
    const published = ctx.refs.published(ind.priceM2(ALL_DWELLING_TYPES), year, 'kr/m²');
    if (published) return published;
    return ctx.refs.ratioOfSums(
      `price-all|${year}`,
      year,
      (c, add) => {
        const p = ctx.idx.value(c, ind.priceM2(ALL_DWELLING_TYPES), year);
        const s = ctx.idx.value(c, ind.sales(ALL_DWELLING_TYPES), year);
        if (p !== undefined && s !== undefined && s > 0) add(p * s, s);
      },
      { unit: 'kr/m²', method: 'sales-weighted-mean', value: (w, s) => w / s },
    );
  }
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

/** The kommune's price for the price year (or the year given), or why it is missing. */
export function priceForYear(ctx: DeriveContext, code: string, at?: string): { year: string; price: number; inputs: SourceRef[] } | Extract<Derived, { ok: false }> {
  const year = at ?? priceYear(ctx);
  const pr: PriceResult = year ? priceOf(ctx, code, year) : { value: null, suppressed: false, inputs: [] };
  if (!year || pr.value === null) return priceMissing(year, priceTable(ctx, year), pr.inputs, 'suppressed' in pr && pr.suppressed);
  return { year, price: pr.value, inputs: pr.inputs };
}

function priceMissing(year: string | undefined, table: string, inputs: SourceRef[], suppressed: boolean): Extract<Derived, { ok: false }> {
  if (!year) return { ok: false, reason: L('ingen kvadratmeterpriser (SSB 06035)', 'no prices per m² (SSB 06035)'), inputs };
  return {
    ok: false,
    reason: suppressed
      ? L(`SSB publiserer ikke kvadratmeterpris for ${year} (for få omsetninger, tabell ${table})`, `SSB does not publish a price per m² for ${year} (too few sales, table ${table})`)
      : L(`kvadratmeterpris for ${year} mangler (SSB ${table})`, `price per m² for ${year} is missing (SSB ${table})`),
    inputs,
  };
}

export const pricePerM2: IndicatorModule = {
  id: 'price_per_m2',
  reads: [],
  derive(ctx, code) {
    const pr = priceForYear(ctx, code);
    if ('ok' in pr) return pr;
    const ref = nationalPrice(ctx, pr.year);
    return { ok: true, value: pr.price, unit: 'kr/m²', period: pr.year, detail: { k: 'plain' }, inputs: pr.inputs, ...(ref ? { reference: ref } : {}) };
  },
};
