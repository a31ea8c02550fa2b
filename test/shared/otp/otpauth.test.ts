import assert from 'node:assert/strict';
import { test } from 'node:test';
import { URI } from 'otpauth';
import { base32Encode } from '../../../shared/otp/base32.js';
import { isOtpauthError, otpauthUri, parseOtpauthUri } from '../../../shared/otp/otpauth.js';

// The otpauth:// reader the authenticator app uses (shared/otp), against the server's writer and
// the `otpauth` package's writer: what either writes, the reader reads back exactly.

const SECRET = Buffer.from('12345678901234567890');
const B32 = base32Encode(SECRET);

test("reads back what the server's writer writes (TOTP and HOTP)", () => {
  const totp = parseOtpauthUri(
    otpauthUri({ type: 'totp', secret: SECRET, issuer: 'ACME Co', account: 'john@example.com', algorithm: 'SHA512', digits: 8, period: 60 }),
  );
  assert.deepEqual(
    { ...totp, secret: Buffer.from(totp.secret) },
    {
      type: 'totp',
      secret: SECRET,
      issuer: 'ACME Co',
      account: 'john@example.com',
      algorithm: 'SHA512',
      digits: 8,
      period: 60,
      counter: 0n,
    },
  );
  const hotp = parseOtpauthUri(
    otpauthUri({ type: 'hotp', secret: SECRET, issuer: 'Veriframe', account: 'alice', algorithm: 'SHA256', digits: 6, counter: 42n }),
  );
  assert.equal(hotp.type, 'hotp');
  assert.equal(hotp.counter, 42n);
  assert.equal(hotp.algorithm, 'SHA256');
});

test("reads what the otpauth package writes, including '+' and lower-case algorithm names", () => {
  const uri = URI.stringify(URI.parse(`otpauth://totp/My%20Bank:ann%2Bx@example.com?secret=${B32}&issuer=My%20Bank&algorithm=SHA256&digits=8&period=30`));
  const parsed = parseOtpauthUri(uri);
  assert.equal(parsed.issuer, 'My Bank');
  assert.equal(parsed.account, 'ann+x@example.com');
  assert.equal(parseOtpauthUri(`otpauth://totp/x?secret=${B32}&algorithm=sha1`).algorithm, 'SHA1');
});

test('applies the defaults of the Key URI Format and takes the issuer from the label when no parameter names it', () => {
  const p = parseOtpauthUri(`otpauth://totp/Example:alice?secret=${B32.toLowerCase()}`);
  assert.deepEqual([p.issuer, p.account, p.algorithm, p.digits, p.period], ['Example', 'alice', 'SHA1', 6, 30]);
  assert.equal(parseOtpauthUri(`otpauth://TOTP/alice?secret=${B32}`).issuer, '');
  assert.equal(parseOtpauthUri(`otpauth://hotp/alice?secret=${B32}`).counter, 0n);
});

test('reads OCRA tokens (our extension) with their suite', () => {
  const p = parseOtpauthUri(`otpauth://ocra/Bank:dave?secret=${B32}&suite=OCRA-1:HOTP-SHA1-6:QN08`);
  assert.equal(p.type, 'ocra');
  assert.equal(p.suite, 'OCRA-1:HOTP-SHA1-6:QN08');
});

test('refuses bad URIs with a code, and never puts the secret in the message', () => {
  const cases: [string, string][] = [
    ['https://example.com', 'scheme'],
    [`otpauth://motp/x?secret=${B32}`, 'type'],
    ['otpauth://totp/x', 'secret'],
    ['otpauth://totp/x?secret=SECRET!1', 'secret'],
    [`otpauth://totp/x?secret=${B32}&algorithm=MD5`, 'algorithm'],
    [`otpauth://totp/x?secret=${B32}&digits=7`, 'digits'],
    [`otpauth://totp/x?secret=${B32}&period=45`, 'period'],
    [`otpauth://hotp/x?secret=${B32}&counter=-1`, 'counter'],
    [`otpauth://hotp/x?secret=${B32}&counter=18446744073709551616`, 'counter'],
    [`otpauth://ocra/x?secret=${B32}&suite=OCRA-2:x`, 'suite'],
    [`otpauth://totp/%E0%A4%A?secret=${B32}`, 'label'],
  ];
  for (const [uri, code] of cases) {
    assert.throws(
      () => parseOtpauthUri(uri),
      (err: unknown) => isOtpauthError(err) && err.otpauthCode === code && !err.message.includes(B32) && !err.message.includes('SECRET!1'),
      uri,
    );
  }
});
