import { delay, http, HttpResponse as MswResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { createHttpClient, parseRetryAfter, UpstreamError, type HttpClientOptions, type HttpResponse } from '../../../src/lib/http';
import { RateLimiter } from '../../../src/lib/rate-limiter';
import { server, useMsw } from '../../support/msw';

useMsw();

const URL_SSB = 'https://data.ssb.no/api/pxwebapi/v2/tables/07459/data?lang=no';
const WINTER_NOON = Date.parse('2026-01-15T11:00:00Z');

/** A clock that moves only when the client sleeps; every sleep is recorded. */
function fakeClock(t0 = WINTER_NOON) {
  let t = t0;
  const sleeps: number[] = [];
  return {
    ms: () => t,
    now: () => new Date(t),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

type Clock = ReturnType<typeof fakeClock>;

function setup(opts: Partial<HttpClientOptions> & { clock?: Clock } = {}) {
  const clock = opts.clock ?? fakeClock();
  const seen: HttpResponse[] = [];
  const client = createHttpClient({
    source: 'ssb',
    fetch: (input, init) => globalThis.fetch(input, init),
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5, // jitter factor 0.5 + 0.5 = 1
    problemTitles: true, // as the SSB client
    onResponse: (res) => {
      seen.push(res);
    },
    ...opts,
  });
  return { client, clock, seen };
}

/** Serves the given responses in order (the last one repeats) and counts the calls. */
function serve(method: 'get' | 'post', url: string, ...responses: (() => Response | Promise<Response>)[]) {
  const calls = { count: 0, requests: [] as Request[] };
  server.use(
    http[method](url, async ({ request }) => {
      calls.requests.push(request.clone());
      const respond = responses[Math.min(calls.count, responses.length - 1)]!;
      calls.count += 1;
      return respond();
    }),
  );
  return calls;
}

const ok = () => MswResponse.json({ ok: true });
const status = (s: number, headers: Record<string, string> = {}) => () => new MswResponse(null, { status: s, headers });
const problem = (s: number, title: string) => () =>
  MswResponse.json({ type: 'Parameter error', title, status: s }, { status: s });

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

describe('createHttpClient: success', () => {
  it('returns the text with status, headers, attempts and fetchedAt, sending user-agent and accept', async () => {
    const calls = serve('get', 'https://data.ssb.no/api/pxwebapi/v2/tables/07459/data', () =>
      MswResponse.text('{"value":[1]}', { headers: { 'content-type': 'application/json', etag: '"abc"' } }),
    );
    const { client, clock, seen } = setup();
    const res = await client.request({ url: URL_SSB });
    expect(res).toMatchObject({ url: URL_SSB, method: 'GET', status: 200, text: '{"value":[1]}', attempts: 1 });
    expect(res.headers.get('etag')).toBe('"abc"');
    expect(res.fetchedAt.getTime()).toBe(clock.ms());
    expect(calls.count).toBe(1);
    expect(calls.requests[0]!.headers.get('accept')).toBe('application/json');
    expect(calls.requests[0]!.headers.get('user-agent')).toBe('tomte/0.1');
    expect(seen).toEqual([res]);
    expect(clock.sleeps).toEqual([]);
  });

  it('lets the caller set user-agent and override headers', async () => {
    const calls = serve('get', 'https://ws.geonorge.no/kommuneinfo/v1/kommuner', ok);
    const { client } = setup({ source: 'kartverket', userAgent: 'tomte-test/1 (ops@example.org)' });
    await client.request({ url: 'https://ws.geonorge.no/kommuneinfo/v1/kommuner', headers: { accept: 'text/csv', 'x-extra': '1' } });
    const h = calls.requests[0]!.headers;
    expect(h.get('user-agent')).toBe('tomte-test/1 (ops@example.org)');
    expect(h.get('accept')).toBe('text/csv');
    expect(h.get('x-extra')).toBe('1');
  });

  it('POSTs a JSON body with content-type', async () => {
    const calls = serve('post', 'https://data.ssb.no/api/pxwebapi/v2/tables/07459/data', ok);
    const { client } = setup();
    const body = JSON.stringify({ selection: [{ variableCode: 'Region', valueCodes: ['0301'] }] });
    const res = await client.request({ url: URL_SSB, method: 'POST', body });
    expect(res.method).toBe('POST');
    expect(calls.requests[0]!.method).toBe('POST');
    expect(calls.requests[0]!.headers.get('content-type')).toBe('application/json');
    expect(await calls.requests[0]!.text()).toBe(body);
  });

  it('refuses a malformed URL or a GET body without calling fetch', async () => {
    let fetched = 0;
    const client = createHttpClient({ source: 'ssb', fetch: async () => { fetched++; return new Response('x'); } });
    await expect(client.request({ url: 'not a url' })).rejects.toThrow(TypeError);
    await expect(client.request({ url: URL_SSB, body: '{}' })).rejects.toThrow(/GET request cannot have a body/);
    expect(fetched).toBe(0);
  });

  it('calls an unbound fetch (Workers rejects fetch called as a method of another object)', async () => {
    const thisValues: unknown[] = [];
    const client = createHttpClient({
      source: 'ssb',
      fetch: function (this: unknown) {
        thisValues.push(this);
        return Promise.resolve(new Response('{}'));
      },
    });
    await client.request({ url: URL_SSB });
    expect(thisValues).toEqual([undefined]);
  });
});

describe('createHttpClient: retries', () => {
  it('429 with Retry-After: 7 waits 7000 ms and then succeeds', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, status(429, { 'retry-after': '7' }), ok);
    const { client, clock, seen } = setup();
    const res = await client.request({ url: URL_SSB });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(calls.count).toBe(2);
    expect(clock.sleeps).toEqual([7000]);
    expect(seen.map((r) => [r.status, r.attempts])).toEqual([[429, 1], [200, 2]]);
  });

  it('429 with an HTTP-date Retry-After waits until that time', async () => {
    serve('get', URL_SSB.split('?')[0]!, status(429, { 'retry-after': 'Thu, 15 Jan 2026 11:00:30 GMT' }), ok);
    const { client, clock } = setup();
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([30_000]);
  });

  it('caps Retry-After at 5 minutes', async () => {
    serve('get', URL_SSB.split('?')[0]!, status(429, { 'retry-after': '3600' }), ok);
    const { client, clock } = setup();
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([300_000]);
  });

  it('503 twice then 200 takes 3 attempts with exponential backoff', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, status(503), status(503), ok);
    const { client, clock, seen } = setup();
    const res = await client.request({ url: URL_SSB });
    expect(res.attempts).toBe(3);
    expect(calls.count).toBe(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(seen.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('jitters the backoff by 0.5 + random()', async () => {
    serve('get', URL_SSB.split('?')[0]!, status(502), status(502), ok);
    const { client, clock } = setup({ random: () => 0, backoffMs: 200 });
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([100, 200]);
  });

  it('caps the backoff at 60 s and throws the last error after the retries', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, status(504));
    const { client, clock } = setup({ retries: 8 });
    const err = await failure(client.request({ url: URL_SSB }));
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(calls.count).toBe(9);
    expect(err).toMatchObject({ kind: 'unavailable', status: 504, attempts: 9, source: 'ssb', url: URL_SSB });
  });

  it('gives up after the default 4 retries with kind rate-limited', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, status(429));
    const { client, seen } = setup();
    const err = await failure(client.request({ url: URL_SSB }));
    expect(calls.count).toBe(5);
    expect(err).toMatchObject({ kind: 'rate-limited', status: 429, attempts: 5 });
    expect(err.message).toBe(`SSB 429: rate limited (GET ${URL_SSB})`);
    expect(seen).toHaveLength(5); // every 429 is handed to onResponse
  });

  it('retries a network error and then succeeds', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, () => MswResponse.error(), ok);
    const { client, clock, seen } = setup();
    const res = await client.request({ url: URL_SSB });
    expect(res.attempts).toBe(2);
    expect(calls.count).toBe(2);
    expect(clock.sleeps).toEqual([1000]);
    expect(seen.map((r) => r.status)).toEqual([200]); // no response, nothing to archive
  });

  it('a lasting network error ends as kind network with the cause', async () => {
    serve('get', URL_SSB.split('?')[0]!, () => MswResponse.error());
    const { client } = setup({ retries: 2 });
    const err = await failure(client.request({ url: URL_SSB }));
    expect(err).toMatchObject({ kind: 'network', attempts: 3 });
    expect(err.status).toBeUndefined();
    expect(err.cause).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^SSB network error: .* \(GET https:\/\/data\.ssb\.no\//);
  });

  it('a response slower than timeoutMs is retried and then fails with kind timeout', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, async () => {
      await delay(2_000);
      return ok();
    });
    const { client, clock, seen } = setup({ timeoutMs: 50, retries: 1 });
    const started = Date.now();
    const err = await failure(client.request({ url: URL_SSB }));
    expect(err).toMatchObject({ kind: 'timeout', attempts: 2 });
    expect(err.message).toBe(`SSB timeout after 50 ms (GET ${URL_SSB})`);
    expect(calls.count).toBe(2);
    expect(clock.sleeps).toEqual([1000]);
    expect(seen).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a timeout followed by a fast answer succeeds', async () => {
    serve('get', URL_SSB.split('?')[0]!, async () => {
      await delay(2_000);
      return ok();
    }, ok);
    const { client } = setup({ timeoutMs: 50 });
    const res = await client.request({ url: URL_SSB });
    expect(res.attempts).toBe(2);
  });

  it('the body read counts against the timeout', async () => {
    serve('get', URL_SSB.split('?')[0]!, () =>
      new MswResponse(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"value":[')); // and then nothing more
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      ),
    );
    const { client } = setup({ timeoutMs: 50, retries: 0 });
    const err = await failure(client.request({ url: URL_SSB }));
    expect(err).toMatchObject({ kind: 'timeout', attempts: 1 });
  });

  it('times out even when the injected fetch ignores the abort signal', async () => {
    const client = createHttpClient({
      source: 'ssb',
      fetch: () => new Promise<Response>(() => {}),
      timeoutMs: 20,
      retries: 0,
    });
    const err = await failure(client.request({ url: URL_SSB }));
    expect(err.kind).toBe('timeout');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-15T11:00:00Z');
  it.each([
    ['7', 7_000],
    ['0', 0],
    ['1.5', 1_500],
    ['Thu, 15 Jan 2026 11:00:30 GMT', 30_000], // IMF-fixdate
    ['Thursday, 15-Jan-26 11:00:30 GMT', 30_000], // RFC 850
    ['Thu Jan 15 11:00:30 2026', 30_000], // asctime: GMT although no zone is named
    ['Thu, 15 Jan 2026 10:00:00 GMT', 0], // in the past
    ['-1', undefined], // Date.parse would read this as 2001
    ['2026-01-15', undefined],
    ['soon', undefined],
    [null, undefined],
  ])('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it('an unreadable Retry-After falls back to the backoff', async () => {
    serve('get', URL_SSB.split('?')[0]!, status(429, { 'retry-after': '-1' }), ok);
    const { client, clock } = setup();
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([1000]);
  });
});

