import { ALL_DWELLING_TYPES, DWELLING_TYPES, ind } from '../../domain/indicators';

/**
 * What tomte fetches from SSB's PxWebApi v2: one spec per table, as data. Each names the table,
 * the selection (codelist and value codes or selection expressions per variable), which cells
 * feed which indicator, and the codes the table's metadata must contain — a wrong code fails the
 * refresh loudly instead of guessing. Codes marked "check" in `note` come from a single public
 * source and are verified by that metadata check on the first live run (data-sources.md §6).
 */

export interface SsbSelection {
  variable: string;
  codelist?: string;
  /**
   * Codes or expressions: "*", "????", "top(6)", "from(065)", "2023"; or `label:<alias>` for a code
   * the metadata check reads from the table's labels (`SsbSpec.labelled`).
   */
  values: string[];
}

/** A cell filter: one code, several codes, or every code from a given one in the metadata order. */
export type CodeMatch = string | string[] | { from: string };

export interface SsbOutput {
  indicator: string;
  unit: string;
  where: Record<string, CodeMatch>;
  /** Variables whose codes are added up (e.g. single-year ages); a missing part makes the sum missing. */
  sumOver?: string[];
}

/**
 * A code known only by its label: KOSTRA's `KOS…` ContentsCodes are not guessable and change when
 * the reporting changes, so where no working public request shows the code, the spec names the
 * words of its label and the metadata check finds the one code whose label has them all.
 */
export interface LabelledCode {
  variable: string;
  /** Every one of these must occur in the label (case-insensitive); `a|b` accepts either. */
  all: string[];
  /** None of these may occur in it (`a|b` as above). */
  none?: string[];
  /**
   * Without a match the outputs that read this code are left out and the run says so; a required
   * code (the default) fails the run like a missing code.
   */
  optional?: boolean;
}

/** Figures computed from a spec's outputs after decoding, kept with the table as their source. */
export type SsbDerive =
  /** 100 × A.09 / (A.01 + A.09), as the snapshot computes it. */
  | { kind: 'unemployment-rate-13563' }
  /** 100 × part / whole, rounded to `decimals` (the snapshot's shares are rounded to 2). */
  | { kind: 'share'; indicator: string; part: string; whole: string; decimals: number; note: string };

export interface SsbSpec {
  id: string;
  /** The refresh group the spec belongs to (`tomte refresh --source …`). */
  group: 'ssb' | 'valg';
  table: string;
  title: string;
  selection: SsbSelection[];
  regionVariable: string;
  timeVariable: string;
  outputs: SsbOutput[];
  /** Codes that must exist in the table's metadata, per variable. */
  requires: Record<string, string[]>;
  /** Codes read from the metadata by their labels (see `LabelledCode`), by alias. */
  labelled?: Record<string, LabelledCode>;
  /** Computations over the outputs after decoding. */
  derive?: SsbDerive[];
  /** Periods kept (inclusive bounds); others are dropped, so two tables of one series never overlap. */
  periods?: { from?: string; to?: string };
  /** Where each code comes from: public request code, an SSB page or the recorded probe (docs/sources.md). */
  evidence: string;
  note: string;
}

/** Every indicator a spec writes: its outputs and what it derives from them. */
export function specIndicators(spec: SsbSpec): string[] {
  const out = spec.outputs.map((o) => o.indicator);
  for (const d of spec.derive ?? []) out.push(d.kind === 'share' ? d.indicator : ind.unemploymentSsb13563);
  return [...new Set(out)];
}

export const LABEL_PREFIX = 'label:';

/** SSB PolitParti codes → tomte's party columns (01180 votes, 04813 seats). */
export const SSB_PARTY_CODES: Record<string, string> = {
  '01': 'A',
  '02': 'FRP',
  '03': 'H',
  '04': 'KRF',
  '05': 'SP',
  '06': 'SV',
  '07': 'V',
  '08': 'MDG',
  '10': 'PP',
  '33': 'SAMEFOLKETS_LISTE',
  '44': 'KYST',
  '55': 'RODT',
  '90': 'FELLESLISTER',
  '91': 'LOKALE_LISTER',
  '92': 'ANDRE_LISTER',
};

/** The list codes that received votes in 2023; other national parties are inside 92. */
const VOTE_CODES = Object.keys(SSB_PARTY_CODES).filter((c) => c !== '33' && c !== '44');

const kommuneRegion: SsbSelection = { variable: 'Region', codelist: 'agg_KommSummer', values: ['*'] };

