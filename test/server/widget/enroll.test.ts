import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base32Decode, totp } from '../../../server/src/otp/index.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { PASSWORD, decodeJwt, widgetHarness } from './helpers.js';

// Enrolment during login (DESIGN §12, resource setting enrollOnLogin).

for (const mode of dbModes()) {
  describe(`widget enrolment during login (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    const enrolling = { enrollOnLogin: true, selfService: { enrollmentTypes: ['totp', 'email', 'push'] } };
    const code = (secret: string) => totp(base32Decode(secret), w.clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 });

    it('offers a user without a token enrolment after the password, and signs the result with amr enroll', async () => {
      const { resource, user, login } = await w.setup({ token: null, resource: enrolling });
      const tx = await w.begin(resource.id);
      const step = await w.identify(tx, login, PASSWORD);
      assert.deepEqual(step.body, { step: 'enroll', enroll: { types: ['totp', 'email', 'push'] } }, 'the allowed types the widget can enrol');
      const bad = await w.post('/widget/api/enroll', { transaction: tx, type: 'hotp' });
      assert.equal(bad.body.error?.code, 'action_not_allowed', 'only allowed types');
      const started = await w.post('/widget/api/enroll', { transaction: tx, type: 'totp' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const body = started.body as unknown as { otpauthUri: string; secret: string; digits: number };
      assert.match(body.otpauthUri, /^otpauth:\/\/totp\//);
      assert.equal(body.digits, 6);
      const wrong = await w.post('/widget/api/enroll/confirm', { transaction: tx, otp: '000000' });
      assert.equal(wrong.body.error?.code, 'wrong_credentials');
      const done = await w.post('/widget/api/enroll/confirm', { transaction: tx, otp: code(body.secret) });
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const { payload } = decodeJwt(done.body.token!);
      assert.deepEqual(payload.amr, ['pwd', 'otp', 'enroll']);
      assert.equal(payload.sub, user.id);
      const paired = await t.db
        .selectFrom('resource_user_tokens')
        .selectAll()
        .where('resourceId', '=', resource.id)
        .where('userId', '=', user.id)
        .executeTakeFirst();
      assert.ok(paired, "the new token is the user's token in the resource");
      const events = (await t.db.selectFrom('events').select('type').where('actor', '=', `user:${user.id}`).execute()).map((e) => e.type);
      for (const type of ['token.created', 'token.assigned', 'resource.user_token_assigned']) assert.ok(events.includes(type), `${type} in ${events}`);
      // Next time: the ordinary code step.
      const tx2 = await w.begin(resource.id);
      assert.deepEqual((await w.identify(tx2, login, PASSWORD)).body, { step: 'otp', otp: { type: 'totp', digits: 6 } });
    });

    it('confirms an e-mail token with the code sent to the user', async () => {
      const { resource, login, email } = await w.setup({ token: null, resource: enrolling });
      const tx = await w.begin(resource.id);
      await w.identify(tx, login, PASSWORD);
      const started = await w.post('/widget/api/enroll', { transaction: tx, type: 'email' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const sent = /sign-in code is (\d+)/.exec(w.delivery.outbox!.latestFor(email)!.text)![1]!;
      const done = await w.post('/widget/api/enroll/confirm', { transaction: tx, otp: sent });
      assert.equal(done.body.step, 'done', JSON.stringify(done.body));
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd', 'otp', 'enroll']);
    });

    it('tells nothing to wrong passwords, unassigned users or resources without the setting', async () => {
      const { resource, login } = await w.setup({ token: null, resource: enrolling });
      const tx = await w.begin(resource.id);
      const wrong = await w.identify(tx, login, 'not the password');
      const unassigned = await w.admin.user({ login: `enr-free-${mode}`, password: PASSWORD });
      assert.ok(unassigned.id);
      const tx2 = await w.begin(resource.id);
      const stranger = await w.identify(tx2, `enr-free-${mode}`, PASSWORD);
      const tx3 = await w.begin(resource.id);
      const unknown = await w.identify(tx3, `nobody-${mode}`, PASSWORD);
      for (const r of [wrong, stranger, unknown]) {
        assert.equal(r.status, 401);
        assert.equal(r.body.error?.code, 'wrong_credentials');
      }
      const off = await w.setup({ token: null, resource: { selfService: { enrollmentTypes: ['totp'] } } });
      const tx4 = await w.begin(off.resource.id);
      assert.equal((await w.identify(tx4, off.login, PASSWORD)).body.error?.code, 'wrong_credentials', 'refused as before without enrollOnLogin');
      // The enrol calls need a transaction in the enrol step.
      const tx5 = await w.begin(resource.id);
      assert.equal((await w.post('/widget/api/enroll', { transaction: tx5, type: 'totp' })).status, 410);
    });

    it("limits confirming codes to the transaction's attempts", async () => {
      const { resource, login } = await w.setup({ token: null, resource: enrolling });
      const tx = await w.begin(resource.id);
      await w.identify(tx, login, PASSWORD);
      await w.post('/widget/api/enroll', { transaction: tx, type: 'totp' });
      const answers: number[] = [];
      for (let i = 0; i < 6; i++)
        answers.push((await w.post('/widget/api/enroll/confirm', { transaction: tx, otp: '000000' }, { ip: `203.0.113.${50 + i}` })).status);
      assert.equal(answers.at(-1), 410, `the transaction is used up: ${answers}`);
    });
  });
}
