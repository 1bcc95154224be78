import { normalizeName } from './normalize';
import type { Kommune } from './types';

/**
 * Links out from a kommune card to the publisher's own pages.
 *
 * SSB's kommunefakta pages are addressed by the kommune's official name, parallel names included,
 * folded to ASCII and joined by hyphens ("Namsos - Nåavmesjenjaelmie" → namsos-naavmesjenjaelmie,
 * "Bodø" → bodo, "Herøy (Nordland)" → heroy-nordland). The rule is read off SSB's published URLs.
 */
export function kommunefaktaUrl(k: Pick<Kommune, 'name'>): string {
  return `https://www.ssb.no/kommunefakta/${normalizeName(k.name).replace(/ /g, '-')}`;
}

/** An SSB statbank table ("07459") on ssb.no; null for sources that are not SSB tables. */
export function statbankUrl(source: string, table: string): string | null {
  return source === 'SSB' && /^\d{5}$/.test(table) ? `https://www.ssb.no/statbank/table/${table}` : null;
}
