import type { IndicatorModule } from '../deriver';
import { References } from '../references';
import { nationalPrice, priceForYear } from './price';

/** Property value index: the kommune's price per m² ÷ Norway's × 100 (SSB 06035). */
export const propertyValueIndex: IndicatorModule = {
  id: 'property_value_index',
  reads: [],
  derive(ctx, code) {
    const pr = priceForYear(ctx, code);
    if ('ok' in pr) return pr;
    const ref = nationalPrice(ctx, pr.year);
    if (!ref) return { ok: false, reason: References.missing('kvadratmeterpris', 'price per m²', pr.year), inputs: pr.inputs };
    return {
      ok: true,
      value: (pr.price / ref.value) * 100,
      unit: 'indeks',
      period: pr.year,
      detail: { k: 'pvi', price: pr.price, national: ref.value, year: pr.year },
      inputs: pr.inputs,
      reference: ref,
    };
  },
};
