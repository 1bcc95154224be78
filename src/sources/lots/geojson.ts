// Lots from a GeoJSON FeatureCollection: a kommune's own list of lots for sale, or an ArcGIS
// FeatureServer/MapServer `query?f=geojson` (which also pages with resultOffset).
import { formatMatrikkelnummer, matrikkelFromParts, parseMatrikkelnummer, type MatrikkelParse } from '../../domain/lots/matrikkel';
import type { Lot, LotParseResult, LotProperties, Matrikkelnummer, ParseProblem } from '../../domain/lots/types';
import type { HttpClient } from '../../lib/http';
import { LotSourceError, absoluteHttpUrl, checkedGeometry, isRecord, mergeByKey, parseJsonText, pickPlain, pickString, readPrice } from './common';

export interface GeoJsonLotOptions {
  sourceId: string;
  /**
   * Property holding the lot's id or matrikkelnummer. Without it: `matrikkelnummer`, then
   * `gnr`/`bnr` (or `gardsnummer`/`bruksnummer`, with `kommunenummer`), then `id`, then feature.id.
   */
  idProperty?: string;
  /** Kommune for matrikkelnumre written without one ("215/42"). */
  kommuneCode?: string;
  nameProperty?: string;
  priceProperty?: string;
  urlProperty?: string;
  fetchedAt?: string;
}

export interface GeoJsonParseResult extends LotParseResult {
  /** ArcGIS said more features match than it returned (`exceededTransferLimit`). */
  truncated: boolean;
}

const NAME_PROPS = ['navn', 'name', 'tittel', 'title', 'tomtenavn', 'adresse', 'address'];
const PRICE_PROPS = ['pris', 'price', 'prisantydning', 'tomtepris'];
const URL_PROPS = ['url', 'lenke', 'link', 'href'];

type Identity = { key: string; matrikkel?: Matrikkelnummer } | { error: string };

function fromMatrikkel(p: MatrikkelParse): Identity {
  return p.ok ? { key: formatMatrikkelnummer(p.value), matrikkel: p.value } : { error: p.message };
}

function identify(f: Record<string, unknown>, props: Record<string, unknown>, opts: GeoJsonLotOptions): Identity {
  const knrProp = pickString(props, ['kommunenummer', 'kommunenr', 'knr']);
  const defaultKommune = knrProp ?? opts.kommuneCode;
  if (opts.idProperty !== undefined) {
    const v = pickString(props, [opts.idProperty]);
    if (v === undefined) return { error: `no value in "${opts.idProperty}"` };
    // A configured id that reads as a matrikkelnummer is one; anything else is an opaque id.
    const m = parseMatrikkelnummer(v, defaultKommune === undefined ? {} : { defaultKommune });
    return m.ok ? fromMatrikkel(m) : { key: v };
  }
  const text = pickString(props, ['matrikkelnummer', 'matrikkelnr']);
  if (text !== undefined) return fromMatrikkel(parseMatrikkelnummer(text, defaultKommune === undefined ? {} : { defaultKommune }));
  const gnr = props.gnr ?? props.gardsnummer;
  const bnr = props.bnr ?? props.bruksnummer;
  if (gnr !== undefined && gnr !== null && bnr !== undefined && bnr !== null) {
    if (defaultKommune === undefined) return { error: 'gnr/bnr without kommunenummer (set kommuneCode)' };
    return fromMatrikkel(matrikkelFromParts({
      kommunenummer: defaultKommune, gardsnummer: gnr, bruksnummer: bnr,
      festenummer: props.fnr ?? props.festenummer, seksjonsnummer: props.snr ?? props.seksjonsnummer,
    }));
  }
  const id = pickString(props, ['id']) ?? (typeof f.id === 'string' || typeof f.id === 'number' ? String(f.id) : undefined);
  return id !== undefined && id !== '' ? { key: id } : { error: 'no id: no matrikkelnummer, gnr/bnr, id property or feature id' };
}

function selectProperties(props: Record<string, unknown>, opts: GeoJsonLotOptions): LotProperties {
  const out: LotProperties = {};
  const name = pickString(props, opts.nameProperty ? [opts.nameProperty] : NAME_PROPS);
  if (name !== undefined) out.name = name;
  Object.assign(out, readPrice(pickPlain(props, opts.priceProperty ? [opts.priceProperty] : PRICE_PROPS)));
  const url = absoluteHttpUrl(pickString(props, opts.urlProperty ? [opts.urlProperty] : URL_PROPS));
  if (url !== undefined) out.url = url;
  return out;
}

