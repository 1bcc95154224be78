import type { WebClient } from '@slack/web-api';
import type { Actor } from '../../src/domain/access';
import type { Logger } from '../../src/lib/logger';

/**
 * Who Slack requests come from. The workspaces served are fixed by TOMTE_SLACK_WORKSPACES, or
 * learned once from the bot token's `auth.test` (its team and enterprise); a request from any
 * other workspace is refused. Administrators are TOMTE_ADMINS plus the workspace's admins and
 * owners, looked up with `users.info` (needs the users:read scope) only when a command needs to
 * know, and cached.
 */
export interface SlackAccessOptions {
  client: WebClient;
  botToken: string;
  admins: ReadonlySet<string>;
  /** Team (T…) or enterprise (E…) ids; empty: learn them from auth.test. */
  workspaces: readonly string[];
  logger: Logger;
  now?: () => number;
  /** How long a users.info answer counts. Default 10 minutes. */
  adminTtlMs?: number;
}

export type WorkspaceVerdict = 'served' | 'foreign' | 'unknown';

const FAILED_LOOKUP_TTL_MS = 60_000;
/** After auth.test fails, the next request may try again this much later (doubling, at most 5 min). */
const AUTH_TEST_BACKOFF_MS = 5_000;

export class SlackAccess {
  private served: Set<string> | null;
  private learning: Promise<Set<string> | null> | null = null;
  private retryAt = 0;
  private backoff = AUTH_TEST_BACKOFF_MS;
  private readonly adminCache = new Map<string, { admin: boolean; until: number }>();
  private warnedScope = false;
  private readonly now: () => number;

  constructor(private readonly opts: SlackAccessOptions) {
    this.served = opts.workspaces.length > 0 ? new Set(opts.workspaces) : null;
    this.now = opts.now ?? Date.now;
  }

  /** Whether this instance serves the request's workspace; 'unknown' when it could not find out yet. */
  async workspace(teamId: string | undefined, enterpriseId: string | undefined): Promise<WorkspaceVerdict> {
    const served = this.served ?? (await this.learn());
    if (!served) return 'unknown';
    return (teamId !== undefined && served.has(teamId)) || (enterpriseId !== undefined && served.has(enterpriseId)) ? 'served' : 'foreign';
  }

  private learn(): Promise<Set<string> | null> {
    if (this.learning) return this.learning;
    if (this.now() < this.retryAt) return Promise.resolve(null);
    this.learning = (async () => {
      try {
        const res = await this.opts.client.auth.test({ token: this.opts.botToken });
        const ids = [res.team_id, res.enterprise_id].filter((x): x is string => typeof x === 'string' && x !== '');
        if (ids.length === 0) throw new Error('auth.test named no team');
        this.served = new Set(ids);
        this.opts.logger.info('slack: serving the bot token’s workspace', { workspaces: ids });
        return this.served;
      } catch (err) {
        this.retryAt = this.now() + this.backoff;
        this.backoff = Math.min(this.backoff * 2, 5 * 60_000);
        this.opts.logger.warn('slack: could not learn the workspace from auth.test; requests are refused until it answers (or set TOMTE_SLACK_WORKSPACES)', { error: err });
        return null;
      } finally {
        this.learning = null;
      }
    })();
    return this.learning;
  }

  /** The sender of a request as the chat core sees it. */
  actor(userId: string, teamId: string | undefined): Actor {
    return { platform: 'slack', userId, workspace: teamId ?? null, isAdmin: () => this.isAdmin(userId) };
  }

  private async isAdmin(userId: string): Promise<boolean> {
    if (this.opts.admins.has(userId)) return true;
    const t = this.now();
    const hit = this.adminCache.get(userId);
    if (hit && hit.until > t) return hit.admin;
    let admin = false;
    let ttl = this.opts.adminTtlMs ?? 10 * 60_000;
    try {
      const res = await this.opts.client.users.info({ token: this.opts.botToken, user: userId });
      const u = res.user as { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean; deleted?: boolean } | undefined;
      admin = !!u && !u.deleted && !!(u.is_admin || u.is_owner || u.is_primary_owner);
    } catch (err) {
      ttl = FAILED_LOOKUP_TTL_MS;
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'missing_scope') {
        if (!this.warnedScope) this.opts.logger.warn('slack: users.info needs the users:read scope; only TOMTE_ADMINS are administrators until the app is reinstalled with it');
        this.warnedScope = true;
      } else {
        this.opts.logger.warn('slack: users.info failed; treating the user as a member for now', { user: userId, error: err });
      }
    }
    if (this.adminCache.size > 10_000) this.adminCache.clear();
    this.adminCache.set(userId, { admin, until: t + ttl });
    return admin;
  }
}
