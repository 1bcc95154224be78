import { and, asc, eq, gt, inArray, lte, ne, or, sql } from 'drizzle-orm';
import type { DigestSchedule, Platform, QuietHours, SubscriptionFilter, SubscriptionKind } from '../../domain/alerts/types';
import type { Db } from '../db';
import { alertEvents, alertThreads, deliveries, mutes, subscriptions } from '../schema';

export type SubscriptionStatus = 'active' | 'paused' | 'cancelled';

export interface Subscription {
  id: number;
  platform: Platform;
  target: string;
  targetName: string | null;
  kind: SubscriptionKind;
  filter: SubscriptionFilter;
  filterKey: string;
  lang: 'nb' | 'en';
  timeZone: string;
  digest: DigestSchedule | null;
  quiet: QuietHours | null;
  status: SubscriptionStatus;
  statusReason: string | null;
  statusAt: Date | null;
  createdBy: string;
  createdAt: Date;
  cancelledBy: string | null;
  lastDigestSlot: string | null;
}

type Row = typeof subscriptions.$inferSelect;
const toSubscription = (r: Row): Subscription => ({
  ...r,
  platform: r.platform as Platform,
  kind: r.kind as SubscriptionKind,
  lang: r.lang === 'en' ? 'en' : 'nb',
  status: r.status as SubscriptionStatus,
});

/** What creating a subscription takes: everything but its id, state and digest bookkeeping. */
export type NewSubscription = Omit<Subscription, 'id' | 'status' | 'statusReason' | 'statusAt' | 'cancelledBy' | 'lastDigestSlot'>;

/** Creates the subscription, or returns the active one with the same kind and filter in this place. */
export async function createSubscription(db: Db, s: NewSubscription): Promise<{ subscription: Subscription; created: boolean }> {
  const inserted = await db
    .insert(subscriptions)
    .values({ ...s, status: 'active' })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { subscription: toSubscription(inserted[0]), created: true };
  const existing = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.platform, s.platform), eq(subscriptions.target, s.target), eq(subscriptions.filterKey, s.filterKey), ne(subscriptions.status, 'cancelled')))
    .limit(1);
  if (!existing[0]) throw new Error('subscription conflicted but could not be read back');
  return { subscription: toSubscription(existing[0]), created: false };
}

/** The place's subscriptions that are not cancelled, oldest first (their list number is the position). */
export async function listSubscriptions(db: Db, platform: Platform, target: string): Promise<Subscription[]> {
  const rows = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.platform, platform), eq(subscriptions.target, target), ne(subscriptions.status, 'cancelled')))
    .orderBy(asc(subscriptions.id));
  return rows.map(toSubscription);
}

export async function activeSubscriptionsOfKind(db: Db, kinds: readonly SubscriptionKind[]): Promise<Subscription[]> {
  if (kinds.length === 0) return [];
  const rows = await db
    .select()
    .from(subscriptions)
    .where(and(inArray(subscriptions.kind, [...kinds]), eq(subscriptions.status, 'active')))
    .orderBy(asc(subscriptions.id));
  return rows.map(toSubscription);
}

export async function getSubscription(db: Db, id: number): Promise<Subscription | null> {
  const rows = await db.select().from(subscriptions).where(eq(subscriptions.id, id)).limit(1);
  return rows[0] ? toSubscription(rows[0]) : null;
}

export async function cancelSubscriptions(db: Db, ids: readonly number[], by: string, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(subscriptions)
    .set({ status: 'cancelled', cancelledBy: by, statusAt: at, statusReason: 'cancelled' })
    .where(and(inArray(subscriptions.id, [...ids]), ne(subscriptions.status, 'cancelled')))
    .returning({ id: subscriptions.id });
  // Nothing still queued for them goes out.
  await db
    .update(deliveries)
    .set({ status: 'cancelled' })
    .where(and(inArray(deliveries.subscriptionId, [...ids]), eq(deliveries.status, 'pending')));
  return rows.length;
}

/** A permanent delivery failure: the subscription stops until someone subscribes again. */
export function pauseSubscription(db: Db, id: number, reason: string, at: Date): Promise<boolean> {
  return moveStatus(db, id, 'active', { status: 'paused', statusReason: reason, statusAt: at });
}

