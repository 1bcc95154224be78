/**
 * The lot pipeline on PGlite and PostgreSQL: a GeoJSON feed (a kommune's own lot list; the feature
 * shape is built here from the documented GeoJSON schema, not recorded) parsed by the real parser,
 * assigned to kommuner against the bundled 2024 boundaries, stored, and alerted through the outbox.
 */
import type { Feature, Polygon, Position } from 'geojson';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renderAlertGroup } from '../../../src/chat/alerts';
import { handleCommand } from '../../../src/chat/commands';
import type { KommuneBoundary } from '../../../src/domain/kommune/types';
import { dispatchDue } from '../../../src/services/alerts/dispatch';
import { ingestLots, ingestPlans } from '../../../src/services/lots/ingest';
import { ReadModel } from '../../../src/services/read-model';
import { parseDibkPlans } from '../../../src/sources/lots/dibk-plans';
import { parseGeoJsonLots } from '../../../src/sources/lots/geojson';
import { listAlertEvents, listDeliveries } from '../../../src/store/repos/alerts';
import { listBoundaries } from '../../../src/store/repos/boundaries';
import { openLotsInKommune, upsertLotSource } from '../../../src/store/repos/lots';
import { Clock, FakePlatform, subscribe } from '../../support/alerts';
import { describeEachBackend, type TestDb } from '../../support/db';
import { inside, lotFeature, square } from '../../support/lots';
import { prepareRuntime, testDeps } from '../../support/runtime';
import { readFileSync } from 'node:fs';
import { parseBoundaries } from '../../../src/sources/geojson-boundaries';

const feature = lotFeature;
const feed = (...features: Feature[]) => ({ type: 'FeatureCollection', features });

const BOWTIE: Feature = { type: 'Feature', properties: { matrikkelnummer: '1804-1/1', navn: 'Ugyldig' }, geometry: { type: 'Polygon', coordinates: [[[14.4, 67.28], [14.41, 67.29], [14.41, 67.28], [14.4, 67.29], [14.4, 67.28]]] } };

/** A 40 m × 120 m lot across the longest edge Oslo and Bærum share: 90 m on one side. */
function borderLot(boundaries: readonly KommuneBoundary[]): Feature<Polygon> {
  const rings = (code: string) => {
    const g = boundaries.find((b) => b.code === code)!.geometry as { type: string; coordinates: unknown };
    return (g.type === 'Polygon' ? g.coordinates : (g.coordinates as Position[][][]).flat()) as Position[][];
  };
  const shared = new Set<string>();
  for (const r of rings('3201')) for (const p of r) shared.add(p.join(','));
  let best: [Position, Position] | null = null;
  let bestLen = 0;
  for (const r of rings('0301')) {
    for (let i = 0; i + 1 < r.length; i++) {
      const [a, b] = [r[i]!, r[i + 1]!];
      if (!shared.has(a.join(',')) || !shared.has(b.join(','))) continue;
      const len = Math.hypot((b[0]! - a[0]!) * 0.5, b[1]! - a[1]!);
      if (len > bestLen) [best, bestLen] = [[a, b], len];
    }
  }
  const [a, b] = best!;
  const lat0 = (a[1]! + b[1]!) / 2;
  const kx = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const ky = 111_320;
  const ux = (b[0]! - a[0]!) * kx, uy = (b[1]! - a[1]!) * ky;
  const len = Math.hypot(ux, uy);
  const [tx, ty] = [ux / len, uy / len];
  const [nx, ny] = [-ty, tx];
  const mid = [(a[0]! + b[0]!) / 2, lat0];
  const at = (along: number, across: number): Position => [mid[0]! + (along * tx + across * nx) / kx, mid[1]! + (along * ty + across * ny) / ky];
  return feature('0301-999/1', 'Grensetomt', { type: 'Polygon', coordinates: [[at(-20, -30), at(20, -30), at(20, 90), at(-20, 90), at(-20, -30)]] });
}

