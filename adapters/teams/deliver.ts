import type { Reply } from '../../src/chat/reply';
import type { Db } from '../../src/store/db';
import { getTeamsConversation, markTeamsConversation } from '../../src/store/repos/teams-conversations';
import type { TeamsNotifier, TeamsPostResult } from './notifier';

/**
 * A proactive send to a stored conversation reference: the outbox's Teams target (issue 6). A
 * conversation marked unusable or uninstalled is not called again; a permanent failure marks it
 * unusable with the connector's reason, and the caller pauses the subscription.
 */
export async function deliverToTeams(deps: { db: Db; notifier: TeamsNotifier; now: () => Date }, conversationId: string, reply: Reply): Promise<TeamsPostResult> {
  const ref = await getTeamsConversation(deps.db, conversationId);
  if (!ref) return { ok: false, permanent: true, reason: 'unknown conversation: tomte was never installed there' };
  if (ref.status !== 'active') return { ok: false, permanent: true, reason: `${ref.status}: ${ref.statusReason ?? 'no reason recorded'}` };
  const result = await deps.notifier.post({ conversationId: ref.conversationId, serviceUrl: ref.serviceUrl }, reply);
  if (!result.ok && result.permanent) await markTeamsConversation(deps.db, conversationId, 'unusable', result.reason, deps.now());
  return result;
}
