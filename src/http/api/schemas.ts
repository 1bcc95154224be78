import { z } from '@hono/zod-openapi';
import { modelSchema } from '../../domain/scoring/model';
import { MODEL_IDS } from '../../domain/scoring/models';
import { SORT_KEYS } from '../../services/kommune-list';

/**
 * The REST API's request and response schemas. They generate the OpenAPI document; responses are
 * not validated at run time (the contract tests check them against the emitted document).
 */

export const MAX_LIMIT = 357;
export const DEFAULT_LIMIT = 50;

const tier = z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().openapi({ description: 'Tier 1, 2 or 3; null when unclassified (too little data to decide).' });
const tierStatus = z.enum(['complete', 'partial', 'insufficient']).openapi({ description: 'complete: every rule had its inputs; partial: some missing, coverage above the minimum; insufficient: coverage below the minimum.' });

/** A query number, in decimal or exponent notation as clients write them (`5`, `0.25`, `1e-05`), then range-checked. */
function numberParam(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/, 'must be a number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .optional()
    .openapi({ type: 'number', minimum: min, maximum: max, description });
}

function integerParam(min: number, max: number, def: number, description: string) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .openapi({ type: 'integer', minimum: min, maximum: max, default: def, description });
}

export const SORT_VALUES = SORT_KEYS.flatMap((k) => [k, `-${k}`]) as [string, ...string[]];

const modelParam = z
  .enum(MODEL_IDS)
  .optional()
  .openapi({ description: `The scoring model (${MODEL_IDS.join(', ')}); default: the deployment's (TOMTE_MODEL). Every model is scored in every run.` });

export const modelQuery = z.strictObject({ model: modelParam });
/**
 * The 15 counties of the 2024 division, as the document lists them for `fylke` (a test keeps them
 * equal to the registry). The API also takes other spellings the registry knows (`nordland`,
 * `Nordland fylke`, `3`); the document names the canonical ones.
 */
export const FYLKER_2024: readonly (readonly [string, string])[] = [
  ['03', 'Oslo'], ['11', 'Rogaland'], ['15', 'Møre og Romsdal'], ['18', 'Nordland'], ['31', 'Østfold'], ['32', 'Akershus'], ['33', 'Buskerud'], ['34', 'Innlandet'],
  ['39', 'Vestfold'], ['40', 'Telemark'], ['42', 'Agder'], ['46', 'Vestland'], ['50', 'Trøndelag'], ['55', 'Troms'], ['56', 'Finnmark'],
];

function fylkeParam(description: string) {
  return z
    .string()
    .min(1)
    .optional()
    // Oslo's number is also taken without its leading zero, as the registry reads numbers.
    .openapi({ description, example: 'Nordland', enum: [...FYLKER_2024.flatMap(([code, name]) => [code, name]), '3'] });
}

export const listQuery = z.strictObject({
  tier: z.enum(['1', '2', '3', 'none']).optional().openapi({ description: "Only kommuner in this tier; 'none' for unclassified ones." }),
  fylke: fylkeParam('Only kommuner in this county (2024 division): its number (18) or its name (Nordland).'),
  min: numberParam(0, 100, 'Lowest total score, inclusive. With a max below it nothing matches.'),
  max: numberParam(0, 100, 'Highest total score, inclusive.'),
  minCoverage: numberParam(0, 1, 'Lowest coverage (0–1), inclusive: the share of the model’s points whose inputs were present.'),
  sort: z
    .enum(SORT_VALUES)
    .optional()
    .openapi({ description: 'Sort key; a leading - sorts descending. Ties: higher score, then name. Default -score (best first).', default: '-score' }),
  limit: integerParam(1, MAX_LIMIT, DEFAULT_LIMIT, `Page size, 1–${MAX_LIMIT}. Default ${DEFAULT_LIMIT} for JSON; exports return every match unless a limit is given.`),
  offset: integerParam(0, 100_000, 0, 'Items to skip.'),
  format: z
    .enum(['json', 'csv', 'geojson'])
    .optional()
    .openapi({ description: 'json (default, paged), csv (RFC 4180 with a header) or geojson (FeatureCollection of the boundaries with these properties).', default: 'json' }),
  model: modelParam,
});

