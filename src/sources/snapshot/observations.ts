import { parseCsv } from '../../lib/csv';
import { DWELLING_TYPES, PARTY_CODES, ind } from '../../domain/indicators';
import { NATIONAL_REGION } from '../../domain/kommune/types';
import type { Observation, ObservationStatus } from '../../domain/observation';

/**
 * Turns the bundled snapshot (data/*.csv, see data/SOURCES.md) into observations with provenance.
 * Pure: the caller reads the files. Each file has its own parser because the files differ in
 * layout; all of them keep the publisher's figures unchanged and carry the file's notes along.
 */

/** The date the snapshot was assembled from its sources (data/SOURCES.md). */
export const SNAPSHOT_DATE = '2026-11-23';

export interface SnapshotFile {
  name: string;
  parse(text: string): Observation[];
}

interface Prov {
  source: string;
  sourceTable: string;
  publishedAt?: string | null;
  fetchedAt?: string;
  file: string;
}

function obs(
  p: Prov,
  regionCode: string,
  indicator: string,
  period: string,
  raw: string | undefined,
  unit: string,
  note: string | null,
  missingStatus: ObservationStatus = 'missing',
): Observation {
  const value = parseNumber(raw, `${p.file} ${regionCode} ${indicator} ${period}`);
  return {
    regionCode,
    indicator,
    period,
    value,
    status: value === null ? missingStatus : 'ok',
    unit,
    source: p.source,
    sourceTable: p.sourceTable,
    publishedAt: p.publishedAt ?? null,
    fetchedAt: p.fetchedAt ?? SNAPSHOT_DATE,
    origin: `snapshot:data/${p.file}`,
    note: note && note.trim() !== '' ? note.trim() : null,
  };
}

function parseNumber(raw: string | undefined, where: string): number | null {
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`Not a number in ${where}: "${raw}"`);
  return n;
}

function need(row: Record<string, string>, col: string, file: string): string {
  const v = row[col];
  if (v === undefined) throw new Error(`${file}: column "${col}" is missing`);
  return v;
}

const befolkning: SnapshotFile = {
  name: 'befolkning.csv',
  parse(text) {
    const p: Prov = { source: 'SSB', sourceTable: '07459', file: this.name };
    return parseCsv(text).map((r) =>
      obs(p, need(r, 'kommunenummer', p.file), ind.population, need(r, 'year', p.file), r.value, 'personer', r.merknad ?? null),
    );
  },
};

const andel65: SnapshotFile = {
  name: 'andel-65-pluss.csv',
  parse(text) {
    // The file's share is rounded to 2 decimals; the counts are exact, so we store the counts and
    // compute shares from them.
    const p: Prov = { source: 'SSB', sourceTable: '07459', file: this.name };
    return parseCsv(text).map((r) =>
      obs(p, need(r, 'kommunenummer', p.file), ind.population65plus, need(r, 'year', p.file), r.pop_65plus, 'personer', r.merknad ?? null),
    );
  },
};

const inntekt: SnapshotFile = {
  name: 'medianinntekt-etter-skatt.csv',
  parse(text) {
    const p: Prov = { source: 'SSB', sourceTable: '06944', fetchedAt: '2026-04-16', file: this.name };
    return parseCsv(text).map((r) =>
      obs(p, need(r, 'kommunenummer', p.file), ind.medianIncome, need(r, 'year', p.file), r.value, 'kr', r.merknad ?? null),
    );
  },
};

const boligpris: SnapshotFile = {
  name: 'boligpris-kvm.csv',
  parse(text) {
    const p: Prov = { source: 'SSB', sourceTable: '06035', fetchedAt: '2026-04-16', file: this.name };
    const out: Observation[] = [];
    for (const r of parseCsv(text)) {
      const code = need(r, 'kommunenummer', p.file);
      const year = need(r, 'year', p.file);
      const type = DWELLING_TYPES.find((t) => t.code === r.boligtype);
      if (!type) {
        // SSB publishes no figure for any dwelling type where there were too few sales.
        for (const t of DWELLING_TYPES) {
          out.push(obs(p, code, ind.priceM2(t.key), year, '', 'kr/m²', r.merknad ?? null, 'suppressed'));
        }
        continue;
      }
      out.push(obs(p, code, ind.priceM2(type.key), year, r.value, 'kr/m²', r.merknad ?? null));
      if (r.antall_omsetninger) {
        out.push(obs(p, code, ind.sales(type.key), year, r.antall_omsetninger, 'omsetninger', null));
      }
    }
    return out;
  },
};

const leiere: SnapshotFile = {
  name: 'andel-leiere.csv',
  parse(text) {
    const p: Prov = { source: 'SSB', sourceTable: '11084', fetchedAt: '2026-04-16', file: this.name };
    return parseCsv(text).map((r) =>
      obs(p, need(r, 'kommunenummer', p.file), ind.rentalShare, need(r, 'year', p.file), r.value, '%', r.merknad ?? null),
    );
  },
};

