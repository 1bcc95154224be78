// DiBK "planlegging igangsatt" (NLOD 2.0, "Kilde: DiBK"): OGC API Features collection
// `planomrade`, one feature per notice of planning start ("varsel om planoppstart").
// Personal data: features may carry `beroerteParter` (affected neighbours). Only the fields named
// below are read, so it is never kept, logged or put in an error message.
import type { ParseProblem, PlanInitiative, PlanParseResult } from '../../domain/lots/types';
import type { HttpClient } from '../../lib/http';
import { LotSourceError, absoluteHttpUrl, checkedGeometry, isRecord, parseJsonText, pickString } from './common';

export const DIBK_PLANOMRADE_URL = 'https://plandata.ft.dibk.no/services/planleggingigangsatt/collections/planomrade/items';
/** The service's documented page-size maximum. */
export const DIBK_MAX_LIMIT = 500;

export interface DibkParseResult extends PlanParseResult {
  /** The `links` entry with rel "next", when the page has one. */
  next?: string;
}

const isoDate = (v: string | undefined) => (v !== undefined && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : undefined);

/**
 * Parses one page of `planomrade/items`. A feature without id, kommunenummer, name, type, notice
 * date or a valid polygon lands in `errors`. With `kommuneCode`, plans of other kommuner are
 * skipped (not errors). Throws LotSourceError when the page is not a FeatureCollection.
 */
export function parseDibkPlans(json: unknown, opts: { sourceId: string; kommuneCode?: string; fetchedAt?: string }): DibkParseResult {
  if (!isRecord(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new LotSourceError(`${opts.sourceId}: DiBK response is not a FeatureCollection`);
  }
  const plans: PlanInitiative[] = [];
  const errors: ParseProblem[] = [];
  json.features.forEach((f: unknown, i: number) => {
    if (!isRecord(f)) {
      errors.push({ key: null, message: `feature ${i} is not an object` });
      return;
    }
    const key = typeof f.id === 'number' || (typeof f.id === 'string' && f.id !== '') ? String(f.id) : null;
    if (key === null) {
      errors.push({ key: null, message: `feature ${i} has no id` });
      return;
    }
    const p = isRecord(f.properties) ? f.properties : {};
    const napId = isRecord(p.nasjonalArealplanId) ? p.nasjonalArealplanId : {};
    const kommuneCode = pickString(napId, ['kommunenummer']);
    if (kommuneCode === undefined || !/^\d{4}$/.test(kommuneCode)) {
      // "NO" marks a state plan; tomte keys plans by kommune, so they are reported, not guessed.
      errors.push({ key, message: `nasjonalArealplanId.kommunenummer is ${JSON.stringify(kommuneCode ?? null)}, not a kommune code` });
      return;
    }
    if (opts.kommuneCode !== undefined && kommuneCode !== opts.kommuneCode) return;
    const planName = pickString(p, ['plannavn']);
    const planType = pickString(p, ['plantype']);
    const announcedAt = isoDate(pickString(p, ['kunngjøringsdatoVarselOmPlanoppstart']));
    const missing = [!planName && 'plannavn', !planType && 'plantype', !announcedAt && 'kunngjøringsdatoVarselOmPlanoppstart'].filter(Boolean);
    if (missing.length > 0) {
      errors.push({ key, message: `missing ${missing.join(', ')}` });
      return;
    }
    const geometry = checkedGeometry(f.geometry, key, errors);
    if (!geometry) return;
    const planid = pickString(napId, ['planid']);
    const link = absoluteHttpUrl(p.link);
    const planLink = absoluteHttpUrl(p.linkArealplan);
    plans.push({
      sourceId: opts.sourceId,
      key,
      kommuneCode,
      // "-" and blanks are placeholders for a plan id not yet given.
      ...(planid !== undefined && /[0-9A-Za-z]/.test(planid) ? { nationalPlanId: `${kommuneCode}-${planid}` } : {}),
      planName: planName!,
      planType: planType!,
      announcedAt: announcedAt!,
      ...(link ? { link } : {}),
      ...(planLink ? { planLink } : {}),
      geometry,
      ...(opts.fetchedAt ? { fetchedAt: opts.fetchedAt } : {}),
    });
  });
  const next = Array.isArray(json.links)
    ? json.links.find((l): l is Record<string, unknown> => isRecord(l) && l.rel === 'next' && typeof l.href === 'string')
    : undefined;
  return { plans, errors, ...(next ? { next: next.href as string } : {}) };
}

export interface DibkFetchOptions {
  sourceId: string;
  url?: string;
  /** [minLon, minLat, maxLon, maxLat] (CRS84, the OGC API default). */
  bbox?: readonly [number, number, number, number];
  kommuneCode?: string;
  /** Page size, at most DIBK_MAX_LIMIT (the default). */
  limit?: number;
  /** Default 20. */
  maxPages?: number;
}

/**
 * Fetches every page: follows `links` rel="next" (same origin only) until there is none or
 * `maxPages` pages were read; stopping early adds a batch-level error.
 */
export async function fetchDibkPlans(http: HttpClient, opts: DibkFetchOptions): Promise<PlanParseResult> {
  const limit = Math.max(1, Math.min(DIBK_MAX_LIMIT, Math.floor(opts.limit ?? DIBK_MAX_LIMIT)));
  const maxPages = opts.maxPages ?? 20;
  const first = new URL(opts.url ?? DIBK_PLANOMRADE_URL);
  first.searchParams.set('limit', String(limit));
  if (opts.bbox) first.searchParams.set('bbox', opts.bbox.join(','));
  const plans: PlanInitiative[] = [];
  const errors: ParseProblem[] = [];
  const seen = new Set<string>();
  let url: string | undefined = first.href;
  for (let page = 1; url !== undefined; page++) {
    const res = await http.request({ url, headers: { accept: 'application/geo+json, application/json' } });
    const parsed = parseDibkPlans(parseJsonText(res.text, opts.sourceId), {
      sourceId: opts.sourceId, fetchedAt: res.fetchedAt.toISOString(), ...(opts.kommuneCode ? { kommuneCode: opts.kommuneCode } : {}),
    });
    // A feature can move across a page boundary while paging: keep its first copy.
    for (const plan of parsed.plans) {
      if (seen.has(plan.key)) continue;
      seen.add(plan.key);
      plans.push(plan);
    }
    errors.push(...parsed.errors);
    url = undefined;
    if (parsed.next !== undefined) {
      const next = new URL(parsed.next, res.url);
      if (next.origin !== first.origin) errors.push({ key: null, message: `${opts.sourceId}: next link leaves ${first.origin}; not followed` });
      else if (page >= maxPages) errors.push({ key: null, message: `${opts.sourceId}: stopped after ${maxPages} pages; more plans remain` });
      else url = next.href;
    }
  }
  return { plans, errors };
}
