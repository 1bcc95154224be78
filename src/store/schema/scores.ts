import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { scoreRuns } from './score-runs';

/** One kommune's result in a score run. */
export const scores = pgTable(
  'scores',
  {
    runId: bigint('run_id', { mode: 'number' })
      .notNull()
      .references(() => scoreRuns.id, { onDelete: 'cascade' }),
    kommuneCode: text('kommune_code').notNull(),
    total: doublePrecision('total').notNull(),
    maxPossible: doublePrecision('max_possible').notNull(),
    coverage: doublePrecision('coverage').notNull(),
    tier: integer('tier'),
    tierStatus: text('tier_status').notNull(),
    // Shapes belong to the scoring model; typed loosely here until the model's types settle.
    categories: jsonb('categories').$type<unknown>().notNull(),
    rules: jsonb('rules').$type<unknown>().notNull(),
    keyIndicators: jsonb('key_indicators').$type<unknown>().notNull(),
  },
  (t) => [
    primaryKey({ name: 'scores_pk', columns: [t.runId, t.kommuneCode] }),
    // Score history for one kommune across runs.
    index('scores_kommune_code_idx').on(t.kommuneCode),
    check('scores_coverage_range', sql`${t.coverage} >= 0 and ${t.coverage} <= 1`),
  ],
);
