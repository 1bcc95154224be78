/**
 * Refresh benchmark: how many requests, and how long, a full SSB refresh takes with tomte's
 * strategy (per table: one table-info, one metadata and one data request covering every kommune)
 * against a naive one that asks each table once per kommune (357 × tables data requests). The
 * full refresh also reads KLASS 128 and the ROBEK page (one request each, whole registers: there is
 * no per-kommune alternative to compare).
 *
 * SSB is the in-process mock of test/support/ssb-mock.ts (the snapshot's rows re-encoded as
 * PxWebApi v2 JSON-stat), behind a fetch that sleeps 150 ms of real time per request. The
 * rate limiter is set generously (1,000,000 calls a minute, still one call at a time) and the
 * 07:55–08:15 quiet window is off, so the figures measure the strategy, not SSB's budget; the
 * last lines convert both request counts to wall time at SSB's real budget (25 calls a minute).
 * The naive strategy is measured on a sample of kommuner per table and extrapolated to 357.
 *
 * Run: node --import tsx bench/refresh.bench.ts   (or npm run bench refresh)
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { migrateDatabase } from '../adapters/db/migrate';
import { openPglite } from '../adapters/db/pglite';
import { readSnapshotTexts } from '../adapters/node/bootstrap';
import { seed2026 } from '../src/domain/scoring/models/seed-2026';
import { createHttpClient } from '../src/lib/http';
import { silentLogger } from '../src/lib/logger';
import { RateLimiter } from '../src/lib/rate-limiter';
import type { ServiceDeps } from '../src/services/deps';
import { loadSnapshot } from '../src/services/load-snapshot';
import { refreshSources, type MakeHttpClient } from '../src/services/refresh-sources';
import { rescore } from '../src/services/rescore';
import { buildDataRequest, checkSpecAgainstMetadata, createSsbClient, SSB_BASE_URL } from '../src/sources/ssb/client';
import { decodeJsonStat } from '../src/sources/ssb/jsonstat';
import { SSB_SPECS } from '../src/sources/ssb/specs';
import { createSsbMock, snapshotKommuner } from '../test/support/ssb-mock';
import { klass128Codes, robekPage } from '../test/support/registers-mock';
import { KLASS_BASE_URL } from '../src/sources/ssb/klass';
import { ROBEK_URL } from '../src/sources/kdd/robek';
import type { Figure } from './report';
import { formatTable, type BenchResult, type BenchRow } from './scoring.bench';

export interface RefreshBenchOptions {
  /** Real milliseconds each mocked request takes. Default 150. */
  latencyMs?: number;
  /** Kommuner per table measured for the naive strategy. Default 20. */
  sampleKommuner?: number;
}

export interface StrategyFigures {
  requests: number;
  ms: number;
  /** True when the figure is extrapolated from a sample. */
  extrapolated: boolean;
}

export interface RefreshBenchResult extends BenchResult {
  latencyMs: number;
  /** refreshSources over ssb, valg, klass and robek: HTTP, decoding, upserts and the rescore. */
  tomteFull: StrategyFigures;
  /** Per table (and register): requests and time of the full refresh, from its outcomes. */
  perTable: { dataset: string; requests: number; ms: number }[];
  /** The same requests through the SSB client alone (HTTP and decoding), comparable with naive. */
  tomteFetch: StrategyFigures;
  naive: StrategyFigures & { sampleRequests: number; sampleMs: number };
  requestRatio: number;
  timeRatio: number;
}

