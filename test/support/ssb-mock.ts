// An in-memory SSB PxWebApi v2 (and Kartverket kommuneinfo) for the refresh tests and bench.
//
// Every table in SSB_SPECS is served from the project's own snapshot (data/*.csv), re-encoded
// into the table's JSON-stat shape at test time: the figures are the snapshot's real values.
// Where the snapshot does not hold what a table has, the mock says so instead of guessing:
//   - 07459: the snapshot has totals and 65+ counts, not single-year ages, so Alder has two
//     re-encoded codes whose sum is the real total: '000' = total − 65+, '065' = 65+.
//   - 13563: real A.01/A.09 counts exist for the 80 Nord-Norge kommuner only; the other 277
//     kommuner and the national row "0" are SYNTHETIC (deterministic, see `synthetic13563`).
//   - 05940: real rows for Oslo and 17 Telemark kommuner; the other kommuner and the national row
//     are SYNTHETIC (`synthetic05940`).
//   - Cells the snapshot lacks (national/county figures of 06944, 06035, 11084, household counts
//     in 11084, …) are served as null with status '..'; historical codes as '.'.
// Synthetic values live only in memory and are named in `SYNTHETIC`; nothing here writes data/.
// Region codes follow SSB's shapes: a table's own list has "0" (Hele landet), county codes
// ("03"), the 357 kommuner, historical codes ("1507" Ålesund (2020-2023), "3001") and specials
// ("2111", "9999"); agg_KommSummer has "K-0301"… plus "K-21-22", "K-23", "K-Rest" and, like
// the recorded 07459 response in test/fixtures/ssb/, no national row.
//
// The mock records every request and can be told to fail per table (see `ssbFaults`).
import { parseKommunerCsv } from '../../src/sources/snapshot/kommuner';
import type { Kommune } from '../../src/domain/kommune/types';
import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { parseCsv } from '../../src/lib/csv';
import { PARTY_NAMES, type PartyCode } from '../../src/domain/indicators';
import { SSB_PARTY_CODES, SSB_SPECS } from '../../src/sources/ssb/specs';
import { encodeJsonStat, metadataOf, type Coords, type EncodeDimension, type JsonStat2 } from './jsonstat-encode';

export const SSB_API = 'https://data.ssb.no/api/pxwebapi/v2';
export const KOMMUNEINFO_FYLKER_URL = 'https://api.kartverket.no/kommuneinfo/v1/fylkerkommuner';
export const KOMMUNEINFO_ILLUSTRASJONSKART_URL = 'https://api.kartverket.no/kommuneinfo/v1/kommuner/illustrasjonskart';

// ---------------------------------------------------------------------------------------------
// The snapshot, read once per process

const DATA_DIR = new URL('../../data/', import.meta.url);
const FIXTURE_DIR = new URL('../fixtures/', import.meta.url);

const csvCache = new Map<string, Record<string, string>[]>();
export function snapshotCsv(name: string): Record<string, string>[] {
  let rows = csvCache.get(name);
  if (!rows) csvCache.set(name, (rows = parseCsv(readFileSync(new URL(name, DATA_DIR), 'utf8'))));
  return rows;
}

/** The 2024 registry, read with the project's own parser (the mock re-encodes it). */
export function snapshotKommuner(): Kommune[] {
  return parseKommunerCsv(readFileSync(new URL('kommuner-2024.csv', DATA_DIR), 'utf8'));
}

const num = (s: string | undefined): number | null => (s === undefined || s.trim() === '' ? null : Number(s));

/** FNV-1a over the text, scaled to [0, 1): the seed of every synthetic value (and of the soak's revisions). */
export function unit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

// ---------------------------------------------------------------------------------------------
// Regions

export type RegionKind = 'kommune' | 'national' | 'county' | 'group' | 'historical' | 'special';

export interface MockRegion {
  /** The code as SSB serves it: "0301", "K-0301", "03", "0", "K-Rest". */
  code: string;
  label: string;
  kind: RegionKind;
  /** Kommune or county number, "0" for the nation, the code itself otherwise. */
  key: string;
}

/** Codes that are not current kommuner, in every own list: dropped by the normaliser. */
export const HISTORICAL_REGIONS: readonly MockRegion[] = [
  { code: '1507', label: 'Ålesund (2020-2023)', kind: 'historical', key: '1507' },
  { code: '3001', label: 'Halden (2020-2023)', kind: 'historical', key: '3001' },
];
export const SPECIAL_REGIONS: readonly MockRegion[] = [
  { code: '2111', label: 'Spitsbergen', kind: 'special', key: '2111' },
  { code: '9999', label: 'Uoppgitt', kind: 'special', key: '9999' },
];
export const KOMMSUMMER_SPECIALS: readonly MockRegion[] = [
  { code: 'K-21-22', label: 'Svalbard og Jan Mayen', kind: 'special', key: 'K-21-22' },
  { code: 'K-23', label: 'Kontinentalsokkelen', kind: 'special', key: 'K-23' },
  { code: 'K-Rest', label: 'Delte kommuner og uoppgitt', kind: 'special', key: 'K-Rest' },
];

function regionLists() {
  const kommuner = snapshotKommuner();
  const counties = [...new Map(kommuner.map((k) => [k.countyCode, k.countyName])).entries()].sort();
  const kommuneRegions: MockRegion[] = kommuner.map((k) => ({ code: k.code, label: k.name, kind: 'kommune', key: k.code }));
  return {
    /** A table's own Region list ('*'): national, counties, kommuner, historical and special codes. */
    own: [
      { code: '0', label: 'Hele landet', kind: 'national', key: '0' } as MockRegion,
      ...counties.map(([c, n]): MockRegion => ({ code: c, label: n, kind: 'county', key: c })),
      ...kommuneRegions,
      ...HISTORICAL_REGIONS,
      ...SPECIAL_REGIONS,
    ],
    /** agg_KommSummer: current kommuner with a K- prefix and three special aggregates. */
    kommSummer: [...kommuneRegions.map((r) => ({ ...r, code: `K-${r.code}` })), ...KOMMSUMMER_SPECIALS],
    /** A kommune value set: every kommune code, historical ones included. */
    kommuneValueset: [...kommuneRegions, ...HISTORICAL_REGIONS],
    /**
     * KOSTRA's KOKkommuneregion0000 list, as the recorded 12134 probe and janbrus' kostra.md show
     * it: kommuner (current and historical) in plain codes, EAK "Landet", EAKUO "Landet uten Oslo",
     * EKAnn counties and EKGnn KOSTRA groups.
     */
    kostra: [
      { code: 'EAK', label: 'Landet', kind: 'national', key: '0' } as MockRegion,
      { code: 'EAKUO', label: 'Landet uten Oslo', kind: 'group', key: 'EAKUO' } as MockRegion,
      ...counties.map(([c, n]): MockRegion => ({ code: `EKA${c}`, label: n, kind: 'group', key: `EKA${c}` })),
      ...Array.from({ length: 17 }, (_, i): MockRegion => ({ code: `EKG${String(i + 1).padStart(2, '0')}`, label: `KOSTRA-gruppe ${i + 1}`, kind: 'group', key: `EKG${i + 1}` })),
      ...kommuneRegions,
      ...HISTORICAL_REGIONS,
    ],
    kommuner,
  };
}

// ---------------------------------------------------------------------------------------------
// Table models

export interface Cell {
  value: number | null;
  status?: string;
}

const regionOf = (t: TableModel): string => t.regionVariable ?? 'Region';

const MISSING: Cell = { value: null, status: '..' };
const NOT_APPLICABLE: Cell = { value: null, status: '.' };
const SUPPRESSED: Cell = { value: null, status: ':' };

interface MockDimension {
  id: string;
  label: string;
  codes: string[];
  labels: Record<string, string>;
  units?: Record<string, { base: string; decimals: number }>;
  /** May the variable be left out of a selection? */
  elimination: boolean;
  /**
   * 'codes': the data has a figure per code, and an eliminated selection sums them.
   * 'total-only': the snapshot only has the total, so the dimension can only be eliminated.
   */
  modelled: 'codes' | 'total-only';
}

