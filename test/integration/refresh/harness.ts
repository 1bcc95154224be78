// Shared set-up for the refresh integration tests: a database with the snapshot loaded and
// scored, a virtual clock, and the HTTP clients refreshSources uses, built like production's
// (adapters/node/http.ts) on the msw-intercepted global fetch, with a fake sleep, a fixed random
// and a clock outside SSB's 07:55–08:15 quiet window.
import type { TemplateKind } from '../../support/templates';
import { eq } from 'drizzle-orm';
import { createHttpClient, type HttpClient } from '../../../src/lib/http';
import { RateLimiter } from '../../../src/lib/rate-limiter';
import type { RuleResult } from '../../../src/domain/scoring/engine';
import type { Observation } from '../../../src/domain/observation';
import { specIndicators, SSB_SPECS } from '../../../src/sources/ssb/specs';
import type { ServiceDeps } from '../../../src/services/deps';
import { refreshSources, type MakeHttpClient, type RefreshReport, type SourceGroup } from '../../../src/services/refresh-sources';
import { listObservations } from '../../../src/store/repos/observations';
import { latestScoreRun, scoresForRun, type StoredScore } from '../../../src/store/repos/scores';
import { rawResponses } from '../../../src/store/schema';
import type { Db } from '../../../src/store/db';
import type { TestDb } from '../../support/db';
import type { KartverketMock, SsbMock } from '../../support/ssb-mock';
import { prepareRuntime } from '../../support/runtime';

/** 06:00 UTC = 07:00 in Oslo (winter): outside 07:55–08:15, with room for hours of virtual time. */
export const START = new Date('2026-01-15T06:00:00.000Z');

export interface VirtualClock {
  now(): Date;
  ms(): number;
  /** Records the delay and moves the clock on; resolves at once. */
  sleep(ms: number): Promise<void>;
  readonly sleeps: number[];
}

export function virtualClock(start: Date = START): VirtualClock {
  let t = start.getTime();
  const sleeps: number[] = [];
  return {
    now: () => new Date(t),
    ms: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

export interface HttpOptions {
  /** Defaults to the global fetch, looked up per call so msw's interception applies. */
  fetch?: typeof fetch;
  /** Real milliseconds per attempt (the timeout uses real timers). Default 5,000. */
  timeoutMs?: number;
  /** Default 3, as in production. */
  retries?: number;
}

/**
 * A MakeHttpClient like createSourceHttp's: one limiter for SSB (25 calls a minute, one at a
 * time, shared by 'ssb' and 'valg') and one for Kartverket, SSB's quiet window and problem titles, 3 retries with a
 * 500 ms backoff base; time, sleep and jitter come from the virtual clock.
 */
export function testMakeHttp(clock: VirtualClock, opts: HttpOptions = {}): MakeHttpClient {
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const ssbLimiter = new RateLimiter({ maxPerMinute: 25, now: clock.ms, sleep: clock.sleep });
  const kartverketLimiter = new RateLimiter({ maxPerMinute: 60, now: clock.ms, sleep: clock.sleep });
  const robekLimiter = new RateLimiter({ maxPerMinute: 10, now: clock.ms, sleep: clock.sleep });
  return (source, onResponse, hooks): HttpClient => {
    const isSsb = source === 'ssb' || source === 'valg' || source === 'klass';
    return createHttpClient({
      source: isSsb ? 'ssb' : source,
      fetch: doFetch,
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
      limiter: isSsb ? ssbLimiter : source === 'robek' ? robekLimiter : kartverketLimiter,
      ...(isSsb ? { quietWindow: { from: '07:55', to: '08:15' }, problemTitles: true } : {}),
      retries: opts.retries ?? 3,
      backoffMs: 500,
      timeoutMs: opts.timeoutMs ?? 5_000,
      onResponse,
      ...(hooks?.onWait ? { onWait: hooks.onWait } : {}),
    });
  };
}

export interface RefreshEnv {
  t: TestDb;
  db: Db;
  deps: ServiceDeps;
  clock: VirtualClock;
  refresh(groups: readonly SourceGroup[], http?: HttpOptions): Promise<RefreshReport>;
  close(): Promise<void>;
}

/** What the suites share: the environment (set in beforeAll), the mocks, the snapshot's scores. */
export interface RefreshContext {
  env: RefreshEnv;
  ssb: SsbMock;
  kartverket: KartverketMock;
  /** The scores of the bundled snapshot, before any refresh. */
  snapshotScores: ScoreSnapshot;
}

/** Opens a database, loads and scores the bundled snapshot, and puts its clock on virtual time. */
export async function openRefreshEnv(open: (kind?: TemplateKind) => Promise<TestDb>): Promise<RefreshEnv> {
  const t = await open('seed');
  try {
    const prepared = await prepareRuntime(t.db);
    const clock = virtualClock();
    const deps: ServiceDeps = { ...prepared.deps, now: clock.now };
    return {
      t,
      db: t.db,
      deps,
      clock,
      refresh: (groups, http) => refreshSources(deps, { groups, makeHttp: testMakeHttp(clock, http) }),
      close: () => t.close(),
    };
  } catch (err) {
    await t.close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading results back

/** Every stored observation from one SSB table (the snapshot's and the refreshed ones). */
export async function tableObservations(db: Db, table: string): Promise<Observation[]> {
  const spec = SSB_SPECS.find((s) => s.table === table);
  if (!spec) throw new Error(`no SSB spec for table ${table}`);
  return (await listObservations(db, { indicators: specIndicators(spec) })).filter((o) => o.sourceTable === table);
}

export interface ScoreSnapshot {
  runId: number | null;
  byCode: Map<string, StoredScore>;
}

export async function latestScores(deps: ServiceDeps): Promise<ScoreSnapshot> {
  const run = await latestScoreRun(deps.db, deps.model.id);
  const byCode = new Map<string, StoredScore>();
  if (run) for (const s of await scoresForRun(deps.db, run.id)) byCode.set(s.kommuneCode, s);
  return { runId: run?.id ?? null, byCode };
}

export function ruleOf(score: StoredScore, ruleId: string): RuleResult {
  const r = (score.rules as RuleResult[]).find((x) => x.ruleId === ruleId);
  if (!r) throw new Error(`no rule ${ruleId} for ${score.kommuneCode}`);
  return r;
}

/** The seed-2026 rules that read each SSB table (docs/scoring.md). */
export const RULES_BY_TABLE: Record<string, string[]> = {
  '07459': ['population_change', 'dwellings_started'],
  '06944': ['median_income', 'housing_cost'],
  '06035': ['property_value', 'housing_cost'],
  '11084': [],
  '13563': ['unemployment'],
  '05940': ['dwellings_started'],
  '01180': ['labour_vote'],
  '04813': ['labour_vote', 'council_stability'],
};

/** Per kommune: the points of a table's rules, and the total. */
export function pointsOf(s: ScoreSnapshot, table: string): Map<string, { total: number; rules: (number | null)[] }> {
  const out = new Map<string, { total: number; rules: (number | null)[] }>();
  for (const [code, score] of s.byCode) {
    out.set(code, { total: score.total, rules: RULES_BY_TABLE[table]!.map((id) => ruleOf(score, id).points) });
  }
  return out;
}

export async function archivedFor(db: Db, url: string) {
  return db.select().from(rawResponses).where(eq(rawResponses.url, url));
}

export async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}
