import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { base32Decode, hotp, totp } from '../../../server/src/otp/index.js';
import { rfcSecret } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { ALL_TOKEN, ALL_USER, PASSWORD, portalHarness } from './helpers.js';

const hw = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });

// Every action with the arguments it needs (all refused when not allowed, before anything else).
const calls: [string, string, string, unknown?][] = [
  ['token', 'enroll', 'token/enroll', { type: 'totp' }],
  ['token', 'enroll', 'token/enroll/confirm', { otp: '123456' }],
  ['token', 'reissue', 'token/reissue'],
  ['token', 'assignExisting', 'token/assign', { serialNumber: 'X', otp: '123456' }],
  ['token', 'unassign', 'token/unassign'],
  ['token', 'synchronize', 'token/sync', { otp1: '123456', otp2: '654321' }],
  ['token', 'setPin', 'token/pin', { pin: '1234' }],
  ['token', 'removePin', 'token/pin'],
  ['user', 'createPassword', 'user/password', { password: 'a new password' }],
  ['user', 'changePassword', 'user/password/change', { current: PASSWORD, password: 'a new password' }],
  ['user', 'changeEmail', 'user/email', { to: 'new@example.test' }],
  ['user', 'changePhone', 'user/phone', { to: '+4915112345678' }],
  ['user', 'changeLogin', 'user/login', { login: 'renamed' }],
  ['user', 'changeNames', 'user/names', { firstName: 'New' }],
];
const methodOf = (path: string, action: string) => (path === 'token/pin' ? (action === 'setPin' ? 'PUT' : 'DELETE') : 'POST');

