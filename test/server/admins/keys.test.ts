import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertAdmin } from '../../../server/src/admins/repository.js';
import { createApiKey, ensureBootstrapKey, hashApiKey } from '../../../server/src/admins/keys-service.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type Key = { id: string; prefix: string; apiKey?: string; revokedAt: string | null; lastUsedAt: string | null };

for (const mode of dbModes()) {
  describe(`API keys (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let superId: string;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      superId = ((await (await api.request('/api/v1/admins/me')).json()) as { id: string }).id;
    });
    after(() => t.close());

    it('creates a key shown once, stored only as a hash, that authenticates', async () => {
      const res = await api.request(`/api/v1/admins/${superId}/keys`, { method: 'POST', json: { name: 'automation' } });
      assert.equal(res.status, 201);
      const created = (await res.json()) as Key;
      assert.match(created.apiKey!, /^vf_[A-Za-z0-9_-]{43}$/);
      assert.ok(created.apiKey!.startsWith(created.prefix));
      const stored = await t.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      assert.deepEqual(stored.keyHash, hashApiKey(created.apiKey!));
      assert.ok(!JSON.stringify(stored).includes(created.apiKey!));

      const me = await api.request('/api/v1/admins/me', { key: created.apiKey! });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { keyId: string }).keyId, created.id);

      const list = (await (await api.request(`/api/v1/admins/${superId}/keys`)).json()) as { items: Key[]; total: number };
      const listed = list.items.find((k) => k.id === created.id)!;
      assert.equal(listed.apiKey, undefined, 'a listed key never shows the key');
      assert.ok(listed.lastUsedAt, 'use is recorded');
      assert.equal(list.total, list.items.length);
    });

    it('revokes a key so that it stops working at once, and records events without key material', async () => {
      const created = (await (await api.request(`/api/v1/admins/${superId}/keys`, { method: 'POST', json: { name: 'temp' } })).json()) as Key;
      const del = await api.request(`/api/v1/admins/${superId}/keys/${created.id}`, { method: 'DELETE' });
      assert.equal(del.status, 204);
      const res = await api.request('/api/v1/admins/me', { key: created.apiKey! });
      assert.equal(res.status, 401);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
      const events = await t.db.selectFrom('events').selectAll().where('type', 'in', ['api_key.created', 'api_key.revoked']).execute();
      assert.ok(events.some((e) => e.type === 'api_key.revoked' && (e.details as { keyId?: string }).keyId === created.id));
      assert.ok(!JSON.stringify(events).includes(created.apiKey!));
    });

    it('refuses to revoke the last active superuser key', async () => {
      const keys = (await (await api.request(`/api/v1/admins/${superId}/keys`)).json()) as { items: (Key & { name: string })[] };
      const others = keys.items.filter((k) => !k.revokedAt && k.name !== 'VERIFRAME_ADMIN_KEY');
      for (const k of others) assert.equal((await api.request(`/api/v1/admins/${superId}/keys/${k.id}`, { method: 'DELETE' })).status, 204);
      const last = keys.items.find((k) => k.name === 'VERIFRAME_ADMIN_KEY')!;
      const res = await api.request(`/api/v1/admins/${superId}/keys/${last.id}`, { method: 'DELETE' });
      assert.equal(res.status, 422);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'last_superuser_key');
      assert.equal((await api.request('/api/v1/admins/me')).status, 200);
    });

    it('lets a resource administrator manage only its own keys', async () => {
      const admin = await insertAdmin(t.db, { name: 'shop admin', role: 'admin', createdBy: superId });
      const own = await createApiKey(t.db, { adminId: admin.id, name: 'own', actor: 'test' });
      const asAdmin = { key: own.apiKey };
      assert.equal((await api.request(`/api/v1/admins/${admin.id}/keys`, asAdmin)).status, 200);
      const forbidden = await api.request(`/api/v1/admins/${superId}/keys`, asAdmin);
      assert.equal(forbidden.status, 403);
      assert.equal(((await forbidden.json()) as { error: { code: string } }).error.code, 'forbidden');
      assert.equal((await api.request(`/api/v1/admins/${superId}/keys`, { ...asAdmin, method: 'POST', json: { name: 'x' } })).status, 403);
      // A superuser may manage anybody's keys.
      assert.equal((await api.request(`/api/v1/admins/${admin.id}/keys`)).status, 200);
    });

    it('answers 404 for a key of another administrator', async () => {
      const admin = await insertAdmin(t.db, { name: 'other', role: 'admin', createdBy: superId });
      const key = await createApiKey(t.db, { adminId: admin.id, name: 'k', actor: 'test' });
      const res = await api.request(`/api/v1/admins/${superId}/keys/${key.id}`, { method: 'DELETE' });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'api_key_not_found');
      assert.equal((await api.request('/api/v1/admins/me', { key: key.apiKey })).status, 200, 'the key still works');
    });

    it('registers VERIFRAME_ADMIN_KEY once and restores it if it was revoked', async () => {
      assert.equal(await ensureBootstrapKey(t.db, api.adminKey), 'present');
      const count = async () => (await t.db.selectFrom('api_keys').select('id').where('keyHash', '=', hashApiKey(api.adminKey)).execute()).length;
      assert.equal(await count(), 1);
      await t.db.updateTable('api_keys').set({ revokedAt: new Date() }).where('keyHash', '=', hashApiKey(api.adminKey)).execute();
      assert.equal((await api.request('/api/v1/admins/me')).status, 401);
      assert.equal(await ensureBootstrapKey(t.db, api.adminKey), 'created');
      assert.equal(await count(), 1);
      assert.equal((await api.request('/api/v1/admins/me')).status, 200);
    });
  });
}