const arbeidsledighet: SnapshotFile = {
  name: 'arbeidsledighet.csv',
  parse(text) {
    const out: Observation[] = [];
    for (const r of parseCsv(text)) {
      const code = need(r, 'kommunenummer', this.name);
      const maal = need(r, 'maal', this.name);
      const note = r.merknad ?? null;
      if (maal === 'ssb13563_registrerte_ledige_pct_av_sysselsatte_pluss_ledige_20_66') {
        const p: Prov = { source: 'SSB', sourceTable: '13563', fetchedAt: '2026-05-19', file: this.name };
        const year = need(r, 'year', this.name);
        out.push(obs(p, code, ind.unemploymentSsb13563, year, r.value, '%', note));
        out.push(obs(p, code, ind.unemployedSsb13563, year, r.registrerte_ledige, 'personer', null));
        out.push(obs(p, code, ind.employedSsb13563, year, r.sysselsatte, 'personer', null));
      } else if (maal === 'nav_helt_ledige_pct_av_arbeidsstyrken') {
        const p: Prov = { source: 'NAV', sourceTable: 'Helt ledige etter kommune (månedstall)', file: this.name };
        out.push(obs(p, code, ind.unemploymentNavMonth, need(r, 'periode', this.name), r.value, '%', note));
      } else if (maal === 'nav_helt_ledige_pct_snitt_12_maneder') {
        const p: Prov = { source: 'NAV', sourceTable: 'Helt ledige etter kommune (månedstall, snitt av 12)', file: this.name };
        out.push(obs(p, code, ind.unemploymentNav12m, need(r, 'year', this.name), r.value, '%', note));
      } else if (maal === '' && r.status === 'mangler_kilde') {
        // Kept as an explicit gap so answers can say why the figure is missing.
        const p: Prov = { source: 'SSB', sourceTable: '13563', file: this.name };
        out.push(obs(p, code, ind.unemploymentSsb13563, need(r, 'year', this.name), '', '%', note));
      } else {
        throw new Error(`${this.name}: unknown measure "${maal}" for ${code}`);
      }
    }
    return out;
  },
};

const boligbygging: SnapshotFile = {
  name: 'boligbygging.csv',
  parse(text) {
    const out: Observation[] = [];
    for (const r of parseCsv(text)) {
      const code = need(r, 'kommunenummer', this.name);
      const maal = need(r, 'maal', this.name);
      if (maal === '') continue; // a "no source" marker row without a measure: absence says the same
      const status = need(r, 'status', this.name);
      const annual = status.startsWith('ssb_05940');
      const started = maal === 'igangsatte_boliger';
      if (!started && maal !== 'fullforte_boliger') throw new Error(`${this.name}: unknown measure "${maal}"`);
      const indicator = annual
        ? started ? ind.dwellingsStarted05940 : ind.dwellingsCompleted05940
        : started ? ind.dwellingsStarted05889 : ind.dwellingsCompleted05889;
      const p: Prov = annual
        ? { source: 'SSB', sourceTable: '05940', publishedAt: code === '0301' ? '2026-01-29' : null, fetchedAt: code === '0301' ? '2026-07-05' : '2026-08-20', file: this.name }
        : { source: 'SSB', sourceTable: '05889', fetchedAt: '2026-08-09', file: this.name };
      const kvartaler = r.kvartaler ? `perioder: ${r.kvartaler}` : '';
      out.push(obs(p, code, indicator, need(r, 'year', this.name), r.value, 'boliger', [kvartaler, r.merknad].filter(Boolean).join('; ')));
    }
    return out;
  },
};

const kommunaleBoliger: SnapshotFile = {
  name: 'kommunale-boliger.csv',
  parse(text) {
    const out: Observation[] = [];
    for (const r of parseCsv(text)) {
      const code = need(r, 'kommunenummer', this.name);
      const maal = need(r, 'maal', this.name);
      const year = need(r, 'year', this.name);
      if (maal === 'kommunalt_disponerte_boliger_antall') {
        const p: Prov = { source: 'SSB', sourceTable: '12008', publishedAt: '2026-06-15', fetchedAt: '2026-07-05', file: this.name };
        out.push(obs(p, code, ind.municipalDwellingsCount, year, r.value, 'boliger', r.merknad ?? null));
      } else {
        const p: Prov = { source: 'SSB', sourceTable: '12008', fetchedAt: '2026-08-09', file: this.name };
        out.push(obs(p, code, ind.municipalDwellingsPer1000, year, r.value, 'per 1000 innb.', r.merknad ?? null));
      }
    }
    return out;
  },
};

