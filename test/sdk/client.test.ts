import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hotp, ocra } from '../../server/src/otp/index.js';
import { createAdminClient, createAuthClient, isVeriframeError, type AuthClient } from '../../sdk/src/index.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/app.js';
import { rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { testDevice } from '../helpers/push.js';

// The SDK's clients against a real server on a socket: every call of the authentication API
// (DESIGN §5), the admin API through the generated types, and the error values.

const code = (counter: number) => hotp(rfcSecret, counter, { algorithm: 'SHA1', digits: 6 });
const SUITE = 'OCRA-1:HOTP-SHA1-6:QN08';

for (const mode of dbModes()) {
  describe(`SDK clients against a server (${mode})`, () => {
    let t: TestDb;
    let srv: ListeningTestApp;
    let admin: ReturnType<typeof createAdminClient>;
    const clock = { now: new Date('2026-11-28T12:00:00Z') };
    let serial = 0;
    before(async () => {
      t = await openTestDb(mode);
      srv = await listenTestApp(t, { now: () => clock.now });
      admin = createAdminClient({ baseUrl: srv.url, apiKey: srv.api.adminKey });
    });
    after(async () => {
      srv.server.close();
      await t.close();
    });

    /** Through the SDK's admin client: a resource, a user with a password, a paired token. */
    async function setup(token: { type: 'hotp' | 'ocra'; ocraSuite?: string } = { type: 'hotp' }) {
      const n = ++serial;
      const resource = await admin.POST('/api/v1/resources', { body: { name: `SDK ${mode} ${n}` } });
      assert.equal(resource.response.status, 201, JSON.stringify(resource.error));
      const { id, secret } = resource.data!;
      assert.ok(secret);
      const login = `sdk${n}`;
      const user = await admin.POST('/api/v1/users', { body: { login, password: 'correct horse' } });
      assert.equal(user.response.status, 201, JSON.stringify(user.error));
      const tok = await admin.POST('/api/v1/tokens', { body: { kind: 'hardware', serialNumber: `SDK-${mode}-${n}`, secret: rfcSecretBase32, ...token } });
      assert.equal(tok.response.status, 201, JSON.stringify(tok.error));
      const tokenId = tok.data!.id;
      assert.equal((await admin.PUT('/api/v1/tokens/{id}/user', { params: { path: { id: tokenId } }, body: { userId: user.data!.id } })).response.status, 200);
      assert.equal(
        (await admin.PUT('/api/v1/resources/{id}/users/{userId}/token', { params: { path: { id, userId: user.data!.id } }, body: { tokenId } })).response
          .status,
        204,
      );
      const auth = createAuthClient({ baseUrl: srv.url, resource: { id, secret } });
      return { id, secret, login, tokenId, userId: user.data!.id, auth };
    }

    const answer = async (p: ReturnType<AuthClient['token']>) => {
      const r = await p;
      assert.ok(r.ok, JSON.stringify(r));
      return r.data;
    };

    it('token, password, user-token and user-password-token answer result and reason', async () => {
      const s = await setup();
      assert.deepEqual(await answer(s.auth.userToken({ login: s.login, otp: code(0) })), { result: true });
      assert.deepEqual(await answer(s.auth.userPasswordToken({ login: s.login, password: 'correct horse', otp: code(1) })), { result: true });
      assert.deepEqual(await answer(s.auth.password({ login: s.login, password: 'correct horse' })), { result: true });
      assert.deepEqual(await answer(s.auth.token({ tokenId: s.tokenId, otp: code(2), ip: '192.0.2.1', userAgent: 'sdk-test' })), { result: true });
      assert.deepEqual(await answer(s.auth.password({ login: s.login, password: 'wrong horse' })), { result: false, reason: 'invalid_credentials' });
      assert.deepEqual(await answer(s.auth.userPasswordToken({ login: s.login, password: 'correct horse' })), { result: false, reason: 'otp_required' });
    });

    it('prepare gives an OCRA challenge; sign-transaction and verify-signed-transaction bind the data', async () => {
      const s = await setup({ type: 'ocra', ocraSuite: SUITE });
      const prepared = await answer(s.auth.prepare({ login: s.login }));
      assert.equal(prepared.result, true);
      assert.match(prepared.challenge!, /^\d{8}$/);
      assert.deepEqual(await answer(s.auth.userToken({ login: s.login, otp: ocra(SUITE, rfcSecret, { question: prepared.challenge! }) })), { result: true });

      const data = 'pay 100.00 EUR to DE02120300000000202051';
      const signed = await answer(s.auth.signTransaction({ login: s.login, data }));
      assert.equal(signed.result, true);
      const otp = ocra(SUITE, rfcSecret, { question: signed.challenge! });
      assert.deepEqual(await answer(s.auth.verifySignedTransaction({ login: s.login, data: data.replace('100', '900'), otp })), {
        result: false,
        reason: 'invalid_credentials',
      });
      assert.deepEqual(await answer(s.auth.verifySignedTransaction({ login: s.login, data, otp })), { result: true });
    });

    it("prepare asks a push token's app; pushStatus waits, then completes once approved", async () => {
      const s = await setup();
      const push = await admin.POST('/api/v1/tokens', { body: { kind: 'software', type: 'push' } });
      assert.equal(push.response.status, 201, JSON.stringify(push.error));
      const device = await testDevice(push.data!.pushUri!);
      const post = (path: string, body: unknown) =>
        fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal((await post('/app/api/push/register', await device.registration())).status, 201);
      const pushId = push.data!.id;
      const byUser = { params: { path: { id: s.id, userId: s.userId } } };
      assert.equal((await admin.DELETE('/api/v1/resources/{id}/users/{userId}/token', byUser)).response.status, 204);
      assert.equal((await admin.PUT('/api/v1/tokens/{id}/user', { params: { path: { id: pushId } }, body: { userId: s.userId } })).response.status, 200);
      assert.equal((await admin.PUT('/api/v1/resources/{id}/users/{userId}/token', { ...byUser, body: { tokenId: pushId } })).response.status, 204);

      const prepared = await answer(s.auth.prepare({ login: s.login }));
      assert.equal(prepared.result, true);
      const challenge = prepared.push!.challenge;
      assert.deepEqual(await answer(s.auth.pushStatus({ login: s.login, challenge })), { result: false, reason: 'push_pending' });
      assert.equal((await post(`/app/api/push/challenges/${challenge}/answer`, await device.answer(challenge, 'approve'))).status, 200);
      assert.deepEqual(await answer(s.auth.pushStatus({ login: s.login, challenge })), { result: true });
    });

    it('answers errors as values with the server codes; 429 keeps its result body', async () => {
      const s = await setup();
      const wrongSecret = createAuthClient({ baseUrl: srv.url, resource: { id: s.id, secret: 'vfs_wrong' } });
      const refused = await wrongSecret.password({ login: s.login, password: 'correct horse' });
      assert.equal(refused.ok, false);
      assert.ok(!refused.ok && refused.error.status === 401 && refused.error.code === 'invalid_resource_credentials', JSON.stringify(refused));

      const bad = await s.auth.userToken({ login: s.login, otp: 'not digits' });
      assert.ok(!bad.ok, JSON.stringify(bad));
      assert.equal(bad.error.status, 400);
      assert.equal(bad.error.code, 'invalid_request');
      assert.equal(bad.error.field, 'body.otp');

      // The per-IP throttle (30 failures in 5 minutes by default).
      let last: Awaited<ReturnType<AuthClient['password']>> | undefined;
      for (let i = 0; i < 31; i++) last = await s.auth.password({ login: s.login, password: 'wrong', ip: '203.0.113.9' });
      assert.ok(last?.ok, JSON.stringify(last));
      assert.equal(last.data.reason, 'throttled');
      assert.ok((last.data.retryAfter ?? 0) > 0);

      const missing = await admin.GET('/api/v1/tokens/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
      assert.equal(missing.response.status, 404);
      assert.equal(missing.error?.error.code, 'token_not_found');
    });

    it('reads, changes and deletes through the typed admin client', async () => {
      const s = await setup();
      const token = await admin.GET('/api/v1/tokens/{id}', { params: { path: { id: s.tokenId } } });
      assert.equal(token.data?.userId, s.userId);
      const users = await admin.GET('/api/v1/users', { params: { query: { search: s.login, limit: 10 } } });
      assert.deepEqual(
        users.data?.items.map((u) => u.login),
        [s.login],
      );
      assert.equal((await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: s.userId } }, body: { active: false } })).data?.active, false);
      assert.equal((await admin.POST('/api/v1/tokens/{id}/check', { params: { path: { id: s.tokenId } }, body: { otp: code(0) } })).response.status, 200);
      const rotated = await admin.POST('/api/v1/resources/{id}/secret', { params: { path: { id: s.id } } });
      assert.match(rotated.data?.secret ?? '', /^vfs_/);
      assert.equal((await admin.DELETE('/api/v1/users/{id}', { params: { path: { id: s.userId } } })).response.status, 204);
      assert.equal((await admin.GET('/api/v1/users/{id}', { params: { path: { id: s.userId } } })).error?.error.code, 'user_not_found');
      const noKey = createAdminClient({ baseUrl: srv.url, apiKey: 'vf_wrong' });
      assert.equal((await noKey.GET('/api/v1/tokens')).error?.error.code, 'invalid_api_key');
    });
  });
}

