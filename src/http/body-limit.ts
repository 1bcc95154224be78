import type { MiddlewareHandler } from 'hono';
import { readCappedBody } from '../lib/body';

/** Bodies of routes that name no limit of their own (the REST API and the probes take none). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Every request body is read with a cap before any handler sees it, chunked or not: past the cap
 * the answer is 413 and the connection is closed, so memory holds at most the cap per request.
 * The handler gets the body already read (a Request over the bytes), so it cannot read past it.
 */
export function bodyLimit(capFor: (path: string) => number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (raw.body === null || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const max = capFor(c.req.path);
    const body = await readCappedBody(raw, max);
    if (!body.ok) {
      return c.json({ code: 'TOO_LARGE', message: `Request body larger than ${max} bytes` }, 413, { connection: 'close' });
    }
    c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body: body.bytes as Uint8Array<ArrayBuffer>, signal: raw.signal });
    await next();
  };
}
