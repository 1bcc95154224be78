import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The state of each refreshed dataset (one SSB table, one Kartverket endpoint): the publisher's
 * `updated` stamp that lets an unchanged table cost one small request, the last success and
 * failure, and the periods the store holds from it. Written by the refresh job.
 */
export const sourceStatus = pgTable(
  'source_status',
  {
    /** 'ssb' | 'kartverket' | 'valg' */
    source: text('source').notNull(),
    /** Table id or endpoint: '07459', 'kommuneinfo/fylkerkommuner'. */
    dataset: text('dataset').notNull(),
    publisherUpdated: text('publisher_updated'),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    /** Periods held after the last success, e.g. ["2021", "2026"]. */
    periods: jsonb('periods').$type<string[]>(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'source_status_pk', columns: [t.source, t.dataset] })],
);
