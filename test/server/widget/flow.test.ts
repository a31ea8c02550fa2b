import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hotp, ocra, totp } from '../../../server/src/otp/index.js';
import { rfcSecret, rfcSecretBase32 } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { PASSWORD, PUBLIC_URL, SITE, decodeJwt, widgetHarness } from './helpers.js';

// Every way through the widget, end to end over HTTP: start → identify → (otp) → signed result.

const hotpCode = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

for (const mode of dbModes()) {
  describe(`widget flows (${mode})`, () => {
    let t: TestDb;
    let w: Awaited<ReturnType<typeof widgetHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      w = await widgetHarness(t);
    });
    after(() => t.close());

    it('password + TOTP: the result token carries exactly the claims of this transaction', async () => {
      const { resource, user, login } = await w.setup({ token: { type: 'totp', serialNumber: `TOTP-${mode}` } });
      const started = await w.start(resource.id, { nonce: 'site-nonce-1', instance: 'inst_A' });
      assert.equal(started.status, 200);
      assert.match(started.body.transaction!, /^[A-Za-z0-9_-]{22}$/, '128 random bits, base64url');
      assert.equal(started.body.password, true);
      assert.equal(new Date(started.body.expiresAt!).getTime(), w.clock.now.getTime() + 600_000, 'ten minutes');
      const tx = started.body.transaction!;

      const identified = await w.identify(tx, login.toUpperCase(), PASSWORD);
      assert.equal(identified.status, 200, JSON.stringify(identified.body));
      assert.deepEqual(identified.body, { step: 'otp', otp: { type: 'totp', digits: 6 } });

      const code = totp(rfcSecret, w.clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 });
      const done = await w.otp(tx, code);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.step, 'done');
      const { header, payload } = decodeJwt(done.body.token!);
      assert.equal(header.alg, 'ES256');
      assert.equal(typeof header.kid, 'string');
      const nowS = Math.floor(w.clock.now.getTime() / 1000);
      assert.equal(payload.iss, PUBLIC_URL);
      assert.equal(payload.aud, resource.id);
      assert.equal(payload.sub, user.id);
      assert.equal(payload.login, login, 'the stored login, not the spelling typed');
      assert.equal(payload.origin, SITE);
      assert.equal(payload.nonce, 'site-nonce-1');
      assert.deepEqual(payload.amr, ['pwd', 'otp']);
      assert.equal(payload.auth_time, nowS);
      assert.equal(payload.iat, nowS);
      assert.equal(payload.exp, nowS + 120);
      assert.equal(typeof payload.jti, 'string');

      // Single use: the finished transaction answers nothing more.
      const again = await w.otp(tx, code);
      assert.equal(again.status, 410);
      assert.equal(again.body.error?.code, 'transaction_expired');
      assert.equal((await w.identify(tx, login, PASSWORD)).status, 410);

      // The site's backend accepts it once, for this nonce.
      const basic = 'Basic ' + Buffer.from(`${resource.id}:${resource.secret}`).toString('base64');
      const verify = () =>
        w.api.request('/api/v1/verify', {
          method: 'POST',
          key: null,
          headers: { authorization: basic },
          json: { token: done.body.token, nonce: 'site-nonce-1' },
        });
      const first = (await (await verify()).json()) as { valid: boolean; sub?: string };
      assert.equal(first.valid, true);
      assert.equal(first.sub, user.id);
      assert.deepEqual(await (await verify()).json(), { valid: false, reason: 'replayed' });

      const row = await t.db.selectFrom('widget_transactions').selectAll().where('resourceId', '=', resource.id).executeTakeFirstOrThrow();
      assert.equal(row.state, 'done');
      assert.equal(row.nonce, 'site-nonce-1');
      assert.equal(row.instance, 'inst_A');
      assert.equal(row.idHash.length, 32, 'only the SHA-256 of the id is stored');
      assert.ok(!JSON.stringify(row).includes(tx), 'the id itself is nowhere in the row');
    });

    it('OTP only: no password is asked, the login and the code suffice', async () => {
      const { resource, login, user } = await w.setup({ resource: { authMethod: 'otp' } });
      const started = await w.start(resource.id);
      assert.equal(started.body.password, false);
      const tx = started.body.transaction!;
      assert.deepEqual((await w.identify(tx, login)).body, { step: 'otp', otp: { type: 'hotp', digits: 6 } });
      const done = await w.otp(tx, hotpCode(0));
      assert.equal(done.status, 200, JSON.stringify(done.body));
      const { payload } = decodeJwt(done.body.token!);
      assert.deepEqual(payload.amr, ['otp']);
      assert.equal(payload.sub, user.id);
    });

    it('password only: a user assigned to the resource is done after the password', async () => {
      const { resource, login } = await w.setup({ resource: { authMethod: 'password' }, token: null });
      const tx = await w.begin(resource.id);
      const done = await w.identify(tx, login, PASSWORD);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.equal(done.body.step, 'done');
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd']);
    });

    it('asks for the password when the resource needs one', async () => {
      const { resource, login } = await w.setup();
      const tx = await w.begin(resource.id);
      const res = await w.identify(tx, login);
      assert.equal(res.status, 400);
      assert.equal(res.body.error?.field, 'body.password');
      // That was no guess: the transaction still has all its attempts.
      assert.equal((await w.identify(tx, login, PASSWORD)).body.step, 'otp');
    });

    it('inactive token: password + OTP rests on the password alone; OTP-only refuses at the code', async () => {
      const both = await w.setup({ token: { active: false } });
      const done = await w.identify(await w.begin(both.resource.id), both.login, PASSWORD);
      assert.equal(done.body.step, 'done', JSON.stringify(done.body));
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd']);

      const only = await w.setup({ resource: { authMethod: 'otp' }, token: { active: false } });
      // The identify step of an OTP-only resource checks no secret, so it tells nothing: a decoy step.
      const tx = await w.begin(only.resource.id);
      assert.deepEqual((await w.identify(tx, only.login)).body, { step: 'otp', otp: { type: 'totp', digits: 6 } });
      const refused = await w.otp(tx, '123456');
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error?.code, 'wrong_credentials');
    });

    it('bypass: straight to the result, with amr bypass', async () => {
      const { resource, login, token } = await w.setup();
      await w.admin.call('POST', `/api/v1/tokens/${token!.id}/bypass`, { hours: 8 }, 200);
      const done = await w.identify(await w.begin(resource.id), login, PASSWORD);
      assert.equal(done.body.step, 'done', JSON.stringify(done.body));
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd', 'bypass']);
      const used = await t.db.selectFrom('events').select('reason').where('tokenId', '=', token!.id).where('type', '=', 'token.verify').execute();
      assert.deepEqual(
        used.map((e) => e.reason),
        ['bypass'],
        'the bypass use is recorded by the verifier',
      );
    });

    it('e-mail code: sent on identify, resend after 30 s only, the newest code signs in', async () => {
      const { resource, login, email } = await w.setup({ token: { kind: 'software', type: 'email', digits: 8 } });
      const outbox = w.delivery.outbox!;
      const codeIn = () => /sign-in code is (\d+)/.exec(outbox.latestFor(email)!.text)![1]!;
      const tx = await w.begin(resource.id);
      const identified = await w.identify(tx, login, PASSWORD);
      assert.deepEqual(identified.body, { step: 'otp', otp: { type: 'email', digits: 8, resendAfter: 30 } });
      const first = codeIn();
      assert.match(first, /^\d{8}$/);

      const early = await w.resend(tx);
      assert.equal(early.status, 429);
      assert.equal(early.body.error?.code, 'throttled');
      assert.ok(early.body.error!.details!.retryAfter! > 0 && early.body.error!.details!.retryAfter! <= 30);
      assert.equal(early.headers.get('retry-after'), String(early.body.error!.details!.retryAfter));

      w.clock.now = new Date(w.clock.now.getTime() + 31_000);
      const resent = await w.resend(tx);
      assert.deepEqual([resent.status, resent.body], [200, { resendAfter: 30 }]);
      const second = codeIn();
      if (first !== second) {
        const old = await w.otp(tx, first);
        assert.equal(old.body.error?.code, 'wrong_credentials', 'a resend replaces the previous code');
      }
      const done = await w.otp(tx, second);
      assert.equal(done.status, 200, JSON.stringify(done.body));
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd', 'otp']);
      assert.equal((await w.resend(tx)).status, 410, 'nothing to resend after the end');
    });

    it('e-mail code: a restarted widget within 30 s keeps the code already sent', async () => {
      const { resource, login, email } = await w.setup({ token: { kind: 'software', type: 'email' } });
      await w.identify(await w.begin(resource.id), login, PASSWORD);
      const sent = w.delivery.outbox!.latestFor(email)!.id;
      w.clock.now = new Date(w.clock.now.getTime() + 10_000);
      const tx = await w.begin(resource.id);
      const again = await w.identify(tx, login, PASSWORD);
      assert.equal(again.body.step, 'otp');
      assert.equal(again.body.otp!.resendAfter, 20);
      assert.equal(w.delivery.outbox!.latestFor(email)!.id, sent, 'no second message');
      const code = /sign-in code is (\d+)/.exec(w.delivery.outbox!.latestFor(email)!.text)![1]!;
      assert.equal((await w.otp(tx, code)).body.step, 'done');
    });

    it('OCRA: the challenge is shown, the device answer signs in', async () => {
      const suite = 'OCRA-1:HOTP-SHA1-6:QN08';
      const { resource, login } = await w.setup({ token: { type: 'ocra', ocraSuite: suite, serialNumber: `OCRA-${mode}`, secret: rfcSecretBase32 } });
      const tx = await w.begin(resource.id);
      const identified = await w.identify(tx, login, PASSWORD);
      assert.equal(identified.body.step, 'otp', JSON.stringify(identified.body));
      const step = identified.body.otp!;
      assert.equal(step.type, 'ocra');
      assert.equal(step.digits, 6);
      assert.match(step.challenge!, /^\d{8}$/);
      const done = await w.otp(tx, ocra(suite, rfcSecret, { question: step.challenge! }));
      assert.equal(done.body.step, 'done', JSON.stringify(done.body));
      assert.deepEqual(decodeJwt(done.body.token!).payload.amr, ['pwd', 'otp']);
    });

    it('a token with a PIN says so, and PIN + code signs in', async () => {
      const { resource, login } = await w.setup({ token: { pin: '4321' } });
      const tx = await w.begin(resource.id);
      assert.deepEqual((await w.identify(tx, login, PASSWORD)).body, { step: 'otp', otp: { type: 'hotp', digits: 6, pin: true } });
      const done = await w.otp(tx, `4321${hotpCode(0)}`);
      assert.equal(done.body.step, 'done', JSON.stringify(done.body));
    });
  });
}
