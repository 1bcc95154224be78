import type { IndicatorModule } from '../deriver';
import type { DerivedIndicatorId } from './ids';
import { dwellingsStartedPct, dwellingsStartedPer1000 } from './dwellings-started';
import { housingCost } from './housing-cost';
import { medianIncome, medianIncomePct } from './median-income';
import { effectiveParties, labourVoteShare, leftSeatShare } from './politics';
import { population } from './population';
import { populationChange } from './population-change';
import { pricePerM2 } from './price';
import { propertyValueIndex } from './property-value-index';
import { centralityIndex, dwellingShareBlocks, municipalDwellings, rentalShare, robekRegistered, share65plus } from './simple';
import { unemploymentPct, unemploymentRate } from './unemployment';
import { projectedChange2030, projectedChange2035 } from './projected-population-change';
import { startlanPer1000 } from './startlan';
import { longTermDebt, netOperatingResult } from './municipal-finances';
import { housingApplications, housingRejections } from './municipal-housing-demand';

export { DERIVED_INDICATORS, type DerivedIndicatorId } from './ids';

/** Every derived indicator's module, by id (the type makes a missing module a compile error; a test checks the ids). */
export const INDICATOR_MODULES: Readonly<Record<DerivedIndicatorId, IndicatorModule>> = {
  population_change_5y: populationChange,
  housing_cost_ratio: housingCost,
  median_income_pct_of_national: medianIncomePct,
  unemployment_pct_of_national: unemploymentPct,
  labour_vote_share: labourVoteShare,
  council_effective_parties: effectiveParties,
  property_value_index: propertyValueIndex,
  dwellings_started_pct_of_national: dwellingsStartedPct,
  population: population,
  share_65plus: share65plus,
  median_income: medianIncome,
  unemployment_rate: unemploymentRate,
  price_per_m2: pricePerM2,
  rental_share: rentalShare,
  dwellings_started_per_1000: dwellingsStartedPer1000,
  municipal_dwellings_per_1000: municipalDwellings,
  centrality_index: centralityIndex,
  dwelling_share_blocks: dwellingShareBlocks,
  left_seat_share: leftSeatShare,
  robek_registered: robekRegistered,
  projected_population_change_2030: projectedChange2030,
  projected_population_change_2035: projectedChange2035,
  startlan_per_1000: startlanPer1000,
  net_operating_result_pct: netOperatingResult,
  long_term_debt_pct: longTermDebt,
  municipal_housing_applications_per_1000: housingApplications,
  municipal_housing_rejected_share: housingRejections,
};
