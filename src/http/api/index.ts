import { Hono, type Context } from 'hono';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { formatCsv } from '../../lib/csv';
import { kommuneBoundaries, listKommuneScores, roundCoverage, type KommuneListItem, type SortKey } from '../../services/kommune-list';
import { kommuneContaining, searchLots, type OpenLotFilter, type StoredLot } from '../../services/lots/queries';
import { appendixB } from '../../services/queries';
import { knownCasesReport } from '../../services/models';
import { parseCaseList, reportJson, validateModels, ValidationInputError } from '../../services/validation';
import type { ReadModel } from '../../services/read-model';
import type { Resolution } from '../../domain/kommune/registry';
import type { Kommune } from '../../domain/kommune/types';
import { bearerAuth } from './auth';
import { renderDocsHtml, type OpenApiDocument } from './docs-html';
import { badRequest, badRequestBody, paramIssues } from './errors';
import * as S from './schemas';

/**
 * The REST API (mounted at /api/v1): kommune scores with filters, sorting, paging and CSV/GeoJSON
 * exports, Appendix B records, score history and the scoring models. It reads the same read model
 * and services as the chat surfaces. The OpenAPI 3.1 document is generated from the route
 * schemas; /openapi.json and /docs are open (they describe the interface, hold no data), every
 * other route under /api/v1 needs a bearer token from TOMTE_API_TOKENS.
 */
export interface ApiDeps {
  /** Accepted bearer tokens (TOMTE_API_TOKENS); empty: the API answers 503 NOT_CONFIGURED. */
  tokens: readonly string[];
  /** Null while the service is starting: data routes answer 503 NOT_READY. */
  getReadModel: () => ReadModel | null;
  /** Service version, shown in the document's info. */
  version: string;
  /** Where the API is mounted; for links and the document's server URL. Default /api/v1. */
  basePath?: string;
}

type Env = { Variables: { rm: ReadModel } };

type Resolved =
  | { kind: 'found'; kommune: Kommune; redirect: z.infer<typeof S.Redirect> }
  | { kind: 'ambiguous'; body: z.infer<typeof S.Ambiguous> }
  | { kind: 'not-found'; body: z.infer<typeof S.ApiError> };

export const API_BASE_PATH = '/api/v1';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const errorResponses = {
  400: { description: 'A parameter is invalid; the body names each one and why.', content: json(S.BadRequest) },
  401: {
    description: 'Missing or wrong bearer token.',
    headers: z.object({ 'WWW-Authenticate': z.string().openapi({ example: 'Bearer realm="tomte"' }) }),
    content: json(S.ApiError),
  },
  503: { description: 'NOT_CONFIGURED: no API tokens are set (TOMTE_API_TOKENS). NOT_READY: the service is starting.', content: json(S.ApiError) },
} satisfies Record<number, unknown>;

const listRoute = createRoute({
  method: 'get',
  path: '/kommuner',
  operationId: 'listKommuner',
  summary: 'Kommuner with their scores: filter, sort, page, export',
  description:
    'All 357 kommuner of the latest score run. JSON is paged (total in the body and in X-Total-Count); format=csv and format=geojson export every match (or a page when limit is given).',
  request: { query: S.listQuery },
  responses: {
    200: {
      description: 'The matching kommuner.',
      headers: z.object({ 'X-Total-Count': z.string().openapi({ description: 'Matching kommuner before paging.' }) }),
      content: {
        ...json(S.KommuneList),
        'text/csv': { schema: z.string().openapi({ description: 'RFC 4180, UTF-8, CRLF, a header row with the KommuneItem field names.' }) },
        'application/geo+json': { schema: S.KommuneFeatureCollection },
      },
    },
    ...errorResponses,
  },
});

