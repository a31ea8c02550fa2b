import ipaddr from 'ipaddr.js';
import type { FilterMode, FilterType } from '../db/types.js';
import { parseAddress, type Address } from '../http/client-ip.js';
import { countryOf } from './geoip.js';

// Decides whether a request passes a resource's filters (DESIGN §5). Pure: the clock and the
// country lookup are parameters. Every enabled filter must pass (AND); the first that does not
// is reported so the refusal event can name it. Configs are read as the filters service stores
// them (see service.ts toStored); a filter that cannot be evaluated (a time zone the runtime no
// longer knows, a lookup that throws, an unknown type) refuses: filters are access controls, so
// they fail closed.

/** The columns of a `filters` row that evaluation needs. */
export interface FilterRowLike {
  id: string;
  type: FilterType;
  mode: FilterMode | null;
  config: unknown;
  enabled: boolean;
}

export interface FilterInput {
  /** The client address; null when unknown. */
  ip: string | null;
  userAgent: string | null;
  now: Date;
}

export interface FilterLookups {
  countryOf: (ip: string) => string | null;
}

export type FilterVerdict = { ok: true } | { ok: false; filterId: string; type: FilterType; reason: string };

type Check = string | null; // null = passes, otherwise why not

export function evaluateFilters(filters: readonly FilterRowLike[], input: FilterInput, lookups: FilterLookups = { countryOf }): FilterVerdict {
  // Worked out at most once per call, and only if a filter needs it.
  const addr = input.ip === null ? null : parseAddress(input.ip);
  let country: string | null | undefined;
  const countryOfClient = () => (country === undefined ? (country = addr ? (lookups.countryOf(addr.toString())?.toUpperCase() ?? null) : null) : country);

  for (const filter of filters) {
    if (!filter.enabled) continue;
    let reason: Check;
    try {
      reason = check(filter, addr, countryOfClient, input);
    } catch (err) {
      reason = `filter could not be evaluated: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (reason !== null) return { ok: false, filterId: filter.id, type: filter.type, reason };
  }
  return { ok: true };
}

function check(filter: FilterRowLike, addr: Address | null, countryOfClient: () => string | null, input: FilterInput): Check {
  const config = configOf(filter);
  // The filters API defaults a missing mode to deny (schema.ts filterJson); read it the same way.
  const mode: FilterMode = filter.mode ?? 'deny';
  switch (filter.type) {
    case 'ip': {
      // Filters fail closed (DESIGN §10): a call that leaves out the input a filter needs is
      // refused, or leaving it out would be the way around a deny-list.
      if (!addr) return 'client IP unknown; an IP filter needs it';
      const hit = strings(config.cidrs).find((cidr) => inCidr(addr, cidr));
      return byMode(mode, hit !== undefined, `IP ${addr} is in denied ${hit}`, `IP ${addr} is not in the allowed ranges`);
    }
    case 'country': {
      if (!addr) return 'client IP unknown; a country filter needs it';
      // An address without a country (private ranges, anycast) fails an allow-list and passes a deny-list.
      const code = countryOfClient();
      if (code === null) return mode === 'allow' ? `country of ${addr ?? 'the unknown client IP'} unknown; an allow-list needs it` : null;
      const hit = strings(config.countries).some((c) => c.toUpperCase() === code);
      return byMode(mode, hit, `country ${code} is denied`, `country ${code} is not allowed`);
    }
    case 'time':
      // Time filters have no mode: they list when access is allowed.
      return checkTime(config, input.now);
    case 'userAgent': {
      const ua = (input.userAgent ?? '').toLowerCase();
      if (!ua) return 'no User-Agent; a user-agent filter needs one';
      const hit = strings(config.patterns).find((p) => p !== '' && ua.includes(p.toLowerCase()));
      return byMode(mode, hit !== undefined, `User-Agent matches denied "${hit}"`, 'User-Agent matches no allowed pattern');
    }
    default:
      return `unknown filter type ${JSON.stringify(filter.type)}`;
  }
}

function byMode(mode: FilterMode, matched: boolean, deniedReason: string, notAllowedReason: string): Check {
  if (mode === 'allow') return matched ? null : notAllowedReason;
  return matched ? deniedReason : null;
}

function configOf(filter: FilterRowLike): Record<string, unknown> {
  // jsonb comes back parsed from both drivers; a string means a row written by hand.
  const raw = typeof filter.config === 'string' ? (JSON.parse(filter.config) as unknown) : filter.config;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('config is not an object');
  return raw as Record<string, unknown>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

// --- IP ranges ---------------------------------------------------------------------------------

// Parsing costs a few microseconds per CIDR and a resource may hold 100 filters of 500 CIDRs, so
// parsed ranges are kept, keyed by their stored text. Bounded: emptied when full.
const MAX_CACHED_RANGES = 50_000;
const ranges = new Map<string, [Address, number] | null>();

function parseRange(cidr: string): [Address, number] | null {
  const slash = cidr.indexOf('/');
  const net = parseAddress(slash < 0 ? cidr : cidr.slice(0, slash));
  if (!net) return null;
  const max = net.kind() === 'ipv4' ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const prefix = cidr.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix)) return null;
    bits = Number(prefix);
    // parseAddress turned ::ffff:a.b.c.d into IPv4; its prefix counts from bit 96 then.
    if (net.kind() === 'ipv4' && cidr.includes(':')) bits -= 96;
    if (bits < 0 || bits > max) return null;
  }
  return [net, bits];
}

/** IPv4 never matches an IPv6 range nor the reverse (mapped IPv4 was made IPv4 on both sides). */
function inCidr(addr: Address, cidr: string): boolean {
  let range = ranges.get(cidr);
  if (range === undefined) {
    if (ranges.size >= MAX_CACHED_RANGES) ranges.clear();
    range = parseRange(cidr);
    ranges.set(cidr, range);
  }
  if (!range || range[0].kind() !== addr.kind()) return false;
  return (addr as ipaddr.IPv4).match(range[0] as ipaddr.IPv4, range[1]);
}

// --- time windows ------------------------------------------------------------------------------

const weekdayNumber: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
// Building a DateTimeFormat is far slower than using one; there are only a few hundred zones.
const formats = new Map<string, Intl.DateTimeFormat>();

/** The local ISO weekday (1 = Monday) and minute of the day at `now` in `timeZone`. */
export function localTime(now: Date, timeZone: string): { weekday: number; minute: number } {
  let format = formats.get(timeZone);
  if (!format) {
    // Throws RangeError for a zone the runtime does not know; the caller fails closed.
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const weekday = weekdayNumber[parts.weekday ?? ''];
  const hour = Number(parts.hour) % 24; // h23 says 0-23; % 24 guards runtimes that print "24"
  const minute = Number(parts.minute);
  if (weekday === undefined || !Number.isInteger(hour) || !Number.isInteger(minute)) throw new Error(`cannot read the local time in ${timeZone}`);
  return { weekday, minute: hour * 60 + minute };
}

/** "HH:MM" (to 24:00) as minutes since midnight, or null. */
function minutesOf(v: unknown): number | null {
  const m = typeof v === 'string' ? /^(\d{2}):(\d{2})$/.exec(v) : null;
  if (!m) return null;
  const total = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && total <= 24 * 60 ? total : null;
}

/**
 * Wall-clock time in the filter's zone, so a window means the same local hours all year: across
 * a DST change the UTC instants move, and in the repeated autumn hour both passes count. `from`
 * is inclusive and `to` exclusive. A window whose `to` is before its `from` runs past midnight and
 * belongs to the weekday it starts on: Friday 22:00–06:00 covers Saturday 03:00 because Friday is
 * allowed, whether or not Saturday is.
 */
function checkTime(config: Record<string, unknown>, now: Date): Check {
  const timeZone = typeof config.timezone === 'string' ? config.timezone : 'UTC';
  const days = new Set(Array.isArray(config.weekdays) ? config.weekdays : []);
  const { weekday, minute } = localTime(now, timeZone);
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  const windows = Array.isArray(config.intervals) ? (config.intervals as unknown[]) : [];
  for (const w of windows) {
    const from = minutesOf((w as { from?: unknown } | null)?.from);
    const to = minutesOf((w as { to?: unknown } | null)?.to);
    if (from === null || to === null || from === to) continue;
    if (from < to) {
      if (days.has(weekday) && minute >= from && minute < to) return null;
    } else if ((days.has(weekday) && minute >= from) || (days.has(yesterday) && minute < to)) {
      return null;
    }
  }
  const hhmm = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  const day = Object.keys(weekdayNumber)[weekday - 1];
  return `outside the allowed times (${day} ${hhmm} in ${timeZone})`;
}
