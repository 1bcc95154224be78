import * as z from 'zod';
import type { HttpClient } from '../../lib/http';
import { parseJsonResponse } from '../json-response';

/**
 * Kartverket's open address search (Geonorge «Adresse-API», no login, CC BY 4.0 "© Kartverket").
 * The free-text parameter is `sok` (`sokeStreng` is only echoed back in `metadata`); `treffPerSide`
 * caps the hits; `utkoordsys=4258` asks for ETRS89 latitude/longitude. Field names follow
 * Kartverket's own backend (`kartverket/matrikkel-adressesok`, `src/types/searchResponse.ts`).
 */
export const ADRESSER_BASE_URL = 'https://ws.geonorge.no/adresser/v1';

const addressSchema = z
  .object({
    adressetekst: z.string(),
    kommunenummer: z.string().regex(/^\d{4}$/),
    kommunenavn: z.string(),
    postnummer: z.string().nullable().optional(),
    poststed: z.string().nullable().optional(),
    objtype: z.string().optional(),
    gardsnummer: z.number().nullable().optional(),
    bruksnummer: z.number().nullable().optional(),
    representasjonspunkt: z.object({ epsg: z.string().optional(), lat: z.number(), lon: z.number() }).nullable().optional(),
  })
  .loose();

export const addressSearchSchema = z
  .object({
    metadata: z.object({ totaltAntallTreff: z.number().optional(), sokeStreng: z.string().optional() }).loose(),
    adresser: z.array(addressSchema),
  })
  .loose();

export interface AddressHit {
  text: string;
  kommuneCode: string;
  /** Upper case in the API ("BODØ"). */
  kommuneName: string;
  postcode: string | null;
  postPlace: string | null;
  lat: number | null;
  lon: number | null;
  /** gnr/bnr when the address has them. */
  cadastre: string | null;
}

export interface AddressSearchResult {
  total: number;
  hits: AddressHit[];
}

/** Looks up addresses by free text; the chat command `adresse` uses it. */
export type AddressSearch = (text: string) => Promise<AddressSearchResult>;

export const MAX_ADDRESS_QUERY = 200;

export function createAddressSearch(http: HttpClient, base: string = ADRESSER_BASE_URL, hitsPerPage = 5): AddressSearch {
  return async (text) => {
    const q = text.trim().slice(0, MAX_ADDRESS_QUERY);
    const url = `${base}/sok?sok=${encodeURIComponent(q)}&fuzzy=true&treffPerSide=${hitsPerPage}&utkoordsys=4258`;
    const res = await http.request({ url });
    const answer = parseJsonResponse('Kartverket adresser', res.text, addressSearchSchema);
    const hits = answer.adresser.map(
      (a): AddressHit => ({
        text: a.adressetekst,
        kommuneCode: a.kommunenummer,
        kommuneName: a.kommunenavn,
        postcode: a.postnummer ?? null,
        postPlace: a.poststed ?? null,
        lat: a.representasjonspunkt?.lat ?? null,
        lon: a.representasjonspunkt?.lon ?? null,
        cadastre: a.gardsnummer != null && a.bruksnummer != null ? `${a.gardsnummer}/${a.bruksnummer}` : null,
      }),
    );
    return { total: answer.metadata.totaltAntallTreff ?? hits.length, hits };
  };
}
