// The one HTTP helper and the one retry loop of the codebase (style anchor 11). Callers parse and
// validate the text; this file owns the outbound policy (every URL and redirect hop checked),
// timeouts and the overall deadline, retries, Retry-After, rate limits, quiet hours and the
// response-size cap.
import { readStreamCapped } from './body';
import { blockedErrorIn, checkUrlForm, DEFAULT_OUTBOUND_POLICY, type OutboundPolicy } from './outbound-policy';
import { assertClockWindow, msUntilOutsideWindow, type ClockWindow } from './oslo-time';
import type { RateLimiter } from './rate-limiter';

export type UpstreamErrorKind =
  | 'http'
  | 'network'
  | 'timeout'
  | 'rate-limited'
  | 'unavailable'
  /** The response was larger than the request's byte limit; it was cut off, not read whole. */
  | 'too-large'
  /** The outbound policy refused the URL or a redirect hop (see outbound-policy.ts). */
  | 'blocked'
  /** More than MAX_REDIRECTS redirects, or one without a usable Location. */
  | 'redirect';

export interface UpstreamErrorInit {
  kind: UpstreamErrorKind;
  source: string;
  url: string;
  method: string;
  attempts: number;
  status?: number;
  title?: string;
  bodyLength?: number;
  bodySha256?: string;
  bodyKind?: BodyKind;
  cause?: unknown;
}

/**
 * What an error body was, by its media type and first bytes — never its content: an HTML page
 * (an IIS or proxy error page), a JSON document, other text, or nothing.
 */
export type BodyKind = 'html' | 'json' | 'text' | 'empty';

export function bodyKindOf(contentType: string | null, text: string): BodyKind {
  const head = text.trimStart().slice(0, 64).toLowerCase();
  if (head === '') return 'empty';
  if (/html/i.test(contentType ?? '') || head.startsWith('<!doctype html') || head.startsWith('<html')) return 'html';
  if (/json/i.test(contentType ?? '') || head.startsWith('{') || head.startsWith('[')) return 'json';
  return 'text';
}

/**
 * A failed outside call. It never carries the upstream's body: a body can hold anything (an
 * internal server's 403 with credentials), and errors travel to logs and to users. What remains
 * is its length and a hash, enough to tell two failures apart.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  readonly source: string;
  readonly url: string;
  readonly method: string;
  readonly status?: number;
  /** Attempts made, the failing one included. */
  readonly attempts: number;
  /** The problem title of a JSON error body, only from clients with `problemTitles` (SSB). */
  readonly title?: string;
  /** Bytes of the error response's body, when there was one. */
  readonly bodyLength?: number;
  /** SHA-256 (hex) of the error response's body, when there was one. */
  readonly bodySha256?: string;
  /** What kind of body the error response had (HTML page, JSON, text, none); not its content. */
  readonly bodyKind?: BodyKind;

  constructor(message: string, init: UpstreamErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.source = init.source;
    this.url = init.url;
    this.method = init.method;
    this.attempts = init.attempts;
    if (init.status !== undefined) this.status = init.status;
    if (init.title !== undefined) this.title = init.title;
    if (init.bodyLength !== undefined) this.bodyLength = init.bodyLength;
    if (init.bodySha256 !== undefined) this.bodySha256 = init.bodySha256;
    if (init.bodyKind !== undefined) this.bodyKind = init.bodyKind;
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
  /** Largest response body accepted, in bytes; overrides the client's maxBytes. */
  maxBytes?: number;
  /** Aborts the request (every attempt and wait) when it fires, e.g. a per-source deadline. */
  signal?: AbortSignal;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  /** 'ssb' | 'kartverket' | …; upper-cased at the start of error messages. */
  source: string;
  /**
   * Makes one request. Redirects are followed here, by hand (`redirect: 'manual'`), so each hop is
   * checked; on Node the composition passes a fetch whose connections go to checked addresses.
   */
  fetch: typeof fetch;
  /** Where requests may go (https only, no private addresses; TOMTE_FETCH_ALLOW). Default: no exceptions. */
  policy?: OutboundPolicy;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Per attempt, the body read included. Default 30 s. */
  timeoutMs?: number;
  /** Every attempt and wait of one request together; unset: no overall limit beyond the retries. */
  deadlineMs?: number;
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** Backoff base: base·2^retry·(0.5+random), capped at 60 s. Default 1 s. */
  backoffMs?: number;
  /** Largest response body, in bytes; larger ones are cut off and fail with kind too-large. Default 20 MiB. */
  maxBytes?: number;
  /** One limiter for every call, or one per URL (per host: one slow host must not hold the others). */
  limiter?: RateLimiter | ((url: URL) => RateLimiter | undefined);
  /** Oslo time ('HH:MM'); each attempt waits until the window has ended. */
  quietWindow?: ClockWindow;
  /** Called for every response received, error statuses included, so callers can archive it. */
  onResponse?: (res: HttpResponse) => void | Promise<void>;
  /** Called before each wait (limiter, quiet window, retry backoff), with when it ends on `now()`'s clock; for progress lines. */
  onWait?: (w: HttpWait) => void;
  userAgent?: string;
  /**
   * Put the `title` of a JSON problem body (RFC 9457) into the error: only for publishers whose
   * titles are meant for us (SSB's say which parameter is wrong). Off: upstream text stays out.
   */
  problemTitles?: boolean;
}

