import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { base32Encode } from '../../server/src/otp/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { adminCalls, authCalls, rfcSecretBase32 } from '../helpers/auth.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { allTables, assertErrorBody, assertSameSnapshot, snapshot } from './fuzz-helpers.js';

// Tenant isolation (issue 9, DESIGN §3): an administrator of resource A calls EVERY admin route
// of the OpenAPI document with the ids of resource B's objects (and mixes of A's and B's ids,
// in the path and in the body). The design's answer: what is outside its reach is answered
// exactly as an id that does not exist (404 `…_not_found`, so ids cannot be probed), and what
// only a superuser may do is 403 `forbidden` whatever the id. No answer names anything of B,
// lists hold only A's rows, and B's rows and events are unchanged afterwards. The cases come
// from the document: a route whose path parameters or body this file cannot fill fails the
// test, so a new route gets covered when it is added.

/** One tenant's objects, by the role they play in a route. */
interface World {
  resource: string;
  user: string;
  token: string;
  filter: string;
  admin: string;
  key: string;
}

type Slot = keyof World;
type Side = 'A' | 'B' | 'unknown';

/** `{id}` takes its kind from the collection before it; the other path parameters are named for theirs. */
const COLLECTIONS: Record<string, Slot> = { resources: 'resource', users: 'user', tokens: 'token', admins: 'admin' };
const PARAMS: Record<string, Slot> = { userId: 'user', tokenId: 'token', filterId: 'filter', keyId: 'key' };
/** Query parameters that select by id (on lists). */
const QUERY_IDS: Record<string, Slot> = { resourceId: 'resource', userId: 'user', tokenId: 'token' };

function slotOf(path: string, param: string): Slot {
  if (param === 'id') {
    const collection = /\/(\w+)\/\{id\}/.exec(path)?.[1];
    const slot = collection && COLLECTIONS[collection];
    if (!slot) throw new Error(`tenant isolation: no filler for {id} in ${path}; add its collection to COLLECTIONS`);
    return slot;
  }
  const slot = PARAMS[param];
  if (!slot) throw new Error(`tenant isolation: no filler for {${param}} in ${path}; add it to PARAMS`);
  return slot;
}

type Body = { json: unknown } | { csv: string };
/** A valid body for every admin route that takes one; `w` names the tenant its ids come from. */
let serial = 0;
const BODIES: Record<string, { slots?: Slot[]; body: (w: World) => Body }> = {
  'POST /api/v1/admins': { slots: ['resource'], body: (w) => ({ json: { name: 'made by A', role: 'admin', resourceIds: [w.resource] } }) },
  'PATCH /api/v1/admins/{id}': { slots: ['resource'], body: (w) => ({ json: { resourceIds: [w.resource] } }) },
  'POST /api/v1/admins/{id}/keys': { body: () => ({ json: { name: 'key made by A' } }) },
  'POST /api/v1/tokens': { body: () => ({ json: { kind: 'software', type: 'totp' } }) },
  'POST /api/v1/tokens/import': {
    body: () => ({ csv: `serialNumber,secret\nISO-IMPORT-${++serial}-${randomUUID()},${base32Encode(Buffer.alloc(20, serial))}\n` }),
  },
  'PATCH /api/v1/tokens/{id}': { body: () => ({ json: { name: 'renamed by A', active: false } }) },
  'POST /api/v1/tokens/{id}/check': { body: () => ({ json: { otp: '123456' } }) },
  'POST /api/v1/tokens/{id}/confirm': { body: () => ({ json: { otp: '123456' } }) },
  'POST /api/v1/tokens/{id}/sync': { body: () => ({ json: { otp1: '123456', otp2: '654321' } }) },
  'POST /api/v1/tokens/{id}/bypass': { body: () => ({ json: { permanent: true } }) },
  'PUT /api/v1/tokens/{id}/user': { slots: ['user'], body: (w) => ({ json: { userId: w.user } }) },
  'POST /api/v1/resources': { body: () => ({ json: { name: `made by A ${randomUUID()}` } }) },
  'PATCH /api/v1/resources/{id}': { body: () => ({ json: { failedAttemptsLimit: 3, allowedOrigins: ['https://evil.example'] } }) },
  'PUT /api/v1/resources/{id}/users/{userId}/token': { slots: ['token'], body: (w) => ({ json: { tokenId: w.token } }) },
  'POST /api/v1/resources/{id}/filters': { body: () => ({ json: { type: 'ip', mode: 'deny', cidrs: ['0.0.0.0/0'] } }) },
  'PATCH /api/v1/resources/{id}/filters/{filterId}': { body: () => ({ json: { enabled: false } }) },
  'POST /api/v1/users': { body: () => ({ json: { login: `made-by-a-${randomUUID()}` } }) },
  'PATCH /api/v1/users/{id}': { body: () => ({ json: { lastName: 'Changed by A', password: 'hijacked-password' } }) },
};

