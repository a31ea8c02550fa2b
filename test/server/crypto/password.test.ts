import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARGON2_PARAMS, hashPassword, verifyAgainstDummy, verifyPassword } from '../../../server/src/crypto/password.js';

test('argon2id with the OWASP parameters', async () => {
  assert.deepEqual({ m: ARGON2_PARAMS.memoryCost, t: ARGON2_PARAMS.timeCost, p: ARGON2_PARAMS.parallelism }, { m: 19456, t: 2, p: 1 });
  const h = await hashPassword('correct horse battery staple');
  assert.ok(h.startsWith('$argon2id$'), h);
  assert.ok(h.includes('m=19456,t=2,p=1'), h);
});

test('verify true for the right password, false for a wrong one', async () => {
  const h = await hashPassword('correct horse battery staple');
  assert.equal(await verifyPassword(h, 'correct horse battery staple'), true);
  assert.equal(await verifyPassword(h, 'correct horse battery stapl'), false);
  assert.equal(await verifyPassword(h, ''), false);
});

test('same password hashes differently (random salt)', async () => {
  assert.notEqual(await hashPassword('1234'), await hashPassword('1234'));
});

test('PINs use the same functions', async () => {
  const h = await hashPassword('0042');
  assert.equal(await verifyPassword(h, '0042'), true);
  assert.equal(await verifyPassword(h, '42'), false);
});

test('malformed hash gives false, never throws', async () => {
  for (const bad of ['', 'not a hash', '$argon2id$', '$argon2id$v=19$m=19456,t=2,p=1$xx$yy', '$2b$10$abc']) {
    assert.equal(await verifyPassword(bad, 'anything'), false, JSON.stringify(bad));
  }
});

test('verifyAgainstDummy always resolves false', async () => {
  assert.equal(await verifyAgainstDummy('anything'), false);
  assert.equal(await verifyAgainstDummy(''), false);
  const results = await Promise.all([verifyAgainstDummy('a'), verifyAgainstDummy('b')]);
  assert.deepEqual(results, [false, false]);
});
