// The one HTTP helper and the one retry loop of the codebase (style anchor 11). Callers parse and
// validate the text; this file owns timeouts, retries, Retry-After, rate limits and quiet hours.
import { assertClockWindow, msUntilOutsideWindow, type ClockWindow } from './oslo-time';
import type { RateLimiter } from './rate-limiter';

export type UpstreamErrorKind = 'http' | 'network' | 'timeout' | 'rate-limited' | 'unavailable';

export interface UpstreamErrorInit {
  kind: UpstreamErrorKind;
  source: string;
  url: string;
  method: string;
  attempts: number;
  status?: number;
  title?: string;
  body?: string;
  cause?: unknown;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  readonly source: string;
  readonly url: string;
  readonly method: string;
  readonly status?: number;
  /** Attempts made, the failing one included. */
  readonly attempts: number;
  /** The problem title from a JSON error body (SSB: {"type","title","status"}). */
  readonly title?: string;
  /** The response body, cut to MAX_ERROR_BODY characters; onResponse receives it whole. */
  readonly body?: string;

  constructor(message: string, init: UpstreamErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.source = init.source;
    this.url = init.url;
    this.method = init.method;
    this.attempts = init.attempts;
    if (init.status !== undefined) this.status = init.status;
    if (init.title !== undefined) this.title = init.title;
    if (init.body !== undefined) this.body = init.body;
  }
}

export interface HttpResponse {
  /** The URL requested (not the one after redirects). */
  url: string;
  method: string;
  status: number;
  headers: Headers;
  text: string;
  /** Which attempt this response came from, 1-based. */
  attempts: number;
  fetchedAt: Date;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  /** 'ssb' | 'kartverket' | …; upper-cased at the start of error messages. */
  source: string;
  fetch: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Per attempt, the body read included. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** Backoff base: base·2^retry·(0.5+random), capped at 60 s. Default 1 s. */
  backoffMs?: number;
  limiter?: RateLimiter;
  /** Oslo time ('HH:MM'); each attempt waits until the window has ended. */
  quietWindow?: ClockWindow;
  /** Called for every response received, error statuses included, so callers can archive it. */
  onResponse?: (res: HttpResponse) => void | Promise<void>;
  /** Called before each wait (limiter, quiet window, retry backoff), with when it ends on `now()`'s clock; for progress lines. */
  onWait?: (w: HttpWait) => void;
  userAgent?: string;
}

export interface HttpWait {
  reason: 'rate-limit' | 'quiet-window' | 'retry';
  untilMs: number;
}

export const DEFAULT_USER_AGENT = 'tomte/0.1';
export const MAX_ERROR_BODY = 4096;
const MAX_BACKOFF_MS = 60_000;
const MAX_RETRY_AFTER_MS = 5 * 60_000;
const MAX_URL_IN_MESSAGE = 300;
/** Bounds the re-checks of the quiet window, so a clock that does not move cannot spin forever. */
const MAX_QUIET_CHECKS = 4;

