// No real municipal lot list was found (test/fixtures/lots/README.md), so the feeds here are built
// from the GeoJSON schema (RFC 7946) around the recorded teig polygon; the test names say so.
import { readFileSync } from 'node:fs';
import type { Polygon, Position } from 'geojson';
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/lib/http';
import { LotSourceError } from '../../../src/sources/lots/common';
import { fetchGeoJsonLots, parseGeoJsonLots } from '../../../src/sources/lots/geojson';
import { server, useMsw } from '../../support/msw';

useMsw();

const teig = JSON.parse(readFileSync(new URL('../../fixtures/lots/kartverket_eiendom_punkt_omrader_majorstuen.geojson', import.meta.url), 'utf8')).features[0].geometry as Polygon;
/** The recorded teig moved `d` degrees east: a second, distinct lot outline. */
const shifted = (d: number): Polygon => ({ type: 'Polygon', coordinates: teig.coordinates.map((r) => r.map(([x, y]) => [x! + d, y!] as Position)) });
const bowTie: Polygon = { type: 'Polygon', coordinates: [[[10.7, 59.9], [10.701, 59.901], [10.701, 59.9], [10.7, 59.901], [10.7, 59.9]]] };
const feature = (properties: Record<string, unknown>, geometry: unknown, id?: number | string) => ({ type: 'Feature', ...(id !== undefined ? { id } : {}), properties, geometry });

describe('parseGeoJsonLots on a kommune lot list built from the GeoJSON schema', () => {
  const list = {
    type: 'FeatureCollection',
    features: [
      feature({ matrikkelnummer: '0301-215/42', navn: 'Tomt A', pris: '1 250 000 kr', lenke: 'https://kommune.example/tomt-a' }, teig),
      feature({ gnr: 215, bnr: 43, navn: 'Tomt B', pris: 25 }, shifted(0.003)),
      feature({ matrikkelnummer: '0301-215/44', navn: 'Tomt C' }, bowTie),
      feature({ navn: 'Tomt D uten id' }, shifted(0.006)),
      feature({ matrikkelnummer: '0301-215/45' }, { type: 'Polygon', coordinates: [teig.coordinates[0]!.map(([x, y]) => [y, x])] }),
    ],
  };

  it('keeps the valid lots and reports each bad feature with its key', () => {
    const r = parseGeoJsonLots(list, { sourceId: 'oslo-tomter', kommuneCode: '0301', fetchedAt: '2026-11-24T08:00:00.000Z' });
    expect(r.truncated).toBe(false);
    expect(r.lots.map((l) => l.key)).toEqual(['0301-215/42', '0301-215/43']);
    expect(r.lots[0]).toEqual({
      sourceId: 'oslo-tomter',
      key: '0301-215/42',
      matrikkel: { kommunenummer: '0301', gardsnummer: 215, bruksnummer: 42, festenummer: 0, seksjonsnummer: 0 },
      geometry: teig,
      properties: { name: 'Tomt A', price: 1250000, url: 'https://kommune.example/tomt-a' },
      fetchedAt: '2026-11-24T08:00:00.000Z',
    });
    expect(r.lots[1]!.properties).toEqual({ name: 'Tomt B', price: 25 });
    expect(r.errors).toEqual([
      { key: '0301-215/44', message: 'invalid geometry: polygon intersects itself' },
      { key: null, message: 'feature 3: no id: no matrikkelnummer, gnr/bnr, id property or feature id' },
      { key: '0301-215/45', message: expect.stringMatching(/^invalid geometry: .*outside Norway's lon\/lat box/) },
    ]);
  });

  it('needs a kommune for gnr/bnr and reports an unreadable matrikkelnummer', () => {
    const r = parseGeoJsonLots({ type: 'FeatureCollection', features: [list.features[1], feature({ matrikkelnummer: 'tomt 7' }, teig)] }, { sourceId: 's' });
    expect(r.lots).toEqual([]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'feature 0: gnr/bnr without kommunenummer (set kommuneCode)',
      expect.stringContaining('feature 1: not a matrikkelnummer: "tomt 7"'),
    ]);
  });

  it('merges features of one matrikkel unit into a MultiPolygon lot', () => {
    const r = parseGeoJsonLots({ type: 'FeatureCollection', features: [feature({ matrikkelnummer: '0301-215/42' }, teig), feature({ matrikkelnummer: '0301-215/42' }, shifted(0.003))] }, { sourceId: 's' });
    expect(r.lots).toHaveLength(1);
    expect(r.lots[0]!.geometry).toEqual({ type: 'MultiPolygon', coordinates: [teig.coordinates, shifted(0.003).coordinates] });
  });

  it('uses the configured idProperty, as an opaque id unless it reads as a matrikkelnummer', () => {
    const fc = { type: 'FeatureCollection', features: [feature({ OBJECTID: 17, tomt: 'Solbakken 4' }, teig, 17), feature({ OBJECTID: 18, tomt: '215/43' }, shifted(0.003), 18)] };
    expect(parseGeoJsonLots(fc, { sourceId: 's', idProperty: 'OBJECTID' }).lots.map((l) => l.key)).toEqual(['17', '18']);
    const byTomt = parseGeoJsonLots(fc, { sourceId: 's', idProperty: 'tomt', kommuneCode: '0301' });
    expect(byTomt.lots.map((l) => [l.key, l.matrikkel?.bruksnummer])).toEqual([['Solbakken 4', undefined], ['0301-215/43', 43]]);
    // Without idProperty the feature id is the fallback.
    expect(parseGeoJsonLots(fc, { sourceId: 's' }).lots.map((l) => l.key)).toEqual(['17', '18']);
  });

  it('refuses documents it cannot read as a whole', () => {
    expect(() => parseGeoJsonLots({ error: { code: 400, message: 'Invalid query parameters' } }, { sourceId: 's' })).toThrow(new LotSourceError('s: server error 400: Invalid query parameters'));
    expect(() => parseGeoJsonLots({ type: 'Feature' }, { sourceId: 's' })).toThrow(/not a GeoJSON FeatureCollection/);
    const projected = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } }, features: [] };
    expect(() => parseGeoJsonLots(projected, { sourceId: 's' })).toThrow(/EPSG::25833; ask for WGS84/);
    const wgs84 = { ...projected, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } };
    expect(parseGeoJsonLots(wgs84, { sourceId: 's' }).lots).toEqual([]);
  });
});

