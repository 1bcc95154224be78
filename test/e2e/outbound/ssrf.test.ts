// The outbound policy through the production fetch path: createHttpClient over the guarded fetch
// (undici, the checked lookup, TLS), against a local HTTPS server on 127.0.0.1 with the test CA.
// "Public" names reach that server only through a stub resolver, and only where an explicit allow
// list says so; nothing here touches the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../adapters/node/guarded-fetch';
import { createHttpClient, UpstreamError, type HttpClient } from '../../../src/lib/http';
import { parseAllowList, type OutboundPolicy } from '../../../src/lib/outbound-policy';
import { addLotSource, LotSourceRefusedError } from '../../../src/services/lots/queries';
import { createLotSource, LOT_RESPONSE_LIMITS } from '../../../src/sources/lots/source';
import { silentLogger } from '../../../src/lib/logger';
import { seed2026 } from '../../../src/domain/scoring/models/seed-2026';
import type { Db } from '../../../src/store/db';
import { peakRssDuring, rssAfterGc, startBigResponseServer, startTlsServer, TEST_CA, type TlsServer } from '../../support/tls-server';

let srv: TlsServer;
beforeAll(async () => {
  srv = await startTlsServer();
  srv.route('/ok', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  srv.route('/secret', (_req, res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('AccessKeyId=AKIAEXAMPLE SecretAccessKey=wJalrXUtnFEMI'));
});
afterAll(() => srv.close());

/** A resolver stub: a name → its addresses, with every lookup counted. */
function stubResolver(table: Record<string, string[] | (() => string[])>) {
  const lookups: string[] = [];
  const resolve = async (host: string): Promise<string[]> => {
    lookups.push(host);
    const entry = table[host];
    if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return typeof entry === 'function' ? entry() : entry;
  };
  return { resolve, lookups };
}

function client(allow: string[], resolve: (h: string) => Promise<string[]>, opts: { maxBytes?: number } = {}): HttpClient {
  const policy: OutboundPolicy & { resolve: typeof resolve } = { allow: parseAllowList(allow), resolve };
  return createHttpClient({ source: 'lots', fetch: createGuardedFetch(policy, { ca: TEST_CA }), policy, retries: 0, timeoutMs: 10_000, ...opts });
}

async function refusal(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

describe('outbound policy at fetch (real connect path)', () => {
  it('the test server is reachable through the guarded fetch when a name is allowed on purpose', async () => {
    const { resolve, lookups } = stubResolver({ 'public.tomte.test': ['127.0.0.1'] });
    const res = await client(['public.tomte.test'], resolve).request({ url: `https://public.tomte.test:${srv.port}/ok` });
    expect(res.text).toBe('ok');
    expect(lookups).toEqual(['public.tomte.test']);
  });

  it.each([
    ['loopback', (p: number) => `https://127.0.0.1:${p}/ok`],
    ['loopback, hex', (p: number) => `https://0x7f000001:${p}/ok`],
    ['loopback, decimal', (p: number) => `https://2130706433:${p}/ok`],
    ['loopback, octal', (p: number) => `https://0177.0.0.1:${p}/ok`],
    ['loopback, short', (p: number) => `https://127.1:${p}/ok`],
    ['IPv6 loopback', (p: number) => `https://[::1]:${p}/ok`],
    ['IPv4-mapped IPv6', (p: number) => `https://[::ffff:127.0.0.1]:${p}/ok`],
    ['metadata service', () => 'https://169.254.169.254/latest/meta-data/'],
    ['private 10/8', () => 'https://10.0.0.5/'],
    ['private 192.168/16', () => 'https://192.168.1.1/'],
    ['CGNAT', () => 'https://100.64.0.1/'],
    ['unique-local IPv6', () => 'https://[fd00::1]/'],
    ['link-local IPv6', () => 'https://[fe80::1]/'],
    ['multicast', () => 'https://224.0.0.1/'],
    ['the PostgreSQL port', () => 'https://127.0.0.1:5432/'],
    ['localhost by name', (p: number) => `https://localhost:${p}/ok`],
    ['plain http', (p: number) => `http://127.0.0.1:${p}/ok`],
    ['credentials', (p: number) => `https://user:pass@public.tomte.test:${p}/ok`],
  ])('%s is refused and never reached', async (_name, url) => {
    const before = srv.seen.length;
    const { resolve } = stubResolver({});
    const err = await refusal(client([], resolve).request({ url: url(srv.port) }));
    expect(err.kind).toBe('blocked');
    expect(srv.seen.length).toBe(before);
  });

  it('a name that resolves to loopback is refused at connect time', async () => {
    const before = srv.seen.length;
    const { resolve, lookups } = stubResolver({ 'sneaky.tomte.test': ['127.0.0.1'] });
    const err = await refusal(client([], resolve).request({ url: `https://sneaky.tomte.test:${srv.port}/ok` }));
    expect(err.kind).toBe('blocked');
    expect(err.message).toMatch(/sneaky\.tomte\.test resolves to 127\.0\.0\.1, a loopback address/);
    expect(lookups).toEqual(['sneaky.tomte.test']);
    expect(srv.seen.length).toBe(before);
  });

  it('a host that answers with a public and a private address is refused', async () => {
    const before = srv.seen.length;
    // 127.0.0.1 stands in for a public address (allowed on purpose); the metadata address is not.
    const { resolve } = stubResolver({ 'mixed.tomte.test': ['127.0.0.1', '169.254.169.254'] });
    const err = await refusal(client(['127.0.0.1/32'], resolve).request({ url: `https://mixed.tomte.test:${srv.port}/ok` }));
    expect(err.kind).toBe('blocked');
    expect(srv.seen.length).toBe(before);
  });

  it('DNS rebinding: the connection goes to the address that was checked, with one lookup', async () => {
    let answers = 0;
    // First answer "public" (127.0.0.1, allowed on purpose), every later one private.
    const { resolve, lookups } = stubResolver({ 'rebind.tomte.test': () => (answers++ === 0 ? ['127.0.0.1'] : ['10.0.0.7']) });
    const before = srv.seen.length;
    const res = await client(['127.0.0.1/32'], resolve).request({ url: `https://rebind.tomte.test:${srv.port}/ok` });
    expect(res.text).toBe('ok');
    expect(lookups).toEqual(['rebind.tomte.test']);
    expect(srv.seen.slice(before)).toEqual([`rebind.tomte.test:${srv.port} /ok`]);
    // A new connection looks up again, gets the private answer, and is refused.
    const err = await refusal(client(['127.0.0.1/32'], resolve).request({ url: `https://rebind.tomte.test:${srv.port}/ok` }));
    expect(err.kind).toBe('blocked');
    expect(err.message).toMatch(/10\.0\.0\.7, a private address/);
  });

  it.each([
    ['a private address', (p: number) => `https://127.0.0.1:${p}/ok`],
    ['plain http on loopback', (p: number) => `http://127.0.0.1:${p}/ok`],
    ['a name that resolves inside', (p: number) => `https://inside.tomte.test:${p}/ok`],
    ['the metadata service', () => 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
  ])('a public host redirecting to %s is refused at the hop', async (_name, target) => {
    const path = `/to-${Math.random().toString(36).slice(2)}`;
    srv.route(path, (_req, res) => res.writeHead(302, { location: target(srv.port) }).end());
    const { resolve } = stubResolver({ 'public.tomte.test': ['127.0.0.1'], 'inside.tomte.test': ['192.168.0.10'] });
    const before = srv.seen.length;
    const err = await refusal(client(['public.tomte.test'], resolve).request({ url: `https://public.tomte.test:${srv.port}${path}` }));
    expect(err.kind).toBe('blocked');
    // The first hop was made; the second never was.
    expect(srv.seen.slice(before)).toEqual([`public.tomte.test:${srv.port} ${path}`]);
  });

  it('an upstream error body stays out of the error: length and hash only', async () => {
    const { resolve } = stubResolver({ 'public.tomte.test': ['127.0.0.1'] });
    const err = await refusal(client(['public.tomte.test'], resolve).request({ url: `https://public.tomte.test:${srv.port}/secret` }));
    expect(err).toMatchObject({ kind: 'http', status: 403, bodyLength: 'AccessKeyId=AKIAEXAMPLE SecretAccessKey=wJalrXUtnFEMI'.length });
    expect(`${err.message} ${JSON.stringify(err)}`).not.toMatch(/AccessKeyId|SecretAccessKey|AKIA/);
  });

  it('a 50 MB response to a source with a 10 MB cap is cut off; RSS grows by less than 20 MB', async () => {
    expect(LOT_RESPONSE_LIMITS.geojson).toBe(10 * 1024 * 1024);
    // The server runs in its own process, so only the fetching side counts.
    const big = await startBigResponseServer();
    try {
      const { resolve } = stubResolver({ 'big.tomte.test': ['127.0.0.1'] });
      // The lot source's own client; the kind's cap (10 MB) comes from createLotSource.
      const http = client(['big.tomte.test'], resolve, { maxBytes: 64 * 1024 * 1024 });
      const source = createLotSource({ id: 'geojson-big', kind: 'geojson', url: `https://big.tomte.test:${big.port}/big.geojson?bytes=${50 * 1024 * 1024}`, cadence: 'daily' });
      const fetchOnce = () => source.fetch(http, new Date()).then(() => null, (e: unknown) => e);
      // The first large read of a process raises the allocator's high-water mark by tens of MB
      // whatever is kept (measured: the same even when every chunk is dropped at once); that memory
      // is reused by every later read. The measurement is of a warmed process, as a service is.
      expect(await fetchOnce()).toMatchObject({ kind: 'too-large' });
      const before = rssAfterGc();
      const { result, peak } = await peakRssDuring(fetchOnce);
      const after = rssAfterGc();
      // For contrast: the same response read whole under a larger cap.
      const whole = createHttpClient({ source: 'lots', fetch: createGuardedFetch({ allow: parseAllowList(['big.tomte.test']), resolve }, { ca: TEST_CA }), policy: { allow: parseAllowList(['big.tomte.test']) }, retries: 0, maxBytes: 64 * 1024 * 1024 });
      const { peak: peakWhole } = await peakRssDuring(() => whole.request({ url: `https://big.tomte.test:${big.port}/whole?bytes=${50 * 1024 * 1024}` }));
      const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
      console.log(`RSS growth, 50 MB response: under the 10 MB cap peak +${mb(peak - before)}, after +${mb(after - before)}; read whole peak +${mb(peakWhole - before)}`);
      expect(result).toBeInstanceOf(UpstreamError);
      expect((result as UpstreamError).kind).toBe('too-large');
      // Generous margin: the 10 MB read plus TLS and undici buffers; the whole body would be 50 MB.
      expect(peak - before).toBeLessThan(20 * 1024 * 1024);
      expect(after - before).toBeLessThan(20 * 1024 * 1024);
    } finally {
      await big.close();
    }
  });
});

describe('outbound policy at registration', () => {
  const deps = (resolve: (h: string) => Promise<string[]>) => ({
    // The policy check comes before any database work: these sources are refused without one.
    db: undefined as unknown as Db,
    models: [seed2026],
    model: seed2026,
    logger: silentLogger,
    now: () => new Date(),
    outbound: { allow: parseAllowList([]), resolve },
  });
  const who = { platform: 'cli' as const, actor: 'ops', workspace: null };

  it.each([
    'https://127.0.0.1:5432/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]:3000/metrics',
    'https://0x7f000001:3000/x',
    'https://[::ffff:7f00:1]/',
    'https://10.1.2.3/lots.geojson',
    'https://localhost/lots.geojson',
    'https://sneaky.tomte.test/lots.geojson',
    'https://user:pass@kommune.example.no/lots.geojson',
  ])('%s is refused when the source is added', async (url) => {
    const { resolve } = stubResolver({ 'sneaky.tomte.test': ['192.168.5.5'], 'kommune.example.no': ['151.101.1.1'] });
    const err = await addLotSource(deps(resolve), { kind: 'geojson', url, kommuneCode: null, cadence: 'daily', createdBy: 'ops' }, who).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(LotSourceRefusedError);
    expect((err as LotSourceRefusedError).reason).toBe(url.includes('user:pass') ? 'credentials' : 'address');
  });

  it('a name that does not resolve is refused as such', async () => {
    const { resolve } = stubResolver({});
    const err = await addLotSource(deps(resolve), { kind: 'geojson', url: 'https://typo.kommune.example.no/x.geojson', kommuneCode: null, cadence: 'daily', createdBy: 'ops' }, who).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ reason: 'unresolved' });
  });
});