export interface HttpWait {
  reason: 'rate-limit' | 'quiet-window' | 'retry';
  untilMs: number;
}

export const DEFAULT_USER_AGENT = 'tomte/0.1';
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** Redirects followed per attempt; each hop is checked against the outbound policy. */
export const MAX_REDIRECTS = 3;
const MAX_BACKOFF_MS = 60_000;
const MAX_RETRY_AFTER_MS = 5 * 60_000;
const MAX_URL_IN_MESSAGE = 300;
const MAX_TITLE = 160;
/** Bounds the re-checks of the quiet window, so a clock that does not move cannot spin forever. */
const MAX_QUIET_CHECKS = 4;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Our own words for common statuses: an upstream's status text is its text, not ours. */
const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 410: 'Gone', 500: 'Internal Server Error', 501: 'Not Implemented' };

type Attempt =
  | { ok: true; response: Response; bytes: Uint8Array; text: string }
  | { ok: false; kind: 'network' | 'timeout' | 'too-large' | 'blocked' | 'redirect'; cause: unknown };

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
    // eslint-disable-next-line no-control-regex -- control characters are not for log lines
    const str = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_TITLE) : undefined);
    const title = str(o.title);
    const detail = str(o.detail);
    return { ...(title ? { title } : {}), ...(detail ? { detail } : {}) };
  } catch {
    return {};
  }
}

/** The URL for messages: no user name or password, cut to a readable length. */
function shortUrl(url: string): string {
  let safe = url;
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      safe = u.toString();
    }
  } catch {
    // Not a URL: the request itself will say so.
  }
  return safe.length > MAX_URL_IN_MESSAGE ? `${safe.slice(0, MAX_URL_IN_MESSAGE)}…` : safe;
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

class TooLargeError extends Error {
  override readonly name = 'TooLargeError';
}

class RedirectError extends Error {
  override readonly name = 'RedirectError';
}

/**
 * Reads a body up to `max` bytes. A declared Content-Length above it, or the running count passing
 * it, stops the read and cancels the stream: at most `max` bytes are ever held.
 */
