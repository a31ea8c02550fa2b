import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { argon2Stats, verifyAgainstDummy } from '../../../server/src/crypto/password.js';
import { hotp, totp } from '../../../server/src/otp/index.js';
import { rfcSecret } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { PASSWORD, PUBLIC_URL, SITE, widgetHarness, type Answer } from './helpers.js';

// What the widget refuses, and how: one generic answer for every wrong credential, clear
// answers for locked / throttled / not from here, transactions that expire, run out of
// attempts, cannot be forged or moved to another resource, and no cross-site caller.

const hotpCode = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });
const code = (a: Answer) => a.body.error?.code;

for (const mode of dbModes()) {
  describe(`widget refusals (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    it('answers the same 401 for unknown user, wrong password, unassigned or inactive user, and wrong code', async () => {
      const { resource, login } = await w.setup();
      const unassigned = `lonely-${mode}`;
      await w.admin.user({ login: unassigned, password: PASSWORD });
      const inactive = `sleeper-${mode}`;
      const sleeper = await w.admin.user({ login: inactive, password: PASSWORD, active: false });
      await w.admin.assignUser(resource.id, sleeper.id);

      await verifyAgainstDummy('warm-up'); // the dummy hash exists before counting starts
      const answers: Answer[] = [];
      const timed = async (login: string, password: string) => {
        const tx = await w.begin(resource.id);
        const before = argon2Stats.verifications;
        const res = await w.identify(tx, login, password);
        // Every refusal pays exactly one argon2 verification, so timing does not tell them apart.
        assert.equal(argon2Stats.verifications - before, 1, `${login}: refused without exactly one password check`);
        answers.push(res);
      };
      await timed('nobody-here', PASSWORD);
      await timed(login, 'wrong password');
      await timed(unassigned, PASSWORD);
      await timed(inactive, PASSWORD);
      const tx = await w.begin(resource.id);
      assert.equal((await w.identify(tx, login, PASSWORD)).body.step, 'otp');
      answers.push(await w.otp(tx, '000000'));

      for (const a of answers) {
        assert.equal(a.status, 401);
        assert.deepEqual(a.body, { error: { code: 'wrong_credentials', message: 'Wrong login, password or code.', details: { attemptsLeft: 4 } } });
      }
    });

    it('says "locked" with the wait time when the lock lifts by itself', async () => {
      const { resource, login } = await w.setup({ resource: { failedAttemptsLimit: 3, progressiveUnlock: true } });
      const tx = await w.begin(resource.id);
      await w.identify(tx, login, PASSWORD);
      assert.equal(code(await w.otp(tx, '111111')), 'wrong_credentials');
      assert.equal(code(await w.otp(tx, '222222')), 'wrong_credentials');
      const locking = await w.otp(tx, '333333');
      assert.equal(locking.status, 423, 'the attempt that locks says so');
      assert.deepEqual(locking.body.error?.details, { retryAfter: 30 });

      // A new transaction: the password is right, the token is locked.
      w.clock.now = new Date(w.clock.now.getTime() + 10_000);
      const locked = await w.identify(await w.begin(resource.id), login, PASSWORD);
      assert.equal(locked.status, 423);
      assert.equal(code(locked), 'account_locked');
      assert.deepEqual(locked.body.error?.details, { retryAfter: 20 });
      assert.equal(locked.headers.get('retry-after'), '20');

      // The wrong password is still just wrong: the lock is not revealed to who lacks it.
      assert.equal(code(await w.identify(await w.begin(resource.id), login, 'guess')), 'wrong_credentials');

      w.clock.now = new Date(w.clock.now.getTime() + 21_000);
      const tx2 = await w.begin(resource.id);
      assert.equal((await w.identify(tx2, login, PASSWORD)).body.step, 'otp', 'the lock lifted by itself');
      assert.equal((await w.otp(tx2, hotpCode(0))).body.step, 'done');
    });

    it('says "locked" without a wait time when only an administrator can unlock', async () => {
      const { resource, login, token } = await w.setup({ resource: { failedAttemptsLimit: 3 } });
      const tx = await w.begin(resource.id);
      await w.identify(tx, login, PASSWORD);
      for (const wrong of ['111111', '222222', '333333']) await w.otp(tx, wrong);
      const locked = await w.identify(await w.begin(resource.id), login, PASSWORD);
      assert.equal(locked.status, 423);
      assert.equal(locked.body.error?.details, undefined);
      assert.equal(locked.headers.get('retry-after'), null);
      await w.admin.call('POST', `/api/v1/tokens/${token!.id}/unlock`, undefined, 200);
      assert.equal((await w.identify(await w.begin(resource.id), login, PASSWORD)).body.step, 'otp');
    });

    it('throttles an IP after too many failures with 429 and Retry-After; other IPs go on', async () => {
      const { resource, login } = await w.setup({ resource: { throttleMaxFailures: 3, throttleWindowSeconds: 60 } });
      const attacker = { ip: '198.51.100.66' };
      const tx = await w.begin(resource.id, {}, attacker);
      for (const guess of ['a', 'b', 'c']) assert.equal(code(await w.identify(tx, login, guess, attacker)), 'wrong_credentials');
      const throttled = await w.identify(tx, login, PASSWORD, attacker);
      assert.equal(throttled.status, 429);
      assert.equal(code(throttled), 'throttled');
      const wait = throttled.body.error!.details!.retryAfter!;
      assert.ok(wait > 0 && wait <= 60);
      assert.equal(throttled.headers.get('retry-after'), String(wait));
      assert.equal((await w.start(resource.id, {}, attacker)).status, 429, 'no new transactions either');

      assert.equal((await w.identify(await w.begin(resource.id, {}, { ip: '198.51.100.67' }), login, PASSWORD, { ip: '198.51.100.67' })).body.step, 'otp');

      w.clock.now = new Date(w.clock.now.getTime() + 61_000);
      const after = await w.identify(tx, login, PASSWORD, attacker);
      assert.equal(after.body.step, 'otp', 'a throttled answer used no attempt of the transaction');
    });

    it('refuses a filtered client with not_allowed_here, before any password', async () => {
      const { resource, login } = await w.setup();
      await w.admin.call('POST', `/api/v1/resources/${resource.id}/filters`, { type: 'ip', mode: 'deny', cidrs: ['192.0.2.0/24'] });
      const blocked = { ip: '192.0.2.5' };
      const refused = await w.start(resource.id, {}, blocked);
      assert.equal(refused.status, 403);
      assert.equal(code(refused), 'not_allowed_here');
      // A transaction started elsewhere cannot be finished from there either.
      const tx = await w.begin(resource.id);
      assert.equal(code(await w.identify(tx, login, PASSWORD, blocked)), 'not_allowed_here');
      assert.equal((await w.identify(tx, login, PASSWORD)).body.step, 'otp', 'a refusal by filter uses no attempt');
      const events = await t.db
        .selectFrom('events')
        .select(['reason', 'actor'])
        .where('resourceId', '=', resource.id)
        .where('reason', '=', 'filtered')
        .execute();
      assert.equal(events.length, 2);
      assert.ok(events.every((e) => e.actor === 'widget'));
    });

    it('expires a transaction after ten minutes', async () => {
      const { resource, login } = await w.setup({ token: { type: 'totp', serialNumber: `EXP-${mode}` } });
      const tx = await w.begin(resource.id);
      assert.equal((await w.identify(tx, login, PASSWORD)).body.step, 'otp');
      w.clock.now = new Date(w.clock.now.getTime() + 600_001);
      const late = await w.otp(tx, totp(rfcSecret, w.clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 }));
      assert.equal(late.status, 410);
      assert.equal(code(late), 'transaction_expired');
    });

    it('allows five failed attempts per transaction, then the transaction is dead', async () => {
      const { resource, login } = await w.setup();
      const tx = await w.begin(resource.id);
      for (let left = 4; left >= 0; left--) {
        const res = await w.identify(tx, login, `wrong-${left}`);
        assert.equal(res.status, 401);
        assert.equal(res.body.error?.details?.attemptsLeft, left);
      }
      const dead = await w.identify(tx, login, PASSWORD);
      assert.equal(dead.status, 410, 'even the right password is too late');
      const row = await t.db.selectFrom('widget_transactions').select(['state', 'attempts']).where('resourceId', '=', resource.id).executeTakeFirstOrThrow();
      assert.deepEqual(row, { state: 'failed', attempts: 5 });
    });

    it('counts OTP failures against the same budget', async () => {
      const { resource, login } = await w.setup({ resource: { failedAttemptsLimit: 10 } });
      const tx = await w.begin(resource.id);
      assert.equal(code(await w.identify(tx, login, 'nope')), 'wrong_credentials');
      assert.equal((await w.identify(tx, login, PASSWORD)).body.step, 'otp');
      const lefts: (number | undefined)[] = [];
      for (const wrong of ['100000', '200000', '300000', '400000']) lefts.push((await w.otp(tx, wrong)).body.error?.details?.attemptsLeft);
      assert.deepEqual(lefts, [3, 2, 1, 0]);
      assert.equal((await w.otp(tx, hotpCode(0))).status, 410);
    });

    it('refuses forged, malformed and unknown transaction ids alike', async () => {
      const { resource, login } = await w.setup();
      await w.begin(resource.id);
      for (const forged of [randomBytes(16).toString('base64url'), 'abc', 'x'.repeat(64)]) {
        const res = await w.identify(forged, login, PASSWORD);
        assert.equal(res.status, 410, forged);
        assert.equal(code(res), 'transaction_expired');
      }
      assert.equal((await w.otp(randomBytes(16).toString('base64url'), '123456')).status, 410);
      assert.equal((await w.resend(randomBytes(16).toString('base64url'))).status, 410);
      assert.equal((await w.identify('', login, PASSWORD)).status, 400);
    });

    it('binds a transaction to its resource and its allowed origin', async () => {
      const a = await w.setup();
      const b = await w.admin.resource({ allowedOrigins: ['https://other.example'] });
      const tx = await w.begin(a.resource.id);
      const crossed = await w.identify(tx, a.login, PASSWORD, undefined, { resourceId: b.id });
      assert.equal(crossed.status, 410, 'another resource cannot use it');
      assert.equal((await w.identify(tx, a.login, PASSWORD, undefined, { resourceId: a.resource.id })).body.step, 'otp');

      const wrongOrigin = await w.start(b.id);
      assert.equal(wrongOrigin.status, 403);
      assert.equal(code(wrongOrigin), 'origin_not_allowed');
      assert.equal((await w.start(a.resource.id, { origin: 'https://shop.example.evil.test' })).status, 403);
      assert.equal((await w.start(a.resource.id, { origin: 'HTTPS://SHOP.example:443/' })).status, 200, 'origins compare normalised');
      const unknown = await w.start('00000000-0000-4000-8000-000000000000');
      assert.deepEqual([unknown.status, code(unknown)], [404, 'resource_unavailable']);

      // An origin removed by the administrator ends the transactions started from it.
      const tx2 = await w.begin(a.resource.id);
      await w.admin.call('PATCH', `/api/v1/resources/${a.resource.id}`, { allowedOrigins: ['https://elsewhere.example'] }, 200);
      assert.equal(code(await w.identify(tx2, a.login, PASSWORD)), 'origin_not_allowed');
    });

    it('refuses cross-site callers (CSRF) and non-JSON bodies', async () => {
      const { resource } = await w.setup();
      const body = { resourceId: resource.id, origin: SITE, nonce: 'n', instance: 'i' };
      for (const origin of [SITE, 'null', 'http://127.0.0.1:9999']) {
        const res = await w.post('/widget/api/start', body, { headers: { origin } });
        assert.deepEqual([res.status, code(res)], [403, 'cross_site_request'], origin);
      }
      assert.equal((await w.post('/widget/api/start', body, { headers: { 'sec-fetch-site': 'cross-site' } })).status, 403);
      assert.equal((await w.post('/widget/api/start', body, { headers: { origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' } })).status, 200);
      const form = await w.post('/widget/api/start', 'resourceId=x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.status, 415);
      assert.equal(code(await w.post('/widget/api/start', '{oops')), 'malformed_json');
      const bad = await w.post('/widget/api/start', { ...body, nonce: '<script>' });
      assert.deepEqual([bad.status, bad.body.error?.field], [400, 'body.nonce']);
    });

    it('gives one result token when two calls race to finish one transaction', async () => {
      const { resource, login, token } = await w.setup();
      await w.admin.call('POST', `/api/v1/tokens/${token!.id}/bypass`, { hours: 1 }, 200);
      const tx = await w.begin(resource.id);
      const answers = await Promise.all([w.identify(tx, login, PASSWORD), w.identify(tx, login, PASSWORD), w.identify(tx, login, PASSWORD)]);
      const done = answers.filter((a) => a.body.step === 'done');
      assert.equal(done.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body.error?.code])));
      assert.ok(answers.filter((a) => a !== done[0]).every((a) => a.status === 410));
    });

    it('never writes a password or code into an event or a log line', async () => {
      const { resource, login, email } = await w.setup({ token: { kind: 'software', type: 'email' } });
      const secretPassword = 'Tr0ub4dor&3-unique';
      await w.identify(await w.begin(resource.id), login, secretPassword);
      const tx = await w.begin(resource.id);
      await w.identify(tx, login, PASSWORD);
      const sent = /sign-in code is (\d+)/.exec(w.delivery.outbox!.latestFor(email)!.text)![1]!;
      const wrong = (sent.startsWith('9') ? '1' : '9').repeat(sent.length);
      assert.equal(code(await w.otp(tx, wrong)), 'wrong_credentials');
      assert.equal((await w.otp(tx, sent)).body.step, 'done');
      const events = JSON.stringify(await t.db.selectFrom('events').selectAll().execute());
      assert.ok(w.logLines.length > 5, 'requests were logged');
      for (const secret of [secretPassword, PASSWORD, sent, wrong, tx]) {
        assert.ok(!events.includes(secret), 'an event holds a secret');
        assert.ok(!w.logLines.some((l) => l.includes(secret)), 'a log line holds a secret');
      }
    });
  });
}