describe('fetchGeoJsonLots on an ArcGIS f=geojson query (pages built from the schema)', () => {
  const URL_ = 'https://services.example.no/arcgis/rest/services/Tomter/FeatureServer/0/query';
  const http = createHttpClient({ source: 'lots', fetch: (...a) => fetch(...a), retries: 0 });

  it('pages with resultOffset while exceededTransferLimit is set', async () => {
    const offsets: (string | null)[] = [];
    server.use(
      mswHttp.get(URL_, ({ request }) => {
        const offset = new URL(request.url).searchParams.get('resultOffset');
        offsets.push(offset);
        return offset === null
          ? HttpResponse.json({ type: 'FeatureCollection', properties: { exceededTransferLimit: true }, features: [feature({ OBJECTID: 1 }, teig, 1), feature({ OBJECTID: 2 }, shifted(0.003), 2)] })
          : HttpResponse.json({ type: 'FeatureCollection', features: [feature({ OBJECTID: 3 }, shifted(0.006), 3)] });
      }),
    );
    const r = await fetchGeoJsonLots(http, { sourceId: 'arcgis', url: `${URL_}?where=1%3D1&outFields=*&f=geojson`, idProperty: 'OBJECTID' });
    expect(offsets).toEqual([null, '2']);
    expect(r.lots.map((l) => l.key)).toEqual(['1', '2', '3']);
    expect(r.errors).toEqual([]);
    expect(r.lots[0]!.fetchedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('stops at maxPages and says the list is incomplete', async () => {
    server.use(mswHttp.get(URL_, () => HttpResponse.json({ type: 'FeatureCollection', exceededTransferLimit: true, features: [feature({ OBJECTID: 1 }, teig, 1)] })));
    const r = await fetchGeoJsonLots(http, { sourceId: 'arcgis', url: `${URL_}?f=geojson`, maxPages: 3 });
    expect(r.errors).toEqual([{ key: null, message: 'arcgis: still truncated after 3 pages (3 features); raise maxPages or narrow the query' }]);
  });
});
