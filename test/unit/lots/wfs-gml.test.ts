// Kartverket's WFS "Matrikkelen – Eiendomskart Teig". No recorded GetFeature response exists
// (test/fixtures/lots/README.md): every document here is BUILT FROM THE DOCUMENTED SCHEMA (WFS 2.0,
// GML 3.2, the Teig attribute names public clients read), around the recorded teig's coordinates,
// and the test names say so.
import { readFileSync } from 'node:fs';
import type { Polygon } from 'geojson';
import { http as mswHttp, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/lib/http';
import { LotSourceError } from '../../../src/sources/lots/common';
import { orientGeographic, parseSrsName, utmToLonLat } from '../../../src/sources/lots/crs';
import { TEIG_WFS_URL, fetchTeigWfs, parseTeigGml } from '../../../src/sources/lots/wfs-gml';
import { server, useMsw } from '../../support/msw';

useMsw();

const teig = JSON.parse(readFileSync(new URL('../../fixtures/lots/kartverket_eiendom_punkt_omrader_majorstuen.geojson', import.meta.url), 'utf8')).features[0].geometry as Polygon;
const ring = teig.coordinates[0]! as [number, number][];

// --- A forward transverse Mercator for the test (Krüger α-series; src has only the inverse) ----
const A = 6378137;
const F = 1 / 298.257222101;
const N = F / (2 - F);
const AK0 = (A / (1 + N)) * (1 + N ** 2 / 4 + N ** 4 / 64) * 0.9996;
const ALPHA = [
  N / 2 - (2 / 3) * N ** 2 + (5 / 16) * N ** 3 + (41 / 180) * N ** 4,
  (13 / 48) * N ** 2 - (3 / 5) * N ** 3 + (557 / 1440) * N ** 4,
  (61 / 240) * N ** 3 - (103 / 140) * N ** 4,
  (49561 / 161280) * N ** 4,
];
function lonLatToUtm(lon: number, lat: number, zone: number): [number, number] {
  const e = (2 * Math.sqrt(N)) / (1 + N);
  const phi = (lat * Math.PI) / 180;
  const dl = ((lon - (zone * 6 - 183)) * Math.PI) / 180;
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - e * Math.atanh(e * Math.sin(phi)));
  const xi = Math.atan2(t, Math.cos(dl));
  const eta = Math.atanh(Math.sin(dl) / Math.sqrt(1 + t * t));
  let x = eta;
  let y = xi;
  ALPHA.forEach((a, i) => {
    const j = 2 * (i + 1);
    x += a * Math.cos(j * xi) * Math.sinh(j * eta);
    y += a * Math.sin(j * xi) * Math.cosh(j * eta);
  });
  return [500_000 + AK0 * x, AK0 * y];
}

/** Distance in metres between two lon/lat points (local approximation, fine below 1 km). */
const metres = ([x1, y1]: [number, number], [x2, y2]: [number, number]) =>
  Math.hypot((x2 - x1) * 111_320 * Math.cos((y1 * Math.PI) / 180), (y2 - y1) * 110_950);

describe('utmToLonLat (ETRS89 / UTM → lon/lat)', () => {
  // Grid points Kartverket converted EUREF89 UTM33 → lat/lon (norgeskart.no), as tabulated in
  // larschri/utm33ToLatLng @ 1c98bf2 (provenance in test/fixtures/lots/README.md):
  // [easting, northing, latitude, longitude]. They span 10° west to 17° east of zone 33's meridian.
  const kartverket: [number, number, number, number][] = [
    [250000, 6650000, 59.911462622, 10.527598994],
    [-50000, 6750000, 60.507135959, 4.959108129],
    [500000, 7050000, 63.578081455, 15.0],
    [1100000, 7950000, 70.90734638, 31.61921047],
  ];

  it.each(kartverket)('matches Kartverket at E %d N %d within 1 m (in fact 1 mm)', (e, n, lat, lon) => {
    const got = utmToLonLat(e, n, 33);
    expect(metres(got, [lon, lat])).toBeLessThan(0.001);
    // The test's own forward formulas agree too, so the round trips below are meaningful.
    const [e2, n2] = lonLatToUtm(lon, lat, 33);
    expect(Math.hypot(e2 - e, n2 - n)).toBeLessThan(0.001);
  });

  it('puts easting 500 000 on the zone meridian: 9°E in zone 32, 27°E in zone 35', () => {
    expect(utmToLonLat(500000, 6650000, 32)[0]).toBeCloseTo(9, 12);
    expect(utmToLonLat(500000, 7750000, 35)[0]).toBeCloseTo(27, 12);
  });
});

