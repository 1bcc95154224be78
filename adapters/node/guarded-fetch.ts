/**
 * The fetch every outside call uses on Node: undici with an Agent whose connections go only to
 * addresses the outbound policy has checked. The host is resolved once per connection, every
 * address it resolves to is checked (loopback, private, link-local, … are refused unless
 * TOMTE_FETCH_ALLOW names them), and the socket connects to those same addresses: there is no
 * second lookup for DNS to answer differently (rebinding). TLS still verifies the certificate for
 * the URL's host name. src/lib/http.ts checks each URL and redirect hop by its form first (IP
 * literals never reach a lookup).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { checkResolved, checkUrlForm, type OutboundPolicy } from '../../src/lib/outbound-policy';

/** Every address of a name from the OS resolver (getaddrinfo: /etc/hosts, then DNS). */
export async function systemResolve(hostname: string): Promise<string[]> {
  return (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}

export interface GuardedFetchOptions {
  /** Extra trust anchors (PEM): the tests' CA. Production uses Node's default store. */
  ca?: string | Buffer;
  /** TCP + TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
}

export type Resolve = (hostname: string) => Promise<string[]>;

/** A checked lookup for net.connect: resolve, check every address, hand back only those. */
export function checkedLookup(policy: OutboundPolicy & { resolve: Resolve }): LookupFunction {
  return (hostname, options, callback) => {
    policy.resolve(hostname).then(
      (addresses) => {
        let checked: string[];
        try {
          checked = checkResolved(hostname, addresses, policy.allow);
        } catch (err) {
          callback(err as NodeJS.ErrnoException, '', 4);
          return;
        }
        const family = (a: string) => (a.includes(':') ? 6 : 4);
        const wanted = options.family === 4 || options.family === 6 ? checked.filter((a) => family(a) === options.family) : checked;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 4);
          return;
        }
        if (options.all) callback(null, wanted.map((address) => ({ address, family: family(address) })));
        else callback(null, wanted[0]!, family(wanted[0]!));
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 4),
    );
  };
}

/** A fetch for createHttpClient: undici over the checked lookup. */
export function createGuardedFetch(policy: OutboundPolicy & { resolve: Resolve }, opts: GuardedFetchOptions = {}): typeof fetch {
  const agent = new Agent({
    connect: {
      lookup: checkedLookup(policy),
      timeout: opts.connectTimeoutMs ?? 10_000,
      ...(opts.ca ? { ca: opts.ca } : {}),
    },
  });
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    // http.ts has checked this already; a fetch that is handed around must not be a way around it.
    checkUrlForm(url, policy.allow);
    return undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent }) as unknown as Promise<Response>;
  };
  return guarded as typeof fetch;
}
