/**
 * The HTTP app: health and readiness probes and the JSON error contract, through Hono's request
 * API and once over a real socket with the Node adapter the service uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { silentLogger, type Logger } from '../../src/lib/logger';
import { listenLocal, type Listening } from '../support/listen';

function recordingLogger() {
  const entries: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void entries.push({ level, msg, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, entries };
}

describe('createApp', () => {
  it('GET /healthz → 200 {status: ok} with the version', async () => {
    const app = createApp({ logger: silentLogger, ready: () => false, version: '9.9.9-test' });
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'ok', version: '9.9.9-test' });
  });

  it('/healthz is up even while the runtime is starting', async () => {
    const app = createApp({ logger: silentLogger, ready: () => false, version: 'dev' });
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('/readyz is 503 before ready and 200 after, asking on every request', async () => {
    let ready = false;
    let asked = 0;
    const app = createApp({
      logger: silentLogger,
      ready: () => {
        asked++;
        return ready;
      },
      version: 'dev',
    });
    const before = await app.request('/readyz');
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'starting' });

    ready = true;
    const after = await app.request('/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready' });
    expect(asked).toBe(2);

    ready = false;
    expect((await app.request('/readyz')).status).toBe(503);
  });

  it.each(['/nope', '/healthz/extra', '/api/v1/kommuner/1804'])('unknown route %s → 404 JSON with code NOT_FOUND', async (path) => {
    const app = createApp({ logger: silentLogger, ready: () => true, version: 'dev' });
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('NOT_FOUND');
    expect(body.message.length).toBeGreaterThan(0);
  });

  it('a POST to a GET route is 405 with Allow, not a crash; an unknown path is 404', async () => {
    const app = createApp({ logger: silentLogger, ready: () => true, version: 'dev' });
    const res = await app.request('/healthz', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await res.json()).toMatchObject({ code: 'METHOD_NOT_ALLOWED' });
    const none = await app.request('/no-such-route', { method: 'POST' });
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('logs one line per request with method, path, status and duration', async () => {
    const { logger, entries } = recordingLogger();
    const app = createApp({ logger, ready: () => false, version: 'dev' });
    await app.request('/readyz');
    await app.request('/missing');
    const requests = entries.filter((e) => e.msg === 'request');
    expect(requests.map((e) => e.fields && [e.fields.method, e.fields.path, e.fields.status])).toEqual([
      ['GET', '/readyz', 503],
      ['GET', '/missing', 404],
    ]);
    for (const e of requests) {
      expect(e.level).toBe('info');
      expect(e.fields?.duration_ms).toBeTypeOf('number');
      expect(e.fields?.duration_ms as number).toBeGreaterThanOrEqual(0);
    }
  });

  it('an exception in a route becomes 500 JSON with code INTERNAL, logged but not leaked', async () => {
    const { logger, entries } = recordingLogger();
    const app = createApp({ logger, ready: () => true, version: 'dev' });
    app.get('/boom', () => {
      throw new Error('secret internals');
    });
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ code: 'INTERNAL', message: 'Internal error' });
    expect(text).not.toContain('secret internals');
    const error = entries.find((e) => e.level === 'error');
    expect(error?.msg).toBe('unhandled error');
    expect(error?.fields).toMatchObject({ path: '/boom' });
    expect((error?.fields?.error as Error).message).toBe('secret internals');
  });
});

describe('over a real socket (Node adapter)', () => {
  let ready = false;
  let server: Listening;
  let base: string;

  beforeAll(async () => {
    const app = createApp({ logger: silentLogger, ready: () => ready, version: 'socket-test' });
    server = await listenLocal(app);
    base = server.url;
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers /healthz, /readyz and 404 over HTTP', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: 'socket-test' });

    const starting = await fetch(`${base}/readyz`);
    expect(starting.status).toBe(503);
    await starting.body?.cancel();
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const missing = await fetch(`${base}/does-not-exist`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
