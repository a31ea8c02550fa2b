import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hotp, ocra } from '../../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls, authCalls, rfcSecret, rfcSecretBase32 } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

const opts = { algorithm: 'SHA1' as const, digits: 6 as const };
const code = (counter: number) => hotp(rfcSecret, counter, opts);

for (const mode of dbModes()) {
  describe(`authentication API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let admin: ReturnType<typeof adminCalls>;
    const clock = { now: new Date('2026-11-28T12:00:00Z') };
    let serial = 0;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock.now });
      admin = adminCalls(api);
    });
    after(() => t.close());

    /** A resource with a user "login" (password "correct horse") paired with a fresh HOTP token. */
    async function setup(resourceBody: Record<string, unknown> = {}, tokenBody: Record<string, unknown> = {}) {
      const resource = await admin.resource(resourceBody);
      const login = `user${++serial}`;
      const user = await admin.user({ login, password: 'correct horse', email: `${login}@example.test` });
      const token = await admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `HW-${mode}-${serial}`, secret: rfcSecretBase32, ...tokenBody });
      await admin.pair(resource.id, user.id, token.id);
      return { resource, user, token, login, auth: authCalls(api, resource) };
    }

    it('refuses wrong resource credentials with 401', async () => {
      const { resource, auth } = await setup();
      const wrong = await auth('password', { login: 'x', password: 'y' }, 'Basic ' + Buffer.from(`${resource.id}:vfs_wrong`).toString('base64'));
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error?.code, 'invalid_resource_credentials');
      assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="veriframe"');
      const other = await setup();
      const crossed = await auth(
        'password',
        { login: 'x', password: 'y' },
        'Basic ' + Buffer.from(`${other.resource.id}:${other.resource.secret}`).toString('base64'),
      );
      assert.equal(crossed.status, 401, "another resource's secret cannot act for this one");
      assert.equal((await auth('password', { login: 'x', password: 'y' }, '')).status, 401);
    });

    it('checks each method with its assignment requirement', async () => {
      const s = await setup();
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: code(0) })).body, { result: true });
      assert.deepEqual((await s.auth('user-password-token', { login: s.login, password: 'correct horse', otp: code(1) })).body, { result: true });
      assert.deepEqual(
        (await s.auth('password', { login: s.login.toUpperCase(), password: 'correct horse' })).body,
        { result: true },
        'logins are case-insensitive; pairing assigns the user',
      );
      assert.deepEqual((await s.auth('token', { tokenId: s.token.id, otp: code(2) })).body, { result: true }, 'a paired token counts as assigned');

      // Assigned separately, user and token do not make a "user with token" (seeds).
      const r = await admin.resource();
      const auth = authCalls(api, r);
      const u = await admin.user({ login: `solo${++serial}`, password: 'correct horse' });
      const tok = await admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `SOLO-${mode}-${serial}`, secret: rfcSecretBase32 });
      assert.equal((await auth('password', { login: `solo${serial}`, password: 'correct horse' })).body.reason, 'not_assigned');
      await admin.assignUser(r.id, u.id);
      await admin.assignToken(r.id, tok.id);
      assert.deepEqual((await auth('password', { login: `solo${serial}`, password: 'correct horse' })).body, { result: true });
      assert.deepEqual((await auth('token', { tokenId: tok.id, otp: code(0) })).body, { result: true });
      assert.equal((await auth('user-token', { login: `solo${serial}`, otp: code(1) })).body.reason, 'not_assigned');
      assert.equal((await s.auth('token', { tokenId: tok.id, otp: code(1) })).body.reason, 'not_assigned', 'a token of another resource');
    });

    it('answers unknown user, wrong password and wrong OTP alike', async () => {
      const s = await setup();
      const answers = [
        await s.auth('password', { login: 'nobody-here', password: 'correct horse' }),
        await s.auth('password', { login: s.login, password: 'wrong horse' }),
        await s.auth('user-token', { login: s.login, otp: '000000' }),
        await s.auth('user-token', { login: 'nobody-here', otp: code(0) }),
        await s.auth('user-password-token', { login: s.login, password: 'wrong horse', otp: code(0) }),
        await s.auth('user-password-token', { login: s.login, password: 'correct horse', otp: '000000' }),
      ];
      for (const a of answers) assert.deepEqual([a.status, a.body], [200, { result: false, reason: 'invalid_credentials' }]);
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: code(0) })).body, { result: true }, 'a wrong password consumed no OTP');
    });

    it('lets an inactive token fall back to the password and refuses OTP-only', async () => {
      const s = await setup({}, { active: false });
      assert.deepEqual((await s.auth('user-password-token', { login: s.login, password: 'correct horse', otp: '000000' })).body, { result: true });
      assert.deepEqual((await s.auth('user-password-token', { login: s.login, password: 'wrong horse', otp: code(0) })).body, {
        result: false,
        reason: 'invalid_credentials',
      });
      assert.equal((await s.auth('user-token', { login: s.login, otp: code(0) })).body.reason, 'inactive_token');
    });

    it('refuses a locked token even with the right password and code (locked ≠ inactive)', async () => {
      const s = await setup({ failedAttemptsLimit: 3 });
      for (const wrong of ['111111', '222222', '333333']) await s.auth('user-token', { login: s.login, otp: wrong });
      assert.deepEqual((await s.auth('user-password-token', { login: s.login, password: 'correct horse', otp: code(0) })).body, {
        result: false,
        reason: 'locked',
      });
      await admin.call('POST', `/api/v1/tokens/${s.token.id}/unlock`, undefined, 200);
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: code(0) })).body, { result: true });
    });

    it('accepts a bypassed token without a code, and records the bypass', async () => {
      const s = await setup();
      await admin.call('POST', `/api/v1/tokens/${s.token.id}/bypass`, { hours: 1 }, 200);
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: '000000' })).body, { result: true });
      const ev = await t.db.selectFrom('events').select(['type', 'details']).where('tokenId', '=', s.token.id).where('type', '=', 'auth.success').execute();
      assert.deepEqual((ev[0]!.details as { amr: string[] }).amr, ['bypass']);
    });

    it('reports inactive users and filtered requests without counting them as failures', async () => {
      const s = await setup({ failedAttemptsLimit: 3 });
      await admin.call('POST', `/api/v1/resources/${s.resource.id}/filters`, { type: 'ip', mode: 'allow', cidrs: ['10.0.0.0/8'] });
      for (let i = 0; i < 5; i++) assert.equal((await s.auth('user-token', { login: s.login, otp: '000000', ip: '192.0.2.1' })).body.reason, 'filtered');
      const token = await admin.call<{ failedAttempts: number }>('GET', `/api/v1/tokens/${s.token.id}`, undefined, 200);
      assert.equal(token.failedAttempts, 0);
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: code(0), ip: '10.1.2.3' })).body, { result: true });
      await admin.call('PATCH', `/api/v1/users/${s.user.id}`, { active: false }, 200);
      assert.equal((await s.auth('user-token', { login: s.login, otp: code(1), ip: '10.1.2.3' })).body.reason, 'inactive_user');
    });

    it('throttles an IP after too many failures with 429 and Retry-After', async () => {
      const s = await setup({ throttleMaxFailures: 3, throttleWindowSeconds: 60, failedAttemptsLimit: 10 });
      for (let i = 0; i < 3; i++) assert.equal((await s.auth('password', { login: s.login, password: 'nope nope', ip: '198.51.100.7' })).status, 200);
      const throttled = await s.auth('password', { login: s.login, password: 'correct horse', ip: '198.51.100.7' });
      assert.equal(throttled.status, 429);
      assert.deepEqual(throttled.body, { result: false, reason: 'throttled', retryAfter: 60 });
      assert.equal(throttled.headers.get('retry-after'), '60');
      assert.deepEqual(
        (await s.auth('password', { login: s.login, password: 'correct horse', ip: '198.51.100.8' })).body,
        { result: true },
        'another IP is not affected',
      );
      clock.now = new Date(clock.now.getTime() + 61_000);
      assert.deepEqual((await s.auth('password', { login: s.login, password: 'correct horse', ip: '198.51.100.7' })).body, { result: true });
    });

    it('hands out a fresh OCRA challenge and verifies the answer once', async () => {
      const suite = 'OCRA-1:HOTP-SHA1-6:QN08';
      const s = await setup({}, { type: 'ocra', ocraSuite: suite });
      const prepared = await s.auth('prepare', { login: s.login });
      assert.equal(prepared.body.result, true);
      assert.match(prepared.body.challenge!, /^\d{8}$/);
      const answer = ocra(suite, rfcSecret, { question: prepared.body.challenge! });
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: answer })).body, { result: true });
      assert.equal((await s.auth('user-token', { login: s.login, otp: answer })).body.reason, 'expired_challenge', 'single use');
      const again = await s.auth('prepare', { login: s.login });
      clock.now = new Date(clock.now.getTime() + 301_000);
      assert.equal(
        (await s.auth('user-token', { login: s.login, otp: ocra(suite, rfcSecret, { question: again.body.challenge! }) })).body.reason,
        'expired_challenge',
      );
    });

    it('signs transactions: the answer for the shown data verifies, tampered data is refused', async () => {
      const suite = 'OCRA-1:HOTP-SHA1-6:QN08';
      const s = await setup({}, { type: 'ocra', ocraSuite: suite });
      const data = 'pay 100.00 EUR to DE02120300000000202051';
      const signed = await s.auth('sign-transaction', { login: s.login, data });
      assert.equal(signed.body.result, true);
      // Random, so the same data never gives the same question twice; the newest one counts.
      const again = await s.auth('sign-transaction', { login: s.login, data });
      assert.notEqual(again.body.challenge, signed.body.challenge, 'a random question each time');
      const answer = ocra(suite, rfcSecret, { question: again.body.challenge! });
      const tampered = await s.auth('verify-signed-transaction', { login: s.login, data: data.replace('100.00', '900.00'), otp: answer });
      assert.deepEqual(tampered.body, { result: false, reason: 'invalid_credentials' });
      assert.deepEqual((await s.auth('verify-signed-transaction', { login: s.login, data, otp: answer })).body, { result: true });
      assert.equal((await s.auth('verify-signed-transaction', { login: s.login, data, otp: answer })).body.reason, 'expired_challenge', 'single use');
      const hotpUser = await setup();
      assert.equal((await hotpUser.auth('sign-transaction', { login: hotpUser.login, data })).body.reason, 'not_supported');
    });

    it('answers malformed input with 400 naming the field', async () => {
      const s = await setup();
      const res = await s.auth('user-token', { login: s.login, otp: '12ab!' });
      assert.equal(res.status, 400);
      assert.equal((res.body as { error?: { field?: string } }).error?.field, 'body.otp');
      assert.equal((await s.auth('password', { login: s.login, password: 'x', ip: '300.1.1.1' })).status, 400);
      assert.equal((await s.auth('token', { tokenId: 'not-a-uuid', otp: '123456' })).status, 400);
    });
  });
}