describe('parseSrsName and orientGeographic', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::4258', { kind: 'geographic', epsg: 4258, order: 'lat,lon' }],
    ['http://www.opengis.net/def/crs/EPSG/0/4326', { kind: 'geographic', epsg: 4326, order: 'lat,lon' }],
    ['EPSG:4326', { kind: 'geographic', epsg: 4326, order: 'lon,lat' }],
    ['http://www.opengis.net/gml/srs/epsg.xml#4258', { kind: 'geographic', epsg: 4258, order: 'lon,lat' }],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', { kind: 'geographic', epsg: 4326, order: 'lon,lat' }],
    ['urn:ogc:def:crs:EPSG::25833', { kind: 'utm', epsg: 25833, zone: 33 }],
    ['EPSG:25832', { kind: 'utm', epsg: 25832, zone: 32 }],
    ['EPSG:3857', null],
  ])('%s', (srs, crs) => expect(parseSrsName(srs)).toEqual(crs));

  it('lets Norwegian data overrule a declared order it contradicts', () => {
    expect(orientGeographic([[59.93, 10.71]], 'lon,lat')).toEqual([[10.71, 59.93]]);
    expect(orientGeographic([[10.71, 59.93]], 'lat,lon')).toEqual([[10.71, 59.93]]);
    // Fits neither order: the declared one stays, and validation rejects it later.
    expect(orientGeographic([[1, 2]], 'lat,lon')).toEqual([[2, 1]]);
  });
});

// --- GML built from the documented schema -----------------------------------------------------
const APP = 'http://skjema.geonorge.no/SOSI/produktspesifikasjon/Matrikkelen-Eiendomskart-Teig/20211101';
const posList = (pairs: [number, number][]) => pairs.map((p) => p.join(' ')).join(' ');
const latLon = (r: [number, number][]) => r.map(([lon, lat]) => [lat, lon] as [number, number]);