describe('SDK transport', () => {
  const url = 'http://veriframe.invalid';
  // A server that never answers. The interval stands for the open socket a real request holds:
  // AbortSignal.timeout alone does not keep the event loop alive.
  const never = (req: Request) =>
    new Promise<Response>((_, reject) => {
      const socket = setInterval(() => undefined, 1000);
      req.signal.addEventListener('abort', () => (clearInterval(socket), reject(req.signal.reason)), { once: true });
    });

  it('gives up after the timeout with a typed error, and never retries a POST', async () => {
    let calls = 0;
    const auth = createAuthClient({
      baseUrl: url,
      resource: { id: 'r', secret: 's' },
      timeoutMs: 5,
      retries: 3,
      retryDelayMs: 0,
      fetch: (req) => (calls++, never(req)),
    });
    const r = await auth.password({ login: 'a', password: 'b' });
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'timeout');
    assert.equal(r.error.status, 0);
    assert.equal(calls, 1, 'an authentication is not idempotent');
  });

  it('retries an idempotent GET after a network error or a 503, then answers', async () => {
    const seen: string[] = [];
    const answers = [
      () => Promise.reject(new TypeError('fetch failed')),
      () => Promise.resolve(new Response('{}', { status: 503 })),
      () => Promise.resolve(Response.json({ items: [], total: 0 })),
    ];
    const admin = createAdminClient({
      baseUrl: url,
      apiKey: 'k',
      retries: 2,
      retryDelayMs: 0,
      fetch: (req) => (seen.push(req.headers.get('authorization')!), answers[seen.length - 1]!()),
    });
    const r = await admin.GET('/api/v1/users');
    assert.deepEqual(r.data, { items: [], total: 0 });
    assert.deepEqual(seen, ['Bearer k', 'Bearer k', 'Bearer k']);
  });

  it('sends the body of a retried PUT every time', async () => {
    const bodies: string[] = [];
    const admin = createAdminClient({
      baseUrl: url,
      apiKey: 'k',
      retryDelayMs: 0,
      fetch: async (req) => (bodies.push(await req.text()), bodies.length === 1 ? new Response(null, { status: 502 }) : new Response(null, { status: 204 })),
    });
    const r = await admin.PUT('/api/v1/resources/{id}/users/{userId}/token', { params: { path: { id: 'r', userId: 'u' } }, body: { tokenId: 't' } });
    assert.equal(r.response.status, 204);
    assert.deepEqual(bodies, ['{"tokenId":"t"}', '{"tokenId":"t"}']);
  });

  it('rejects the admin client with a VeriframeError when the server cannot be reached', async () => {
    const admin = createAdminClient({ baseUrl: url, apiKey: 'k', retries: 1, retryDelayMs: 0, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await assert.rejects(admin.GET('/api/v1/users'), (err) => isVeriframeError(err) && err.code === 'network_error');
  });
});
