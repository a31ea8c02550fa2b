import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { createKeyRing, type KeyRing } from '../../../server/src/crypto/secretbox.js';
import { publishedKeys } from '../../../server/src/jwt/keys.js';
import { signResultToken, verifyResultToken, type VerifyInput } from '../../../server/src/jwt/result.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { T, at, issuer, loginResult } from './fixtures.js';

for (const mode of dbModes()) {
  describe(`result JWT sign and verify (${mode})`, () => {
    let t: TestDb;
    let ring: KeyRing;
    const resourceId = randomUUID();
    before(async () => {
      // Several connections, so concurrent verifications really run side by side on PostgreSQL.
      t = await openTestDb(mode, { poolSize: 8 });
      ring = createKeyRing(randomBytes(32));
    });
    after(() => t.close());

    const sign = (over: Parameters<typeof loginResult>[1] = {}) => {
      const input = loginResult(resourceId, over);
      return signResultToken(t.db, ring, input).then((token) => ({ token, input }));
    };
    const verify = (token: string, nonce: string, over: Partial<VerifyInput> = {}) =>
      verifyResultToken(t.db, { token, nonce, resourceId, issuer, now: T, ...over });

    it('signs the claims of DESIGN §7.2 and verifies them once', async () => {
      const { token, input } = await sign();
      const header = decodeProtectedHeader(token);
      assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid', 'typ']);
      assert.equal(header.alg, 'ES256');
      assert.equal(header.typ, 'JWT');
      assert.match(String(header.kid), /^[A-Za-z0-9_-]{22}$/, '16 random bytes, base64url');
      const claims = decodeJwt(token);
      assert.match(String(claims.jti), /^[A-Za-z0-9_-]{22}$/, '128 random bits, base64url');
      const iat = Math.floor(T.getTime() / 1000);
      assert.deepEqual(claims, {
        iss: issuer,
        aud: resourceId,
        sub: input.userId,
        login: 'alice',
        origin: 'https://shop.example',
        nonce: input.nonce,
        amr: ['pwd', 'otp'],
        auth_time: iat - 5,
        iat,
        exp: iat + 120,
        jti: claims.jti,
      });
      assert.deepEqual(await verify(token, input.nonce), {
        valid: true,
        sub: input.userId,
        login: 'alice',
        amr: ['pwd', 'otp'],
        origin: 'https://shop.example',
        authTime: at(-5),
      });
      const again = await sign({ amr: ['bypass'] });
      assert.notEqual(decodeJwt(again.token).jti, claims.jti);
      assert.equal(decodeProtectedHeader(again.token).kid, header.kid, 'one signing key until a rotation');
      assert.deepEqual(decodeJwt(again.token).amr, ['bypass']);
    });

    it('verifies offline with any JOSE library and the published JWKS', async () => {
      const { token, input } = await sign();
      const jwks = createLocalJWKSet({ keys: await publishedKeys(t.db, T) });
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience: resourceId, algorithms: ['ES256'], currentDate: T });
      assert.equal(payload.sub, input.userId);
      assert.equal(payload.nonce, input.nonce);
      assert.equal(protectedHeader.kid, decodeProtectedHeader(token).kid);
      await assert.rejects(jwtVerify(token, jwks, { currentDate: at(121) }), { code: 'ERR_JWT_EXPIRED' }, 'jose sees exp = iat + 120 too');
    });

    // Forged and misused tokens (tampering, alg none, algorithm confusion, kids, header keys,
    // audience, issuer, nonce, oversized input) are refused on this function and on the route
    // alike in test/security/jwt-tampering.test.ts, the canonical list of attacks.

    it('enforces exp and iat with 60 s of leeway', async () => {
      const late = await sign();
      assert.deepEqual(await verify(late.token, late.input.nonce, { now: at(180) }), { valid: false, reason: 'expired' }, 'exp + 60 s');
      assert.deepEqual(await verify(late.token, late.input.nonce, { now: at(3600) }), { valid: false, reason: 'expired' });
      assert.equal((await verify(late.token, late.input.nonce, { now: at(179) })).valid, true, 'within the leeway');

      const future = await sign({ now: at(61) });
      assert.deepEqual(await verify(future.token, future.input.nonce), { valid: false, reason: 'not_yet_valid' });
      const skewed = await sign({ now: at(60) });
      assert.equal((await verify(skewed.token, skewed.input.nonce)).valid, true, 'a clock 60 s ahead is tolerated');
    });

    it('verifies a token once: the second time it is replayed', async () => {
      const { token, input } = await sign();
      assert.equal((await verify(token, input.nonce)).valid, true);
      assert.deepEqual(await verify(token, input.nonce), { valid: false, reason: 'replayed' });
      assert.deepEqual(await verify(token, input.nonce, { now: at(30) }), { valid: false, reason: 'replayed' });
      const row = await t.db
        .selectFrom('used_jtis')
        .selectAll()
        .where('jti', '=', String(decodeJwt(token).jti))
        .executeTakeFirstOrThrow();
      assert.equal(row.resourceId, resourceId);
      assert.equal(row.expiresAt.getTime(), at(180).getTime(), 'kept as long as the token could verify');
    });

    it('lets exactly one of 25 concurrent verifications win', async () => {
      for (let round = 0; round < 3; round++) {
        const { token, input } = await sign();
        const outcomes = await Promise.all(Array.from({ length: 25 }, () => verify(token, input.nonce)));
        assert.equal(outcomes.filter((o) => o.valid).length, 1, `round ${round}`);
        assert.ok(outcomes.every((o) => o.valid || o.reason === 'replayed'));
      }
    });

    it('purges markers of long-expired tokens, at most once a minute', async () => {
      const old = { jti: `old-${randomUUID()}`, resourceId, expiresAt: at(3600) };
      const recent = { jti: `recent-${randomUUID()}`, resourceId, expiresAt: at(2 * 3600) };
      await t.db.insertInto('used_jtis').values([old, recent]).execute();
      const now = at(2 * 3600 + 1);
      const a = await sign({ now });
      assert.equal((await verify(a.token, a.input.nonce, { now })).valid, true);
      const left = await t.db.selectFrom('used_jtis').select('jti').where('jti', 'in', [old.jti, recent.jti]).execute();
      assert.deepEqual(
        left.map((r) => r.jti),
        [recent.jti],
        'only markers expired more than an hour ago go',
      );

      const again = { jti: `again-${randomUUID()}`, resourceId, expiresAt: at(0) };
      await t.db.insertInto('used_jtis').values(again).execute();
      const b = await sign({ now });
      assert.equal((await verify(b.token, b.input.nonce, { now })).valid, true);
      assert.ok(await t.db.selectFrom('used_jtis').select('jti').where('jti', '=', again.jti).executeTakeFirst(), 'no second purge within the minute');
    });
  });
}
