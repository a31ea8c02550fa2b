import assert from 'node:assert/strict';
import { createPublicKey, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose';
import { activeSigningKey, rotateSigningKey } from '../../server/src/jwt/keys.js';
import { signResultToken, verifyResultToken, type ResultTokenInput, type VerifyReason } from '../../server/src/jwt/result.js';
import { totp } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

// The canonical list of attacks on the widget's result JWT (DESIGN §7.2). Each forged or misused
// token is presented to both verifiers the product offers, POST /api/v1/verify and
// verifyResultToken, and (where a site could rely on it) to an offline JOSE verifier using the
// published JWKS. Each must be refused with its precise reason and must not use the genuine
// token up: after every attack the rightful verifier still gets it once.

const issuer = 'https://veriframe.example';
const SITE = 'https://shop.example';
const T = new Date('2026-11-28T12:00:00Z');
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const parts = (jwt: string) => jwt.split('.') as [string, string, string];
// Order of the P-256 group: (r, n - s) is a second valid encoding of the signature (r, s).
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

type Resource = { id: string; secret: string };
type VerifyBody = { valid?: boolean; reason?: string; sub?: string; error?: { code: string; field?: string } };

for (const mode of dbModes()) {
  describe(`result JWT tampering (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let mine: Resource;
    let theirs: Resource;
    let jwks: { keys: JWK[] };
    const clock = { now: T };
    /** Reasons /api/v1/verify answered, per resource: the audit log must show the same. */
    const answered = new Map<string, string[]>();

    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock.now, env: { PUBLIC_URL: issuer } });
      const admin = adminCalls(api);
      mine = await admin.resource({ allowedOrigins: [SITE] });
      theirs = await admin.resource({ allowedOrigins: [SITE] });
      jwks = (await (await api.request('/.well-known/jwks.json', { key: null })).json()) as { keys: JWK[] };
    });
    after(() => t.close());

    const basic = (r: Resource) => 'Basic ' + Buffer.from(`${r.id}:${r.secret}`).toString('base64');

    /** A genuine result token for `resource`, signed as the widget signs it after a login. */
    async function mint(over: Partial<ResultTokenInput> = {}, resource: Resource = mine) {
      const input: ResultTokenInput = {
        issuer,
        resourceId: resource.id,
        userId: randomUUID(),
        login: 'alice',
        origin: SITE,
        nonce: `n_${randomBytes(12).toString('base64url')}`,
        amr: ['pwd', 'otp'],
        authTime: clock.now,
        now: clock.now,
        ...over,
      };
      return { token: await signResultToken(t.db, api.keyRing, input), nonce: input.nonce, input };
    }

    async function viaApi(token: unknown, nonce: unknown, as: Resource = mine) {
      const res = await api.request('/api/v1/verify', { method: 'POST', json: { token, nonce }, key: null, headers: { authorization: basic(as) } });
      const body = (await res.json()) as VerifyBody;
      if (res.status === 200 && body.valid === false) answered.set(as.id, [...(answered.get(as.id) ?? []), body.reason!]);
      return { status: res.status, body };
    }
    const viaFunction = (token: string, nonce: string, as: Resource = mine) =>
      verifyResultToken(t.db, { token, nonce, resourceId: as.id, issuer, now: clock.now });

    /**
     * The token is refused with `reason` by both verifiers; `offline` also checks that a site
     * verifying with any JOSE library and our JWKS would refuse it.
     */
    async function refused(label: string, token: string, nonce: string, reason: VerifyReason, opts: { as?: Resource; offline?: boolean } = {}) {
      const as = opts.as ?? mine;
      const answer = await viaApi(token, nonce, as);
      assert.deepEqual([answer.status, answer.body], [200, { valid: false, reason }], `${label}: /api/v1/verify`);
      assert.deepEqual(await viaFunction(token, nonce, as), { valid: false, reason }, `${label}: verifyResultToken`);
      if (opts.offline) {
        await assert.rejects(
          jwtVerify(token, createLocalJWKSet(jwks), { issuer, audience: as.id, algorithms: ['ES256'], currentDate: clock.now }),
          `${label}: an offline verifier with the JWKS`,
        );
      }
    }

    /** The genuine token still verifies exactly once: no refusal above used it up. */
    async function stillValidOnce(token: string, nonce: string, as: Resource = mine) {
      const first = await viaApi(token, nonce, as);
      assert.equal(first.body.valid, true, JSON.stringify(first.body));
      assert.deepEqual((await viaApi(token, nonce, as)).body, { valid: false, reason: 'replayed' });
    }

    it('a token from a real widget login verifies once, on either path; the second time it is replayed', async () => {
      const admin = adminCalls(api);
      const user = await admin.user({ login: 'jwt-alice', password: 'correct horse battery' });
      const tok = await admin.token({ kind: 'hardware', type: 'totp', serialNumber: `JWT-${mode}`, secret: rfcSecretBase32 });
      await admin.pair(mine.id, user.id, tok.id);
      const post = async (path: string, body: unknown) => {
        const res = await api.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return (await res.json()) as { transaction?: string; step?: string; token?: string };
      };
      const { transaction } = await post('/widget/api/start', { resourceId: mine.id, origin: SITE, nonce: 'site-nonce', instance: 'vf-1' });
      assert.equal((await post('/widget/api/identify', { transaction, login: 'jwt-alice', password: 'correct horse battery' })).step, 'otp');
      const done = await post('/widget/api/otp', { transaction, otp: totp(rfcSecret, clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 }) });
      assert.ok(done.token, JSON.stringify(done));
      const { payload } = await jwtVerify(done.token, createLocalJWKSet(jwks), { issuer, audience: mine.id, algorithms: ['ES256'], currentDate: clock.now });
      assert.equal(payload.sub, user.id);

      const first = await viaApi(done.token, 'site-nonce');
      assert.deepEqual([first.body.valid, first.body.sub], [true, user.id]);
      await refused('replayed through the API', done.token, 'site-nonce', 'replayed');

      const other = await mint();
      assert.equal((await viaFunction(other.token, other.nonce)).valid, true);
      await refused('replayed after verifyResultToken', other.token, other.nonce, 'replayed');
    });

    it('refuses a flipped signature bit, a changed payload or header under the old signature, and foreign signatures', async () => {
      const genuine = await mint();
      const [h, p, s] = parts(genuine.token);
      const sig = Buffer.from(s, 'base64url');
      assert.equal(sig.length, 64, 'ES256: r ‖ s');
      for (const i of [0, 17, 31, 32, 50, 63]) {
        const flipped = Buffer.from(sig);
        flipped[i]! ^= 0x01;
        await refused(`signature byte ${i} flipped`, `${h}.${p}.${flipped.toString('base64url')}`, genuine.nonce, 'bad_signature', { offline: true });
      }
      const claims = decodeJwt(genuine.token);
      const changes: Record<string, unknown>[] = [
        { login: 'root' },
        { sub: randomUUID() },
        { amr: ['bypass'] },
        { exp: Number(claims.exp) + 3600 },
        { jti: 'fresh-jti-to-dodge-replay' },
        { origin: 'https://evil.example' },
      ];
      for (const change of changes) {
        await refused(`payload ${Object.keys(change)[0]} changed`, `${h}.${b64json({ ...claims, ...change })}.${s}`, genuine.nonce, 'bad_signature', {
          offline: true,
        });
      }
      const header = decodeProtectedHeader(genuine.token);
      await refused('header typ changed', `${b64json({ ...header, typ: 'at+jwt' })}.${p}.${s}`, genuine.nonce, 'bad_signature', { offline: true });
      await refused('truncated signature', `${h}.${p}.${s.slice(0, 40)}`, genuine.nonce, 'bad_signature', { offline: true });
      await refused('empty signature', `${h}.${p}.`, genuine.nonce, 'bad_signature', { offline: true });
      const other = await mint();
      await refused("another token's signature", `${h}.${p}.${parts(other.token)[2]}`, genuine.nonce, 'bad_signature', { offline: true });
      const attacker = await generateKeyPair('ES256');
      const ownKey = await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(attacker.privateKey);
      await refused("an attacker's key under our kid", ownKey, genuine.nonce, 'bad_signature', { offline: true });
      await stillValidOnce(genuine.token, genuine.nonce);
      await stillValidOnce(other.token, other.nonce);
    });

    it('keeps single use when the ECDSA signature is re-encoded as (r, n − s)', async () => {
      const malleate = (token: string) => {
        const [h, p, s] = parts(token);
        const sig = Buffer.from(s, 'base64url');
        const high = P256_N - BigInt('0x' + sig.subarray(32).toString('hex'));
        return `${h}.${p}.${Buffer.concat([sig.subarray(0, 32), Buffer.from(high.toString(16).padStart(64, '0'), 'hex')]).toString('base64url')}`;
      };
      // Whether or not the twin's signature counts as valid, the two strings carry one jti.
      const a = await mint();
      assert.equal((await viaApi(a.token, a.nonce)).body.valid, true);
      const twinA = await viaApi(malleate(a.token), a.nonce);
      assert.equal(twinA.body.valid, false);
      assert.ok(['replayed', 'bad_signature'].includes(twinA.body.reason!), JSON.stringify(twinA.body));

      const b = await mint();
      const outcomes = [await viaFunction(malleate(b.token), b.nonce), await viaFunction(b.token, b.nonce)];
      assert.equal(outcomes.filter((o) => o.valid).length, 1, JSON.stringify(outcomes));
    });

    it('refuses alg none and HMAC keyed with our public key (algorithm confusion), whatever form the key takes', async () => {
      const genuine = await mint();
      const [, p, s] = parts(genuine.token);
      const claims = decodeJwt(genuine.token);
      const { kid } = decodeProtectedHeader(genuine.token);
      await refused('jose UnsecuredJWT', new UnsecuredJWT(claims).encode(), genuine.nonce, 'alg_not_allowed', { offline: true });
      for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) {
        await refused(`alg ${JSON.stringify(alg)}, empty signature`, `${b64json({ alg, kid, typ: 'JWT' })}.${p}.`, genuine.nonce, 'alg_not_allowed', {
          offline: true,
        });
        await refused(`alg ${JSON.stringify(alg)}, our signature`, `${b64json({ alg, kid, typ: 'JWT' })}.${p}.${s}`, genuine.nonce, 'alg_not_allowed', {
          offline: true,
        });
      }
      await refused('no alg at all', `${b64json({ kid, typ: 'JWT' })}.${p}.${s}`, genuine.nonce, 'alg_not_allowed', { offline: true });

      const published = jwks.keys.find((k) => k.kid === kid)!;
      const publicKey = createPublicKey({ key: published as JWK & { kty: string }, format: 'jwk' });
      const secrets: [string, Uint8Array][] = [
        ['the JWK as published', Buffer.from(JSON.stringify(published))],
        ['the JWK without kid/alg/use', Buffer.from(JSON.stringify({ kty: published.kty, crv: published.crv, x: published.x, y: published.y }))],
        ['PEM (SPKI)', Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }))],
        ['DER (SPKI)', publicKey.export({ type: 'spki', format: 'der' })],
        ['the raw point 04 ‖ x ‖ y', Buffer.concat([Buffer.from([4]), Buffer.from(published.x!, 'base64url'), Buffer.from(published.y!, 'base64url')])],
      ];
      for (const [form, secret] of secrets) {
        for (const alg of ['HS256', 'HS384', 'HS512']) {
          const forged = await new SignJWT({ ...claims, login: 'root' }).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(secret);
          await refused(`${alg} keyed with ${form}`, forged, genuine.nonce, 'alg_not_allowed', { offline: true });
        }
      }
      for (const alg of ['ES384', 'ES512', 'RS256', 'PS256', 'EdDSA', 'es256', 'ES256 ']) {
        await refused(`alg ${alg}`, `${b64json({ alg, kid, typ: 'JWT' })}.${p}.${s}`, genuine.nonce, 'alg_not_allowed', { offline: true });
      }
      await stillValidOnce(genuine.token, genuine.nonce);
    });

    it("refuses unknown kids, another install's key, and ignores keys offered in the header (jwk, jku, x5u, x5c)", async () => {
      const attacker = await generateKeyPair('ES256', { extractable: true });
      // Another Veriframe install: a key and kid made exactly as the product makes them.
      const attackerKid = randomBytes(16).toString('base64url');
      const attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: attackerKid, alg: 'ES256', use: 'sig' };
      // Where the header's URLs point: it would serve the attacker's key to whoever asked.
      let fetched = 0;
      const keyServer = http.createServer((_req, res) => {
        fetched++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [attackerJwk] }));
      });
      await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
      try {
        const genuine = await mint();
        const claims = decodeJwt(genuine.token);
        const ourKid = String(decodeProtectedHeader(genuine.token).kid);
        const forge = (header: Record<string, unknown>) =>
          new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header }).sign(attacker.privateKey);
        const cases: [string, Record<string, unknown>, VerifyReason][] = [
          ["another install's kid", { kid: attackerKid }, 'unknown_key'],
          ['no kid', {}, 'unknown_key'],
          ['a numeric kid', { kid: 1 }, 'unknown_key'],
          ['a kid list', { kid: [ourKid] }, 'unknown_key'],
          ['an over-long kid', { kid: ourKid + 'x'.repeat(64) }, 'unknown_key'],
          ['an SQL kid', { kid: "' or '1'='1" }, 'unknown_key'],
          ['a path kid', { kid: '../../../../etc/passwd' }, 'unknown_key'],
          ['an embedded jwk', { jwk: attackerJwk }, 'unknown_key'],
          ['an embedded jwk under our kid', { kid: ourKid, jwk: attackerJwk }, 'bad_signature'],
          ['a jku', { kid: attackerKid, jku: url }, 'unknown_key'],
          ['a jku under our kid', { kid: ourKid, jku: url }, 'bad_signature'],
          ['an x5u', { kid: attackerKid, x5u: url }, 'unknown_key'],
          ['an x5u under our kid', { kid: ourKid, x5u: url }, 'bad_signature'],
          ['an x5c under our kid', { kid: ourKid, x5c: [Buffer.from('not a certificate').toString('base64')] }, 'bad_signature'],
        ];
        for (const [label, header, reason] of cases) await refused(label, await forge(header), genuine.nonce, reason, { offline: true });
        assert.equal(fetched, 0, 'no verifier fetched a key from a URL in a token');
        await stillValidOnce(genuine.token, genuine.nonce);
      } finally {
        await new Promise((resolve) => keyServer.close(resolve));
      }
    });

    it("refuses another resource's token, in both directions, without using it up", async () => {
      const forThem = await mint({}, theirs);
      await refused('their token with my credentials', forThem.token, forThem.nonce, 'wrong_audience', { as: mine, offline: true });
      const forMe = await mint();
      await refused('my token with their credentials', forMe.token, forMe.nonce, 'wrong_audience', { as: theirs, offline: true });
      // My id with their secret is no credential at all.
      const mixed = await api.request('/api/v1/verify', {
        method: 'POST',
        key: null,
        json: { token: forMe.token, nonce: forMe.nonce },
        headers: { authorization: basic({ id: mine.id, secret: theirs.secret }) },
      });
      assert.equal(mixed.status, 401);
      await stillValidOnce(forThem.token, forThem.nonce, theirs);
      await stillValidOnce(forMe.token, forMe.nonce, mine);
    });

    it('refuses a foreign issuer and any other nonce', async () => {
      const foreign = await mint({ issuer: 'https://other-veriframe.example' });
      await refused('a token of another issuer', foreign.token, foreign.nonce, 'wrong_issuer', { offline: true });
      const genuine = await mint();
      const n = genuine.nonce;
      for (const nonce of ['someone-elses-nonce', n + 'x', n.slice(0, -1), n.toUpperCase(), ` ${n}`, `${n}\u0000`]) {
        await refused(`nonce ${JSON.stringify(nonce)}`, genuine.token, nonce, 'nonce_mismatch');
      }
      assert.deepEqual(await viaFunction(genuine.token, ''), { valid: false, reason: 'nonce_mismatch' });
      assert.equal((await viaApi(genuine.token, '')).status, 400, 'the API wants a nonce');
      await stillValidOnce(genuine.token, genuine.nonce);
    });

    it('refuses an expired token and one issued in the future (the clock moves, nobody sleeps)', async () => {
      const genuine = await mint();
      try {
        // exp = iat + 120 s, plus 60 s of leeway for clock skew.
        for (const seconds of [180, 600, 86_400]) {
          clock.now = at(seconds);
          await refused(`verified ${seconds} s after issue`, genuine.token, genuine.nonce, 'expired', { offline: true });
        }
        clock.now = T;
        // Our tokens carry no nbf: iat is their "not before", allowed 60 s of skew.
        for (const seconds of [61, 3600, 365 * 86_400]) {
          const future = await mint({ now: at(seconds), authTime: at(seconds) });
          await refused(`issued ${seconds} s ahead`, future.token, future.nonce, 'not_yet_valid');
        }
        clock.now = at(179);
        await stillValidOnce(genuine.token, genuine.nonce);
      } finally {
        clock.now = T;
      }
    });

    it('refuses tokens our key signed but that are not shaped like ours', async () => {
      // Only the server can sign; this guards the checks behind the signature anyway.
      const { kid, privateKey } = await activeSigningKey(t.db, api.keyRing, clock.now);
      const genuine = await mint();
      const claims = decodeJwt(genuine.token);
      const sign = (c: Record<string, unknown>) => new SignJWT(c).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey);
      const { jti: _jti, ...noJti } = claims;
      const shapes: [string, Record<string, unknown>][] = [
        ['aud as a list', { ...claims, aud: [mine.id] }],
        ['exp as a string', { ...claims, exp: String(claims.exp) }],
        ['no jti', noJti],
        ['an unknown amr', { ...claims, amr: ['pwd', 'magic'] }],
        ['a numeric nonce', { ...claims, nonce: 42 }],
      ];
      for (const [label, c] of shapes) await refused(label, await sign(c), genuine.nonce, 'malformed');
      await stillValidOnce(genuine.token, genuine.nonce);
    });

    it('answers 4xx, never 5xx, for malformed and oversized tokens', async () => {
      const genuine = await mint();
      const [h, p, s] = parts(genuine.token);
      const junk = [
        'abc',
        'a.b',
        'a.b.c.d',
        `${genuine.token} `,
        `${genuine.token}\n`,
        '!!.??.**',
        `${b64json('x')}.${p}.${s}`,
        `${b64json([1])}.${p}.${s}`,
        `${Buffer.from('{not json').toString('base64url')}.${p}.${s}`,
        `${h}.${p}.${s}=`,
        'é.é.é',
        'x'.repeat(4097),
        `${h}.${'A'.repeat(5000)}.${s}`,
      ];
      for (const token of junk) await refused(`junk ${JSON.stringify(token.slice(0, 30))}`, token, genuine.nonce, 'malformed');

      for (const [token, status] of [
        ['', 400],
        ['x'.repeat(8193), 400],
        [42, 400],
        [null, 400],
        ['x'.repeat(2 * 1024 * 1024), 413],
      ] as const) {
        const res = await viaApi(token, genuine.nonce);
        assert.equal(res.status, status, `${String(token).slice(0, 10)}… (${String(token).length})`);
        assert.ok(res.body.error?.code, 'the error shape');
      }
      for (const token of ['', 'x'.repeat(10_000), 'x'.repeat(2 * 1024 * 1024)])
        assert.deepEqual(await viaFunction(token, genuine.nonce), { valid: false, reason: 'malformed' });
      await stillValidOnce(genuine.token, genuine.nonce);
    });

    it('stops accepting a retired key once its overlap ends', async () => {
      const old = await mint();
      const rotation = await rotateSigningKey(t.db, api.keyRing, clock.now);
      assert.notEqual(rotation.kid, decodeProtectedHeader(old.token).kid);
      try {
        // Within the overlap the old key still verifies; eleven minutes on it is gone (and the
        // token, signed with it, is reported for the key before its age).
        clock.now = at(11 * 60);
        await refused('a token of a key past its overlap', old.token, old.nonce, 'unknown_key');
      } finally {
        clock.now = T;
      }
    });

    it('records every refusal through the API in the audit log, with its reason', async () => {
      for (const r of [mine, theirs]) {
        const rows = await t.db
          .selectFrom('events')
          .select('reason')
          .where('type', '=', 'result_token.verify')
          .where('resourceId', '=', r.id)
          .where('result', '=', 'failure')
          .orderBy('id')
          .execute();
        assert.deepEqual(
          rows.map((e) => e.reason),
          answered.get(r.id) ?? [],
        );
      }
      assert.ok((answered.get(mine.id)?.length ?? 0) > 100);
    });
  });
}
