/**
 * One published figure with its provenance. Every number a user sees comes from one of these,
 * or is computed from them by a documented rule.
 */
export interface Observation {
  /** Four-digit kommune code (2024 division), or NATIONAL_REGION ("0") for Norway as a whole. */
  regionCode: string;
  /** Indicator id from the catalogue in `indicators.ts`, e.g. "population". */
  indicator: string;
  /** The period the figure describes: "2024" (year), "2026-04" (month), "2024K1-2024K4"-style is not used. */
  period: string;
  /** null when the publisher has no figure; `status` then says why. */
  value: number | null;
  status: ObservationStatus;
  unit: string;
  /** Publisher: "SSB", "NAV", "Valgdirektoratet", "Kartverket". */
  source: string;
  /** Statbank table id or API endpoint: "07459", "valgresultat.no /api/2023/ko". */
  sourceTable: string;
  /** When the publisher last updated the table (ISO date), when known. */
  publishedAt: string | null;
  /** When the figure was fetched from the publisher or its intermediary (ISO date or timestamp). */
  fetchedAt: string;
  /** Where this row came from: "snapshot:data/befolkning.csv" or a request URL. */
  origin: string;
  /** Notes carried over from the source (how a value was derived, why it is missing). */
  note: string | null;
}

/**
 * ok: a published (or documented derived) value.
 * missing: the publisher has no value ("..") or our sources lack it.
 * suppressed: withheld by the publisher (":", too few cases).
 * not_applicable: the concept does not apply (".").
 */
export type ObservationStatus = 'ok' | 'missing' | 'suppressed' | 'not_applicable';

/** The natural key of an observation; writes are idempotent on it. */
export function observationKey(o: Pick<Observation, 'regionCode' | 'indicator' | 'period'>): string {
  return `${o.regionCode}|${o.indicator}|${o.period}`;
}
