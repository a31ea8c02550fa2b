import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hotp } from '../../../server/src/otp/index.js';
import { authCalls, rfcSecret } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { PASSWORD, widgetHarness } from '../widget/helpers.js';

// A matched code gives its throttle slot back in the statement that consumes it (tokens/verify.ts,
// bench/README.md): consumed or found replayed, it is no guess. A wrong code keeps its slot. A
// right password that ends the attempt gives it back with the login counter's reset
// (auth/login-guard.ts settleLogin).
// (A code found replayed by that statement is one that lost a race: test/security/replay-races.)

const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

for (const mode of dbModes()) {
  describe(`throttle slot released with the code's consumption (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    const failures = async (resourceId: string, ip: string) =>
      (await t.db.selectFrom('auth_throttle').select('failures').where('resourceId', '=', resourceId).where('ip', '=', ip).executeTakeFirst())?.failures;

    it('successes never fill the window; a wrong code counts', async () => {
      const s = await w.setup({ resource: { throttleMaxFailures: 2 } });
      const auth = authCalls(w.api, s.resource);
      const ip = '192.0.2.44';
      for (let counter = 0; counter < 4; counter++) {
        assert.deepEqual((await auth('user-token', { login: s.login, otp: code(counter), ip })).body, { result: true }, `code ${counter}`);
        assert.equal(await failures(s.resource.id, ip), 0, `after success ${counter}`);
      }
      assert.deepEqual((await auth('user-token', { login: s.login, otp: '000000', ip })).body, { result: false, reason: 'invalid_credentials' });
      assert.equal(await failures(s.resource.id, ip), 1, 'a wrong code keeps its slot');
      const events = await t.db
        .selectFrom('events')
        .select(['type', 'result', 'reason'])
        .where('resourceId', '=', s.resource.id)
        .where('ip', '=', ip)
        .execute();
      assert.equal(events.filter((e) => e.type === 'token.verify' && e.result === 'success').length, 4, 'each success recorded once');
    });

    it('right passwords never fill the window and reset the login; a wrong one counts in both', async () => {
      const s = await w.setup({ resource: { throttleMaxFailures: 2, authMethod: 'password' }, token: null });
      const auth = authCalls(w.api, s.resource);
      const ip = '192.0.2.45';
      const loginFailures = async () =>
        (await t.db.selectFrom('login_attempts').select('failures').where('resourceId', '=', s.resource.id).where('loginKey', '=', s.login).executeTakeFirst())
          ?.failures;
      assert.deepEqual((await auth('password', { login: s.login, password: 'wrong', ip })).body, { result: false, reason: 'invalid_credentials' });
      assert.equal(await failures(s.resource.id, ip), 1, 'a wrong password keeps its slot');
      assert.equal(await loginFailures(), 1, 'and counts against the login');
      for (let i = 0; i < 3; i++) {
        assert.deepEqual((await auth('password', { login: s.login, password: PASSWORD, ip })).body, { result: true }, `success ${i}`);
        assert.equal(await failures(s.resource.id, ip), 1, `after success ${i}: only the wrong one is counted`);
        assert.equal(await loginFailures(), 0, `after success ${i}: the login is reset`);
      }
    });
  });
}
