// Bot Framework traffic in the shapes the Bot Connector sends: RS256 JWTs signed by a test key
// whose OpenID metadata and JWKS msw serves at the real login.botframework.com addresses, real-
// shape activities (message, conversationUpdate, installationUpdate, invoke), and the connector
// and Microsoft identity platform endpoints the bot calls back.
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { Hono } from 'hono';
import { http, HttpResponse } from 'msw';
import { teamsMount, type TeamsMountOptions } from '../../adapters/teams/mount';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import type { ReadModel } from '../../src/services/read-model';
import type { Db } from '../../src/store/db';
import { beforeEach } from 'vitest';
import { server, useMsw } from './msw';
import { useScoredRuntime } from './scored-runtime';

export const APP_ID = '5f4d3c2b-1a09-4e8f-9d7c-6b5a4f3e2d1c';
export const APP_PASSWORD = 'tomte~test~client~secret~not~real~0123456789';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
export const BOT = { id: `28:${APP_ID}`, name: 'tomte' };
export const USER = { id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw', name: 'Kari Nordmann', aadObjectId: '6b7f3b7e-1f0a-4d6e-9c8a-1b2c3d4e5f60' };
export const CHANNEL_CONVERSATION = { id: '19:c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6@thread.tacv2;messageid=1732440000000', conversationType: 'channel', tenantId: TENANT_ID, isGroup: true };
export const PERSONAL_CONVERSATION = { id: 'a:1Hq7fBpS0w8cA9xBvQwXyZaBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', conversationType: 'personal', tenantId: TENANT_ID };
export const TEAM = { id: '19:e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3@thread.tacv2', name: 'Tomteutvikling' };

export const OPENID_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
export const JWKS_URL = 'https://login.botframework.com/v1/.well-known/keys';
export const TOKEN_URL = `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/token`;

function keyPair(): { privateKey: KeyObject; jwk: { n: string; e: string } } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  return { privateKey, jwk };
}

/** The key the "Bot Connector" signs with; its public half is in the JWKS. */
export const CONNECTOR_KEY = { kid: 'tomte-test-key-1', ...keyPair() };
/** A key nobody published: tokens signed with it under CONNECTOR_KEY's kid have a bad signature. */
export const ROGUE_KEY = keyPair();

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');

export interface TokenOptions {
  aud?: string;
  iss?: string;
  serviceUrl?: string;
  /** Seconds from now. */
  expiresIn?: number;
  kid?: string;
  key?: KeyObject;
  alg?: string;
}

/** A Bot Connector → bot token: RS256, iss api.botframework.com, aud = app id, serviceurl claim. */
export function connectorToken(o: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: o.alg ?? 'RS256', kid: o.kid ?? CONNECTOR_KEY.kid, x5t: o.kid ?? CONNECTOR_KEY.kid, typ: 'JWT' };
  const payload = {
    serviceurl: o.serviceUrl ?? SERVICE_URL,
    nbf: now - 60,
    exp: now + (o.expiresIn ?? 3600),
    iss: o.iss ?? 'https://api.botframework.com',
    aud: o.aud ?? APP_ID,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(o.key ?? CONNECTOR_KEY.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

export const bearer = (token = connectorToken()) => `Bearer ${token}`;

let seq = 0;
const activityId = () => `1732440${String(++seq).padStart(6, '0')}`;

interface ActivityOptions {
  conversation?: Record<string, unknown>;
  serviceUrl?: string;
  id?: string;
  team?: boolean;
}

function base(type: string, o: ActivityOptions) {
  const conversation = o.conversation ?? PERSONAL_CONVERSATION;
  const inChannel = conversation.conversationType === 'channel';
  return {
    type,
    id: o.id ?? activityId(),
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    localTimezone: 'Europe/Oslo',
    serviceUrl: o.serviceUrl ?? SERVICE_URL,
    channelId: 'msteams',
    from: USER,
    conversation,
    recipient: BOT,
    entities: [{ locale: 'nb-NO', country: 'NO', platform: 'Web', timezone: 'Europe/Oslo', type: 'clientInfo' }],
    channelData: {
      tenant: { id: TENANT_ID },
      ...(inChannel || o.team ? { team: TEAM, channel: { id: String(conversation.id).split(';')[0], name: 'tomter' } } : {}),
    },
    locale: 'nb-NO',
  };
}

/** A message as Teams sends it: in a channel the bot's mention is in the text and in entities. */
export function messageActivity(text: string, o: ActivityOptions & { mention?: boolean; value?: unknown } = {}) {
  const a = base('message', o);
  const mention = o.mention ?? (o.conversation ?? PERSONAL_CONVERSATION).conversationType === 'channel';
  return {
    ...a,
    textFormat: 'plain',
    text: mention ? `<at>${BOT.name}</at> ${text}` : text,
    ...(o.value !== undefined ? { value: o.value, text: undefined } : {}),
    entities: [...a.entities, ...(mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : [])],
  };
}

/** The bot added to a team (Teams: conversationUpdate with the bot in membersAdded, eventType teamMemberAdded). */
export function botAddedActivity(o: ActivityOptions = {}) {
  const a = base('conversationUpdate', { conversation: CHANNEL_CONVERSATION, team: true, ...o });
  return { ...a, membersAdded: [{ id: BOT.id }], channelData: { ...a.channelData, eventType: 'teamMemberAdded' } };
}

export function installationActivity(action: 'add' | 'remove', o: ActivityOptions = {}) {
  return { ...base('installationUpdate', o), action };
}

/** An Action.Execute button: invoke `adaptiveCard/action`; a card's `refresh` comes with its own verb and trigger 'automatic'. */
export function executeActivity(data: unknown, o: ActivityOptions = {}, how: { verb?: string; trigger?: 'manual' | 'automatic' } = {}) {
  return { ...base('invoke', o), name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: how.verb ?? 'tomte', data }, trigger: how.trigger ?? 'manual' } };
}

