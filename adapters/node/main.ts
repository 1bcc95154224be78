import { serve } from '@hono/node-server';
import { parseConfig, ConfigError } from '../../src/config';
import { createApp } from '../../src/http/app';
import { closeRuntime, nodeComposition, startRuntime, type Runtime } from './bootstrap';
import { openCliChannel, type CliChannel } from './cli-channel';
import { runCommand, runValidation } from '../cli/answers';
import { DatabaseLockedError, LOCK_FILE_NAME } from '../db/lock';
import cron from 'node-cron';
import { JOBS } from '../../jobs/registry';
import { runJob } from '../../jobs/run-job';
import type { JobDeps } from '../../jobs/registry';
import { hostname } from 'node:os';
import { createCronRoute } from '../../src/http/cron';
import { apiMounts } from '../../src/http/api';
import { operationalGauges, readiness } from '../../src/services/operations';
import { shippedMigrationCount } from '../db/migrate';
import { createAlertSender } from '../alerts/sender';
import { createSlackNotifier } from '../slack/notifier';
import { createTeamsNotifier } from '../teams/notifier';
import { ReadModel } from '../../src/services/read-model';
import { unconfiguredSlackMount } from '../slack/route';
import { unconfiguredTeamsMount } from '../teams/route';
import { stdoutLineWriter } from './log-writer';

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** `POST /cron/<job>` takes no body. */
const CRON_MAX_BODY_BYTES = 1024;
/** The pages' only form that posts is sign-out (a CSRF token). */
const WEB_MAX_BODY_BYTES = 4096;

