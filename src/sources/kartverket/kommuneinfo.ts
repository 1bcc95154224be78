import * as z from 'zod';
import type { HttpClient } from '../../lib/http';
import type { Kommune, KommuneBoundary } from '../../domain/kommune/types';
import { parseBoundaries } from '../geojson-boundaries';
import { parseJsonResponse } from '../json-response';

/** Kartverket's kommuneinfo API (no login; CC BY 4.0, "© Kartverket"). */
export const KOMMUNEINFO_BASE_URL = 'https://api.kartverket.no/kommuneinfo/v1';

const nameSchema = z.object({ navn: z.string().nullable(), prioritet: z.number(), sprak: z.string().nullable() });

export const kommuneinfoKommuneSchema = z.object({
  kommunenummer: z.string().regex(/^\d{4}$/),
  kommunenavn: z.string(),
  kommunenavnNorsk: z.string(),
  fylkesnummer: z.string().regex(/^\d{2}$/).optional(),
  fylkesnavn: z.string().optional(),
  gyldigeNavn: z.array(nameSchema).default([]),
  samiskForvaltningsomrade: z.boolean().optional(),
});
export type KommuneinfoKommune = z.infer<typeof kommuneinfoKommuneSchema>;

const fylkerKommunerSchema = z.array(
  z.object({
    fylkesnummer: z.string().regex(/^\d{2}$/),
    fylkesnavn: z.string(),
    kommuner: z.array(kommuneinfoKommuneSchema),
  }),
);

export interface KartverketClient {
  /** Every county with its kommuner (`GET /fylkerkommuner`). */
  fylkerKommuner(): Promise<KommuneinfoKommune[]>;
  /** Simplified boundaries of every kommune (`GET /kommuner/illustrasjonskart`). */
  boundaries(): Promise<KommuneBoundary[]>;
}

export function createKartverketClient(http: HttpClient, base: string = KOMMUNEINFO_BASE_URL): KartverketClient {
  return {
    async fylkerKommuner() {
      const res = await http.request({ url: `${base}/fylkerkommuner` });
      const counties = parseJsonResponse('Kartverket kommuneinfo', res.text, fylkerKommunerSchema);
      return counties.flatMap((f) => f.kommuner.map((k) => ({ ...k, fylkesnummer: f.fylkesnummer, fylkesnavn: f.fylkesnavn })));
    },
    async boundaries() {
      const res = await http.request({ url: `${base}/kommuner/illustrasjonskart` });
      return parseBoundaries(parseJsonResponse('Kartverket illustrasjonskart', res.text));
    },
  };
}

function nameIn(k: KommuneinfoKommune, pred: (sprak: string) => boolean): string | null {
  return k.gyldigeNavn.find((n) => n.navn && n.sprak && pred(n.sprak))?.navn ?? null;
}

export interface RegistryDiff {
  /** Codes Kartverket lists that the registry does not have (a new division?). */
  appeared: string[];
  /** Registry codes Kartverket no longer lists. */
  disappeared: string[];
  /** Kommuner whose Norwegian, Sami or Kven name differs, with the updated record. */
  renamed: { before: Kommune; after: Kommune }[];
}

/**
 * Compares Kartverket's list with the registry. Names are updated for known codes; a code that
 * appears or disappears is only reported: a new division needs a reviewed registry change.
 */
export function diffRegistry(current: readonly Kommune[], fetched: readonly KommuneinfoKommune[]): RegistryDiff {
  const byCode = new Map(current.map((k) => [k.code, k]));
  const seen = new Set<string>();
  const renamed: RegistryDiff['renamed'] = [];
  const appeared: string[] = [];
  for (const f of fetched) {
    seen.add(f.kommunenummer);
    const before = byCode.get(f.kommunenummer);
    if (!before) {
      appeared.push(f.kommunenummer);
      continue;
    }
    const sami = nameIn(f, (s) => s.includes('Sami'));
    const kven = nameIn(f, (s) => s.includes('Kven'));
    const after: Kommune = {
      ...before,
      // KLASS qualifies twin names with the county ("Herøy (Nordland)"); Kartverket does not.
      nameNorwegian: before.nameNorwegian.startsWith(f.kommunenavnNorsk) ? before.nameNorwegian : f.kommunenavnNorsk,
      nameSami: sami ?? before.nameSami,
      samiLanguage: sami ? (f.gyldigeNavn.find((n) => n.navn === sami)?.sprak ?? before.samiLanguage) : before.samiLanguage,
      nameKven: kven ?? before.nameKven,
    };
    if (after.nameNorwegian !== before.nameNorwegian || after.nameSami !== before.nameSami || after.nameKven !== before.nameKven) {
      renamed.push({ before, after });
    }
  }
  const disappeared = current.map((k) => k.code).filter((c) => !seen.has(c));
  return { appeared: appeared.sort(), disappeared, renamed };
}
