import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeJsonStat } from '../../../../src/sources/ssb/jsonstat';
import { normaliseRegionCode, normaliseRegions } from '../../../../src/sources/ssb/region';

const fixture = (rel: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/${rel}`, import.meta.url), 'utf8'));

// The project's own 2024 list (357 kommuner, KLASS 131); first column of data/kommuner-2024.csv.
const kommuner2024: ReadonlySet<string> = new Set(
  readFileSync(new URL('../../../../data/kommuner-2024.csv', import.meta.url), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',')[0]!),
);

describe('normaliseRegionCode', () => {
  it.each([
    ['0301', '0301'],
    ['K-0301', '0301'],
    ['K_4001', '4001'],
    ['301', '0301'],
    ['K-301', '0301'],
    ['4601', '4601'],
    [' 5001 ', '5001'],
  ])('%s → kommune %s', (input, code) => {
    expect(normaliseRegionCode(input)).toEqual({ kind: 'kommune', code });
  });

  it.each([
    ['F-03', '03'],
    ['F_03', '03'],
    ['03', '03'],
    ['46', '46'],
  ])('%s → county %s', (input, code) => {
    expect(normaliseRegionCode(input)).toEqual({ kind: 'county', code });
  });

  it.each(['0', '00', '0000', 'EAK'])('%s → national', (input) => {
    expect(normaliseRegionCode(input)).toEqual({ kind: 'national' });
  });

  it.each([
    'K-21-22', // Svalbard og Jan Mayen
    'K-23', // Kontinentalsokkelen
    'K-Rest', // Delte kommuner og uoppgitt
    'EAKUO', // KOSTRA: Landet uten Oslo
    'EKA31', // KOSTRA: a county
    'EKG16',
    '9999', // Uoppgitt
    '0399', // Uoppgitt komm. Oslo
    '2111', // Longyearbyen (Svalbard)
    '2211', // Jan Mayen
    '2311', // Kontinentalsokkelen
    '21',
    'F-21',
    'V-01', // electoral district
    '001', // 07221 price region, not kommune 0001
    'TOTAL',
    'K-',
    '',
  ])('%s → other', (input) => {
    expect(normaliseRegionCode(input)).toEqual({ kind: 'other', code: input.trim() });
  });
});

describe('normaliseRegions', () => {
  const valid = new Set(['0301', '4601', '1804']);

  it('keeps current kommuner and counts what it drops', () => {
    const result = normaliseRegions(
      ['K-0301', '4601', '180', 'K-3001', '0', 'F-03', '11', 'EAK', 'EKG16', 'V-01', 'K-21-22', 'K-23', 'K-Rest', '9999', '2111', '0399', '001', 'TOTAL'],
      valid,
    );
    expect([...result.mapped]).toEqual([
      ['K-0301', '0301'],
      ['4601', '4601'],
    ]);
    expect(result.dropped).toEqual({
      aggregates: 6, // 0, F-03, 11, EAK (KOSTRA's national row), EKG16, V-01
      specials: 6, // K-21-22, K-23, K-Rest, 9999, 2111, 0399
      unknown: ['180', 'K-3001', '001', 'TOTAL'],
    });
  });

  it('on 07459 (2022, 2020–2023 division): 242 of 356 kommune codes are current in 2024', () => {
    const ds = decodeJsonStat(fixture('ssb/ssb_jsonstat2_07459_population_by_municipality_2022.json'));
    const { mapped, dropped } = normaliseRegions(ds.dimensions['Region']!.codes, kommuner2024);
    expect(kommuner2024.size).toBe(357);
    expect(mapped.size).toBe(242);
    expect(mapped.get('K-0301')).toBe('0301');
    expect(mapped.get('K-1151')).toBe('1151');
    expect(dropped.aggregates).toBe(0);
    expect(dropped.specials).toBe(3); // K-21-22, K-23, K-Rest
    expect(dropped.unknown).toHaveLength(114);
    // Viken (30xx), Vestfold og Telemark (38xx), Troms og Finnmark (54xx) and Ålesund 1507
    // were renumbered on 1 Jan 2024.
    expect(dropped.unknown).toContain('K-3001');
    expect(dropped.unknown).toContain('K-1507');
    expect(dropped.unknown.every((c) => /^K-(30|38|54)\d\d$|^K-1507$/.test(c))).toBe(true);
  });

  it('on the 14216 metadata: historical "(2020-2023)" and "(-2019)" codes are dropped as unknown', () => {
    const ds = decodeJsonStat(fixture('ssb/ssb_v2_metadata_14216_trimmed.json'), { allowEmptyValues: true });
    const region = ds.dimensions['Region']!;
    const { mapped, dropped } = normaliseRegions(region.codes, kommuner2024);
    expect(mapped.size).toBe(34); // 31xx Østfold, 32xx Akershus, 0301 Oslo
    expect(mapped.get('0301')).toBe('0301');
    expect(dropped.specials).toBe(3); // 0199, 0299, 0399 Uoppgitt
    expect(dropped.unknown).toHaveLength(83);
    for (const code of dropped.unknown) expect(region.labels[code]).toMatch(/\((\d{4})?-\d{4}\)$/);
    expect(dropped.unknown).toContain('3001'); // "Halden (2020-2023)"
    expect(dropped.unknown).toContain('0101'); // "Halden (-2019)"
  });
});
