/**
 * Soak benchmark (issue 9): 1,000 cycles of refresh (mocked SSB) → rescore → detect → dispatch on
 * PGlite, watching RSS, heap, database size, and every alert delivered exactly once.
 *
 * Design (the pipeline is test/support/soak.ts, shared with test/integration/alerts/soak.test.ts):
 * - One in-memory PGlite database (a data directory on disk made every cycle ~50% slower here,
 *   which does not fit 1,000 cycles in 10 minutes), migrated, the bundled snapshot loaded and
 *   scored. Its pages live in PGlite's WebAssembly memory: an ArrayBuffer, outside the JS heap
 *   (heapUsed) but inside RSS, so RSS grows with the database and heap does not; four Slack subscriptions: Tier 1 everywhere, Tier 1 in fylke 56,
 *   Tier 1 except 5626, and a kommune watch on 5626 and 5044.
 * - A cycle is one scheduled day: the production job `refresh-ssb` through runJob (refreshSources:
 *   table info for each of the 6 SSB tables; metadata, data, archive and upsert only for a table
 *   whose `updated` stamp moved; then rescore, with detection and the outbox written in the
 *   score run's transaction), then the production `dispatch` job (dispatchDue → alert sender →
 *   the real Slack notifier with its per-channel pacing on the virtual clock → a fake Slack Web
 *   API that counts chat.postMessage per delivery key). Cycle 0 (the set-up) is the first refresh,
 *   which fetches every table.
 * - Upstream: the in-memory SSB of test/support/ssb-mock.ts. Every `reviseEvery` cycles (default
 *   10, so 100 revisions in 1,000 cycles) SSB publishes a revision of 13563 (unemployment) or
 *   05940 (dwellings started), in turn: a new `updated` stamp and one of 4 seeded variants of the
 *   cells of the 40 kommuner nearest Tier 1 (variant 0 is the recorded data, so revisions also
 *   revert). Kommuner cross into and out of Tier 1. Why not every cycle: a revision costs a full
 *   rescore (~2.5 s on this machine: reading ~22,000 observations, scoring, writing 357 score rows
 *   of ~9 KB each), so 1,000 of them would take ~45 minutes and write ~3.5 GB of score history; in
 *   production SSB revises a table every few weeks and the daily refresh mostly finds nothing new,
 *   which is what the other cycles are.
 * - The ledger (test/support/soak.ts) is independent of score runs and the outbox: after each
 *   refresh that saw a revision it scores the stored observations with the pure engine, derives
 *   which alerts must exist and for which subscriptions, and at the end compares with the posts
 *   per delivery key: lost, duplicated, unexpected; the outbox must hold nothing pending or failed.
 * - Memory: heap used (the least of three global.gc() passes with 20 ms between; run-all runs
 *   children with --expose-gc) and RSS at the start (after set-up), after the warm-up (cycle 50)
 *   and at the end; growth is end − warm-up.
 *
 * Run: node --expose-gc --import tsx bench/soak.bench.ts [cycles]   (or npm run bench soak)
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openSoak, type SoakOutcome } from '../test/support/soak';
import { SSB_SPECS } from '../src/sources/ssb/specs';
import type { Figure } from './report';
import { formatTable, type BenchResult } from './scoring.bench';

export interface SoakBenchOptions {
  /** Cycles after the set-up. Default 1,000. */
  cycles?: number;
  /** A revision every this many cycles. Default 10. */
  reviseEvery?: number;
  /** The cycle after which the warm-up sample is taken. Default 50 (or a twentieth of a short run). */
  warmup?: number;
  /** Print progress every this many cycles (0: quiet). Default 100. */
  progressEvery?: number;
}

export interface MemorySample {
  cycle: number;
  heapMB: number;
  rssMB: number;
  dbMB: number;
  seconds: number;
}

export interface SoakBenchResult extends BenchResult {
  outcome: SoakOutcome;
  samples: { start: MemorySample; warm: MemorySample; end: MemorySample };
  seconds: number;
  relations: { relation: string; startMB: number; endMB: number }[];
}

const MB = 2 ** 20;

function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return false;
  g();
  g();
  return true;
}

