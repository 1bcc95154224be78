// A configured lot source: JSON-serialisable config (stored in the database) → something that
// fetches and parses. The four kinds share one entry point so a job can run any of them.
import * as z from 'zod';
import type { LotParseResult, PlanParseResult } from '../../domain/lots/types';
import type { HttpClient } from '../../lib/http';
import type { RateLimiter } from '../../lib/rate-limiter';
import { fetchDibkPlans } from './dibk-plans';
import { EIENDOM_BASE_URL, createEiendomClient } from './eiendom-api';
import { fetchGeoJsonLots } from './geojson';
import { parseMatrikkelCsv } from './matrikkel-csv';
import { fetchTeigWfs } from './wfs-gml';

export const LOT_SOURCE_KINDS = ['geojson', 'wfs', 'matrikkel-csv', 'dibk-plans'] as const;
export type LotSourceKind = (typeof LOT_SOURCE_KINDS)[number];

/**
 * The largest response each kind may send, in bytes: a kommune's lot list is kilobytes, a WFS page
 * over one kommune a few megabytes. Past it the read stops (it is never held whole) and the fetch
 * fails as "too large".
 */
export const LOT_RESPONSE_LIMITS: Record<LotSourceKind, number> = {
  geojson: 10 * 1024 * 1024,
  wfs: 50 * 1024 * 1024,
  'matrikkel-csv': 5 * 1024 * 1024,
  'dibk-plans': 20 * 1024 * 1024,
};

/** How often the main session should fetch the source; the scheduler decides the exact times. */
export const LOT_SOURCE_CADENCES = ['hourly', 'daily', 'weekly', 'monthly'] as const;

const bboxSchema = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine(([w, s, e, n]) => w < e && s < n, 'bbox is [minLon, minLat, maxLon, maxLat] with min < max')
  .refine(([w, s, e, n]) => w >= -10 && e <= 35 && s >= 57 && n <= 82, 'bbox must lie in Norway (lon −10…35, lat 57…82)');

export const lotSourceConfigSchema = z
  .strictObject({
    /** Unique, stable id; becomes Lot.sourceId. */
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lower-case letters, digits, ".", "_" and "-"'),
    kind: z.enum(LOT_SOURCE_KINDS),
    // https only, and no user name or password: a URL is shown to administrators and written to logs.
    url: z.url({ protocol: /^https$/ }).refine((u) => !/^https:\/\/[^/?#]*@/i.test(u), 'a URL with a user name or password is not allowed'),
    /** geojson: the property with the id or matrikkelnummer. */
    idProperty: z.string().min(1).optional(),
    /** Kommune for matrikkelnumre without one (geojson, matrikkel-csv); filter for dibk-plans. */
    kommuneCode: z.string().regex(/^\d{4}$/).optional(),
    /** [minLon, minLat, maxLon, maxLat]; required for wfs, optional for dibk-plans. */
    bbox: bboxSchema.optional(),
    cadence: z.enum(LOT_SOURCE_CADENCES),
  })
  .refine((c) => c.kind !== 'wfs' || c.bbox !== undefined, { message: 'a wfs source needs a bbox (the layer covers all of Norway)', path: ['bbox'] });

export type LotSourceConfig = z.infer<typeof lotSourceConfigSchema>;

export type LotSourceResult = LotParseResult | PlanParseResult;

export const isPlanResult = (r: LotSourceResult): r is PlanParseResult => 'plans' in r;

export interface LotSource {
  readonly id: string;
  readonly kind: LotSourceKind;
  readonly config: LotSourceConfig;
  /** Fetches and parses; `now` stamps lots whose response carries no time of its own. */
  fetch(http: HttpClient, now: Date): Promise<LotSourceResult>;
}

export interface LotSourceDeps {
  /** matrikkel-csv: where the numbers are resolved. Default EIENDOM_BASE_URL. */
  eiendomBaseUrl?: string;
  /** matrikkel-csv: client for the eiendom API when it should differ from the CSV's. */
  eiendomHttp?: HttpClient;
  /** matrikkel-csv: paces the eiendom API calls (see EiendomClientOptions.limiter). */
  eiendomLimiter?: RateLimiter;
}

/** Reads a stored config; throws with the first problem's path. */
export function parseLotSourceConfig(json: unknown): LotSourceConfig {
  const r = lotSourceConfigSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`lot source config: ${i?.path.join('.') || '(root)'}: ${i?.message}`);
  }
  return r.data;
}

export function createLotSource(input: LotSourceConfig | unknown, deps: LotSourceDeps = {}): LotSource {
  const config = parseLotSourceConfig(input);
  const { id: sourceId, url } = config;
  const kommune = config.kommuneCode ? { kommuneCode: config.kommuneCode } : {};

  const limit = LOT_RESPONSE_LIMITS[config.kind];
  // Every request of the source (the eiendom API calls of a CSV too) gets the kind's limit.
  const capped = (http: HttpClient): HttpClient => ({ request: (req) => http.request({ maxBytes: limit, ...req }) });

  const run: (http: HttpClient, now: Date) => Promise<LotSourceResult> = {
    geojson: (http: HttpClient) => fetchGeoJsonLots(http, { sourceId, url, ...kommune, ...(config.idProperty ? { idProperty: config.idProperty } : {}) }),
    wfs: (http: HttpClient) => fetchTeigWfs(http, { sourceId, url, bbox: config.bbox! }),
    'dibk-plans': (http: HttpClient) => fetchDibkPlans(http, { sourceId, url, ...kommune, ...(config.bbox ? { bbox: config.bbox } : {}) }),
    'matrikkel-csv': async (http: HttpClient) => {
      const res = await http.request({ url, headers: { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1' } });
      const csv = parseMatrikkelCsv(res.text, config.kommuneCode ? { defaultKommune: config.kommuneCode } : {});
      const client = createEiendomClient(deps.eiendomHttp ?? http, {
        sourceId,
        baseUrl: deps.eiendomBaseUrl ?? EIENDOM_BASE_URL,
        ...(deps.eiendomLimiter ? { limiter: deps.eiendomLimiter } : {}),
      });
      const resolved = await client.resolve(csv.entries);
      return { lots: resolved.lots, errors: [...csv.errors.map((e) => ({ key: e.key, message: `line ${e.line}: ${e.message}` })), ...resolved.errors] };
    },
  }[config.kind];

  return {
    id: sourceId,
    kind: config.kind,
    config,
    async fetch(http, now) {
      const result = await run(capped(http), now);
      // Parsers stamp the response time; a lot without one gets `now`.
      if (!isPlanResult(result)) for (const lot of result.lots) lot.fetchedAt ??= now.toISOString();
      else for (const plan of result.plans) plan.fetchedAt ??= now.toISOString();
      return result;
    },
  };
}