export const nrParam = z.object({
  nr: z
    .string()
    .regex(/^\d{4}$/, 'must be a four-digit kommune number')
    .openapi({ param: { name: 'nr', in: 'path' }, description: 'Kommune number (2024 division), or a pre-2024 number that maps to one.', example: '1804' }),
});

export const historyQuery = z.strictObject({
  limit: integerParam(1, 100, 20, 'Runs to return, newest first, 1–100.'),
  model: modelParam,
});

export const ModelRef = z
  .object({
    id: z.string(),
    version: z.string(),
    scoreRun: z.number().int().nullable(),
    scoredAt: z.iso.datetime().nullable(),
  })
  .openapi('ModelRef', { description: 'The scoring model and the run the figures come from.' });

export const KommuneItem = z
  .object({
    code: z.string().regex(/^\d{4}$/),
    name: z.string(),
    county: z.string(),
    countyCode: z.string().regex(/^\d{2}$/),
    total: z.number().openapi({ description: 'Points earned, 0–100.' }),
    maxPossible: z.number().openapi({ description: 'The total if every rule with missing inputs gave its maximum.' }),
    coverage: z.number().min(0).max(1),
    tier,
    tierStatus,
  })
  .openapi('KommuneItem');

export const KommuneList = z
  .object({
    total: z.number().int().openapi({ description: 'Matching kommuner before paging.' }),
    offset: z.number().int(),
    limit: z.number().int(),
    items: z.array(KommuneItem),
    model: ModelRef,
  })
  .openapi('KommuneList');

const position = z.array(z.number()).min(2);
const polygon = z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) });
const multiPolygon = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) });

export const KommuneFeatureCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.union([polygon, multiPolygon]).nullable().openapi({ description: 'WGS84; null when no boundary is stored.' }),
        properties: KommuneItem,
      }),
    ),
  })
  .openapi('KommuneFeatureCollection', { description: 'RFC 7946 GeoJSON.' });

const sourceList = z.array(z.string()).openapi({ description: 'Publisher and table (and period for rules), e.g. "ssb 07459 2025".' });

export const Redirect = z
  .object({
    from: z.object({ code: z.string(), name: z.string() }),
    to: z.string(),
    note: z.string(),
  })
  .nullable()
  .openapi('Redirect', { description: 'Set when a pre-2024 kommune number was asked for: the figures are those of the 2024 kommune it maps to.' });

export const AppendixB = z
  .object({
    municipality_code: z.string(),
    municipality_name: z.string(),
    county: z.string(),
    demographic_score: z.number().nullable(),
    economic_score: z.number().nullable(),
    political_score: z.number().nullable(),
    property_score: z.number().nullable(),
    total_score: z.number(),
    max_possible_score: z.number(),
    tier,
    tier_status: tierStatus,
    coverage: z.number().min(0).max(1),
    key_indicators: z.record(
      z.string(),
      z.object({
        value: z.number().nullable(),
        unit: z.string(),
        period: z.string().nullable(),
        national: z.number().nullable(),
        national_method: z.enum(['published', 'sum', 'population-weighted-mean', 'sales-weighted-mean', 'ratio-of-sums']).nullable(),
        sources: sourceList,
        missing_reason: z.string().nullable(),
      }),
    ),
    categories: z
      .array(z.object({ id: z.string(), label: z.string(), points: z.number(), max: z.number(), coverage: z.number().min(0).max(1) }))
      .openapi({ description: "The model's categories (points model) or pillars (percentile model) with their points and the share of their weight with data." }),
    rules: z.array(
      z.object({
        rule: z.string(),
        category: z.string(),
        points: z.number().nullable().openapi({ description: 'null when an input is missing (or, for a percentile model, the indicator is not ranked yet): not scored.' }),
        max_points: z.number(),
        value: z.number().nullable(),
        unit: z.string().nullable(),
        period: z.string().nullable(),
        percentile: z.number().min(0).max(1).nullable().openapi({ description: 'Percentile models: the rank among all kommuner in the favourable direction (1 = best); null otherwise.' }),
        sources: sourceList,
      }),
    ),
    gates: z
      .array(z.object({ id: z.string(), kind: z.enum(['flag', 'pillar-minimum']), holds: z.boolean(), cap_tier: z.number().int(), reason: z.string() }))
      .openapi({ description: 'Red flags and pillar minimums that cap the tier (percentile models); empty for points models.' }),
    other_models: z
      .array(z.object({ id: z.string(), total: z.number().nullable(), tier: tier }))
      .openapi({ description: "The same kommune in the service's other models." }),
    model: z.object({ id: z.string(), version: z.string(), score_run: z.number().int().nullable(), scored_at: z.iso.datetime().nullable() }),
    redirect: Redirect,
  })
  .openapi('AppendixB', { description: "The planning report's Appendix B record (its snake_case field names), with rule-level detail and sources." });

