/** A kommune of the 2024 division (357 kommuner), as in SSB KLASS 131 and Kartverket. */
export interface Kommune {
  /** Four-digit code as text, leading zero kept: "0301". */
  code: string;
  /** Official KLASS name with parallel names joined by " - ": "Trondheim - Tråante". */
  name: string;
  /** The Norwegian name alone: "Trondheim". For 1515/1818 it keeps the county qualifier, as KLASS does. */
  nameNorwegian: string;
  nameSami: string | null;
  /** "Northern Sami", "Lule Sami", "Southern Sami", or null. */
  samiLanguage: string | null;
  nameKven: string | null;
  countyCode: string;
  /** County name in Norwegian ("Troms"). */
  countyName: string;
  /** KLASS 104 county name with parallel names ("Troms - Romsa - Tromssa"). */
  countyNameOfficial: string;
  /** ISO date the code is valid from; the 2024 division starts 2024-01-01. */
  validFrom: string;
  validTo: string | null;
}

/** How a pre-2024 kommune code maps to the 2024 division (kodeendringer-til-2024.csv). */
export interface CodeChange {
  oldCode: string;
  /** Name with its period, as in the source: "Halden (2020-2023)". */
  oldName: string;
  /** 2024 code, or null where no one-to-one mapping exists. */
  newCode: string | null;
  status: 'samme_kode' | 'slatt_inn_eller_omkodet' | 'delt' | 'delt_eller_ikke_kommune';
  note: string | null;
}

/** The national level in observations (SSB uses region code "0" for "Hele landet"). */
export const NATIONAL_REGION = '0';

/** A kommune boundary: WGS84 GeoJSON Polygon or MultiPolygon keyed by the 2024 code. */
export interface KommuneBoundary {
  code: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}
