import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createKeyRing, decryptSecret, encryptSecret, keyIdOf, masterKeyFrom } from '../../../server/src/crypto/secretbox.js';

const key = randomBytes(32);
const ring = createKeyRing(key);
const plaintext = Buffer.from('JBSWY3DPEHPK3PXP-very-secret-seed');
const context = 'token:5b0a3a9e-1111-4e3a-9b0c-000000000001';

test('round trip', () => {
  const blob = encryptSecret(ring, plaintext, context);
  assert.deepEqual(decryptSecret(ring, blob, context), plaintext);
});

test('empty plaintext round trips', () => {
  const blob = encryptSecret(ring, new Uint8Array(0), context);
  assert.equal(decryptSecret(ring, blob, context).length, 0);
});

test('blob layout: version, key id, IV, ciphertext, tag', () => {
  const mk = masterKeyFrom(key);
  assert.equal(mk.id.length, 8);
  assert.match(mk.id, /^[A-Za-z0-9_-]{8}$/);
  const blob = encryptSecret(ring, plaintext, context);
  assert.equal(blob[0], 1);
  assert.equal(blob[1], mk.id.length);
  assert.equal(blob.subarray(2, 2 + mk.id.length).toString('ascii'), mk.id);
  assert.equal(blob.length, 2 + mk.id.length + 12 + plaintext.length + 16);
  assert.equal(keyIdOf(blob), mk.id);
  assert.equal(ring.current.id, mk.id);
});

test('key id is deterministic per key and differs between keys', () => {
  assert.equal(masterKeyFrom(key).id, masterKeyFrom(Buffer.from(key)).id);
  assert.notEqual(masterKeyFrom(key).id, masterKeyFrom(randomBytes(32)).id);
});

test('flipping any single byte makes decryption fail', () => {
  const blob = encryptSecret(ring, plaintext, context);
  for (let i = 0; i < blob.length; i++) {
    for (const mask of [0x01, 0x80]) {
      const tampered = Buffer.from(blob);
      tampered[i] = (tampered[i] ?? 0) ^ mask;
      assert.throws(() => decryptSecret(ring, tampered, context), Error, `byte ${i} mask ${mask}`);
    }
  }
});

test('wrong context fails', () => {
  const blob = encryptSecret(ring, plaintext, context);
  assert.throws(() => decryptSecret(ring, blob, 'token:another-row'), /secret could not be decrypted \(key id /);
  assert.throws(() => decryptSecret(ring, blob, ''), /secret could not be decrypted/);
});

test('truncated input, bad version and unknown key fail with safe messages', () => {
  const blob = encryptSecret(ring, plaintext, context);
  for (let len = 0; len < blob.length; len++) {
    assert.throws(() => decryptSecret(ring, blob.subarray(0, len), context), Error, `length ${len}`);
  }
  const v2 = Buffer.from(blob);
  v2[0] = 2;
  assert.throws(() => decryptSecret(ring, v2, context), /unsupported format version 2/);
  const otherRing = createKeyRing(randomBytes(32));
  assert.throws(() => decryptSecret(otherRing, blob, context), new RegExp(`unknown key id ${ring.current.id}`));
});

test('error messages contain neither plaintext nor key bytes', () => {
  const blob = encryptSecret(ring, plaintext, context);
  const forbidden = [plaintext.toString('utf8'), plaintext.toString('hex'), plaintext.toString('base64'), key.toString('hex'), key.toString('base64')];
  const attempts: Array<() => unknown> = [
    () => decryptSecret(ring, blob, 'wrong'),
    () => decryptSecret(createKeyRing(randomBytes(32)), blob, context),
    () => {
      const t = Buffer.from(blob);
      t[t.length - 1] = (t[t.length - 1] ?? 0) ^ 1;
      return decryptSecret(ring, t, context);
    },
  ];
  for (const attempt of attempts) {
    try {
      attempt();
      assert.fail('expected a throw');
    } catch (err) {
      const text = `${(err as Error).message} ${(err as Error).stack ?? ''}`;
      for (const f of forbidden) assert.ok(!text.includes(f), 'error leaks secret material');
    }
  }
});

test('key rotation: previous keys still decrypt, new encryptions use the current key', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const oldRing = createKeyRing(oldKey);
  const oldBlob = encryptSecret(oldRing, plaintext, context);

  const rotated = createKeyRing(newKey, [oldKey]);
  assert.deepEqual(decryptSecret(rotated, oldBlob, context), plaintext);
  const newBlob = encryptSecret(rotated, plaintext, context);
  assert.equal(keyIdOf(newBlob), masterKeyFrom(newKey).id);
  assert.equal(keyIdOf(oldBlob), masterKeyFrom(oldKey).id);
  assert.throws(() => decryptSecret(oldRing, newBlob, context), /unknown key id/);
});

test('a copy of the current key among previous keys does not shadow it', () => {
  const r = createKeyRing(key, [key, randomBytes(32)]);
  assert.equal(r.byId.size, 2);
  assert.equal(r.byId.get(r.current.id), r.current);
});

test('keys must be exactly 32 bytes', () => {
  assert.throws(() => masterKeyFrom(randomBytes(31)), /32 bytes/);
  assert.throws(() => masterKeyFrom(randomBytes(33)), /32 bytes/);
  assert.throws(() => createKeyRing(randomBytes(32), [randomBytes(16)]), /32 bytes/);
});

test('the ring keeps its own copy of the key', () => {
  const k = randomBytes(32);
  const r = createKeyRing(k);
  const blob = encryptSecret(r, plaintext, context);
  k.fill(0);
  assert.deepEqual(decryptSecret(r, blob, context), plaintext);
});

test('two encryptions of the same plaintext differ', () => {
  const a = encryptSecret(ring, plaintext, context);
  const b = encryptSecret(ring, plaintext, context);
  assert.notDeepEqual(a, b);
});

test('accepts a Uint8Array view into a larger buffer', () => {
  const blob = encryptSecret(ring, plaintext, context);
  const big = new Uint8Array(blob.length + 10);
  big.set(blob, 5);
  assert.deepEqual(decryptSecret(ring, big.subarray(5, 5 + blob.length), context), plaintext);
});
