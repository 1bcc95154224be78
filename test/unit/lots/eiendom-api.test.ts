// Kartverket's eiendom API. `punkt/omrader` is parsed from the RECORDED response; no response of
// `geokoding?omrade=true` was ever saved, so that shape is BUILT FROM THE DOCUMENTED SCHEMA (the
// same Teig FeatureCollection, one feature per teig, without the point-specific meterFraPunkt).
import { readFileSync } from 'node:fs';
import type { Polygon, Position } from 'geojson';
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { UpstreamError, createHttpClient } from '../../../src/lib/http';
import { RateLimiter } from '../../../src/lib/rate-limiter';
import { EIENDOM_BASE_URL, createEiendomClient, parseEiendomTeiger } from '../../../src/sources/lots/eiendom-api';
import { server, useMsw } from '../../support/msw';

useMsw();

const recordedText = readFileSync(new URL('../../fixtures/lots/kartverket_eiendom_punkt_omrader_majorstuen.geojson', import.meta.url), 'utf8');
const recorded = () => JSON.parse(recordedText) as { type: string; features: { geometry: Polygon; properties: Record<string, unknown> }[] };
const teig = recorded().features[0]!.geometry;

/** geokoding?omrade=true built from the documented schema: the recorded teig's feature without meterFraPunkt. */
function geokodingShape(extra: { geometry: Polygon; properties: Record<string, unknown> }[] = []) {
  const f = recorded().features[0]!;
  delete f.properties.meterFraPunkt;
  return { type: 'FeatureCollection', features: [...extra.map((e) => ({ type: 'Feature', ...e })), f] };
}

describe('parseEiendomTeiger on the recorded punkt/omrader response (Majorstuen)', () => {
  it('gives the teig of 0301 215/42 with its exact polygon and attributes', () => {
    const r = parseEiendomTeiger(recorded(), { sourceId: 'eiendom', fetchedAt: '2026-11-24T08:00:00.000Z' });
    expect(r.errors).toEqual([]);
    expect(r.lots).toEqual([
      {
        sourceId: 'eiendom',
        key: '0301-215/42',
        matrikkel: { kommunenummer: '0301', gardsnummer: 215, bruksnummer: 42, festenummer: 0, seksjonsnummer: 0 },
        geometry: teig,
        properties: {
          lokalid: 291305462,
          matrikkelnummertekst: '215/42',
          objekttype: 'Teig',
          hovedområde: true,
          nøyaktighetsklasseteig: 'Gult',
          oppdateringsdato: '2020-06-16T07:19:19',
          teigmedflerematrikkelenheter: false,
          uregistrertjordsameie: false,
        },
        fetchedAt: '2026-11-24T08:00:00.000Z',
      },
    ]);
    expect(teig.coordinates[0]).toHaveLength(11);
    expect(teig.coordinates[0]![0]).toEqual([10.7152893, 59.9300511]);
    expect(r.lots[0]!.properties).not.toHaveProperty('meterFraPunkt');
  });
});

describe('parseEiendomTeiger on geokoding?omrade=true shapes built from the documented schema', () => {
  const second: Polygon = { type: 'Polygon', coordinates: teig.coordinates.map((r) => r.map(([x, y]) => [x! + 0.003, y!] as Position)) };
  const secondTeig = { geometry: second, properties: { ...recorded().features[0]!.properties, hovedområde: false, lokalid: 1 } };

  it('merges the teiger of one unit, the hovedområde first', () => {
    const r = parseEiendomTeiger(geokodingShape([secondTeig]), { sourceId: 'eiendom' });
    expect(r.lots).toHaveLength(1);
    expect(r.lots[0]!.geometry).toEqual({ type: 'MultiPolygon', coordinates: [teig.coordinates, second.coordinates] });
    expect(r.lots[0]!.properties.lokalid).toBe(291305462);
  });

  it('reports a representation point (geokoding without omrade) and a feature without matrikkel parts', () => {
    const point = { geometry: { type: 'Point', coordinates: [10.715, 59.93] } as unknown as Polygon, properties: recorded().features[0]!.properties };
    const noParts = { geometry: second, properties: { objekttype: 'Teig' } };
    const r = parseEiendomTeiger({ type: 'FeatureCollection', features: [point, noParts].map((e) => ({ type: 'Feature', ...e })) }, { sourceId: 'eiendom' });
    expect(r.lots).toEqual([]);
    expect(r.errors).toEqual([
      { key: '0301-215/42', message: 'invalid geometry: geometry type "Point" is not Polygon or MultiPolygon' },
      { key: null, message: expect.stringMatching(/^feature 1: /) },
    ]);
  });

  it('refuses a response in a projected CRS (asked with utkoordsys=25832)', () => {
    const projected = { ...geokodingShape(), crs: { type: 'name', properties: { name: 'EPSG:25832' } } };
    expect(() => parseEiendomTeiger(projected, { sourceId: 'eiendom' })).toThrow('eiendom: coordinates are in EPSG:25832; ask with utkoordsys=4258');
  });
});

