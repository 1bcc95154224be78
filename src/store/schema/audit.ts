import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Every state change a person (or tomte itself) made: subscriptions, mutes, quiet hours, lot
 * sources, the model choice. Append-only; `logg` shows the latest to administrators.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    /** 'slack' | 'teams' | 'cli' | 'system' */
    platform: text('platform').notNull(),
    /** Slack user id, Teams AAD object id, the CLI's OS user, or 'tomte' for the service itself. */
    actor: text('actor').notNull(),
    /** Slack team id or Teams tenant id; null for the CLI and the service. */
    workspace: text('workspace'),
    /** The channel or conversation the change applies to; null when it is not about one. */
    place: text('place'),
    /** e.g. 'subscription.create', 'lot-source.remove', 'model.choose'. */
    action: text('action').notNull(),
    /** What was changed: a subscription number, a lot source id, a kommune number, a model id. */
    subject: text('subject'),
    /** The change itself (filter, cadence, days, …); never a secret or an upstream body. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_at_idx').on(t.at)],
);
