/**
 * Every derived indicator a model can read, each computed by the module of the same name in this
 * folder (registered in `index.ts`). A new indicator is a new file here, not a new switch case.
 */
export const DERIVED_INDICATORS = [
  // the seed model's rule inputs
  'population_change_5y',
  'housing_cost_ratio',
  'median_income_pct_of_national',
  'unemployment_pct_of_national',
  'labour_vote_share',
  'council_effective_parties',
  'property_value_index',
  'dwellings_started_pct_of_national',
  // figures in their own units (the card, and the percentile model)
  'population',
  'share_65plus',
  'median_income',
  'unemployment_rate',
  'price_per_m2',
  'rental_share',
  'dwellings_started_per_1000',
  'municipal_dwellings_per_1000',
  'centrality_index',
  'dwelling_share_blocks',
  'left_seat_share',
  'robek_registered',
  // model inputs from the live sources (issue 16); no model reads them yet
  'projected_population_change_2030',
  'projected_population_change_2035',
  'startlan_per_1000',
  'net_operating_result_pct',
  'long_term_debt_pct',
  'municipal_housing_applications_per_1000',
  'municipal_housing_rejected_share',
] as const;

export type DerivedIndicatorId = (typeof DERIVED_INDICATORS)[number];
