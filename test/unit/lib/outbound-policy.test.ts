import { describe, expect, it } from 'vitest';
import {
  blockedRange,
  checkOutboundUrl,
  checkResolved,
  checkUrlForm,
  displayUrl,
  EMPTY_ALLOW_LIST,
  OutboundBlockedError,
  parseAllowList,
  parseIPv6,
  type OutboundPolicy,
} from '../../../src/lib/outbound-policy';

const refusal = (f: () => unknown): OutboundBlockedError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundBlockedError);
    return err as OutboundBlockedError;
  }
  throw new Error('expected a refusal');
};

describe('blockedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback (IPv4 inside IPv6)'],
    ['::ffff:7f00:1', 'loopback (IPv4 inside IPv6)'],
    ['::ffff:a9fe:a9fe', 'link-local (IPv4 inside IPv6)'],
    ['::127.0.0.1', 'loopback (IPv4 inside IPv6)'],
    ['64:ff9b::10.0.0.1', 'private (IPv4 inside IPv6)'],
    ['2002:7f00:1::1', 'loopback (IPv4 inside IPv6)'],
    ['2001:db8::1', 'documentation'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['100::1', 'discard'],
    ['4000::1', 'reserved'],
  ])('%s is refused as %s', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '151.101.1.1', '172.32.0.1', '100.128.0.1', '2a00:1450:400f:80d::200e', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1'])('%s is public', (address) => {
    expect(blockedRange(address)).toBeNull();
  });

  it('parses IPv6 forms and refuses nonsense', () => {
    expect(parseIPv6('[::1]')).toEqual(parseIPv6('0:0:0:0:0:0:0:1'));
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
    expect(blockedRange('not-an-ip')).toBe('not an IP address');
  });
});

describe('checkUrlForm', () => {
  const check = (url: string, allow = EMPTY_ALLOW_LIST) => checkUrlForm(new URL(url), allow);

  it.each([
    ['https://127.0.0.1:5432/', 'address'],
    ['https://169.254.169.254/latest/meta-data/', 'address'],
    ['https://[::1]:3000/metrics', 'address'],
    ['https://[::ffff:127.0.0.1]/', 'address'],
    // WHATWG URL parsing turns every numeric host form into dotted decimal before the check.
    ['https://0x7f000001:3000/x', 'address'],
    ['https://2130706433/', 'address'],
    ['https://017700000001/', 'address'],
    ['https://127.1/', 'address'],
    ['https://0x7f.0.0.1/', 'address'],
    ['https://0/', 'address'],
    ['https://10.0.0.1/', 'address'],
    ['http://example.no/', 'scheme'],
    ['ftp://example.no/', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['https://user:pass@example.no/', 'credentials'],
    ['https://token@example.no/', 'credentials'],
    ['https://localhost/', 'name'],
    ['https://localhost./', 'name'],
    ['https://api.localhost/', 'name'],
    ['https://metadata.google.internal/', 'name'],
    ['https://printer.local/', 'name'],
    ['https://postgres/', 'name'],
  ])('%s is refused (%s)', (url, reason) => {
    expect(refusal(() => check(url)).reason).toBe(reason);
  });

  it.each(['https://data.ssb.no/api/', 'https://wfs.geonorge.no/skwms1/wfs', 'https://8.8.8.8/', 'https://[2a00:1450::1]/'])('%s passes', (url) => {
    expect(() => check(url)).not.toThrow();
  });

  it('an allow list lets a deliberate private source through, and nothing else', () => {
    const allow = parseAllowList(['gis.kommune.internal', '*.lan.example.no', '10.20.0.0/16', 'fd00::/8', '192.168.1.5']);
    expect(() => check('https://gis.kommune.internal/x', allow)).not.toThrow();
    expect(() => check('https://a.lan.example.no/x', allow)).not.toThrow();
    expect(() => check('https://10.20.4.5/', allow)).not.toThrow();
    expect(() => check('https://[fd00::5]/', allow)).not.toThrow();
    expect(() => check('https://192.168.1.5/', allow)).not.toThrow();
    expect(refusal(() => check('https://192.168.1.6/', allow)).reason).toBe('address');
    expect(refusal(() => check('https://10.21.0.1/', allow)).reason).toBe('address');
    expect(refusal(() => check('https://other.internal/', allow)).reason).toBe('name');
    // Still https only, still no credentials.
    expect(refusal(() => check('http://gis.kommune.internal/', allow)).reason).toBe('scheme');
    expect(refusal(() => check('https://u:p@gis.kommune.internal/', allow)).reason).toBe('credentials');
  });

  it('refuses allow-list entries it cannot read', () => {
    expect(() => parseAllowList(['10.0.0.0/33'])).toThrow(/not an address range/);
    expect(() => parseAllowList(['https://x.no'])).toThrow();
    expect(() => parseAllowList(['bad_host.no'])).toThrow(/not a host name/);
    expect(parseAllowList([' ', ''])).toEqual({ hosts: new Set(), suffixes: [], ranges: [] });
  });
});

describe('checkResolved and checkOutboundUrl', () => {
  it('refuses a host when any of its addresses is refused', () => {
    expect(checkResolved('ok.example.no', ['151.101.1.1', '2a04:4e42::1'], EMPTY_ALLOW_LIST)).toEqual(['151.101.1.1', '2a04:4e42::1']);
    expect(refusal(() => checkResolved('mixed.example.no', ['151.101.1.1', '10.0.0.5'], EMPTY_ALLOW_LIST)).message).toMatch(/10\.0\.0\.5, a private address/);
    expect(refusal(() => checkResolved('none.example.no', [], EMPTY_ALLOW_LIST)).reason).toBe('unresolved');
  });

  it('resolves names at registration when the runtime can', async () => {
    const policy: OutboundPolicy = {
      allow: EMPTY_ALLOW_LIST,
      resolve: async (host) => ({ 'public.example.no': ['151.101.1.1'], 'sneaky.example.no': ['127.0.0.1'] })[host] ?? Promise.reject(new Error('ENOTFOUND')),
    };
    await expect(checkOutboundUrl(new URL('https://public.example.no/x'), policy)).resolves.toBeUndefined();
    await expect(checkOutboundUrl(new URL('https://sneaky.example.no/x'), policy)).rejects.toMatchObject({ reason: 'address' });
    await expect(checkOutboundUrl(new URL('https://gone.example.no/x'), policy)).rejects.toMatchObject({ reason: 'unresolved' });
    // Without a resolver (Workers) the form is all that can be checked.
    await expect(checkOutboundUrl(new URL('https://sneaky.example.no/x'), { allow: EMPTY_ALLOW_LIST })).resolves.toBeUndefined();
  });

  it('displayUrl drops credentials, query and fragment', () => {
    expect(displayUrl('https://u:p@host.no:8443/a/b?token=x#f')).toBe('https://host.no:8443/a/b');
  });
});
