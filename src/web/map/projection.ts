/**
 * The web map's projection: Lambert conformal conic on the sphere, standard parallels 60° and 70° N,
 * origin 15° E 65° N (the shape of Kartverket's overview maps of Norway). Shared by the shapes
 * generator (adapters/node/web-shapes.ts) and the pages that place lots on the map.
 */
const rad = Math.PI / 180;
const phi1 = 60 * rad;
const phi2 = 70 * rad;
const phi0 = 65 * rad;
const lambda0 = 15 * rad;
const n = Math.log(Math.cos(phi1) / Math.cos(phi2)) / Math.log(Math.tan(Math.PI / 4 + phi2 / 2) / Math.tan(Math.PI / 4 + phi1 / 2));
const F = (Math.cos(phi1) * Math.tan(Math.PI / 4 + phi1 / 2) ** n) / n;
const rho0 = F / Math.tan(Math.PI / 4 + phi0 / 2) ** n;

export const PROJECTION_NAME = 'Lambert conformal conic, standard parallels 60° and 70° N, origin 15° E 65° N';

/** Longitude/latitude (degrees) to projected units (y grows southwards, as in SVG). */
export function lcc(lon: number, lat: number): [number, number] {
  const rho = F / Math.tan(Math.PI / 4 + (lat * rad) / 2) ** n;
  const t = n * (lon * rad - lambda0);
  return [rho * Math.sin(t), -(rho0 - rho * Math.cos(t))];
}
