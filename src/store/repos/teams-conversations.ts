import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { teamsConversations } from '../schema';

export type TeamsConversationStatus = 'active' | 'unusable' | 'uninstalled';

/** What a proactive send needs, plus how the conversation was last seen. */
export interface TeamsConversationRef {
  conversationId: string;
  serviceUrl: string;
  tenantId: string | null;
  botId: string;
  botName: string | null;
  conversationType: string | null;
  teamId: string | null;
  name: string | null;
  lastUserId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  status: TeamsConversationStatus;
  statusReason: string | null;
  statusAt: Date | null;
}

export type TeamsConversationSeen = Omit<TeamsConversationRef, 'firstSeenAt' | 'lastSeenAt' | 'status' | 'statusReason' | 'statusAt'> & { at: Date };

/**
 * Stores or refreshes the reference from an incoming activity. An activity from the conversation
 * proves the bot is in it again, so an unusable or uninstalled reference becomes active.
 * Fields Teams leaves out of this activity keep their stored value.
 */
export async function upsertTeamsConversation(db: Db, seen: TeamsConversationSeen): Promise<void> {
  const keep = <T>(value: T | null, column: { name: string }) => (value === null ? sql.raw(`"teams_conversations"."${column.name}"`) : value);
  await db
    .insert(teamsConversations)
    .values({ ...seen, firstSeenAt: seen.at, lastSeenAt: seen.at, status: 'active' })
    .onConflictDoUpdate({
      target: teamsConversations.conversationId,
      set: {
        serviceUrl: seen.serviceUrl,
        botId: seen.botId,
        tenantId: keep(seen.tenantId, teamsConversations.tenantId),
        botName: keep(seen.botName, teamsConversations.botName),
        conversationType: keep(seen.conversationType, teamsConversations.conversationType),
        teamId: keep(seen.teamId, teamsConversations.teamId),
        name: keep(seen.name, teamsConversations.name),
        lastUserId: keep(seen.lastUserId, teamsConversations.lastUserId),
        lastSeenAt: seen.at,
        status: 'active',
        statusReason: null,
        statusAt: null,
      },
    });
}

export async function getTeamsConversation(db: Db, conversationId: string): Promise<TeamsConversationRef | null> {
  const rows = await db.select().from(teamsConversations).where(eq(teamsConversations.conversationId, conversationId)).limit(1);
  const r = rows[0];
  return r ? { ...r, status: r.status as TeamsConversationStatus } : null;
}

export async function listTeamsConversations(db: Db, status?: TeamsConversationStatus): Promise<TeamsConversationRef[]> {
  const rows = await db
    .select()
    .from(teamsConversations)
    .where(status ? eq(teamsConversations.status, status) : undefined)
    .orderBy(teamsConversations.firstSeenAt);
  return rows.map((r) => ({ ...r, status: r.status as TeamsConversationStatus }));
}

/**
 * Marks a conversation the bot can no longer post to (blocked, removed, disabled, gone) or has been
 * uninstalled from, with the reason. Only an active reference changes, so the first reason stays.
 */
export async function markTeamsConversation(
  db: Db,
  conversationId: string,
  status: Exclude<TeamsConversationStatus, 'active'>,
  reason: string,
  at: Date,
): Promise<boolean> {
  const rows = await db
    .update(teamsConversations)
    .set({ status, statusReason: reason, statusAt: at })
    .where(and(eq(teamsConversations.conversationId, conversationId), eq(teamsConversations.status, 'active')))
    .returning({ id: teamsConversations.conversationId });
  return rows.length > 0;
}
