// Which peers are our own reverse proxies (AUTH_TRUSTED_PROXIES): a list of IPs and CIDRs matched
// against the TCP peer address. Only such a peer may tell us who the user is (AUTH_MODE=header),
// and only its X-Forwarded-For says which address a request came from (clientAddress): anyone can
// send that header, so it is never read from any other peer, nor is any entry a proxy did not add.
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

  /**
   * The address a request came from: the TCP peer's, unless that is a trusted proxy. Then the
   * X-Forwarded-For entries are read from the right, each one added by the proxy before it (nginx's
   * $proxy_add_x_forwarded_for appends the address it saw), until one that is not a trusted proxy:
   * that is the client. Entries further left are whatever the client sent, and are not read. An
   * entry that is not a bare IP address stops the walk at the last address known to be true.
   */
  clientAddress(
    remoteAddress: string | undefined,
    forwardedFor: string | string[] | undefined,
  ): string | undefined {
    let client = remoteAddress === undefined ? undefined : unmapIpv4(remoteAddress);
    if (!this.includes(client)) return client;
    const hops = ([] as string[])
      .concat(forwardedFor ?? [])
      .join(',')
      .split(',');
    for (const hop of hops.reverse().map((entry) => unmapIpv4(entry.trim()))) {
      if (hop === '') continue;
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!this.includes(client)) return client;
    }
    return client;
  }
}