describe('createHttpClient: no retry', () => {
  it('400 with an SSB problem body fails at once with the title in the message', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, problem(400, 'Non-existent value'));
    const { client, clock, seen } = setup();
    const err = await failure(client.request({ url: URL_SSB }));
    expect(calls.count).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(err).toMatchObject({ kind: 'http', status: 400, attempts: 1, title: 'Non-existent value' });
    expect(err.message).toBe(`SSB 400: Non-existent value (GET ${URL_SSB})`);
    // The body itself stays out of the error: its length and hash are all that travel.
    const body = JSON.stringify({ type: 'Parameter error', title: 'Non-existent value', status: 400 });
    expect(err.bodyLength).toBe(body.length);
    expect(err.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(err)).not.toContain('Parameter error');
    expect(seen.map((r) => r.status)).toEqual([400]);
  });

  it('404 (also what SSB answers for an over-long URL) is not retried', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, problem(404, 'Non-existent table'));
    const { client } = setup();
    const err = await failure(client.request({ url: URL_SSB }));
    expect(calls.count).toBe(1);
    expect(err).toMatchObject({ kind: 'http', status: 404, title: 'Non-existent table' });
  });

  it('500 with an empty body (SSB: a repeated value code) is not retried', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, status(500));
    const { client, seen } = setup();
    const err = await failure(client.request({ url: URL_SSB }));
    expect(calls.count).toBe(1);
    expect(err).toMatchObject({ kind: 'http', status: 500, attempts: 1 });
    expect(err.title).toBeUndefined();
    expect(err.bodyLength).toBeUndefined();
    expect(err.message).toMatch(/^SSB 500\b.*\(GET https:\/\/data\.ssb\.no\//);
    expect(seen).toHaveLength(1);
  });

  it('a non-JSON error body gives no title and only its length and hash', async () => {
    serve('get', URL_SSB.split('?')[0]!, () => MswResponse.text('<html>Bad gateway</html>', { status: 403, statusText: 'AccessKeyId=AKIA0000' }));
    const { client } = setup();
    const err = await failure(client.request({ url: URL_SSB }));
    expect(err.title).toBeUndefined();
    expect(err.bodyLength).toBe('<html>Bad gateway</html>'.length);
    // Neither the body nor the upstream's status text reaches the message.
    expect(err.message).toBe(`SSB 403: Forbidden (GET ${URL_SSB})`);
  });

  it('without problemTitles an upstream problem title stays out of the error', async () => {
    serve('get', URL_SSB.split('?')[0]!, problem(403, 'AccessKeyId=AKIA0000 SecretAccessKey=xyz'));
    const { client } = setup({ problemTitles: false, source: 'lots' });
    const err = await failure(client.request({ url: URL_SSB }));
    expect(err.title).toBeUndefined();
    expect(err.message).toBe(`LOTS 403: Forbidden (GET ${URL_SSB})`);
    expect(JSON.stringify({ ...err, message: err.message })).not.toMatch(/AccessKeyId/);
  });

  it('cuts a long URL in the message but keeps it whole on the error', async () => {
    const long = `${URL_SSB}&valueCodes[Region]=${Array.from({ length: 400 }, (_, i) => String(i).padStart(4, '0')).join(',')}`;
    serve('get', URL_SSB.split('?')[0]!, problem(404, 'Not found'));
    const { client } = setup();
    const err = await failure(client.request({ url: long }));
    expect(err.url).toBe(long);
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toContain('…)');
  });

  it.each([
    ['502', 1, status(502)],
    ['504', 1, status(504)],
    ['a network error', 1, () => MswResponse.error()],
    ['503', 2, status(503)],
    ['429', 2, status(429)],
  ])('POST after %s: %i call(s)', async (_name, expectedCalls, first) => {
    const calls = serve('post', URL_SSB.split('?')[0]!, first, ok);
    const { client } = setup();
    const p = client.request({ url: URL_SSB, method: 'POST', body: '{}' });
    if (expectedCalls === 1) await failure(p);
    else expect((await p).status).toBe(200);
    expect(calls.count).toBe(expectedCalls);
  });

  it('a POST that times out is not retried', async () => {
    const calls = serve('post', URL_SSB.split('?')[0]!, async () => {
      await delay(2_000);
      return ok();
    });
    const { client } = setup({ timeoutMs: 50 });
    const err = await failure(client.request({ url: URL_SSB, method: 'POST', body: '{}' }));
    expect(err).toMatchObject({ kind: 'timeout', attempts: 1 });
    expect(calls.count).toBe(1);
  });
});

