import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hotp, type OtpAlgorithm } from '../../../server/src/otp/hotp.js';
import { findHotpCounter, findSyncHotp, findSyncTotp, findTotpStep, timeStep, totp } from '../../../server/src/otp/totp.js';

// RFC 6238 Appendix B: per-algorithm ASCII seeds of 20, 32 and 64 bytes; 8 digits; 30 s steps.
const SEEDS: Record<OtpAlgorithm, Buffer> = {
  SHA1: Buffer.from('12345678901234567890', 'ascii'),
  SHA256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  SHA512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

const APPENDIX_B: Array<{ time: number; utc: string; stepHex: string; codes: Record<OtpAlgorithm, string> }> = [
  { time: 59, utc: '1970-01-01 00:00:59', stepHex: '0000000000000001', codes: { SHA1: '94287082', SHA256: '46119246', SHA512: '90693936' } },
  { time: 1111111109, utc: '2005-03-18 01:58:29', stepHex: '00000000023523EC', codes: { SHA1: '07081804', SHA256: '68084774', SHA512: '25091201' } },
  { time: 1111111111, utc: '2005-03-18 01:58:31', stepHex: '00000000023523ED', codes: { SHA1: '14050471', SHA256: '67062674', SHA512: '99943326' } },
  { time: 1234567890, utc: '2009-02-13 23:31:30', stepHex: '000000000273EF07', codes: { SHA1: '89005924', SHA256: '91819424', SHA512: '93441116' } },
  { time: 2000000000, utc: '2033-05-18 03:33:20', stepHex: '0000000003F940AA', codes: { SHA1: '69279037', SHA256: '90698825', SHA512: '38618901' } },
  { time: 20000000000, utc: '2603-10-11 11:33:20', stepHex: '0000000027BC86AA', codes: { SHA1: '65353130', SHA256: '77737706', SHA512: '47863826' } },
];

for (const row of APPENDIX_B) {
  test(`RFC 6238 Appendix B, T=${row.time} (${row.utc}): step 0x${row.stepHex}`, () => {
    assert.equal(timeStep(row.time * 1000, 30), Number.parseInt(row.stepHex, 16));
    assert.equal(new Date(row.time * 1000).toISOString().slice(0, 19).replace('T', ' '), row.utc);
  });
  for (const algorithm of ['SHA1', 'SHA256', 'SHA512'] as const) {
    test(`RFC 6238 Appendix B, T=${row.time}, ${algorithm}: ${row.codes[algorithm]}`, () => {
      assert.equal(totp(SEEDS[algorithm], row.time * 1000, { digits: 8, algorithm, period: 30 }), row.codes[algorithm]);
    });
  }
}

test('timeStep: floor(seconds / period) at the boundaries, 30 and 60 s', () => {
  assert.equal(timeStep(0, 30), 0);
  assert.equal(timeStep(29_999, 30), 0);
  assert.equal(timeStep(30_000, 30), 1);
  assert.equal(timeStep(59_999, 60), 0);
  assert.equal(timeStep(60_000, 60), 1);
  assert.equal(timeStep(1_111_111_109_999.9, 30), 37_037_036);
  // Far-future safe integers stay exact (no floating-point rounding up to the next step).
  assert.equal(timeStep(30_000 * 300_000_000_000 - 1, 30), 299_999_999_999);
  assert.throws(() => timeStep(-1, 30), /non-negative/);
  assert.throws(() => timeStep(Number.NaN, 30), /non-negative/);
  assert.throws(() => timeStep(0, 45 as 30), /30 or 60/);
});

// ---- TOTP window and drift ------------------------------------------------------------------

const SECRET = SEEDS.SHA1;
const OPTS = { digits: 6, algorithm: 'SHA1', period: 30 } as const;
const NOW = 1_700_000_015_000; // 15 s into its step, so ±1 s changes nothing
const CURRENT = timeStep(NOW, 30);
const codeAt = (step: number, digits: 6 | 8 = 6) => hotp(SECRET, step, { digits, algorithm: 'SHA1' });
const find = (code: string, window: number, drift = 0) => findTotpStep(SECRET, code, { ...OPTS, nowMs: NOW, window, drift });

test('window 0 accepts only the current step', () => {
  assert.equal(find(codeAt(CURRENT), 0), CURRENT);
  assert.equal(find(codeAt(CURRENT - 1), 0), undefined);
  assert.equal(find(codeAt(CURRENT + 1), 0), undefined);
});

test('window 1 accepts ±1 step and nothing beyond', () => {
  for (const offset of [-1, 0, 1]) assert.equal(find(codeAt(CURRENT + offset), 1), CURRENT + offset, `offset ${offset}`);
  assert.equal(find(codeAt(CURRENT - 2), 1), undefined);
  assert.equal(find(codeAt(CURRENT + 2), 1), undefined);
});

test('window 2 accepts ±2 steps and nothing beyond', () => {
  for (const offset of [-2, -1, 0, 1, 2]) assert.equal(find(codeAt(CURRENT + offset), 2), CURRENT + offset, `offset ${offset}`);
  assert.equal(find(codeAt(CURRENT - 3), 2), undefined);
  assert.equal(find(codeAt(CURRENT + 3), 2), undefined);
});

test('a positive drift moves the window forward', () => {
  for (const offset of [4, 5, 6]) assert.equal(find(codeAt(CURRENT + offset), 1, 5), CURRENT + offset, `offset ${offset}`);
  assert.equal(find(codeAt(CURRENT), 1, 5), undefined);
  assert.equal(find(codeAt(CURRENT + 3), 1, 5), undefined);
  assert.equal(find(codeAt(CURRENT + 7), 1, 5), undefined);
});

test('a negative drift moves the window back', () => {
  for (const offset of [-4, -3, -2]) assert.equal(find(codeAt(CURRENT + offset), 1, -3), CURRENT + offset, `offset ${offset}`);
  assert.equal(find(codeAt(CURRENT), 1, -3), undefined);
  assert.equal(find(codeAt(CURRENT - 5), 1, -3), undefined);
  assert.equal(find(codeAt(CURRENT - 1), 1, -3), undefined);
});

test('the step boundary is exact: the last millisecond of a step and the first of the next', () => {
  const boundary = (CURRENT + 1) * 30_000;
  const opts = { ...OPTS, window: 0, drift: 0 };
  assert.equal(findTotpStep(SECRET, codeAt(CURRENT), { ...opts, nowMs: boundary - 1 }), CURRENT);
  assert.equal(findTotpStep(SECRET, codeAt(CURRENT), { ...opts, nowMs: boundary }), undefined);
  assert.equal(findTotpStep(SECRET, codeAt(CURRENT + 1), { ...opts, nowMs: boundary }), CURRENT + 1);
});

test('60 s period, 8 digits and other algorithms', () => {
  const opts = { digits: 8, algorithm: 'SHA512', period: 60 } as const;
  const step = timeStep(NOW, 60);
  const code = hotp(SEEDS.SHA512, step - 1, opts);
  assert.equal(findTotpStep(SEEDS.SHA512, code, { ...opts, nowMs: NOW, window: 1, drift: 0 }), step - 1);
  assert.equal(findTotpStep(SEEDS.SHA512, code, { ...opts, nowMs: NOW, window: 0, drift: 0 }), undefined);
  assert.equal(totp(SEEDS.SHA512, NOW, opts), hotp(SEEDS.SHA512, step, opts));
});

test('codes of the wrong shape never match', () => {
  const code = codeAt(CURRENT);
  assert.equal(find(code.slice(1), 1), undefined);
  assert.equal(find(`${code}0`, 1), undefined);
  assert.equal(find(` ${code.slice(1)}`, 1), undefined);
  assert.equal(find(codeAt(CURRENT, 8), 1), undefined);
  assert.equal(find('', 1), undefined);
});

test('steps before the epoch are skipped', () => {
  const opts = { ...OPTS, nowMs: 0, window: 2, drift: 0 };
  assert.equal(findTotpStep(SECRET, codeAt(0), opts), 0);
  assert.equal(findTotpStep(SECRET, codeAt(2), opts), 2);
});

test('invalid window, drift and period are refused', () => {
  const code = codeAt(CURRENT);
  assert.throws(() => find(code, -1), /window/);
  assert.throws(() => find(code, 1.5), /window/);
  assert.throws(() => find(code, 1, 0.5), /drift/);
  assert.throws(() => findTotpStep(SECRET, code, { ...OPTS, period: 15 as 30, nowMs: NOW, window: 1, drift: 0 }), /period/);
});

// ---- HOTP look-ahead ------------------------------------------------------------------------

const HOTP_OPTS = { digits: 6, algorithm: 'SHA1' } as const;
const findCounter = (code: string, fromCounter: number | bigint, lookAhead: number) => findHotpCounter(SECRET, code, { ...HOTP_OPTS, fromCounter, lookAhead });

test('HOTP look-ahead accepts fromCounter … fromCounter + lookAhead − 1 exactly', () => {
  assert.equal(findCounter(codeAt(5), 5, 10), 5n);
  assert.equal(findCounter(codeAt(10), 5, 10), 10n);
  assert.equal(findCounter(codeAt(14), 5, 10), 14n, 'last counter inside the look-ahead');
  assert.equal(findCounter(codeAt(15), 5, 10), undefined, 'first counter past the look-ahead');
  assert.equal(findCounter(codeAt(4), 5, 10), undefined, 'an already used counter');
});

test('HOTP look-ahead of 1 and 0', () => {
  assert.equal(findCounter(codeAt(7), 7n, 1), 7n);
  assert.equal(findCounter(codeAt(8), 7n, 1), undefined);
  assert.equal(findCounter(codeAt(7), 7n, 0), undefined);
});

test('HOTP look-ahead works with bigint counters beyond 2^53', () => {
  const from = (1n << 60n) + 3n;
  const code = hotp(SECRET, from + 2n, HOTP_OPTS);
  assert.equal(findCounter(code, from, 3), from + 2n);
  assert.equal(findCounter(code, from, 2), undefined);
});

// ---- Synchronisation ------------------------------------------------------------------------

const syncTotp = (code1: string, code2: string, maxSkewSteps = 60) => findSyncTotp(SECRET, code1, code2, { ...OPTS, nowMs: NOW, maxSkewSteps });

test('TOTP sync finds two consecutive codes at +30 min (60 steps) and stores the drift', () => {
  const second = CURRENT + 60;
  assert.deepEqual(syncTotp(codeAt(second - 1), codeAt(second)), { step: second - 1, drift: 60 });
});

test('TOTP sync finds two consecutive codes at −30 min', () => {
  const second = CURRENT - 60;
  assert.deepEqual(syncTotp(codeAt(second - 1), codeAt(second)), { step: second - 1, drift: -60 });
});

test('TOTP sync with no skew gives drift 0', () => {
  assert.deepEqual(syncTotp(codeAt(CURRENT - 1), codeAt(CURRENT)), { step: CURRENT - 1, drift: 0 });
  assert.deepEqual(syncTotp(codeAt(CURRENT), codeAt(CURRENT + 1)), { step: CURRENT, drift: 1 });
});

test('TOTP sync refuses beyond ±30 min, non-consecutive and swapped codes', () => {
  assert.equal(syncTotp(codeAt(CURRENT + 60), codeAt(CURRENT + 61)), undefined);
  assert.equal(syncTotp(codeAt(CURRENT - 62), codeAt(CURRENT - 61)), undefined);
  assert.equal(syncTotp(codeAt(CURRENT), codeAt(CURRENT + 2)), undefined);
  assert.equal(syncTotp(codeAt(CURRENT + 1), codeAt(CURRENT)), undefined);
  assert.equal(syncTotp(codeAt(CURRENT), codeAt(CURRENT)), undefined);
  assert.equal(syncTotp('12345', codeAt(CURRENT)), undefined);
});

test('TOTP sync range is configurable', () => {
  assert.deepEqual(syncTotp(codeAt(CURRENT + 4), codeAt(CURRENT + 5), 5), { step: CURRENT + 4, drift: 5 });
  assert.equal(syncTotp(codeAt(CURRENT + 5), codeAt(CURRENT + 6), 5), undefined);
});

const syncHotp = (code1: string, code2: string, fromCounter: number | bigint = 0, searchAhead = 1000) =>
  findSyncHotp(SECRET, code1, code2, { ...HOTP_OPTS, fromCounter, searchAhead });

test('HOTP sync finds a pair 1000 ahead and returns the counter of the second code', () => {
  assert.equal(syncHotp(codeAt(0), codeAt(1)), 1n);
  assert.equal(syncHotp(codeAt(500), codeAt(501)), 501n);
  assert.equal(syncHotp(codeAt(999), codeAt(1000)), 1000n, 'first code at the last counter searched');
  assert.equal(syncHotp(codeAt(1000), codeAt(1001)), undefined, 'first code just past the search');
});

test('HOTP sync starts at fromCounter and needs consecutive codes in order', () => {
  assert.equal(syncHotp(codeAt(1010), codeAt(1011), 20), 1011n);
  assert.equal(syncHotp(codeAt(19), codeAt(20), 20), undefined);
  assert.equal(syncHotp(codeAt(30), codeAt(32), 20), undefined);
  assert.equal(syncHotp(codeAt(31), codeAt(30), 20), undefined);
  assert.equal(syncHotp(codeAt(30), codeAt(31), 20, 0), undefined);
});