/**
 * The Node composition root: config → database (migrated) → snapshot → scores → HTTP → shutdown.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  let comp;
  try {
    comp = nodeComposition(config, stdoutLineWriter().write);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(78);
  }
  const { logger } = comp;
  let runtime: Runtime | null = null;
  // The CLI's local channel while this process holds the embedded database (issue 17).
  let channel: CliChannel | null = null;
  let jobDeps: JobDeps | null = null;
  // Job runs in progress (a dispatch mid-send): shutdown waits for them.
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => {});
    return p;
  };
  /** Runs one job now (cron route, `kjør <jobb>` from chat); null while the service is starting. */
  const runNow = (name: string) => {
    const job = JOBS.find((j) => j.name === name);
    return job && jobDeps ? track(runJob(job, jobDeps)) : null;
  };
  // Slack is served on this port at /slack/events; without its secrets that route answers 503.
  // Bolt and the Bot Framework SDK load only when their platform is configured (issue 17: memory).
  const slack = !(config.SLACK_SIGNING_SECRET && config.SLACK_BOT_TOKEN) ? unconfiguredSlackMount() : (await import('../slack/mount')).slackMount({
    signingSecret: config.SLACK_SIGNING_SECRET,
    botToken: config.SLACK_BOT_TOKEN,
    logger,
    defaultLang: config.TOMTE_LANG,
    jobNames: JOBS.map((j) => j.name),
    runJob: (name) => runNow(name),
    access: comp.access,
    getReadModel: () => runtime?.readModel ?? null,
    web: { signInLink: comp.signInLink, ...(comp.mapPng ? { mapPng: comp.mapPng(() => runtime?.readModel ?? null) } : {}), ...(config.TOMTE_PUBLIC_URL ? { publicUrl: config.TOMTE_PUBLIC_URL } : {}) },
  });
  // Teams is served at /api/messages; without MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD it answers 503.
  const teams = !(config.MICROSOFT_APP_ID && config.MICROSOFT_APP_PASSWORD) ? unconfiguredTeamsMount(logger) : (await import('../teams/mount')).teamsMount({
    appId: config.MICROSOFT_APP_ID,
    password: config.MICROSOFT_APP_PASSWORD,
    tenantId: config.MICROSOFT_APP_TENANT_ID,
    logger,
    defaultLang: config.TOMTE_LANG,
    jobNames: JOBS.map((j) => j.name),
    runJob: (name) => runNow(name),
    access: comp.access,
    getRuntime: () => (runtime ? { readModel: runtime.readModel, db: runtime.deps.db } : null),
    web: { signInLink: comp.signInLink, mapUrl: comp.mapUrl, ...(config.TOMTE_PUBLIC_URL ? { publicUrl: config.TOMTE_PUBLIC_URL } : {}) },
  });
  const cronRoute = createCronRoute({ secret: config.TOMTE_CRON_SECRET, jobs: JOBS.map((j) => j.name), run: runNow });
  const migrations = shippedMigrationCount();
  // REST API at /api/v1 (bearer tokens from TOMTE_API_TOKENS; 503 without), OpenAPI at /openapi.json, reference at /docs.
  const api = apiMounts({ tokens: config.TOMTE_API_TOKENS, getReadModel: () => runtime?.readModel ?? null, version: process.env.npm_package_version ?? 'dev' });
  const app = createApp({
    logger,
    ready: () => runtime !== null,
    version: process.env.npm_package_version ?? 'dev',
    mounts: [slack.mount, teams.mount, { path: '/cron', app: cronRoute, maxBodyBytes: CRON_MAX_BODY_BYTES }, ...api, { path: '/', app: comp.webApp(() => runtime?.readModel ?? null), maxBodyBytes: WEB_MAX_BODY_BYTES }],
    readiness: () => readiness(runtime!.deps, migrations),
    gauges: async () => (runtime ? operationalGauges(runtime.deps) : []),
  });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.TOMTE_HOST }, (info) => {
    logger.info('listening', { port: info.port, host: config.TOMTE_HOST });
  });

  const tasks: { stop(): void | Promise<void> }[] = [];
  // Slack listeners still answering through response_url after their ack get a few seconds.
  if (slack.slack) tasks.push(slack.slack.receiver);
  // Teams turns answered 202 and still sending their reply get the same grace.
  if (teams.teams) tasks.push(teams.teams.route);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    // The CLI stops asking this process first; it opens the database itself once the lock is gone.
    await channel?.close();
    for (const t of tasks) await t.stop();
    // Cron is stopped; let job runs in progress (deliveries mid-send) finish before closing the database.
    if (running.size > 0) {
      logger.info('waiting for running jobs', { jobs: running.size });
      await Promise.allSettled([...running]);
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // Closing the embedded database leaves the read-model file the CLI answers lookups from.
    if (runtime) await closeRuntime(runtime, comp);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    runtime = await startRuntime(comp);
    const rt = runtime;
    // Outbound alerts: Slack's Web API with the bot token, Teams' connector with the bot's token.
    const teamsBot = teams.teams;
    const sender = createAlertSender({
      slack: config.SLACK_BOT_TOKEN ? createSlackNotifier({ token: config.SLACK_BOT_TOKEN }) : null,
      teams: teamsBot ? createTeamsNotifier({ token: (force) => teamsBot.framework.connectorToken(force) }) : null,
      db: () => rt.deps.db,
      logger,
      now: () => new Date(),
      ...(comp.mapPng ? { mapPng: comp.mapPng(() => runtime?.readModel ?? null) } : {}),
      mapUrl: comp.mapUrl,
    });
    const deps: JobDeps = {
      ...rt.deps,
      makeHttp: comp.makeHttp,
      onRefreshed: async () => {
        rt.readModel = await ReadModel.load(rt.deps);
      },
      sender,
      worker: `${hostname()}:${process.pid}`,
    };
    jobDeps = deps;
    if (rt.handle.kind === 'pglite' && rt.handle.dataDir !== undefined) {
      channel = await openCliChannel({
        dataDir: rt.handle.dataDir,
        logger,
        answer: async (req) => (req.kind === 'command' ? runCommand(rt.readModel, req.text, req.lang, (name) => runNow(name)) : runValidation(rt.readModel, req)),
      });
    }
    if (config.TOMTE_SCHEDULE) {
      for (const job of JOBS) {
        // UTC, and never two runs of one job at once; the job_runs claim makes other instances skip.
        tasks.push(cron.schedule(job.cron, () => void track(runJob(job, deps)), { timezone: 'UTC', noOverlap: true, name: job.name }));
      }
    }
    const mem = process.memoryUsage();
    logger.info('ready', {
      since_process_start_ms: Math.round(process.uptime() * 1000),
      memory_mb: { rss: mb(mem.rss), heap_used: mb(mem.heapUsed), heap_total: mb(mem.heapTotal), external: mb(mem.external), array_buffers: mb(mem.arrayBuffers) },
      jobs: config.TOMTE_SCHEDULE ? JOBS.map((j) => `${j.name} ${j.cron}`) : 'off',
      database: runtime.handle.kind,
      kommuner: runtime.readModel.registry.all().length,
      score_run: runtime.readModel.run?.id ?? null,
      slack: slack.slack ? 'on /slack/events' : 'off (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN)',
      api: config.TOMTE_API_TOKENS.length > 0 ? 'on /api/v1 (reference at /docs)' : 'off (set TOMTE_API_TOKENS)',
      teams: teams.teams ? `on /api/messages (${config.MICROSOFT_APP_TENANT_ID ? 'single-tenant' : 'multi-tenant'}; tenants ${comp.access.teamsTenants.join(', ')})` : 'off (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)',
      slack_workspaces: slack.slack ? (comp.access.slackWorkspaces.length > 0 ? comp.access.slackWorkspaces : 'the bot token’s (auth.test)') : null,
      admins: comp.access.admins.size,
      fetch_allow: config.TOMTE_FETCH_ALLOW,
    });
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      logger.error('database locked', {
        pid: err.pid,
        data_dir: err.dataDir,
        hint: `another tomte process (pid ${err.pid}) uses this data directory: stop it or set TOMTE_DATA_DIR. If pid ${err.pid} is not tomte, delete ${err.dataDir}/${LOCK_FILE_NAME}`,
      });
    } else {
      logger.error('start-up failed', { error: err });
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
    process.exit(1);
  }
}

void main();