const detailRoute = createRoute({
  method: 'get',
  path: '/kommuner/{nr}',
  operationId: 'getKommune',
  summary: "A kommune's Appendix B record",
  description: 'Category and rule scores with values, periods and sources. A pre-2024 number is answered with the 2024 kommune it maps to and a redirect note.',
  request: { params: S.nrParam, query: S.modelQuery },
  responses: {
    200: { description: 'The record.', content: json(S.AppendixB) },
    300: { description: 'A pre-2024 number of a kommune that was split: choose a candidate.', content: json(S.Ambiguous) },
    404: { description: 'No kommune has this number (KOMMUNE_NOT_FOUND).', content: json(S.ApiError) },
    ...errorResponses,
  },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/kommuner/{nr}/historikk',
  operationId: 'getKommuneHistory',
  summary: 'Score and tier over score runs',
  request: { params: S.nrParam, query: S.historyQuery },
  responses: {
    200: { description: 'Runs, newest first.', content: json(S.History) },
    300: { description: 'A pre-2024 number of a kommune that was split: choose a candidate.', content: json(S.Ambiguous) },
    404: { description: 'No kommune has this number (KOMMUNE_NOT_FOUND).', content: json(S.ApiError) },
    ...errorResponses,
  },
});

const modelsRoute = createRoute({
  method: 'get',
  path: '/modeller',
  operationId: 'listModels',
  summary: 'The scoring models as data, with their validation',
  description: "Every model the service scores, as data; `active` is the deployment's default; `validation` checks each model and two baselines against the bundled known cases.",
  // No parameters; declared so that an unknown one is a 400 like on the other routes.
  request: { query: z.strictObject({}) },
  responses: { 200: { description: 'The models.', content: json(S.Models) }, ...errorResponses },
});

const validationRoute = createRoute({
  method: 'post',
  path: '/validering',
  operationId: 'validateModels',
  summary: 'Check the models against your own list of kommuner',
  description:
    "A list of kommuner with documented outcomes, as CSV (a header with kommunenummer, kommune or code; optional label 1/0 or evidence_type) or JSON. Every model (or the one named) and two baselines — sorted by population, and the random expectation — are ranked against it: mean percentile, hits in the top 25 and 50, ROC AUC, and each kommune's rank and tier. Pre-2024 numbers are mapped with a note; an unknown or split kommune is a 400 naming the line. The list is a sample to check with: nothing is fitted to it.",
  request: {
    query: S.modelQuery,
    body: {
      // Not `required`: the JSON schema would then be applied to CSV bodies too; the handler
      // refuses an empty list itself.
      required: false,
      content: {
        'text/csv': { schema: z.string().openapi({ example: 'kommunenummer,label\n1108,1\n3201,1\n' }) },
        'application/json': { schema: S.ValidationCases },
      },
    },
  },
  responses: {
    200: { description: 'The report.', content: json(S.ValidationReport) },
    413: { description: 'The body is over 1 MB.', content: json(S.ApiError) },
    415: { description: 'The body is neither text/csv nor application/json.', content: json(S.ApiError) },
    ...errorResponses,
  },
});

/** The largest case list the validation route reads. */
export const MAX_VALIDATION_BODY = 1024 * 1024;

const lotsContent = (list: z.ZodType) => ({ ...json(list), 'application/geo+json': { schema: S.LotFeatureCollection } });

const kommuneLotsRoute = createRoute({
  method: 'get',
  path: '/kommuner/{nr}/tomter',
  operationId: 'getKommuneLots',
  summary: 'Open lots in a kommune',
  description: 'Every open lot the configured lot sources list in this kommune (by the larger part of its area), oldest first. format=geojson exports the outlines.',
  request: { params: S.nrParam, query: S.kommuneLotsQuery },
  responses: {
    200: { description: 'The lots.', content: lotsContent(S.KommuneLots) },
    300: { description: 'A pre-2024 number of a kommune that was split: choose a candidate.', content: json(S.Ambiguous) },
    404: { description: 'No kommune has this number (KOMMUNE_NOT_FOUND).', content: json(S.ApiError) },
    ...errorResponses,
  },
});

