import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../server/src/config.js';
import { createDelivery } from '../../../server/src/delivery/index.js';
import { createLogger } from '../../../server/src/logger.js';
import { base32Decode, totp } from '../../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { mailText, startSmtp } from '../../helpers/smtp.js';

// Confirming a new token before it can be used (DESIGN §11, seed 003): e-mail, SMS and bot
// tokens by a code sent to the user's address (here over real SMTP), authenticators by a code
// from the app. The code never appears in a log line or an event.

for (const mode of dbModes()) {
  describe(`token confirmation (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const logLines: string[] = [];
    const clock = { now: new Date('2026-12-05T12:00:00Z') };
    const codes: string[] = [];

    before(async () => {
      t = await openTestDb(mode);
      smtp = await startSmtp();
      const config = loadConfig({ SMTP_URL: smtp.url, LOG_LEVEL: 'silent' });
      const delivery = createDelivery(config, createLogger('trace', { write: (l: string) => void logLines.push(l) }));
      api = await createTestApp(t, { now: () => clock.now, delivery, logLines });
    });
    after(async () => {
      await smtp.close();
      await t.close();
    });

    const lastCode = () => {
      const text = mailText(smtp.received.at(-1)!.raw);
      const code = /confirmation code is (\d+)/.exec(text)?.[1];
      assert.ok(code, text);
      codes.push(code);
      return code;
    };
    const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
    const newEmailToken = async (login: string, email: string | null) => {
      const admin = adminCalls(api);
      const user = await admin.user({ login, ...(email ? { email } : {}) });
      const created = await api.call('POST', '/api/v1/tokens', { kind: 'software', type: 'email', name: `${login} mail`, active: false });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      assert.equal((await api.call('PUT', `/api/v1/tokens/${id}/user`, { userId: user.id })).status, 200);
      return id;
    };

    it('sends a code to the user of an e-mail token; the right code activates it, once', async () => {
      const id = await newEmailToken('mia', 'mia@example.test');
      const sent = await api.call('POST', `/api/v1/tokens/${id}/confirmation`);
      assert.equal(sent.status, 200, sent.text);
      assert.equal(sent.body.sentTo, 'm…@example.test');
      assert.deepEqual(smtp.received.at(-1)!.to, ['mia@example.test']);
      const code = lastCode();
      const wrong = await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.body.error?.code, 'wrong_code');
      assert.equal(wrong.body.error?.field, 'body.otp');
      assert.equal((await api.call('GET', `/api/v1/tokens/${id}`)).body.active, false, 'a wrong code activates nothing');
      const ok = await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: code });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.active, true);
      const again = await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: code });
      assert.equal(again.body.error?.code, 'code_expired', 'single use');
      const events = await t.db.selectFrom('events').select(['type', 'details']).where('tokenId', '=', id).execute();
      assert.ok(events.some((e) => e.type === 'token.confirmation_sent'));
      assert.ok(events.some((e) => e.type === 'token.confirmed'));
      assert.ok(events.some((e) => e.type === 'token.activated'));
    });

    it('refuses a resend within 30 s, burns the code after 5 wrong tries, and a code expires after 10 min', async () => {
      const id = await newEmailToken('noah', 'noah@example.test');
      await api.call('POST', `/api/v1/tokens/${id}/confirmation`);
      const first = lastCode();
      const early = await api.call('POST', `/api/v1/tokens/${id}/confirmation`);
      assert.equal(early.status, 429);
      assert.equal(early.body.error?.code, 'throttled');
      const wrong = first === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: wrong })).body.error?.code, 'wrong_code');
      assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: first })).body.error?.code, 'code_expired', 'used up');
      later(31_000);
      assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirmation`)).status, 200);
      const second = lastCode();
      later(10 * 60_000 + 1);
      assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: second })).body.error?.code, 'code_expired');
      assert.equal((await api.call('GET', `/api/v1/tokens/${id}`)).body.active, false);
    });

    it('says in words why nothing can be sent: no user, no address, not a sent-code type', async () => {
      const lone = await api.call('POST', '/api/v1/tokens', { kind: 'software', type: 'sms', active: false });
      const noUser = await api.call('POST', `/api/v1/tokens/${lone.body.id as string}/confirmation`);
      assert.equal(noUser.status, 422);
      assert.match(noUser.body.error!.message!, /Give the token to a user first.*phone number/);
      const noAddress = await newEmailToken('olga', null);
      const none = await api.call('POST', `/api/v1/tokens/${noAddress}/confirmation`);
      assert.equal(none.status, 422);
      assert.match(none.body.error!.message!, /olga has no e-mail address/);
      const app = await api.call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', active: false });
      assert.equal((await api.call('POST', `/api/v1/tokens/${app.body.id as string}/confirmation`)).status, 422);
      assert.equal((await api.call('POST', `/api/v1/tokens/${app.body.id as string}/confirm`, { otp: 'abc' })).status, 400, 'digits only');
    });

    it('confirms an authenticator with a code from its secret, without the PIN, and the code cannot confirm twice', async () => {
      const created = await api.call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', active: false, pin: '4321', pinPosition: 'before' });
      const id = created.body.id as string;
      const secret = new URL(created.body.otpauthUri as string).searchParams.get('secret')!;
      const code = totp(base32Decode(secret), clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 });
      const wrong = await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: code === '000000' ? '111111' : '000000' });
      assert.equal(wrong.body.error?.code, 'wrong_code');
      const ok = await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: code });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.active, true);
      assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: code })).body.error?.code, 'wrong_code', 'consumed');
    });

    it('another administrator cannot confirm a token outside its scope', async () => {
      const id = await newEmailToken('pia', 'pia@example.test');
      const resource = await adminCalls(api).resource({ name: 'Pia shop' });
      await adminCalls(api).pair(resource.id, (await api.call('GET', `/api/v1/tokens/${id}`)).body.userId as string, id);
      const other = await adminCalls(api).resource({ name: 'Other shop' });
      const ra = await api.call('POST', '/api/v1/admins', { name: 'ra', role: 'admin', resourceIds: [other.id] });
      const key = ra.body.apiKey as string;
      assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirmation`, undefined, key)).status, 404);
      assert.equal((await api.call('POST', `/api/v1/tokens/${id}/confirm`, { otp: '123456' }, key)).status, 404);
    });

    it('never logs or records a code', async () => {
      const events = JSON.stringify(await t.db.selectFrom('events').selectAll().execute());
      for (const code of codes) {
        assert.ok(!logLines.some((l) => l.includes(code)), `code ${code} in a log line`);
        assert.ok(!events.includes(`"${code}"`), `code ${code} in an event`);
      }
    });
  });
}
