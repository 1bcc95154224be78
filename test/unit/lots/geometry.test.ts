// Lot geometry against independent calculations written here (no turf in the references).
import { readFileSync } from 'node:fs';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidLotGeometryError,
  assignKommune,
  lotArea,
  lotCentroid,
  validateLotGeometry,
  zoningShare,
  type GeometryProblem,
} from '../../../src/domain/lots/geometry';
import type { KommuneBoundary } from '../../../src/domain/kommune/types';
import { parseBoundaries } from '../../../src/sources/geojson-boundaries';

// Recorded punkt/omrader response (provenance in test/fixtures/lots/README.md).
const teig = JSON.parse(readFileSync(new URL('../../fixtures/lots/kartverket_eiendom_punkt_omrader_majorstuen.geojson', import.meta.url), 'utf8')).features[0].geometry as Polygon;

// --- Independent reference: a local plane with the ellipsoid's radii of curvature ------------
// x = N(φ0)·cos φ0·(λ − λ0), y = M(φ0)·(φ − φ0) around the polygon's mean position. For a lot a
// few hundred metres across the scale error of this plane is of order 1e-6; area by the shoelace
// formula. GRS80: a = 6378137 m, f = 1/298.257222101.
const A = 6378137;
const F = 1 / 298.257222101;
const E2 = F * (2 - F);
const RAD = Math.PI / 180;

function localPlane(points: Position[]) {
  const lat0 = points.reduce((s, p) => s + p[1]!, 0) / points.length;
  const lon0 = points.reduce((s, p) => s + p[0]!, 0) / points.length;
  const s2 = Math.sin(lat0 * RAD) ** 2;
  const M = (A * (1 - E2)) / (1 - E2 * s2) ** 1.5;
  const N = A / Math.sqrt(1 - E2 * s2);
  const kx = N * Math.cos(lat0 * RAD) * RAD;
  const ky = M * RAD;
  return {
    toXY: (p: Position): [number, number] => [(p[0]! - lon0) * kx, (p[1]! - lat0) * ky],
    toLonLat: ([x, y]: [number, number]): [number, number] => [lon0 + x / kx, lat0 + y / ky],
  };
}

function shoelace(ring: [number, number][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return s / 2;
}

function referenceArea(p: Polygon): number {
  const plane = localPlane(p.coordinates[0]!);
  return p.coordinates.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * Math.abs(shoelace(ring.map(plane.toXY))), 0);
}

