import { test } from 'node:test';
import assert from 'node:assert/strict';
import { URI, HOTP, TOTP } from 'otpauth';
import { base32Encode } from '../../../server/src/otp/base32.js';
import { otpauthUri } from '../../../server/src/otp/uri.js';

const SECRET = Buffer.from('12345678901234567890');

test('TOTP URI in the Key URI Format', () => {
  const uri = otpauthUri({
    type: 'totp',
    secret: SECRET,
    issuer: 'ACME Co',
    account: 'john.doe@example.com',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  assert.equal(
    uri,
    'otpauth://totp/ACME%20Co:john.doe%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
  );
});

test('HOTP URI carries the counter and no period', () => {
  const uri = otpauthUri({
    type: 'hotp',
    secret: SECRET,
    issuer: 'Veriframe',
    account: 'alice',
    algorithm: 'SHA256',
    digits: 8,
    counter: 42n,
  });
  assert.equal(uri, 'otpauth://hotp/Veriframe:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Veriframe&algorithm=SHA256&digits=8&counter=42');
});

test('an independent parser (otpauth) reads back every field, with awkward characters', () => {
  const secret = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff));
  const uri = otpauthUri({
    type: 'totp',
    secret,
    issuer: 'Ünïcode & Co/?#',
    account: 'ann+test@exämple.com',
    algorithm: 'SHA512',
    digits: 8,
    period: 60,
  });
  const label = uri.slice('otpauth://totp/'.length, uri.indexOf('?'));
  assert.doesNotMatch(label, /[ &?#/+@]/, 'reserved characters are escaped in the label');
  assert.equal(label.split(':').length, 2, 'exactly one literal colon separates issuer and account');
  const parsed = URI.parse(uri);
  assert.ok(parsed instanceof TOTP);
  assert.equal(parsed.issuer, 'Ünïcode & Co/?#');
  assert.equal(parsed.label, 'ann+test@exämple.com');
  assert.equal(parsed.algorithm, 'SHA512');
  assert.equal(parsed.digits, 8);
  assert.equal(parsed.period, 60);
  assert.equal(parsed.secret.base32, base32Encode(secret));
  assert.deepEqual(Buffer.from(parsed.secret.bytes), secret);

  const hotpUri = otpauthUri({ type: 'hotp', secret, issuer: 'X', account: 'y', algorithm: 'SHA1', digits: 6, counter: 7 });
  const parsedHotp = URI.parse(hotpUri);
  assert.ok(parsedHotp instanceof HOTP);
  assert.equal(parsedHotp.counter, 7);
});

test('secret is base32 without padding', () => {
  const uri = otpauthUri({ type: 'totp', secret: Buffer.from('f'), issuer: 'I', account: 'a', algorithm: 'SHA1', digits: 6, period: 30 });
  assert.match(uri, /[?&]secret=MY&/);
  assert.doesNotMatch(uri, /%3D|secret=[A-Z2-7]*=/);
});

test('invalid options are refused', () => {
  const base = { type: 'totp', secret: SECRET, issuer: 'I', account: 'a', algorithm: 'SHA1', digits: 6, period: 30 } as const;
  assert.throws(() => otpauthUri({ ...base, issuer: 'A:B' }), /issuer must not contain ':'/);
  assert.throws(() => otpauthUri({ ...base, account: 'a:b' }), /account must not contain ':'/);
  assert.throws(() => otpauthUri({ ...base, issuer: '' }), /issuer must not be empty/);
  assert.throws(() => otpauthUri({ ...base, period: undefined }), /period/);
  assert.throws(() => otpauthUri({ ...base, type: 'hotp' }), /counter/);
  assert.throws(() => otpauthUri({ ...base, digits: 7 as 6 }), /6 or 8/);
  assert.throws(() => otpauthUri({ ...base, algorithm: 'MD5' as 'SHA1' }), /algorithm/);
  assert.throws(() => otpauthUri({ ...base, secret: new Uint8Array(0) }), /secret/);
});
