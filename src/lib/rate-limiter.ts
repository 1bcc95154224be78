// A sliding-window limiter for one upstream host, shared by every call to that host. Time comes
// from the injected `now`/`sleep`, so tests drive it with a fake clock.

export interface RateLimiterOptions {
  /** Our own budget per sliding minute. Server headers can lower it, never raise it. */
  maxPerMinute: number;
  /** ms since the epoch; defaults to Date.now. */
  now?: () => number;
  /** defaults to a setTimeout-based sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** One call in flight at a time (default true): `release()` must follow every `acquire()`. */
  sequential?: boolean;
}

interface Quota {
  limit: number;
  windowMs: number;
}

/** What the last response said is left of the server's budget, counted from `at`. */
interface Remaining {
  at: number;
  remaining: number;
  windowMs: number;
  startedSince: number;
  /** When the budget is known to be renewed (Retry-After); else at + windowMs. */
  until: number;
}

const MINUTE = 60_000;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nonNegativeInt(v: string | null): number | undefined {
  if (v === null) return undefined;
  const t = v.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parses `40;w=60s` or the IETF list form `10, 10;w=1, 1000;w=3600`; items without `w` are skipped. */
export function parseRateLimitPolicy(v: string | null): Quota[] {
  if (!v) return [];
  const out: Quota[] = [];
  for (const item of v.split(',')) {
    const [limitPart, ...params] = item.split(';').map((s) => s.trim());
    const limit = nonNegativeInt(limitPart ?? null);
    const w = params.map((p) => /^w\s*=\s*(\d+(?:\.\d+)?)\s*s?$/i.exec(p)).find((m) => m !== null);
    if (limit === undefined || !w) continue;
    const windowMs = Number(w[1]) * 1000;
    if (windowMs > 0) out.push({ limit, windowMs });
  }
  return out;
}

export class RateLimiter {
  readonly maxPerMinute: number;
  readonly sequential: boolean;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Start times of recent calls, oldest first. */
  private starts: number[] = [];
  private serverQuotas: Quota[] = [];
  private remaining: Remaining | undefined;
  private blockedUntil = 0;
  private tail: Promise<void> = Promise.resolve();
  private held: (() => void) | undefined;

  constructor(opts: RateLimiterOptions) {
    if (!Number.isInteger(opts.maxPerMinute) || opts.maxPerMinute < 1) {
      throw new RangeError(`maxPerMinute must be a positive integer, got ${opts.maxPerMinute}`);
    }
    this.maxPerMinute = opts.maxPerMinute;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? defaultSleep;
    this.sequential = opts.sequential ?? true;
  }

  /**
   * Resolves when a call may start, and counts the call. Waiters are served first come, first
   * served. In sequential mode the next waiter is held until `release()`.
   */
  async acquire(): Promise<void> {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const previous = this.tail;
    this.tail = gate;
    await previous;
    try {
      await this.waitForSlot();
    } catch (err) {
      open();
      throw err;
    }
    this.starts.push(this.now());
    if (this.remaining) this.remaining.startedSince += 1;
    if (this.sequential) this.held = open;
    else open();
  }

  /** Ends the call in flight (sequential mode); a no-op otherwise. */
  release(): void {
    if (!this.sequential) return;
    const open = this.held;
    if (!open) throw new Error('RateLimiter.release() without a matching acquire()');
    this.held = undefined;
    open();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Reads x-ratelimit-limit/-remaining/-policy from a response to tighten the budget. */
  observe(headers: Headers): void {
    const policies = parseRateLimitPolicy(headers.get('x-ratelimit-policy'));
    const limit = nonNegativeInt(headers.get('x-ratelimit-limit'));
    const remaining = nonNegativeInt(headers.get('x-ratelimit-remaining'));
    // Without a policy we assume the server counts per minute, as SSB's documented limit does.
    const windowMs = policies[0]?.windowMs ?? MINUTE;
    const quotas = [...policies];
    if (limit !== undefined && !quotas.some((q) => q.limit === limit)) quotas.push({ limit, windowMs });
    // A limit of 0 carries no usable information (SSB's /config reports 0 while limiting).
    const usable = quotas.filter((q) => q.limit > 0);
    if (usable.length > 0) this.serverQuotas = usable;
    if (remaining !== undefined) {
      const at = this.now();
      this.remaining = { at, remaining, windowMs, startedSince: 0, until: at + windowMs };
    }
  }

  /**
   * No call starts before `untilMs` (this limiter's clock): for a Retry-After. The server has said
   * when to come back, so an exhausted x-ratelimit-remaining budget counts as renewed then.
   */
  blockUntil(untilMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, untilMs);
    if (this.remaining && this.remaining.startedSince >= this.remaining.remaining) {
      this.remaining.until = Math.min(this.remaining.until, untilMs);
    }
  }

  /** `blockUntil(now + ms)`. */
  blockFor(ms: number): void {
    this.blockUntil(this.now() + Math.max(0, ms));
  }

  /** Holds every call for `ms` (a 429 or 503 without Retry-After) without touching the budget. */
  pauseFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + Math.max(0, ms));
  }

  /** The calls per minute now allowed: maxPerMinute, or less if the server said so. */
  get effectivePerMinute(): number {
    const perMinute = this.serverQuotas
      .filter((q) => q.windowMs <= MINUTE)
      .map((q) => Math.floor((q.limit * MINUTE) / q.windowMs));
    return Math.min(this.maxPerMinute, ...perMinute);
  }

  /** ms until the next call may start (0 = now). */
  msUntilNextSlot(): number {
    const t = this.now();
    const quotas: Quota[] = [{ limit: this.maxPerMinute, windowMs: MINUTE }, ...this.serverQuotas];
    const longest = Math.max(...quotas.map((q) => q.windowMs));
    while (this.starts.length > 0 && this.starts[0]! + longest <= t) this.starts.shift();

    let wait = this.blockedUntil - t;
    for (const q of quotas) {
      const inWindow = this.starts.filter((s) => s + q.windowMs > t);
      // Once `limit` calls are in the window, the next may start when the oldest that must go leaves.
      if (inWindow.length >= q.limit) wait = Math.max(wait, inWindow[inWindow.length - q.limit]! + q.windowMs - t);
    }
    const r = this.remaining;
    if (r) {
      if (t >= r.until) this.remaining = undefined;
      else if (r.startedSince >= r.remaining) wait = Math.max(wait, r.until - t);
    }
    return Math.max(0, wait);
  }

  private async waitForSlot(): Promise<void> {
    for (let wait = this.msUntilNextSlot(); wait > 0; wait = this.msUntilNextSlot()) await this.sleep(wait);
  }
}
