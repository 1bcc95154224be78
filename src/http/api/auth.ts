import type { MiddlewareHandler } from 'hono';
import { createSecretMatcher } from '../../lib/constant-time';

const REALM = 'tomte';

/**
 * Bearer-token auth for the REST API. No tokens configured: 503 NOT_CONFIGURED (the API is never
 * open by default). A missing or wrong token: 401 with WWW-Authenticate (RFC 6750) and a JSON body.
 */
export function bearerAuth(tokens: readonly string[]): MiddlewareHandler {
  const matches = createSecretMatcher(tokens);
  return async (c, next) => {
    if (tokens.length === 0) {
      return c.json(
        { code: 'NOT_CONFIGURED', message: 'The REST API is off: set TOMTE_API_TOKENS to one or more comma-separated bearer tokens of at least 24 characters.' },
        503,
      );
    }
    const header = c.req.header('authorization');
    const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
    if (!m) {
      c.header('WWW-Authenticate', `Bearer realm="${REALM}"`);
      return c.json({ code: 'UNAUTHORIZED', message: 'Send a token: Authorization: Bearer <token>.' }, 401);
    }
    if (!matches(m[1]!)) {
      c.header('WWW-Authenticate', `Bearer realm="${REALM}", error="invalid_token"`);
      return c.json({ code: 'UNAUTHORIZED', message: 'The bearer token is not valid.' }, 401);
    }
    await next();
  };
}
