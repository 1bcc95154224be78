/**
 * Runs every benchmark in sequence and prints its table. Run: npm run bench
 * To add a benchmark: export `run…Bench(): Promise<BenchResult>` from bench/<name>.bench.ts
 * and list it in BENCHES.
 * `lots` reports memory; for comparable heap figures run it with a forced GC between runs:
 *   node --expose-gc --import tsx bench/run-all.ts lots
 * (without --expose-gc it runs all the same and says so in its table).
 */
import { runRefreshBench } from './refresh.bench';
import { runScoringBench, type BenchResult } from './scoring.bench';
import { runSlackBench } from './slack.bench';
import { runDispatchBench } from './dispatch.bench';
import { runApiBench } from './api.bench';
import { runLotsBench } from './lots.bench';

interface BenchModule {
  name: string;
  run: () => Promise<BenchResult>;
}

const BENCHES: readonly BenchModule[] = [
  { name: 'scoring', run: runScoringBench },
  { name: 'refresh', run: runRefreshBench },
  { name: 'slack', run: runSlackBench },
  { name: 'dispatch', run: runDispatchBench },
  { name: 'api', run: runApiBench },
  { name: 'lots', run: runLotsBench },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length > 0 ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  if (selected.length === 0) {
    console.error(`No benchmark named ${only.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exitCode = 1;
    return;
  }
  for (const b of selected) {
    const t0 = Date.now();
    const res = await b.run();
    console.log(`\n== ${b.name} (${((Date.now() - t0) / 1000).toFixed(1)} s) ==\n`);
    console.log(res.table);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
