import type { ServiceDeps } from '../src/services/deps';
import { claimJobRun, finishJobRun } from '../src/store/repos/job-runs';
import { jobRuns } from '../src/lib/metrics';

export interface JobContext {
  now: Date;
  /** The schedule slot this run belongs to, e.g. "2026-11-24T05:15Z". */
  slot: string;
}

export interface JobDefinition<D extends ServiceDeps = ServiceDeps> {
  name: string;
  /** Five-field cron expression in UTC; the same list feeds node-cron and wrangler.toml. */
  cron: string;
  description: string;
  run(deps: D, ctx: JobContext): Promise<Record<string, unknown>>;
}

/** The slot of a scheduled time: minute precision, UTC. */
export function slotOf(date: Date): string {
  return `${date.toISOString().slice(0, 16)}Z`;
}

/**
 * Runs a job once per slot across every instance: the (job, slot) claim in job_runs decides who
 * runs; the outcome and summary are recorded; errors are logged and recorded, never thrown to the
 * scheduler.
 */
export async function runJob<D extends ServiceDeps>(job: JobDefinition<D>, deps: D, now: Date = deps.now()): Promise<'ran' | 'claimed-elsewhere' | 'failed'> {
  const slot = slotOf(now);
  const claim = await claimJobRun(deps.db, job.name, slot);
  if (!claim) return 'claimed-elsewhere';
  const started = performance.now();
  try {
    const summary = await job.run(deps, { now, slot });
    await finishJobRun(deps.db, claim.id, 'ok', summary);
    jobRuns.inc({ job: job.name, outcome: 'ok' });
    deps.logger.info('job run', { job: job.name, slot, outcome: 'ok', duration_ms: Math.round(performance.now() - started), ...summary });
    return 'ran';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await finishJobRun(deps.db, claim.id, 'failed', undefined, message);
    jobRuns.inc({ job: job.name, outcome: 'failed' });
    deps.logger.error('job run', { job: job.name, slot, outcome: 'failed', duration_ms: Math.round(performance.now() - started), error: message });
    return 'failed';
  }
}
