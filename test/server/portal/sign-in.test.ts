import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../../server/src/crypto/random.js';
import { hotp } from '../../../server/src/otp/index.js';
import { rfcSecret } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { PASSWORD, portalHarness } from './helpers.js';

const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

for (const mode of dbModes()) {
  describe(`self-service sign-in (${mode})`, () => {
    let t: TestDb;
    let h: Awaited<ReturnType<typeof portalHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      h = await portalHarness(t);
    });
    after(() => t.close());

    it('signs a password user in with a session cookie on the portal path and asks for the CSRF header', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id);
      const b = h.browser(address);
      const started = await b.call('POST', 'sign-in', { login: u.login.toUpperCase() });
      assert.equal(started.status, 200);
      const cookie = started.headers.get('set-cookie')!;
      assert.match(cookie, /^vf_ss=[A-Za-z0-9_-]{43};/);
      assert.match(cookie, new RegExp(`Path=/self-service/${address}(;|$)`));
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.doesNotMatch(cookie, /Secure/, 'PUBLIC_URL is http here');
      assert.equal((await b.call('POST', 'password', { password: PASSWORD }, { csrf: null })).status, 403, 'cookie without the header');
      assert.equal((await b.call('POST', 'password', { password: PASSWORD }, { csrf: 'x'.repeat(32) })).body.error?.code, 'csrf');
      const csrfBefore = b.csrf!;
      const done = await b.call('POST', 'password', { password: PASSWORD });
      assert.deepEqual(done.body, { step: 'done' });
      const me = await b.call('GET', 'me');
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.user.login, u.login);
      assert.equal(me.body.token, null);
      const row = await t.db.selectFrom('portal_sessions').selectAll().where('userId', '=', u.id).executeTakeFirstOrThrow();
      assert.ok(!b.cookie!.includes(row.idHash.toString('base64url')), 'only the hash is stored');
      // The CSRF value is not stored either: the row keeps its SHA-256, and a reload (GET me) is
      // handed the same value again, derived from the cookie.
      assert.equal(me.body.csrf, csrfBefore);
      assert.deepEqual(row.csrfHash, sha256(csrfBefore), 'only the SHA-256 of the CSRF value');
      assert.ok(
        !Object.values(row).some((v) => v === csrfBefore || (Buffer.isBuffer(v) && v.toString('base64url') === csrfBefore)),
        'no column holds the value',
      );
      const events = await t.db.selectFrom('events').selectAll().where('userId', '=', u.id).where('type', '=', 'auth.success').execute();
      assert.equal(events.length, 1);
      assert.equal(events[0]!.actor, 'portal');
      // Another portal's path does not know this session.
      const other = await h.portal();
      const stranger = h.browser(other.address);
      stranger.setCookie(b.cookie);
      assert.equal((await stranger.call('GET', 'me')).status, 401);
    });

    it('asks for the token code after the password when the user has a token here', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id);
      const token = await h.admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `PS-${mode}-1`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
      await h.admin.pair(resource.id, u.id, token.id);
      const b = h.browser(address);
      await b.call('POST', 'sign-in', { login: u.login });
      const step = await b.call('POST', 'password', { password: PASSWORD });
      assert.deepEqual(step.body, { step: 'otp', otp: { type: 'hotp', digits: 6 } });
      assert.equal((await b.call('GET', 'me')).status, 401, 'not signed in before the code');
      const wrong = await b.call('POST', 'otp', { otp: '000000' });
      assert.equal(wrong.body.error?.code, 'wrong_credentials');
      const ok = await b.call('POST', 'otp', { otp: code(0) });
      assert.deepEqual(ok.body, { step: 'done' });
      assert.equal((await b.call('GET', 'me')).body.token.id, token.id);
      const replay = h.browser(address);
      await replay.call('POST', 'sign-in', { login: u.login });
      await replay.call('POST', 'password', { password: PASSWORD });
      assert.equal((await replay.call('POST', 'otp', { otp: code(0) })).body.error?.code, 'wrong_credentials', 'a used code is not accepted again');
    });

    it('e-mails a single-use code to a user without a password, with limited tries', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id, { password: undefined });
      const b = h.browser(address);
      assert.equal((await b.call('POST', 'sign-in', { login: u.login })).body.step, 'code');
      const sent = h.codeFor(u.email!);
      const expired = h.browser(address);
      await expired.call('POST', 'sign-in', { login: u.login });
      const second = h.codeFor(u.email!);
      for (let i = 0; i < 5; i++)
        assert.equal((await expired.call('POST', 'code', { code: second === '000000' ? '111111' : '000000' })).body.error?.code, 'wrong_credentials');
      assert.equal((await expired.call('POST', 'code', { code: second })).body.error?.code, 'code_expired', 'five wrong tries use the code up');
      assert.deepEqual((await b.call('POST', 'code', { code: sent })).body, { step: 'done' }, 'each session has its own code');
      assert.equal((await b.call('POST', 'code', { code: sent })).status, 401, 'the session has moved on');
      const late = h.browser(address);
      await late.call('POST', 'sign-in', { login: u.login });
      const lateCode = h.codeFor(u.email!);
      h.clock.now = new Date(h.clock.now.getTime() + 9 * 60_000);
      assert.equal((await late.call('GET', 'me')).status, 401);
      h.clock.now = new Date(h.clock.now.getTime() + 2 * 60_000);
      assert.equal((await late.call('POST', 'code', { code: lateCode })).body.error?.code, 'code_expired', '10 minutes');
    });

    it("answers a user with neither password nor e-mail, an unknown login and another resource's user alike", async () => {
      const { resource, address } = await h.portal();
      const other = await h.portal();
      const bare = await h.user(resource.id, { password: undefined, email: null });
      const foreign = await h.user(other.resource.id);
      const unassigned = await h.user(null);
      const answers: unknown[] = [];
      for (const login of [bare.login, foreign.login, unassigned.login, 'nobody-at-all']) {
        const b = h.browser(address, '198.51.100.99');
        const s = await b.call('POST', 'sign-in', { login });
        assert.deepEqual(s.body.step, 'password');
        const r = await b.call('POST', 'password', { password: PASSWORD });
        assert.equal(r.status, 401);
        answers.push(r.body);
      }
      for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
      assert.equal((answers[0] as { error: { code: string } }).error.code, 'wrong_credentials');
    });

    it('counts wrong passwords per login through the pipeline (lockout) and applies filters', async () => {
      const { resource, address } = await h.portal({}, { failedAttemptsLimit: 3 });
      const u = await h.user(resource.id);
      for (let i = 0; i < 3; i++) {
        const b = h.browser(address, `198.51.100.${20 + i}`);
        await b.call('POST', 'sign-in', { login: u.login });
        assert.equal((await b.call('POST', 'password', { password: 'wrong password' })).body.error?.code, 'wrong_credentials');
      }
      const b = h.browser(address, '198.51.100.30');
      await b.call('POST', 'sign-in', { login: u.login });
      assert.equal((await b.call('POST', 'password', { password: PASSWORD })).body.error?.code, 'account_locked', 'the right password waits too');

      const f = await h.portal();
      const fu = await h.user(f.resource.id);
      await h.admin.call('POST', `/api/v1/resources/${f.resource.id}/filters`, { type: 'ip', mode: 'deny', cidrs: ['198.51.100.0/24'] });
      const fb = h.browser(f.address);
      const refused = await fb.call('POST', 'sign-in', { login: fu.login });
      assert.equal(refused.body.error?.code, 'not_allowed_here', JSON.stringify(refused.body));
    });

    it('is not there when the portal is off, unknown, or the resource inactive', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id);
      assert.equal((await h.browser('no-such-portal').call('POST', 'sign-in', { login: u.login })).status, 404);
      await h.admin.call('PATCH', `/api/v1/resources/${resource.id}`, { selfService: { enabled: false } }, 200);
      assert.equal((await h.browser(address).call('POST', 'sign-in', { login: u.login })).body.error?.code, 'resource_unavailable');
    });

    it('ends sessions after 10 idle minutes, after 12 hours, and at sign-out', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      h.clock.now = new Date(h.clock.now.getTime() + 9 * 60_000);
      assert.equal((await b.call('GET', 'me')).status, 200);
      h.clock.now = new Date(h.clock.now.getTime() + 10 * 60_000 + 1);
      assert.equal((await b.call('GET', 'me')).body.error?.code, 'session_required');
      const c = await h.signIn(address, u.login);
      for (let i = 0; i < 80; i++) {
        h.clock.now = new Date(h.clock.now.getTime() + 9 * 60_000);
        const r = await c.call('GET', 'me');
        if (r.status !== 200) {
          assert.ok(i * 9 >= 12 * 60 - 9, `ended after ${i * 9} minutes`);
          break;
        }
        assert.ok(i * 9 < 12 * 60, 'not past 12 hours');
      }
      const d = await h.signIn(address, u.login);
      assert.equal((await d.call('POST', 'sign-out', undefined, { csrf: null })).status, 403);
      assert.equal((await d.call('POST', 'sign-out')).status, 204);
      assert.equal((await d.call('GET', 'me')).status, 401);
    });

    it('refuses calls from another origin', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id);
      const b = h.browser(address);
      const r = await b.call('POST', 'sign-in', { login: u.login }, { headers: { origin: 'https://evil.example' } });
      assert.equal(r.body.error?.code, 'cross_site_request');
    });
  });
}
