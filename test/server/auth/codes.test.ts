import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../server/src/config.js';
import { createDelivery } from '../../../server/src/delivery/index.js';
import { createLogger } from '../../../server/src/logger.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls, authCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { mailText, startSmtp } from '../../helpers/smtp.js';

// E-mail codes end to end: the code leaves over a real SMTP conversation and comes back as the
// user typed it. Every log line and event of the run is kept to prove no code or password is
// ever written down.

for (const mode of dbModes()) {
  describe(`e-mail codes (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const logLines: string[] = [];
    const clock = { now: new Date('2026-11-28T12:00:00Z') };
    let s: { auth: ReturnType<typeof authCalls>; login: string; tokenId: string };
    const secretsSeen: string[] = ['correct horse battery'];

    before(async () => {
      t = await openTestDb(mode);
      smtp = await startSmtp();
      const config = loadConfig({ SMTP_URL: smtp.url, LOG_LEVEL: 'silent' });
      const delivery = createDelivery(config, createLogger('trace', { write: (l: string) => void logLines.push(l) }));
      api = await createTestApp(t, { now: () => clock.now, delivery, logLines });
      const admin = adminCalls(api);
      const resource = await admin.resource({ codeTtlSeconds: 300 });
      const user = await admin.user({ login: 'mailuser', password: 'correct horse battery', email: 'mailuser@example.test' });
      const token = await admin.token({ kind: 'software', type: 'email', digits: 8 });
      await admin.pair(resource.id, user.id, token.id);
      s = { auth: authCalls(api, resource), login: 'mailuser', tokenId: token.id };
    });
    after(async () => {
      await smtp.close();
      await t.close();
    });

    const lastCode = () => {
      const text = mailText(smtp.received.at(-1)!.raw);
      const code = /sign-in code is (\d+)/.exec(text)?.[1];
      assert.ok(code, text);
      secretsSeen.push(code);
      return code;
    };

    it('sends an 8-digit code over SMTP that is accepted once', async () => {
      assert.deepEqual((await s.auth('prepare', { login: s.login })).body, { result: true });
      assert.equal(smtp.received.length, 1);
      assert.deepEqual(smtp.received[0]!.to, ['mailuser@example.test']);
      const code = lastCode();
      assert.match(code, /^\d{8}$/);
      assert.deepEqual((await s.auth('user-password-token', { login: s.login, password: 'correct horse battery', otp: code })).body, { result: true });
      assert.equal((await s.auth('user-token', { login: s.login, otp: code })).body.reason, 'expired_challenge', 'single use');
    });

    it('allows a resend after 30 s only, and the resend invalidates the previous code', async () => {
      clock.now = new Date(clock.now.getTime() + 60_000);
      await s.auth('prepare', { login: s.login });
      const first = lastCode();
      const early = await s.auth('prepare', { login: s.login });
      assert.equal(early.status, 429);
      assert.equal(early.body.reason, 'throttled');
      assert.ok(early.body.retryAfter! > 0 && early.body.retryAfter! <= 30);
      clock.now = new Date(clock.now.getTime() + 31_000);
      await s.auth('prepare', { login: s.login });
      const second = lastCode();
      // (Two random 8-digit codes are equal once in 10^8 runs; then there is nothing to check.)
      if (first !== second)
        assert.equal((await s.auth('user-token', { login: s.login, otp: first })).body.reason, 'invalid_credentials', 'the old code no longer works');
      assert.deepEqual((await s.auth('user-token', { login: s.login, otp: second })).body, { result: true });
    });

    it('refuses a code after it expired', async () => {
      clock.now = new Date(clock.now.getTime() + 60_000);
      await s.auth('prepare', { login: s.login });
      const code = lastCode();
      clock.now = new Date(clock.now.getTime() + 301_000);
      assert.equal((await s.auth('user-token', { login: s.login, otp: code })).body.reason, 'expired_challenge');
    });

    it('counts wrong codes like wrong OTPs', async () => {
      clock.now = new Date(clock.now.getTime() + 60_000);
      await s.auth('prepare', { login: s.login });
      lastCode();
      assert.equal((await s.auth('user-token', { login: s.login, otp: '00000000' })).body.reason, 'invalid_credentials');
      const token = await adminCalls(api).call<{ failedAttempts: number }>('GET', `/api/v1/tokens/${s.tokenId}`, undefined, 200);
      assert.equal(token.failedAttempts, 1);
    });

    it('e-mails the user when their token locks, and records the lock', async () => {
      const admin = adminCalls(api);
      const resource = await admin.resource({ failedAttemptsLimit: 3 });
      const user = await admin.user({ login: 'lockme', email: 'lockme@example.test' });
      const token = await admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `LOCK-${mode}`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
      await admin.pair(resource.id, user.id, token.id);
      const auth = authCalls(api, resource);
      const before = smtp.received.length;
      for (const wrong of ['111111', '222222', '333333']) await auth('user-token', { login: 'lockme', otp: wrong });
      assert.equal(smtp.received.length, before + 1);
      const mail = smtp.received.at(-1)!;
      assert.deepEqual(mail.to, ['lockme@example.test']);
      assert.match(mailText(mail.raw), /was locked/);
      const locked = await t.db.selectFrom('events').select('type').where('tokenId', '=', token.id).where('type', '=', 'token.locked').execute();
      assert.equal(locked.length, 1);
    });

    it('never writes a code or password into a log line or an event', async () => {
      const events = JSON.stringify(await t.db.selectFrom('events').selectAll().execute());
      assert.ok(logLines.length > 10, 'the run was logged');
      for (const secret of secretsSeen) {
        assert.ok(!events.includes(secret), `an event contains ${secret.length} secret characters`);
        assert.ok(!logLines.some((l) => l.includes(secret)), 'a log line contains a secret');
      }
    });
  });
}
