/**
 * The REST API with both models (issue 14): ?model= on the kommune routes, /modeller with the
 * validation figures, and POST /validering with CSV and JSON case lists, old numbers, bad lines
 * and the wrong media type. Every body is checked against the emitted OpenAPI document.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotTexts } from '../../adapters/node/bootstrap';
import { MODELS } from '../../src/domain/scoring/models';
import { apiMounts } from '../../src/http/api';
import type { OpenApiDocument } from '../../src/http/api/docs-html';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { loadSnapshot } from '../../src/services/load-snapshot';
import { ReadModel } from '../../src/services/read-model';
import { rescore } from '../../src/services/rescore';
import { backends, type TestDb } from '../support/db';
import { openApiConformance } from '../support/openapi';
import { testDeps } from '../support/runtime';

const TOKEN = 'test-token-0123456789abcdefghij';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const FASIT = readFileSync(new URL('../../data/fasit/kjente-tilfeller.csv', import.meta.url), 'utf8');

let t: TestDb;
let app: ReturnType<typeof createApp>;
const conformance = openApiConformance();

beforeAll(async () => {
  t = await backends.find((b) => b.name === 'pglite')!.open();
  const deps = { ...testDeps(t.db, MODELS), knownCases: FASIT };
  await loadSnapshot(deps, readSnapshotTexts());
  await rescore(deps, 'test');
  const rm = await ReadModel.load(deps);
  app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: apiMounts({ tokens: [TOKEN], getReadModel: () => rm, version: 'test' }) });
  conformance.use((await (await app.request('/api/v1/openapi.json')).json()) as OpenApiDocument);
});
afterAll(async () => {
  await t?.close();
});

async function get(template: string, url: string) {
  const res = await app.request(`/api/v1${url}`, { headers: AUTH });
  const body = (await res.json()) as never;
  conformance.expectConforms(template, res.status, 'application/json', body);
  return { status: res.status, body: body as Record<string, unknown> & { model: { id: string } } };
}

async function post(body: string, type: string, query = '') {
  const res = await app.request(`/api/v1/validering${query}`, { method: 'POST', headers: { ...AUTH, 'content-type': type }, body });
  const json = (await res.json()) as never;
  conformance.expectConforms('/validering', res.status, 'application/json', json, 'post');
  return { status: res.status, body: json as Record<string, unknown> };
}

type Ranking = { id: string; kind: string; n: number; meanPercentile: number; top25: number; auc: number; cases: { code: string; rank: number | null; tier?: number | null }[] };

describe('?model= on the kommune routes', () => {
  it('the list answers in the default model, or the one named', async () => {
    const def = await get('/kommuner', '/kommuner?tier=1&limit=357');
    expect(def.body.model.id).toBe('praksis-2026');
    expect(def.body.total).toBe(32);
    const seed = await get('/kommuner', '/kommuner?tier=1&model=seed-2026');
    expect(seed.body.model.id).toBe('seed-2026');
    expect(seed.body.total).toBe(0);
  });

  it('a record names the other model; history is per model', async () => {
    const r = await get('/kommuner/{nr}', '/kommuner/1804?model=seed-2026');
    expect(r.body).toMatchObject({ total_score: 20, tier: 3, model: { id: 'seed-2026' }, other_models: [{ id: 'praksis-2026', total: 79.7, tier: 1 }] });
    const p = await get('/kommuner/{nr}', '/kommuner/1804');
    expect(p.body).toMatchObject({ total_score: 79.7, tier: 1, gates: expect.arrayContaining([{ id: 'robek', kind: 'flag', holds: false, cap_tier: 2, reason: expect.any(String) }]) });
    expect((p.body.categories as { id: string; points: number }[]).map((c) => [c.id, c.points])).toEqual([['demand', 29.7], ['capacity', 21.1], ['feasibility', 28.9]]);
    const h = await get('/kommuner/{nr}/historikk', '/kommuner/1804/historikk?model=seed-2026');
    expect(h.body).toMatchObject({ model: { id: 'seed-2026' }, items: [{ total: 20 }] });
  });

  it('an unknown model is a 400 naming the parameter', async () => {
    const r = await get('/kommuner', '/kommuner?model=magi');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'BAD_PARAMETER', issues: [{ parameter: 'model', in: 'query' }] });
  });
});

describe('GET /modeller', () => {
  it('lists both models, the default active, and their validation on the bundled known cases', async () => {
    const r = await get('/modeller', '/modeller');
    expect(r.body.active).toBe('praksis-2026');
    expect((r.body.items as { id: string }[]).map((m) => m.id)).toEqual(['praksis-2026', 'seed-2026']);
    const v = r.body.validation as { best: string; rankings: Ranking[] };
    expect(v.best).toBe('praksis-2026');
    expect(v.rankings.map((x) => x.id)).toEqual(['praksis-2026', 'seed-2026', 'befolkning', 'tilfeldig']);
  });
});

describe('POST /validering', () => {
  it('the bundled sample as CSV: both models and both baselines, each listed kommune with rank and tier', async () => {
    const r = await post(FASIT, 'text/csv');
    expect(r.status).toBe(200);
    const rankings = r.body.rankings as Ranking[];
    const by = new Map(rankings.map((x) => [x.id, x]));
    expect(by.get('seed-2026')).toMatchObject({ n: 10, top25: 0 });
    expect(by.get('seed-2026')!.meanPercentile).toBeCloseTo(0.403, 3);
    expect(by.get('tilfeldig')).toMatchObject({ meanPercentile: 0.5, auc: 0.5 });
    expect(by.get('befolkning')!.auc).toBeGreaterThan(by.get('praksis-2026')!.auc);
    expect(by.get('praksis-2026')!.auc).toBeGreaterThan(by.get('seed-2026')!.auc);
    expect(by.get('praksis-2026')!.cases.find((c) => c.code === '0301')).toMatchObject({ tier: 1 });
    expect(r.body).toMatchObject({ kommuner: 357, duplicates: 14, best: 'praksis-2026' });
  });

  it('JSON lists; a pre-2024 number is mapped with a note; ?model= narrows to one model', async () => {
    const r = await post(JSON.stringify({ cases: [{ kommunenummer: '1001' }, '3201', { kommunenummer: '0301', label: 'negative' }] }), 'application/json', '?model=seed-2026');
    expect(r.status).toBe(200);
    expect((r.body.rankings as Ranking[]).map((x) => x.id)).toEqual(['seed-2026', 'befolkning', 'tilfeldig']);
    const cases = r.body.cases as { kommune: { code: string }; positive: boolean; mappedFrom: { code: string; name: string } | null }[];
    expect(cases.map((c) => [c.kommune.code, c.positive, c.mappedFrom?.code ?? null])).toEqual([
      ['4204', true, '1001'],
      ['3201', true, null],
      ['0301', false, null],
    ]);
    expect((r.body.rankings as Ranking[])[0]!.n).toBe(2);
  });

  it('an unknown or split kommune is a 400 naming the line', async () => {
    const r = await post('kommunenummer,label\n1804,1\n9999,1\n1507,1\n', 'text/csv');
    expect(r.status).toBe(400);
    const issues = (r.body as { issues: { message: string }[] }).issues.map((i) => i.message);
    expect(issues[0]).toMatch(/^line 3: no kommune "9999"/);
    expect(issues[1]).toMatch(/^line 4: "1507" was split in 2024 \(1508 Ålesund, 1580 Haram\)/);
    expect((await post('kommunenummer\n', 'text/csv')).status).toBe(400);
    expect((await post('{"cases": 5}', 'application/json')).status).toBe(400);
  });

  it('another media type is 415; a list over 1 MB is 413', async () => {
    const res = await app.request('/api/v1/validering', { method: 'POST', headers: { ...AUTH, 'content-type': 'text/html' }, body: '<p>1804</p>' });
    expect(res.status).toBe(415);
    const big = `kommunenummer\n${'1804\n'.repeat(220_000)}`;
    expect((await post(big, 'text/csv')).status).toBe(413);
  });
});
