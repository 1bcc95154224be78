/**
 * The refresh-lots job through the real fetch path (guarded fetch, local HTTPS server with the test
 * CA): sources are fetched side by side, a hanging one delays no other beyond its own deadline,
 * and a failing source records a short reason of ours, never the upstream's words.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../adapters/node/guarded-fetch';
import { createSourceHttp } from '../../../adapters/node/http';
import { lotsJob } from '../../../jobs/lots';
import { handleCommand } from '../../../src/chat/commands';
import type { Actor } from '../../../src/domain/access';
import { createLogger } from '../../../src/lib/logger';
import { parseAllowList } from '../../../src/lib/outbound-policy';
import { ReadModel } from '../../../src/services/read-model';
import { parseBoundaries } from '../../../src/sources/geojson-boundaries';
import { getLotSource, openLotsInKommune, upsertLotSource } from '../../../src/store/repos/lots';
import { describeEachBackend, type TestDb } from '../../support/db';
import { inside, lotFeature, square } from '../../support/lots';
import { prepareRuntime, testDeps } from '../../support/runtime';
import { startTlsServer, TEST_CA, type TlsServer } from '../../support/tls-server';

const bundled = parseBoundaries(JSON.parse(readFileSync(new URL('../../../data/kommuner-2024.geojson', import.meta.url), 'utf8')) as unknown);
const [bodo] = inside(bundled, '1804', 1, 120);
const FEED = JSON.stringify({ type: 'FeatureCollection', features: [lotFeature('1804-138/2757', 'Tomt ved Rønvikleira', square(...bodo!, 60))] });
const ADMIN: Actor = { platform: 'slack', userId: 'U0ADMIN01', workspace: 'T0TOMTE01', isAdmin: async () => true };

let srv: TlsServer;
let releaseSlow: () => void = () => {};
beforeAll(async () => {
  srv = await startTlsServer();
  srv.route('/fast.geojson', (_req, res) => res.writeHead(200, { 'content-type': 'application/geo+json' }).end(FEED));
  // Answers only when the test lets it (or never: the deadline ends it).
  srv.route('/slow.geojson', (_req, res) => {
    releaseSlow = () => res.writeHead(200, { 'content-type': 'application/geo+json' }).end(FEED);
  });
  srv.route('/denied.geojson', (_req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('AccessKeyId=AKIAEXAMPLE denied for arn:aws:iam::123456789012'));
  srv.route('/html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Internal wiki: db password hunter2</body></html>'));
});
afterAll(() => srv.close());

describeEachBackend('refresh-lots job', (open) => {
  // One scored database for the file; each test adds sources of its own (others are not due again).
  let t: TestDb;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await open();
    await prepareRuntime(t.db);
  });
  beforeEach(() => {
    lines.length = 0;
  });
  afterAll(async () => {
    await t.close();
  });

  const deps = () => {
    // The test server stands in for kommune servers: *.tomte.test resolves to it, allowed on purpose.
    const policy = { allow: parseAllowList(['*.tomte.test']), resolve: async () => ['127.0.0.1'] };
    const base = testDeps(t.db);
    return { ...base, logger: createLogger({ level: 'info', write: (l) => lines.push(l) }), outbound: policy, makeHttp: createSourceHttp({ fetch: createGuardedFetch(policy, { ca: TEST_CA }), policy }) };
  };
  const addSource = (id: string, path: string) =>
    upsertLotSource(t.db, { id, kind: 'geojson', config: { id, kind: 'geojson', url: `https://${id}.tomte.test:${srv.port}${path}`, kommuneCode: '1804', cadence: 'daily' }, cadence: 'daily', createdBy: 'U0ADMIN01', createdAt: new Date('2026-01-01T00:00:00Z') });

  it('a hanging source does not hold the others: they are stored while it waits', async () => {
    await addSource('slow', '/slow.geojson');
    await addSource('fast', '/fast.geojson');
    const d = deps();
    const job = lotsJob('refresh-lots', '5 * * * *', { sourceDeadlineMs: 60_000 });
    const run = job.run(d, { now: new Date('2026-01-15T06:00:00Z'), slot: '2026-01-15T06:00Z' });
    // The fast source is fetched and stored while the slow one has not answered.
    for (let i = 0; i < 500 && (await getLotSource(t.db, 'fast'))?.lastSuccessAt == null; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await getLotSource(t.db, 'fast'))?.lastSuccessAt).not.toBeNull();
    expect(await openLotsInKommune(t.db, '1804')).toHaveLength(1);
    expect((await getLotSource(t.db, 'slow'))?.lastFetchAt).toBeNull();
    releaseSlow();
    const summary = await run;
    expect(summary).toMatchObject({ fast: { new: 1 }, slow: { new: 1 } });
  });

  it('a source past its deadline fails as a timeout and the job ends', async () => {
    await addSource('hanging', '/slow.geojson');
    const job = lotsJob('refresh-lots', '5 * * * *', { sourceDeadlineMs: 300 });
    const summary = await job.run(deps(), { now: new Date('2026-01-15T06:00:00Z'), slot: '2026-01-15T06:00Z' });
    expect(summary).toMatchObject({ hanging: { failed: 'timeout' } });
    expect(Object.keys(summary)).not.toContain('fast');
    expect((await getLotSource(t.db, 'hanging'))?.lastError).toBe('timeout');
    releaseSlow = () => {};
  });

  it('upstream words reach neither the database, the log nor chat: a short reason of ours does', async () => {
    await addSource('denied', '/denied.geojson');
    await addSource('wiki', '/html');
    // A stored URL that now points inside (an old row): refused at fetch.
    await upsertLotSource(t.db, { id: 'inside', kind: 'geojson', config: { id: 'inside', kind: 'geojson', url: 'https://169.254.169.254/latest/meta-data/', cadence: 'daily' }, cadence: 'daily', createdBy: 'U0ADMIN01', createdAt: new Date('2026-01-01T00:00:00Z') });
    const d = deps();
    const summary = await lotsJob('refresh-lots', '5 * * * *').run(d, { now: new Date('2026-01-15T06:00:00Z'), slot: '2026-01-15T06:00Z' });
    expect(summary).toMatchObject({ denied: { failed: 'http:403' }, wiki: { failed: 'invalid' }, inside: { failed: 'blocked' } });
    expect((await getLotSource(t.db, 'denied'))?.lastError).toBe('http:403');
    const log = lines.join('\n');
    expect(log).not.toMatch(/AccessKeyId|AKIA|arn:aws|hunter2|Internal wiki/);
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'lot source failed' && l.source === 'denied');
    expect(failed).toMatchObject({ reason: 'http:403', status: 403, body_length: 'AccessKeyId=AKIAEXAMPLE denied for arn:aws:iam::123456789012'.length, body_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const rm = await ReadModel.load(d);
    const reply = await handleCommand({ rm, lang: 'nb', actor: ADMIN, place: { platform: 'slack', target: 'C0TOMTE01', targetName: 'tomter', user: ADMIN.userId } }, 'tomtekilder');
    const text = JSON.stringify(reply);
    expect(text).toContain('svarte 403');
    expect(text).toContain('ugyldig GeoJSON');
    expect(text).toContain('adressen er ikke tillatt');
    expect(text).not.toMatch(/AccessKeyId|AKIA|hunter2|Internal wiki/);
  });
});
