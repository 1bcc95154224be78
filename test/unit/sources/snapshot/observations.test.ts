import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DWELLING_TYPES, ind } from '../../../../src/domain/indicators';
import { NATIONAL_REGION } from '../../../../src/domain/kommune/types';
import { observationKey, type Observation } from '../../../../src/domain/observation';
import { parseCsv } from '../../../../src/lib/csv';
import { SNAPSHOT_DATE, SNAPSHOT_FILES, type SnapshotFile } from '../../../../src/sources/snapshot/observations';

const dataFile = (name: string) => readFileSync(new URL(`../../../../data/${name}`, import.meta.url), 'utf8');

const parsed = new Map<string, Observation[]>(SNAPSHOT_FILES.map((f) => [f.name, f.parse(dataFile(f.name))]));
const all = [...parsed.values()].flat();

function file(name: string): SnapshotFile {
  const f = SNAPSHOT_FILES.find((x) => x.name === name);
  if (!f) throw new Error(`no snapshot file ${name}`);
  return f;
}

function rows(name: string): Observation[] {
  const r = parsed.get(name);
  if (!r) throw new Error(`not parsed: ${name}`);
  return r;
}

describe('SNAPSHOT_FILES on data/*.csv', () => {
  it('lists the fourteen observation files, each once', () => {
    expect(SNAPSHOT_FILES.map((f) => f.name)).toEqual([
      'befolkning.csv',
      'andel-65-pluss.csv',
      'medianinntekt-etter-skatt.csv',
      'boligpris-kvm.csv',
      'andel-leiere.csv',
      'arbeidsledighet.csv',
      'boligbygging.csv',
      'kommunale-boliger.csv',
      'valg-kommunestyre-2023-stemmer.csv',
      'valg-kommunestyre-2023-mandater.csv',
      'sentralitet.csv',
      'boligtyper-andel.csv',
      'robek.csv',
      'nasjonale-tall.csv',
    ]);
  });

  it('yields the expected number of observations per file', () => {
    expect(Object.fromEntries([...parsed].map(([k, v]) => [k, v.length]))).toEqual({
      'befolkning.csv': 2856, // 357 kommuner × 2019–2026
      'andel-65-pluss.csv': 2856,
      'medianinntekt-etter-skatt.csv': 357,
      'boligpris-kvm.csv': 2686, // 1 862 typed prices + 548 sales counts (2024) + 92 suppressed kommuner × 3 types
      'andel-leiere.csv': 357,
      'arbeidsledighet.csv': 611, // 80 × 3 (13563 rate + counts) + 34 NAV 12-month + 60 NAV month + 277 gaps
      'boligbygging.csv': 980, // (80 + 17 + 1) kommuner × 5 years × started/completed; marker rows dropped
      'kommunale-boliger.csv': 358,
      'valg-kommunestyre-2023-stemmer.csv': 4998, // 357 × (13 parties + total)
      'valg-kommunestyre-2023-mandater.csv': 5712, // 357 × (15 parties + total)
      'sentralitet.csv': 714, // 357 × (index + class)
      'boligtyper-andel.csv': 357,
      'robek.csv': 357, // the whole register on 2026-04-20: 27 registered, 330 not
      'nasjonale-tall.csv': 7,
    });
  });

  it('has one observation per (regionCode, indicator, period) across all files', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const [name, obs] of parsed) {
      for (const o of obs) {
        const k = observationKey(o);
        if (seen.has(k)) dupes.push(`${k} in ${seen.get(k)} and ${name}`);
        else seen.set(k, name);
      }
    }
    expect(dupes).toEqual([]);
    expect(seen.size).toBe(all.length);
  });

  it('carries provenance on every row: source, table, origin of its own file, fetch date', () => {
    const bad: string[] = [];
    for (const [name, obs] of parsed) {
      for (const o of obs) {
        const ok =
          /^(SSB|NAV|KDD)$/.test(o.source) &&
          o.sourceTable.trim() !== '' &&
          o.origin === `snapshot:data/${name}` &&
          /^\d{4}-\d{2}-\d{2}$/.test(o.fetchedAt) &&
          o.unit.trim() !== '' &&
          (o.status === 'ok') === (o.value !== null);
        if (!ok) bad.push(`${name}: ${JSON.stringify(o)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('uses only four-digit kommune codes, and region "0" only for the national file', () => {
    const bad: string[] = [];
    for (const [name, obs] of parsed) {
      for (const o of obs) {
        const ok = name === 'nasjonale-tall.csv' ? o.regionCode === NATIONAL_REGION : /^\d{4}$/.test(o.regionCode);
        if (!ok) bad.push(`${name}: ${o.regionCode}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('keeps the publisher figures unchanged (spot checks against the CSV cells)', () => {
    const find = (name: string, region: string, indicator: string, period: string) =>
      rows(name).find((o) => o.regionCode === region && o.indicator === indicator && o.period === period);
    expect(find('befolkning.csv', '1804', ind.population, '2026')).toMatchObject({ value: 53_638, sourceTable: '07459', fetchedAt: SNAPSHOT_DATE });
    expect(find('medianinntekt-etter-skatt.csv', '0301', ind.medianIncome, '2024')).toMatchObject({ value: 635_200, sourceTable: '06944', fetchedAt: '2026-04-16' });
    expect(find('boligpris-kvm.csv', '0301', ind.priceM2('apartments'), '2024')?.value).toBe(102_899);
    expect(find('boligpris-kvm.csv', '0301', ind.sales('apartments'), '2024')?.value).toBe(8_103);
    expect(find('andel-65-pluss.csv', '0301', ind.population65plus, '2019')?.value).toBe(85_302);
    expect(find('valg-kommunestyre-2023-stemmer.csv', '0301', ind.councilVotes('A'), '2023')).toMatchObject({ value: 66_804, sourceTable: '01180', publishedAt: '2023-11-08' });
    expect(find('valg-kommunestyre-2023-mandater.csv', '0301', ind.councilSeatsTotal, '2023')).toMatchObject({ value: 59, sourceTable: '04813' });
    expect(find('arbeidsledighet.csv', '1804', ind.unemployedSsb13563, '2024')).toMatchObject({ value: 271, source: 'SSB', sourceTable: '13563' });
    expect(find('arbeidsledighet.csv', '4001', ind.unemploymentNav12m, '2025')).toMatchObject({ value: 2.77, source: 'NAV' });
    expect(find('arbeidsledighet.csv', '4601', ind.unemploymentNavMonth, '2026-04')).toMatchObject({ value: 1.9, source: 'NAV' });
    expect(find('boligbygging.csv', '0301', ind.dwellingsStarted05940, '2025')).toMatchObject({ value: 1_764, sourceTable: '05940', publishedAt: '2026-01-29' });
    expect(find('boligbygging.csv', '1804', ind.dwellingsStarted05889, '2024')).toMatchObject({ value: 261, sourceTable: '05889' });
    expect(find('nasjonale-tall.csv', NATIONAL_REGION, ind.unemploymentNav12m, '2025')).toMatchObject({ value: 2.11, source: 'NAV', unit: '%' });
  });

  it('every population cell of befolkning.csv becomes one observation with the same value', () => {
    const raw = parseCsv(dataFile('befolkning.csv'));
    const obs = new Map(rows('befolkning.csv').map((o) => [`${o.regionCode}|${o.period}`, o]));
    expect(obs.size).toBe(raw.length);
    for (const r of raw) {
      const o = obs.get(`${r.kommunenummer}|${r.year}`);
      expect(o?.value).toBe(r.value === '' ? null : Number(r.value));
    }
  });

  it('reads centrality, the apartment-block share and the ROBEK register as published', () => {
    const find = (name: string, code: string, indicator: string) => rows(name).find((o) => o.regionCode === code && o.indicator === indicator);
    // Values as in the CSV rows (data/SOURCES.md): Oslo 1000/class 1, Utsira 293/class 6.
    expect(find('sentralitet.csv', '0301', ind.centralityIndex)).toMatchObject({ value: 1000, period: '2024', source: 'SSB', sourceTable: 'KLASS 128' });
    expect(find('sentralitet.csv', '0301', ind.centralityClass)?.value).toBe(1);
    expect(find('sentralitet.csv', '1151', ind.centralityIndex)?.value).toBe(293);
    expect(find('boligtyper-andel.csv', '0301', ind.dwellingShareBlocks)).toMatchObject({ value: 71.84, period: '2024', sourceTable: '06265' });
    const robek = rows('robek.csv');
    expect(robek.filter((o) => o.value === 1)).toHaveLength(27);
    expect(robek.filter((o) => o.value === 0)).toHaveLength(330);
    expect(robek.every((o) => o.period === '2026-04-20' && o.source === 'KDD' && o.sourceTable === 'ROBEK')).toBe(true);
    expect(robek.find((o) => o.regionCode === '5612')).toMatchObject({ value: 1, note: expect.stringContaining('bokstav f') });
  });

  it('marks suppressed prices as suppressed (value null) for every dwelling type', () => {
    const suppressedKommuner = parseCsv(dataFile('boligpris-kvm.csv')).filter((r) => r.boligtype === '').map((r) => r.kommunenummer);
    expect(suppressedKommuner).toContain('1151');
    expect(suppressedKommuner).toContain('5612');
    const suppressed = rows('boligpris-kvm.csv').filter((o) => o.status === 'suppressed');
    expect(suppressed).toHaveLength(suppressedKommuner.length * DWELLING_TYPES.length);
    for (const o of suppressed) {
      expect(o.value).toBeNull();
      expect(o.indicator).toMatch(/^price_m2_/);
      expect(o.note).toContain('for få omsetninger');
    }
    const utsira = rows('boligpris-kvm.csv').filter((o) => o.regionCode === '1151');
    expect(utsira.map((o) => [o.indicator, o.period, o.status])).toEqual(
      DWELLING_TYPES.map((t) => [ind.priceM2(t.key), '2024', 'suppressed']),
    );
  });

  it('keeps known gaps as missing (not suppressed, not zero)', () => {
    const oslo = rows('arbeidsledighet.csv').filter((o) => o.regionCode === '0301');
    expect(oslo).toHaveLength(1);
    expect(oslo[0]).toMatchObject({ indicator: ind.unemploymentSsb13563, period: '2024', value: null, status: 'missing' });
    expect(oslo[0]?.note).toContain('mangler');
    const gaps = rows('befolkning.csv').filter((o) => o.value === null);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) expect(g.status).toBe('missing');
  });
});

describe('snapshot parsers on malformed input', () => {
  const POP_HEADER = 'kommunenummer,year,value,kilde_koder,status,merknad';

  it('a malformed number throws, naming the file and the cell', () => {
    expect(() => file('befolkning.csv').parse(`${POP_HEADER}\n0301,2026,12x4,0301,ssb,\n`)).toThrow(
      'Not a number in befolkning.csv 0301 population 2026: "12x4"',
    );
    expect(() => file('medianinntekt-etter-skatt.csv').parse('kommunenummer,year,value,enhet,merknad\n0301,2024,635 200,kr,\n')).toThrow(
      /medianinntekt-etter-skatt\.csv 0301/,
    );
    expect(() => file('nasjonale-tall.csv').parse('indikator,periode,verdi,enhet,kilde,tabell,merknad\npopulation,2024,NaN,personer,SSB,07459,\n')).toThrow(
      /nasjonale-tall\.csv 0 population 2024/,
    );
  });

  it('an empty cell is a missing value, not an error and not zero', () => {
    const [o] = file('befolkning.csv').parse(`${POP_HEADER}\n0301,2026,,0301,ssb,  \n`);
    expect(o).toMatchObject({ value: null, status: 'missing', note: null, origin: 'snapshot:data/befolkning.csv' });
  });

  it('a missing column throws with the file name', () => {
    expect(() => file('befolkning.csv').parse('kommunenummer,value\n0301,5\n')).toThrow('befolkning.csv: column "year" is missing');
  });

  it('an unknown measure throws instead of being dropped', () => {
    const header = 'kommunenummer,year,value,maal,periode,registrerte_ledige,sysselsatte,befolkning_20_66,andel_av_befolkning_20_66,kilde,status,merknad';
    expect(() => file('arbeidsledighet.csv').parse(`${header}\n0301,2024,1.0,some_new_measure,,,,,,,x,\n`)).toThrow(
      'arbeidsledighet.csv: unknown measure "some_new_measure" for 0301',
    );
  });
});