/**
 * KOSTRA tables name their region variable `KOKkommuneregion0000` and their national row `EAK`;
 * `????` picks the four-character (kommune) codes, so groups, counties and `EAKUO` stay out.
 */
const KOSTRA_REGION = 'KOKkommuneregion0000';
const kostraRegion: SsbSelection = { variable: KOSTRA_REGION, values: ['????', 'EAK'] };

const PRICE_TYPES = [...DWELLING_TYPES.map((t) => ({ code: t.code, key: t.key as string })), { code: '00', key: ALL_DWELLING_TYPES }];

const priceOutputs = (types: readonly { code: string; key: string }[]): SsbOutput[] =>
  types.flatMap((t) => [
    { indicator: ind.priceM2(t.key), unit: 'kr/m²', where: { Boligtype: t.code, ContentsCode: 'KvPris' } },
    { indicator: ind.sales(t.key), unit: 'omsetninger', where: { Boligtype: t.code, ContentsCode: 'Omsetninger' } },
  ]);

/** The six building types of 06265 (01 enebolig … 05 bofellesskap, 999 andre); 04 is boligblokk. */
const BUILDING_TYPES_06265 = ['01', '02', '03', '04', '05', '999'];

export const SSB_SPECS: readonly SsbSpec[] = [
  {
    id: 'population',
    group: 'ssb',
    table: '07459',
    title: 'Befolkning etter region, kjønn og alder',
    // One request gives both the total and 65+: all single-year ages, summed per kommune.
    selection: [kommuneRegion, { variable: 'Alder', values: ['*'] }, { variable: 'ContentsCode', values: ['Personer1'] }, { variable: 'Tid', values: ['top(6)'] }],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.population, unit: 'personer', where: { ContentsCode: 'Personer1' }, sumOver: ['Alder'] },
      { indicator: ind.population65plus, unit: 'personer', where: { ContentsCode: 'Personer1', Alder: { from: '065' } }, sumOver: ['Alder'] },
    ],
    requires: { Alder: ['000', '065'], ContentsCode: ['Personer1'] },
    evidence: 'oystess/valg_analyser data/raw/ssb/MANIFEST.md (agg_KommSummer, Personer1; fetched from v2 2026-09-24); janbrus/pxwebapi-skills (K- prefix)',
    note: 'agg_KommSummer gives 2024-boundary series back in time (K- codes); Kjonn is eliminated (both sexes).',
  },
  {
    id: 'median-income',
    group: 'ssb',
    table: '06944',
    title: 'Inntekt etter skatt for husholdninger, median',
    selection: [
      { variable: 'Region', codelist: 'vs_Kommune', values: ['*'] },
      { variable: 'HusholdType', values: ['0000'] },
      { variable: 'ContentsCode', values: ['InntSkatt'] },
      { variable: 'Tid', values: ['top(2)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [{ indicator: ind.medianIncome, unit: 'kr', where: { HusholdType: '0000', ContentsCode: 'InntSkatt' } }],
    requires: { HusholdType: ['0000'], ContentsCode: ['InntSkatt'] },
    evidence: 'FemtiGram/kart scripts/build-kommune-profiles.mjs (HusholdType 0000, InntSkatt; all 357 values); vs_Kommune from one v2 script',
    note: 'codelist vs_Kommune rests on a single public script; the metadata check names it if it is wrong.',
  },
  {
    id: 'dwelling-prices-to-2024',
    group: 'ssb',
    table: '06035',
    title: 'Selveierboliger: kvadratmeterpris og antall omsetninger (til 2024)',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'Boligtype', values: DWELLING_TYPES.map((t) => t.code) },
      { variable: 'ContentsCode', values: ['KvPris', 'Omsetninger'] },
      { variable: 'Tid', values: ['from(2020)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: priceOutputs(DWELLING_TYPES.map((t) => ({ code: t.code, key: t.key }))),
    requires: { Boligtype: ['01', '02', '03'], ContentsCode: ['KvPris', 'Omsetninger'], Tid: ['2020', '2024'] },
    periods: { to: '2024' },
    evidence: 'FemtiGram/kart scripts/build-kommune-profiles.mjs (Boligtype 01–03, KvPris, Omsetninger, 2020–2024)',
    note: '06035 ends in 2024; prices from 2025 are in 14545. SSB suppresses prices with few sales (":").',
  },
  {
    id: 'dwelling-prices-from-2025',
    group: 'ssb',
    table: '14545',
    title: 'Gjennomsnittlig kvadratmeterpris og antall omsetninger (fra 2025)',
    selection: [
      { variable: 'Region', values: ['*'] },
      // 00 (all types) and 01 are known; 02 and 03 are read where the table has them.
      { variable: 'Boligtype', values: ['*'] },
      { variable: 'ContentsCode', values: ['KvPris', 'Omsetninger'] },
      { variable: 'Tid', values: ['from(2025)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: priceOutputs(PRICE_TYPES),
    requires: { Boligtype: ['00', '01'], ContentsCode: ['KvPris', 'Omsetninger'], Tid: ['2025'] },
    periods: { from: '2025' },
    evidence: 'FunksterOne/nord-norge fetch_marked.py (14545: Boligtype 00/01, KvPris, Omsetninger, 2025); janbrus/pxwebapi-skills common-tables.md',
    note: 'Continues 06035: the same per-type ids (each value keeps 14545 as its table) plus all types (00) as price_m2_all/sales_all.',
  },
  {
    id: 'rental-share',
    group: 'ssb',
    table: '11084',
    title: 'Husholdninger etter eierstatus',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'EierStatus', values: ['4'] },
      { variable: 'ContentsCode', values: ['HusholdningProsent'] },
      { variable: 'Tid', values: ['top(1)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [{ indicator: ind.rentalShare, unit: '%', where: { EierStatus: '4', ContentsCode: 'HusholdningProsent' } }],
    requires: { EierStatus: ['4'], ContentsCode: ['HusholdningProsent'] },
    evidence: 'FemtiGram/kart (EierStatus 4 = Leier, HusholdningProsent); FunksterOne/nord-norge fetch_leie.py (EierStatus 1, 4)',
    note: 'EierStatus 4 = leier.',
  },
  {
    id: 'unemployment',
    group: 'ssb',
    table: '13563',
    title: 'Prioritert arbeidsstyrkestatus (registerbasert)',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'Alder', values: ['20-66'] },
      { variable: 'InnvandrKat', values: ['A-G'] },
      { variable: 'HovArbStyrkStatus', values: ['A.01', 'A.09'] },
      { variable: 'ContentsCode', values: ['Bosatte'] },
      { variable: 'Tid', values: ['top(2)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.employedSsb13563, unit: 'personer', where: { HovArbStyrkStatus: 'A.01' } },
      { indicator: ind.unemployedSsb13563, unit: 'personer', where: { HovArbStyrkStatus: 'A.09' } },
    ],
    requires: { Alder: ['20-66'], InnvandrKat: ['A-G'], HovArbStyrkStatus: ['A.01', 'A.09'], ContentsCode: ['Bosatte'] },
    derive: [{ kind: 'unemployment-rate-13563' }],
    evidence: 'FunksterOne/nord-norge fetch_arbeid.py (Bosatte, InnvandrKat A-G, Alder 20-66, A.01/A.09; its output is the snapshot\'s 13563 rows) and two more public scripts with Bosatte',
    note: 'A.01 sysselsatte, A.09 registrerte ledige, age 20–66, all immigration categories; the rate is 100 × A.09 / (A.01 + A.09), as in the snapshot.',
  },
  {
    id: 'dwellings',
    group: 'ssb',
    table: '05940',
    title: 'Boliger og bruksareal til bolig (igangsatte og fullførte)',
    selection: [kommuneRegion, { variable: 'ContentsCode', values: ['Igangsatte', 'Fullforte'] }, { variable: 'Tid', values: ['top(5)'] }],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.dwellingsStarted05940, unit: 'boliger', where: { ContentsCode: 'Igangsatte' } },
      { indicator: ind.dwellingsCompleted05940, unit: 'boliger', where: { ContentsCode: 'Fullforte' } },
    ],
    requires: { ContentsCode: ['Igangsatte', 'Fullforte'] },
    evidence: 'evensrii/Telemark queries (agg_KommSummer, Igangsatte, Fullforte); Bygningstype eliminated',
    note: 'Bygningstype is eliminated (all building types), as in the snapshot rows from 05940.',
  },
  {
    id: 'population-projections',
    group: 'ssb',
    table: '14746',
    title: 'Befolkningsframskrivinger, hovedalternativet (MMMM)',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'Kjonn', values: ['*'] },
      { variable: 'Alder', values: ['*'] },
      { variable: 'ContentsCode', values: ['Personer'] },
      // The base year (registered population on 1 January) and the two years the models read.
      { variable: 'Tid', values: ['bottom(1)', '2030', '2035'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [{ indicator: ind.populationProjected, unit: 'personer', where: { ContentsCode: 'Personer' }, sumOver: ['Kjonn', 'Alder'] }],
    requires: { Kjonn: ['1', '2'], Alder: ['000'], ContentsCode: ['Personer'], Tid: ['2030', '2035'] },
    evidence: 'FunksterOne/nord-norge fetch_framskriving.py (14746, 2026-based: Personer = MMMM, Personer1 = LLML, Personer2 = HHMH; Kjonn, Alder 000…; 2026–2050)',
    note: 'Main alternative only; summed over sex and single-year age. A new projection round moves the base year; 2030 and 2035 stay.',
  },
  {
    id: 'dwellings-by-type',
    group: 'ssb',
    table: '06265',
    title: 'Boliger etter bygningstype',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'BygnType', values: BUILDING_TYPES_06265 },
      { variable: 'ContentsCode', values: ['Boliger'] },
      { variable: 'Tid', values: ['top(2)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.dwellingsTotal06265, unit: 'boliger', where: { ContentsCode: 'Boliger', BygnType: BUILDING_TYPES_06265 }, sumOver: ['BygnType'] },
      { indicator: ind.dwellingsBlocks06265, unit: 'boliger', where: { ContentsCode: 'Boliger', BygnType: '04' } },
    ],
    requires: { BygnType: BUILDING_TYPES_06265, ContentsCode: ['Boliger'] },
    derive: [
      {
        kind: 'share',
        indicator: ind.dwellingShareBlocks,
        part: ind.dwellingsBlocks06265,
        whole: ind.dwellingsTotal06265,
        decimals: 2,
        note: 'value = 100 × boligblokk (04) / sum av de seks bygningstypene, beregnet av tomte',
      },
    ],
    evidence: 'FemtiGram/kart scripts/build-kommune-profiles.mjs (BygnType 01, 02, 03, 04, 05, 999; ContentsCode Boliger; share = count / sum of the six, the snapshot\'s rule)',
    note: 'The apartment-block share replaces the snapshot\'s boligtyper-andel.csv figure (same id, unit and rule).',
  },
  {
    id: 'municipal-housing',
    group: 'ssb',
    table: '12008',
    title: 'Kommunalt disponerte boliger (KOSTRA)',
    selection: [
      kostraRegion,
      { variable: 'ContentsCode', values: ['KOSboligSper10000000', 'label:applications', 'label:rejected'] },
      { variable: 'Tid', values: ['top(3)'] },
    ],
    regionVariable: KOSTRA_REGION,
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.municipalDwellingsPer1000, unit: 'per 1000 innb.', where: { ContentsCode: 'KOSboligSper10000000' } },
      { indicator: ind.municipalHousingApplicationsPer1000, unit: 'per 1000 innb.', where: { ContentsCode: 'label:applications' } },
      { indicator: ind.municipalHousingRejectedShare, unit: '%', where: { ContentsCode: 'label:rejected' } },
    ],
    requires: { ContentsCode: ['KOSboligSper10000000'] },
    labelled: {
      applications: { variable: 'ContentsCode', all: ['søknad', 'kommunal', 'bolig', '1000|1 000'], none: ['nye', 'avslag'], optional: true },
      rejected: { variable: 'ContentsCode', all: ['avslag', 'kommunal', 'bolig', 'andel|prosent'], none: ['nye'], optional: true },
    },
    evidence: 'KOSboligSper10000000: SSB KOMPIS page (val=KOSboligSper10000000, "Kommunalt disponerte boliger per 1000 innbyggere"); KOKkommuneregion0000/EAK: the recorded 12134 probe and janbrus/pxwebapi-skills kostra.md; applications and rejections by label (no public request shows their codes)',
    note: 'KOSTRA: unrevised figures on 15 March, revised on 15 June. Applications and rejections are read where the metadata has them.',
  },
  {
    id: 'husbanken',
    group: 'ssb',
    table: '13277',
    title: 'Husbanken-virkemidler i kommunene (KOSTRA)',
    selection: [kostraRegion, { variable: 'ContentsCode', values: ['label:startlanCount', 'label:startlanAmount'] }, { variable: 'Tid', values: ['top(3)'] }],
    regionVariable: KOSTRA_REGION,
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.startlanCount, unit: 'lån', where: { ContentsCode: 'label:startlanCount' } },
      { indicator: ind.startlanAmount, unit: '1000 kr', where: { ContentsCode: 'label:startlanAmount' } },
    ],
    requires: {},
    labelled: {
      startlanCount: { variable: 'ContentsCode', all: ['startlån', 'antall'], none: ['1000|1 000', 'prosent|andel'] },
      startlanAmount: { variable: 'ContentsCode', all: ['startlån', 'beløp'], none: ['1000 innbyggere|1 000 innbyggere|per innbygger', 'prosent|andel'], optional: true },
    },
    evidence: 'Table id: janbrus/pxwebapi-skills kostra.md ("13277 Husbanken", codelist suffix 029xx); codes by label, because no public request shows them (SSB KOMPIS defines startlån per 1000 innbyggere from Husbanken data)',
    note: 'The codes come from the table\'s metadata by label; the run logs the code it found.',
  },
  {
    id: 'municipal-finances',
    group: 'ssb',
    table: '12134',
    title: 'Utvalgte nøkkeltall for kommuneregnskap, kommunekonsern (KOSTRA)',
    selection: [kostraRegion, { variable: 'ContentsCode', values: ['KOSAGD230000', 'KOSKG320000'] }, { variable: 'Tid', values: ['top(3)'] }],
    regionVariable: KOSTRA_REGION,
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.netOperatingResultPct, unit: '%', where: { ContentsCode: 'KOSAGD230000' } },
      { indicator: ind.longTermDebtPct, unit: '%', where: { ContentsCode: 'KOSKG320000' } },
    ],
    requires: { ContentsCode: ['KOSAGD230000', 'KOSKG320000'] },
    evidence: 'vegard1104/kommunebarometer (12134 KOSAGD230000 matched the Excel figures exactly; KOSKG320000 "Langsiktig gjeld ex pensjonsforpliktelser i prosent av brutto driftsinntekter"); an R package listing the nine 12134 codes; the recorded probe (KOKkommuneregion0000, KOSAG110000)',
    note: 'Kommunekonsern. SSB may not publish a national figure for some economic key figures; the reference is then the population-weighted mean.',
  },
  {
    id: 'council-votes',
    group: 'valg',
    table: '01180',
    title: 'Kommunestyrevalget: godkjente stemmer etter parti',
    selection: [
      { variable: 'Region', values: ['????'] },
      { variable: 'PolitParti', values: ['*'] },
      { variable: 'ContentsCode', values: ['Godkjente1'] },
      { variable: 'Tid', values: ['2023'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      ...VOTE_CODES.map((code) => ({ indicator: ind.councilVotes(SSB_PARTY_CODES[code]!), unit: 'stemmer', where: { PolitParti: code } })),
      // The total is the sum of the list codes (Valgdirektoratet's denominator for vote shares).
      { indicator: ind.councilVotesTotal, unit: 'stemmer', where: { PolitParti: VOTE_CODES }, sumOver: ['PolitParti'] },
    ],
    requires: { PolitParti: ['01', '55', '90', '91', '92'], ContentsCode: ['Godkjente1'] },
    evidence: 'oystess/valg_analyser data/raw/ssb/MANIFEST.md (01180, Godkjente1, fetched from v2); Region ???? gives four-character codes',
    note: 'SSB counts national parties without their own code (INP, Konservativt, …) in 92 Andre lister.',
  },
  {
    id: 'council-seats',
    group: 'valg',
    table: '04813',
    title: 'Kommunestyremedlemmer etter parti',
    selection: [
      { variable: 'Region', values: ['????'] },
      { variable: 'PolitParti', values: ['*'] },
      { variable: 'ContentsCode', values: ['Medlemmer'] },
      { variable: 'Tid', values: ['2023'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      ...Object.entries(SSB_PARTY_CODES).map(([code, p]) => ({ indicator: ind.councilSeats(p), unit: 'representanter', where: { PolitParti: code } })),
      { indicator: ind.councilSeatsTotal, unit: 'representanter', where: { PolitParti: Object.keys(SSB_PARTY_CODES) }, sumOver: ['PolitParti'] },
    ],
    requires: { PolitParti: ['01', '55', '90', '91', '92'], ContentsCode: ['Medlemmer'] },
    evidence: 'Erikgranberg1982/valprognos norge/data/ssb/kommunstyre_2023.json (a real json-stat2 answer, the snapshot\'s source)',
    note: 'Seats by party for the council elected in 2023.',
  },
];
