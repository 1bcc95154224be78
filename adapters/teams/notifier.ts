import type { Reply } from '../../src/chat/reply';
import { cardActivity } from './activity';
import { renderAdaptiveCard } from './cards';

/**
 * Proactive messages to Teams: POST {serviceUrl}v3/conversations/{id}/activities with a Bot
 * Connector token, plain fetch so pacing, retries and error classes are ours and testable.
 *
 * Limits (chat-anchors §3.2, msteams-docs rate-limit.md): per bot per conversation 7 sends/1 s,
 * 8/2 s, 60/30 s, 1,800/3,600 s; per app and tenant "tens of RPS" (30 in the docs) — we stay at 25/s.
 * Retry 429, 412, 502, 503 and 504 with exponential backoff and random jitter (Retry-After when
 * given). 403 (ConversationBlockedByUser, BotNotInConversationRoster, BotDisabledByAdmin, …) and
 * 404 ConversationNotFound are permanent: the conversation cannot be posted to.
 */

export type TeamsPostResult =
  | { ok: true; activityId: string }
  /** Stop posting to this conversation and show `reason` (e.g. "403 ConversationBlockedByUser"). */
  | { ok: false; permanent: true; reason: string }
  /** Try again later (`retryable`), or drop this message (a bug in it) and keep the conversation. */
  | { ok: false; permanent: false; retryable: boolean; reason: string; retryAfterMs?: number };

export interface ConversationTarget {
  conversationId: string;
  serviceUrl: string;
}

/** [max sends, window ms] that hold for every conversation. */
export const CONVERSATION_WINDOWS: readonly (readonly [number, number])[] = [
  [7, 1_000],
  [8, 2_000],
  [60, 30_000],
  [1_800, 3_600_000],
];
export const GLOBAL_WINDOWS: readonly (readonly [number, number])[] = [[25, 1_000]];

/** Statuses Microsoft says to retry (plus 503, which the connector uses during incidents). */
const RETRY_STATUSES = new Set([412, 429, 502, 503, 504]);

export interface TeamsNotifierOptions {
  /** A Bot Connector bearer token; `force` asks for a fresh one after a 401. */
  token: (force?: boolean) => Promise<string>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  conversationWindows?: readonly (readonly [number, number])[];
  globalWindows?: readonly (readonly [number, number])[];
  /** Attempts per message for retryable statuses, including the first. Default 5. */
  maxAttempts?: number;
  /** First backoff step; doubles per attempt, plus up to one step of jitter. Default 1,000 ms. */
  backoffMs?: number;
  /** Longest wait taken in place; a longer Retry-After is returned to the caller. Default 60 s. */
  maxWaitMs?: number;
}

export interface TeamsNotifier {
  /** Renders and posts the reply; resolves (never rejects) with what happened. */
  post(target: ConversationTarget, reply: Reply): Promise<TeamsPostResult>;
}

/** Send times inside the longest window; `delay` says how long until one more send is allowed. */
export class SlidingWindows {
  private readonly sent: number[] = [];
  private readonly longest: number;
  constructor(private readonly windows: readonly (readonly [number, number])[]) {
    this.longest = Math.max(...windows.map(([, ms]) => ms));
  }
  delay(at: number): number {
    while (this.sent.length > 0 && this.sent[0]! <= at - this.longest) this.sent.shift();
    let wait = 0;
    for (const [max, ms] of this.windows) {
      if (this.sent.length >= max) wait = Math.max(wait, this.sent[this.sent.length - max]! + ms - at);
    }
    return wait;
  }
  record(at: number): void {
    this.sent.push(at);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The connector's error body: `{ "error": { "code": "ConversationBlockedByUser", "message": "…" } }`. */
async function errorCode(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : '';
  } catch {
    return '';
  }
}

export function activitiesUrl(target: ConversationTarget): string {
  const base = target.serviceUrl.endsWith('/') ? target.serviceUrl : `${target.serviceUrl}/`;
  return `${base}v3/conversations/${encodeURIComponent(target.conversationId)}/activities`;
}

export function createTeamsNotifier(opts: TeamsNotifierOptions): TeamsNotifier {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoffMs = opts.backoffMs ?? 1_000;
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  const perConversation = new Map<string, { tail: Promise<unknown>; windows: SlidingWindows }>();
  const global = new SlidingWindows(opts.globalWindows ?? GLOBAL_WINDOWS);
  /** A 429 applies to the bot: every conversation waits until then. */
  let blockedUntil = 0;

  async function slot(windows: SlidingWindows): Promise<void> {
    for (;;) {
      const at = now();
      const wait = Math.max(windows.delay(at), global.delay(at), blockedUntil - at);
      if (wait <= 0) break;
      await sleep(wait);
    }
    const at = now();
    windows.record(at);
    global.record(at);
  }

  async function send(target: ConversationTarget, windows: SlidingWindows, reply: Reply): Promise<TeamsPostResult> {
    const body = JSON.stringify(cardActivity(renderAdaptiveCard(reply)));
    const url = activitiesUrl(target);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      await slot(windows);
      let res: Response;
      try {
        const token = await opts.token();
        res = await fetchFn(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' }, body });
      } catch (err) {
        return { ok: false, permanent: false, retryable: true, reason: `network: ${err instanceof Error ? err.message : String(err)}` };
      }
      if (res.ok) {
        let id = '';
        try {
          id = String(((await res.json()) as { id?: unknown }).id ?? '');
        } catch {
          // 201 without a body: sent, id unknown.
        }
        return { ok: true, activityId: id };
      }
      const code = await errorCode(res);
      const reason = `${res.status}${code ? ` ${code}` : ''}`;
      if (res.status === 401 && !refreshed) {
        // An expired or revoked token: one more try with a fresh one.
        refreshed = true;
        await opts.token(true).catch(() => '');
        continue;
      }
      if (res.status === 403 || res.status === 404) return { ok: false, permanent: true, reason };
      if (RETRY_STATUSES.has(res.status)) {
        const header = res.headers.get('retry-after');
        const retryAfterMs = header !== null && Number.isFinite(Number(header)) ? Math.max(0, Number(header) * 1000) : undefined;
        const backoff = backoffMs * 2 ** (attempt - 1) + random() * backoffMs;
        const wait = Math.max(retryAfterMs ?? 0, backoff);
        if (res.status === 429) blockedUntil = Math.max(blockedUntil, now() + (retryAfterMs ?? backoff));
        if (attempt >= maxAttempts || wait > maxWaitMs) return { ok: false, permanent: false, retryable: true, reason, retryAfterMs: wait };
        await sleep(wait);
        continue;
      }
      // 400 (bad activity), 413 MessageSizeTooBig, a second 401, 500: not this conversation's fault.
      return { ok: false, permanent: false, retryable: res.status === 401 || res.status >= 500, reason };
    }
  }

  return {
    post(target, reply) {
      let state = perConversation.get(target.conversationId);
      if (!state) perConversation.set(target.conversationId, (state = { tail: Promise.resolve(), windows: new SlidingWindows(opts.conversationWindows ?? CONVERSATION_WINDOWS) }));
      const { windows } = state;
      // One send at a time per conversation, in call order; conversations do not wait for each other.
      const result = state.tail
        .then(() => send(target, windows, reply))
        .catch((err: unknown): TeamsPostResult => ({ ok: false, permanent: false, retryable: false, reason: `internal: ${err instanceof Error ? err.message : String(err)}` }));
      state.tail = result;
      return result;
    },
  };
}
