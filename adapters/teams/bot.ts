import { handleCommand, kommuneCard } from '../../src/chat/commands';
import { kommuneNrOfLink } from '../../src/chat/links';
import { lookupMentioned } from '../../src/chat/mentions';
import { LOOKUP_COMMAND_ID } from './package/manifest';
import type { SignInLinkMaker } from '../../src/chat/web';
import type { MapSpec } from '../../src/domain/map-spec';
import type { Reply } from '../../src/chat/reply';
import type { Lang } from '../../src/domain/localized';
import type { Logger } from '../../src/lib/logger';
import { TtlSet } from '../../src/lib/ttl-set';
import type { ReadModel } from '../../src/services/read-model';
import type { ChatPlace } from '../../src/services/subscriptions';
import type { TeamsConversationSeen } from '../../src/store/repos/teams-conversations';
import { cardActivity, type InboundActivity } from './activity';
import { CARD_CONTENT_TYPE, renderAdaptiveCard, type SubmitData, type TeamsMessage } from './cards';
import { formValues, searchResponse, subscriptionFormCard } from './form';
import { submitSubscriptionForm } from '../../src/chat/subscriptions/form';
import type { Turn } from './framework';
import { teamsTexts } from './texts';
import type { Actor } from '../../src/domain/access';

/** Where the bot keeps conversation references (the database in the service, a fake in unit tests). */
export interface ConversationStore {
  seen(ref: TeamsConversationSeen): Promise<void>;
  /** The bot was removed or the app uninstalled: stop posting there. */
  removed(conversationId: string, reason: string, at: Date): Promise<void>;
}

export interface TeamsBotOptions {
  getReadModel: () => ReadModel;
  conversations: ConversationStore;
  logger: Logger;
  defaultLang: Lang;
  /** Names of the scheduled jobs, for `jobber`. */
  jobNames?: readonly string[];
  /** Starts a job for `kjør <jobb>` (administrators). */
  runJob?: (name: string, by: Actor) => Promise<unknown> | null;
  /** Tenants served (TOMTE_TEAMS_TENANTS, else the bot's own tenant); activities from any other are refused. */
  tenants: readonly string[];
  /** TOMTE_ADMINS: AAD object ids of administrators. */
  admins?: ReadonlySet<string>;
  now?: () => Date;
  /** Makes `web`'s sign-in link (TOMTE_WEB_SECRET and TOMTE_PUBLIC_URL); the link is given in personal chats only. */
  signInLink?: SignInLinkMaker;
  /** A signed, expiring https URL of a reply's map (`kart`), shown in the card; null where none can be made. */
  mapUrl?: (spec: MapSpec) => Promise<string | null>;
  /** TOMTE_PUBLIC_URL: links to its `/kommuner/{nr}` pages unfurl into the kommune card (`composeExtension/queryLink`). */
  publicUrl?: string;
}

/** An invoke's answer, returned in the HTTP response (Teams waits for it). */
export interface InvokeResponse {
  status: number;
  body?: unknown;
}

export interface TeamsBot {
  /** Handles one authenticated activity; returns the invoke response for invokes. */
  onTurn(turn: Turn): Promise<InvokeResponse | undefined>;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The command in a message: Teams sends `<at>tomte</at> kommune Bodø` when the bot is mentioned in
 * a channel, and HTML for formatted messages. The bot's mention, other tags and entities go.
 */
export function commandText(activity: Pick<InboundActivity, 'text' | 'entities' | 'recipient'>): string {
  let text = activity.text ?? '';
  for (const e of activity.entities ?? []) {
    const mention = e as { type: string; mentioned?: { id?: string }; text?: string };
    if (mention.type === 'mention' && mention.mentioned?.id === activity.recipient.id && mention.text) {
      text = text.split(mention.text).join(' ');
    }
  }
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16) || 32);
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)) || 32);
      return ENTITY[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** The `data` of a tomte card button, from a message's `value` (Action.Submit) or an invoke (Action.Execute). */
export function submitData(value: unknown): SubmitData | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as { tomte?: unknown; command?: unknown; page?: unknown };
  if (typeof v.command !== 'string') return null;
  if (v.tomte === 'cmd' || v.tomte === 'share' || v.tomte === 'form' || v.tomte === 'subscribe') return { tomte: v.tomte, command: v.command };
  if (v.tomte === 'more') {
    const page = typeof v.page === 'number' && Number.isInteger(v.page) && v.page > 0 && v.page < 10_000 ? v.page : 1;
    return { tomte: 'more', command: v.command, page };
  }
  return null;
}

/** Every Teams reply is visible to the whole conversation: no "share" button. */
function visibleInTeams(reply: Reply): Reply {
  return { ...reply, actions: reply.actions.filter((a) => a.kind !== 'share') };
}

/** An invoke answer that replaces the card the button was on. */
function cardResponse(message: TeamsMessage): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: message.attachment.content } };
}