export interface TableModel {
  id: string;
  title: string;
  /** The region variable: 'Region' (default), 'KOKkommuneregion0000' in KOSTRA tables. */
  regionVariable?: string;
  /** Own region list and the codelists offered on Region. */
  regions: { own: MockRegion[]; codelists: Record<string, MockRegion[]> };
  /** Non-region dimensions in metadata order (Region comes first). */
  dims: MockDimension[];
  /** Dimension order in data responses, when it differs from the metadata (SSB does that). */
  dataOrder?: string[];
  /** A kommune's cell; coords hold every non-region dimension. */
  kommuneCell(code: string, coords: Coords): Cell;
  /** National and county cells: the sum of the kommuner, or '..' where the snapshot has none. */
  aggregate: 'sum' | 'missing';
  /** Kommune codes whose figures are synthetic, and whether the national/county rows are. */
  synthetic: { kommuner: ReadonlySet<string>; aggregates: boolean; note: string } | null;
  /** How the table's cells were made from data/*.csv. */
  provenance: string;
}

/** The recorded probe of the live PxWebApi v2 (test/fixtures/ssb/, see its README entry). */
export interface RecordedProbe {
  smoke: { url: string; status: number; body: string };
  singleBatch: { url: string; status: number; body: string };
  errors: { label: string; status: number; snippet: string }[];
  klass: { url: string; body: string };
}

let probeCache: RecordedProbe | undefined;
export function recordedProbe(): RecordedProbe {
  return (probeCache ??= JSON.parse(readFileSync(new URL('ssb/ssb_v2_12134_kostra_probe_responses.json', FIXTURE_DIR), 'utf8')) as RecordedProbe);
}

/** The real 2024 KOSAG110000 cells of the probe's data answer, by "kommune|year". */
function probe12134(): Map<string, number> {
  const body = JSON.parse(recordedProbe().smoke.body) as { dimension: { KOKkommuneregion0000: { category: { index: Record<string, number> } } }; value: number[] };
  return new Map(Object.entries(body.dimension.KOKkommuneregion0000.category.index).map(([code, i]) => [`${code}|2024`, body.value[i]!]));
}

const DEFAULT_UPDATED: Record<string, string> = {
  '07459': '2026-02-25T07:00:00Z',
  '06944': '2025-12-16T07:00:00Z',
  '06035': '2025-03-06T07:00:00Z',
  '11084': '2025-06-12T06:00:00Z',
  '13563': '2025-05-22T06:00:00Z',
  '05940': '2026-01-29T07:00:00Z',
  '01180': '2023-11-08T07:00:00Z',
  '04813': '2025-08-26T06:00:00Z',
  '14545': '2026-02-19T07:00:00Z',
  '14746': '2026-06-12T06:00:00Z',
  '06265': '2026-03-03T07:00:00Z',
  '12008': '2026-06-15T06:00:00Z',
  '13277': '2026-06-15T06:00:00Z',
  // The recorded probe's stamp.
  '12134': '2026-03-16T07:00:00Z',
};

function years(from: number, to: number): string[] {
  const out: string[] = [];
  for (let y = from; y <= to; y++) out.push(String(y));
  return out;
}

function dim(id: string, label: string, entries: [string, string][], opts: Partial<Pick<MockDimension, 'elimination' | 'modelled' | 'units'>> = {}): MockDimension {
  return {
    id,
    label,
    codes: entries.map(([c]) => c),
    labels: Object.fromEntries(entries),
    elimination: opts.elimination ?? false,
    modelled: opts.modelled ?? 'codes',
    ...(opts.units ? { units: opts.units } : {}),
  };
}

const tid = (ys: string[]) => dim('Tid', 'år', ys.map((y) => [y, y]));

/** SYNTHETIC 13563 counts for a kommune without a real row: from its real 2024 population. */
export function synthetic13563(code: string, population2024: number): { employed: number; unemployed: number } {
  const employed = Math.round(population2024 * (0.44 + 0.06 * unit(`${code}:employed`)));
  const rate = 1 + 2.5 * unit(`${code}:rate`); // per cent of employed + unemployed
  return { employed, unemployed: Math.max(1, Math.round((employed * rate) / (100 - rate))) };
}

/** SYNTHETIC 05940 dwellings for a kommune and year without a real row: 1–8 per 1,000 inhabitants. */
export function synthetic05940(code: string, year: string, population: number, what: 'Igangsatte' | 'Fullforte'): number {
  return Math.round((population * (1 + 7 * unit(`${code}:${year}:${what}`))) / 1000);
}

