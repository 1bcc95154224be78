import { createHttpClient, type HttpClient } from '../../src/lib/http';
import { DEFAULT_OUTBOUND_POLICY, type OutboundPolicy } from '../../src/lib/outbound-policy';
import { RateLimiter } from '../../src/lib/rate-limiter';
import type { MakeHttpClient, SourceGroup } from '../../src/services/refresh-sources';

/** Largest response per source group: SSB's biggest tables, split below 800,000 cells, are tens of MB. */
export const SOURCE_RESPONSE_LIMITS: Record<SourceGroup | 'lots' | 'adresser', number> = {
  ssb: 64 * 1024 * 1024,
  valg: 64 * 1024 * 1024,
  klass: 4 * 1024 * 1024,
  robek: 2 * 1024 * 1024,
  kartverket: 16 * 1024 * 1024,
  adresser: 1024 * 1024,
  // Lot sources narrow this per kind (LOT_RESPONSE_LIMITS); this is the ceiling.
  lots: 50 * 1024 * 1024,
};

export interface SourceHttpOptions {
  /** The fetch to use: on Node the guarded fetch (connections only to checked addresses). */
  fetch?: typeof fetch;
  /** Where requests may go; every URL and redirect hop is checked. */
  policy?: OutboundPolicy;
}

/**
 * HTTP clients for the sources. One limiter per upstream host is shared by every client of that
 * host: SSB (statbank and KLASS, data.ssb.no) allows about 30 calls a minute per IP and tomte
 * budgets 25, one at a time, never between 07:55 and 08:15 Norwegian time (SSB publishes at
 * 08:00). regjeringen.no (ROBEK) gets a small budget of its own; the address search
 * (ws.geonorge.no) answers chat users, so it fails fast instead of retrying long. Lot sources get a
 * limiter per host, so one slow kommune server does not hold the others. Runtime-neutral: the
 * Worker uses it too.
 */
export function createSourceHttp(opts: SourceHttpOptions = {}): MakeHttpClient {
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const ssbLimiter = new RateLimiter({ maxPerMinute: 25 });
  const kartverketLimiter = new RateLimiter({ maxPerMinute: 60 });
  const robekLimiter = new RateLimiter({ maxPerMinute: 10 });
  const addressLimiter = new RateLimiter({ maxPerMinute: 120, sequential: false });
  // Lot sources: kommuners' own servers, Kartverket's WFS and eiendom API, DiBK — polite per host.
  const lotLimiters = new Map<string, RateLimiter>();
  const lotLimiter = (url: URL): RateLimiter => {
    let l = lotLimiters.get(url.host);
    if (!l) lotLimiters.set(url.host, (l = new RateLimiter({ maxPerMinute: 60 })));
    return l;
  };
  return (source, onResponse, hooks): HttpClient => {
    const isSsb = source === 'ssb' || source === 'valg' || source === 'klass';
    const isLots = source === 'lots';
    const interactive = source === 'adresser';
    return createHttpClient({
      source: isSsb ? 'ssb' : source,
      fetch: fetchImpl,
      policy: opts.policy ?? DEFAULT_OUTBOUND_POLICY,
      limiter: isSsb ? ssbLimiter : isLots ? lotLimiter : source === 'robek' ? robekLimiter : interactive ? addressLimiter : kartverketLimiter,
      ...(isSsb ? { quietWindow: { from: '07:55', to: '08:15' }, problemTitles: true } : {}),
      // Three retries with a short base keep an offline machine's refresh to a few seconds per source.
      // A lot source is one of many fetched in the same run, and an address search answers a
      // user: fewer, shorter attempts.
      retries: interactive ? 1 : isLots ? 2 : 3,
      backoffMs: 500,
      timeoutMs: interactive ? 5_000 : isLots ? 30_000 : 60_000,
      // The quiet window can hold an SSB call for 20 minutes; the others have no reason to wait long.
      deadlineMs: isSsb ? 30 * 60_000 : interactive ? 10_000 : isLots ? 2 * 60_000 : 5 * 60_000,
      maxBytes: SOURCE_RESPONSE_LIMITS[source],
      onResponse,
      ...(hooks?.onWait ? { onWait: hooks.onWait } : {}),
      userAgent: 'tomte/0.1 (3dje Boligsektor)',
    });
  };
}
