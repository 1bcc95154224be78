import { describe, expect, it } from 'vitest';
import { parseRateLimitPolicy, RateLimiter } from '../../../src/lib/rate-limiter';

/** A clock that only moves when someone sleeps. */
function fakeClock(t0 = 0) {
  let t = t0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

function limiter(clock: ReturnType<typeof fakeClock>, extra: { maxPerMinute?: number; sequential?: boolean } = {}) {
  return new RateLimiter({ maxPerMinute: extra.maxPerMinute ?? 25, now: clock.now, sleep: clock.sleep, ...(extra.sequential === undefined ? {} : { sequential: extra.sequential }) });
}

/** Runs `n` calls one after another and returns the clock time at which each started. */
async function starts(l: RateLimiter, clock: ReturnType<typeof fakeClock>, n: number, between = 0): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await l.run(async () => {
      out.push(clock.now());
    });
    clock.advance(between);
  }
  return out;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RateLimiter', () => {
  it('lets 25 calls through at once and holds the 26th until the first leaves the minute', async () => {
    const clock = fakeClock(1_000);
    const l = limiter(clock);
    const t = await starts(l, clock, 30);
    expect(t.slice(0, 25)).toEqual(Array(25).fill(1_000));
    expect(t.slice(25)).toEqual(Array(5).fill(61_000));
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('slides the window: each call waits for the one 25 places before it', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    const t = await starts(l, clock, 27, 1_000); // one a second
    expect(t[24]).toBe(24_000);
    expect(t[25]).toBe(60_000); // call 0 left at 60 s
    expect(t[26]).toBe(61_000); // call 1 left at 61 s
  });

  it('serialises calls: the next acquire waits for release()', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    await l.acquire();
    let second = false;
    const p = l.acquire().then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    l.release();
    await p;
    expect(second).toBe(true);
    l.release();
  });

  it('serves waiters first come, first served', async () => {
    const clock = fakeClock();
    const l = limiter(clock, { maxPerMinute: 1 });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => l.run(async () => { order.push(i); })));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([60_000, 60_000]);
  });

  it('lets calls overlap when sequential is false, still counting them', async () => {
    const clock = fakeClock();
    const l = limiter(clock, { maxPerMinute: 2, sequential: false });
    await l.acquire();
    await l.acquire();
    expect(clock.sleeps).toEqual([]);
    await l.acquire();
    expect(clock.sleeps).toEqual([60_000]);
    l.release(); // a no-op without sequential
  });

  it('run() releases when the function throws', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    await expect(l.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(l.run(async () => 'next')).resolves.toBe('next');
  });

  it('release() without acquire() is a bug and throws', () => {
    expect(() => limiter(fakeClock()).release()).toThrow(/without a matching acquire/);
  });

  it('rejects a budget that is not a positive integer', () => {
    expect(() => new RateLimiter({ maxPerMinute: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ maxPerMinute: 2.5 })).toThrow(RangeError);
  });

  describe('observe()', () => {
    it('x-ratelimit-limit below our budget tightens it', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      l.observe(new Headers({ 'x-ratelimit-limit': '10' }));
      expect(l.effectivePerMinute).toBe(10);
      const t = await starts(l, clock, 11);
      expect(t[9]).toBe(0);
      expect(t[10]).toBe(60_000);
    });

    it('a server limit above maxPerMinute never loosens the budget', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      l.observe(new Headers({ 'x-ratelimit-limit': '40', 'x-ratelimit-policy': '40;w=60s' }));
      expect(l.effectivePerMinute).toBe(25);
      const t = await starts(l, clock, 26);
      expect(t[25]).toBe(60_000);
    });

    it('x-ratelimit-policy with a shorter window also limits bursts', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      l.observe(new Headers({ 'x-ratelimit-policy': '5;w=10s' }));
      const t = await starts(l, clock, 7);
      expect(t.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(t[5]).toBe(10_000);
      expect(t[6]).toBe(10_000);
    });

    it('x-ratelimit-remaining caps the calls until the server window has passed', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      clock.advance(5_000);
      // colleagues behind the same IP have used most of the budget
      l.observe(new Headers({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '2' }));
      const t = await starts(l, clock, 3);
      expect(t).toEqual([5_000, 5_000, 65_000]);
    });

    it('remaining 0 blocks for a whole window, unless a Retry-After says when', async () => {
      const a = fakeClock();
      const la = limiter(a);
      la.observe(new Headers({ 'x-ratelimit-remaining': '0' }));
      expect(await starts(la, a, 1)).toEqual([60_000]);

      const b = fakeClock();
      const lb = limiter(b);
      lb.observe(new Headers({ 'x-ratelimit-remaining': '0' }));
      lb.blockUntil(7_000);
      expect(await starts(lb, b, 1)).toEqual([7_000]);
    });

    it('remaining counts over the window named by x-ratelimit-policy', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      l.observe(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-policy': '5;w=10s' }));
      expect(await starts(l, clock, 1)).toEqual([10_000]);
    });

    it('pauseFor() holds calls but leaves an exhausted budget alone', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      l.observe(new Headers({ 'x-ratelimit-remaining': '0' }));
      l.pauseFor(2_000);
      expect(await starts(l, clock, 1)).toEqual([60_000]);
    });

    it('ignores absent, zero and garbage headers', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      l.observe(new Headers({ 'x-ratelimit-limit': '0', 'x-ratelimit-remaining': 'lots', 'x-ratelimit-policy': 'nonsense' }));
      l.observe(new Headers());
      expect(l.effectivePerMinute).toBe(25);
      expect(await starts(l, clock, 25)).toEqual(Array(25).fill(0));
    });

    it('a limit lowered after a burst waits in one sleep for enough calls to leave', async () => {
      const clock = fakeClock();
      const l = limiter(clock);
      expect(await starts(l, clock, 20, 1_000)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1_000));
      l.observe(new Headers({ 'x-ratelimit-limit': '10' }));
      // 20 calls are in the window; the 11th oldest (10 s) must leave before a 10th can start
      expect(await starts(l, clock, 1)).toEqual([70_000]);
      expect(clock.sleeps).toEqual([50_000]);
    });

    it('a later observation replaces the server limit (still capped by maxPerMinute)', () => {
      const l = limiter(fakeClock());
      l.observe(new Headers({ 'x-ratelimit-limit': '5' }));
      expect(l.effectivePerMinute).toBe(5);
      l.observe(new Headers({ 'x-ratelimit-limit': '20' }));
      expect(l.effectivePerMinute).toBe(20);
      l.observe(new Headers({ 'x-ratelimit-limit': '100' }));
      expect(l.effectivePerMinute).toBe(25);
    });
  });

  it('blockUntil() holds every call until then', async () => {
    const clock = fakeClock();
    const l = limiter(clock);
    l.blockUntil(7_000);
    l.blockUntil(3_000); // an earlier block never shortens a later one
    expect(await starts(l, clock, 2)).toEqual([7_000, 7_000]);
  });

  it('blockFor() counts from now', async () => {
    const clock = fakeClock(10_000);
    const l = limiter(clock);
    l.blockFor(4_000);
    expect(await starts(l, clock, 1)).toEqual([14_000]);
  });

  it('uses real time by default', async () => {
    const l = new RateLimiter({ maxPerMinute: 25 });
    const t0 = Date.now();
    await l.run(async () => {});
    l.blockFor(30);
    await l.run(async () => {});
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });
});

describe('parseRateLimitPolicy', () => {
  it.each([
    ['40;w=60s', [{ limit: 40, windowMs: 60_000 }]],
    ['40;w=60', [{ limit: 40, windowMs: 60_000 }]],
    ['10, 10;w=1, 1000;w=3600', [{ limit: 10, windowMs: 1_000 }, { limit: 1000, windowMs: 3_600_000 }]],
    ['40; w = 60s; comment="x"', [{ limit: 40, windowMs: 60_000 }]],
    ['', []],
    ['w=60s', []],
    ['-3;w=60s', []],
  ])('%j', (value, expected) => {
    expect(parseRateLimitPolicy(value)).toEqual(expected);
  });
});
