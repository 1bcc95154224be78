// Teiger from Kartverket's open WFS "Matrikkelen – Eiendomskart Teig" (WFS 2.0, GML 3.2, layer
// app:Teig; CC BY 4.0, "© Kartverket"). fast-xml-parser reads the XML: pure JS, no DOM, so it runs
// on Workers too, and it keeps non-ASCII names such as app:område intact.
//
// Known quirks handled here:
// - numberReturned can read "0" while wfs:member elements exist: members are counted, never the
//   attribute.
// - Element names contain å/ø (område, nøyaktighetsklasseTeig); names are NFC-normalised.
// - Axis order: EPSG:4258/4326 positions are lat,lon in GML (URN form), but servers differ for the
//   short "EPSG:4326" form, so the data decides (see orientGeographic). EPSG:2583x positions are
//   UTM easting,northing and are converted to lon/lat here (utmToLonLat). The fetcher asks for
//   EPSG:4258 (ETRS89 geographic), so no projection is needed in the normal case.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatMatrikkelnummer, matrikkelFromParts, parseMatrikkelnummer } from '../../domain/lots/matrikkel';
import type { Lot, LotParseResult, LotProperties, Matrikkelnummer, ParseProblem } from '../../domain/lots/types';
import type { HttpClient } from '../../lib/http';
import { LotSourceError, checkedGeometry, isRecord, mergeByKey } from './common';
import { orientGeographic, parseSrsName, utmToLonLat, type Crs } from './crs';

export const TEIG_WFS_URL = 'https://wfs.geonorge.no/skwms1/wfs.matrikkelen-eiendomskart-teig';
export const TEIG_TYPE_NAME = 'app:Teig';
/** What the fetcher asks for: ETRS89 geographic, lat,lon in GML. */
export const TEIG_SRS_NAME = 'urn:ogc:def:crs:EPSG::4258';

export interface WfsParseOptions {
  sourceId: string;
  fetchedAt?: string;
  /** CRS for geometries that name none (the one the request asked for). */
  defaultSrsName?: string;
}

export interface WfsParseResult extends LotParseResult {
  /** wfs:member (or gml:featureMember) elements actually present. */
  memberCount: number;
  /** The numberReturned attribute as sent (often "0" on this service), for diagnostics only. */
  numberReturned: string | null;
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Keep text as text: "0301" must not become 301.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isRecord(v) && typeof v['#text'] === 'string') return v['#text'];
  return undefined;
}

const isElementKey = (k: string) => !k.startsWith('@_') && k !== '#text';

// --- Geometry ---------------------------------------------------------------------------------

interface Ctx {
  srsName: string | undefined;
  dim: number;
}

function inherit(node: XmlNode, ctx: Ctx): Ctx {
  const srs = node['@_srsName'];
  const dim = node['@_srsDimension'];
  return { srsName: typeof srs === 'string' ? srs : ctx.srsName, dim: typeof dim === 'string' ? Number(dim) : ctx.dim };
}

