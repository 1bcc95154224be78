import { Hono } from 'hono';
import type { Logger } from '../lib/logger';

export interface AppDeps {
  logger: Logger;
  /** True once the database is open, migrated and scored. */
  ready(): boolean;
  version: string;
  /** Sub-apps the composition root mounts (e.g. the Slack route at /slack); after the probes. */
  mounts?: readonly { path: string; app: Hono }[];
}

/**
 * The Hono app: runtime-neutral, bound to Node by adapters/node and (later) to Workers.
 * Chat surfaces and the REST API mount here as sub-apps.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/readyz', (c) => (deps.ready() ? c.json({ status: 'ready' }) : c.json({ status: 'starting' }, 503)));
  for (const m of deps.mounts ?? []) app.route(m.path, m.app);

  app.notFound((c) => c.json({ code: 'NOT_FOUND', message: 'No such route' }, 404));
  app.onError((err, c) => {
    deps.logger.error('unhandled error', { path: c.req.path, error: err });
    return c.json({ code: 'INTERNAL', message: 'Internal error' }, 500);
  });
  return app;
}
