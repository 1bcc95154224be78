import { menuCommands } from '../../../src/chat/commands';

/**
 * The Microsoft Teams app manifest (schema v1.17) for the tomte bot: a pure function of the bot's
 * app id, the public base URL and the version, so the package build is reproducible and testable.
 *
 * Limits from the v1.17 schema that apply here: name.short ≤ 30, name.full ≤ 100,
 * description.short ≤ 80, description.full ≤ 4000, developer.name ≤ 32,
 * version is semver "x.y.z"; a command list holds ≤ 10 commands, each title ≤ 32 and
 * description ≤ 128 characters.
 */

export const MANIFEST_SCHEMA = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json';
export const MANIFEST_VERSION = '1.17';
/** The Slack manifest's background colour (adapters/slack/manifest.json). */
export const ACCENT_COLOR = '#2E5A3C';
export const BOT_SCOPES = ['personal', 'team', 'groupChat'] as const;

export const LIMITS = {
  nameShort: 30,
  nameFull: 100,
  descriptionShort: 80,
  descriptionFull: 4000,
  developerName: 32,
  commandsPerList: 10,
  commandTitle: 32,
  commandDescription: 128,
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^\d+\.\d+\.\d+$/;

export interface TeamsManifestInput {
  /** MICROSOFT_APP_ID: the Azure bot's app (client) id, a GUID. It is the Teams app id too. */
  appId: string;
  /** TOMTE_PUBLIC_URL: https base URL of the service (its host becomes the valid domain). */
  publicUrl: string;
  /** The app version, package.json's version; bump it to update an uploaded app. */
  version: string;
  /**
   * The developer links Teams shows on the app's details page. They default to the service's base
   * URL; pass real pages (or edit manifest.json in the zip) when they exist.
   */
  developerUrls?: { websiteUrl?: string; privacyUrl?: string; termsOfUseUrl?: string };
}

export interface TeamsCommand {
  title: string;
  description: string;
}

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  /** The language of the manifest's own strings (v1.17 has no root `packageName`: it is rejected). */
  localizationInfo: { defaultLanguageTag: string };
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: {
    botId: string;
    scopes: (typeof BOT_SCOPES)[number][];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists: { scopes: (typeof BOT_SCOPES)[number][]; commands: TeamsCommand[] }[];
  }[];
  /** Link unfurling (and, later, message actions): the bot answers `composeExtension/*` invokes. */
  composeExtensions: {
    botId: string;
    commands: TeamsComposeCommand[];
    messageHandlers: { type: 'link'; value: { domains: string[] } }[];
  }[];
  validDomains: string[];
}

/** A compose-extension command (v1.17 `composeExtensions[].commands[]`). */
export interface TeamsComposeCommand {
  id: string;
  type: 'action' | 'query';
  title: string;
  description: string;
  context: ('message' | 'compose' | 'commandBox')[];
  fetchTask: boolean;
  parameters: { name: string; title: string; description: string; inputType: 'text' }[];
}

/** The "Slå opp kommune" message action: its command id in `composeExtension/submitAction`. */
export const LOOKUP_COMMAND_ID = 'tomte_lookup';

/**
 * The Teams command menu, generated from the command table (src/chat/commands.ts: the entries with
 * a `menu` example). Picking one puts its title into the compose box, so the title is the bokmål
 * command word and the description is its help text with the example.
 */
export function teamsCommands(): TeamsCommand[] {
  return menuCommands('nb').map(({ word, what, example }) => ({ title: word, description: example === word ? what : `${what}. Eksempel: ${example}` }));
}

/** Throws unless `url` is an absolute https URL without credentials, query or fragment; returns it without trailing slashes. */
function httpsBase(url: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${what} must be an https:// URL, got «${url}»`);
  }
  if (u.protocol !== 'https:') throw new Error(`${what} must be an https:// URL, got «${url}»`);
  if (u.username || u.password || u.search || u.hash) throw new Error(`${what} must not hold credentials, a query or a fragment, got «${url}»`);
  return u;
}

export function buildTeamsManifest(input: TeamsManifestInput): TeamsManifest {
  const appId = input.appId.trim();
  if (!GUID.test(appId)) throw new Error(`The app id (MICROSOFT_APP_ID) must be a GUID like 00000000-0000-0000-0000-000000000000, got «${input.appId}»`);
  const url = httpsBase(input.publicUrl.trim(), 'The public URL (TOMTE_PUBLIC_URL)');
  if (!SEMVER.test(input.version)) throw new Error(`The version must be x.y.z (Teams accepts no pre-release tags), got «${input.version}»`);
  const base = url.href.replace(/\/+$/, '');
  const dev = input.developerUrls ?? {};
  for (const [k, v] of Object.entries(dev)) if (v !== undefined) httpsBase(v, `developerUrls.${k}`);

  const commands = teamsCommands();
  return {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: MANIFEST_VERSION,
    version: input.version,
    id: appId,
    localizationInfo: { defaultLanguageTag: 'nb-no' },
    developer: {
      name: '3dje Boligsektor',
      websiteUrl: dev.websiteUrl ?? `${base}/`,
      privacyUrl: dev.privacyUrl ?? `${base}/`,
      termsOfUseUrl: dev.termsOfUseUrl ?? `${base}/`,
    },
    name: { short: 'tomte', full: 'tomte – kommuner som kan selge tomt til ikke-kommersielle boliger' },
    description: {
      short: 'Finner kommuner som kan selge tomt til ikke-kommersielle boliger.',
      full:
        'tomte gir alle 357 norske kommuner poeng ut fra åpne data fra SSB, Kartverket og valgresultater, ' +
        'og viser hvilke som kan være klare til å selge tomt til ikke-kommersielle boliger. ' +
        'Skriv «kommune Bodø» for kortet til én kommune, «topp 10» for rangeringen, «tier 1» for kommunene i én tier, ' +
        '«sammenlign Bodø, Tromsø» for kommuner side om side, «hvorfor 1804» for hver regel bak poengene, ' +
        '«kilder» og «status» for datakildene, og «hjelp» for alle kommandoene. ' +
        'I kanaler og gruppechatter nevner du @tomte foran kommandoen. Engelske kommandoer (municipality, top, compare, why, sources, help) gir svar på engelsk.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: appId,
        scopes: [...BOT_SCOPES],
        supportsFiles: false,
        isNotificationOnly: false,
        // One list per scope: Teams shows the list matching where the bot is used.
        commandLists: BOT_SCOPES.map((scope) => ({ scopes: [scope], commands })),
      },
    ],
    // Links to the kommune pages (`/kommuner/{nr}`) on the service's host unfurl into the kommune
    // card: Teams sends the bot a `composeExtension/queryLink` invoke for them.
    // "Slå opp kommune" in a message's ⋯ menu: a static dialog (an optional kommune; empty: the
    // ones the message names) answered with the card (`composeExtension/submitAction`).
    composeExtensions: [
      {
        botId: appId,
        commands: [
          {
            id: LOOKUP_COMMAND_ID,
            type: 'action',
            title: 'Slå opp kommune',
            description: 'Viser kortet til kommunen meldingen nevner',
            context: ['message'],
            fetchTask: false,
            parameters: [{ name: 'kommune', title: 'Kommune (valgfritt)', description: 'Tomt: kommunene meldingen nevner', inputType: 'text' }],
          },
        ],
        messageHandlers: [{ type: 'link', value: { domains: [url.host] } }],
      },
    ],
    validDomains: [url.host],
  };
}