function buildTables(): Map<string, TableModel> {
  const lists = regionLists();
  const codes = lists.kommuner.map((k) => k.code);
  const byKey = <T>(rows: Record<string, string>[], key: (r: Record<string, string>) => string): Map<string, T & Record<string, string>> =>
    new Map(rows.map((r) => [key(r), r as T & Record<string, string>]));

  const pop = byKey(snapshotCsv('befolkning.csv'), (r) => `${r.kommunenummer}|${r.year}`);
  const old = byKey(snapshotCsv('andel-65-pluss.csv'), (r) => `${r.kommunenummer}|${r.year}`);
  const population = (code: string, year: string) => num(pop.get(`${code}|${year}`)?.value);
  const tables: TableModel[] = [];

  // 07459 Befolkning ---------------------------------------------------------------------------
  tables.push({
    id: '07459',
    title: 'Befolkning, etter region, kjønn, alder, statistikkvariabel og år',
    regions: { own: lists.own, codelists: { agg_KommSummer: lists.kommSummer, vs_Kommun: lists.kommuneValueset } },
    dims: [
      dim('Kjonn', 'kjønn', [['1', 'Menn'], ['2', 'Kvinner']], { elimination: true, modelled: 'total-only' }),
      dim('Alder', 'alder', [['000', '0-64 år (omkodet: sum av ettårige aldre 0–64)'], ['065', '65 år eller eldre (omkodet: sum av ettårige aldre 65+)']], { elimination: true }),
      dim('ContentsCode', 'statistikkvariabel', [['Personer1', 'Personer']], { units: { Personer1: { base: 'personer', decimals: 0 } } }),
      tid(years(2019, 2026)),
    ],
    kommuneCell(code, c) {
      const total = population(code, c.Tid!);
      const plus = num(old.get(`${code}|${c.Tid}`)?.pop_65plus);
      if (total === null || plus === null) return MISSING;
      return { value: c.Alder === '065' ? plus : total - plus };
    },
    aggregate: 'sum',
    synthetic: null,
    provenance: 'befolkning.csv (value) and andel-65-pluss.csv (pop_65plus); Alder re-encoded as 000 = total − 65+, 065 = 65+',
  });

  // 06944 Inntekt etter skatt, median ------------------------------------------------------------
  const income = byKey(snapshotCsv('medianinntekt-etter-skatt.csv'), (r) => `${r.kommunenummer}|${r.year}`);
  tables.push({
    id: '06944',
    title: 'Inntekt etter skatt for husholdninger (median)',
    regions: { own: lists.own, codelists: { vs_Kommune: lists.kommuneValueset } },
    dims: [
      dim('HusholdType', 'husholdningstype', [['0000', 'Alle husholdninger']]),
      dim('ContentsCode', 'statistikkvariabel', [['InntSkatt', 'Inntekt etter skatt, median (kr)']], { units: { InntSkatt: { base: 'kr', decimals: 0 } } }),
      tid(['2024']),
    ],
    kommuneCell(code, c) {
      const v = num(income.get(`${code}|${c.Tid}`)?.value);
      return v === null ? MISSING : { value: v };
    },
    aggregate: 'missing',
    synthetic: null,
    provenance: 'medianinntekt-etter-skatt.csv (value); no national median in the snapshot, so "0" is ".."',
  });

  // 06035 Kvadratmeterpris ----------------------------------------------------------------------
  const prices = snapshotCsv('boligpris-kvm.csv');
  const price = new Map(prices.filter((r) => r.boligtype).map((r) => [`${r.kommunenummer}|${r.year}|${r.boligtype}`, r]));
  const suppressedKommuner = new Set(prices.filter((r) => !r.boligtype).map((r) => `${r.kommunenummer}|${r.year}`));
  tables.push({
    id: '06035',
    title: 'Selveierboliger. Gjennomsnittlig kvadratmeterpris og antall omsetninger',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('Boligtype', 'boligtype', [['01', 'Eneboliger'], ['02', 'Småhus'], ['03', 'Blokkleiligheter']]),
      dim('ContentsCode', 'statistikkvariabel', [['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'], ['Omsetninger', 'Antall omsetninger']], {
        units: { KvPris: { base: 'kr', decimals: 0 }, Omsetninger: { base: 'omsetninger', decimals: 0 } },
      }),
      tid(years(2020, 2024)),
    ],
    kommuneCell(code, c) {
      const row = price.get(`${code}|${c.Tid}|${c.Boligtype}`);
      // SSB suppresses (":") where there were too few sales: whole kommuner, or single types.
      if (!row || suppressedKommuner.has(`${code}|${c.Tid}`)) return SUPPRESSED;
      const v = num(c.ContentsCode === 'KvPris' ? row.value : row.antall_omsetninger);
      return v === null ? MISSING : { value: v };
    },
    aggregate: 'missing',
    synthetic: null,
    provenance: 'boligpris-kvm.csv (value, antall_omsetninger); kommuner and types without a row are ":" (suppressed)',
  });

  // 11084 Eierstatus ----------------------------------------------------------------------------
  const tenure = byKey(snapshotCsv('andel-leiere.csv'), (r) => `${r.kommunenummer}|${r.year}`);
  tables.push({
    id: '11084',
    title: 'Husholdninger, etter eierstatus',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('EierStatus', 'eierstatus', [['1', 'I alt'], ['2', 'Selveier'], ['3', 'Andels-/aksjeeier'], ['4', 'Leier']]),
      dim('ContentsCode', 'statistikkvariabel', [['Husholdning', 'Husholdninger'], ['HusholdningProsent', 'Husholdninger (prosent)']], {
        units: { Husholdning: { base: 'husholdninger', decimals: 0 }, HusholdningProsent: { base: 'prosent', decimals: 1 } },
      }),
      tid(['2024']),
    ],
    // SSB may order a data response differently from the metadata (data-sources.md §1.2).
    dataOrder: ['Region', 'EierStatus', 'Tid', 'ContentsCode'],
    kommuneCell(code, c) {
      const row = tenure.get(`${code}|${c.Tid}`);
      if (!row || c.ContentsCode !== 'HusholdningProsent') return MISSING;
      const v = c.EierStatus === '1' ? 100 : num(c.EierStatus === '2' ? row.andel_selveier : c.EierStatus === '3' ? row.andel_andelseier : row.value);
      return v === null ? MISSING : { value: v };
    },
    aggregate: 'missing',
    synthetic: null,
    provenance: 'andel-leiere.csv (value = leier, andel_selveier, andel_andelseier; "I alt" = 100); counts are ".."',
  });

  // 13563 Arbeidsstyrkestatus (registerbasert) ---------------------------------------------------
  const unemp = new Map(
    snapshotCsv('arbeidsledighet.csv')
      .filter((r) => r.maal!.startsWith('ssb13563'))
      .map((r) => [`${r.kommunenummer}|${r.year}`, { employed: Number(r.sysselsatte), unemployed: Number(r.registrerte_ledige) }]),
  );
  const synth13563 = new Set(codes.filter((c) => !unemp.has(`${c}|2024`)));
  tables.push({
    id: '13563',
    title: 'Prioritert arbeidsstyrkestatus (registerbasert), etter region, alder og arbeidsstyrkestatus',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('Alder', 'alder', [['20-66', '20-66 år'], ['15-74', '15-74 år']]),
      dim('InnvandrKat', 'innvandringskategori', [['A-G', 'I alt'], ['B', 'Innvandrere']]),
      dim('HovArbStyrkStatus', 'arbeidsstyrkestatus', [['A.01', 'Sysselsatte'], ['A.09', 'Registrerte arbeidsledige']]),
      dim('ContentsCode', 'statistikkvariabel', [['Bosatte', 'Bosatte personer']], { units: { Bosatte: { base: 'personer', decimals: 0 } } }),
      tid(['2024']),
    ],
    kommuneCell(code, c) {
      if (c.Alder !== '20-66' || c.InnvandrKat !== 'A-G') return MISSING;
      const real = unemp.get(`${code}|${c.Tid}`);
      const counts = real ?? synthetic13563(code, population(code, c.Tid!) ?? 0);
      return { value: c.HovArbStyrkStatus === 'A.01' ? counts.employed : counts.unemployed };
    },
    aggregate: 'sum',
    synthetic: { kommuner: synth13563, aggregates: true, note: 'SYNTHETIC: kommuner outside Nord-Norge and the national/county sums (synthetic13563)' },
    provenance: 'arbeidsledighet.csv (sysselsatte = A.01, registrerte_ledige = A.09) for the 80 Nord-Norge kommuner; the rest synthetic',
  });

  // 05940 Boligbygging ----------------------------------------------------------------------------
  const built = new Map(
    snapshotCsv('boligbygging.csv')
      .filter((r) => r.status!.startsWith('ssb_05940'))
      .map((r) => [`${r.kommunenummer}|${r.year}|${r.maal === 'igangsatte_boliger' ? 'Igangsatte' : 'Fullforte'}`, Number(r.value)]),
  );
  const real05940 = new Set([...built.keys()].map((k) => k.slice(0, 4)));
  tables.push({
    id: '05940',
    title: 'Byggeareal. Boliger og bruksareal til bolig, etter bygningstype',
    regions: { own: lists.own, codelists: { agg_KommSummer: lists.kommSummer } },
    dims: [
      dim('Bygningstype', 'bygningstype', [['01', 'Enebolig'], ['02', 'Tomannsbolig og rekkehus'], ['03', 'Boligblokk'], ['04', 'Bygning for bofellesskap']], {
        elimination: true,
        modelled: 'total-only',
      }),
      dim('ContentsCode', 'statistikkvariabel', [['Igangsatte', 'Igangsatte boliger'], ['Fullforte', 'Fullførte boliger']], {
        units: { Igangsatte: { base: 'boliger', decimals: 0 }, Fullforte: { base: 'boliger', decimals: 0 } },
      }),
      tid(years(2021, 2025)),
    ],
    kommuneCell(code, c) {
      const what = c.ContentsCode as 'Igangsatte' | 'Fullforte';
      const real = built.get(`${code}|${c.Tid}|${what}`);
      if (real !== undefined) return { value: real };
      if (real05940.has(code)) return MISSING;
      const p = population(code, c.Tid!);
      return p === null ? MISSING : { value: synthetic05940(code, c.Tid!, p, what) };
    },
    aggregate: 'sum',
    synthetic: {
      kommuner: new Set(codes.filter((c) => !real05940.has(c))),
      aggregates: true,
      note: 'SYNTHETIC: kommuner other than Oslo and Telemark, and the national/county sums (synthetic05940)',
    },
    provenance: 'boligbygging.csv rows with status ssb_05940* (Oslo, Telemark); the rest synthetic',
  });

  // 01180 / 04813 Kommunestyrevalget 2023 -------------------------------------------------------
  const partyLabel = (code: string) => PARTY_NAMES[SSB_PARTY_CODES[code] as PartyCode]?.nb ?? code;
  const votes = byKey(snapshotCsv('valg-kommunestyre-2023-stemmer.csv'), (r) => r.kommunenummer!);
  const voteCodes = Object.keys(SSB_PARTY_CODES).filter((c) => c !== '33' && c !== '44');
  tables.push({
    id: '01180',
    title: 'Kommunestyrevalget. Godkjente stemmer, etter parti/valgliste',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('PolitParti', 'parti', voteCodes.map((c) => [c, partyLabel(c)])),
      dim('ContentsCode', 'statistikkvariabel', [['Godkjente1', 'Godkjente stemmer']], { units: { Godkjente1: { base: 'stemmer', decimals: 0 } } }),
      tid(['2023']),
    ],
    kommuneCell(code, c) {
      const v = num(votes.get(code)?.[`${SSB_PARTY_CODES[c.PolitParti!]}_stemmer`]);
      return v === null ? MISSING : { value: v };
    },
    aggregate: 'sum',
    synthetic: null,
    provenance: 'valg-kommunestyre-2023-stemmer.csv (<PARTY>_stemmer), PolitParti via SSB_PARTY_CODES',
  });
  const seats = byKey(snapshotCsv('valg-kommunestyre-2023-mandater.csv'), (r) => r.kommunenummer!);
  tables.push({
    id: '04813',
    title: 'Kommunestyremedlemmer, etter parti/valgliste',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('PolitParti', 'parti', Object.keys(SSB_PARTY_CODES).map((c) => [c, partyLabel(c)])),
      dim('ContentsCode', 'statistikkvariabel', [['Medlemmer', 'Kommunestyremedlemmer']], { units: { Medlemmer: { base: 'representanter', decimals: 0 } } }),
      tid(['2023']),
    ],
    kommuneCell(code, c) {
      const v = num(seats.get(code)?.[SSB_PARTY_CODES[c.PolitParti!]!]);
      return v === null ? MISSING : { value: v };
    },
    aggregate: 'sum',
    synthetic: null,
    provenance: 'valg-kommunestyre-2023-mandater.csv (one column per party), PolitParti via SSB_PARTY_CODES',
  });

  // 14545 Kvadratmeterpris fra 2025 -------------------------------------------------------------
  // No 2025 price is in the snapshot: every cell is SYNTHETIC, from the kommune's real 2024 rows.
  const price2024 = (code: string) => {
    let w = 0;
    let n = 0;
    for (const t of ['01', '02', '03']) {
      const row = price.get(`${code}|2024|${t}`);
      const p = num(row?.value);
      const q = num(row?.antall_omsetninger);
      if (p !== null && q !== null && q > 0 && !suppressedKommuner.has(`${code}|2024`)) {
        w += p * q;
        n += q;
      }
    }
    return n > 0 ? { price: w / n, sales: n } : null;
  };
  const countyPrice = new Map<string, number>();
  for (const county of new Set(codes.map((c) => c.slice(0, 2)))) {
    let w = 0;
    let n = 0;
    for (const c of codes.filter((x) => x.startsWith(county))) {
      const p = price2024(c);
      if (p) {
        w += p.price * p.sales;
        n += p.sales;
      }
    }
    if (n > 0) countyPrice.set(county, w / n);
  }
  tables.push({
    id: '14545',
    title: 'Gjennomsnittlig kvadratmeterpris og antall omsetninger (fra 2025)',
    regions: { own: lists.own, codelists: {} },
    dims: [
      // Only 00 and 01 are shown by public request code; the mock leaves 02 and 03 out (the harder case).
      dim('Boligtype', 'boligtype', [['00', 'Alle boligtyper'], ['01', 'Eneboliger']]),
      dim('ContentsCode', 'statistikkvariabel', [['KvPris', 'Gjennomsnittlig kvadratmeterpris (kr)'], ['Omsetninger', 'Antall omsetninger']], {
        units: { KvPris: { base: 'kr', decimals: 0 }, Omsetninger: { base: 'omsetninger', decimals: 0 } },
      }),
      tid(['2025']),
    ],
    kommuneCell(code, c) {
      const real = price2024(code);
      const growth = 1.02 + 0.04 * unit(`${code}:14545`);
      const all = real ? { price: real.price * growth, sales: real.sales } : { price: (countyPrice.get(code.slice(0, 2)) ?? 30_000) * (0.75 + 0.1 * unit(`${code}:p`)), sales: 5 + Math.round(10 * unit(`${code}:s`)) };
      if (c.Boligtype === '00') return { value: c.ContentsCode === 'KvPris' ? Math.round(all.price) : all.sales };
      const detached = price.get(`${code}|2024|01`);
      const p = num(detached?.value);
      const q = num(detached?.antall_omsetninger);
      if (p === null || q === null || suppressedKommuner.has(`${code}|2024`)) return SUPPRESSED;
      return { value: c.ContentsCode === 'KvPris' ? Math.round(p * growth) : q };
    },
    aggregate: 'missing',
    synthetic: { kommuner: new Set(codes), aggregates: false, note: 'SYNTHETIC: every 2025 cell, grown from the kommune\'s real 2024 rows (boligpris-kvm.csv) or its county\'s mean' },
    provenance: 'boligpris-kvm.csv 2024 rows × a deterministic 2–6 % growth; 00 = the 2024 sales-weighted mean of 01–03; kommuner without a 2024 price get their county\'s mean × 0.75–0.85',
  });

  // 14746 Befolkningsframskrivinger ------------------------------------------------------------
  tables.push({
    id: '14746',
    title: 'Framskrevet folkemengde 1. januar, etter region, kjønn, alder, statistikkvariabel og år',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('Kjonn', 'kjønn', [['1', 'Menn'], ['2', 'Kvinner']], { elimination: true }),
      dim('Alder', 'alder', [['000', '0 år (omkodet: 0–66 år)'], ['067', '67 år (omkodet: 67 år eller eldre)']], { elimination: true }),
      dim('ContentsCode', 'statistikkvariabel', [['Personer', 'Hovedalternativet (MMMM)'], ['Personer1', 'Lav nasjonal vekst (LLML)'], ['Personer2', 'Høy nasjonal vekst (HHMH)']], {
        units: { Personer: { base: 'personer', decimals: 0 }, Personer1: { base: 'personer', decimals: 0 }, Personer2: { base: 'personer', decimals: 0 } },
      }),
      tid(years(2026, 2050)),
    ],
    kommuneCell(code, c) {
      const base = population(code, '2026');
      // 1508 Ålesund and 1580 Haram exist from 2024 only.
      const from = population(code, '2021') !== null ? '2021' : '2024';
      const then = population(code, from);
      if (base === null || then === null || then === 0) return MISSING;
      // The kommune's real growth since 2021 (or 2024), damped, carried on (SYNTHETIC beyond 2026).
      const yearly = ((base - then) / then / (2026 - Number(from))) * 0.7 + (c.ContentsCode === 'Personer1' ? -0.003 : c.ContentsCode === 'Personer2' ? 0.003 : 0);
      const total = Math.round(base * (1 + yearly * (Number(c.Tid) - 2026)));
      const old = Math.round(total * (0.15 + 0.1 * unit(`${code}:67`)));
      const byAge = c.Alder === '067' ? old : total - old;
      const men = Math.round(byAge / 2);
      return { value: c.Kjonn === '1' ? men : byAge - men };
    },
    aggregate: 'sum',
    synthetic: { kommuner: new Set(codes), aggregates: true, note: 'SYNTHETIC: projections after 2026 carry on each kommune\'s real growth since 2021 (2024 for 1508/1580; befolkning.csv), damped' },
    provenance: 'befolkning.csv 2021 and 2026; base year 2026 = the real population; sex and age re-encoded as halves and a synthetic 67+ share',
  });

  // 06265 Boliger etter bygningstype -----------------------------------------------------------
  const dwellingTypes = byKey(snapshotCsv('boligtyper-andel.csv'), (r) => `${r.kommunenummer}|${r.year}`);
  const shareColumn: Record<string, string> = { '01': 'andel_enebolig', '02': 'andel_tomannsbolig', '03': 'andel_rekkehus_smahus', '04': 'value', '05': 'andel_bofellesskap', '999': 'andel_andre_bygningstyper' };
  tables.push({
    id: '06265',
    title: 'Boliger, etter bygningstype',
    regions: { own: lists.own, codelists: {} },
    dims: [
      dim('BygnType', 'bygningstype', [['01', 'Enebolig'], ['02', 'Tomannsbolig'], ['03', 'Rekkehus, kjedehus og andre småhus'], ['04', 'Boligblokk'], ['05', 'Bygning for bofellesskap'], ['999', 'Andre bygningstyper']]),
      dim('ContentsCode', 'statistikkvariabel', [['Boliger', 'Boliger']], { units: { Boliger: { base: 'boliger', decimals: 0 } } }),
      tid(['2024']),
    ],
    kommuneCell(code, c) {
      const row = dwellingTypes.get(`${code}|${c.Tid}`);
      const share = num(row?.[shareColumn[c.BygnType!]!]);
      const pop = population(code, c.Tid!);
      if (share === null || pop === null) return MISSING;
      // Real shares × a SYNTHETIC stock (0.47 dwellings per inhabitant): the share re-computed is the real one ± rounding.
      return { value: Math.round((share / 100) * Math.round(pop * 0.47 * 100)) };
    },
    aggregate: 'sum',
    synthetic: { kommuner: new Set(codes), aggregates: true, note: 'SYNTHETIC counts: the real 2024 shares (boligtyper-andel.csv) × 47 dwellings per inhabitant (× 100, so shares survive rounding)' },
    provenance: 'boligtyper-andel.csv (value = boligblokk and the five other shares) × a synthetic stock',
  });

  // KOSTRA 12008, 13277, 12134 ------------------------------------------------------------------
  const kostraRegions = { own: lists.kostra, codelists: {} };
  const municipalHousing = new Map(
    snapshotCsv('kommunale-boliger.csv')
      .filter((r) => r.maal !== 'kommunalt_disponerte_boliger_antall' && r.value)
      .map((r) => [`${r.kommunenummer}|${r.year}`, Number(r.value)]),
  );
  const kostraYears = years(2023, 2025);
  tables.push({
    id: '12008',
    title: 'Kommunalt disponerte boliger - nøkkeltall (K)',
    regionVariable: 'KOKkommuneregion0000',
    regions: kostraRegions,
    dims: [
      dim('ContentsCode', 'statistikkvariabel', [
        ['KOSboligSper10000000', 'Kommunalt disponerte boliger per 1000 innbyggere'],
        // Codes below are the mock's own (no public request shows the real ones); their labels are what the spec resolves.
        ['KOSmocksoknad0000', 'Antall søknader om kommunal bolig per 1000 innbyggere'],
        ['KOSmocknyesoknad0000', 'Antall nye søknader om kommunal bolig per 1000 innbyggere'],
        ['KOSmockavslag0000', 'Andel søknader om kommunal bolig som har fått avslag (prosent)'],
        ['KOSmocknyeavslag0000', 'Andel nye søkere som har fått avslag på kommunal bolig (prosent)'],
      ], { units: { KOSboligSper10000000: { base: 'boliger', decimals: 0 } } }),
      tid(kostraYears),
    ],
    kommuneCell(code, c) {
      const u = unit(`${code}:${c.Tid}:${c.ContentsCode}`);
      switch (c.ContentsCode) {
        case 'KOSboligSper10000000': {
          const real = municipalHousing.get(`${code}|${c.Tid}`);
          return { value: real ?? Math.round(8 + 25 * u) };
        }
        case 'KOSmocksoknad0000':
        case 'KOSmocknyesoknad0000':
          return { value: Math.round(10 * (1 + 6 * u)) / 10 };
        default:
          return { value: Math.round(100 * (10 + 50 * u)) / 100 };
      }
    },
    aggregate: 'missing',
    synthetic: {
      kommuner: new Set(codes),
      aggregates: false,
      note: 'SYNTHETIC: per-1000 values other than the 70 real 2025 rows of kommunale-boliger.csv, and every application/rejection cell (the codes are the mock\'s)',
    },
    provenance: 'kommunale-boliger.csv per-1000 rows (2025, Nord-Norge); the rest synthetic',
  });
  tables.push({
    id: '13277',
    title: 'Husbanken-virkemidler (K)',
    regionVariable: 'KOKkommuneregion0000',
    regions: kostraRegions,
    dims: [
      dim('ContentsCode', 'statistikkvariabel', [
        // The mock's own codes; the spec finds them by label, as it must on the live table.
        ['KOSmockstartlanant0000', 'Startlån formidlet av kommunen, antall lån'],
        ['KOSmockstartlanbel0000', 'Startlån formidlet av kommunen, beløp (1000 kr)'],
        ['KOSmockstartlan1000', 'Startlån per 1000 innbyggere, antall'],
        ['KOSmocktilskudd0000', 'Tilskudd til etablering, antall'],
      ]),
      tid(kostraYears),
    ],
    kommuneCell(code, c) {
      const pop = population(code, c.Tid!) ?? population(code, '2025');
      if (pop === null) return MISSING;
      const count = Math.round((pop * (0.5 + 2 * unit(`${code}:${c.Tid}:startlan`))) / 1000);
      switch (c.ContentsCode) {
        case 'KOSmockstartlanant0000':
          return { value: count };
        case 'KOSmockstartlanbel0000':
          return { value: Math.round(count * (1800 + 1000 * unit(`${code}:${c.Tid}:amount`))) };
        case 'KOSmockstartlan1000':
          return { value: Math.round((10_000 * count) / pop) / 10 };
        default:
          return { value: Math.round(count / 3) };
      }
    },
    aggregate: 'missing',
    synthetic: { kommuner: new Set(codes), aggregates: false, note: 'SYNTHETIC: every cell (0.5–2.5 startlån per 1,000 inhabitants from the real population); the codes are the mock\'s' },
    provenance: 'befolkning.csv population × synthetic rates',
  });
  const probeCells = probe12134();
  tables.push({
    id: '12134',
    title: 'Utvalgte nøkkeltall for kommuneregnskap, kommunekonsern (K)',
    regionVariable: 'KOKkommuneregion0000',
    regions: kostraRegions,
    dims: [
      dim('ContentsCode', 'statistikkvariabel', [
        ['KOSAG110000', 'Frie inntekter per innbygger (kr)'],
        ['KOSAGD230000', 'Netto driftresultat i prosent av brutto driftsinntekter'],
        ['KOSKG320000', 'Langsiktig gjeld (uten pensjonsforpliktelser) i prosent av brutto driftsinntekter'],
      ], { units: { KOSAG110000: { base: 'kr', decimals: 0 }, KOSAGD230000: { base: 'prosent', decimals: 1 }, KOSKG320000: { base: 'prosent', decimals: 1 } } }),
      tid(kostraYears),
    ],
    kommuneCell(code, c) {
      const u = unit(`${code}:${c.Tid}:${c.ContentsCode}`);
      if (c.ContentsCode === 'KOSAG110000') {
        const real = probeCells.get(`${code}|${c.Tid}`);
        return real === undefined ? MISSING : { value: real };
      }
      return { value: c.ContentsCode === 'KOSAGD230000' ? Math.round(10 * (-3 + 8 * u)) / 10 : Math.round(10 * (60 + 100 * u)) / 10 };
    },
    aggregate: 'missing',
    synthetic: { kommuner: new Set(codes), aggregates: false, note: 'SYNTHETIC: KOSAGD230000 and KOSKG320000 in every kommune; KOSAG110000 has only the probe\'s three real 2024 values' },
    provenance: 'the recorded probe (KOSAG110000 2024 for 0301, 4601, 5001); the two codes the spec reads are synthetic',
  });

  const map = new Map(tables.map((t) => [t.id, t]));
  const uncovered = SSB_SPECS.filter((s) => !map.has(s.table)).map((s) => s.table);
  if (uncovered.length > 0) throw new Error(`ssb-mock: no table model for SSB_SPECS table(s) ${uncovered.join(', ')}; add one`);
  return map;
}

