/**
 * The REST API's lot routes (/kommuner/{nr}/tomter, /tomter) on the scored snapshot (PGlite) with
 * lots ingested from a GeoJSON feed by the real parser and pipeline: every response is checked
 * against the emitted OpenAPI 3.1 document with Ajv (draft 2020-12), plus auth, parameter errors,
 * filters, paging, punkt and the GeoJSON export.
 */
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMounts } from '../../src/http/api';
import type { OpenApiDocument } from '../../src/http/api/docs-html';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { ingestLots } from '../../src/services/lots/ingest';
import { ReadModel } from '../../src/services/read-model';
import { parseGeoJsonLots } from '../../src/sources/lots/geojson';
import { listBoundaries } from '../../src/store/repos/boundaries';
import { upsertLotSource } from '../../src/store/repos/lots';
import { backends, type TestDb } from '../support/db';
import { openApiConformance } from '../support/openapi';
import { inside, lotFeature, square } from '../support/lots';
import { prepareRuntime, testDeps } from '../support/runtime';

const TOKEN = 'test-token-0123456789abcdefghij';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const SOURCE = 'geojson-test';

interface Lot {
  key: string;
  sourceId: string;
  name: string | null;
  kommune: { code: string; name: string } | null;
  areaM2: number;
  zoningShare: number | null;
  crossesBorder: boolean;
  kommuneShare: number | null;
  centroid: { lon: number; lat: number };
  firstSeenAt: string;
  lastSeenAt: string;
}
interface LotList {
  total: number;
  offset: number;
  limit: number;
  items: Lot[];
}

const feature = lotFeature;

let testDb: TestDb;
let rm: ReadModel;
let app: ReturnType<typeof createApp>;
let doc: OpenApiDocument;
let bodo: [number, number][];
let narvik: [number, number];
let oslo: [number, number];
const conformance = openApiConformance();
const ajv = conformance.ajv;

beforeAll(async () => {
  testDb = await backends.find((b) => b.name === 'pglite')!.open('seed');
  await prepareRuntime(testDb.db);
  const boundaries = await listBoundaries(testDb.db);
  bodo = inside(boundaries, '1804', 2, 120);
  narvik = inside(boundaries, '1806', 1, 120)[0]!;
  oslo = inside(boundaries, '0301', 1, 120)[0]!;
  const deps = testDeps(testDb.db);
  await upsertLotSource(testDb.db, { id: SOURCE, kind: 'geojson', config: {}, cadence: 'daily', createdBy: 'U1', createdAt: deps.now() });
  const feed = {
    type: 'FeatureCollection',
    features: [
      feature('1804-138/2757', 'Tomt ved Rønvikleira', square(...bodo[0]!, 60)),
      feature('1804-40/120', 'Tomt på Hunstad', square(...bodo[1]!, 100)),
      feature('1806-40/1', 'Tomt i Narvik', square(...narvik, 50)),
      feature('0301-1/1', 'Tomt i Oslo', square(...oslo, 40)),
    ],
  };
  const report = await ingestLots(deps, SOURCE, parseGeoJsonLots(feed, { sourceId: SOURCE }), boundaries, { baseline: true });
  expect(report).toMatchObject({ new: 4, errors: [] });
  rm = await ReadModel.load(deps);
  app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: apiMounts({ tokens: [TOKEN], getReadModel: () => rm, version: 'test' }) });
  doc = (await (await app.request('/api/v1/openapi.json')).json()) as OpenApiDocument;
  conformance.use(doc);
});
afterAll(async () => {
  await testDb?.close();
});

const expectConforms = conformance.expectConforms;

/** GET through the whole app; the response is checked against the document before it is returned. */
async function call(template: string, url: string, headers: Record<string, string> = AUTH) {
  const res = await app.request(`/api/v1${url}`, { headers });
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const body: unknown = JSON.parse(await res.text());
  expectConforms(template, res.status, mediaType, body);
  for (const [name, h] of Object.entries(doc.paths[template]!.get!.responses[String(res.status)]!.headers ?? {})) {
    if ((h as { required?: boolean }).required) expect(res.headers.get(name), `${url}: header ${name}`).not.toBeNull();
  }
  return { res, body: body as never };
}

