import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { totp } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, authCalls } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { secretOf } from '../helpers/tokens.js';

// A lost SMTP server or webhook endpoint (issue 20) is a delivery failure for the user whose
// code it was to carry, never a wait for everyone else. Both endpoints here accept connections
// and then say nothing (the worst kind: no refusal to act on, only timeouts). While a code for
// one user hangs on each of them, another user signs in with password and TOTP at once: no
// database connection or session is held across a delivery. Then the endpoints go away for
// good and the waiting users get their clear `delivery_failed`.

for (const mode of dbModes()) {
  describe(`reliability: a silent SMTP server and webhook block nobody else (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    const held = new Set<net.Socket>();
    let smtpSilent: net.Server;
    let hookSilent: http.Server;
    const arrived = { smtp: 0, hook: 0 };
    let waiters: (() => void)[] = [];
    const notify = () => waiters.forEach((w) => w());
    const until = (cond: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a delivery attempt')), 20_000);
        const check = () => {
          if (!cond()) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve();
        };
        waiters.push(check);
        check();
      });

    before(async () => {
      t = await openTestDb(mode);
      smtpSilent = net.createServer((s) => {
        held.add(s);
        s.on('error', () => {});
        arrived.smtp++;
        notify();
      });
      hookSilent = http.createServer((req) => {
        held.add(req.socket);
        arrived.hook++;
        notify();
      });
      await new Promise<void>((r) => smtpSilent.listen(0, '127.0.0.1', r));
      await new Promise<void>((r) => hookSilent.listen(0, '127.0.0.1', r));
      const config = loadConfig({
        SMTP_URL: `smtp://127.0.0.1:${(smtpSilent.address() as net.AddressInfo).port}`,
        SMS_WEBHOOK_URL: `http://127.0.0.1:${(hookSilent.address() as net.AddressInfo).port}/sms`,
        LOG_LEVEL: 'silent',
      });
      api = await createTestApp(t, { delivery: createDelivery(config, createLogger('silent')) });
    });
    after(async () => {
      for (const s of held) s.destroy();
      smtpSilent.close();
      hookSilent.close();
      await t.close();
    });

    it('lets another user sign in while codes hang on delivery, then fails those deliveries clearly', async () => {
      const admin = adminCalls(api);
      const resource = await admin.resource();
      const auth = authCalls(api, resource);
      const pending: Record<string, Promise<{ body: { result?: boolean; reason?: string } }>> = {};
      for (const [login, type] of [
        ['mail-user', 'email'],
        ['sms-user', 'sms'],
      ] as const) {
        const user = await admin.user({ login, email: `${login}@example.test`, phone: '+15550100' });
        const token = await admin.token({ kind: 'software', type });
        await admin.pair(resource.id, user.id, token.id);
        pending[login] = auth('prepare', { login });
      }
      const finished = new Set<string>();
      for (const [login, p] of Object.entries(pending)) void p.then(() => finished.add(login));
      const user = await admin.user({ login: 'app-user', password: 'a long enough password' });
      const token = await admin.token({ kind: 'software', type: 'totp' });
      await admin.pair(resource.id, user.id, token.id);

      // Both deliveries are under way and hanging.
      await until(() => arrived.smtp > 0 && arrived.hook > 0);
      const otp = totp(secretOf(token.otpauthUri!), Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
      const signIn = await auth('user-password-token', { login: 'app-user', password: 'a long enough password', otp });
      assert.deepEqual(signIn.body, { result: true });
      assert.deepEqual([...finished], [], 'the other users are still waiting for their delivery');

      // The endpoints vanish: the waiting users get a clear failure, after the retries.
      smtpSilent.close();
      hookSilent.close();
      for (const s of held) s.destroy();
      for (const p of Object.values(pending)) assert.deepEqual((await p).body, { result: false, reason: 'delivery_failed' });
    });
  });
}
