import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertAdmin } from '../../../server/src/admins/repository.js';
import { isUserVisible, userInScope } from '../../../server/src/access/predicates.js';
import type { Principal } from '../../../server/src/access/principal.js';
import { scopeOf } from '../../../server/src/access/scope.js';
import { createApiKey } from '../../../server/src/admins/keys-service.js';
import { findUserByLogin } from '../../../server/src/users/repository.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type Json = Record<string, unknown> & { error?: { code: string; field?: string } };
type User = { id: string; login: string; hasPassword: boolean; createdBy: string | null };

const PASSWORD = 'Correct-Horse-Battery-9f3k';
const unknownId = '00000000-0000-4000-8000-00000000abcd';

for (const mode of dbModes()) {
  describe(`user API access (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
    });
    after(() => t.close());

    const call = (method: string, path: string, json?: unknown, key?: string) => api.call(method, path, json, key);
    const create = async (body: Record<string, unknown>, key?: string) => {
      const res = await call('POST', '/api/v1/users', body, key);
      assert.equal(res.status, 201, res.text);
      return res.body as unknown as User;
    };

    /** A resource administrator with its own resource and API key. */
    const resourceAdmin = async (name: string) => {
      const admin = await insertAdmin(t.db, { name, role: 'admin', createdBy: null });
      const resource = await t.db
        .insertInto('resources')
        .values({ name: `${name} site` })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db.insertInto('admin_resources').values({ adminId: admin.id, resourceId: resource.id }).execute();
      const key = (await createApiKey(t.db, { adminId: admin.id, name: 'k', actor: 'test' })).apiKey;
      return { adminId: admin.id, resourceId: resource.id, key };
    };

    it('keeps a resource administrator to its own users on every route', async () => {
      const a = await resourceAdmin('tenant-a');
      const b = await resourceAdmin('tenant-b');
      const ownA = await create({ login: 'iso-own-a', password: PASSWORD }, a.key);
      assert.equal(ownA.createdBy, a.adminId);
      const assignedA = await create({ login: 'iso-assigned-a' });
      await t.db.insertInto('resource_users').values({ resourceId: a.resourceId, userId: assignedA.id }).execute();
      const withTokenA = await create({ login: 'iso-with-token-a' });
      const token = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp' });
      assert.equal((await call('PUT', `/api/v1/tokens/${token.body.id}/user`, { userId: withTokenA.id })).status, 200);
      await t.db
        .insertInto('resource_user_tokens')
        .values({ resourceId: a.resourceId, userId: withTokenA.id, tokenId: token.body.id as string })
        .execute();
      const ofB = await create({ login: 'iso-of-b' });
      await t.db.insertInto('resource_users').values({ resourceId: b.resourceId, userId: ofB.id }).execute();
      const unassigned = await create({ login: 'iso-unassigned' });

      const listA = await call('GET', '/api/v1/users?search=iso-', undefined, a.key);
      assert.deepEqual((listA.body.items as User[]).map((u) => u.login).sort(), ['iso-assigned-a', 'iso-own-a', 'iso-with-token-a']);
      assert.equal(listA.body.total, 3);
      assert.equal((await call('GET', '/api/v1/users?limit=500', undefined, a.key)).body.total, 3, 'no search: still only its users');
      const listB = await call('GET', '/api/v1/users?search=iso-', undefined, b.key);
      assert.deepEqual(
        (listB.body.items as User[]).map((u) => u.login),
        ['iso-of-b'],
      );
      assert.equal((await call('GET', '/api/v1/users?search=iso-')).body.total, 5, 'the superuser sees all');

      for (const visible of [ownA, assignedA, withTokenA]) {
        assert.equal((await call('GET', `/api/v1/users/${visible.id}`, undefined, a.key)).status, 200);
        assert.equal((await call('PATCH', `/api/v1/users/${visible.id}`, { lastName: 'Changed by A' }, a.key)).status, 200);
      }
      for (const hidden of [ofB, unassigned]) {
        for (const [method, body] of [['GET'], ['PATCH', { lastName: 'Hacked' }], ['PATCH', { password: 'hijacked-password' }], ['DELETE']] as const) {
          const res = await call(method, `/api/v1/users/${hidden.id}`, body, a.key);
          assert.equal(res.status, 404, `${method} ${hidden.login}: ${res.text}`);
          assert.equal(res.body.error?.code, 'user_not_found', 'the same answer as for an id that does not exist');
        }
        const row = await t.db.selectFrom('users').selectAll().where('id', '=', hidden.id).executeTakeFirstOrThrow();
        assert.equal(row.lastName, null);
        assert.equal(row.passwordHash, null);
      }
      // A login taken in another tenant is still taken: logins are global (authentication looks them up).
      const clash = await call('POST', '/api/v1/users', { login: 'ISO-OF-B' }, a.key);
      assert.equal(clash.body.error?.code, 'login_taken');
      assert.ok(!clash.text.includes(ofB.id));

      const principalA: Principal = { adminId: a.adminId, role: 'admin', keyId: 'k', resourceIds: [a.resourceId] };
      const scopeA = scopeOf(principalA);
      const superuser = scopeOf({ ...principalA, role: 'superuser', resourceIds: [] });
      assert.equal(await isUserVisible(t.db, scopeA, assignedA.id), true);
      assert.equal(await isUserVisible(t.db, scopeA, ofB.id), false);
      assert.equal(await isUserVisible(t.db, superuser, ofB.id), true);
      assert.equal(await isUserVisible(t.db, superuser, unknownId), false);
      const noResources = await t.db
        .selectFrom('users')
        .select('login')
        .where(userInScope(scopeOf({ ...principalA, resourceIds: [] })))
        .execute();
      assert.deepEqual(
        noResources.map((u) => u.login),
        ['iso-own-a'],
        'without resources only what it created',
      );
      const joined = await t.db
        .selectFrom('users')
        .innerJoin('resource_users', 'resource_users.userId', 'users.id')
        .select('users.login')
        .where('resource_users.resourceId', '=', b.resourceId)
        .where(userInScope(scopeA))
        .execute();
      assert.deepEqual(joined, [], 'the scope composes with joins');
    });

    it('lets only the superuser or the creating administrator delete', async () => {
      const a = await resourceAdmin('deleter');
      const own = await create({ login: 'del-own' }, a.key);
      const assigned = await create({ login: 'del-assigned' });
      await t.db.insertInto('resource_users').values({ resourceId: a.resourceId, userId: assigned.id }).execute();
      const unassigned = await create({ login: 'del-unassigned' });

      assert.equal((await call('DELETE', `/api/v1/users/${own.id}`, undefined, a.key)).status, 204);
      const forbidden = await call('DELETE', `/api/v1/users/${assigned.id}`, undefined, a.key);
      assert.equal(forbidden.status, 403, forbidden.text);
      assert.equal(forbidden.body.error?.code, 'forbidden');
      assert.equal((await call('DELETE', `/api/v1/users/${unassigned.id}`, undefined, a.key)).status, 404);
      assert.equal((await call('GET', `/api/v1/users/${assigned.id}`)).status, 200, 'still there');
      assert.equal((await call('DELETE', `/api/v1/users/${assigned.id}`)).status, 204);
      assert.equal((await call('DELETE', `/api/v1/users/${unassigned.id}`)).status, 204);
      const deletedBy = await t.db
        .selectFrom('events')
        .select(['userId', 'actorAdminId'])
        .where('type', '=', 'user.deleted')
        .where('userId', '=', own.id)
        .execute();
      assert.deepEqual(deletedBy, [{ userId: own.id, actorAdminId: a.adminId }]);
    });

    it('deleting a user keeps its tokens (unlinked) and its events, and removes its assignments', async () => {
      const r = await t.db.insertInto('resources').values({ name: 'delete-keeps site' }).returning('id').executeTakeFirstOrThrow();
      const user = await create({ login: 'del-keeps', password: PASSWORD });
      const tokens: string[] = [];
      for (let i = 0; i < 2; i++) {
        const tok = await call('POST', '/api/v1/tokens', { kind: 'software', type: 'totp' });
        tokens.push(tok.body.id as string);
        assert.equal((await call('PUT', `/api/v1/tokens/${tok.body.id}/user`, { userId: user.id })).status, 200);
      }
      await t.db.insertInto('resource_users').values({ resourceId: r.id, userId: user.id }).execute();
      await t.db.insertInto('resource_user_tokens').values({ resourceId: r.id, userId: user.id, tokenId: tokens[0]! }).execute();
      await t.db.insertInto('resource_tokens').values({ resourceId: r.id, tokenId: tokens[1]! }).execute();

      const del = await call('DELETE', `/api/v1/users/${user.id}`);
      assert.equal(del.status, 204, del.text);
      for (const id of tokens) {
        const tok = await call('GET', `/api/v1/tokens/${id}`);
        assert.equal(tok.status, 200);
        assert.equal(tok.body.userId, null);
      }
      assert.equal((await t.db.selectFrom('resource_users').selectAll().where('userId', '=', user.id).execute()).length, 0);
      assert.equal((await t.db.selectFrom('resource_user_tokens').selectAll().where('userId', '=', user.id).execute()).length, 0);
      assert.equal(
        (await t.db.selectFrom('resource_tokens').selectAll().where('tokenId', '=', tokens[1]!).execute()).length,
        1,
        'the token keeps its own assignment',
      );
      const events = await t.db.selectFrom('events').select(['type', 'details']).where('userId', '=', user.id).orderBy('id').execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['user.created', 'token.assigned', 'token.assigned', 'user.deleted'],
      );
      assert.deepEqual(events.at(-1)!.details, { login: 'del-keeps', tokensUnlinked: 2, assignmentsRemoved: 2 });
      assert.equal(await findUserByLogin(t.db, 'del-keeps'), undefined);
      assert.equal((await call('POST', '/api/v1/users', { login: 'DEL-KEEPS' })).status, 201, 'the login is free again');
    });
  });
}
