import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { widgetHarness } from '../server/widget/helpers.js';

// Finding 4 of issue 13: on an OTP-only resource the widget told which logins exist (unknown
// login → 401, known → the OTP step with the token type), and every identify of an
// e-mail/SMS/bot user sent a code: spam, and a way to lock someone out. Now unknown, inactive and
// unassigned logins get a decoy TOTP step made of the same queries, and sending is limited per
// user and per client.

for (const mode of dbModes()) {
  describe(`the widget does not tell which logins exist (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    it('answers an unknown, an inactive, an unassigned login and a real TOTP user alike', async () => {
      const real = await w.setup({ resource: { authMethod: 'otp' }, token: { type: 'totp' } });
      const inactive = await w.setup({ resource: { authMethod: 'otp' }, token: { type: 'totp' }, user: { active: false } });
      const unassigned = await w.admin.user({ login: `loose-${mode}` });
      assert.ok(unassigned.id);
      const answers = [];
      for (const login of [real.login, 'nobody-at-all', `loose-${mode}`]) answers.push(await w.identify(await w.begin(real.resource.id), login));
      answers.push(await w.identify(await w.begin(inactive.resource.id), inactive.login));
      for (const a of answers) {
        assert.equal(a.status, 200);
        assert.deepEqual(a.body, { step: 'otp', otp: { type: 'totp', digits: 6 } });
      }
      // The decoy's code step refuses any code like a wrong code, and counts it.
      const tx = await w.begin(real.resource.id);
      await w.identify(tx, 'nobody-at-all');
      const refused = await w.otp(tx, '123456');
      assert.equal(refused.status, 401);
      assert.deepEqual(refused.body.error?.code, 'wrong_credentials');
      assert.equal(refused.body.error?.details?.attemptsLeft, 4);
    });

    it('sends at most a few codes to one user however often the widget is started', async () => {
      const { resource, email, login } = await w.setup({ resource: { authMethod: 'otp' }, token: { kind: 'software', type: 'email' } });
      const outbox = w.delivery.outbox!;
      const sentTo = () => outbox.list().filter((m) => m.to === email).length;
      const before = sentTo();
      for (let i = 0; i < 12; i++) {
        // Past the 30 s resend wait every time: only the per-user limit stops sending.
        w.clock.now = new Date(w.clock.now.getTime() + 31_000);
        const answer = await w.identify(await w.begin(resource.id, {}, { ip: `198.51.100.${i + 1}` }), login, undefined, { ip: `198.51.100.${i + 1}` });
        assert.equal(answer.body.step, 'otp', 'the step looks the same with or without a new code');
      }
      assert.equal(sentTo() - before, 5, 'five codes per user and resource in 15 minutes');
    });

    it('limits how many transactions one client may start', async () => {
      const { resource } = await w.setup();
      const ip = { ip: '192.0.2.200' };
      for (let i = 0; i < 60; i++) assert.equal((await w.start(resource.id, {}, ip)).status, 200);
      const refused = await w.start(resource.id, {}, ip);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error?.code, 'throttled');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.equal((await w.start(resource.id, {}, { ip: '192.0.2.201' })).status, 200, 'other clients go on');
    });
  });
}
