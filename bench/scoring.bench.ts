/**
 * Scoring benchmark: both models (praksis-2026 and seed-2026) over one observation index, as a
 * score run does (index build + derive + rules or percentile ranks + tiers), on the real snapshot
 * (357 kommuner) and on 100,000 synthetic kommuner made by cycling the real kommuner's
 * observations under new codes (S000001…), both in the order the store hands them to a score run;
 * each model alone for comparison.
 * Run: node --import tsx bench/scoring.bench.ts
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { NATIONAL_REGION } from '../src/domain/kommune/types';
import { observationKey, type Observation } from '../src/domain/observation';
import { scoreModels } from '../src/domain/scoring/engine';
import { ObservationIndex } from '../src/domain/scoring/observation-index';
import type { ScoringModel } from '../src/domain/scoring/model';
import { MODELS } from '../src/domain/scoring/models';
import { praksis2026 } from '../src/domain/scoring/models/praksis-2026';
import { seed2026 } from '../src/domain/scoring/models/seed-2026';
import { parseKommunerCsv } from '../src/sources/snapshot/kommuner';
import { SNAPSHOT_FILES } from '../src/sources/snapshot/observations';
import type { Figure } from './report';

export interface BenchRow {
  case: string;
  kommuner: number;
  runs: number;
  medianMs: number;
  usPerKommune: number;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  /** Plain-text table for the console. */
  table: string;
  /** The figures for bench/RESULTS.md (bench/report.ts). */
  figures?: Figure[];
}

export interface ScoringBenchResult extends BenchResult {
  /** time(synthetic) / time(real). */
  timeRatio: number;
  /** synthetic kommuner / real kommuner: the ratio for linear scaling. */
  workRatio: number;
  /** Median of the 357-kommune run of both models is under the budget. */
  realUnderBudget: boolean;
  budgetMs: number;
}

export interface ScoringBenchOptions {
  realRuns?: number;
  syntheticRuns?: number;
  syntheticKommuner?: number;
  warmupRuns?: number;
}

const dataFile = (name: string) => readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8');

/**
 * The observations as a score run gets them from the store (`listObservations`): in natural key
 * order (kommune, indicator, period), each a fresh object made in that order, so they lie on the
 * heap in the same layout as a query's rows. Scoring time depends on it (docs/speed.md).
 */
function inStoreOrder(observations: readonly Observation[]): Observation[] {
  const keyed = observations.map((o) => ({ key: observationKey(o), o }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ o }) => ({ ...o }));
}

export function loadSnapshot(): { observations: Observation[]; kommuneCodes: string[] } {
  const observations = inStoreOrder(SNAPSHOT_FILES.flatMap((f) => f.parse(dataFile(f.name))));
  const kommuneCodes = parseKommunerCsv(dataFile('kommuner-2024.csv')).map((k) => k.code);
  return { observations, kommuneCodes };
}

/**
 * n synthetic kommuner: kommune i copies the observations of real kommune i mod 357. National rows
 * are kept once. From input in the store's order the output is in it too (codes S000001… ascend).
 */
export function syntheticWorld(
  real: { observations: readonly Observation[]; kommuneCodes: readonly string[] },
  n: number,
): { observations: Observation[]; kommuneCodes: string[] } {
  const byRegion = new Map<string, Observation[]>();
  const national: Observation[] = [];
  for (const o of real.observations) {
    if (o.regionCode === NATIONAL_REGION) {
      national.push(o);
      continue;
    }
    let list = byRegion.get(o.regionCode);
    if (!list) byRegion.set(o.regionCode, (list = []));
    list.push(o);
  }
  const kommuneCodes: string[] = [];
  const observations: Observation[] = [...national];
  for (let i = 0; i < n; i++) {
    const code = `S${String(i + 1).padStart(6, '0')}`;
    kommuneCodes.push(code);
    for (const o of byRegion.get(real.kommuneCodes[i % real.kommuneCodes.length]!) ?? []) {
      observations.push({ ...o, regionCode: code });
    }
  }
  return { observations, kommuneCodes };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Keeps results observable so the work cannot be optimised away. */
let sink = 0;

type World = { observations: readonly Observation[]; kommuneCodes: readonly string[] };

/** The time of each of `runs` calls of `work`; what it returns goes to the sink. */
function timeCalls(runs: number, work: () => number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const kept = work();
    times.push(performance.now() - t0);
    sink += kept;
  }
  return times;
}

