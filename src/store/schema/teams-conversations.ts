import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Teams conversations the bot can post to proactively: what a Bot Framework conversation
 * reference needs (conversation id, service URL, tenant, the bot's own id), taken from the install
 * event and refreshed by every incoming activity. An alert target (issue 6) points at one row.
 */
export const teamsConversations = pgTable('teams_conversations', {
  /** Bot Framework conversation id (`19:…@thread.tacv2`, `a:1…` for personal chats). */
  conversationId: text('conversation_id').primaryKey(),
  /** Where the Bot Connector for this conversation lives, e.g. https://smba.trafficmanager.net/emea/. */
  serviceUrl: text('service_url').notNull(),
  tenantId: text('tenant_id'),
  /** The bot's id in the conversation (`28:<app id>`) and its display name. */
  botId: text('bot_id').notNull(),
  botName: text('bot_name'),
  /** 'personal' | 'channel' | 'groupChat' */
  conversationType: text('conversation_type'),
  /** The team's id for channel conversations. */
  teamId: text('team_id'),
  /** Channel, chat or team name when Teams sends one. */
  name: text('name'),
  /** AAD object id (else Teams user id) of whoever installed the app or last wrote here. */
  lastUserId: text('last_user_id'),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** 'active' | 'unusable' (a send failed permanently) | 'uninstalled' */
  status: text('status').notNull().default('active'),
  /** Why the conversation cannot be posted to, e.g. `403 ConversationBlockedByUser`. */
  statusReason: text('status_reason'),
  statusAt: timestamp('status_at', { withTimezone: true, mode: 'date' }),
});
