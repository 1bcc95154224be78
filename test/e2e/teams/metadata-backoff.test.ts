/**
 * While the Bot Framework's OpenID metadata cannot be fetched, a stream of well-formed (but forged)
 * tokens must not become a stream of requests to Microsoft: after one failed fetch the route
 * answers 503 with Retry-After and does not ask again until the back-off has passed. Its own file:
 * the SDK keeps its metadata cache in module state, which must start empty here.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server, useMsw } from '../../support/msw';
import { useScoredRuntime } from '../../support/scored-runtime';
import { bearer, connectorToken, messageActivity, newTraffic, OPENID_URL, ROGUE_KEY, teamsHandlers, teamsRequest, teamsTestApp } from '../../support/teams';

useMsw();
const runtime = useScoredRuntime();

describe('Bot Framework metadata back-off', () => {
  it('one fetch while unreachable, 503 with Retry-After for the rest, and recovery after the back-off', async () => {
    let now = Date.parse('2026-01-15T06:00:00Z');
    let metadataFetches = 0;
    const traffic = newTraffic();
    server.use(...teamsHandlers(traffic));
    // Microsoft's login host unreachable.
    server.use(http.get(OPENID_URL, () => (metadataFetches++, HttpResponse.error())));
    const app = teamsTestApp({ getRuntime: () => ({ readModel: runtime.rm, db: runtime.db }), extra: { now: () => now } });
    const forged = () => bearer(connectorToken({ key: ROGUE_KEY.privateKey, kid: `forged-${Math.random().toString(36).slice(2)}` }));

    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await app.request('/api/messages', teamsRequest(messageActivity('hjelp'), forged())));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(503));
    expect(answers.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    expect(metadataFetches).toBe(1);

    // Still inside the back-off: not asked again.
    now += 3_000;
    expect((await app.request('/api/messages', teamsRequest(messageActivity('hjelp'), forged()))).status).toBe(503);
    expect(metadataFetches).toBe(1);

    // Past it, and reachable again: one request tries, forged tokens are refused, valid ones served.
    now += 10_000;
    server.resetHandlers();
    server.use(...teamsHandlers(traffic));
    expect((await app.request('/api/messages', teamsRequest(messageActivity('hjelp'), forged()))).status).toBe(401);
    expect((await app.request('/api/messages', teamsRequest(messageActivity('hjelp')))).status).toBe(200);
    expect(traffic.openIdFetches).toBe(1);
  });
});
