/**
 * The REST API on the real scored snapshot (PGlite): every response is checked against the
 * emitted OpenAPI 3.1 document with an independent JSON Schema validator (Ajv, draft 2020-12),
 * plus auth, parameter errors, exports and filter/sort/paging semantics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed2026 } from '../../src/domain/scoring/models/seed-2026';
import { apiMounts, createApi } from '../../src/http/api';
import type { OpenApiDocument } from '../../src/http/api/docs-html';
import { createApp } from '../../src/http/app';
import { parseCsv } from '../../src/lib/csv';
import { silentLogger } from '../../src/lib/logger';
import type { ReadModel } from '../../src/services/read-model';
import { backends, type TestDb } from '../support/db';
import { openApiConformance } from '../support/openapi';
import { prepareRuntime } from '../support/runtime';

const TOKEN = 'test-token-0123456789abcdefghij';
const OTHER = 'second-token-ABCDEFGHIJKLMNOPQRS';
const AUTH = { authorization: `Bearer ${TOKEN}` };

interface Item {
  code: string;
  name: string;
  county: string;
  countyCode: string;
  total: number;
  maxPossible: number;
  coverage: number;
  tier: 1 | 2 | 3 | null;
  tierStatus: string;
}
interface List {
  total: number;
  offset: number;
  limit: number;
  items: Item[];
}

let testDb: TestDb;
let rm: ReadModel;
let app: ReturnType<typeof createApp>;
let doc: OpenApiDocument;
const conformance = openApiConformance();
const ajv = conformance.ajv;

beforeAll(async () => {
  testDb = await backends.find((b) => b.name === 'pglite')!.open('seed');
  rm = (await prepareRuntime(testDb.db)).readModel;
  app = createApp({
    logger: silentLogger,
    ready: () => true,
    version: 'test',
    mounts: apiMounts({ tokens: [TOKEN, OTHER], getReadModel: () => rm, version: 'test' }),
  });
  doc = (await (await app.request('/api/v1/openapi.json')).json()) as OpenApiDocument;
  conformance.use(doc);
});
afterAll(async () => {
  await testDb?.close();
});

const expectConforms = conformance.expectConforms;

/** GET through the whole app; the response is checked against the document before it is returned. */
async function call(template: string, url: string, headers: Record<string, string> = AUTH, on = app) {
  const res = await on.request(`/api/v1${url}`, { headers });
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const text = await res.text();
  const body: unknown = mediaType === 'text/csv' ? text : JSON.parse(text);
  expectConforms(template, res.status, mediaType, body);
  for (const [name, h] of Object.entries(doc.paths[template]!.get!.responses[String(res.status)]!.headers ?? {})) {
    if ((h as { required?: boolean }).required) expect(res.headers.get(name), `${url}: header ${name}`).not.toBeNull();
  }
  return { res, body: body as never, text };
}

async function list(query: string): Promise<List> {
  const { res, body } = await call('/kommuner', `/kommuner${query}`);
  expect(res.status).toBe(200);
  return body;
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer security, and every operation documents its parameters and errors', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    expect((doc as unknown as { security: unknown }).security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components?.securitySchemes?.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths).sort()).toEqual(['/kommuner', '/kommuner/{nr}', '/kommuner/{nr}/historikk', '/kommuner/{nr}/tomter', '/modeller', '/tomter', '/validering']);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      const op = (item.get ?? (item as { post?: typeof item.get }).post)!;
      expect(op.operationId).toBeTruthy();
      expect(ids.has(op.operationId!)).toBe(false);
      ids.add(op.operationId!);
      expect(op.summary).toBeTruthy();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        expect(op.parameters).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
      }
    }
  });

  it('every $ref resolves and every schema is valid JSON Schema 2020-12', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
  });

  it('is served without a token at /api/v1/openapi.json and /openapi.json, even when the API is not configured', async () => {
    const top = await app.request('/openapi.json');
    expect(top.status).toBe(200);
    expect(await top.json()).toEqual(doc);
    const off = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: apiMounts({ tokens: [], getReadModel: () => rm, version: 'test' }) });
    expect((await off.request('/api/v1/openapi.json')).status).toBe(200);
  });

  it('/docs is a self-contained HTML reference of every operation, parameter and schema', async () => {
    for (const path of ['/docs', '/api/v1/docs']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
      const html = await res.text();
      expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
      for (const p of Object.keys(doc.paths)) expect(html).toContain(`<code>${p}</code>`);
      for (const name of ['tier', 'fylke', 'minCoverage', 'sort', 'limit', 'offset', 'format', 'nr']) expect(html).toContain(`<code>${name}</code>`);
      for (const schema of Object.keys(doc.components!.schemas!)) expect(html).toContain(`id="schema-${schema}"`);
    }
  });
});