/** A POST to /api/messages as the Bot Connector makes it. */
export function teamsRequest(activity: unknown, authorization: string | null = bearer()): RequestInit {
  return {
    method: 'POST',
    body: JSON.stringify(activity),
    headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization ? { authorization } : {}) },
  };
}

export interface Recorded {
  url: string;
  method: string;
  authorization: string | null;
  body: Record<string, unknown>;
}

/** What the bot sent: connector calls with their bearer token, and token requests to Entra ID. */
export interface TeamsTraffic {
  connector: Recorded[];
  tokenRequests: URLSearchParams[];
  openIdFetches: number;
}

export const CONNECTOR_ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJhdWQiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.connector';

/**
 * msw handlers for everything the bot talks to: the OpenID metadata and JWKS (with the test key
 * endorsed for msteams), the tenant's OpenID configuration and token endpoint (client credentials),
 * and the connector's conversation activities endpoints (answered with a new activity id).
 */
export function teamsHandlers(traffic: TeamsTraffic) {
  return [
    http.get(OPENID_URL, () => {
      traffic.openIdFetches++;
      return HttpResponse.json({
        issuer: 'https://api.botframework.com',
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: JWKS_URL,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    }),
    http.get(JWKS_URL, () =>
      HttpResponse.json({
        keys: [{ kty: 'RSA', use: 'sig', kid: CONNECTOR_KEY.kid, x5t: CONNECTOR_KEY.kid, n: CONNECTOR_KEY.jwk.n, e: CONNECTOR_KEY.jwk.e, endorsements: ['msteams', 'webchat', 'directline'] }],
      }),
    ),
    http.get(`https://login.microsoftonline.com/${TENANT_ID}/v2.0/.well-known/openid-configuration`, () =>
      HttpResponse.json({
        token_endpoint: TOKEN_URL,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `https://login.microsoftonline.com/${TENANT_ID}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
        authorization_endpoint: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce'],
        kerberos_endpoint: `https://login.microsoftonline.com/${TENANT_ID}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      }),
    ),
    http.post(TOKEN_URL, async ({ request }) => {
      traffic.tokenRequests.push(new URLSearchParams(await request.text()));
      return HttpResponse.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: CONNECTOR_ACCESS_TOKEN });
    }),
    http.post(`${SERVICE_URL}v3/conversations/:conversation/activities/:replyTo?`, async ({ request }) => {
      traffic.connector.push({ url: request.url, method: request.method, authorization: request.headers.get('authorization'), body: (await request.json()) as Record<string, unknown> });
      return HttpResponse.json({ id: `1:${randomUUID()}` });
    }),
  ];
}

export function newTraffic(): TeamsTraffic {
  return { connector: [], tokenRequests: [], openIdFetches: 0 };
}

/** Link unfurling: Teams' `composeExtension/queryLink` invoke for a link pasted in the compose box. */
export function queryLinkActivity(url: string, o: ActivityOptions = {}) {
  return { ...base('invoke', { conversation: CHANNEL_CONVERSATION, team: true, ...o }), name: 'composeExtension/queryLink', value: { url } };
}

/** The "Slå opp kommune" message action: `composeExtension/submitAction` with the message and the dialog's field. */
export function submitActionActivity(html: string, kommune = '', o: ActivityOptions = {}) {
  return {
    ...base('invoke', { conversation: CHANNEL_CONVERSATION, team: true, ...o }),
    name: 'composeExtension/submitAction',
    value: {
      commandId: 'tomte_lookup',
      commandContext: 'message',
      context: { theme: 'default' },
      data: { kommune },
      messagePayload: { id: '1732440999000', messageType: 'message', body: { contentType: 'html', content: html }, from: { user: { id: USER.aadObjectId, displayName: USER.name } } },
    },
  };
}

/** The service's HTTP app with only the Teams mount, configured as the bot these tokens are for (APP_ID, TENANT_ID, bokmål). */
export function teamsTestApp(opts: Pick<TeamsMountOptions, 'getRuntime'> & Partial<TeamsMountOptions>): Hono {
  const { mount, teams } = teamsMount({ appId: APP_ID, password: APP_PASSWORD, tenantId: TENANT_ID, logger: silentLogger, defaultLang: 'nb', ...opts });
  if (!teams) throw new Error('teams not configured');
  return createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [mount] });
}

/** Typeahead in an Input.ChoiceSet with Data.Query: the `application/search` invoke Teams sends as the user types. */
export function searchActivity(queryText: string, dataset: string, o: ActivityOptions = {}) {
  return { ...base('invoke', { conversation: CHANNEL_CONVERSATION, team: true, ...o }), name: 'application/search', value: { queryText, queryOptions: { skip: 0, top: 15 }, dataset } };
}

/**
 * For a test file: msw with the Teams handlers (traffic recorded, cleared before each test) and
 * the seed snapshot scored on PGlite, shared by the file.
 */
export function useTeamsRuntime(): { traffic: TeamsTraffic; db(): Db; rm(): ReadModel } {
  useMsw();
  const traffic = newTraffic();
  const runtime = useScoredRuntime();
  beforeEach(() => {
    traffic.connector.length = 0;
    server.use(...teamsHandlers(traffic));
  });
  return { traffic, db: () => runtime.db, rm: () => runtime.rm };
}
