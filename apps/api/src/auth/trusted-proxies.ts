// Which peers may tell us who the user is (AUTH_MODE=header): a list of IPs and CIDRs matched
// against the TCP peer address. X-Forwarded-For is never consulted: anyone can send it.
import { BlockList, isIP } from 'node:net';

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) → `127.0.0.1`. */
export function unmapIpv4(address: string): string {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match ? match[1] : address;
}

/** An IPv4/IPv6 address, or one with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
export function isIpOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export class TrustedProxies {
  private readonly list = new BlockList();

  /** Entries must pass isIpOrCidr (the config schema checks them at start-up). */
  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [rawAddress, prefix] = entry.split('/');
      const address = prefix === undefined ? unmapIpv4(rawAddress) : rawAddress;
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
  }

  includes(remoteAddress: string | undefined): boolean {
    if (!remoteAddress) return false;
    const address = unmapIpv4(remoteAddress);
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
