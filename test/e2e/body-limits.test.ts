// Request bodies are read with a cap before anything else, on the real Node server: a 300 MB
// chunked, unsigned POST to /slack/events or /api/messages gets 413 after the cap, and the
// server's memory does not follow the body. Before issue 15 the whole body was read first
// (RSS 881 MB → 1.50 GB for the same request).
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackMount, SLACK_MAX_BODY_BYTES } from '../../adapters/slack/mount';
import { SlackReceiver } from '../../adapters/slack/receiver';
import { createTeamsRoute } from '../../adapters/teams/route';
import type { BotFramework } from '../../adapters/teams/framework';
import type { TeamsBot } from '../../adapters/teams/bot';
import { teamsMount, TEAMS_MAX_BODY_BYTES } from '../../adapters/teams/mount';
import { createCronRoute } from '../../src/http/cron';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { TEST_BOT_TOKEN, TEST_SIGNING_SECRET, TEAM } from '../support/slack';
import { APP_ID, APP_PASSWORD, TENANT_ID } from '../support/teams';
import { rssAfterGc } from '../support/tls-server';
import { listenLocal, type Listening } from '../support/listen';

let server: Listening;
let port: number;

beforeAll(async () => {
  const slack = slackMount({ signingSecret: TEST_SIGNING_SECRET, botToken: TEST_BOT_TOKEN, logger: silentLogger, defaultLang: 'nb', getReadModel: () => null, extra: { workspaces: [TEAM.id] } });
  // Ready, so the body reaches the receiver's own read as well as the app-wide cap.
  const teams = teamsMount({ appId: APP_ID, password: APP_PASSWORD, tenantId: TENANT_ID, logger: silentLogger, defaultLang: 'nb', getRuntime: () => null });
  const cron = createCronRoute({ secret: 'cron-secret-0123456789', jobs: ['dispatch'], run: () => null });
  const app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [slack.mount, teams.mount, { path: '/cron', app: cron, maxBodyBytes: 1024 }] });
  server = await listenLocal(app);
  port = server.port;
});
afterAll(() => server.close());

/**
 * POSTs `total` bytes in 64 KiB chunks with Transfer-Encoding: chunked (no Content-Length),
 * honouring backpressure, until the server answers; resolves with the status and the bytes sent.
 */
function chunkedPost(path: string, total: number, headers: Record<string, string> = {}): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let done = false;
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', ...headers } });
    req.on('response', (res) => {
      done = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }));
      req.destroy();
    });
    req.on('error', (err) => (done ? undefined : reject(err)));
    const pump = () => {
      while (!done && sent < total) {
        const n = Math.min(chunk.length, total - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

describe('request bodies are capped before anything reads them', () => {
  it.each([
    ['/slack/events', SLACK_MAX_BODY_BYTES, {}],
    ['/api/messages', TEAMS_MAX_BODY_BYTES, { authorization: 'Bearer x.y.z' }],
  ])('a 300 MB chunked unsigned POST to %s answers 413, RSS growth under 20 MB', async (path, cap, headers) => {
    // One small over-cap request first, so the measurement is of a warmed server.
    expect((await chunkedPost(path, cap + 128 * 1024, headers)).status).toBe(413);
    const before = rssAfterGc();
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const { status, sent } = await chunkedPost(path, 300 * 1024 * 1024, headers);
    clearInterval(timer);
    const after = rssAfterGc();
    console.log(`${path}: 300 MB chunked POST → ${status} after ${(sent / 1048576).toFixed(1)} MB sent; RSS peak +${((peak - before) / 1048576).toFixed(1)} MB, after +${((after - before) / 1048576).toFixed(1)} MB`);
    expect(status).toBe(413);
    // The server stopped reading near the cap: the client got its answer long before 300 MB.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(peak - before).toBeLessThan(20 * 1024 * 1024);
    expect(after - before).toBeLessThan(20 * 1024 * 1024);
  });

  it('a body within the cap still reaches the route', async () => {
    // 503 NOT_READY: the route answered (this server has no read model), not the body limit.
    const { status } = await chunkedPost('/slack/events', 4 * 1024);
    expect(status).toBe(503);
  });

  it('the cron route takes no body: more than 1 KiB is 413 before the token is looked at', async () => {
    expect((await chunkedPost('/cron/dispatch', 8 * 1024)).status).toBe(413);
    expect((await chunkedPost('/cron/dispatch', 10)).status).toBe(401);
  });

  it('routes without a limit of their own get the default one', async () => {
    expect((await chunkedPost('/api/v1/kommuner', 1024 * 1024)).status).toBe(413);
  });
});

/** An endless request body; counts what was pulled and whether it was cancelled. */
function endlessBody() {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled += 16 * 1024;
      controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe('the routes cap their own reads too (mounted elsewhere, or called directly)', () => {
  it('the Slack receiver refuses an endless body after its cap, before the signature', async () => {
    const receiver = new SlackReceiver({ signingSecret: TEST_SIGNING_SECRET, logger: silentLogger, maxBodyBytes: 64 * 1024 });
    const { stream, state } = endlessBody();
    const res = await receiver.handle(new Request('https://tomte.test/slack/events', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit));
    expect(res.status).toBe(413);
    expect(state.cancelled).toBe(true);
    expect(state.pulled).toBeLessThan(256 * 1024);
  });

  it('the Teams route refuses an endless body after its cap, before authentication', async () => {
    let authenticated = 0;
    const framework = { authenticate: async () => ((authenticated++, {}) as never), runTurn: async () => {}, connectorToken: async () => '' } as unknown as BotFramework;
    const route = createTeamsRoute({ framework, bot: { onTurn: async () => undefined } as TeamsBot, logger: silentLogger, maxBodyBytes: 64 * 1024 });
    const { stream, state } = endlessBody();
    const res = await route.app.request('/messages', { method: 'POST', body: stream, duplex: 'half', headers: { 'content-type': 'application/json', authorization: 'Bearer a.b.c' } } as RequestInit);
    expect(res.status).toBe(413);
    expect(state.cancelled).toBe(true);
    expect(authenticated).toBe(0);
  });
});
