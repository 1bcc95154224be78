import type { Localized } from './localized';

/**
 * The catalogue of stored indicators: what each observation id means, its unit and its
 * publisher's table. Derived indicators (ratios, indexes) are computed by the scoring engine
 * from these and are described in `scoring/derive.ts`.
 */
export interface IndicatorInfo {
  id: string;
  label: Localized;
  unit: string;
  source: string;
  table: string;
}

export const PARTY_CODES = [
  'A', 'FRP', 'H', 'KRF', 'MDG', 'RODT', 'SP', 'SV', 'V', 'PP', 'KYST', 'SAMEFOLKETS_LISTE',
  'FELLESLISTER', 'LOKALE_LISTER', 'ANDRE_LISTER',
] as const;
export type PartyCode = (typeof PARTY_CODES)[number];

export const PARTY_NAMES: Record<PartyCode, Localized> = {
  A: { nb: 'Arbeiderpartiet', en: 'Labour Party' },
  FRP: { nb: 'Fremskrittspartiet', en: 'Progress Party' },
  H: { nb: 'Høyre', en: 'Conservative Party' },
  KRF: { nb: 'Kristelig Folkeparti', en: 'Christian Democrats' },
  MDG: { nb: 'Miljøpartiet De Grønne', en: 'Green Party' },
  RODT: { nb: 'Rødt', en: 'Red Party' },
  SP: { nb: 'Senterpartiet', en: 'Centre Party' },
  SV: { nb: 'Sosialistisk Venstreparti', en: 'Socialist Left Party' },
  V: { nb: 'Venstre', en: 'Liberal Party' },
  PP: { nb: 'Pensjonistpartiet', en: "Pensioners' Party" },
  KYST: { nb: 'Kystpartiet', en: 'Coastal Party' },
  SAMEFOLKETS_LISTE: { nb: 'Samefolkets liste', en: "Sami People's List" },
  FELLESLISTER: { nb: 'Felleslister', en: 'Joint lists' },
  LOKALE_LISTER: { nb: 'Lokale lister', en: 'Local lists' },
  ANDRE_LISTER: { nb: 'Andre lister', en: 'Other lists' },
};

/**
 * Dwelling types of SSB's price tables: 06035 (to 2024) and 14545 (from 2025) share the codes and
 * the per-type indicator ids, so a kommune's series runs on across the two tables (each value keeps
 * its own table as `sourceTable`). 14545 adds `00` (all types), stored as `price_m2_all`/`sales_all`.
 */
export const DWELLING_TYPES = [
  { code: '01', key: 'detached', label: { nb: 'eneboliger', en: 'detached houses' } },
  { code: '02', key: 'small_houses', label: { nb: 'småhus', en: 'small houses' } },
  { code: '03', key: 'apartments', label: { nb: 'blokkleiligheter', en: 'apartments' } },
] as const;

export const ind = {
  population: 'population',
  population65plus: 'population_65plus',
  medianIncome: 'median_household_income_after_tax',
  priceM2: (type: string) => `price_m2_${type}`,
  sales: (type: string) => `sales_${type}`,
  rentalShare: 'rental_share',
  unemploymentSsb13563: 'unemployment_ssb13563',
  unemployedSsb13563: 'unemployed_ssb13563',
  employedSsb13563: 'employed_ssb13563',
  unemploymentNavMonth: 'unemployment_nav_month',
  unemploymentNav12m: 'unemployment_nav_12m_mean',
  dwellingsStarted05889: 'dwellings_started_05889',
  dwellingsCompleted05889: 'dwellings_completed_05889',
  dwellingsStarted05940: 'dwellings_started_05940',
  dwellingsCompleted05940: 'dwellings_completed_05940',
  municipalDwellingsPer1000: 'municipal_dwellings_per_1000',
  municipalDwellingsCount: 'municipal_dwellings_count',
  councilVotes: (party: string) => `council_votes_${party}`,
  councilVotesTotal: 'council_votes_total',
  councilSeats: (party: string) => `council_seats_${party}`,
  councilSeatsTotal: 'council_seats_total',
  centralityIndex: 'centrality_index',
  centralityClass: 'centrality_class',
  dwellingShareBlocks: 'dwelling_share_blocks',
  robekRegistered: 'robek_registered',
  /** SSB 14746 main alternative (MMMM, ContentsCode `Personer`), all ages and both sexes summed. */
  populationProjected: 'population_projected_mmmm',
  dwellingsTotal06265: 'dwellings_total_06265',
  dwellingsBlocks06265: 'dwellings_blocks_06265',
  municipalHousingApplicationsPer1000: 'municipal_housing_applications_per_1000',
  municipalHousingRejectedShare: 'municipal_housing_rejected_share',
  startlanCount: 'husbanken_startlan_count',
  startlanAmount: 'husbanken_startlan_amount',
  netOperatingResultPct: 'net_operating_result_pct',
  longTermDebtPct: 'long_term_debt_pct',
} as const;

