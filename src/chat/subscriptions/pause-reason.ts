import type { Lang } from '../../domain/localized';

/**
 * Why a subscription is paused, in words. The dispatcher stores the platform's own code (Slack's
 * `channel_not_found`, Teams' `403 ConversationBlockedByUser`) for operators and the audit trail;
 * users see what it means and what to do, never the code.
 */
const REASONS: Record<string, Record<Lang, string>> = {
  channel_not_found: { nb: 'kanalen finnes ikke lenger, eller tomte har ikke tilgang til den', en: 'the channel no longer exists, or tomte cannot see it' },
  is_archived: { nb: 'kanalen er arkivert', en: 'the channel is archived' },
  not_in_channel: { nb: 'tomte er ikke med i kanalen: inviter appen med /invite @tomte', en: 'tomte is not in the channel: invite the app with /invite @tomte' },
  token_revoked: { nb: 'appen er fjernet fra arbeidsområdet', en: 'the app was removed from the workspace' },
  account_inactive: { nb: 'appen er fjernet fra arbeidsområdet', en: 'the app was removed from the workspace' },
  invalid_auth: { nb: 'appens tilgang er ikke gyldig lenger; be den som drifter tomte om å installere den på nytt', en: "the app's access is no longer valid; ask whoever runs tomte to reinstall it" },
  not_authed: { nb: 'appens tilgang er ikke gyldig lenger; be den som drifter tomte om å installere den på nytt', en: "the app's access is no longer valid; ask whoever runs tomte to reinstall it" },
  missing_scope: { nb: 'appen mangler en tillatelse; be den som drifter tomte om å installere den på nytt', en: 'the app lacks a permission; ask whoever runs tomte to reinstall it' },
  team_access_not_granted: { nb: 'appen har ikke tilgang til dette arbeidsområdet', en: 'the app has no access to this workspace' },
  restricted_action: { nb: 'arbeidsområdet tillater ikke at appen poster her', en: 'the workspace does not let the app post here' },
  ConversationBlockedByUser: { nb: 'du har blokkert tomte i denne chatten', en: 'tomte is blocked in this chat' },
  BotNotInConversationRoster: { nb: 'tomte er fjernet fra samtalen', en: 'tomte was removed from the conversation' },
  BotDisabledByAdmin: { nb: 'en administrator har slått av tomte', en: 'an administrator turned tomte off' },
  ConversationNotFound: { nb: 'samtalen finnes ikke lenger', en: 'the conversation no longer exists' },
  paused_by_user: { nb: 'satt på pause for hånd', en: 'paused by hand' },
  uninstalled: { nb: 'appen er avinstallert her', en: 'the app was uninstalled here' },
};

export function pauseReasonText(reason: string | null, lang: Lang): string {
  const codes = (reason ?? '').split(/[\s:]+/);
  for (const c of codes) {
    const known = REASONS[c];
    if (known) return known[lang];
  }
  return lang === 'nb' ? 'tomte kunne ikke levere varsler hit' : 'tomte could not deliver alerts here';
}
