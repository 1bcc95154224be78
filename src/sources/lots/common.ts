// Helpers shared by the lot parsers: document-level errors, attribute picking and merging the
// teiger of one matrikkel unit into one lot.
import { InvalidLotGeometryError, validateLotGeometry } from '../../domain/lots/geometry';
import type { Lot, LotGeometry, ParseProblem, PlainValue } from '../../domain/lots/types';

/** A whole response tomte cannot read (not JSON, not a FeatureCollection, a server error body). */
export class LotSourceError extends Error {
  override readonly name = 'LotSourceError';
}

export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new LotSourceError(`${label}: response is not valid JSON (${text.length} characters)`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first of `names` whose value is a non-empty string or a finite number or a boolean. */
export function pickPlain(props: Record<string, unknown>, names: readonly string[]): PlainValue | undefined {
  for (const n of names) {
    const v = props[n];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return v;
  }
  return undefined;
}

export function pickString(props: Record<string, unknown>, names: readonly string[]): string | undefined {
  const v = pickPlain(props, names);
  return v === undefined || typeof v === 'boolean' ? undefined : String(v);
}

/** An absolute http(s) URL, or undefined ("", "www.example.no/x" and relative paths are dropped). */
export function absoluteHttpUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!/^https?:\/\//i.test(t)) return undefined;
  try {
    return new URL(t).href;
  } catch {
    return undefined;
  }
}

/**
 * A price: a number, or a string that is only digits with space/dot thousands separators and an
 * optional "kr"/",-" ("1 250 000 kr", "450.000,-"). Anything else (a price per m², a range) is kept
 * as text.
 */
export function readPrice(v: PlainValue | undefined): { price?: number; priceText?: string } {
  if (typeof v === 'number') return v >= 0 ? { price: v } : {};
  if (typeof v !== 'string') return {};
  const m = /^(?:kr\.?\s*)?(\d{1,3}(?:[ \u00a0.]\d{3})+|\d+)(?:\s*(?:kr|nok|,-))?\.?$/i.exec(v.trim());
  return m ? { price: Number(m[1]!.replace(/[ \u00a0.]/g, '')) } : { priceText: v };
}

/** Validates a geometry, turning InvalidLotGeometryError into a per-feature problem. */
export function checkedGeometry(g: unknown, key: string | null, errors: ParseProblem[]): LotGeometry | null {
  try {
    return validateLotGeometry(g);
  } catch (e) {
    if (!(e instanceof InvalidLotGeometryError)) throw e;
    errors.push({ key, message: `invalid geometry: ${e.message}` });
    return null;
  }
}

/**
 * One lot per key: several teiger of one matrikkel unit (split by a road, a lake) become one
 * MultiPolygon, in the order met; the first lot's attributes are kept.
 */
export function mergeByKey(lots: readonly Lot[]): Lot[] {
  const byKey = new Map<string, Lot>();
  for (const lot of lots) {
    const seen = byKey.get(lot.key);
    if (!seen) {
      byKey.set(lot.key, lot);
      continue;
    }
    const polys = (g: LotGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
    byKey.set(lot.key, { ...seen, geometry: { type: 'MultiPolygon', coordinates: [...polys(seen.geometry), ...polys(lot.geometry)] } });
  }
  return [...byKey.values()];
}
