import { LANGS, type Lang } from '../../src/domain/localized';
import { slackTexts } from './texts';

/** action_id of the language choice on the App Home tab. */
export const LANGUAGE_ACTION = 'tomte:lang';

/**
 * The App Home tab: what tomte is, the user's watchlist and the channel subscriptions they made
 * (empty states until subscriptions exist), and the language choice. Well under Slack's 100
 * blocks for a Home tab.
 */
export function homeView(lang: Lang): { type: 'home'; blocks: Record<string, unknown>[] } {
  const tx = slackTexts(lang);
  const option = (l: Lang) => ({ text: { type: 'plain_text', text: tx.languageNames[l] }, value: l });
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: tx.homeTitle } },
      { type: 'section', text: { type: 'mrkdwn', text: tx.homeIntro } },
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: tx.watchlistTitle } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: tx.watchlistEmpty }] },
      { type: 'header', text: { type: 'plain_text', text: tx.subscriptionsTitle } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: tx.subscriptionsEmpty }] },
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
