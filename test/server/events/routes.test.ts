import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertAdmin } from '../../../server/src/admins/repository.js';
import { createApiKey } from '../../../server/src/admins/keys-service.js';
import { sealEvents } from '../../../server/src/events/chain.js';
import { appendEvent, type NewEvent } from '../../../server/src/events/repository.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type EventJson = {
  id: string;
  type: string;
  createdAt: string;
  sealed: boolean;
  actorAdminId: string | null;
  resourceId: string | null;
  reason: string | null;
};
type Page = { items: EventJson[]; total: number; error?: { code: string; field?: string } };

for (const mode of dbModes()) {
  describe(`events API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let keyA: string;
    let keyB: string;
    let adminA: string;
    const ids: Record<string, string> = {};
    /** Event types by name, so each test can ask "which of mine are visible". */
    const mark = (name: string) => `t.${name}`;

    const get = async (query: string, key?: string) => {
      const res = await api.request(`/api/v1/events${query}`, key ? { key } : {});
      return { status: res.status, body: (await res.json()) as Page };
    };
    const visible = async (key: string, query = '') => {
      const page = await get(`?limit=500${query}`, key);
      assert.equal(page.status, 200);
      return page.body.items
        .map((e) => e.type)
        .filter((type) => type.startsWith('t.'))
        .sort();
    };

    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      const db = t.db;
      const resource = async (name: string) => (await db.insertInto('resources').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
      const user = async (login: string) => (await db.insertInto('users').values({ login }).returning('id').executeTakeFirstOrThrow()).id;
      const token = async (name: string, userId: string | null = null) =>
        (await db.insertInto('tokens').values({ kind: 'software', type: 'email', name, userId }).returning('id').executeTakeFirstOrThrow()).id;
      const admin = async (name: string, resourceId: string) => {
        const a = await insertAdmin(db, { name, role: 'admin', createdBy: null });
        await db.insertInto('admin_resources').values({ adminId: a.id, resourceId }).execute();
        return { id: a.id, key: (await createApiKey(db, { adminId: a.id, name: 'test', actor: 'test' })).apiKey };
      };
      ids.A = await resource('A');
      ids.B = await resource('B');
      ids.uA = await user('ua');
      ids.uB = await user('ub');
      ids.uShared = await user('shared');
      ids.uOwner = await user('owner');
      ids.tA = await token('ta');
      ids.tB = await token('tb');
      ids.tOwned = await token('owned', ids.uOwner);
      ids.tLoose = await token('loose');
      await db
        .insertInto('resource_users')
        .values([
          { resourceId: ids.A, userId: ids.uA },
          { resourceId: ids.B, userId: ids.uB },
          { resourceId: ids.A, userId: ids.uShared },
          { resourceId: ids.B, userId: ids.uShared },
        ])
        .execute();
      await db
        .insertInto('resource_tokens')
        .values([
          { resourceId: ids.A, tokenId: ids.tA },
          { resourceId: ids.B, tokenId: ids.tB },
        ])
        .execute();
      await db.insertInto('resource_user_tokens').values({ resourceId: ids.A, userId: ids.uOwner, tokenId: ids.tOwned }).execute();
      const a = await admin('admin A', ids.A);
      const b = await admin('admin B', ids.B);
      [adminA, keyA, keyB] = [a.id, a.key, b.key];

      const events: [string, Omit<NewEvent, 'type' | 'actor'>][] = [
        ['authA', { resourceId: ids.A, userId: ids.uA, tokenId: ids.tA, result: 'failure', reason: 'wrong_otp', ip: '192.0.2.7' }],
        ['authB', { resourceId: ids.B, userId: ids.uB, result: 'success' }],
        ['tokenA', { tokenId: ids.tA }],
        ['userB', { userId: ids.uB }],
        ['sharedAuthB', { resourceId: ids.B, userId: ids.uShared, result: 'success' }],
        ['sharedUser', { userId: ids.uShared }],
        ['byAdminA', { actorAdminId: a.id }],
        ['ownedToken', { tokenId: ids.tOwned }],
        ['ownerUser', { userId: ids.uOwner }],
        ['looseToken', { tokenId: ids.tLoose }],
      ];
      for (const [name, e] of events) await appendEvent(db, { type: mark(name), actor: e.actorAdminId ? `admin:${e.actorAdminId}` : 'widget', ...e });
      // Three dated events for the time filters.
      for (const at of ['2020-01-01T00:00:00Z', '2020-06-01T12:00:00Z', '2021-01-01T00:00:00Z']) {
        await db.insertInto('events').values({ type: 'dated', actor: 'system', createdAt: at }).execute();
      }
    });
    after(() => t.close());

    it('lists every event for a superuser, newest first, with the total', async () => {
      const all = await t.db.selectFrom('events').select('id').orderBy('id', 'desc').execute();
      const page = await get('?limit=500');
      assert.equal(page.status, 200);
      assert.equal(page.body.total, all.length);
      assert.deepEqual(
        page.body.items.map((e) => e.id),
        all.map((r) => r.id),
      );
      const first = page.body.items.find((e) => e.type === mark('byAdminA'))!;
      assert.equal(first.actorAdminId, adminA);
      assert.equal(first.sealed, false);
      assert.match(first.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('filters by type, resource, user, token and search (case-insensitive, wildcards literal)', async () => {
      assert.deepEqual(
        (await get(`?type=${mark('authA')}`)).body.items.map((e) => e.type),
        [mark('authA')],
      );
      assert.deepEqual(await visible(api.adminKey, `&resourceId=${ids.B}`), [mark('authB'), mark('sharedAuthB')]);
      assert.deepEqual(await visible(api.adminKey, `&userId=${ids.uShared}`), [mark('sharedAuthB'), mark('sharedUser')]);
      assert.deepEqual(await visible(api.adminKey, `&tokenId=${ids.tA}`), [mark('authA'), mark('tokenA')]);
      assert.deepEqual(await visible(api.adminKey, `&userId=${ids.uB}&resourceId=${ids.B}`), [mark('authB')]);
      assert.deepEqual(await visible(api.adminKey, '&search=WRONG_OTP'), [mark('authA')], 'reason');
      assert.deepEqual(await visible(api.adminKey, '&search=192.0.2'), [mark('authA')], 'ip');
      assert.deepEqual(await visible(api.adminKey, `&search=${adminA.slice(0, 13)}`), [mark('byAdminA')], 'actor');
      assert.equal((await get('?search=%25')).body.total, 0, 'a % is a character, not a wildcard');
      assert.equal((await get('?search=t_a')).body.total, 0, 'an _ is a character, not a wildcard');
    });

    it('filters by time range (inclusive, any offset) and refuses a reversed or malformed range', async () => {
      const dated = async (q: string) => (await get(`?type=dated${q}`)).body.items.map((e) => e.createdAt);
      assert.deepEqual(await dated('&from=2020-03-01T00:00:00Z&to=2020-12-31T23:59:59Z'), ['2020-06-01T12:00:00.000Z']);
      assert.deepEqual(await dated('&from=2020-06-01T14:00:00%2B02:00'), ['2021-01-01T00:00:00.000Z', '2020-06-01T12:00:00.000Z'], 'from is inclusive');
      assert.deepEqual(await dated('&to=2020-01-01T00:00:00Z'), ['2020-01-01T00:00:00.000Z'], 'to is inclusive');
      const reversed = await get('?from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z');
      assert.equal(reversed.status, 400);
      assert.equal(reversed.body.error?.field, 'query.to');
      for (const bad of ['from=yesterday', 'to=2020-13-01T00:00:00Z', 'from=2020-01-01T00:00:00', 'from=2020-01-01']) {
        const res = await get(`?${bad}`);
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.error?.code, 'invalid_request');
        assert.equal(res.body.error?.field, `query.${bad.split('=')[0]}`);
      }
    });

    it('pages within bounds and refuses bad paging and ids with 400', async () => {
      const full = (await get('?limit=500')).body;
      const pages: string[] = [];
      for (let start = 0; start < full.total; start += 4) {
        const page = (await get(`?start=${start}&limit=4`)).body;
        assert.equal(page.total, full.total);
        pages.push(...page.items.map((e) => e.id));
      }
      assert.deepEqual(
        pages,
        full.items.map((e) => e.id),
      );
      const beyond = await get(`?start=${full.total + 10}`);
      assert.deepEqual(beyond.body, { items: [], total: full.total, next: null });
      assert.equal((await get('')).body.items.length, Math.min(50, full.total), 'default limit 50');
      for (const bad of [
        'limit=501',
        'limit=0',
        'limit=-1',
        'limit=abc',
        'start=-1',
        'start=1e20',
        'resourceId=nope',
        'userId=1',
        'tokenId=%27%3B',
        `type=${'x'.repeat(101)}`,
        `search=${'x'.repeat(201)}`,
      ]) {
        const res = await get(`?${bad}`);
        assert.equal(res.status, 400, bad);
        assert.equal(res.body.error?.field, `query.${bad.split('=')[0]}`, bad);
      }
      assert.equal((await get('', 'vf_unknown')).status, 401);
      assert.equal((await api.request('/api/v1/events', { key: null })).status, 401);
    });

    it('shows a resource administrator only its resources, what is assigned to them, and what it did', async () => {
      assert.deepEqual(
        await visible(keyA),
        [mark('authA'), mark('byAdminA'), mark('ownedToken'), mark('ownerUser'), mark('sharedUser'), mark('tokenA')].sort(),
      );
      assert.deepEqual(await visible(keyB), [mark('authB'), mark('sharedAuthB'), mark('sharedUser'), mark('userB')].sort());
      const page = await get('?limit=500', keyA);
      assert.equal(page.body.total, page.body.items.length, 'the total counts only visible events');
      assert.ok(!page.body.items.some((e) => e.type === 'dated' || e.type === 'api_key.created'), 'nothing outside its reach');
      // Filters cannot widen the view: another resource, its user or token give nothing.
      assert.deepEqual(await get(`?resourceId=${ids.B}`, keyA).then((r) => r.body), { items: [], total: 0, next: null });
      assert.deepEqual(await get(`?userId=${ids.uB}`, keyA).then((r) => r.body), { items: [], total: 0, next: null });
      assert.deepEqual(await get(`?tokenId=${ids.tB}`, keyA).then((r) => r.body), { items: [], total: 0, next: null });
      assert.deepEqual(await get(`?tokenId=${ids.tLoose}`, keyA).then((r) => r.body), { items: [], total: 0, next: null });
      // A shared user's authentication in B is B's business, not A's.
      assert.deepEqual(await visible(keyA, `&userId=${ids.uShared}`), [mark('sharedUser')]);
      assert.deepEqual(await visible(keyA, '&search=192.0.2'), [mark('authA')]);
      assert.deepEqual(await visible(keyB, '&search=192.0.2'), []);
    });

    it('reports whether each event is sealed into the chain yet', async () => {
      await sealEvents(t.db, api.keyRing);
      const items = (await get('?limit=500')).body.items;
      assert.ok(items.every((e) => e.sealed));
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as {
        paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
      };
      const params = doc.paths['/api/v1/events']?.get?.parameters?.map((p) => p.name).sort();
      assert.deepEqual(params, ['cursor', 'from', 'limit', 'resourceId', 'search', 'start', 'to', 'tokenId', 'type', 'userId']);
    });
  });
}
