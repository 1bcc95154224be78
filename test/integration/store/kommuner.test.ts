import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CodeChange, Kommune } from '../../../src/domain/kommune/types';
import {
  listCodeChanges,
  listKommuner,
  replaceCodeChanges,
  upsertKommuner,
} from '../../../src/store/repos/kommuner';
import { describeEachBackend, type TestDb } from '../../support/db';

const oslo: Kommune = {
  code: '0301',
  name: 'Oslo',
  nameNorwegian: 'Oslo',
  nameSami: null,
  samiLanguage: null,
  nameKven: null,
  countyCode: '03',
  countyName: 'Oslo',
  countyNameOfficial: 'Oslo',
  validFrom: '2024-01-01',
  validTo: null,
};

const tromso: Kommune = {
  code: '5501',
  name: 'Tromsø - Romsa - Tromssa',
  nameNorwegian: 'Tromsø',
  nameSami: 'Romsa',
  samiLanguage: 'Northern Sami',
  nameKven: 'Tromssa',
  countyCode: '55',
  countyName: 'Troms',
  countyNameOfficial: 'Troms - Romsa - Tromssa',
  validFrom: '2024-01-01',
  validTo: '2099-12-31',
};

const changes: CodeChange[] = [
  { oldCode: '0101', oldName: 'Halden (2020-2023)', newCode: '3101', status: 'slatt_inn_eller_omkodet', note: null },
  { oldCode: '0101', oldName: 'Halden (1838-2019)', newCode: '3101', status: 'slatt_inn_eller_omkodet', note: 'renumbered twice' },
  { oldCode: '0301', oldName: 'Oslo', newCode: '0301', status: 'samme_kode', note: null },
  { oldCode: '5012', oldName: 'Snillfjord (2020-2023)', newCode: null, status: 'delt', note: 'split between three kommuner' },
];

describeEachBackend('store/kommuner', (open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('upserts and lists kommuner unchanged, sorted by code', async () => {
    expect(await upsertKommuner(t.db, [tromso, oslo])).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await listKommuner(t.db)).toEqual([oslo, tromso]);
    expect(await upsertKommuner(t.db, [tromso, oslo])).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    const renamed = { ...oslo, countyNameOfficial: 'Oslo fylke' };
    expect(await upsertKommuner(t.db, [renamed, tromso])).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect(await listKommuner(t.db)).toEqual([renamed, tromso]);
  });

  it('rejects a code without its leading zero', async () => {
    await expect(upsertKommuner(t.db, [{ ...oslo, code: '301' }])).rejects.toThrow();
  });

  it('replaces the code-change table wholesale', async () => {
    expect(await replaceCodeChanges(t.db, changes)).toBe(4);
    expect(await listCodeChanges(t.db)).toEqual([changes[1], changes[0], changes[2], changes[3]]);
    expect(await replaceCodeChanges(t.db, [changes[2]!])).toBe(1);
    expect(await listCodeChanges(t.db)).toEqual([changes[2]]);
  });
});