async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > max) {
    void response.body?.cancel().catch(() => {});
    throw new TooLargeError(`declared ${declared} bytes, the limit is ${max}`);
  }
  const bytes = await readStreamCapped(response.body, max);
  if (!bytes) throw new TooLargeError(`more than ${max} bytes`);
  return bytes;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const decoder = new TextDecoder();

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  // Called unbound: Workers throws "Illegal invocation" when fetch runs as a method of another object.
  const doFetch = opts.fetch;
  const now = opts.now ?? (() => new Date());
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = opts.retries ?? 4;
  const backoffMs = opts.backoffMs ?? 1000;
  const maxBytesDefault = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const policy = opts.policy ?? DEFAULT_OUTBOUND_POLICY;
  const { quietWindow, onResponse, onWait } = opts;
  const limiterFor = (url: URL): RateLimiter | undefined => (typeof opts.limiter === 'function' ? opts.limiter(url) : opts.limiter);
  const label = opts.source.toUpperCase();
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`retries must be a non-negative integer, got ${retries}`);
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (opts.deadlineMs !== undefined && !(opts.deadlineMs > 0)) throw new RangeError(`deadlineMs must be positive, got ${opts.deadlineMs}`);
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
  async function waitTurn(limiter: RateLimiter | undefined): Promise<void> {
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

  /**
   * One attempt: the request and any redirects, each hop checked against the policy before it is
   * made, then the body read up to `maxBytes`, all within `attemptMs`.
   */
  async function attemptOnce(url: string, init: RequestInit, attemptMs: number, maxBytes: number, outer: AbortSignal | undefined): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${attemptMs} ms`));
    }, attemptMs);
    const onOuter = () => controller.abort(outer?.reason ?? new Error('aborted'));
    if (outer?.aborted) onOuter();
    outer?.addEventListener('abort', onOuter, { once: true });
    try {
      let current = new URL(url);
      let hopInit: RequestInit = init;
      for (let hop = 0; ; hop++) {
        checkUrlForm(current, policy.allow);
        const response = await raceAbort(doFetch(current.toString(), { ...hopInit, redirect: 'manual', signal: controller.signal }), controller.signal);
        if (!REDIRECT_STATUSES.has(response.status)) {
          const bytes = await raceAbort(readCapped(response, maxBytes), controller.signal);
          return { ok: true, response, bytes, text: decoder.decode(bytes) };
        }
        void response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        if (hop >= MAX_REDIRECTS) throw new RedirectError(`more than ${MAX_REDIRECTS} redirects`);
        if (!location) throw new RedirectError(`${response.status} without a Location`);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new RedirectError(`${response.status} to an unreadable Location`);
        }
        // As browsers do: 303 (and 301/302 after a POST) continue as a GET without the body.
        const method = (hopInit.method ?? 'GET').toUpperCase();
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          const headers = new Headers(hopInit.headers);
          headers.delete('content-type');
          hopInit = { ...hopInit, method: 'GET', headers, body: null };
        }
        current = next;
      }
    } catch (cause) {
      const blocked = blockedErrorIn(cause);
      if (blocked) return { ok: false, kind: 'blocked', cause: blocked };
      if (cause instanceof TooLargeError) return { ok: false, kind: 'too-large', cause };
      if (cause instanceof RedirectError) return { ok: false, kind: 'redirect', cause };
      return { ok: false, kind: timedOut ? 'timeout' : 'network', cause };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
      // Whatever was not read (a cut-off body, a redirect's) is dropped with its connection.
      if (!controller.signal.aborted) controller.abort(new Error('attempt finished'));
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const { url } = req;
    // A malformed URL or a GET body would make fetch throw a TypeError that looks like a network error.
    const parsed = new URL(url);
    if (method === 'GET' && req.body !== undefined) throw new TypeError('A GET request cannot have a body');
    const where = `(${method} ${shortUrl(url)})`;
    // Refused before any wait or attempt; fetching checks every hop again.
    try {
      checkUrlForm(parsed, policy.allow);
    } catch (err) {
      throw new UpstreamError(`${label} ${err instanceof Error ? err.message : String(err)} ${where}`, { kind: 'blocked', source: opts.source, url, method, attempts: 0, cause: err });
    }
    const headers = new Headers({ 'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT, accept: 'application/json' });
    if (req.body !== undefined) headers.set('content-type', 'application/json');
    for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k, v);
    const init: RequestInit = { method, headers, ...(req.body !== undefined ? { body: req.body } : {}) };
    const maxBytes = req.maxBytes ?? maxBytesDefault;
    const limiter = limiterFor(parsed);
    const deadline = opts.deadlineMs === undefined ? Infinity : now().getTime() + opts.deadlineMs;
    const remaining = () => deadline - now().getTime();
    const deadlineError = (attempts: number, cause?: unknown) =>
      new UpstreamError(`${label} deadline of ${opts.deadlineMs} ms passed ${where}`, { kind: 'timeout', source: opts.source, url, method, attempts, ...(cause !== undefined ? { cause } : {}) });
    const aborted = (attempts: number) =>
      new UpstreamError(`${label} request aborted ${where}`, { kind: 'timeout', source: opts.source, url, method, attempts, cause: req.signal?.reason });

    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw aborted(attempt - 1);
      await waitTurn(limiter);
      let result: Attempt;
      let attemptMs = timeoutMs;
      try {
        if (remaining() <= 0) throw deadlineError(attempt - 1);
        attemptMs = Math.max(1, Math.min(timeoutMs, remaining()));
        result = await attemptOnce(url, init, attemptMs, maxBytes, req.signal);
        if (result.ok) limiter?.observe(result.response.headers);
      } finally {
        limiter?.release();
      }

      let error: UpstreamError;
      let retryable: boolean;
      let retryAfterMs: number | undefined;
      if (result.ok) {
        const { response, text, bytes } = result;
        const res: HttpResponse = { url, method, status: response.status, headers: response.headers, text, attempts: attempt, fetchedAt: now() };
        await onResponse?.(res);
        if (response.status >= 200 && response.status < 300) return res;

        const kind = statusKind(response.status);
        const { title, detail } = opts.problemTitles ? problemOf(text) : {};
        const reason = title
          ? `${title}${detail ? ` (${detail})` : ''}`
          : kind === 'rate-limited' ? 'rate limited'
          : kind === 'unavailable' ? 'unavailable'
          : (REASONS[response.status] ?? '');
        error = new UpstreamError(`${label} ${response.status}${reason ? `: ${reason}` : ''} ${where}`, {
          kind, source: opts.source, url, method, attempts: attempt, status: response.status,
          ...(title ? { title } : {}),
          ...(bytes.byteLength > 0 ? { bodyLength: bytes.byteLength, bodySha256: await sha256Hex(bytes) } : {}),
          bodyKind: bodyKindOf(response.headers.get('content-type'), text),
        });
        retryable = retryableStatus(response.status, method);
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now().getTime());
      } else if (result.kind === 'blocked' || result.kind === 'too-large' || result.kind === 'redirect') {
        // The same request would meet the same refusal, size or redirect chain again.
        const what = result.kind === 'too-large' ? `response too large (${result.cause instanceof Error ? result.cause.message : ''})` : result.cause instanceof Error ? result.cause.message : String(result.cause);
        throw new UpstreamError(`${label} ${what} ${where}`, { kind: result.kind, source: opts.source, url, method, attempts: attempt, cause: result.cause });
      } else {
        if (req.signal?.aborted) throw aborted(attempt);
        if (result.kind === 'timeout' && remaining() <= 0) throw deadlineError(attempt, result.cause);
        const what = result.kind === 'timeout' ? `timeout after ${attemptMs} ms` : `network error: ${innermostMessage(result.cause)}`;
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
      // Waiting past the deadline helps nobody: give up with the error in hand.
      if (delay >= remaining()) throw error;
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

/** The message of the deepest cause: fetch's "fetch failed" says less than ECONNREFUSED below it. */
function innermostMessage(err: unknown): string {
  let e: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; depth < 5 && e instanceof Error && e.cause !== undefined; depth++) {
    e = e.cause;
    if (e instanceof Error && e.message) message = `${message} (${e.message})`;
  }
  return message;
}
