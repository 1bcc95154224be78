// The soak's pipeline (bench/soak.bench.ts runs it 1,000 times; test/integration/alerts/soak.test.ts
// a handful): one database with the snapshot loaded, a few subscriptions, and per cycle the
// production jobs `refresh-ssb` (refreshSources → rescore → detection in the score-run
// transaction) and `dispatch` (dispatchDue → the real Slack notifier → a fake Slack Web API),
// run through runJob as the scheduler runs them, on one virtual clock.
//
// Upstream is the in-memory SSB of ./ssb-mock.ts, called through its own fetch (no msw: the soak
// measures tomte, not msw's interception). Every `reviseEvery` cycles SSB publishes a revision of
// one of REVISED_TABLES (in turn): a new `updated` stamp and one of VARIANTS deterministic,
// seeded variants of the recorded cells of the kommuner nearest Tier 1 (variant 0 is the recorded
// data, so revisions also revert). Other cycles are ordinary days: every table answers with the
// stamp tomte already holds, and the refresh does nothing else.
//
// The ledger is independent of score runs and the outbox: after every revision it scores the
// stored observations with the pure engine (carrying its own previous tiers for hysteresis),
// derives from the tier and total changes which tier1-enter/-exit and score-change alerts must
// exist and which subscriptions they match, and at the end compares that with what the fake Web
// API received per delivery key: lost (expected, never posted), duplicated (posted more than once),
// unexpected (posted, not expected).
import { sql } from 'drizzle-orm';
import { JOBS, type JobDeps } from '../../jobs/registry';
import { runJob } from '../../jobs/run-job';
import { createAlertSender } from '../../adapters/alerts/sender';
import { migrateDatabase } from '../../adapters/db/migrate';
import { openPglite } from '../../adapters/db/pglite';
import { createSlackNotifier } from '../../adapters/slack/notifier';
import type { SubscriptionFilter, SubscriptionKind } from '../../src/domain/alerts/types';
import { scoreAll, type Tier } from '../../src/domain/scoring/engine';
import { silentLogger } from '../../src/lib/logger';
import { listKommuner } from '../../src/store/repos/kommuner';
import { listDeliveries, outboxBacklog } from '../../src/store/repos/alerts';
import { listObservations } from '../../src/store/repos/observations';
import { latestScoreRun, scoresForRun } from '../../src/store/repos/scores';
import { Clock, subscribe } from './alerts';
import { prepareRuntime } from './runtime';
import { createSsbMock, unit, type CellPatch } from './ssb-mock';
import { testMakeHttp, virtualClock } from '../integration/refresh/harness';

/** Tables SSB revises during the soak: unemployment counts and dwellings started, the inputs that move kommuner across 70. */
export const REVISED_TABLES = ['13563', '05940'] as const;
/** Variants per revised table; variant 0 is the recorded data. */
export const VARIANTS = 4;
/** How far a variant moves a cell: value × (1 ± AMPLITUDE). */
const AMPLITUDE = 0.6;
/** Kommuner whose cells are revised: the highest totals after the first refresh. */
const REVISED_KOMMUNER = 40;

export interface SoakOptions {
  /** Every how many cycles SSB publishes a revision. Default 1 (every cycle). */
  reviseEvery?: number;
  /** Seed of the revisions. Default 9. */
  seed?: number;
  /** PGlite data directory; undefined is an in-memory database. */
  dataDir?: string;
}

interface SubSpec {
  target: string;
  kind: SubscriptionKind;
  filter: SubscriptionFilter;
}

/** The subscriptions: Tier 1 everywhere, Tier 1 in Finnmark, Tier 1 except one kommune, a watch on two kommuner. */
const SUBSCRIPTIONS: readonly SubSpec[] = [
  { target: 'C-ALL', kind: 'tier1', filter: {} },
  { target: 'C-FINNMARK', kind: 'tier1', filter: { fylker: ['56'] } },
  { target: 'C-NOT-5626', kind: 'tier1', filter: { unntatt: ['5626'] } },
  { target: 'C-WATCH', kind: 'kommune', filter: { kommuner: ['5626', '5044'] } },
];