export const History = z
  .object({
    code: z.string(),
    name: z.string(),
    redirect: Redirect,
    model: z.object({ id: z.string() }),
    items: z.array(
      z.object({
        runId: z.number().int(),
        modelVersion: z.string(),
        scoredAt: z.iso.datetime(),
        total: z.number(),
        maxPossible: z.number(),
        coverage: z.number().min(0).max(1),
        tier,
        tierStatus,
      }),
    ),
  })
  .openapi('History', { description: 'Score and tier over score runs, newest first.' });

const ValidationRanking = z
  .object({
    id: z.string().openapi({ description: "A model id, or 'befolkning' (sorted by population) / 'tilfeldig' (the random expectation)." }),
    kind: z.enum(['model', 'baseline']),
    label: z.object({ nb: z.string(), en: z.string() }),
    n: z.number().int().openapi({ description: 'Cases for (the kommuner the figures measure).' }),
    meanPercentile: z.number().openapi({ description: 'Mean percentile rank of the cases: 1 = top of 357, 0.5 = chance.' }),
    top25: z.number(),
    top50: z.number(),
    auc: z.number().openapi({ description: 'ROC AUC: the chance that a case ranks above a kommune that is not a case (ties count half).' }),
    cases: z.array(
      z.object({
        code: z.string(),
        rank: z.number().nullable(),
        percentile: z.number().nullable(),
        tier: tier.optional(),
      }),
    ),
  })
  .openapi('ValidationRanking');

export const ValidationReport = z
  .object({
    kommuner: z.number().int(),
    cases: z.array(
      z.object({
        kommune: z.object({ code: z.string(), name: z.string(), county: z.string() }),
        positive: z.boolean(),
        lines: z.array(z.number().int().nullable()),
        mappedFrom: z.object({ code: z.string(), name: z.string() }).nullable(),
      }),
    ),
    duplicates: z.number().int(),
    rankings: z.array(ValidationRanking),
    best: z.string().nullable(),
  })
  .openapi('ValidationReport', { description: 'Every model and two baselines against a list of kommuner with documented outcomes.' });

export const Models = z
  .object({
    active: z.string().openapi({ description: "Id of the deployment's default model (TOMTE_MODEL); every model is scored in every run." }),
    items: z.array(modelSchema.meta({ id: 'ScoringModel', description: 'A scoring model as data: categories and rules (points) or pillars, indicators and gates (percentile), parameters and the tier rule.' })),
    validation: ValidationReport.nullable().openapi({ description: 'Every model against the bundled known cases (data/fasit/kjente-tilfeller.csv); null where the deployment has none.' }),
  })
  .openapi('Models');

