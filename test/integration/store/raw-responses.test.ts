import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawResponses } from '../../../src/store/schema';
import { archiveResponse, type ResponseToArchive } from '../../../src/store/repos/raw-responses';
import { describeEachBackend, type TestDb } from '../../support/db';

function response(url: string, body: string, overrides: Partial<ResponseToArchive> = {}): ResponseToArchive {
  return {
    source: 'SSB',
    method: 'POST',
    url,
    status: 200,
    contentType: 'application/json',
    body,
    fetchedAt: new Date('2026-04-01T06:00:00Z'),
    ...overrides,
  };
}

describeEachBackend('store/raw-responses', (open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.close();
  });

  const rowsFor = (url: string) => t.db.select().from(rawResponses).where(eq(rawResponses.url, url));

  it('stores one row per url and payload', async () => {
    const url = 'https://data.ssb.no/api/v0/no/table/07459';
    const first = await archiveResponse(t.db, response(url, 'hello'));
    expect(first).toEqual({
      id: expect.any(Number),
      // sha256("hello")
      contentHash: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      created: true,
    });
    const again = await archiveResponse(t.db, response(url, 'hello', { fetchedAt: new Date('2026-04-02T06:00:00Z') }));
    expect(again).toEqual({ ...first, created: false });

    const changed = await archiveResponse(t.db, response(url, 'hello, again'));
    expect(changed.created).toBe(true);
    expect(changed.id).not.toBe(first.id);
    // Same payload from another URL is a separate archive entry.
    expect((await archiveResponse(t.db, response(`${url}?v=2`, 'hello'))).created).toBe(true);

    const rows = await rowsFor(url);
    expect(rows).toHaveLength(2);
    const stored = rows.find((r) => r.id === first.id)!;
    expect(stored).toMatchObject({
      source: 'SSB',
      method: 'POST',
      status: 200,
      contentType: 'application/json',
      bytes: 5,
      body: 'hello',
      // The first fetch is kept; re-archiving does not touch the row.
      fetchedAt: new Date('2026-04-01T06:00:00Z'),
    });
  });

  it('measures bytes as UTF-8 and can keep metadata without the body', async () => {
    const url = 'https://valgresultat.no/api/2023/ko';
    const archived = await archiveResponse(t.db, response(url, 'Tromsø', { storeBody: false, contentType: null, method: 'GET' }));
    const [row] = await rowsFor(url);
    expect(row).toMatchObject({ id: archived.id, body: null, bytes: 7, contentType: null, method: 'GET' });
    expect(row!.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