describe('createHttpClient: onResponse', () => {
  it('sees every response, error statuses included, in order', async () => {
    serve('get', URL_SSB.split('?')[0]!, status(429, { 'retry-after': '1' }), status(503), () => MswResponse.text('done'));
    const { client, seen } = setup();
    await client.request({ url: URL_SSB });
    expect(seen.map((r) => [r.status, r.attempts, r.text])).toEqual([[429, 1, ''], [503, 2, ''], [200, 3, 'done']]);
  });

  it('awaits an async onResponse before returning', async () => {
    serve('get', URL_SSB.split('?')[0]!, ok);
    const archived: number[] = [];
    const { client } = setup({
      onResponse: async (res) => {
        await delay(5);
        archived.push(res.status);
      },
    });
    await client.request({ url: URL_SSB });
    expect(archived).toEqual([200]);
  });
});

describe('createHttpClient: rate limiter', () => {
  function limited(maxPerMinute = 25) {
    const clock = fakeClock();
    const limiter = new RateLimiter({ maxPerMinute, now: clock.ms, sleep: clock.sleep });
    return { clock, limiter };
  }

  it('30 requests at once with 25 per minute: the 26th waits until the first leaves the window', async () => {
    const { clock, limiter } = limited();
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      return ok();
    }));
    const { client } = setup({ clock, limiter });
    const results = await Promise.all(Array.from({ length: 30 }, () => client.request({ url: URL_SSB })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(times.slice(0, 25)).toEqual(Array(25).fill(WINTER_NOON));
    expect(times.slice(25)).toEqual(Array(5).fill(WINTER_NOON + 60_000));
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('x-ratelimit headers tighten the budget', async () => {
    const { clock, limiter } = limited();
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      return MswResponse.json({}, { headers: { 'x-ratelimit-limit': '10', 'x-ratelimit-policy': '10;w=60s' } });
    }));
    const { client } = setup({ clock, limiter });
    for (let i = 0; i < 11; i++) await client.request({ url: URL_SSB });
    expect(times.slice(0, 10)).toEqual(Array(10).fill(WINTER_NOON));
    expect(times[10]).toBe(WINTER_NOON + 60_000);
  });

  it('x-ratelimit-remaining shared with others behind the IP holds calls back', async () => {
    const { clock, limiter } = limited();
    let remaining = 2;
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      remaining = Math.max(0, remaining - 1);
      return MswResponse.json({}, { headers: { 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': String(remaining) } });
    }));
    const { client } = setup({ clock, limiter });
    for (let i = 0; i < 3; i++) await client.request({ url: URL_SSB });
    expect(times).toEqual([WINTER_NOON, WINTER_NOON, WINTER_NOON + 60_000]);
  });

  it('a 429 with Retry-After holds the other queued calls too (shared fake clock)', async () => {
    const { clock, limiter } = limited();
    const times: [string, number][] = [];
    let first = true;
    server.use(http.get('https://data.ssb.no/api/pxwebapi/v2/tables/:id/data', ({ params }) => {
      times.push([String(params.id), clock.ms()]);
      if (first) {
        first = false;
        return new MswResponse(null, { status: 429, headers: { 'retry-after': '5' } });
      }
      return ok();
    }));
    const { client } = setup({ clock, limiter });
    await Promise.all([
      client.request({ url: 'https://data.ssb.no/api/pxwebapi/v2/tables/A/data' }),
      client.request({ url: 'https://data.ssb.no/api/pxwebapi/v2/tables/B/data' }),
    ]);
    expect(times).toEqual([['A', WINTER_NOON], ['B', WINTER_NOON + 5_000], ['A', WINTER_NOON + 5_000]]);
  });
});

