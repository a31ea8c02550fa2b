import ipaddr from 'ipaddr.js';

// Strict address syntax shared by configuration (TRUSTED_PROXIES) and filters: one parser, so a
// range means the same thing wherever it is written.

/**
 * An IPv4/IPv6 address or CIDR as `network/prefix`: "10.1.2.3/8" → "10.0.0.0/8", "1.2.3.4" →
 * "1.2.3.4/32", IPv6 in RFC 5952 form, IPv4-mapped IPv6 as IPv4. Only dotted-quad IPv4 is
 * accepted (no "127.1" or octal forms, which mean different things to different parsers), and
 * no zone ids. undefined = not an address.
 */
export function normaliseCidr(raw: string): string | undefined {
  const text = raw.trim();
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) addr = ipaddr.IPv4.parse(host);
  else if (!host.includes('%') && host.includes(':') && ipaddr.IPv6.isValid(host)) addr = ipaddr.IPv6.parse(host);
  else return undefined;
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const prefix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return undefined;
    bits = Number(prefix);
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  const bytes = addr.toByteArray().map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  return `${ipaddr.fromByteArray(bytes).toString()}/${bits}`;
}
