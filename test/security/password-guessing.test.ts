import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { authCalls } from '../helpers/auth.js';
import { PASSWORD, widgetHarness } from '../server/widget/helpers.js';

// Finding 2 of issue 13: password guessing was barely limited. No per-login counter; a call
// without `ip` skipped the throttle; each IPv6 address of a /64 had its own bucket; and the
// throttle was read before and written after the argon2 check, so a burst of parallel guesses
// all passed the check (100 wrong passwords at limit 5: 14 evaluated by the API, 12 of 60 by the
// widget). Now a slot is reserved before the check, per IPv4 address, IPv6 /64 or "no IP", and
// per login. "Evaluated" is counted from the events: every password that reached argon2id and
// was wrong is one auth.failure with reason invalid_credentials.

const BURST = 100;
const LIMIT = 5;

for (const mode of dbModes()) {
  describe(`password guessing is bounded (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode, { poolSize: 10 });
      w = await widgetHarness(t);
    });
    after(() => t.close());

    const evaluated = async (resourceId: string) =>
      Number(
        (
          await t.db
            .selectFrom('events')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('resourceId', '=', resourceId)
            .where('type', '=', 'auth.failure')
            .where('reason', '=', 'invalid_credentials')
            .executeTakeFirstOrThrow()
        ).n,
      );

    /** A password-only resource whose throttle and failed-attempt limit are both LIMIT. */
    const passwordResource = () => w.setup({ resource: { authMethod: 'password', throttleMaxFailures: LIMIT, failedAttemptsLimit: LIMIT }, token: null });

    it(`a burst of ${BURST} wrong passwords from one IP at limit ${LIMIT} evaluates at most ${LIMIT} (API)`, async () => {
      const s = await passwordResource();
      const auth = authCalls(w.api, s.resource);
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) => auth('password', { login: s.login, password: `wrong-${i}`, ip: '198.51.100.1' })),
      );
      assert.ok(answers.every((a) => a.body.result === false));
      const n = await evaluated(s.resource.id);
      assert.ok(n >= 1 && n <= LIMIT, `evaluated ${n}`);
      assert.ok(answers.filter((a) => a.status === 429).length >= BURST - LIMIT, 'the rest are throttled');
    });

    it(`a burst of wrong passwords through the widget evaluates at most ${LIMIT}`, async () => {
      const s = await passwordResource();
      const ip = { ip: '198.51.100.2' };
      const txs: string[] = [];
      for (let i = 0; i < 50; i++) txs.push(await w.begin(s.resource.id, {}, ip));
      const answers = await Promise.all(txs.map((tx, i) => w.identify(tx, s.login, `wrong-${i}`, ip)));
      assert.ok(answers.every((a) => a.status >= 400));
      const n = await evaluated(s.resource.id);
      assert.ok(n >= 1 && n <= LIMIT, `evaluated ${n}`);
    });

    it(`a burst from ${BURST} different IPs is bounded by the per-login counter`, async () => {
      const s = await passwordResource();
      const auth = authCalls(w.api, s.resource);
      const answers = await Promise.all(
        Array.from({ length: BURST }, (_, i) => auth('password', { login: s.login, password: `wrong-${i}`, ip: `203.0.113.${i + 1}` })),
      );
      assert.ok(answers.every((a) => a.body.result === false));
      const n = await evaluated(s.resource.id);
      assert.ok(n >= 1 && n <= LIMIT, `evaluated ${n}`);
      // The login now waits (30 s for a first delay), even with the right password from a new IP.
      const right = await auth('password', { login: s.login, password: PASSWORD, ip: '192.0.2.77' });
      assert.equal(right.body.reason, 'locked');
      assert.ok(right.body.retryAfter! > 0 && right.body.retryAfter! <= 30, `retryAfter ${right.body.retryAfter}`);
      w.clock.now = new Date(w.clock.now.getTime() + 31_000);
      assert.deepEqual((await auth('password', { login: s.login, password: PASSWORD, ip: '192.0.2.77' })).body, { result: true });
    });

    it('a call without ip does not skip the throttle: 12 wrong passwords, then the right one is still refused', async () => {
      const s = await w.setup({ resource: { authMethod: 'password', throttleMaxFailures: LIMIT, failedAttemptsLimit: 10 }, token: null });
      const auth = authCalls(w.api, s.resource);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await auth('password', { login: s.login, password: `wrong-${i}` })).status);
      assert.deepEqual(statuses.slice(0, LIMIT), Array(LIMIT).fill(200));
      assert.ok(
        statuses.slice(LIMIT).every((st) => st === 429),
        'the "no IP" bucket throttles',
      );
      const right = await auth('password', { login: s.login, password: PASSWORD });
      assert.equal(right.status, 429);
      assert.equal(right.body.reason, 'throttled');
      // Another client of the same resource is not affected.
      assert.deepEqual((await auth('password', { login: s.login, password: PASSWORD, ip: '192.0.2.5' })).body, { result: true });
    });

    it('IPv6 addresses of one /64 share a bucket; another /64 does not', async () => {
      const s = await w.setup({ resource: { authMethod: 'password', throttleMaxFailures: LIMIT, failedAttemptsLimit: 10 }, token: null });
      const auth = authCalls(w.api, s.resource);
      for (let i = 0; i < LIMIT; i++)
        assert.equal((await auth('password', { login: s.login, password: 'wrong', ip: `2001:db8:1:2::${(i + 1).toString(16)}` })).status, 200);
      const same = await auth('password', { login: s.login, password: PASSWORD, ip: '2001:db8:1:2:ffff:ffff:ffff:fffe' });
      assert.equal(same.status, 429, 'another address of the same /64');
      assert.deepEqual((await auth('password', { login: s.login, password: PASSWORD, ip: '2001:db8:1:3::1' })).body, { result: true });
    });

    it('counts unknown logins like known ones, and a right password resets the login', async () => {
      const s = await w.setup({ resource: { authMethod: 'password', throttleMaxFailures: 1000, failedAttemptsLimit: 3 }, token: null });
      const auth = authCalls(w.api, s.resource);
      const ip = (i: number) => `198.51.100.${100 + i}`;
      for (let i = 0; i < 3; i++) assert.equal((await auth('password', { login: 'nobody-here', password: 'x', ip: ip(i) })).body.reason, 'invalid_credentials');
      assert.equal((await auth('password', { login: 'NOBODY-here', password: 'x', ip: ip(9) })).body.reason, 'locked', 'one counter per login, case-folded');
      for (let i = 0; i < 2; i++) await auth('password', { login: s.login, password: 'wrong', ip: ip(i) });
      assert.deepEqual((await auth('password', { login: s.login, password: PASSWORD, ip: ip(3) })).body, { result: true });
      for (let i = 0; i < 2; i++)
        assert.equal((await auth('password', { login: s.login, password: 'wrong', ip: ip(i) })).body.reason, 'invalid_credentials', 'the count started again');
    });
  });
}
