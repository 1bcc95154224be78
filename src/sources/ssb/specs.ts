import { DWELLING_TYPES, ind } from '../../domain/indicators';

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
  /** Codes or expressions: "*", "????", "top(6)", "from(065)", "2023". */
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
  /** Computations over the outputs after decoding. */
  derive?: 'unemployment-rate-13563';
  note: string;
}

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
    note: 'check: codelist vs_Kommune (single source; 07459 uses vs_Kommun).',
  },
  {
    id: 'dwelling-prices',
    group: 'ssb',
    table: '06035',
    title: 'Selveierboliger: kvadratmeterpris og antall omsetninger',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'Boligtype', values: DWELLING_TYPES.map((t) => t.code) },
      { variable: 'ContentsCode', values: ['KvPris', 'Omsetninger'] },
      { variable: 'Tid', values: ['top(1)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: DWELLING_TYPES.flatMap((t) => [
      { indicator: ind.priceM2(t.key), unit: 'kr/m²', where: { Boligtype: t.code, ContentsCode: 'KvPris' } },
      { indicator: ind.sales(t.key), unit: 'omsetninger', where: { Boligtype: t.code, ContentsCode: 'Omsetninger' } },
    ]),
    requires: { Boligtype: ['01', '02', '03'], ContentsCode: ['KvPris', 'Omsetninger'] },
    note: 'check: ContentsCode KvPris/Omsetninger (data-sources.md §6.3). SSB suppresses prices with few sales (":").',
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
    note: 'check: EierStatus 4 = leier (data-sources.md §5).',
  },
  {
    id: 'unemployment',
    group: 'ssb',
    table: '13563',
    title: 'Prioritert arbeidsstyrkestatus (registerbasert)',
    selection: [
      { variable: 'Region', values: ['*'] },
      { variable: 'Alder', values: ['20-66'] },
      { variable: 'HovArbStyrkStatus', values: ['A.01', 'A.09'] },
      { variable: 'ContentsCode', values: ['Personer'] },
      { variable: 'Tid', values: ['top(2)'] },
    ],
    regionVariable: 'Region',
    timeVariable: 'Tid',
    outputs: [
      { indicator: ind.employedSsb13563, unit: 'personer', where: { HovArbStyrkStatus: 'A.01' } },
      { indicator: ind.unemployedSsb13563, unit: 'personer', where: { HovArbStyrkStatus: 'A.09' } },
    ],
    requires: { Alder: ['20-66'], HovArbStyrkStatus: ['A.01', 'A.09'] },
    derive: 'unemployment-rate-13563',
    note: 'check: codes from one public fetch script (A.01 sysselsatte, A.09 registrerte ledige, age 20-66); the rate is 100 × A.09 / (A.01 + A.09), as in the snapshot.',
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
    note: 'Bygningstype is eliminated (all building types), as in the snapshot rows from 05940.',
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
    note: 'Seats by party for the council elected in 2023.',
  },
];
