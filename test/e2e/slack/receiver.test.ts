/**
 * The Slack transport through the real Hono app: signature checks, url_verification, ssl_check,
 * retries and replays, the 3-second ack, and the 503 without secrets. Slack's side is msw at the
 * HTTP level; nothing stubs Bolt.
 */
import { describe, expect, it } from 'vitest';
import { createSlackRoute, NOT_CONFIGURED } from '../../../adapters/slack/route';
import { slackMount } from '../../../adapters/slack/mount';
import { createApp } from '../../../src/http/app';
import { silentLogger, type Logger } from '../../../src/lib/logger';
import type { ReadModel } from '../../../src/services/read-model';
import {
  appHomeOpenedBody,
  FORM,
  JSON_TYPE,
  nowSeconds,
  signSlackRequest,
  slackRequest,
  slashCommandBody,
  sslCheckBody,
  TEST_SIGNING_SECRET,
  urlVerificationBody,
} from '../../support/slack';
import { ackMessage, eventually, headerText, makeHarness, settle, useReadModel, useSlackMocks } from './harness';

const rec = useSlackMocks();
const runtime = useReadModel();

/** The read model behind a proxy that counts every property read (the route's readiness check reads none). */
function counted() {
  let uses = 0;
  let proxy: ReadModel | undefined;
  return {
    get uses() {
      return uses;
    },
    getReadModel: (): ReadModel => {
      proxy ??= new Proxy(runtime.get(), {
        get(target, prop, receiver) {
          uses++;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
      return proxy;
    },
  };
}

const bodo = () => slashCommandBody({ text: 'kommune Bodø', response_url: 'https://hooks.slack.com/commands/T0TOMTE01/1/bodo' });

describe('signature verification', () => {
  it('a good signature gets the Block Kit reply in the ack', async () => {
    const { app } = makeHarness(() => runtime.get());
    const body = bodo();
    expect(body).toContain('text=kommune%20Bod%C3%B8');
    const res = await app.request('/slack/events', slackRequest(body, FORM));
    expect(headerText((await ackMessage(res)).blocks)).toBe('1804 Bodø');
  });

  it('(control) the counting read model does see a verified command', async () => {
    const rm = counted();
    const { app } = makeHarness(rm.getReadModel);
    await ackMessage(await app.request('/slack/events', slackRequest(bodo(), FORM)));
    expect(rm.uses).toBeGreaterThan(0);
  });

  const refused: [string, (body: string) => RequestInit][] = [
    ['wrong secret', (b) => slackRequest(b, FORM, { secret: 'not-the-signing-secret-000000000' })],
    [
      'body altered after signing',
      (b) => {
        const init = slackRequest(b, FORM);
        return { ...init, body: b.replace('Bod%C3%B8', 'Troms%C3%B8') };
      },
    ],
    ['timestamp 6 minutes old', (b) => slackRequest(b, FORM, { timestamp: nowSeconds() - 6 * 60 })],
    ['timestamp 6 minutes ahead', (b) => slackRequest(b, FORM, { timestamp: nowSeconds() + 6 * 60 })],
    ['no signature headers', (b) => slackRequest(b, FORM, { unsigned: true })],
    [
      'signature without timestamp',
      (b) => ({ method: 'POST', body: b, headers: { 'content-type': FORM, 'x-slack-signature': signSlackRequest(b, TEST_SIGNING_SECRET)['x-slack-signature'] } }),
    ],
    ['timestamp without signature', (b) => ({ method: 'POST', body: b, headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(nowSeconds()) } })],
    ['unknown signature version', (b) => slackRequest(b, FORM, { headers: { 'x-slack-signature': 'v1=abc' } })],
    // Found by test/fuzz/slack-signature.fuzz.test.ts: Bolt's check compares only the part between
    // the first and second '=', and signs the timestamp as a number.
    ['the genuine signature with "=x" appended', (b) => slackRequest(b, FORM, { headers: { 'x-slack-signature': `${signSlackRequest(b, TEST_SIGNING_SECRET)['x-slack-signature']}=x` } })],
    [
      'the genuine signature under the timestamp with a leading zero',
      (b) => {
        const ts = nowSeconds();
        return slackRequest(b, FORM, { timestamp: ts, headers: { 'x-slack-request-timestamp': `0${ts}` } });
      },
    ],
  ];

  it.each(refused)('%s → 401, and nothing runs or calls Slack', async (_name, build) => {
    const rm = counted();
    const { app, slack } = makeHarness(rm.getReadModel);
    const res = await app.request('/slack/events', build(bodo()));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'INVALID_SIGNATURE' });
    await settle();
    expect(rec.all).toEqual([]);
    expect(rm.uses).toBe(0);
    expect(slack.receiver.pending).toBe(0);
  });

  it('an Events API callback with a bad signature does not publish the Home tab', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(appHomeOpenedBody(), JSON_TYPE, { secret: 'wrong-secret-wrong-secret-000000' }));
    expect(res.status).toBe(401);
    await settle();
    expect(rec.all).toEqual([]);
  });
});