const lotsRoute = createRoute({
  method: 'get',
  path: '/tomter',
  operationId: 'listLots',
  summary: 'Open lots across kommuner: filter, page, export',
  description:
    'Open lots with filters (fylke, kommune, minAreal, bbox on the centroid) and paging (total in the body and in X-Total-Count). With punkt=lat,lon the answer is the kommune containing the point and its lots (LotsAtPoint). format=geojson exports every match (or a page when limit is given).',
  request: { query: S.lotsQuery },
  responses: {
    200: {
      description: 'The matching lots.',
      headers: z.object({ 'X-Total-Count': z.string().openapi({ description: 'Matching lots before paging.' }) }),
      content: lotsContent(z.union([S.LotList, S.LotsAtPoint])),
    },
    300: { description: 'kommune is a pre-2024 number of a kommune that was split: choose a candidate.', content: json(S.Ambiguous) },
    404: { description: 'No kommune has the number given as kommune (KOMMUNE_NOT_FOUND).', content: json(S.ApiError) },
    ...errorResponses,
  },
});

function modelRef(rm: ReadModel) {
  return { id: rm.model.id, version: rm.model.version, scoreRun: rm.run?.id ?? null, scoredAt: rm.run?.finishedAt.toISOString() ?? null };
}

const CSV_COLUMNS = ['code', 'name', 'county', 'countyCode', 'total', 'maxPossible', 'coverage', 'tier', 'tierStatus'] as const satisfies readonly (keyof KommuneListItem)[];

export function createApi(deps: ApiDeps): OpenAPIHono<Env> {
  return buildApi(deps).api;
}

/**
 * What the composition root passes to createApp's `mounts`: the API at /api/v1, and its document
 * and reference page at the top level too (/openapi.json, /docs), both open.
 */
export function apiMounts(deps: ApiDeps): { path: string; app: Hono; maxBodyBytes?: number }[] {
  const { api, docs } = buildApi(deps);
  return [
    // The only body the API takes is a case list for /validering.
    { path: deps.basePath ?? API_BASE_PATH, app: api as unknown as Hono, maxBodyBytes: MAX_VALIDATION_BODY },
    { path: '/', app: docs },
  ];
}