const VOTE_PARTIES = ['A', 'FRP', 'H', 'KRF', 'MDG', 'RODT', 'SP', 'SV', 'V', 'PP', 'FELLESLISTER', 'LOKALE_LISTER', 'ANDRE_LISTER'];

const stemmer: SnapshotFile = {
  name: 'valg-kommunestyre-2023-stemmer.csv',
  parse(text) {
    const p: Prov = { source: 'SSB', sourceTable: '01180', publishedAt: '2023-11-08', fetchedAt: '2026-09-24', file: this.name };
    const out: Observation[] = [];
    for (const r of parseCsv(text)) {
      const code = need(r, 'kommunenummer', p.file);
      const year = need(r, 'year', p.file);
      for (const party of VOTE_PARTIES) {
        out.push(obs(p, code, ind.councilVotes(party), year, need(r, `${party}_stemmer`, p.file), 'stemmer', null));
      }
      out.push(obs(p, code, ind.councilVotesTotal, year, r.godkjente_stemmer_totalt, 'stemmer', r.merknad ?? null));
    }
    return out;
  },
};

const mandater: SnapshotFile = {
  name: 'valg-kommunestyre-2023-mandater.csv',
  parse(text) {
    const p: Prov = { source: 'SSB', sourceTable: '04813', publishedAt: '2025-08-26', file: this.name };
    const out: Observation[] = [];
    for (const r of parseCsv(text)) {
      const code = need(r, 'kommunenummer', p.file);
      const year = need(r, 'year', p.file);
      for (const party of PARTY_CODES) {
        out.push(obs(p, code, ind.councilSeats(party), year, need(r, party, p.file), 'representanter', null));
      }
      out.push(obs(p, code, ind.councilSeatsTotal, year, r.value, 'representanter', r.merknad ?? null));
    }
    return out;
  },
};

const sentralitet: SnapshotFile = {
  name: 'sentralitet.csv',
  parse(text) {
    // KLASS 128 as of the 2024 kommune structure (the 2020 index carried to 2024 codes, data/SOURCES.md).
    const p: Prov = { source: 'SSB', sourceTable: 'KLASS 128', fetchedAt: '2026-09-24', file: this.name };
    return parseCsv(text).flatMap((r) => {
      const code = need(r, 'kommunenummer', p.file);
      const year = need(r, 'year', p.file);
      return [
        obs(p, code, ind.centralityIndex, year, r.value, 'indeks', r.merknad ?? null),
        obs(p, code, ind.centralityClass, year, r.sentralitetsklasse, 'klasse', need(r, 'klasse_navn', p.file)),
      ];
    });
  },
};

const boligtyper: SnapshotFile = {
  name: 'boligtyper-andel.csv',
  parse(text) {
    // SSB 06265, dwelling stock on 1 January of `year`; the file's share of blokk dwellings.
    const p: Prov = { source: 'SSB', sourceTable: '06265', fetchedAt: '2026-04-16', file: this.name };
    return parseCsv(text).map((r) =>
      obs(p, need(r, 'kommunenummer', p.file), ind.dwellingShareBlocks, need(r, 'year', p.file), r.value, '%', r.merknad ?? null),
    );
  },
};

const robek: SnapshotFile = {
  name: 'robek.csv',
  parse(text) {
    // The whole register as published on one date: a 0 is a fact for that date, not a gap.
    const p: Prov = { source: 'KDD', sourceTable: 'ROBEK', fetchedAt: '2026-04-25', file: this.name };
    return parseCsv(text).map((r) => {
      const date = need(r, 'registerdato', p.file);
      const letters = r.lovhjemmel_bokstav?.trim();
      const note = [letters ? `kommuneloven § 28-1 bokstav ${letters}` : '', r.merknad ?? ''].filter((x) => x.trim() !== '').join('; ');
      return obs({ ...p, publishedAt: date }, need(r, 'kommunenummer', p.file), ind.robekRegistered, date, r.value, 'registrert', note);
    });
  },
};

const nasjonale: SnapshotFile = {
  name: 'nasjonale-tall.csv',
  parse(text) {
    return parseCsv(text).map((r) =>
      obs(
        { source: need(r, 'kilde', this.name), sourceTable: need(r, 'tabell', this.name), file: this.name },
        NATIONAL_REGION,
        need(r, 'indikator', this.name),
        need(r, 'periode', this.name),
        r.verdi,
        need(r, 'enhet', this.name),
        r.merknad ?? null,
      ),
    );
  },
};

/** Every snapshot file that feeds observations, in load order. */
export const SNAPSHOT_FILES: readonly SnapshotFile[] = [
  befolkning, andel65, inntekt, boligpris, leiere, arbeidsledighet, boligbygging, kommunaleBoliger, stemmer, mandater,
  sentralitet, boligtyper, robek, nasjonale,
];
