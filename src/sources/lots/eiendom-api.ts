// Kartverket's eiendom API (ws.geonorge.no/eiendom/v1; keyless, CC BY 4.0, "© Kartverket"):
// `geokoding?…&omrade=true` gives the teig polygons of a matrikkel unit, `punkt/omrader` the teiger
// at or near a point. Both answer a GeoJSON FeatureCollection of `Teig` features in WGS84 lon/lat.
import { formatMatrikkelnummer, matrikkelFromParts } from '../../domain/lots/matrikkel';
import type { Lot, LotParseResult, LotProperties, Matrikkelnummer, ParseProblem } from '../../domain/lots/types';
import { UpstreamError, type HttpClient } from '../../lib/http';
import { RateLimiter } from '../../lib/rate-limiter';
import { LotSourceError, checkedGeometry, isRecord, mergeByKey, parseJsonText, pickPlain } from './common';

export const EIENDOM_BASE_URL = 'https://ws.geonorge.no/eiendom/v1';
/** ETRS89 geographic; the API's default output is EUREF89 UTM, so the fetchers always ask. */
const KOORDSYS = '4258';

/** Teig attributes kept on a lot (`meterFraPunkt` is not: it depends on the query point). */
const KEPT = ['lokalid', 'matrikkelnummertekst', 'objekttype', 'hovedområde', 'nøyaktighetsklasseteig', 'oppdateringsdato', 'teigmedflerematrikkelenheter', 'uregistrertjordsameie'];

/**
 * Parses a `geokoding?omrade=true` or `punkt/omrader` response. Each feature is a teig keyed by
 * its matrikkelnummer; a unit's teiger become one lot (MultiPolygon, the hovedområde first).
 * Throws LotSourceError when the document is not a FeatureCollection.
 */
export function parseEiendomTeiger(json: unknown, opts: { sourceId: string; fetchedAt?: string }): LotParseResult {
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new LotSourceError(`${opts.sourceId}: eiendom API response is not a FeatureCollection`);
  }
  // Asked with utkoordsys=25832/25833 the API names the CRS; lots must be lon/lat.
  const crs = isRecord(json.crs) && isRecord(json.crs.properties) ? String(json.crs.properties.name) : undefined;
  if (crs !== undefined && !/(4258|4326|CRS84)$/.test(crs)) throw new LotSourceError(`${opts.sourceId}: coordinates are in ${crs}; ask with utkoordsys=4258`);
  const lots: Lot[] = [];
  const errors: ParseProblem[] = [];
  json.features.forEach((f: unknown, i: number) => {
    const props = isRecord(f) && isRecord(f.properties) ? f.properties : {};
    const m = matrikkelFromParts({
      kommunenummer: props.kommunenummer, gardsnummer: props.gardsnummer, bruksnummer: props.bruksnummer,
      festenummer: props.festenummer, seksjonsnummer: props.seksjonsnummer,
    });
    if (!isRecord(f) || !m.ok) {
      errors.push({ key: null, message: `feature ${i}: ${m.ok ? 'not a Feature' : m.message}` });
      return;
    }
    const key = formatMatrikkelnummer(m.value);
    const geometry = checkedGeometry(f.geometry, key, errors);
    if (!geometry) return;
    const properties: LotProperties = {};
    for (const k of KEPT) {
      const v = pickPlain(props, [k]);
      if (v !== undefined) properties[k] = v;
    }
    lots.push({ sourceId: opts.sourceId, key, matrikkel: m.value, geometry, properties, ...(opts.fetchedAt ? { fetchedAt: opts.fetchedAt } : {}) });
  });
  // The main teig first, so a merged lot starts with it and keeps its attributes.
  lots.sort((a, b) => Number(b.properties['hovedområde'] === true) - Number(a.properties['hovedområde'] === true));
  return { lots: mergeByKey(lots), errors };
}

export interface EiendomClientOptions {
  sourceId: string;
  baseUrl?: string;
  /**
   * Paces this client's calls. Default: 60 a minute, one at a time. Do not pass the limiter the
   * HttpClient itself uses: a sequential limiter held here would wait for itself there.
   */
  limiter?: RateLimiter;
}

