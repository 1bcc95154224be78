/**
 * SSB region codes → 2024 kommunenummer.
 *
 * SSB tables name the same kommune in several shapes, depending on the codelist the request
 * used: plain `0301`, `K-0301` (agg_KommSummer), `K_4001` (agg_KommSummerHist), and three-digit
 * codes where a leading zero was lost (`301`). Counties come as `F-03`/`F_03` (agg_KommFylker) or
 * `03`; the whole country as `0`/`0000`. Everything else is not a kommune: Svalbard, Jan Mayen and
 * the continental shelf (21xx/22xx/23xx, `K-21-22`, `K-23`), `Uoppgitt` codes (`xx99`, `9999`),
 * `K-Rest` (divided kommuner and unknown), KOSTRA aggregates (`EAKUO` Norway without Oslo, `EKG16`
 * KOSTRA groups, `EKA03` counties), and electoral districts (`V-01`). KOSTRA's `EAK` ("Landet") is
 * the national row, like `0` elsewhere.
 *
 * The shape alone does not say whether a code is a *current* kommune: a 2020–2023 code such as
 * `3001` Halden looks like any other. `normaliseRegions` checks against the 2024 list.
 */

export type NormalisedRegion =
  | { kind: 'kommune'; code: string }
  | { kind: 'county'; code: string }
  | { kind: 'national' }
  | { kind: 'other'; code: string };

/** "Hele landet": "0" in most tables, "EAK" ("Landet") in KOSTRA tables (KOKkommuneregion0000). */
const NATIONAL_CODES = new Set(['0', '00', '0000', 'EAK']);
/** County numbers that are not counties: Svalbard, Jan Mayen, continental shelf, unknown. */
const NON_COUNTY = new Set(['21', '22', '23', '99']);

export function normaliseRegionCode(code: string): NormalisedRegion {
  const c = code.trim();
  if (NATIONAL_CODES.has(c)) return { kind: 'national' };

  const prefixed = /^([KF])[-_](.+)$/.exec(c);
  if (prefixed !== null) {
    const prefix = prefixed[1];
    const rest = prefixed[2] ?? '';
    if (prefix === 'K' && /^\d{3,4}$/.test(rest)) return fromDigits(rest.padStart(4, '0'), c);
    if (prefix === 'F' && /^\d{2}$/.test(rest)) return fromCountyDigits(rest, c);
    return { kind: 'other', code: c };
  }

  if (/^\d{3,4}$/.test(c)) return fromDigits(c.padStart(4, '0'), c);
  if (/^\d{2}$/.test(c)) return fromCountyDigits(c, c);
  return { kind: 'other', code: c };
}

function fromDigits(four: string, original: string): NormalisedRegion {
  if (four === '0000') return { kind: 'national' };
  const county = four.slice(0, 2);
  // County 00 does not exist (a three-digit "001" is a price region in 07221, not a kommune);
  // xx99 is "Uoppgitt kommune" in every county, 9999 "Uoppgitt".
  if (county === '00' || NON_COUNTY.has(county) || four.endsWith('99')) return { kind: 'other', code: original };
  return { kind: 'kommune', code: four };
}

function fromCountyDigits(two: string, original: string): NormalisedRegion {
  if (two === '00') return { kind: 'national' };
  if (NON_COUNTY.has(two)) return { kind: 'other', code: original };
  return { kind: 'county', code: two };
}

/** Codes that sum over kommuner: KOSTRA groups and regions, electoral districts. */
const AGGREGATE_OTHER = /^(EAKUO|EKG\d+|EKA\d+|EKAUO\d*|V-\d+)$/;

/** Why a code that is not a current kommune is dropped: a sum over kommuner, a special code, or unknown. */
export function droppedKind(region: NormalisedRegion): 'aggregate' | 'special' | 'unknown' {
  switch (region.kind) {
    case 'national':
    case 'county':
      return 'aggregate';
    case 'kommune':
      return 'unknown';
    case 'other':
      return AGGREGATE_OTHER.test(region.code) ? 'aggregate' : isSpecial(region.code) ? 'special' : 'unknown';
  }
}

export interface NormalisedRegions {
  /** Source code → 2024 kommunenummer, only for codes that are current kommuner. */
  mapped: Map<string, string>;
  dropped: {
    /** National, county and other aggregate codes (KOSTRA groups, electoral districts). */
    aggregates: number;
    /** Not a kommune by definition: Svalbard/Jan Mayen/continental shelf, Uoppgitt, K-Rest. */
    specials: number;
    /**
     * Kommune-shaped codes missing from the valid set (e.g. 2020–2023 codes such as 3001, or
     * K-5401), and codes of no known shape. Kept verbatim so the caller can report them.
     */
    unknown: string[];
  };
}

export function normaliseRegions(
  codes: Iterable<string>,
  validKommuneCodes: ReadonlySet<string>,
): NormalisedRegions {
  const result: NormalisedRegions = { mapped: new Map(), dropped: { aggregates: 0, specials: 0, unknown: [] } };
  for (const code of codes) {
    const region = normaliseRegionCode(code);
    if (region.kind === 'kommune' && validKommuneCodes.has(region.code)) {
      result.mapped.set(code, region.code);
      continue;
    }
    const kind = droppedKind(region);
    if (kind === 'aggregate') result.dropped.aggregates++;
    else if (kind === 'special') result.dropped.specials++;
    else result.dropped.unknown.push(code);
  }
  return result;
}

function isSpecial(code: string): boolean {
  if (/^K[-_](Rest|21-22|21|22|23)$/i.test(code)) return true;
  const digits = /^(?:[KF][-_])?(\d{2,4})$/.exec(code)?.[1];
  if (digits === undefined) return false;
  if (digits.length === 2) return NON_COUNTY.has(digits);
  const four = digits.padStart(4, '0');
  return NON_COUNTY.has(four.slice(0, 2)) || four.endsWith('99');
}
