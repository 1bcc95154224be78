import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import type { DigestSchedule, QuietHours, SubscriptionFilter } from '../../domain/alerts/types';

/**
 * Who wants to be told what, where: one row per subscription of a Slack channel/DM or Teams
 * conversation. Cancelled rows stay (who created and ended it, when); an active duplicate of the
 * same kind and filter in the same place is refused by the partial unique index.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** 'slack' | 'teams' */
    platform: text('platform').notNull(),
    /** Slack channel id (C…/D…/G…) or Teams conversation id. */
    target: text('target').notNull(),
    targetName: text('target_name'),
    /** 'tier1' | 'kommune' | 'digest' | 'tomter' */
    kind: text('kind').notNull(),
    filter: jsonb('filter').$type<SubscriptionFilter>().notNull(),
    /** Canonical JSON of kind + filter, for the uniqueness of active subscriptions. */
    filterKey: text('filter_key').notNull(),
    lang: text('lang').notNull().default('nb'),
    timeZone: text('time_zone').notNull().default('Europe/Oslo'),
    digest: jsonb('digest').$type<DigestSchedule>(),
    quiet: jsonb('quiet').$type<QuietHours>(),
    /** 'active' | 'paused' (a permanent delivery failure) | 'cancelled' */
    status: text('status').notNull().default('active'),
    statusReason: text('status_reason'),
    statusAt: timestamp('status_at', { withTimezone: true, mode: 'date' }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    cancelledBy: text('cancelled_by'),
    /** The digest slot (ISO instant) last enqueued, so a slot is sent once. */
    lastDigestSlot: text('last_digest_slot'),
  },
  (t) => [
    uniqueIndex('subscriptions_active_unique').on(t.platform, t.target, t.filterKey).where(sql`${t.status} <> 'cancelled'`),
    index('subscriptions_kind_idx').on(t.kind, t.status),
  ],
);

/** "Not about this kommune here until …": mutes per place and kommune. */
export const mutes = pgTable(
  'mutes',
  {
    platform: text('platform').notNull(),
    target: text('target').notNull(),
    kommuneCode: text('kommune_code').notNull(),
    until: timestamp('until', { withTimezone: true, mode: 'date' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ name: 'mutes_pk', columns: [t.platform, t.target, t.kommuneCode] })],
);

/**
 * Something worth telling: a Tier 1 entry or exit, a score change, a new lot, a digest. Written in
 * the transaction that made the change; the dedupe key (e.g. `tier1-enter:1804:<run id>`) makes a
 * second detection of the same change a no-op.
 */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    kommuneCode: text('kommune_code'),
    scoreRunId: bigint('score_run_id', { mode: 'number' }),
    /** What moved: scores before/after, changed rules with their inputs, sources and periods. */
    payload: jsonb('payload').$type<unknown>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [unique('alert_events_dedupe_key').on(t.dedupeKey)],
);

/**
 * The outbox: one row per event and subscription. The dispatcher claims due rows (a lease in
 * `claimed_until`), sends, and records the platform's message id; a crash between send and
 * mark-sent leaves a `sending` row whose lease runs out, and the next claim first asks the platform
 * whether the message with this row's key already arrived.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: bigint('event_id', { mode: 'number' })
      .notNull()
      .references(() => alertEvents.id, { onDelete: 'cascade' }),
    /** Null for a one-off delivery to a place (the `test` command's samples). */
    subscriptionId: bigint('subscription_id', { mode: 'number' }).references(() => subscriptions.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    target: text('target').notNull(),
    /** 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled' */
    status: text('status').notNull().default('pending'),
    /** Held by quiet hours: sent together in one "mens du var borte" message when the window opens. */
    held: integer('held').notNull().default(0),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    claimedBy: text('claimed_by'),
    claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'date' }),
    platformMessageId: text('platform_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    unique('deliveries_event_subscription').on(t.eventId, t.subscriptionId),
    index('deliveries_due_idx').on(t.status, t.notBefore),
  ],
);

/**
 * The first alert about a kommune in a place (a Slack channel or DM, a Teams conversation): later
 * alerts about that kommune there reply in its thread (Slack `thread_ts`, Teams `;messageid=`).
 * Replaced when that message is gone (the follow-up then starts a new thread) or the thread is old.
 */
export const alertThreads = pgTable(
  'alert_threads',
  {
    platform: text('platform').notNull(),
    target: text('target').notNull(),
    kommuneCode: text('kommune_code').notNull(),
    /** Slack message ts or Teams activity id of the thread's first message. */
    messageId: text('message_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.target, t.kommuneCode] })],
);