function collection(members: string[], numberReturned = '0'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="${APP}"
  timeStamp="2026-11-24T08:00:00" numberMatched="unknown" numberReturned="${numberReturned}">
${members.map((m) => `  <wfs:member>\n${m}\n  </wfs:member>`).join('\n')}
</wfs:FeatureCollection>`;
}

function teigMember(opts: { id: string; attrs: string; geometry: string }): string {
  return `    <app:Teig gml:id="${opts.id}">
      ${opts.attrs}
      <app:område>${opts.geometry}</app:område>
    </app:Teig>`;
}

const polygon = (srs: string, pairs: [number, number][], dim = 2) =>
  `<gml:Polygon gml:id="p" srsName="${srs}" srsDimension="${dim}"><gml:exterior><gml:LinearRing><gml:posList>${posList(pairs)}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>`;

// Attribute values: the recorded teig's (kommune, gnr/bnr, lokalid as teigId, "Gult"); the
// lagretBeregnetAreal is tomte's own area of the recorded polygon, not a value Kartverket sent.
const attrs215_42 = `<app:teigId>291305462</app:teigId>
      <app:kommunenummer>0301</app:kommunenummer><app:gardsnummer>215</app:gardsnummer><app:bruksnummer>42</app:bruksnummer>
      <app:festenummer>0</app:festenummer><app:seksjonsnummer>0</app:seksjonsnummer>
      <app:matrikkelnummerTekst>215/42</app:matrikkelnummerTekst><app:lagretBeregnetAreal>4363.2</app:lagretBeregnetAreal>
      <app:nøyaktighetsklasseTeig>Gult</app:nøyaktighetsklasseTeig><app:tvist>false</app:tvist>
      <app:teigMedFlereMatrikkelenheter>false</app:teigMedFlereMatrikkelenheter>`;

describe('parseTeigGml on GetFeature responses built from the documented schema', () => {
  it('reads app:område (with å) in EPSG:4258 lat,lon and the matrikkel parts, though numberReturned="0"', () => {
    const xml = collection([teigMember({ id: 'Teig.291305462', attrs: attrs215_42, geometry: polygon('urn:ogc:def:crs:EPSG::4258', latLon(ring)) })]);
    const r = parseTeigGml(xml, { sourceId: 'teig-wfs', fetchedAt: '2026-11-24T08:00:00.000Z' });
    expect(r.numberReturned).toBe('0');
    expect(r.memberCount).toBe(1);
    expect(r.errors).toEqual([]);
    expect(r.lots).toEqual([
      {
        sourceId: 'teig-wfs',
        key: '0301-215/42',
        matrikkel: { kommunenummer: '0301', gardsnummer: 215, bruksnummer: 42, festenummer: 0, seksjonsnummer: 0 },
        geometry: teig,
        properties: {
          teigId: '291305462', matrikkelnummerTekst: '215/42', nøyaktighetsklasseTeig: 'Gult', lagretBeregnetAreal: 4363.2,
          tvist: false, teigMedFlereMatrikkelenheter: false,
        },
        fetchedAt: '2026-11-24T08:00:00.000Z',
      },
    ]);
  });

  it('converts an EPSG:25833 (UTM 33) polygon to lon/lat within 1 mm of the original', () => {
    const utm = ring.map(([lon, lat]) => lonLatToUtm(lon, lat, 33));
    const xml = collection([teigMember({ id: 't', attrs: attrs215_42, geometry: polygon('urn:ogc:def:crs:EPSG::25833', utm) })]);
    const got = parseTeigGml(xml, { sourceId: 's' }).lots[0]!.geometry as Polygon;
    got.coordinates[0]!.forEach((p, i) => expect(metres(p as [number, number], ring[i]!)).toBeLessThan(0.001));
  });

  it('reads a MultiSurface whose srsName and srsDimension="3" sit on the parent, and pos lists', () => {
    const other = ring.map(([lon, lat]) => [lon + 0.003, lat] as [number, number]);
    const threeD = latLon(ring).map(([a, b]) => `${a} ${b} 12.5`).join(' ');
    const pos = latLon(other).map((p) => `<gml:pos>${p.join(' ')}</gml:pos>`).join('');
    const geometry = `<gml:MultiSurface gml:id="ms" srsName="urn:ogc:def:crs:EPSG::4258" srsDimension="3">
      <gml:surfaceMember><gml:Polygon gml:id="a"><gml:exterior><gml:LinearRing><gml:posList>${threeD}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
      <gml:surfaceMember><gml:Polygon gml:id="b"><gml:exterior><gml:LinearRing>${pos}</gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>
    </gml:MultiSurface>`;
    const lot = parseTeigGml(collection([teigMember({ id: 't', attrs: attrs215_42, geometry })]), { sourceId: 's' }).lots[0]!;
    expect(lot.geometry).toEqual({ type: 'MultiPolygon', coordinates: [[ring], [other]] });
  });

  it('orients the short "EPSG:4326" form by the data, and takes the CRS from the request when none is named', () => {
    const short = collection([teigMember({ id: 't', attrs: attrs215_42, geometry: polygon('EPSG:4326', latLon(ring)) })]);
    expect(parseTeigGml(short, { sourceId: 's' }).lots[0]!.geometry).toEqual(teig);
    const unnamed = collection([teigMember({ id: 't', attrs: attrs215_42, geometry: polygon('', latLon(ring)).replace(' srsName=""', '') })]);
    expect(parseTeigGml(unnamed, { sourceId: 's', defaultSrsName: 'urn:ogc:def:crs:EPSG::4258' }).lots[0]!.geometry).toEqual(teig);
    expect(parseTeigGml(unnamed, { sourceId: 's' }).errors).toEqual([{ key: '0301-215/42', message: 'unreadable geometry: no srsName on the geometry, its parents or the request' }]);
  });

  it('keys a teig shared by several matrikkel units by teigId, and reports bad members without dropping the rest', () => {
    const shared = `<app:teigId>900001</app:teigId><app:kommunenummer>0301</app:kommunenummer>
      <app:gardsnummer>215</app:gardsnummer><app:bruksnummer>50</app:bruksnummer>
      <app:gardsnummer>215</app:gardsnummer><app:bruksnummer>51</app:bruksnummer>
      <app:teigMedFlereMatrikkelenheter>true</app:teigMedFlereMatrikkelenheter>`;
    const shiftedRing = ring.map(([lon, lat]) => [lon + 0.003, lat] as [number, number]);
    const xml = collection([
      teigMember({ id: 'a', attrs: attrs215_42, geometry: polygon('urn:ogc:def:crs:EPSG::4258', latLon(ring)) }),
      teigMember({ id: 'b', attrs: shared, geometry: polygon('urn:ogc:def:crs:EPSG::4258', latLon(shiftedRing)) }),
      teigMember({ id: 'c', attrs: '<app:teigId>900002</app:teigId>', geometry: polygon('urn:ogc:def:crs:EPSG::4258', latLon(ring)).replace(/<gml:posList>[^ ]+ /, '<gml:posList>') }),
      teigMember({ id: 'd', attrs: '<app:teigId>900003</app:teigId>', geometry: polygon('urn:ogc:def:crs:EPSG::3857', ring) }),
      teigMember({ id: 'e', attrs: '<app:teigId>900004</app:teigId>', geometry: polygon('urn:ogc:def:crs:EPSG::4258', ring) }),
    ]);
    const r = parseTeigGml(xml, { sourceId: 's' });
    expect(r.memberCount).toBe(5);
    expect(r.lots.map((l) => [l.key, l.matrikkel?.bruksnummer, l.properties.teigMedFlereMatrikkelenheter])).toEqual([
      ['0301-215/42', 42, false],
      ['900001', undefined, true],
      // Declared lat,lon but written lon,lat: the data decides (orientGeographic), so it parses.
      ['900004', undefined, undefined],
    ]);
    expect(r.lots[2]!.geometry).toEqual(teig);
    expect(r.errors).toEqual([
      { key: '900002', message: 'unreadable geometry: gml:posList has 21 numbers, not a multiple of srsDimension 2' },
      { key: '900003', message: 'unreadable geometry: unsupported CRS urn:ogc:def:crs:EPSG::3857' },
    ]);
  });

  // Found by test/fuzz/lots.fuzz.test.ts: Number() reads "0x3C" as 60, so a posList of hex,
  // binary or octal literals passed as coordinates. gml:posList is a list of xs:double.
  it('refuses a posList or pos whose numbers are not decimal (0x3C, 0b1, 0o7)', () => {
    const posListed = polygon('urn:ogc:def:crs:EPSG::4258', [[60, 10]]).replace('60 10', '0x3C 10 60 11 61 11 60 10');
    const posses = posListed.replace(/<gml:posList>.*<\/gml:posList>/, ['0x3C 10', '60 11', '61 0b1011', '0o74 10'].map((p) => `<gml:pos>${p}</gml:pos>`).join(''));
    for (const geometry of [posListed, posses]) {
      const r = parseTeigGml(collection([teigMember({ id: 't', attrs: '<app:teigId>1</app:teigId>', geometry })]), { sourceId: 's' });
      expect(r.lots).toEqual([]);
      expect(r.errors).toEqual([{ key: '1', message: 'unreadable geometry: gml:posList has a value that is not a number' }]);
    }
  });

  it('throws LotSourceError for an ows:ExceptionReport and for malformed XML', () => {
    const report = `<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0"><ows:Exception exceptionCode="InvalidParameterValue" locator="typeNames"><ows:ExceptionText>Unknown type app:Teigg</ows:ExceptionText></ows:Exception></ows:ExceptionReport>`;
    expect(() => parseTeigGml(report, { sourceId: 's' })).toThrow(new LotSourceError('s: WFS exception: Unknown type app:Teigg'));
    expect(() => parseTeigGml('<wfs:FeatureCollection><wfs:member>', { sourceId: 's' })).toThrow(/malformed XML at line 1/);
  });
});

