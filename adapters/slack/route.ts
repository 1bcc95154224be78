import { Hono } from 'hono';

/** Where the Slack routes are mounted; the manifest's request URLs end in `${SLACK_MOUNT}/events`. */
export const SLACK_MOUNT = '/slack';

/** Slack payloads are a few kB; view submissions can reach ~100 kB. */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;

export const NOT_CONFIGURED = {
  code: 'NOT_CONFIGURED',
  message: 'Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN',
} as const;

export interface SlackRouteOptions {
  /** The receiver's handler, or null when the Slack secrets are not set. */
  handle: ((request: Request) => Promise<Response>) | null;
  /** False while the database and scores are loading: Slack gets 503 and retries events. */
  ready?: () => boolean;
}

/**
 * The Hono sub-app for `/slack/events` (events, slash commands, interactivity and options share
 * one URL). Mount it at SLACK_MOUNT with createApp's `mounts`.
 */
export function createSlackRoute(opts: SlackRouteOptions): Hono {
  const route = new Hono();
  route.all('/events', (c) => {
    if (!opts.handle) return c.json(NOT_CONFIGURED, 503);
    if (opts.ready && !opts.ready()) return c.json({ code: 'NOT_READY', message: 'tomte is starting; try again in a moment' }, 503);
    return opts.handle(c.req.raw);
  });
  return route;
}

/**
 * The Slack mount while SLACK_SIGNING_SECRET or SLACK_BOT_TOKEN is unset: 503 NOT_CONFIGURED. Lives
 * here, apart from mount.ts, so a service without Slack never loads Bolt (issue 17: memory).
 */
export function unconfiguredSlackMount(): { mount: { path: string; app: Hono; maxBodyBytes: number }; slack: null } {
  return { mount: { path: SLACK_MOUNT, app: createSlackRoute({ handle: null }), maxBodyBytes: SLACK_MAX_BODY_BYTES }, slack: null };
}