export interface SoakCycle {
  cycle: number;
  revised: string | null;
  runId: number | null;
  runCreated: boolean;
  expectedAlerts: number;
}

export interface SoakOutcome {
  cycles: number;
  revisions: number;
  /** Score runs created during the soak (after the set-up refresh). */
  runs: number;
  /** tier1-enter/-exit events the ledger expects, and score changes of the watched kommuner. */
  expectedEvents: { tier1Enter: number; tier1Exit: number; scoreChange: number };
  /** Alert events and deliveries in the database at the end. */
  events: number;
  deliveries: number;
  /** chat.postMessage calls the fake Web API answered. */
  posts: number;
  expectedDeliveries: number;
  lost: string[];
  duplicated: string[];
  unexpected: string[];
  backlog: { pending: number; failed: number };
}

/**
 * Slack's Web API as the notifier sees it: chat.postMessage answers ok and counts posts per
 * delivery key (the message metadata); conversations.history lists what was posted, for the
 * dispatcher's crash recovery.
 */
export class FakeSlackWebApi {
  readonly postsByKey = new Map<string, number>();
  posts = 0;
  private readonly history = new Map<string, { ts: string; key: string }[]>();
  private seq = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname.endsWith('/chat.postMessage')) {
      const body = JSON.parse(String(init?.body)) as { channel: string; metadata?: { event_payload?: { key?: string } } };
      const key = body.metadata?.event_payload?.key ?? '(no key)';
      this.posts++;
      this.postsByKey.set(`${key}`, (this.postsByKey.get(key) ?? 0) + 1);
      const ts = `${1_700_000_000 + ++this.seq}.000100`;
      let list = this.history.get(body.channel);
      if (!list) this.history.set(body.channel, (list = []));
      list.push({ ts, key });
      return Response.json({ ok: true, channel: body.channel, ts });
    }
    if (url.pathname.endsWith('/conversations.history')) {
      const list = this.history.get(url.searchParams.get('channel') ?? '') ?? [];
      return Response.json({ ok: true, messages: list.map((m) => ({ ts: m.ts, metadata: { event_type: 'tomte_delivery', event_payload: { key: m.key } } })) });
    }
    return Response.json({ ok: false, error: 'unknown_method' });
  };
}

interface LedgerScore {
  total: number;
  tier: Tier | null;
  /** Rules that had points (an input) in this run. */
  scored: Set<string>;
}

export interface Soak {
  /** One scheduled round: refresh-ssb, then dispatch. */
  cycle(): Promise<SoakCycle>;
  /** pg_database_size of the soak's database, in bytes. */
  dbSize(): Promise<number>;
  /** The largest relations, with their sizes in bytes. */
  relationSizes(): Promise<{ relation: string; bytes: number }[]>;
  /** Compares the ledger with the fake Web API and the outbox. */
  outcome(): Promise<SoakOutcome>;
  close(): Promise<void>;
}

