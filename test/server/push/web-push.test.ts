import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importJWK, jwtVerify } from 'jose';
import webpush from 'web-push';
import { subscriptionProof } from '../../../shared/push.js';
import { createLogger } from '../../../server/src/logger.js';
import { PUSH_SERVICE_HOSTS } from '../../../server/src/config.js';
import { createWebPushSender, pushServiceAllowed, useWebPush, webPushFor, type WebPushSender } from '../../../server/src/push/web-push.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls, authCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { testDevice, type TestDevice } from '../../helpers/push.js';
import { startPushService, subscriber, type PushService } from './push-service.js';

// Web Push of push challenges (issue 19, DESIGN §13 "Web Push when configured"): the device
// registers its subscription with a signature; a challenge that opens sends an encrypted,
// VAPID-signed message to a real HTTPS push service on 127.0.0.1, which checks the JWT and
// decrypts the body as the browser would. A push service that refuses, fails or is slow never
// touches the sign-in; one that says the subscription is gone makes the server forget it.

// The test's push service runs on 127.0.0.1: allowed here by VERIFRAME_WEB_PUSH_HOSTS, as an
// operator would allow a push service of their own.
const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@example.com', hosts: ['127.0.0.1'] };
const vapidEnv = {
  VERIFRAME_VAPID_PUBLIC_KEY: vapid.publicKey,
  VERIFRAME_VAPID_PRIVATE_KEY: vapid.privateKey,
  VERIFRAME_VAPID_SUBJECT: vapid.subject,
  VERIFRAME_WEB_PUSH_HOSTS: '127.0.0.1',
};

