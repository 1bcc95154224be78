import type { GaugeSample } from '../lib/metrics';
import { outboxBacklog } from '../store/repos/alerts';
import { appliedMigrations, pingDatabase } from '../store/repos/health';
import { latestScoreRun } from '../store/repos/scores';
import { listSourceStatus } from '../store/repos/source-status';
import type { ServiceDeps } from './deps';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
  dataAgeSeconds: Record<string, number | null>;
}

/**
 * Deep readiness: the database answers, every migration shipped with this build is applied, and
 * how old each source's data is (reported, not judged: stale public data is not an outage).
 */
export async function readiness(deps: ServiceDeps, expectedMigrations: number): Promise<ReadinessReport> {
  const checks: ReadinessReport['checks'] = {};
  let dbOk = false;
  try {
    dbOk = await pingDatabase(deps.db);
    checks.database = { ok: dbOk };
  } catch (err) {
    checks.database = { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
  if (dbOk) {
    const applied = await appliedMigrations(deps.db);
    checks.migrations = { ok: applied >= expectedMigrations, detail: `${applied} of ${expectedMigrations} applied` };
  } else {
    checks.migrations = { ok: false, detail: 'database unreachable' };
  }
  const dataAgeSeconds: Record<string, number | null> = {};
  if (dbOk) {
    const now = deps.now().getTime();
    for (const s of await listSourceStatus(deps.db)) dataAgeSeconds[`${s.source}/${s.dataset}`] = s.lastSuccessAt ? Math.round((now - s.lastSuccessAt.getTime()) / 1000) : null;
  }
  return { ok: Object.values(checks).every((c) => c.ok), checks, dataAgeSeconds };
}

/** Gauges for /metrics: outbox backlog and failures, age of each dataset and of the latest score run. */
export async function operationalGauges(deps: ServiceDeps): Promise<GaugeSample[]> {
  const now = deps.now().getTime();
  const [backlog, status, run] = await Promise.all([outboxBacklog(deps.db), listSourceStatus(deps.db), latestScoreRun(deps.db, deps.model.id)]);
  return [
    { name: 'tomte_outbox_pending', help: 'Alert deliveries waiting to be sent (pending or in flight)', samples: [{ value: backlog.pending }] },
    { name: 'tomte_outbox_failed', help: 'Alert deliveries that failed for good', samples: [{ value: backlog.failed }] },
    {
      name: 'tomte_source_data_age_seconds',
      help: 'Seconds since the last successful refresh of each dataset',
      samples: status.filter((s) => s.lastSuccessAt).map((s) => ({ labels: { source: s.source, dataset: s.dataset }, value: Math.round((now - s.lastSuccessAt!.getTime()) / 1000) })),
    },
    {
      name: 'tomte_source_failing',
      help: '1 when the last attempt at a dataset failed',
      samples: status.map((s) => ({ labels: { source: s.source, dataset: s.dataset }, value: s.lastFailureAt && (!s.lastSuccessAt || s.lastFailureAt > s.lastSuccessAt) ? 1 : 0 })),
    },
    { name: 'tomte_score_run_age_seconds', help: 'Seconds since the latest score run finished', samples: run ? [{ value: Math.round((now - run.finishedAt.getTime()) / 1000) }] : [] },
  ];
}
