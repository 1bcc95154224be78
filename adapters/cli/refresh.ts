// `tomte refresh`: fetches every source (or the groups named), archives, upserts and rescores in
// the database the service uses, printing progress per table. Refused while the service holds the
// embedded database (it refreshes on its own schedule; two writers would lose data).
import type { Composition } from '../compose';
import { DatabaseLockedError } from '../db/lock';
import { closeRuntime, startRuntime, type Runtime } from '../node/bootstrap';
import { refreshSources, SOURCE_GROUPS, type SourceGroup } from '../../src/services/refresh-sources';
import { createRefreshProgress } from './progress';

export async function refreshCommand(comp: Composition, opts: { source: string | undefined; dryRun: boolean }): Promise<number> {
  const groups = opts.source ? opts.source.split(',').map((g) => g.trim()) : [...SOURCE_GROUPS];
  const bad = groups.filter((g) => !(SOURCE_GROUPS as readonly string[]).includes(g));
  if (bad.length > 0) {
    process.stderr.write(`Ukjent kilde: ${bad.join(', ')}. Velg blant ${SOURCE_GROUPS.join(', ')}.\n`);
    return 64;
  }
  let runtime: Runtime;
  try {
    runtime = await startRuntime(comp);
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      process.stderr.write(`Tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}. Stopp den, eller la den oppdatere selv (den kjører refresh etter planen).\n`);
      return 75;
    }
    throw err;
  }
  try {
    const progress = createRefreshProgress({ write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true, columns: process.stdout.columns ?? 100 });
    const report = await refreshSources(runtime.deps, {
      groups: groups as SourceGroup[],
      dryRun: opts.dryRun,
      makeHttp: comp.makeHttp,
      onPhase: progress.onPhase,
      onProgress: progress.onProgress,
    });
    process.stdout.write('\n');
    for (const s of report.sources) {
      const kb = (s.bytes / 1024).toFixed(0);
      process.stdout.write(`${s.source}: ${s.requests} forespørsler, ${kb} kB${s.unreachable ? ' – kilden svarer ikke (ingen nettverkstilgang?); tidligere tall beholdes' : ''}\n`);
      for (const w of s.warnings) process.stdout.write(`  advarsel: ${w}\n`);
    }
    process.stdout.write(report.rescore ? `Ny beregning: kjøring ${report.rescore.runId}\n` : 'Ingen endringer å beregne.\n');
    const failed = report.sources.some((s) => s.datasets.some((d) => d.outcome === 'failed'));
    return failed ? 1 : 0;
  } finally {
    // Closing writes the read-model file, so the next lookup sees the new figures without a start.
    await closeRuntime(runtime, comp);
  }
}
