/**
 * The app manifest for "Create app from manifest" agrees with what the service serves: one
 * request URL (the mounted route), the slash command the app listens to, the events it handles.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOOKUP_SHORTCUT, SLASH_COMMAND } from '../../../adapters/slack/app';
import { SLACK_MOUNT } from '../../../adapters/slack/route';
import { buildSlackManifest, HOST_PLACEHOLDER, slackManifestJson, type SlackManifest } from '../../../adapters/slack/manifest';

interface Manifest {
  display_information: { name: string; description: string; long_description?: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled?: boolean };
    bot_user: { display_name: string };
    unfurl_domains?: string[];
    shortcuts?: { name: string; type: string; callback_id: string; description: string }[];
    slash_commands: { command: string; url: string; description: string; usage_hint?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url?: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../../adapters/slack/manifest.json', import.meta.url), 'utf8')) as Manifest;
const URL_OF_ROUTE = `https://YOUR-HOST${SLACK_MOUNT}/events`;

describe('adapters/slack/manifest.json', () => {
  it('sends commands, interactivity and events to the mounted route', () => {
    expect(manifest.features.slash_commands.map((c) => c.url)).toEqual([URL_OF_ROUTE]);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: URL_OF_ROUTE, message_menu_options_url: URL_OF_ROUTE });
    expect(manifest.settings.event_subscriptions.request_url).toBe(URL_OF_ROUTE);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('is the typed manifest (Slack’s own manifest type) written out by npm run slack:manifest', () => {
    const typed: SlackManifest = buildSlackManifest();
    expect(readFileSync(new URL('../../../adapters/slack/manifest.json', import.meta.url), 'utf8')).toBe(slackManifestJson());
    expect(JSON.parse(slackManifestJson())).toEqual(typed);
  });

  it('turns the Messages tab on (DMs and the personal watchlist), without the read-only flag Slack rejects', () => {
    expect(manifest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true });
  });

  it('registers the slash command the app listens to, and the Home tab with its event', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'message.im', 'link_shared']);
  });

  it('asks only for the scopes the app uses (history: to find an alert by its key after a crash mid-send; users:read: whether a user is a workspace admin; files:write: the map pictures, shared with files.uploadV2; links: kommune link unfurls; im:write: the subscription modal opens the DM for a watchlist entry)', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'chat:write.public', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write', 'links:read', 'links:write', 'mpim:history', 'users:read']);
  });

  it('offers the "Slå opp kommune" message shortcut the app listens to', () => {
    expect(manifest.features.shortcuts).toEqual([{ name: 'Slå opp kommune', type: 'message', callback_id: LOOKUP_SHORTCUT, description: expect.any(String) }]);
    expect(manifest.features.shortcuts![0]!.description.length).toBeLessThanOrEqual(150);
  });

  it('unfurls links to the service host (the README tells operators to replace the placeholder)', () => {
    expect(manifest.features.unfurl_domains).toEqual([HOST_PLACEHOLDER]);
    expect(buildSlackManifest('tomte.example.no').features?.unfurl_domains).toEqual(['tomte.example.no']);
  });

  it('stays within Slack’s manifest field limits', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    const long = manifest.display_information.long_description ?? '';
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(manifest.features.bot_user.display_name.length).toBeLessThanOrEqual(80);
  });
});
