import { Hono } from 'hono';

export interface CronRouteOptions {
  /** Unset: the route answers 404, so it cannot be used by accident. */
  secret: string | undefined;
  jobs: readonly string[];
  /** Runs the job now (its own slot claim still applies); null while the service is starting. */
  run: (name: string) => Promise<'ran' | 'claimed-elsewhere' | 'failed'> | null;
}

/** Compares without stopping at the first difference, so timing does not reveal the secret. */
export function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** `POST /cron/:job` with `Authorization: Bearer <TOMTE_CRON_SECRET>` runs one job by hand. */
export function createCronRoute(opts: CronRouteOptions): Hono {
  const app = new Hono();
  app.post('/:job', async (c) => {
    if (!opts.secret) return c.json({ code: 'NOT_FOUND', message: 'No such route' }, 404);
    const given = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '');
    if (!sameSecret(given, opts.secret)) return c.json({ code: 'UNAUTHORIZED', message: 'Wrong or missing bearer token' }, 401);
    const name = c.req.param('job');
    if (!opts.jobs.includes(name)) return c.json({ code: 'UNKNOWN_JOB', message: `Unknown job "${name}"`, jobs: opts.jobs }, 404);
    const running = opts.run(name);
    if (!running) return c.json({ code: 'NOT_READY', message: 'tomte is starting; try again in a moment' }, 503);
    const outcome = await running;
    return c.json({ job: name, outcome }, outcome === 'failed' ? 500 : 200);
  });
  return app;
}
