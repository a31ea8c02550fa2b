import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { counterBytes, dynamicTruncate, hotp } from '../../../server/src/otp/hotp.js';

// RFC 4226 Appendix D: secret "12345678901234567890" (ASCII), SHA-1, 6 digits.
const SECRET = Buffer.from('12345678901234567890', 'ascii');

const APPENDIX_D: Array<{ counter: number; hmac: string; truncatedHex: string; truncated: number; hotp: string }> = [
  { counter: 0, hmac: 'cc93cf18508d94934c64b65d8ba7667fb7cde4b0', truncatedHex: '4c93cf18', truncated: 1284755224, hotp: '755224' },
  { counter: 1, hmac: '75a48a19d4cbe100644e8ac1397eea747a2d33ab', truncatedHex: '41397eea', truncated: 1094287082, hotp: '287082' },
  { counter: 2, hmac: '0bacb7fa082fef30782211938bc1c5e70416ff44', truncatedHex: '82fef30', truncated: 137359152, hotp: '359152' },
  { counter: 3, hmac: '66c28227d03a2d5529262ff016a1e6ef76557ece', truncatedHex: '66ef7655', truncated: 1726969429, hotp: '969429' },
  { counter: 4, hmac: 'a904c900a64b35909874b33e61c5938a8e15ed1c', truncatedHex: '61c5938a', truncated: 1640338314, hotp: '338314' },
  { counter: 5, hmac: 'a37e783d7b7233c083d4f62926c7a25f238d0316', truncatedHex: '33c083d4', truncated: 868254676, hotp: '254676' },
  { counter: 6, hmac: 'bc9cd28561042c83f219324d3c607256c03272ae', truncatedHex: '7256c032', truncated: 1918287922, hotp: '287922' },
  { counter: 7, hmac: 'a4fb960c0bc06e1eabb804e5b397cdc4b45596fa', truncatedHex: '4e5b397', truncated: 82162583, hotp: '162583' },
  { counter: 8, hmac: '1b3c89f65e6c9e883012052823443f048b4332db', truncatedHex: '2823443f', truncated: 673399871, hotp: '399871' },
  { counter: 9, hmac: '1637409809a679dc698207310c8c7fc07290d9e5', truncatedHex: '2679dc69', truncated: 645520489, hotp: '520489' },
];

for (const row of APPENDIX_D) {
  test(`RFC 4226 Appendix D, count ${row.counter}: HMAC-SHA-1 ${row.hmac}`, () => {
    const mac = createHmac('sha1', SECRET).update(counterBytes(row.counter)).digest();
    assert.equal(mac.toString('hex'), row.hmac);
  });
  test(`RFC 4226 Appendix D, count ${row.counter}: truncated 0x${row.truncatedHex} = ${row.truncated}`, () => {
    const mac = Buffer.from(row.hmac, 'hex');
    assert.equal(dynamicTruncate(mac), row.truncated);
    assert.equal(dynamicTruncate(mac).toString(16), row.truncatedHex);
  });
  test(`RFC 4226 Appendix D, count ${row.counter}: HOTP ${row.hotp}`, () => {
    assert.equal(hotp(SECRET, row.counter, { digits: 6, algorithm: 'SHA1' }), row.hotp);
    assert.equal(hotp(SECRET, BigInt(row.counter), { digits: 6, algorithm: 'SHA1' }), row.hotp);
  });
}

test('8 digits keep the leading zeros and end with the 6-digit code', () => {
  // Count 7 truncates to 82162583: 8 digits = "82162583", and count 2 to 137359152 → "37359152".
  assert.equal(hotp(SECRET, 7, { digits: 8, algorithm: 'SHA1' }), '82162583');
  assert.equal(hotp(SECRET, 2, { digits: 8, algorithm: 'SHA1' }), '37359152');
});

test('counters are 8-byte big-endian, up to 2^64-1', () => {
  assert.equal(counterBytes(1).toString('hex'), '0000000000000001');
  assert.equal(counterBytes(0x0123456789abcdefn).toString('hex'), '0123456789abcdef');
  assert.equal(counterBytes((1n << 64n) - 1n).toString('hex'), 'ffffffffffffffff');
  assert.throws(() => counterBytes(1n << 64n), /2\^64-1/);
  assert.throws(() => counterBytes(-1), /between 0/);
  assert.throws(() => counterBytes(1.5), /safe integer/);
  assert.throws(() => counterBytes(2 ** 53), /safe integer/);
});

test('invalid options are refused rather than guessed', () => {
  assert.throws(() => hotp(SECRET, 0, { digits: 7 as 6, algorithm: 'SHA1' }), /6 or 8/);
  assert.throws(() => hotp(SECRET, 0, { digits: 6, algorithm: 'MD5' as 'SHA1' }), /unsupported OTP algorithm/);
  assert.throws(() => hotp(SECRET, 0, { digits: 6, algorithm: 'constructor' as 'SHA1' }), /unsupported OTP algorithm/);
  assert.throws(() => hotp(new Uint8Array(0), 0, { digits: 6, algorithm: 'SHA1' }), /must not be empty/);
});