for (const mode of dbModes()) {
  describe(`self-service actions (${mode})`, () => {
    let t: TestDb;
    let h: Awaited<ReturnType<typeof portalHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      h = await portalHarness(t);
    });
    after(() => t.close());

    const actorEvents = async (userId: string) =>
      (await t.db.selectFrom('events').select(['type', 'actor', 'details']).where('actor', '=', `user:${userId}`).orderBy('id').execute()).map((e) => e.type);

    it('refuses every action that is not allowed, even when called directly, and changes nothing', async () => {
      const { resource, address } = await h.portal({ enrollmentTypes: ['totp'] });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      for (const [, action, path, body] of calls) {
        const r = await b.call(methodOf(path, action), path, body);
        assert.equal(r.status, 403, `${path}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error?.code, 'action_not_allowed');
      }
      assert.deepEqual(await actorEvents(u.id), []);
      const me = await b.call('GET', 'me');
      assert.equal(me.body.user.login, u.login);
      assert.deepEqual(me.body.allowedActions.token.enroll, false);
    });

    it('allows exactly the one action switched on', async () => {
      const { resource, address } = await h.portal({ allowedActions: { user: { changeNames: true } } });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      assert.equal((await b.call('POST', 'user/names', { firstName: 'Ada', lastName: 'Lovelace' })).status, 200);
      assert.equal((await b.call('POST', 'user/login', { login: 'x-renamed' })).body.error?.code, 'action_not_allowed');
      const me = await b.call('GET', 'me');
      assert.equal(me.body.user.firstName, 'Ada');
      assert.deepEqual(await actorEvents(u.id), ['user.updated']);
      assert.equal((await b.call('POST', 'user/names', { firstName: 'A', x: 1 })).status, 400, 'unknown fields are refused');
    });

    it('enrols an authenticator token confirmed by a code from it, only of an allowed type', async () => {
      const { resource, address } = await h.portal({ allowedActions: { token: { enroll: true } }, enrollmentTypes: ['totp'] });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      assert.equal((await b.call('POST', 'token/enroll', { type: 'email' })).body.error?.code, 'action_not_allowed', 'type not allowed');
      const started = await b.call('POST', 'token/enroll', { type: 'totp' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.match(started.body.otpauthUri, /^otpauth:\/\/totp\//);
      assert.match(started.body.qrSvg, /^<svg/);
      assert.equal((await b.call('GET', 'me')).body.token, null, 'not assigned before the confirming code');
      assert.equal((await b.call('POST', 'token/enroll/confirm', { otp: '000000' })).body.error?.code, 'wrong_credentials');
      const secret = base32Decode(started.body.secret);
      const confirmed = await b.call('POST', 'token/enroll/confirm', {
        otp: totp(secret, h.clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 }),
      });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      const me = await b.call('GET', 'me');
      assert.equal(me.body.token.type, 'totp');
      assert.equal((await b.call('POST', 'token/enroll', { type: 'totp' })).body.error?.code, 'user_token_exists');
      const events = await actorEvents(u.id);
      for (const e of ['token.created', 'token.assigned', 'resource.user_token_assigned']) assert.ok(events.includes(e), `${e} in ${events}`);
      const created = await t.db.selectFrom('tokens').select('createdBy').where('id', '=', me.body.token.id).executeTakeFirstOrThrow();
      assert.equal(created.createdBy, null);
    });

    it('enrols an e-mail token confirmed by the e-mailed code, and removes an unconfirmed one when starting again', async () => {
      const { resource, address } = await h.portal({ allowedActions: { token: { enroll: true } }, enrollmentTypes: ['email', 'totp'] });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      const abandoned = await b.call('POST', 'token/enroll', { type: 'totp' });
      const started = await b.call('POST', 'token/enroll', { type: 'email' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(started.body.sentTo, `p…@example.test`);
      assert.equal(await t.db.selectFrom('tokens').select('id').where('id', '=', abandoned.body.tokenId).executeTakeFirst(), undefined);
      const code = /sign-in code is (\d+)/.exec(h.delivery.outbox!.latestFor(u.email!)!.text)![1]!;
      const confirmed = await b.call('POST', 'token/enroll/confirm', { otp: code });
      assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
      assert.equal((await b.call('GET', 'me')).body.token.type, 'email');
    });

    it('assigns a hardware token by serial and current code; unknown serial, foreign token and wrong code answer alike', async () => {
      const { resource, address } = await h.portal({
        allowedActions: { token: { assignExisting: true, unassign: true, setPin: true, removePin: true, synchronize: true } },
      });
      const u = await h.user(resource.id);
      const serial = `HW-${mode}-assign`;
      await h.admin.token({ kind: 'hardware', type: 'hotp', serialNumber: serial, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
      const owner = await h.user(null);
      const foreign = await h.admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `${serial}-2`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
      await h.admin.call('PUT', `/api/v1/tokens/${foreign.id}/user`, { userId: owner.id }, 200);
      const b = await h.signIn(address, u.login);
      const answers = [
        await b.call('POST', 'token/assign', { serialNumber: 'NO-SUCH', otp: hw(0) }),
        await b.call('POST', 'token/assign', { serialNumber: `${serial}-2`, otp: hw(0) }),
        await b.call('POST', 'token/assign', { serialNumber: serial, otp: '000000' }),
      ];
      for (const a of answers) assert.deepEqual(a.body, answers[0]!.body);
      assert.equal(answers[0]!.body.error?.code, 'wrong_credentials');
      const ok = await b.call('POST', 'token/assign', { serialNumber: serial, otp: hw(0) });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal((await b.call('PUT', 'token/pin', { pin: '4321' })).body.token.hasPin, true);
      assert.equal((await b.call('DELETE', 'token/pin')).body.token.hasPin, false);
      const synced = await b.call('POST', 'token/sync', { otp1: hw(5), otp2: hw(6) });
      assert.equal(synced.status, 200, JSON.stringify(synced.body));
      assert.equal((await b.call('POST', 'token/unassign')).status, 200);
      assert.equal((await b.call('GET', 'me')).body.token, null);
      assert.equal((await b.call('PUT', 'token/pin', { pin: '4321' })).body.error?.code, 'token_not_found');
      const events = await actorEvents(u.id);
      for (const e of ['token.assigned', 'resource.user_token_assigned', 'token.updated', 'token.synced', 'resource.user_token_unassigned'])
        assert.ok(events.includes(e), `${e} in ${events}`);
    });

    it('reissues the authenticator token and shows the new secret', async () => {
      const { resource, address } = await h.portal({ allowedActions: { token: { enroll: true, reissue: true } }, enrollmentTypes: ['totp'] });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      const started = await b.call('POST', 'token/enroll', { type: 'totp' });
      const first = base32Decode(started.body.secret);
      await b.call('POST', 'token/enroll/confirm', { otp: totp(first, h.clock.now.getTime(), { algorithm: 'SHA1', digits: 6, period: 30 }) });
      const r = await b.call('POST', 'token/reissue');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.notEqual(r.body.secret, started.body.secret);
      assert.ok((await actorEvents(u.id)).includes('token.reissued'));
    });

    it('creates a password once, and changes it only with the current one', async () => {
      const { resource, address } = await h.portal({ allowedActions: { user: { createPassword: true, changePassword: true } } });
      const u = await h.user(resource.id, { password: undefined });
      const b = h.browser(address);
      await b.call('POST', 'sign-in', { login: u.login });
      await b.call('POST', 'code', { code: h.codeFor(u.email!) });
      assert.equal((await b.call('POST', 'user/password', { password: 'short' })).status, 400);
      assert.equal((await b.call('POST', 'user/password', { password: PASSWORD })).status, 200);
      assert.equal((await b.call('POST', 'user/password', { password: PASSWORD })).body.error?.code, 'conflict', 'only once');
      assert.equal(
        (await b.call('POST', 'user/password/change', { current: 'not it at all', password: 'another password' })).body.error?.code,
        'wrong_credentials',
      );
      assert.equal((await b.call('POST', 'user/password/change', { current: PASSWORD, password: 'another password' })).status, 200);
      const again = h.browser(address);
      await again.call('POST', 'sign-in', { login: u.login });
      assert.equal((await again.call('POST', 'password', { password: 'another password' })).body.step, 'done');
      const events = await t.db.selectFrom('events').selectAll().where('actor', '=', `user:${u.id}`).execute();
      assert.ok(!JSON.stringify(events).includes('another password'), 'no password in events');
      assert.deepEqual(events.filter((e) => e.type === 'user.password_changed').length, 2);
    });

    it('changes e-mail and phone only after a code sent to the new address', async () => {
      const { resource, address } = await h.portal({ allowedActions: { user: ALL_USER } });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      const started = await b.call('POST', 'user/email', { to: 'fresh@example.test' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal((await b.call('GET', 'me')).body.user.email, u.email, 'unchanged before the code');
      const code = /code is (\d{6})\./.exec(h.delivery.outbox!.latestFor('fresh@example.test')!.text)![1]!;
      assert.equal((await b.call('POST', 'user/phone/confirm', { code })).body.error?.code, 'code_expired', 'a code is for its purpose only');
      assert.equal((await b.call('POST', 'user/email/confirm', { code })).status, 200);
      assert.equal((await b.call('GET', 'me')).body.user.email, 'fresh@example.test');
      assert.equal((await b.call('POST', 'user/email/confirm', { code })).body.error?.code, 'code_expired', 'single use');
      await b.call('POST', 'user/phone', { to: '+4915112345678' });
      const sms = /code is (\d{6})\./.exec(h.delivery.outbox!.latestFor('+4915112345678')!.text)![1]!;
      assert.equal((await b.call('POST', 'user/phone/confirm', { code: sms })).status, 200);
      assert.equal((await b.call('GET', 'me')).body.user.phone, '+4915112345678');
      assert.equal((await b.call('POST', 'user/login', { login: `${u.login}-new` })).status, 200);
      assert.equal((await b.call('GET', 'me')).body.user.login, `${u.login}-new`);
      const other = await h.user(null);
      assert.equal((await b.call('POST', 'user/login', { login: other.login })).body.error?.code, 'login_taken');
    });

    it('acts only on the signed-in user and their token in this resource', async () => {
      const { resource, address } = await h.portal({ allowedActions: { token: ALL_TOKEN, user: ALL_USER }, enrollmentTypes: ['totp'] });
      const u = await h.user(resource.id);
      const v = await h.user(resource.id);
      const token = await h.admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `HW-${mode}-v`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
      await h.admin.pair(resource.id, v.id, token.id);
      const b = await h.signIn(address, u.login);
      assert.equal((await b.call('POST', 'token/unassign')).body.error?.code, 'token_not_found');
      assert.equal((await b.call('PUT', 'token/pin', { pin: '1234' })).body.error?.code, 'token_not_found');
      const vToken = await t.db.selectFrom('tokens').select('pinHash').where('id', '=', token.id).executeTakeFirstOrThrow();
      assert.equal(vToken.pinHash, null);
      // An administrator unassigning or deactivating the user ends what the session may do.
      const w = await h.signIn(address, v.login, () => hotp(rfcSecret, 0, { algorithm: 'SHA1', digits: 6 }));
      assert.equal((await w.call('GET', 'me')).status, 200);
      await h.admin.call('DELETE', `/api/v1/resources/${resource.id}/users/${v.id}/token`, undefined, 204);
      await h.admin.call('DELETE', `/api/v1/resources/${resource.id}/users/${v.id}`, undefined, 204);
      assert.equal((await w.call('GET', 'me')).body.error?.code, 'session_required');
      await h.admin.call('PATCH', `/api/v1/users/${u.id}`, { active: false }, 200);
      assert.equal((await b.call('POST', 'user/names', { firstName: 'X' })).body.error?.code, 'session_required');
    });
  });

  describe(`self-service enrolment within the token quota (${mode})`, () => {
    let t: TestDb;
    let h: Awaited<ReturnType<typeof portalHarness>>;
    before(async () => {
      t = await openTestDb(mode);
      h = await portalHarness(t, { VERIFRAME_TOKEN_QUOTA: '1' });
    });
    after(() => t.close());

    it('refuses to enrol past VERIFRAME_TOKEN_QUOTA', async () => {
      const { resource, address } = await h.portal({ allowedActions: { token: { enroll: true } }, enrollmentTypes: ['totp'] });
      await h.admin.token({ kind: 'hardware', type: 'hotp', serialNumber: `Q-${mode}`, secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });
      const u = await h.user(resource.id);
      const b = await h.signIn(address, u.login);
      assert.equal((await b.call('POST', 'token/enroll', { type: 'totp' })).body.error?.code, 'token_quota_exceeded');
    });
  });
}
