/**
 * Subscriptions and alert events: the shared vocabulary of the alert pipeline (detection → outbox
 * → dispatcher → Slack/Teams notifiers) and of the chat commands that manage subscriptions.
 */

/** What a subscription follows. `tomter` (new lots) and `planer` (plan initiatives) plug in with the lot sources. */
export type SubscriptionKind = 'tier1' | 'kommune' | 'digest' | 'tomter';

export interface SubscriptionFilter {
  /** County numbers ("18" Nordland); empty or absent = all. */
  fylker?: string[];
  /** Kommune numbers ("1804"); for kind `kommune` exactly one. */
  kommuner?: string[];
  /** Kommune numbers never to alert about. */
  unntatt?: string[];
  /** Lots only: minimum area in m². */
  minArealM2?: number;
  /** Lots only: the kommune's current tier must be one of these. */
  tiers?: number[];
  /** Score alerts and digests: the scoring model followed; absent = the deployment's default model. */
  model?: string;
}

/** Local wall-clock times "HH:MM" (24 h) in the subscription's time zone; may cross midnight (22:00–07:00). */
export interface QuietHours {
  start: string;
  end: string;
}

/** When the weekly digest is due: ISO weekday (1 = Monday … 7 = Sunday) and local time in an IANA zone. */
export interface DigestSchedule {
  weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  time: string;
  timeZone: string;
}

export const DEFAULT_DIGEST: DigestSchedule = { weekday: 1, time: '08:00', timeZone: 'Europe/Oslo' };
export const DEFAULT_TIME_ZONE = 'Europe/Oslo';

/** A chat surface and where in it: a Slack channel or DM, a Teams conversation. */
export type Platform = 'slack' | 'teams';

/** Kinds of alert event; the dedupe key starts with the kind. */
export type AlertEventKind = 'tier1-enter' | 'tier1-exit' | 'score-change' | 'tier-change' | 'lot' | 'plan' | 'digest';
