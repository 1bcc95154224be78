// Coordinate reference systems met in Norwegian GML: ETRS89/WGS84 geographic (EPSG:4258/4326)
// and ETRS89 / UTM zones 32–35 (EPSG:25832–25835). UTM is converted to lon/lat here with the
// transverse Mercator inverse in Krüger's n-series (as in Karney 2011, "Transverse Mercator with an
// accuracy of a few nanometers"), to order n⁴: sub-millimetre within 3,000 km of the central
// meridian, so also for Kartverket's habit of putting all of Norway in zone 33.
// ETRS89 and WGS84 are treated as the same datum (they differ by well under a metre in Norway).

export type Crs =
  | { kind: 'geographic'; epsg: number; /** Order of the two numbers in a GML position. */ order: 'lat,lon' | 'lon,lat' }
  | { kind: 'utm'; epsg: number; zone: number };

/**
 * Reads a GML srsName. The URN and http://www.opengis.net/def/crs forms of EPSG:4258/4326 are
 * latitude first (the EPSG axis order); the short "EPSG:4326" and the old ".../epsg.xml#4326"
 * forms are longitude first by long-standing server convention, and CRS84 always is. Callers
 * should still check the order against the data (see orientGeographic): servers differ.
 */
export function parseSrsName(srsName: string): Crs | null {
  const s = srsName.trim();
  if (/CRS:?84$/i.test(s)) return { kind: 'geographic', epsg: 4326, order: 'lon,lat' };
  let m = /^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$/i.exec(s) ?? /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(s);
  let order: 'lat,lon' | 'lon,lat' = 'lat,lon';
  if (!m) {
    m = /^EPSG:(\d+)$/i.exec(s) ?? /epsg\.xml#(\d+)$/i.exec(s);
    order = 'lon,lat';
  }
  if (!m) return null;
  const epsg = Number(m[1]);
  if (epsg === 4258 || epsg === 4326) return { kind: 'geographic', epsg, order };
  // ETRS89 / UTM zone 28N … 38N.
  if (epsg >= 25828 && epsg <= 25838) return { kind: 'utm', epsg, zone: epsg - 25800 };
  return null;
}

const inLat = (v: number) => v >= 57 && v <= 82;
const inLon = (v: number) => v >= -10 && v <= 35;

/**
 * Turns geographic GML positions into [lon, lat]. Norway's latitudes and longitudes do not
 * overlap, so the data decides when it contradicts the declared order (servers disagree on the
 * short "EPSG:4326" form); positions that fit neither order keep the declared one and fail
 * validation later.
 */
export function orientGeographic(pairs: [number, number][], declared: 'lat,lon' | 'lon,lat'): [number, number][] {
  const latFirst = pairs.every(([a, b]) => inLat(a) && inLon(b));
  const lonFirst = pairs.every(([a, b]) => inLon(a) && inLat(b));
  const order = latFirst && !lonFirst ? 'lat,lon' : lonFirst && !latFirst ? 'lon,lat' : declared;
  return order === 'lat,lon' ? pairs.map(([a, b]) => [b, a]) : pairs;
}

// GRS80, the ellipsoid of ETRS89.
const A = 6378137;
const F = 1 / 298.257222101;
const K0 = 0.9996;
const FALSE_EASTING = 500_000;
const N = F / (2 - F);
const N2 = N * N;
const N3 = N2 * N;
const N4 = N3 * N;
/** Radius of the rectifying sphere times k0: metres per radian of ξ. */
const AK0 = (A / (1 + N)) * (1 + N2 / 4 + N4 / 64) * K0;
/** Krüger β coefficients (grid → conformal sphere). */
const BETA = [
  N / 2 - (2 / 3) * N2 + (37 / 96) * N3 - (1 / 360) * N4,
  (1 / 48) * N2 + (1 / 15) * N3 - (437 / 1440) * N4,
  (17 / 480) * N3 - (37 / 840) * N4,
  (4397 / 161280) * N4,
];
/** Series for geodetic latitude from conformal latitude χ. */
const DELTA = [
  2 * N - (2 / 3) * N2 - 2 * N3 + (116 / 45) * N4,
  (7 / 3) * N2 - (8 / 5) * N3 - (227 / 45) * N4,
  (56 / 15) * N3 - (136 / 35) * N4,
  (4279 / 630) * N4,
];

/** ETRS89 / UTM zone `zone` north (easting, northing in metres) → [lon, lat] in degrees. */
export function utmToLonLat(easting: number, northing: number, zone: number): [number, number] {
  const xi = northing / AK0;
  const eta = (easting - FALSE_EASTING) / AK0;
  let xi1 = xi;
  let eta1 = eta;
  for (let j = 1; j <= 4; j++) {
    const b = BETA[j - 1]!;
    xi1 -= b * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    eta1 -= b * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  const chi = Math.asin(Math.sin(xi1) / Math.cosh(eta1));
  let phi = chi;
  for (let j = 1; j <= 4; j++) phi += DELTA[j - 1]! * Math.sin(2 * j * chi);
  const lambda0 = ((zone * 6 - 183) * Math.PI) / 180;
  const lambda = lambda0 + Math.atan2(Math.sinh(eta1), Math.cos(xi1));
  return [(lambda * 180) / Math.PI, (phi * 180) / Math.PI];
}
