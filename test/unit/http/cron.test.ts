import { describe, expect, it } from 'vitest';
import { createCronRoute, sameSecret } from '../../../src/http/cron';

describe('POST /cron/:job', () => {
  const ran: string[] = [];
  const route = createCronRoute({ secret: 's3cret-token', jobs: ['dispatch', 'digests'], run: async (name) => (ran.push(name), 'ran' as const) });
  const post = (path: string, auth?: string) => route.request(path, { method: 'POST', headers: auth ? { authorization: auth } : {} });

  it('runs the named job with the right bearer token', async () => {
    const res = await post('/dispatch', 'Bearer s3cret-token');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ job: 'dispatch', outcome: 'ran' });
    expect(ran).toEqual(['dispatch']);
  });

  it('401 without or with a wrong token, 404 for an unknown job; nothing runs', async () => {
    ran.length = 0;
    expect((await post('/dispatch')).status).toBe(401);
    expect((await post('/dispatch', 'Bearer s3cret-tokeN')).status).toBe(401);
    const unknown = await post('/nope', 'Bearer s3cret-token');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_JOB', jobs: ['dispatch', 'digests'] });
    expect(ran).toEqual([]);
  });

  it('without a configured secret the route does not exist', async () => {
    const closed = createCronRoute({ secret: undefined, jobs: ['dispatch'], run: async () => 'ran' as const });
    expect((await closed.request('/dispatch', { method: 'POST', headers: { authorization: 'Bearer ' } })).status).toBe(404);
  });

  it('503 while the service is starting', async () => {
    const starting = createCronRoute({ secret: 'x', jobs: ['dispatch'], run: () => null });
    expect((await starting.request('/dispatch', { method: 'POST', headers: { authorization: 'Bearer x' } })).status).toBe(503);
  });

  it('sameSecret compares whole strings', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
  });
});
