// Lot geometry on turf: validation, ellipsoidal area, centroid, which kommune a lot lies in and how
// much of it is zoned for housing. Coordinates are WGS84 lon/lat (ETRS89 is the same to < 1 m).
import { bbox, bboxClip, booleanPointInPolygon, centerOfMass, featureCollection, feature, intersect, kinks, area as sphericalArea, union, earthRadius } from '@turf/turf';
import type { BBox, Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { KommuneBoundary } from '../kommune/types';
import type { LotGeometry } from './types';

export type GeometryProblem = 'type' | 'structure' | 'coordinate' | 'bounds' | 'ring-open' | 'ring-short' | 'self-intersection' | 'empty-area';

/** A geometry tomte cannot use as a lot; `problem` says why, the message where. */
export class InvalidLotGeometryError extends Error {
  override readonly name = 'InvalidLotGeometryError';
  constructor(
    readonly problem: GeometryProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Longitude/latitude box that holds mainland Norway, Svalbard and Jan Mayen. Because Norway's
 * latitudes (57–82) and longitudes (−10–35) do not overlap, it also catches swapped axes.
 */
export const NORWAY_BOUNDS = { minLon: -10, minLat: 57, maxLon: 35, maxLat: 82 } as const;

/** Smaller than any real lot; below it a geometry counts as having no area. */
export const MIN_AREA_M2 = 0.01;

export interface ValidateOptions {
  /** Look for self-intersections with turf `kinks`, per polygon (O(n²) in its vertices). Default true. */
  selfIntersection?: boolean;
}

function fail(problem: GeometryProblem, message: string): never {
  throw new InvalidLotGeometryError(problem, message);
}

function checkRing(ring: unknown, where: string): Position[] {
  if (!Array.isArray(ring)) fail('structure', `${where} is not an array of positions`);
  if (ring.length < 4) fail('ring-short', `${where} has ${ring.length} positions; a ring needs at least 4`);
  const out: Position[] = ring.map((p: unknown, i) => {
    if (!Array.isArray(p) || p.length < 2) fail('structure', `${where}[${i}] is not a position`);
    const [lon, lat] = p as unknown[];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      fail('coordinate', `${where}[${i}] has a coordinate that is not a finite number`);
    }
    if (lon < NORWAY_BOUNDS.minLon || lon > NORWAY_BOUNDS.maxLon || lat < NORWAY_BOUNDS.minLat || lat > NORWAY_BOUNDS.maxLat) {
      fail('bounds', `${where}[${i}] (${lon}, ${lat}) is outside Norway's lon/lat box (lat/lon swapped, or projected coordinates?)`);
    }
    return [lon, lat];
  });
  const a = out[0]!;
  const b = out[out.length - 1]!;
  if (a[0] !== b[0] || a[1] !== b[1]) fail('ring-open', `${where} is not closed (first and last positions differ)`);
  return out;
}

function checkPolygon(rings: unknown, where: string, opts: ValidateOptions): Position[][] {
  if (!Array.isArray(rings) || rings.length === 0) fail('structure', `${where} has no rings`);
  const out = rings.map((r, i) => checkRing(r, `${where} ring ${i}`));
  if ((opts.selfIntersection ?? true) && kinks({ type: 'Polygon', coordinates: out }).features.length > 0) {
    fail('self-intersection', `${where} intersects itself`);
  }
  return out;
}

/**
 * Checks that `g` is a usable lot outline and returns a 2D copy: a Polygon or MultiPolygon whose
 * rings are closed, have at least 4 positions, finite lon/lat inside NORWAY_BOUNDS, no
 * self-intersection (unless switched off) and an area of at least MIN_AREA_M2.
 * Throws InvalidLotGeometryError.
 */
export function validateLotGeometry(g: unknown, opts: ValidateOptions = {}): LotGeometry {
  if (g === null || typeof g !== 'object') fail('type', 'geometry is missing');
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  let out: LotGeometry;
  if (type === 'Polygon') out = { type, coordinates: checkPolygon(coordinates, 'polygon', opts) };
  else if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) fail('structure', 'multipolygon has no polygons');
    out = { type, coordinates: coordinates.map((p, i) => checkPolygon(p, `polygon ${i}`, opts)) };
  } else fail('type', `geometry type ${JSON.stringify(type)} is not Polygon or MultiPolygon`);
  // Collinear rings sum to rounding noise, not to zero.
  if (!(areaM2(out) >= MIN_AREA_M2)) fail('empty-area', `geometry has no area (under ${MIN_AREA_M2} m²)`);
  return out;
}

