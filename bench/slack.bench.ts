/**
 * Slack benchmark: requests per second and p50/p99 latency of a signed `/tomte kommune Bodø`
 * through the full HTTP path (real @hono/node-server on 127.0.0.1 → createApp → Slack route →
 * SlackReceiver → Bolt → chat core on PGlite → Block Kit → the card in the HTTP ack; a response_url,
 * used only for slow answers, is mocked in-process, so no network), at 50 concurrent keep-alive
 * connections, next to
 *   (a) a bare Hono route in the same app, and
 *   (a') a Hono route that only reads the body and verifies the signature (the receiver's first steps),
 *   (b) the same receiver and Bolt App with a /tomte listener that acks a fixed reply: Bolt's floor.
 * Every request is signed with its own trigger_id (the receiver drops replays, so a repeated body
 * would measure the duplicate check). The load generator runs in a worker thread of this process
 * (node:http, keep-alive agent), so the server has the main thread to itself.
 * A component breakdown (signature, parse, Bolt dispatch, chat core, renderer) shows where a
 * request's time goes.
 *
 * Run: node --import tsx bench/slack.bench.ts   (or npm run bench slack)
 */
import { serve } from '@hono/node-server';
import { App } from '@slack/bolt';
import { Hono } from 'hono';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { runLoadWorker, SIGNED_SLASH_COMMAND } from './load';
import { migrateDatabase } from '../adapters/db/migrate';
import { openPglite } from '../adapters/db/pglite';
import { boltLogger } from '../adapters/slack/app';
import { renderBlocks } from '../adapters/slack/blocks';
import { slackMount } from '../adapters/slack/mount';
import { parseSlackBody, SlackReceiver } from '../adapters/slack/receiver';
import { createSlackRoute } from '../adapters/slack/route';
import { handleCommand } from '../src/chat/commands';
import { createApp } from '../src/http/app';
import { silentLogger } from '../src/lib/logger';
import { verifySlackRequest } from '@slack/bolt';
import { prepareRuntime } from '../test/support/runtime';
import type { Figure } from './report';
import { formatTable, type BenchResult, type BenchRow } from './scoring.bench';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const TOKEN = 'xoxb-0000000000-0000000000-benchbenchbenchbench';

export interface SlackBenchOptions {
  /** Concurrent keep-alive connections. Default 50. */
  connections?: number;
  /** Measured seconds per case. Default 8. */
  seconds?: number;
  /** Unmeasured seconds per case before measuring. Default 1. */
  warmupSeconds?: number;
  /** Skip the component breakdown (e.g. when profiling). */
  skipComponents?: boolean;
}