/** Even–odd ray casting in lon/lat: inside a polygon's outer ring and outside its holes. */
function inRing(pt: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > pt[1]! !== yj > pt[1]! && pt[0]! < ((xj - xi) * (pt[1]! - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function inGeometry(pt: Position, g: Polygon | MultiPolygon): boolean {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.some(([outer, ...holes]) => inRing(pt, outer!) && !holes.some((h) => inRing(pt, h)));
}

let boundaries: KommuneBoundary[];
beforeAll(() => {
  boundaries = parseBoundaries(JSON.parse(readFileSync(new URL('../../../data/kommuner-2024.geojson', import.meta.url), 'utf8')));
});

describe('lotArea and lotCentroid on the recorded teig 0301-215/42', () => {
  it('agrees with the shoelace area on a local ellipsoidal plane within 0.5 % (in fact 0.01 %)', () => {
    const reference = referenceArea(teig);
    const area = lotArea(teig);
    expect(reference).toBeGreaterThan(4000);
    expect(Math.abs(area / reference - 1)).toBeLessThan(0.005);
    expect(Math.abs(area / reference - 1)).toBeLessThan(0.0001);
  });

  it('has its centroid within 1 m of the plane centroid', () => {
    const plane = localPlane(teig.coordinates[0]!);
    const ring = teig.coordinates[0]!.map(plane.toXY);
    const a = shoelace(ring);
    let cx = 0;
    let cy = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const cross = ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
      cx += (ring[i]![0] + ring[i + 1]![0]) * cross;
      cy += (ring[i]![1] + ring[i + 1]![1]) * cross;
    }
    const [x, y] = plane.toXY(lotCentroid(teig));
    expect(Math.hypot(x - cx / (6 * a), y - cy / (6 * a))).toBeLessThan(1);
  });
});

describe('assignKommune against the bundled 2024 boundaries', () => {
  it('puts the recorded teig wholly in 0301 Oslo, as ray casting of every vertex does', () => {
    const verticesIn = boundaries.filter((b) => teig.coordinates[0]!.every((p) => inGeometry(p, b.geometry as Polygon | MultiPolygon))).map((b) => b.code);
    expect(verticesIn).toEqual(['0301']);
    expect(assignKommune(teig, boundaries)).toEqual({ kommuneCode: '0301', share: 1, crossesBorder: false, shares: [{ kommuneCode: '0301', share: 1 }] });
  });

  it('assigns a synthetic lot across the Oslo/Bærum border (built here) to its larger part and flags it', () => {
    // The longest boundary edge Oslo (0301) and Bærum (3201) share.
    const ringsOf = (code: string) => {
      const g = boundaries.find((b) => b.code === code)!.geometry as Polygon | MultiPolygon;
      return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
    };
    const edgeKey = (a: Position, b: Position) => `${a.join(',')}|${b.join(',')}`;
    const baerum = new Set<string>();
    for (const r of ringsOf('3201')) for (let i = 0; i + 1 < r.length; i++) baerum.add(edgeKey(r[i]!, r[i + 1]!)).add(edgeKey(r[i + 1]!, r[i]!));
    let edge: [Position, Position] | undefined;
    let longest = 0;
    for (const r of ringsOf('0301')) {
      for (let i = 0; i + 1 < r.length; i++) {
        const len = Math.hypot((r[i + 1]![0]! - r[i]![0]!) * 0.5, r[i + 1]![1]! - r[i]![1]!);
        if (baerum.has(edgeKey(r[i]!, r[i + 1]!)) && len > longest) [edge, longest] = [[r[i]!, r[i + 1]!], len];
      }
    }
    expect(edge).toBeDefined();
    // A 40 m × 120 m rectangle across the edge's midpoint: 30 m on one side, 90 m on the other.
    const plane = localPlane(edge!);
    const [p, q] = edge!.map(plane.toXY) as [[number, number], [number, number]];
    const len = Math.hypot(q[0] - p[0], q[1] - p[1]);
    const u: [number, number] = [(q[0] - p[0]) / len, (q[1] - p[1]) / len];
    const n: [number, number] = [-u[1], u[0]];
    const mid: [number, number] = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
    const at = (along: number, across: number) => plane.toLonLat([mid[0] + along * u[0] + across * n[0], mid[1] + along * u[1] + across * n[1]]);
    const rect = [at(-20, -30), at(20, -30), at(20, 90), at(-20, 90), at(-20, -30)];
    const lot: Polygon = { type: 'Polygon', coordinates: [rect] };
    const bigSide = boundaries.find((b) => inGeometry(at(0, 45), b.geometry as Polygon | MultiPolygon))!.code;
    const smallSide = boundaries.find((b) => inGeometry(at(0, -15), b.geometry as Polygon | MultiPolygon))!.code;
    expect(new Set([bigSide, smallSide])).toEqual(new Set(['0301', '3201']));

    const r = assignKommune(lot, boundaries)!;
    expect(r.kommuneCode).toBe(bigSide);
    expect(r.crossesBorder).toBe(true);
    expect(r.share).toBeCloseTo(0.75, 3);
    expect(r.shares.map((s) => s.kommuneCode)).toEqual([bigSide, smallSide]);
    expect(r.shares[1]!.share).toBeCloseTo(0.25, 3);
  });

  it('returns null for a lot no kommune holds (open sea)', () => {
    const sea: Polygon = { type: 'Polygon', coordinates: [[[3, 58], [3.001, 58], [3.001, 58.001], [3, 58.001], [3, 58]]] };
    expect(assignKommune(sea, boundaries)).toBeNull();
  });
});

describe('zoningShare', () => {
  // A 100 m × 100 m square near the teig, built on the local plane.
  const plane = localPlane(teig.coordinates[0]!);
  const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
    type: 'Polygon',
    coordinates: [[plane.toLonLat([x0, y0]), plane.toLonLat([x1, y0]), plane.toLonLat([x1, y1]), plane.toLonLat([x0, y1]), plane.toLonLat([x0, y0])]],
  });
  const lot = square(0, 0, 100, 100);

  it('is 1 inside a zone, 0 outside, and the covered fraction in between', () => {
    expect(zoningShare(lot, [square(-50, -50, 150, 150)])).toBeCloseTo(1, 6);
    expect(zoningShare(lot, [square(500, 500, 600, 600)])).toBe(0);
    expect(zoningShare(lot, [])).toBe(0);
    expect(zoningShare(lot, [square(-50, -50, 40, 150)])).toBeCloseTo(0.4, 4);
  });

  it('counts overlapping zones once', () => {
    const zones = [square(-50, -50, 60, 150), square(40, -50, 70, 150)];
    expect(zoningShare(lot, zones)).toBeCloseTo(0.7, 4);
    const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: [square(-50, -50, 20, 150).coordinates, square(80, -50, 150, 150).coordinates] };
    expect(zoningShare(lot, [multi])).toBeCloseTo(0.4, 4);
  });

  it('names an invalid zone', () => {
    expect(() => zoningShare(lot, [square(0, 0, 1, 1), { type: 'Polygon', coordinates: [] }])).toThrow(/zone 1: polygon has no rings/);
  });
});

