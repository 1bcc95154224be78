// Lots (tomter) and plan initiatives as tomte stores and compares them. Plain JSON-serialisable
// data: the sources in src/sources/lots/ produce them, the store keeps them.
import type { MultiPolygon, Polygon } from 'geojson';

/** A lot's outline: WGS84 longitude/latitude (RFC 7946 order), 2D, closed rings. */
export type LotGeometry = Polygon | MultiPolygon;

/** A matrikkelnummer: kommunenummer-gardsnummer/bruksnummer[/festenummer[/seksjonsnummer]]. */
export interface Matrikkelnummer {
  /** Four digits, leading zero kept: "0301". */
  kommunenummer: string;
  gardsnummer: number;
  bruksnummer: number;
  /** 0 when the unit is not a festegrunn. */
  festenummer: number;
  /** 0 when the unit is not a section (eierseksjon). */
  seksjonsnummer: number;
}

/** A plain attribute value; nested objects are never kept. */
export type PlainValue = string | number | boolean;

/**
 * The attributes a source selected for a lot. The named ones are understood by tomte; the others
 * are source-specific (a teig's `lagretBeregnetAreal`, an ArcGIS OBJECTID, …), always plain values.
 */
export interface LotProperties {
  [attribute: string]: PlainValue | undefined;
  /** A name or title ("Tomt 4, Solbakken"). */
  name?: string;
  /** Asking price in NOK when the source gives one as a number. */
  price?: number;
  /** A price the source gives as text that is not a plain number ("25 kr/m²"). */
  priceText?: string;
  /** An absolute http(s) link to the lot's page. */
  url?: string;
}

export interface Lot {
  sourceId: string;
  /**
   * Stable id within the source: the matrikkelnummer "knr-gnr/bnr[/fnr[/snr]]" when known
   * (festenummer and seksjonsnummer only when non-zero), else the source's own feature id.
   */
  key: string;
  matrikkel?: Matrikkelnummer;
  geometry: LotGeometry;
  properties: LotProperties;
  /** ISO timestamp of the fetch that produced the lot. */
  fetchedAt?: string;
}

/** A notice of planning start ("varsel om planoppstart") from DiBK's "planlegging igangsatt". */
export interface PlanInitiative {
  sourceId: string;
  /** DiBK's feature id in the `planomrade` collection ("4522"); stable within that collection. */
  key: string;
  /** The plan's kommune (from nasjonalArealplanId.kommunenummer), four digits. */
  kommuneCode: string;
  /** Nasjonal arealplan-ID "kommunenummer-planid" when the plan id is given ("0301-2026/02282"). */
  nationalPlanId?: string;
  planName: string;
  /** "Detaljregulering", "Områderegulering", … as DiBK writes it. */
  planType: string;
  /** Date of the notice (kunngjøringsdatoVarselOmPlanoppstart), ISO "YYYY-MM-DD". */
  announcedAt: string;
  /** The kommune's case page, when the source gives an absolute http(s) URL. */
  link?: string;
  /** DiBK's page for the plan (linkArealplan). */
  planLink?: string;
  geometry: LotGeometry;
  fetchedAt?: string;
}

/** One feature (or line) a parser could not use; `key` when the feature's id was readable. */
export interface ParseProblem {
  key: string | null;
  message: string;
}

/** What a lot parser returns: one bad feature never sinks the batch. */
export interface LotParseResult {
  lots: Lot[];
  errors: ParseProblem[];
}

export interface PlanParseResult {
  plans: PlanInitiative[];
  errors: ParseProblem[];
}