const caseItem = z.union([z.string(), z.object({ kommunenummer: z.string(), label: z.union([z.boolean(), z.string()]).optional() })]);

export const ValidationCases = z
  .union([z.object({ cases: z.array(caseItem) }), z.array(caseItem)])
  .openapi('ValidationCases', { description: 'Kommune numbers (or names), optionally labelled (false / "negative" for a case against): { "cases": [...] } or a plain array.' });

export const ApiError = z
  .object({
    code: z.string().openapi({ example: 'NOT_FOUND' }),
    message: z.string(),
  })
  .openapi('Error', { description: 'Messages are in English: the API is for analysts and systems.' });

export const BadRequest = z
  .object({
    code: z.literal('BAD_PARAMETER'),
    message: z.string(),
    issues: z.array(
      z.object({
        parameter: z.string(),
        in: z.enum(['query', 'path', 'body']),
        message: z.string(),
      }),
    ),
  })
  .openapi('BadRequest');

export const Ambiguous = z
  .object({
    code: z.literal('AMBIGUOUS'),
    message: z.string(),
    candidates: z.array(z.object({ code: z.string(), name: z.string(), county: z.string(), href: z.string() })),
  })
  .openapi('Ambiguous', { description: 'A pre-2024 number whose kommune was split: pick one of the candidates.' });

// --- Lots ----------------------------------------------------------------------------------------

export const MAX_LOT_LIMIT = 1000;
export const DEFAULT_LOT_LIMIT = 100;

/** "a,b,…": `n` comma-separated decimal numbers. */
function numberList(value: string, n: number): number[] | null {
  const parts = value.split(',');
  if (parts.length !== n || !parts.every((p) => /^\s*-?\d+(\.\d+)?\s*$/.test(p))) return null;
  return parts.map(Number);
}

const lonOk = (x: number) => x >= -180 && x <= 180;
const latOk = (x: number) => x >= -90 && x <= 90;

// The same numbers as regular expressions, for the document: the pattern accepts exactly what the
// checks below accept, so a client (or schemathesis) generating from the document is never refused.
const LON = String.raw`-?0*(?:180(?:\.0+)?|(?:1[0-7]\d|\d{1,2})(?:\.\d+)?)`;
const LAT = String.raw`-?0*(?:90(?:\.0+)?|[0-8]?\d(?:\.\d+)?)`;
const item = (re: string) => String.raw`\s*${re}\s*`;
export const BBOX_PATTERN = `^${[LON, LAT, LON, LAT].map(item).join(',')}$`;
export const PUNKT_PATTERN = `^${[LAT, LON].map(item).join(',')}$`;

const bboxParam = z
  .string()
  .transform((v, ctx) => {
    const n = numberList(v, 4);
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!n) return fail('must be four numbers: minLon,minLat,maxLon,maxLat');
    const [w, s, e, nn] = n as [number, number, number, number];
    if (!lonOk(w) || !lonOk(e)) return fail('longitudes must be between -180 and 180');
    if (!latOk(s) || !latOk(nn)) return fail('latitudes must be between -90 and 90');
    return [w, s, e, nn] as [number, number, number, number];
  })
  .optional()
  .openapi({
    type: 'string',
    pattern: BBOX_PATTERN,
    description: 'Only lots whose centroid is inside this WGS84 box, inclusive: minLon,minLat,maxLon,maxLat. A box whose minimum is above its maximum matches nothing.',
    example: '14.2,67.2,14.6,67.35',
  });

const punktParam = z
  .string()
  .transform((v, ctx) => {
    const n = numberList(v, 2);
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!n) return fail('must be two numbers: lat,lon');
    const [lat, lon] = n as [number, number];
    if (!latOk(lat)) return fail(`latitude ${lat} must be between -90 and 90 (the order is lat,lon)`);
    if (!lonOk(lon)) return fail(`longitude ${lon} must be between -180 and 180`);
    return { lat, lon };
  })
  .optional()
  .openapi({
    type: 'string',
    pattern: PUNKT_PATTERN,
    description: 'A WGS84 point, lat,lon: answers with the kommune whose stored boundary contains it and that kommune’s lots.',
    example: '67.28,14.40',
  });

