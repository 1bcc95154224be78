import type { Reply } from '../../src/chat/reply';
import type { Db } from '../../src/store/db';
import { getTeamsConversation, markTeamsConversation } from '../../src/store/repos/teams-conversations';
import type { TeamsNotifier, TeamsPostResult } from './notifier';

/**
 * A proactive send to a stored conversation reference: the outbox's Teams target (issue 6). A
 * conversation marked unusable or uninstalled is not called again; a permanent failure marks it
 * unusable with the connector's reason, and the caller pauses the subscription.
 */
export async function deliverToTeams(deps: { db: Db; notifier: TeamsNotifier; now: () => Date }, conversationId: string, reply: Reply, thread?: { parent: string | null }): Promise<TeamsPostResult> {
  const ref = await getTeamsConversation(deps.db, conversationId);
  if (!ref) return { ok: false, permanent: true, reason: 'unknown conversation: tomte was never installed there' };
  if (ref.status !== 'active') return { ok: false, permanent: true, reason: `${ref.status}: ${ref.statusReason ?? 'no reason recorded'}` };
  const result = await deps.notifier.post({ conversationId: threadTarget(ref.conversationId, ref.conversationType, thread), serviceUrl: ref.serviceUrl }, reply);
  // A reply whose thread is gone says nothing about the conversation: the caller posts at the top level.
  const reply404 = thread?.parent && ref.conversationType === 'channel';
  if (!result.ok && result.permanent && !reply404) await markTeamsConversation(deps.db, conversationId, 'unusable', result.reason, deps.now());
  return result;
}

/**
 * Where an alert goes. Only channels have threads: there an alert about a kommune (`thread`)
 * starts a post of its own in the channel, and later ones reply to it (`<channel>;messageid=<id>`).
 * Elsewhere (personal and group chats), and for digests, the stored conversation as it is.
 */
export function threadTarget(conversationId: string, conversationType: string | null, thread?: { parent: string | null }): string {
  if (!thread || conversationType !== 'channel') return conversationId;
  const channel = conversationId.split(';messageid=')[0]!;
  return thread.parent ? `${channel};messageid=${thread.parent}` : channel;
}