describe('createHttpClient: a host-wide hold', () => {
  // The retrying call sleeps on its own (and never wakes during the test): the only thing that can
  // hold the second call back is the shared limiter.
  it.each([
    ['429 with Retry-After: 5', () => new MswResponse(null, { status: 429, headers: { 'retry-after': '5' } }), 5_000],
    ['503 without Retry-After (the backoff)', () => new MswResponse(null, { status: 503 }), 1_000],
  ])('%s holds another caller of the same limiter', async (_name, firstResponse, hold) => {
    const clock = fakeClock();
    const limiterSleeps: number[] = [];
    const limiter = new RateLimiter({
      maxPerMinute: 25,
      now: clock.ms,
      sleep: async (ms) => {
        limiterSleeps.push(ms);
        await clock.sleep(ms);
      },
    });
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      return times.length === 1 ? firstResponse() : ok();
    }));
    const clientSleeps: number[] = [];
    let wakeA!: () => void;
    const a = setup({
      clock, limiter,
      sleep: (ms) => {
        clientSleeps.push(ms);
        return new Promise<void>((resolve) => (wakeA = resolve));
      },
    });
    const b = setup({ clock, limiter });
    const pa = a.client.request({ url: URL_SSB });
    await vi.waitFor(() => expect(clientSleeps).toEqual([hold]));
    await b.client.request({ url: URL_SSB });
    expect(times).toEqual([WINTER_NOON, WINTER_NOON + hold]);
    expect(limiterSleeps).toEqual([hold]);
    wakeA();
    expect((await pa).attempts).toBe(2);
  });
});