// --- Area on the ellipsoid -------------------------------------------------------------------
// turf's `area` works on a sphere of radius 6,371,008.8 m; at 60°N that is about 0.56 % short of
// the area on the GRS80/WGS84 ellipsoid. Mapping each latitude to its authalic latitude and
// scaling by the authalic radius makes the same sum exact on the ellipsoid (an equal-area map).
const A = 6378137;
const F = 1 / 298.257222101; // GRS80 (ETRS89); WGS84 differs by < 1e-10 in f.
const E2 = F * (2 - F);
const E = Math.sqrt(E2);
const DEG = Math.PI / 180;

function q(phi: number): number {
  const s = Math.sin(phi);
  return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * Math.log((1 - E * s) / (1 + E * s)));
}
const QP = q(Math.PI / 2);
/** Radius of the sphere with the ellipsoid's surface area. */
const AUTHALIC_RADIUS = A * Math.sqrt(QP / 2);
const AREA_SCALE = (AUTHALIC_RADIUS / earthRadius) ** 2;

function toAuthalic(p: Position): Position {
  return [p[0]!, Math.asin(Math.max(-1, Math.min(1, q(p[1]! * DEG) / QP))) / DEG];
}

function mapPositions(g: LotGeometry, f: (p: Position) => Position): LotGeometry {
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(f)) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((r) => r.map(f))) };
}

/** Area in m² on the GRS80 ellipsoid, no validation. */
function areaM2(g: LotGeometry): number {
  return sphericalArea(mapPositions(g, toAuthalic)) * AREA_SCALE;
}

/** A lot's area in m² on the ellipsoid (holes subtracted). */
export function lotArea(geom: LotGeometry): number {
  return areaM2(validateLotGeometry(geom, { selfIntersection: false }));
}

/** The lot's centre of mass as [lon, lat] (may fall outside a strongly concave lot). */
export function lotCentroid(geom: LotGeometry): [number, number] {
  const c = centerOfMass(validateLotGeometry(geom, { selfIntersection: false })).geometry.coordinates;
  return [c[0]!, c[1]!];
}

// --- Overlay helpers -------------------------------------------------------------------------

/** A boundary split into its polygons, each with its bbox; computed once per geometry object. */
interface Indexed {
  box: BBox;
  parts: { box: BBox; rings: Position[][] }[];
}
const indexCache = new WeakMap<object, Indexed>();

function indexed(g: Polygon | MultiPolygon): Indexed {
  let ix = indexCache.get(g);
  if (!ix) {
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    ix = { box: bbox(g), parts: polys.map((rings) => ({ box: bbox({ type: 'Polygon', coordinates: rings }), rings })) };
    indexCache.set(g, ix);
  }
  return ix;
}

