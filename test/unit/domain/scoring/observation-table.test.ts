/**
 * The observation table (observation-table.ts) holds kommune observations as typed columns and
 * makes each observation again when a score names it. These tests hold it to the observations it
 * was built from, on the bundled snapshot and on the edge cases the snapshot does not have.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIONAL_REGION } from '../../../../src/domain/kommune/types';
import { observationKey, type Observation } from '../../../../src/domain/observation';
import { loadSnapshot, syntheticTable, syntheticWorld } from '../../../../bench/scoring.bench';
import { scoreModels } from '../../../../src/domain/scoring/engine';
import { MODELS } from '../../../../src/domain/scoring/models';
import { ObservationIndex } from '../../../../src/domain/scoring/observation-index';
import { ObservationTable } from '../../../../src/domain/scoring/observation-table';
import { parseKommunerCsv } from '../../../../src/sources/snapshot/kommuner';
import { SNAPSHOT_FILES } from '../../../../src/sources/snapshot/observations';
import { o } from './factory';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const observations = SNAPSHOT_FILES.flatMap((f) => f.parse(read(`data/${f.name}`)));
const kommuneCodes = parseKommunerCsv(read('data/kommuner-2024.csv')).map((k) => k.code);

describe('ObservationTable', () => {
  it('gives back every kommune observation of the snapshot, equal field by field, and keeps Norway’s as they are', () => {
    const table = ObservationTable.from(observations, kommuneCodes);
    const idx = new ObservationIndex(table);
    let kommune = 0;
    for (const obs of observations) {
      const back = idx.get(obs.regionCode, obs.indicator, obs.period);
      if (obs.regionCode === NATIONAL_REGION) expect(back).toBe(obs);
      else {
        expect(back, observationKey(obs)).toStrictEqual({ ...obs });
        kommune++;
      }
    }
    expect(kommune).toBeGreaterThan(20_000);
    expect(table.national.length).toBe(observations.length - kommune);
  });

  it('keeps a null value apart from no observation, and values in the kommune list’s order', () => {
    const obs: Observation[] = [
      o('0301', 'population', '2024', 717_710),
      { ...o('1804', 'population', '2024', 0), value: null, status: 'suppressed', note: 'too few' },
      o('9999', 'population', '2024', 5),
    ];
    const idx = new ObservationIndex(obs, ['1804', '0301', '5001']);
    expect(Array.from(idx.values('population', '2024')!)).toEqual([NaN, 717_710, NaN]);
    expect(idx.get('1804', 'population', '2024')).toMatchObject({ value: null, status: 'suppressed', note: 'too few' });
    expect(idx.value('1804', 'population', '2024')).toBeUndefined();
    expect(idx.get('5001', 'population', '2024')).toBeUndefined();
    // A region outside the kommune list is left out, as scoring ignores it.
    expect(idx.get('9999', 'population', '2024')).toBeUndefined();
    expect(idx.periods('population')).toEqual(['2024']);
  });

  it('lists only periods with a kommune value, newest first', () => {
    const obs: Observation[] = [o('0301', 'population', '2022', 1), o('0301', 'population', '2024', 2), { ...o('0301', 'population', '2025', 0), value: null, status: 'suppressed' }];
    expect(new ObservationIndex(obs, ['0301']).periods('population')).toEqual(['2024', '2022']);
  });

  it('finds the first kommune in list order whose observation passes a test of its metadata', () => {
    const obs: Observation[] = [
      { ...o('0301', 'sales', '2024', 1), sourceTable: 'valgresultat' },
      { ...o('1804', 'sales', '2024', 1), sourceTable: '14545' },
      { ...o('5001', 'sales', '2024', 1), sourceTable: '06035' },
    ];
    const idx = new ObservationIndex(obs, ['0301', '5001', '1804']);
    expect(idx.findMeta('sales', '2024', (m) => /^\d{5}$/.test(m.sourceTable))?.sourceTable).toBe('06035');
    expect(idx.findMeta('sales', '2023', () => true)).toBeUndefined();
  });

  it('refuses a kommune list with a code twice, and a table for another kommune list', () => {
    expect(() => ObservationTable.from([o('0301', 'population', '2024', 1)], ['0301', '1804', '0301'])).toThrow(/each kommune code once/);
    const table = ObservationTable.from([o('0301', 'population', '2024', 1)], ['0301', '1804']);
    expect(() => new ObservationIndex(table, ['1804', '0301'])).toThrow(/another kommune list/);
    expect(new ObservationIndex(table, ['0301', '1804']).kommuneCodes).toEqual(['0301', '1804']);
  });

  it('keeps a missing date apart from an empty one in a column with many metadata records', () => {
    // More than 16 distinct records switch the column to keyed lookups.
    const obs: Observation[] = Array.from({ length: 20 }, (_, i) => ({ ...o(String(1000 + i), 'population', '2024', i), origin: `row ${i}` }));
    obs.push({ ...o('2000', 'population', '2024', 1), origin: 'row x', publishedAt: undefined as unknown as null });
    obs.push({ ...o('2001', 'population', '2024', 2), origin: 'row x', publishedAt: null });
    const idx = new ObservationIndex(obs, obs.map((x) => x.regionCode));
    expect(idx.get('2000', 'population', '2024')!.publishedAt).toBeUndefined();
    expect(idx.get('2001', 'population', '2024')!.publishedAt).toBeNull();
  });

  it('finds a kommune after a loop has moved to another', () => {
    const idx = new ObservationIndex([o('0301', 'population', '2024', 1), o('1804', 'population', '2024', 2)], ['0301', '1804']);
    expect(idx.moveTo(1)).toBe('1804');
    expect(idx.value('1804', 'population', '2024')).toBe(2);
    expect(idx.value('0301', 'population', '2024')).toBe(1);
    expect(() => idx.moveTo(2)).toThrow(RangeError);
  });
});

describe('the scoring benchmark’s synthetic table', () => {
  it('is the table of the synthetic observations it stands for, and scores the same', () => {
    const real = loadSnapshot();
    const world = syntheticWorld(real, 1000);
    const fromObjects = ObservationTable.from(world.observations, world.kommuneCodes);
    const cycled = syntheticTable(real.table, 1000);
    expect(cycled.kommuneCodes).toEqual(world.kommuneCodes);
    expect(cycled.periodsByIndicator).toEqual(fromObjects.periodsByIndicator);
    const idx = new ObservationIndex(cycled);
    for (const obs of world.observations) expect(idx.get(obs.regionCode, obs.indicator, obs.period), observationKey(obs)).toStrictEqual({ ...obs });
    expect(scoreModels(MODELS, cycled, cycled.kommuneCodes)).toEqual(scoreModels(MODELS, fromObjects, fromObjects.kommuneCodes));
  });
});
