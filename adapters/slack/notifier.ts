import type { Reply } from '../../src/chat/reply';
import { renderBlocks } from './blocks';

/**
 * Outbound alerts to Slack: chat.postMessage over the Web API with plain fetch, so pacing and
 * 429 handling are ours and testable. Slack allows about one message per second per channel
 * (short bursts tolerated) plus a workspace limit, and answers 429 with Retry-After.
 */

/** Errors that will not go away by retrying: the subscription should be paused with the reason. */
export const PERMANENT_ERRORS = [
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'token_revoked',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'missing_scope',
  'team_access_not_granted',
  'restricted_action',
] as const;

/**
 * Errors of this message (not of the channel): retrying the same message fails the same way. A
 * reply whose parent was deleted gets `thread_not_found` (the dispatcher then posts it top level).
 */
const MESSAGE_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'msg_blocks_too_long', 'no_text', 'invalid_arguments', 'too_many_attachments', 'thread_not_found', 'invalid_thread_ts']);

export type PostResult =
  | { ok: true; channel: string; ts: string }
  /** Pause the subscription and show `reason`. */
  | { ok: false; permanent: true; reason: string }
  /** Try again later (`retryable`), or drop this message (a bug in it) without pausing the channel. */
  | { ok: false; permanent: false; retryable: boolean; reason: string; retryAfterMs?: number };

export interface SlackNotifierOptions {
  /** Bot token (xoxb-…). */
  token: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** Minimum gap between two posts to one channel. Default 1,100 ms. */
  perChannelIntervalMs?: number;
  /** How many 429s one post waits out before giving up as transient. Default 3. */
  maxRateLimitRetries?: number;
  /** Longest Retry-After waited in place; longer ones are returned to the caller. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Default https://slack.com/api/ */
  apiUrl?: string;
}

export interface SlackNotifier {
  /**
   * Posts the rendered reply; resolves (never rejects) with what happened. `key` (a delivery's
   * idempotency key) travels in the message's metadata so `findByKey` can see it later.
   */
  post(channel: string, reply: Reply, key?: string, threadTs?: string): Promise<PostResult>;
  /**
   * The ts of a message this app posted to the channel (with `threadTs`: in that thread) since
   * `since` with this key in its metadata; null when there is none; undefined when Slack would not
   * say (missing scope, error).
   */
  findByKey(channel: string, key: string, since: Date, threadTs?: string): Promise<string | null | undefined>;
  /**
   * Shares a file in a channel the way the Web API's `files.uploadV2` does: an upload URL from
   * `files.getUploadURLExternal`, the bytes to it, then `files.completeUploadExternal` with the
   * channel (needs the `files:write` scope). Resolves with Slack's error when it fails; never rejects.
   */
  uploadFile(channel: string, bytes: Uint8Array, filename: string, title: string): Promise<{ ok: true; fileId: string } | { ok: false; reason: string }>;
  /**
   * `chat.unfurl`: cards for links in a message (`link_shared`), by the message's channel and ts or,
   * in the composer, by its unfurl_id and source (needs `links:write`). Never rejects.
   */
  unfurl(target: UnfurlTarget, unfurls: Record<string, { blocks: unknown[] }>): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** Where the links of a `link_shared` event were posted. */
export type UnfurlTarget = { channel: string; ts: string } | { unfurlId: string; source: string };

/** The metadata event type of tomte's alert messages. */
export const METADATA_EVENT_TYPE = 'tomte_delivery';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createSlackNotifier(opts: SlackNotifierOptions): SlackNotifier {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const interval = opts.perChannelIntervalMs ?? 1100;
  const maxRetries = opts.maxRateLimitRetries ?? 3;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const url = `${(opts.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/')}chat.postMessage`;
  /** Per channel: the tail of its queue and when it may post next. */
  const channels = new Map<string, { tail: Promise<unknown>; nextAt: number }>();
  /** A 429 is per method and workspace: every channel waits until then. */
  let blockedUntil = 0;

  async function waitUntil(at: number): Promise<void> {
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  }

  async function send(channel: string, reply: Reply, key: string | undefined, threadTs: string | undefined): Promise<PostResult> {
    const { text, blocks } = renderBlocks(reply);
    const metadata = key ? { event_type: METADATA_EVENT_TYPE, event_payload: { key } } : undefined;
    const body = JSON.stringify({ channel, text, blocks, unfurl_links: false, unfurl_media: false, ...(threadTs ? { thread_ts: threadTs } : {}), ...(metadata ? { metadata } : {}) });
    for (let attempt = 0; ; attempt++) {
      await waitUntil(Math.max(blockedUntil, channels.get(channel)?.nextAt ?? 0));
      let res: Response;
      try {
        res = await fetchFn(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json; charset=utf-8' },
          body,
        });
      } catch (err) {
        return { ok: false, permanent: false, retryable: true, reason: `network: ${err instanceof Error ? err.message : String(err)}` };
      } finally {
        const state = channels.get(channel);
        if (state) state.nextAt = now() + interval;
      }
      if (res.status === 429) {
        const retryAfterMs = Math.max(1, Number(res.headers.get('retry-after') ?? '1') || 1) * 1000;
        blockedUntil = Math.max(blockedUntil, now() + retryAfterMs);
        await res.body?.cancel();
        if (attempt >= maxRetries || retryAfterMs > maxRetryAfterMs) {
          return { ok: false, permanent: false, retryable: true, reason: 'ratelimited', retryAfterMs };
        }
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        return { ok: false, permanent: false, retryable: true, reason: `http_${res.status}` };
      }
      let data: { ok?: boolean; error?: string; ts?: string; channel?: string };
      try {
        data = (await res.json()) as typeof data;
      } catch {
        return { ok: false, permanent: false, retryable: true, reason: `http_${res.status}_not_json` };
      }
      if (data.ok && typeof data.ts === 'string') return { ok: true, channel: data.channel ?? channel, ts: data.ts };
      return classifyError(data.error ?? `http_${res.status}`);
    }
  }

