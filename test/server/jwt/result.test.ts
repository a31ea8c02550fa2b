import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { createKeyRing, type KeyRing } from '../../../server/src/crypto/secretbox.js';
import { publishedKeys } from '../../../server/src/jwt/keys.js';
import { signResultToken, verifyResultToken, type VerifyInput } from '../../../server/src/jwt/result.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { T, at, b64json, decodePart, issuer, loginResult, parts } from './fixtures.js';

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

    it('refuses a tampered payload and a tampered signature', async () => {
      const { token, input } = await sign();
      const [h, p, s] = parts(token);
      const forgedPayload = b64json({ ...decodePart(p), login: 'mallory' });
      assert.deepEqual(await verify(`${h}.${forgedPayload}.${s}`, input.nonce), { valid: false, reason: 'bad_signature' });
      // Change a character in the middle: the last one may only carry padding bits.
      const i = Math.floor(s.length / 2);
      const flipped = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      assert.deepEqual(await verify(`${h}.${p}.${flipped}`, input.nonce), { valid: false, reason: 'bad_signature' });
      assert.deepEqual(await verify(`${h}.${p}.${s.slice(0, 40)}`, input.nonce), { valid: false, reason: 'bad_signature' }, 'a short signature');
      assert.deepEqual(await verify(`${h}.${p}.`, input.nonce), { valid: false, reason: 'bad_signature' }, 'no signature');
      // An attacker's own key under our kid is just a wrong signature.
      const attacker = await generateKeyPair('ES256');
      const theirs = await new SignJWT(decodeJwt(token)).setProtectedHeader(decodeProtectedHeader(token) as { alg: string }).sign(attacker.privateKey);
      assert.deepEqual(await verify(theirs, input.nonce), { valid: false, reason: 'bad_signature' });
      assert.equal((await verify(token, input.nonce)).valid, true, 'refusals did not consume the real token');
    });

    it('refuses alg none and HS256 keyed with the public key (algorithm confusion)', async () => {
      const { token, input } = await sign();
      const claims = decodeJwt(token);
      const { kid } = decodeProtectedHeader(token);
      const none = `${b64json({ alg: 'none', kid, typ: 'JWT' })}.${b64json(claims)}.`;
      assert.deepEqual(await verify(none, input.nonce), { valid: false, reason: 'alg_not_allowed' });
      assert.deepEqual(await verify(new UnsecuredJWT(claims).encode(), input.nonce), { valid: false, reason: 'alg_not_allowed' });
      for (const variant of ['None', 'NONE', '']) {
        assert.deepEqual(await verify(`${b64json({ alg: variant, kid })}.${b64json(claims)}.`, input.nonce), { valid: false, reason: 'alg_not_allowed' }, variant);
      }

      const jwk = (await publishedKeys(t.db, T)).find((k) => k.kid === kid)!;
      const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const secrets = [Buffer.from(pem), Buffer.from(JSON.stringify(jwk)), createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' })];
      for (const secret of secrets) {
        const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(secret);
        assert.deepEqual(await verify(hs, input.nonce), { valid: false, reason: 'alg_not_allowed' });
        const jwks = createLocalJWKSet({ keys: await publishedKeys(t.db, T) });
        await assert.rejects(jwtVerify(hs, jwks, { currentDate: T }), 'the JWKS does not offer an HMAC key either');
      }
      for (const alg of ['ES384', 'RS256', 'PS256', 'EdDSA']) {
        assert.deepEqual(await verify(`${b64json({ alg, kid })}.${b64json(claims)}.${parts(token)[2]}`, input.nonce), { valid: false, reason: 'alg_not_allowed' }, alg);
      }
      assert.equal((await verify(token, input.nonce)).valid, true);
    });

    it('refuses an unknown key id and malformed tokens', async () => {
      const { token, input } = await sign();
      const other = await generateKeyPair('ES256');
      const stranger = await new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'ES256', kid: 'not-one-of-ours', typ: 'JWT' }).sign(other.privateKey);
      assert.deepEqual(await verify(stranger, input.nonce), { valid: false, reason: 'unknown_key' });
      const noKid = await new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'ES256' }).sign(other.privateKey);
      assert.deepEqual(await verify(noKid, input.nonce), { valid: false, reason: 'unknown_key' });
      // The key is ours, in JWK form, but embedded keys are never trusted.
      const embedded = await new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(other.publicKey) }).sign(other.privateKey);
      assert.deepEqual(await verify(embedded, input.nonce), { valid: false, reason: 'unknown_key' });

      for (const junk of ['', 'abc', 'a.b', 'a.b.c.d', `${token} `, '!!.??.**', `${b64json('x')}.${parts(token)[1]}.${parts(token)[2]}`, 'x'.repeat(10_000)]) {
        assert.deepEqual(await verify(junk, input.nonce), { valid: false, reason: 'malformed' }, JSON.stringify(junk.slice(0, 40)));
      }
    });

    it('checks issuer, audience and nonce without consuming the token', async () => {
      const { token, input } = await sign();
      assert.deepEqual(await verify(token, input.nonce, { issuer: 'https://evil.example' }), { valid: false, reason: 'wrong_issuer' });
      assert.deepEqual(await verify(token, input.nonce, { resourceId: randomUUID() }), { valid: false, reason: 'wrong_audience' });
      assert.deepEqual(await verify(token, 'another-nonce'), { valid: false, reason: 'nonce_mismatch' });
      assert.deepEqual(await verify(token, input.nonce + 'x'), { valid: false, reason: 'nonce_mismatch' });
      const foreign = await sign({ issuer: 'https://other-veriframe.example' });
      assert.deepEqual(await verify(foreign.token, foreign.input.nonce), { valid: false, reason: 'wrong_issuer' });
      assert.equal((await verify(token, input.nonce)).valid, true, 'the rightful verifier still gets it');
    });

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
      const row = await t.db.selectFrom('used_jtis').selectAll().where('jti', '=', String(decodeJwt(token).jti)).executeTakeFirstOrThrow();
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
      assert.deepEqual(left.map((r) => r.jti), [recent.jti], 'only markers expired more than an hour ago go');

      const again = { jti: `again-${randomUUID()}`, resourceId, expiresAt: at(0) };
      await t.db.insertInto('used_jtis').values(again).execute();
      const b = await sign({ now });
      assert.equal((await verify(b.token, b.input.nonce, { now })).valid, true);
      assert.ok(await t.db.selectFrom('used_jtis').select('jti').where('jti', '=', again.jti).executeTakeFirst(), 'no second purge within the minute');
    });
  });
}