export async function openSoak(opts: SoakOptions = {}): Promise<Soak> {
  const reviseEvery = Math.max(1, opts.reviseEvery ?? 1);
  const seed = opts.seed ?? 9;
  const handle = await openPglite(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir });
  try {
    await migrateDatabase(handle);
    const db = handle.db;
    const prepared = await prepareRuntime(db);
    const time = virtualClock();
    const ssb = createSsbMock();
    const slackApi = new FakeSlackWebApi();
    const slack = createSlackNotifier({ token: 'xoxb-soak', fetch: slackApi.fetch, now: time.ms, sleep: time.sleep });
    const deps: JobDeps = {
      ...prepared.deps,
      now: time.now,
      logger: silentLogger,
      makeHttp: testMakeHttp(time, { fetch: (input, init) => ssb.fetch(input, init) }),
      sender: createAlertSender({ slack, teams: null, db: () => db, logger: silentLogger, now: time.now }),
      worker: 'soak',
    };
    const refreshJob = JOBS.find((j) => j.name === 'refresh-ssb')!;
    const dispatchJob = JOBS.find((j) => j.name === 'dispatch')!;
    const kommuner = await listKommuner(db);
    const codes = kommuner.map((k) => k.code);
    const county = new Map(kommuner.map((k) => [k.code, k.countyCode]));
    const subs: (SubSpec & { id: number })[] = [];
    for (const s of SUBSCRIPTIONS) subs.push({ ...s, id: (await subscribe(db, new Clock(time.now()), 'slack', s.target, s.kind, s.filter)).id });

    // Whether refresh-ssb made a new run: the latest run before and after it.
    const runBefore = async () => (await latestScoreRun(db, deps.model.id))?.id ?? null;

    const toLedger = (s: { total: number; tier: number | null; rules: readonly { ruleId: string; points: number | null }[] }): LedgerScore => ({
      total: s.total,
      tier: s.tier as Tier | null,
      scored: new Set(s.rules.filter((r) => r.points !== null).map((r) => r.ruleId)),
    });
    const snapshotRun = await runBefore();
    if (snapshotRun === null) throw new Error('soak set-up: the snapshot was not scored');
    const snapshotScores = await scoresForRun(db, snapshotRun);
    let ledger = new Map(snapshotScores.map((s) => [s.kommuneCode, toLedger(s as { total: number; tier: number | null; rules: { ruleId: string; points: number | null }[] })]));
    const expected = new Set<string>();
    const expectedEvents = { tier1Enter: 0, tier1Exit: 0, scoreChange: 0 };
    const variant = new Map<string, number>(REVISED_TABLES.map((t) => [t, 0]));
    let cycle = 0;
    let revisions = 0;
    let runs = 0;

    /** Scores the stored observations with the pure engine and records which alerts must follow. */
    const expectAfterRefresh = async (runId: number | null): Promise<number> => {
      const sizeBefore = expected.size;
      const observations = await listObservations(db);
      const previousTiers = new Map([...ledger].map(([c, s]) => [c, s.tier]));
      const next = new Map(scoreAll({ model: deps.model, observations, kommuneCodes: codes, previousTiers }).map((s) => [s.kommuneCode, toLedger(s)]));
      for (const [code, s] of next) expectFor(code, ledger.get(code)!, s, runId);
      ledger = next;
      return expected.size - sizeBefore;
    };

    const revise = (table: string, v: number): void => {
      ssb.touch(table);
      ssb.clearPatches(table);
      if (v === 0) return;
      const patch: CellPatch = (cell, at) => {
        if (cell.value === null || at.region.kind !== 'kommune' || !revisedKommuner.has(at.region.key)) return cell;
        const coords = Object.entries(at.coords).sort().map(([k, c]) => `${k}=${c}`).join('&');
        const m = 1 + AMPLITUDE * (2 * unit(`${seed}|${table}|${v}|${at.region.key}|${coords}`) - 1);
        return { ...cell, value: Math.max(0, Math.round(cell.value * m)) };
      };
      ssb.patch(table, patch);
    };

    /** What the ledger expects from the move `before` → `after` of one kommune (detection's rules, restated). */
    const expectFor = (code: string, before: LedgerScore, after: LedgerScore, runId: number | null): void => {
      if (before.total === after.total && before.tier === after.tier) return;
      const wentMissing = [...before.scored].some((r) => !after.scored.has(r));
      if (wentMissing || (after.tier === null && before.tier !== null)) return; // suppressed: not an alert
      const kinds: ('score-change' | 'tier1-enter' | 'tier1-exit')[] = ['score-change'];
      if (after.tier === 1 && before.tier !== 1) kinds.push('tier1-enter');
      if (before.tier === 1 && after.tier !== 1) kinds.push('tier1-exit');
      for (const kind of kinds) {
        const subKind: SubscriptionKind = kind === 'score-change' ? 'kommune' : 'tier1';
        const matching = subs.filter((s) => s.kind === subKind && matches(s.filter, code, county.get(code)!));
        if (kind === 'score-change' && matching.length === 0) continue;
        if (kind === 'tier1-enter') expectedEvents.tier1Enter++;
        if (kind === 'tier1-exit') expectedEvents.tier1Exit++;
        if (kind === 'score-change') expectedEvents.scoreChange++;
        // Without a new run there is no run id to expect: the key cannot match anything (lost).
        for (const s of matching) expected.add(`${kind}:${code}:${runId ?? `no-run-in-cycle-${cycle}`}@slack:${s.target}`);
      }
    };

    // Cycle 0, the set-up: the first refresh fetches every SSB table (the snapshot's stamps are
    // older) and its alerts are in the ledger too. The revised kommuner are the highest totals now.
    await runJob(refreshJob, deps);
    const setupRun = await runBefore();
    await expectAfterRefresh(setupRun !== snapshotRun ? setupRun : null);
    if (setupRun !== snapshotRun) runs++;
    await runJob(dispatchJob, deps);
    const revisedKommuner = new Set(
      [...ledger].sort(([a, x], [b, y]) => y.total - x.total || a.localeCompare(b)).slice(0, REVISED_KOMMUNER).map(([code]) => code),
    );

    return {
      async cycle() {
        cycle++;
        // One cycle is one day: the daily refresh-ssb at 05:15 UTC, then the every-minute dispatch.
        await time.sleep(24 * 60 * 60_000);
        let revised: string | null = null;
        if (cycle % reviseEvery === 0) {
          revised = REVISED_TABLES[revisions % REVISED_TABLES.length]!;
          const current = variant.get(revised)!;
          // A different variant from the current one, seeded: revisions move and revert figures.
          const next = (current + 1 + Math.floor(unit(`${seed}|pick|${cycle}`) * (VARIANTS - 1))) % VARIANTS;
          variant.set(revised, next);
          revise(revised, next);
          revisions++;
        }
        ssb.clearRequests();
        const before = await runBefore();
        const refreshed = await runJob(refreshJob, deps);
        if (refreshed !== 'ran') throw new Error(`soak cycle ${cycle}: refresh-ssb ${refreshed}`);
        const after = await runBefore();
        const created = after !== null && after !== before;
        if (created) runs++;
        const expectedAlerts = revised !== null ? await expectAfterRefresh(created ? after : null) : 0;
        await time.sleep(60_000);
        const dispatched = await runJob(dispatchJob, deps);
        if (dispatched !== 'ran') throw new Error(`soak cycle ${cycle}: dispatch ${dispatched}`);
        return { cycle, revised, runId: created ? after : null, runCreated: created, expectedAlerts };
      },
      async dbSize() {
        const r = await db.execute(sql`select pg_database_size(current_database())::bigint as bytes`);
        return Number((r.rows[0] as { bytes: number | string }).bytes);
      },
      async relationSizes() {
        const r = await db.execute(
          sql`select c.relname as relation, pg_total_relation_size(c.oid)::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 2 desc`,
        );
        return (r.rows as { relation: string; bytes: number | string }[]).map((x) => ({ relation: x.relation, bytes: Number(x.bytes) }));
      },
      async outcome() {
        const lost = [...expected].filter((k) => !slackApi.postsByKey.has(k));
        const duplicated = [...slackApi.postsByKey].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
        const unexpected = [...slackApi.postsByKey.keys()].filter((k) => !expected.has(k));
        const rows = await listDeliveries(db);
        const events = Number((await db.execute(sql`select count(*)::int as n from alert_events`)).rows.map((r) => (r as { n: number }).n)[0]);
        return {
          cycles: cycle,
          revisions,
          runs,
          expectedEvents,
          events,
          deliveries: rows.length,
          posts: slackApi.posts,
          expectedDeliveries: expected.size,
          lost,
          duplicated,
          unexpected,
          backlog: await outboxBacklog(db),
        };
      },
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function matches(filter: SubscriptionFilter, code: string, countyCode: string): boolean {
  if (filter.unntatt?.includes(code)) return false;
  if (filter.kommuner?.length && !filter.kommuner.includes(code)) return false;
  if (filter.fylker?.length && !filter.fylker.includes(countyCode)) return false;
  return true;
}

