/**
 * Validation figures for bench/RESULTS.md (issue 14): both models and the two baselines against
 * the bundled known cases, through the same path as `tomte valider` (the snapshot loaded into an
 * in-memory PGlite, every model scored, the read model, the case list resolved). Not a speed
 * measurement: it puts the validation table beside the other evidence. Run:
 * node --import tsx bench/validation.bench.ts
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { openPglite } from '../adapters/db/pglite';
import { migrateDatabase } from '../adapters/db/migrate';
import { readSnapshotTexts } from '../adapters/node/bootstrap';
import { MODELS } from '../src/domain/scoring/models';
import { loadSnapshot } from '../src/services/load-snapshot';
import { ReadModel } from '../src/services/read-model';
import { rescore } from '../src/services/rescore';
import { parseCaseList, validateModels } from '../src/services/validation';
import { testDeps } from '../test/support/runtime';
import type { Figure } from './report';
import { formatTable, type BenchResult } from './scoring.bench';

export async function runValidationBench(): Promise<BenchResult> {
  const handle = await openPglite({});
  try {
    await migrateDatabase(handle);
    const deps = testDeps(handle.db, MODELS);
    await loadSnapshot(deps, readSnapshotTexts());
    await rescore(deps, 'bench');
    const rm = await ReadModel.load(deps);
    const file = 'data/fasit/kjente-tilfeller.csv';
    // The random baseline's hits are an expectation (0.70 of 10 cases in the top 25), not a count.
    const hits = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
    const report = validateModels(rm, parseCaseList(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'), 'csv'));
    const pop = report.rankings.find((r) => r.id === 'befolkning')!;
    const figures: Figure[] = report.rankings.flatMap((r): Figure[] => [
      {
        id: `validation.${r.id}.mean-percentile`,
        label: `${r.id}: mean percentile of the ${r.n} known cases in ${file} (1 = top, 0.5 = chance)`,
        value: r.meanPercentile,
        unit: '',
        ...(r.kind === 'model' ? { comparison: { label: 'sorted by population', value: pop.meanPercentile, unit: '' }, ratio: r.meanPercentile / pop.meanPercentile, ratioMeaning: 'model ÷ population baseline' } : {}),
        decimals: 3,
      },
      {
        id: `validation.${r.id}.auc`,
        label: `${r.id}: ROC AUC against all other kommuner; hits in top 25 / 50: ${hits(r.top25)} / ${hits(r.top50)}${Number.isInteger(r.top25) ? '' : ' (expected)'}`,
        value: r.auc,
        unit: '',
        ...(r.kind === 'model' ? { comparison: { label: 'sorted by population', value: pop.auc, unit: '' }, ratio: r.auc / pop.auc, ratioMeaning: 'model ÷ population baseline' } : {}),
        decimals: 3,
      },
    ]);
    const table = formatTable(
      report.rankings.map((r) => ({
        ranking: r.id,
        'mean percentile': r.meanPercentile.toFixed(3),
        'top 25': Number.isInteger(r.top25) ? r.top25 : r.top25.toFixed(1),
        'top 50': Number.isInteger(r.top50) ? r.top50 : r.top50.toFixed(1),
        AUC: r.auc.toFixed(3),
      })),
    );
    return { name: 'validation', rows: [], table: `${table}\n\nbest model: ${report.best}; ${report.cases.filter((c) => c.positive).length} cases, ${report.duplicates} duplicate rows merged`, figures };
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runValidationBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
