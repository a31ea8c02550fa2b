import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { testDevice, type TestDevice } from '../../helpers/push.js';
import { PASSWORD, portalHarness } from './helpers.js';

// The portal's own sign-in with a push token (issue 19): after the password the session waits
// for the authenticator app; asking costs nothing while it waits, an approval signs in once, a
// denial counts as a failed attempt, and nobody answering in time is said in other words.

for (const mode of dbModes()) {
  describe(`self-service sign-in with a push token (${mode})`, () => {
    let t: TestDb;
    let h: Awaited<ReturnType<typeof portalHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      h = await portalHarness(t);
    });
    after(() => t.close());

    /** A portal, a user with a password, and a push token registered by a test device. */
    async function setup(extra: Record<string, unknown> = {}) {
      const { resource, address } = await h.portal({}, extra);
      const u = await h.user(resource.id);
      const token = (await h.admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string; pushUri: string };
      await h.admin.pair(resource.id, u.id, token.id);
      const device = await testDevice(token.pushUri);
      const registered = await h.api.request('/app/api/push/register', { method: 'POST', json: await device.registration(), key: null });
      assert.equal(registered.status, 201);
      return { resource, address, u, token, device };
    }

    async function pending(device: TestDevice): Promise<{ id: string; login: string; resource: string; userAgent: string | null }[]> {
      const res = await h.api.request(`/app/api/push/challenges?${await device.proof(h.clock.now.getTime())}`, { key: null });
      assert.equal(res.status, 200);
      return ((await res.json()) as { challenges: { id: string; login: string; resource: string; userAgent: string | null }[] }).challenges;
    }

    async function answer(device: TestDevice, id: string, decision: 'approve' | 'deny') {
      const res = await h.api.request(`/app/api/push/challenges/${id}/answer`, { method: 'POST', json: await device.answer(id, decision), key: null });
      assert.equal(res.status, 200);
    }

    async function atPushStep(address: string, login: string) {
      const b = h.browser(address);
      assert.equal((await b.call('POST', 'sign-in', { login })).body.step, 'password');
      const step = await b.call('POST', 'password', { password: PASSWORD });
      assert.equal(step.status, 200, JSON.stringify(step.body));
      return { b, step };
    }

    const events = (tokenId: string) =>
      t.db
        .selectFrom('events')
        .select(['type', 'actor', 'result', 'reason'])
        .where('tokenId', '=', tokenId)
        .where('type', 'like', 'auth.%')
        .orderBy('id')
        .execute();

    it('waits for the app after the password at no cost, and signs in once when it approves', async () => {
      const { address, u, token, device } = await setup();
      const { b, step } = await atPushStep(address, u.login);
      assert.equal(step.body.step, 'push');
      const expiresAt = Date.parse(step.body.expiresAt);
      assert.equal(expiresAt, h.clock.now.getTime() + 2 * 60_000, 'the challenge lives two minutes');
      assert.equal((await b.call('GET', 'me')).status, 401, 'not signed in while waiting');
      // Asking while the app has not answered: the same step, no event, no throttle slot.
      const before = await events(token.id);
      for (let i = 0; i < 5; i++) assert.deepEqual((await b.call('POST', 'push', {})).body, { step: 'push', expiresAt: step.body.expiresAt });
      assert.deepEqual(await events(token.id), before);
      assert.equal((await b.call('POST', 'push', {}, { csrf: null })).status, 403, 'asking needs the CSRF header');
      assert.equal((await b.call('POST', 'otp', { otp: '123456' })).body.error?.code, 'session_required', 'no code step for a push token');

      const [challenge, ...more] = await pending(device);
      assert.equal(more.length, 0);
      assert.equal(challenge!.login, u.login);
      assert.equal(challenge!.userAgent, 'portal test', "the app sees the portal's browser");
      await answer(device, challenge!.id, 'approve');
      assert.deepEqual((await b.call('POST', 'push', {})).body, { step: 'done' });
      const me = await b.call('GET', 'me');
      assert.equal(me.status, 200);
      assert.equal(me.body.token.id, token.id);
      assert.equal((await b.call('POST', 'push', {})).body.error?.code, 'session_required', 'signed in: nothing more to ask');

      const recorded = await events(token.id);
      assert.deepEqual(
        recorded.map((e) => [e.type, e.actor, e.result]),
        [
          ['auth.prepare', 'portal', 'success'],
          ['auth.success', 'portal', 'success'],
        ],
      );
    });

    it('uses an approval once: another session cannot take over the challenge', async () => {
      const { address, u, device } = await setup();
      const first = await atPushStep(address, u.login);
      const [challenge] = await pending(device);
      await answer(device, challenge!.id, 'approve');
      // A second browser whose session is pointed at the same challenge (as a thief would wish).
      const second = await atPushStep(address, u.login);
      const [other] = await pending(device);
      await t.db.updateTable('portal_sessions').set({ pushChallengeId: challenge!.id }).where('pushChallengeId', '=', other!.id).execute();
      assert.deepEqual((await first.b.call('POST', 'push', {})).body, { step: 'done' });
      const replay = await second.b.call('POST', 'push', {});
      assert.equal(replay.body.error?.code, 'wrong_credentials', JSON.stringify(replay.body));
      assert.equal((await second.b.call('GET', 'me')).status, 401);
    });

    it('says so when the app denies, counts the denial, and starts again with a new request', async () => {
      const { address, u, token, device } = await setup();
      const { b } = await atPushStep(address, u.login);
      const [challenge] = await pending(device);
      await answer(device, challenge!.id, 'deny');
      const denied = await b.call('POST', 'push', {});
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error?.code, 'push_denied');
      assert.equal((await h.api.call('GET', `/api/v1/tokens/${token.id}`)).body.failedAttempts, 1, 'the denial counts like a wrong code');
      const failures = (await events(token.id)).filter((e) => e.type === 'auth.failure');
      assert.deepEqual(
        failures.map((e) => [e.actor, e.reason]),
        [['portal', 'push_denied']],
      );
      assert.notEqual((await b.call('POST', 'push', {})).status, 200, 'the denied session cannot go on');
      assert.equal((await b.call('GET', 'me')).status, 401);

      // Starting again sends a new request, which the app may approve.
      const again = await atPushStep(address, u.login);
      assert.equal(again.step.body.step, 'push');
      const [next] = await pending(device);
      assert.notEqual(next!.id, challenge!.id);
      await answer(device, next!.id, 'approve');
      assert.deepEqual((await again.b.call('POST', 'push', {})).body, { step: 'done' });
      assert.equal((await h.api.call('GET', `/api/v1/tokens/${token.id}`)).body.failedAttempts, 0, 'a success resets the counter');
    });

    it('says so when nobody answers in time (a failed attempt), and the app no longer lists it', async () => {
      const { address, u, token, device } = await setup();
      const { b, step } = await atPushStep(address, u.login);
      h.clock.now = new Date(Date.parse(step.body.expiresAt) + 1);
      assert.deepEqual(await pending(device), []);
      const expired = await b.call('POST', 'push', {});
      assert.equal(expired.status, 410);
      assert.equal(expired.body.error?.code, 'push_challenge_expired');
      const failures = (await events(token.id)).filter((e) => e.type === 'auth.failure');
      assert.deepEqual(
        failures.map((e) => [e.actor, e.reason]),
        [['portal', 'expired_challenge']],
      );
      assert.equal((await b.call('GET', 'me')).status, 401);
    });

    it('refuses a push request without a registered device, and locks like any token', async () => {
      const { resource, address } = await h.portal();
      const u = await h.user(resource.id);
      const token = (await h.admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string };
      await h.admin.pair(resource.id, u.id, token.id);
      const b = h.browser(address);
      await b.call('POST', 'sign-in', { login: u.login });
      const r = await b.call('POST', 'password', { password: PASSWORD });
      assert.equal(r.body.error?.code, 'delivery_failed', 'no app to ask: said in words, not a wait forever');

      // Denials count towards the token's lock, as wrong codes do.
      const locked = await setup({ failedAttemptsLimit: 3 });
      for (let i = 0; i < 3; i++) {
        const { b: bi } = await atPushStep(locked.address, locked.u.login);
        const [c] = await pending(locked.device);
        await answer(locked.device, c!.id, 'deny');
        assert.equal((await bi.call('POST', 'push', {})).body.error?.code, i < 2 ? 'push_denied' : 'account_locked');
      }
      assert.equal((await h.api.call('GET', `/api/v1/tokens/${locked.token.id}`)).body.locked, true);
      const after = h.browser(locked.address);
      await after.call('POST', 'sign-in', { login: locked.u.login });
      assert.equal((await after.call('POST', 'password', { password: PASSWORD })).body.error?.code, 'account_locked', 'a locked token asks the app nothing');
      assert.deepEqual(await pending(locked.device), []);
    });
  });
}
