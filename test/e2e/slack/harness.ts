// The real Hono app with the Slack route mounted, on a scored PGlite runtime, and msw recording
// every call to Slack (response_url on hooks.slack.com and the Web API on slack.com/api).
import type { Hono } from 'hono';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { SlackApp } from '../../../adapters/slack/app';
import { slackMount, type SlackMountOptions } from '../../../adapters/slack/mount';
import { createApp } from '../../../src/http/app';
import { silentLogger, type Logger } from '../../../src/lib/logger';
import type { ReadModel } from '../../../src/services/read-model';
import { server, useMsw } from '../../support/msw';
import { useScoredRuntime } from '../../support/scored-runtime';
import { TEAM, TEST_BOT_TOKEN, TEST_SIGNING_SECRET } from '../../support/slack';

export interface ResponseUrlPost {
  url: string;
  body: { response_type?: string; replace_original?: boolean; text?: string; blocks?: Record<string, unknown>[] };
  at: number;
}

export interface WebApiCall {
  method: string;
  authorization: string | null;
  args: Record<string, unknown>;
  at: number;
}

/** The user's DM with tomte, as conversations.open answers it. */
export const DM_CHANNEL = 'D0TOMTEDM1';

export interface SlackRecorder {
  responseUrl: ResponseUrlPost[];
  webApi: WebApiCall[];
  /** Every outbound request msw saw, handled or not. */
  all: string[];
  reset(): void;
}

/** Web API args arrive form-encoded; object values (view, blocks) are JSON strings. */
function decodeArgs(text: string, contentType: string | null): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** Installs msw (unhandled requests fail the test) and records Slack calls per test. */
export function useSlackMocks(): SlackRecorder {
  useMsw();
  const rec: SlackRecorder = {
    responseUrl: [],
    webApi: [],
    all: [],
    reset() {
      rec.responseUrl.length = 0;
      rec.webApi.length = 0;
      rec.all.length = 0;
    },
  };
  beforeAll(() => {
    server.events.on('request:start', ({ request }) => void rec.all.push(`${request.method} ${request.url}`));
  });
  afterAll(() => server.events.removeAllListeners());
  beforeEach(() => {
    rec.reset();
    server.use(
      http.post('https://hooks.slack.com/*', async ({ request }) => {
        rec.responseUrl.push({ url: request.url, body: (await request.json()) as ResponseUrlPost['body'], at: Date.now() });
        return HttpResponse.text('ok');
      }),
      http.post('https://slack.com/api/:method', async ({ request, params }) => {
        const args = decodeArgs(await request.text(), request.headers.get('content-type'));
        rec.webApi.push({ method: String(params.method), authorization: request.headers.get('authorization'), args, at: Date.now() });
        return HttpResponse.json({ ok: true, ...(params.method === 'chat.postMessage' ? { channel: args.channel, ts: '1700000000.000100' } : {}), ...(params.method === 'conversations.open' ? { channel: { id: DM_CHANNEL } } : {}) });
      }),
    );
  });
  return rec;
}

/** A scored runtime on PGlite for the whole file. */
export function useReadModel(): { get(): ReadModel } {
  const runtime = useScoredRuntime();
  return { get: () => runtime.rm };
}

export interface Harness {
  app: Hono;
  slack: SlackApp;
}

/** createApp with the Slack route mounted, as adapters/node/main.ts does. */
export function makeHarness(getReadModel: () => ReadModel | null, extra?: SlackMountOptions['extra'], logger: Logger = silentLogger, web?: SlackMountOptions['web']): Harness {
  // The test workspace is configured, as TOMTE_SLACK_WORKSPACES would: no auth.test call per file.
  const { mount, slack } = slackMount({ signingSecret: TEST_SIGNING_SECRET, botToken: TEST_BOT_TOKEN, logger, defaultLang: 'nb', getReadModel, extra: { workspaces: [TEAM.id], ...extra }, ...(web ? { web } : {}) });
  if (!slack) throw new Error('slack not configured');
  return { app: createApp({ logger, ready: () => true, version: 'test', mounts: [mount] }), slack };
}

/** Waits until `check` returns a value (real timers). */
/**
 * The message a slash command's HTTP ack carries (Slack shows it as the answer). Fails when the
 * ack is not a JSON message.
 */
export async function ackMessage(res: Response): Promise<ResponseUrlPost['body']> {
  if (res.status !== 200) throw new Error(`ack status ${res.status}`);
  if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) throw new Error(`ack is not JSON: ${await res.text()}`);
  return (await res.json()) as ResponseUrlPost['body'];
}

export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets background listeners run to the end before asserting that nothing else happened. */
export const settle = (ms = 150): Promise<void> => new Promise((r) => setTimeout(r, ms));

export type Block = Record<string, unknown> & { type: string };

export function buttons(blocks: readonly Record<string, unknown>[] | undefined): { action_id: string; value: string; text: string }[] {
  return (blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as { action_id: string; value: string; text: { text: string } }[])
    .map((e) => ({ action_id: e.action_id, value: e.value, text: e.text.text }));
}

export function headerText(blocks: readonly Record<string, unknown>[] | undefined): string | undefined {
  const h = (blocks ?? []).find((b) => b.type === 'header') as { text: { text: string } } | undefined;
  return h?.text.text;
}
