import type { Localized } from '../localized';
import type { Derived, ReferenceMethod, SourceRef } from './derived';
import type { DeriveContext } from './deriver';
import type { DerivedIndicatorId } from './indicators/ids';

/** A figure shown on the kommune card, with the national comparison where one exists. */
export interface KeyIndicator {
  id: string;
  label: Localized;
  value: number | null;
  unit: string;
  period: string | null;
  national: { value: number; method: ReferenceMethod } | null;
  /** Why the value is missing, when it is. */
  missing: Localized | null;
  sources: SourceRef[];
}

const L = (nb: string, en: string): Localized => ({ nb, en });

/**
 * The card's figures, in order: each is a derived indicator (the same computation the models
 * score), shown in its own unit with Norway's figure beside it.
 */
export const KEY_INDICATORS: readonly { id: DerivedIndicatorId; label: Localized; unit: string; sources?: (s: SourceRef) => boolean }[] = [
  { id: 'population', label: L('Folketall', 'Population'), unit: 'personer' },
  { id: 'population_change_5y', label: L('Befolkningsendring 5 år', 'Population change, 5 years'), unit: '%' },
  { id: 'share_65plus', label: L('Andel 65 år og eldre', 'Share aged 65+'), unit: '%' },
  { id: 'median_income', label: L('Medianinntekt etter skatt (husholdninger)', 'Median household income after tax'), unit: 'kr' },
  { id: 'unemployment_rate', label: L('Registrert ledighet', 'Registered unemployment'), unit: '%' },
  { id: 'price_per_m2', label: L('Kvadratmeterpris brukte boliger', 'Price per m², used dwellings'), unit: 'kr/m²' },
  { id: 'housing_cost_ratio', label: L('Boutgift i andel av medianinntekt', 'Housing cost, share of median income'), unit: '%' },
  { id: 'rental_share', label: L('Andel husholdninger som leier', 'Households renting'), unit: '%' },
  { id: 'dwelling_share_blocks', label: L('Andel boliger i boligblokk', 'Dwellings in apartment blocks'), unit: '%' },
  { id: 'centrality_index', label: L('Sentralitetsindeks (0–1000)', 'Centrality index (0–1000)'), unit: 'av 1000' },
  // The votes alone: the seats the seed rule's fallback reads are not part of this figure.
  { id: 'labour_vote_share', label: L('Ap-oppslutning kommunestyrevalg', 'Labour vote share, council election'), unit: '%', sources: (s) => s.indicator.startsWith('council_votes') },
  { id: 'council_effective_parties', label: L('Effektivt antall partier i kommunestyret', 'Effective number of council parties'), unit: 'partier' },
  { id: 'dwellings_started_per_1000', label: L('Igangsatte boliger per 1000 innbyggere', 'Dwellings started per 1,000 inhabitants'), unit: 'per 1000' },
  { id: 'municipal_dwellings_per_1000', label: L('Kommunalt disponerte boliger per 1000 innbyggere', 'Municipal dwellings per 1,000 inhabitants'), unit: 'per 1000' },
  { id: 'robek_registered', label: L('Oppført i ROBEK', 'Listed in ROBEK'), unit: 'registrert' },
];

/** One card figure from its derived indicator. */
export function keyIndicator(spec: (typeof KEY_INDICATORS)[number], d: Derived): KeyIndicator {
  if (!d.ok) return { id: spec.id, label: spec.label, value: null, unit: spec.unit, period: null, national: null, missing: d.reason, sources: d.inputs };
  const national = d.reference ? { value: d.reference.value, method: d.reference.method } : null;
  const sources = spec.sources ? d.inputs.filter(spec.sources) : d.inputs;
  return { id: spec.id, label: spec.label, value: d.value, unit: spec.unit, period: d.period, national, missing: null, sources };
}

/** The card's figures for one kommune. */
export function keyIndicators(ctx: DeriveContext, code: string): KeyIndicator[] {
  return KEY_INDICATORS.map((spec) => keyIndicator(spec, ctx.derive(spec.id, code)));
}