interface Operation {
  method: string;
  path: string;
  pathSlots: [string, Slot][];
  querySlots: [string, Slot][];
  hasBody: boolean;
}

type Doc = {
  paths: Record<string, Record<string, { security?: Record<string, unknown>[]; parameters?: { in: string; name: string }[]; requestBody?: unknown }>>;
};

/** The admin routes (Bearer API key) of the document, with what fills each of their ids. */
function adminOperations(doc: Doc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!op.security?.some((s) => 'apiKey' in s)) continue; // resource credentials or public
      const params = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        pathSlots: params.filter((p) => p.in === 'path').map((p) => [p.name, slotOf(path, p.name)]),
        querySlots: params.filter((p) => p.in === 'query' && p.name in QUERY_IDS).map((p) => [p.name, QUERY_IDS[p.name]!]),
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return ops;
}

for (const mode of dbModes()) {
  describe(`tenant isolation across every admin route (${mode})`, { timeout: 120_000 }, () => {
    let t: TestDb;
    let api: TestApp;
    let ops: Operation[];
    let A: World;
    let B: World;
    let aKey: string;
    /** A fresh set of A's objects (same resource and administrator), for calls that use them up. */
    let freshA: () => Promise<World>;
    /** Everything that names B: ids, logins, names, serial numbers. No answer to A may contain one it was not sent. */
    let bNames: string[];
    const bUsers: string[] = [];
    const bTokens: string[] = [];

    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      const su = adminCalls(api);
      const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as Doc;
      ops = adminOperations(doc);

      /** A tenant: resource, a user with password paired with a token, a token assigned alone, a filter, its administrator and a spare key. */
      const tenant = async (name: string) => {
        const resource = await su.resource({ name: `Tenant ${name} ${mode}` });
        const user = await su.user({ login: `tenant-${name}-user-${mode}`, password: 'correct horse battery', email: `${name}@tenant.test` });
        const paired = await su.token({ kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `TENANT-${name}-PAIRED-${mode}` });
        await su.pair(resource.id, user.id, paired.id);
        const loose = await su.token({ kind: 'hardware', type: 'totp', secret: rfcSecretBase32, serialNumber: `TENANT-${name}-LOOSE-${mode}` });
        await su.assignToken(resource.id, loose.id);
        const filter = await su.call<{ id: string }>('POST', `/api/v1/resources/${resource.id}/filters`, {
          type: 'userAgent',
          mode: 'deny',
          patterns: [`bot-${name}`],
        });
        const admin = await su.call<{ id: string; apiKey: string }>('POST', '/api/v1/admins', {
          name: `admin of ${name}`,
          role: 'admin',
          resourceIds: [resource.id],
        });
        const spare = await su.call<{ id: string; prefix: string }>('POST', `/api/v1/admins/${admin.id}/keys`, { name: 'spare' });
        // Events of the tenant: a failed and a successful sign-in through the authentication API.
        const auth = authCalls(api, resource);
        await auth('password', { login: `tenant-${name}-user-${mode}`, password: 'wrong password', ip: '192.0.2.1' });
        await auth('password', { login: `tenant-${name}-user-${mode}`, password: 'correct horse battery', ip: '192.0.2.1' });
        // The world a route sees: the unpaired token, so that "give this token to a user" gets past ownership.
        const world: World = { resource: resource.id, user: user.id, token: loose.id, filter: filter.id, admin: admin.id, key: spare.id };
        const names = [
          resource.id,
          `Tenant ${name} ${mode}`,
          user.id,
          `tenant-${name}-user-${mode}`,
          `${name}@tenant.test`,
          paired.id,
          loose.id,
          `TENANT-${name}-PAIRED-${mode}`,
          `TENANT-${name}-LOOSE-${mode}`,
          filter.id,
          `bot-${name}`,
          admin.id,
          `admin of ${name}`,
          spare.id,
          spare.prefix,
        ];
        return { world, names, key: admin.apiKey, users: [user.id], tokens: [paired.id, loose.id] };
      };
      const a = await tenant('a');
      let fresh = 0;
      freshA = async () => {
        const n = ++fresh;
        const user = await su.user({ login: `tenant-a-fresh-${n}-${mode}`, password: 'correct horse battery' });
        const paired = await su.token({ kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `TENANT-A-FRESH-${n}-${mode}` });
        await su.pair(a.world.resource, user.id, paired.id);
        const loose = await su.token({ kind: 'hardware', type: 'totp', secret: rfcSecretBase32, serialNumber: `TENANT-A-FRESH-LOOSE-${n}-${mode}` });
        await su.assignToken(a.world.resource, loose.id);
        const filter = await su.call<{ id: string }>('POST', `/api/v1/resources/${a.world.resource}/filters`, {
          type: 'userAgent',
          mode: 'deny',
          patterns: [`fresh-${n}`],
        });
        const spare = await su.call<{ id: string }>('POST', `/api/v1/admins/${a.world.admin}/keys`, { name: `spare ${n}` });
        return { ...a.world, user: user.id, token: loose.id, filter: filter.id, key: spare.id };
      };
      const b = await tenant('b');
      A = a.world;
      B = b.world;
      aKey = a.key;
      bNames = b.names;
      bUsers.push(...b.users);
      bTokens.push(...b.tokens);
    });
    after(() => t?.close());

    /** B's rows in every table (its objects, their links, events, throttles, challenges...): whatever names B. */
    const bSnapshot = async () => {
      const isB = (r: Record<string, unknown>) =>
        r.resourceId === B.resource ||
        bUsers.includes(r.userId as string) ||
        bTokens.includes(r.tokenId as string) ||
        r.adminId === B.admin ||
        [B.resource, B.admin, ...bUsers, ...bTokens, B.filter].includes(r.id as string);
      const tables = await allTables(t);
      return snapshot(t, tables, { omit: ['lastUsedAt'], skip: Object.fromEntries(tables.map((tb) => [tb, (r: Record<string, unknown>) => !isB(r)])) });
    };

    const worldOf = (side: Side, a: World = A): World =>
      side === 'A'
        ? a
        : side === 'B'
          ? B
          : { resource: randomUUID(), user: randomUUID(), token: randomUUID(), filter: randomUUID(), admin: randomUUID(), key: randomUUID() };

    /** Calls `op` as A's administrator with each of its ids taken from the tenant `sides` names (A's from `a`). */
    async function callAs(op: Operation, sides: Record<string, Side>, a: World = A) {
      const world = (name: string) => worldOf(sides[name] ?? 'A', a);
      // One unknown world per call, so the same unknown id fills every slot that wants one.
      const unknown = worldOf('unknown');
      const pick = (name: string, slot: Slot) => ((sides[name] ?? 'A') === 'unknown' ? unknown[slot] : world(name)[slot]);
      const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => pick(name, op.pathSlots.find(([n]) => n === name)![1]));
      const query = new URLSearchParams(op.querySlots.filter(([name]) => sides[`?${name}`]).map(([name, slot]) => [name, pick(`?${name}`, slot)])).toString();
      const entry = BODIES[`${op.method} ${op.path}`];
      let body: Body | undefined;
      if (entry) {
        const side = sides.body ?? 'A';
        body = entry.body(side === 'unknown' ? unknown : worldOf(side, a));
      }
      const url = `${path}${query ? `?${query}` : ''}`;
      const init: RequestInit & { key: string; json?: unknown } = { method: op.method, key: aKey };
      if (body && 'json' in body) init.json = body.json;
      if (body && 'csv' in body) Object.assign(init, { body: body.csv, headers: { 'content-type': 'text/csv' } });
      const res = await api.request(url, init);
      const text = await res.text();
      const sent = `${url} ${body ? JSON.stringify(body) : ''}`;
      const what = `${op.method} ${url} ${body ? JSON.stringify(body).slice(0, 200) : ''} → ${res.status} ${text.slice(0, 300)}`;
      assert.ok(res.status < 500, what);
      for (const name of bNames) assert.ok(!text.includes(name) || sent.includes(name), `${what}: the answer names B's ${name}`);
      return { status: res.status, text, what, code: res.status >= 400 ? assertErrorBody(res.status, text, what).error.code : undefined };
    }

    /** The ways to point a route at B: everything from B, and (with several ids) each id alone from B. */
    function variants(op: Operation): Record<string, Side>[] {
      const slots = [...op.pathSlots.map(([n]) => n), ...(BODIES[`${op.method} ${op.path}`]?.slots?.length ? ['body'] : [])];
      if (slots.length === 0) return [];
      const all = Object.fromEntries(slots.map((s) => [s, 'B' as Side]));
      return slots.length === 1 ? [all] : [all, ...slots.map((s) => ({ [s]: 'B' as Side }))];
    }

    it('knows how to call every admin route of the OpenAPI document', () => {
      assert.ok(ops.length >= 45, `only ${ops.length} admin operations documented`);
      const documented = new Set(ops.map((o) => `${o.method} ${o.path}`));
      const missing = ops.filter((o) => o.hasBody && !BODIES[`${o.method} ${o.path}`]).map((o) => `${o.method} ${o.path}`);
      assert.deepEqual(missing, [], 'routes with a request body this test has no valid body for (add them to BODIES)');
      const stale = Object.keys(BODIES).filter((k) => !documented.has(k));
      assert.deepEqual(stale, [], 'BODIES entries for routes that no longer exist');
    });

    it("answers B's ids exactly as unknown ids (404, or 403 for superuser-only actions), names nothing of B, changes nothing of B", async () => {
      const before = await bSnapshot();
      const rowsOfB = JSON.parse(before) as Record<string, string[]>;
      for (const table of ['resources', 'users', 'tokens', 'filters', 'api_keys', 'events']) assert.ok(rowsOfB[table]!.length > 0, `B has ${table} to protect`);
      const notFound = new Set<string>();
      let cases = 0;
      for (const op of ops) {
        for (const sides of variants(op)) {
          const b = await callAs(op, sides);
          const unknownSides = Object.fromEntries(Object.entries(sides).map(([k]) => [k, 'unknown' as Side]));
          const u = await callAs(op, unknownSides);
          assert.ok(b.status === 403 || b.status === 404, `refused: ${b.what}`);
          assert.ok(b.code === 'forbidden' || b.code?.endsWith('_not_found'), `refused as forbidden or not found: ${b.what}`);
          assert.deepEqual([b.status, b.code], [u.status, u.code], `the same answer as for ids that do not exist:\n  B:       ${b.what}\n  unknown: ${u.what}`);
          if (b.status === 404) notFound.add(`${op.method} ${op.path}`);
          cases++;
        }
        // Lists filtered by one of B's ids find nothing, as for an id that does not exist.
        for (const [name] of op.querySlots) {
          const b = await callAs(op, { [`?${name}`]: 'B' });
          const u = await callAs(op, { [`?${name}`]: 'unknown' });
          assert.equal(b.status, 200, b.what);
          assert.deepEqual((JSON.parse(b.text) as { items: unknown[] }).items, [], `nothing of B: ${b.what}`);
          assert.equal(b.text, u.text, 'the same answer as for an id that does not exist');
          cases++;
        }
      }
      assert.ok(cases >= 50, `${cases} cases`);
      assertSameSnapshot(await bSnapshot(), before, "B's rows and events");

      // The ids were real ones: with A's own ids (fresh ones for calls that change them) the same
      // routes get past the tenant check.
      for (const op of ops) {
        if (!notFound.has(`${op.method} ${op.path}`)) continue;
        const own = await callAs(op, {}, op.method === 'GET' ? A : await freshA());
        assert.ok(!own.code?.endsWith('_not_found'), `A's own ids are found: ${own.what}`);
      }
      assertSameSnapshot(await bSnapshot(), before, "B's rows and events, after A used its own ids");
    });

    it('shows A only its own rows in every list, and touches nothing of B with routes that take no ids', async () => {
      const before = await bSnapshot();
      for (const op of ops.filter((o) => o.pathSlots.length === 0 && !BODIES[`${o.method} ${o.path}`]?.slots)) {
        const res = await callAs(op, {});
        if (op.method !== 'GET') continue;
        // The whole audit chain is verified for superusers only (it spans every tenant).
        if (`${op.method} ${op.path}` === 'GET /api/v1/events/chain') {
          assert.equal(res.status, 403, res.what);
          continue;
        }
        assert.equal(res.status, 200, res.what);
        const body = JSON.parse(res.text) as { items?: { id?: string }[]; total?: number; resourceIds?: string[] };
        if (body.items) assert.ok(body.items.length <= (body.total ?? 0) && body.items.length > 0, `${res.what}: A's own rows are listed`);
        if (body.resourceIds) assert.deepEqual(body.resourceIds, [A.resource]);
      }
      // Larger pages and searches that would match B's rows find only A's.
      for (const path of [
        '/api/v1/users?search=tenant-&limit=500',
        '/api/v1/tokens?search=TENANT-&limit=500',
        '/api/v1/resources?search=Tenant&limit=500',
        '/api/v1/events?limit=500',
        '/api/v1/admins?limit=500',
      ]) {
        const res = await api.request(path, { key: aKey });
        const text = await res.text();
        assert.equal(res.status, 200, text);
        for (const name of bNames) assert.ok(!text.includes(name), `${path} names B's ${name}`);
      }
      assertSameSnapshot(await bSnapshot(), before, "B's rows and events");
    });

    it('shows only A’s side of objects A and B share, and removes only A’s assignments', async () => {
      const su = adminCalls(api);
      const shared = await su.token({ kind: 'hardware', type: 'hotp', secret: rfcSecretBase32, serialNumber: `SHARED-${mode}` });
      const sharedUser = await su.user({ login: `shared-user-${mode}` });
      await su.assignToken(A.resource, shared.id);
      await su.assignToken(B.resource, shared.id);
      await su.pair(B.resource, sharedUser.id, shared.id);
      await su.assignUser(A.resource, sharedUser.id);
      const before = await bSnapshot();
      const as = async (method: string, path: string) => {
        const res = await api.request(path, { method, key: aKey });
        const text = await res.text();
        for (const name of bNames) assert.ok(!text.includes(name), `${method} ${path} names B's ${name}: ${text}`);
        return { status: res.status, body: (text ? JSON.parse(text) : {}) as { items?: { id: string }[]; total?: number } };
      };
      const resources = await as('GET', `/api/v1/tokens/${shared.id}/resources`);
      assert.equal(resources.status, 200);
      assert.deepEqual(
        resources.body.items!.map((r) => r.id),
        [A.resource],
        "the token's resources as A sees them",
      );
      assert.equal(resources.body.total, 1);
      assert.equal((await as('GET', `/api/v1/tokens/${shared.id}/events?limit=500`)).status, 200);
      assert.equal((await as('GET', `/api/v1/users/${sharedUser.id}`)).status, 200);
      assert.equal((await as('GET', `/api/v1/events?tokenId=${shared.id}&limit=500`)).status, 200);
      assert.equal((await as('GET', `/api/v1/events?userId=${sharedUser.id}&limit=500`)).status, 200);
      assert.equal((await as('DELETE', `/api/v1/resources/${A.resource}/tokens/${shared.id}`)).status, 204);
      assert.equal((await as('DELETE', `/api/v1/resources/${A.resource}/users/${sharedUser.id}`)).status, 204);
      // B's own assignments of the shared token and user are where they were.
      assert.ok(
        await t.db.selectFrom('resource_tokens').select('tokenId').where('resourceId', '=', B.resource).where('tokenId', '=', shared.id).executeTakeFirst(),
      );
      assert.ok(
        await t.db
          .selectFrom('resource_user_tokens')
          .select('tokenId')
          .where('resourceId', '=', B.resource)
          .where('userId', '=', sharedUser.id)
          .executeTakeFirst(),
      );
      assertSameSnapshot(await bSnapshot(), before, "B's rows and events");
    });
  });
}
