import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hotp } from '../../server/src/otp/index.js';
import { authCalls, rfcSecret } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { decodeJwt, PASSWORD, widgetHarness } from '../server/widget/helpers.js';

// Issue 13: the widget used to rebuild the order of checks of the authentication service from
// nine of its functions, and the copies disagreed. Both now run the one pipeline. This table
// runs every situation through both front-ends, each on a fresh setup, and checks that they give
// the same answer: the API's precise reason, and what the widget tells the end user for it.

const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });
const IP = '198.51.100.77';

type Method = 'otp' | 'password+otp';
type Harness = Awaited<ReturnType<typeof widgetHarness>>;
type Setup = Awaited<ReturnType<Harness['setup']>>;

interface Case {
  name: string;
  method: Method;
  /** Resource, user and token settings of the situation. */
  setup?: Parameters<Harness['setup']>[0];
  /** Changes after set-up (through the admin API or the database), before the attempt. */
  arrange?: (w: Harness, s: Setup, t: TestDb) => Promise<void>;
  /** What the person types: defaults to the right login, password and next code. */
  login?: (s: Setup) => string;
  password?: string;
  otp?: string;
  /** The API's answer ... */
  api: { result: true } | { result: false; reason: string };
  /** ... and what the widget says for the same situation (an error code, or done with amr). */
  widget: { done: string[] } | { error: string };
}

const lockToken = async (w: Harness, s: Setup, t: TestDb) => {
  await t.db.updateTable('tokens').set({ locked: true, lockedAt: w.clock.now, lockedReason: 'failed_attempts' }).where('id', '=', s.token!.id).execute();
};

const cases: Case[] = [
  { name: 'right code', method: 'otp', api: { result: true }, widget: { done: ['otp'] } },
  { name: 'right password and code', method: 'password+otp', api: { result: true }, widget: { done: ['pwd', 'otp'] } },
  { name: 'wrong code', method: 'otp', otp: '000000', api: { result: false, reason: 'invalid_credentials' }, widget: { error: 'wrong_credentials' } },
  {
    name: 'wrong password',
    method: 'password+otp',
    password: 'wrong',
    api: { result: false, reason: 'invalid_credentials' },
    widget: { error: 'wrong_credentials' },
  },
  {
    name: 'unknown login',
    method: 'otp',
    login: () => 'nobody-known',
    api: { result: false, reason: 'invalid_credentials' },
    widget: { error: 'wrong_credentials' },
  },
  {
    name: 'unknown login with password',
    method: 'password+otp',
    login: () => 'nobody-known',
    api: { result: false, reason: 'invalid_credentials' },
    widget: { error: 'wrong_credentials' },
  },
  {
    name: 'inactive user',
    method: 'otp',
    setup: { user: { active: false } },
    api: { result: false, reason: 'inactive_user' },
    widget: { error: 'wrong_credentials' },
  },
  { name: 'user not assigned', method: 'otp', setup: { token: null }, api: { result: false, reason: 'not_assigned' }, widget: { error: 'wrong_credentials' } },
  {
    name: 'inactive token, OTP only',
    method: 'otp',
    setup: { token: { active: false } },
    api: { result: false, reason: 'inactive_token' },
    widget: { error: 'wrong_credentials' },
  },
  { name: 'inactive token, password + OTP', method: 'password+otp', setup: { token: { active: false } }, api: { result: true }, widget: { done: ['pwd'] } },
  { name: 'locked token', method: 'otp', arrange: lockToken, api: { result: false, reason: 'locked' }, widget: { error: 'account_locked' } },
  {
    name: 'locked token after the password',
    method: 'password+otp',
    arrange: lockToken,
    api: { result: false, reason: 'locked' },
    widget: { error: 'account_locked' },
  },
  {
    name: 'token in bypass',
    method: 'otp',
    arrange: (w, s) => w.admin.call('POST', `/api/v1/tokens/${s.token!.id}/bypass`, { hours: 1 }, 200).then(() => undefined),
    otp: '',
    api: { result: true },
    widget: { done: ['bypass'] },
  },
  {
    name: 'filtered IP',
    method: 'otp',
    arrange: (w, s) =>
      w.admin.call('POST', `/api/v1/resources/${s.resource.id}/filters`, { type: 'ip', mode: 'deny', cidrs: ['198.51.100.0/24'] }).then(() => undefined),
    api: { result: false, reason: 'filtered' },
    widget: { error: 'not_allowed_here' },
  },
  {
    name: 'throttled IP',
    method: 'otp',
    setup: { resource: { throttleMaxFailures: 1 } },
    arrange: async (w, s, t) => {
      await t.db.insertInto('auth_throttle').values({ resourceId: s.resource.id, ip: IP, windowStart: w.clock.now, failures: 1 }).execute();
    },
    api: { result: false, reason: 'throttled' },
    widget: { error: 'throttled' },
  },
];

for (const mode of dbModes()) {
  describe(`the widget and the authentication API answer alike (${mode})`, () => {
    let t: TestDb;
    let w: Harness;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    const fresh = async (c: Case) => {
      const s = await w.setup({ ...c.setup, resource: { authMethod: c.method, ...c.setup?.resource } });
      await c.arrange?.(w, s, t);
      return { s, login: c.login?.(s) ?? s.login, password: c.password ?? PASSWORD, otp: c.otp ?? code(0) };
    };

    async function viaApi(c: Case) {
      const { s, login, password, otp } = await fresh(c);
      const auth = authCalls(w.api, s.resource);
      const body = { login, ...(otp ? { otp } : { otp: '0000' }), ip: IP, ...(c.method === 'password+otp' ? { password } : {}) };
      // A bypassed token needs no code; the API's schema wants one, any will do.
      return (await auth(c.method === 'otp' ? 'user-token' : 'user-password-token', body)).body;
    }

    async function viaWidget(c: Case): Promise<{ done: string[] } | { error: string }> {
      const { s, login, password, otp } = await fresh(c);
      const opts = { ip: IP };
      const started = await w.start(s.resource.id, {}, opts);
      if (started.status !== 200) return { error: started.body.error!.code };
      const tx = started.body.transaction!;
      let answer = await w.identify(tx, login, c.method === 'password+otp' ? password : undefined, opts);
      if (answer.body.step === 'otp') answer = await w.otp(tx, otp || '000000', opts);
      if (answer.body.step === 'done') return { done: decodeJwt(answer.body.token!).payload.amr as string[] };
      return { error: answer.body.error!.code };
    }

    for (const c of cases) {
      it(`${c.name} (${c.method})`, async () => {
        const api = await viaApi(c);
        if (c.api.result) assert.equal(api.result, true, JSON.stringify(api));
        else assert.deepEqual({ result: api.result, reason: api.reason }, c.api);
        assert.deepEqual(await viaWidget(c), c.widget);
      });
    }
  });
}
