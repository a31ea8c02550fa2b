import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../../server/src/crypto/random.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import { CONSOLE_URL, consoleEnv, consoleResult, enrolledAdmin, signIn, withSession, type ConsoleAdmin } from '../../helpers/console.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

const MIN = 60_000;

for (const mode of dbModes()) {
  describe(`console sessions (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let clock = new Date('2026-12-05T10:00:00Z');
    const now = () => clock;
    let boss: ConsoleAdmin;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now, env: consoleEnv });
      boss = await enrolledAdmin(t, api, { login: 'boss', now: clock });
    });
    after(() => t.close());

    it('opens a session with a strict HttpOnly cookie and a CSRF value that /api/v1 accepts', async () => {
      const s = await signIn(t, api, boss, clock);
      assert.match(s.setCookie, /HttpOnly/i);
      assert.match(s.setCookie, /SameSite=Strict/i);
      assert.match(s.setCookie, /Path=\//);
      assert.doesNotMatch(s.setCookie, /Secure/i, 'http PUBLIC_URL: no Secure flag');
      const stored = await t.db.selectFrom('console_sessions').selectAll().execute();
      assert.ok(!JSON.stringify(stored).includes(s.cookie), 'only a hash of the cookie is stored');
      const row = stored.find((r) => r.tokenHash.equals(sha256(s.cookie)))!;
      assert.ok(!JSON.stringify(stored).includes(s.csrf), 'the CSRF value is not stored');
      assert.deepEqual(row.csrfHash, sha256(s.csrf), 'only its SHA-256');
      const me = await withSession(api, s)('GET', '/api/v1/admins/me');
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { id: string }).id, boss.adminId);
      const current = await api.request('/console/api/session', { key: null, headers: { cookie: `vf_console=${s.cookie}` } });
      assert.equal(((await current.json()) as { csrf: string }).csrf, s.csrf);
    });

    it('refuses the cookie without the CSRF header, or with a wrong one: 403 csrf', async () => {
      const s = await signIn(t, api, boss, clock);
      const other = await signIn(t, api, boss, clock);
      assert.notEqual(other.csrf, s.csrf, 'each session has its own value');
      for (const csrf of [null, 'wrong', '', other.csrf, s.csrf.slice(0, -1)]) {
        const res = await withSession(api, s, csrf)('GET', '/api/v1/tokens');
        assert.equal(res.status, 403, `csrf ${csrf}`);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'csrf');
      }
    });

    it('refuses a forged cookie: 401 invalid_session', async () => {
      for (const cookie of ['vfc_forged', 'x', 'vfc_' + 'A'.repeat(43)]) {
        const res = await withSession(api, { cookie, csrf: 'whatever' })('GET', '/api/v1/admins/me');
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_session');
      }
    });

    it('ends after 15 idle minutes; activity keeps it alive', async () => {
      const start = clock;
      const s = await signIn(t, api, boss, clock);
      const call = withSession(api, s);
      clock = new Date(start.getTime() + 14 * MIN);
      assert.equal((await call('GET', '/api/v1/admins/me')).status, 200);
      clock = new Date(start.getTime() + 28 * MIN);
      assert.equal((await call('GET', '/api/v1/admins/me')).status, 200, 'the call at 14 min counted as activity');
      clock = new Date(start.getTime() + 43 * MIN);
      assert.equal((await call('GET', '/api/v1/admins/me')).status, 401);
    });

    it('ends 12 hours after sign-in however active it is', async () => {
      const start = clock;
      const s = await signIn(t, api, boss, clock);
      const call = withSession(api, s);
      for (let m = 10; m < 12 * 60; m += 10) {
        clock = new Date(start.getTime() + m * MIN);
        assert.equal((await call('GET', '/api/v1/admins/me')).status, 200, `at ${m} min`);
      }
      clock = new Date(start.getTime() + 12 * 60 * MIN);
      assert.equal((await call('GET', '/api/v1/admins/me')).status, 401);
    });

    it('sign-out revokes the session and clears the cookie; it needs the CSRF header', async () => {
      const s = await signIn(t, api, boss, clock);
      const noCsrf = await withSession(api, s, null)('DELETE', '/console/api/session');
      assert.equal(noCsrf.status, 403);
      const out = await withSession(api, s)('DELETE', '/console/api/session');
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /vf_console=;/);
      assert.equal((await withSession(api, s)('GET', '/api/v1/admins/me')).status, 401);
    });

    it('refuses a JWT for another resource, a replayed one, a reused nonce and one from another origin', async () => {
      const other = await adminCalls(api).resource();
      const info = async () => ((await (await api.request('/console/api/sign-in', { key: null })).json()) as { nonce: string }).nonce;
      const post = (token: string, nonce: string) => api.request('/console/api/session', { method: 'POST', key: null, json: { token, nonce } });

      let nonce = await info();
      let res = await post(await consoleResult(t, api, boss, nonce, clock, other.id), nonce);
      assert.equal(res.status, 401, 'audience of another resource');

      nonce = await info();
      const token = await consoleResult(t, api, boss, nonce, clock);
      assert.equal((await post(token, nonce)).status, 201);
      res = await post(token, nonce);
      assert.equal(res.status, 401, 'same token and nonce again');
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'console_sign_in_failed');

      nonce = await info();
      assert.equal((await post(token, nonce)).status, 401, 'replayed token with a fresh nonce');

      res = await api.request('/console/api/session', {
        method: 'POST',
        key: null,
        json: { token: 'x.y.z', nonce: 'n' },
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(res.status, 403, 'a cross-site POST');

      const events = await t.db.selectFrom('events').select(['reason']).where('type', '=', 'console.sign_in').where('result', '=', 'failure').execute();
      assert.ok(events.some((e) => e.reason === 'wrong_audience'));
      assert.ok(events.some((e) => e.reason === 'nonce_unknown'));
      assert.ok(
        events.some((e) => e.reason === 'nonce_mismatch'),
        'a token only ever matches the nonce it was minted for',
      );
    });

    it('refuses a user of the console resource that is no administrator', async () => {
      const consoleId = ((await (await api.request('/console/api/sign-in', { key: null })).json()) as { resourceId: string }).resourceId;
      const user = await adminCalls(api).user({ login: 'plain' });
      await adminCalls(api).assignUser(consoleId, user.id);
      await assert.rejects(signIn(t, api, { userId: user.id, login: 'plain' }, clock), /403/);
    });

    it('a resource administrator sees only its resources through the session', async () => {
      const mine = await adminCalls(api).resource({ name: 'Mine' });
      await adminCalls(api).resource({ name: 'Not mine' });
      const ra = await enrolledAdmin(t, api, { login: 'ra', role: 'admin', resourceIds: [mine.id], now: clock });
      const s = await signIn(t, api, ra, clock);
      const res = await withSession(api, s)('GET', '/api/v1/resources');
      const list = (await res.json()) as { items: { id: string }[] };
      assert.deepEqual(
        list.items.map((r) => r.id),
        [mine.id],
      );
    });

    it("the superuser cannot change or delete another administrator's sign-in token, only its own", async () => {
      const other = await enrolledAdmin(t, api, { login: 'colleague', role: 'superuser', now: clock });
      const tokenOf = async (userId: string) => (await t.db.selectFrom('tokens').select('id').where('userId', '=', userId).executeTakeFirstOrThrow()).id;
      const s = await signIn(t, api, boss, clock);
      const call = withSession(api, s);
      const theirs = await tokenOf(other.userId);
      assert.equal((await call('PATCH', `/api/v1/tokens/${theirs}`, { active: false })).status, 403);
      assert.equal((await call('DELETE', `/api/v1/tokens/${theirs}`)).status, 403);
      assert.equal((await api.request(`/api/v1/tokens/${theirs}`, { method: 'DELETE' })).status, 403, 'with an API key too');
      assert.equal((await call('PATCH', `/api/v1/tokens/${await tokenOf(boss.userId)}`, { name: 'my phone' })).status, 200);
    });

    it("the superuser cannot reset another administrator's console password or remove its login: 403 sign_in_protected", async () => {
      const other = await enrolledAdmin(t, api, { login: 'colleague2', role: 'superuser', now: clock });
      const consoleId = ((await (await api.request('/console/api/sign-in', { key: null })).json()) as { resourceId: string }).resourceId;
      const call = withSession(api, await signIn(t, api, boss, clock));
      const before = await t.db.selectFrom('users').select(['passwordHash', 'login', 'active']).where('id', '=', other.userId).executeTakeFirstOrThrow();
      const attempts: [string, string, unknown?][] = [
        ['PATCH', `/api/v1/users/${other.userId}`, { password: 'a-new-password-chosen-by-boss' }],
        ['PATCH', `/api/v1/users/${other.userId}`, { login: 'renamed' }],
        ['PATCH', `/api/v1/users/${other.userId}`, { active: false }],
        ['DELETE', `/api/v1/users/${other.userId}`],
        ['DELETE', `/api/v1/resources/${consoleId}/users/${other.userId}/token`],
        ['DELETE', `/api/v1/resources/${consoleId}/users/${other.userId}`],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(method, path, body);
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'sign_in_protected', `${method} ${path}`);
      }
      const withKey = await api.request(`/api/v1/users/${other.userId}`, { method: 'PATCH', json: { password: 'a-new-password-chosen-by-key' } });
      assert.equal(withKey.status, 403, 'with an API key too');
      const after = await t.db.selectFrom('users').select(['passwordHash', 'login', 'active']).where('id', '=', other.userId).executeTakeFirstOrThrow();
      assert.deepEqual(after, before, 'nothing changed');
      assert.equal((await t.db.selectFrom('resource_user_tokens').select('tokenId').where('userId', '=', other.userId).execute()).length, 1, 'still paired');
      const own = await call('PATCH', `/api/v1/users/${boss.userId}`, { firstName: 'Boss' });
      assert.equal(own.status, 200, 'its own console login stays editable');
    });

    it("the built-in resource allows exactly PUBLIC_URL's origin and cannot be deleted", async () => {
      const { resourceId } = (await (await api.request('/console/api/sign-in', { key: null })).json()) as { resourceId: string };
      const r = (await (await api.request(`/api/v1/resources/${resourceId}`)).json()) as { allowedOrigins: string[]; authMethod: string };
      assert.deepEqual(r.allowedOrigins, [CONSOLE_URL]);
      assert.equal(r.authMethod, 'password+otp');
      const del = await api.request(`/api/v1/resources/${resourceId}`, { method: 'DELETE' });
      assert.equal(del.status, 409);
    });
  });
}