/** The tenant an activity comes from: the conversation's, else channelData's. */
export function tenantOf(a: Pick<InboundActivity, 'conversation' | 'channelData'>): string | null {
  return a.conversation.tenantId ?? a.channelData?.tenant?.id ?? null;
}

function reference(a: InboundActivity, at: Date): TeamsConversationSeen {
  const cd = a.channelData;
  return {
    conversationId: a.conversation.id,
    serviceUrl: a.serviceUrl,
    tenantId: tenantOf(a),
    botId: a.recipient.id,
    botName: a.recipient.name ?? null,
    conversationType: a.conversation.conversationType ?? null,
    teamId: cd?.team?.id ?? null,
    name: cd?.channel?.name ?? a.conversation.name ?? cd?.team?.name ?? null,
    lastUserId: a.from.aadObjectId ?? a.from.id,
    at,
  };
}

/**
 * The Teams bot: commands as messages (`@tomte kommune Bodø` in a channel, `kommune Bodø` in a
 * personal chat), card buttons (Action.Submit messages and Action.Execute invokes), a help card
 * when the app is installed, and a stored conversation reference for every conversation it is in.
 */
export function createTeamsBot(opts: TeamsBotOptions): TeamsBot {
  const now = opts.now ?? (() => new Date());
  // Teams sends both conversationUpdate and installationUpdate on install: welcome once.
  const welcomed = new TtlSet(60_000, 10_000);

  const tenants = new Set(opts.tenants);
  const admins = opts.admins ?? new Set<string>();
  const place = (a: InboundActivity): ChatPlace => ({
    platform: 'teams',
    target: a.conversation.id,
    targetName: a.channelData?.channel?.name ?? a.conversation.name ?? null,
    user: a.from.aadObjectId ?? a.from.id,
  });
  // Teams offers a bot no way to ask whether a user is a tenant admin without Graph permissions:
  // administrators are the AAD object ids in TOMTE_ADMINS.
  const actor = (a: InboundActivity): Actor => {
    const user = a.from.aadObjectId ?? a.from.id;
    const admin = a.from.aadObjectId !== undefined && admins.has(a.from.aadObjectId);
    return { platform: 'teams', userId: user, workspace: tenantOf(a), isAdmin: async () => admin };
  };
  const card = async (a: InboundActivity, command: string, page?: number) => {
    const webAsker = { user: { platform: 'teams' as const, userId: a.from.aadObjectId ?? a.from.id, workspace: tenantOf(a), label: a.from.name ?? a.from.aadObjectId ?? a.from.id }, privateAnswer: a.conversation.conversationType === 'personal' };
    const ctx = { rm: opts.getReadModel(), lang: opts.defaultLang, place: place(a), actor: actor(a), webAsker, ...(opts.signInLink ? { signInLink: opts.signInLink } : {}), ...(opts.jobNames ? { jobNames: opts.jobNames } : {}), ...(opts.runJob ? { runJob: opts.runJob } : {}) };
    let reply: Reply = await handleCommand(ctx, command);
    // A map (`kart`) is shown from a signed URL; without one the card says how to see it.
    if (reply.image && opts.mapUrl) {
      const url = await opts.mapUrl(reply.image.map).catch(() => null);
      if (url) reply = { ...reply, image: { ...reply.image, url } };
    }
    return renderAdaptiveCard(visibleInTeams(reply), { command, ...(page ? { page } : {}), refreshFor: [a.from.id] });
  };

  /**
   * Link unfurling: a link to a kommune page on the public host becomes the kommune card (the
   * platform's compose-extension result); any other link gets an empty answer and stays a plain link.
   */
  async function unfurl(a: InboundActivity): Promise<InvokeResponse> {
    const url = (a.value as { url?: unknown } | undefined)?.url;
    const nr = typeof url === 'string' ? kommuneNrOfLink(url, opts.publicUrl) : null;
    const rm = opts.getReadModel();
    if (!nr || !rm.registry.byCode(nr)) return { status: 200 };
    const reply = await kommuneCard(rm, nr, opts.defaultLang);
    if (reply.kind !== 'kommune') return { status: 200 };
    const message = renderAdaptiveCard(visibleInTeams(reply), { command: `kommune ${nr}` });
    const preview = { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: reply.title, ...(reply.subtitle ? { text: reply.subtitle } : {}) } };
    return { status: 200, body: { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [{ ...message.attachment, preview }] } } };
  }

  /**
   * "Slå opp kommune" on a message: the card of the first kommune the message (or the dialog's
   * field, when filled) names, the others listed; a plain message when it names none.
   */
  async function lookup(a: InboundActivity): Promise<InvokeResponse> {
    const v = (a.value ?? {}) as { commandId?: unknown; data?: { kommune?: unknown }; messagePayload?: { body?: { content?: unknown } } };
    if (v.commandId !== LOOKUP_COMMAND_ID) return { status: 501 };
    const typed = typeof v.data?.kommune === 'string' ? v.data.kommune.trim() : '';
    const content = typeof v.messagePayload?.body?.content === 'string' ? v.messagePayload.body.content : '';
    // Links keep their address (a kommune page link names its kommune).
    const text = typed || commandText({ text: content.replace(/<a\s[^>]*href="([^"]*)"[^>]*>/gi, ' $1 '), recipient: a.recipient });
    const { reply } = await lookupMentioned(opts.getReadModel(), text, opts.defaultLang, opts.publicUrl);
    if (reply.kind === 'error') return { status: 200, body: { composeExtension: { type: 'message', text: reply.title } } };
    const message = renderAdaptiveCard(visibleInTeams(reply), { command: '' });
    const preview = { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: reply.title, ...(reply.subtitle ? { text: reply.subtitle } : {}) } };
    return { status: 200, body: { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [{ ...message.attachment, preview }] } } };
  }

  async function welcome(turn: Turn): Promise<void> {
    if (!welcomed.add(turn.activity.conversation.id)) return;
    const help = await handleCommand({ rm: opts.getReadModel(), lang: opts.defaultLang }, 'hjelp');
    const tx = teamsTexts(opts.defaultLang);
    const reply: Reply = { ...help, subtitle: tx.welcome, fallback: `${tx.welcome} ${help.fallback}` };
    await turn.send(cardActivity(renderAdaptiveCard(reply, { command: 'hjelp' })));
  }

  async function removed(a: InboundActivity, reason: string): Promise<void> {
    await opts.conversations.removed(a.conversation.id, reason, now());
    opts.logger.info('teams: removed from conversation', { conversation: a.conversation.id, reason });
  }

  return {
    async onTurn(turn) {
      const a = turn.activity;
      const tenant = tenantOf(a);
      if (tenant === null || !tenants.has(tenant)) {
        // Another organisation installed the app: nothing is stored or answered beyond saying so.
        opts.logger.warn('teams: activity from a tenant this instance does not serve', { tenant, activity_type: a.type });
        const text = teamsTexts(opts.defaultLang).foreignTenant;
        if (a.type === 'message') await turn.send({ type: 'message', text });
        if (a.type === 'invoke') return { status: 200, body: { statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: text } } };
        return undefined;
      }
      const botRemoved =
        (a.type === 'installationUpdate' && a.action?.startsWith('remove')) ||
        (a.type === 'conversationUpdate' && (a.membersRemoved ?? []).some((m) => m.id === a.recipient.id));
      if (botRemoved) {
        await removed(a, a.type === 'installationUpdate' ? 'uninstalled' : 'bot removed from the conversation');
        return undefined;
      }
      await opts.conversations.seen(reference(a, now()));

      switch (a.type) {
        case 'message': {
          const data = submitData(a.value);
          if (data) {
            // Teams has no ephemeral messages: a share button is just the command again.
            await turn.send(cardActivity(await card(a, data.command, data.tomte === 'more' ? data.page : undefined)));
            return undefined;
          }
          const text = commandText(a);
          await turn.send(cardActivity(await card(a, text)));
          return undefined;
        }
        case 'installationUpdate':
          if (a.action?.startsWith('add')) await welcome(turn);
          return undefined;
        case 'conversationUpdate':
          if ((a.membersAdded ?? []).some((m) => m.id === a.recipient.id)) await welcome(turn);
          return undefined;
        case 'invoke': {
          if (a.name === 'composeExtension/queryLink') return unfurl(a);
          if (a.name === 'composeExtension/submitAction') return lookup(a);
          // The subscription form's kommune picker (Input.ChoiceSet with Data.Query).
          if (a.name === 'application/search') return { status: 200, body: searchResponse(opts.getReadModel(), a.value, opts.defaultLang) };
          if (a.name !== 'adaptiveCard/action') return { status: 501 };
          const action = (a.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined)?.action;
          const data = submitData(action?.data);
          if (!data) {
            return {
              status: 200,
              body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: teamsTexts(opts.defaultLang).unknownAction } },
            };
          }
          if (data.tomte === 'form') return cardResponse(subscriptionFormCard(opts.getReadModel(), opts.defaultLang));
          if (data.tomte === 'subscribe') {
            // The form submitted: the same handler and service call as `abonner …`; problems
            // show on the form again, the answer replaces it.
            const rm = opts.getReadModel();
            const values = formValues(action?.data);
            const done = await submitSubscriptionForm(rm, place(a), values, opts.defaultLang, actor(a));
            if (!done.ok) return cardResponse(subscriptionFormCard(rm, opts.defaultLang, { values, errors: done.errors }));
            return cardResponse(renderAdaptiveCard(visibleInTeams(done.reply), { command: data.command }));
          }
          if (data.tomte === 'more') {
            // The next page replaces the card in place; a card's refresh asks for the page on show.
            return cardResponse(await card(a, data.command, data.page));
          }
          // Details, suggestions, unsubscribe: a new message; the card (an alert, say) stays as it was.
          await turn.send(cardActivity(await card(a, data.command)));
          return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: teamsTexts(opts.defaultLang).answeredBelow } };
        }
        default:
          // typing, reactions, edits, deletes: nothing to do.
          return undefined;
      }
    },
  };
}