describe('createHttpClient: quiet window', () => {
  const window = { from: '07:55', to: '08:15' };
  const OSLO_0815_WINTER = Date.parse('2026-01-15T07:15:00Z');
  const OSLO_0815_SUMMER = Date.parse('2026-07-15T06:15:00Z');

  it.each([
    ['winter: 07:58 Oslo is 06:58 UTC', '2026-01-15T06:58:00Z', OSLO_0815_WINTER],
    ['summer: 07:58 Oslo is 05:58 UTC', '2026-07-15T05:58:00Z', OSLO_0815_SUMMER],
  ])('%s → sleeps until 08:15 Oslo before calling', async (_name, start, expectedCallAt) => {
    const clock = fakeClock(Date.parse(start));
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      return ok();
    }));
    const { client } = setup({ clock, quietWindow: window });
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([17 * 60_000]);
    expect(times).toEqual([expectedCallAt]);
  });

  it('outside the window it calls at once', async () => {
    const clock = fakeClock(Date.parse('2026-07-15T06:58:00Z')); // 08:58 Oslo in summer
    serve('get', URL_SSB.split('?')[0]!, ok);
    const { client } = setup({ clock, quietWindow: window });
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([]);
  });

  it('a retry whose backoff ends inside the window waits for the window too', async () => {
    const clock = fakeClock(Date.parse('2026-01-15T06:54:59Z')); // 07:54:59 Oslo
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      return times.length === 1 ? new MswResponse(null, { status: 503 }) : ok();
    }));
    const { client } = setup({ clock, quietWindow: window });
    await client.request({ url: URL_SSB });
    expect(clock.sleeps).toEqual([1000, 20 * 60_000]); // 07:55:00 → 08:15:00
    expect(times).toEqual([Date.parse('2026-01-15T06:54:59Z'), OSLO_0815_WINTER]);
  });

  it('a limiter wait that ends inside the window gives the slot back and waits again', async () => {
    const clock = fakeClock(Date.parse('2026-01-15T06:54:30Z')); // 07:54:30 Oslo
    const limiter = new RateLimiter({ maxPerMinute: 1, now: clock.ms, sleep: clock.sleep });
    const times: number[] = [];
    server.use(http.get(URL_SSB.split('?')[0]!, () => {
      times.push(clock.ms());
      return ok();
    }));
    const { client } = setup({ clock, quietWindow: window, limiter });
    await client.request({ url: URL_SSB });
    await client.request({ url: URL_SSB });
    expect(times).toEqual([Date.parse('2026-01-15T06:54:30Z'), OSLO_0815_WINTER]);
  });

  it('rejects a malformed window when the client is created', () => {
    expect(() => setup({ quietWindow: { from: '7:55', to: '08:15' } })).toThrow(RangeError);
  });
});

