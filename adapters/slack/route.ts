import { Hono } from 'hono';

/** Where the Slack routes are mounted; the manifest's request URLs end in `${SLACK_MOUNT}/events`. */
export const SLACK_MOUNT = '/slack';

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