type Attempt =
  | { ok: true; response: Response; text: string }
  | { ok: false; kind: 'network' | 'timeout'; cause: unknown };

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retry-After as a delay in ms: delta-seconds or an HTTP date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  // Date.parse accepts odd strings such as "1"; an HTTP date always names a month or weekday.
  if (!/[a-z]{3}/i.test(v)) return undefined;
  // HTTP dates are GMT; the asctime form names no zone and Date.parse would read it as local time.
  const at = Date.parse(/\b(GMT|UTC)\b/i.test(v) ? v : `${v} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function problemOf(text: string): { title?: string; detail?: string } {
  if (!text.trimStart().startsWith('{')) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object') return {};
    const o = v as Record<string, unknown>;
    const str = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined);
    const title = str(o.title);
    const detail = str(o.detail);
    return { ...(title ? { title } : {}), ...(detail ? { detail } : {}) };
  } catch {
    return {};
  }
}

function shortUrl(url: string): string {
  return url.length > MAX_URL_IN_MESSAGE ? `${url.slice(0, MAX_URL_IN_MESSAGE)}…` : url;
}

function statusKind(status: number): UpstreamErrorKind {
  if (status === 429) return 'rate-limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'http';
}

/** 429 and 503 mean the request was not processed, so even a POST may be repeated. */
function retryableStatus(status: number, method: string): boolean {
  if (status === 429 || status === 503) return true;
  return method === 'GET' && (status === 502 || status === 504);
}

/** Rejects with `signal.reason` once the signal aborts, even if `p` ignores the signal. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  p.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  // Called unbound: Workers throws "Illegal invocation" when fetch runs as a method of another object.
  const doFetch = opts.fetch;
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = opts.retries ?? 4;
  const backoffMs = opts.backoffMs ?? 1000;
  const { limiter, quietWindow, onResponse, onWait } = opts;
  const label = opts.source.toUpperCase();
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be a non-negative integer, got ${retries}`);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (quietWindow) assertClockWindow(quietWindow);

  async function waitOutQuietWindow(): Promise<void> {
    if (!quietWindow) return;
    for (let i = 0; i < MAX_QUIET_CHECKS; i++) {
      const ms = msUntilOutsideWindow(now(), quietWindow);
      if (ms <= 0) return;
      onWait?.({ reason: 'quiet-window', untilMs: now().getTime() + ms });
      await sleep(ms);
    }
  }

  /** Waits out the quiet window and takes a limiter slot; a slot that lands inside the window is given back. */
  async function waitTurn(): Promise<void> {
    for (let i = 0; ; i++) {
      await waitOutQuietWindow();
      if (!limiter) return;
      const ms = onWait ? limiter.msUntilNextSlot() : 0;
      if (ms > 0) onWait?.({ reason: 'rate-limit', untilMs: now().getTime() + ms });
      await limiter.acquire();
      if (!quietWindow || i >= MAX_QUIET_CHECKS || msUntilOutsideWindow(now(), quietWindow) === 0) return;
      limiter.release();
    }
  }

  async function attemptOnce(url: string, init: RequestInit): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      const response = await raceAbort(doFetch(url, { ...init, signal: controller.signal }), controller.signal);
      const text = await raceAbort(response.text(), controller.signal);
      return { ok: true, response, text };
    } catch (cause) {
      return { ok: false, kind: timedOut ? 'timeout' : 'network', cause };
    } finally {
      clearTimeout(timer);
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const { url } = req;
    // A malformed URL or a GET body would make fetch throw a TypeError that looks like a network error.
    new URL(url);
    if (method === 'GET' && req.body !== undefined) throw new TypeError('A GET request cannot have a body');
    const headers = new Headers({ 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT, accept: 'application/json' });
    if (req.body !== undefined) headers.set('content-type', 'application/json');
    for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);
    const init: RequestInit = { method, headers, ...(req.body !== undefined ? { body: req.body } : {}) };
    const where = `(${method} ${shortUrl(url)})`;

    for (let attempt = 1; ; attempt++) {
      await waitTurn();
      let result: Attempt;
      try {
        result = await attemptOnce(url, init);
        if (result.ok) limiter?.observe(result.response.headers);
      } finally {
        limiter?.release();
      }

      let error: UpstreamError;
      let retryable: boolean;
      let retryAfterMs: number | undefined;
      if (result.ok) {
        const { response, text } = result;
        const res: HttpResponse = { url, method, status: response.status, headers: response.headers, text, attempts: attempt, fetchedAt: now() };
        await onResponse?.(res);
        if (response.status >= 200 && response.status < 300) return res;

        const kind = statusKind(response.status);
        const { title, detail } = problemOf(text);
        const reason = title
          ? `${title}${detail ? ` (${detail})` : ''}`
          : kind === 'rate-limited' ? 'rate limited'
          : kind === 'unavailable' ? 'unavailable'
          : response.statusText;
        error = new UpstreamError(`${label} ${response.status}${reason ? `: ${reason}` : ''} ${where}`, {
          kind, source: opts.source, url, method, attempts: attempt, status: response.status,
          ...(title ? { title } : {}),
          ...(text ? { body: text.slice(0, MAX_ERROR_BODY) } : {}),
        });
        retryable = retryableStatus(response.status, method);
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now().getTime());
      } else {
        const what = result.kind === 'timeout' ? `timeout after ${timeoutMs} ms` : `network error: ${result.cause instanceof Error ? result.cause.message : String(result.cause)}`;
        error = new UpstreamError(`${label} ${what} ${where}`, {
          kind: result.kind, source: opts.source, url, method, attempts: attempt, cause: result.cause,
        });
        // The server may have acted on a POST that failed in transit; only GET is safe to repeat.
        retryable = method === 'GET';
      }

      if (!retryable || attempt > retries) throw error;
      const delay = retryAfterMs !== undefined
        ? Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)
        : Math.min(Math.round(backoffMs * 2 ** (attempt - 1) * (0.5 + random())), MAX_BACKOFF_MS);
      // The host as a whole is overloaded or limiting us: hold every call that shares the limiter.
      if (limiter && error.status !== undefined) {
        if (retryAfterMs !== undefined) limiter.blockFor(delay);
        else limiter.pauseFor(delay);
      }
      if (delay > 0) {
        onWait?.({ reason: 'retry', untilMs: now().getTime() + delay });
        await sleep(delay);
      }
    }
  }

  return { request };
}
