import { createLotSource, isPlanResult } from '../src/sources/lots/source';
import { classifyLotFailure, failureLogFields } from '../src/sources/lots/failure';
import { ingestLots, ingestPlans } from '../src/services/lots/ingest';
import type { HttpClient } from '../src/lib/http';
import { listBoundaries } from '../src/store/repos/boundaries';
import { listLotSources, recordLotFetch, type LotSourceRow } from '../src/store/repos/lots';
import type { RefreshJobDeps } from './refresh';
import type { JobDefinition } from './run-job';

const CADENCE_MS: Record<string, number> = { hourly: 3600_000, daily: 86_400_000, weekly: 7 * 86_400_000, monthly: 30 * 86_400_000 };

export interface LotsJobOptions {
  /** Sources fetched at the same time. Default 4. */
  concurrency?: number;
  /** Everything one source may take (every request, retry and wait). Default 5 minutes. */
  sourceDeadlineMs?: number;
}

/**
 * Fetches every active lot source whose cadence says it is due (hourly, daily, weekly, monthly
 * since its last fetch), stores the lots and alerts on new ones. Sources are fetched side by side,
 * each within its own deadline, so a slow or hanging one delays no other beyond that deadline;
 * storing is one source at a time. A source that fails keeps its lots (nothing is withdrawn on a
 * failed fetch) and records a short reason of ours (sources/lots/failure.ts), never the upstream's
 * words; the others go on.
 */
export function lotsJob(name: string, cron: string, opts: LotsJobOptions = {}): JobDefinition<RefreshJobDeps> {
  const concurrency = opts.concurrency ?? 4;
  const deadlineMs = opts.sourceDeadlineMs ?? 5 * 60_000;
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

      // Writes go one at a time (PGlite has one connection; ingests are transactions anyway).
      let writes: Promise<unknown> = Promise.resolve();
      const serially = <T>(fn: () => Promise<T>): Promise<T> => {
        const p = writes.then(fn);
        writes = p.catch(() => {});
        return p;
      };

      const fetchOne = async (s: LotSourceRow): Promise<void> => {
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new Error(`source deadline of ${deadlineMs} ms passed`)), deadlineMs);
        const bounded: HttpClient = { request: (req) => http.request({ ...req, signal: deadline.signal }) };
        try {
          const source = createLotSource(s.config);
          const result = await source.fetch(bounded, ctx.now);
          clearTimeout(timer);
          await serially(async () => {
            const baseline = s.lastSuccessAt === null;
            const report = isPlanResult(result) ? await ingestPlans(deps, s.id, result, { baseline }) : await ingestLots(deps, s.id, result, boundaries, { baseline });
            await recordLotFetch(deps.db, s.id, ctx.now, null);
            summary[s.id] = { new: report.new, updated: report.updated, withdrawn: report.withdrawn, events: report.events, errors: report.errors.length };
            if (report.errors.length > 0) deps.logger.warn('lot source: features skipped', { source: s.id, count: report.errors.length, errors: report.errors.slice(0, 10).map((e) => ({ key: e.key, message: e.message.slice(0, 160) })) });
          });
        } catch (err) {
          const reason = classifyLotFailure(err);
          await serially(() => recordLotFetch(deps.db, s.id, ctx.now, reason));
          summary[s.id] = { failed: reason };
          deps.logger.warn('lot source failed', { source: s.id, ...failureLogFields(err) });
        } finally {
          clearTimeout(timer);
        }
      };

      const queue = [...due];
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let s = queue.shift(); s; s = queue.shift()) await fetchOne(s);
        }),
      );
      await writes;
      await deps.onRefreshed?.();
      return summary;
    },
  };
}