describe('protocol', () => {
  it('url_verification → 200 with the challenge', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(urlVerificationBody('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'), JSON_TYPE));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('url_verification with a bad signature is refused', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(urlVerificationBody('x'), JSON_TYPE, { unsigned: true }));
    expect(res.status).toBe(401);
  });

  it('ssl_check (unsigned, as Slack sends it) → empty 200 and no side effect', async () => {
    const rm = counted();
    const { app } = makeHarness(rm.getReadModel);
    const res = await app.request('/slack/events', slackRequest(sslCheckBody(), FORM, { unsigned: true }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await settle();
    expect(rec.all).toEqual([]);
    expect(rm.uses).toBe(0);
  });

  it('a signed body that is not JSON → 400', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest('{"type":', JSON_TYPE));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('GET /slack/events → 405; other paths under /slack → 404 JSON', async () => {
    const { app } = makeHarness(() => runtime.get());
    const get = await app.request('/slack/events');
    expect(get.status).toBe(405);
    const other = await app.request('/slack/other', { method: 'POST' });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the health probes still answer next to the Slack route', async () => {
    const { app } = makeHarness(() => runtime.get());
    expect((await app.request('/healthz')).status).toBe(200);
  });
});

describe('retries and replays', () => {
  it('an Events API retry (same event_id, X-Slack-Retry-Num: 1) → 200 and processed once', async () => {
    const { app } = makeHarness(() => runtime.get());
    const body = appHomeOpenedBody({ event_id: 'Ev0RETRY001' });
    const first = await app.request('/slack/events', slackRequest(body, JSON_TYPE));
    expect(first.status).toBe(200);
    await eventually(() => rec.webApi.length === 1);
    const retry = await app.request('/slack/events', slackRequest(body, JSON_TYPE, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }));
    expect(retry.status).toBe(200);
    await settle(300);
    expect(rec.webApi.map((c) => c.method)).toEqual(['views.publish']);
  });

  it('a retry signed at a later time (new timestamp, same event_id) is still processed once', async () => {
    const { app } = makeHarness(() => runtime.get());
    const body = appHomeOpenedBody({ event_id: 'Ev0RETRY002' });
    await app.request('/slack/events', slackRequest(body, JSON_TYPE, { timestamp: nowSeconds() - 60 }));
    const retry = await app.request('/slack/events', slackRequest(body, JSON_TYPE, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } }));
    expect(retry.status).toBe(200);
    await settle(300);
    expect(rec.webApi).toHaveLength(1);
  });

  it('a replayed slash command (same signed request) is answered once', async () => {
    const { app } = makeHarness(() => runtime.get());
    const init = slackRequest(bodo(), FORM);
    const [a, b] = await Promise.all([app.request('/slack/events', init), app.request('/slack/events', { ...init, headers: { ...(init.headers as Record<string, string>), 'x-slack-retry-num': '1' } })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // One ack carries the card; the re-sent one is acknowledged empty and runs nothing.
    const bodies = [await a.text(), await b.text()];
    expect(bodies.filter((t) => t.includes('1804 Bodø'))).toHaveLength(1);
    expect(bodies.filter((t) => t === '')).toHaveLength(1);
    await settle(300);
    expect(rec.responseUrl).toHaveLength(0);
  });

  it('the retry headers reach Bolt as context.retryNum / retryReason', async () => {
    const { app, slack } = makeHarness(() => runtime.get());
    const seen: unknown[] = [];
    slack.app.use(async ({ context, next }) => {
      seen.push([context.retryNum, context.retryReason]);
      await next();
    });
    // The first delivery was lost on the way: the retry is the first one this process sees.
    const res = await app.request('/slack/events', slackRequest(appHomeOpenedBody({ event_id: 'Ev0RETRY003' }), JSON_TYPE, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } }));
    expect(res.status).toBe(200);
    await eventually(() => rec.webApi.length === 1);
    expect(seen).toEqual([[2, 'http_timeout']]);
  });

  it('a listener that fails before its ack → 500, and Slack’s retry of it is processed', async () => {
    const { app, slack } = makeHarness(() => runtime.get());
    let calls = 0;
    slack.app.command('/tomte-fails-once', async ({ ack }) => {
      calls++;
      if (calls === 1) throw new Error('boom');
      await ack('second time lucky');
    });
    const init = slackRequest(slashCommandBody({ text: 'x', command: '/tomte-fails-once', trigger_id: '1.2.failonce' }), FORM);
    const first = await app.request('/slack/events', init);
    expect(first.status).toBe(500);
    const again = await app.request('/slack/events', init);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe('second time lucky');
  });
});

