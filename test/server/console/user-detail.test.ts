import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { adminCalls } from '../../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// The console's user page: GET /users/{id}/tokens|resources|locks and DELETE /users/{id}/locks.
for (const mode of dbModes()) {
  describe(`user detail routes (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
    });
    after(() => t.close());

    it("shows a user's tokens, resources and locks in the caller's scope, and unlocks", async () => {
      const a = adminCalls(api);
      const [r1, r2] = [await a.resource({ name: 'One' }), await a.resource({ name: 'Two' })];
      const user = await a.user({ login: 'Locky', password: 'long-password' });
      const token = await a.token({ kind: 'software', type: 'totp' });
      await a.pair(r1.id, user.id, token.id);
      await a.assignUser(r2.id, user.id);
      const until = new Date(Date.now() + 3600_000);
      for (const r of [r1, r2])
        await t.db.insertInto('login_attempts').values({ resourceId: r.id, loginKey: 'locky', failures: 5, lockedUntil: until }).execute();

      const tokens = await api.call('GET', `/api/v1/users/${user.id}/tokens`);
      assert.deepEqual(
        (tokens.body.items as { id: string }[]).map((x) => x.id),
        [token.id],
      );
      const resources = await api.call('GET', `/api/v1/users/${user.id}/resources`);
      assert.deepEqual(
        (resources.body.items as { name: string }[]).map((x) => x.name),
        ['One', 'Two'],
      );

      const ra = (await api.call('POST', '/api/v1/admins', { name: 'ra', role: 'admin', resourceIds: [r1.id] })).body.apiKey as string;
      const raLocks = await api.call('GET', `/api/v1/users/${user.id}/locks`, undefined, ra);
      assert.deepEqual(
        (raLocks.body.items as { resourceName: string }[]).map((l) => l.resourceName),
        ['One'],
        'only its own resource',
      );
      assert.equal((await api.call('DELETE', `/api/v1/users/${user.id}/locks`, undefined, ra)).status, 403, 'the user is also in a resource outside its scope');
      assert.equal((await t.db.selectFrom('login_attempts').select('resourceId').where('loginKey', '=', 'locky').execute()).length, 2);
      assert.equal((await api.call('DELETE', `/api/v1/users/${user.id}/locks`)).status, 204);
      assert.equal(
        (await t.db.selectFrom('login_attempts').select('resourceId').where('loginKey', '=', 'locky').execute()).length,
        0,
        'the superuser unlocks everywhere',
      );

      const other = await a.user({ login: 'stranger' });
      assert.equal((await api.call('GET', `/api/v1/users/${other.id}/locks`, undefined, ra)).status, 404);
    });
  });
}
