import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { caller, createResource, missingId, resourceAdmin } from './helpers.js';

const base32Secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

type Item = Record<string, unknown>;

for (const mode of dbModes()) {
  describe(`resource assignments (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let call: ReturnType<typeof caller>;
    let serial = 0;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      call = caller(api);
    });
    after(() => t.close());

    const user = async (login: string, createdBy: string | null = null) =>
      (
        await t.db
          .insertInto('users')
          .values({ login, email: `${login}@example.com`, createdBy })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    /** A hardware HOTP token, given to `owner` when one is named. */
    const token = async (owner?: string, key?: string) => {
      const res = await call(
        'POST',
        '/api/v1/tokens',
        { kind: 'hardware', type: 'hotp', serialNumber: `ASSIGN-${mode}-${++serial}`, secret: base32Secret },
        key,
      );
      assert.equal(res.status, 201, res.text);
      const id = res.body.id as string;
      if (owner) assert.equal((await call('PUT', `/api/v1/tokens/${id}/user`, { userId: owner }, key)).status, 200);
      return id;
    };
    const rows = async (table: 'resource_users' | 'resource_tokens' | 'resource_user_tokens', resourceId: string) =>
      t.db.selectFrom(table).selectAll().where('resourceId', '=', resourceId).execute();
    const eventTypes = async (resourceId: string) =>
      (await t.db.selectFrom('events').select('type').where('resourceId', '=', resourceId).orderBy('id').execute()).map((e) => e.type);

    it('assigns and removes users idempotently, with one event per change', async () => {
      const r = await createResource(call, `Users ${mode}`);
      const alice = await user('assign-alice');
      assert.equal((await call('PUT', `/api/v1/resources/${r.id}/users/${alice}`)).status, 204);
      assert.equal((await call('PUT', `/api/v1/resources/${r.id}/users/${alice}`)).status, 204, 'again: no-op');
      const list = await call('GET', `/api/v1/resources/${r.id}/users`);
      assert.equal(list.body.total, 1);
      const item = (list.body.items as Item[])[0]!;
      assert.equal(item.userId, alice);
      assert.equal(item.login, 'assign-alice');
      assert.equal(item.tokenId, null);
      assert.ok(item.assignedAt);
      assert.equal((await call('DELETE', `/api/v1/resources/${r.id}/users/${alice}`)).status, 204);
      assert.equal((await call('DELETE', `/api/v1/resources/${r.id}/users/${alice}`)).status, 204, 'again: no-op');
      assert.equal((await call('GET', `/api/v1/resources/${r.id}/users`)).body.total, 0);
      assert.deepEqual(await eventTypes(r.id), ['resource.created', 'resource.user_assigned', 'resource.user_unassigned']);
    });

    it('assigns and removes tokens on their own', async () => {
      const r = await createResource(call, `Tokens ${mode}`);
      const owner = await user('token-owner');
      const tok = await token(owner);
      assert.equal((await call('PUT', `/api/v1/resources/${r.id}/tokens/${tok}`)).status, 204);
      assert.equal((await call('PUT', `/api/v1/resources/${r.id}/tokens/${tok}`)).status, 204);
      const list = await call('GET', `/api/v1/resources/${r.id}/tokens`);
      assert.equal(list.body.total, 1);
      const item = (list.body.items as Item[])[0]!;
      assert.equal(item.tokenId, tok);
      assert.equal(item.userId, owner);
      assert.equal(item.kind, 'hardware');
      assert.equal(item.secretEnc, undefined);
      assert.ok(!list.text.includes(base32Secret));
      assert.equal((await call('GET', `/api/v1/resources/${r.id}/users`)).body.total, 0, 'a token alone does not assign its user');
      assert.equal((await call('DELETE', `/api/v1/resources/${r.id}/tokens/${tok}`)).status, 204);
      assert.equal((await rows('resource_tokens', r.id)).length, 0);
      assert.deepEqual(await eventTypes(r.id), ['resource.created', 'resource.token_assigned', 'resource.token_unassigned']);
    });

    it('assigns a user with one of its own tokens, one token per user per resource', async () => {
      const r = await createResource(call, `User tokens ${mode}`);
      const alice = await user('ut-alice');
      const bob = await user('ut-bob');
      const a1 = await token(alice);
      const a2 = await token(alice);
      const b1 = await token(bob);
      const loose = await token();
      const pair = (u: string, tokenId: string) => call('PUT', `/api/v1/resources/${r.id}/users/${u}/token`, { tokenId });

      const foreign = await pair(alice, b1);
      assert.equal(foreign.status, 422, foreign.text);
      assert.equal(foreign.body.error?.code, 'token_not_owned_by_user');
      assert.equal(foreign.body.error?.field, 'body.tokenId');
      assert.equal((await pair(alice, loose)).body.error?.code, 'token_not_owned_by_user', 'a token without owner is not the user’s');
      assert.equal((await rows('resource_users', r.id)).length, 0, 'a refused pairing assigns nothing');

      assert.equal((await pair(alice, a1)).status, 204);
      assert.equal((await pair(alice, a1)).status, 204, 'the same token again is a no-op');
      const second = await pair(alice, a2);
      assert.equal(second.status, 409);
      assert.equal(second.body.error?.code, 'user_token_exists');
      const users = (await call('GET', `/api/v1/resources/${r.id}/users`)).body.items as Item[];
      assert.deepEqual(
        users.map((u) => [u.login, u.tokenId]),
        [['ut-alice', a1]],
        'pairing assigns the user too and shows its token',
      );

      // Removing only the pairing keeps the user (password login); then another token may be paired.
      assert.equal((await call('DELETE', `/api/v1/resources/${r.id}/users/${alice}/token`)).status, 204);
      assert.equal(((await call('GET', `/api/v1/resources/${r.id}/users`)).body.items as Item[])[0]!.tokenId, null);
      assert.equal((await pair(alice, a2)).status, 204);
      assert.equal((await pair(bob, b1)).status, 204);
      assert.equal((await rows('resource_user_tokens', r.id)).length, 2);

      // Removing the user removes its pairing with it.
      assert.equal((await call('DELETE', `/api/v1/resources/${r.id}/users/${alice}`)).status, 204);
      assert.deepEqual(
        (await rows('resource_user_tokens', r.id)).map((x) => x.userId),
        [bob],
      );
      assert.deepEqual(
        (await rows('resource_users', r.id)).map((x) => x.userId),
        [bob],
      );
      assert.deepEqual(await eventTypes(r.id), [
        'resource.created',
        'resource.user_assigned',
        'resource.user_token_assigned',
        'resource.user_token_unassigned',
        'resource.user_token_assigned',
        'resource.user_assigned',
        'resource.user_token_assigned',
        'resource.user_token_unassigned',
        'resource.user_unassigned',
      ]);

      // Unlinking a token from its user (tokens API) ends its pairings too.
      assert.equal((await call('DELETE', `/api/v1/tokens/${b1}/user`)).status, 200);
      assert.equal((await rows('resource_user_tokens', r.id)).length, 0);
    });

    it('answers 404 for unknown users, tokens and resources and 400 for malformed ids or bodies', async () => {
      const r = await createResource(call, `Unknown ${mode}`);
      const u = await user('unknown-case');
      const tok = await token(u);
      const cases: [string, string, unknown, number, string][] = [
        ['PUT', `/api/v1/resources/${r.id}/users/${missingId}`, undefined, 404, 'user_not_found'],
        ['DELETE', `/api/v1/resources/${r.id}/users/${missingId}`, undefined, 404, 'user_not_found'],
        ['PUT', `/api/v1/resources/${r.id}/tokens/${missingId}`, undefined, 404, 'token_not_found'],
        ['DELETE', `/api/v1/resources/${r.id}/tokens/${missingId}`, undefined, 404, 'token_not_found'],
        ['PUT', `/api/v1/resources/${r.id}/users/${u}/token`, { tokenId: missingId }, 404, 'token_not_found'],
        ['PUT', `/api/v1/resources/${r.id}/users/${missingId}/token`, { tokenId: tok }, 404, 'user_not_found'],
        ['DELETE', `/api/v1/resources/${r.id}/users/${missingId}/token`, undefined, 404, 'user_not_found'],
        ['PUT', `/api/v1/resources/${missingId}/users/${u}`, undefined, 404, 'resource_not_found'],
        ['PUT', `/api/v1/resources/${missingId}/tokens/${tok}`, undefined, 404, 'resource_not_found'],
        ['GET', `/api/v1/resources/${missingId}/users`, undefined, 404, 'resource_not_found'],
        ['GET', `/api/v1/resources/${missingId}/tokens`, undefined, 404, 'resource_not_found'],
        ['PUT', `/api/v1/resources/${r.id}/users/not-a-uuid`, undefined, 400, 'invalid_request'],
        ['PUT', `/api/v1/resources/nope/tokens/${tok}`, undefined, 400, 'invalid_request'],
        ['PUT', `/api/v1/resources/${r.id}/users/${u}/token`, { tokenId: 'x' }, 400, 'invalid_request'],
        ['PUT', `/api/v1/resources/${r.id}/users/${u}/token`, {}, 400, 'invalid_request'],
        ['PUT', `/api/v1/resources/${r.id}/users/${u}/token`, { tokenId: tok, extra: 1 }, 400, 'invalid_request'],
        ['GET', `/api/v1/resources/${r.id}/users?limit=501`, undefined, 400, 'invalid_request'],
        ['GET', `/api/v1/resources/${r.id}/tokens?start=-1`, undefined, 400, 'invalid_request'],
      ];
      for (const [method, path, json, status, code] of cases) {
        const res = await call(method, path, json);
        assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(json)} → ${res.text}`);
        assert.equal(res.body.error?.code, code, `${method} ${path}`);
      }
      const noBody = await api.request(`/api/v1/resources/${r.id}/users/${u}/token`, { method: 'PUT' });
      assert.equal(noBody.status, 400);
    });

    it('pages users and tokens with a total and searches them', async () => {
      const r = await createResource(call, `Paging ${mode}`);
      for (const login of ['pg-carol', 'pg-alice', 'pg-bob'])
        assert.equal((await call('PUT', `/api/v1/resources/${r.id}/users/${await user(login)}`)).status, 204);
      const first = await call('GET', `/api/v1/resources/${r.id}/users?limit=2`);
      assert.equal(first.body.total, 3);
      assert.deepEqual(
        (first.body.items as Item[]).map((u) => u.login),
        ['pg-alice', 'pg-bob'],
      );
      const rest = await call('GET', `/api/v1/resources/${r.id}/users?start=2&limit=2`);
      assert.deepEqual(
        (rest.body.items as Item[]).map((u) => u.login),
        ['pg-carol'],
      );
      assert.equal(rest.body.total, 3);
      const search = await call('GET', `/api/v1/resources/${r.id}/users?search=BOB`);
      assert.deepEqual([search.body.total, (search.body.items as Item[]).length], [1, 1]);
      for (let i = 0; i < 3; i++) assert.equal((await call('PUT', `/api/v1/resources/${r.id}/tokens/${await token()}`)).status, 204);
      const tokens = await call('GET', `/api/v1/resources/${r.id}/tokens?limit=1&start=1`);
      assert.equal(tokens.body.total, 3);
      assert.equal((tokens.body.items as Item[]).length, 1);
      assert.equal((await call('GET', `/api/v1/resources/${r.id}/tokens?search=no-such-serial`)).body.total, 0);
    });

    it('keeps resource administrators inside their resources and the users and tokens they can see', async () => {
      const mine = await createResource(call, `Scope mine ${mode}`);
      const theirs = await createResource(call, `Scope theirs ${mode}`);
      const admin = await resourceAdmin(t, 'scoped admin', [mine.id]);
      const k = admin.key;

      // Another tenant's resource: every assignment route answers 404 as if it did not exist.
      const stranger = await user('scope-stranger');
      const strangerToken = await token(stranger);
      await call('PUT', `/api/v1/resources/${theirs.id}/users/${stranger}/token`, { tokenId: strangerToken });
      await call('PUT', `/api/v1/resources/${theirs.id}/tokens/${strangerToken}`);
      for (const [method, path, json] of [
        ['GET', `/api/v1/resources/${theirs.id}/users`],
        ['GET', `/api/v1/resources/${theirs.id}/tokens`],
        ['PUT', `/api/v1/resources/${theirs.id}/users/${stranger}`],
        ['DELETE', `/api/v1/resources/${theirs.id}/users/${stranger}`],
        ['PUT', `/api/v1/resources/${theirs.id}/tokens/${strangerToken}`],
        ['DELETE', `/api/v1/resources/${theirs.id}/tokens/${strangerToken}`],
        ['PUT', `/api/v1/resources/${theirs.id}/users/${stranger}/token`, { tokenId: strangerToken }],
        ['DELETE', `/api/v1/resources/${theirs.id}/users/${stranger}/token`],
      ] as const) {
        const res = await call(method, path, json, k);
        assert.equal(res.status, 404, `${method} ${path} → ${res.text}`);
        assert.equal(res.body.error?.code, 'resource_not_found');
      }
      assert.equal((await rows('resource_users', theirs.id)).length, 1, "the other tenant's assignments are untouched");
      assert.equal((await rows('resource_tokens', theirs.id)).length, 1);
      assert.equal((await rows('resource_user_tokens', theirs.id)).length, 1);

      // Its own resource, but users and tokens it cannot see: 404 as if they did not exist.
      const strangerIn = await call('PUT', `/api/v1/resources/${mine.id}/users/${stranger}`, undefined, k);
      assert.equal(strangerIn.status, 404);
      assert.equal(strangerIn.body.error?.code, 'user_not_found');
      assert.equal((await call('PUT', `/api/v1/resources/${mine.id}/tokens/${strangerToken}`, undefined, k)).body.error?.code, 'token_not_found');
      assert.equal((await rows('resource_users', mine.id)).length, 0);

      // What it created, or what a superuser assigned to its resource, it can work with.
      const own = await user('scope-own', admin.id);
      const ownToken = await token(undefined, k);
      assert.equal((await call('PUT', `/api/v1/tokens/${ownToken}/user`, { userId: own }, k)).status, 200);
      assert.equal((await call('PUT', `/api/v1/resources/${mine.id}/users/${own}/token`, { tokenId: ownToken }, k)).status, 204);
      const given = await user('scope-given');
      const givenToken = await token(given);
      assert.equal((await call('PUT', `/api/v1/resources/${mine.id}/users/${given}`)).status, 204);
      assert.equal((await call('PUT', `/api/v1/resources/${mine.id}/tokens/${givenToken}`)).status, 204);
      assert.equal((await call('PUT', `/api/v1/resources/${mine.id}/users/${given}/token`, { tokenId: givenToken }, k)).status, 204);
      const users = await call('GET', `/api/v1/resources/${mine.id}/users`, undefined, k);
      assert.deepEqual(
        (users.body.items as Item[]).map((u) => [u.login, u.tokenId]),
        [
          ['scope-given', givenToken],
          ['scope-own', ownToken],
        ],
      );
      assert.equal((await call('GET', `/api/v1/resources/${mine.id}/tokens`, undefined, k)).body.total, 1);
      assert.equal((await call('DELETE', `/api/v1/resources/${mine.id}/users/${given}`, undefined, k)).status, 204);
      const events = await t.db
        .selectFrom('events')
        .select(['type', 'actorAdminId'])
        .where('resourceId', '=', mine.id)
        .where('actorAdminId', '=', admin.id)
        .execute();
      assert.ok(
        events.some((e) => e.type === 'resource.user_unassigned'),
        'events name the acting administrator',
      );
    });
  });
}
