import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../server/src/config.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { allTables, assertErrorBody, assertSameSnapshot, documentedOperations, snapshot, type Table } from './fuzz-helpers.js';

// Cross-tenant writes (issue 13, finding 1; DESIGN §10). A resource administrator of A sees a
// user or token that is also assigned to resource B, which it does not manage. Reading it is
// fine; changing it (password, e-mail, PIN, secret, bypass, lock, owner, deletion...) would change
// how B authenticates, so every such write answers 403 `forbidden` and changes nothing, even
// for the administrator that created the object. The same writes succeed when the object is only
// in A, for an administrator of both A and B, and for a superuser. Filters follow the delete rule
// (finding 5): only their creator or a superuser may change them. Assignment routes change only
// the caller's own resource and stay allowed.
//
// The cases come from the OpenAPI document: every write (non-GET) route on a user, a token or a
// filter must have a case here, so a new write route fails this test until it is covered.

type Rule = 'whole scope' | 'creator' | 'own resource';

interface Objects {
  resource: string;
  user: string;
  token: string;
  filter: string;
  /** A user of A only, to give the token to. */
  otherUser: string;
}

interface Case {
  rule: Rule;
  /** Software tokens can be reissued; the others are hardware HOTP tokens with the RFC 4226 secret. */
  software?: boolean;
  /** The token has no owner (to give it to one); it is assigned to the resources on its own. */
  unowned?: boolean;
  /** An e-mail token, whose codes go to its user's address. */
  email?: boolean;
  body?: (o: Objects) => unknown;
}

let n = 0;
// HOTP codes of the RFC 4226 secret at counters 0 and 1.
const CASES: Record<string, Case> = {
  'PATCH /api/v1/users/{id}': {
    rule: 'whole scope',
    body: () => ({ password: 'attacker-password', email: 'attacker@evil.test', login: `hijacked-${++n}`, active: false }),
  },
  'DELETE /api/v1/users/{id}': { rule: 'whole scope' },
  'DELETE /api/v1/users/{id}/locks': { rule: 'whole scope' },
  'PATCH /api/v1/tokens/{id}': { rule: 'whole scope', body: () => ({ name: 'renamed by A', active: false, pin: '1234' }) },
  'DELETE /api/v1/tokens/{id}': { rule: 'whole scope' },
  'POST /api/v1/tokens/{id}/check': { rule: 'whole scope', body: () => ({ otp: '755224' }) },
  'POST /api/v1/tokens/{id}/sync': { rule: 'whole scope', body: () => ({ otp1: '755224', otp2: '287082' }) },
  'POST /api/v1/tokens/{id}/reissue': { rule: 'whole scope', software: true },
  // Sending a confirming code reaches the user's address; confirming activates the token.
  'POST /api/v1/tokens/{id}/confirmation': { rule: 'whole scope', email: true },
  'POST /api/v1/tokens/{id}/confirm': { rule: 'whole scope', body: () => ({ otp: '755224' }) },
  'POST /api/v1/tokens/{id}/unlock': { rule: 'whole scope' },
  'POST /api/v1/tokens/{id}/bypass': { rule: 'whole scope', body: () => ({ permanent: true }) },
  'DELETE /api/v1/tokens/{id}/bypass': { rule: 'whole scope' },
  'PUT /api/v1/tokens/{id}/user': { rule: 'whole scope', unowned: true, body: (o) => ({ userId: o.otherUser }) },
  'DELETE /api/v1/tokens/{id}/user': { rule: 'whole scope' },
  'PATCH /api/v1/resources/{id}/filters/{filterId}': { rule: 'creator', body: () => ({ enabled: false, cidrs: ['0.0.0.0/0'] }) },
  'DELETE /api/v1/resources/{id}/filters/{filterId}': { rule: 'creator' },
  'PUT /api/v1/resources/{id}/users/{userId}': { rule: 'own resource' },
  'DELETE /api/v1/resources/{id}/users/{userId}': { rule: 'own resource' },
  'PUT /api/v1/resources/{id}/users/{userId}/token': { rule: 'own resource', body: (o) => ({ tokenId: o.token }) },
  'DELETE /api/v1/resources/{id}/users/{userId}/token': { rule: 'own resource' },
  'PUT /api/v1/resources/{id}/tokens/{tokenId}': { rule: 'own resource' },
  'DELETE /api/v1/resources/{id}/tokens/{tokenId}': { rule: 'own resource' },
};

/** A write route acts on a user, a token or a filter when one of their ids is in its path. */
const onSharedObject = (path: string) => /\/(users|tokens)\/\{id\}|\{(userId|tokenId|filterId)\}/.test(path);

