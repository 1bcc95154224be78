/**
 * Proactive sends to stored conversation references: the real token path (botbuilder's MSAL
 * client credentials against msw's login.microsoftonline.com) and the connector at the HTTP level.
 * Time is virtual: `sleep` advances the clock, so pacing and backoff are asserted exactly.
 */
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverToTeams } from '../../../adapters/teams/deliver';
import { createBotFramework } from '../../../adapters/teams/framework';
import { CONVERSATION_WINDOWS, createTeamsNotifier, SlidingWindows, type TeamsNotifierOptions } from '../../../adapters/teams/notifier';
import type { Reply } from '../../../src/chat/reply';
import { getTeamsConversation, upsertTeamsConversation } from '../../../src/store/repos/teams-conversations';
import { backends, type TestDb } from '../../support/db';
import { server, useMsw } from '../../support/msw';
import { APP_ID, APP_PASSWORD, BOT, CONNECTOR_ACCESS_TOKEN, newTraffic, SERVICE_URL, teamsHandlers, TENANT_ID } from '../../support/teams';

useMsw();
const traffic = newTraffic();
let t: TestDb;
beforeAll(async () => {
  t = await backends.find((b) => b.name === 'pglite')!.open();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  traffic.connector.length = 0;
  traffic.tokenRequests.length = 0;
  server.use(...teamsHandlers(traffic));
});

const framework = createBotFramework({ appId: APP_ID, password: APP_PASSWORD, tenantId: TENANT_ID });

const reply: Reply = {
  kind: 'kommune',
  lang: 'nb',
  title: '1804 Bodø er nå i Tier 1',
  sections: [{ type: 'fields', fields: [{ label: 'Poeng', value: '72 av 100' }] }],
  actions: [{ kind: 'command', label: 'Hvorfor?', command: 'hvorfor 1804' }],
  fallback: '1804 Bodø er nå i Tier 1 (72 poeng)',
};

function clock() {
  const c = { at: Date.parse('2026-11-24T07:00:00Z'), sleeps: [] as number[] };
  const opts: Partial<TeamsNotifierOptions> = {
    now: () => c.at,
    sleep: async (ms) => {
      c.sleeps.push(ms);
      c.at += ms;
    },
    random: () => 0.5,
  };
  return { c, opts };
}

let n = 0;
async function storedConversation(): Promise<string> {
  const id = `19:proactive${++n}${Math.random().toString(36).slice(2, 10)}@thread.tacv2`;
  await upsertTeamsConversation(t.db, { conversationId: id, serviceUrl: SERVICE_URL, tenantId: TENANT_ID, botId: BOT.id, botName: BOT.name, conversationType: 'channel', teamId: null, name: 'tomter', lastUserId: null, at: new Date() });
  return id;
}

/** Answers the connector's activities endpoint with the given responses in turn, then 201. */
function connectorAnswers(...answers: (() => Response)[]) {
  const calls: { url: string; authorization: string | null; body: Record<string, unknown> }[] = [];
  server.use(
    http.post(`${SERVICE_URL}v3/conversations/:conversation/activities`, async ({ request }) => {
      calls.push({ url: request.url, authorization: request.headers.get('authorization'), body: (await request.json()) as Record<string, unknown> });
      const next = answers.shift();
      return next ? next() : HttpResponse.json({ id: `1:${calls.length}` }, { status: 201 });
    }),
  );
  return calls;
}

const connectorError = (status: number, code: string, headers: Record<string, string> = {}) => () => HttpResponse.json({ error: { code, message: `${code} (test)` } }, { status, headers });

function notifier(extra: Partial<TeamsNotifierOptions> = {}) {
  const { c, opts } = clock();
  return { c, notifier: createTeamsNotifier({ token: (force) => framework.connectorToken(force), ...opts, ...extra }) };
}

