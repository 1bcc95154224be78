import { createHttpClient, type HttpClient } from '../../src/lib/http';
import { RateLimiter } from '../../src/lib/rate-limiter';
import type { MakeHttpClient } from '../../src/services/refresh-sources';

/**
 * HTTP clients for the sources, on Node's global fetch. One limiter per upstream host is shared
 * by every client of that host: SSB (statbank and KLASS, data.ssb.no) allows about 30 calls a
 * minute per IP and tomte budgets 25, one at a time, never between 07:55 and 08:15 Norwegian time
 * (SSB publishes at 08:00). regjeringen.no (ROBEK) gets a small budget of its own; the address
 * search (ws.geonorge.no) answers chat users, so it fails fast instead of retrying long.
 */
export function createSourceHttp(fetchImpl: typeof fetch = globalThis.fetch): MakeHttpClient {
  const ssbLimiter = new RateLimiter({ maxPerMinute: 25 });
  const kartverketLimiter = new RateLimiter({ maxPerMinute: 60 });
  // Lot sources: kommuners' own servers, Kartverket's WFS and eiendom API, DiBK — polite and serial.
  const lotsLimiter = new RateLimiter({ maxPerMinute: 60 });
  const robekLimiter = new RateLimiter({ maxPerMinute: 10 });
  const addressLimiter = new RateLimiter({ maxPerMinute: 120, sequential: false });
  return (source, onResponse, hooks): HttpClient => {
    const isSsb = source === 'ssb' || source === 'valg' || source === 'klass';
    const limiter = isSsb ? ssbLimiter : source === 'lots' ? lotsLimiter : source === 'robek' ? robekLimiter : source === 'adresser' ? addressLimiter : kartverketLimiter;
    const interactive = source === 'adresser';
    return createHttpClient({
      source: isSsb ? 'ssb' : source,
      fetch: fetchImpl,
      limiter,
      ...(isSsb ? { quietWindow: { from: '07:55', to: '08:15' } } : {}),
      // Three retries with a short base keep an offline machine's refresh to a few seconds per source.
      retries: interactive ? 1 : 3,
      backoffMs: 500,
      timeoutMs: interactive ? 5_000 : 60_000,
      onResponse,
      ...(hooks?.onWait ? { onWait: hooks.onWait } : {}),
      userAgent: 'tomte/0.1 (3dje Boligsektor)',
    });
  };
}
