import { createLotSource, isPlanResult } from '../src/sources/lots/source';
import { ingestLots, ingestPlans } from '../src/services/lots/ingest';
import { listBoundaries } from '../src/store/repos/boundaries';
import { listLotSources, recordLotFetch } from '../src/store/repos/lots';
import type { RefreshJobDeps } from './refresh';
import type { JobDefinition } from './run-job';

const CADENCE_MS: Record<string, number> = { hourly: 3600_000, daily: 86_400_000, weekly: 7 * 86_400_000, monthly: 30 * 86_400_000 };

/**
 * Fetches every active lot source whose cadence says it is due (hourly, daily, weekly, monthly
 * since its last fetch), stores the lots and alerts on new ones. A source that fails keeps its
 * lots (nothing is withdrawn on a failed fetch) and records the error; the others go on.
 */
export function lotsJob(name: string, cron: string): JobDefinition<RefreshJobDeps> {
  return {
    name,
    cron,
    description: 'Lot sources due by their cadence: new lots and plan initiatives, withdrawn lots',
    async run(deps, ctx) {
      const sources = (await listLotSources(deps.db)).filter((s) => s.status === 'active');
      const due = sources.filter((s) => !s.lastFetchAt || ctx.now.getTime() - s.lastFetchAt.getTime() >= (CADENCE_MS[s.cadence] ?? CADENCE_MS.daily!) - 60_000);
      if (due.length === 0) return { sources: sources.length, fetched: 0 };
      const boundaries = await listBoundaries(deps.db);
      const http = deps.makeHttp('lots', async () => {});
      const summary: Record<string, unknown> = { sources: sources.length, fetched: due.length };
      for (const s of due) {
        try {
          const source = createLotSource(s.config);
          const result = await source.fetch(http, ctx.now);
          const baseline = s.lastSuccessAt === null;
          const report = isPlanResult(result) ? await ingestPlans(deps, s.id, result, { baseline }) : await ingestLots(deps, s.id, result, boundaries, { baseline });
          await recordLotFetch(deps.db, s.id, ctx.now, null);
          summary[s.id] = { new: report.new, updated: report.updated, withdrawn: report.withdrawn, events: report.events, errors: report.errors.length };
          if (report.errors.length > 0) deps.logger.warn('lot source: features skipped', { source: s.id, errors: report.errors.slice(0, 10) });
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          await recordLotFetch(deps.db, s.id, ctx.now, message);
          summary[s.id] = { failed: message };
          deps.logger.error('lot source failed', { source: s.id, error: message });
        }
      }
      await deps.onRefreshed?.();
      return summary;
    },
  };
}
