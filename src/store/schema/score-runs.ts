import { bigint, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** One execution of a scoring model over a set of observations. */
export const scoreRuns = pgTable(
  'score_runs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    modelId: text('model_id').notNull(),
    modelVersion: text('model_version').notNull(),
    /** 'seed' | 'refresh' | 'manual' | …; open-ended, so no check constraint. */
    trigger: text('trigger').notNull(),
    /** Hash of the observations the run read. */
    inputFingerprint: text('input_fingerprint').notNull(),
    kommunerCount: integer('kommuner_count').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // Same model, same inputs → same scores; a second run would only add noise to the history.
    unique('score_runs_model_input').on(t.modelId, t.modelVersion, t.inputFingerprint),
  ],
);
