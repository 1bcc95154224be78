/**
 * Fuzzing the lot parsers (issue 9): batches of valid lots mixed with invalid geometry
 * (self-intersecting bow ties, open rings, NaN/Infinity/out-of-range coordinates, empty rings,
 * wrong nesting, wrong type names, null geometry, huge coordinate lists; in GML also garbage
 * posList, odd counts and unknown srsName) through the GeoJSON, eiendom API, DiBK and Teig WFS
 * parsers. Properties:
 *
 * - no parser throws anything but LotSourceError, and a batch of features never throws;
 * - each bad lot is one per-lot problem with its key and a message saying what is wrong;
 * - every valid lot is kept, with its key, and the same geometry, area and centroid as when it
 *   is parsed alone;
 * - the recorded eiendom `punkt/omrader` and DiBK responses, mutated, give only lots whose
 *   geometry is one of the input's and valid, or problems, or a LotSourceError.
 *
 * Bounded here (150 cases per property); `TOMTE_FUZZ_RUNS` scales it (test/support/fuzz.ts: 100000 → 7,500).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- mutated JSON of any shape is the point here */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InvalidLotGeometryError, lotArea, lotCentroid, validateLotGeometry } from '../../src/domain/lots/geometry';
import type { LotGeometry, ParseProblem } from '../../src/domain/lots/types';
import { LotSourceError, checkedGeometry } from '../../src/sources/lots/common';
import { parseDibkPlans } from '../../src/sources/lots/dibk-plans';
import { parseEiendomTeiger } from '../../src/sources/lots/eiendom-api';
import { parseGeoJsonLots } from '../../src/sources/lots/geojson';
import { parseMatrikkelCsv } from '../../src/sources/lots/matrikkel-csv';
import { parseTeigGml } from '../../src/sources/lots/wfs-gml';
import { genericMutation, isObj, type Mutation } from '../support/json-mutate';
import { square } from '../support/lots';
import { fuzzRuns } from '../support/fuzz';

const RUNS = fuzzRuns(150);
/** Per test: the default 60 s, more for a large run. */
const TIMEOUT = Math.max(60_000, RUNS * 40);

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`../fixtures/lots/${name}`, import.meta.url), 'utf8'));
const EIENDOM = 'kartverket_eiendom_punkt_omrader_majorstuen.geojson';
const DIBK = 'dibk_planlegging_igangsatt_planomrade_majorstuen_excerpt.geojson';
const teig = fixture(EIENDOM).features[0].geometry as Polygon;

// --- Geometries -------------------------------------------------------------------------------

/** A point well inside Norway's lon/lat box, on a 1e-4° grid. */
const centre = fc.tuple(fc.integer({ min: 50_000, max: 300_000 }), fc.integer({ min: 585_000, max: 700_000 })).map(([x, y]) => [x / 1e4, y / 1e4] as const);

/** A regular polygon of n vertices and radius r metres (convex, so simple). */
function regular(lon: number, lat: number, n: number, r: number, turn = 0): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = turn + (2 * Math.PI * i) / n;
    ring.push([lon + (r * Math.cos(a)) / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + (r * Math.sin(a)) / 110_950]);
  }
  ring.push([...ring[0]!]);
  return ring;
}

const validGeometry: fc.Arbitrary<LotGeometry> = fc.oneof(
  fc.tuple(centre, fc.integer({ min: 5, max: 400 })).map(([[lon, lat], side]) => square(lon, lat, side)),
  fc.tuple(centre, fc.integer({ min: 3, max: 60 }), fc.integer({ min: 5, max: 300 }), fc.double({ min: 0, max: 6, noNaN: true })).map(
    ([[lon, lat], n, r, turn]): Polygon => ({ type: 'Polygon', coordinates: [regular(lon, lat, n, r, turn)] }),
  ),
  // With a hole.
  fc.tuple(centre, fc.integer({ min: 20, max: 300 })).map(([[lon, lat], side]): Polygon => ({
    type: 'Polygon',
    coordinates: [square(lon, lat, side).coordinates[0]!, [...square(lon, lat, side / 3).coordinates[0]!].reverse()],
  })),
  // Two teiger of one unit.
  fc.tuple(centre, fc.integer({ min: 5, max: 100 })).map(([[lon, lat], side]): LotGeometry => ({
    type: 'MultiPolygon',
    coordinates: [square(lon, lat, side).coordinates, square(lon + 0.01, lat, side).coordinates],
  })),
  // The recorded teig, moved.
  fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -50, max: 50 })).map(([dx, dy]): Polygon => ({
    type: 'Polygon',
    coordinates: teig.coordinates.map((r) => r.map(([x, y]) => [x! + dx / 100, y! + dy / 100])),
  })),
  // A huge but valid outline (kinks is quadratic: a few hundred vertices keep the suite fast).
  centre.map(([lon, lat]): Polygon => ({ type: 'Polygon', coordinates: [regular(lon, lat, 400, 200)] })),
);

