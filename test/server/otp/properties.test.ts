// Property tests against an independent implementation (the otpauth package, test-only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HOTP, Secret, TOTP } from 'otpauth';
import { base32Decode, base32Encode } from '../../../server/src/otp/base32.js';
import { hotp } from '../../../server/src/otp/hotp.js';
import { splitPinAndOtp } from '../../../server/src/otp/pin.js';
import { findHotpCounter, findTotpStep, timeStep, totp } from '../../../server/src/otp/totp.js';

const RUNS = { numRuns: 200 };

const secretArb = fc.uint8Array({ minLength: 16, maxLength: 64 });
const algorithmArb = fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const);
const digitsArb = fc.constantFrom(6 as const, 8 as const);
const periodArb = fc.constantFrom(30 as const, 60 as const);
// Up to year 9999, plus times right at step boundaries where rounding mistakes would show.
const MAX_MS = 253_402_300_799_999;
const timeArb = fc.oneof(
  fc.integer({ min: 0, max: MAX_MS }),
  fc.tuple(fc.integer({ min: 0, max: 8_000_000_000 }), fc.constantFrom(-1, 0, 1)).map(([step, d]) => Math.max(0, step * 30_000 + d)),
);

const oracleSecret = (bytes: Uint8Array) => new Secret({ buffer: Uint8Array.from(bytes).buffer });

test('hotp equals otpauth HOTP.generate', () => {
  fc.assert(
    fc.property(secretArb, algorithmArb, digitsArb, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (secret, algorithm, digits, counter) => {
      const expected = HOTP.generate({ secret: oracleSecret(secret), algorithm, digits, counter });
      assert.equal(hotp(secret, counter, { algorithm, digits }), expected);
      assert.equal(hotp(secret, BigInt(counter), { algorithm, digits }), expected);
    }),
    RUNS,
  );
});

test('totp equals otpauth TOTP.generate', () => {
  fc.assert(
    fc.property(secretArb, algorithmArb, digitsArb, periodArb, timeArb, (secret, algorithm, digits, period, timestamp) => {
      assert.equal(timeStep(timestamp, period), TOTP.counter({ period, timestamp }));
      assert.equal(
        totp(secret, timestamp, { algorithm, digits, period }),
        TOTP.generate({ secret: oracleSecret(secret), algorithm, digits, period, timestamp }),
      );
    }),
    RUNS,
  );
});

test('base32 round trip, also through lower case, spaces, hyphens and padding', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.nat(), (bytes, seed) => {
      const encoded = base32Encode(bytes);
      assert.match(encoded, /^[A-Z2-7]*$/);
      assert.deepEqual(base32Decode(encoded), Buffer.from(bytes));
      // Same text, messed up the way people paste it.
      const messy = encoded
        .toLowerCase()
        .replace(/(.{4})/g, (group, _g, offset: number) => group + ((seed + offset) % 3 === 0 ? ' ' : (seed + offset) % 3 === 1 ? '-' : ''));
      const padded = messy + '='.repeat(((8 - (encoded.length % 8)) % 8) + (seed % 2) * 8);
      assert.deepEqual(base32Decode(padded), Buffer.from(bytes));
    }),
    RUNS,
  );
});

test("base32 equals otpauth's Secret base32 both ways", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), (bytes) => {
      const theirs = oracleSecret(bytes).base32;
      assert.equal(base32Encode(bytes), theirs);
      assert.deepEqual(base32Decode(theirs), Buffer.from(bytes));
      assert.deepEqual(Buffer.from(Secret.fromBase32(base32Encode(bytes)).bytes), Buffer.from(bytes));
    }),
    RUNS,
  );
});

test('findTotpStep finds a code generated at any step within the window', () => {
  fc.assert(
    fc.property(
      secretArb,
      algorithmArb,
      digitsArb,
      periodArb,
      timeArb,
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: -10, max: 10 }),
      fc.integer({ min: -2, max: 2 }),
      (secret, algorithm, digits, period, nowMs, window, drift, rawOffset) => {
        const offset = Math.max(-window, Math.min(window, rawOffset));
        const center = timeStep(nowMs, period) + drift;
        fc.pre(center - window >= 0);
        const code = hotp(secret, center + offset, { algorithm, digits });
        const found = findTotpStep(secret, code, { nowMs, period, digits, algorithm, window, drift });
        assert.notEqual(found, undefined);
        // Equal codes at two steps (~1e-6) may pick the other one; it must still be in the window.
        if (found !== center + offset) {
          assert.ok(Math.abs(found! - center) <= Math.abs(offset));
          assert.equal(hotp(secret, found!, { algorithm, digits }), code);
        }
      },
    ),
    RUNS,
  );
});

test('findTotpStep never accepts a step outside the window', () => {
  fc.assert(
    fc.property(
      secretArb,
      algorithmArb,
      digitsArb,
      periodArb,
      timeArb,
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: -10, max: 10 }),
      fc.integer({ min: 1, max: 50 }),
      fc.boolean(),
      (secret, algorithm, digits, period, nowMs, window, drift, beyond, before) => {
        const center = timeStep(nowMs, period) + drift;
        const step = before ? center - window - beyond : center + window + beyond;
        fc.pre(step >= 0);
        const code = hotp(secret, step, { algorithm, digits });
        const found = findTotpStep(secret, code, { nowMs, period, digits, algorithm, window, drift });
        // Only a genuine code collision with a step inside the window may match.
        if (found !== undefined) {
          assert.ok(Math.abs(found - center) <= window);
          assert.equal(hotp(secret, found, { algorithm, digits }), code);
        }
      },
    ),
    RUNS,
  );
});

test('findHotpCounter finds every counter inside the look-ahead and none after it', () => {
  fc.assert(
    fc.property(
      secretArb,
      algorithmArb,
      digitsArb,
      fc.bigInt({ min: 0n, max: 1n << 62n }),
      fc.integer({ min: 1, max: 50 }),
      fc.nat(60),
      (secret, algorithm, digits, fromCounter, lookAhead, ahead) => {
        const code = hotp(secret, fromCounter + BigInt(ahead), { algorithm, digits });
        const found = findHotpCounter(secret, code, { fromCounter, lookAhead, digits, algorithm });
        if (ahead < lookAhead) {
          assert.notEqual(found, undefined);
          assert.ok(found! <= fromCounter + BigInt(ahead));
        }
        if (found !== undefined) {
          assert.ok(found >= fromCounter && found < fromCounter + BigInt(lookAhead));
          assert.equal(hotp(secret, found, { algorithm, digits }), code);
        }
      },
    ),
    RUNS,
  );
});

test('PIN and OTP typed together split back into the same parts', () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[0-9]{4,8}$/),
      fc.constantFrom(6, 8),
      fc.constantFrom('before' as const, 'after' as const),
      fc.nat(),
      (pin, digits, pinPosition, n) => {
        const otp = String(n % 10 ** digits).padStart(digits, '0');
        const input = pinPosition === 'before' ? pin + otp : otp + pin;
        assert.deepEqual(splitPinAndOtp(input, { pinPosition, digits }), { pin, otp });
      },
    ),
    RUNS,
  );
});
