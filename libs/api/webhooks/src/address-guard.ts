import { lookup as systemLookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why a webhook may not go somewhere, in words a tenant admin understands. */
export class ForbiddenTarget extends Error {}

/** IPv6 global unicast (RFC 4291): ipaddr.js calls every address it has no range for "unicast", the IPv4-compatible ::/96 and site-local fec0::/10 included. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/**
 * An address as the network reads it. ipaddr.js takes "::1.2.3.4" for the
 * IPv4-mapped ::ffff:1.2.3.4; it is the IPv4-compatible ::102:304, which the
 * URL parser spells out. A zone (fe80::1%eth0) is link-local: no address.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (address.includes('%')) return null;
  const text = isIP(address) === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
  return ipaddr.isValid(text) ? ipaddr.parse(text) : null;
}

/**
 * Whether an address is on the public internet: globally routable unicast
 * only (an allow-list: ipaddr.js's `unicast`, and for IPv6 inside 2000::/3) —
 * no loopback, private, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, multicast, reserved or unspecified addresses, nor IPv4
 * reached through IPv6 (IPv4-compatible, NAT64, 6to4, Teredo). An IPv4-mapped
 * address is judged as the IPv4 address it is. `allowed` lists exceptions (an
 * on-premises receiver).
 */
export function isPublicAddress(address: string, allowed: readonly string[] = []): boolean {
  let parsed = parseAddress(address);
  if (!parsed) return false;
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (allowed.some((a) => ipaddr.isValid(a) && ipaddr.parse(a).toNormalizedString() === parsed.toNormalizedString()))
    return true;
  if (parsed.range() !== 'unicast') return false;
  return parsed.kind() === 'ipv4' || (parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6);
}

/** What can be said about a URL before any DNS: scheme, credentials, port, names that are never public. */
export function checkUrlShape(raw: string, allowHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ForbiddenTarget('it is not a URL');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:'))
    throw new ForbiddenTarget(allowHttp ? 'only http and https URLs' : 'only https URLs');
  if (url.username || url.password)
    throw new ForbiddenTarget('credentials do not belong in the URL (use the signing secret)');
  // A trailing dot names the same host (fully qualified): "localhost." is localhost.
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal'))
    throw new ForbiddenTarget(`${host} is not a public host`);
  return url;
}

export interface AddressPolicy {
  allowedAddresses: readonly string[];
  /** DNS servers to ask (the system's resolver when empty). */
  dnsServers: readonly string[];
}

/**
 * Resolves a host once and returns an address only if every address it has
 * is public: the connection then goes to that very address (see
 * `pinnedLookup`), so a name that answers differently a moment later (DNS
 * rebinding) cannot steer it to an internal one.
 */
export async function resolvePublic(host: string, policy: AddressPolicy): Promise<{ address: string; family: 4 | 6 }> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else if (policy.dnsServers.length > 0) {
    const resolver = new Resolver({ timeout: 3000, tries: 2 });
    resolver.setServers([...policy.dnsServers]);
    const [v4, v6] = await Promise.all([
      resolver.resolve4(bare).catch(() => [] as string[]),
      resolver.resolve6(bare).catch(() => [] as string[]),
    ]);
    addresses = [...v4, ...v6];
  } else addresses = (await systemLookup(bare, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw new ForbiddenTarget(`${bare} does not resolve`);
  const refused = addresses.find((a) => !isPublicAddress(a, policy.allowedAddresses));
  if (refused) throw new ForbiddenTarget(`${bare} resolves to ${refused}, which is not a public address`);
  const address = addresses[0];
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** A `lookup` for http.request that answers with the address already checked, never asking DNS again. */
export function pinnedLookup(checked: { address: string; family: 4 | 6 }) {
  return (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [checked]);
    else callback(null, checked.address, checked.family);
  };
}