describe('validateLotGeometry', () => {
  const ring = teig.coordinates[0]!;
  const problemOf = (g: unknown): GeometryProblem | undefined => {
    try {
      validateLotGeometry(g);
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidLotGeometryError);
      return (e as InvalidLotGeometryError).problem;
    }
  };

  it('accepts the recorded teig and drops a third coordinate', () => {
    expect(validateLotGeometry(teig)).toEqual(teig);
    const threeD = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x, y, 12.5])] };
    expect(validateLotGeometry(threeD)).toEqual(teig);
  });

  it.each<[string, unknown, GeometryProblem]>([
    ['a point', { type: 'Point', coordinates: [10.7, 59.9] }, 'type'],
    ['no geometry', null, 'type'],
    ['no rings', { type: 'Polygon', coordinates: [] }, 'structure'],
    ['an open ring', { type: 'Polygon', coordinates: [ring.slice(0, -1)] }, 'ring-open'],
    ['a ring of three positions', { type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] }, 'ring-short'],
    ['a NaN coordinate', { type: 'Polygon', coordinates: [[ring[0], [Number.NaN, 59.9], ...ring.slice(2)]] }, 'coordinate'],
    ['a string coordinate', { type: 'Polygon', coordinates: [[ring[0], ['10.7', '59.9'], ...ring.slice(2)]] }, 'coordinate'],
    ['swapped lat/lon', { type: 'Polygon', coordinates: [ring.map(([x, y]) => [y, x])] }, 'bounds'],
    ['UTM metres', { type: 'Polygon', coordinates: [[[597000, 6643000], [597100, 6643000], [597100, 6643100], [597000, 6643000]]] }, 'bounds'],
    ['a bow tie', { type: 'Polygon', coordinates: [[[10.7, 59.9], [10.701, 59.901], [10.701, 59.9], [10.7, 59.901], [10.7, 59.9]]] }, 'self-intersection'],
    ['a flat ring', { type: 'Polygon', coordinates: [[[10.7, 59.9], [10.701, 59.9], [10.702, 59.9], [10.7, 59.9]]] }, 'empty-area'],
  ])('rejects %s', (_name, g, problem) => {
    expect(problemOf(g)).toBe(problem);
  });

  it('makes the geometry functions throw the same typed error', () => {
    const open = { type: 'Polygon', coordinates: [ring.slice(0, -1)] } as Polygon;
    expect(() => lotArea(open)).toThrow(InvalidLotGeometryError);
    expect(() => lotCentroid(open)).toThrow(InvalidLotGeometryError);
    expect(() => assignKommune(open, boundaries)).toThrow(InvalidLotGeometryError);
    expect(() => zoningShare(open, [])).toThrow(InvalidLotGeometryError);
  });
});