const ringOf = (g: LotGeometry): Position[] => (g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!);
const withRing = (ring: unknown): any => ({ type: 'Polygon', coordinates: [ring] });

/** Invalid geometries built from a valid one (each must be refused by validateLotGeometry). */
const invalidGeometry: fc.Arbitrary<any> = fc.oneof(
  centre.map(([lon, lat]) => withRing([[lon, lat], [lon + 0.001, lat + 0.001], [lon + 0.001, lat], [lon, lat + 0.001], [lon, lat]])),
  validGeometry.map((g) => withRing(ringOf(g).slice(0, -1))),
  fc.tuple(validGeometry, fc.nat(), fc.constantFrom<any>(NaN, Infinity, -Infinity, '10.7', null, undefined, 200, -95, 1e308, [], {})).map(([g, i, v]) => {
    const ring = ringOf(g).map((p) => [...p]);
    ring[i % ring.length]![i % 2] = v;
    return withRing(ring);
  }),
  validGeometry.map((g) => withRing(ringOf(g).map(([x, y]) => [y, x]))),
  validGeometry.map((g) => withRing(ringOf(g).map(([x, y]) => [x! * 1e5, y! * 1e5]))),
  fc.constantFrom<any>(
    { type: 'Polygon', coordinates: [] },
    { type: 'Polygon', coordinates: [[]] },
    { type: 'MultiPolygon', coordinates: [] },
    { type: 'MultiPolygon', coordinates: [[]] },
    { type: 'Polygon' },
    { type: 'Polygon', coordinates: null },
    { type: 'Polygon', coordinates: 'POLYGON((10 60, 11 60, 11 61, 10 60))' },
    null,
    undefined,
    'Polygon',
    42,
    [],
  ),
  // Wrong nesting depth, both ways, and MultiPolygon/Polygon depth swapped.
  validGeometry.map((g) => ({ type: 'Polygon', coordinates: ringOf(g) })),
  validGeometry.map((g) => ({ type: 'Polygon', coordinates: [[ringOf(g)]] })),
  validGeometry.map((g) => ({ type: 'MultiPolygon', coordinates: [ringOf(g)] })),
  fc.tuple(validGeometry, fc.constantFrom('polygon', 'Point', 'LineString', 'MultiLineString', 'GeometryCollection', 'Feature', '')).map(([g, type]) => ({ ...g, type })),
  validGeometry.map((g) => withRing(ringOf(g).slice(0, 2).concat([ringOf(g)[0]!]))),
  centre.map(([lon, lat]) => withRing([[lon, lat], [lon + 0.001, lat], [lon + 0.002, lat], [lon, lat]])),
  validGeometry.map((g) => withRing(ringOf(g).map((p, i) => (i === 1 ? [p[0]] : p)))),
  // Huge lists: 10 000 positions, one bad coordinate near the end or the ring left open.
  fc.tuple(centre, fc.boolean()).map(([[lon, lat], open]) => {
    const ring = regular(lon, lat, 10_000, 100);
    if (open) ring.pop();
    else ring[9_990] = [NaN, lat];
    return withRing(ring);
  }),
);

type Entry = { valid: true; geometry: LotGeometry } | { valid: false; geometry: unknown };
const entry: fc.Arbitrary<Entry> = fc.oneof(
  validGeometry.map((geometry): Entry => ({ valid: true, geometry })),
  invalidGeometry.map((geometry): Entry => ({ valid: false, geometry })),
);
const batch = fc.array(entry, { minLength: 1, maxLength: 10 });