function overlaps(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/**
 * Clips a large polygon (a kommune) to a box around the lot, so the exact overlay only sees the
 * few vertices nearby. The box has a margin: Sutherland–Hodgman clipping leaves zero-width
 * slivers along the box edges, which then never touch the lot.
 */
function clipTo(ix: Indexed, box: BBox): Polygon | MultiPolygon | 'covers-box' | null {
  const polys: Position[][][] = [];
  for (const part of ix.parts) {
    if (!overlaps(part.box, box)) continue;
    const clipped = bboxClip({ type: 'Polygon', coordinates: part.rings }, box).geometry as Polygon;
    if (clipped.coordinates.length > 0 && clipped.coordinates[0]!.length >= 4) polys.push(clipped.coordinates);
  }
  if (polys.length === 0) return null;
  // No boundary edge crosses the box: the whole box, and so the whole lot, is inside.
  if (polys.length === 1 && polys[0]!.length === 1 && isBox(polys[0]![0]!, box)) return 'covers-box';
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
}

function isBox(ring: Position[], box: BBox): boolean {
  return ring.length === 5 && ring.every(([x, y]) => (x === box[0] || x === box[2]) && (y === box[1] || y === box[3]));
}

function withMargin(b: BBox): BBox {
  const dx = Math.max((b[2] - b[0]) * 0.1, 1e-5);
  const dy = Math.max((b[3] - b[1]) * 0.1, 1e-5);
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

function intersection(a: LotGeometry, b: Polygon | MultiPolygon): LotGeometry | null {
  const r = intersect(featureCollection([feature(a), feature(b)]) as Parameters<typeof intersect>[0]);
  return r ? r.geometry : null;
}

export interface KommuneShare {
  kommuneCode: string;
  /** 0..1 of the lot's area inside this kommune. */
  share: number;
}

export interface KommuneAssignment {
  /** The kommune holding the larger part of the lot. */
  kommuneCode: string;
  share: number;
  /** True when more than one kommune holds at least `minShare` of the lot. */
  crossesBorder: boolean;
  /** Every kommune with at least `minShare`, largest first. */
  shares: KommuneShare[];
}

/**
 * The kommune a lot belongs to: the one with the larger part of its area. Boundaries whose bbox
 * misses the lot's are skipped (per polygon of a MultiPolygon; the bboxes are cached per boundary
 * geometry object, so pass the same boundary objects to repeated calls); the others are clipped to the lot's neighbourhood before the
 * exact intersection. Shares below `minShare` (default 0.001) are treated as digitising slivers.
 * Null when no boundary overlaps the lot (at sea, abroad). Throws InvalidLotGeometryError.
 */
export function assignKommune(
  geom: LotGeometry,
  boundaries: readonly KommuneBoundary[],
  opts: { minShare?: number } = {},
): KommuneAssignment | null {
  const lot = validateLotGeometry(geom, { selfIntersection: false });
  const minShare = opts.minShare ?? 0.001;
  const lotBox = bbox(lot);
  const clipBox = withMargin(lotBox);
  const total = areaM2(lot);
  const shares: KommuneShare[] = [];
  for (const b of boundaries) {
    const ix = indexed(b.geometry as Polygon | MultiPolygon);
    if (!overlaps(ix.box, lotBox)) continue;
    const near = clipTo(ix, clipBox);
    if (!near) continue;
    let share = 1;
    if (near !== 'covers-box') {
      const part = intersection(lot, near);
      if (!part) continue;
      share = Math.min(1, areaM2(part) / total);
    }
    if (share >= minShare) shares.push({ kommuneCode: b.code, share });
  }
  if (shares.length === 0) return null;
  shares.sort((x, y) => y.share - x.share || x.kommuneCode.localeCompare(y.kommuneCode));
  const top = shares[0]!;
  return { kommuneCode: top.kommuneCode, share: top.share, crossesBorder: shares.length > 1, shares };
}

/**
 * Share (0..1) of the lot's area inside the given zones (e.g. residential zoning polygons).
 * Overlapping zones are counted once. Throws InvalidLotGeometryError for an invalid lot or zone.
 */
export function zoningShare(geom: LotGeometry, zones: readonly (Polygon | MultiPolygon)[]): number {
  const lot = validateLotGeometry(geom, { selfIntersection: false });
  const lotBox = bbox(lot);
  const pieces: Feature<Polygon | MultiPolygon>[] = [];
  zones.forEach((z, i) => {
    let zone: LotGeometry;
    try {
      zone = validateLotGeometry(z, { selfIntersection: false });
    } catch (e) {
      if (e instanceof InvalidLotGeometryError) throw new InvalidLotGeometryError(e.problem, `zone ${i}: ${e.message}`);
      throw e;
    }
    if (!overlaps(bbox(zone), lotBox)) return;
    const part = intersection(lot, zone);
    if (part) pieces.push(feature(part));
  });
  if (pieces.length === 0) return 0;
  const covered = pieces.length === 1 ? pieces[0]!.geometry : union(featureCollection(pieces))?.geometry;
  return covered ? Math.min(1, areaM2(covered) / areaM2(lot)) : 0;
}

/**
 * The kommune whose boundary holds the point (WGS84 lon/lat), or null (at sea, abroad). Boundaries
 * whose bbox misses the point are skipped (bboxes cached per boundary geometry object). Where
 * generalised boundaries overlap, the lowest code wins (boundaries are tried in code order).
 */
export function kommuneAtPoint(lon: number, lat: number, boundaries: readonly KommuneBoundary[]): string | null {
  const pt: Position = [lon, lat];
  const box: BBox = [lon, lat, lon, lat];
  const sorted = [...boundaries].sort((a, b) => a.code.localeCompare(b.code));
  for (const b of sorted) {
    const ix = indexed(b.geometry as Polygon | MultiPolygon);
    if (!overlaps(ix.box, box)) continue;
    for (const part of ix.parts) {
      if (overlaps(part.box, box) && booleanPointInPolygon(pt, { type: 'Polygon', coordinates: part.rings })) return b.code;
    }
  }
  return null;
}
