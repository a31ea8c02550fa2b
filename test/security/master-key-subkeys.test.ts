import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createKeyRing, decryptSecret, encryptSecret, keyIdOf } from '../../server/src/crypto/secretbox.js';
import { failedCodeHash, keyedCodeHash } from '../../server/src/tokens/secrets.js';

// DESIGN §10 "Secrets": the master key is never used directly; each purpose has its own HKDF
// subkey. Before, the raw master key was both the AES-GCM key of every secret and the HMAC key
// of wrong-code memory and sent codes, so one key served two constructions.

const master = randomBytes(32);
const ring = createKeyRing(master);
const context = 'token:00000000-0000-4000-8000-000000000001';
const plaintext = Buffer.from('a token seed worth protecting');

/** The blob format before subkeys, written independently of the product's code. */
function legacyBlob(key: Buffer, text: Buffer, ctx: string): Buffer {
  const id = Buffer.from(createHmac('sha256', key).update('veriframe/key-id/v1').digest().subarray(0, 6).toString('base64url'), 'ascii');
  const header = Buffer.concat([Buffer.from([1, id.length]), id]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.concat([header, Buffer.from(ctx, 'utf8')]));
  const body = Buffer.concat([cipher.update(text), cipher.final()]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]);
}

test('new secrets are not sealed with the raw master key', () => {
  const blob = encryptSecret(ring, plaintext, context);
  const idLength = blob[1]!;
  const header = blob.subarray(0, 2 + idLength);
  const iv = blob.subarray(2 + idLength, 14 + idLength);
  const decipher = createDecipheriv('aes-256-gcm', master, iv, { authTagLength: 16 });
  decipher.setAAD(Buffer.concat([header, Buffer.from(context, 'utf8')]));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  assert.throws(
    () => Buffer.concat([decipher.update(blob.subarray(14 + idLength, blob.length - 16)), decipher.final()]),
    'the raw master key does not open a new blob',
  );
  assert.deepEqual(decryptSecret(ring, blob, context), plaintext);
});

test('secrets sealed with the raw master key before subkeys still decrypt, under their own key id', () => {
  const old = legacyBlob(master, plaintext, context);
  assert.notEqual(keyIdOf(old), ring.current.id, 'old and new blobs are told apart by key id');
  assert.deepEqual(decryptSecret(ring, old, context), plaintext);
  assert.deepEqual(
    decryptSecret(createKeyRing(randomBytes(32), [master]), old, context),
    plaintext,
    'also after a rotation, while the old key is still listed',
  );
  assert.throws(() => decryptSecret(createKeyRing(randomBytes(32)), old, context), /unknown key id/);
});

test('code hashes are keyed with their own subkey, not the master key', () => {
  const tokenId = '00000000-0000-4000-8000-000000000002';
  const withMaster = createHmac('sha256', master).update(`failed-code\0${tokenId}\x00123456`).digest();
  assert.notDeepEqual(failedCodeHash(ring, tokenId, '123456'), withMaster);
  const subkey = Buffer.from(hkdfSync('sha256', master, 'veriframe/hkdf/v1', 'veriframe/code-hash/v1', 32));
  assert.deepEqual(keyedCodeHash(ring, 'failed-code', tokenId, '123456'), createHmac('sha256', subkey).update(`failed-code\0${tokenId}\x00123456`).digest());
});

test('every purpose has a distinct key, none of them the master key', () => {
  const { key, secretKey, codeKey, auditKey } = ring.current;
  const all = [key, secretKey, codeKey, auditKey].map((b) => b.toString('hex'));
  assert.equal(new Set(all).size, 4);
  assert.deepEqual(key, master);
});
