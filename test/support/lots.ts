// Lots for tests: squares of a given size, points whose squares lie wholly inside a kommune (a grid
// search: the bundled boundaries are generalised, so a guessed coordinate may fall in the sea), and
// GeoJSON features in the shape of a kommune's own lot list (built from the GeoJSON schema).
import type { Feature, Polygon, Position } from 'geojson';
import type { KommuneBoundary } from '../../src/domain/kommune/types';
import { assignKommune } from '../../src/domain/lots/geometry';

/** A square of `side` metres around a point (equirectangular: fine at this size). */
export function square(lon: number, lat: number, side: number): Polygon {
  const dLat = side / 2 / 111_320;
  const dLon = side / 2 / (111_320 * Math.cos((lat * Math.PI) / 180));
  const ring: Position[] = [
    [lon - dLon, lat - dLat],
    [lon + dLon, lat - dLat],
    [lon + dLon, lat + dLat],
    [lon - dLon, lat + dLat],
    [lon - dLon, lat - dLat],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

/** Centres of `side`-metre squares wholly inside a kommune (a grid search over its bbox). */
export function inside(boundaries: readonly KommuneBoundary[], code: string, n: number, side: number): [number, number][] {
  const b = boundaries.find((x) => x.code === code)!;
  const xs: number[] = [];
  const ys: number[] = [];
  JSON.stringify(b.geometry.coordinates, (_k, v: unknown) => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      xs.push(v[0] as number);
      ys.push(v[1] as number);
    }
    return v;
  });
  const [w, e, s, nn] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const found: [number, number][] = [];
  for (let i = 1; i < 40 && found.length < n; i++) {
    for (let j = 1; j < 40 && found.length < n; j++) {
      const lon = w + ((e - w) * i) / 40;
      const lat = s + ((nn - s) * j) / 40;
      const a = assignKommune(square(lon, lat, side), [b]);
      if (a && a.share === 1) found.push([lon, lat]);
    }
  }
  return found;
}

export const lotFeature = (matrikkelnummer: string, navn: string, geometry: Polygon): Feature<Polygon> => ({ type: 'Feature', properties: { matrikkelnummer, navn }, geometry });
