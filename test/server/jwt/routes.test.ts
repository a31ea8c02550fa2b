import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UnsecuredJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { decryptSecret, type KeyRing } from '../../../server/src/crypto/secretbox.js';
import { rotateSigningKey } from '../../../server/src/jwt/keys.js';
import { signResultToken } from '../../../server/src/jwt/result.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { T, at, issuer, loginResult, parts } from './fixtures.js';

type VerifyBody = { valid?: boolean; reason?: string; sub?: string; login?: string; amr?: string[]; origin?: string; error?: { code: string; field?: string } };

for (const mode of dbModes()) {
  describe(`JWKS and POST /api/v1/verify (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let ring: KeyRing;
    let admin: ReturnType<typeof adminCalls>;
    const clock = { now: T };
    const responses: string[] = [];
    before(async () => {
      t = await openTestDb(mode);
      const base = await createTestApp(t, { now: () => clock.now, env: { PUBLIC_URL: issuer } });
      ring = base.keyRing;
      // Every response is kept, to prove no private key material ever leaves the server.
      api = {
        ...base,
        request: async (path, init) => {
          const res = await base.request(path, init);
          responses.push(await res.clone().text());
          return res;
        },
      };
      admin = adminCalls(api);
    });
    after(() => t.close());

    const basic = (r: { id: string; secret: string }) => 'Basic ' + Buffer.from(`${r.id}:${r.secret}`).toString('base64');
    const verify = async (r: { id: string; secret: string }, body: unknown, authorization = basic(r)) => {
      const res = await api.request('/api/v1/verify', { method: 'POST', json: body, key: null, headers: { authorization } });
      return { status: res.status, headers: res.headers, body: (await res.json()) as VerifyBody };
    };
    const jwks = async (now = clock.now) => {
      clock.now = now;
      const res = await api.request('/.well-known/jwks.json', { key: null });
      assert.equal(res.status, 200);
      return { res, keys: ((await res.json()) as { keys: JWK[] }).keys };
    };

    it('publishes the JWKS publicly and cacheably, with a key even before the first login', async () => {
      const { res, keys } = await jwks(T);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      assert.equal(keys.length, 1);
      assert.deepEqual(Object.keys(keys[0]!).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      assert.deepEqual([keys[0]!.kty, keys[0]!.crv, keys[0]!.alg, keys[0]!.use], ['EC', 'P-256', 'ES256', 'sig']);
      assert.equal((await jwks(T)).keys[0]!.kid, keys[0]!.kid, 'the same key on the next request');
    });

    it('verifies a token once for its resource, then answers replayed', async () => {
      const r = await admin.resource();
      const input = loginResult(r.id, { now: clock.now });
      const token = await signResultToken(t.db, ring, input);
      // Offline first, as a site using any JOSE library would (this does not consume it).
      const { keys } = await jwks();
      await jwtVerify(token, createLocalJWKSet({ keys }), { issuer, audience: r.id, currentDate: clock.now });

      const first = await verify(r, { token, nonce: input.nonce });
      assert.equal(first.status, 200);
      assert.deepEqual(first.body, { valid: true, sub: input.userId, login: 'alice', amr: ['pwd', 'otp'], origin: 'https://shop.example' });
      assert.equal(first.headers.get('cache-control'), 'no-store');
      assert.deepEqual((await verify(r, { token, nonce: input.nonce })).body, { valid: false, reason: 'replayed' });

      const events = await t.db
        .selectFrom('events')
        .select(['type', 'resourceId', 'userId', 'result', 'reason'])
        .where('type', '=', 'result_token.verify')
        .where('resourceId', '=', r.id)
        .orderBy('id')
        .execute();
      assert.deepEqual(events, [
        { type: 'result_token.verify', resourceId: r.id, userId: input.userId, result: 'success', reason: null },
        { type: 'result_token.verify', resourceId: r.id, userId: null, result: 'failure', reason: 'replayed' },
      ]);
    });

    it("refuses another resource's token with this resource's credentials, without burning it", async () => {
      const mine = await admin.resource();
      const theirs = await admin.resource();
      const input = loginResult(theirs.id, { now: clock.now });
      const token = await signResultToken(t.db, ring, input);
      assert.deepEqual((await verify(mine, { token, nonce: input.nonce })).body, { valid: false, reason: 'wrong_audience' });
      assert.deepEqual((await verify(theirs, { token, nonce: input.nonce })).body.valid, true);
    });

    it('answers each refusal with its reason', async () => {
      const r = await admin.resource();
      const signed = async (over: Parameters<typeof loginResult>[1] = {}) => {
        const input = loginResult(r.id, { now: clock.now, ...over });
        return { token: await signResultToken(t.db, ring, input), nonce: input.nonce };
      };
      const a = await signed();
      const [h, p, s] = parts(a.token);
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(a.token), login: 'root' })).toString('base64url')}.${s}`;
      const none = new UnsecuredJWT(decodeJwt(a.token)).encode();
      const expired = await signed({ now: at(-200) });
      const future = await signed({ now: at(90) });
      const stranger = await signed({ issuer: 'https://elsewhere.example' });
      const cases: [string, { token: string; nonce: string }][] = [
        ['malformed', { token: 'not-a-jwt', nonce: a.nonce }],
        ['bad_signature', { token: forged, nonce: a.nonce }],
        ['alg_not_allowed', { token: none, nonce: a.nonce }],
        ['unknown_key', { token: `${Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'nope' })).toString('base64url')}.${p}.${s}`, nonce: a.nonce }],
        ['wrong_issuer', stranger],
        ['expired', expired],
        ['not_yet_valid', future],
        ['nonce_mismatch', { token: a.token, nonce: 'someone-elses-nonce' }],
      ];
      for (const [reason, body] of cases) {
        const res = await verify(r, body);
        assert.deepEqual([res.status, res.body], [200, { valid: false, reason }], reason);
      }
      assert.equal((await verify(r, a)).body.valid, true, 'none of the refusals consumed the token');
    });

    it('refuses wrong or missing resource credentials with 401', async () => {
      const r = await admin.resource();
      const other = await admin.resource();
      const input = loginResult(r.id, { now: clock.now });
      const body = { token: await signResultToken(t.db, ring, input), nonce: input.nonce };
      for (const authorization of [
        basic({ id: r.id, secret: 'vfs_wrong' }),
        basic({ id: r.id, secret: other.secret }),
        `Bearer ${api.adminKey}`,
        '',
        'Basic !!!',
        basic({ id: 'not-a-uuid', secret: r.secret }),
      ]) {
        const res = await verify(r, body, authorization);
        assert.equal(res.status, 401, authorization);
        assert.equal(res.body.error?.code, 'invalid_resource_credentials');
        assert.equal(res.headers.get('www-authenticate'), 'Basic realm="veriframe"');
      }
      assert.equal((await verify(r, body)).body.valid, true, 'refused calls did not consume the token');
    });

    it('answers 400 with the error shape for a bad body', async () => {
      const r = await admin.resource();
      const cases: [unknown, string][] = [
        [{ token: 'x' }, 'body.nonce'],
        [{ nonce: 'x' }, 'body.token'],
        [{ token: '', nonce: 'x' }, 'body.token'],
        [{ token: 1, nonce: 'x' }, 'body.token'],
        [{ token: 'x', nonce: 'x', extra: true }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await verify(r, body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error?.code, 'invalid_request');
        assert.equal(res.body.error?.field, field);
      }
      const raw = await api.request('/api/v1/verify', {
        method: 'POST',
        key: null,
        body: '{not json',
        headers: { authorization: basic(r), 'content-type': 'application/json' },
      });
      assert.equal(raw.status, 400);
      assert.equal(((await raw.json()) as VerifyBody).error?.code, 'malformed_json');
    });

    it('serves both keys during a rotation and drops the old one after its overlap', async () => {
      const r = await admin.resource();
      const before1 = loginResult(r.id, { now: clock.now });
      const oldToken = await signResultToken(t.db, ring, before1);
      const rotation = await rotateSigningKey(t.db, ring, clock.now);
      const input = loginResult(r.id, { now: clock.now });
      const newToken = await signResultToken(t.db, ring, input);
      assert.equal(decodeProtectedHeader(newToken).kid, rotation.kid);
      const during = (await jwks()).keys.map((k) => k.kid);
      assert.deepEqual(during, [rotation.kid, decodeProtectedHeader(oldToken).kid]);
      assert.equal((await verify(r, { token: oldToken, nonce: before1.nonce })).body.valid, true);
      assert.equal((await verify(r, { token: newToken, nonce: input.nonce })).body.valid, true);
      const afterwards = (await jwks(new Date(clock.now.getTime() + 10 * 60_000))).keys.map((k) => k.kid);
      assert.deepEqual(afterwards, [rotation.kid]);
    });

    it('documents both routes and never shows private key material', async () => {
      const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as {
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      };
      assert.ok(doc.paths['/.well-known/jwks.json']?.get);
      assert.deepEqual(doc.paths['/api/v1/verify']?.post?.security, [{ resourceSecret: [] }]);

      const rows = await t.db.selectFrom('signing_keys').select(['kid', 'privateEnc']).execute();
      assert.ok(rows.length >= 2);
      for (const row of rows) {
        const d = (JSON.parse(decryptSecret(ring, row.privateEnc, `signing-key:${row.kid}`).toString('utf8')) as { d: string }).d;
        for (const body of responses) assert.ok(!body.includes(d), `d of ${row.kid} in a response`);
      }
      assert.ok(responses.length > 30);
      assert.ok(!responses.some((b) => b.includes('"d"')));
    });
  });
}
