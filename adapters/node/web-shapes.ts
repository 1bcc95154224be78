/**
 * Builds src/web/map/shapes.json, the kommune outlines the web map and the chat map PNG draw, from
 * the bundled boundaries (data/kommuner-2024.geojson, © Kartverket, CC BY 4.0): projected with a
 * Lambert conformal conic projection (standard parallels 60° and 70° N, centred on 15° E 65° N, the
 * shape Norwegians know from Kartverket's overview maps), simplified with Douglas–Peucker at about
 * half a map unit on a 1000-unit-wide map, islands under a few square units dropped (the largest
 * part of every kommune kept), and written as relative SVG path data with one decimal.
 *
 * Run `npm run web:shapes` after data/kommuner-2024.geojson changes; test/unit/web-map.test.ts
 * checks the committed file is what this script makes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { simplify } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { lcc, PROJECTION_NAME } from '../../src/web/map/projection';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHAPES_FILE = `${ROOT}src/web/map/shapes.json`;
const SOURCE = `${ROOT}data/kommuner-2024.geojson`;

/** Map width in SVG units; the height follows from Norway's shape. */
const WIDTH = 1000;
const TOLERANCE = 0.55;
const MIN_ISLAND_AREA = 1.5;

type Ring = [number, number][];

function ringArea(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j]![0] + r[i]![0]) * (r[j]![1] - r[i]![1]);
  return Math.abs(a / 2);
}

function inside(p: [number, number], rings: Ring[]): boolean {
  let c = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i]!;
      const [xj, yj] = r[j]!;
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) c = !c;
    }
  }
  return c;
}

function edgeDistance(p: [number, number], rings: Ring[]): number {
  let best = Infinity;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [ax, ay] = r[j]!;
      const [bx, by] = r[i]!;
      const dx = bx - ax;
      const dy = by - ay;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len));
      best = Math.min(best, Math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy)));
    }
  }
  return best;
}

/** The point of a polygon farthest from its edges, by a grid search refined twice. */
function innerPoint(polygon: Ring[]): [number, number, number] {
  const outer = polygon[0]!;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of outer) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  let best: [number, number, number] = [outer[0]![0], outer[0]![1], 0];
  let [cx, cy, w, h] = [(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0];
  for (let round = 0; round < 3; round++) {
    const steps = 24;
    for (let i = 0; i <= steps; i++) {
      for (let j = 0; j <= steps; j++) {
        const p: [number, number] = [cx - w / 2 + (w * i) / steps, cy - h / 2 + (h * j) / steps];
        if (!inside(p, polygon)) continue;
        const d = edgeDistance(p, polygon);
        if (d > best[2]) best = [p[0], p[1], d];
      }
    }
    [cx, cy, w, h] = [best[0], best[1], w / 6, h / 6];
  }
  return best;
}

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Relative path data: "M x y l dx dy … z" for each ring; coordinates on a 0.1 grid. */
function pathData(rings: Ring[]): string {
  let d = '';
  for (const r of rings) {
    const pts = r.map(([x, y]) => [Math.round(x * 10), Math.round(y * 10)] as const);
    const dedup = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1]![0] || p[1] !== pts[i - 1]![1]);
    if (dedup.length > 1 && dedup[0]![0] === dedup.at(-1)![0] && dedup[0]![1] === dedup.at(-1)![1]) dedup.pop();
    if (dedup.length < 3) continue;
    d += `M${dedup[0]![0] / 10} ${dedup[0]![1] / 10}l`;
    for (let i = 1; i < dedup.length; i++) {
      const dx = (dedup[i]![0] - dedup[i - 1]![0]) / 10;
      const dy = (dedup[i]![1] - dedup[i - 1]![1]) / 10;
      d += `${i > 1 && dx >= 0 ? ' ' : ''}${dx}${dy >= 0 ? ' ' : ''}${dy}`;
    }
    d += 'z';
  }
  return d;
}

export interface ShapesFile {
  source: string;
  projection: string;
  /** Projected (lcc) to map units: ((x - x0) * scale + offset, (y - y0) * scale + offset). */
  transform: { x0: number; y0: number; scale: number; offset: number };
  width: number;
  height: number;
  /** Per kommune code: path data, bbox [x0, y0, x1, y1] and the inner point [x, y, distance to the edge]. */
  kommuner: Record<string, { d: string; bbox: [number, number, number, number]; inner: [number, number, number] }>;
}

export function buildShapes(): ShapesFile {
  const fc = JSON.parse(readFileSync(SOURCE, 'utf8')) as { features: Feature<Polygon | MultiPolygon, { kommunenummer: string }>[] };
  const projected = fc.features.map((f) => {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return { code: f.properties.kommunenummer, polys: polys.map((p) => p.map((ring) => ring.map(([lon, lat]) => lcc(lon!, lat!)))) };
  });
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const k of projected) for (const p of k.polys) for (const [x, y] of p[0]!) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  const scale = (WIDTH - 10) / (x1 - x0);
  const height = Math.ceil((y1 - y0) * scale + 10);
  const toMap = ([x, y]: [number, number]): [number, number] => [(x - x0) * scale + 5, (y - y0) * scale + 5];
  const out: ShapesFile = {
    source: 'data/kommuner-2024.geojson (© Kartverket, CC BY 4.0), built by adapters/node/web-shapes.ts',
    projection: PROJECTION_NAME,
    transform: { x0, y0, scale, offset: 5 },
    width: WIDTH,
    height,
    kommuner: {},
  };
  for (const k of projected.sort((a, b) => a.code.localeCompare(b.code))) {
    const polys = k.polys.map((p) => {
      const mapped = p.map((ring) => ring.map((pt) => toMap(pt as [number, number])));
      const simple = simplify({ type: 'Polygon', coordinates: mapped }, { tolerance: TOLERANCE, highQuality: true }) as Polygon;
      return simple.coordinates.map((ring) => ring.map(([x, y]) => [x!, y!] as [number, number])).filter((ring, i) => i === 0 || ringArea(ring) >= MIN_ISLAND_AREA);
    });
    const areas = polys.map((p) => ringArea(p[0]!));
    const largest = areas.indexOf(Math.max(...areas));
    const kept = polys.filter((_, i) => i === largest || areas[i]! >= MIN_ISLAND_AREA);
    let b = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
    for (const p of kept) for (const [x, y] of p[0]!) b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
    const inner = innerPoint(polys[largest]!);
    out.kommuner[k.code] = { d: pathData(kept.flat()), bbox: b.map(r1) as typeof b, inner: inner.map(r1) as [number, number, number] };
  }
  return out;
}

export function shapesJson(): string {
  return `${JSON.stringify(buildShapes())}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = shapesJson();
  writeFileSync(SHAPES_FILE, text);
  console.log(`wrote ${SHAPES_FILE} (${Math.round(text.length / 1024)} KB)`);
}