/** A matrikkel unit to resolve, with what the list said about it. */
export interface MatrikkelRequest {
  matrikkel: Matrikkelnummer;
  name?: string;
  price?: number;
  priceText?: string;
  url?: string;
}

export interface EiendomClient {
  /** The teiger of one unit (`geokoding?omrade=true`). */
  geokoding(m: Matrikkelnummer): Promise<LotParseResult>;
  /** The teiger at a point, or within `radius` metres of it (`punkt/omrader`). */
  punktOmrader(p: { lat: number; lon: number; radius?: number; maxHits?: number }): Promise<LotParseResult>;
  /**
   * Resolves a list one unit at a time. A unit the API does not know, or answers with a 4xx for,
   * becomes an error entry; network failures, 5xx and 429 (after the HttpClient's retries) abort
   * the batch by throwing, since every later call would fail the same way.
   */
  resolve(requests: readonly MatrikkelRequest[]): Promise<LotParseResult>;
}

export function createEiendomClient(http: HttpClient, opts: EiendomClientOptions): EiendomClient {
  const base = (opts.baseUrl ?? EIENDOM_BASE_URL).replace(/\/+$/, '');
  const limiter = opts.limiter ?? new RateLimiter({ maxPerMinute: 60 });

  async function get(path: string, params: Record<string, string>): Promise<LotParseResult> {
    const url = `${base}/${path}?${new URLSearchParams(params).toString()}`;
    const res = await limiter.run(() => http.request({ url, headers: { accept: 'application/geo+json, application/json' } }));
    return parseEiendomTeiger(parseJsonText(res.text, opts.sourceId), { sourceId: opts.sourceId, fetchedAt: res.fetchedAt.toISOString() });
  }

  function geokoding(m: Matrikkelnummer): Promise<LotParseResult> {
    return get('geokoding', {
      kommunenummer: m.kommunenummer,
      gardsnummer: String(m.gardsnummer),
      bruksnummer: String(m.bruksnummer),
      // Documented parameters only; a seksjon has no teig of its own and will not match below.
      ...(m.festenummer ? { festenummer: String(m.festenummer) } : {}),
      omrade: 'true',
      utkoordsys: KOORDSYS,
    });
  }

  return {
    geokoding,
    punktOmrader: ({ lat, lon, radius, maxHits }) =>
      get('punkt/omrader', {
        nord: String(lat),
        ost: String(lon),
        koordsys: KOORDSYS,
        utkoordsys: KOORDSYS,
        ...(radius !== undefined ? { radius: String(radius) } : {}),
        ...(maxHits !== undefined ? { maksTreff: String(maxHits) } : {}),
      }),
    async resolve(requests) {
      const lots: Lot[] = [];
      const errors: ParseProblem[] = [];
      for (const r of requests) {
        const key = formatMatrikkelnummer(r.matrikkel);
        let found: LotParseResult;
        try {
          found = await geokoding(r.matrikkel);
        } catch (e) {
          if (e instanceof UpstreamError && e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 429) {
            errors.push({ key, message: `eiendom API ${e.status} for ${key}` });
            continue;
          }
          throw e;
        }
        errors.push(...found.errors);
        // Without festenummer the API may also answer the unit's fester: keep the unit asked for.
        const lot = found.lots.find((l) => l.key === key);
        if (!lot) {
          const other = found.lots.map((l) => l.key).join(', ');
          errors.push({ key, message: other ? `no teig for ${key} (the API answered ${other})` : `no teig for ${key} in the matrikkel` });
          continue;
        }
        const extra: LotProperties = {};
        if (r.name !== undefined) extra.name = r.name;
        if (r.price !== undefined) extra.price = r.price;
        if (r.priceText !== undefined) extra.priceText = r.priceText;
        if (r.url !== undefined) extra.url = r.url;
        lots.push({ ...lot, properties: { ...lot.properties, ...extra } });
      }
      return { lots, errors };
    },
  };
}

