import type { Actor, AdminAction } from '../domain/access';
import type { Lang } from '../domain/localized';
import type { AuditActor } from '../services/audit';
import type { ChatPlace } from '../services/subscriptions';
import type { Reply } from './reply';

/**
 * The chat side of access control: the actor of a command (fail closed: without one the sender is
 * an ordinary member), the audit identity, and the polite refusals. The rules are in domain/access.ts.
 */

/** The sender of a command; a surface that passes none gets a member with the place's user. */
export function actorOf(actor: Actor | undefined, place: ChatPlace | null): Actor | null {
  if (actor) return actor;
  if (!place) return null;
  return { platform: place.platform, userId: place.user, workspace: null, isAdmin: async () => false };
}

export function auditActorOf(actor: Actor): AuditActor {
  return { platform: actor.platform, actor: actor.userId, workspace: actor.workspace };
}

const WHAT: Record<AdminAction, { nb: string; en: string }> = {
  'lot-source:add': { nb: 'legge til tomtekilder', en: 'add lot sources' },
  'lot-source:remove': { nb: 'fjerne tomtekilder', en: 'remove lot sources' },
  'lot-source:detail': { nb: 'se tomtekildenes tekniske detaljer', en: "see the lot sources' technical detail" },
  'job:run': { nb: 'starte jobber', en: 'run jobs' },
  'jobs:view': { nb: 'se jobbene', en: 'see the jobs' },
  'audit:view': { nb: 'se endringsloggen', en: 'see the audit log' },
};

const refusal = (lang: Lang, title: string, text: string): Reply => ({ kind: 'error', lang, title, sections: [{ type: 'text', text }], actions: [], fallback: `${title} ${text}` });

/** "Only administrators can …", with who they are and how to become one. */
export function adminOnlyReply(lang: Lang, action: AdminAction): Reply {
  const what = WHAT[action][lang];
  return lang === 'nb'
    ? refusal(lang, `Bare administratorer kan ${what}`, 'Administratorer er arbeidsområdets administratorer og eiere i Slack, og brukerne som står i TOMTE_ADMINS. Spør en av dem, eller be den som drifter tomte om å legge deg til.')
    : refusal(lang, `Only administrators can ${what}`, 'Administrators are the Slack workspace’s admins and owners and the users listed in TOMTE_ADMINS. Ask one of them, or ask whoever runs tomte to add you.');
}

/** Subscriptions made by others that the sender asked to end. */
export function notYoursReply(lang: Lang, ids: readonly number[]): Reply {
  const list = ids.map((i) => `#${i}`).join(', ');
  return lang === 'nb'
    ? refusal(lang, `${ids.length === 1 ? `Abonnement ${list} ble` : `Abonnementene ${list} ble`} laget av noen andre`, 'Bare den som laget et abonnement, eller en administrator, kan avslutte det. Se hvem som laget dem med «abonnementer».')
    : refusal(lang, `${ids.length === 1 ? `Subscription ${list} was` : `Subscriptions ${list} were`} made by someone else`, 'Only whoever made a subscription, or an administrator, can end it. See who made them with "subscriptions".');
}

/** Quiet hours and mutes apply to every subscription in the place. */
export function notYourPlaceReply(lang: Lang, what: 'quiet' | 'mute'): Reply {
  const nbWhat = what === 'quiet' ? 'Stille timer' : 'Demping';
  const enWhat = what === 'quiet' ? 'Quiet hours' : 'Muting';
  return lang === 'nb'
    ? refusal(lang, `${nbWhat} gjelder alle abonnementene her, og noen av dem er laget av andre`, 'Bare en administrator, eller den som har laget alle abonnementene her, kan endre det.')
    : refusal(lang, `${enWhat} applies to every subscription here, and some were made by others`, 'Only an administrator, or whoever made every subscription here, can change it.');
}