  const api = (method: string) => `${(opts.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/')}${method}`;

  /** A form-encoded Web API call; its JSON answer, or the reason it failed. */
  async function call(method: string, params: Record<string, string>): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; reason: string }> {
    try {
      const res = await fetchFn(api(method), { method: 'POST', headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
      const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (data.ok === true) return { ok: true, data };
      return { ok: false, reason: typeof data.error === 'string' ? data.error : `http_${res.status}` };
    } catch (err) {
      return { ok: false, reason: `network: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  return {
    async unfurl(target, unfurls) {
      const where: Record<string, string> = 'unfurlId' in target ? { unfurl_id: target.unfurlId, source: target.source } : { channel: target.channel, ts: target.ts };
      const done = await call('chat.unfurl', { ...where, unfurls: JSON.stringify(unfurls) });
      return done.ok ? { ok: true } : done;
    },
    async uploadFile(channel, bytes, filename, title) {
      const ticket = await call('files.getUploadURLExternal', { filename, length: String(bytes.length) });
      if (!ticket.ok) return ticket;
      const uploadUrl = ticket.data.upload_url;
      const fileId = ticket.data.file_id;
      if (typeof uploadUrl !== 'string' || !uploadUrl.startsWith('https://') || typeof fileId !== 'string') return { ok: false, reason: 'no upload_url in files.getUploadURLExternal' };
      try {
        const res = await fetchFn(uploadUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes as Uint8Array<ArrayBuffer> });
        // Read the (small) answer rather than cancelling the body: cancelling hangs under msw.
        await res.text().catch(() => '');
        if (!res.ok) return { ok: false, reason: `upload http_${res.status}` };
      } catch (err) {
        return { ok: false, reason: `network: ${err instanceof Error ? err.message : String(err)}` };
      }
      const done = await call('files.completeUploadExternal', { files: JSON.stringify([{ id: fileId, title }]), channel_id: channel });
      return done.ok ? { ok: true, fileId } : done;
    },
    async findByKey(channel, key, since, threadTs) {
      // A thread's replies are not in the channel's history: conversations.replies lists them.
      const url = api(threadTs ? 'conversations.replies' : 'conversations.history');
      let cursor = '';
      for (let page = 0; page < 10; page++) {
        const params = new URLSearchParams({ channel, ...(threadTs ? { ts: threadTs } : {}), oldest: (since.getTime() / 1000).toFixed(6), include_all_metadata: 'true', limit: '200', ...(cursor ? { cursor } : {}) });
        let data: { ok?: boolean; messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } }[]; response_metadata?: { next_cursor?: string } };
        try {
          const res = await fetchFn(`${url}?${params}`, { headers: { authorization: `Bearer ${opts.token}` } });
          if (!res.ok) return undefined;
          data = (await res.json()) as typeof data;
        } catch {
          return undefined;
        }
        if (!data.ok) return undefined;
        const hit = (data.messages ?? []).find((m) => m.metadata?.event_type === METADATA_EVENT_TYPE && m.metadata.event_payload?.key === key);
        if (hit?.ts) return hit.ts;
        cursor = data.response_metadata?.next_cursor ?? '';
        if (!cursor) return null;
      }
      return undefined;
    },
    post(channel, reply, key, threadTs) {
      let state = channels.get(channel);
      if (!state) channels.set(channel, (state = { tail: Promise.resolve(), nextAt: 0 }));
      // One post at a time per channel, in call order; channels do not wait for each other.
      const result = state.tail
        .then(() => send(channel, reply, key, threadTs))
        .catch((err: unknown): PostResult => ({ ok: false, permanent: false, retryable: false, reason: `internal: ${err instanceof Error ? err.message : String(err)}` }));
      state.tail = result;
      return result;
    },
  };
}

/** Slack's `error` string → pause the subscription, drop the message, or try later. */
export function classifyError(error: string): Exclude<PostResult, { ok: true }> {
  if ((PERMANENT_ERRORS as readonly string[]).includes(error)) return { ok: false, permanent: true, reason: error };
  return { ok: false, permanent: false, retryable: !MESSAGE_ERRORS.has(error), reason: error };
}
