import { Hono } from 'hono';
import { readCappedText } from '../../src/lib/body';
import type { Logger } from '../../src/lib/logger';
import { TtlSet } from '../../src/lib/ttl-set';
import { inboundActivitySchema, type InboundActivity } from './activity';
import type { InvokeResponse, TeamsBot } from './bot';
import type { BotFramework } from './framework';
import { TeamsAuthError, TeamsAuthUnavailableError } from './errors';

/** The Azure bot's messaging endpoint is `https://<host>${TEAMS_MOUNT}/messages`. */
export const TEAMS_MOUNT = '/api';
export const TEAMS_PATH = `${TEAMS_MOUNT}/messages`;

/** Activities are a few kB. */
export const TEAMS_MAX_BODY_BYTES = 256 * 1024;

export const NOT_CONFIGURED = {
  code: 'NOT_CONFIGURED',
  message: 'Microsoft Teams is not configured: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (and MICROSOFT_APP_TENANT_ID for a single-tenant bot)',
} as const;

export interface TeamsRouteOptions {
  /** Null when the Teams credentials are not set: every request gets 503 NOT_CONFIGURED. */
  framework: BotFramework | null;
  bot: TeamsBot | null;
  logger: Logger;
  /** False while the database and scores are loading: 503, and the Bot Service retries. */
  ready?: () => boolean;
  /**
   * Teams re-sends an activity it has no answer for after 15 s (and the Bot Service gives up at
   * 10–15 s). A turn still running after this long is answered 202 and finishes in the background;
   * its reply reaches the conversation through the connector. Default 8,000 ms. Invokes are waited
   * for: their answer is the HTTP response.
   */
  responseBudgetMs?: number;
  /** How long an activity id is remembered to drop re-sends. Default 15 minutes. */
  dedupeTtlMs?: number;
  /** Activities are a few kB; larger bodies get 413. Default 256 KiB. */
  maxBodyBytes?: number;
  now?: () => number;
}

export interface TeamsRoute {
  app: Hono;
  /** Waits (bounded) for turns still running in the background; for graceful shutdown. */
  stop(): Promise<void>;
}

const error = (code: string, message: string) => ({ code, message });

/**
 * `POST /api/messages`: body size and shape first (400/413, no side effect), then the Bot Framework
 * JWT (401 for anything the SDK's validation refuses, no side effect), then a re-sent activity id
 * is answered 200 without running again, then the turn.
 */
export function createTeamsRoute(opts: TeamsRouteOptions): TeamsRoute {
  const app = new Hono();
  const budget = opts.responseBudgetMs ?? 8_000;
  const maxBody = opts.maxBodyBytes ?? 256 * 1024;
  const seen = new TtlSet(opts.dedupeTtlMs ?? 15 * 60_000, 50_000, opts.now);
  const inFlight = new Set<Promise<unknown>>();

  app.post('/messages', async (c) => {
    const { framework, bot } = opts;
    if (!framework || !bot) return c.json(NOT_CONFIGURED, 503);
    if (opts.ready && !opts.ready()) return c.json(error('NOT_READY', 'tomte is starting; try again in a moment'), 503, { 'retry-after': '5' });

    // Read with the cap before anything else: a chunked body is counted as it arrives.
    const raw = await readCappedText(c.req.raw, maxBody);
    if (raw === null) return c.json(error('TOO_LARGE', 'Request body too large'), 413, { connection: 'close' });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return c.json(error('BAD_REQUEST', 'Body is not JSON'), 400);
    }
    const parsed = inboundActivitySchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).slice(0, 5);
      return c.json({ ...error('BAD_REQUEST', 'Body is not a Bot Framework activity'), issues: where }, 400);
    }
    const activity: InboundActivity = parsed.data;

    const authorization = c.req.header('authorization') ?? '';
    if (!authorization.trim()) return c.json(error('UNAUTHORIZED', 'Missing Authorization header'), 401);
    let auth;
    try {
      auth = await framework.authenticate(authorization, activity);
    } catch (err) {
      if (err instanceof TeamsAuthError) {
        opts.logger.warn('teams: request refused', { reason: err.message, activity_type: activity.type });
        return c.json(error('UNAUTHORIZED', err.message), 401);
      }
      // E.g. the OpenID metadata could not be fetched: not the caller's fault; the Bot Service retries.
      const retryAfter = err instanceof TeamsAuthUnavailableError ? err.retryAfterSeconds : 5;
      opts.logger.error('teams: authentication unavailable', { error: err, retry_after_s: retryAfter });
      return c.json(error('AUTH_UNAVAILABLE', 'Could not validate the token right now'), 503, { 'retry-after': String(retryAfter) });
    }

    const key = activity.id ? `${activity.conversation.id}|${activity.id}` : null;
    if (key && !seen.add(key)) {
      opts.logger.info('teams: duplicate activity dropped', { activity_id: activity.id, activity_type: activity.type });
      return c.body(null, 200);
    }

    let invokeResponse: InvokeResponse | undefined;
    const turn = framework
      .runTurn(auth, activity, async (t) => {
        invokeResponse = await bot.onTurn(t);
      })
      .then(() => 'done' as const);
    const tracked = turn.catch((err: unknown) => {
      // A failed turn may be re-sent and run again.
      if (key) seen.delete(key);
      opts.logger.error('teams: turn failed', { activity_type: activity.type, activity_id: activity.id, error: err });
      return 'failed' as const;
    });
    inFlight.add(tracked);
    void tracked.finally(() => inFlight.delete(tracked));

    const waitMs = activity.type === 'invoke' ? Math.max(budget, 12_000) : budget;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      tracked,
      new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), waitMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'late') {
      opts.logger.warn('teams: turn still running; answered 202', { activity_type: activity.type, budget_ms: waitMs });
      return c.body(null, 202);
    }
    if (outcome === 'failed') return c.json(error('INTERNAL', 'The bot could not handle this activity'), 500);
    if (invokeResponse) {
      return invokeResponse.body === undefined ? c.body(null, invokeResponse.status as 200) : c.json(invokeResponse.body as object, invokeResponse.status as 200);
    }
    return c.body(null, 200);
  });
  app.all('/messages', (c) => c.json(error('METHOD_NOT_ALLOWED', 'Use POST'), 405, { allow: 'POST' }));

  return {
    app,
    async stop() {
      const deadline = new Promise((resolve) => setTimeout(resolve, 5_000).unref?.());
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
    },
  };
}

/**
 * The Teams mount while MICROSOFT_APP_ID or MICROSOFT_APP_PASSWORD is unset: 503 NOT_CONFIGURED.
 * Lives here, apart from mount.ts, so a service without Teams never loads the Bot Framework SDK
 * (issue 17: memory).
 */
export function unconfiguredTeamsMount(logger: Logger): { mount: { path: string; app: Hono; maxBodyBytes: number }; teams: null } {
  const route = createTeamsRoute({ framework: null, bot: null, logger });
  return { mount: { path: TEAMS_MOUNT, app: route.app, maxBodyBytes: TEAMS_MAX_BODY_BYTES }, teams: null };
}
