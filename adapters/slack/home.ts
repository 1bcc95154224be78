import type { HomeView, KnownBlock, PlainTextOption } from '@slack/types';
import { newSubscriptionAction, unsubscribeAction } from '../../src/chat/reply';
import type { SubscriptionOp } from '../../src/chat/subscriptions/handlers';
import { LANGS, type Lang } from '../../src/domain/localized';
import { actionButton, escape, FORM_ACTION } from './blocks';
import { slackTexts } from './texts';

/** action_id of the language choice on the App Home tab. */
export const LANGUAGE_ACTION = 'tomte:lang';

/** action_ids of a subscription's buttons on the App Home tab (`tomte:sub:pause`, …); the value is its id. */
export const SUBSCRIPTION_ACTION = /^tomte:sub:(pause|resume|end)$/;
const subscriptionAction = (op: SubscriptionOp) => `tomte:sub:${op}`;

/**
 * The App Home tab: what tomte is, the user's watchlist (subscriptions in their DM with tomte)
 * and the channel subscriptions they made, each with buttons to pause or resume and to end it, a
 * "Nytt abonnement" button (the modal), and the language choice. At most 20 of each (two blocks
 * apiece), so the tab stays under Slack's 100 blocks.
 */
export interface HomeItem {
  id: number;
  /** The subscription in plain language (describeSubscription). */
  text: string;
  /** Channel id (C…/G…) or the user's DM with the app (D…). */
  place: string;
  paused: string | null;
}

const MAX_ITEMS = 20;

function items(list: readonly HomeItem[], empty: string, lang: Lang, dm: boolean): KnownBlock[] {
  if (list.length === 0) return [{ type: 'context', elements: [{ type: 'mrkdwn', text: empty }] }];
  const tx = slackTexts(lang);
  // Each subscription: what it is, then pause or resume, and end (which asks first).
  const blocks: KnownBlock[] = list.slice(0, MAX_ITEMS).flatMap((i): KnownBlock[] => [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*#${i.id}* ${escape(i.text)}${dm ? '' : ` — <#${i.place}>`}${i.paused ? `\n:warning: ${lang === 'nb' ? 'På pause' : 'Paused'}: ${escape(i.paused)}` : ''}`.slice(0, 3000),
      },
    },
    {
      type: 'actions',
      block_id: `tomte:sub:${i.id}`,
      elements: [
        i.paused
          ? actionButton({ kind: 'command', label: tx.resume, command: '' }, subscriptionAction('resume'), String(i.id))
          : actionButton({ kind: 'command', label: tx.pause, command: '' }, subscriptionAction('pause'), String(i.id)),
        actionButton(unsubscribeAction(i.id, lang, tx.end), subscriptionAction('end'), String(i.id)),
      ],
    },
  ]);
  if (list.length > MAX_ITEMS) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: lang === 'nb' ? `… og ${list.length - MAX_ITEMS} til. Skriv \`/tomte abonnementer\` i kanalen for alle.` : `… and ${list.length - MAX_ITEMS} more. Type \`/tomte subscriptions\` in the channel for all.` }] });
  return blocks;
}

/**
 * `mine.watchlist`: what the user follows in their DM with tomte; `mine.subscriptions`: channel
 * subscriptions they created. Both empty when the user has none.
 */
export function homeView(lang: Lang, mine: { watchlist: readonly HomeItem[]; subscriptions: readonly HomeItem[] } = { watchlist: [], subscriptions: [] }, notice?: string): HomeView {
  const tx = slackTexts(lang);
  const add = newSubscriptionAction(lang);
  const option = (l: Lang): PlainTextOption => ({ text: { type: 'plain_text', text: tx.languageNames[l] }, value: l });
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: tx.homeTitle } },
      { type: 'section', text: { type: 'mrkdwn', text: tx.homeIntro } },
      { type: 'actions', block_id: 'tomte:new', elements: [actionButton(add, FORM_ACTION, add.command)] },
      // What the last button did (or why it did nothing).
      ...(notice ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: escape(notice) }] } satisfies KnownBlock] : []),
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: tx.watchlistTitle } },
      ...items(mine.watchlist, tx.watchlistEmpty, lang, true),
      { type: 'header', text: { type: 'plain_text', text: tx.subscriptionsTitle } },
      ...items(mine.subscriptions, tx.subscriptionsEmpty, lang, false),
      { type: 'divider' },
      {
        type: 'section',
        block_id: 'tomte:lang',
        text: { type: 'mrkdwn', text: `*${tx.languageLabel}*` },
        accessory: {
          type: 'static_select',
          action_id: LANGUAGE_ACTION,
          options: LANGS.map(option),
          initial_option: option(lang),
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: tx.languageHint }] },
    ],
  };
}
