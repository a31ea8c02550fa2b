import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls, authCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { testDevice, type TestDevice } from '../../helpers/push.js';

// Push tokens over HTTP (issue 19, DESIGN §13): enrolment with the one-time secret, the app's
// signed calls, and the server-to-server API's prepare → push-status, on both databases.

for (const mode of dbModes()) {
  describe(`push tokens (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let admin: ReturnType<typeof adminCalls>;
    let auth: ReturnType<typeof authCalls>;
    let resource: { id: string; secret: string };
    const clock = { now: new Date('2026-12-05T12:00:00Z') };
    let n = 0;

    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock.now });
      admin = adminCalls(api);
      resource = await admin.resource({ name: 'Push shop' });
      auth = authCalls(api, resource);
    });
    after(async () => {
      await t.close();
    });

    const post = async (path: string, json: unknown) => {
      const res = await api.request(path, { method: 'POST', json, key: null });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const get = async (path: string) => {
      const res = await api.request(path, { key: null });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };

    /** A push token created by the admin API; its device not registered yet. */
    async function pushToken() {
      const token = await admin.token({ kind: 'software', type: 'push' });
      const created = token as unknown as { id: string; serialNumber: string; pushUri: string; qrSvg: string };
      return { ...created, device: await testDevice(created.pushUri) };
    }

    /** A user paired with a registered push token in the resource. */
    async function pushUser() {
      const login = `pushuser${++n}`;
      const user = await admin.user({ login, password: 'pw-pw-pw-pw' });
      const token = await pushToken();
      assert.equal((await post('/app/api/push/register', await token.device.registration())).status, 201);
      await admin.pair(resource.id, user.id, token.id);
      return { login, token, device: token.device };
    }

    async function prepared(login: string) {
      const r = await auth('prepare', { login, ip: '81.2.69.142', userAgent: 'Firefox/130' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const push = (r.body as { push?: { challenge: string; expiresAt: string } }).push;
      assert.ok(push, JSON.stringify(r.body));
      return push.challenge;
    }

    it('creates a push token with a vfpush:// enrolment link naming this server, and its QR code', async () => {
      const token = await pushToken();
      assert.match(token.serialNumber, /^PUSH-[0-9A-F]{12}$/);
      assert.equal(token.device.link.server, 'http://127.0.0.1:8787');
      assert.equal(token.device.link.serial, token.serialNumber);
      assert.equal(token.device.link.issuer, 'Veriframe');
      assert.match(token.qrSvg, /^<svg/);
      const pin = await api.call('POST', '/api/v1/tokens', { kind: 'software', type: 'push', pin: '1234' });
      assert.equal(pin.status, 422);
      const hardware = await api.call('POST', '/api/v1/tokens', { kind: 'hardware', type: 'push', serialNumber: 'HW-P1' });
      assert.equal(hardware.status, 422);
    });

    it('registers the device key once; a reused, wrong or expired secret and a bad proof are refused', async () => {
      const token = await pushToken();
      const body = await token.device.registration();
      // Signed by the same key, but not the enrolment proof.
      const forged = await post('/app/api/push/register', { ...body, signature: await token.device.sign('vfpush/enroll/v1\nsomething else') });
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error.code, 'push_signature_invalid');
      const badKey = await post('/app/api/push/register', { ...body, publicKey: 'AAAA' });
      assert.equal(badKey.status, 400);
      assert.equal(badKey.body.error.field, 'body.publicKey');
      const wrong = await post('/app/api/push/register', { ...body, secret: 'A'.repeat(43) });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 'push_enrolment_invalid');
      const ok = await post('/app/api/push/register', body);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.serial, token.serialNumber);
      const again = await post('/app/api/push/register', body);
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'push_enrolment_used');

      const late = await pushToken();
      clock.now = new Date(clock.now.getTime() + 10 * 60_000 + 1);
      const expired = await post('/app/api/push/register', await late.device.registration());
      assert.equal(expired.status, 410);
      assert.equal(expired.body.error.code, 'push_enrolment_expired');
      // A reissue opens a new enrolment; the old link stays dead.
      const reissued = await api.call('POST', `/api/v1/tokens/${late.id}/reissue`);
      assert.equal(reissued.status, 200, reissued.text);
      const fresh = await testDevice(String(reissued.body.pushUri));
      assert.equal((await post('/app/api/push/register', await fresh.registration())).status, 201);
      assert.equal((await post('/app/api/push/register', await late.device.registration())).status, 403);
    });

    it('an inactive push token is confirmed (activated) once its app registered', async () => {
      const created = (await admin.token({ kind: 'software', type: 'push', active: false })) as unknown as { id: string; pushUri: string };
      const early = await api.call('POST', `/api/v1/tokens/${created.id}/confirm`, {});
      assert.equal(early.status, 409);
      assert.equal(early.body.error?.code, 'push_enrolment_pending');
      const device = await testDevice(created.pushUri);
      assert.equal((await post('/app/api/push/register', await device.registration())).status, 201);
      const confirmed = await api.call('POST', `/api/v1/tokens/${created.id}/confirm`, {});
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(confirmed.body.active, true);
    });

    it('prepare asks the app with who/what/where; approval completes push-status exactly once', async () => {
      const u = await pushUser();
      const id = await prepared(u.login);
      const pending = await auth('push-status', { login: u.login, challenge: id });
      assert.equal(pending.body.result, false);
      assert.equal(pending.body.reason, 'push_pending');

      const list = await get(`/app/api/push/challenges?${await u.device.proof(clock.now.getTime())}`);
      assert.equal(list.status, 200, JSON.stringify(list.body));
      const seen = list.body.challenges.find((c: { id: string }) => c.id === id);
      assert.deepEqual(
        { resource: seen.resource, login: seen.login, ip: seen.ip, country: seen.country, userAgent: seen.userAgent, purpose: seen.purpose },
        { resource: 'Push shop', login: u.login, ip: '81.2.69.142', country: 'GB', userAgent: 'Firefox/130', purpose: 'login' },
      );

      // A signature by another key, or for the other decision, is refused.
      const stranger = await testDevice(u.token.pushUri);
      const forged = await post(`/app/api/push/challenges/${id}/answer`, await stranger.answer(id, 'approve'));
      assert.equal(forged.status, 403);
      assert.equal(forged.body.error.code, 'push_signature_invalid');
      const swapped = { ...(await u.device.answer(id, 'deny')), decision: 'approve' };
      assert.equal((await post(`/app/api/push/challenges/${id}/answer`, swapped)).status, 403);

      const approval = await u.device.answer(id, 'approve');
      const ok = await post(`/app/api/push/challenges/${id}/answer`, approval);
      assert.deepEqual(ok.body, { id, status: 'approved' });
      const replayed = await post(`/app/api/push/challenges/${id}/answer`, approval);
      assert.equal(replayed.status, 409);
      assert.equal(replayed.body.error.code, 'push_challenge_answered');

      const done = await auth('push-status', { login: u.login, challenge: id });
      assert.deepEqual(done.body, { result: true });
      const twice = await auth('push-status', { login: u.login, challenge: id });
      assert.equal(twice.body.result, false);
      assert.equal(twice.body.reason, 'invalid_credentials');
      // Another user's challenge id completes nothing.
      const other = await pushUser();
      const foreign = await auth('push-status', { login: other.login, challenge: await prepared(u.login) });
      assert.equal(foreign.body.reason, 'expired_challenge');
    });

    it('a denial fails push-status and counts as a failed attempt; an expired request cannot be answered', async () => {
      const u = await pushUser();
      const id = await prepared(u.login);
      assert.equal((await post(`/app/api/push/challenges/${id}/answer`, await u.device.answer(id, 'deny'))).body.status, 'denied');
      const denied = await auth('push-status', { login: u.login, challenge: id });
      assert.deepEqual(denied.body, { result: false, reason: 'push_denied' });
      const token = await api.call('GET', `/api/v1/tokens/${u.token.id}`);
      assert.equal(token.body.failedAttempts, 1);
      const events = await api.call('GET', `/api/v1/events?tokenId=${u.token.id}&type=auth.failure`);
      assert.equal((events.body.items as { reason: string }[])[0]?.reason, 'push_denied');

      const late = await prepared(u.login);
      clock.now = new Date(clock.now.getTime() + 2 * 60_000 + 1);
      const tooLate = await post(`/app/api/push/challenges/${late}/answer`, await u.device.answer(late, 'approve'));
      assert.equal(tooLate.status, 410);
      assert.equal(tooLate.body.error.code, 'push_challenge_expired');
      assert.equal((await auth('push-status', { login: u.login, challenge: late })).body.reason, 'expired_challenge');
    });

    it('transaction signing: the approval is bound to the data shown', async () => {
      const u = await pushUser();
      const r = await auth('sign-transaction', { login: u.login, data: 'Pay 100 EUR to ACME' });
      const id = (r.body as { push?: { challenge: string } }).push!.challenge;
      const list = await get(`/app/api/push/challenges?${await u.device.proof(clock.now.getTime())}`);
      assert.equal(list.body.challenges.find((c: { id: string }) => c.id === id).data, 'Pay 100 EUR to ACME');
      await post(`/app/api/push/challenges/${id}/answer`, await u.device.answer(id, 'approve'));
      assert.equal((await auth('push-status', { login: u.login, challenge: id })).body.reason, 'expired_challenge');
      assert.equal((await auth('push-status', { login: u.login, challenge: id, data: 'Pay 900 EUR to EVIL' })).body.reason, 'expired_challenge');
      assert.deepEqual((await auth('push-status', { login: u.login, challenge: id, data: 'Pay 100 EUR to ACME' })).body, { result: true });
    });

    it('the event stream needs a fresh signature of the device, and sends the pending requests', async () => {
      const u = await pushUser();
      const stale = await api.request(`/app/api/push/events?${await u.device.proof(clock.now.getTime() - 6 * 60_000)}`, { key: null });
      assert.equal(stale.status, 401);
      const other = await testDevice(u.token.pushUri);
      assert.equal((await api.request(`/app/api/push/events?${await other.proof(clock.now.getTime())}`, { key: null })).status, 401);
      const id = await prepared(u.login);
      const controller = new AbortController();
      const res = await api.request(`/app/api/push/events?${await u.device.proof(clock.now.getTime())}`, { key: null, signal: controller.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      controller.abort();
      assert.match(text, /^event: challenges\n/);
      const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
      assert.ok(data.challenges.some((c: { id: string }) => c.id === id));
    });

    it('a stream learns of a challenge another instance opened: it reads the database, not this process', async () => {
      const u = await pushUser();
      const controller = new AbortController();
      const res = await api.request(`/app/api/push/events?${await u.device.proof(clock.now.getTime())}`, { key: null, signal: controller.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffered = '';
      const nextEvent = async () => {
        while (!buffered.includes('\n\n')) buffered += decoder.decode((await reader.read()).value);
        const at = buffered.indexOf('\n\n');
        const event = buffered.slice(0, at);
        buffered = buffered.slice(at + 2);
        return JSON.parse(/data: (.*)/.exec(event)![1]!) as { challenges: { id: string; login: string }[] };
      };
      assert.deepEqual((await nextEvent()).challenges, []);
      // Written straight into the table, as another server process would: no signal reaches this one.
      const token = await t.db.selectFrom('tokens').select('id').where('serialNumber', '=', u.device.link.serial).executeTakeFirstOrThrow();
      const row = await t.db
        .insertInto('push_challenges')
        .values({
          tokenId: token.id,
          resourceId: resource.id,
          purpose: 'login',
          details: JSON.stringify({ resource: 'Push shop', login: u.login, ip: null, country: null, userAgent: null, data: null }),
          createdAt: clock.now,
          expiresAt: new Date(clock.now.getTime() + 60_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const seen = await nextEvent();
      await reader.cancel();
      controller.abort();
      assert.deepEqual(
        seen.challenges.map((c) => [c.id, c.login]),
        [[row.id, u.login]],
      );
    });
  });
}
