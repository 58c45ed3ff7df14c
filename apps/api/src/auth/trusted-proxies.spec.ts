import { isIpOrCidr, TrustedProxies } from './trusted-proxies';

describe('TrustedProxies', () => {
  it('matches single addresses, IPv4-mapped IPv6 peers included', () => {
    const proxies = new TrustedProxies(['127.0.0.1', '::1']);
    expect(proxies.includes('127.0.0.1')).toBe(true);
    expect(proxies.includes('::ffff:127.0.0.1')).toBe(true);
    expect(proxies.includes('::1')).toBe(true);
    expect(proxies.includes('127.0.0.2')).toBe(false);
    expect(proxies.includes('::ffff:10.9.9.9')).toBe(false);
    expect(proxies.includes(undefined)).toBe(false);
    expect(proxies.includes('not-an-ip')).toBe(false);
  });

  it('matches CIDRs of both families', () => {
    const proxies = new TrustedProxies(['10.1.0.0/16', 'fd00:abcd::/32', '::ffff:192.168.5.5']);
    expect(proxies.includes('10.1.255.3')).toBe(true);
    expect(proxies.includes('::ffff:10.1.0.9')).toBe(true);
    expect(proxies.includes('10.2.0.1')).toBe(false);
    expect(proxies.includes('fd00:abcd:1::5')).toBe(true);
    expect(proxies.includes('fd00:abce::5')).toBe(false);
    expect(proxies.includes('192.168.5.5')).toBe(true);
  });

  describe('clientAddress', () => {
    const proxies = new TrustedProxies(['127.0.0.1', '::1', '10.1.0.0/16']);

    it("is the peer's address when the peer is not a trusted proxy, whatever X-Forwarded-For says", () => {
      expect(proxies.clientAddress('203.0.113.7', undefined)).toBe('203.0.113.7');
      expect(proxies.clientAddress('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
      expect(proxies.clientAddress('::ffff:203.0.113.7', '127.0.0.1')).toBe('203.0.113.7');
      expect(proxies.clientAddress(undefined, '198.51.100.1')).toBeUndefined();
    });

    it('is the address the trusted proxy added (the rightmost), not what the client put left of it', () => {
      expect(proxies.clientAddress('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
      expect(proxies.clientAddress('::ffff:127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
      // nginx appends to the client's own header: "<forged>, <real>".
      expect(proxies.clientAddress('127.0.0.1', '192.0.2.99, 198.51.100.1')).toBe('198.51.100.1');
      expect(proxies.clientAddress('::1', '2001:db8::5')).toBe('2001:db8::5');
      expect(proxies.clientAddress('127.0.0.1', ['192.0.2.99', '198.51.100.1'])).toBe('198.51.100.1');
    });

    it('walks back over a chain of trusted proxies to the first address that is not one', () => {
      expect(proxies.clientAddress('127.0.0.1', '192.0.2.99, 198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
      expect(proxies.clientAddress('127.0.0.1', '10.1.9.9,10.1.2.3')).toBe('10.1.9.9');
    });

    it("is the peer's address when a trusted proxy sent none, or stops at an entry that is no IP address", () => {
      expect(proxies.clientAddress('127.0.0.1', undefined)).toBe('127.0.0.1');
      expect(proxies.clientAddress('127.0.0.1', '')).toBe('127.0.0.1');
      expect(proxies.clientAddress('127.0.0.1', 'unknown')).toBe('127.0.0.1');
      expect(proxies.clientAddress('127.0.0.1', '198.51.100.1, 10.1.2.3:4567')).toBe('127.0.0.1');
      expect(proxies.clientAddress('127.0.0.1', 'junk, 10.1.2.3')).toBe('10.1.2.3');
    });
  });

  it('isIpOrCidr accepts addresses and prefixes in range only', () => {
    expect(['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/128', '0.0.0.0/0'].every(isIpOrCidr)).toBe(true);
    expect(
      ['proxy.example', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/1', '10.0.0.0/-1', ''].some(
        isIpOrCidr,
      ),
    ).toBe(false);
  });
});