const lotFormat = z
  .enum(['json', 'geojson'])
  .optional()
  .openapi({ description: 'json (default) or geojson (FeatureCollection of the lot outlines with the Lot properties, application/geo+json).', default: 'json' });

export const kommuneLotsQuery = z.strictObject({ format: lotFormat });

export const lotsQuery = z.strictObject({
  fylke: fylkeParam('Only lots in this county (2024 division): its number (18) or its name (Nordland).'),
  kommune: z
    .string()
    .regex(/^\d{4}$/, 'must be a four-digit kommune number')
    .optional()
    .openapi({ description: 'Only lots in this kommune: its number (2024 division, or a pre-2024 number that maps to one). An unknown number is 404, a split pre-2024 one 300.', example: '1804' }),
  minAreal: numberParam(0, 1e9, 'Smallest area in m², inclusive.'),
  bbox: bboxParam,
  punkt: punktParam,
  limit: integerParam(1, MAX_LOT_LIMIT, DEFAULT_LOT_LIMIT, `Page size, 1–${MAX_LOT_LIMIT}. Default ${DEFAULT_LOT_LIMIT} for JSON; geojson returns every match unless a limit is given.`),
  offset: integerParam(0, 1_000_000, 0, 'Lots to skip.'),
  format: lotFormat,
});

const KommuneRef = z.object({ code: z.string().regex(/^\d{4}$/), name: z.string() }).openapi('KommuneRef');

export const Lot = z
  .object({
    key: z.string().openapi({ description: 'Matrikkel number when known, else the source’s feature id; unique within the source.' }),
    sourceId: z.string(),
    name: z.string().nullable().openapi({ description: 'The name the source gives the lot, if any.' }),
    kommune: KommuneRef.nullable().openapi({ description: 'The kommune holding the larger part of the lot; null when it lies in none.' }),
    areaM2: z.number().openapi({ description: 'Area in m² on the ellipsoid, from the outline.' }),
    zoningShare: z.number().min(0).max(1).nullable().openapi({ description: 'Share in residential zoning (0–1); null when unknown.' }),
    crossesBorder: z.boolean(),
    kommuneShare: z.number().min(0).max(1).nullable().openapi({ description: 'Share of the lot inside its kommune (< 1 when it crosses a border).' }),
    centroid: z.object({ lon: z.number(), lat: z.number() }).openapi({ description: 'Centre of mass, WGS84.' }),
    firstSeenAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
  })
  .openapi('Lot', { description: 'An open (not withdrawn) lot from a configured lot source.' });

export const KommuneLots = z
  .object({
    code: z.string(),
    name: z.string(),
    redirect: Redirect,
    total: z.number().int(),
    items: z.array(Lot),
  })
  .openapi('KommuneLots', { description: 'The open lots of one kommune, oldest first.' });

export const LotList = z
  .object({
    total: z.number().int().openapi({ description: 'Matching lots before paging.' }),
    offset: z.number().int(),
    limit: z.number().int(),
    items: z.array(Lot),
  })
  .openapi('LotList');

export const LotsAtPoint = z
  .object({
    kommune: KommuneRef.nullable().openapi({ description: 'The kommune containing punkt; null at sea, abroad or where no boundary is stored.' }),
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
    lots: z.array(Lot),
  })
  .openapi('LotsAtPoint', { description: 'The answer to punkt: the kommune there and its lots.' });

export const LotFeatureCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string().openapi({ description: 'sourceId/key.' }),
        geometry: z.union([polygon, multiPolygon]).openapi({ description: 'The lot outline, WGS84.' }),
        properties: Lot,
      }),
    ),
  })
  .openapi('LotFeatureCollection', { description: 'RFC 7946 GeoJSON.' });
