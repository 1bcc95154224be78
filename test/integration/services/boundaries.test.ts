import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, type TestDb } from '../../support/db';
import { prepareRuntime } from '../../support/runtime';
import { parseBoundaries } from '../../../src/sources/geojson-boundaries';
import { countBoundaries, getBoundary, upsertBoundaries } from '../../../src/store/repos/boundaries';

const bundled = JSON.parse(readFileSync(new URL('../../../data/kommuner-2024.geojson', import.meta.url), 'utf8')) as { features: { properties: { kommunenummer: string } }[] };

it('parses the bundled Kartverket boundaries: 357 kommuner, every ring closed', () => {
  const b = parseBoundaries(bundled);
  expect(b).toHaveLength(357);
  expect(new Set(b.map((x) => x.code)).size).toBe(357);
  expect(b.find((x) => x.code === '1804')?.geometry.type).toMatch(/Polygon/);
});

it('rejects a ring that is not closed, naming the kommune', () => {
  const bad = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { kommunenummer: '1804' }, geometry: { type: 'Polygon', coordinates: [[[14, 67], [15, 67], [15, 68], [14, 68.5]]] } }],
  };
  expect(() => parseBoundaries(bad)).toThrow(/1804.*not closed/);
});

it('rejects a feature without a four-digit kommunenummer', () => {
  expect(() => parseBoundaries({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kommunenummer: '18' }, geometry: { type: 'Polygon', coordinates: [] } }] })).toThrow(/kommunenummer/);
});

describeEachBackend('stored boundaries', (open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open('seed');
    await prepareRuntime(t.db);
  });
  afterAll(() => t.close());

  it('the snapshot load stores all 357, and loading the bundled file again writes nothing', async () => {
    expect(await countBoundaries(t.db)).toBe(357);
    const again = await upsertBoundaries(t.db, parseBoundaries(bundled), { origin: 'test', fetchedAt: '2026-01-15', ifAbsent: true });
    expect(again).toBe(0);
    const same = await upsertBoundaries(t.db, parseBoundaries(bundled).slice(0, 3), { origin: 'test', fetchedAt: '2026-01-15' });
    expect(same).toBe(0);
  });

  it('a changed geometry is rewritten; the geometry round-trips as GeoJSON', async () => {
    const square = { type: 'Polygon' as const, coordinates: [[[14, 67], [15, 67], [15, 68], [14, 67]]] };
    expect(await upsertBoundaries(t.db, [{ code: '1804', geometry: square }], { origin: 'test', fetchedAt: '2026-01-15' })).toBe(1);
    expect((await getBoundary(t.db, '1804'))?.geometry).toEqual(square);
  });
});