/** What the mock serves as synthetic, for the docs and for tests that must not compare it with data/. */
export function syntheticSummary(): { table: string; kommuner: number; note: string }[] {
  return [...buildTablesCached().values()]
    .filter((t) => t.synthetic)
    .map((t) => ({ table: t.id, kommuner: t.synthetic!.kommuner.size, note: t.synthetic!.note }));
}

let tablesCache: Map<string, TableModel> | undefined;
function buildTablesCached(): Map<string, TableModel> {
  return (tablesCache ??= buildTables());
}

// ---------------------------------------------------------------------------------------------
// Faults

export type SsbEndpoint = 'table' | 'metadata' | 'data';

export type SsbFault =
  /** Answers with this status (and headers/body) instead of the payload. */
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** An RFC 7807-like PxWebApi error body: {"type","title","status"}. */
  | { type: 'problem'; status: number; title: string; problemType?: string; headers?: Record<string, string> }
  /** Never answers (the client's timeout must end it). */
  | { type: 'hang' }
  /** Network failure: fetch rejects. */
  | { type: 'network' }
  /** The real payload cut short. */
  | { type: 'truncate'; keep?: number }
  /** The real payload, changed before it is sent. */
  | { type: 'edit'; edit: (json: JsonStat2 | Record<string, unknown>) => void };

