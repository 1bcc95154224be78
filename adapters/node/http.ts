import { createHttpClient, type HttpClient } from '../../src/lib/http';
import { RateLimiter } from '../../src/lib/rate-limiter';
import type { MakeHttpClient, SourceGroup } from '../../src/services/refresh-sources';

/**
 * HTTP clients for the sources, on Node's global fetch. One limiter per upstream host is shared
 * by every client of that host: SSB allows about 30 calls a minute per IP and tomte budgets 25,
 * one at a time, never between 07:55 and 08:15 Norwegian time (SSB publishes at 08:00).
 */
export function createSourceHttp(fetchImpl: typeof fetch = globalThis.fetch): MakeHttpClient {
  const ssbLimiter = new RateLimiter({ maxPerMinute: 25 });
  const kartverketLimiter = new RateLimiter({ maxPerMinute: 60 });
  // Lot sources: kommuners' own servers, Kartverket's WFS and eiendom API, DiBK — polite and serial.
  const lotsLimiter = new RateLimiter({ maxPerMinute: 60 });
  return (source: SourceGroup | 'lots', onResponse): HttpClient => {
    const isSsb = source === 'ssb' || source === 'valg';
    return createHttpClient({
      source: isSsb ? 'ssb' : source,
      fetch: fetchImpl,
      limiter: isSsb ? ssbLimiter : source === 'lots' ? lotsLimiter : kartverketLimiter,
      ...(isSsb ? { quietWindow: { from: '07:55', to: '08:15' } } : {}),
      // Three retries with a short base keep an offline machine's refresh to a few seconds per source.
      retries: 3,
      backoffMs: 500,
      timeoutMs: 60_000,
      onResponse,
      userAgent: 'tomte/0.1 (3dje Boligsektor)',
    });
  };
}