/** An xs:double in decimal notation; anything else (Number() also reads "0x3C", "0b1") is NaN. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const decimal = (t: string): number => (DECIMAL.test(t) ? Number(t) : NaN);

function readPositions(ring: XmlNode, ctx: Ctx): [number, number][] {
  const posList = ring.posList;
  let nums: number[];
  let dim = ctx.dim;
  if (posList !== undefined) {
    const t = textOf(posList);
    if (t === undefined) throw new Error('empty gml:posList');
    if (isRecord(posList) && typeof posList['@_srsDimension'] === 'string') dim = Number(posList['@_srsDimension']);
    nums = t.split(/\s+/).filter(Boolean).map(decimal);
  } else if (ring.pos !== undefined) {
    nums = asArray(ring.pos).flatMap((p) => (textOf(p) ?? '').split(/\s+/).filter(Boolean).slice(0, 2).map(decimal));
    dim = 2;
  } else throw new Error('ring has neither gml:posList nor gml:pos');
  if (!(dim === 2 || dim === 3)) throw new Error(`srsDimension ${dim} is not 2 or 3`);
  if (nums.length % dim !== 0) throw new Error(`gml:posList has ${nums.length} numbers, not a multiple of srsDimension ${dim}`);
  if (nums.some((n) => !Number.isFinite(n))) throw new Error('gml:posList has a value that is not a number');
  const out: [number, number][] = [];
  for (let i = 0; i < nums.length; i += dim) out.push([nums[i]!, nums[i + 1]!]);
  return out;
}

function toLonLat(pairs: [number, number][], crs: Crs): [number, number][] {
  return crs.kind === 'utm' ? pairs.map(([e, n]) => utmToLonLat(e, n, crs.zone)) : orientGeographic(pairs, crs.order);
}

/** A gml:Polygon or gml:PolygonPatch → rings of [lon, lat]. */
function readPolygon(node: XmlNode, parent: Ctx): [number, number][][] {
  const ctx = inherit(node, parent);
  if (ctx.srsName === undefined) throw new Error('no srsName on the geometry, its parents or the request');
  const crs = parseSrsName(ctx.srsName);
  if (!crs) throw new Error(`unsupported CRS ${ctx.srsName}`);
  const ringOf = (boundary: unknown): [number, number][] => {
    if (!isRecord(boundary) || !isRecord(boundary.LinearRing)) throw new Error('boundary is not a gml:LinearRing');
    return toLonLat(readPositions(boundary.LinearRing, ctx), crs);
  };
  if (node.exterior === undefined) throw new Error('polygon has no gml:exterior');
  return [ringOf(node.exterior), ...asArray(node.interior).map(ringOf)];
}

/** Polygons inside a geometry property: Polygon, Surface (patches), MultiSurface, MultiPolygon. */
function readSurfaces(node: XmlNode, ctx: Ctx): [number, number][][][] {
  const out: [number, number][][][] = [];
  for (const [k, v] of Object.entries(node)) {
    if (!isElementKey(k)) continue;
    for (const child of asArray(v)) {
      if (!isRecord(child)) continue;
      if (k === 'Polygon' || k === 'PolygonPatch') out.push(readPolygon(child, ctx));
      else if (k === 'Surface' || k === 'MultiSurface' || k === 'MultiPolygon' || k === 'patches' || k === 'surfaceMember' || k === 'surfaceMembers' || k === 'polygonMember') {
        out.push(...readSurfaces(child, inherit(child, ctx)));
      }
    }
  }
  return out;
}

const GEOMETRY_TAGS = new Set(['Polygon', 'Surface', 'MultiSurface', 'MultiPolygon']);

/** The feature property holding a surface (app:område on a Teig). */
function geometryProperty(feature: XmlNode): string | undefined {
  const keys = Object.keys(feature).filter(isElementKey);
  return keys.find((k) => k.normalize('NFC') === 'område') ?? keys.find((k) => isRecord(feature[k]) && Object.keys(feature[k] as XmlNode).some((c) => GEOMETRY_TAGS.has(c)));
}

// --- Attributes -------------------------------------------------------------------------------

/** Every text leaf under `node` by local name (NFC), skipping the geometry subtree. */
function leaves(node: unknown, skip: string | undefined, out = new Map<string, string[]>()): Map<string, string[]> {
  if (!isRecord(node)) return out;
  for (const [k, v] of Object.entries(node)) {
    if (!isElementKey(k) || k === skip) continue;
    for (const child of asArray(v)) {
      const t = textOf(child);
      const name = k.normalize('NFC');
      if (t !== undefined && (!isRecord(child) || Object.keys(child).every((c) => !isElementKey(c) || c === '#text'))) {
        out.set(name, [...(out.get(name) ?? []), t.trim()]);
      } else leaves(child, undefined, out);
    }
  }
  return out;
}

/** One value when every occurrence agrees; undefined when absent or ambiguous. */
function single(values: Map<string, string[]>, name: string): string | undefined {
  const vs = [...new Set(values.get(name) ?? [])];
  return vs.length === 1 ? vs[0] : undefined;
}

