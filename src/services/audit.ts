import type { Db } from '../store/db';
import { insertAuditEntry, latestAuditEntries, latestAuditOf, type StoredAuditEntry } from '../store/repos/audit';
import type { ServiceDeps } from './deps';

export type AuditAction =
  | 'subscription.create'
  | 'subscription.end'
  | 'subscription.pause'
  | 'subscription.resume'
  | 'quiet.set'
  | 'quiet.clear'
  | 'mute.set'
  | 'mute.clear'
  | 'lot-source.add'
  | 'lot-source.remove'
  | 'lot-source.pause'
  | 'job.run'
  | 'model.choose'
  | 'web.sign-in';

/** Who made a change: a chat user, the CLI's operator, or tomte itself ('system'/'tomte'). */
export interface AuditActor {
  platform: 'slack' | 'teams' | 'cli' | 'system';
  actor: string;
  workspace: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { platform: 'system', actor: 'tomte', workspace: null };

export interface AuditChange {
  action: AuditAction;
  /** The channel or conversation the change applies to. */
  place?: string | null;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export type { StoredAuditEntry };

/** Writes one change; pass the transaction that makes the change so both land or neither does. */
export function recordAudit(db: Db, at: Date, who: AuditActor, change: AuditChange): Promise<void> {
  return insertAuditEntry(db, {
    at,
    platform: who.platform,
    actor: who.actor,
    workspace: who.workspace,
    place: change.place ?? null,
    action: change.action,
    subject: change.subject ?? null,
    detail: change.detail ?? {},
  });
}

export function latestAudit(deps: ServiceDeps, limit = 20): Promise<StoredAuditEntry[]> {
  return latestAuditEntries(deps.db, limit);
}

/**
 * The deployment's model (TOMTE_MODEL) is a choice like any other: written when it differs from
 * the last one recorded, so the trail says since when scores come from which model.
 */
export async function recordModelChoice(deps: ServiceDeps): Promise<boolean> {
  const last = (await latestAuditOf(deps.db, 'model.choose'))?.subject ?? null;
  if (last === deps.model.id) return false;
  await recordAudit(deps.db, deps.now(), SYSTEM_ACTOR, { action: 'model.choose', subject: deps.model.id, detail: { version: deps.model.version, previous: last } });
  return true;
}
