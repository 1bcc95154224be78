import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { jobRuns, type JobRunStatus } from '../schema';

export type { JobRunStatus };

export interface StoredJobRun {
  id: number;
  job: string;
  slot: string;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  summary: unknown;
  error: string | null;
}

/**
 * Claims (job, slot) for this instance. Returns null when any instance already claimed it, so a
 * scheduled job runs once per slot however many instances fire the same schedule.
 */
export async function claimJobRun(db: Db, job: string, slot: string): Promise<{ id: number } | null> {
  const [row] = await db
    .insert(jobRuns)
    .values({ job, slot, status: 'running' })
    .onConflictDoNothing({ target: [jobRuns.job, jobRuns.slot] })
    .returning({ id: jobRuns.id });
  return row ?? null;
}

/** Records the outcome of a claimed run; false when the run is unknown or already finished. */
export async function finishJobRun(
  db: Db,
  id: number,
  status: Exclude<JobRunStatus, 'running'>,
  summary?: unknown,
  error?: string,
): Promise<boolean> {
  const rows = await db
    .update(jobRuns)
    // Database clock, like started_at, so durations are not skewed by instance clocks.
    .set({ status, finishedAt: sql`now()`, summary: summary ?? null, error: error ?? null })
    // Only a running claim can finish; a second finish must not overwrite the first outcome.
    .where(and(eq(jobRuns.id, id), eq(jobRuns.status, 'running')))
    .returning({ id: jobRuns.id });
  return rows.length > 0;
}

/** The latest runs of a job, newest first. */
export async function lastJobRuns(db: Db, job: string, limit: number): Promise<StoredJobRun[]> {
  return db
    .select({
      id: jobRuns.id,
      job: jobRuns.job,
      slot: jobRuns.slot,
      status: jobRuns.status,
      startedAt: jobRuns.startedAt,
      finishedAt: jobRuns.finishedAt,
      summary: jobRuns.summary,
      error: jobRuns.error,
    })
    .from(jobRuns)
    .where(eq(jobRuns.job, job))
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(limit);
}