describe('createHttpClient: outbound policy', () => {
  const BASE = 'https://kommune.example.no';

  it('refuses a private, loopback or plain-http URL before any attempt', async () => {
    const fetchSpy = vi.fn(globalThis.fetch);
    for (const url of ['https://127.0.0.1:5432/', 'https://169.254.169.254/latest/', 'https://[::1]:3000/metrics', 'https://0x7f000001:3000/x', 'http://example.no/', 'https://u:p@example.no/', 'https://localhost/']) {
      const { client } = setup({ fetch: fetchSpy, source: 'lots' });
      const err = await failure(client.request({ url }));
      expect(err).toMatchObject({ kind: 'blocked', attempts: 0 });
      expect(err.message).not.toContain('u:p@');
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('follows up to three redirects by hand, checking every hop', async () => {
    server.use(
      http.get(`${BASE}/a`, () => new MswResponse(null, { status: 301, headers: { location: '/b' } })),
      http.get(`${BASE}/b`, () => new MswResponse(null, { status: 302, headers: { location: 'https://cdn.example.no/c' } })),
      http.get('https://cdn.example.no/c', () => new MswResponse(null, { status: 307, headers: { location: 'https://cdn.example.no/d' } })),
      http.get('https://cdn.example.no/d', () => MswResponse.text('lots')),
    );
    const { client } = setup({ source: 'lots' });
    const res = await client.request({ url: `${BASE}/a` });
    expect(res).toMatchObject({ status: 200, text: 'lots', url: `${BASE}/a` });
  });

  it('a fourth redirect fails and is not retried', async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/loop`, () => {
      calls++;
      return new MswResponse(null, { status: 302, headers: { location: '/loop' } });
    }));
    const { client } = setup({ source: 'lots' });
    const err = await failure(client.request({ url: `${BASE}/loop` }));
    expect(err).toMatchObject({ kind: 'redirect', attempts: 1 });
    expect(calls).toBe(4);
  });

  it.each([
    ['plain http on loopback', 'http://127.0.0.1/admin'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/iam/'],
    ['an IPv4-mapped loopback', 'https://[::ffff:7f00:1]/'],
    ['a local name', 'https://db.internal/'],
  ])('a redirect to %s is refused at the hop', async (_name, location) => {
    server.use(http.get(`${BASE}/r`, () => new MswResponse(null, { status: 302, headers: { location } })));
    const { client } = setup({ source: 'lots' });
    const err = await failure(client.request({ url: `${BASE}/r` }));
    expect(err).toMatchObject({ kind: 'blocked', attempts: 1 });
  });

  it('a POST answered 303 continues as a GET without the body', async () => {
    let seen: { method: string; body: string } | undefined;
    server.use(
      http.post(`${BASE}/form`, () => new MswResponse(null, { status: 303, headers: { location: '/result' } })),
      http.get(`${BASE}/result`, async ({ request }) => {
        seen = { method: request.method, body: await request.text() };
        return MswResponse.json({ ok: true });
      }),
    );
    const { client } = setup({ source: 'lots' });
    await client.request({ url: `${BASE}/form`, method: 'POST', body: '{"q":1}' });
    expect(seen).toEqual({ method: 'GET', body: '' });
  });

  it('cuts off a body above maxBytes, declared or streamed, and does not retry', async () => {
    let streamed = 0;
    server.use(
      http.get(`${BASE}/declared`, () => new MswResponse('x'.repeat(2048), { headers: { 'content-length': '2048' } })),
      http.get(`${BASE}/streamed`, () =>
        new MswResponse(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              streamed += 1024;
              controller.enqueue(new Uint8Array(1024));
              if (streamed > 1024 * 1024) controller.close();
            },
          }),
        ),
      ),
    );
    const { client } = setup({ source: 'lots', maxBytes: 1000 });
    expect(await failure(client.request({ url: `${BASE}/declared` }))).toMatchObject({ kind: 'too-large', attempts: 1 });
    const err = await failure(client.request({ url: `${BASE}/streamed`, maxBytes: 4096 }));
    expect(err).toMatchObject({ kind: 'too-large', attempts: 1 });
    // The stream was cancelled soon after the limit, not read to its end.
    expect(streamed).toBeLessThan(64 * 1024);
  });

  it('a deadline bounds every attempt and wait of one request', async () => {
    serve('get', URL_SSB.split('?')[0]!, status(503));
    const { client, clock } = setup({ deadlineMs: 10_000, retries: 10 });
    const err = await failure(client.request({ url: URL_SSB }));
    // 1 + 2 + 4 s waited; the next 8 s backoff would pass the deadline, so it gives up.
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(err).toMatchObject({ kind: 'unavailable', attempts: 4 });
  });

  it('an aborted signal ends the request without further attempts', async () => {
    const calls = serve('get', URL_SSB.split('?')[0]!, async () => {
      await delay(2_000);
      return ok();
    });
    const controller = new AbortController();
    const { client } = setup({ retries: 3 });
    const p = client.request({ url: URL_SSB, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('source deadline')), 20);
    const err = await failure(p);
    expect(err.kind).toBe('timeout');
    expect(calls.count).toBe(1);
  });

  it('a limiter per host: a held limiter of one host does not hold another', async () => {
    const slow = new RateLimiter({ maxPerMinute: 60 });
    const fast = new RateLimiter({ maxPerMinute: 60 });
    let release!: () => void;
    server.use(
      http.get('https://slow.example.no/x', () => new Promise<Response>((r) => (release = () => r(MswResponse.text('slow'))))),
      http.get('https://fast.example.no/x', () => MswResponse.text('fast')),
    );
    const { client } = setup({ source: 'lots', limiter: (u) => (u.hostname === 'slow.example.no' ? slow : fast) });
    const pending = client.request({ url: 'https://slow.example.no/x' });
    expect((await client.request({ url: 'https://fast.example.no/x' })).text).toBe('fast');
    release();
    expect((await pending).text).toBe('slow');
  });
});
