import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, index, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { ObservationStatus } from '../../domain/observation';

/** Published figures with provenance (domain type `Observation`). */
export const observations = pgTable(
  'observations',
  {
    // bigint: INSERT ... ON CONFLICT consumes a sequence value per attempted row, so idempotent
    // reloads burn ids much faster than rows grow.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    regionCode: text('region_code').notNull(),
    indicator: text('indicator').notNull(),
    period: text('period').notNull(),
    value: doublePrecision('value'),
    status: text('status').$type<ObservationStatus>().notNull(),
    unit: text('unit').notNull(),
    source: text('source').notNull(),
    sourceTable: text('source_table').notNull(),
    // Text, not date/timestamptz: the publishers give dates or timestamps and we keep them verbatim.
    publishedAt: text('published_at'),
    fetchedAt: text('fetched_at').notNull(),
    origin: text('origin').notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // The natural key and the idempotency key: every load writes with ON CONFLICT on exactly these
    // columns, so re-running a load never duplicates a figure.
    unique('observations_natural_key').on(t.regionCode, t.indicator, t.period),
    // Scoring and the chat read one indicator across all kommuner for a period.
    index('observations_indicator_period_idx').on(t.indicator, t.period),
    check('observations_status', sql`${t.status} in ('ok', 'missing', 'suppressed', 'not_applicable')`),
  ],
);
