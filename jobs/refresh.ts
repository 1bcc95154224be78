import type { ServiceDeps } from '../src/services/deps';
import { refreshSources, type MakeHttpClient, type SourceGroup } from '../src/services/refresh-sources';
import type { JobDefinition } from './run-job';

export interface RefreshJobDeps extends ServiceDeps {
  makeHttp: MakeHttpClient;
  /** Called after every refresh so the read model picks up new scores, names and source status. */
  onRefreshed?: () => Promise<void>;
}

export function refreshJob(name: string, cron: string, groups: readonly SourceGroup[], description: string): JobDefinition<RefreshJobDeps> {
  return {
    name,
    cron,
    description,
    async run(deps) {
      const report = await refreshSources(deps, { groups, makeHttp: deps.makeHttp });
      await deps.onRefreshed?.();
      return {
        rows_changed: report.rowsChanged,
        score_run: report.rescore?.runId ?? null,
        requests: report.sources.reduce((n, s) => n + s.requests, 0),
        failed: report.sources.flatMap((s) => s.datasets.filter((d) => d.outcome === 'failed' || d.outcome === 'unreachable').map((d) => `${s.source}:${d.dataset}`)),
      };
    },
  };
}
