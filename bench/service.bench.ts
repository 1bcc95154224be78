/**
 * Service benchmark (issue 9, load and memory): the real service, started the way a user starts it
 * (`npm start`, with Slack configured), on the embedded database (PGlite, a fresh data directory)
 * and on PostgreSQL (a temporary database on TOMTE_BENCH_PG_URL, default
 * postgres://postgres@127.0.0.1:5432/test, dropped afterwards). For each backend:
 *
 *   1. cold start: spawn `npm start` on an empty database (migrations, snapshot load, scoring)
 *      and send a signed `/tomte kommune Bodø` every 100 ms until its answer arrives at the
 *      response_url: the time from spawn to that answer;
 *   2. warm start: stop it (SIGTERM), start it again on the same database, the same measure;
 *   3. idle RSS of the service's node process 5 s after its first answer (schedule on, as shipped);
 *   4. load: 200 keep-alive connections send signed `/tomte kommune <random kommune>` (one of the
 *      357, a fresh signature and trigger id each) for 60 s after a 5 s warm-up; latency is to the
 *      HTTP answer (the ack). Every ack must carry the card naming the kommune asked for, or say
 *      "Jobber med det…" — then the card must arrive at the response_url; a wrong ack, a missing
 *      or a wrong card is an error;
 *   5. RSS after the load (and its peak, VmHWM), then SIGTERM: the service must exit 0.
 *
 * The response_url is an HTTP server in this process (Slack's side of the conversation); the load
 * generator is a worker thread of this process. On a 2-core machine all three share the cores with
 * the service, so the figures are a floor for the service alone. RSS is read from /proc (Linux).
 *
 * Run: node --import tsx bench/service.bench.ts [seconds]   (or npm run bench service)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseKommunerCsv } from '../src/sources/snapshot/kommuner';
import { temporaryDatabase } from '../test/support/db';
import { FORM, slackRequest, slashCommandBody, TEAM } from '../test/support/slack';
import { runLoadWorker, SIGNED_SLASH_COMMAND } from './load';
import type { Figure } from './report';
import { formatTable, type BenchResult } from './scoring.bench';
import type { LoadFigures } from './slack.bench';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-0000000000-0000000000-benchbenchbenchbench';
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface ServiceBenchOptions {
  /** Concurrent keep-alive connections. Default 200. */
  connections?: number;
  /** Measured seconds of load. Default 60. */
  seconds?: number;
  warmupSeconds?: number;
  /** Seconds between the first answer and the idle RSS reading. Default 5. */
  idleSeconds?: number;
  /** PostgreSQL base URL; null skips PostgreSQL. */
  pgUrl?: string | null;
}

interface BackendRun {
  backend: 'pglite' | 'postgres';
  coldStartMs: number;
  warmStartMs: number;
  idleRssMB: number | null;
  load: LoadFigures & { okTotal: number; counts: Record<string, number> };
  /** Acks that said "Jobber med det…" (the card follows at the response_url). */
  deferred: number;
  /** Cards that reached the response_url (for deferred commands). */
  cards: number;
  wrongCards: number;
  missingCards: number;
  rssAfterMB: number | null;
  peakRssMB: number | null;
  exitCode: number | null;
}

export interface ServiceBenchResult extends BenchResult {
  backends: BackendRun[];
  postgresSkipped: string | null;
}

/** Reads a /proc status field in MB (Linux); null elsewhere. */
export function procMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The node process running the service under `npm start` (npm → sh → node adapters/node/run.mjs main). */
export function findServicePid(root: number): number | null {
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      // The shell's command line names the entry too; the service is the node process running it.
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/(^|\/)node$/.test(argv[0] ?? '') && argv.includes('adapters/node/run.mjs') && argv.includes('main')) return pid;
      for (const t of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) if (t) queue.push(Number(t));
    } catch {
      // gone, or not Linux
    }
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Slack's side: receives respond() posts at /r/<tag>/<seq> and remembers which kommune each was for. */
class ResponseUrlServer {
  readonly server: Server;
  cards = 0;
  wrong = 0;
  firstAnswerAt: number | null = null;
  constructor(private readonly expectFor: (tag: string) => string | null) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const tag = decodeURIComponent(req.url?.split('/')[2] ?? '');
        const expected = this.expectFor(tag);
        if (tag === 'first' && this.firstAnswerAt === null && body.includes('Bodø')) this.firstAnswerAt = performance.now();
        if (tag !== 'first') {
          this.cards++;
          if (expected === null || !body.includes(expected)) this.wrong++;
        }
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  }
  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return (this.server.address() as AddressInfo).port;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

