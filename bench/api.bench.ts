/**
 * REST API benchmark: requests per second and p50/p99 latency of `GET /api/v1/kommuner?tier=1`
 * (0 kommuner in the snapshot) and `?tier=2` (16) through the full HTTP path (real
 * @hono/node-server on 127.0.0.1 → createApp → bearer auth → zod query validation → the kommune
 * list over the in-memory read model → JSON), at 50 concurrent keep-alive connections, next to a
 * bare Hono route in the same app and run. Also `GET /api/v1/kommuner/1804` (Appendix B, ~8 KB).
 * On PGlite always; on PostgreSQL too when TOMTE_BENCH_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test) is reachable, in a temporary database that is dropped
 * afterwards. The list and record are served from the read model, so the backend matters only for
 * loading it; the second backend shows that.
 *
 * Run: node --import tsx bench/api.bench.ts   (or npm run bench api)
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { DatabaseHandle } from '../adapters/db/handle';
import { migrateDatabase } from '../adapters/db/migrate';
import { openPglite } from '../adapters/db/pglite';
import { openPostgres } from '../adapters/db/postgres';
import { apiMounts } from '../src/http/api';
import { createApp } from '../src/http/app';
import { createSecretMatcher } from '../src/lib/constant-time';
import { silentLogger } from '../src/lib/logger';
import { listKommuneScores } from '../src/services/kommune-list';
import type { ReadModel } from '../src/services/read-model';
import { prepareRuntime } from '../test/support/runtime';
import { temporaryDatabase } from '../test/support/db';
import { loadGet } from './load';
import type { Figure } from './report';
import { formatTable, type BenchResult, type BenchRow } from './scoring.bench';
import type { LoadFigures } from './slack.bench';

const TOKEN = 'bench-api-token-0123456789abcdef';
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface ApiBenchOptions {
  /** Concurrent keep-alive connections. Default 50. */
  connections?: number;
  /** Measured seconds per case and round. Default 3. */
  seconds?: number;
  /**
   * Rounds; each runs every case once, in turn, and a case's figures are its median round. On a
   * shared 2-core machine one pass of a case can be off by ±30 %; interleaving keeps a slow spell
   * from landing on one case only. Default 3.
   */
  rounds?: number;
  /** Unmeasured seconds per case before measuring. Default 1. */
  warmupSeconds?: number;
  /** PostgreSQL base URL; null skips PostgreSQL. Default TOMTE_BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/test. */
  pgUrl?: string | null;
  /** Skip PGlite (to measure PostgreSQL alone). */
  skipPglite?: boolean;
}

export interface ApiBackendFigures {
  backend: 'pglite' | 'postgres';
  bare: LoadFigures;
  tier1: LoadFigures;
  tier2: LoadFigures;
  kommune: LoadFigures;
  /** rps(tier=2) / rps(bare). */
  tier2OverBare: number;
  tier1OverBare: number;
}

export interface ApiBenchResult extends BenchResult {
  backends: ApiBackendFigures[];
  /** Why PostgreSQL was not measured, when it was not. */
  postgresSkipped: string | null;
  components: { step: string; usPerOp: number }[];
}

function perOp(n: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(2000, n); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return ((performance.now() - t0) * 1000) / n;
}

/** The round with the median throughput (its own p50/p99 with it, so the figures belong together). */
function medianRound(rounds: LoadFigures[]): LoadFigures {
  return [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]!;
}

