import { parseModelOf } from '../model';
import { ind } from '../../indicators';

/**
 * seed-2026: the planning report's model made coherent (ARCHITECTURE.md §4). The reasons for
 * each parameter's default are in docs/scoring.md; change a value here and bump the version.
 */
export const seed2026 = parseModelOf('points', {
  kind: 'points',
  id: 'seed-2026',
  version: '1.0.0',
  title: { nb: 'Startmodell 2026', en: 'Seed model 2026' },
  description: {
    nb: 'Planrapportens modell gjort konsistent: demografi 30, økonomi 25, politikk 25, boligmarked 20.',
    en: "The planning report's model made coherent: demographic 30, economic 25, political 25, property market 20.",
  },
  categories: [
    { id: 'demographic', label: { nb: 'Demografi', en: 'Demographic' }, max: 30 },
    { id: 'economic', label: { nb: 'Økonomi', en: 'Economic' }, max: 25 },
    { id: 'political', label: { nb: 'Politikk', en: 'Political' }, max: 25 },
    { id: 'property', label: { nb: 'Boligmarked', en: 'Property market' }, max: 20 },
  ],
  rules: [
    {
      id: 'population_change',
      category: 'demographic',
      indicator: 'population_change_5y',
      label: { nb: 'Befolkningsendring siste 5 år', en: 'Population change over 5 years' },
      scoring: { kind: 'thresholds', direction: 'below', bands: [{ threshold: -2, points: 10 }, { threshold: -1, points: 7 }, { threshold: 0, points: 5 }] },
    },
    {
      id: 'housing_cost',
      category: 'demographic',
      indicator: 'housing_cost_ratio',
      label: { nb: 'Boutgifter i andel av medianinntekt', en: 'Housing cost as share of median income' },
      scoring: { kind: 'thresholds', direction: 'above', bands: [{ threshold: 35, points: 20 }, { threshold: 30, points: 15 }, { threshold: 25, points: 10 }] },
    },
    {
      id: 'median_income',
      category: 'economic',
      indicator: 'median_income_pct_of_national',
      label: { nb: 'Medianinntekt etter skatt mot landet', en: 'Median income after tax vs national' },
      scoring: { kind: 'thresholds', direction: 'below', bands: [{ threshold: 90, points: 15 }, { threshold: 95, points: 10 }] },
    },
    {
      id: 'unemployment',
      category: 'economic',
      indicator: 'unemployment_pct_of_national',
      label: { nb: 'Registrert ledighet mot landet', en: 'Registered unemployment vs national' },
      scoring: { kind: 'thresholds', direction: 'above', bands: [{ threshold: 120, points: 10 }, { threshold: 100, points: 7 }] },
    },
    {
      id: 'labour_vote',
      category: 'political',
      indicator: 'labour_vote_share',
      label: { nb: 'Arbeiderpartiets oppslutning (kommunestyrevalget 2023)', en: 'Labour (Ap) vote share (2023 council election)' },
      scoring: {
        kind: 'thresholds',
        direction: 'above',
        bands: [{ threshold: 35, points: 15 }, { threshold: 25, points: 10 }],
        otherwise: { condition: 'left_seat_majority', points: 8 },
      },
    },
    {
      id: 'council_stability',
      category: 'political',
      indicator: 'council_effective_parties',
      label: { nb: 'Politisk stabilitet (lav fragmentering)', en: 'Political stability (low fragmentation)' },
      scoring: { kind: 'thresholds', direction: 'below', bands: [{ threshold: 3, points: 10 }, { threshold: 4, points: 7 }, { threshold: 5, points: 4 }] },
    },
    {
      id: 'property_value',
      category: 'property',
      indicator: 'property_value_index',
      label: { nb: 'Boligprisindeks (kvm-pris mot landet)', en: 'Property value index (price per m² vs national)' },
      scoring: { kind: 'range', min: 80, max: 120, points: 10 },
    },
    {
      id: 'dwellings_started',
      category: 'property',
      indicator: 'dwellings_started_pct_of_national',
      label: { nb: 'Igangsatte boliger per 1000 innbyggere mot landet', en: 'Dwellings started per 1,000 inhabitants vs national' },
      scoring: { kind: 'thresholds', direction: 'below', bands: [{ threshold: 80, points: 10 }] },
    },
  ],
  parameters: {
    populationChange: { years: 5 },
    housingCost: { dwellingSizeM2: 70, loanShare: 0.85, annualInterestRate: 0.05, termYears: 25 },
    price: { measure: 'sales-weighted-all-types', suppressedFallback: 'none' },
    unemployment: { definitions: [ind.unemploymentSsb13563, ind.unemploymentNav12m, ind.unemploymentNavMonth] },
    dwellingsStarted: { definitions: [ind.dwellingsStarted05940, ind.dwellingsStarted05889], years: 1 },
    politics: { leftParties: ['A', 'SV', 'RODT'], electionYear: '2023' },
    references: { minPopulationCoverage: 0.95 },
  },
  tiers: { tier1Min: 70, tier2Min: 40, tier1ExitBelow: 66, minCoverage: 0.7 },
});