export interface LoadFigures {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SlackBenchResult extends BenchResult {
  bare: LoadFigures;
  /** (a') Hono route that reads the body and verifies the signature. */
  verifyOnly: LoadFigures;
  boltFloor: LoadFigures;
  full: LoadFigures;
  /** full rps / Bolt-floor rps (goal ≥ 0.8). */
  fullOverFloor: number;
  /** Bolt-floor rps / bare-Hono rps. */
  floorOverBare: number;
  /** response_url posts seen by the mock (one per full-path request). */
  responses: number;
  components: { step: string; usPerOp: number }[];
}

function load(port: number, path: string, o: Required<SlackBenchOptions>): Promise<LoadFigures> {
  return runLoadWorker(SIGNED_SLASH_COMMAND, { port, path, secret: SECRET, teamId: 'T0BENCH01', connections: o.connections, warmupSeconds: o.warmupSeconds, seconds: o.seconds, texts: ['kommune Bodø'], responseUrlBase: 'https://hooks.slack.com/commands/T0BENCH01/' });
}

function signedForm(text: string, seq: number): { body: string; headers: Headers } {
  const body = new URLSearchParams({
    token: 'bench',
    team_id: 'T0BENCH01',
    channel_id: 'C0BENCH01',
    user_id: 'U0BENCH01',
    command: '/tomte',
    text,
    response_url: `https://hooks.slack.com/commands/T0BENCH01/${seq}/x`,
    trigger_id: `2.${seq}.component`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { body, headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': sig, 'x-slack-request-timestamp': String(ts) }) };
}

async function perOp(n: number, fn: (i: number) => unknown): Promise<number> {
  if (n === 0) return NaN;
  for (let i = 0; i < Math.min(200, n); i++) await fn(i);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  return ((performance.now() - t0) * 1000) / n;
}

export async function runSlackBench(opts: SlackBenchOptions = {}): Promise<SlackBenchResult> {
  const o: Required<SlackBenchOptions> = { connections: opts.connections ?? 50, seconds: opts.seconds ?? 8, warmupSeconds: opts.warmupSeconds ?? 1, skipComponents: opts.skipComponents ?? false };
  const handle = await openPglite({});
  let server: ReturnType<typeof serve> | undefined;
  try {
    await migrateDatabase(handle);
    const { readModel } = await prepareRuntime(handle.db);

    // response_url, in-process: Bolt's respond() and WebClient use this fetch; nothing leaves the machine.
    let responses = 0;
    const fakeSlack = (async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.startsWith('https://hooks.slack.com/')) throw new Error(`bench: unexpected outbound call to ${url}`);
      responses++;
      return new Response('ok');
    }) as typeof fetch;

    // Full path: the service's own Slack mount.
    const full = slackMount({ signingSecret: SECRET, botToken: TOKEN, logger: silentLogger, defaultLang: 'nb', getReadModel: () => readModel, extra: { clientOptions: { fetch: fakeSlack }, workspaces: ['T0BENCH01'] } });
    // (b) Bolt's floor: the same receiver and Bolt, a listener that acks a fixed reply.
    const floorReceiver = new SlackReceiver({ signingSecret: SECRET, logger: silentLogger });
    const floorApp = new App({ receiver: floorReceiver, authorize: async () => ({ botToken: TOKEN }), logger: boltLogger(silentLogger), convoStore: false, clientOptions: { fetch: fakeSlack } });
    floorApp.command('/tomte', async ({ ack }) => {
      await ack({ response_type: 'ephemeral', text: 'ok' });
    });
    // (a) A bare Hono route, and (a') one that does the receiver's first steps: read the body, verify the signature.
    const bare = new Hono().post('/', (c) => c.body(null, 200));
    const verifyOnly = new Hono().post('/', async (c) => {
      const body = await c.req.text();
      verifySlackRequest({
        signingSecret: SECRET,
        body,
        headers: { 'x-slack-signature': c.req.header('x-slack-signature') ?? '', 'x-slack-request-timestamp': Number(c.req.header('x-slack-request-timestamp')) },
      });
      return c.body(null, 200);
    });

    const app = createApp({
      logger: silentLogger,
      ready: () => true,
      version: 'bench',
      mounts: [full.mount, { path: '/floor', app: createSlackRoute({ handle: floorReceiver.handle }) }, { path: '/bare', app: bare }, { path: '/verify', app: verifyOnly }],
    });
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    server = s;
    await new Promise<void>((resolve) => (s.listening ? resolve() : s.once('listening', () => resolve())));
    const port = (s.address() as AddressInfo).port;

    const bareFig = await load(port, '/bare', o);
    const verifyFig = await load(port, '/verify', o);
    const floorFig = await load(port, '/floor/events', o);
    const before = responses;
    const fullFig = await load(port, '/slack/events', o);
    await full.slack!.receiver.stop(10_000);
    const fullResponses = responses - before;

    // Where a full-path request's time goes, one step at a time on this thread.
    const N = o.skipComponents ? 0 : 2000;
    const forms = Array.from({ length: N + 200 }, (_, i) => signedForm('kommune Bodø', i));
    const reply = await handleCommand({ rm: readModel, lang: 'nb' }, 'kommune Bodø');
    const nowMs = Date.now();
    const components = [
      {
        step: 'verifySlackRequest (HMAC-SHA256)',
        usPerOp: await perOp(N, (i) =>
          verifySlackRequest({
            signingSecret: SECRET,
            body: forms[i]!.body,
            headers: { 'x-slack-signature': forms[i]!.headers.get('x-slack-signature')!, 'x-slack-request-timestamp': Number(forms[i]!.headers.get('x-slack-request-timestamp')) },
            nowMilliseconds: nowMs,
          }),
        ),
      },
      { step: 'parse form body', usPerOp: await perOp(N, (i) => parseSlackBody(forms[i]!.body, 'application/x-www-form-urlencoded')) },
      {
        step: 'Bolt processEvent, listener acks at once',
        usPerOp: await perOp(N, (i) => floorApp.processEvent({ body: parseSlackBody(forms[i]!.body, 'application/x-www-form-urlencoded'), ack: async () => {} })),
      },
      {
        step: 'Bolt processEvent, full /tomte listener (cached card, ack)',
        usPerOp: await perOp(N, (i) => full.slack!.app.processEvent({ body: parseSlackBody(forms[i]!.body, 'application/x-www-form-urlencoded'), ack: async () => {} })),
      },
      { step: 'handleCommand "kommune Bodø" (history memoised in the read model)', usPerOp: await perOp(N, () => handleCommand({ rm: readModel, lang: 'nb' }, 'kommune Bodø')) },
      { step: 'renderBlocks (card)', usPerOp: await perOp(N, () => renderBlocks(reply, { command: 'kommune Bodø' })) },
      { step: 'JSON.stringify of the card (once per cached card: the ack keeps the text per object)', usPerOp: await perOp(N, () => JSON.stringify({ response_type: 'ephemeral', ...renderBlocks(reply) })) },
    ];

    const fullOverFloor = fullFig.rps / floorFig.rps;
    const floorOverBare = floorFig.rps / bareFig.rps;
    const fig = (label: string, f: LoadFigures) => ({
      case: label,
      'req/s': Math.round(f.rps),
      'p50 ms': f.p50Ms.toFixed(2),
      'p99 ms': f.p99Ms.toFixed(2),
      'max ms': f.maxMs.toFixed(1),
      requests: f.requests,
      errors: f.errors,
    });
    const us = (f: LoadFigures) => Math.round(1e6 / f.rps);
    const row = (label: string, f: LoadFigures): BenchRow => ({ case: label, kommuner: 1, runs: f.requests, medianMs: f.p50Ms, usPerKommune: (1e6 / f.rps) });
    const table = [
      `${o.connections} keep-alive connections on 127.0.0.1, ${o.seconds} s measured after ${o.warmupSeconds} s warm-up per case; load generator in a worker thread; response_url mocked in-process.`,
      '',
      formatTable([
        fig('(a) bare Hono route', bareFig),
        fig("(a') Hono: read body + verify signature", verifyFig),
        fig('(b) Bolt floor: receiver + ack fixed reply', floorFig),
        fig('full: /tomte kommune Bodø → card in the ack', fullFig),
      ]),
      '',
      `full / Bolt floor: ${fullOverFloor.toFixed(2)} (goal ≥ 0.80)   Bolt floor / bare Hono: ${floorOverBare.toFixed(2)}   full p99 ${fullFig.p99Ms.toFixed(1)} ms (goal < 50 ms; Slack allows 3,000 ms)`,
      `response_url posts: ${fullResponses} for ${fullFig.requests} measured requests (plus warm-up)`,
      `Server time per request from throughput: bare ${us(bareFig)} µs, +body+HMAC ${us(verifyFig)} µs, Bolt floor ${us(floorFig)} µs, full ${us(fullFig)} µs.`,
      '',
      'Where the time goes (one request, serially, this thread):',
      formatTable(components.map((c) => ({ step: c.step, 'µs/op': c.usPerOp.toFixed(1) }))),
    ].join('\n');
    const figures: Figure[] = [
      {
        id: 'slack.full-rps',
        label: `signed /tomte kommune Bodø, full path to the card in the ack, ${o.connections} connections`,
        value: fullFig.rps,
        unit: 'req/s',
        comparison: { label: 'Bolt floor (same receiver, fixed ack)', value: floorFig.rps, unit: 'req/s' },
        ratio: fullOverFloor,
        ratioMeaning: 'full ÷ Bolt floor',
        decimals: 0,
        goal: { text: 'ratio ≥ 0.80', issue: 4, on: 'ratio', op: '>=', target: 0.8 },
        shortfall: {
          reason: `the full path answers with the whole card in the HTTP ack (a Block Kit JSON body of several KB), where the floor acks a fixed one-line reply, and it runs the chat lookup (cached card, its JSON text kept per card); per request that is ${((1e6 / fullFig.rps) - (1e6 / floorFig.rps)).toFixed(0)} µs more than the floor's ${(1e6 / floorFig.rps).toFixed(0)} µs. Both sides vary ±15 % between runs on this machine (see the range).`,
          fix: `a floor that acks a body of the same size would compare like with like; beyond that, the remaining cost is Bolt itself (its floor is ${floorOverBare.toFixed(2)} of a bare Hono route in this run), which only answering slash commands without Bolt on the hot path would remove.`,
        },
      },
      {
        id: 'slack.full-p99',
        label: `signed /tomte kommune Bodø, p99 latency at ${o.connections} connections`,
        value: fullFig.p99Ms,
        unit: 'ms',
        comparison: { label: 'Bolt floor p99', value: floorFig.p99Ms, unit: 'ms' },
        goal: { text: '< 50 ms', issue: 4, on: 'value', op: '<', target: 50 },
        shortfall: {
          reason: `with ${o.connections} connections each sending its next command as soon as the last is answered, latency is mostly queueing: mean latency ≈ connections ÷ throughput (Little's law) = ${((o.connections / fullFig.rps) * 1000).toFixed(1)} ms here, against a measured p50 of ${fullFig.p50Ms.toFixed(1)} ms. The tail above it is mostly the machine: the server's main thread, the load generator's worker thread and V8's GC helper threads share 2 cores, so a request can wait out another thread's time slice, and the floor, whose listener does nothing, shows a tail of the same size. On the 2-core AMD EPYC machine of 2026-12-06 two runs of the bench (three processes each) measured a p99 of 43–75 ms and 42–51 ms for the full path, 34–53 ms for the floor; on the Intel Xeon machine of issue 4's closing note the full path measured 23 ms.`,
          fix: 'the load generator on its own cores (another machine, or more cores) would measure the server alone; for the service itself, more throughput per request (see the ratio above) shortens the queue. Slack waits 3,000 ms for the ack.',
        },
      },
      {
        id: 'slack.floor',
        label: 'Bolt floor throughput',
        value: floorFig.rps,
        unit: 'req/s',
        comparison: { label: 'bare Hono route', value: bareFig.rps, unit: 'req/s' },
        ratio: floorOverBare,
        ratioMeaning: 'Bolt floor ÷ bare Hono',
        decimals: 0,
      },
    ];
    return {
      name: 'slack',
      figures,
      rows: [row('bare', bareFig), row('verify-only', verifyFig), row('bolt-floor', floorFig), row('full', fullFig)],
      table,
      bare: bareFig,
      verifyOnly: verifyFig,
      boltFloor: floorFig,
      full: fullFig,
      fullOverFloor,
      floorOverBare,
      responses: fullResponses,
      components,
    };
  } finally {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await handle.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runSlackBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