interface Started {
  child: ChildProcess;
  pid: number;
  firstAnswerMs: number;
  stop: () => Promise<number | null>;
}

/** `npm start` with Slack configured; resolves once a signed command has been answered (in the ack or at the response_url). */
async function startService(env: Record<string, string>, port: number, rurl: ResponseUrlServer, rurlPort: number, logFile: string): Promise<Started> {
  const log = openSync(logFile, 'a');
  const base: Record<string, string | undefined> = { ...process.env };
  delete base.DATABASE_URL;
  delete base.NODE_OPTIONS;
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    // The workspace is configured, so no auth.test call to Slack is needed.
    env: { ...base, PORT: String(port), TOMTE_HOST: '127.0.0.1', SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, TOMTE_SLACK_WORKSPACES: TEAM.id, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r((exited = code))));
  rurl.firstAnswerAt = null;
  let seq = 0;
  const deadline = t0 + 180_000;
  while (rurl.firstAnswerAt === null) {
    if (exited !== undefined) throw new Error(`service exited with ${exited} before answering; see ${logFile}`);
    if (performance.now() > deadline) {
      // Never leave the service running behind a failed benchmark (it would weigh on the next one).
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`no answer within 180 s; see ${logFile}`);
    }
    const body = slashCommandBody({ text: 'kommune Bodø', response_url: `http://127.0.0.1:${rurlPort}/r/first/${++seq}` });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { ...slackRequest(body, FORM, { secret: SECRET }), signal: AbortSignal.timeout(5000) });
      // The card comes back in the ack (or, if slow, at the response_url: the server notes that).
      if (res.status === 200 && (await res.text()).includes('1804 Bodø') && rurl.firstAnswerAt === null) rurl.firstAnswerAt = performance.now();
    } catch {
      // not listening yet
    }
    if (rurl.firstAnswerAt === null) await sleep(100);
  }
  const firstAnswerMs = rurl.firstAnswerAt - t0;
  const pid = findServicePid(child.pid!) ?? child.pid!;
  const stop = async (): Promise<number | null> => {
    if (exited !== undefined) return exited;
    process.kill(pid, 'SIGTERM');
    const code = await Promise.race([exit, sleep(20_000).then(() => 'timeout' as const)]);
    if (code === 'timeout') {
      process.kill(-child.pid!, 'SIGKILL');
      return null;
    }
    return code;
  };
  return { child, pid, firstAnswerMs, stop };
}

async function runBackend(backend: 'pglite' | 'postgres', env: Record<string, string>, o: Required<Omit<ServiceBenchOptions, 'pgUrl'>>, kommuner: { code: string; name: string }[], logFile: string): Promise<BackendRun> {
  const byCode = new Map(kommuner.map((k) => [k.code, k.name]));
  const rurl = new ResponseUrlServer((tag) => byCode.get(tag) ?? null);
  const rurlPort = await rurl.listen();
  const port = await freePort();
  try {
    const cold = await startService(env, port, rurl, rurlPort, logFile);
    const coldCode = await cold.stop();
    if (coldCode !== 0) throw new Error(`service exited with ${coldCode} on SIGTERM after the cold start; see ${logFile}`);
    const svc = await startService(env, port, rurl, rurlPort, logFile);
    let exitCode: number | null = null;
    try {
      await sleep(o.idleSeconds * 1000);
      const idleRssMB = procMB(svc.pid, 'VmRSS');
      // One command text per kommune; the ack must name it, or the response_url card must (its
      // code is in the response_url path).
      const texts = kommuner.map((k) => `kommune ${k.code}`);
      const load = await runLoadWorker(SIGNED_SLASH_COMMAND, {
        port,
        path: '/slack/events',
        secret: SECRET,
        // The service serves this workspace only (TOMTE_SLACK_WORKSPACES); any other is refused.
        teamId: TEAM.id,
        texts,
        expects: kommuner.map((k) => k.name),
        deferredMarker: 'Jobber med det',
        tags: kommuner.map((k) => k.code),
        responseUrlBase: `http://127.0.0.1:${rurlPort}/r/`,
        connections: o.connections,
        warmupSeconds: o.warmupSeconds,
        seconds: o.seconds,
      });
      // respond() posts follow the acks; wait until they stop arriving.
      let last = -1;
      for (let i = 0; i < 100 && rurl.cards !== last; i++) {
        last = rurl.cards;
        await sleep(200);
      }
      const rssAfterMB = procMB(svc.pid, 'VmRSS');
      const peakRssMB = procMB(svc.pid, 'VmHWM');
      exitCode = await svc.stop();
      return {
        backend,
        coldStartMs: cold.firstAnswerMs,
        warmStartMs: svc.firstAnswerMs,
        idleRssMB,
        load,
        deferred: load.counts.deferred ?? 0,
        cards: rurl.cards,
        wrongCards: rurl.wrong,
        missingCards: Math.max(0, (load.counts.deferred ?? 0) - rurl.cards),
        rssAfterMB,
        peakRssMB,
        exitCode,
      };
    } finally {
      if (exitCode === null) await svc.stop();
    }
  } finally {
    await rurl.close();
  }
}