/** The all-types key of the price tables (14545 `Boligtype` 00). */
export const ALL_DWELLING_TYPES = 'all';

const ssb = (id: string, table: string, unit: string, nb: string, en: string): IndicatorInfo => ({
  id, unit, source: 'SSB', table, label: { nb, en },
});

const list: IndicatorInfo[] = [
  ssb(ind.population, '07459', 'personer', 'Folkemengde 1. januar', 'Population on 1 January'),
  ssb(ind.population65plus, '07459', 'personer', 'Innbyggere 65 år og eldre', 'Residents aged 65 and over'),
  ssb(ind.medianIncome, '06944', 'kr', 'Medianinntekt etter skatt, alle husholdninger', 'Median household income after tax'),
  ...DWELLING_TYPES.flatMap((t) => [
    ssb(ind.priceM2(t.key), '06035/14545', 'kr/m²', `Kvadratmeterpris, brukte ${t.label.nb}`, `Price per m², used ${t.label.en}`),
    ssb(ind.sales(t.key), '06035/14545', 'omsetninger', `Antall omsetninger, ${t.label.nb}`, `Number of sales, ${t.label.en}`),
  ]),
  ssb(ind.priceM2(ALL_DWELLING_TYPES), '14545', 'kr/m²', 'Kvadratmeterpris, alle boligtyper (brukte)', 'Price per m², all dwelling types (used)'),
  ssb(ind.sales(ALL_DWELLING_TYPES), '14545', 'omsetninger', 'Antall omsetninger, alle boligtyper', 'Number of sales, all dwelling types'),
  ssb(ind.rentalShare, '11084', '%', 'Andel husholdninger som leier', 'Share of households renting'),
  ssb(ind.unemploymentSsb13563, '13563', '%', 'Registrerte ledige i % av sysselsatte + ledige (20–66 år)', 'Registered unemployed, % of employed + unemployed (20–66)'),
  ssb(ind.unemployedSsb13563, '13563', 'personer', 'Registrerte ledige (20–66 år)', 'Registered unemployed (20–66)'),
  ssb(ind.employedSsb13563, '13563', 'personer', 'Sysselsatte (20–66 år)', 'Employed (20–66)'),
  { id: ind.unemploymentNavMonth, unit: '%', source: 'NAV', table: 'Helt ledige etter kommune (månedstall)', label: { nb: 'Helt ledige i % av arbeidsstyrken (måned)', en: 'Wholly unemployed, % of labour force (month)' } },
  { id: ind.unemploymentNav12m, unit: '%', source: 'NAV', table: 'Helt ledige etter kommune (månedstall, snitt av 12)', label: { nb: 'Helt ledige i % av arbeidsstyrken (snitt av 12 måneder)', en: 'Wholly unemployed, % of labour force (12-month mean)' } },
  ssb(ind.dwellingsStarted05889, '05889', 'boliger', 'Igangsatte boliger (sum av kvartaler)', 'Dwellings started (sum of quarters)'),
  ssb(ind.dwellingsCompleted05889, '05889', 'boliger', 'Fullførte boliger (sum av kvartaler)', 'Dwellings completed (sum of quarters)'),
  ssb(ind.dwellingsStarted05940, '05940', 'boliger', 'Igangsatte boliger (årstall)', 'Dwellings started (annual)'),
  ssb(ind.dwellingsCompleted05940, '05940', 'boliger', 'Fullførte boliger (årstall)', 'Dwellings completed (annual)'),
  ssb(ind.municipalDwellingsPer1000, '12008', 'per 1000 innb.', 'Kommunalt disponerte boliger per 1000 innbyggere', 'Municipal dwellings per 1,000 inhabitants'),
  ssb(ind.municipalDwellingsCount, '12008', 'boliger', 'Kommunalt disponerte boliger', 'Municipal dwellings'),
  ...PARTY_CODES.flatMap((p) => [
    ssb(ind.councilVotes(p), '01180', 'stemmer', `Stemmer kommunestyrevalg, ${PARTY_NAMES[p].nb}`, `Council election votes, ${PARTY_NAMES[p].en}`),
    ssb(ind.councilSeats(p), '04813', 'representanter', `Kommunestyrerepresentanter, ${PARTY_NAMES[p].nb}`, `Council seats, ${PARTY_NAMES[p].en}`),
  ]),
  ssb(ind.councilVotesTotal, '01180', 'stemmer', 'Godkjente stemmer kommunestyrevalg, totalt', 'Approved council election votes, total'),
  ssb(ind.councilSeatsTotal, '04813', 'representanter', 'Kommunestyrerepresentanter, totalt', 'Council seats, total'),
  ssb(ind.centralityIndex, 'KLASS 128', 'indeks', 'Sentralitetsindeks (0–1000)', 'Centrality index (0–1000)'),
  ssb(ind.centralityClass, 'KLASS 128', 'klasse', 'Sentralitetsklasse (1 mest sentral – 6 minst)', 'Centrality class (1 most central – 6 least)'),
  ssb(ind.dwellingShareBlocks, '06265', '%', 'Andel boliger i boligblokk', 'Share of dwellings in apartment blocks'),
  { id: ind.robekRegistered, unit: 'registrert', source: 'KDD', table: 'ROBEK', label: { nb: 'Oppført i ROBEK (1 = ja)', en: 'Listed in ROBEK (1 = yes)' } },
  ssb(ind.populationProjected, '14746', 'personer', 'Framskrevet folkemengde 1. januar (hovedalternativet MMMM)', 'Projected population on 1 January (main alternative MMMM)'),
  ssb(ind.dwellingsTotal06265, '06265', 'boliger', 'Boliger i alt (seks bygningstyper)', 'Dwellings, total (six building types)'),
  ssb(ind.dwellingsBlocks06265, '06265', 'boliger', 'Boliger i boligblokk', 'Dwellings in apartment blocks'),
  ssb(ind.municipalHousingApplicationsPer1000, '12008', 'per 1000 innb.', 'Søknader om kommunal bolig per 1000 innbyggere', 'Applications for municipal housing per 1,000 inhabitants'),
  ssb(ind.municipalHousingRejectedShare, '12008', '%', 'Andel søknader om kommunal bolig som fikk avslag', 'Share of applications for municipal housing rejected'),
  ssb(ind.startlanCount, '13277', 'lån', 'Startlån fra Husbanken formidlet av kommunen (antall)', 'Husbanken start-up loans granted by the kommune (number)'),
  ssb(ind.startlanAmount, '13277', '1000 kr', 'Startlån fra Husbanken formidlet av kommunen (beløp)', 'Husbanken start-up loans granted by the kommune (amount)'),
  ssb(ind.netOperatingResultPct, '12134', '%', 'Netto driftsresultat i prosent av brutto driftsinntekter (konsern)', 'Net operating result, % of gross operating revenue (group)'),
  ssb(ind.longTermDebtPct, '12134', '%', 'Langsiktig gjeld (uten pensjonsforpliktelser) i prosent av brutto driftsinntekter', 'Long-term debt (excl. pension liabilities), % of gross operating revenue'),
];

export const INDICATORS: ReadonlyMap<string, IndicatorInfo> = new Map(list.map((i) => [i.id, i]));

export function indicatorInfo(id: string): IndicatorInfo {
  const info = INDICATORS.get(id);
  if (!info) throw new Error(`Unknown indicator id: ${id}`);
  return info;
}
