/**
 * The Cloudflare Workers entry: `fetch` serves the same Hono app as Node, `scheduled` runs the
 * same job registry (wrangler.toml's cron triggers equal jobs/registry.ts; a test compares them).
 *
 * Differences from Node, and why:
 * - PostgreSQL only, through Hyperdrive (`env.HYPERDRIVE.connectionString`) or `DATABASE_URL`:
 *   PGlite needs a writable file system. Migrations and the snapshot load run from a Node
 *   machine (`npm run db:migrate`, then `npm start` once against the same database).
 * - A connection per request or scheduled event: Workers cannot share sockets across requests.
 *   The read model (registry + latest scores) is loaded per request; Hyperdrive pools the
 *   connections and caches nothing that could be stale.
 * - Slack and Teams are not mounted (tried in `wrangler dev --local`): with the Slack receiver the
 *   bundle fails (Bolt's dependencies pull in undici, which requires `node:sqlite`); with the Teams
 *   bot it bundles but the Worker does not start (a botbuilder dependency touches `window`).
 *   Outbound alerts to Slack (plain fetch) are sent by the dispatch job; Teams alerts wait for a
 *   Node instance (they stay pending in the outbox).
 * - Outside calls: the same outbound policy and HTTP helper, but Workers have no DNS API or
 *   connect hook, so names are checked by their form only (docs/security.md); the rest (https,
 *   address literals, redirects hop by hop, size caps, deadlines) is the same.
 * The dependencies, the redaction list and the model come from adapters/compose.ts, as on Node.
 */
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { JOBS, type JobDeps } from '../../jobs/registry';
import { runJob } from '../../jobs/run-job';
import { ConfigError, type Config } from '../../src/config';
import { createApp } from '../../src/http/app';
import { createCronRoute } from '../../src/http/cron';
import { apiMounts } from '../../src/http/api';
import { ReadModel } from '../../src/services/read-model';
import type { Logger } from '../../src/lib/logger';
import type { ServiceDeps } from '../../src/services/deps';
import { operationalGauges, readiness } from '../../src/services/operations';
import * as schema from '../../src/store/schema';
import type { Db } from '../../src/store/db';
import { createAlertSender } from '../alerts/sender';
import { createSlackNotifier } from '../slack/notifier';
import { UnknownModelError, type Composition } from '../compose';
import { workerComposition, type Env } from './composition';
import { SHIPPED_MIGRATIONS } from './migrations';
import { isWebPage } from '../../src/web/paths';

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

interface ScheduledController {
  cron: string;
  scheduledTime: number;
}

interface WorkerRuntime {
  config: Config;
  logger: Logger;
  comp: Composition;
  deps: ServiceDeps;
  close(): Promise<void>;
}

function open(env: Env): WorkerRuntime {
  const comp = workerComposition(env);
  const { config, logger } = comp;
  // Small pool, no prepared statements across Hyperdrive's pooled connections.
  const client = postgres(config.DATABASE_URL!, { max: 5, fetch_types: false, prepare: false, onnotice: () => {} });
  const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return { config, logger, comp, deps: comp.serviceDeps(db), close: () => client.end({ timeout: 5 }) };
}

function jobDeps(rt: WorkerRuntime): JobDeps {
  return {
    ...rt.deps,
    makeHttp: rt.comp.makeHttp,
    sender: createAlertSender({
      slack: rt.config.SLACK_BOT_TOKEN ? createSlackNotifier({ token: rt.config.SLACK_BOT_TOKEN }) : null,
      teams: null,
      db: () => rt.deps.db,
      logger: rt.logger,
      now: () => new Date(),
      // No PNG on Workers: Slack alerts with a map get a link to it instead.
      mapUrl: rt.comp.mapUrl,
    }),
    worker: 'cloudflare-worker',
  };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let rt: WorkerRuntime;
    try {
      rt = open(env);
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : err instanceof UnknownModelError ? [`TOMTE_MODEL: ${err.message}`] : ['unexpected start-up error'];
      return Response.json({ code: 'NOT_CONFIGURED', message: 'tomte on Workers is not configured', problems }, { status: 503 });
    }
    const cron = createCronRoute({
      secret: rt.config.TOMTE_CRON_SECRET,
      jobs: JOBS.map((j) => j.name),
      run: (name) => runJob(JOBS.find((j) => j.name === name)!, jobDeps(rt)),
    });
    // The read model (registry + latest scores) only for API calls and pages: /healthz must not need the database.
    const path = new URL(request.url).pathname;
    const readModel = path.startsWith('/api/v1/') || isWebPage(path) ? await ReadModel.load(rt.deps).catch(() => null) : null;
    const api = apiMounts({ tokens: rt.config.TOMTE_API_TOKENS, getReadModel: () => readModel, version: 'worker' });
    const app = createApp({
      logger: rt.logger,
      ready: () => true,
      version: 'worker',
      mounts: [{ path: '/cron', app: cron, maxBodyBytes: 1024 }, ...api, { path: '/', app: rt.comp.webApp(() => readModel), maxBodyBytes: 4096 }],
      readiness: () => readiness(rt.deps, SHIPPED_MIGRATIONS),
      gauges: () => operationalGauges(rt.deps),
    });
    try {
      return await app.fetch(request);
    } finally {
      ctx.waitUntil(rt.close());
    }
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const rt = open(env);
    const due = JOBS.filter((j) => j.cron === controller.cron);
    const deps = jobDeps(rt);
    ctx.waitUntil(Promise.allSettled(due.map((j) => runJob(j, deps, new Date(controller.scheduledTime)))).finally(() => rt.close()));
  },
};