export async function runSoakBench(opts: SoakBenchOptions = {}): Promise<SoakBenchResult> {
  const cycles = opts.cycles ?? 1000;
  const reviseEvery = opts.reviseEvery ?? 10;
  const warmup = Math.min(opts.warmup ?? 50, Math.max(1, Math.floor(cycles / 20)));
  const progressEvery = opts.progressEvery ?? 100;
  const t0 = performance.now();
  const soak = await openSoak({ reviseEvery });
  try {
    const setupSeconds = (performance.now() - t0) / 1000;
    const hasGc = gc();
    // One GC right after a cycle sometimes still finds ~12 MB alive (seen at single samples, gone at
    // the next): let timers and pending callbacks settle, collect three times, keep the least.
    const sample = async (cycle: number): Promise<MemorySample> => {
      let heap = Infinity;
      for (let k = 0; k < 3; k++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
        heap = Math.min(heap, process.memoryUsage().heapUsed);
      }
      const m = process.memoryUsage();
      return { cycle, heapMB: heap / MB, rssMB: m.rss / MB, dbMB: (await soak.dbSize()) / MB, seconds: (performance.now() - t0) / 1000 };
    };
    const relationsStart = await soak.relationSizes();
    const start = await sample(0);
    let warm = start;
    const tLoop = performance.now();
    let revisionMs = 0;
    let quietMs = 0;
    for (let i = 1; i <= cycles; i++) {
      const tc = performance.now();
      const c = await soak.cycle();
      if (c.revised) revisionMs += performance.now() - tc;
      else quietMs += performance.now() - tc;
      if (i === warmup) warm = await sample(i);
      if (progressEvery > 0 && i % progressEvery === 0) {
        const m = process.memoryUsage();
        console.log(`soak: cycle ${i}/${cycles}, ${((performance.now() - t0) / 1000).toFixed(0)} s, heap ${(m.heapUsed / MB).toFixed(0)} MB, rss ${(m.rss / MB).toFixed(0)} MB`);
      }
    }
    const loopSeconds = (performance.now() - tLoop) / 1000;
    const end = await sample(cycles);
    const outcome = await soak.outcome();
    const relationsEnd = await soak.relationSizes();
    const seconds = (performance.now() - t0) / 1000;

    const span = end.cycle - warm.cycle;
    const per100 = (a: number, b: number) => (span > 0 ? ((b - a) / span) * 100 : NaN);
    const heapGrowth = end.heapMB - warm.heapMB;
    const rssGrowth = end.rssMB - warm.rssMB;
    const dbGrowthPerRun = outcome.runs > 0 ? ((end.dbMB - start.dbMB) * MB) / outcome.runs : NaN;
    const startBy = new Map(relationsStart.map((r) => [r.relation, r.bytes]));
    const relations = relationsEnd
      .map((r) => ({ relation: r.relation, startMB: (startBy.get(r.relation) ?? 0) / MB, endMB: r.bytes / MB }))
      .filter((r) => r.endMB - r.startMB > 0.01)
      .sort((a, b) => b.endMB - b.startMB - (a.endMB - a.startMB));
    const revisionCycles = outcome.revisions;
    const quietCycles = cycles - revisionCycles;
    const f1 = (v: number) => v.toFixed(1);

    const table = [
      `${cycles} cycles (one revision of SSB 13563/05940 every ${reviseEvery}: ${outcome.revisions} revisions, ${outcome.runs} new score runs incl. set-up), in-memory PGlite; ${hasGc ? 'memory after global.gc()' : 'no --expose-gc: memory without forced GC'}.`,
      '',
      formatTable([
        { sample: 'start (after set-up)', cycle: start.cycle, 'heap MB': f1(start.heapMB), 'RSS MB': f1(start.rssMB), 'database MB': f1(start.dbMB), 's': f1(start.seconds) },
        { sample: 'after warm-up', cycle: warm.cycle, 'heap MB': f1(warm.heapMB), 'RSS MB': f1(warm.rssMB), 'database MB': f1(warm.dbMB), 's': f1(warm.seconds) },
        { sample: 'end', cycle: end.cycle, 'heap MB': f1(end.heapMB), 'RSS MB': f1(end.rssMB), 'database MB': f1(end.dbMB), 's': f1(end.seconds) },
        { sample: 'growth per 100 cycles (warm → end)', cycle: '', 'heap MB': per100(warm.heapMB, end.heapMB).toFixed(2), 'RSS MB': per100(warm.rssMB, end.rssMB).toFixed(2), 'database MB': per100(warm.dbMB, end.dbMB).toFixed(2), 's': '' },
      ]),
      '',
      formatTable([
        { what: 'set-up (migrate, snapshot, score, first full refresh)', value: `${f1(setupSeconds)} s` },
        { what: 'cycles', value: `${cycles} in ${f1(loopSeconds)} s (${(cycles / loopSeconds).toFixed(1)}/s)` },
        { what: 'revision cycle (refresh 1 table, rescore, ledger, dispatch)', value: revisionCycles > 0 ? `${(revisionMs / revisionCycles).toFixed(0)} ms mean` : '—' },
        { what: `quiet cycle (${SSB_SPECS.filter((sp) => sp.group === 'ssb').length} table-info requests, dispatch)`, value: quietCycles > 0 ? `${(quietMs / quietCycles).toFixed(1)} ms mean` : '—' },
        { what: 'expected alerts (ledger)', value: `${outcome.expectedEvents.tier1Enter} tier1-enter, ${outcome.expectedEvents.tier1Exit} tier1-exit, ${outcome.expectedEvents.scoreChange} watched score changes → ${outcome.expectedDeliveries} deliveries` },
        { what: 'alert events / deliveries (database)', value: `${outcome.events} / ${outcome.deliveries}` },
        { what: 'chat.postMessage calls', value: outcome.posts },
        { what: 'lost / duplicated / unexpected', value: `${outcome.lost.length} / ${outcome.duplicated.length} / ${outcome.unexpected.length}` },
        { what: 'outbox pending / failed at the end', value: `${outcome.backlog.pending} / ${outcome.backlog.failed}` },
        { what: 'database growth per new score run', value: `${(dbGrowthPerRun / 1024).toFixed(0)} KiB` },
      ]),
      '',
      'Growth by table (MB, start → end):',
      formatTable(relations.slice(0, 8).map((r) => ({ table: r.relation, start: r.startMB.toFixed(2), end: r.endMB.toFixed(2), growth: (r.endMB - r.startMB).toFixed(2) }))),
      ...(outcome.lost.length + outcome.duplicated.length + outcome.unexpected.length > 0
        ? ['', `lost: ${outcome.lost.slice(0, 5).join(', ')}`, `duplicated: ${outcome.duplicated.slice(0, 5).join(', ')}`, `unexpected: ${outcome.unexpected.slice(0, 5).join(', ')}`]
        : []),
    ].join('\n');

    const figures: Figure[] = [
      {
        id: 'soak.lost',
        label: `alerts the ledger expects that never reached Slack, over ${cycles} cycles (${outcome.expectedDeliveries} expected deliveries)`,
        value: outcome.lost.length + outcome.backlog.pending + outcome.backlog.failed,
        unit: 'lost',
        decimals: 0,
        goal: { text: '= 0', issue: 9, on: 'value', op: '=', target: 0 },
      },
      {
        id: 'soak.duplicated',
        label: 'delivery keys posted more than once, plus posts the ledger did not expect',
        value: outcome.duplicated.length + outcome.unexpected.length,
        unit: 'duplicated',
        comparison: { label: 'chat.postMessage calls', value: outcome.posts, unit: 'calls' },
        decimals: 0,
        goal: { text: '= 0', issue: 9, on: 'value', op: '=', target: 0 },
      },
      {
        id: 'soak.heap-growth',
        label: `heap used after GC, end − after warm-up (cycle ${warm.cycle} → ${end.cycle}); the ledger and the fake Slack's key counts (a few thousand strings) are part of it`,
        value: heapGrowth,
        unit: 'MB',
        comparison: { label: 'heap after warm-up', value: warm.heapMB, unit: 'MB' },
        ratio: end.heapMB / warm.heapMB,
        ratioMeaning: 'end ÷ warm',
        // Issue 9 asks for the growth, not a bound; 10 MB over the run is the bound we hold it to for "no leak".
        goal: { text: `< 10 MB over ${span} cycles (our bound for "no leak")`, issue: 9, on: 'value', op: '<', target: 10 },
        shortfall: { reason: 'heap kept growing after the warm-up: something in the cycle retains memory.', fix: 'take heap snapshots at the warm-up and the end (node --heapsnapshot-signal) and compare retainers.' },
      },
      {
        id: 'soak.rss-growth',
        label: `RSS after GC, end − after warm-up (cycle ${warm.cycle} → ${end.cycle}); includes the in-memory database (PGlite's WebAssembly memory grows with it and never shrinks)`,
        value: rssGrowth,
        unit: 'MB',
        comparison: { label: 'RSS after warm-up', value: warm.rssMB, unit: 'MB' },
        ratio: end.rssMB / warm.rssMB,
        ratioMeaning: 'end ÷ warm',
      },
      {
        id: 'soak.db-size',
        label: `pg_database_size at the end; grows with history: ${outcome.runs} score runs × 357 score rows, job_runs, archived responses (${(dbGrowthPerRun / 1024).toFixed(0)} KiB per new score run)`,
        value: end.dbMB,
        unit: 'MB',
        comparison: { label: 'at the start', value: start.dbMB, unit: 'MB' },
        ratio: end.dbMB / start.dbMB,
        ratioMeaning: 'end ÷ start',
      },
      {
        id: 'soak.time',
        label: `${cycles} cycles with ${outcome.revisions} revisions (set-up excluded)`,
        value: loopSeconds,
        unit: 's',
        comparison: { label: 'our time budget for the benchmark', value: 600, unit: 's' },
        ratio: loopSeconds / 600,
        ratioMeaning: 'measured ÷ budget',
      },
    ];
    return { name: 'soak', rows: [], table, figures, outcome, samples: { start, warm, end }, seconds, relations };
  } finally {
    await soak.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv[2];
  const cycles = arg === undefined ? undefined : Number(arg);
  if (cycles !== undefined && !(Number.isInteger(cycles) && cycles > 0)) {
    console.error(`usage: node --expose-gc --import tsx bench/soak.bench.ts [cycles]  (got ${arg})`);
    process.exitCode = 1;
  } else {
    runSoakBench(cycles === undefined ? {} : { cycles }).then(
      (res) => console.log(res.table),
      (err: unknown) => {
        console.error(err);
        process.exitCode = 1;
      },
    );
  }
}
