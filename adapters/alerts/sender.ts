import { pausedNoticeReply } from '../../src/chat/alerts';
import type { Logger } from '../../src/lib/logger';
import type { AlertSender, SendOutcome } from '../../src/services/alerts/dispatch';
import type { Db } from '../../src/store/db';
import { listTeamsConversations } from '../../src/store/repos/teams-conversations';
import type { SlackNotifier } from '../slack/notifier';
import { deliverToTeams } from '../teams/deliver';
import type { TeamsNotifier } from '../teams/notifier';

export interface AlertSenderOptions {
  slack: SlackNotifier | null;
  teams: TeamsNotifier | null;
  db: () => Db;
  logger: Logger;
  now: () => Date;
}

const notConfigured = (platform: string): SendOutcome => ({ ok: false, permanent: false, retryable: true, reason: `${platform} is not configured on this instance` });

/**
 * The dispatcher's view of Slack and Teams. Slack messages carry the delivery key in their
 * metadata and can be found again after a crash; Teams cannot list a conversation's messages
 * without Graph permissions, so a Teams delivery interrupted between send and mark-sent is sent
 * again (at least once). A platform without credentials keeps its deliveries pending.
 */
export function createAlertSender(opts: AlertSenderOptions): AlertSender {
  return {
    async send(platform, target, reply, key) {
      if (platform === 'slack') {
        if (!opts.slack) return notConfigured('Slack');
        const r = await opts.slack.post(target, reply, key);
        return r.ok ? { ok: true, messageId: r.ts } : r;
      }
      if (!opts.teams) return notConfigured('Teams');
      const r = await deliverToTeams({ db: opts.db(), notifier: opts.teams, now: opts.now }, target, reply);
      return r.ok ? { ok: true, messageId: r.activityId } : r;
    },
    async findSent(platform, target, key, since) {
      if (platform === 'slack' && opts.slack) return opts.slack.findByKey(target, key, since);
      return undefined;
    },
    async notifyPaused(sub, reason) {
      const place = sub.targetName ?? sub.target;
      const notice = pausedNoticeReply(place, sub.kind, reason, sub.lang);
      if (sub.platform === 'slack' && opts.slack) {
        // A user id as channel posts to the app's DM with that user.
        await opts.slack.post(sub.createdBy, notice);
        return;
      }
      if (sub.platform === 'teams' && opts.teams) {
        const personal = (await listTeamsConversations(opts.db(), 'active')).find((c) => c.conversationType === 'personal' && c.lastUserId === sub.createdBy);
        if (personal) {
          await deliverToTeams({ db: opts.db(), notifier: opts.teams, now: opts.now }, personal.conversationId, notice);
          return;
        }
      }
      opts.logger.warn('subscription paused; creator not reachable', { subscription: sub.id, platform: sub.platform, created_by: sub.createdBy, reason });
    },
  };
}