describe('createEiendomClient (msw)', () => {
  const http = createHttpClient({ source: 'kartverket', fetch: (...a) => fetch(...a), retries: 0 });
  /** A limiter on a fake clock: records the waits instead of sleeping. */
  const fakeLimiter = (maxPerMinute: number) => {
    let t = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter({ maxPerMinute, now: () => t, sleep: async (ms) => { waits.push(ms); t += ms; } });
    return { limiter, waits };
  };

  it('asks punkt/omrader in ETRS89 and parses the recorded answer', async () => {
    let query: URLSearchParams | undefined;
    server.use(mswHttp.get(`${EIENDOM_BASE_URL}/punkt/omrader`, ({ request }) => {
      query = new URL(request.url).searchParams;
      return new HttpResponse(recordedText, { headers: { 'content-type': 'application/json' } });
    }));
    const client = createEiendomClient(http, { sourceId: 'eiendom', limiter: fakeLimiter(60).limiter });
    const r = await client.punktOmrader({ lat: 59.9297, lon: 10.7151, radius: 1, maxHits: 10 });
    expect(Object.fromEntries(query!)).toEqual({ nord: '59.9297', ost: '10.7151', koordsys: '4258', utkoordsys: '4258', radius: '1', maksTreff: '10' });
    expect(r.lots.map((l) => l.key)).toEqual(['0301-215/42']);
  });

  it('resolves a list one unit at a time at the limiter pace; unknown units and 4xx become errors', async () => {
    const queries: Record<string, string>[] = [];
    server.use(mswHttp.get(`${EIENDOM_BASE_URL}/geokoding`, ({ request }) => {
      const q = Object.fromEntries(new URL(request.url).searchParams);
      queries.push(q);
      if (q.bruksnummer === '42') return HttpResponse.json(geokodingShape());
      if (q.bruksnummer === '43') return HttpResponse.json({ type: 'FeatureCollection', features: [] });
      return HttpResponse.json({ title: 'Bad Request' }, { status: 400 });
    }));
    const { limiter, waits } = fakeLimiter(2);
    const client = createEiendomClient(http, { sourceId: 'eiendom', limiter });
    const unit = (bruksnummer: number, festenummer = 0, seksjonsnummer = 0) => ({ kommunenummer: '0301', gardsnummer: 215, bruksnummer, festenummer, seksjonsnummer });
    const r = await client.resolve([
      { matrikkel: unit(42), name: 'Tomt A', price: 1_250_000 },
      { matrikkel: unit(43) },
      { matrikkel: unit(44, 3) },
      // A seksjon has no teig of its own: the API answers the unit's teig, which does not match.
      { matrikkel: unit(42, 0, 5) },
    ]);
    expect(queries).toEqual([
      { kommunenummer: '0301', gardsnummer: '215', bruksnummer: '42', omrade: 'true', utkoordsys: '4258' },
      { kommunenummer: '0301', gardsnummer: '215', bruksnummer: '43', omrade: 'true', utkoordsys: '4258' },
      { kommunenummer: '0301', gardsnummer: '215', bruksnummer: '44', festenummer: '3', omrade: 'true', utkoordsys: '4258' },
      { kommunenummer: '0301', gardsnummer: '215', bruksnummer: '42', omrade: 'true', utkoordsys: '4258' },
    ]);
    // Two calls a minute on the fake clock: calls 1–2 at t=0, 3–4 after one 60 s wait.
    expect(waits).toEqual([60_000]);
    expect(r.lots.map((l) => [l.key, l.properties.name, l.properties.price])).toEqual([['0301-215/42', 'Tomt A', 1_250_000]]);
    expect(r.errors).toEqual([
      { key: '0301-215/43', message: 'no teig for 0301-215/43 in the matrikkel' },
      { key: '0301-215/44/3', message: 'eiendom API 400 for 0301-215/44/3' },
      { key: '0301-215/42/0/5', message: 'no teig for 0301-215/42/0/5 (the API answered 0301-215/42)' },
    ]);
  });

  it('aborts the batch when the API is down', async () => {
    server.use(mswHttp.get(`${EIENDOM_BASE_URL}/geokoding`, () => new HttpResponse('down', { status: 503 })));
    const client = createEiendomClient(http, { sourceId: 'eiendom', limiter: fakeLimiter(60).limiter });
    await expect(client.resolve([{ matrikkel: { kommunenummer: '0301', gardsnummer: 215, bruksnummer: 42, festenummer: 0, seksjonsnummer: 0 } }])).rejects.toBeInstanceOf(UpstreamError);
  });
});
