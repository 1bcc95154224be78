import { sql } from 'drizzle-orm';
import { bigint, check, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

export type JobRunStatus = 'running' | 'ok' | 'failed' | 'skipped';

/** Scheduled job executions; the (job, slot) claim is the cross-instance mutex. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    job: text('job').notNull(),
    /** The schedule slot the run belongs to, e.g. "2026-04-01T06:00Z". */
    slot: text('slot').notNull(),
    status: text('status').$type<JobRunStatus>().notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    summary: jsonb('summary').$type<unknown>(),
    error: text('error'),
  },
  (t) => [
    // Several instances may fire the same cron; whoever inserts first owns the slot.
    unique('job_runs_job_slot').on(t.job, t.slot),
    check('job_runs_status', sql`${t.status} in ('running', 'ok', 'failed', 'skipped')`),
  ],
);
