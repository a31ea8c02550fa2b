import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { evaluateFilters, localTime, type FilterRowLike } from '../../../server/src/filters/evaluate.js';
import { countryOf } from '../../../server/src/filters/geoip.js';
import { normaliseCidr } from '../../../server/src/filters/normalise.js';
import type { FilterRow } from '../../../server/src/filters/repository.js';

let nextId = 0;
const filter = (type: FilterRowLike['type'], mode: FilterRowLike['mode'], config: Record<string, unknown>, enabled = true): FilterRowLike => ({
  id: `f${++nextId}`,
  type,
  mode,
  config,
  enabled,
});
// Configs as the filters service stores them.
const ipFilter = (mode: 'allow' | 'deny', cidrs: string[]) => filter('ip', mode, { cidrs: cidrs.map((c) => normaliseCidr(c)!) });
const countryFilter = (mode: 'allow' | 'deny', countries: string[], enabled = true) => filter('country', mode, { countries }, enabled);
const uaFilter = (mode: 'allow' | 'deny', patterns: string[]) => filter('userAgent', mode, { patterns });
const timeFilter = (timezone: string, weekdays: number[], intervals: [string, string][]) =>
  filter('time', null, { timezone, weekdays, intervals: intervals.map(([from, to]) => ({ from, to })) });

const now = new Date('2024-01-15T12:00:00Z'); // a Monday
const input = (over: Partial<{ ip: string | null; userAgent: string | null; now: Date }> = {}) => ({
  ip: '198.51.100.9',
  userAgent: 'Mozilla/5.0',
  now,
  ...over,
});
const noCountry = { countryOf: () => assert.fail('no country lookup expected') };

/** Whether the filters let the request through; a refusal must name the (only) failing filter. */
function passes(filters: FilterRowLike[], over: Parameters<typeof input>[0] = {}, lookups: Parameters<typeof evaluateFilters>[2] = noCountry): boolean {
  const verdict = evaluateFilters(filters, input(over), lookups);
  if (!verdict.ok) {
    // A refusal for a crash (e.g. an unexpected country lookup) would hide what is being tested.
    assert.doesNotMatch(verdict.reason, /could not be evaluated/);
    assert.ok(filters.some((f) => f.id === verdict.filterId && f.type === verdict.type));
    assert.ok(verdict.reason.length > 0);
  }
  return verdict.ok;
}

