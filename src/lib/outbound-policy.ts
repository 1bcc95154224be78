// Where tomte may send a request: https only, no credentials in the URL, and no address a
// server-side request could abuse (loopback, private, link-local, unique-local, CGNAT, multicast,
// reserved), in IPv4 and IPv6, embedded IPv4 included. Pure: the runtime supplies the resolver.
// src/lib/http.ts checks every URL and every redirect hop; on Node the connection itself is made
// to the addresses checked here (adapters/node/guarded-fetch.ts), so DNS cannot change its answer
// between the check and the connect.

export type OutboundRefusal =
  /** Not https. */
  | 'scheme'
  /** user:password@ in the URL. */
  | 'credentials'
  /** An IP address (literal or resolved) in a range tomte never fetches from. */
  | 'address'
  /** A name that only means something on a local network (localhost, *.local, one label). */
  | 'name'
  /** The name resolved to no address. */
  | 'unresolved';

/** A refused URL or address. The message is ours; it names the host and the range, never a body. */
export class OutboundBlockedError extends Error {
  override readonly name = 'OutboundBlockedError';
  constructor(
    readonly reason: OutboundRefusal,
    readonly host: string,
    detail: string,
  ) {
    super(`outbound request refused: ${detail}`);
  }
}

/** True for an OutboundBlockedError anywhere in `err`'s cause chain (fetch wraps connect errors). */
export function blockedErrorIn(err: unknown): OutboundBlockedError | null {
  for (let e = err, depth = 0; e && depth < 6; depth++) {
    if (e instanceof OutboundBlockedError) return e;
    if (typeof e === 'object' && (e as { name?: unknown }).name === 'OutboundBlockedError') return e as OutboundBlockedError;
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return null;
}

interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** TOMTE_FETCH_ALLOW parsed: host names (exact, or `*.suffix`) and address ranges. */
export interface AllowList {
  readonly hosts: ReadonlySet<string>;
  readonly suffixes: readonly string[];
  readonly ranges: readonly Cidr[];
}

export const EMPTY_ALLOW_LIST: AllowList = { hosts: new Set(), suffixes: [], ranges: [] };

export interface OutboundPolicy {
  readonly allow: AllowList;
  /**
   * Every address a host name resolves to. Node: the OS resolver. Absent where the runtime cannot
   * resolve (Workers): names are then checked by their form only, and the platform makes the connection.
   */
  readonly resolve?: (hostname: string) => Promise<string[]>;
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allow: EMPTY_ALLOW_LIST };

// --- Addresses ---------------------------------------------------------------------------------

/** Dotted-decimal IPv4 (what URL parsing and resolvers produce) to 4 bytes. */
export function parseIPv4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out[i] = Number(p);
  }
  return out;
}

