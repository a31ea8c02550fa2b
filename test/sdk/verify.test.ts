import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { rotateSigningKey } from '../../server/src/jwt/keys.js';
import { signResultToken } from '../../server/src/jwt/result.js';
import { createVerifier, type VerifyOutcome, type VerifyResult } from '../../sdk/src/index.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/app.js';
import { adminCalls } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

// verifyResult online (POST /api/v1/verify) and offline (JWKS) must give the same outcome for
// the same token: the site may switch between them without changing its code.

for (const mode of dbModes()) {
  describe(`verifyResult online and offline agree (${mode})`, () => {
    let t: TestDb;
    let srv: ListeningTestApp;
    const clock = { now: new Date('2026-11-28T12:00:00Z') };
    let resource: { id: string; secret: string };
    let other: { id: string; secret: string };
    let verify: VerifyResult;
    before(async () => {
      t = await openTestDb(mode);
      srv = await listenTestApp(t, { now: () => clock.now });
      const admin = adminCalls(srv.api);
      resource = await admin.resource();
      other = await admin.resource();
      verify = createVerifier({ baseUrl: srv.url, resource, now: () => clock.now.getTime() });
    });
    after(async () => {
      srv.server.close();
      await t.close();
    });

    /** A token as the widget signs it after a login, for `aud` (default: our resource). */
    async function login(over: { aud?: string; nonce?: string } = {}) {
      const nonce = over.nonce ?? `n_${randomBytes(9).toString('base64url')}`;
      const token = await signResultToken(t.db, srv.api.keyRing, {
        issuer: srv.url,
        resourceId: over.aud ?? resource.id,
        userId: '6b0f0a4e-7c55-4d0e-9c1e-0d5c2f3a1b2c',
        login: 'alice',
        origin: 'https://shop.example',
        nonce,
        amr: ['pwd', 'otp'],
        authTime: clock.now,
        now: clock.now,
      });
      return { token, nonce };
    }

    const both = async (token: string, nonce: string): Promise<[VerifyOutcome, VerifyOutcome]> => [
      await verify(token, { nonce, mode: 'offline' }),
      await verify(token, { nonce, mode: 'online' }),
    ];
    const claims = { iss: '', aud: '', sub: '6b0f0a4e-7c55-4d0e-9c1e-0d5c2f3a1b2c', login: 'alice', amr: ['pwd', 'otp'], origin: 'https://shop.example' };

    it('valid, then replayed', async () => {
      const { token, nonce } = await login();
      const expected = { valid: true, claims: { ...claims, iss: srv.url, aud: resource.id } };
      assert.deepEqual(await both(token, nonce), [expected, expected]);
      assert.deepEqual(await both(token, nonce), [
        { valid: false, reason: 'replayed' },
        { valid: false, reason: 'replayed' },
      ]);
    });

    it('expired', async () => {
      const { token, nonce } = await login();
      clock.now = new Date(clock.now.getTime() + 181_000); // 120 s of life + 60 s of leeway
      assert.deepEqual(await both(token, nonce), [
        { valid: false, reason: 'expired' },
        { valid: false, reason: 'expired' },
      ]);
    });

    it('wrong nonce, and the token stays usable with the right one', async () => {
      const { token, nonce } = await login();
      assert.deepEqual(await both(token, 'not-the-nonce'), [
        { valid: false, reason: 'nonce_mismatch' },
        { valid: false, reason: 'nonce_mismatch' },
      ]);
      assert.deepEqual(
        await both(token, ''),
        [
          { valid: false, reason: 'nonce_mismatch' },
          { valid: false, reason: 'nonce_mismatch' },
        ],
        'the server refuses an empty nonce with 400; that is no match either',
      );
      assert.deepEqual(
        (await both(token, nonce)).map((o) => o.valid),
        [true, true],
      );
    });

    it('wrong audience', async () => {
      const { token, nonce } = await login({ aud: other.id });
      assert.deepEqual(await both(token, nonce), [
        { valid: false, reason: 'wrong_audience' },
        { valid: false, reason: 'wrong_audience' },
      ]);
    });

    it('malformed and forged tokens', async () => {
      assert.deepEqual(await both('a.b.c', 'n'), [
        { valid: false, reason: 'malformed' },
        { valid: false, reason: 'malformed' },
      ]);
      const { token, nonce } = await login();
      const [h, p, s] = token.split('.') as [string, string, string];
      const flipped = `${h}.${p}.${(s[0] === 'A' ? 'B' : 'A') + s.slice(1)}`;
      assert.deepEqual(await both(flipped, nonce), [
        { valid: false, reason: 'bad_signature' },
        { valid: false, reason: 'bad_signature' },
      ]);
    });

    it('offline: fetches the JWKS again for a key it does not know', async () => {
      const fetched: string[] = [];
      const offline = createVerifier({
        baseUrl: srv.url,
        resource: { id: resource.id },
        now: () => clock.now.getTime(),
        jwksCooldownMs: 0,
        fetch: (req) => (fetched.push(new URL(req.url).pathname), fetch(req)),
      });
      const first = await login();
      assert.equal((await offline(first.token, { nonce: first.nonce })).valid, true, 'offline by default without a secret');
      const cached = await login();
      assert.equal((await offline(cached.token, { nonce: cached.nonce })).valid, true);
      assert.deepEqual(fetched, ['/.well-known/jwks.json'], 'the set is cached');
      await rotateSigningKey(t.db, srv.api.keyRing, clock.now);
      const rotated = await login();
      assert.equal((await offline(rotated.token, { nonce: rotated.nonce })).valid, true);
      assert.deepEqual(fetched, ['/.well-known/jwks.json', '/.well-known/jwks.json']);
    });

    it('a JWKS that answers an error is no verdict on the token', async () => {
      const broken = createVerifier({
        baseUrl: srv.url,
        resource: { id: resource.id },
        retries: 0,
        fetch: () => Promise.resolve(new Response('busy', { status: 503 })),
      });
      const { token, nonce } = await login();
      const o = await broken(token, { nonce });
      assert.ok(!o.valid && o.reason === 'request_failed' && o.error.code === 'unexpected_response', JSON.stringify(o));
    });

    it('says so when the check cannot be made', async () => {
      const down = createVerifier({ baseUrl: 'http://veriframe.invalid', resource, retries: 0, fetch: () => Promise.reject(new TypeError('fetch failed')) });
      const { token, nonce } = await login();
      for (const m of ['online', 'offline'] as const) {
        const o = await down(token, { nonce, mode: m });
        assert.ok(!o.valid && o.reason === 'request_failed' && o.error.code === 'network_error', `${m}: ${JSON.stringify(o)}`);
      }
    });
  });
}