async function lots(query: string): Promise<LotList> {
  const { res, body } = await call('/tomter', `/tomter${query}`);
  expect(res.status).toBe(200);
  return body;
}

describe('the OpenAPI document', () => {
  it('has both lot operations with their parameters and errors', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/kommuner/{nr}/tomter', '/tomter']));
    const byName = (path: string) => new Set((doc.paths[path]!.get!.parameters ?? []).map((p) => (p as { name: string }).name));
    expect([...byName('/tomter')].sort()).toEqual(['bbox', 'format', 'fylke', 'kommune', 'limit', 'minAreal', 'offset', 'punkt']);
    expect(byName('/kommuner/{nr}/tomter')).toEqual(new Set(['nr', 'format']));
    for (const path of ['/kommuner/{nr}/tomter', '/tomter']) {
      const op = doc.paths[path]!.get!;
      expect(op.operationId).toBeTruthy();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
      expect(op.responses['200']!.content?.['application/geo+json']).toBeDefined();
    }
    for (const name of ['Lot', 'LotList', 'LotsAtPoint', 'KommuneLots', 'LotFeatureCollection']) {
      const schema = doc.components?.schemas?.[name];
      expect(schema, name).toBeDefined();
      expect(ajv.validateSchema(schema as object), `${name}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
  });
});

describe('auth', () => {
  it.each([
    ['/kommuner/{nr}/tomter', '/kommuner/1804/tomter'],
    ['/tomter', '/tomter'],
    ['/tomter', '/tomter?punkt=67.28,14.40'],
  ])('%s without a token → 401 with WWW-Authenticate: Bearer', async (template, url) => {
    const { res, body } = await call(template, url, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tomte"');
    expect(body).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('bad parameters → 400 naming the parameter', () => {
  it.each([
    ['/tomter', '/tomter?bbox=14,67,15', 'bbox', /four numbers/],
    ['/tomter', '/tomter?bbox=a,b,c,d', 'bbox', /four numbers/],
    ['/tomter', '/tomter?bbox=14,67,190,68', 'bbox', /longitudes/],
    ['/tomter', '/tomter?bbox=14,-91,15,68', 'bbox', /latitudes/],
    ['/tomter', '/tomter?punkt=67.28', 'punkt', /two numbers: lat,lon/],
    ['/tomter', '/tomter?punkt=140.4,67.28', 'punkt', /latitude 140.4/],
    ['/tomter', '/tomter?punkt=67.28,200', 'punkt', /longitude 200/],
    ['/tomter', '/tomter?minAreal=big', 'minAreal', /must be a number/],
    ['/tomter', '/tomter?minAreal=-5', 'minAreal', /must be a number|at least 0/],
    ['/tomter', '/tomter?kommune=bodo', 'kommune', /four-digit/],
    ['/tomter', '/tomter?fylke=Atlantis', 'fylke', /no county "Atlantis"/],
    ['/tomter', '/tomter?limit=0', 'limit', /at least 1/],
    ['/tomter', '/tomter?limit=1001', 'limit', /at most 1000/],
    ['/tomter', '/tomter?format=csv', 'format', /one of json, geojson/],
    ['/tomter', '/tomter?areal=5', 'areal', /unknown parameter/],
    ['/kommuner/{nr}/tomter', '/kommuner/bodo/tomter', 'nr', /four-digit/],
    ['/kommuner/{nr}/tomter', '/kommuner/1804/tomter?format=xml', 'format', /one of json, geojson/],
  ])('%s: %s → %s', async (template, url, parameter, why) => {
    const { res, body } = await call(template, url);
    expect(res.status).toBe(400);
    const b = body as { code: string; message: string; issues: { parameter: string; message: string }[] };
    expect(b.code).toBe('BAD_PARAMETER');
    expect(b.issues.map((i) => i.parameter)).toEqual([parameter]);
    expect(b.issues[0]!.message).toMatch(why);
    expect(b.message).toContain(parameter);
  });
});

describe('values the document allows but that match nothing (issue 15: the document and validation agree)', () => {
  it('a bbox with its minimum above its maximum matches no lot', async () => {
    for (const bbox of ['15,67,14,68', '14,68,15,67']) {
      const { res, body } = await call('/tomter', `/tomter?bbox=${bbox}`);
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ total: 0, items: [] });
    }
  });

  it('an unknown kommune number is 404 KOMMUNE_NOT_FOUND, as for /kommuner/{nr}', async () => {
    const { res, body } = await call('/tomter', '/tomter?kommune=9999');
    expect(res.status).toBe(404);
    expect(body).toMatchObject({ code: 'KOMMUNE_NOT_FOUND', message: expect.stringMatching(/No kommune has the number 9999/) });
  });
});

describe('GET /kommuner/{nr}/tomter', () => {
  it('1804 Bodø: its two open lots with every field', async () => {
    const { res, body } = await call('/kommuner/{nr}/tomter', '/kommuner/1804/tomter');
    expect(res.status).toBe(200);
    const b = body as { code: string; name: string; redirect: unknown; total: number; items: Lot[] };
    expect(b).toMatchObject({ code: '1804', name: 'Bodø', redirect: null, total: 2 });
    expect(b.items.map((l) => l.key).sort()).toEqual(['1804-138/2757', '1804-40/120']);
    const hunstad = b.items.find((l) => l.key === '1804-40/120')!;
    expect(hunstad).toMatchObject({ sourceId: SOURCE, name: 'Tomt på Hunstad', kommune: { code: '1804', name: 'Bodø' }, zoningShare: null, crossesBorder: false, kommuneShare: 1 });
    expect(hunstad.areaM2).toBeGreaterThan(9_900);
    expect(hunstad.areaM2).toBeLessThan(10_200);
    expect(hunstad.centroid.lon).toBeCloseTo(bodo[1]![0], 4);
    expect(hunstad.centroid.lat).toBeCloseTo(bodo[1]![1], 4);
    expect(hunstad.firstSeenAt).toBe('2026-01-15T06:00:00.000Z');
  });

  it('a kommune without lots → an empty list; an unknown number → 404 KOMMUNE_NOT_FOUND', async () => {
    const empty = await call('/kommuner/{nr}/tomter', '/kommuner/4601/tomter');
    expect(empty.res.status).toBe(200);
    expect(empty.body).toMatchObject({ code: '4601', total: 0, items: [] });
    const { res, body } = await call('/kommuner/{nr}/tomter', '/kommuner/9999/tomter');
    expect(res.status).toBe(404);
    expect(body).toMatchObject({ code: 'KOMMUNE_NOT_FOUND', message: expect.stringContaining('9999') });
  });

  it('format=geojson: a FeatureCollection of the outlines with the Lot properties', async () => {
    const { res, body } = await call('/kommuner/{nr}/tomter', '/kommuner/1804/tomter?format=geojson');
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const fc = body as { type: string; features: { id: string; geometry: Polygon; properties: Lot }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.id).sort()).toEqual([`${SOURCE}/1804-138/2757`, `${SOURCE}/1804-40/120`]);
    const json = (await call('/kommuner/{nr}/tomter', '/kommuner/1804/tomter')).body as { items: Lot[] };
    expect(fc.features.map((f) => f.properties)).toEqual(json.items);
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = f.geometry.coordinates[0]!;
      expect(ring[0]).toEqual(ring.at(-1));
      expect(ring.every(([lon, lat]) => lon! > 3 && lon! < 33 && lat! > 57 && lat! < 72)).toBe(true);
    }
  });
});

describe('GET /tomter', () => {
  it('all open lots, ordered by kommune, with total and X-Total-Count', async () => {
    const { res, body } = await call('/tomter', '/tomter');
    const l = body as LotList;
    expect(res.headers.get('x-total-count')).toBe('4');
    expect(l).toMatchObject({ total: 4, offset: 0, limit: 100 });
    expect(l.items.map((i) => i.kommune!.code)).toEqual(['0301', '1804', '1804', '1806']);
  });

  it('fylke (name or number), kommune and minAreal filter', async () => {
    const nordland = await lots('?fylke=Nordland');
    expect(nordland.items.map((i) => i.key).sort()).toEqual(['1804-138/2757', '1804-40/120', '1806-40/1']);
    expect(await lots('?fylke=18')).toEqual(nordland);
    expect((await lots('?kommune=1806')).items.map((i) => i.key)).toEqual(['1806-40/1']);
    expect((await lots('?fylke=03&kommune=1806')).total).toBe(0);
    const big = await lots('?minAreal=3000');
    expect(big.items.map((i) => i.key)).toEqual(['1804-138/2757', '1804-40/120']);
    expect(big.items.every((i) => i.areaM2 >= 3000)).toBe(true);
  });

  it('bbox keeps the lots whose centroid is inside, inclusive', async () => {
    const [lon, lat] = bodo[1]!;
    const tight = await lots(`?bbox=${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`);
    expect(tight.items.map((i) => i.key)).toEqual(['1804-40/120']);
    const nordland = await lots('?bbox=10,64,20,70');
    expect(nordland.items.map((i) => i.kommune!.code).sort()).toEqual(['1804', '1804', '1806']);
    const all = await lots('?bbox=-10,57,35,82');
    expect(all.total).toBe(4);
    const c = all.items.find((i) => i.key === '0301-1/1')!.centroid;
    expect((await lots(`?bbox=${c.lon},${c.lat},${c.lon},${c.lat}`)).items.map((i) => i.key)).toEqual(['0301-1/1']);
  });

  it('paging: limit and offset walk the whole ordered list', async () => {
    const full = (await lots('')).items;
    const pages: Lot[] = [];
    for (let offset = 0; offset < 5; offset += 2) {
      const p = await lots(`?limit=2&offset=${offset}`);
      expect(p).toMatchObject({ total: 4, offset, limit: 2 });
      pages.push(...p.items);
    }
    expect(pages).toEqual(full);
  });

  it('punkt inside Bodø → kommune 1804 and its lots', async () => {
    const [lon, lat] = bodo[0]!;
    const { res, body } = await call('/tomter', `/tomter?punkt=${lat},${lon}`);
    expect(res.status).toBe(200);
    const b = body as { kommune: { code: string; name: string } | null; total: number; lots: Lot[] };
    expect(b.kommune).toEqual({ code: '1804', name: 'Bodø' });
    expect(b.total).toBe(2);
    expect(b.lots.map((l) => l.key).sort()).toEqual(['1804-138/2757', '1804-40/120']);
    // Combined with a filter, the filter still applies.
    const big = (await call('/tomter', `/tomter?punkt=${lat},${lon}&minAreal=5000`)).body as { lots: Lot[] };
    expect(big.lots.map((l) => l.key)).toEqual(['1804-40/120']);
  });

  it('punkt in Narvik finds 1806; punkt at sea → kommune null and no lots', async () => {
    const [lon, lat] = narvik;
    expect((await call('/tomter', `/tomter?punkt=${lat},${lon}`)).body).toMatchObject({ kommune: { code: '1806' }, total: 1 });
    const { res, body } = await call('/tomter', '/tomter?punkt=66.0,4.0');
    expect(res.status).toBe(200);
    expect(body).toEqual({ kommune: null, total: 0, offset: 0, limit: 100, lots: [] });
  });

  it('format=geojson exports every match as a valid FeatureCollection', async () => {
    const { res, body } = await call('/tomter', '/tomter?format=geojson&fylke=Nordland');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(res.headers.get('x-total-count')).toBe('3');
    const fc = body as { type: string; features: { type: string; id: string; geometry: Polygon; properties: Lot }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(3);
    expect(fc.features.map((f) => f.properties)).toEqual((await lots('?fylke=Nordland')).items);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(f.id).toBe(`${f.properties.sourceId}/${f.properties.key}`);
      expect(f.geometry.coordinates[0]![0]).toEqual(f.geometry.coordinates[0]!.at(-1));
    }
    const [lon, lat] = bodo[0]!;
    const atPoint = (await call('/tomter', `/tomter?format=geojson&punkt=${lat},${lon}`)).body as { features: unknown[] };
    expect(atPoint.features).toHaveLength(2);
  });
});
