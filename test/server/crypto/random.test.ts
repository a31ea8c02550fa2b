import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { randomKey, safeEqual, sha256 } from '../../../server/src/crypto/random.js';

test('randomKey: prefix plus 32 random bytes in base64url', () => {
  const k = randomKey('vf_');
  assert.match(k, /^vf_[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(k.slice(3), 'base64url').length, 32);
  assert.match(randomKey('vfs_'), /^vfs_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(randomKey('vf_'), randomKey('vf_'));
});

test('sha256 of strings (utf8) and bytes', () => {
  const expected = createHash('sha256').update('héllo', 'utf8').digest();
  assert.deepEqual(sha256('héllo'), expected);
  assert.deepEqual(sha256(Buffer.from('héllo', 'utf8')), expected);
  assert.equal(sha256('').length, 32);
});

test('safeEqual', () => {
  assert.equal(safeEqual('abc', 'abc'), true);
  assert.equal(safeEqual('abc', 'abd'), false);
  assert.equal(safeEqual('abc', 'abcd'), false);
  assert.equal(safeEqual('', ''), true);
  assert.equal(safeEqual('', 'a'), false);
  assert.equal(safeEqual(Buffer.from('abc'), 'abc'), true);
  assert.equal(safeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
  assert.equal(safeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2])), false);
});
