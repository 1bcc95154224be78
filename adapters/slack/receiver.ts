import { createHash } from 'node:crypto';
import { ReceiverMultipleAckError, verifySlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { readCappedText } from '../../src/lib/body';
import type { Logger } from '../../src/lib/logger';
import { TtlSet } from '../../src/lib/ttl-set';

/**
 * A Bolt receiver with a Web-standard handler (Request → Response), so Hono serves Slack on the
 * service's own port (no second HTTP server). Modelled on Bolt's AwsLambdaReceiver: raw body read
 * once, ssl_check, signature, url_verification, a ReceiverEvent whose `ack` resolves the HTTP
 * response, then `app.processEvent`. Unlike the Lambda receiver it answers as soon as a listener
 * acks and lets the listener keep working (a long-lived Node process needs no waitUntil), answers
 * 200 on its own before Slack's 3-second deadline, and drops deliveries it has already taken.
 */

export interface SlackReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Answer 200 with an empty body if no listener acked by then; Slack gives up after 3 s. Default 2,500 ms. */
  ackTimeoutMs?: number;
  /** How long a delivery is remembered for duplicate detection. Default 10 minutes (Slack retries for about 5). */
  dedupeTtlMs?: number;
  /** Upper bound of remembered deliveries. Default 50,000. */
  dedupeMaxKeys?: number;
  /** Larger bodies get 413. Default 1 MiB (Slack payloads are a few kB; view submissions can reach ~100 kB). */
  maxBodyBytes?: number;
  /** Milliseconds since the epoch; the signature check and the dedupe clock. */
  now?: () => number;
}

/** Slack signs `v0:<timestamp>:<body>`; a request more than this far from our clock is refused. */
export const MAX_CLOCK_SKEW_S = 5 * 60;

const FORM = 'application/x-www-form-urlencoded';

type Body = Record<string, unknown>;

function jsonText(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return jsonText(status, JSON.stringify(body), headers);
}

