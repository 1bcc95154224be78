/**
 * /api/messages through the real Hono app, botbuilder's CloudAdapter and its JWT validation, on the
 * real snapshot scored by seed-2026 (PGlite). The Bot Connector's OpenID metadata and JWKS, the
 * tenant's token endpoint and the connector itself are msw handlers at their real addresses: a
 * valid token is one signed by the test key those handlers publish.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CARD_CONTENT_TYPE } from '../../../adapters/teams/cards';
import { teamsMount } from '../../../adapters/teams/mount';
import { createApp } from '../../../src/http/app';
import { silentLogger } from '../../../src/lib/logger';
import type { ReadModel } from '../../../src/services/read-model';
import { getTeamsConversation, listTeamsConversations } from '../../../src/store/repos/teams-conversations';
import { listSubscriptions } from '../../../src/store/repos/alerts';
import { backends, type TestDb } from '../../support/db';
import { server, useMsw } from '../../support/msw';
import { prepareRuntime } from '../../support/runtime';
import {
  APP_ID,
  APP_PASSWORD,
  bearer,
  botAddedActivity,
  CHANNEL_CONVERSATION,
  CONNECTOR_ACCESS_TOKEN,
  connectorToken,
  executeActivity,
  installationActivity,
  messageActivity,
  newTraffic,
  PERSONAL_CONVERSATION,
  ROGUE_KEY,
  SERVICE_URL,
  TEAM,
  teamsHandlers,
  teamsRequest,
  teamsTestApp,
  TENANT_ID,
  USER,
} from '../../support/teams';

useMsw();
const traffic = newTraffic();
let t: TestDb;
let rm: ReadModel;

beforeAll(async () => {
  t = await backends.find((b) => b.name === 'pglite')!.open('seed');
  rm = (await prepareRuntime(t.db)).readModel;
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  traffic.connector.length = 0;
  traffic.tokenRequests.length = 0;
  server.use(...teamsHandlers(traffic));
});

function harness(getReadModel: () => ReadModel = () => rm, route?: { responseBudgetMs?: number }): Hono {
  return teamsTestApp({ getRuntime: () => ({ readModel: getReadModel(), db: t.db }), ...(route ? { extra: { route } } : {}) });
}

type Card = { version: string; body: Record<string, unknown>[]; actions?: { title: string; data: unknown }[] };

function sentCard(i = 0): { url: string; authorization: string | null; card: Card; summary: unknown; bytes: number } {
  const call = traffic.connector[i];
  if (!call) throw new Error(`no connector call #${i}`);
  const attachments = call.body.attachments as { contentType: string; content: Card }[];
  expect(attachments).toHaveLength(1);
  expect(attachments[0]!.contentType).toBe(CARD_CONTENT_TYPE);
  return { url: call.url, authorization: call.authorization, card: attachments[0]!.content, summary: call.body.summary, bytes: Buffer.byteLength(JSON.stringify(call.body)) };
}

const title = (card: Card) => (card.body[0] as { text: string }).text;
const replyUrl = (conversationId: string, activityId: string) => `${SERVICE_URL}v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`;

describe('messages', () => {
  it('kommune Bodø in a personal chat: the card is posted as a reply with a client-credentials token', async () => {
    const app = harness();
    const activity = messageActivity('kommune Bodø');
    const res = await app.request('/api/messages', teamsRequest(activity));
    expect(res.status).toBe(200);
    expect(traffic.connector).toHaveLength(1);
    const sent = sentCard();
    expect(sent.url).toBe(replyUrl(PERSONAL_CONVERSATION.id, activity.id));
    expect(sent.authorization).toBe(`Bearer ${CONNECTOR_ACCESS_TOKEN}`);
    expect(sent.card.version).toBe('1.5');
    expect(title(sent.card)).toBe('1804 Bodø');
    expect(sent.summary).toMatch(/^1804 Bodø: /);
    expect(sent.card.actions?.map((a) => a.data)).toEqual([{ tomte: 'cmd', command: 'hvorfor 1804' }]);
    // Outbound auth: client credentials for the Bot Connector, from the bot's own tenant.
    const token = traffic.tokenRequests.at(-1);
    expect(token?.get('grant_type')).toBe('client_credentials');
    expect(token?.get('client_id')).toBe(APP_ID);
    expect(token?.get('scope')).toBe('https://api.botframework.com/.default');
    expect(token?.get('client_secret')).toBe(APP_PASSWORD);
  });

  it('@tomte topp 5 in a channel: the mention is stripped and the reference stored with team and channel', async () => {
    const app = harness();
    const activity = messageActivity('topp 5', { conversation: CHANNEL_CONVERSATION });
    expect(activity.text).toBe('<at>tomte</at> topp 5');
    const res = await app.request('/api/messages', teamsRequest(activity));
    expect(res.status).toBe(200);
    expect(title(sentCard().card)).toBe('Topp 5 kommuner');
    const ref = await getTeamsConversation(t.db, CHANNEL_CONVERSATION.id);
    expect(ref).toMatchObject({ serviceUrl: SERVICE_URL, tenantId: TENANT_ID, botId: `28:${APP_ID}`, conversationType: 'channel', teamId: TEAM.id, name: 'tomter', status: 'active' });
  });

  it('an unknown kommune answers "mente du …?" with buttons', async () => {
    const app = harness();
    await app.request('/api/messages', teamsRequest(messageActivity('kommune trondhiem')));
    const { card } = sentCard();
    expect(JSON.stringify(card)).toMatch(/Mente du/);
    expect(JSON.stringify(card)).toContain('kommune 5001');
  });

  it('a button of a card posted before Action.Execute (Action.Submit) still runs its command: "Vis flere" gives page 2', async () => {
    const app = harness();
    await app.request('/api/messages', teamsRequest(messageActivity('', { value: { tomte: 'more', command: 'topp 60', page: 2 } })));
    expect(JSON.stringify(sentCard().card)).toMatch(/Side 2 av/);
  });

  it('@tomte abonner tier1 fylke Nordland in a channel stores a Teams subscription for the conversation', async () => {
    const app = harness();
    const conversation = { ...CHANNEL_CONVERSATION, id: '19:subscribe00000000000000000000@thread.tacv2' };
    await app.request('/api/messages', teamsRequest(messageActivity('abonner tier1 fylke Nordland', { conversation })));
    expect(title(sentCard().card)).toMatch(/^Abonnement #\d+ er opprettet$/);
    const subs = await listSubscriptions(t.db, 'teams', conversation.id);
    expect(subs).toEqual([expect.objectContaining({ kind: 'tier1', filter: { fylker: ['18'] }, createdBy: USER.aadObjectId, targetName: 'tomter' })]);
  });

  it('the largest reply (topp 357) goes out as a 1.5 card under 80 KB', async () => {
    const app = harness();
    await app.request('/api/messages', teamsRequest(messageActivity('topp 357')));
    const sent = sentCard();
    expect(sent.card.version).toBe('1.5');
    expect(sent.bytes).toBeLessThan(80_000);
  });

  it('a re-sent activity (same id) is answered 200 and handled once', async () => {
    const app = harness();
    const activity = messageActivity('kommune Tromsø');
    expect((await app.request('/api/messages', teamsRequest(activity))).status).toBe(200);
    expect((await app.request('/api/messages', teamsRequest(activity))).status).toBe(200);
    expect(traffic.connector).toHaveLength(1);
  });

  it('a slow store: answered 202 within the budget, the reply reaches the conversation later', async () => {
    const slow = Object.create(rm, {
      history: {
        value: async (code: string, limit?: number) => {
          await new Promise((r) => setTimeout(r, 800));
          return rm.history(code, limit);
        },
      },
    }) as ReadModel;
    const app = harness(() => slow, { responseBudgetMs: 200 });
    const started = Date.now();
    const res = await app.request('/api/messages', teamsRequest(messageActivity('kommune Bodø')));
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(700);
    expect(traffic.connector).toHaveLength(0);
    for (let i = 0; i < 100 && traffic.connector.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(title(sentCard().card)).toBe('1804 Bodø');
  });
});

describe('install and invoke', () => {
  it('the bot added to a team: a help card with a welcome, once, though Teams also sends installationUpdate', async () => {
    const app = harness();
    const conversation = { ...CHANNEL_CONVERSATION, id: '19:welcome0000000000000000000000@thread.tacv2' };
    expect((await app.request('/api/messages', teamsRequest(botAddedActivity({ conversation })))).status).toBe(200);
    expect((await app.request('/api/messages', teamsRequest(installationActivity('add', { conversation })))).status).toBe(200);
    expect(traffic.connector).toHaveLength(1);
    const { card, url } = sentCard();
    expect(url.startsWith(`${SERVICE_URL}v3/conversations/${encodeURIComponent(conversation.id)}/activities`)).toBe(true);
    expect(title(card)).toMatch(/^tomte – /);
    expect(JSON.stringify(card)).toContain('Hei! Jeg er tomte');
    expect(await getTeamsConversation(t.db, conversation.id)).toMatchObject({ status: 'active', teamId: TEAM.id });
  });

  it('uninstalling marks the reference uninstalled with the reason; a later message makes it active again', async () => {
    const app = harness();
    const conversation = { ...PERSONAL_CONVERSATION, id: 'a:1uninstall0000000000000000000000' };
    await app.request('/api/messages', teamsRequest(installationActivity('add', { conversation })));
    await app.request('/api/messages', teamsRequest(installationActivity('remove', { conversation })));
    expect(await getTeamsConversation(t.db, conversation.id)).toMatchObject({ status: 'uninstalled', statusReason: 'uninstalled' });
    await app.request('/api/messages', teamsRequest(messageActivity('hjelp', { conversation })));
    expect(await getTeamsConversation(t.db, conversation.id)).toMatchObject({ status: 'active', statusReason: null });
  });

  it('"Vis flere" (Action.Execute) replaces the card in place: the next page comes back in the invoke response, nothing is posted', async () => {
    const app = harness();
    const res = await app.request('/api/messages', teamsRequest(executeActivity({ tomte: 'more', command: 'topp 60', page: 2 })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number; type: string; value: Card };
    expect(body.statusCode).toBe(200);
    expect(body.type).toBe(CARD_CONTENT_TYPE);
    expect(body.value.version).toBe('1.5');
    expect(JSON.stringify(body.value)).toMatch(/Side 2 av 3/);
    expect(JSON.stringify(body.value)).toContain('"verb":"tomte"');
    expect(traffic.connector).toHaveLength(0);
  });

  it('another Action.Execute (Hvorfor?) answers with a new message and leaves the card as it was', async () => {
    const app = harness();
    const res = await app.request('/api/messages', teamsRequest(executeActivity({ tomte: 'cmd', command: 'hvorfor 1804' })));
    expect(await res.json()).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    const { card } = sentCard();
    expect(title(card)).toBe('1804 Bodø');
    expect(JSON.stringify(card)).toContain('Regel for regel');
  });

  it('an unsubscribe button first shows its question, with the confirming button under it', async () => {
    const app = harness();
    const conversation = { ...CHANNEL_CONVERSATION, id: '19:confirm000000000000000000000000@thread.tacv2' };
    await app.request('/api/messages', teamsRequest(messageActivity('abonner tier1', { conversation })));
    await app.request('/api/messages', teamsRequest(messageActivity('abonnementer', { conversation })));
    const { card } = sentCard(1);
    const end = (card as unknown as { actions: { type: string; title: string; card?: { body: { text: string }[]; actions: { type: string; title: string; data: { command: string } }[] } }[] }).actions.find((a) => a.title.startsWith('Avslutt'));
    expect(end?.type).toBe('Action.ShowCard');
    expect(end?.card?.body[0]?.text).toBe('Avslutte abonnementet?');
    expect(end?.card?.actions[0]).toMatchObject({ type: 'Action.Execute', title: 'Avslutt', data: { command: expect.stringMatching(/^avslutt \d+$/) } });
  });

  it('an invoke with foreign data gets a typed error; an unknown invoke 501', async () => {
    const app = harness();
    const bad = await app.request('/api/messages', teamsRequest(executeActivity({ something: 'else' })));
    expect(bad.status).toBe(200);
    expect(await bad.json()).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error' });
    const other = { ...executeActivity({}), name: 'composeExtension/query' };
    expect((await app.request('/api/messages', teamsRequest(other))).status).toBe(501);
  });
});

describe('authentication', () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, string | null][] = [
    ['wrong audience', bearer(connectorToken({ aud: '00000000-0000-0000-0000-000000000000' }))],
    ['wrong issuer', bearer(connectorToken({ iss: 'https://sts.example.com/' }))],
    ['expired beyond the 5-minute skew', bearer(connectorToken({ expiresIn: -600 }))],
    ['bad signature (a key nobody published, under the real kid)', bearer(connectorToken({ key: ROGUE_KEY.privateKey }))],
    ['serviceurl claim for another connector', bearer(connectorToken({ serviceUrl: 'https://evil.example.com/' }))],
    ['an unknown signing key id', bearer(connectorToken({ kid: 'unknown-kid' }))],
    ['HS256 with the public key as secret', bearer(connectorToken({ alg: 'HS256' }))],
    ['no Authorization header', null],
    ['Basic scheme', `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}`],
    ['a token with no signature', `Bearer ${connectorToken().split('.').slice(0, 2).join('.')}.`],
    // Found by test/fuzz/teams-jwt.fuzz.test.ts: jsonwebtoken's decode throws a SyntaxError (it was
    // answered 503) when the header says typ JWT and the payload segment is not JSON.
    ['a payload segment that is not JSON', `Bearer ${connectorToken().split('.')[0]}.${Buffer.from('not json').toString('base64url')}.${connectorToken().split('.')[2]}`],
  ];
  expect(now).toBeGreaterThan(0);

  it.each(cases)('%s → 401, nothing sent, nothing stored', async (_name, authorization) => {
    const app = harness();
    const conversation = { ...PERSONAL_CONVERSATION, id: `a:1auth${Math.random().toString(36).slice(2)}` };
    const res = await app.request('/api/messages', teamsRequest(messageActivity('kommune Bodø', { conversation }), authorization));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(traffic.connector).toHaveLength(0);
    expect(await getTeamsConversation(t.db, conversation.id)).toBeNull();
  });

  it('a valid token for another serviceUrl than the activity names is refused (token replay)', async () => {
    const app = harness();
    const activity = messageActivity('kommune Bodø', { serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    const res = await app.request('/api/messages', teamsRequest(activity, bearer(connectorToken())));
    expect(res.status).toBe(401);
    expect(traffic.connector).toHaveLength(0);
  });
});

describe('bad requests and configuration', () => {
  it('a body that is not JSON, or not an activity, gets 400 before authentication', async () => {
    const app = harness();
    const before = (await listTeamsConversations(t.db)).length;
    const notJson = await app.request('/api/messages', { method: 'POST', body: '{"type":"message",', headers: { 'content-type': 'application/json', authorization: bearer() } });
    expect(notJson.status).toBe(400);
    const notActivity = await app.request('/api/messages', teamsRequest({ hello: 'world' }));
    expect(notActivity.status).toBe(400);
    expect(await notActivity.json()).toMatchObject({ code: 'BAD_REQUEST', issues: expect.arrayContaining([expect.stringMatching(/^type: /)]) });
    const httpServiceUrl = await app.request('/api/messages', teamsRequest(messageActivity('hjelp', { serviceUrl: 'http://smba.example.com/' })));
    expect(httpServiceUrl.status).toBe(400);
    expect(traffic.connector).toHaveLength(0);
    expect(await listTeamsConversations(t.db)).toHaveLength(before);
  });

  it('GET /api/messages is 405', async () => {
    expect((await harness().request('/api/messages')).status).toBe(405);
  });

  it('without Teams credentials the route answers 503 with what to set', async () => {
    const { mount, teams } = teamsMount({ appId: undefined, password: undefined, tenantId: undefined, logger: silentLogger, defaultLang: 'nb', getRuntime: () => null });
    expect(teams).toBeNull();
    const app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [mount] });
    const res = await app.request('/api/messages', teamsRequest(messageActivity('kommune Bodø')));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ code: 'NOT_CONFIGURED', message: expect.stringMatching(/MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD/) });
  });

  it('while the runtime is starting the route answers 503 NOT_READY', async () => {
    const { mount } = teamsMount({ appId: APP_ID, password: APP_PASSWORD, tenantId: TENANT_ID, logger: silentLogger, defaultLang: 'nb', getRuntime: () => null });
    const app = createApp({ logger: silentLogger, ready: () => false, version: 'test', mounts: [mount] });
    const res = await app.request('/api/messages', teamsRequest(messageActivity('kommune Bodø')));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'NOT_READY' });
  });
});