describe('geoip countryOf', () => {
  it('loads the GeoLite2 data only on the first lookup', () => {
    // In a process of its own: test files share their worker, and another may have looked up a
    // country already.
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(${JSON.stringify(import.meta.url)});
      const path = require.resolve('geoip-country');
      const { countryOf } = await import(${JSON.stringify(new URL('../../../server/src/filters/evaluate.ts', import.meta.url).href)}).then(() => import(${JSON.stringify(new URL('../../../server/src/filters/geoip.ts', import.meta.url).href)}));
      const before = require.cache[path] !== undefined;
      const country = countryOf('8.8.8.8');
      console.log(JSON.stringify({ before, country, after: require.cache[path] !== undefined }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.deepEqual(
      JSON.parse(out.trim().split('\n').pop()!),
      { before: false, country: 'US', after: true },
      'importing the filters must not load the data; the first lookup does',
    );
  });

  it('resolves well-known IPv4 and IPv6 addresses', () => {
    assert.equal(countryOf('8.8.8.8'), 'US'); // Google DNS
    assert.equal(countryOf('193.0.6.139'), 'NL'); // RIPE NCC, Amsterdam
    assert.equal(countryOf('133.242.0.3'), 'JP'); // Sakura Internet
    assert.equal(countryOf('2001:4860:4860::8888'), 'US'); // Google DNS
    assert.equal(countryOf('2001:67c:2e8:22::c100:68b'), 'NL'); // RIPE NCC
    assert.equal(countryOf('::ffff:8.8.8.8'), 'US');
  });

  it('knows no country for private, loopback, reserved or malformed addresses', () => {
    for (const ip of [
      '10.0.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.1.1',
      '100.64.0.1',
      '203.0.113.5',
      '::1',
      'fe80::1',
      'fd00::1',
      '2001:db8::1',
      '::ffff:10.0.0.1',
      'localhost',
      '',
      '127.1',
    ]) {
      assert.equal(countryOf(ip), null, ip);
    }
  });
});

describe('evaluateFilters: ip', () => {
  const allow = ipFilter('allow', ['10.0.0.0/8', '2001:db8::/32', '198.51.100.9']);

  it('allows only listed IPv4 and IPv6 ranges', () => {
    assert.equal(passes([allow], { ip: '10.200.3.4' }), true);
    assert.equal(passes([allow], { ip: '198.51.100.9' }), true);
    assert.equal(passes([allow], { ip: '2001:db8:ffff::1' }), true);
    assert.equal(passes([allow], { ip: '11.0.0.1' }), false);
    assert.equal(passes([allow], { ip: '198.51.100.10' }), false);
    assert.equal(passes([allow], { ip: '2001:db9::1' }), false);
  });

  it('denies listed ranges and lets the rest through', () => {
    const deny = ipFilter('deny', ['203.0.113.0/24', '2001:db8:bad::/48']);
    assert.equal(passes([deny], { ip: '203.0.113.77' }), false);
    assert.equal(passes([deny], { ip: '2001:db8:bad:1::1' }), false);
    assert.equal(passes([deny], { ip: '203.0.114.1' }), true);
    assert.equal(passes([deny], { ip: '2001:db8:bad0::1' }), true);
  });

  it('fails closed without a client IP: allow and deny refuse alike (leaving it out is no way round)', () => {
    assert.equal(passes([allow], { ip: null }), false);
    assert.equal(passes([ipFilter('deny', ['0.0.0.0/0', '::/0'])], { ip: null }), false);
    assert.equal(passes([ipFilter('deny', ['10.0.0.0/8'])], { ip: null }), false);
    assert.equal(passes([allow], { ip: 'garbage' }), false);
  });

  it('never matches IPv4 against IPv6 ranges or the reverse, but reads mapped IPv4 as IPv4', () => {
    assert.equal(passes([ipFilter('allow', ['::/0'])], { ip: '1.2.3.4' }), false);
    assert.equal(passes([ipFilter('allow', ['0.0.0.0/0'])], { ip: '2001:db8::1' }), false);
    assert.equal(passes([ipFilter('deny', ['::/0'])], { ip: '1.2.3.4' }), true);
    assert.equal(passes([allow], { ip: '::ffff:10.1.2.3' }), true);
    assert.equal(passes([ipFilter('deny', ['::ffff:10.0.0.0/104'])], { ip: '10.9.9.9' }), false);
    // A mapped range written without normalising still means its IPv4 range.
    assert.equal(passes([filter('ip', 'allow', { cidrs: ['::ffff:10.0.0.0/104'] })], { ip: '10.9.9.9' }), true);
  });
});

describe('evaluateFilters: country', () => {
  const de = { countryOf: (ip: string) => (ip === '81.169.145.78' ? 'DE' : ip === '10.0.0.1' ? null : 'US') };

  it('allows and denies by the injected lookup', () => {
    assert.equal(passes([countryFilter('allow', ['DE', 'FR'])], { ip: '81.169.145.78' }, de), true);
    assert.equal(passes([countryFilter('allow', ['DE', 'FR'])], { ip: '8.8.8.8' }, de), false);
    assert.equal(passes([countryFilter('deny', ['DE'])], { ip: '81.169.145.78' }, de), false);
    assert.equal(passes([countryFilter('deny', ['DE'])], { ip: '8.8.8.8' }, de), true);
  });

  it('an address without a country: allow fails, deny passes; no address at all: both refuse', () => {
    assert.equal(passes([countryFilter('allow', ['DE'])], { ip: '10.0.0.1' }, de), false);
    assert.equal(passes([countryFilter('deny', ['DE'])], { ip: '10.0.0.1' }, de), true);
    assert.equal(passes([countryFilter('allow', ['DE'])], { ip: null }), false);
    assert.equal(passes([countryFilter('deny', ['DE'])], { ip: null }), false);
  });

  it('looks the country up once, with the normalised address, and only when a country filter is enabled', () => {
    const asked: string[] = [];
    const lookups = { countryOf: (ip: string) => (asked.push(ip), 'fr') };
    assert.equal(
      passes([countryFilter('allow', ['FR']), countryFilter('deny', ['DE']), ipFilter('deny', ['10.0.0.0/8'])], { ip: '::ffff:192.0.2.1' }, lookups),
      true,
    );
    assert.deepEqual(asked, ['192.0.2.1']);
    asked.length = 0;
    assert.equal(passes([countryFilter('deny', ['FR'], false), ipFilter('deny', ['10.0.0.0/8'])], {}, lookups), true);
    assert.deepEqual(asked, []);
  });

  it('works with the real GeoLite2 lookup (the default)', () => {
    const europe = [countryFilter('allow', ['DE', 'NL'])];
    assert.equal(evaluateFilters(europe, input({ ip: '193.0.6.139' })).ok, true);
    assert.equal(evaluateFilters(europe, input({ ip: '2001:67c:2e8:22::c100:68b' })).ok, true);
    assert.equal(evaluateFilters(europe, input({ ip: '8.8.8.8' })).ok, false);
    assert.equal(evaluateFilters([countryFilter('deny', ['US'])], input({ ip: '2001:4860:4860::8888' })).ok, false);
    assert.equal(evaluateFilters([countryFilter('deny', ['US'])], input({ ip: '192.168.0.1' })).ok, true);
  });

  it('fails closed when the lookup throws', () => {
    const broken = {
      countryOf: () => {
        throw new Error('data file missing');
      },
    };
    const verdict = evaluateFilters([countryFilter('deny', ['RU'])], input(), broken);
    assert.equal(verdict.ok, false);
    assert.match(!verdict.ok ? verdict.reason : '', /could not be evaluated: data file missing/);
  });
});

describe('evaluateFilters: userAgent', () => {
  it('allow-lists by case-insensitive substring; a missing User-Agent fails', () => {
    const f = uaFilter('allow', ['Mozilla/', 'VeriframeApp']);
    assert.equal(passes([f], { userAgent: 'mozilla/5.0 (X11; Linux x86_64)' }), true);
    assert.equal(passes([f], { userAgent: 'MyCorp veriframeapp/2.1' }), true);
    assert.equal(passes([f], { userAgent: 'curl/8.5.0' }), false);
    assert.equal(passes([f], { userAgent: null }), false);
    assert.equal(passes([f], { userAgent: '' }), false);
  });

  it('deny-lists by case-insensitive substring; a missing User-Agent is refused', () => {
    const f = uaFilter('deny', ['curl/', 'python-requests']);
    assert.equal(passes([f], { userAgent: 'CURL/8.5.0' }), false);
    assert.equal(passes([f], { userAgent: 'Python-Requests/2.31' }), false);
    assert.equal(passes([f], { userAgent: 'Mozilla/5.0' }), true);
    assert.equal(passes([f], { userAgent: null }), false);
    assert.equal(passes([f], { userAgent: '' }), false);
  });
});

describe('evaluateFilters: time', () => {
  const workHours = (tz: string) => timeFilter(tz, [1, 2, 3, 4, 5], [['08:00', '18:00']]);

  it('reads the window in the filter time zone', () => {
    const at = new Date('2024-01-15T07:30:00Z'); // Monday 07:30 UTC = 08:30 in Berlin (CET)
    assert.equal(passes([workHours('Europe/Berlin')], { now: at }), true);
    assert.equal(passes([workHours('UTC')], { now: at }), false);
    const evening = new Date('2024-01-15T17:30:00Z'); // 18:30 in Berlin, 17:30 UTC
    assert.equal(passes([workHours('Europe/Berlin')], { now: evening }), false);
    assert.equal(passes([workHours('UTC')], { now: evening }), true);
  });

  it('starts inclusive, ends exclusive, and refuses days not listed', () => {
    assert.equal(passes([workHours('UTC')], { now: new Date('2024-01-15T08:00:00Z') }), true);
    assert.equal(passes([workHours('UTC')], { now: new Date('2024-01-15T17:59:59Z') }), true);
    assert.equal(passes([workHours('UTC')], { now: new Date('2024-01-15T18:00:00Z') }), false);
    assert.equal(passes([workHours('UTC')], { now: new Date('2024-01-13T12:00:00Z') }), false); // Saturday
    // The weekday is the local one: Sunday 23:30 UTC is already Monday in Tokyo.
    const f = timeFilter('Asia/Tokyo', [1], [['00:00', '24:00']]);
    assert.equal(passes([f], { now: new Date('2024-01-14T23:30:00Z') }), true);
    assert.equal(passes([f], { now: new Date('2024-01-14T14:00:00Z') }), false);
  });

  it('accepts several windows and 24:00 as the end of the day', () => {
    const f = timeFilter(
      'UTC',
      [1],
      [
        ['06:00', '09:00'],
        ['20:00', '24:00'],
      ],
    );
    assert.equal(passes([f], { now: new Date('2024-01-15T23:59:00Z') }), true);
    assert.equal(passes([f], { now: new Date('2024-01-15T07:00:00Z') }), true);
    assert.equal(passes([f], { now: new Date('2024-01-15T12:00:00Z') }), false);
    assert.equal(passes([f], { now: new Date('2024-01-16T00:00:00Z') }), false); // Tuesday
  });

  it('gives the part of an overnight window after midnight to the weekday it started on', () => {
    const fridayNight = timeFilter('UTC', [5], [['22:00', '06:00']]); // 2024-01-19 is a Friday
    assert.equal(passes([fridayNight], { now: new Date('2024-01-19T21:59:00Z') }), false);
    assert.equal(passes([fridayNight], { now: new Date('2024-01-19T22:00:00Z') }), true);
    assert.equal(passes([fridayNight], { now: new Date('2024-01-20T03:00:00Z') }), true); // Saturday 03:00
    assert.equal(passes([fridayNight], { now: new Date('2024-01-20T06:00:00Z') }), false);
    assert.equal(passes([fridayNight], { now: new Date('2024-01-20T23:00:00Z') }), false); // Saturday 23:00
    assert.equal(passes([fridayNight], { now: new Date('2024-01-19T03:00:00Z') }), false); // Friday 03:00 is Thursday's night
    const weekend = timeFilter('UTC', [5, 6], [['22:00', '06:00']]);
    assert.equal(passes([weekend], { now: new Date('2024-01-20T23:00:00Z') }), true);
    assert.equal(passes([weekend], { now: new Date('2024-01-21T03:00:00Z') }), true); // Sunday 03:00, Saturday's night
    assert.equal(passes([weekend], { now: new Date('2024-01-21T23:00:00Z') }), false);
    // Sunday night wraps into Monday.
    const sundayNight = timeFilter('UTC', [7], [['22:00', '06:00']]);
    assert.equal(passes([sundayNight], { now: new Date('2024-01-22T03:00:00Z') }), true);
    assert.equal(passes([timeFilter('UTC', [1], [['22:00', '06:00']])], { now: new Date('2024-01-22T03:00:00Z') }), false);
  });

  it('keeps local hours across DST changes (Europe/Berlin, 2024)', () => {
    const sundayMorning = timeFilter('Europe/Berlin', [7], [['08:00', '09:00']]);
    // 31 March: clocks jump 02:00 CET → 03:00 CEST, so 08:00–09:00 is 06:00–07:00 UTC, a week earlier 07:00–08:00.
    assert.equal(passes([sundayMorning], { now: new Date('2024-03-24T07:30:00Z') }), true);
    assert.equal(passes([sundayMorning], { now: new Date('2024-03-24T06:30:00Z') }), false);
    assert.equal(passes([sundayMorning], { now: new Date('2024-03-31T06:30:00Z') }), true);
    assert.equal(passes([sundayMorning], { now: new Date('2024-03-31T07:30:00Z') }), false);
    // The skipped hour 02:00–03:00 never happens on 31 March.
    const skipped = timeFilter('Europe/Berlin', [7], [['02:00', '03:00']]);
    assert.equal(passes([skipped], { now: new Date('2024-03-31T00:59:00Z') }), false); // 01:59 CET
    assert.equal(passes([skipped], { now: new Date('2024-03-31T01:00:00Z') }), false); // 03:00 CEST
    // 27 October: 03:00 CEST → 02:00 CET, so 02:00–03:00 happens twice and both count.
    assert.equal(passes([skipped], { now: new Date('2024-10-27T00:30:00Z') }), true); // 02:30 CEST
    assert.equal(passes([skipped], { now: new Date('2024-10-27T01:30:00Z') }), true); // 02:30 CET
    assert.equal(passes([skipped], { now: new Date('2024-10-27T02:00:00Z') }), false); // 03:00 CET
  });

  it('reads local weekday and minute with a 0-23 hour clock', () => {
    assert.deepEqual(localTime(new Date('2024-01-15T00:05:00Z'), 'UTC'), { weekday: 1, minute: 5 });
    assert.deepEqual(localTime(new Date('2024-01-14T23:05:00Z'), 'Europe/Berlin'), { weekday: 1, minute: 5 });
    assert.deepEqual(localTime(new Date('2024-01-15T00:05:00Z'), 'America/New_York'), { weekday: 7, minute: 19 * 60 + 5 });
    assert.deepEqual(localTime(new Date('2024-01-15T00:05:00Z'), 'Asia/Kolkata'), { weekday: 1, minute: 5 * 60 + 35 });
  });

  it('fails closed for a time zone the runtime does not know', () => {
    const verdict = evaluateFilters([timeFilter('Mars/Olympus_Mons', [1, 2, 3, 4, 5, 6, 7], [['00:00', '24:00']])], input(), noCountry);
    assert.equal(verdict.ok, false);
    assert.match(!verdict.ok ? verdict.reason : '', /could not be evaluated/);
  });
});

describe('evaluateFilters: combining', () => {
  it('passes with no filters, and takes rows straight from the repository', () => {
    assert.deepEqual(evaluateFilters([], input(), noCountry), { ok: true });
    const rows: FilterRow[] = []; // type-level: a FilterRow is a FilterRowLike
    assert.deepEqual(evaluateFilters(rows, input(), noCountry), { ok: true });
  });

  it('ignores disabled filters', () => {
    const denyAll = filter('ip', 'deny', { cidrs: ['0.0.0.0/0', '::/0'] }, false);
    const never = filter('time', null, { timezone: 'UTC', weekdays: [6], intervals: [{ from: '00:00', to: '00:01' }] }, false);
    assert.deepEqual(evaluateFilters([denyAll, never], input(), noCountry), { ok: true });
  });

  it('requires every enabled filter and names the first that refuses', () => {
    const ipOk = ipFilter('allow', ['198.51.100.0/24']);
    const uaDenied = uaFilter('deny', ['mozilla']);
    const timeOk = timeFilter('UTC', [1], [['11:00', '13:00']]);
    const countryOk = countryFilter('allow', ['NL']);
    const lookups = { countryOf: () => 'NL' };
    assert.deepEqual(evaluateFilters([ipOk, timeOk, countryOk], input(), lookups), { ok: true });
    const verdict = evaluateFilters([ipOk, timeOk, uaDenied, countryOk, ipFilter('deny', ['198.51.100.9'])], input(), lookups);
    assert.equal(verdict.ok, false);
    assert.equal(!verdict.ok && verdict.filterId, uaDenied.id);
    assert.equal(!verdict.ok && verdict.type, 'userAgent');
    assert.equal(passes([ipOk, timeOk], { now: new Date('2024-01-15T14:00:00Z') }), false);
    assert.equal(passes([ipOk, timeOk], { ip: '198.51.101.9' }), false);
  });

  it('reads a config stored as JSON text and refuses a filter it cannot read', () => {
    assert.equal(passes([{ ...ipFilter('deny', ['198.51.100.0/24']), config: JSON.stringify({ cidrs: ['198.51.100.0/24'] }) }]), false);
    const unreadable = [
      { ...ipFilter('deny', ['10.0.0.0/8']), config: null },
      { ...ipFilter('deny', ['10.0.0.0/8']), type: 'bogus' as FilterRowLike['type'] },
    ];
    for (const f of unreadable) assert.equal(evaluateFilters([f], input(), noCountry).ok, false);
  });
});