function empty(status = 200, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

/**
 * The JSON text of each object a listener acks with, kept per object: a cached card is the same
 * object on every hit, so it is serialised once, not on every command (~50 µs for a kommune card).
 * An object given to ack() is therefore not to be changed afterwards (cached cards never are).
 */
const ackJson = new WeakMap<object, string>();

/** What a listener's `ack(x)` becomes on the wire. */
function ackResponse(response: unknown): Response {
  if (response === undefined || response === null || response === '') return empty();
  if (typeof response === 'string') return new Response(response, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (typeof response !== 'object') return json(200, response);
  let text = ackJson.get(response);
  if (text === undefined) ackJson.set(response, (text = JSON.stringify(response)));
  return jsonText(200, text);
}

/** Form bodies (slash commands, `payload=` interactivity) and JSON (Events API). Throws on malformed input. */
export function parseSlackBody(rawBody: string, contentType: string): Body {
  if (contentType === FORM) {
    const params = new URLSearchParams(rawBody);
    const payload = params.get('payload');
    if (payload !== null) return asObject(JSON.parse(payload));
    return Object.fromEntries(params);
  }
  return asObject(JSON.parse(rawBody));
}

function asObject(v: unknown): Body {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('Slack body is not an object');
  return v as Body;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * One key per Slack delivery, equal for a retry or a replay of it: the event_id for Events API
 * callbacks, the trigger_id for commands and interactivity (one per invocation), else a hash of
 * the signed timestamp and body.
 */
export function deliveryKey(body: Body, rawBody: string, timestamp: string): string {
  const type = str(body.type);
  const eventId = str(body.event_id);
  if (type === 'event_callback' && eventId) return `event:${eventId}`;
  const trigger = str(body.trigger_id);
  const command = str(body.command);
  if (command && trigger) return `command:${command}:${trigger}`;
  if (type && trigger) return `${type}:${trigger}`;
  return `raw:${createHash('sha256').update(`${timestamp}:${rawBody}`).digest('base64url')}`;
}

/** Fields for the log line of a delivery: never tokens, texts or user content. */
function describe(body: Body): Record<string, unknown> {
  const event = body.event as Body | undefined;
  const actions = body.actions as Body[] | undefined;
  return {
    slack_type: str(body.type) ?? (str(body.command) ? 'slash_command' : 'unknown'),
    ...(str(body.command) ? { command: body.command } : {}),
    ...(event && str(event.type) ? { event: event.type } : {}),
    ...(actions?.[0] && str(actions[0].action_id) ? { action: actions[0].action_id } : {}),
    ...(str(body.event_id) ? { event_id: body.event_id } : {}),
  };
}

export class SlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly signingSecret: string;
  private readonly logger: Logger;
  private readonly ackTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly now: () => number;
  private readonly seen: TtlSet;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(opts: SlackReceiverOptions) {
    if (!opts.signingSecret) throw new Error('SlackReceiver needs a signing secret');
    this.signingSecret = opts.signingSecret;
    this.logger = opts.logger;
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 2500;
    this.maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
    this.now = opts.now ?? Date.now;
    this.seen = new TtlSet(opts.dedupeTtlMs ?? 10 * 60_000, opts.dedupeMaxKeys ?? 50_000, this.now);
    this.handle = this.handle.bind(this);
  }

  init(app: App): void {
    this.app = app;
  }

  /** Nothing to listen on: Hono serves `handle`. */
  async start(): Promise<void> {}

  /** Waits (at most `timeoutMs`) for listeners still working after their ack, e.g. on shutdown. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Listeners still running (after or before their ack). */
  get pending(): number {
    return this.inFlight.size;
  }

  async handle(request: Request): Promise<Response> {
    if (request.method !== 'POST') return json(405, { code: 'METHOD_NOT_ALLOWED', message: 'Slack sends POST requests' }, { allow: 'POST' });
    // The signature is over these exact bytes: read once, before any parsing, and never more than
    // the cap (a chunked body is counted as it arrives, not read whole first).
    const rawBody = await readCappedText(request, this.maxBodyBytes);
    if (rawBody === null) return json(413, { code: 'TOO_LARGE', message: 'Request body too large' }, { connection: 'close' });
    const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

    // Slack's certificate probe for slash commands is not signed (Bolt's HTTPReceiver skips the
    // check too); it gets an empty 200 and nothing else happens.
    if (contentType === FORM && rawBody.includes('ssl_check=') && new URLSearchParams(rawBody).get('ssl_check') === '1') return empty();

    const timestamp = request.headers.get('x-slack-request-timestamp') ?? '';
    const problem = this.verify(request.headers.get('x-slack-signature'), timestamp, rawBody);
    if (problem) {
      this.logger.warn('slack request rejected', { reason: problem });
      return json(401, { code: 'INVALID_SIGNATURE', message: 'The Slack request signature could not be verified' });
    }

    let body: Body;
    try {
      body = parseSlackBody(rawBody, contentType);
    } catch {
      return json(400, { code: 'BAD_REQUEST', message: 'The Slack request body could not be parsed' });
    }
    if (body.type === 'url_verification') return json(200, { challenge: body.challenge });

    const app = this.app;
    if (!app) {
      this.logger.error('slack receiver used before a Bolt App was attached');
      return json(503, { code: 'NOT_READY', message: 'Slack app is not initialised' });
    }

    const retryNum = Number.parseInt(request.headers.get('x-slack-retry-num') ?? '', 10);
    const retryReason = request.headers.get('x-slack-retry-reason') ?? undefined;
    const key = deliveryKey(body, rawBody, timestamp);
    if (!this.seen.add(key)) {
      this.logger.info('slack duplicate delivery ignored', { ...describe(body), retry_num: Number.isNaN(retryNum) ? null : retryNum, retry_reason: retryReason ?? null });
      return empty();
    }
    return this.dispatch(app, body, key, Number.isNaN(retryNum) ? undefined : retryNum, retryReason);
  }

  /** Returns a reason to refuse, or null when the signature is good. */
  private verify(signature: string | null, timestamp: string, rawBody: string): string | null {
    if (!signature || !timestamp) return 'missing X-Slack-Signature or X-Slack-Request-Timestamp';
    // Slack sends whole seconds without leading zeros. Bolt signs `v0:${Number(timestamp)}:…`, so
    // "0<ts>" would verify under the genuine signature and, as the dedupe key of deliveries without
    // an event_id or trigger_id hashes the header text, be processed again as a new delivery.
    if (!/^[1-9]\d{0,11}$/.test(timestamp)) return 'malformed X-Slack-Request-Timestamp';
    // Bolt splits the header at every '=' and compares only the second part, so `v0=<hex>=junk`
    // would pass; Slack sends exactly `v0=` and 64 lower-case hex digits.
    if (!/^v0=[0-9a-f]{64}$/.test(signature)) return 'malformed X-Slack-Signature';
    const ts = Number(timestamp);
    const nowMs = this.now();
    // Bolt only refuses old timestamps; one from the future is as suspicious.
    if (Math.abs(nowMs / 1000 - ts) > MAX_CLOCK_SKEW_S) return 'timestamp more than 5 minutes from now';
    try {
      verifySlackRequest({
        signingSecret: this.signingSecret,
        body: rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': ts },
        nowMilliseconds: nowMs,
      });
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : 'signature mismatch';
    }
  }

  private dispatch(app: App, body: Body, key: string, retryNum: number | undefined, retryReason: string | undefined): Promise<Response> {
    return new Promise<Response>((resolve) => {
      let answered = false;
      let acked = false;
      const answer = (res: Response) => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(res);
      };
      const timer = setTimeout(() => {
        this.logger.warn('slack request not acknowledged in time; answered 200 and kept working', { ...describe(body), after_ms: this.ackTimeoutMs });
        answer(empty());
      }, this.ackTimeoutMs);

      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          if (acked) throw new ReceiverMultipleAckError();
          acked = true;
          if (answered) {
            this.logger.warn('slack ack came after the response was sent; its body is dropped', describe(body));
            return;
          }
          answer(ackResponse(response));
        },
        ...(retryNum !== undefined ? { retryNum } : {}),
        ...(retryReason !== undefined ? { retryReason } : {}),
      };

      const work = (async () => {
        try {
          await app.processEvent(event);
          if (!answered) {
            this.logger.warn('no slack listener handled the request', describe(body));
            answer(empty(404));
          }
        } catch (err) {
          this.logger.error('slack listener failed', { ...describe(body), acked, error: err });
          if (!answered) {
            // Not acked, so Slack sees a failure: forget the delivery so its retry is processed.
            this.seen.delete(key);
            answer(json(500, { code: 'INTERNAL', message: 'Internal error' }));
          }
        }
      })();
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
  }
}
