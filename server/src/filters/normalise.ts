import ipaddr from 'ipaddr.js';

// Pure checks and canonical forms of filter values. The request schemas use them to refuse bad
// entries (naming the entry), the service to store the canonical form.

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

/** The canonical IANA name of a time zone ("europe/berlin" → "Europe/Berlin"), or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!name || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Distinct values in first-seen order; `key` decides what counts as the same. */
export function unique<T>(values: readonly T[], key: (v: T) => unknown = (v) => v): T[] {
  const seen = new Set<unknown>();
  return values.filter((v) => {
    const k = key(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
