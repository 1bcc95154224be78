import { filterKey } from '../domain/alerts/detect';
import type { DigestSchedule, Platform, QuietHours, SubscriptionFilter, SubscriptionKind } from '../domain/alerts/types';
import { DEFAULT_TIME_ZONE } from '../domain/alerts/types';
import {
  cancelSubscriptions,
  createSubscription,
  listSubscriptions,
  getSubscription,
  muteKommune,
  mutesFor,
  pauseSubscription,
  resumeSubscription,
  setQuietHours,
  unmuteKommune,
  subscriptionsCreatedBy,
  type Subscription,
} from '../store/repos/alerts';
import { lastJobRuns, type StoredJobRun } from '../store/repos/job-runs';
import type { ServiceDeps } from './deps';
import { recordAudit, type AuditActor } from './audit';
import { enqueueTestAlerts } from './alerts/digest';
import type { ScoreAlertPayload } from './alerts/enqueue';

/** Where a chat command came from: the place alerts go to and who asked. */
export interface ChatPlace {
  platform: Platform;
  /** Slack channel/DM id or Teams conversation id. */
  target: string;
  targetName: string | null;
  /** Slack user id or Teams AAD object id. */
  user: string;
}

export type { Subscription };

/** Every change below is written to the audit trail in the transaction that makes it. */
export async function subscribe(
  deps: ServiceDeps,
  place: ChatPlace,
  spec: { kind: SubscriptionKind; filter: SubscriptionFilter; digest: DigestSchedule | null; lang: 'nb' | 'en' },
  who: AuditActor,
): Promise<{ subscription: Subscription; created: boolean }> {
  // New subscriptions take the place's quiet hours, if any of its subscriptions has them.
  const existing = await listSubscriptions(deps.db, place.platform, place.target);
  const quiet = existing.find((s) => s.quiet)?.quiet ?? null;
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const result = await createSubscription(tx, {
      platform: place.platform,
      target: place.target,
      targetName: place.targetName,
      kind: spec.kind,
      filter: spec.filter,
      filterKey: filterKey(spec.kind, spec.filter),
      lang: spec.lang,
      timeZone: spec.digest?.timeZone ?? DEFAULT_TIME_ZONE,
      digest: spec.digest,
      quiet,
      createdBy: place.user,
      createdAt: at,
    });
    if (result.created) {
      await recordAudit(tx, at, who, { action: 'subscription.create', place: place.target, subject: `#${result.subscription.id}`, detail: { kind: spec.kind, filter: spec.filter, ...(spec.digest ? { digest: spec.digest } : {}) } });
    }
    return result;
  });
}

export function placeSubscriptions(deps: ServiceDeps, place: ChatPlace): Promise<Subscription[]> {
  return listSubscriptions(deps.db, place.platform, place.target);
}

export function placeMutes(deps: ServiceDeps, place: ChatPlace): Promise<{ kommuneCode: string; until: Date }[]> {
  return mutesFor(deps.db, place.platform, place.target, deps.now());
}

/**
 * Cancels the given subscriptions of this place (ids of other places are ignored). Whether the
 * caller may end each one is the caller's decision (domain/access.ts); this only records who did.
 */
export async function unsubscribe(deps: ServiceDeps, place: ChatPlace, ids: readonly number[], who: AuditActor): Promise<number> {
  const own = new Set((await listSubscriptions(deps.db, place.platform, place.target)).map((s) => s.id));
  const ending = ids.filter((id) => own.has(id));
  if (ending.length === 0) return 0;
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const count = await cancelSubscriptions(tx, ending, place.user, at);
    if (count > 0) await recordAudit(tx, at, who, { action: 'subscription.end', place: place.target, subject: ending.map((id) => `#${id}`).join(','), detail: { ids: ending } });
    return count;
  });
}

/** The statusReason of a subscription someone paused by hand (not the dispatcher). */
export const PAUSED_BY_USER = 'paused_by_user';

export function subscriptionById(deps: ServiceDeps, id: number): Promise<Subscription | null> {
  return getSubscription(deps.db, id);
}

/**
 * Pauses (no alerts until resumed) or resumes one subscription. Whether the caller may is the
 * caller's decision (domain/access.ts); this records who did. False when it was already so.
 */
export async function setSubscriptionPaused(deps: ServiceDeps, sub: Subscription, paused: boolean, who: AuditActor): Promise<boolean> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const changed = paused ? await pauseSubscription(tx, sub.id, PAUSED_BY_USER, at) : await resumeSubscription(tx, sub.id, at);
    if (changed) await recordAudit(tx, at, who, { action: paused ? 'subscription.pause' : 'subscription.resume', place: sub.target, subject: `#${sub.id}` });
    return changed;
  });
}

export async function setPlaceQuietHours(deps: ServiceDeps, place: ChatPlace, quiet: QuietHours | null, who: AuditActor): Promise<number> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const count = await setQuietHours(tx, place.platform, place.target, quiet);
    await recordAudit(tx, at, who, quiet ? { action: 'quiet.set', place: place.target, detail: { start: quiet.start, end: quiet.end, subscriptions: count } } : { action: 'quiet.clear', place: place.target, detail: { subscriptions: count } });
    return count;
  });
}

export async function mute(deps: ServiceDeps, place: ChatPlace, kommuneCode: string, days: number, who: AuditActor): Promise<Date> {
  const at = deps.now();
  const until = new Date(at.getTime() + days * 86_400_000);
  await deps.db.transaction(async (tx) => {
    await muteKommune(tx, { platform: place.platform, target: place.target, kommuneCode, until, createdBy: place.user, createdAt: at });
    await recordAudit(tx, at, who, { action: 'mute.set', place: place.target, subject: kommuneCode, detail: { days, until: until.toISOString() } });
  });
  return until;
}

export async function unmute(deps: ServiceDeps, place: ChatPlace, kommuneCode: string, who: AuditActor): Promise<boolean> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const removed = await unmuteKommune(tx, place.platform, place.target, kommuneCode);
    if (removed) await recordAudit(tx, at, who, { action: 'mute.clear', place: place.target, subject: kommuneCode });
    return removed;
  });
}

export function sendTestAlerts(deps: ServiceDeps, place: ChatPlace, sample: ScoreAlertPayload): Promise<number> {
  return enqueueTestAlerts(deps, place, sample);
}

/** The latest run of each job name, for `jobber`. */
export async function latestJobRuns(deps: ServiceDeps, names: readonly string[]): Promise<{ name: string; run: StoredJobRun | null }[]> {
  return Promise.all(names.map(async (name) => ({ name, run: (await lastJobRuns(deps.db, name, 1))[0] ?? null })));
}

export function subscriptionsOf(deps: ServiceDeps, platform: ChatPlace['platform'], user: string): Promise<Subscription[]> {
  return subscriptionsCreatedBy(deps.db, platform, user);
}