function timeScoreAll(input: World, runs: number, models: readonly ScoringModel[] = MODELS): number[] {
  return timeCalls(runs, () => {
    let kept = 0;
    for (const r of scoreModels(models, input.observations, input.kommuneCodes).values()) kept += r.length + (r[r.length - 1]?.total ?? 0);
    return kept;
  });
}

/** The first step of every score run alone: the observation index built from the observation objects. */
function timeIndex(input: World, runs: number): number[] {
  return timeCalls(runs, () => new ObservationIndex(input.observations, input.kommuneCodes).periods('population').length);
}

function row(label: string, kommuner: number, times: number[]): BenchRow {
  const medianMs = median(times);
  return { case: label, kommuner, runs: times.length, medianMs, usPerKommune: (medianMs * 1000) / kommuner };
}

export function formatTable(rows: readonly Record<string, string | number | boolean>[]): string {
  if (rows.length === 0) return '';
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => String(r[c])));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(width[i]!) : v.padStart(width[i]!))).join('  ');
  return [line(cols), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export async function runScoringBench(opts: ScoringBenchOptions = {}): Promise<ScoringBenchResult> {
  const realRuns = Math.max(30, opts.realRuns ?? 50);
  const syntheticRuns = Math.max(3, opts.syntheticRuns ?? 3);
  const n = opts.syntheticKommuner ?? 100_000;
  const budgetMs = 20;

  const real = loadSnapshot();
  timeScoreAll(real, opts.warmupRuns ?? 50);
  const realRow = row('real snapshot, both models', real.kommuneCodes.length, timeScoreAll(real, realRuns));
  const seedRow = row('real snapshot, seed-2026 alone', real.kommuneCodes.length, timeScoreAll(real, realRuns, [seed2026]));
  const praksisRow = row('real snapshot, praksis-2026 alone', real.kommuneCodes.length, timeScoreAll(real, realRuns, [praksis2026]));
  const realIndexRow = row('real snapshot, observation index alone', real.kommuneCodes.length, timeIndex(real, realRuns));

  let synthetic: ReturnType<typeof syntheticWorld> | null = syntheticWorld(real, n);
  timeScoreAll(synthetic, 1); // warm-up at this size (allocation paths, larger columns)
  const synthRow = row('synthetic, both models', n, timeScoreAll(synthetic, syntheticRuns));
  const synthIndexRow = row('synthetic, observation index alone', n, timeIndex(synthetic, syntheticRuns));
  const syntheticObservations = synthetic.observations.length;
  synthetic = null;

  const timeRatio = synthRow.medianMs / realRow.medianMs;
  const workRatio = n / real.kommuneCodes.length;
  const realUnderBudget = realRow.medianMs < budgetMs;
  const indexRatio = synthIndexRow.medianMs / realIndexRow.medianMs;
  const rows = [realRow, seedRow, praksisRow, realIndexRow, synthRow, synthIndexRow];
  const table = [
    formatTable(
      rows.map((r) => ({
        case: r.case,
        kommuner: r.kommuner,
        runs: r.runs,
        'median ms': r.medianMs.toFixed(2),
        'µs/kommune': r.usPerKommune.toFixed(2),
      })),
    ),
    '',
    `time ratio ${n}/${real.kommuneCodes.length}: ${timeRatio.toFixed(1)}× (work ratio ${workRatio.toFixed(1)}×, scaling ${(timeRatio / workRatio).toFixed(2)} of linear)`,
    `observation index alone, time ratio ${n}/${real.kommuneCodes.length}: ${indexRatio.toFixed(1)}× (${(indexRatio / workRatio).toFixed(2)} of linear)`,
    `357 kommuner, both models, under ${budgetMs} ms: ${realUnderBudget ? 'yes' : 'NO'} (median ${realRow.medianMs.toFixed(2)} ms)`,
  ].join('\n');
  if (sink === -1) console.log(sink);
  const figures: Figure[] = [
    {
      id: 'scoring.real',
      label: `both models (praksis-2026 + seed-2026) over one index, the ${real.kommuneCodes.length} kommuner of the snapshot (median of ${realRuns} calls)`,
      value: realRow.medianMs,
      unit: 'ms',
      goal: { text: `< ${budgetMs} ms`, issue: 14, on: 'value', op: '<', target: budgetMs },
      shortfall: {
        reason: 'measured on the 2-core AMD EPYC machine of 2026-12-06, about two thirds of a call is young-generation GC: a run allocates 8.2 MB, and a scavenge about every second call copies the results under construction (about 10 ms each there). With a 64 MB semi-space (node --max-semi-space-size=64) the same code takes 7.9–9.1 ms (medians of 250 calls in two processes); on the Intel Xeon machine of the same day it took 11.0 ms with Node\'s defaults.',
        fix: 'keep fewer objects alive during a run (fewer result objects, typed columns), or run the service with a larger young generation once its cost in idle memory (issue 17: at most 300 MB) is measured. Scoring runs after a refresh, not per request, so this time does not reach a user.',
      },
    },
    { id: 'scoring.real.seed', label: `seed-2026 alone, ${real.kommuneCodes.length} kommuner (index included)`, value: seedRow.medianMs, unit: 'ms' },
    { id: 'scoring.real.praksis', label: `praksis-2026 alone, ${real.kommuneCodes.length} kommuner (index included)`, value: praksisRow.medianMs, unit: 'ms' },
    {
      id: 'scoring.scaling',
      label: `both models, ${n.toLocaleString('en-US')} synthetic kommuner (median of ${syntheticRuns} calls)`,
      value: synthRow.medianMs,
      unit: 'ms',
      comparison: { label: `${real.kommuneCodes.length} kommuner`, value: realRow.medianMs, unit: 'ms' },
      ratio: timeRatio,
      ratioMeaning: `time ratio; ${workRatio.toFixed(0)} = linear`,
      decimals: 0,
      goal: { text: `ratio ≤ ${(workRatio * 1.1).toFixed(0)} (linear within 10 %)`, issue: 14, on: 'ratio', op: '<=', target: workRatio * 1.1 },
      shortfall: {
        reason: `the input alone is ${(syntheticObservations / 1e6).toFixed(1)} million observation objects (about 0.9 GB of heap), and a run leaves 9.3 KB of result objects per kommune (0.9 GB at this size), with 5.9 KB more of derivations and index while it runs. Measured on 2026-12-06 (--trace-gc): each run pays two full mark-compacts that mark the input (3–5 s) and about 130 scavenges that copy the surviving results (2.6–2.8 s); at 357 kommuner a call pays a full mark about once in 19 calls, over a heap of tens of MB, and a scavenge about once in two. Outside GC a kommune still costs about four times what it does at 357 (95–105 µs, the run less its GC pauses, against 22–25 µs with a 64 MB semi-space): per-kommune lookups and result writes miss the caches of a 3 GB heap. The first step alone, building the observation index from those objects before any scoring, already grows faster than linearly (the "observation index alone" row). docs/speed.md ("Scoring at 100,000 kommuner") has the figures.`,
        fix: 'the input off the heap: the store handing the engine typed columns per indicator and period instead of 6.5 million observation objects, and an engine that keeps its working set in those columns and builds reasons and provenance only for the kommuner a reply or a stored run reads. A columnar engine over the same objects does not do it: a prototype with typed columns and no result objects took 1.1 ms for 357 kommuner and 1.2–2.0 s for 100,000 (ratio above 1,000), because its 80 MB of columns still starts a full mark of the input (docs/speed.md). Not built: it changes the store interface and the 27 indicator modules, and Norway has 357 kommuner.',
      },
    },
    {
      id: 'scoring.index-scaling',
      label: `the observation index alone (the first step of a score run), ${n.toLocaleString('en-US')} synthetic kommuner (median of ${syntheticRuns} builds)`,
      value: synthIndexRow.medianMs,
      unit: 'ms',
      comparison: { label: `${real.kommuneCodes.length} kommuner (median of ${realRuns})`, value: realIndexRow.medianMs, unit: 'ms' },
      ratio: indexRatio,
      ratioMeaning: `time ratio; ${workRatio.toFixed(0)} = linear`,
      decimals: 0,
    },
  ];
  return { name: 'scoring', rows, table, timeRatio, workRatio, realUnderBudget, budgetMs, figures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runScoringBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
