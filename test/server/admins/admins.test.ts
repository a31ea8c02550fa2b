import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type Json = Record<string, unknown> & { error?: { code: string; field?: string } };

for (const mode of dbModes()) {
  describe(`administrators API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let shop: string;
    let blog: string;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      shop = (await t.db.insertInto('resources').values({ name: 'Shop' }).returning('id').executeTakeFirstOrThrow()).id;
      blog = (await t.db.insertInto('resources').values({ name: 'Blog' }).returning('id').executeTakeFirstOrThrow()).id;
    });
    after(() => t.close());

    const call = (method: string, path: string, json?: unknown, key?: string) => api.call(method, path, json, key);
    const newAdmin = async (role: 'admin' | 'superuser', resourceIds: string[] = []) => {
      const res = await call('POST', '/api/v1/admins', { name: `${role} ${Math.random()}`, role, resourceIds });
      assert.equal(res.status, 201, res.text);
      return { id: res.body.id as string, key: res.body.apiKey as string };
    };

    it('creates a resource administrator whose key works and is shown once', async () => {
      const res = await call('POST', '/api/v1/admins', { name: 'Shop admin', role: 'admin', resourceIds: [shop, shop] });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.resourceIds, [shop]);
      assert.match(res.body.apiKey as string, /^vf_/);
      const me = await call('GET', '/api/v1/admins/me', undefined, res.body.apiKey as string);
      assert.equal(me.body.role, 'admin');
      assert.deepEqual(me.body.resourceIds, [shop]);
      const read = await call('GET', `/api/v1/admins/${res.body.id}`);
      assert.equal(read.body.apiKey, undefined);
      assert.ok(!read.text.includes(res.body.apiKey as string));
    });

    it('refuses unknown resources and bad input', async () => {
      const unknown = await call('POST', '/api/v1/admins', { name: 'x', role: 'admin', resourceIds: ['00000000-0000-4000-8000-000000000009'] });
      assert.equal(unknown.status, 422);
      assert.equal(unknown.body.error?.field, 'body.resourceIds');
      assert.equal((await call('POST', '/api/v1/admins', { name: 'x', role: 'root' })).body.error?.field, 'body.role');
      assert.equal((await call('POST', '/api/v1/admins', { name: '', role: 'admin' })).status, 400);
      assert.equal((await call('POST', '/api/v1/admins', { name: 'x'.repeat(101), role: 'admin' })).status, 400);
    });

    it('lets only superusers manage administrators', async () => {
      const shopAdmin = await newAdmin('admin', [shop]);
      const other = await newAdmin('admin', [blog]);
      assert.equal((await call('POST', '/api/v1/admins', { name: 'sneaky', role: 'superuser' }, shopAdmin.key)).status, 403);
      assert.equal((await call('POST', '/api/v1/admins', { name: 'peer', role: 'admin', resourceIds: [shop] }, shopAdmin.key)).status, 403);
      assert.equal((await call('PATCH', `/api/v1/admins/${shopAdmin.id}`, { resourceIds: [shop, blog] }, shopAdmin.key)).status, 403, 'not even itself');
      assert.equal((await call('GET', `/api/v1/admins/${other.id}`, undefined, shopAdmin.key)).status, 404);
      assert.equal((await call('DELETE', `/api/v1/admins/${other.id}`, undefined, shopAdmin.key)).status, 403);
      assert.equal((await call('GET', `/api/v1/admins/${other.id}/keys`, undefined, shopAdmin.key)).status, 403);
      const list = await call('GET', '/api/v1/admins', undefined, shopAdmin.key);
      assert.deepEqual(
        (list.body.items as { id: string }[]).map((a) => a.id),
        [shopAdmin.id],
      );
      assert.equal(list.body.total, 1);
    });

    it('changes role, resources and active state; deactivation stops its keys', async () => {
      const a = await newAdmin('admin', [shop]);
      const patched = await call('PATCH', `/api/v1/admins/${a.id}`, { name: 'Renamed', resourceIds: [blog] });
      assert.equal(patched.body.name, 'Renamed');
      assert.deepEqual(patched.body.resourceIds, [blog]);
      assert.equal((await call('PATCH', `/api/v1/admins/${a.id}`, { active: false })).body.active, false);
      assert.equal((await call('GET', '/api/v1/admins/me', undefined, a.key)).status, 401);
      const promoted = await call('PATCH', `/api/v1/admins/${a.id}`, { active: true, role: 'superuser' });
      assert.equal(promoted.body.role, 'superuser');
      assert.deepEqual(promoted.body.resourceIds, [], 'a superuser needs no resource list');
    });

    it('never leaves the system without an active superuser', async () => {
      const me = (await call('GET', '/api/v1/admins/me')).body.id as string;
      const supers = (await call('GET', '/api/v1/admins?limit=500')).body.items as { id: string; role: string; active: boolean }[];
      for (const s of supers.filter((x) => x.role === 'superuser' && x.id !== me)) {
        assert.equal((await call('DELETE', `/api/v1/admins/${s.id}`)).status, 204);
      }
      const demote = await call('PATCH', `/api/v1/admins/${me}`, { role: 'admin' });
      assert.equal(demote.status, 422);
      assert.equal((await call('PATCH', `/api/v1/admins/${me}`, { active: false })).status, 422);
      assert.equal((await call('DELETE', `/api/v1/admins/${me}`)).status, 422);
      assert.equal((await call('GET', '/api/v1/admins/me')).body.role, 'superuser');
    });

    it('deletes an administrator with its keys and records it', async () => {
      const a = await newAdmin('admin', [shop]);
      assert.equal((await call('DELETE', `/api/v1/admins/${a.id}`)).status, 204);
      assert.equal((await call('GET', '/api/v1/admins/me', undefined, a.key)).status, 401);
      assert.equal((await call('GET', `/api/v1/admins/${a.id}`)).status, 404);
      assert.equal((await call('DELETE', `/api/v1/admins/${a.id}`)).status, 404);
      const events = await t.db.selectFrom('events').select(['type', 'details']).where('type', '=', 'admin.deleted').execute();
      assert.ok(events.some((e) => (e.details as { adminId?: string }).adminId === a.id));
      assert.ok(!JSON.stringify(events).includes(a.key));
    });

    it('pages the list with a total', async () => {
      const all = await call('GET', '/api/v1/admins?limit=500');
      const page = await call('GET', '/api/v1/admins?start=1&limit=1');
      assert.equal(page.body.total, all.body.total);
      assert.equal((page.body.items as unknown[]).length, 1);
      assert.equal((await call('GET', '/api/v1/admins?start=-1')).status, 400);
    });
  });
}