async function measure(handle: DatabaseHandle, o: { connections: number; seconds: number; warmupSeconds: number; rounds: number }): Promise<{ figures: ApiBackendFigures; readModel: ReadModel }> {
  await migrateDatabase(handle);
  const { readModel } = await prepareRuntime(handle.db);
  const bare = new Hono().get('/', (c) => c.json({ ok: true }));
  const app = createApp({
    logger: silentLogger,
    ready: () => true,
    version: 'bench',
    mounts: [...apiMounts({ tokens: [TOKEN], getReadModel: () => readModel, version: 'bench' }), { path: '/bare', app: bare }],
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  try {
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    const port = (server.address() as AddressInfo).port;
    const headers = { authorization: `Bearer ${TOKEN}` };
    const cases = [
      { path: '/bare', headers: {} },
      { path: '/api/v1/kommuner?tier=1', headers },
      { path: '/api/v1/kommuner?tier=2', headers },
      { path: '/api/v1/kommuner/1804', headers },
    ];
    const seen: LoadFigures[][] = cases.map(() => []);
    for (let r = 0; r < o.rounds; r++) {
      for (const [i, c] of cases.entries()) seen[i]!.push(await loadGet({ port, ...c, connections: o.connections, seconds: o.seconds, warmupSeconds: o.warmupSeconds }));
    }
    const [bareFig, tier1, tier2, kommune] = seen.map(medianRound) as [LoadFigures, LoadFigures, LoadFigures, LoadFigures];
    return {
      figures: { backend: handle.kind, bare: bareFig, tier1, tier2, kommune, tier2OverBare: tier2.rps / bareFig.rps, tier1OverBare: tier1.rps / bareFig.rps },
      readModel,
    };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** A temporary database on the server at `baseUrl`, dropped by the returned `drop`. */
async function temporaryPostgres(baseUrl: string): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  const db = await temporaryDatabase(baseUrl, 'tomte_bench');
  const handle = await openPostgres(db.url);
  return {
    handle,
    drop: async () => {
      try {
        await handle.close();
      } finally {
        await db.drop();
      }
    },
  };
}

export async function runApiBench(opts: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const o = { connections: opts.connections ?? 50, seconds: opts.seconds ?? 3, warmupSeconds: opts.warmupSeconds ?? 1, rounds: opts.rounds ?? 3 };
  const pgUrl = opts.pgUrl === undefined ? process.env.TOMTE_BENCH_PG_URL || DEFAULT_PG_URL : opts.pgUrl;
  const results: ApiBackendFigures[] = [];
  let components: { step: string; usPerOp: number }[] = [];

  if (!opts.skipPglite) {
    const pglite = await openPglite({});
    try {
      const { figures, readModel } = await measure(pglite, o);
      results.push(figures);
      // Parts of a ?tier=2 request's own work, serially on this thread.
      const matcher = createSecretMatcher([TOKEN]);
      const list = (tier: 1 | 2) => () => listKommuneScores(readModel, { tier, sort: 'score', descending: true, offset: 0, limit: 50 });
      components = [
        { step: 'bearer token check (fixed-time compare)', usPerOp: perOp(20_000, () => matcher(TOKEN)) },
        { step: 'listKommuneScores tier=2 (357 scanned, 16 sorted)', usPerOp: perOp(20_000, list(2)) },
        { step: 'listKommuneScores tier=1 (357 scanned, 0 kept)', usPerOp: perOp(20_000, list(1)) },
        { step: 'JSON.stringify of the tier=2 page', usPerOp: perOp(20_000, () => JSON.stringify(list(2)())) },
      ];
    } finally {
      await pglite.close();
    }
  }

  let postgresSkipped: string | null = pgUrl ? null : 'no PostgreSQL URL';
  if (pgUrl) {
    let tmp: Awaited<ReturnType<typeof temporaryPostgres>> | null = null;
    try {
      tmp = await temporaryPostgres(pgUrl);
    } catch (err) {
      postgresSkipped = `${pgUrl} not reachable (${err instanceof Error ? err.message : String(err)})`;
    }
    if (tmp) {
      try {
        results.push((await measure(tmp.handle, o)).figures);
      } finally {
        await tmp.drop();
      }
    }
  }

  const fig = (label: string, f: LoadFigures & { bytes?: number }) => ({
    case: label,
    'req/s': Math.round(f.rps),
    'p50 ms': f.p50Ms.toFixed(2),
    'p99 ms': f.p99Ms.toFixed(2),
    'max ms': f.maxMs.toFixed(1),
    requests: f.requests,
    errors: f.errors,
  });
  const rows: BenchRow[] = [];
  const lines: string[] = [
    `${o.connections} keep-alive connections on 127.0.0.1; ${o.rounds} rounds of every case in turn, ${o.seconds} s measured after ${o.warmupSeconds} s warm-up each; figures of the median round; load generator in a worker thread; every API request carries a valid bearer token.`,
  ];
  for (const r of results) {
    lines.push(
      '',
      `[${r.backend}]`,
      formatTable([
        fig('bare Hono route (GET /bare → {ok:true})', r.bare),
        fig('GET /api/v1/kommuner?tier=1 (0 items)', r.tier1),
        fig('GET /api/v1/kommuner?tier=2 (16 items)', r.tier2),
        fig('GET /api/v1/kommuner/1804 (Appendix B)', r.kommune),
      ]),
      `tier=1 / bare: ${r.tier1OverBare.toFixed(2)}   tier=2 / bare: ${r.tier2OverBare.toFixed(2)}   tier=2 p99 ${r.tier2.p99Ms.toFixed(1)} ms`,
    );
    const row = (label: string, f: LoadFigures): BenchRow => ({ case: `${r.backend} ${label}`, kommuner: 357, runs: f.requests, medianMs: f.p50Ms, usPerKommune: 1e6 / f.rps / 357 });
    rows.push(row('bare', r.bare), row('tier=1', r.tier1), row('tier=2', r.tier2), row('kommune/1804', r.kommune));
  }
  if (postgresSkipped) lines.push('', `PostgreSQL: skipped, ${postgresSkipped}.`);
  lines.push('', 'Where the time goes (serially, this thread):', formatTable(components.map((c) => ({ step: c.step, 'µs/op': c.usPerOp.toFixed(1) }))));
  const figures: Figure[] = results.flatMap((r) => {
    const bare = { label: 'bare Hono route', value: r.bare.rps, unit: 'req/s' };
    return [
      { id: `api.${r.backend}.tier1`, label: `GET /api/v1/kommuner?tier=1 (0 items), ${r.backend}, ${o.connections} connections`, value: r.tier1.rps, unit: 'req/s', comparison: bare, ratio: r.tier1OverBare, ratioMeaning: '÷ bare Hono', decimals: 0 },
      { id: `api.${r.backend}.tier1-p99`, label: `GET /api/v1/kommuner?tier=1, ${r.backend}, p99 latency`, value: r.tier1.p99Ms, unit: 'ms', comparison: { label: 'bare Hono p99', value: r.bare.p99Ms, unit: 'ms' } },
      { id: `api.${r.backend}.tier2`, label: `GET /api/v1/kommuner?tier=2 (16 items), ${r.backend}, ${o.connections} connections`, value: r.tier2.rps, unit: 'req/s', comparison: bare, ratio: r.tier2OverBare, ratioMeaning: '÷ bare Hono', decimals: 0 },
      { id: `api.${r.backend}.tier2-p99`, label: `GET /api/v1/kommuner?tier=2, ${r.backend}, p99 latency`, value: r.tier2.p99Ms, unit: 'ms', comparison: { label: 'bare Hono p99', value: r.bare.p99Ms, unit: 'ms' } },
      { id: `api.${r.backend}.errors`, label: `API requests answered with another status than 200, ${r.backend}`, value: r.tier1.errors + r.tier2.errors + r.kommune.errors, unit: 'errors', decimals: 0 },
    ] satisfies Figure[];
  });
  return { name: 'api', rows, table: lines.join('\n'), backends: results, postgresSkipped, components, figures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runApiBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