// --- The property, for any parser that turns features into keyed outlines ----------------------

interface Parsed {
  items: { key: string; geometry: LotGeometry }[];
  errors: ParseProblem[];
}

/** Same geometry, area and centroid as parsed alone; each bad entry one problem with its key. */
function expectBatch(entries: Entry[], keyOf: (i: number) => string, parse: (entries: Entry[], keys: string[]) => Parsed, message: RegExp): void {
  const keys = entries.map((_, i) => keyOf(i));
  const all = parse(entries, keys);
  const valid = entries.flatMap((e, i) => (e.valid ? [i] : []));
  expect(all.items.map((l) => l.key).sort()).toEqual(valid.map((i) => keys[i]!).sort());
  for (const i of valid) {
    const alone = parse([entries[i]!], [keys[i]!]);
    expect(alone.errors).toEqual([]);
    const got = all.items.find((l) => l.key === keys[i])!;
    expect(got.geometry).toEqual(alone.items[0]!.geometry);
    expect(lotArea(got.geometry)).toBe(lotArea(alone.items[0]!.geometry));
    expect(lotCentroid(got.geometry)).toEqual(lotCentroid(alone.items[0]!.geometry));
  }
  const bad = entries.flatMap((e, i) => (e.valid ? [] : [keys[i]!]));
  expect(all.errors.map((e) => e.key).sort()).toEqual(bad.sort());
  for (const e of all.errors) expect(e.message).toMatch(message);
}

const GEOMETRY_PROBLEM = /^invalid geometry: \S.{5,}/;

// --- Document builders for each parser --------------------------------------------------------

const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const fromGeoJson = (json: unknown): Parsed => {
  const r = parseGeoJsonLots(json, { sourceId: 'fuzz', kommuneCode: '0301' });
  return { items: r.lots, errors: r.errors };
};
const fromEiendom = (json: unknown): Parsed => {
  const r = parseEiendomTeiger(json, { sourceId: 'fuzz' });
  return { items: r.lots, errors: r.errors };
};
const fromDibk = (json: unknown): Parsed => {
  const r = parseDibkPlans(json, { sourceId: 'fuzz' });
  return { items: r.plans, errors: r.errors };
};
const dibkFeature = (id: number, geometry: unknown) => ({
  type: 'Feature',
  id,
  properties: {
    nasjonalArealplanId: { kommunenummer: '0301', planid: `2026/${id}` },
    plannavn: `Plan ${id}`,
    plantype: 'Detaljregulering',
    kunngjøringsdatoVarselOmPlanoppstart: '2026-08-28',
  },
  geometry,
});