export async function runServiceBench(opts: ServiceBenchOptions = {}): Promise<ServiceBenchResult> {
  const o = { connections: opts.connections ?? 200, seconds: opts.seconds ?? 60, warmupSeconds: opts.warmupSeconds ?? 5, idleSeconds: opts.idleSeconds ?? 5 };
  const pgUrl = opts.pgUrl === undefined ? process.env.TOMTE_BENCH_PG_URL || DEFAULT_PG_URL : opts.pgUrl;
  const kommuner = parseKommunerCsv(readFileSync(join(ROOT, 'data/kommuner-2024.csv'), 'utf8')).map((k) => ({ code: k.code, name: k.name }));
  const work = mkdtempSync(join(tmpdir(), 'tomte-service-bench-'));
  const results: BackendRun[] = [];
  let postgresSkipped: string | null = pgUrl ? null : 'no PostgreSQL URL';
  try {
    results.push(await runBackend('pglite', { TOMTE_DATA_DIR: join(work, 'data') }, o, kommuner, join(work, 'pglite.log')));
    if (pgUrl) {
      let tmp: Awaited<ReturnType<typeof temporaryDatabase>> | null = null;
      try {
        tmp = await temporaryDatabase(pgUrl, 'tomte_bench');
      } catch (err) {
        postgresSkipped = `${pgUrl} not reachable (${err instanceof Error ? err.message : String(err)})`;
      }
      if (tmp) {
        try {
          results.push(await runBackend('postgres', { DATABASE_URL: tmp.url }, o, kommuner, join(work, 'postgres.log')));
        } finally {
          await tmp.drop();
        }
      }
    }
  } finally {
    if (existsSync(work) && !process.env.TOMTE_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }

  const mb = (v: number | null) => (v === null ? 'n/a' : v.toFixed(0));
  const errorsOf = (r: BackendRun) => r.load.errors + r.wrongCards + r.missingCards;
  const table = [
    `npm start with Slack configured; ${o.connections} keep-alive connections of signed /tomte kommune <random of ${kommuner.length}> for ${o.seconds} s after ${o.warmupSeconds} s warm-up; latency to the ack; every ack checked for the kommune's card (or "Jobber med det…" and then the card at the response_url).`,
    '',
    formatTable(
      results.map((r) => ({
        backend: r.backend,
        'cold start → answer (s)': (r.coldStartMs / 1000).toFixed(2),
        'warm start → answer (s)': (r.warmStartMs / 1000).toFixed(2),
        'idle RSS (MB)': mb(r.idleRssMB),
        'req/s': Math.round(r.load.rps),
        'p50 ms': r.load.p50Ms.toFixed(1),
        'p99 ms': r.load.p99Ms.toFixed(1),
        'max ms': r.load.maxMs.toFixed(0),
        requests: r.load.requests,
        'errors (http or wrong ack/missing/wrong card)': `${r.load.errors}/${r.missingCards}/${r.wrongCards}`,
        'answered later via response_url': r.deferred,
        'RSS after (MB)': mb(r.rssAfterMB),
        'peak RSS (MB)': mb(r.peakRssMB),
        'exit on SIGTERM': String(r.exitCode),
      })),
    ),
    ...(postgresSkipped ? ['', `PostgreSQL: skipped, ${postgresSkipped}.`] : []),
  ].join('\n');

  const figures: Figure[] = results.flatMap((r): Figure[] => {
    const b = r.backend;
    const list: Figure[] = [
      {
        id: `service.${b}.errors`,
        label: `load, ${b}: errors (non-200, wrong ack, missing or wrong card) in ${o.seconds} s at ${o.connections} connections`,
        value: errorsOf(r),
        unit: 'errors',
        comparison: { label: 'commands answered', value: r.load.requests, unit: 'requests' },
        decimals: 0,
        goal: { text: '0', issue: 9, on: 'value', op: '=', target: 0 },
      },
      {
        id: `service.${b}.p99`,
        label: `load, ${b}: p99 latency, signed /tomte kommune <random>, ${o.connections} connections`,
        value: r.load.p99Ms,
        unit: 'ms',
        comparison: { label: 'p50', value: r.load.p50Ms, unit: 'ms' },
        goal: { text: '< 100 ms on 2 cores', issue: 9, on: 'value', op: '<', target: 100 },
        shortfall: {
          reason: `with ${o.connections} connections each sending its next command as soon as the last is answered, latency is queueing: mean latency ≈ connections ÷ throughput (Little's law), so p99 under 100 ms needs roughly ${Math.round(o.connections / 0.05).toLocaleString('en-US')} req/s — about ${(o.connections / 0.05 / Math.max(1, r.load.rps)).toFixed(1)}× what one Node process reaches here while it shares the 2 cores with the load generator. A CPU profile of the service under this load (node --cpu-prof, 15 s window, after the card moved into the ack) puts its time in: the per-request JSON log line 23 % (since batched into one write per event-loop turn), writing the HTTP response 19 %, the signed-request receiver 15 % (HMAC check 7.5 %), Bolt's middleware chain 14.5 %, garbage collection 5 %; the card itself comes from the per-kommune cache with its JSON text kept.`,
          fix: "a second instance behind the load balancer or more cores (the service is stateless apart from the database; PostgreSQL serves several instances); answering slash commands without Bolt's middleware chain on the hot path. Slack itself waits 3,000 ms for the ack, and a real workspace sends a few commands a second, not 200 at once.",
        },
      },
      { id: `service.${b}.max`, label: `load, ${b}: max latency`, value: r.load.maxMs, unit: 'ms', decimals: 0 },
      { id: `service.${b}.rps`, label: `load, ${b}: throughput`, value: r.load.rps, unit: 'req/s', decimals: 0 },
      {
        id: `service.${b}.rss`,
        label: `${b}: RSS of the service after the load`,
        value: r.rssAfterMB ?? NaN,
        unit: 'MB',
        comparison: { label: 'idle RSS before the load', value: r.idleRssMB ?? NaN, unit: 'MB' },
        ratio: r.rssAfterMB !== null && r.idleRssMB !== null ? r.rssAfterMB / r.idleRssMB : null,
        ratioMeaning: 'after ÷ before',
        decimals: 0,
      },
      { id: `service.${b}.idle-rss`, label: `${b}: idle RSS of the service (5 s after its first answer)`, value: r.idleRssMB ?? NaN, unit: 'MB', decimals: 0 },
      {
        id: `service.${b}.cold-start`,
        label: `${b}: npm start on an empty database → first answered command`,
        value: r.coldStartMs / 1000,
        unit: 's',
        comparison: { label: 'warm start (database already loaded)', value: r.warmStartMs / 1000, unit: 's' },
        ratio: r.coldStartMs / r.warmStartMs,
        ratioMeaning: 'cold ÷ warm',
      },
    ];
    return list;
  });
  return { name: 'service', rows: [], table, backends: results, postgresSkipped, figures };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = process.argv[2] ? Number(process.argv[2]) : undefined;
  runServiceBench(seconds ? { seconds } : {}).then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
