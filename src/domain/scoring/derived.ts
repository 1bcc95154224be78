import type { Localized } from '../localized';
import type { Observation } from '../observation';

/**
 * What a derived indicator hands to a model: its value with every input observation
 * (provenance) and, where it compares with Norway, the national reference and how that
 * reference was obtained. The modules in `indicators/` compute them; `references.ts` holds the
 * national references they share.
 */

/**
 * An input of a score: the observation itself (its value and provenance). The engine keeps
 * references rather than copies; the store serialises them compactly.
 */
export type SourceRef = Pick<Observation, 'indicator' | 'regionCode' | 'period' | 'value' | 'unit' | 'source' | 'sourceTable' | 'publishedAt'>;

export type ReferenceMethod = 'published' | 'sum' | 'population-weighted-mean' | 'sales-weighted-mean' | 'ratio-of-sums';

export interface Reference {
  value: number;
  unit: string;
  period: string;
  method: ReferenceMethod;
  /** Share of Norway's population in kommuner that contributed (computed references). */
  populationCoverage: number | null;
  /** Published national observations used (method "published"); computed ones name their tables. */
  sources: SourceRef[];
}

export type Derived =
  | {
      ok: true;
      value: number;
      unit: string;
      period: string;
      /** The figures behind the value, for the one-line explanation (rendered by `explain.ts`). */
      detail: DerivedDetail;
      inputs: SourceRef[];
      reference?: Reference;
      /** Facts a rule's fallback reads (e.g. the left bloc's seats). */
      facts?: { leftSeats?: number; totalSeats?: number; leftParties?: string[] };
      /** The population behind a per-1,000 rate, for damping small-kommune noise. */
      base?: number;
    }
  | { ok: false; reason: Localized; inputs: SourceRef[] };

export type DerivedOk = Extract<Derived, { ok: true }>;

/** Structured facts behind a derived value; text is rendered only when a user asks. */
export type DerivedDetail =
  | { k: 'popchange'; start: string; end: string; from: number; to: number }
  | { k: 'housing'; m2: number; price: number; cost: number; income: number; year: string }
  | { k: 'income'; own: number; national: number; year: string }
  | { k: 'unemployment'; own: number; national: number; source: string; period: string }
  | { k: 'labour'; votes: number; total: number; year: string }
  | { k: 'enp'; lists: number; seats: number; largest: number; year: string }
  | { k: 'pvi'; price: number; national: number; year: string }
  | { k: 'started'; per1000: number; national: number; period: string }
  | { k: 'seatshare'; seats: number; total: number; parties: string[]; year: string }
  | { k: 'rate'; count: number; population: number; period: string }
  | { k: 'plain' };

export function toRef(o: Observation): SourceRef {
  return o;
}

export const L = (nb: string, en: string): Localized => ({ nb, en });
