/**
 * Who may do what: the one place that decides. Two roles. Administrators (TOMTE_ADMINS, a Slack
 * workspace's admins and owners, the CLI's operator) manage lot sources, see their technical
 * detail, run jobs, and read `jobber` and the audit trail; everyone can look things up and
 * subscribe. A subscription can be ended by its creator or an administrator, and settings that
 * apply to a whole channel (quiet hours, mutes) by an administrator or by whoever made every
 * subscription there.
 */

export type ActorPlatform = 'slack' | 'teams' | 'cli';

/** Who sent a chat command, as the adapter established it. */
export interface Actor {
  platform: ActorPlatform;
  /** Slack user id, Teams AAD object id, or the CLI's OS user. */
  userId: string;
  /** Slack team id or Teams tenant id; null in the CLI. */
  workspace: string | null;
  /**
   * Whether the user administers tomte. Resolved by the adapter (TOMTE_ADMINS; on Slack also the
   * workspace's admins and owners from users.info, cached), only when a command needs to know.
   */
  isAdmin(): Promise<boolean>;
}

/** What only administrators may do. */
export type AdminAction = 'lot-source:add' | 'lot-source:remove' | 'lot-source:detail' | 'job:run' | 'jobs:view' | 'audit:view';

export const ADMIN_ACTIONS: readonly AdminAction[] = ['lot-source:add', 'lot-source:remove', 'lot-source:detail', 'job:run', 'jobs:view', 'audit:view'];

/** May `actor` end (or pause) a subscription made by `createdBy`? */
export function mayEndSubscription(actorId: string, admin: boolean, createdBy: string): boolean {
  return admin || actorId === createdBy;
}

/**
 * May `actor` change a setting of the whole place (quiet hours, a mute)? An administrator may; so
 * may a user whose own the place is: every subscription in it is theirs (a DM with tomte, or a
 * channel where only they subscribed, or none yet).
 */
export function mayConfigurePlace(actorId: string, admin: boolean, creators: readonly string[]): boolean {
  return admin || creators.every((c) => c === actorId);
}

/** Limits on lot sources: each is fetched for everyone, so nobody may add without bound. */
export const LOT_SOURCE_LIMITS = {
  /** Active sources one user has added. */
  perUser: 20,
  /** Active sources for one kommune. */
  perKommune: 5,
  /** Active sources in all. */
  total: 200,
} as const;