export const ssbFaults = {
  rateLimited: (retryAfterSeconds: number): SsbFault => ({
    type: 'problem',
    status: 429,
    title: 'Too many requests',
    problemType: 'Rate limit',
    headers: { 'retry-after': String(retryAfterSeconds) },
  }),
  unavailable: (): SsbFault => ({ type: 'status', status: 503, body: '' }),
  hang: (): SsbFault => ({ type: 'hang' }),
  network: (): SsbFault => ({ type: 'network' }),
  truncated: (keep = 0.6): SsbFault => ({ type: 'truncate', keep }),
  /** `size` says one more Region than the category lists. */
  wrongSize: (): SsbFault => ({
    type: 'edit',
    edit: (json) => {
      const j = json as JsonStat2;
      j.size[j.id.indexOf('Region')]! += 1;
    },
  }),
  nonExistentValue: (): SsbFault => ({ type: 'problem', status: 400, title: 'Non-existent value' }),
  /** The metadata without one code of one variable (e.g. HovArbStyrkStatus A.09). */
  withoutCode: (variable: string, code: string): SsbFault => ({
    type: 'edit',
    edit: (json) => {
      const j = json as JsonStat2;
      const d = j.dimension[variable];
      if (!d) throw new Error(`withoutCode: no dimension ${variable}`);
      const codes = Object.keys(d.category.index).filter((c) => c !== code).sort((a, b) => d.category.index[a]! - d.category.index[b]!);
      d.category.index = Object.fromEntries(codes.map((c, i) => [c, i]));
      delete d.category.label[code];
      j.size[j.id.indexOf(variable)] = codes.length;
    },
  }),
};

