import type { AppsManifestCreateArguments } from '@slack/web-api';
import { menuCommands } from '../../src/chat/commands';

/** Slack's own type of an app manifest (the one `apps.manifest.create` takes). */
export type SlackManifest = AppsManifestCreateArguments['manifest'];

/** The host placeholder the README tells operators to replace. */
export const HOST_PLACEHOLDER = 'YOUR-HOST';

/**
 * The Slack app manifest ("Create New App → From a manifest"), typed against Slack's manifest type.
 * adapters/slack/manifest.json is this object written out by `npm run slack:manifest`; a test
 * keeps the two equal.
 *
 * The Messages tab is on: users DM tomte (`abonner kommune Bodø` there makes a personal watchlist
 * entry) and the Home tab points them there. `messages_tab_read_only_enabled` is left out: it only
 * means something with the tab on and would forbid typing in it.
 */
export function buildSlackManifest(host: string = HOST_PLACEHOLDER): SlackManifest {
  // Links to the kommune pages on this host (`/kommuner/{nr}`) unfurl into the kommune card.
  const url = `https://${host}/slack/events`;
  const menu = menuCommands('nb');
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'tomte',
      description: 'Finds Norwegian kommuner ready to sell land for non-commercial housing.',
      long_description:
        'tomte scores all 357 Norwegian kommuner on public data from SSB, Kartverket and valgresultater and tells you which ones may be ready to sell land for non-commercial housing. Type /tomte kommune Bodø for a kommune\'s card, /tomte topp 10 for the ranking, /tomte hvorfor 1804 for every rule behind a score, and /tomte hjelp for all commands.',
      background_color: '#2e5a3c',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true },
      bot_user: { display_name: 'tomte', always_online: true },
      unfurl_domains: [host],
      // On any message: "Slå opp kommune" shows the card of the kommune it names (adapters/slack/app.ts).
      shortcuts: [{ name: 'Slå opp kommune', type: 'message', callback_id: 'tomte_lookup', description: 'Viser kortet til kommunen meldingen nevner' }],
      slash_commands: [
        {
          command: '/tomte',
          url,
          // From the command table's menu entries, like Teams' command list.
          description: `Kommuner ready to sell land: ${menu.map((c) => c.word).join(', ')}`,
          usage_hint: menu.slice(0, 4).map((c) => c.example).join(' | '),
          should_escape: false,
        },
      ],
    },
    oauth_config: {
      scopes: {
        // im:write: the subscription modal opens the user's DM with tomte (conversations.open) for a watchlist entry.
        bot: ['commands', 'chat:write', 'chat:write.public', 'files:write', 'channels:history', 'groups:history', 'im:history', 'im:write', 'mpim:history', 'users:read', 'links:read', 'links:write'],
      },
    },
    settings: {
      // link_shared: links to the unfurl domain (links:read), answered with chat.unfurl (links:write).
      // message.im: commands typed in the DM with tomte (im:history lets the app receive them).
      event_subscriptions: { request_url: url, bot_events: ['app_home_opened', 'message.im', 'link_shared'] },
      // message_menu_options_url: the subscription modal's kommune/fylke picker (block_suggestion).
      interactivity: { is_enabled: true, request_url: url, message_menu_options_url: url },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as the committed JSON file holds it. */
export function slackManifestJson(): string {
  return `${JSON.stringify(buildSlackManifest(), null, 2)}\n`;
}
