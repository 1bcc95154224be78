import { pausedNoticeReply } from '../../src/chat/alerts';
import type { Logger } from '../../src/lib/logger';
import type { Lang } from '../../src/domain/localized';
import type { MapSpec } from '../../src/domain/map-spec';
import type { Reply } from '../../src/chat/reply';
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
  /** A reply's map as PNG (Node: resvg over the current read model); absent on the Worker. */
  mapPng?: (spec: MapSpec, lang: Lang) => Uint8Array | null;
  /** A signed, expiring https URL of a reply's map (TOMTE_PUBLIC_URL and TOMTE_WEB_SECRET set), else null. */
  mapUrl?: (spec: MapSpec) => Promise<string | null>;
}

const notConfigured = (platform: string): SendOutcome => ({ ok: false, permanent: false, retryable: true, reason: `${platform} is not configured on this instance` });

/**
 * The dispatcher's view of Slack and Teams. A follow-up about a kommune replies in the thread of
 * the first alert about it (Slack thread_ts; Teams channels `;messageid=`, see deliverToTeams).
 * Slack messages carry the delivery key in their
 * metadata and can be found again after a crash; Teams cannot list a conversation's messages
 * without Graph permissions, so a Teams delivery interrupted between send and mark-sent is sent
 * again (at least once). A platform without credentials keeps its deliveries pending.
 */
export function createAlertSender(opts: AlertSenderOptions): AlertSender<Reply> {
  /** The reply with its map's URL, where one can be made; without a PNG renderer the URL is also a line of text. */
  async function withMapUrl(reply: Reply, asText: boolean): Promise<Reply> {
    if (!reply.image || !opts.mapUrl) return reply;
    const url = await opts.mapUrl(reply.image.map).catch(() => null);
    if (!url) return reply;
    const line = { type: 'context' as const, text: `${reply.lang === 'nb' ? 'Kart' : 'Map'}: ${url}` };
    return { ...reply, image: { ...reply.image, url }, ...(asText ? { sections: [...reply.sections, line] } : {}) };
  }

  return {
    async send(platform, target, reply, key, thread) {
      if (platform === 'slack') {
        if (!opts.slack) return notConfigured('Slack');
        const png = reply.image && opts.mapPng ? opts.mapPng(reply.image.map, reply.lang) : null;
        const r = await opts.slack.post(target, png ? reply : await withMapUrl(reply, true), key, thread?.parent ?? undefined);
        if (!r.ok) return r;
        // The map follows the message; a failed upload is logged and does not fail (or repeat) the delivery.
        if (png && reply.image) {
          const up = await opts.slack.uploadFile(r.channel, png, reply.image.filename, reply.image.alt);
          if (!up.ok) opts.logger.warn('map upload failed', { channel: r.channel, reason: up.reason });
        }
        return { ok: true, messageId: r.ts };
      }
      if (!opts.teams) return notConfigured('Teams');
      const r = await deliverToTeams({ db: opts.db(), notifier: opts.teams, now: opts.now }, target, await withMapUrl(reply, false), thread);
      return r.ok ? { ok: true, messageId: r.activityId } : r;
    },
    async findSent(platform, target, key, since, parent) {
      if (platform !== 'slack' || !opts.slack) return undefined;
      // A follow-up is in its thread, or (its thread gone) at the top level.
      const inThread = parent ? await opts.slack.findByKey(target, key, since, parent) : null;
      if (typeof inThread === 'string') return inThread;
      const top = await opts.slack.findByKey(target, key, since);
      return top === null && inThread === undefined ? undefined : top;
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