interface ArmedFault {
  table: string;
  endpoint: SsbEndpoint | 'any';
  fault: SsbFault;
  remaining: number;
}

// ---------------------------------------------------------------------------------------------
// The mock

export interface MockRequest {
  method: string;
  url: string;
  path: string;
  table: string;
  endpoint: SsbEndpoint;
  query: Record<string, string>;
  body?: string;
  /** Filled in once answered (absent for a request that never got an answer). */
  status?: number;
  responseText?: string;
}

export type CellPatch = (cell: Cell, at: { region: MockRegion; coords: Coords }) => Cell;

export interface SsbMock {
  readonly tables: ReadonlyMap<string, TableModel>;
  readonly requests: MockRequest[];
  /** msw handlers for /tables/:id, /tables/:id/metadata and /tables/:id/data (GET and POST). */
  readonly handlers: ReturnType<typeof http.get>[];
  /** A fetch that answers from the mock without msw (for the bench). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  handle(request: Request): Promise<Response>;
  updated(table: string): string;
  setUpdated(table: string, iso: string): void;
  /** Moves a table's `updated` stamp a day on: the next refresh downloads it again. */
  touch(table: string): string;
  /** Arms a fault for the next `times` matching requests. */
  fail(table: string, endpoint: SsbEndpoint | 'any', fault: SsbFault, times?: number): void;
  clearFaults(): void;
  /** Changes cells of a table from now on (e.g. a revised figure, or '..' where a number was). */
  patch(table: string, fn: CellPatch): void;
  clearPatches(table?: string): void;
  count(filter?: { table?: string; endpoint?: SsbEndpoint; method?: string }): number;
  clearRequests(): void;
  /**
   * GET URLs longer than this get the recorded IIS 404 HTML page, as SSB answers past about 2,100
   * characters (the probe's `singleBatch`). Default 2,100.
   */
  setGetUrlLimit(chars: number): void;
  /** The JSON the data endpoint would send for a selection, for tests of the encoder itself. */
  dataJson(table: string, selection: Selection[]): JsonStat2;
}

export interface Selection {
  variable: string;
  codelist?: string;
  values: string[];
}

class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly problemType = 'Parameter error',
  ) {
    super(title);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };

function problem(status: number, title: string, type = 'Parameter error', headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type, title, status }), { status, headers: { 'content-type': 'application/problem+json; charset=UTF-8', ...headers } });
}

/** Splits a GET value list on commas outside square brackets; "[range(a,b)]" loses its brackets. */
function splitValues(v: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of v) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => (s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s));
}