// GML: positions written lat,lon in EPSG:4258, as the Teig WFS sends them.
const posList = (ring: readonly unknown[]) => ring.map((p) => (Array.isArray(p) ? `${String(p[1])} ${String(p[0])}` : String(p))).join(' ');
function gmlPolygon(rings: readonly (readonly unknown[])[], srs = 'urn:ogc:def:crs:EPSG::4258', list?: string): string {
  const ring = (r: readonly unknown[]) => `<gml:LinearRing><gml:posList>${list ?? posList(r)}</gml:posList></gml:LinearRing>`;
  const [outer, ...holes] = rings;
  return `<gml:Polygon srsName="${srs}"><gml:exterior>${ring(outer ?? [])}</gml:exterior>${holes.map((h) => `<gml:interior>${ring(h)}</gml:interior>`).join('')}</gml:Polygon>`;
}
function gmlOf(g: LotGeometry): string {
  if (g.type === 'Polygon') return gmlPolygon(g.coordinates);
  return `<gml:MultiSurface>${g.coordinates.map((p) => `<gml:surfaceMember>${gmlPolygon(p)}</gml:surfaceMember>`).join('')}</gml:MultiSurface>`;
}
const gmlDoc = (members: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" xmlns:app="urn:teig" numberReturned="0">${members
    .map((m) => `<wfs:member>${m}</wfs:member>`)
    .join('')}</wfs:FeatureCollection>`;
const gmlMember = (key: string, geometry: string) => `<app:Teig gml:id="T.${key}"><app:teigId>${key}</app:teigId><app:område>${geometry}</app:område></app:Teig>`;

const refused = (g: unknown): boolean => {
  try {
    validateLotGeometry(g);
    return false;
  } catch {
    return true;
  }
};

type GmlEntry = { valid: true; geometry: LotGeometry } | { valid: false; gml: string };
/** Invalid GML geometries: garbage and odd posLists, unknown CRS, and the invalid outlines above. */
const invalidGml: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(validGeometry, fc.constantFrom('abc def', '', 'NaN NaN NaN NaN', '60 10 60', '1e400 1e400 1e400 1e400 1e400 1e400 1e400 1e400', '60,10 61,10 61,11 60,10', '0x3C 10 60 11 61 11 60 10')).map(([g, list]) => gmlPolygon([ringOf(g)], undefined, list)),
  fc.tuple(validGeometry, fc.nat(5)).map(([g, n]) => gmlPolygon([ringOf(g)], undefined, `${posList(ringOf(g))} ${'7 '.repeat(2 * n + 1)}`.trim())),
  fc.tuple(validGeometry, fc.constantFrom('EPSG:3857', 'urn:ogc:def:crs:EPSG::9999', 'EPSG:25899', 'urn:ogc:def:crs:EPSG::', 'foo', '')).map(([g, srs]) => gmlPolygon([ringOf(g)], srs)),
  validGeometry.map((g) => gmlPolygon([ringOf(g)]).replace('<gml:Polygon ', '<gml:Polygon srsDimension="4" ')),
  validGeometry.map((g) => gmlPolygon([ringOf(g)]).replace(/<gml:exterior>.*<\/gml:exterior>/, '')),
  validGeometry.map((g) => gmlPolygon([ringOf(g)]).replace(/<gml:LinearRing>/, '<gml:LineString>').replace(/<\/gml:LinearRing>/, '</gml:LineString>')),
  fc.constantFrom('', 'text only', '<gml:Point><gml:pos>59.9 10.7</gml:pos></gml:Point>'),
  invalidGeometry
    .filter((g) => isObj(g) && g.type === 'Polygon' && Array.isArray(g.coordinates) && g.coordinates.length > 0 && g.coordinates.every((r: unknown) => Array.isArray(r) && r.length > 0 && r.every(Array.isArray)))
    // Only those still invalid as GML reads them: a string "10.7" is a number in a posList, and
    // swapped axes are no error there (the data decides the order, see orientGeographic).
    .filter((g) => {
      const read = g.coordinates.map((r: unknown[]) => posList(r).split(/\s+/).filter(Boolean).map(Number));
      if (read.some((nums: number[]) => nums.length % 2 !== 0)) return true;
      const rings = (latFirst: boolean) => read.map((nums: number[]) => nums.flatMap((_, k) => (k % 2 === 0 ? [latFirst ? [nums[k + 1], nums[k]] : [nums[k], nums[k + 1]]] : [])));
      return refused({ type: 'Polygon', coordinates: rings(true) }) && refused({ type: 'Polygon', coordinates: rings(false) });
    })
    .map((g) => gmlPolygon(g.coordinates)),
);
const gmlEntry: fc.Arbitrary<GmlEntry> = fc.oneof(
  validGeometry.map((geometry): GmlEntry => ({ valid: true, geometry })),
  invalidGml.map((gml): GmlEntry => ({ valid: false, gml })),
);

describe('lot parser fuzz: batches of valid lots and invalid geometry', () => {
  it(`checkedGeometry and validateLotGeometry: a geometry or one problem, never another exception (${RUNS * 4} geometries)`, () => {
    fc.assert(
      fc.property(fc.oneof(validGeometry, invalidGeometry, fc.anything()), (g) => {
        const errors: ParseProblem[] = [];
        const out = checkedGeometry(g, 'k', errors);
        if (out === null) {
          expect(errors).toEqual([{ key: 'k', message: expect.stringMatching(GEOMETRY_PROBLEM) }]);
          expect(() => validateLotGeometry(g)).toThrow(InvalidLotGeometryError);
        } else {
          expect(errors).toEqual([]);
          // Validating the result again changes nothing; area and centroid are finite.
          expect(validateLotGeometry(out)).toEqual(out);
          expect(lotArea(out)).toBeGreaterThan(0);
          expect(lotCentroid(out).every(Number.isFinite)).toBe(true);
        }
      }),
      { numRuns: RUNS * 4 },
    );
  }, TIMEOUT);

  it(`the invalid geometries are all refused, the valid ones all kept (${RUNS} of each)`, () => {
    fc.assert(
      fc.property(invalidGeometry, (g) => {
        expect(() => validateLotGeometry(g)).toThrow(InvalidLotGeometryError);
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(validGeometry, (g) => {
        expect(validateLotGeometry(g)).toEqual(g);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  const eiendomFeature = (key: string, i: number, geometry: unknown) => ({
    type: 'Feature',
    properties: { kommunenummer: '0301', gardsnummer: 215, bruksnummer: Number(key.split('/')[1]), festenummer: 0, seksjonsnummer: 0, hovedområde: i % 2 === 0, objekttype: 'Teig' },
    geometry,
  });
  const parsers: [string, (i: number) => string, (es: Entry[], keys: string[]) => Parsed][] = [
    ['parseGeoJsonLots (id property)', (i) => `lot-${i}`, (es, keys) => fromGeoJson(collection(es.map((e, i) => ({ type: 'Feature', properties: { id: keys[i] }, geometry: e.geometry }))))],
    ['parseGeoJsonLots (matrikkelnummer)', (i) => `0301-215/${i + 1}`, (es, keys) => fromGeoJson(collection(es.map((e, i) => ({ type: 'Feature', properties: { matrikkelnummer: keys[i] }, geometry: e.geometry }))))],
    ['parseEiendomTeiger', (i) => `0301-215/${i + 1}`, (es, keys) => fromEiendom(collection(es.map((e, i) => eiendomFeature(keys[i]!, i, e.geometry))))],
    ['parseDibkPlans', (i) => String(4000 + i), (es, keys) => fromDibk(collection(es.map((e, i) => dibkFeature(Number(keys[i]), e.geometry))))],
  ];
  it.each(parsers)(`%s keeps every valid lot as parsed alone (${RUNS} batches)`, (_name, keyOf, parse) => {
    fc.assert(
      fc.property(batch, (entries) => expectBatch(entries, keyOf, parse, GEOMETRY_PROBLEM)),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it(`parseTeigGml keeps every valid teig as parsed alone (${RUNS} batches)`, () => {
    fc.assert(
      fc.property(fc.array(gmlEntry, { minLength: 1, maxLength: 8 }), (entries) => {
        const asEntries = entries.map((e): Entry => (e.valid ? e : { valid: false, geometry: e.gml }));
        expectBatch(
          asEntries,
          (i) => String(900_000 + i),
          (es, keys) => {
            const r = parseTeigGml(gmlDoc(es.map((e, i) => gmlMember(keys[i]!, e.valid ? gmlOf(e.geometry) : (e.geometry as string)))), { sourceId: 'fuzz' });
            return { items: r.lots, errors: r.errors };
          },
          /^(invalid geometry: |unreadable geometry: |geometry holds no polygon$|no geometry \(app:område\)$)/,
        );
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it(`parseTeigGml reads a valid teig as the geometry it was written from (${RUNS} teiger)`, () => {
    fc.assert(
      fc.property(validGeometry, (g) => {
        const r = parseTeigGml(gmlDoc([gmlMember('1', gmlOf(g))]), { sourceId: 'fuzz' });
        expect(r.errors).toEqual([]);
        expect(r.lots[0]!.geometry).toEqual(g);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it(`parseMatrikkelCsv keeps every valid line among garbage lines (${RUNS} files)`, () => {
    const garbage = fc.oneof(
      fc.constantFrom('0301-abc/1', '99999-1/1', '0301-1', '0301--1/2', '/', '12/34/56/78/90/1', 'NaN', '0301-1e3/2', '0301-0x1/2', '0301-1/2;extra;;', '#comment 0301-1/1', '   '),
      fc.stringMatching(/^[0-9a-z/ -]{0,12}$/),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(500).map((b) => ({ ok: true as const, b })), garbage.map((text) => ({ ok: false as const, text }))), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
        // The first line is a valid number: a first line without digits would be taken as a header.
        const all = [{ ok: true as const, b: 1000 }, ...lines];
        const text = all.map((l) => (l.ok ? `0301-7/${l.b}` : l.text)).join(eol);
        const r = parseMatrikkelCsv(text);
        const wanted = [...new Set(all.flatMap((l) => (l.ok ? [`0301-7/${l.b}`] : [])))];
        // Every valid number is kept, once, on its first line; nothing else is invented.
        for (const key of wanted) expect(r.entries.filter((e) => e.key === key)).toHaveLength(1);
        for (const e of r.entries) {
          const line = text.split(eol)[e.line - 1]!;
          expect(wanted.includes(e.key) || /\d/.test(line)).toBe(true);
        }
        for (const e of r.errors) expect(e.message.length).toBeGreaterThan(3);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('lot parser fuzz on mutated recorded responses', () => {
  const geometries = (features: unknown): unknown[] => (Array.isArray(features) ? features.map((f) => (isObj(f) ? f.geometry : undefined)) : []);
  /** Each polygon of an output outline is, in 2D, a polygon of some input feature's geometry. */
  const polygonsOf = (g: unknown): string[] => {
    try {
      const v = validateLotGeometry(g, { selfIntersection: false });
      return (v.type === 'Polygon' ? [v.coordinates] : v.coordinates).map((p) => JSON.stringify(p));
    } catch {
      return [];
    }
  };
  function onlyInputGeometry(items: { geometry: LotGeometry }[], input: unknown[]): void {
    const known = new Set(input.flatMap(polygonsOf));
    for (const item of items) {
      expect(validateLotGeometry(item.geometry)).toEqual(item.geometry);
      for (const p of polygonsOf(item.geometry)) expect(known.has(p)).toBe(true);
    }
  }
  /** Mutates the document, parses it: a result, or undefined for a LotSourceError (nothing else may be thrown). */
  function parseMutated<T extends { errors: ParseProblem[] }>(j: any, muts: Mutation[], parse: (j: unknown) => T, items: (r: T) => { geometry: LotGeometry }[]): T | undefined {
    for (const m of muts) m(j);
    let r: T;
    try {
      r = parse(j);
    } catch (e) {
      if (!(e instanceof LotSourceError)) throw new Error(`threw ${String(e)}`, { cause: e });
      return undefined;
    }
    onlyInputGeometry(items(r), geometries(j.features));
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(5);
    return r;
  }
  const mutations = fc.array(genericMutation, { minLength: 1, maxLength: 4 });

  it(`eiendom punkt/omrader: lots from the input's own outlines, problems, or a LotSourceError (${RUNS * 2} mutations)`, () => {
    fc.assert(
      fc.property(mutations, fc.nat(3), (muts, copies) => {
        const j = fixture(EIENDOM);
        // More teiger, of this unit and of others, for the mutations to work on.
        for (let c = 0; c < copies; c++) j.features.push({ ...structuredClone(j.features[0]), properties: { ...j.features[0].properties, bruksnummer: 43 + c } });
        const r = parseMutated(j, muts, (d) => parseEiendomTeiger(d, { sourceId: 'fuzz' }), (x) => x.lots);
        if (r) expect(r.lots.length + r.errors.length).toBeLessThanOrEqual(j.features.length);
      }),
      { numRuns: RUNS * 2 },
    );
  }, TIMEOUT);

  it(`DiBK planomrade: a plan or a problem per feature, or a LotSourceError (${RUNS * 2} mutations)`, () => {
    fc.assert(
      fc.property(mutations, (muts) => {
        const j = fixture(DIBK);
        const r = parseMutated(j, muts, (d) => parseDibkPlans(d, { sourceId: 'fuzz' }), (x) => x.plans);
        if (!r) return;
        expect(r.plans.length + r.errors.length).toBe(j.features.length);
        for (const p of r.plans) {
          expect(p.kommuneCode).toMatch(/^\d{4}$/);
          expect(p.announcedAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  }, TIMEOUT);

  it(`the same mutations through parseGeoJsonLots (${RUNS * 2} mutations)`, () => {
    fc.assert(
      fc.property(fc.constantFrom(EIENDOM, DIBK), mutations, (file, muts) => {
        parseMutated(fixture(file), muts, (d) => parseGeoJsonLots(d, { sourceId: 'fuzz', kommuneCode: '0301' }), (x) => x.lots);
      }),
      { numRuns: RUNS * 2 },
    );
  }, TIMEOUT);
});
