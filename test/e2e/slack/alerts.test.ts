/**
 * Subscriptions end to end in Slack: `/tomte abonner …` through the real receiver and Bolt stores a
 * subscription for the channel; a score run that moves Bodø into Tier 1 writes its alert; the
 * dispatcher posts it with the real Slack notifier (chat.postMessage with the delivery key in the
 * message metadata, at the HTTP level via msw), and after a crash finds it with conversations.history.
 */
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAlertSender } from '../../../adapters/alerts/sender';
import { createSlackNotifier, METADATA_EVENT_TYPE } from '../../../adapters/slack/notifier';
import { renderAlertGroup } from '../../../src/chat/alerts';
import { silentLogger } from '../../../src/lib/logger';
import { dispatchDue, dispatchOnce } from '../../../src/services/alerts/dispatch';
import { commitScoreRun } from '../../../src/services/rescore';
import { listDeliveries, listSubscriptions } from '../../../src/store/repos/alerts';
import { listKommuner } from '../../../src/store/repos/kommuner';
import { latestScoreRun, scoresForRun } from '../../../src/store/repos/scores';
import { server } from '../../support/msw';
import { appHomeOpenedBody, CHANNEL, FORM, JSON_TYPE, slackRequest, slashCommandBody, TEST_BOT_TOKEN, USER } from '../../support/slack';
import { ackMessage, eventually, makeHarness, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();

async function slash(text: string, channel = CHANNEL.id) {
  const { app } = makeHarness(() => runtime.get());
  rec.reset();
  const res = await app.request('/slack/events', slackRequest(slashCommandBody({ text, channel_id: channel, response_url: `https://hooks.slack.com/commands/T0TOMTE01/1/${Math.random().toString(36).slice(2)}` }), FORM));
  return (await ackMessage(res)) as { text?: string; blocks?: Record<string, unknown>[] };
}

describe('/tomte abonner …', () => {
  beforeEach(async () => {
    // Every test starts with no subscriptions in the test channels.
    await slash('avslutt alle', 'C0ALERTS1');
  });

  it('abonner tier1 fylke Nordland: stored for the channel with its creator, described back in plain Norwegian', async () => {
    const body = await slash('abonner tier1 fylke Nordland unntatt Narvik', 'C0ALERTS1');
    expect(body.text).toMatch(/^Abonnement #\d+ er opprettet/);
    expect(JSON.stringify(body.blocks)).toContain('Nordland');
    expect(JSON.stringify(body.blocks)).toContain('unntatt Narvik');
    const subs = await listSubscriptions(runtime.get().deps.db, 'slack', 'C0ALERTS1');
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ kind: 'tier1', filter: { fylker: ['18'], unntatt: ['1806'] }, createdBy: USER.id, lang: 'nb', status: 'active' });
    // The same again is not a second subscription.
    expect((await slash('abonner tier1 fylke Nordland unntatt Narvik', 'C0ALERTS1')).text).toMatch(/finnes allerede/);
    const list = await slash('abonnementer', 'C0ALERTS1');
    expect(list.text).toMatch(/^Abonnementer her \(1\)/);
  });

  it('the App Home lists the channel subscriptions the user created and the watchlist in their DM', async () => {
    await slash('avslutt alle', 'D0TOMTE01');
    await slash('abonner tier1 fylke Nordland', 'C0ALERTS1');
    await slash('abonner kommune Bodø', 'D0TOMTE01');
    const { app } = makeHarness(() => runtime.get());
    rec.reset();
    await app.request('/slack/events', slackRequest(appHomeOpenedBody(), JSON_TYPE));
    const publish = await eventually(() => rec.webApi.find((c) => c.method === 'views.publish'));
    const text = JSON.stringify(publish.args.view);
    expect(text).toMatch(/går inn i eller ut av Tier 1.*<#C0ALERTS1>/);
    expect(text).toMatch(/1804 Bodø/);
    await slash('avslutt alle', 'D0TOMTE01');
  });

  it('a DM "abonner kommune Bodø" typed in the Messages tab creates a watchlist entry and answers in the DM', async () => {
    await slash('avslutt alle', 'D0TOMTE01');
    const { app } = makeHarness(() => runtime.get());
    rec.reset();
    const body = JSON.stringify({
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: 'T0TOMTE01',
      api_app_id: 'A0TOMTE01',
      event: { type: 'message', channel: 'D0TOMTE01', channel_type: 'im', user: USER.id, text: 'abonner kommune Bodø', ts: '1700000001.000200', event_ts: '1700000001.000200' },
      type: 'event_callback',
      event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: 'T0TOMTE01', user_id: 'U0TOMTEBOT', is_bot: true, is_enterprise_install: false }],
    });
    expect((await app.request('/slack/events', slackRequest(body, JSON_TYPE))).status).toBe(200);
    const post = await eventually(() => rec.webApi.find((c) => c.method === 'chat.postMessage'));
    expect(post.args.channel).toBe('D0TOMTE01');
    expect(String(post.args.text)).toMatch(/^Abonnement #\d+ er opprettet/);
    const subs = await listSubscriptions(runtime.get().deps.db, 'slack', 'D0TOMTE01');
    expect(subs).toEqual([expect.objectContaining({ kind: 'kommune', createdBy: USER.id })]);
    await slash('avslutt alle', 'D0TOMTE01');
  });

  it('an unknown county or kommune changes nothing and says what was not found', async () => {
    expect((await slash('abonner tier1 fylke Narnia', 'C0ALERTS1')).text).toMatch(/Fant ikke fylket «Narnia»/);
    expect((await slash('abonner kommune trondhiem', 'C0ALERTS1')).text).toMatch(/Mente du .*5001 Trondheim/);
    expect(await listSubscriptions(runtime.get().deps.db, 'slack', 'C0ALERTS1')).toEqual([]);
  });

  it('demp, stille and avslutt', async () => {
    await slash('abonner kommune Bodø', 'C0ALERTS1');
    expect((await slash('demp Bodø', 'C0ALERTS1')).text).toMatch(/^1804 Bodø er dempet her til \d{4}-\d{2}-\d{2}/);
    expect((await slash('stille 22-07', 'C0ALERTS1')).text).toMatch(/^Stille timer 22:00–07:00/);
    const subs = await listSubscriptions(runtime.get().deps.db, 'slack', 'C0ALERTS1');
    expect(subs[0]!.quiet).toEqual({ start: '22:00', end: '07:00' });
    expect((await slash(`avslutt ${subs[0]!.id}`, 'C0ALERTS1')).text).toBe('Avsluttet 1 abonnement');
    expect((await slash('avslutt 999999', 'C0ALERTS1')).text).toMatch(/Fant ikke abonnement #999999 her/);
  });
});

describe('delivery through the Slack Web API', () => {
  it('a Tier 1 entry reaches the subscribed channel once, with buttons and the delivery key in metadata; after a crash it is found, not re-posted', async () => {
    const rm = runtime.get();
    const db = rm.deps.db;
    await slash('avslutt alle', 'C0ALERTS2');
    await slash('abonner tier1', 'C0ALERTS2');

    // Bodø's latest stored score, moved from 68 to 72 in a new run committed like a refresh would.
    const latest = (await latestScoreRun(db, rm.model.id))!;
    const scores = await scoresForRun(db, latest.id);
    const kommuner = (await listKommuner(db)).map((k) => ({ code: k.code, name: k.nameNorwegian, countyCode: k.countyCode, countyName: k.countyName }));
    const at = (s: number, tier: number | null) => scores.map((x) => (x.kommuneCode === '1804' ? { ...x, total: s, tier } : x));
    const deps = { ...rm.deps, now: () => new Date() };
    const before = await commitScoreRun(deps, deps.model, { trigger: 'test', fingerprint: `e2e-a-${Date.now()}`, startedAt: new Date(), scores: at(68, 2), previous: [], kommuner });
    await commitScoreRun(deps, deps.model, { trigger: 'test', fingerprint: `e2e-b-${Date.now()}`, startedAt: new Date(), scores: at(72, 1), previous: at(68, 2), kommuner });
    expect(before.alerts.events).toBe(0);

    const history: Record<string, unknown>[] = [];
    server.use(
      http.get('https://slack.com/api/conversations.history', ({ request }) => {
        const url = new URL(request.url);
        expect(url.searchParams.get('include_all_metadata')).toBe('true');
        return HttpResponse.json({ ok: true, messages: history.filter((m) => m.channel === url.searchParams.get('channel')), has_more: false });
      }),
    );
    const sender = createAlertSender({ slack: createSlackNotifier({ token: TEST_BOT_TOKEN, perChannelIntervalMs: 0 }), teams: null, db: () => db, logger: silentLogger, now: () => new Date() });
    rec.reset();
    // Crash after Slack accepted the message but before it was marked sent.
    await expect(
      dispatchOnce(deps, { worker: 'w1', sender, render: renderAlertGroup, leaseMs: 1, onStep: (step) => { if (step === 'sent') throw new Error('killed'); } }),
    ).rejects.toThrow('killed');
    const posts = rec.webApi.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    const args = posts[0]!.args as { channel: string; text: string; metadata: { event_type: string; event_payload: { key: string } }; blocks: { type: string; elements?: { value?: string }[] }[] };
    expect(args.channel).toBe('C0ALERTS2');
    expect(args.text).toMatch(/^1804 Bodø er nå i Tier 1 \(68 → 72 poeng\)/);
    expect(args.metadata.event_type).toBe(METADATA_EVENT_TYPE);
    expect(args.metadata.event_payload.key).toMatch(/^tier1-enter:1804:\d+@slack:C0ALERTS2$/);
    expect(args.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!.map((e) => e.value))).toEqual(['kommune 1804', 'demp 1804 30 dager', expect.stringMatching(/^avslutt \d+$/)]);
    expect(posts[0]!.authorization).toBe(`Bearer ${TEST_BOT_TOKEN}`);
    // What Slack now has in the channel's history.
    history.push({ channel: 'C0ALERTS2', ts: '1700000000.000100', text: args.text, metadata: args.metadata });

    await new Promise((r) => setTimeout(r, 5));
    const res = await dispatchDue(deps, { worker: 'w2', sender, render: renderAlertGroup });
    expect(res.recovered).toBe(1);
    expect(rec.webApi.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const mine = (await listDeliveries(db)).filter((d) => d.target === 'C0ALERTS2');
    expect(mine).toEqual([expect.objectContaining({ status: 'sent', platformMessageId: '1700000000.000100' })]);
  });
});

describe('threaded follow-ups', () => {
  it('a Tier 1 exit replies in the thread of the entry; with the entry gone it is posted at the top level and starts a new thread; nothing is posted twice', async () => {
    const rm = runtime.get();
    const db = rm.deps.db;
    const channel = 'C0THREAD1';
    // Only this channel subscribes (the test above left one in C0ALERTS2).
    await slash('avslutt alle', 'C0ALERTS2');
    await slash('abonner tier1', channel);

    // chat.postMessage as Slack answers it: a new ts per message; a reply to a deleted parent fails.
    const posts: { thread_ts?: string; text: string; ts?: string; metadata?: unknown }[] = [];
    const gone = new Set<string>();
    server.use(
      http.post('https://slack.com/api/chat.postMessage', async ({ request }) => {
        const args = (await request.json()) as { channel: string; text: string; thread_ts?: string; metadata?: unknown };
        if (args.channel !== channel) return HttpResponse.json({ ok: true, channel: args.channel, ts: '1700000000.000100' });
        if (args.thread_ts && gone.has(args.thread_ts)) {
          posts.push({ thread_ts: args.thread_ts, text: args.text });
          return HttpResponse.json({ ok: false, error: 'thread_not_found' });
        }
        const ts = `1700000100.${String(posts.length + 1).padStart(6, '0')}`;
        posts.push({ ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}), text: args.text, ts, metadata: args.metadata });
        return HttpResponse.json({ ok: true, channel, ts });
      }),
    );

    const latest = (await latestScoreRun(db, rm.model.id))!;
    const scores = await scoresForRun(db, latest.id);
    const kommuner = (await listKommuner(db)).map((k) => ({ code: k.code, name: k.nameNorwegian, countyCode: k.countyCode, countyName: k.countyName }));
    const at = (s: number, tier: number | null) => scores.map((x) => (x.kommuneCode === '1804' ? { ...x, total: s, tier } : x));
    const deps = { ...rm.deps, now: () => new Date() };
    const sender = createAlertSender({ slack: createSlackNotifier({ token: TEST_BOT_TOKEN, perChannelIntervalMs: 0 }), teams: null, db: () => db, logger: silentLogger, now: () => new Date() });
    let run = 0;
    const move = async (from: [number, number], to: [number, number], dispatch = true) => {
      await commitScoreRun(deps, deps.model, { trigger: 'test', fingerprint: `thread-${Date.now()}-${++run}`, startedAt: new Date(), scores: at(...to), previous: at(...from), kommuner });
      if (dispatch) await dispatchDue(deps, { worker: 'w', sender, render: renderAlertGroup });
    };

    await move([68, 2], [72, 1]);
    await move([72, 1], [60, 2]);
    expect(posts.map((p) => [p.text.slice(0, 30), p.thread_ts ?? null])).toEqual([
      ['1804 Bodø er nå i Tier 1 (68 →', null],
      [expect.stringMatching(/^1804 Bodø er ikke lenger i Tie/), posts[0]!.ts],
    ]);
    // Dispatching again sends nothing: every delivery is marked sent once.
    await dispatchDue(deps, { worker: 'w', sender, render: renderAlertGroup });
    expect(posts).toHaveLength(2);

    // The entry was deleted: the next alert about Bodø tries its thread, then goes top level.
    gone.add(posts[0]!.ts!);
    await move([60, 2], [72, 1]);
    expect(posts.slice(2).map((p) => p.thread_ts ?? null)).toEqual([posts[0]!.ts, null]);
    const fresh = posts[3]!.ts!;
    expect((await listSubscriptions(db, 'slack', channel))[0]!.status).toBe('active');
    // …and is the thread from then on.
    await move([72, 1], [60, 2]);
    expect(posts[4]).toMatchObject({ thread_ts: fresh });

    // A crash after Slack took a follow-up: found in the thread (conversations.replies), not posted again.
    server.use(
      http.get('https://slack.com/api/conversations.replies', ({ request }) => {
        const ts = new URL(request.url).searchParams.get('ts');
        return HttpResponse.json({ ok: true, messages: posts.filter((p) => p.ts && (p.ts === ts || p.thread_ts === ts)).map((p) => ({ ts: p.ts, metadata: p.metadata })), has_more: false });
      }),
    );
    await move([60, 2], [72, 1], false);
    await expect(dispatchOnce(deps, { worker: 'w1', sender, render: renderAlertGroup, leaseMs: 1, onStep: (step) => { if (step === 'sent') throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(posts).toHaveLength(6);
    await new Promise((r) => setTimeout(r, 5));
    expect((await dispatchDue(deps, { worker: 'w2', sender, render: renderAlertGroup })).recovered).toBe(1);
    expect(posts).toHaveLength(6);
    expect(posts[5]).toMatchObject({ thread_ts: fresh });
    const mine = (await listDeliveries(db)).filter((d) => d.target === channel);
    expect(mine.map((d) => d.status)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
  });
});