/** Evaluates PxWebApi v2 selection expressions (data-sources.md §1.1) against a code list. */
export function selectCodes(values: readonly string[], codes: readonly string[]): string[] {
  const picked = new Set<string>();
  const indexOf = (c: string) => {
    const i = codes.indexOf(c);
    if (i < 0) throw new ProblemError(400, 'Non-existent value');
    return i;
  };
  const explicit = values.filter((v) => !/[*?(]/.test(v));
  if (new Set(explicit).size !== explicit.length) throw new ProblemError(500, '');
  for (const v of values) {
    let m: RegExpExecArray | null;
    if (v === '*') codes.forEach((c) => picked.add(c));
    else if ((m = /^(top|bottom)\((\d+)(?:,(\d+))?\)$/i.exec(v))) {
      const n = Number(m[2]);
      const off = Number(m[3] ?? 0);
      const slice = m[1]!.toLowerCase() === 'top' ? codes.slice(Math.max(0, codes.length - n - off), codes.length - off) : codes.slice(off, off + n);
      slice.forEach((c) => picked.add(c));
    } else if ((m = /^from\((.+)\)$/i.exec(v))) codes.slice(indexOf(m[1]!)).forEach((c) => picked.add(c));
    else if ((m = /^to\((.+)\)$/i.exec(v))) codes.slice(0, indexOf(m[1]!) + 1).forEach((c) => picked.add(c));
    else if ((m = /^range\((.+),(.+)\)$/i.exec(v))) codes.slice(indexOf(m[1]!), indexOf(m[2]!) + 1).forEach((c) => picked.add(c));
    else if (v.includes('(')) throw new ProblemError(400, 'Illegal selection expression');
    else if (v.includes('*') || v.includes('?')) {
      if ((v.match(/\*/g) ?? []).length > 2) throw new ProblemError(400, 'Illegal selection expression');
      const re = new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      const hits = codes.filter((c) => re.test(c));
      if (hits.length === 0) throw new ProblemError(400, 'Non-existent value');
      hits.forEach((c) => picked.add(c));
    } else {
      indexOf(v);
      picked.add(v);
    }
  }
  if (picked.size === 0) throw new ProblemError(400, `Non-existent value`);
  // SSB answers in the table's order, whatever the order of the request.
  return codes.filter((c) => picked.has(c));
}

export function createSsbMock(): SsbMock {
  const tables = buildTablesCached();
  const stamps = new Map([...tables.keys()].map((id) => [id, DEFAULT_UPDATED[id] ?? '2025-01-01T07:00:00Z']));
  const patches = new Map<string, CellPatch[]>();
  const requests: MockRequest[] = [];
  let faults: ArmedFault[] = [];
  let getUrlLimit = 2100;
  const sumCache = new Map<string, Cell>();

  const model = (table: string) => {
    const t = tables.get(table);
    if (!t) throw new ProblemError(404, 'Non-existent table', 'Not found');
    return t;
  };

  /** One cell; eliminated 'codes' dimensions are summed, as SSB does for eliminated variables. */
  function cellOf(t: TableModel, region: MockRegion, coords: Record<string, string>): Cell {
    const missing = t.dims.find((d) => d.modelled === 'codes' && coords[d.id] === undefined);
    if (missing) {
      let sum = 0;
      for (const code of missing.codes) {
        const c = cellOf(t, region, { ...coords, [missing.id]: code });
        if (c.value === null) return MISSING;
        sum += c.value;
      }
      return { value: sum };
    }
    let cell: Cell;
    switch (region.kind) {
      case 'kommune':
        cell = t.kommuneCell(region.key, coords);
        break;
      case 'national':
      case 'county':
        cell = t.aggregate === 'sum' ? sumOf(t, region, coords) : MISSING;
        break;
      case 'group':
        cell = MISSING;
        break;
      case 'historical':
        cell = NOT_APPLICABLE;
        break;
      case 'special':
        cell = MISSING;
        break;
    }
    for (const p of patches.get(t.id) ?? []) cell = p(cell, { region, coords });
    return cell;
  }

  function sumOf(t: TableModel, region: MockRegion, coords: Record<string, string>): Cell {
    const key = `${t.id}|${region.key}|${Object.entries(coords).sort().map(([k, v]) => `${k}=${v}`).join('&')}`;
    let cached = sumCache.get(key);
    if (cached) return cached;
    let sum = 0;
    let ok = true;
    for (const r of t.regions.own) {
      if (r.kind !== 'kommune' || (region.kind === 'county' && !r.key.startsWith(region.key))) continue;
      const c = t.kommuneCell(r.key, coords);
      if (c.value === null) {
        ok = false;
        break;
      }
      sum += c.value;
    }
    sumCache.set(key, (cached = ok ? { value: sum } : MISSING));
    return cached;
  }

  function regionDimension(t: TableModel, list: MockRegion[], codes: string[]): EncodeDimension {
    const labels = new Map(list.map((r) => [r.code, r.label]));
    // KOSTRA's region variable cannot be eliminated (the recorded probe: elimination false).
    const elimination = regionOf(t) === 'Region';
    return { id: regionOf(t), label: 'region', codes, labels: Object.fromEntries(codes.map((c) => [c, labels.get(c)!])), extension: { elimination, show: 'code_value' } };
  }

  function label(t: TableModel): string {
    const ys = t.dims.find((d) => d.id === 'Tid')!.codes;
    return `${t.id}: ${t.title} ${ys[0]}-${ys[ys.length - 1]}`;
  }

  function tableInfo(t: TableModel) {
    const ys = t.dims.find((d) => d.id === 'Tid')!.codes;
    return {
      language: 'no',
      id: t.id,
      label: label(t),
      description: '',
      updated: stamps.get(t.id)!,
      firstPeriod: ys[0],
      lastPeriod: ys[ys.length - 1],
      category: 'public',
      variableNames: ['region', ...t.dims.map((d) => d.label)],
      source: 'Statistisk sentralbyrå',
      timeUnit: 'Annual',
      discontinued: false,
    };
  }

  function metadataJson(t: TableModel): JsonStat2 {
    const dims: EncodeDimension[] = [
      regionDimension(t, t.regions.own, t.regions.own.map((r) => r.code)),
      ...t.dims.map((d) => ({ id: d.id, label: d.label, codes: d.codes, labels: d.labels, ...(d.units ? { units: d.units } : {}), extension: { elimination: d.elimination, show: 'value' } })),
    ];
    // Metadata carries no values: encode with empty cells, then strip them.
    const full = encodeJsonStat({ dims, value: () => null, updated: stamps.get(t.id)!, label: label(t), tableId: t.id, roles: { geo: [regionOf(t)] } });
    return metadataOf(full, { codelists: { [regionOf(t)]: Object.keys(t.regions.codelists) } });
  }

  function dataJson(table: string, selection: Selection[]): JsonStat2 {
    const t = model(table);
    const rv = regionOf(t);
    const known = new Set([rv, ...t.dims.map((d) => d.id)]);
    for (const s of selection) if (!known.has(s.variable)) throw new ProblemError(400, 'Non-existent variable');
    const sel = new Map(selection.map((s) => [s.variable, s]));
    for (const d of t.dims) {
      if (!d.elimination && !sel.has(d.id)) throw new ProblemError(400, 'Missing selection for mandantory variable');
      if (d.modelled === 'total-only' && sel.has(d.id)) throw new ProblemError(400, `Mock: ${d.id} is only modelled eliminated (the snapshot has totals only)`);
    }
    const rs = sel.get(rv);
    if (!rs) throw new ProblemError(400, rv === 'Region' ? 'Mock: eliminating Region is not modelled' : 'Missing selection for mandantory variable');
    let regionList = t.regions.own;
    if (rs.codelist) {
      const list = t.regions.codelists[rs.codelist];
      if (!list) throw new ProblemError(400, 'Non-existent codelist');
      regionList = list;
    }
    for (const s of selection) if (s.variable !== rv && s.codelist) throw new ProblemError(400, 'Non-existent codelist');
    const regionCodes = selectCodes(rs.values, regionList.map((r) => r.code));
    const byCode = new Map(regionList.map((r) => [r.code, r]));
    const order = t.dataOrder ?? [rv, ...t.dims.map((d) => d.id)];
    const dims: EncodeDimension[] = [];
    for (const id of order) {
      if (id === rv) {
        dims.push(regionDimension(t, regionList, regionCodes));
        continue;
      }
      const d = t.dims.find((x) => x.id === id)!;
      const s = sel.get(id);
      if (!s) continue; // eliminated
      const codes = selectCodes(s.values, d.codes);
      dims.push({ id, label: d.label, codes, labels: d.labels, ...(d.units ? { units: d.units } : {}), extension: { elimination: d.elimination, show: 'value' } });
    }
    const cells = dims.reduce((n, d) => n * d.codes.length, 1);
    if (cells > 800_000) throw new ProblemError(400, 'Too many cells selected');
    const memo = new Map<string, Cell>();
    const at = (coords: Coords): Cell => {
      const key = dims.map((d) => coords[d.id]).join('|');
      let c = memo.get(key);
      if (!c) {
        const { [rv]: code, ...rest } = coords;
        memo.set(key, (c = cellOf(t, byCode.get(code!)!, rest)));
      }
      return c;
    };
    return encodeJsonStat({
      dims,
      value: (c) => at(c).value,
      status: (c) => at(c).status,
      updated: stamps.get(t.id)!,
      label: label(t),
      tableId: t.id,
      roles: { geo: [rv] },
    });
  }

  function parseSelection(url: URL, body: string | undefined): Selection[] {
    if (body !== undefined) {
      let parsed: { selection?: { variableCode: string; codelist?: string; valueCodes: string[] }[] };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {
        throw new ProblemError(400, 'Invalid JSON in request body');
      }
      return (parsed.selection ?? []).map((s) => ({ variable: s.variableCode, values: s.valueCodes, ...(s.codelist ? { codelist: s.codelist } : {}) }));
    }
    const byVar = new Map<string, Selection>();
    const get = (v: string) => {
      let s = byVar.get(v);
      if (!s) byVar.set(v, (s = { variable: v, values: [] }));
      return s;
    };
    for (const [k, v] of url.searchParams) {
      const vc = /^valuecodes\[(.+)\]$/i.exec(k);
      const cl = /^codelist\[(.+)\]$/i.exec(k);
      if (vc) get(vc[1]!).values.push(...splitValues(v));
      else if (cl) get(cl[1]!).codelist = v;
    }
    return [...byVar.values()];
  }

  function takeFault(table: string, endpoint: SsbEndpoint): SsbFault | undefined {
    const f = faults.find((x) => x.table === table && (x.endpoint === 'any' || x.endpoint === endpoint) && x.remaining > 0);
    if (!f) return undefined;
    f.remaining--;
    return f.fault;
  }

  async function respond(entry: MockRequest, url: URL, signal: AbortSignal | undefined): Promise<Response> {
    try {
      const t = model(entry.table);
      const fault = takeFault(t.id, entry.endpoint);
      if (fault?.type === 'hang') {
        // Never answers. When the caller gives up, the handler ends quietly (nobody reads this).
        await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
        return new Response(null, { status: 499, statusText: 'Client Closed Request' });
      }
      if (fault?.type === 'network') return Response.error();
      if (fault?.type === 'status') return new Response(fault.body ?? '', { status: fault.status, headers: fault.headers ?? {} });
      if (fault?.type === 'problem') return problem(fault.status, fault.title, fault.problemType, fault.headers ?? {});
      if (entry.method === 'GET' && entry.url.length > getUrlLimit) {
        return new Response(recordedProbe().singleBatch.body, { status: 404, headers: { 'content-type': 'text/html' } });
      }
      const format = url.searchParams.get('outputFormat') ?? url.searchParams.get('outputformat');
      if (entry.endpoint !== 'table' && format !== null && format !== 'json-stat2') throw new ProblemError(400, 'Unsupported output format');
      const json: JsonStat2 | Record<string, unknown> =
        entry.endpoint === 'table' ? tableInfo(t) : entry.endpoint === 'metadata' ? metadataJson(t) : dataJson(t.id, parseSelection(url, entry.body));
      if (fault?.type === 'edit') fault.edit(json);
      let text = JSON.stringify(json);
      if (fault?.type === 'truncate') text = text.slice(0, Math.floor(text.length * (fault.keep ?? 0.6)));
      return new Response(text, { status: 200, headers: JSON_HEADERS });
    } catch (err) {
      if (err instanceof ProblemError) {
        // A repeated value code gives 500 with an empty body (data-sources.md §1.1).
        if (err.status === 500) return new Response('', { status: 500 });
        return problem(err.status, err.title, err.problemType);
      }
      throw err;
    }
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const m = /^\/api\/pxwebapi\/v2\/tables\/([^/]+)(?:\/(metadata|data))?\/?$/.exec(url.pathname);
    if (!m) return problem(404, 'Non-existent endpoint', 'Not found');
    const endpoint: SsbEndpoint = (m[2] as 'metadata' | 'data' | undefined) ?? 'table';
    const body = request.method === 'POST' ? await request.text() : undefined;
    const entry: MockRequest = {
      method: request.method,
      url: request.url,
      path: url.pathname,
      table: m[1]!,
      endpoint,
      query: Object.fromEntries(url.searchParams),
      ...(body !== undefined ? { body } : {}),
    };
    requests.push(entry);
    if (request.method === 'POST' && endpoint !== 'data') return problem(405, 'Method not allowed', 'Not allowed');
    const res = await respond(entry, url, request.signal);
    if (request.signal.aborted) return res; // the caller gave up: nothing was answered
    entry.status = res.status;
    if (res.type !== 'error') entry.responseText = await res.clone().text();
    return res;
  }

  const forward = ({ request }: { request: Request }) => handle(request);
  const handlers = [
    http.get(`${SSB_API}/tables/:id`, forward),
    http.get(`${SSB_API}/tables/:id/metadata`, forward),
    http.get(`${SSB_API}/tables/:id/data`, forward),
    http.post(`${SSB_API}/tables/:id/data`, forward),
  ];

  return {
    tables,
    requests,
    handlers,
    handle,
    async fetch(input, init) {
      const res = await handle(new Request(input, init));
      // What a fetch does with a network error: it rejects.
      if (res.type === 'error') throw new TypeError('fetch failed');
      return res;
    },
    updated: (table) => stamps.get(model(table).id)!,
    setUpdated(table, iso) {
      stamps.set(model(table).id, iso);
    },
    touch(table) {
      const next = new Date(Date.parse(stamps.get(model(table).id)!) + 86_400_000).toISOString().replace('.000Z', 'Z');
      stamps.set(table, next);
      return next;
    },
    fail(table, endpoint, fault, times = 1) {
      model(table);
      faults.push({ table, endpoint, fault, remaining: times });
    },
    clearFaults() {
      faults = [];
    },
    patch(table, fn) {
      model(table);
      patches.set(table, [...(patches.get(table) ?? []), fn]);
      for (const k of [...sumCache.keys()]) if (k.startsWith(`${table}|`)) sumCache.delete(k);
    },
    clearPatches(table) {
      if (table) patches.delete(table);
      else patches.clear();
      sumCache.clear();
    },
    count(filter = {}) {
      return requests.filter(
        (r) => (!filter.table || r.table === filter.table) && (!filter.endpoint || r.endpoint === filter.endpoint) && (!filter.method || r.method === filter.method),
      ).length;
    },
    clearRequests() {
      requests.length = 0;
    },
    setGetUrlLimit(chars) {
      getUrlLimit = chars;
    },
    dataJson,
  };
}

// ---------------------------------------------------------------------------------------------
// Kartverket kommuneinfo

/** The real recorded object (5430 Kautokeino, 2020–2023 division); see test/fixtures/README.md. */
export function recordedKommune5430(): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL('kartverket/kartverket_kommuneinfo_kommune_5430_excerpt.json', FIXTURE_DIR), 'utf8')) as Record<string, unknown>;
}

