import { App, LogLevel, type MessageShortcut, type BlockAction, type ButtonAction, type Logger as BoltLogger, type RespondArguments, type RespondFn, type StaticSelectAction } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { handleCommand, isVolatileCommand, kommuneCard } from '../../src/chat/commands';
import { kommuneNrOfLink } from '../../src/chat/links';
import { lookupMentioned } from '../../src/chat/mentions';
import { createSlackNotifier, type UnfurlTarget } from './notifier';
import type { ChatPlace } from '../../src/services/subscriptions';
import type { Reply } from '../../src/chat/reply';
import { t } from '../../src/chat/texts';
import { LANGS, type Lang } from '../../src/domain/localized';
import type { Logger } from '../../src/lib/logger';
import type { ReadModel } from '../../src/services/read-model';
import { FORM_ACTION, renderBlocks } from './blocks';
import { FORM_BLOCKS, FORM_CALLBACK, formErrors, readSubmission, resultModal, slackOptions, subscriptionModal, textModal } from './modal';
import { formCommand, placeOptions, submitSubscriptionForm } from '../../src/chat/subscriptions/form';
import { homeView, LANGUAGE_ACTION, SUBSCRIPTION_ACTION, type HomeItem } from './home';
import { manageSubscription, type SubscriptionOp } from '../../src/chat/subscriptions/handlers';
import { describeSubscription } from '../../src/chat/subscriptions/describe';
import { pauseReasonText } from '../../src/chat/subscriptions/pause-reason';
import { subscriptionsOf } from '../../src/services/subscriptions';
import { SlackReceiver, type SlackReceiverOptions } from './receiver';
import { slackTexts } from './texts';
import { SlackAccess } from './access';
import type { Actor } from '../../src/domain/access';
import type { SignInLinkMaker } from '../../src/chat/web';
import type { MapSpec } from '../../src/domain/map-spec';

/** The slash command the manifest registers. */
export const SLASH_COMMAND = '/tomte';
/** action_id prefixes the Block Kit renderer (blocks.ts) gives its buttons. */
export const ACTIONS = { command: /^tomte:cmd/, share: 'tomte:share', more: 'tomte:more' } as const;
/** The callback_id of the "Slå opp kommune" message shortcut (the manifest's `shortcuts`). */
export const LOOKUP_SHORTCUT = 'tomte_lookup';