const SSB_BUDGET_PER_MINUTE = 25;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fmtMs(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function row(label: string, f: StrategyFigures): BenchRow {
  return { case: label, kommuner: 357, runs: 1, medianMs: f.ms, usPerKommune: (f.ms * 1000) / 357 };
}

export async function runRefreshBench(opts: RefreshBenchOptions = {}): Promise<RefreshBenchResult> {
  const latencyMs = opts.latencyMs ?? 150;
  const sample = opts.sampleKommuner ?? 20;
  const mock = createSsbMock();
  let registerRequests = 0;
  const slowFetch: typeof fetch = async (input, init) => {
    await sleep(latencyMs);
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(`${KLASS_BASE_URL}/classifications/128/codesAt`)) {
      registerRequests++;
      return Response.json({ codes: klass128Codes() });
    }
    if (url === ROBEK_URL) {
      registerRequests++;
      return new Response(robekPage(), { headers: { 'content-type': 'text/html; charset=utf-8' } });
    }
    return mock.fetch(input, init);
  };
  // Generous on purpose (see the header); one call at a time, as in production.
  const limiter = new RateLimiter({ maxPerMinute: 1_000_000 });
  const makeHttp: MakeHttpClient = (source, onResponse) =>
    createHttpClient({ source: source === 'kartverket' ? source : 'ssb', fetch: slowFetch, limiter, retries: 0, timeoutMs: 30_000, onResponse });

  // --- tomte: the real refresh on an embedded database with the snapshot loaded (set-up untimed)
  const handle = await openPglite({});
  let tomteFull: StrategyFigures;
  let perTable: RefreshBenchResult['perTable'] = [];
  try {
    await migrateDatabase(handle);
    const deps: ServiceDeps = { db: handle.db, models: [seed2026], model: seed2026, logger: silentLogger, now: () => new Date() };
    await loadSnapshot(deps, readSnapshotTexts());
    await rescore(deps, 'bench');
    mock.clearRequests();
    registerRequests = 0;
    const t0 = performance.now();
    const report = await refreshSources(deps, { groups: ['ssb', 'valg', 'klass', 'robek'], makeHttp });
    tomteFull = { requests: mock.requests.length + registerRequests, ms: performance.now() - t0, extrapolated: false };
    const datasets = report.sources.flatMap((s) => s.datasets);
    const bad = datasets.filter((d) => d.outcome !== 'updated');
    if (bad.length > 0) throw new Error(`bench refresh did not update every table: ${JSON.stringify(bad)}`);
    perTable = datasets.map((d) => ({ dataset: d.dataset, requests: d.requests ?? 0, ms: (d.timings?.fetchMs ?? 0) + (d.timings?.decodeMs ?? 0) + (d.timings?.storeMs ?? 0) }));
  } finally {
    await handle.close();
  }

  // --- tomte, fetch only: the same three requests per table through the SSB client
  const http = makeHttp('ssb', async () => {});
  const client = createSsbClient(http);
  mock.clearRequests();
  let t0 = performance.now();
  const resolved = [];
  for (const spec of SSB_SPECS) {
    await client.tableInfo(spec.table);
    const meta = await client.metadata(spec.table);
    await client.data(spec, meta);
    resolved.push(checkSpecAgainstMetadata(spec, meta).spec);
  }
  const tomteFetch: StrategyFigures = { requests: mock.requests.length, ms: performance.now() - t0, extrapolated: false };

  // --- naive: one data request per kommune and table, on a sample spread over the kommune list
  const kommuner = snapshotKommuner().map((k) => k.code);
  const picked = Array.from({ length: Math.min(sample, kommuner.length) }, (_, i) => kommuner[Math.floor((i * kommuner.length) / sample)]!);
  mock.clearRequests();
  t0 = performance.now();
  for (const spec of resolved) {
    for (const code of picked) {
      const region = spec.selection.find((s) => s.variable === spec.regionVariable)!;
      const one = region.codelist === 'agg_KommSummer' ? `K-${code}` : code;
      const selection = spec.selection.map((s) => (s === region ? { ...s, values: [one] } : s));
      const req = buildDataRequest(SSB_BASE_URL, spec.table, selection);
      const res = await http.request(req.method === 'GET' ? { url: req.url } : { url: req.url, method: 'POST', body: req.body! });
      decodeJsonStat(JSON.parse(res.text));
    }
  }
  const sampleMs = performance.now() - t0;
  const sampleRequests = mock.requests.length;
  const naiveRequests = kommuner.length * SSB_SPECS.length;
  const naive = { requests: naiveRequests, ms: (sampleMs / sampleRequests) * naiveRequests, extrapolated: true, sampleRequests, sampleMs };

  const requestRatio = naive.requests / tomteFetch.requests;
  const timeRatio = naive.ms / tomteFetch.ms;
  const atBudget = (n: number) => (n / SSB_BUDGET_PER_MINUTE) * 60_000;
  const rows = [row('tomte: refreshSources (HTTP + DB + rescore)', tomteFull), row('tomte: fetch only', tomteFetch), row('naive: per kommune (extrapolated)', naive)];
  const table = [
    `${SSB_SPECS.length} SSB tables (+ KLASS 128 and ROBEK in the full refresh), ${kommuner.length} kommuner; mock latency ${latencyMs} ms per request; rate limiter generous (1,000,000/min, sequential), quiet window off.`,
    '',
    formatTable([
      { strategy: 'tomte: refreshSources ssb+valg+klass+robek (HTTP + DB + rescore)', requests: tomteFull.requests, time: fmtMs(tomteFull.ms), measured: 'yes' },
      { strategy: 'tomte: fetch only (SSB client)', requests: tomteFetch.requests, time: fmtMs(tomteFetch.ms), measured: 'yes' },
      {
        strategy: 'naive: one data request per kommune and table',
        requests: naive.requests,
        time: fmtMs(naive.ms),
        measured: `extrapolated from ${sampleRequests} requests (${picked.length} kommuner × ${SSB_SPECS.length} tables) in ${fmtMs(sampleMs)}`,
      },
    ]),
    '',
    `naive / tomte: ${requestRatio.toFixed(0)}× the requests (tomte ÷ naive = 1/${requestRatio.toFixed(0)}), ${timeRatio.toFixed(0)}× the time (fetch only, same latency).`,
    `At SSB's budget of ${SSB_BUDGET_PER_MINUTE} calls a minute: tomte ${tomteFetch.requests} requests ≈ ${fmtMs(atBudget(tomteFetch.requests))}, naive ${naive.requests} ≈ ${fmtMs(atBudget(naive.requests))}.`,
    '',
    'Per table in the full refresh (requests; fetch + decode + store time):',
    formatTable(perTable.map((d) => ({ dataset: d.dataset, requests: d.requests, time: fmtMs(d.ms) }))),
  ].join('\n');
  const figures: Figure[] = [
    {
      id: 'refresh.requests',
      label: `SSB requests for a full refresh of ${SSB_SPECS.length} tables × ${kommuner.length} kommuner`,
      value: tomteFetch.requests,
      unit: 'requests',
      comparison: { label: 'naive, one per kommune and table', value: naive.requests, unit: 'requests' },
      ratio: requestRatio,
      ratioMeaning: 'naive ÷ tomte',
      decimals: 0,
      goal: { text: `≤ 3 per table (${3 * SSB_SPECS.length}): info, metadata, data`, issue: 3, on: 'value', op: '<=', target: 3 * SSB_SPECS.length },
    },
    {
      id: 'refresh.request-ratio',
      label: `Naive per-kommune requests ÷ tomte's for ${SSB_SPECS.length} SSB tables`,
      value: requestRatio,
      unit: '×',
      decimals: 0,
      goal: { text: 'a full refresh ÷ naive per-kommune requests ≤ 1/100', issue: 16, on: 'value', op: '>=', target: 100 },
    },
    {
      id: 'refresh.fetch-time',
      label: `SSB fetch time at ${latencyMs} ms mock latency per request`,
      value: tomteFetch.ms / 1000,
      unit: 's',
      comparison: { label: `naive (extrapolated from ${sampleRequests} requests)`, value: naive.ms / 1000, unit: 's' },
      ratio: timeRatio,
      ratioMeaning: 'naive ÷ tomte',
    },
    {
      id: 'refresh.full',
      label: 'refreshSources ssb+valg+klass+robek: fetch, archive, decode, upsert, rescore (PGlite)',
      value: tomteFull.ms / 1000,
      unit: 's',
      comparison: { label: 'fetch only', value: tomteFetch.ms / 1000, unit: 's' },
      ratio: tomteFull.ms / tomteFetch.ms,
      ratioMeaning: 'full ÷ fetch',
    },
  ];
  return { name: 'refresh', rows, table, latencyMs, tomteFull, perTable, tomteFetch, naive, requestRatio, timeRatio, figures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRefreshBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
