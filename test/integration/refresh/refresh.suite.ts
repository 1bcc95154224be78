/**
 * The live refresh (src/services/refresh-sources.ts) against SSB PxWebApi v2 and Kartverket
 * kommuneinfo served by msw from the bundled snapshot (test/support/ssb-mock.ts), on PGlite and,
 * with TOMTE_TEST_PG_URL, on PostgreSQL. One database per backend, loaded and scored once: the
 * full-refresh tests run first (offline, full, unchanged, job, registry), then the fault tests
 * start from the state they leave, and the progress tests last (they move the clock into SSB's
 * quiet window). Declared in full-refresh.suite.ts and faults.suite.ts; run by refresh.pglite.test.ts
 * and refresh.postgres.test.ts, one file per backend so the two run in parallel.
 */
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import type { TestDb } from '../../support/db';
import type { TemplateKind } from '../../support/templates';
import { server, useMsw } from '../../support/msw';
import { createKartverketMock, createSsbMock } from '../../support/ssb-mock';
import { faultTests, progressTests } from './faults.suite';
import { fullRefreshTests } from './full-refresh.suite';
import { latestScores, openRefreshEnv, type RefreshContext } from './harness';

export function refreshSuite(open: (kind?: TemplateKind) => Promise<TestDb>): void {
  useMsw();
  const ctx = { ssb: createSsbMock(), kartverket: createKartverketMock() } as RefreshContext;

  beforeAll(async () => {
    ctx.env = await openRefreshEnv(open);
    ctx.snapshotScores = await latestScores(ctx.env.deps);
  });
  afterAll(async () => {
    await ctx.env?.close();
  });
  // useMsw's afterEach drops per-test handlers, so every test gets them anew.
  beforeEach(() => server.use(...ctx.ssb.handlers, ...ctx.kartverket.handlers));

  describe('full refresh, registry and job', () => fullRefreshTests(ctx));
  describe('faults, one table at a time', () => faultTests(ctx));
  describe('progress per table: waits, phases and the log', () => progressTests(ctx));
}
