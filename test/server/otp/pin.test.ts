import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPinAndOtp } from '../../../server/src/otp/pin.js';

test('PIN before the OTP: the OTP is the last `digits` characters', () => {
  assert.deepEqual(splitPinAndOtp('1234755224', { pinPosition: 'before', digits: 6 }), { pin: '1234', otp: '755224' });
  assert.deepEqual(splitPinAndOtp('1234567894287082', { pinPosition: 'before', digits: 8 }), { pin: '12345678', otp: '94287082' });
});

test('PIN after the OTP: the OTP is the first `digits` characters', () => {
  assert.deepEqual(splitPinAndOtp('7552241234', { pinPosition: 'after', digits: 6 }), { pin: '1234', otp: '755224' });
  assert.deepEqual(splitPinAndOtp('9428708200001', { pinPosition: 'after', digits: 8 }), { pin: '00001', otp: '94287082' });
});

test('PIN length must be 4 to 8 digits', () => {
  for (const pinPosition of ['before', 'after'] as const) {
    for (const pin of ['123', '123456789', '']) {
      const input = pinPosition === 'before' ? `${pin}755224` : `755224${pin}`;
      assert.equal(splitPinAndOtp(input, { pinPosition, digits: 6 }), undefined, `${pinPosition} ${pin.length}`);
    }
    for (const pin of ['1234', '12345678']) {
      const input = pinPosition === 'before' ? `${pin}755224` : `755224${pin}`;
      assert.deepEqual(splitPinAndOtp(input, { pinPosition, digits: 6 }), { pin, otp: '755224' });
    }
  }
});

test('non-digits in PIN or OTP are refused', () => {
  assert.equal(splitPinAndOtp('12a4755224', { pinPosition: 'before', digits: 6 }), undefined);
  assert.equal(splitPinAndOtp('123475522x', { pinPosition: 'before', digits: 6 }), undefined);
  assert.equal(splitPinAndOtp('1234 755224', { pinPosition: 'before', digits: 6 }), undefined);
  assert.equal(splitPinAndOtp('755224-1234', { pinPosition: 'after', digits: 6 }), undefined);
  assert.equal(splitPinAndOtp('１２３４755224', { pinPosition: 'before', digits: 6 }), undefined);
});

test('an input of only the OTP (or shorter) has no PIN', () => {
  assert.equal(splitPinAndOtp('755224', { pinPosition: 'before', digits: 6 }), undefined);
  assert.equal(splitPinAndOtp('', { pinPosition: 'after', digits: 6 }), undefined);
});

test('OCRA lengths work too', () => {
  assert.deepEqual(splitPinAndOtp('98765432109999', { pinPosition: 'before', digits: 10 }), { pin: '9876', otp: '5432109999' });
});

test('invalid options throw', () => {
  assert.throws(() => splitPinAndOtp('1234755224', { pinPosition: 'middle' as 'before', digits: 6 }), /pinPosition/);
  assert.throws(() => splitPinAndOtp('1234755224', { pinPosition: 'before', digits: 0 }), /digits/);
});