describe('proactive sends', () => {
  it('reach the stored conversation at its serviceUrl with the connector token and the card', async () => {
    const id = await storedConversation();
    const calls = connectorAnswers();
    const { notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(res).toEqual({ ok: true, activityId: '1:1' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${SERVICE_URL}v3/conversations/${encodeURIComponent(id)}/activities`);
    expect(calls[0]!.authorization).toBe(`Bearer ${CONNECTOR_ACCESS_TOKEN}`);
    const body = calls[0]!.body as { type: string; summary: string; attachments: { contentType: string; content: { version: string; body: { text?: string }[] } }[] };
    expect(body.type).toBe('message');
    expect(body.summary).toBe('1804 Bodø er nå i Tier 1 (72 poeng)');
    expect(body.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0]!.content.version).toBe('1.5');
    expect(body.attachments[0]!.content.body[0]!.text).toBe('1804 Bodø er nå i Tier 1');
  });

  it('a 429 with Retry-After is waited out and retried', async () => {
    const id = await storedConversation();
    const calls = connectorAnswers(connectorError(429, 'Throttled', { 'retry-after': '3' }));
    const { c, notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(res.ok).toBe(true);
    expect(calls).toHaveLength(2);
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3000);
  });

  it.each([412, 502, 504])('%i is retried with exponential backoff and jitter', async (status) => {
    const id = await storedConversation();
    const calls = connectorAnswers(connectorError(status, 'Transient'), connectorError(status, 'Transient'));
    const { c, notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(res.ok).toBe(true);
    expect(calls).toHaveLength(3);
    // 1 s · 2^(attempt-1) + jitter (random 0.5 · 1 s).
    expect(c.sleeps.filter((ms) => ms >= 1000)).toEqual([1500, 2500]);
  });

  it('gives up after five attempts and says when to try again, without marking the conversation', async () => {
    const id = await storedConversation();
    const calls = connectorAnswers(...Array.from({ length: 5 }, () => connectorError(502, 'BadGateway')));
    const { notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(res).toMatchObject({ ok: false, permanent: false, retryable: true, reason: '502 BadGateway' });
    expect(calls).toHaveLength(5);
    expect((await getTeamsConversation(t.db, id))?.status).toBe('active');
  });

  it.each([
    [403, 'ConversationBlockedByUser'],
    [403, 'BotNotInConversationRoster'],
    [403, 'BotDisabledByAdmin'],
    [404, 'ConversationNotFound'],
  ])('%i %s marks the reference unusable with its reason; later sends do not call the connector', async (status, code) => {
    const id = await storedConversation();
    const calls = connectorAnswers(connectorError(status, code));
    const { notifier: nt } = notifier();
    const at = new Date('2026-11-24T08:00:00Z');
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => at }, id, reply);
    expect(res).toEqual({ ok: false, permanent: true, reason: `${status} ${code}` });
    expect(await getTeamsConversation(t.db, id)).toMatchObject({ status: 'unusable', statusReason: `${status} ${code}`, statusAt: at });
    const again = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(again).toEqual({ ok: false, permanent: true, reason: `unusable: ${status} ${code}` });
    expect(calls).toHaveLength(1);
  });

  it('413 MessageSizeTooBig drops the message but keeps the conversation', async () => {
    const id = await storedConversation();
    connectorAnswers(connectorError(413, 'MessageSizeTooBig'));
    const { notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(res).toEqual({ ok: false, permanent: false, retryable: false, reason: '413 MessageSizeTooBig' });
    expect((await getTeamsConversation(t.db, id))?.status).toBe('active');
  });

  it('a 401 gets one retry with a freshly requested token', async () => {
    const id = await storedConversation();
    const calls = connectorAnswers(connectorError(401, 'Unauthorized'));
    const { notifier: nt } = notifier();
    const before = traffic.tokenRequests.length;
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply);
    expect(res.ok).toBe(true);
    expect(calls).toHaveLength(2);
    expect(traffic.tokenRequests.length).toBeGreaterThan(before);
  });

  it('an unknown conversation is permanent without a call', async () => {
    const calls = connectorAnswers();
    const { notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, '19:never-installed@thread.tacv2', reply);
    expect(res).toMatchObject({ ok: false, permanent: true });
    expect(calls).toHaveLength(0);
  });
});

describe('pacing', () => {
  it('70 sends to one conversation keep 7/1 s, 8/2 s and 60/30 s; the next conversation is not held up', async () => {
    const busy = await storedConversation();
    const other = await storedConversation();
    const sentAt: Record<string, number[]> = { [busy]: [], [other]: [] };
    const { c, notifier: nt } = notifier({ token: async () => 'token' });
    server.use(
      http.post(`${SERVICE_URL}v3/conversations/:conversation/activities`, ({ params }) => {
        sentAt[decodeURIComponent(String(params.conversation))]!.push(c.at);
        return HttpResponse.json({ id: '1:x' }, { status: 201 });
      }),
    );
    const target = (id: string) => ({ conversationId: id, serviceUrl: SERVICE_URL });
    const results = await Promise.all([...Array.from({ length: 70 }, () => nt.post(target(busy), reply)), nt.post(target(other), reply)]);
    expect(results.every((r) => r.ok)).toBe(true);
    const times = sentAt[busy]!;
    expect(times).toHaveLength(70);
    for (const [max, ms] of CONVERSATION_WINDOWS) {
      for (let i = max; i < times.length; i++) expect(times[i]! - times[i - max]!).toBeGreaterThanOrEqual(ms);
    }
    // The 61st send waits for the 30-second window: ≥ 30 s after the first.
    expect(times[60]! - times[0]!).toBeGreaterThanOrEqual(30_000);
    // The other conversation went out in the first second.
    expect(sentAt[other]![0]! - times[0]!).toBeLessThan(1_000);
  });

  it('SlidingWindows: the eighth send in a second waits until the first leaves the window', () => {
    const w = new SlidingWindows([[7, 1000]]);
    for (let i = 0; i < 7; i++) w.record(100 * i);
    expect(w.delay(650)).toBe(350);
    expect(w.delay(1000)).toBe(0);
  });
});

describe('threads (follow-up alerts about a kommune)', () => {
  it('in a channel the first alert is a post of its own and a follow-up replies to it with ;messageid=', async () => {
    const id = await storedConversation();
    const channelOf = (x: string) => `${SERVICE_URL}v3/conversations/${encodeURIComponent(x)}/activities`;
    const calls = connectorAnswers();
    const { notifier: nt } = notifier();
    const deps = { db: t.db, notifier: nt, now: () => new Date() };
    // The stored reference is the thread the command was typed in; the alert starts its own post.
    await upsertTeamsConversation(t.db, { conversationId: `${id};messageid=1732440000000`, serviceUrl: SERVICE_URL, tenantId: TENANT_ID, botId: BOT.id, botName: BOT.name, conversationType: 'channel', teamId: null, name: 'tomter', lastUserId: null, at: new Date() });
    const first = await deliverToTeams(deps, `${id};messageid=1732440000000`, reply, { parent: null });
    expect(first).toEqual({ ok: true, activityId: '1:1' });
    const next = await deliverToTeams(deps, `${id};messageid=1732440000000`, reply, { parent: '1:1' });
    expect(next.ok).toBe(true);
    expect(calls.map((c) => c.url)).toEqual([channelOf(id), channelOf(`${id};messageid=1:1`)]);
  });

  it('a reply whose thread is gone (404) fails without marking the conversation unusable; a personal chat has no threads', async () => {
    const id = await storedConversation();
    connectorAnswers(connectorError(404, 'ConversationNotFound'));
    const { notifier: nt } = notifier();
    const res = await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, id, reply, { parent: '1:gone' });
    expect(res).toMatchObject({ ok: false, permanent: true });
    expect((await getTeamsConversation(t.db, id))!.status).toBe('active');

    const personal = `a:personal${++n}`;
    await upsertTeamsConversation(t.db, { conversationId: personal, serviceUrl: SERVICE_URL, tenantId: TENANT_ID, botId: BOT.id, botName: BOT.name, conversationType: 'personal', teamId: null, name: null, lastUserId: null, at: new Date() });
    const calls = connectorAnswers();
    await deliverToTeams({ db: t.db, notifier: nt, now: () => new Date() }, personal, reply, { parent: '1:1' });
    expect(calls[0]!.url).toBe(`${SERVICE_URL}v3/conversations/${encodeURIComponent(personal)}/activities`);
  });
});
