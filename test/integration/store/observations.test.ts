import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Observation } from '../../../src/domain/observation';
import { observations } from '../../../src/store/schema';
import {
  countObservations,
  insertObservationsIfAbsent,
  listObservations,
  upsertObservations,
} from '../../../src/store/repos/observations';
import { describeEachBackend, type TestDb } from '../../support/db';

function obs(overrides: Partial<Observation> & Pick<Observation, 'regionCode' | 'indicator'>): Observation {
  return {
    period: '2024',
    value: 1,
    status: 'ok',
    unit: 'persons',
    source: 'SSB',
    sourceTable: '07459',
    publishedAt: '2024-02-21',
    fetchedAt: '2024-03-01T12:00:00Z',
    origin: 'snapshot:data/befolkning.csv',
    note: null,
    ...overrides,
  };
}

function code(i: number): string {
  return String(i).padStart(4, '0');
}

describeEachBackend('store/observations', (open) => {
  // One database per suite: PGlite takes seconds to boot, so tests isolate by indicator instead.
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('insert-if-absent is idempotent across batches', async () => {
    // More than one 1000-row batch, to cover the chunking.
    const items = Array.from({ length: 2500 }, (_, i) =>
      obs({ regionCode: code(i), indicator: 'idem', value: i }),
    );
    const before = await countObservations(t.db);
    expect(await insertObservationsIfAbsent(t.db, items)).toBe(2500);
    expect(await insertObservationsIfAbsent(t.db, items)).toBe(0);
    expect(await countObservations(t.db)).toBe(before + 2500);
    // Existing rows are left alone even when the new load disagrees.
    const changed = items.map((o) => ({ ...o, value: -1 }));
    expect(await insertObservationsIfAbsent(t.db, changed)).toBe(0);
    const [first] = await listObservations(t.db, { indicators: ['idem'], regionCodes: ['0007'] });
    expect(first?.value).toBe(7);
  });

  it('lists rows kommune by kommune, in the natural key order (a score run reads them in this layout)', async () => {
    // Inserted indicator by indicator, newest period first: the listing must not follow insertion.
    const rows = ['order-b', 'order-a'].flatMap((indicator) =>
      ['2024', '2023'].flatMap((period) => ['0302', '0301'].map((regionCode) => obs({ regionCode, indicator, period }))),
    );
    await upsertObservations(t.db, rows);
    const listed = await listObservations(t.db, { indicators: ['order-a', 'order-b'] });
    expect(listed.map((o) => `${o.regionCode} ${o.indicator} ${o.period}`)).toEqual([
      '0301 order-a 2023',
      '0301 order-a 2024',
      '0301 order-b 2023',
      '0301 order-b 2024',
      '0302 order-a 2023',
      '0302 order-a 2024',
      '0302 order-b 2023',
      '0302 order-b 2024',
    ]);
  });

  it('insert-if-absent tolerates a key repeated within one load', async () => {
    const a = obs({ regionCode: '0301', indicator: 'dup-insert', value: 1 });
    expect(await insertObservationsIfAbsent(t.db, [a, { ...a, value: 2 }])).toBe(1);
    expect(await insertObservationsIfAbsent(t.db, [])).toBe(0);
  });

  it('upsert counts inserted, updated and unchanged rows', async () => {
    const base = [
      obs({ regionCode: '0301', indicator: 'ups', value: 10 }),
      obs({ regionCode: '1103', indicator: 'ups', value: 20 }),
      obs({ regionCode: '4601', indicator: 'ups', value: 30 }),
    ];
    expect(await upsertObservations(t.db, base)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(await upsertObservations(t.db, base)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });

    // A re-fetch (new fetchedAt/origin only) is not a change.
    const refetched = base.map((o) => ({ ...o, fetchedAt: '2025-01-01', origin: 'https://example/api' }));
    expect(await upsertObservations(t.db, refetched)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });

    const stamps = async () =>
      new Map(
        (
          await t.db
            .select({ regionCode: observations.regionCode, updatedAt: observations.updatedAt, createdAt: observations.createdAt })
            .from(observations)
            .where(eq(observations.indicator, 'ups'))
        ).map((r) => [r.regionCode, r]),
      );
    const before = await stamps();

    const next = [
      { ...base[0]!, value: 11 },
      { ...base[1]!, note: 'revised' },
      base[2]!,
      obs({ regionCode: '5001', indicator: 'ups', value: 40 }),
    ];
    expect(await upsertObservations(t.db, next)).toEqual({ inserted: 1, updated: 2, unchanged: 1 });

    const after = await stamps();
    expect(after.get('0301')!.updatedAt.getTime()).toBeGreaterThan(before.get('0301')!.updatedAt.getTime());
    expect(after.get('0301')!.createdAt).toEqual(before.get('0301')!.createdAt);
    expect(after.get('4601')!.updatedAt).toEqual(before.get('4601')!.updatedAt);

    const stored = await listObservations(t.db, { indicators: ['ups'] });
    expect(stored.map((o) => [o.regionCode, o.value, o.note])).toEqual([
      ['0301', 11, null],
      ['1103', 20, 'revised'],
      ['4601', 30, null],
      ['5001', 40, null],
    ]);
  });

  it('upsert treats null to null as unchanged and value to null as a change', async () => {
    const missing = obs({ regionCode: '0301', indicator: 'ups-null', value: null, status: 'missing' });
    expect(await upsertObservations(t.db, [missing])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(await upsertObservations(t.db, [missing])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const filled = { ...missing, value: 5, status: 'ok' as const };
    expect(await upsertObservations(t.db, [filled])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(await upsertObservations(t.db, [missing])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
  });

  it('upsert keeps the last of repeated keys', async () => {
    const a = obs({ regionCode: '0301', indicator: 'ups-dup', value: 1 });
    expect(await upsertObservations(t.db, [a, { ...a, value: 2 }])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const [stored] = await listObservations(t.db, { indicators: ['ups-dup'] });
    expect(stored?.value).toBe(2);
  });

  it('round-trips null values with their status and every domain field', async () => {
    const items: Observation[] = [
      obs({ regionCode: '0', indicator: 'nulls', value: 5.25, note: 'national level' }),
      obs({ regionCode: '0301', indicator: 'nulls', value: null, status: 'missing', publishedAt: null }),
      obs({ regionCode: '1103', indicator: 'nulls', value: null, status: 'suppressed', note: 'fewer than 4 cases' }),
      obs({ regionCode: '4601', indicator: 'nulls', value: null, status: 'not_applicable' }),
      obs({ regionCode: '5001', indicator: 'nulls', value: 0, period: '2026-04' }),
    ];
    await insertObservationsIfAbsent(t.db, items);
    const stored = await listObservations(t.db, { indicators: ['nulls'] });
    expect(stored).toEqual(items);
  });

  it('filters by indicators and region codes', async () => {
    await insertObservationsIfAbsent(t.db, [
      obs({ regionCode: '0301', indicator: 'filter-a' }),
      obs({ regionCode: '1103', indicator: 'filter-a' }),
      obs({ regionCode: '0301', indicator: 'filter-b' }),
    ]);
    const onlyA = await listObservations(t.db, { indicators: ['filter-a'] });
    expect(onlyA.map((o) => o.regionCode)).toEqual(['0301', '1103']);
    const oslo = await listObservations(t.db, { indicators: ['filter-a', 'filter-b'], regionCodes: ['0301'] });
    expect(oslo.map((o) => o.indicator)).toEqual(['filter-a', 'filter-b']);
    expect(await listObservations(t.db, { indicators: [] })).toEqual([]);
  });

  it('rejects an unknown status at the database', async () => {
    const bad = obs({ regionCode: '0301', indicator: 'bad-status', status: 'weird' as Observation['status'] });
    await expect(insertObservationsIfAbsent(t.db, [bad])).rejects.toThrow();
  });
});
