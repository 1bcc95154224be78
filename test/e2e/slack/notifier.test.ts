/**
 * The outbound notifier: chat.postMessage with per-channel pacing, 429 Retry-After, and errors
 * sorted into "pause the subscription" and "try later". Timing tests run on fake timers with an
 * in-process fetch; one test goes over HTTP through msw.
 */
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyError, createSlackNotifier, PERMANENT_ERRORS, type PostResult } from '../../../adapters/slack/notifier';
import type { Reply } from '../../../src/chat/reply';
import { server, useMsw } from '../../support/msw';
import { TEST_BOT_TOKEN } from '../../support/slack';

useMsw();

const reply: Reply = {
  kind: 'kommune',
  lang: 'nb',
  title: '1804 Bodø',
  subtitle: 'Nordland',
  sections: [{ type: 'text', text: 'Bodø gikk fra tier 2 til tier 1.' }],
  actions: [],
  fallback: '1804 Bodø: tier 1',
};

interface Call {
  at: number;
  channel: string;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A chat.postMessage stand-in: answers from `script` (per call) and records when it was called. */
function fakeSlack(script: (call: Call, n: number) => Response = () => ok()) {
  const calls: Call[] = [];
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    const call = { at: Date.now(), channel: String(body.channel), body, headers: new Headers(init?.headers) };
    calls.push(call);
    return script(call, calls.length);
  }) as typeof fetch;
  return { calls, fetchFn };
}

function ok(channel = 'C1'): Response {
  return Response.json({ ok: true, channel, ts: '1700000000.000100' });
}

function notifier(fetchFn: typeof fetch) {
  return createSlackNotifier({
    token: TEST_BOT_TOKEN,
    fetch: fetchFn,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
  });
}

describe('pacing and rate limits (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-15T06:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('posts to one channel at most about once a second, while other channels do not wait', async () => {
    const { calls, fetchFn } = fakeSlack();
    const n = notifier(fetchFn);
    const t0 = Date.now();
    const results = Promise.all([n.post('C1', reply), n.post('C1', reply), n.post('C2', reply), n.post('C1', reply), n.post('C2', reply)]);
    await vi.runAllTimersAsync();
    expect((await results).every((r) => r.ok)).toBe(true);
    const times = (ch: string) => calls.filter((c) => c.channel === ch).map((c) => c.at - t0);
    expect(times('C1')).toEqual([0, 1100, 2200]);
    expect(times('C2')).toEqual([0, 1100]);
  });

  it('keeps call order within a channel', async () => {
    const { calls, fetchFn } = fakeSlack();
    const n = notifier(fetchFn);
    const titles = ['a', 'b', 'c'];
    const all = Promise.all(titles.map((title) => n.post('C1', { ...reply, title, fallback: title })));
    await vi.runAllTimersAsync();
    await all;
    expect(calls.map((c) => c.body.text)).toEqual(titles);
  });

  it('a 429 waits Retry-After (for every channel) and then succeeds', async () => {
    const { calls, fetchFn } = fakeSlack((call, i) => (i === 1 ? new Response('', { status: 429, headers: { 'retry-after': '3' } }) : ok(call.channel)));
    const n = notifier(fetchFn);
    const t0 = Date.now();
    const first = n.post('C1', reply);
    await vi.advanceTimersByTimeAsync(10);
    const other = n.post('C2', reply);
    await vi.runAllTimersAsync();
    expect(await first).toMatchObject({ ok: true });
    expect(await other).toMatchObject({ ok: true });
    expect(calls.map((c) => [c.channel, c.at - t0])).toEqual([
      ['C1', 0],
      ['C1', 3000],
      ['C2', 3000],
    ]);
  });

  it('gives up after repeated 429s with a transient result that carries Retry-After', async () => {
    const { calls, fetchFn } = fakeSlack(() => new Response('', { status: 429, headers: { 'retry-after': '2' } }));
    const n = notifier(fetchFn);
    const res = n.post('C1', reply);
    await vi.runAllTimersAsync();
    expect(await res).toEqual({ ok: false, permanent: false, retryable: true, reason: 'ratelimited', retryAfterMs: 2000 });
    expect(calls).toHaveLength(4);
  });

  it('a Retry-After longer than a minute is handed back instead of waited out', async () => {
    const { calls, fetchFn } = fakeSlack(() => new Response('', { status: 429, headers: { 'retry-after': '600' } }));
    const n = notifier(fetchFn);
    const res = n.post('C1', reply);
    await vi.runAllTimersAsync();
    expect(await res).toMatchObject({ ok: false, permanent: false, retryAfterMs: 600_000 });
    expect(calls).toHaveLength(1);
  });
});

describe('errors', () => {
  it.each(['channel_not_found', 'is_archived', 'not_in_channel', 'token_revoked', 'account_inactive'])('%s is permanent: pause the subscription with the reason', async (error) => {
    const { fetchFn } = fakeSlack(() => Response.json({ ok: false, error }));
    expect(await notifier(fetchFn).post('C1', reply)).toEqual({ ok: false, permanent: true, reason: error });
  });

  it.each([
    ['internal_error', true],
    ['fatal_error', true],
    ['service_unavailable', true],
    ['invalid_blocks', false],
    ['msg_too_long', false],
  ] as const)('%s is not permanent (retryable: %s)', async (error, retryable) => {
    const { fetchFn } = fakeSlack(() => Response.json({ ok: false, error }));
    expect(await notifier(fetchFn).post('C1', reply)).toEqual({ ok: false, permanent: false, retryable, reason: error });
  });

  it('HTTP 5xx and network failures are transient', async () => {
    const five = fakeSlack(() => new Response('upstream', { status: 503 }));
    expect(await notifier(five.fetchFn).post('C1', reply)).toEqual({ ok: false, permanent: false, retryable: true, reason: 'http_503' });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await notifier(down).post('C1', reply)).toMatchObject({ ok: false, permanent: false, retryable: true, reason: 'network: fetch failed' });
  });

  it('the listed permanent errors are the ones the issue names, and more', () => {
    for (const e of ['channel_not_found', 'is_archived', 'not_in_channel', 'token_revoked', 'account_inactive']) expect(PERMANENT_ERRORS).toContain(e);
    expect(classifyError('ratelimited')).toMatchObject({ permanent: false, retryable: true });
  });
});

describe('over HTTP', () => {
  it('posts Block Kit with the plain-text fallback and the bot token to slack.com/api/chat.postMessage', async () => {
    const seen: { auth: string | null; body: Record<string, unknown> }[] = [];
    server.use(
      http.post('https://slack.com/api/chat.postMessage', async ({ request }) => {
        seen.push({ auth: request.headers.get('authorization'), body: (await request.json()) as Record<string, unknown> });
        return HttpResponse.json({ ok: true, channel: 'C0TOMTE01', ts: '1700000000.000200' });
      }),
    );
    const n = createSlackNotifier({ token: TEST_BOT_TOKEN });
    const res: PostResult = await n.post('C0TOMTE01', reply);
    expect(res).toEqual({ ok: true, channel: 'C0TOMTE01', ts: '1700000000.000200' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.auth).toBe(`Bearer ${TEST_BOT_TOKEN}`);
    expect(seen[0]!.body).toMatchObject({ channel: 'C0TOMTE01', text: '1804 Bodø: tier 1' });
    expect((seen[0]!.body.blocks as { type: string }[])[0]!.type).toBe('header');
  });
});