describe('auth', () => {
  const routes = [
    ['/kommuner', '/kommuner'],
    ['/kommuner/{nr}', '/kommuner/1804'],
    ['/kommuner/{nr}/historikk', '/kommuner/1804/historikk'],
    ['/modeller', '/modeller'],
  ] as const;

  it.each(routes)('%s without a token → 401 with WWW-Authenticate: Bearer', async (template, url) => {
    const { res, body } = await call(template, url, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tomte"');
    expect(body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a wrong token, another scheme or a token prefix → 401 invalid_token; both configured tokens work', async () => {
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${'y'.repeat(30)}`]) {
      const { res } = await call('/kommuner', '/kommuner?limit=1', { authorization });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="tomte", error="invalid_token"');
    }
    expect((await call('/kommuner', '/kommuner?limit=1', { authorization: `Basic ${TOKEN}` })).res.status).toBe(401);
    expect((await call('/kommuner', '/kommuner?limit=1', { authorization: `bearer ${OTHER}` })).res.status).toBe(200);
    expect((await call('/kommuner', '/kommuner?limit=1', AUTH)).res.status).toBe(200);
  });

  it('an unknown route under /api/v1 also needs the token', async () => {
    expect((await app.request('/api/v1/nope')).status).toBe(401);
    expect((await app.request('/api/v1/nope', { headers: AUTH })).status).toBe(404);
  });

  it('no tokens configured → 503 NOT_CONFIGURED naming TOMTE_API_TOKENS, whatever is sent; health stays open', async () => {
    const off = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: apiMounts({ tokens: [], getReadModel: () => rm, version: 'test' }) });
    for (const headers of [{}, AUTH, { authorization: 'Bearer ' }]) {
      const { res, body } = await call('/kommuner', '/kommuner', headers, off);
      expect(res.status).toBe(503);
      expect(body).toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringContaining('TOMTE_API_TOKENS') });
    }
    expect((await off.request('/healthz')).status).toBe(200);
  });

  it('while starting → 503 NOT_READY after auth', async () => {
    const starting = createApp({ logger: silentLogger, ready: () => false, version: 'test', mounts: [{ path: '/api/v1', app: createApi({ tokens: [TOKEN], getReadModel: () => null, version: 'test' }) as never }] });
    expect((await call('/kommuner/{nr}', '/kommuner/1804', {}, starting)).res.status).toBe(401);
    const { res, body } = await call('/kommuner/{nr}', '/kommuner/1804', AUTH, starting);
    expect(res.status).toBe(503);
    expect(body).toMatchObject({ code: 'NOT_READY' });
  });
});

describe('bad parameters → 400 naming the parameter', () => {
  it.each([
    ['/kommuner', '/kommuner?tier=4', 'tier', /one of 1, 2, 3, none/],
    ['/kommuner', '/kommuner?tier=', 'tier', /one of/],
    ['/kommuner', '/kommuner?limit=0', 'limit', /at least 1/],
    ['/kommuner', '/kommuner?limit=358', 'limit', /at most 357/],
    ['/kommuner', '/kommuner?limit=ten', 'limit', /whole number/],
    ['/kommuner', '/kommuner?limit=1.5', 'limit', /whole number/],
    ['/kommuner', '/kommuner?limit=5&limit=6', 'limit', /more than once/],
    ['/kommuner', '/kommuner?offset=-1', 'offset', /whole number/],
    ['/kommuner', '/kommuner?sort=total', 'sort', /one of score, -score, name/],
    ['/kommuner', '/kommuner?format=xml', 'format', /one of json, csv, geojson/],
    ['/kommuner', '/kommuner?min=abc', 'min', /must be a number/],
    ['/kommuner', '/kommuner?min=', 'min', /must be a number/],
    ['/kommuner', '/kommuner?max=101', 'max', /at most 100/],
    ['/kommuner', '/kommuner?minCoverage=1.5', 'minCoverage', /at most 1/],
    ['/kommuner', '/kommuner?fylke=Atlantis', 'fylke', /no county "Atlantis".*18 Nordland/],
    ['/kommuner', '/kommuner?teir=2', 'teir', /unknown parameter/],
    ['/kommuner/{nr}', '/kommuner/bodo', 'nr', /four-digit/],
    ['/kommuner/{nr}', '/kommuner/18040', 'nr', /four-digit/],
    ['/kommuner/{nr}/historikk', '/kommuner/1804/historikk?limit=101', 'limit', /at most 100/],
    ['/modeller', '/modeller?id=seed-2026', 'id', /unknown parameter/],
  ])('%s: %s → %s', async (template, url, parameter, why) => {
    const { res, body } = await call(template, url);
    expect(res.status).toBe(400);
    const b = body as { code: string; message: string; issues: { parameter: string; message: string }[] };
    expect(b.code).toBe('BAD_PARAMETER');
    expect(b.issues.map((i) => i.parameter)).toEqual([parameter]);
    expect(b.issues[0]!.message).toMatch(why);
    expect(b.message).toContain(parameter);
  });

  it('several bad parameters are all reported', async () => {
    const { body } = await call('/kommuner', '/kommuner?tier=9&limit=0&x=1');
    expect((body as { issues: { parameter: string }[] }).issues.map((i) => i.parameter).sort()).toEqual(['limit', 'tier', 'x']);
  });
});

describe('GET /kommuner', () => {
  it('defaults: 50 of 357, best first (-score, then coverage, then name), with the model and run', async () => {
    const { res, body } = await call('/kommuner', '/kommuner');
    const l = body as List & { model: { id: string; scoreRun: number } };
    expect(res.headers.get('x-total-count')).toBe('357');
    expect(l.total).toBe(357);
    expect(l.items).toHaveLength(50);
    expect(l).toMatchObject({ offset: 0, limit: 50, model: { id: 'seed-2026', scoreRun: rm.run!.id } });
    const full = await list('?limit=357');
    for (let i = 1; i < full.items.length; i++) {
      const a = full.items[i - 1]!;
      const b = full.items[i]!;
      expect(a.total > b.total || (a.total === b.total && (a.coverage > b.coverage || (a.coverage === b.coverage && a.name.localeCompare(b.name, 'nb') <= 0)))).toBe(true);
    }
    expect(full.items.map((i) => i.code)).toEqual(expect.arrayContaining(l.items.map((i) => i.code)));
    expect(full.items.slice(0, 50)).toEqual(l.items);
  });

  it('min above max is allowed by the document and matches nothing', async () => {
    expect(await list('?min=60&max=40')).toMatchObject({ total: 0, items: [] });
  });

  it('tier=2 returns exactly the 16 Tier 2 kommuner of the snapshot', async () => {
    const expected = [...rm.scores.values()].filter((s) => s.tier === 2).map((s) => s.kommuneCode).sort();
    expect(expected).toHaveLength(16);
    const l = await list('?tier=2');
    expect(l.total).toBe(16);
    expect(l.items.map((i) => i.code).sort()).toEqual(expected);
    expect(l.items.every((i) => i.tier === 2)).toBe(true);
  });

  it('tier=1 is empty in the snapshot; tier=none lists the unclassified; the tiers add up to 357', async () => {
    const t1 = await list('?tier=1');
    expect(t1).toMatchObject({ total: 0, items: [] });
    const none = await list('?tier=none&limit=357');
    expect(none.items.every((i) => i.tier === null && i.tierStatus === 'insufficient')).toBe(true);
    const t3 = await list('?tier=3&limit=1');
    expect(none.total + t3.total + 16).toBe(357);
  });

  it('fylke by name or number: every kommune of Nordland, and only those', async () => {
    const expected = rm.registry.all().filter((k) => k.countyCode === '18').map((k) => k.code).sort();
    const byName = await list('?fylke=Nordland&limit=357');
    expect(byName.items.map((i) => i.code).sort()).toEqual(expected);
    expect(byName.items.every((i) => i.county === 'Nordland' && i.countyCode === '18')).toBe(true);
    expect(await list('?fylke=18&limit=357')).toEqual(byName);
    expect(await list('?fylke=nordland%20fylke&limit=357')).toEqual(byName);
  });

  it('min, max and minCoverage are inclusive bounds', async () => {
    const all = (await list('?limit=357')).items;
    const l = await list('?min=40&max=50&minCoverage=0.8&limit=357');
    const expected = all.filter((i) => i.total >= 40 && i.total <= 50 && i.coverage >= 0.8);
    expect(expected.length).toBeGreaterThan(0);
    expect(l.items).toEqual(expected);
  });

  it('sorts: name (Norwegian collation), -name, code, -coverage, score (worst first)', async () => {
    const byName = (await list('?sort=name&limit=357')).items.map((i) => i.name);
    expect(byName).toEqual([...byName].sort(new Intl.Collator('nb').compare));
    expect(byName.at(-1)!.startsWith('Å')).toBe(true);
    expect((await list('?sort=-name&limit=357')).items.map((i) => i.name)).toEqual([...byName].reverse());
    const byCode = (await list('?sort=code&limit=357')).items.map((i) => i.code);
    expect(byCode).toEqual([...byCode].sort());
    const cov = (await list('?sort=-coverage&limit=357')).items.map((i) => i.coverage);
    expect(cov).toEqual([...cov].sort((a, b) => b - a));
    const asc = (await list('?sort=score&limit=357')).items.map((i) => i.total);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
  });

  it('paging: pages of 100 put together are the whole ordered list, without repeats', async () => {
    const full = (await list('?sort=-score&limit=357')).items;
    const pages: Item[] = [];
    for (let offset = 0; offset < 400; offset += 100) {
      const p = await list(`?sort=-score&limit=100&offset=${offset}`);
      expect(p.total).toBe(357);
      expect(p.offset).toBe(offset);
      pages.push(...p.items);
    }
    expect(pages).toEqual(full);
    expect(new Set(pages.map((i) => i.code)).size).toBe(357);
  });
});

describe('exports', () => {
  it('format=csv: RFC 4180 with a header, CRLF, 357 rows equal to the JSON list', async () => {
    const { res, text } = await call('/kommuner', '/kommuner?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('x-total-count')).toBe('357');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.split('\r\n')[0]).toBe('code,name,county,countyCode,total,maxPossible,coverage,tier,tierStatus');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(357);
    const json = (await list('?limit=357')).items;
    expect(rows).toEqual(json.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, v === null ? '' : String(v)]))));
    // Parallel names with " - " and the Sami letters survive.
    expect(rows.some((r) => r.name!.includes(' - ') && /[áŋ]/.test(r.name!))).toBe(true);
  });

  it('format=csv applies the filters and sort, and a limit when one is given', async () => {
    expect(parseCsv((await call('/kommuner', '/kommuner?format=csv&tier=2')).text)).toHaveLength(16);
    const page = parseCsv((await call('/kommuner', '/kommuner?format=csv&sort=code&limit=5&offset=10')).text);
    expect(page.map((r) => r.code)).toEqual((await list('?sort=code&limit=5&offset=10')).items.map((i) => i.code));
  });

  it('format=geojson: a FeatureCollection of 357 kommuner with Polygon/MultiPolygon boundaries in Norway and the score properties', async () => {
    const { res, body } = await call('/kommuner', '/kommuner?format=geojson');
    expect(res.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    const fc = body as { type: string; features: { id: string; geometry: { type: string; coordinates: unknown } | null; properties: Item }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(357);
    expect(new Set(fc.features.map((f) => f.id)).size).toBe(357);
    const json = (await list('?limit=357')).items;
    expect(fc.features.map((f) => f.properties)).toEqual(json);
    const problems: string[] = [];
    for (const f of fc.features) {
      if (f.id !== f.properties.code) problems.push(`${f.id}: id is not the code`);
      if (f.geometry?.type !== 'Polygon' && f.geometry?.type !== 'MultiPolygon') {
        problems.push(`${f.id}: geometry ${f.geometry?.type}`);
        continue;
      }
      const rings = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
      for (const ring of rings.flat()) {
        if (ring.length < 4 || ring[0]![0] !== ring.at(-1)![0] || ring[0]![1] !== ring.at(-1)![1]) problems.push(`${f.id}: a ring is not closed`);
        // WGS84 longitude/latitude inside mainland Norway's box.
        if (ring.some(([lon, lat]) => !(lon! > 3 && lon! < 33 && lat! > 57 && lat! < 72))) problems.push(`${f.id}: a position outside Norway`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('format=geojson with a filter has only the matching features', async () => {
    const { body } = await call('/kommuner', '/kommuner?format=geojson&fylke=Nordland');
    const fc = body as { features: { properties: Item }[] };
    expect(fc.features).toHaveLength(rm.registry.all().filter((k) => k.countyCode === '18').length);
  });
});

describe('GET /kommuner/{nr}', () => {
  it('1804 Bodø: the Appendix B record with every rule, its points and sources', async () => {
    const { res, body } = await call('/kommuner/{nr}', '/kommuner/1804');
    expect(res.status).toBe(200);
    const b = body as { municipality_code: string; municipality_name: string; total_score: number; rules: { rule: string; points: number | null; sources: string[] }[]; redirect: unknown; model: { id: string } };
    expect(b).toMatchObject({ municipality_code: '1804', municipality_name: 'Bodø', redirect: null, model: { id: 'seed-2026' } });
    expect(b.total_score).toBe(rm.scores.get('1804')!.total);
    expect(b.rules.map((r) => r.rule)).toEqual(seed2026.rules.map((r) => r.id));
    for (const r of b.rules.filter((x) => x.points !== null)) expect(r.sources.length).toBeGreaterThan(0);
    expect(res.headers.get('content-location')).toBeNull();
  });

  it('a pre-2024 number answers with the 2024 kommune and a redirect note', async () => {
    const { res, body } = await call('/kommuner/{nr}', '/kommuner/1903');
    expect(res.status).toBe(200);
    const b = body as { municipality_code: string; redirect: { from: { code: string; name: string }; to: string; note: string } };
    expect(b.municipality_code).toBe('5503');
    expect(b.redirect).toMatchObject({ from: { code: '1903', name: 'Harstad - Hárstták' }, to: '5503' });
    expect(b.redirect.note).toContain('5503');
    expect(res.headers.get('content-location')).toBe('/api/v1/kommuner/5503');
  });

  it('a pre-2024 number of a split kommune → 300 with the candidates', async () => {
    const { res, body } = await call('/kommuner/{nr}', '/kommuner/1507');
    expect(res.status).toBe(300);
    expect(body).toMatchObject({ code: 'AMBIGUOUS', candidates: [{ code: '1508', href: '/api/v1/kommuner/1508' }, { code: '1580' }] });
  });

  it('an unknown number → 404 KOMMUNE_NOT_FOUND that names it', async () => {
    const { res, body } = await call('/kommuner/{nr}', '/kommuner/9999');
    expect(res.status).toBe(404);
    expect(body).toMatchObject({ code: 'KOMMUNE_NOT_FOUND', message: expect.stringContaining('9999') });
  });
});

describe('GET /kommuner/{nr}/historikk and /modeller', () => {
  it('history: the run of the snapshot, matching the current score; old numbers too', async () => {
    const { res, body } = await call('/kommuner/{nr}/historikk', '/kommuner/1804/historikk');
    expect(res.status).toBe(200);
    const s = rm.scores.get('1804')!;
    expect(body).toMatchObject({ code: '1804', redirect: null, items: [{ runId: rm.run!.id, total: s.total, tier: s.tier, tierStatus: s.tierStatus }] });
    const old = await call('/kommuner/{nr}/historikk', '/kommuner/1903/historikk?limit=1');
    expect(old.body).toMatchObject({ code: '5503', redirect: { to: '5503' } });
    expect((await call('/kommuner/{nr}/historikk', '/kommuner/9999/historikk')).res.status).toBe(404);
  });

  it('models: the scoring model as data, and which one is active', async () => {
    const { res, body } = await call('/modeller', '/modeller');
    expect(res.status).toBe(200);
    expect(body).toEqual({ active: 'seed-2026', items: [JSON.parse(JSON.stringify(seed2026))], validation: null });
  });
});
