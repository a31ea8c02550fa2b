import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { sql } from 'kysely';
import { createKeyRing, decryptSecret, type KeyRing } from '../../../server/src/crypto/secretbox.js';
import { activeSigningKey, ensureSigningKey, publishedKeys, rotateSigningKey } from '../../../server/src/jwt/keys.js';
import { signResultToken, verifyResultToken } from '../../../server/src/jwt/result.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { T, at, issuer, loginResult, otherInstance } from './fixtures.js';

for (const mode of dbModes()) {
  describe(`signing keys (${mode})`, () => {
    let t: TestDb;
    let ring: KeyRing;
    const resourceId = randomUUID();
    before(async () => {
      t = await openTestDb(mode, { poolSize: 8 });
      ring = createKeyRing(randomBytes(32));
    });
    beforeEach(() => sql`delete from signing_keys`.execute(t.db));
    after(() => t.close());

    const kidOf = (token: string) => String(decodeProtectedHeader(token).kid);
    const verifyAt = (token: string, nonce: string, now: Date) => verifyResultToken(t.db, { token, nonce, resourceId, issuer, now });

    it('creates exactly one key on first use, also when instances race for it', async () => {
      assert.deepEqual(await publishedKeys(t.db, T), []);
      // Separate Kysely handles: no shared in-process cache, as with separate server processes.
      const rows = await Promise.all(Array.from({ length: 12 }, () => ensureSigningKey(otherInstance(t.db), ring, T)));
      const stored = await t.db.selectFrom('signing_keys').select(['kid', 'alg', 'activatesAt', 'retiresAt', 'expiresAt']).execute();
      assert.equal(stored.length, 1);
      assert.ok(rows.every((r) => r.kid === stored[0]!.kid));
      assert.deepEqual({ ...stored[0], kid: undefined }, { kid: undefined, alg: 'ES256', activatesAt: T, retiresAt: null, expiresAt: null });
      assert.equal((await ensureSigningKey(t.db, ring, at(3600))).kid, stored[0]!.kid, 'kept, not re-created');
    });

    it('stores the private key only encrypted, bound to its kid', async () => {
      const row = await ensureSigningKey(t.db, ring, T);
      const privateJwk = JSON.parse(decryptSecret(ring, row.privateEnc, `signing-key:${row.kid}`).toString('utf8')) as Record<string, string>;
      assert.equal(privateJwk.kty, 'EC');
      assert.equal(privateJwk.crv, 'P-256');
      const d = privateJwk.d!;
      assert.match(d, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(!row.privateEnc.includes(Buffer.from(d)), 'the base64url d is not in the blob');
      assert.ok(!row.privateEnc.includes(Buffer.from(d, 'base64url')), 'nor are its raw bytes');
      assert.ok(!row.privateEnc.toString('latin1').includes('"d"'), 'the blob is not a JSON document');
      assert.deepEqual(row.publicJwk, { kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y });
      // The whole table as text (what a dump or a backup shows) does not hold d either.
      const dump = await sql<{ dump: string }>`select string_agg(t::text, '|') as dump from signing_keys t`.execute(t.db);
      assert.ok(!dump.rows[0]!.dump.includes(d));
      assert.ok(!dump.rows[0]!.dump.includes(Buffer.from(d, 'base64url').toString('hex')));
      assert.throws(() => decryptSecret(ring, row.privateEnc, 'signing-key:another-kid'), 'a blob moved to another row does not decrypt');
      assert.throws(() => decryptSecret(createKeyRing(randomBytes(32)), row.privateEnc, `signing-key:${row.kid}`));

      const jwks = await publishedKeys(t.db, T);
      assert.deepEqual(jwks, [{ kty: 'EC', crv: 'P-256', x: privateJwk.x, y: privateJwk.y, kid: row.kid, alg: 'ES256', use: 'sig' }]);
      assert.ok(!JSON.stringify(jwks).includes(d));
    });

    it('rotates with overlap: old tokens verify, new ones use the new kid, the old key leaves later', async () => {
      const before1 = loginResult(resourceId);
      const oldToken = await signResultToken(t.db, ring, before1);
      const oldKid = kidOf(oldToken);

      const rotatedAt = at(30);
      const { kid: newKid, retired } = await rotateSigningKey(t.db, ring, rotatedAt);
      assert.notEqual(newKid, oldKid);
      assert.deepEqual(retired, [oldKid]);
      const old = await t.db.selectFrom('signing_keys').selectAll().where('kid', '=', oldKid).executeTakeFirstOrThrow();
      assert.deepEqual([old.retiresAt, old.expiresAt], [rotatedAt, at(30 + 600)]);

      const fresh = loginResult(resourceId, { now: rotatedAt });
      const newToken = await signResultToken(t.db, ring, fresh);
      assert.equal(kidOf(newToken), newKid, 'the rotating process signs with the new key at once');
      assert.equal((await activeSigningKey(t.db, ring, at(31))).kid, newKid);

      // The site's verifier may hold either token; the JWKS has both keys now.
      const jwks = await publishedKeys(t.db, at(60));
      assert.deepEqual(
        jwks.map((k) => k.kid),
        [newKid, oldKid],
      );
      for (const [token, input] of [
        [oldToken, before1],
        [newToken, fresh],
      ] as const) {
        await jwtVerify(token, createLocalJWKSet({ keys: jwks }), { issuer, audience: resourceId, currentDate: at(60) });
        assert.equal((await verifyAt(token, input.nonce, at(60))).valid, true, kidOf(token));
      }

      assert.deepEqual(
        (await publishedKeys(t.db, at(30 + 599))).map((k) => k.kid),
        [newKid, oldKid],
      );
      assert.deepEqual(
        (await publishedKeys(t.db, at(30 + 600))).map((k) => k.kid),
        [newKid],
        'gone at its expiry',
      );
      const late = await t.db.selectFrom('signing_keys').select('kid').execute();
      assert.equal(late.length, 2, 'the row stays (history); only publication ends');
    });

    it('a second rotation retires only the key that was signing', async () => {
      const first = (await ensureSigningKey(t.db, ring, T)).kid;
      const second = (await rotateSigningKey(t.db, ring, at(10))).kid;
      const third = await rotateSigningKey(t.db, ring, at(20));
      assert.deepEqual(third.retired, [second]);
      const rows = await t.db.selectFrom('signing_keys').select(['kid', 'retiresAt', 'expiresAt']).execute();
      const byKid = new Map(rows.map((r) => [r.kid, r]));
      assert.deepEqual(byKid.get(first), { kid: first, retiresAt: at(10), expiresAt: at(610) }, 'its overlap is not extended');
      assert.deepEqual(byKid.get(second), { kid: second, retiresAt: at(20), expiresAt: at(620) });
      assert.deepEqual(byKid.get(third.kid), { kid: third.kid, retiresAt: null, expiresAt: null });
      assert.deepEqual(
        (await publishedKeys(t.db, at(615))).map((k) => k.kid),
        [third.kid, second],
      );
    });

    it('other instances switch to a rotated key within seconds, and their last tokens still verify', async () => {
      const cached = (await activeSigningKey(t.db, ring, T)).kid;
      // The rotation happens elsewhere (another process or the CLI): this handle's cache is not told.
      const { kid: rotated } = await rotateSigningKey(otherInstance(t.db), ring, at(1));
      const stale = loginResult(resourceId, { now: at(2) });
      const staleToken = await signResultToken(t.db, ring, stale);
      assert.equal(kidOf(staleToken), cached, 'the cache spares a query and a decryption per login');
      assert.equal((await verifyAt(staleToken, stale.nonce, at(3))).valid, true, 'the retired key is still published');
      const later = await signResultToken(t.db, ring, loginResult(resourceId, { now: at(6) }));
      assert.equal(kidOf(later), rotated, 'after the cache period the new key signs');
    });

    it('tolerates an instance whose clock is ahead: no second key, and a rotation still wins', async () => {
      const ahead = await ensureSigningKey(otherInstance(t.db), ring, at(2));
      assert.equal((await ensureSigningKey(otherInstance(t.db), ring, T)).kid, ahead.kid, 'the key "from the future" is used');
      assert.equal((await t.db.selectFrom('signing_keys').select('kid').execute()).length, 1);
      const { kid, retired } = await rotateSigningKey(otherInstance(t.db), ring, T);
      assert.deepEqual(retired, [ahead.kid]);
      const row = await t.db.selectFrom('signing_keys').selectAll().where('kid', '=', ahead.kid).executeTakeFirstOrThrow();
      assert.deepEqual([row.retiresAt, row.expiresAt], [at(2), at(602)], 'retired no earlier than it activated');
      assert.equal((await activeSigningKey(otherInstance(t.db), ring, at(3))).kid, kid, 'it does not take over again');
    });

    it('keys made by one instance sign on another with the same master key', async () => {
      const made = await ensureSigningKey(otherInstance(t.db), ring, T);
      const sameMaster = createKeyRing(Buffer.from(ring.current.key));
      assert.equal((await activeSigningKey(otherInstance(t.db), sameMaster, T)).kid, made.kid);
    });
  });
}