function buildApi(deps: ApiDeps): { api: OpenAPIHono<Env>; docs: Hono } {
  const basePath = deps.basePath ?? API_BASE_PATH;
  const api = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) return badRequest(c, paramIssues(c, result.target, result.error));
    },
  });

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'One of the tokens in TOMTE_API_TOKENS.',
  });
  let document: OpenApiDocument | undefined;
  let docsHtml: string | undefined;
  const getDocument = (): OpenApiDocument =>
    (document ??= api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'tomte API',
        version: deps.version,
        description:
          'Scores of the 357 Norwegian kommuner for readiness to sell land for non-commercial housing. Messages are in English (the API is for analysts and systems); data keeps its Norwegian names. Every route needs a bearer token except this document and /docs.',
      },
      servers: [{ url: basePath }],
      security: [{ bearerAuth: [] }],
    }) as unknown as OpenApiDocument);
  const getDocsHtml = () => (docsHtml ??= renderDocsHtml(getDocument()));
  const serveDocument = (c: Context) => c.json(getDocument());
  const serveDocs = (c: Context) => {
    // No scripts, styles inline: the page is static text rendered from the document.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(getDocsHtml());
  };
  // Registered before the auth middleware, so these two answer without a token.
  api.get('/openapi.json', serveDocument);
  api.get('/docs', serveDocs);
  api.use('*', bearerAuth(deps.tokens));
  api.use('*', async (c, next) => {
    const rm = deps.getReadModel();
    if (!rm || !rm.run) return c.json({ code: 'NOT_READY', message: 'tomte is starting; try again in a moment.' }, 503);
    c.set('rm', rm);
    await next();
  });

  const withReport = (r: ReturnType<typeof knownCasesReport>) => (r ? reportJson(r) : null);
  /** The read model of the model a request names, else the default's. */
  const viewOf = (rm: ReadModel, model: string | undefined): ReadModel => (model ? (rm.forModel(model) ?? rm) : rm);

  api.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const rm = viewOf(c.var.rm, q.model);
    let countyCode: string | undefined;
    if (q.fylke !== undefined) {
      const county = rm.registry.resolveCounty(q.fylke);
      if (!county) {
        const known = rm.registry.counties().map((x) => `${x.code} ${x.name}`).join(', ');
        return badRequest(c, [{ parameter: 'fylke', in: 'query', message: `no county "${q.fylke}" in the 2024 division; use a number or name: ${known}` }]);
      }
      countyCode = county.code;
    }
    const format = q.format ?? 'json';
    const sort = q.sort ?? '-score';
    const limit = q.limit ?? (format === 'json' ? S.DEFAULT_LIMIT : undefined);
    const offset = q.offset ?? 0;
    const list = listKommuneScores(rm, {
      ...(q.tier !== undefined ? { tier: q.tier === 'none' ? 'none' : (Number(q.tier) as 1 | 2 | 3) } : {}),
      ...(countyCode !== undefined ? { countyCode } : {}),
      ...(q.min !== undefined ? { min: q.min } : {}),
      ...(q.max !== undefined ? { max: q.max } : {}),
      ...(q.minCoverage !== undefined ? { minCoverage: q.minCoverage } : {}),
      sort: sort.replace(/^-/, '') as SortKey,
      descending: sort.startsWith('-'),
      offset,
      ...(limit !== undefined ? { limit } : {}),
    });
    c.header('X-Total-Count', String(list.total));
    if (format === 'csv') {
      const text = formatCsv(CSV_COLUMNS, list.items.map((it) => CSV_COLUMNS.map((k) => it[k])));
      c.header('Content-Disposition', 'attachment; filename="tomte-kommuner.csv"');
      return c.body(text, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    if (format === 'geojson') {
      const boundaries = await kommuneBoundaries(rm);
      const collection = {
        type: 'FeatureCollection',
        features: list.items.map((it) => ({ type: 'Feature', id: it.code, geometry: boundaries.get(it.code) ?? null, properties: it })),
      };
      return c.body(JSON.stringify(collection), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
    }
    return c.json({ total: list.total, offset, limit: limit ?? list.items.length, items: list.items, model: modelRef(rm) }, 200);
  });

  /** Resolves {nr} to one 2024 kommune, or says why not (a split pre-2024 kommune, or none). */
  const resolveNr = (rm: ReadModel, nr: string): Resolved => {
    const res: Resolution = rm.registry.resolve(nr);
    if (res.kind === 'ambiguous') {
      const names = res.candidates.map((k) => `${k.code} ${k.name}`).join(', ');
      return {
        kind: 'ambiguous',
        body: {
          code: 'AMBIGUOUS',
          message: `Kommune number ${nr} is from before 2024 and was split; ask for one of: ${names}.`,
          candidates: res.candidates.map((k) => ({ code: k.code, name: k.name, county: k.countyName, href: `${basePath}/kommuner/${k.code}` })),
        },
      };
    }
    if (res.kind === 'not-found') {
      return { kind: 'not-found', body: { code: 'KOMMUNE_NOT_FOUND', message: `No kommune has the number ${nr}, in the 2024 division or before it.` } };
    }
    const k = res.kommune;
    const redirect = res.previous
      ? { from: res.previous, to: k.code, note: `${res.previous.code} ${res.previous.name} is a pre-2024 kommune number; it maps to ${k.code} ${k.name} in the 2024 division, whose figures these are.` }
      : null;
    return { kind: 'found', kommune: k, redirect };
  };

  api.openapi(detailRoute, (c) => {
    const rm = viewOf(c.var.rm, c.req.valid('query').model);
    const r = resolveNr(rm, c.req.valid('param').nr);
    if (r.kind === 'ambiguous') return c.json(r.body, 300);
    if (r.kind === 'not-found') return c.json(r.body, 404);
    const score = rm.scores.get(r.kommune.code);
    if (!score) return c.json({ code: 'NOT_READY', message: `${r.kommune.code} has no score in the latest run yet.` }, 503);
    if (r.redirect) c.header('Content-Location', `${basePath}/kommuner/${r.kommune.code}`);
    return c.json({ ...(appendixB(rm, r.kommune, score) as z.infer<typeof S.AppendixB>), redirect: r.redirect }, 200);
  });

  api.openapi(historyRoute, async (c) => {
    const rm = viewOf(c.var.rm, c.req.valid('query').model);
    const r = resolveNr(rm, c.req.valid('param').nr);
    if (r.kind === 'ambiguous') return c.json(r.body, 300);
    if (r.kind === 'not-found') return c.json(r.body, 404);
    const history = await rm.history(r.kommune.code, c.req.valid('query').limit ?? 20);
    if (r.redirect) c.header('Content-Location', `${basePath}/kommuner/${r.kommune.code}/historikk`);
    return c.json(
      {
        code: r.kommune.code,
        name: r.kommune.name,
        redirect: r.redirect,
        model: { id: rm.model.id },
        items: history.map((h) => ({
          runId: h.runId,
          modelVersion: h.modelVersion,
          scoredAt: h.finishedAt.toISOString(),
          total: h.total,
          maxPossible: h.maxPossible,
          coverage: roundCoverage(h.coverage),
          tier: h.tier as 1 | 2 | 3 | null,
          tierStatus: h.tierStatus as 'complete' | 'partial' | 'insufficient',
        })),
      },
      200,
    );
  });

  api.openapi(modelsRoute, (c) => {
    const rm = c.var.rm;
    return c.json({ active: rm.model.id, items: rm.all().map((v) => v.model), validation: withReport(knownCasesReport(rm)) }, 200);
  });

  api.openapi(validationRoute, async (c) => {
    const rm = c.var.rm;
    const model = c.req.valid('query').model;
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const format = type === 'application/json' ? 'json' : type === 'text/csv' || type === 'text/plain' ? 'csv' : null;
    if (!format) return c.json({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the list as text/csv or application/json.' }, 415);
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > MAX_VALIDATION_BODY) return c.json({ code: 'PAYLOAD_TOO_LARGE', message: `The list may be at most ${MAX_VALIDATION_BODY} bytes.` }, 413);
    const text = await c.req.text();
    if (text.length > MAX_VALIDATION_BODY) return c.json({ code: 'PAYLOAD_TOO_LARGE', message: `The list may be at most ${MAX_VALIDATION_BODY} bytes.` }, 413);
    try {
      const report = validateModels(rm, parseCaseList(text, format), model ? { models: [model] } : {});
      return c.json(reportJson(report) as z.infer<typeof S.ValidationReport>, 200);
    } catch (err) {
      if (!(err instanceof ValidationInputError)) throw err;
      return c.json(badRequestBody(err.problems.map((p) => ({ parameter: 'body', in: 'body' as const, message: `${p.line === null ? '' : `line ${p.line}: `}${p.message.en}` }))), 400);
    }
  });

  const lotItem = (rm: ReadModel, l: StoredLot): z.infer<typeof S.Lot> => {
    const k = l.kommuneCode === null ? undefined : rm.kommune(l.kommuneCode);
    return {
      key: l.key,
      sourceId: l.sourceId,
      name: typeof l.properties.name === 'string' ? l.properties.name : null,
      kommune: l.kommuneCode === null ? null : { code: l.kommuneCode, name: k?.name ?? l.kommuneCode },
      areaM2: l.areaM2,
      zoningShare: l.zoningShare,
      crossesBorder: l.crossesBorder,
      kommuneShare: l.kommuneShare,
      centroid: { lon: l.centroidLon, lat: l.centroidLat },
      firstSeenAt: l.firstSeenAt.toISOString(),
      lastSeenAt: l.lastSeenAt.toISOString(),
    };
  };
  const lotCollection = (c: Context, rm: ReadModel, lots: readonly StoredLot[], filename: string): Response => {
    const collection = {
      type: 'FeatureCollection',
      features: lots.map((l) => ({ type: 'Feature', id: `${l.sourceId}/${l.key}`, geometry: l.geometry, properties: lotItem(rm, l) })),
    };
    c.header('Content-Disposition', `attachment; filename="${filename}"`);
    return c.body(JSON.stringify(collection), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
  };

  api.openapi(kommuneLotsRoute, async (c) => {
    const rm = c.var.rm;
    const r = resolveNr(rm, c.req.valid('param').nr);
    if (r.kind === 'ambiguous') return c.json(r.body, 300);
    if (r.kind === 'not-found') return c.json(r.body, 404);
    const { items, total } = await searchLots(rm.deps, { kommuneCodes: [r.kommune.code] });
    if (r.redirect) c.header('Content-Location', `${basePath}/kommuner/${r.kommune.code}/tomter`);
    if (c.req.valid('query').format === 'geojson') return lotCollection(c, rm, items, `tomte-tomter-${r.kommune.code}.geojson`) as never;
    return c.json({ code: r.kommune.code, name: r.kommune.name, redirect: r.redirect, total, items: items.map((l) => lotItem(rm, l)) }, 200);
  });

  api.openapi(lotsRoute, async (c) => {
    const rm = c.var.rm;
    const q = c.req.valid('query');
    // The kommuner the lots may lie in: the intersection of fylke, kommune and punkt (absent: any).
    let codes: Set<string> | undefined;
    const restrict = (allowed: readonly string[]) => {
      codes = new Set(codes === undefined ? allowed : allowed.filter((x) => codes!.has(x)));
    };
    if (q.fylke !== undefined) {
      const county = rm.registry.resolveCounty(q.fylke);
      if (!county) {
        const known = rm.registry.counties().map((x) => `${x.code} ${x.name}`).join(', ');
        return badRequest(c, [{ parameter: 'fylke', in: 'query', message: `no county "${q.fylke}" in the 2024 division; use a number or name: ${known}` }]) as never;
      }
      restrict(rm.registry.all().filter((k) => k.countyCode === county.code).map((k) => k.code));
    }
    if (q.kommune !== undefined) {
      // As for /kommuner/{nr}: a number the document allows but no kommune has is 404, not 400.
      const r = resolveNr(rm, q.kommune);
      if (r.kind === 'ambiguous') return c.json(r.body, 300) as never;
      if (r.kind === 'not-found') return c.json(r.body, 404) as never;
      restrict([r.kommune.code]);
    }
    let atPoint: { code: string; name: string } | null | undefined;
    if (q.punkt !== undefined) {
      const k = await kommuneContaining(rm, q.punkt.lon, q.punkt.lat);
      atPoint = k ? { code: k.code, name: k.name } : null;
      restrict(k ? [k.code] : []);
    }
    const format = q.format ?? 'json';
    const limit = q.limit ?? (format === 'json' ? S.DEFAULT_LOT_LIMIT : undefined);
    const offset = q.offset ?? 0;
    const filter: OpenLotFilter = {
      ...(codes !== undefined ? { kommuneCodes: [...codes] } : {}),
      ...(q.minAreal !== undefined ? { minAreaM2: q.minAreal } : {}),
      ...(q.bbox !== undefined ? { bbox: q.bbox } : {}),
      ...(limit !== undefined ? { limit } : {}),
      offset,
    };
    const { items, total } = await searchLots(rm.deps, filter);
    c.header('X-Total-Count', String(total));
    if (format === 'geojson') return lotCollection(c, rm, items, 'tomte-tomter.geojson') as never;
    const page = { total, offset, limit: limit ?? items.length };
    const lots = items.map((l) => lotItem(rm, l));
    if (atPoint !== undefined) return c.json({ kommune: atPoint, ...page, lots }, 200);
    return c.json({ ...page, items: lots }, 200);
  });

  const docs = new Hono();
  docs.get('/openapi.json', serveDocument);
  docs.get('/docs', serveDocs);
  return { api, docs };
}
