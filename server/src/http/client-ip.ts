import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config.js';

// Which address a request comes from. Filters, throttles and events all key on it, so it must not
// be something the client can choose: X-Forwarded-For is only believed for the hops our own
// proxies (TRUSTED_PROXIES) appended, and everything left of the first hop they vouch for is
// ignored, because a client can put any text it likes there.

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * A strictly parsed address: dotted-quad IPv4 only (no "127.1", octal or hex forms, which mean
 * different things to different parsers), IPv6 with any zone id dropped (it names one of our
 * interfaces, not the client), IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as the IPv4 address it is,
 * so the same client never has two identities. null = not an address.
 */
export function parseAddress(raw: string): Address | null {
  let text = raw.trim();
  if (!text.includes(':')) return isDottedQuad(text) ? ipaddr.IPv4.parse(text) : null;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // ipaddr.js reads an embedded IPv4 tail loosely ("::ffff:0x1.2.3.4"); hold it to the same rule.
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (tail.includes('.') && !isDottedQuad(tail)) return null;
  let v6: ipaddr.IPv6;
  try {
    v6 = ipaddr.IPv6.parse(text);
  } catch {
    return null;
  }
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

// ipaddr.js validates by catching its own exceptions, tens of microseconds each; the regex turns
// most non-IPv4 text away first (CIDR lists of thousands are parsed on the authentication path).
const isDottedQuad = (text: string) => /^\d{1,3}(?:\.\d{1,3}){3}$/.test(text) && ipaddr.IPv4.isValidFourPartDecimal(text);

/** The canonical text of an address (IPv6 in RFC 5952 form, mapped IPv4 as IPv4), or null. */
export function normaliseIp(raw: string): string | null {
  return parseAddress(raw)?.toString() ?? null;
}

/**
 * An X-Forwarded-For entry as proxies write it: a bare address, `1.2.3.4:port`, `[v6]` or
 * `[v6]:port`. A bare IPv6 address cannot carry a port (its colons would be ambiguous).
 */
function parseHop(raw: string): Address | null {
  const text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return bracketed[1]!.includes(':') ? parseAddress(bracketed[1]!) : null;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  return parseAddress(v4port ? v4port[1]! : text);
}

/** Whether `addr` lies in one of the ranges; IPv4 never matches an IPv6 range or the reverse. */
export function inRanges(addr: Address, ranges: Config['trustedProxies']): boolean {
  for (const [network, bits] of ranges) {
    let net: Address = network;
    let prefix = bits;
    // A range written as ::ffff:a.b.c.d/n is an IPv4 range, like the addresses it should match.
    if (net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
      net = (net as ipaddr.IPv6).toIPv4Address();
      prefix -= 96;
    }
    if (net.kind() === addr.kind() && addr.match(net, prefix)) return true;
  }
  return false;
}

/**
 * The client's address. Without a trusted proxy in front it is the socket peer and
 * X-Forwarded-For is ignored entirely (so a direct client cannot spoof it). When the peer is a
 * trusted proxy, X-Forwarded-For is read from the right: each hop was appended by the proxy to its
 * right, so the first hop that is not itself a trusted proxy is the client as our proxies saw it.
 *
 * - No (or an empty) header from a trusted peer: the peer itself is the client (a health check, or
 *   a service inside the trusted network calling directly).
 * - Every hop trusted: the leftmost one is the client (it sits inside the trusted network).
 * - An entry that is not an address where a client address should be ("unknown", an obfuscated
 *   node name, garbage): null, "unknown". Falling back to the last trusted hop instead would make
 *   every such client look like our own proxy, which an allow-list of internal ranges would pass
 *   and a throttle would lump together; unknown fails allow-filters and is the honest answer.
 * - Empty entries (`a,,b`, a trailing comma from joined headers) carry no claim and are skipped.
 * - An unparseable socket address: null.
 */
export function clientIp(remoteAddress: string | undefined, xForwardedFor: string | undefined, trusted: Config['trustedProxies']): string | null {
  const peer = remoteAddress ? parseAddress(remoteAddress) : null;
  if (!peer) return null;
  if (trusted.length === 0 || !inRanges(peer, trusted)) return peer.toString();
  const hops = (xForwardedFor ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  let client: Address = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]!);
    if (!hop) return null;
    client = hop;
    if (!inRanges(hop, trusted)) break;
  }
  return client.toString();
}

/**
 * clientIp for a Hono request served by @hono/node-server. Under `app.request()` without an env
 * (tests) there is no socket and the answer is null; a test that needs an address passes
 * `{ incoming: { socket: { remoteAddress: '…' } } }` as the third argument of `app.request`.
 */
export function requestClientIp(c: Context, trusted: Config['trustedProxies']): string | null {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    // getConnInfo dereferences c.env.incoming, which only the Node adapter provides.
    return null;
  }
  return clientIp(remote, c.req.header('x-forwarded-for'), trusted);
}
