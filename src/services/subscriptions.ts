import { filterKey } from '../domain/alerts/detect';
import type { DigestSchedule, Platform, QuietHours, SubscriptionFilter, SubscriptionKind } from '../domain/alerts/types';
import { DEFAULT_TIME_ZONE } from '../domain/alerts/types';
import {
  cancelSubscriptions,
  createSubscription,
  listSubscriptions,
  muteKommune,
  mutesFor,
  setQuietHours,
  unmuteKommune,
  subscriptionsCreatedBy,
  type Subscription,
} from '../store/repos/alerts';
import { lastJobRuns, type StoredJobRun } from '../store/repos/job-runs';
import type { ServiceDeps } from './deps';
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

export async function subscribe(
  deps: ServiceDeps,
  place: ChatPlace,
  spec: { kind: SubscriptionKind; filter: SubscriptionFilter; digest: DigestSchedule | null; lang: 'nb' | 'en' },
): Promise<{ subscription: Subscription; created: boolean }> {
  // New subscriptions take the place's quiet hours, if any of its subscriptions has them.
  const existing = await listSubscriptions(deps.db, place.platform, place.target);
  const quiet = existing.find((s) => s.quiet)?.quiet ?? null;
  return createSubscription(deps.db, {
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
    createdAt: deps.now(),
  });
}

export function placeSubscriptions(deps: ServiceDeps, place: ChatPlace): Promise<Subscription[]> {
  return listSubscriptions(deps.db, place.platform, place.target);
}

export function placeMutes(deps: ServiceDeps, place: ChatPlace): Promise<{ kommuneCode: string; until: Date }[]> {
  return mutesFor(deps.db, place.platform, place.target, deps.now());
}

/** Cancels the given subscriptions of this place (ids of other places are ignored). */
export async function unsubscribe(deps: ServiceDeps, place: ChatPlace, ids: readonly number[]): Promise<number> {
  const own = new Set((await listSubscriptions(deps.db, place.platform, place.target)).map((s) => s.id));
  return cancelSubscriptions(deps.db, ids.filter((id) => own.has(id)), place.user, deps.now());
}

export function setPlaceQuietHours(deps: ServiceDeps, place: ChatPlace, quiet: QuietHours | null): Promise<number> {
  return setQuietHours(deps.db, place.platform, place.target, quiet);
}

export async function mute(deps: ServiceDeps, place: ChatPlace, kommuneCode: string, days: number): Promise<Date> {
  const until = new Date(deps.now().getTime() + days * 86_400_000);
  await muteKommune(deps.db, { platform: place.platform, target: place.target, kommuneCode, until, createdBy: place.user, createdAt: deps.now() });
  return until;
}

export function unmute(deps: ServiceDeps, place: ChatPlace, kommuneCode: string): Promise<boolean> {
  return unmuteKommune(deps.db, place.platform, place.target, kommuneCode);
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
