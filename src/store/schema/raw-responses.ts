import { bigint, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** Archived publisher responses, so every observation can be traced back to the bytes we got. */
export const rawResponses = pgTable(
  'raw_responses',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    source: text('source').notNull(),
    method: text('method').notNull(),
    url: text('url').notNull(),
    status: integer('status').notNull(),
    contentType: text('content_type'),
    /** sha256 of the body, lowercase hex. */
    contentHash: text('content_hash').notNull(),
    bytes: integer('bytes').notNull(),
    // Nullable so metadata and hash can be kept for payloads we choose not to store.
    body: text('body'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // Re-fetching an unchanged payload must not grow the archive: one row per (url, content).
    unique('raw_responses_url_content').on(t.url, t.contentHash),
    index('raw_responses_url_fetched_idx').on(t.url, t.fetchedAt),
  ],
);