describe('the 3-second deadline', () => {
  it('a listener that never acks still gets an HTTP 200 before the deadline, and keeps working', async () => {
    const { app, slack } = makeHarness(() => runtime.get(), { receiver: { ackTimeoutMs: 300 } });
    let finished = false;
    slack.app.command('/tomte-forgets-ack', async () => {
      await new Promise((r) => setTimeout(r, 1500));
      finished = true;
    });
    const started = Date.now();
    const res = await app.request('/slack/events', slackRequest(slashCommandBody({ text: '', command: '/tomte-forgets-ack' }), FORM));
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1200);
    expect(finished).toBe(false);
    expect(slack.receiver.pending).toBe(1);
    await slack.receiver.stop();
    expect(finished).toBe(true);
  });

  it('a command no listener handles → 404', async () => {
    const { app } = makeHarness(() => runtime.get());
    const res = await app.request('/slack/events', slackRequest(slashCommandBody({ text: 'x', command: '/unknown' }), FORM));
    expect(res.status).toBe(404);
  });
});

describe('mounting', () => {
  it('without Slack secrets /slack/events → 503 with a clear body, and the service still answers', async () => {
    const { mount, slack } = slackMount({ signingSecret: undefined, botToken: undefined, logger: silentLogger, defaultLang: 'nb', getReadModel: () => null });
    expect(slack).toBeNull();
    const app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [mount] });
    const res = await app.request('/slack/events', slackRequest(bodo(), FORM));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ code: 'NOT_CONFIGURED', message: 'Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN' });
    expect(NOT_CONFIGURED.message).toContain('SLACK_SIGNING_SECRET');
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('with only one secret set the route is not configured either', async () => {
    const { slack } = slackMount({ signingSecret: TEST_SIGNING_SECRET, botToken: undefined, logger: silentLogger, defaultLang: 'nb', getReadModel: () => null });
    expect(slack).toBeNull();
  });

  it('while the runtime is starting → 503 NOT_READY without touching Bolt', async () => {
    const { mount } = slackMount({ signingSecret: TEST_SIGNING_SECRET, botToken: 'xoxb-1', logger: silentLogger, defaultLang: 'nb', getReadModel: () => null });
    const app = createApp({ logger: silentLogger, ready: () => false, version: 'test', mounts: [mount] });
    const res = await app.request('/slack/events', slackRequest(bodo(), FORM));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'NOT_READY' });
    await settle();
    expect(rec.all).toEqual([]);
  });

  it('createSlackRoute is a plain Hono sub-app', async () => {
    const route = createSlackRoute({ handle: async () => new Response('handled') });
    expect(await (await route.request('/events', { method: 'POST' })).text()).toBe('handled');
  });

  it('the request log names the Slack path and status', async () => {
    const lines: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = { ...silentLogger, info: (msg, fields) => void lines.push({ msg, ...(fields ? { fields } : {}) }) };
    const { app } = makeHarness(() => runtime.get(), undefined, logger);
    await app.request('/slack/events', slackRequest(urlVerificationBody('c'), JSON_TYPE));
    expect(lines.find((l) => l.msg === 'request')?.fields).toMatchObject({ method: 'POST', path: '/slack/events', status: 200 });
  });
});