/** IPv6 text (`::1`, `::ffff:127.0.0.1`, `fe80::1%eth0`, with or without brackets) to 16 bytes. */
export function parseIPv6(input: string): Uint8Array | null {
  let s = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  s = s.replace(/%.*$/, '');
  if (!s.includes(':')) return null;
  const words: number[] = [];
  let tail: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = parseIPv4(s.slice(lastColon + 1));
    if (!tail) return null;
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  const fill = 8 - head.length - rest.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  for (const w of [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...rest]) {
    if (!/^[0-9a-f]{1,4}$/i.test(w)) return null;
    words.push(parseInt(w, 16));
  }
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

function parseAddress(s: string): Uint8Array | null {
  return parseIPv4(s) ?? parseIPv6(s);
}

function cidr(text: string): Cidr {
  const [addr, bits] = text.split('/') as [string, string];
  const bytes = parseAddress(addr);
  if (!bytes) throw new Error(`bad range ${text}`);
  return { bytes, bits: Number(bits) };
}

function inRange(bytes: Uint8Array, r: Cidr): boolean {
  if (bytes.length !== r.bytes.length) return false;
  for (let bit = 0; bit < r.bits; bit += 8) {
    const take = Math.min(8, r.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (r.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/** IPv4 ranges tomte never fetches from, with the name a refusal gives. */
const BLOCKED_V4: readonly [string, string][] = [
  ['0.0.0.0/8', 'this network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF)'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved (6to4 relay)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
];

/** IPv6 ranges inside global unicast (2000::/3) that are still not the public internet. */
const BLOCKED_V6: readonly [string, string][] = [
  ['2001::/32', 'Teredo'],
  ['2001:2::/48', 'benchmarking'],
  ['2001:10::/28', 'ORCHID'],
  ['2001:20::/28', 'ORCHIDv2'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
];

const V4_RANGES = BLOCKED_V4.map(([c, name]) => ({ ...cidr(c), name }));
const V6_RANGES = BLOCKED_V6.map(([c, name]) => ({ ...cidr(c), name }));
const GLOBAL_UNICAST = cidr('2000::/3');
const NAMED_V6: { range: Cidr; name: string }[] = [
  { range: cidr('::/128'), name: 'unspecified' },
  { range: cidr('::1/128'), name: 'loopback' },
  { range: cidr('fc00::/7'), name: 'unique-local' },
  { range: cidr('fe80::/10'), name: 'link-local' },
  { range: cidr('fec0::/10'), name: 'site-local' },
  { range: cidr('ff00::/8'), name: 'multicast' },
  { range: cidr('64:ff9b:1::/48'), name: 'local NAT64' },
  { range: cidr('100::/64'), name: 'discard' },
];

/** The IPv4 address an IPv6 address carries: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64, 6to4. */
function embeddedV4(b: Uint8Array): Uint8Array | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return b.slice(12);
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1)) return b.slice(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return b.slice(12);
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6);
  return null;
}

/**
 * Why an address must not be fetched from ('loopback', 'private', …), or null for a public one.
 * IPv6 outside global unicast is refused unless it carries an IPv4 address, which is judged instead.
 */
export function blockedRange(address: string): string | null {
  const bytes = parseAddress(address);
  if (!bytes) return 'not an IP address';
  return blockedRangeOf(bytes);
}

function blockedRangeOf(bytes: Uint8Array): string | null {
  if (bytes.length === 4) return V4_RANGES.find((r) => inRange(bytes, r))?.name ?? null;
  const v4 = embeddedV4(bytes);
  if (v4) {
    const inner = blockedRangeOf(v4);
    return inner ? `${inner} (IPv4 inside IPv6)` : null;
  }
  const named = NAMED_V6.find((n) => inRange(bytes, n.range));
  if (named) return named.name;
  if (!inRange(bytes, GLOBAL_UNICAST)) return 'reserved';
  return V6_RANGES.find((r) => inRange(bytes, r))?.name ?? null;
}

// --- Names -------------------------------------------------------------------------------------

/** Suffixes of names that only resolve on a local network or the machine itself. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home.arpa', 'localdomain', 'corp'];

function normalHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.$/, '');
}

function isIpLiteral(host: string): boolean {
  return host.startsWith('[') || parseIPv4(host) !== null;
}

function localName(host: string): boolean {
  if (!host.includes('.')) return true;
  return LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
}

function hostAllowed(host: string, allow: AllowList): boolean {
  return allow.hosts.has(host) || allow.suffixes.some((s) => host.endsWith(`.${s}`));
}

function addressAllowed(bytes: Uint8Array, allow: AllowList): boolean {
  const v4 = bytes.length === 16 ? embeddedV4(bytes) : null;
  return allow.ranges.some((r) => inRange(bytes, r) || (v4 !== null && inRange(v4, r)));
}

/**
 * Parses TOMTE_FETCH_ALLOW entries: `gis.kommune.no` (that host, whatever it resolves to),
 * `*.kommune.no` (its subdomains), `10.20.0.0/16` or `fd00::/8` (addresses in the range, for any
 * host), `10.20.30.40` (that address). Throws with the bad entry.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const hosts = new Set<string>();
  const suffixes: string[] = [];
  const ranges: Cidr[] = [];
  for (const raw of entries) {
    const e = raw.trim().toLowerCase();
    if (e === '') continue;
    const slash = e.indexOf('/');
    if (slash >= 0) {
      const bytes = parseAddress(e.slice(0, slash));
      const bits = e.slice(slash + 1);
      if (!bytes || !/^\d{1,3}$/.test(bits) || Number(bits) > bytes.length * 8) throw new Error(`"${raw}" is not an address range (10.0.0.0/8, fd00::/8)`);
      ranges.push({ bytes, bits: Number(bits) });
      continue;
    }
    const literal = parseAddress(e);
    if (literal) {
      ranges.push({ bytes: literal, bits: literal.length * 8 });
      continue;
    }
    const name = e.startsWith('*.') ? e.slice(2) : e;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) throw new Error(`"${raw}" is not a host name, *.suffix, address or range`);
    if (e.startsWith('*.')) suffixes.push(name);
    else hosts.add(name);
  }
  return { hosts, suffixes, ranges };
}

// --- Checks ------------------------------------------------------------------------------------

/**
 * What can be decided from the URL alone, on every runtime: https, no credentials, no address in a
 * refused range, no local-only name. Throws OutboundBlockedError.
 */
export function checkUrlForm(url: URL, allow: AllowList): void {
  const host = normalHost(url.hostname);
  if (url.protocol !== 'https:') throw new OutboundBlockedError('scheme', host, `${url.protocol.replace(/:$/, '')} is not allowed; only https`);
  if (url.username !== '' || url.password !== '') throw new OutboundBlockedError('credentials', host, 'a URL with a user name or password is not allowed');
  if (hostAllowed(host, allow)) return;
  if (isIpLiteral(host)) {
    const bytes = parseAddress(host)!;
    const range = blockedRangeOf(bytes);
    if (range && !addressAllowed(bytes, allow)) throw new OutboundBlockedError('address', host, `${host} is a ${range} address`);
    return;
  }
  if (localName(host)) throw new OutboundBlockedError('name', host, `${host} is a local name`);
}

/**
 * Checks every address a host resolved to; one refused address refuses the host (a name that also
 * points inside the network is not a public source). Returns the addresses to connect to.
 */
export function checkResolved(hostname: string, addresses: readonly string[], allow: AllowList): string[] {
  const host = normalHost(hostname);
  if (addresses.length === 0) throw new OutboundBlockedError('unresolved', host, `${host} resolved to no address`);
  if (hostAllowed(host, allow)) return [...addresses];
  for (const a of addresses) {
    const bytes = parseAddress(a);
    if (!bytes) throw new OutboundBlockedError('address', host, `${host} resolved to "${a}", not an IP address`);
    const range = blockedRangeOf(bytes);
    if (range && !addressAllowed(bytes, allow)) throw new OutboundBlockedError('address', host, `${host} resolves to ${a}, a ${range} address`);
  }
  return [...addresses];
}

/**
 * The full check at registration: the URL's form, then (where the runtime can resolve) every
 * address its host has now. Throws OutboundBlockedError. Fetching checks again at connect time.
 */
export async function checkOutboundUrl(url: URL, policy: OutboundPolicy): Promise<void> {
  checkUrlForm(url, policy.allow);
  const host = normalHost(url.hostname);
  if (isIpLiteral(host) || !policy.resolve) return;
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch {
    throw new OutboundBlockedError('unresolved', host, `${host} could not be resolved`);
  }
  checkResolved(host, addresses, policy.allow);
}

/** The URL without user name, password, query or fragment: what logs and admin views may show. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
