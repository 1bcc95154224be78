import type { HomeView, KnownBlock, PlainTextOption } from '@slack/types';
import { LANGS, type Lang } from '../../src/domain/localized';
import { slackTexts } from './texts';

/** action_id of the language choice on the App Home tab. */
export const LANGUAGE_ACTION = 'tomte:lang';

/**
 * The App Home tab: what tomte is, the user's watchlist (subscriptions in their DM with tomte)
 * and the channel subscriptions they made, and the language choice. At most 20 of each, so the
 * tab stays well under Slack's 100 blocks.
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
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks: KnownBlock[] = list.slice(0, MAX_ITEMS).map((i): KnownBlock => ({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*#${i.id}* ${esc(i.text)}${dm ? '' : ` — <#${i.place}>`}${i.paused ? `\n:warning: ${lang === 'nb' ? 'På pause' : 'Paused'}: ${esc(i.paused)}` : ''}`.slice(0, 3000),
    },
  }));
  if (list.length > MAX_ITEMS) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: lang === 'nb' ? `… og ${list.length - MAX_ITEMS} til. Skriv \`/tomte abonnementer\` i kanalen for alle.` : `… and ${list.length - MAX_ITEMS} more. Type \`/tomte subscriptions\` in the channel for all.` }] });
  return blocks;
}

/**
 * `mine.watchlist`: what the user follows in their DM with tomte; `mine.subscriptions`: channel
 * subscriptions they created. Both empty when the user has none.
 */
export function homeView(lang: Lang, mine: { watchlist: readonly HomeItem[]; subscriptions: readonly HomeItem[] } = { watchlist: [], subscriptions: [] }): HomeView {
  const tx = slackTexts(lang);
  const option = (l: Lang): PlainTextOption => ({ text: { type: 'plain_text', text: tx.languageNames[l] }, value: l });
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: tx.homeTitle } },
      { type: 'section', text: { type: 'mrkdwn', text: tx.homeIntro } },
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