describe('fetchTeigWfs (msw; responses built from the documented schema)', () => {
  const http = createHttpClient({ source: 'kartverket', fetch: (...a) => fetch(...a), retries: 0 });

  it('pages by counting members, sends the bbox in lat,lon order, and merges a unit met on two pages', async () => {
    const seen: URLSearchParams[] = [];
    const member = (lonShift: number, bnr: number) =>
      teigMember({ id: `t${bnr}`, attrs: attrs215_42.replace('<app:bruksnummer>42<', `<app:bruksnummer>${bnr}<`), geometry: polygon('urn:ogc:def:crs:EPSG::4258', latLon(ring.map(([x, y]) => [x + lonShift, y]))) });
    server.use(
      mswHttp.get(TEIG_WFS_URL, ({ request }) => {
        const q = new URL(request.url).searchParams;
        seen.push(q);
        const body = q.get('startIndex') === '0' ? collection([member(0, 42), member(0.003, 43)]) : collection([member(0.006, 43)]);
        return new HttpResponse(body, { headers: { 'content-type': 'text/xml; subtype=gml/3.2.1' } });
      }),
    );
    const r = await fetchTeigWfs(http, { sourceId: 'teig-wfs', bbox: [10.70, 59.92, 10.73, 59.94], pageSize: 2 });
    expect(seen.map((q) => q.get('startIndex'))).toEqual(['0', '2']);
    expect(Object.fromEntries(seen[0]!)).toMatchObject({
      service: 'WFS', version: '2.0.0', request: 'GetFeature', typeNames: 'app:Teig', srsName: 'urn:ogc:def:crs:EPSG::4258',
      bbox: '59.92,10.7,59.94,10.73,urn:ogc:def:crs:EPSG::4258', count: '2',
    });
    expect(r.errors).toEqual([]);
    expect(r.lots.map((l) => [l.key, l.geometry.type])).toEqual([['0301-215/42', 'Polygon'], ['0301-215/43', 'MultiPolygon']]);
  });
});
