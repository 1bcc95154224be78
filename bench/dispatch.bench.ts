/**
 * Dispatch benchmark: 1,000 subscriptions across 200 Slack channels (5 each) all match one
 * Tier 1 entry, so the outbox holds 1,000 deliveries. The real dispatcher sends them through the
 * real Slack notifier (per-channel pacing of one message per 1.1 s) to a Web API stub that answers
 * at once. The theoretical limit under that pacing is (messages per channel − 1) × 1.1 s, since
 * channels do not wait for each other; the ratio measured / limit shows what the dispatcher adds
 * (claims, rendering, database writes, and how many channels it serves at once).
 *
 * Run: node --import tsx bench/dispatch.bench.ts   (or npm run bench dispatch)
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { migrateDatabase } from '../adapters/db/migrate';
import { openPglite } from '../adapters/db/pglite';
import { createAlertSender } from '../adapters/alerts/sender';
import { createSlackNotifier } from '../adapters/slack/notifier';
import { renderAlertGroup } from '../src/chat/alerts';
import { silentLogger } from '../src/lib/logger';
import { dispatchDue } from '../src/services/alerts/dispatch';
import { listDeliveries } from '../src/store/repos/alerts';
import { alertDeps, Clock, commitRun, seedKommuner, subscribe } from '../test/support/alerts';
import type { Figure } from './report';
import { formatTable, type BenchResult } from './scoring.bench';

export interface DispatchBenchOptions {
  channels?: number;
  perChannel?: number;
  intervalMs?: number;
}

export interface DispatchBenchResult extends BenchResult {
  seconds: number;
  limitSeconds: number;
  ratio: number;
}

export async function runDispatchBench(opts: DispatchBenchOptions = {}): Promise<DispatchBenchResult> {
  const channels = opts.channels ?? 200;
  const perChannel = opts.perChannel ?? 5;
  const intervalMs = opts.intervalMs ?? 1100;
  const handle = await openPglite({});
  try {
    await migrateDatabase(handle);
    const clock = new Clock(new Date());
    const deps = { ...alertDeps(handle.db, clock), now: () => new Date() };
    await seedKommuner(handle.db);
    for (let c = 0; c < channels; c++) {
      // Distinct filters make distinct subscriptions in one channel (an excluded code that matches nothing).
      for (let i = 0; i < perChannel; i++) await subscribe(handle.db, clock, 'slack', `C${String(c).padStart(6, '0')}`, 'tier1', { unntatt: [`99${i}`] });
    }
    const base = await commitRun(deps, { '1804': { total: 68, tier: 2 } }, []);
    const next = await commitRun(deps, { '1804': { total: 72, tier: 1 } }, base.scores);

    let posts = 0;
    const fetchStub: typeof fetch = async (_url, init) => {
      posts++;
      const body = JSON.parse(String(init?.body)) as { channel: string };
      return new Response(JSON.stringify({ ok: true, channel: body.channel, ts: `${Date.now() / 1000}` }), { headers: { 'content-type': 'application/json' } });
    };
    const sender = createAlertSender({ slack: createSlackNotifier({ token: 'xoxb-bench', fetch: fetchStub, perChannelIntervalMs: intervalMs }), teams: null, db: () => handle.db, logger: silentLogger, now: () => new Date() });
    const t0 = performance.now();
    const res = await dispatchDue(deps, { worker: 'bench', sender, render: renderAlertGroup }, 1000);
    const seconds = (performance.now() - t0) / 1000;
    const rows = await listDeliveries(handle.db);
    const sent = rows.filter((r) => r.status === 'sent').length;
    const limitSeconds = ((perChannel - 1) * intervalMs) / 1000;
    const ratio = seconds / limitSeconds;
    const table = formatTable([
      { case: 'deliveries', value: next.deliveries },
      { case: 'sent (database)', value: sent },
      { case: 'chat.postMessage calls', value: posts },
      { case: 'dispatch wall time (s)', value: seconds.toFixed(2) },
      { case: `pacing limit: (${perChannel} − 1) × ${intervalMs} ms (s)`, value: limitSeconds.toFixed(2) },
      { case: 'ratio measured / limit', value: ratio.toFixed(2) },
      { case: 'throughput (msg/s)', value: (sent / seconds).toFixed(1) },
      { case: 'limit throughput (msg/s)', value: ((channels * perChannel) / limitSeconds).toFixed(1) },
      { case: 'rows claimed (all rounds)', value: res.claimed },
    ]);
    const figures: Figure[] = [
      {
        id: 'dispatch.time',
        label: `${next.deliveries.toLocaleString('en-US')} alert deliveries to ${channels} Slack channels, 1 message per ${intervalMs / 1000} s per channel`,
        value: seconds,
        unit: 's',
        comparison: { label: 'pacing limit', value: limitSeconds, unit: 's' },
        ratio,
        ratioMeaning: 'measured ÷ limit',
      },
      { id: 'dispatch.sent', label: 'deliveries sent once (database) / chat.postMessage calls', value: sent, unit: 'sent', comparison: { label: 'postMessage calls', value: posts, unit: 'calls' }, ratio: posts / sent, ratioMeaning: 'calls ÷ sent; 1 = no duplicates', decimals: 0, goal: { text: 'calls ÷ sent = 1', issue: 6, on: 'ratio', op: '=', target: 1 } },
    ];
    return { name: 'dispatch', rows: [], table, seconds, limitSeconds, ratio, figures };
  } finally {
    await handle.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDispatchBench().then(
    (res) => console.log(res.table),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