/**
 * Parses a FeatureCollection of lots. Each feature needs an id (see `idProperty`) and a valid
 * Polygon/MultiPolygon (see validateLotGeometry); a feature that fails lands in `errors` with its
 * key when known. Features sharing a key are merged into one MultiPolygon lot. Throws
 * LotSourceError when the document itself is unusable (an ArcGIS error body, a projected `crs`).
 */
export function parseGeoJsonLots(json: unknown, opts: GeoJsonLotOptions): GeoJsonParseResult {
  if (isRecord(json) && isRecord(json.error)) {
    throw new LotSourceError(`${opts.sourceId}: server error ${String(json.error.code ?? '')}: ${String(json.error.message ?? '')}`.trim());
  }
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new LotSourceError(`${opts.sourceId}: not a GeoJSON FeatureCollection`);
  }
  // RFC 7946 has no `crs`; an old-style one naming anything but WGS84 lon/lat means projected data.
  const crsName = isRecord(json.crs) && isRecord(json.crs.properties) ? json.crs.properties.name : undefined;
  if (crsName !== undefined && !/CRS84$|EPSG:{1,2}4326$/i.test(String(crsName))) {
    throw new LotSourceError(`${opts.sourceId}: coordinates are in ${String(crsName)}; ask for WGS84 (ArcGIS: outSR=4326)`);
  }
  const props0 = isRecord(json.properties) ? json.properties : {};
  const truncated = json.exceededTransferLimit === true || props0.exceededTransferLimit === true;

  const lots: Lot[] = [];
  const errors: ParseProblem[] = [];
  json.features.forEach((f: unknown, i: number) => {
    if (!isRecord(f) || f.type !== 'Feature') {
      errors.push({ key: null, message: `feature ${i} is not a GeoJSON Feature` });
      return;
    }
    const props = isRecord(f.properties) ? f.properties : {};
    const id = identify(f, props, opts);
    if ('error' in id) {
      errors.push({ key: null, message: `feature ${i}: ${id.error}` });
      return;
    }
    const geometry = checkedGeometry(f.geometry, id.key, errors);
    if (!geometry) return;
    lots.push({
      sourceId: opts.sourceId,
      key: id.key,
      ...(id.matrikkel ? { matrikkel: id.matrikkel } : {}),
      geometry,
      properties: selectProperties(props, opts),
      ...(opts.fetchedAt ? { fetchedAt: opts.fetchedAt } : {}),
    });
  });
  return { lots: mergeByKey(lots), errors, truncated };
}

/** ArcGIS REST query endpoints page with `resultOffset`; other GeoJSON URLs are one document. */
function isArcGisQuery(url: URL): boolean {
  return /\/(FeatureServer|MapServer)\/\d+\/query$/i.test(url.pathname);
}

/**
 * Fetches a GeoJSON lot list. An ArcGIS query that reports `exceededTransferLimit` is paged with
 * `resultOffset`, at most `maxPages` requests; a list still truncated then gets a batch-level error.
 */
export async function fetchGeoJsonLots(
  http: HttpClient,
  opts: GeoJsonLotOptions & { url: string; maxPages?: number },
): Promise<LotParseResult> {
  const maxPages = opts.maxPages ?? 20;
  const first = new URL(opts.url);
  const lots: Lot[] = [];
  const errors: ParseProblem[] = [];
  let offset = 0;
  for (let page = 1; ; page++) {
    const url = new URL(first);
    if (page > 1) url.searchParams.set('resultOffset', String(offset));
    const res = await http.request({ url: url.href, headers: { accept: 'application/geo+json, application/json' } });
    const doc = parseJsonText(res.text, opts.sourceId);
    const parsed = parseGeoJsonLots(doc, { ...opts, fetchedAt: opts.fetchedAt ?? res.fetchedAt.toISOString() });
    lots.push(...parsed.lots);
    errors.push(...parsed.errors);
    // parseGeoJsonLots has checked that `features` is an array.
    const count = (doc as { features: unknown[] }).features.length;
    offset += count;
    if (!parsed.truncated || !isArcGisQuery(first) || count === 0) break;
    if (page >= maxPages) {
      errors.push({ key: null, message: `${opts.sourceId}: still truncated after ${maxPages} pages (${offset} features); raise maxPages or narrow the query` });
      break;
    }
  }
  return { lots: mergeByKey(lots), errors };
}
