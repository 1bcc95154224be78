// The source factory: stored JSON config → fetch + parse. Upstreams are msw; the CSV and the
// geokoding answer are BUILT FROM THE DOCUMENTED SCHEMA around the recorded teig (see the README).
import { readFileSync } from 'node:fs';
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/lib/http';
import { RateLimiter } from '../../../src/lib/rate-limiter';
import { DIBK_PLANOMRADE_URL } from '../../../src/sources/lots/dibk-plans';
import { EIENDOM_BASE_URL } from '../../../src/sources/lots/eiendom-api';
import { createLotSource, isPlanResult, parseLotSourceConfig, type LotSourceConfig } from '../../../src/sources/lots/source';
import { server, useMsw } from '../../support/msw';

useMsw();

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/lots/${name}`, import.meta.url), 'utf8');
const http = createHttpClient({ source: 'lots', fetch: (...a) => fetch(...a), retries: 0 });
const NOW = new Date('2026-11-24T08:00:00.000Z');

describe('lot source config', () => {
  const base: LotSourceConfig = { id: 'oslo-tomter', kind: 'geojson', url: 'https://kommune.example/tomter.geojson', cadence: 'daily' };

  it('round-trips through JSON for every kind', () => {
    const configs: LotSourceConfig[] = [
      { ...base, idProperty: 'OBJECTID', kommuneCode: '0301' },
      { id: 'teig-majorstuen', kind: 'wfs', url: 'https://wfs.geonorge.no/skwms1/wfs.matrikkelen-eiendomskart-teig', bbox: [10.7, 59.92, 10.73, 59.94], cadence: 'weekly' },
      { id: 'kragero-liste', kind: 'matrikkel-csv', url: 'https://kommune.example/tomter.csv', kommuneCode: '3814', cadence: 'monthly' },
      { id: 'dibk-oslo', kind: 'dibk-plans', url: DIBK_PLANOMRADE_URL, kommuneCode: '0301', cadence: 'hourly' },
    ];
    for (const c of configs) expect(parseLotSourceConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it.each([
    [{ ...base, kind: 'wfs' }, 'bbox: a wfs source needs a bbox'],
    [{ ...base, kommuneCode: '301' }, 'kommuneCode:'],
    [{ ...base, url: 'ftp://kommune.example/x' }, 'url:'],
    [{ ...base, id: 'Oslo Tomter' }, 'id: lower-case'],
    [{ ...base, bbox: [10.8, 59.9, 10.7, 60] }, 'bbox: bbox is [minLon, minLat, maxLon, maxLat]'],
    [{ ...base, bbox: [59.9, 10.7, 60, 10.8] }, 'bbox: bbox must lie in Norway'],
    [{ ...base, cadence: 'sometimes' }, 'cadence:'],
    [{ ...base, extra: 1 }, '(root)'],
  ])('rejects %j', (config, message) => {
    expect(() => createLotSource(config)).toThrow(`lot source config: ${message}`);
  });
});

describe('createLotSource(...).fetch', () => {
  it('geojson: lots stamped with the response time', async () => {
    const teig = JSON.parse(fixture('kartverket_eiendom_punkt_omrader_majorstuen.geojson')).features[0].geometry;
    server.use(mswHttp.get('https://kommune.example/tomter.geojson', () =>
      HttpResponse.json({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { gnr: 215, bnr: 42, navn: 'Tomt A' }, geometry: teig }] })));
    const source = createLotSource({ id: 'oslo-tomter', kind: 'geojson', url: 'https://kommune.example/tomter.geojson', kommuneCode: '0301', cadence: 'daily' });
    const r = await source.fetch(http, NOW);
    expect(isPlanResult(r)).toBe(false);
    if (isPlanResult(r)) return;
    expect(r.lots.map((l) => [l.sourceId, l.key, l.properties.name])).toEqual([['oslo-tomter', '0301-215/42', 'Tomt A']]);
    expect(r.lots[0]!.fetchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('matrikkel-csv: reads the list, resolves each number, keeps the list attributes and both kinds of errors', async () => {
    const recorded = JSON.parse(fixture('kartverket_eiendom_punkt_omrader_majorstuen.geojson'));
    delete recorded.features[0].properties.meterFraPunkt;
    server.use(
      mswHttp.get('https://kommune.example/tomter.csv', () => new HttpResponse('Matrikkel;Navn;Pris\n215/42;Tomt A;1 250 000\n215/x;Tomt B;\n215/43;Tomt C;\n', { headers: { 'content-type': 'text/csv' } })),
      mswHttp.get(`${EIENDOM_BASE_URL}/geokoding`, ({ request }) =>
        HttpResponse.json(new URL(request.url).searchParams.get('bruksnummer') === '42' ? recorded : { type: 'FeatureCollection', features: [] })),
    );
    const source = createLotSource(
      { id: 'oslo-liste', kind: 'matrikkel-csv', url: 'https://kommune.example/tomter.csv', kommuneCode: '0301', cadence: 'monthly' },
      { eiendomLimiter: new RateLimiter({ maxPerMinute: 1000 }) },
    );
    const r = await source.fetch(http, NOW);
    if (isPlanResult(r)) throw new Error('expected lots');
    expect(r.lots.map((l) => [l.key, l.properties.name, l.properties.price, l.geometry.type])).toEqual([['0301-215/42', 'Tomt A', 1250000, 'Polygon']]);
    expect(r.errors).toEqual([
      { key: null, message: expect.stringMatching(/^line 3: not a matrikkelnummer: "215\/x"/) },
      { key: '0301-215/43', message: 'no teig for 0301-215/43 in the matrikkel' },
    ]);
  });

  it('dibk-plans: plans of the configured kommune', async () => {
    server.use(mswHttp.get(DIBK_PLANOMRADE_URL, () => new HttpResponse(fixture('dibk_planlegging_igangsatt_planomrade_majorstuen_excerpt.geojson'), { headers: { 'content-type': 'application/geo+json' } })));
    const r = await createLotSource({ id: 'dibk-oslo', kind: 'dibk-plans', url: DIBK_PLANOMRADE_URL, kommuneCode: '0301', cadence: 'hourly' }).fetch(http, NOW);
    expect(isPlanResult(r) && r.plans.map((p) => [p.sourceId, p.key])).toEqual([['dibk-oslo', '600'], ['dibk-oslo', '4522'], ['dibk-oslo', '4536']]);
  });
});
