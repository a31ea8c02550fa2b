import { createRequire } from 'node:module';
import { parseAddress } from '../http/client-ip.js';

// Country of an IP address from the GeoLite2 data that geoip-country ships in its package (no
// network access, no licence key at run time). The package reads ~8 MB of data synchronously
// when it is first required, so it is loaded on the first lookup instead of at import: start-up
// and every test that never looks up a country stay fast. The data is as fresh as the installed
// package version; GeoLite2 is CC BY-SA 4.0 with MaxMind's EULA (attribution required).

interface GeoipCountry {
  lookup(ip: string): { country?: string } | null;
}

let geoip: GeoipCountry | undefined;

function load(): GeoipCountry {
  // A CommonJS module without types; createRequire keeps the load synchronous and on demand.
  geoip ??= createRequire(import.meta.url)('geoip-country') as GeoipCountry;
  return geoip;
}

/**
 * The ISO 3166-1 alpha-2 code (upper case) of the country the address is registered in, or null
 * when unknown: private, loopback, link-local, documentation and anycast ranges without a country,
 * or text that is not an address. IPv4-mapped IPv6 is looked up as IPv4.
 */
export function countryOf(ip: string): string | null {
  const addr = parseAddress(ip);
  if (!addr) return null;
  const country = load().lookup(addr.toString())?.country;
  return country && /^[A-Za-z]{2}$/.test(country) ? country.toUpperCase() : null;
}
