import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { webLoginLinks, webSessions } from '../schema';

export type StoredWebSession = typeof webSessions.$inferSelect;

/** Whether a sign-in link was used (read only: opening a link must not spend it). */
export async function isLinkUsed(db: Db, id: string): Promise<boolean> {
  const rows = await db.select({ id: webLoginLinks.id }).from(webLoginLinks).where(eq(webLoginLinks.id, id)).limit(1);
  return rows.length === 1;
}

/** Marks a sign-in link used; false when it was used before (single use). */
export async function markLinkUsed(db: Db, id: string, at: Date): Promise<boolean> {
  const rows = await db.insert(webLoginLinks).values({ id, usedAt: at }).onConflictDoNothing().returning({ id: webLoginLinks.id });
  return rows.length === 1;
}

export async function insertWebSession(db: Db, s: StoredWebSession): Promise<void> {
  await db.insert(webSessions).values(s);
}

export async function getWebSession(db: Db, idHash: string): Promise<StoredWebSession | null> {
  const [row] = await db.select().from(webSessions).where(eq(webSessions.idHash, idHash)).limit(1);
  return row ?? null;
}

export async function touchWebSession(db: Db, idHash: string, at: Date): Promise<void> {
  await db.update(webSessions).set({ lastSeenAt: at }).where(eq(webSessions.idHash, idHash));
}

export async function deleteWebSession(db: Db, idHash: string): Promise<void> {
  await db.delete(webSessions).where(eq(webSessions.idHash, idHash));
}

/** Drops sessions idle since before `before` and used links older than `linksBefore` (they expired anyway). */
export async function pruneWeb(db: Db, before: Date, linksBefore: Date): Promise<void> {
  await db.delete(webSessions).where(lt(webSessions.lastSeenAt, before));
  await db.delete(webLoginLinks).where(sql`${webLoginLinks.usedAt} < ${linksBefore}`);
}