/** Sets the status (and its reason) of a subscription that is in `from`; false when it was not. */
async function moveStatus(db: Db, id: number, from: SubscriptionStatus, to: { status: SubscriptionStatus; statusReason: string | null; statusAt: Date }): Promise<boolean> {
  const rows = await db
    .update(subscriptions)
    .set(to)
    .where(and(eq(subscriptions.id, id), eq(subscriptions.status, from)))
    .returning({ id: subscriptions.id });
  return rows.length > 0;
}

/** A paused subscription delivers again (its reason is cleared); false when it was not paused. */
export function resumeSubscription(db: Db, id: number, at: Date): Promise<boolean> {
  return moveStatus(db, id, 'paused', { status: 'active', statusReason: null, statusAt: at });
}

export async function setQuietHours(db: Db, platform: Platform, target: string, quiet: QuietHours | null): Promise<number> {
  const rows = await db
    .update(subscriptions)
    .set({ quiet })
    .where(and(eq(subscriptions.platform, platform), eq(subscriptions.target, target), ne(subscriptions.status, 'cancelled')))
    .returning({ id: subscriptions.id });
  return rows.length;
}

export async function setLastDigestSlot(db: Db, id: number, slot: string): Promise<void> {
  await db.update(subscriptions).set({ lastDigestSlot: slot }).where(eq(subscriptions.id, id));
}

export async function muteKommune(db: Db, m: { platform: Platform; target: string; kommuneCode: string; until: Date; createdBy: string; createdAt: Date }): Promise<void> {
  await db
    .insert(mutes)
    .values(m)
    .onConflictDoUpdate({ target: [mutes.platform, mutes.target, mutes.kommuneCode], set: { until: m.until, createdBy: m.createdBy, createdAt: m.createdAt } });
}

export async function unmuteKommune(db: Db, platform: Platform, target: string, kommuneCode: string): Promise<boolean> {
  const rows = await db
    .delete(mutes)
    .where(and(eq(mutes.platform, platform), eq(mutes.target, target), eq(mutes.kommuneCode, kommuneCode)))
    .returning({ k: mutes.kommuneCode });
  return rows.length > 0;
}

/** Mutes in force at `at`, as `${platform}|${target}|${kommune}` keys. */
export async function activeMutes(db: Db, at: Date): Promise<Set<string>> {
  const rows = await db.select({ platform: mutes.platform, target: mutes.target, kommuneCode: mutes.kommuneCode }).from(mutes).where(gt(mutes.until, at));
  return new Set(rows.map((r) => `${r.platform}|${r.target}|${r.kommuneCode}`));
}

export async function mutesFor(db: Db, platform: Platform, target: string, at: Date): Promise<{ kommuneCode: string; until: Date }[]> {
  return db
    .select({ kommuneCode: mutes.kommuneCode, until: mutes.until })
    .from(mutes)
    .where(and(eq(mutes.platform, platform), eq(mutes.target, target), gt(mutes.until, at)))
    .orderBy(asc(mutes.kommuneCode));
}

export interface NewAlertEvent {
  dedupeKey: string;
  kind: string;
  kommuneCode: string | null;
  scoreRunId: number | null;
  payload: unknown;
  createdAt: Date;
}

/** Inserts the event; null when an event with this dedupe key exists (detected before). */
export async function insertAlertEvent(db: Db, e: NewAlertEvent): Promise<number | null> {
  const rows = await db.insert(alertEvents).values(e).onConflictDoNothing({ target: alertEvents.dedupeKey }).returning({ id: alertEvents.id });
  return rows[0]?.id ?? null;
}

export interface NewDelivery {
  eventId: number;
  subscriptionId: number | null;
  platform: Platform;
  target: string;
  notBefore: Date;
  held: boolean;
  createdAt: Date;
}

export async function insertDeliveries(db: Db, items: readonly NewDelivery[]): Promise<number> {
  if (items.length === 0) return 0;
  const rows = await db
    .insert(deliveries)
    .values(items.map((d) => ({ ...d, held: d.held ? 1 : 0, status: 'pending' })))
    .onConflictDoNothing({ target: [deliveries.eventId, deliveries.subscriptionId] })
    .returning({ id: deliveries.id });
  return rows.length;
}

