import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Web sign-in (issue 19). A one-time link is an HMAC-signed token naming the platform user; its
 * id lands here when it is used, so a second use is refused. A session is keyed by the SHA-256 of
 * the cookie's random value (the database never holds a usable cookie), with its CSRF token and
 * the time of the last request (8-hour idle expiry).
 */
export const webLoginLinks = pgTable('web_login_links', {
  /** The link's random id (jti). */
  id: text('id').primaryKey(),
  usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const webSessions = pgTable(
  'web_sessions',
  {
    /** Hex SHA-256 of the cookie value. */
    idHash: text('id_hash').primaryKey(),
    /** 'slack' | 'teams' */
    platform: text('platform').notNull(),
    /** Slack user id or Teams AAD object id. */
    userId: text('user_id').notNull(),
    /** Slack team id or Teams tenant id. */
    workspace: text('workspace'),
    /** What the page shows as "signed in as" (the platform's display name, else the id). */
    label: text('label').notNull(),
    csrf: text('csrf').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('web_sessions_last_seen_idx').on(t.lastSeenAt)],
);
