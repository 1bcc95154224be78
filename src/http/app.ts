import { HTTPException } from 'hono/http-exception';
import { Hono } from 'hono';
import type { Logger } from '../lib/logger';
import { httpDuration, httpRequests, metrics, type GaugeSample } from '../lib/metrics';
import { bodyLimit, DEFAULT_MAX_BODY_BYTES } from './body-limit';

/** What /readyz reports beyond "started": each check and the age of each source's data. */
export interface Readiness {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
  /** Seconds since each dataset's last successful refresh (null: never refreshed, snapshot only). */
  dataAgeSeconds?: Record<string, number | null>;
}

export interface AppDeps {
  logger: Logger;
  /** True once the database is open, migrated and scored. */
  ready(): boolean;
  version: string;
  /**
   * Sub-apps the composition root mounts (e.g. the Slack route at /slack); after the probes.
   * `maxBodyBytes` caps request bodies under the path (default DEFAULT_MAX_BODY_BYTES).
   */
  mounts?: readonly { path: string; app: Hono; maxBodyBytes?: number }[];
  /** Deep readiness (database, migrations, data age); /readyz answers 503 when it says not ok. */
  readiness?: () => Promise<Readiness>;
  /** Gauges read at scrape time for /metrics (outbox backlog, data age). */
  gauges?: () => Promise<GaugeSample[]>;
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
    const seconds = (performance.now() - started) / 1000;
    // The matched route pattern, not the path: /api/v1/kommuner/:nr is one series, not 357.
    const route = c.req.routePath || 'unmatched';
    httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    httpDuration.observe(seconds, { route });
    deps.logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round(seconds * 10_000) / 10,
    });
  });

  const caps = (deps.mounts ?? [])
    .filter((m) => m.maxBodyBytes !== undefined)
    .map((m) => ({ prefix: m.path.replace(/\/+$/, ''), max: m.maxBodyBytes! }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  app.use('*', bodyLimit((path) => caps.find((c) => path === c.prefix || path.startsWith(`${c.prefix}/`))?.max ?? DEFAULT_MAX_BODY_BYTES));

  app.get('/healthz', (c) => c.json({ status: 'ok', version: deps.version }));
  app.get('/readyz', async (c) => {
    if (!deps.ready()) return c.json({ status: 'starting' }, 503);
    if (!deps.readiness) return c.json({ status: 'ready' });
    let r: Readiness;
    try {
      r = await deps.readiness();
    } catch (err) {
      deps.logger.error('readiness check failed', { error: err });
      return c.json({ status: 'not ready', checks: { readiness: { ok: false, detail: 'check failed' } } }, 503);
    }
    return c.json({ status: r.ok ? 'ready' : 'not ready', checks: r.checks, ...(r.dataAgeSeconds ? { data_age_seconds: r.dataAgeSeconds } : {}) }, r.ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    let gauges: GaugeSample[] = [];
    try {
      gauges = deps.gauges ? await deps.gauges() : [];
    } catch (err) {
      deps.logger.warn('metrics gauges failed', { error: err });
    }
    return c.body(metrics.render(gauges), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  for (const m of deps.mounts ?? []) app.route(m.path, m.app);

  // A path that exists under other methods is 405 with Allow (RFC 9110), not 404.
  let routeTable: { method: string; pattern: RegExp }[] | undefined;
  const allowedMethods = (path: string): string[] => {
    routeTable ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+').replace(/\*/g, '.*')}/?$`) }));
    const methods = new Set(routeTable.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
  app.notFound((c) => {
    const allow = allowedMethods(c.req.path);
    if (allow.length > 0) return c.json({ code: 'METHOD_NOT_ALLOWED', message: `${c.req.method} is not allowed here; use ${allow.join(', ')}` }, 405, { allow: allow.join(', ') });
    return c.json({ code: 'NOT_FOUND', message: 'No such route' }, 404);
  });
  app.onError((err, c) => {
    // Hono's own refusals (e.g. 415 from a route's media-type check) keep their status, with our body.
    if (err instanceof HTTPException && err.status >= 400 && err.status < 500) {
      return c.json({ code: err.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', message: err.status === 415 ? 'Unsupported media type for this route.' : 'Bad request.' }, err.status);
    }
    deps.logger.error('unhandled error', { path: c.req.path, error: err });
    return c.json({ code: 'INTERNAL', message: 'Internal error' }, 500);
  });
  return app;
}