function matrikkelOf(values: Map<string, string[]>): Matrikkelnummer | undefined {
  const knr = single(values, 'kommunenummer');
  if (knr === undefined) return undefined;
  const gnr = single(values, 'gardsnummer');
  const bnr = single(values, 'bruksnummer');
  // Several matrikkel units on one teig give several differing values: no single number then.
  if ((values.get('gardsnummer')?.length ?? 0) > 0 && (gnr === undefined || bnr === undefined)) return undefined;
  const r = gnr !== undefined && bnr !== undefined
    ? matrikkelFromParts({ kommunenummer: knr, gardsnummer: gnr, bruksnummer: bnr, festenummer: single(values, 'festenummer'), seksjonsnummer: single(values, 'seksjonsnummer') })
    : (() => {
        const text = single(values, 'matrikkelnummerTekst');
        return text === undefined ? null : parseMatrikkelnummer(text, { defaultKommune: knr });
      })();
  return r && r.ok ? r.value : undefined;
}

function selectProperties(values: Map<string, string[]>): LotProperties {
  const out: LotProperties = {};
  const str = (from: string, to = from) => {
    const v = single(values, from);
    if (v !== undefined && v !== '') out[to] = v;
  };
  const bool = (name: string) => {
    const v = single(values, name);
    if (v === 'true' || v === 'false') out[name] = v === 'true';
  };
  str('bruksnavn', 'name');
  str('teigId');
  str('matrikkelnummerTekst');
  str('kommunenavn');
  str('nøyaktighetsklasseTeig');
  str('noyaktighetsklasseTeig', 'nøyaktighetsklasseTeig');
  str('oppdateringsdato');
  const area = Number(single(values, 'lagretBeregnetAreal'));
  if (single(values, 'lagretBeregnetAreal') !== undefined && Number.isFinite(area)) out.lagretBeregnetAreal = area;
  bool('tvist');
  bool('teigMedFlereMatrikkelenheter');
  bool('uregistrertJordsameie');
  return out;
}

// --- Document ---------------------------------------------------------------------------------

/**
 * Parses a WFS 2.0 GetFeature response of app:Teig. A teig whose geometry or id cannot be read
 * lands in `errors`; teiger of one matrikkel unit are merged into one MultiPolygon lot. Throws
 * LotSourceError for malformed XML or an ows:ExceptionReport.
 */
