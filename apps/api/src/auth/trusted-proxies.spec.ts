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

  it('isIpOrCidr accepts addresses and prefixes in range only', () => {
    expect(['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/128', '0.0.0.0/0'].every(isIpOrCidr)).toBe(true);
    expect(
      ['proxy.example', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/1', '10.0.0.0/-1', ''].some(
        isIpOrCidr,
      ),
    ).toBe(false);
  });
});