for (const mode of dbModes()) {
  describe(`Web Push (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let service: PushService;
    let sender: WebPushSender;
    const logLines: string[] = [];
    let admin: ReturnType<typeof adminCalls>;
    let auth: ReturnType<typeof authCalls>;
    let resource: { id: string; secret: string };
    const clock = { now: new Date('2026-12-05T12:00:00Z') };
    let n = 0;

    before(async () => {
      service = await startPushService();
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock.now, env: vapidEnv });
      // The sender the configuration made, with an agent that trusts the test's push service.
      sender = createWebPushSender({ db: t.db, vapid, log: createLogger('trace', { write: (l: string) => void logLines.push(l) }), agent: service.agent });
      useWebPush(t.db, sender);
      admin = adminCalls(api);
      resource = await admin.resource({ name: 'Push shop' });
      auth = authCalls(api, resource);
    });
    after(async () => {
      await t.close();
      await service.close();
    });
    const pending = (device: TestDevice) => pendingOf(api, device, clock.now.getTime());

    const put = async (json: unknown) => {
      const res = await api.request('/app/api/push/subscription', { method: 'PUT', json, key: null });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; field?: string } } };
    };

    async function subscription(device: TestDevice, sub: ReturnType<typeof subscriber>, at = clock.now.getTime()) {
      const serial = device.link.serial;
      const signature = await device.sign(subscriptionProof(serial, at, sub.endpoint, sub.p256dh, sub.auth));
      return { serial, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth, timestamp: String(at), signature };
    }

    /** A user with a registered push token whose device subscribed to Web Push. */
    async function subscribedUser(opts: { subscribe?: boolean } = {}) {
      const login = `webpush${++n}`;
      const user = await admin.user({ login, password: 'pw-pw-pw-pw' });
      const token = (await admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string; pushUri: string };
      const device = await testDevice(token.pushUri);
      const reg = await api.request('/app/api/push/register', { method: 'POST', json: await device.registration(), key: null });
      assert.equal(reg.status, 201);
      await admin.pair(resource.id, user.id, token.id);
      const sub = subscriber(service);
      if (opts.subscribe !== false) assert.equal((await put(await subscription(device, sub))).status, 200);
      return { login, user, token, device, sub };
    }

    async function prepared(login: string) {
      const r = await auth('prepare', { login, ip: '81.2.69.142', userAgent: 'Firefox/130' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const push = (r.body as { push?: { challenge: string } }).push;
      assert.ok(push, JSON.stringify(r.body));
      return push.challenge;
    }

    it('advertises the VAPID public key to the app', async () => {
      const res = await api.request('/app/api/push/web-push', { key: null });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { publicKey: vapid.publicKey });
    });

    it('sends an encrypted, VAPID-signed message naming the challenge and its resource when a challenge opens', async () => {
      const u = await subscribedUser();
      const arrived = service.next(u.sub.path);
      const challenge = await prepared(u.login);
      await sender.idle();
      const msg = await arrived;
      assert.equal(service.received.filter((r) => r.path === u.sub.path).length, 1);
      assert.equal(msg.headers['content-encoding'], 'aes128gcm');
      assert.equal(msg.headers.ttl, '120', 'the push service keeps it no longer than the challenge lives');
      assert.equal(msg.headers.urgency, 'high');
      // RFC 8292: "vapid t=<JWT>, k=<public key>", the JWT signed by the configured key for this push service.
      const m = /^vapid t=([^,\s]+), k=([A-Za-z0-9_-]+)$/.exec(String(msg.headers.authorization));
      assert.ok(m, String(msg.headers.authorization));
      assert.equal(m[2], vapid.publicKey);
      const raw = Buffer.from(vapid.publicKey, 'base64url');
      const key = await importJWK(
        { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
        'ES256',
      );
      const { payload, protectedHeader } = await jwtVerify(m[1]!, key, { audience: service.origin, subject: vapid.subject });
      assert.equal(protectedHeader.alg, 'ES256');
      assert.ok(typeof payload.exp === 'number' && payload.exp * 1000 > Date.now() && payload.exp * 1000 <= Date.now() + 24 * 3600_000 + 60_000);
      // Decrypted with the subscriber's own private key and auth secret (RFC 8291).
      const body = JSON.parse(u.sub.decrypt(msg.body)) as Record<string, unknown>;
      assert.deepEqual(body, { v: 1, challenge, resource: 'Push shop', purpose: 'login' });
      assert.ok(!JSON.stringify(body).includes(u.login), 'the push service is not told who signs in');
    });

    it('answers prepare without waiting for the push service', async () => {
      const u = await subscribedUser();
      let release!: (status: number) => void;
      service.answer.set(u.sub.path, () => new Promise<number>((resolve) => (release = resolve)));
      const arrived = service.next(u.sub.path);
      await prepared(u.login);
      // The push service holds its answer back; prepare has answered already.
      await arrived;
      release(201);
      await sender.idle();
      assert.equal(await subscriptionCount(t, u.token.id), 1);
    });

    for (const status of [404, 410]) {
      it(`forgets a subscription the push service calls gone (${status})`, async () => {
        const u = await subscribedUser();
        service.answer.set(u.sub.path, status);
        await prepared(u.login);
        await sender.idle();
        assert.equal(await subscriptionCount(t, u.token.id), 0);
        // The next challenge sends nothing, and still reaches the app by its stream's list.
        const before = service.received.length;
        const challenge = await prepared(u.login);
        await sender.idle();
        assert.equal(service.received.length, before);
        assert.ok((await pending(u.device)).includes(challenge));
      });
    }

    it('keeps the sign-in going when the push service fails, and logs it without the endpoint', async () => {
      const u = await subscribedUser();
      service.answer.set(u.sub.path, 500);
      const from = logLines.length;
      const challenge = await prepared(u.login);
      await sender.idle();
      assert.equal(await subscriptionCount(t, u.token.id), 1, 'a failure is not a reason to forget it');
      assert.ok((await pending(u.device)).includes(challenge), 'the app still hears of it');
      const logged = logLines.slice(from).join('\n');
      assert.match(logged, /web push: sending failed/);
      assert.ok(logged.includes(service.origin), 'the push service is named by its origin');
      for (const secret of [u.sub.path, u.sub.auth, u.sub.p256dh, vapid.privateKey]) assert.ok(!logged.includes(secret), 'no capability URL or key in the log');
      // The device answers as usual and the sign-in completes.
      const answered = await api.request(`/app/api/push/challenges/${challenge}/answer`, {
        method: 'POST',
        json: await u.device.answer(challenge, 'approve'),
        key: null,
      });
      assert.equal(answered.status, 200);
      const status = await auth('push-status', { login: u.login, challenge });
      assert.equal(status.body.result, true, JSON.stringify(status.body));
    });

    it('keeps the sign-in going when the push service cannot be reached', async () => {
      const u = await subscribedUser({ subscribe: false });
      const closed = await startPushService();
      const sub = subscriber(closed);
      await closed.close();
      assert.equal((await put(await subscription(u.device, sub))).status, 200);
      const from = logLines.length;
      const challenge = await prepared(u.login);
      await sender.idle();
      assert.match(logLines.slice(from).join('\n'), /web push: sending failed/);
      assert.ok((await pending(u.device)).includes(challenge));
    });

    it('takes a subscription only with the device signature over all of it', async () => {
      const a = await subscribedUser({ subscribe: false });
      const b = await subscribedUser({ subscribe: false });
      const sub = subscriber(service);
      const good = await subscription(a.device, sub);
      // Another device's key naming this token; a signature over another endpoint; a stale clock.
      const other = { ...(await subscription(b.device, sub)), serial: a.device.link.serial };
      const moved = { ...good, endpoint: `${service.origin}/push/elsewhere` };
      const stale = await subscription(a.device, sub, clock.now.getTime() - 6 * 60_000);
      const unknown = { ...good, serial: 'PUSH-000000000000' };
      for (const body of [other, moved, stale, unknown]) {
        const r = await put(body);
        assert.deepEqual([r.status, r.body.error?.code], [401, 'push_device_invalid']);
      }
      assert.equal(await subscriptionCount(t, a.token.id), 0);
      assert.equal((await put(good)).status, 200);
      assert.equal(await subscriptionCount(t, a.token.id), 1);
      // Registered again (the browser renewed it): the new one replaces the old.
      const renewed = subscriber(service);
      assert.equal((await put(await subscription(a.device, renewed))).status, 200);
      const row = await t.db.selectFrom('push_subscriptions').select('endpoint').where('tokenId', '=', a.token.id).execute();
      assert.deepEqual(row, [{ endpoint: renewed.endpoint }]);
    });

    it('refuses bad input with 400 and a code, never 500', async () => {
      const u = await subscribedUser({ subscribe: false });
      const sub = subscriber(service);
      const good = await subscription(u.device, sub);
      const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
      const cases: [unknown, string][] = [
        [{ ...good, endpoint: good.endpoint.replace('https:', 'http:') }, 'body.endpoint'],
        [{ ...good, endpoint: `https://${'a'.repeat(2050)}` }, 'body.endpoint'],
        [{ ...good, p256dh: Buffer.alloc(33, 2).toString('base64url') }, 'body.p256dh'],
        [{ ...good, auth: 'not base64url!' }, 'body.auth'],
        [{ ...good, timestamp: 'soon' }, 'body.timestamp'],
        [{ ...good, extra: 1 }, 'body'],
        [{ serial: good.serial }, 'body.endpoint'],
      ];
      for (const [body, field] of cases) {
        const r = await put(body);
        assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(r.body.error?.code, 'invalid_request');
        assert.ok(r.body.error?.field?.startsWith(field), `${r.body.error?.field} for ${field}`);
      }
      // A point that is not on the curve, signed properly: refused before it is stored.
      const signed = async (p256dh: string) => ({
        ...good,
        p256dh,
        signature: await u.device.sign(subscriptionProof(good.serial, Number(good.timestamp), good.endpoint, p256dh, good.auth)),
      });
      const r = await put(await signed(offCurve));
      assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [400, 'invalid_request', 'body.p256dh']);
      const malformed = await api.request('/app/api/push/subscription', {
        method: 'PUT',
        body: '{',
        headers: { 'content-type': 'application/json' },
        key: null,
      });
      assert.equal(malformed.status, 400);
      assert.equal(await subscriptionCount(t, u.token.id), 0);
    });

    it('takes endpoints only on the configured push service hosts, and sends to no other', async () => {
      const u = await subscribedUser({ subscribe: false });
      const signedFor = async (endpoint: string) => {
        const sub = { ...subscriber(service), endpoint };
        return subscription(u.device, sub);
      };
      // The server POSTs to what a device names: a host on the server's own network is refused.
      for (const endpoint of ['https://10.0.0.7/push/x', 'https://localhost/push/x', 'https://fcm.googleapis.com.evil.test/fcm/send/x']) {
        const r = await put(await signedFor(endpoint));
        assert.deepEqual([r.status, r.body.error?.code, r.body.error?.field], [400, 'push_service_not_allowed', 'body.endpoint'], endpoint);
      }
      assert.equal(await subscriptionCount(t, u.token.id), 0);

      // A subscription stored under an older list is not sent to.
      await t.db
        .insertInto('push_subscriptions')
        .values({ tokenId: u.token.id, endpoint: 'https://10.0.0.7/push/x', p256dh: Buffer.alloc(65, 4), auth: Buffer.alloc(16, 1), createdAt: clock.now })
        .execute();
      const before = service.received.length;
      await prepared(u.login);
      await sender.idle();
      assert.equal(service.received.length, before, 'nothing sent');
      assert.ok(logLines.some((l) => l.includes('not allowed')));

      assert.equal(pushServiceAllowed('https://fcm.googleapis.com/fcm/send/abc', PUSH_SERVICE_HOSTS), true);
      assert.equal(pushServiceAllowed('https://updates.push.services.mozilla.com/wpush/v2/abc', PUSH_SERVICE_HOSTS), true);
      assert.equal(pushServiceAllowed('https://web.push.apple.com/abc', PUSH_SERVICE_HOSTS), true);
      assert.equal(pushServiceAllowed('https://push.apple.com/abc', PUSH_SERVICE_HOSTS), false, '*. is for subdomains');
      assert.equal(pushServiceAllowed('https://evilpush.apple.com.example/abc', PUSH_SERVICE_HOSTS), false);
      assert.equal(pushServiceAllowed('http://fcm.googleapis.com/fcm/send/abc', PUSH_SERVICE_HOSTS), false);
    });

    it('drops the subscription when the token is enrolled again', async () => {
      const u = await subscribedUser();
      assert.equal(await subscriptionCount(t, u.token.id), 1);
      const reissued = await api.call('POST', `/api/v1/tokens/${u.token.id}/reissue`, {});
      assert.ok(reissued.status < 300, reissued.text);
      assert.equal(await subscriptionCount(t, u.token.id), 0);
    });
  });

  describe(`Web Push not configured (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let service: PushService;

    before(async () => {
      service = await startPushService();
      t = await openTestDb(mode);
      api = await createTestApp(t);
    });
    after(async () => {
      await t.close();
      await service.close();
    });

    it('advertises no key, refuses subscriptions with a code and sends nothing', async () => {
      assert.equal(webPushFor(t.db), undefined);
      const key = await api.request('/app/api/push/web-push', { key: null });
      assert.deepEqual(await key.json(), { publicKey: null });
      const admin = adminCalls(api);
      const resource = await admin.resource({ name: 'No push shop' });
      const user = await admin.user({ login: 'sse-only', password: 'pw-pw-pw-pw' });
      const token = (await admin.token({ kind: 'software', type: 'push' })) as unknown as { id: string; pushUri: string };
      const device = await testDevice(token.pushUri);
      assert.equal((await api.request('/app/api/push/register', { method: 'POST', json: await device.registration(), key: null })).status, 201);
      await admin.pair(resource.id, user.id, token.id);
      const sub = subscriber(service);
      const at = Date.now();
      const body = { serial: device.link.serial, endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth, timestamp: String(at) };
      const signature = await device.sign(subscriptionProof(body.serial, at, body.endpoint, body.p256dh, body.auth));
      const res = await api.request('/app/api/push/subscription', { method: 'PUT', json: { ...body, signature }, key: null });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'web_push_not_configured');
      // Even with a subscription in the table (say, from when it was configured), nothing is sent.
      await t.db
        .insertInto('push_subscriptions')
        .values({ tokenId: token.id, endpoint: sub.endpoint, p256dh: Buffer.from(sub.p256dh, 'base64url'), auth: Buffer.from(sub.auth, 'base64url') })
        .execute();
      const r = await authCalls(api, resource)('prepare', { login: 'sse-only' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(webPushFor(t.db), undefined, 'no sender: nothing can be under way');
      assert.equal(service.received.length, 0);
    });
  });
}

async function subscriptionCount(t: TestDb, tokenId: string): Promise<number> {
  const rows = await t.db.selectFrom('push_subscriptions').select('tokenId').where('tokenId', '=', tokenId).execute();
  return rows.length;
}

/** The ids of the device's pending challenges, as the app's stream lists them. */
async function pendingOf(api: TestApp, device: TestDevice, nowMs: number): Promise<string[]> {
  const res = await api.request(`/app/api/push/challenges?${await device.proof(nowMs)}`, { key: null });
  assert.equal(res.status, 200);
  return ((await res.json()) as { challenges: { id: string }[] }).challenges.map((c) => c.id);
}