export function parseTeigGml(xml: string, opts: WfsParseOptions): WfsParseResult {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new LotSourceError(`${opts.sourceId}: malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const doc = parser.parse(xml) as XmlNode;
  if (isRecord(doc.ExceptionReport)) {
    const texts = asArray((doc.ExceptionReport as XmlNode).Exception).map((e) => (isRecord(e) ? textOf(e.ExceptionText) : undefined)).filter(Boolean);
    throw new LotSourceError(`${opts.sourceId}: WFS exception: ${texts.join('; ') || 'no text'}`);
  }
  const fc = doc.FeatureCollection;
  if (!isRecord(fc)) throw new LotSourceError(`${opts.sourceId}: not a WFS FeatureCollection`);
  const top: Ctx = inherit(isRecord(fc.boundedBy) && isRecord(fc.boundedBy.Envelope) ? fc.boundedBy.Envelope : {}, { srsName: opts.defaultSrsName, dim: 2 });

  const members = [...asArray(fc.member), ...asArray(fc.featureMember)];
  const lots: Lot[] = [];
  const errors: ParseProblem[] = [];
  members.forEach((member, i) => {
    const entry = isRecord(member) ? Object.entries(member).find(([k, v]) => isElementKey(k) && isRecord(v)) : undefined;
    if (!entry) {
      errors.push({ key: null, message: `member ${i} holds no feature` });
      return;
    }
    const feature = entry[1] as XmlNode;
    const geomKey = geometryProperty(feature);
    const values = leaves(feature, geomKey);
    const matrikkel = matrikkelOf(values);
    const gmlId = typeof feature['@_id'] === 'string' ? feature['@_id'] : undefined;
    const key = matrikkel ? formatMatrikkelnummer(matrikkel) : (single(values, 'teigId') ?? gmlId);
    if (key === undefined) {
      errors.push({ key: null, message: `member ${i}: no matrikkelnummer, teigId or gml:id` });
      return;
    }
    if (geomKey === undefined) {
      errors.push({ key, message: 'no geometry (app:område)' });
      return;
    }
    let polygons: [number, number][][][];
    try {
      // The member's own boundedBy may name the CRS when the geometry does not.
      const env = isRecord(feature.boundedBy) && isRecord(feature.boundedBy.Envelope) ? feature.boundedBy.Envelope : {};
      polygons = readSurfaces(feature[geomKey] as XmlNode, inherit(env, top));
    } catch (e) {
      errors.push({ key, message: `unreadable geometry: ${(e as Error).message}` });
      return;
    }
    if (polygons.length === 0) {
      errors.push({ key, message: 'geometry holds no polygon' });
      return;
    }
    const raw = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    const geometry = checkedGeometry(raw, key, errors);
    if (!geometry) return;
    lots.push({
      sourceId: opts.sourceId,
      key,
      ...(matrikkel ? { matrikkel } : {}),
      geometry,
      properties: selectProperties(values),
      ...(opts.fetchedAt ? { fetchedAt: opts.fetchedAt } : {}),
    });
  });
  const nr = fc['@_numberReturned'];
  return { lots: mergeByKey(lots), errors, memberCount: members.length, numberReturned: typeof nr === 'string' ? nr : null };
}

export interface TeigWfsFetchOptions {
  sourceId: string;
  url?: string;
  /** [minLon, minLat, maxLon, maxLat] in WGS84; required, the layer covers all of Norway. */
  bbox: readonly [number, number, number, number];
  /** Features per request (WFS `count`). Default 500. */
  pageSize?: number;
  /** Default 20. */
  maxPages?: number;
}

/**
 * Fetches the teiger in a bbox, paging with `count`/`startIndex` until a page has fewer members
 * than asked for (numberReturned is not trusted). Asks for EPSG:4258, so the bbox is sent in that
 * CRS's lat,lon order.
 */
export async function fetchTeigWfs(http: HttpClient, opts: TeigWfsFetchOptions): Promise<LotParseResult> {
  const pageSize = opts.pageSize ?? 500;
  const maxPages = opts.maxPages ?? 20;
  const [minLon, minLat, maxLon, maxLat] = opts.bbox;
  const lots: Lot[] = [];
  const errors: ParseProblem[] = [];
  for (let page = 0; ; page++) {
    const url = new URL(opts.url ?? TEIG_WFS_URL);
    const q = url.searchParams;
    q.set('service', 'WFS');
    q.set('version', '2.0.0');
    q.set('request', 'GetFeature');
    q.set('typeNames', TEIG_TYPE_NAME);
    q.set('srsName', TEIG_SRS_NAME);
    q.set('bbox', `${minLat},${minLon},${maxLat},${maxLon},${TEIG_SRS_NAME}`);
    q.set('count', String(pageSize));
    q.set('startIndex', String(page * pageSize));
    const res = await http.request({ url: url.href, headers: { accept: 'application/gml+xml; version=3.2, text/xml, application/xml' } });
    const parsed = parseTeigGml(res.text, { sourceId: opts.sourceId, fetchedAt: res.fetchedAt.toISOString(), defaultSrsName: TEIG_SRS_NAME });
    lots.push(...parsed.lots);
    errors.push(...parsed.errors);
    if (parsed.memberCount < pageSize) break;
    if (page + 1 >= maxPages) {
      errors.push({ key: null, message: `${opts.sourceId}: more than ${maxPages * pageSize} teiger in the bbox; stopped (narrow the bbox or raise maxPages)` });
      break;
    }
  }
  return { lots: mergeByKey(lots), errors };
}