export interface ClaimedDelivery {
  id: number;
  eventId: number;
  subscriptionId: number | null;
  platform: Platform;
  target: string;
  held: boolean;
  attempts: number;
  /** A `sending` row whose lease ran out: the last attempt may have reached the platform. */
  reclaimed: boolean;
  eventKind: string;
  eventKey: string;
  kommuneCode: string | null;
  payload: unknown;
}

/**
 * Claims up to `limit` due deliveries for this worker with a lease: pending rows whose time has
 * come, and sending rows whose lease expired (a dispatcher that died mid-send). On PostgreSQL
 * `FOR UPDATE SKIP LOCKED` lets several dispatchers claim disjoint rows without waiting; PGlite
 * has one connection, so its transactions are serial and the same statement is safe there.
 */
export async function claimDeliveries(db: Db, worker: string, now: Date, leaseMs: number, limit: number, perPlace = 2): Promise<ClaimedDelivery[]> {
  return db.transaction(async (tx) => {
    const isDue = or(
      and(eq(deliveries.status, 'pending'), lte(deliveries.notBefore, now)),
      and(eq(deliveries.status, 'sending'), lte(deliveries.claimedUntil, now)),
    );
    // At most `perPlace` rows of one place per round: a place sends about one message a second,
    // so claiming its whole backlog would only hold rows other places' rounds could use.
    const firstOfEachPlace = sql`select c.id from (select ${deliveries.id} as id, row_number() over (partition by ${deliveries.platform}, ${deliveries.target} order by ${deliveries.id}) as rn from ${deliveries} where ${isDue}) c where c.rn <= ${perPlace}`;
    const due = await tx
      .select({ id: deliveries.id, status: deliveries.status })
      .from(deliveries)
      .where(and(isDue, sql`${deliveries.id} in (${firstOfEachPlace})`))
      .orderBy(asc(deliveries.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    const wasSending = new Set(due.filter((d) => d.status === 'sending').map((d) => d.id));
    await tx
      .update(deliveries)
      .set({ status: 'sending', claimedBy: worker, claimedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${deliveries.attempts} + 1` })
      .where(inArray(deliveries.id, ids));
    const rows = await tx
      .select({
        id: deliveries.id,
        eventId: deliveries.eventId,
        subscriptionId: deliveries.subscriptionId,
        platform: deliveries.platform,
        target: deliveries.target,
        held: deliveries.held,
        attempts: deliveries.attempts,
        eventKind: alertEvents.kind,
        eventKey: alertEvents.dedupeKey,
        kommuneCode: alertEvents.kommuneCode,
        payload: alertEvents.payload,
      })
      .from(deliveries)
      .innerJoin(alertEvents, eq(alertEvents.id, deliveries.eventId))
      .where(inArray(deliveries.id, ids))
      .orderBy(asc(deliveries.id));
    return rows.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      subscriptionId: r.subscriptionId,
      platform: r.platform as Platform,
      target: r.target,
      held: r.held === 1,
      attempts: r.attempts,
      reclaimed: wasSending.has(r.id),
      eventKind: r.eventKind,
      eventKey: r.eventKey,
      kommuneCode: r.kommuneCode,
      payload: r.payload,
    }));
  });
}

/** Marks rows sent, only while this worker still holds them. */
export async function markSent(db: Db, ids: readonly number[], worker: string, messageId: string, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .update(deliveries)
    .set({ status: 'sent', platformMessageId: messageId, sentAt: at, claimedUntil: null, lastError: null })
    .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'sending'), eq(deliveries.claimedBy, worker)))
    .returning({ id: deliveries.id });
  return rows.length;
}

/** A transient failure: back to pending at `retryAt`, with the error kept. */
export async function markRetry(db: Db, ids: readonly number[], worker: string, error: string, retryAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(deliveries)
    .set({ status: 'pending', notBefore: retryAt, lastError: error, claimedUntil: null })
    .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'sending'), eq(deliveries.claimedBy, worker)));
}

/** A failure that retrying cannot fix. */
export async function markFailed(db: Db, ids: readonly number[], worker: string, error: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(deliveries)
    .set({ status: 'failed', lastError: error, claimedUntil: null })
    .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'sending'), eq(deliveries.claimedBy, worker)));
}

export interface DeliveryRow {
  id: number;
  eventId: number;
  eventKey: string;
  subscriptionId: number | null;
  platform: string;
  target: string;
  status: string;
  attempts: number;
  platformMessageId: string | null;
  lastError: string | null;
}

export async function listDeliveries(db: Db): Promise<DeliveryRow[]> {
  return db
    .select({
      id: deliveries.id,
      eventId: deliveries.eventId,
      eventKey: alertEvents.dedupeKey,
      subscriptionId: deliveries.subscriptionId,
      platform: deliveries.platform,
      target: deliveries.target,
      status: deliveries.status,
      attempts: deliveries.attempts,
      platformMessageId: deliveries.platformMessageId,
      lastError: deliveries.lastError,
    })
    .from(deliveries)
    .innerJoin(alertEvents, eq(alertEvents.id, deliveries.eventId))
    .orderBy(asc(deliveries.id));
}

export async function listAlertEvents(db: Db): Promise<{ id: number; dedupeKey: string; kind: string; kommuneCode: string | null; payload: unknown; createdAt: Date }[]> {
  return db
    .select({ id: alertEvents.id, dedupeKey: alertEvents.dedupeKey, kind: alertEvents.kind, kommuneCode: alertEvents.kommuneCode, payload: alertEvents.payload, createdAt: alertEvents.createdAt })
    .from(alertEvents)
    .orderBy(asc(alertEvents.id));
}

/** Events since an instant, for the digest. */
export async function alertEventsSince(db: Db, since: Date, kinds: readonly string[]): Promise<{ kind: string; kommuneCode: string | null; payload: unknown; createdAt: Date }[]> {
  return db
    .select({ kind: alertEvents.kind, kommuneCode: alertEvents.kommuneCode, payload: alertEvents.payload, createdAt: alertEvents.createdAt })
    .from(alertEvents)
    .where(and(gt(alertEvents.createdAt, since), inArray(alertEvents.kind, [...kinds])))
    .orderBy(asc(alertEvents.id));
}

/** Pending deliveries and failures, for operations. */
export async function outboxBacklog(db: Db): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .select({ status: deliveries.status, n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(inArray(deliveries.status, ['pending', 'sending', 'failed']))
    .groupBy(deliveries.status);
  const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
  return { pending: (by.get('pending') ?? 0) + (by.get('sending') ?? 0), failed: by.get('failed') ?? 0 };
}

/** Subscriptions a user created on a platform that are not cancelled (the Slack App Home lists them). */
export async function subscriptionsCreatedBy(db: Db, platform: Platform, user: string): Promise<Subscription[]> {
  const rows = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.platform, platform), eq(subscriptions.createdBy, user), ne(subscriptions.status, 'cancelled')))
    .orderBy(asc(subscriptions.id));
  return rows.map(toSubscription);
}

/** The first message about a kommune in a place since `since` (its Slack ts or Teams activity id), or null. */
export async function alertThread(db: Db, platform: Platform, target: string, kommuneCode: string, since: Date): Promise<string | null> {
  const rows = await db
    .select({ messageId: alertThreads.messageId })
    .from(alertThreads)
    .where(and(eq(alertThreads.platform, platform), eq(alertThreads.target, target), eq(alertThreads.kommuneCode, kommuneCode), gt(alertThreads.createdAt, since)))
    .limit(1);
  return rows[0]?.messageId ?? null;
}

/** Makes this message the first of the kommune's thread in the place (replacing a gone or old one). */
export async function setAlertThread(db: Db, t: { platform: Platform; target: string; kommuneCode: string; messageId: string; createdAt: Date }): Promise<void> {
  await db
    .insert(alertThreads)
    .values(t)
    .onConflictDoUpdate({ target: [alertThreads.platform, alertThreads.target, alertThreads.kommuneCode], set: { messageId: t.messageId, createdAt: t.createdAt } });
}
