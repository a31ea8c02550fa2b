import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { testDevice } from '../../helpers/push.js';
import { PASSWORD, decodeJwt, widgetHarness } from '../widget/helpers.js';

// Push tokens in the widget's API (issue 19): enrolment during login by QR, then sign-ins that
// wait for the app — on both databases.

for (const mode of dbModes()) {
  describe(`widget with push tokens (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    const register = (body: unknown) => w.post('/app/api/push/register', body);
    const answer = (id: string, body: unknown) => w.post(`/app/api/push/challenges/${id}/answer`, body);

    it('enrols a push token during login by QR, then waits for the app at the next sign-in', async () => {
      const { resource, user, login } = await w.setup({ token: null, resource: { enrollOnLogin: true, selfService: { enrollmentTypes: ['push'] } } });
      const tx = await w.begin(resource.id);
      assert.deepEqual((await w.identify(tx, login, PASSWORD)).body, { step: 'enroll', enroll: { types: ['push'] } });
      const started = await w.post('/widget/api/enroll', { transaction: tx, type: 'push' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const pushUri = (started.body as unknown as { pushUri: string }).pushUri;
      const device = await testDevice(pushUri);
      assert.equal(device.link.account, login, 'the app shows whose token it is');
      const waiting = await w.post('/widget/api/enroll/push', { transaction: tx });
      assert.equal((waiting.body as { step?: string }).step, 'push', 'waiting until the app registered');
      assert.equal((await register(await device.registration())).status, 201);
      const done = await w.post('/widget/api/enroll/push', { transaction: tx });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd', 'otp', 'enroll']);

      // Next sign-in: the push step; the app sees who/what/where and approves.
      const tx2 = await w.begin(resource.id);
      const step = await w.identify(tx2, login, PASSWORD);
      assert.equal((step.body as { step?: string }).step, 'push', JSON.stringify(step.body));
      assert.equal(((await w.post('/widget/api/push', { transaction: tx2 })).body as { step?: string }).step, 'push');
      const list = await w.api.request(`/app/api/push/challenges?${await device.proof(w.clock.now.getTime())}`, { key: null });
      const [challenge] = ((await list.json()) as { challenges: { id: string; ip: string; userAgent: string; resource: string }[] }).challenges;
      assert.equal(challenge?.ip, '203.0.113.10');
      assert.equal(challenge?.userAgent, 'Mozilla/5.0 (widget test)');
      assert.equal((await answer(challenge!.id, await device.answer(challenge!.id, 'approve'))).status, 200);
      const signed = await w.post('/widget/api/push', { transaction: tx2 });
      assert.equal(signed.status, 200, JSON.stringify(signed.body));
      assert.equal(decodeJwt(signed.body.token!).payload.sub, user.id);
      assert.equal((await w.post('/widget/api/push', { transaction: tx2 })).body.error?.code, 'transaction_expired', 'done: nothing more to ask');

      // Denied: a clear refusal; expired: another.
      const tx3 = await w.begin(resource.id);
      await w.identify(tx3, login, PASSWORD);
      const pending = await w.api.request(`/app/api/push/challenges?${await device.proof(w.clock.now.getTime())}`, { key: null });
      const [second] = ((await pending.json()) as { challenges: { id: string }[] }).challenges;
      await answer(second!.id, await device.answer(second!.id, 'deny'));
      const denied = await w.post('/widget/api/push', { transaction: tx3 });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.error?.code, 'push_denied');
      const tx4 = await w.begin(resource.id);
      await w.identify(tx4, login, PASSWORD);
      w.clock.now = new Date(w.clock.now.getTime() + 2 * 60_000 + 1);
      const expired = await w.post('/widget/api/push', { transaction: tx4 });
      assert.equal(expired.status, 410);
      assert.equal(expired.body.error?.code, 'push_challenge_expired');
    });
  });
}