interface KvName {
  navn: string | null;
  prioritet: number;
  sprak: string | null;
}

/**
 * `GET /fylkerkommuner` re-encoded from data/kommuner-2024.csv (357 kommuner, grouped by
 * county), plus the real recorded 5430 object in its own county 54 "Troms og Finnmark" as the
 * 2020–2023 API returned it. Per kommune: `kommunenavn` is the first part of the KLASS name,
 * `kommunenavnNorsk` the Norwegian name without a county qualifier ("Herøy"), `gyldigeNavn` the
 * names in Norwegian, Sami (when the CSV names a Sami language) and Kven, ordered as in the KLASS
 * name and padded to three entries with nulls as in the recorded object.
 */
export function kommuneinfoPayload(edit?: (k: Record<string, unknown>) => void): unknown[] {
  const byCounty = new Map<string, { fylkesnummer: string; fylkesnavn: string; kommuner: Record<string, unknown>[] }>();
  for (const k of snapshotKommuner()) {
    const parts = k.name.split(' - ');
    const names: KvName[] = [];
    const push = (navn: string | null, sprak: string) => {
      if (navn) names.push({ navn, prioritet: 0, sprak });
    };
    push(k.nameNorwegian.replace(/ \(.+\)$/, ''), 'Norwegian');
    if (k.samiLanguage?.includes('Sami')) push(k.nameSami, k.samiLanguage);
    push(k.nameKven, 'Kven');
    const rank = (n: KvName) => {
      const i = parts.findIndex((p) => p.replace(/ \(.+\)$/, '') === n.navn);
      return i < 0 ? 99 : i;
    };
    names.sort((a, b) => rank(a) - rank(b));
    names.forEach((n, i) => (n.prioritet = i + 1));
    while (names.length < 3) names.push({ navn: null, prioritet: names.length + 1, sprak: null });
    const obj: Record<string, unknown> = {
      fylkesnavn: k.countyName,
      fylkesnummer: k.countyCode,
      gyldigeNavn: names,
      kommunenavn: names[0]!.navn,
      kommunenavnNorsk: k.nameNorwegian.replace(/ \(.+\)$/, ''),
      kommunenummer: k.code,
      samiskForvaltningsomrade: false,
    };
    edit?.(obj);
    let county = byCounty.get(k.countyCode);
    if (!county) byCounty.set(k.countyCode, (county = { fylkesnummer: k.countyCode, fylkesnavn: k.countyName, kommuner: [] }));
    county.kommuner.push(obj);
  }
  const recorded = recordedKommune5430();
  return [
    ...byCounty.values(),
    { fylkesnummer: String(recorded.fylkesnummer), fylkesnavn: String(recorded.fylkesnavn), kommuner: [recorded] },
  ];
}

export interface KartverketMock {
  readonly requests: string[];
  readonly handlers: ReturnType<typeof http.get>[];
  /** Changes kommune objects before they are served (e.g. a new name). */
  edit(fn: (k: Record<string, unknown>) => void): void;
}

let boundariesText: string | undefined;

/**
 * `/fylkerkommuner` from `kommuneinfoPayload`, and `/kommuner/illustrasjonskart` as the bundled
 * Kartverket 2024 boundaries (data/kommuner-2024.geojson, served unchanged).
 */
export function createKartverketMock(): KartverketMock {
  const requests: string[] = [];
  let editor: ((k: Record<string, unknown>) => void) | undefined;
  return {
    requests,
    handlers: [
      http.get(KOMMUNEINFO_FYLKER_URL, ({ request }) => {
        requests.push(request.url);
        return HttpResponse.json(kommuneinfoPayload(editor));
      }),
      http.get(KOMMUNEINFO_ILLUSTRASJONSKART_URL, ({ request }) => {
        requests.push(request.url);
        boundariesText ??= readFileSync(new URL('kommuner-2024.geojson', DATA_DIR), 'utf8');
        return new HttpResponse(boundariesText, { headers: { 'content-type': 'application/json' } });
      }),
    ],
    edit(fn) {
      editor = fn;
    },
  };
}