function fill(path: string, o: Objects): string {
  const ids: Record<string, string> = { userId: o.user, tokenId: o.token, filterId: o.filter };
  return path.replace(/\{(\w+)\}/g, (_m, name: string, at: number) => {
    if (name !== 'id') return ids[name]!;
    const collection = /\/(\w+)\/$/.exec(path.slice(0, at))?.[1];
    return collection === 'users' ? o.user : collection === 'tokens' ? o.token : o.resource;
  });
}

for (const mode of dbModes()) {
  describe(`cross-tenant writes to shared users, tokens and filters (${mode})`, { timeout: 180_000 }, () => {
    let t: TestDb;
    let api: TestApp;
    let writeRoutes: string[];
    let A: string;
    let B: string;
    /** Administrators: of A only, of A and B, and the superuser (the test app's key). */
    let keys: { a: string; ab: string; su: string };

    const as = async (key: string, method: string, path: string, json?: unknown) => {
      const res = await api.request(path, { method, key, ...(json !== undefined ? { json } : {}) });
      const text = await res.text();
      return { status: res.status, text, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { id?: string; apiKey?: string } };
    };
    const ok = async (key: string, method: string, path: string, json?: unknown) => {
      const res = await as(key, method, path, json);
      assert.ok(res.status >= 200 && res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
      return res.body;
    };

    before(async () => {
      t = await openTestDb(mode);
      // The dev outbox as the channel, so that sending a confirming code can succeed.
      const delivery = createDelivery(loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', VERIFRAME_DEV_OUTBOX: '1' }), createLogger('silent'));
      api = await createTestApp(t, { delivery });
      keys = { a: '', ab: '', su: api.adminKey };
      writeRoutes = (await documentedOperations(api)).filter((o) => o.method !== 'GET' && onSharedObject(o.path)).map((o) => `${o.method} ${o.path}`);
      A = (await ok(keys.su, 'POST', '/api/v1/resources', { name: `Shared A ${mode}` })).id!;
      B = (await ok(keys.su, 'POST', '/api/v1/resources', { name: `Shared B ${mode}` })).id!;
      keys.a = (await ok(keys.su, 'POST', '/api/v1/admins', { name: 'admin of A', role: 'admin', resourceIds: [A] })).apiKey!;
      keys.ab = (await ok(keys.su, 'POST', '/api/v1/admins', { name: 'admin of A and B', role: 'admin', resourceIds: [A, B] })).apiKey!;
    });
    after(() => t?.close());

    /**
     * A user with a password and the token it uses, created by `creator`, assigned (by the
     * superuser) to each of `resources` as "user with token", the token also on its own; a user
     * of A to give tokens to; and, for the filter routes, a filter of A created by `filterCreator`.
     */
    async function objects(route: string, creator: string, filterCreator: string, resources: string[]): Promise<Objects> {
      const c = CASES[route]!;
      const i = ++n;
      const user = (
        await ok(creator, 'POST', '/api/v1/users', { login: `shared-${i}-${mode}`, password: 'the user password', email: `shared-${i}@tenant.test` })
      ).id!;
      const token = (
        await ok(
          creator,
          'POST',
          '/api/v1/tokens',
          c.email
            ? { kind: 'software', type: 'email' }
            : c.software
              ? { kind: 'software', type: 'totp' }
              : { kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `SHARED-${i}-${mode}` },
        )
      ).id!;
      if (!c.unowned) await ok(keys.su, 'PUT', `/api/v1/tokens/${token}/user`, { userId: user });
      for (const r of resources) {
        if (c.unowned) await ok(keys.su, 'PUT', `/api/v1/resources/${r}/users/${user}`);
        else await ok(keys.su, 'PUT', `/api/v1/resources/${r}/users/${user}/token`, { tokenId: token });
        await ok(keys.su, 'PUT', `/api/v1/resources/${r}/tokens/${token}`);
      }
      const otherUser = (await ok(creator, 'POST', '/api/v1/users', { login: `other-${i}-${mode}` })).id!;
      await ok(keys.su, 'PUT', `/api/v1/resources/${A}/users/${otherUser}`);
      // Only where needed: a resource has at most 100 filters.
      const filter = route.includes('{filterId}')
        ? (await ok(filterCreator, 'POST', `/api/v1/resources/${A}/filters`, { type: 'ip', mode: 'deny', cidrs: ['203.0.113.0/24'] })).id!
        : '';
      return { resource: A, user, token, filter, otherUser };
    }

    const call = (key: string, route: string, o: Objects) => {
      const [method, path] = route.split(' ') as [string, string];
      return as(key, method, fill(path, o), CASES[route]!.body?.(o));
    };

    /** Every row of every table (API keys' last use aside, which every call moves). */
    const everything = async () => snapshot(t, await allTables(t), { omit: ['lastUsedAt'] });
    /** What B's tenant holds of the objects: its assignments, and the user and token rows. */
    const ofB = async (o: Objects) =>
      snapshot(t, ['resource_users', 'resource_tokens', 'resource_user_tokens', 'users', 'tokens'] as Table[], {
        skip: {
          resource_users: (r) => r.resourceId !== B,
          resource_tokens: (r) => r.resourceId !== B,
          resource_user_tokens: (r) => r.resourceId !== B,
          users: (r) => r.id !== o.user,
          tokens: (r) => r.id !== o.token,
        },
      });

    it('has a case for every write route on a user, a token or a filter in the OpenAPI document', () => {
      assert.ok(writeRoutes.length >= 20, `${writeRoutes.length} write routes found`);
      assert.deepEqual(
        writeRoutes.filter((r) => !CASES[r]),
        [],
        'write routes without a case here (add them to CASES)',
      );
      assert.deepEqual(
        Object.keys(CASES).filter((r) => !writeRoutes.includes(r)),
        [],
        'cases for routes that no longer exist',
      );
    });

    it('refuses an administrator of A every write to a user or token also in B (403, nothing changes), and filter edits by a non-creator', async () => {
      let refused = 0;
      for (const route of writeRoutes) {
        const c = CASES[route]!;
        // Created by A's own administrator: being the creator does not reach into B.
        const o = await objects(route, keys.a, keys.su, [A, B]);
        const before = await everything();
        const beforeB = await ofB(o);
        const res = await call(keys.a, route, o);
        const what = `${route} → ${res.status} ${res.text}`;
        if (c.rule === 'own resource') {
          assert.ok(res.status >= 200 && res.status < 300, `A's own assignments stay A's to change: ${what}`);
          assertSameSnapshot(await ofB(o), beforeB, `B's side after ${route}`);
          continue;
        }
        assert.equal(res.status, 403, what);
        assert.equal(assertErrorBody(res.status, res.text, what).error.code, 'forbidden', what);
        assert.ok(!res.text.includes(B), `the answer does not name B: ${what}`);
        assertSameSnapshot(await everything(), before, `every table after ${route}`);
        refused++;
      }
      assert.equal(refused, writeRoutes.filter((r) => CASES[r]!.rule !== 'own resource').length);
    });

    it('lets the same writes through when the object is only in A, for an administrator of A and B, and for a superuser', async () => {
      const callers = [
        { who: 'administrator of A, object only in A', key: () => keys.a, resources: () => [A] },
        { who: 'administrator of A and B, object in both', key: () => keys.ab, resources: () => [A, B] },
        { who: 'superuser, object in A and B created by the administrator of A', key: () => keys.su, resources: () => [A, B], creator: () => keys.a },
      ];
      for (const caller of callers) {
        for (const route of writeRoutes) {
          const creator = caller.creator?.() ?? caller.key();
          const o = await objects(route, creator, creator, caller.resources());
          const before = await everything();
          const res = await call(caller.key(), route, o);
          assert.ok(res.status >= 200 && res.status < 300, `${caller.who}: ${route} → ${res.status} ${res.text}`);
          // Every change writes an event; checking a code and assigning what is assigned change nothing.
          const changes = CASES[route]!.rule !== 'own resource' && route !== 'POST /api/v1/tokens/{id}/check';
          if (changes) assert.notEqual(await everything(), before, `${caller.who}: ${route} changed something`);
        }
      }
    });

    it('counts every way an object is in B: alone, as a user with token, and a user through its token', async () => {
      const fresh = async () => {
        const i = ++n;
        const user = (await ok(keys.a, 'POST', '/api/v1/users', { login: `way-${i}-${mode}`, email: `way-${i}@tenant.test` })).id!;
        const token = (
          await ok(keys.a, 'POST', '/api/v1/tokens', { kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `WAY-${i}-${mode}` })
        ).id!;
        await ok(keys.su, 'PUT', `/api/v1/tokens/${token}/user`, { userId: user });
        await ok(keys.su, 'PUT', `/api/v1/resources/${A}/users/${user}/token`, { tokenId: token });
        return { user, token };
      };
      const refused = async (path: string, json: unknown, why: string) => {
        const res = await as(keys.a, path.startsWith('/api/v1/users') ? 'PATCH' : 'POST', path, json);
        assert.equal(res.status, 403, `${why}: ${res.text}`);
      };
      const userAlone = await fresh();
      await ok(keys.su, 'PUT', `/api/v1/resources/${B}/users/${userAlone.user}`);
      await refused(`/api/v1/users/${userAlone.user}`, { password: 'attacker-password' }, 'user assigned to B alone');
      const paired = await fresh();
      await ok(keys.su, 'PUT', `/api/v1/resources/${B}/users/${paired.user}/token`, { tokenId: paired.token });
      await refused(`/api/v1/tokens/${paired.token}/bypass`, { permanent: true }, 'token used in B as the user’s token');
      await refused(`/api/v1/users/${paired.user}`, { password: 'attacker-password' }, 'user with token in B');
      const tokenAlone = await fresh();
      await ok(keys.su, 'PUT', `/api/v1/resources/${B}/tokens/${tokenAlone.token}`);
      await refused(`/api/v1/tokens/${tokenAlone.token}/bypass`, { permanent: true }, 'token assigned to B alone');
      // Its codes go to the user's address: changing the e-mail would redirect B's codes.
      await refused(`/api/v1/users/${tokenAlone.user}`, { email: 'attacker@evil.test' }, 'user whose token B uses');
      const untouched = await t.db.selectFrom('users').select('email').where('id', '=', tokenAlone.user).executeTakeFirstOrThrow();
      assert.notEqual(untouched.email, 'attacker@evil.test');
      // What is only in A stays A's to change.
      const onlyA = await fresh();
      assert.equal((await as(keys.a, 'POST', `/api/v1/tokens/${onlyA.token}/bypass`, { permanent: true })).status, 200);
      assert.equal((await as(keys.a, 'PATCH', `/api/v1/users/${onlyA.user}`, { email: 'new@tenant.test' })).status, 200);
    });

    it('lets only its creator or a superuser disable or widen a filter, as only they may delete it (finding 5)', async () => {
      const path = `/api/v1/resources/${A}/filters`;
      const filter = (await ok(keys.ab, 'POST', path, { type: 'ip', mode: 'allow', cidrs: ['198.51.100.0/24'] })).id!;
      const before = await everything();
      for (const body of [{ enabled: false }, { cidrs: ['0.0.0.0/0'] }, { mode: 'deny' }]) {
        const res = await as(keys.a, 'PATCH', `${path}/${filter}`, body);
        assert.equal(res.status, 403, `${JSON.stringify(body)}: ${res.text}`);
        assert.equal(assertErrorBody(res.status, res.text, 'filter edit').error.code, 'forbidden');
      }
      assert.equal((await as(keys.a, 'DELETE', `${path}/${filter}`)).status, 403, 'the same rule as deleting');
      assertSameSnapshot(await everything(), before, 'every table after the refused filter edits');
      assert.equal((await as(keys.ab, 'PATCH', `${path}/${filter}`, { cidrs: ['0.0.0.0/0'] })).status, 200, 'its creator may');
      assert.equal((await as(keys.su, 'PATCH', `${path}/${filter}`, { enabled: false })).status, 200, 'a superuser may');
    });

    it('applies the rule to unassigned objects as to their visibility: the creator may change them, others do not see them', async () => {
      const own = (await ok(keys.a, 'POST', '/api/v1/users', { login: `unassigned-a-${mode}` })).id!;
      assert.equal((await as(keys.a, 'PATCH', `/api/v1/users/${own}`, { lastName: 'Changed' })).status, 200);
      const theirs = (await ok(keys.ab, 'POST', '/api/v1/tokens', { kind: 'software', type: 'totp' })).id!;
      const hidden = await as(keys.a, 'POST', `/api/v1/tokens/${theirs}/bypass`, { permanent: true });
      assert.equal(hidden.status, 404, hidden.text);
      assert.equal(hidden.body.error && (hidden.body.error as { code: string }).code, 'token_not_found');
      // Once it is in B, even its creator (not an administrator of B) may no longer change it.
      await ok(keys.su, 'PUT', `/api/v1/resources/${B}/users/${own}`);
      const inB = await as(keys.a, 'PATCH', `/api/v1/users/${own}`, { password: 'attacker-password' });
      assert.equal(inB.status, 403, inB.text);
      const row = await t.db.selectFrom('users').select(['passwordHash', 'lastName']).where('id', '=', own).executeTakeFirstOrThrow();
      assert.deepEqual(row, { passwordHash: null, lastName: 'Changed' });
    });
  });
}
