import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { auditLog } from '../schema';

export interface AuditEntry {
  at: Date;
  platform: string;
  actor: string;
  workspace: string | null;
  place: string | null;
  action: string;
  subject: string | null;
  detail: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

export async function insertAuditEntry(db: Db, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(e);
}

/** Newest first. */
export async function latestAuditEntries(db: Db, limit: number): Promise<StoredAuditEntry[]> {
  return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
}

/** The newest entry of one action, or null. */
export async function latestAuditOf(db: Db, action: string): Promise<StoredAuditEntry | null> {
  return (await db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(1))[0] ?? null;
}