const bundled = parseBoundaries(JSON.parse(readFileSync(new URL('../../../data/kommuner-2024.geojson', import.meta.url), 'utf8')) as unknown);
const [bodoA, bodoB] = inside(bundled, '1804', 2, 120);
const [narvikA] = inside(bundled, '1806', 1, 120);
const BODO = feature('1804-138/2757', 'Tomt ved Rønvikleira', square(...bodoA!, 60));
const BODO_NEW = feature('1804-40/120', 'Tomt på Hunstad', square(...bodoB!, 80));
const NARVIK = feature('1806-40/1', 'Tomt i Narvik', square(...narvikA!, 50));

describeEachBackend('lot pipeline', (open) => {
  let t: TestDb;
  let clock: Clock;
  let boundaries: KommuneBoundary[];
  beforeEach(async () => {
    t = await open('seed');
    await prepareRuntime(t.db);
    clock = new Clock(new Date('2026-11-24T10:00:00Z'));
    boundaries = await listBoundaries(t.db);
    await upsertLotSource(t.db, { id: 'geojson-1804-bodo', kind: 'geojson', config: {}, cadence: 'daily', createdBy: 'U1', createdAt: clock.now() });
  });
  afterEach(async () => {
    await t.close();
  });
  const deps = () => ({ ...testDeps(t.db), now: clock.now });
  const parse = (json: unknown) => parseGeoJsonLots(json, { sourceId: 'geojson-1804-bodo' });

  it('one new lot in Bodø: exactly one lot alert, only to the subscriptions whose filters match; the same feed again or reordered: none', async () => {
    await subscribe(t.db, clock, 'slack', 'C-NORDLAND', 'tomter', { fylker: ['18'] });
    await subscribe(t.db, clock, 'slack', 'C-BODO', 'tomter', { kommuner: ['1804'] });
    await subscribe(t.db, clock, 'slack', 'C-BIG', 'tomter', { fylker: ['18'], minArealM2: 10_000 });
    await subscribe(t.db, clock, 'teams', '19:oslo@thread.tacv2', 'tomter', { fylker: ['03'] });
    // Bodø is Tier 3 in the snapshot's scores: a Tier 1 filter does not match, a Tier 3 one does.
    await subscribe(t.db, clock, 'slack', 'C-TIER1', 'tomter', { fylker: ['18'], tiers: [1] });
    await subscribe(t.db, clock, 'slack', 'C-TIER3', 'tomter', { kommuner: ['1804'], tiers: [3] });
    // The source's first fetch is the baseline: stored, not alerted.
    const first = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, NARVIK)), boundaries, { baseline: true });
    expect(first).toMatchObject({ new: 2, events: 0 });
    clock.advance(86_400_000);
    const second = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, NARVIK, BODO_NEW)), boundaries);
    expect(second).toMatchObject({ new: 1, updated: 2, events: 1, deliveries: 3 });
    const events = (await listAlertEvents(t.db)).filter((e) => e.kind === 'lot');
    expect(events.map((e) => e.dedupeKey)).toEqual(['lot:geojson-1804-bodo:1804-40/120']);
    expect((await listDeliveries(t.db)).map((d) => d.target).sort()).toEqual(['C-BODO', 'C-NORDLAND', 'C-TIER3']);
    // Re-fetch, reordered, a changed area: updates, no alerts.
    const again = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO_NEW, NARVIK, BODO)), boundaries);
    expect(again).toMatchObject({ new: 0, events: 0 });
    const bigger = feature('1804-40/120', 'Tomt på Hunstad', square(...bodoB!, 120));
    const changed = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, NARVIK, bigger)), boundaries);
    expect(changed).toMatchObject({ new: 0, updated: 3, events: 0 });
    const hunstad = (await openLotsInKommune(t.db, '1804')).find((l) => l.key === '1804-40/120')!;
    expect(hunstad.areaM2).toBeGreaterThan(14_000);
    expect((await listAlertEvents(t.db)).filter((e) => e.kind === 'lot')).toHaveLength(1);

    // The alert as the channel sees it.
    const platform = new FakePlatform();
    await dispatchDue(deps(), { worker: 'w', sender: platform, render: renderAlertGroup });
    // 80 m × 80 m drawn on a sphere; the geodesic (ellipsoidal) area is about 0.5 % more at 67° N.
    expect(platform.messages.map((m) => m.reply.title)).toEqual(Array.from({ length: 3 }, () => expect.stringMatching(/^Ny tomt i 1804 Bodø: 6\s4\d0 m²$/)));
    expect(JSON.stringify(platform.messages[0]!.reply.sections)).toContain(`https://www.openstreetmap.org/?mlat=${bodoB![1].toFixed(2)}`);
  });

  it('a lot that disappears is withdrawn; it is not new when it comes back', async () => {
    await subscribe(t.db, clock, 'slack', 'C-NORDLAND', 'tomter', { fylker: ['18'] });
    await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, NARVIK)), boundaries, { baseline: true });
    const gone = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO)), boundaries);
    expect(gone.withdrawn).toBe(1);
    expect((await openLotsInKommune(t.db, '1806'))).toEqual([]);
    const back = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, NARVIK)), boundaries);
    expect(back).toMatchObject({ new: 0, events: 0 });
    expect((await openLotsInKommune(t.db, '1806')).map((l) => l.key)).toEqual(['1806-40/1']);
  });

  it('a feed with one invalid polygon keeps the other lots and reports the bad one', async () => {
    const r = await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, BOWTIE, NARVIK)), boundaries, { baseline: true });
    expect(r.new).toBe(2);
    expect(r.errors).toEqual([expect.objectContaining({ key: '1804-1/1', message: expect.stringMatching(/intersects itself/) })]);
    expect((await openLotsInKommune(t.db, '1804')).map((l) => l.key)).toEqual(['1804-138/2757']);
  });

  it('a lot across the Oslo/Bærum border is assigned by its larger part and flagged', async () => {
    await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(borderLot(boundaries))), boundaries, { baseline: true });
    const lots = [...(await openLotsInKommune(t.db, '0301')), ...(await openLotsInKommune(t.db, '3201'))];
    expect(lots).toHaveLength(1);
    expect(lots[0]!.crossesBorder).toBe(true);
    expect(lots[0]!.kommuneShare).toBeGreaterThan(0.7);
    expect(lots[0]!.kommuneShare).toBeLessThan(0.8);
  });

  it('plan initiatives from the recorded DiBK excerpt alert as their own kind; tomter and the kommune card show the lots', async () => {
    await subscribe(t.db, clock, 'slack', 'C-OSLO', 'tomter', { fylker: ['03'] });
    const recorded = JSON.parse(readFileSync(new URL('../../fixtures/lots/dibk_planlegging_igangsatt_planomrade_majorstuen_excerpt.geojson', import.meta.url), 'utf8')) as unknown;
    const plans = parseDibkPlans(recorded, { sourceId: 'dibk' });
    const r = await ingestPlans(deps(), 'dibk', plans);
    expect(r).toMatchObject({ new: 3, events: 3, deliveries: 3 });
    expect((await listAlertEvents(t.db)).filter((e) => e.kind === 'plan').map((e) => e.dedupeKey).sort()).toEqual(['plan:dibk:4522', 'plan:dibk:4536', 'plan:dibk:600']);
    expect((await ingestPlans(deps(), 'dibk', plans)).events).toBe(0);

    await ingestLots(deps(), 'geojson-1804-bodo', parse(feed(BODO, BODO_NEW)), boundaries, { baseline: true });
    const rm = await ReadModel.load(deps());
    const list = await handleCommand({ rm, lang: 'nb' }, 'tomter Bodø');
    expect(list.title).toBe('Tomter i 1804 Bodø (2)');
    const card = await handleCommand({ rm, lang: 'nb' }, 'kommune Bodø');
    expect(JSON.stringify(card.sections)).toContain('{"type":"context","text":"Åpne tomter: 2"}');
  });
});
