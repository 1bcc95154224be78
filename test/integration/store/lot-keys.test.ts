// streamLotKeys: keyset pages in JavaScript `<` order (collate "C"), on every backend.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UnsortedKeysError, diffSortedKeys, fromIterable } from '../../../src/domain/lots/key-diff';
import { streamLotKeys, upsertLots, withdrawLots, type StoredLot } from '../../../src/store/repos/lots';
import { describeEachBackend, type TestDb } from '../../support/db';

const at = new Date('2026-05-01T00:00:00Z');

function lot(sourceId: string, key: string): Omit<StoredLot, 'withdrawnAt'> {
  return {
    sourceId,
    key,
    kommuneCode: null,
    kommuneShare: null,
    crossesBorder: false,
    areaM2: 1,
    centroidLon: 10,
    centroidLat: 60,
    zoningShare: null,
    geometry: {},
    properties: {},
    firstSeenAt: at,
    lastSeenAt: at,
  };
}

async function all(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const k of keys) out.push(k);
  return out;
}

const byJs = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Upper and lower case, digits, punctuation, Norwegian letters, a space: a locale collation
// (en_US, nb_NO) orders these differently from byte order.
const KEYS = ['0301-1/2', '0301-1/10', '0301-10/1', 'a', 'B', 'b', 'Z', 'æble', 'Ærø', 'øst', 'Øst', 'å', 'Å', 'a b', 'a-b', 'a_b', 'ab', '', '~', 'é', 'e\u0301'];

describeEachBackend('store/lots streamLotKeys', (open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
    await upsertLots(t.db, [...KEYS.map((k) => lot('src', k)), lot('other', 'a'), lot('other', 'zz')]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams all keys of a source in JavaScript string order, across page boundaries', async () => {
    const expected = [...KEYS].sort(byJs);
    for (const pageSize of [1, 2, 3, KEYS.length - 1, KEYS.length, KEYS.length + 1, 10_000]) {
      expect(await all(streamLotKeys(t.db, 'src', pageSize)), `pageSize ${pageSize}`).toEqual(expected);
    }
  });

  it('agrees with the database: collate "C" order is JavaScript order for these keys', async () => {
    const rows = await t.db.execute(sql`select k from (values ${sql.join(KEYS.map((k) => sql`(${k}::text)`), sql`, `)}) as v(k) order by k collate "C"`);
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { k: string }[];
    expect(list.map((r) => r.k)).toEqual([...KEYS].sort(byJs));
  });

  it('streams nothing for an unknown source, and skips withdrawn lots when asked', async () => {
    expect(await all(streamLotKeys(t.db, 'none', 3))).toEqual([]);
    await upsertLots(t.db, [lot('w', 'a'), lot('w', 'b'), lot('w', 'c')]);
    await withdrawLots(t.db, 'w', ['b'], at);
    expect(await all(streamLotKeys(t.db, 'w', 1))).toEqual(['a', 'b', 'c']);
    expect(await all(streamLotKeys(t.db, 'w', 1, { openOnly: true }))).toEqual(['a', 'c']);
  });

  it('feeds diffSortedKeys', async () => {
    const feed = ['B', 'new-1', 'øst', 'a'].sort(byJs);
    const entries = await all(
      (async function* () {
        for await (const e of diffSortedKeys(fromIterable(feed), streamLotKeys(t.db, 'src', 4))) yield `${e.kind}:${e.key}`;
      })(),
    );
    expect(entries.filter((e) => !e.startsWith('gone:'))).toEqual(['seen:B', 'seen:a', 'new:new-1', 'seen:øst']);
    expect(entries.filter((e) => e.startsWith('gone:'))).toHaveLength(KEYS.length - 3);
  });

  it('refuses a diff when keys outside the BMP make byte order and JavaScript order differ', async () => {
    // U+FFFD is EF BF BD in UTF-8, before U+1F600 (F0 9F 98 80); in UTF-16 '\uFFFD' > '\uD83D…'.
    await upsertLots(t.db, [lot('astral', '\uFFFD'), lot('astral', '😀')]);
    expect(await all(streamLotKeys(t.db, 'astral', 1))).toEqual(['\uFFFD', '😀']);
    const run = all((async function* () {
      for await (const e of diffSortedKeys(fromIterable([]), streamLotKeys(t.db, 'astral', 1))) yield e.key;
    })());
    await expect(run).rejects.toBeInstanceOf(UnsortedKeysError);
  });

  it('rejects a page size that is not a positive integer', async () => {
    await expect(all(streamLotKeys(t.db, 'src', 0))).rejects.toThrow(RangeError);
  });
});