/** A Slack message's text as read by people: `<url|label>` is the url and its label, `<@U…>` and `<#C…>` go, entities are decoded. */
export function slackPlainText(text: string): string {
  return text
    .replace(/<([^>|]*)(?:\|([^>]*))?>/g, (_, target: string, label: string | undefined) => (/^https?:/.test(target) ? ` ${target} ${label ?? ''} ` : ` ${label ?? ''} `))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface SlackAppOptions {
  signingSecret: string;
  /** Bot token (xoxb-…) of the one workspace this instance serves. */
  botToken: string;
  /** The current read model; replaced after a rescore, so it is asked for on every request. */
  getReadModel: () => ReadModel;
  logger: Logger;
  /** Reply language of users who have not chosen one on the App Home tab. */
  defaultLang: Lang;
  /** Passed to Bolt's WebClient and respond(): `fetch` for tests and the bench, `slackApiUrl`, retries. */
  clientOptions?: WebClientOptions;
  /**
   * How long a slash command may work before it is acked with "Jobber med det…" and answered
   * later through response_url. Default 2,000 ms (Slack's deadline is 3 s, including the network).
   */
  ackBudgetMs?: number;
  /** Receiver settings other than the secret and logger (ack timeout, dedupe, clock). */
  receiver?: Omit<SlackReceiverOptions, 'signingSecret' | 'logger'>;
  /** Names of the scheduled jobs, for `/tomte jobber`. */
  jobNames?: readonly string[];
  /** Starts a job for `/tomte kjør <jobb>` (administrators); null while the service is starting. */
  runJob?: (name: string, by: Actor) => Promise<unknown> | null;
  /** TOMTE_ADMINS: Slack user ids that administer tomte besides the workspace's admins and owners. */
  admins?: ReadonlySet<string>;
  /** TOMTE_SLACK_WORKSPACES: the team or enterprise ids served; empty or absent: the bot token's own (auth.test). */
  workspaces?: readonly string[];
  /** Makes `web`'s one-time sign-in link (answered ephemerally: only the asker sees it). */
  signInLink?: SignInLinkMaker;
  /** A reply's map as PNG (`kart`), shared in the channel with files.uploadV2 after the answer. */
  mapPng?: (spec: MapSpec, lang: Lang) => Uint8Array | null;
  /** TOMTE_PUBLIC_URL: links to its `/kommuner/{nr}` pages unfurl into the kommune card (`link_shared`). */
  publicUrl?: string;
}

/**
 * Reply languages chosen on the App Home tab, per workspace and user. In memory for now: a
 * restart forgets them (they move to the database with the subscriptions).
 */
export class LanguagePrefs {
  private readonly byUser = new Map<string, Lang>();
  constructor(private readonly fallback: Lang) {}
  get(team: string | undefined, user: string | undefined): Lang {
    return (user && this.byUser.get(`${team ?? ''}:${user}`)) || this.fallback;
  }
  set(team: string | undefined, user: string, lang: Lang): void {
    this.byUser.set(`${team ?? ''}:${user}`, lang);
  }
}

export interface SlackApp {
  receiver: SlackReceiver;
  app: App;
  prefs: LanguagePrefs;
  access: SlackAccess;
}

/** Bolt's logger interface on top of ours: Bolt passes loose arguments, we log one message with details. */
export function boltLogger(logger: Logger): BoltLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      const [first, ...rest] = msg;
      const text = typeof first === 'string' ? first : 'bolt';
      const details = typeof first === 'string' ? rest : msg;
      logger[level](`bolt: ${text}`, details.length > 0 ? { details } : undefined);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** Kinds of reply that get a "Del i kanalen" button when the handler did not add one. */
const SHAREABLE = new Set<Reply['kind']>(['kommune', 'explanation', 'ranking', 'comparison', 'sources']);

/** The reply with a share button that re-runs `command` in the channel. */
export function withShare(reply: Reply, command: string): Reply {
  if (!SHAREABLE.has(reply.kind) || reply.actions.some((a) => a.kind === 'share') || command.trim() === '') return reply;
  return { ...reply, actions: [...reply.actions, { kind: 'share', label: t(reply.lang).shareButton, command }] };
}

/** A card posted for the whole channel has no share button of its own. */
export function forChannel(reply: Reply): Reply {
  return { ...reply, actions: reply.actions.filter((a) => a.kind !== 'share') };
}

function message(reply: Reply, responseType: 'ephemeral' | 'in_channel', command: string, page?: number, sharedBy?: string): RespondArguments {
  const { text, blocks } = renderBlocks(reply, { command, ...(page ? { page } : {}), ...(sharedBy ? { sharedBy } : {}) });
  // A one-time sign-in link is not unfurled: Slack's unfurler would fetch it (harmless since GET
  // /logg-inn only shows a button, but a preview of it is of no use to anyone).
  return { response_type: responseType, text, blocks, ...(reply.noLinkPreviews ? { unfurl_links: false, unfurl_media: false } : {}) } as RespondArguments;
}

const messageCache = new WeakMap<ReadModel, Map<string, RespondArguments>>();
const MAX_CACHED_MESSAGES = 2000;

/**
 * The rendered message for a command, cached per read model: a reply depends only on the read
 * model (replaced after every refresh), the command text, the language and the page. Errors are
 * not cached.
 */
function cachedMessage(rm: ReadModel, key: string, build: () => Promise<{ message: RespondArguments; cacheable: boolean }>): Promise<RespondArguments> {
  let byKey = messageCache.get(rm);
  if (!byKey) messageCache.set(rm, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return Promise.resolve(hit);
  return build().then(({ message, cacheable }) => {
    if (cacheable) {
      if (byKey.size >= MAX_CACHED_MESSAGES) byKey.clear();
      byKey.set(key, message);
    }
    return message;
  });
}

/** Resolves with the value, or with `null` when it takes longer than `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ]);
}

/**
 * The Slack surface: a Bolt App on the Web-standard receiver. `/tomte <command>` answers
 * ephemerally through response_url (lookups get a "Del i kanalen" button), buttons run their
 * command, "Del i kanalen" posts the card in the channel, and the App Home tab shows the
 * watchlist (empty for now) and the language choice. The App never opens a port: mount
 * `receiver.handle` in Hono (adapters/slack/route.ts).
 */
export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const receiver = new SlackReceiver({ ...opts.receiver, signingSecret: opts.signingSecret, logger: opts.logger });
  const prefs = new LanguagePrefs(opts.defaultLang);
  const ackBudgetMs = opts.ackBudgetMs ?? 2000;
  const app = new App({
    receiver,
    // A fixed token, without Bolt's start-up auth.test: no Web API call before the first real
    // request, and a Slack outage at boot does not leave the app unable to authorise.
    authorize: async () => ({ botToken: opts.botToken }),
    logger: boltLogger(opts.logger),
    convoStore: false,
    clientOptions: { retryConfig: { retries: 2 }, ...opts.clientOptions },
  });
  app.error(async (err) => {
    // The receiver logs it once with the request's details.
    throw err;
  });
  const access = new SlackAccess({ client: app.client, botToken: opts.botToken, admins: opts.admins ?? new Set(), workspaces: opts.workspaces ?? [], logger: opts.logger });

  // Before any listener: requests from a workspace this instance does not serve are refused.
  app.use(async (args) => {
    const { context, next } = args;
    const verdict = await access.workspace(context.teamId, context.enterpriseId);
    if (verdict === 'served') return next();
    opts.logger.warn('slack: request refused', { reason: verdict === 'foreign' ? 'workspace not served' : 'workspace not known yet', team: context.teamId ?? null, enterprise: context.enterpriseId ?? null });
    const tx = slackTexts(opts.defaultLang);
    const text = verdict === 'foreign' ? tx.foreignWorkspace : tx.workspaceUnknown;
    const a = args as unknown as { ack?: (r?: unknown) => Promise<void>; respond?: RespondFn; command?: unknown; body?: { type?: unknown } };
    if (a.command !== undefined) {
      await a.ack?.({ response_type: 'ephemeral', text });
      return;
    }
    // A modal says it in the modal; the picker offers nothing.
    if (a.body?.type === 'view_submission') return a.ack?.({ response_action: 'update', view: textModal(text, opts.defaultLang) });
    if (a.body?.type === 'block_suggestion') return a.ack?.({ options: [] });
    await a.ack?.();
    await a.respond?.({ response_type: 'ephemeral', text, replace_original: false }).catch(() => {});
  });

  const answer = (text: string, lang: Lang, place?: ChatPlace, actor?: Actor, userName?: string): Promise<Reply> =>
    handleCommand(
      {
        rm: opts.getReadModel(),
        lang,
        ...(place ? { place } : {}),
        ...(actor ? { actor, webAsker: { user: { platform: 'slack' as const, userId: actor.userId, workspace: actor.workspace, label: userName ?? actor.userId }, privateAnswer: true } } : {}),
        ...(opts.signInLink ? { signInLink: opts.signInLink } : {}),
        ...(opts.jobNames ? { jobNames: opts.jobNames } : {}),
        ...(opts.runJob ? { runJob: opts.runJob } : {}),
      },
      text,
    );
  /** A reply's map, shared in the channel after the answer (files.uploadV2); a failure is logged and said to the user. */
  const shareMap = async (reply: Reply, channel: string, respond: RespondFn): Promise<void> => {
    if (!reply.image || !opts.mapPng) return;
    try {
      const png = opts.mapPng(reply.image.map, reply.lang);
      if (!png) return;
      await app.client.filesUploadV2({ channel_id: channel, file: Buffer.from(png), filename: reply.image.filename, title: reply.image.alt });
    } catch (err) {
      opts.logger.warn('slack: map upload failed', { channel, error: err });
      await respond({ response_type: 'ephemeral', replace_original: false, text: reply.lang === 'nb' ? 'Kartet kunne ikke lastes opp her (er tomte invitert til kanalen?).' : 'The map could not be uploaded here (is tomte invited to the channel?).' }).catch(() => {});
    }
  };
  const ephemeralCard = async (text: string, lang: Lang, place: ChatPlace, actor: Actor, onReply?: (reply: Reply) => void, userName?: string): Promise<RespondArguments> => {
    if (isVolatileCommand(text)) {
      const reply = await answer(text, lang, place, actor, userName);
      onReply?.(reply);
      return message(reply, 'ephemeral', text);
    }
    return cachedMessage(opts.getReadModel(), `card|${lang}|${text}`, async () => {
      const reply = await answer(text, lang, place, actor);
      return { message: message(withShare(reply, text), 'ephemeral', text), cacheable: reply.kind !== 'error' };
    });
  };
  const slackPlace = (channel: { id?: string; name?: string } | undefined | null, user: string): ChatPlace | undefined =>
    channel?.id ? { platform: 'slack', target: channel.id, targetName: channel.name ?? null, user } : undefined;

  app.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    const text = command.text ?? '';
    const lang = prefs.get(command.team_id, command.user_id);
    const actor = access.actor(command.user_id, command.team_id);
    let withImage: Reply | null = null;
    const work = ephemeralCard(text, lang, { platform: 'slack', target: command.channel_id, targetName: command.channel_name ?? null, user: command.user_id }, actor, (r) => (withImage = r.image ? r : null), command.user_name);
    // The map of `kart` follows the answer as a file in the channel.
    void work.then(() => (withImage ? shareMap(withImage, command.channel_id, respond) : undefined)).catch(() => {});
    const early = await within(work, ackBudgetMs);
    if (early !== null) {
      // The card rides in the HTTP ack (Slack shows it as the command's answer): no response_url
      // POST, which under load was the largest single cost of a command (bench/service.bench.ts).
      await ack(early);
      return;
    }
    // Slow store: ack in time with a short note, answer through response_url when done.
    await ack({ response_type: 'ephemeral', text: slackTexts(lang).working });
    await respond(await work);
  });

  // One listener for every tomte button: Bolt runs every listener's matchers on every request
  // (measured: processEvent of a slash command ≈ 30 µs with one listener, ≈ 57 µs with six).
  app.action<BlockAction<ButtonAction | StaticSelectAction>>(/^tomte:/, async ({ ack, action, body, respond, client }) => {
    await ack();
    const lang = prefs.get(body.team?.id, body.user.id);
    const id = action.action_id;
    if (id === LANGUAGE_ACTION && action.type === 'static_select') {
      const chosen = action.selected_option?.value;
      if (!LANGS.includes(chosen as Lang)) return;
      prefs.set(body.team?.id, body.user.id, chosen as Lang);
      await client.views.publish({ user_id: body.user.id, view: homeView(chosen as Lang, await mine(body.user.id, chosen as Lang)) as never });
      return;
    }
    if (action.type !== 'button') return;
    if (id === FORM_ACTION) {
      // "Nytt abonnement" (App Home, the `abonner` answers): the subscription modal.
      const view = subscriptionModal(opts.getReadModel(), lang, { ...(body.channel?.id ? { channel: body.channel.id } : {}), origin: { home: body.container?.type === 'view' } });
      await client.views.open({ trigger_id: body.trigger_id, view });
    } else if (SUBSCRIPTION_ACTION.test(id)) {
      // Pause, resume or end on the App Home tab: done, then the tab again with what happened.
      const op = SUBSCRIPTION_ACTION.exec(id)![1] as SubscriptionOp;
      const done = await manageSubscription(opts.getReadModel(), access.actor(body.user.id, body.team?.id), Number(action.value), op, lang);
      await client.views.publish({ user_id: body.user.id, view: homeView(lang, await mine(body.user.id, lang), done.text) as never });
    } else if (ACTIONS.command.test(id)) {
      // A detail, a suggestion from "mente du …?", a compare: answered to the clicker only.
      const command = action.value ?? '';
      const reply = await answer(command, lang, slackPlace(body.channel, body.user.id), access.actor(body.user.id, body.team?.id));
      await respond({ ...message(isVolatileCommand(command) ? reply : withShare(reply, command), 'ephemeral', command), replace_original: false });
    } else if (id === ACTIONS.more) {
      // The next page replaces the message in place: paging never piles up cards.
      const { command, page } = parseMore(action.value);
      const reply = await answer(command, lang);
      await respond({ ...message(withShare(reply, command), 'ephemeral', command, page), replace_original: true });
    } else if (id === ACTIONS.share) {
      // The page on show is shared (the button carries it), with who shared it.
      const { command, page } = parseMore(action.value, true);
      const reply = forChannel(await answer(command, lang));
      await share(respond, message(reply, 'in_channel', command, page, body.user.id), async () => {
        const channel = body.channel?.id;
        if (!channel) throw new Error('share clicked outside a channel and without response_url');
        const { text, blocks } = renderBlocks(reply, { command, page, sharedBy: body.user.id });
        await client.chat.postMessage({ channel, text, blocks });
      });
    } else {
      opts.logger.warn('unknown slack action', { action: id });
    }
  });

  // The modal's kommune/fylke picker: options for what the user typed (block_suggestion).
  app.options<'block_suggestion'>({ type: 'block_suggestion', action_id: FORM_BLOCKS.place }, async ({ ack, body }) => {
    const lang = prefs.get(body.team?.id, body.user.id);
    await ack({ options: slackOptions(placeOptions(opts.getReadModel(), body.value ?? '', lang)) });
  });

  // The modal submitted: the same handler and service call as `/tomte abonner …`; field problems
  // go back to the modal, the answer replaces it.
  app.view(FORM_CALLBACK, async ({ ack, body, view, client }) => {
    const user = body.user.id;
    const lang = prefs.get(body.team?.id, user);
    const rm = opts.getReadModel();
    const { values, channel, origin } = readSubmission(view);
    const checked = formCommand(rm, values, lang);
    if (!checked.ok) return ack(formErrors(checked.errors));
    // No channel chosen: the user's DM with tomte (their watchlist).
    const target = channel ?? (await client.conversations.open({ users: user }).then((r) => r.channel?.id ?? null, () => null));
    if (!target) return ack({ response_action: 'update', view: textModal(t(lang).internalError, lang) });
    const done = await submitSubscriptionForm(rm, { platform: 'slack', target, targetName: null, user }, values, lang, access.actor(user, body.team?.id));
    if (!done.ok) return ack(formErrors(done.errors));
    await ack({ response_action: 'update', view: resultModal(done.reply) });
    if (origin.home) await client.views.publish({ user_id: user, view: homeView(lang, await mine(user, lang)) as never });
  });

  /** The user's subscriptions for the Home tab: DM ones are the watchlist. */
  const mine = async (user: string, lang: Lang) => {
    const rm = opts.getReadModel();
    const subs = await subscriptionsOf(rm.deps, 'slack', user);
    const names = {
      kommune: (nr: string) => rm.registry.byCode(nr)?.nameNorwegian ?? nr,
      fylke: (nr: string) => rm.registry.counties().find((c) => c.code === nr)?.name ?? nr,
    };
    const item = (s: (typeof subs)[number]): HomeItem => ({ id: s.id, text: describeSubscription(s, names, lang), place: s.target, paused: s.status === 'paused' ? pauseReasonText(s.statusReason, lang) : null });
    return { watchlist: subs.filter((s) => s.target.startsWith('D')).map(item), subscriptions: subs.filter((s) => !s.target.startsWith('D')).map(item) };
  };

  // A message in the user's DM with tomte (the Messages tab) is a command, answered in the DM:
  // "abonner kommune Bodø" there puts Bodø on the user's personal watchlist.
  app.event('message', async ({ event, context, client }) => {
    const e = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; text?: string; channel: string };
    if (e.channel_type !== 'im' || e.subtype !== undefined || e.bot_id !== undefined || !e.user) return;
    const text = (e.text ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const lang = prefs.get(context.teamId, e.user);
    const reply = await answer(text, lang, { platform: 'slack', target: e.channel, targetName: null, user: e.user }, access.actor(e.user, context.teamId));
    const { text: fallback, blocks } = renderBlocks(forChannel(reply), { command: text });
    await client.chat.postMessage({ channel: e.channel, text: fallback, blocks });
  });

  // "Slå opp kommune" on a message: the card of the first kommune it names, the others listed;
  // answered to the user only (ephemeral through response_url).
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: LOOKUP_SHORTCUT }, async ({ shortcut, ack, respond }) => {
    await ack();
    const lang = prefs.get(shortcut.team?.id, shortcut.user.id);
    const { reply, command } = await lookupMentioned(opts.getReadModel(), slackPlainText(shortcut.message.text ?? ''), lang, opts.publicUrl);
    await respond({ ...message(command ? withShare(reply, command) : reply, 'ephemeral', command ?? ''), replace_original: false });
  });

  // Links to tomte's kommune pages unfurl into the kommune card; other links are left alone.
  // chat.unfurl goes through the notifier's Web API helper (one HTTP path for outbound calls).
  const webApi = createSlackNotifier({ token: opts.botToken, ...(opts.clientOptions?.slackApiUrl ? { apiUrl: opts.clientOptions.slackApiUrl } : {}) });
  app.event('link_shared', async ({ event, context }) => {
    const e = event as { channel?: string; message_ts?: string; user?: string; unfurl_id?: string; source?: string; links?: { url?: string }[] };
    const rm = opts.getReadModel();
    const lang = prefs.get(context.teamId, e.user);
    const unfurls: Record<string, { blocks: unknown[] }> = {};
    for (const link of e.links ?? []) {
      const nr = link.url ? kommuneNrOfLink(link.url, opts.publicUrl) : null;
      if (!link.url || !nr || !rm.registry.byCode(nr) || unfurls[link.url]) continue;
      const reply = await kommuneCard(rm, nr, lang);
      if (reply.kind !== 'kommune') continue;
      unfurls[link.url] = { blocks: renderBlocks(forChannel(reply), { command: `kommune ${nr}` }).blocks };
    }
    if (Object.keys(unfurls).length === 0) return;
    const target: UnfurlTarget | null = e.unfurl_id && e.source ? { unfurlId: e.unfurl_id, source: e.source } : e.channel && e.message_ts ? { channel: e.channel, ts: e.message_ts } : null;
    if (!target) return;
    const done = await webApi.unfurl(target, unfurls);
    if (!done.ok) opts.logger.warn('slack: chat.unfurl failed', { reason: done.reason, links: Object.keys(unfurls).length });
  });

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const team = typeof body.team_id === 'string' ? body.team_id : undefined;
    const lang = prefs.get(team, event.user);
    await client.views.publish({ user_id: event.user, view: homeView(lang, await mine(event.user, lang)) as never });
  });

  return { receiver, app, prefs, access };
}

/**
 * The "vis flere" button's value: `{"command": "topp 60", "page": 2}`; anything else is page 1 of
 * nothing. A share button's value is the same JSON on a later page, else the bare command (`plain`).
 */
function parseMore(value: string | undefined, plain = false): { command: string; page: number } {
  let next: { command?: unknown; page?: unknown } = {};
  if (plain && !(value ?? '').startsWith('{')) return { command: value ?? '', page: 1 };
  try {
    next = JSON.parse(value ?? '{}') as typeof next;
  } catch {
    // An old or foreign button.
  }
  const command = typeof next.command === 'string' ? next.command : '';
  const page = typeof next.page === 'number' && Number.isInteger(next.page) && next.page > 0 ? next.page : 1;
  return { command, page };
}

/** Posts through response_url when Slack gave one (works in channels the bot is not in), else the Web API. */
async function share(respond: RespondFn | undefined, msg: RespondArguments, fallback: () => Promise<void>): Promise<void> {
  if (respond) {
    await respond({ ...msg, response_type: 'in_channel', replace_original: false });
    return;
  }
  await fallback();
}
