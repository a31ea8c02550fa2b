import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertAdmin } from '../../../server/src/admins/repository.js';
import { createApiKey } from '../../../server/src/admins/keys-service.js';
import { hotp } from '../../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

const base32Secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const rfcSecret = Buffer.from('12345678901234567890');
const opts = { algorithm: 'SHA1' as const, digits: 6 as const };

type Json = Record<string, unknown> & { error?: { code: string; field?: string } };

for (const mode of dbModes()) {
  describe(`token API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
    });
    after(() => t.close());

    const call = (method: string, path: string, json?: unknown, key?: string) => api.call(method, path, json, key);
    const hardware = async (serialNumber: string, extra: Record<string, unknown> = {}) => {
      const res = await call('POST', '/api/v1/tokens', { kind: 'hardware', type: 'hotp', serialNumber, secret: base32Secret, ...extra });
      assert.equal(res.status, 201, res.text);
      return res.body.id as string;
    };

    it('creates a software TOTP token and shows its URI and QR code exactly once', async () => {
      const res = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', name: 'Phone', algorithm: 'SHA256', digits: 8 });
      assert.equal(res.status, 201);
      const uri = new URL(res.body.otpauthUri as string);
      assert.equal(uri.protocol, 'otpauth:');
      assert.equal(uri.searchParams.get('algorithm'), 'SHA256');
      assert.equal(uri.searchParams.get('digits'), '8');
      assert.equal(uri.searchParams.get('secret')!.length, 52, '256-bit secret for SHA256');
      assert.match(res.body.qrSvg as string, /^<svg[\s\S]*<\/svg>$/);
      const secret = uri.searchParams.get('secret')!;
      const id = res.body.id as string;
      for (const later of [
        await call('GET', `/api/v1/tokens/${id}`),
        await call('GET', '/api/v1/tokens'),
        await call('PATCH', `/api/v1/tokens/${id}`, { name: 'Phone 2' }),
        await call('POST', `/api/v1/tokens/${id}/unlock`),
        await call('POST', `/api/v1/tokens/${id}/bypass`, { hours: 8 }),
        await call('GET', `/api/v1/tokens/${id}/events`),
      ]) {
        assert.ok(later.status < 300, later.text);
        assert.ok(!later.text.includes(secret), 'no later response contains the secret');
        assert.ok(!later.text.includes('otpauth'), 'no later response contains the URI');
      }
    });

    it('generates 160/512-bit secrets for SHA1/SHA512 and no URI for hardware tokens', async () => {
      const sha1 = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'hotp' });
      assert.equal(new URL(sha1.body.otpauthUri as string).searchParams.get('secret')!.length, 32);
      const sha512 = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp', algorithm: 'SHA512' });
      assert.equal(new URL(sha512.body.otpauthUri as string).searchParams.get('secret')!.length, 103);
      const hw = await call('POST', '/api/v1/tokens', { kind: 'hardware', type: 'totp', serialNumber: 'HW-URI', secret: base32Secret });
      assert.equal(hw.body.otpauthUri, undefined);
      assert.ok(!hw.text.includes(base32Secret));
    });

    it('refuses settings that do not go together, with the field named', async () => {
      const cases: [Record<string, unknown>, number, string, string?][] = [
        [{ kind: 'hardware', type: 'totp', serialNumber: 'X1' }, 422, 'invalid_token_settings', 'body.secret'],
        [{ kind: 'hardware', type: 'totp', serialNumber: 'X2', secret: 'GEZDGNBVGY3TQOJQ' }, 422, 'invalid_secret', 'secret'],
        [{ kind: 'hardware', type: 'totp', serialNumber: 'X3', secret: 'not base32!' }, 422, 'invalid_secret', 'secret'],
        [{ kind: 'software', type: 'totp', secret: base32Secret }, 422, 'invalid_token_settings', 'body.secret'],
        [{ kind: 'hardware', type: 'email', serialNumber: 'X4', secret: base32Secret }, 422, 'invalid_token_settings', 'body.type'],
        [
          { kind: 'hardware', type: 'ocra', serialNumber: 'X5', secret: base32Secret, ocraSuite: 'OCRA-1:HOTP-MD5-6:QN08' },
          422,
          'invalid_token_settings',
          'body.ocraSuite',
        ],
        [{ kind: 'hardware', type: 'totp', secret: base32Secret }, 422, 'invalid_token_settings', 'body.serialNumber'],
        [{ kind: 'software', type: 'totp', digits: 7 }, 400, 'invalid_request', 'body.digits'],
        [{ kind: 'software', type: 'totp', pin: '12' }, 400, 'invalid_request', 'body.pin'],
        [{ kind: 'usb', type: 'totp' }, 400, 'invalid_request', 'body.kind'],
      ];
      for (const [body, status, code, field] of cases) {
        const res = await call('POST', '/api/v1/tokens', body);
        assert.equal(res.status, status, `${JSON.stringify(body)} → ${res.text}`);
        assert.equal(res.body.error?.code, code);
        if (field) assert.equal(res.body.error?.field, field);
      }
    });

    it('creates OCRA and e-mail tokens', async () => {
      const ocra = await call('POST', '/api/v1/tokens', {
        kind: 'hardware',
        type: 'ocra',
        serialNumber: 'OCRA-1',
        secret: base32Secret,
        ocraSuite: 'OCRA-1:HOTP-SHA1-6:QN08',
      });
      assert.equal(ocra.status, 201, ocra.text);
      assert.equal(ocra.body.ocraSuite, 'OCRA-1:HOTP-SHA1-6:QN08');
      const mail = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'email', digits: 8 });
      assert.equal(mail.status, 201, mail.text);
      assert.equal(mail.body.otpauthUri, undefined);
    });

    it('refuses a second token with the same serial number', async () => {
      await hardware('DUP-1');
      const res = await call('POST', '/api/v1/tokens', { kind: 'hardware', type: 'hotp', serialNumber: 'DUP-1', secret: base32Secret });
      assert.equal(res.status, 409);
      assert.equal(res.body.error?.code, 'serial_number_taken');
    });

    it('checks a code without consuming it', async () => {
      const id = await hardware('CHECK-1');
      const code = hotp(rfcSecret, 0, opts);
      for (let i = 0; i < 2; i++) assert.deepEqual((await call('POST', `/api/v1/tokens/${id}/check`, { otp: code })).body, { valid: true });
      assert.deepEqual((await call('POST', `/api/v1/tokens/${id}/check`, { otp: '000000' })).body, { valid: false });
      const token = (await call('GET', `/api/v1/tokens/${id}`)).body;
      assert.equal(token.failedAttempts, 0);
    });

    it('patches name, active and PIN; OTP length only where the type allows', async () => {
      const id = await hardware('PATCH-1');
      const res = await call('PATCH', `/api/v1/tokens/${id}`, { name: 'Desk fob', active: false, pin: '4321', pinPosition: 'after' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.name, 'Desk fob');
      assert.equal(res.body.active, false);
      assert.equal(res.body.hasPin, true);
      assert.equal(res.body.pinPosition, 'after');
      assert.ok(!res.text.includes('4321'));
      const digits = await call('PATCH', `/api/v1/tokens/${id}`, { digits: 8 });
      assert.equal(digits.status, 422);
      assert.equal(digits.body.error?.code, 'not_supported_for_token');
      const soft = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp' });
      assert.equal((await call('PATCH', `/api/v1/tokens/${soft.body.id}`, { digits: 8 })).body.digits, 8);
      assert.equal((await call('PATCH', `/api/v1/tokens/${id}`, { pin: null })).body.hasPin, false);
      const events = (await call('GET', `/api/v1/tokens/${id}/events`)).body.items as { type: string }[];
      assert.ok(events.some((e) => e.type === 'token.deactivated'));
    });

    it('lists with search, paging and a total', async () => {
      for (const sn of ['LIST-A1', 'LIST-A2', 'LIST-B1']) await hardware(sn);
      const page = await call('GET', '/api/v1/tokens?search=list-a&start=0&limit=1');
      assert.equal(page.body.total, 2);
      assert.equal((page.body.items as unknown[]).length, 1);
      const second = await call('GET', '/api/v1/tokens?search=LIST-A&start=1&limit=1');
      assert.notEqual((second.body.items as { id: string }[])[0]!.id, (page.body.items as { id: string }[])[0]!.id);
      assert.equal((await call('GET', '/api/v1/tokens?search=50%25_x')).body.total, 0, 'LIKE wildcards are literal');
      assert.equal((await call('GET', '/api/v1/tokens?limit=501')).status, 400);
    });

    it('links a token to one user and unlinks it', async () => {
      const id = await hardware('OWNER-1');
      const alice = await t.db.insertInto('users').values({ login: 'alice-owner' }).returning('id').executeTakeFirstOrThrow();
      const bob = await t.db.insertInto('users').values({ login: 'bob-owner' }).returning('id').executeTakeFirstOrThrow();
      assert.equal((await call('PUT', `/api/v1/tokens/${id}/user`, { userId: alice.id })).body.userId, alice.id);
      const taken = await call('PUT', `/api/v1/tokens/${id}/user`, { userId: bob.id });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error?.code, 'token_has_owner');
      const missing = await call('PUT', `/api/v1/tokens/${id}/user`, { userId: '00000000-0000-4000-8000-000000000001' });
      assert.equal(missing.status, 409, 'the token still belongs to alice');
      assert.equal((await call('DELETE', `/api/v1/tokens/${id}/user`)).body.userId, null);
      assert.equal((await call('PUT', `/api/v1/tokens/${id}/user`, { userId: '00000000-0000-4000-8000-000000000001' })).body.error?.code, 'user_not_found');
      assert.equal((await call('PUT', `/api/v1/tokens/${id}/user`, { userId: bob.id })).body.userId, bob.id);
    });

    it('deletes only for a superuser or the creating administrator, keeping the events', async () => {
      const admin = await insertAdmin(t.db, { name: 'resource admin', role: 'admin', createdBy: null });
      const key = (await createApiKey(t.db, { adminId: admin.id, name: 'k', actor: 'test' })).apiKey;
      const own = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp' }, key);
      assert.equal(own.status, 201);
      const foreign = await hardware('DEL-1');
      assert.equal((await call('GET', `/api/v1/tokens/${foreign}`, undefined, key)).status, 404, 'an unassigned foreign token is invisible');
      assert.equal((await call('DELETE', `/api/v1/tokens/${foreign}`, undefined, key)).status, 404);
      assert.equal((await call('DELETE', `/api/v1/tokens/${own.body.id}`, undefined, key)).status, 204);
      assert.equal((await call('DELETE', `/api/v1/tokens/${foreign}`)).status, 204);
      assert.equal((await call('GET', `/api/v1/tokens/${foreign}`)).status, 404);
      const events = await t.db.selectFrom('events').select('type').where('tokenId', '=', foreign).execute();
      assert.deepEqual(events.map((e) => e.type).sort(), ['token.created', 'token.deleted']);
    });

    it('lists the resources a token is assigned to', async () => {
      const id = await hardware('RES-1');
      const owner = await t.db.insertInto('users').values({ login: 'res-owner' }).returning('id').executeTakeFirstOrThrow();
      await call('PUT', `/api/v1/tokens/${id}/user`, { userId: owner.id });
      const shop = await t.db.insertInto('resources').values({ name: 'Res Shop' }).returning('id').executeTakeFirstOrThrow();
      const vpn = await t.db.insertInto('resources').values({ name: 'Res VPN' }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('resource_tokens').values({ resourceId: shop.id, tokenId: id }).execute();
      await t.db.insertInto('resource_user_tokens').values({ resourceId: vpn.id, userId: owner.id, tokenId: id }).execute();
      const res = await call('GET', `/api/v1/tokens/${id}/resources`);
      assert.equal(res.body.total, 2);
      assert.deepEqual(
        (res.body.items as { name: string; assignment: string; userId: string | null }[]).map((r) => [r.name, r.assignment, r.userId]),
        [
          ['Res Shop', 'token', null],
          ['Res VPN', 'userWithToken', owner.id],
        ],
      );
    });

    it('answers 404 for unknown tokens and 400 for malformed ids', async () => {
      assert.equal((await call('GET', '/api/v1/tokens/00000000-0000-4000-8000-00000000000f')).body.error?.code, 'token_not_found');
      assert.equal((await call('POST', '/api/v1/tokens/nope/unlock')).status, 400);
      assert.equal((await call('POST', '/api/v1/tokens/00000000-0000-4000-8000-00000000000f/bypass', { hours: 3 })).status, 400);
    });

    it('refuses reissue for hardware tokens and sync with wrong codes', async () => {
      const id = await hardware('REISSUE-1');
      assert.equal((await call('POST', `/api/v1/tokens/${id}/reissue`)).body.error?.code, 'not_supported_for_token');
      assert.equal((await call('POST', `/api/v1/tokens/${id}/sync`, { otp1: '111111', otp2: '222222' })).body.error?.code, 'sync_failed');
    });
  });

  describe(`token quota (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { env: { VERIFRAME_TOKEN_QUOTA: '2' } });
    });
    after(() => t.close());

    it('refuses tokens past the quota with 409 and adds nothing', async () => {
      for (let i = 0; i < 2; i++) assert.equal((await api.request('/api/v1/tokens', { method: 'POST', json: { kind: 'software', type: 'totp' } })).status, 201);
      const res = await api.request('/api/v1/tokens', { method: 'POST', json: { kind: 'software', type: 'totp' } });
      assert.equal(res.status, 409);
      assert.equal(((await res.json()) as Json).error?.code, 'token_quota_exceeded');
      assert.equal(((await (await api.request('/api/v1/tokens')).json()) as Json).total, 2);
    });
  });
}
