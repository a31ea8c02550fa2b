import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256 } from '../../../server/src/crypto/random.js';
import { verifyResourceSecret } from '../../../server/src/resources/secret.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { caller, createResource, missingId, resourceAdmin } from './helpers.js';

for (const mode of dbModes()) {
  describe(`resource API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let call: ReturnType<typeof caller>;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      call = caller(api);
    });
    after(() => t.close());

    it('creates a resource with defaults and shows the secret exactly once, storing only its hash', async () => {
      const res = await call('POST', '/api/v1/resources', { name: '  Shop  ' });
      assert.equal(res.status, 201, res.text);
      const secret = res.body.secret as string;
      assert.match(secret, /^vfs_[A-Za-z0-9_-]{43}$/);
      assert.equal(res.body.name, 'Shop');
      for (const [k, v] of Object.entries({
        active: true,
        allowedOrigins: [],
        failedAttemptsLimit: 5,
        otpWindow: 1,
        hotpLookAhead: 10,
        authMethod: 'password+otp',
        progressiveUnlock: false,
        throttleMaxFailures: 30,
        throttleWindowSeconds: 300,
        codeTtlSeconds: 300,
        secretRotatedAt: null,
      })) {
        assert.deepEqual(res.body[k], v, k);
      }
      assert.equal(res.body.secretHash, undefined);
      const id = res.body.id as string;
      const row = await t.db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row.secretHash, sha256(secret));
      assert.ok(!JSON.stringify(row).includes(secret.slice(4)), 'the raw row holds only the hash');
      for (const later of [
        await call('GET', `/api/v1/resources/${id}`),
        await call('GET', '/api/v1/resources'),
        await call('PATCH', `/api/v1/resources/${id}`, { active: false }),
      ]) {
        assert.equal(later.status, 200, later.text);
        assert.ok(!later.text.includes(secret.slice(4)), 'no later response contains the secret');
      }
      const events = await t.db.selectFrom('events').selectAll().where('resourceId', '=', id).execute();
      assert.deepEqual(events.map((e) => e.type).sort(), ['resource.created', 'resource.deactivated', 'resource.updated']);
      assert.ok(!JSON.stringify(events).includes(secret.slice(4)), 'no event contains the secret');
      assert.equal(await verifyResourceSecret(t.db, id, secret), true);
    });

    it('takes every setting within its bounds and refuses the rest with the field named', async () => {
      const settings = {
        active: false,
        failedAttemptsLimit: 10,
        otpWindow: 0,
        hotpLookAhead: 50,
        authMethod: 'otp',
        progressiveUnlock: true,
        throttleMaxFailures: 5,
        throttleWindowSeconds: 60,
        codeTtlSeconds: 600,
      };
      const ok = await call('POST', '/api/v1/resources', { name: 'Bounds', ...settings });
      assert.equal(ok.status, 201, ok.text);
      for (const [k, v] of Object.entries(settings)) assert.equal(ok.body[k], v, k);
      const bad: [Record<string, unknown>, string][] = [
        [{ failedAttemptsLimit: 2 }, 'body.failedAttemptsLimit'],
        [{ failedAttemptsLimit: 11 }, 'body.failedAttemptsLimit'],
        [{ failedAttemptsLimit: 5.5 }, 'body.failedAttemptsLimit'],
        [{ otpWindow: 3 }, 'body.otpWindow'],
        [{ hotpLookAhead: 0 }, 'body.hotpLookAhead'],
        [{ codeTtlSeconds: 59 }, 'body.codeTtlSeconds'],
        [{ throttleMaxFailures: 0 }, 'body.throttleMaxFailures'],
        [{ throttleWindowSeconds: -1 }, 'body.throttleWindowSeconds'],
        [{ authMethod: 'sms' }, 'body.authMethod'],
        [{ active: 'yes' }, 'body.active'],
        [{ name: 'x'.repeat(101) }, 'body.name'],
        [{ name: '   ' }, 'body.name'],
        [{ name: 'a\u0000b' }, 'body.name'],
        [{ secret: 'vfs_mine' }, 'body'],
      ];
      for (const [extra, field] of bad) {
        const res = await call('POST', '/api/v1/resources', { name: 'Bad bounds', ...extra });
        assert.equal(res.status, 400, `${JSON.stringify(extra)} → ${res.text}`);
        assert.equal(res.body.error?.code, 'invalid_request');
        assert.equal(res.body.error?.field, field, JSON.stringify(extra));
      }
      assert.equal((await call('POST', '/api/v1/resources', {})).body.error?.field, 'body.name');
      const malformed = await api.request('/api/v1/resources', { method: 'POST', body: '{"name":', headers: { 'content-type': 'application/json' } });
      assert.equal(malformed.status, 400);
    });

    it('refuses a second resource with the same name in any case, on create and on rename', async () => {
      const { id } = await createResource(call, 'Intranet');
      const dup = await call('POST', '/api/v1/resources', { name: 'INTRANET' });
      assert.equal(dup.status, 409);
      assert.equal(dup.body.error?.code, 'resource_name_taken');
      assert.equal(dup.body.error?.field, 'body.name');
      const other = await createResource(call, 'Extranet');
      const rename = await call('PATCH', `/api/v1/resources/${other.id}`, { name: 'intranet' });
      assert.equal(rename.status, 409);
      assert.equal(rename.body.error?.code, 'resource_name_taken');
      assert.equal((await call('PATCH', `/api/v1/resources/${id}`, { name: 'IntraNet' })).body.name, 'IntraNet', 'renaming itself is fine');
      // Two at once: the unique index decides and the loser still gets 409, not 500.
      const race = await Promise.all([call('POST', '/api/v1/resources', { name: 'Race' }), call('POST', '/api/v1/resources', { name: 'race' })]);
      assert.deepEqual(race.map((r) => r.status).sort(), [201, 409]);
    });

    it('normalises allowed origins and refuses wildcards, paths, other schemes and user info', async () => {
      const res = await call('POST', '/api/v1/resources', {
        name: 'Origins',
        allowedOrigins: [
          'HTTPS://Shop.Example.COM:443',
          'http://localhost:8080/',
          'https://shop.example.com',
          'http://[::1]:80',
          'https://bücher.example',
          'https://a.example:8443',
        ],
      });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.allowedOrigins, [
        'https://shop.example.com',
        'http://localhost:8080',
        'http://[::1]',
        'https://xn--bcher-kva.example',
        'https://a.example:8443',
      ]);
      const bad = [
        'https://*.example.com',
        '*',
        'https://example.com/path',
        'https://example.com/login/',
        'ftp://example.com',
        'javascript://example.com',
        'https://example.com?x=1',
        'https://example.com#top',
        'https://user:pw@example.com',
        'example.com',
        'https:example.com',
        'https://',
        'null',
        'https://exa mple.com',
        'https://example.com:99999',
        `https://${'a'.repeat(300)}.com`,
      ];
      for (const origin of bad) {
        const r = await call('POST', '/api/v1/resources', { name: 'Bad origin', allowedOrigins: ['https://ok.example', origin] });
        assert.equal(r.status, 400, `${origin} → ${r.text}`);
        assert.equal(r.body.error?.field, 'body.allowedOrigins.1', origin);
      }
      const tooMany = Array.from({ length: 51 }, (_, i) => `https://s${i}.example`);
      assert.equal((await call('POST', '/api/v1/resources', { name: 'Too many', allowedOrigins: tooMany })).body.error?.field, 'body.allowedOrigins');
      const patched = await call('PATCH', `/api/v1/resources/${res.body.id}`, { allowedOrigins: ['HTTP://Demo.Example:80'] });
      assert.deepEqual(patched.body.allowedOrigins, ['http://demo.example']);
      assert.equal((await call('PATCH', `/api/v1/resources/${res.body.id}`, { allowedOrigins: ['https://*.example'] })).status, 400);
    });

    it('rotates the secret: the old one stops working, the new one is shown once', async () => {
      const { id, secret } = await createResource(call, 'Rotate');
      assert.equal(await verifyResourceSecret(t.db, id, secret), true);
      const res = await call('POST', `/api/v1/resources/${id}/secret`);
      assert.equal(res.status, 200, res.text);
      const fresh = res.body.secret as string;
      assert.match(fresh, /^vfs_/);
      assert.notEqual(fresh, secret);
      assert.ok(res.body.secretRotatedAt);
      assert.equal(await verifyResourceSecret(t.db, id, secret), false, 'the old secret fails');
      assert.equal(await verifyResourceSecret(t.db, id, fresh), true, 'the new secret passes');
      const row = await t.db.selectFrom('resources').select('secretHash').where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual(row.secretHash, sha256(fresh));
      assert.ok(!(await call('GET', `/api/v1/resources/${id}`)).text.includes(fresh.slice(4)));
      const other = await createResource(call, 'Rotate other');
      assert.equal(await verifyResourceSecret(t.db, other.id, fresh), false, "another resource's secret fails");
      assert.equal(await verifyResourceSecret(t.db, missingId, fresh), false);
      assert.equal(await verifyResourceSecret(t.db, 'not-a-uuid', fresh), false);
      assert.equal(await verifyResourceSecret(t.db, id, ''), false);
      const event = await t.db
        .selectFrom('events')
        .selectAll()
        .where('resourceId', '=', id)
        .where('type', '=', 'resource.secret_rotated')
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(event).includes(fresh.slice(4)));
      assert.equal((await call('POST', `/api/v1/resources/${missingId}/secret`)).body.error?.code, 'resource_not_found');
    });

    it('lists with search, paging, a total and bounded paging values', async () => {
      for (const name of ['Paging C', 'paging a', 'Paging B', 'Other']) await createResource(call, name);
      const page = await call('GET', '/api/v1/resources?search=PAGING&start=0&limit=2');
      assert.equal(page.status, 200, page.text);
      assert.equal(page.body.total, 3);
      assert.deepEqual(
        (page.body.items as { name: string }[]).map((r) => r.name),
        ['paging a', 'Paging B'],
      );
      const rest = await call('GET', '/api/v1/resources?search=paging&start=2&limit=2');
      assert.deepEqual(
        (rest.body.items as { name: string }[]).map((r) => r.name),
        ['Paging C'],
      );
      assert.equal(rest.body.total, 3);
      assert.equal((await call('GET', '/api/v1/resources?search=paging&start=10')).body.total, 3);
      assert.equal((await call('GET', '/api/v1/resources?search=%25')).body.total, 0, 'LIKE wildcards are literal');
      for (const q of ['limit=501', 'limit=0', 'start=-1', 'limit=abc', 'start=1.5', `search=${'x'.repeat(201)}`]) {
        const res = await call('GET', `/api/v1/resources?${q}`);
        assert.equal(res.status, 400, q);
        assert.equal(res.body.error?.code, 'invalid_request');
      }
      assert.equal((await call('GET', '/api/v1/resources?limit=500')).status, 200);
    });

    it('deletes a resource with its assignments and filters, keeping the events', async () => {
      const { id } = await createResource(call, 'Doomed');
      const user = await t.db.insertInto('users').values({ login: 'doomed-user' }).returning('id').executeTakeFirstOrThrow();
      assert.equal((await call('PUT', `/api/v1/resources/${id}/users/${user.id}`)).status, 204);
      assert.equal((await call('POST', `/api/v1/resources/${id}/filters`, { type: 'country', mode: 'deny', countries: ['KP'] })).status, 201);
      assert.equal((await call('DELETE', `/api/v1/resources/${id}`)).status, 204);
      assert.equal((await call('GET', `/api/v1/resources/${id}`)).status, 404);
      assert.equal((await call('DELETE', `/api/v1/resources/${id}`)).status, 404);
      assert.equal((await t.db.selectFrom('resource_users').selectAll().where('resourceId', '=', id).execute()).length, 0);
      assert.equal((await t.db.selectFrom('filters').selectAll().where('resourceId', '=', id).execute()).length, 0);
      const events = (await t.db.selectFrom('events').select('type').where('resourceId', '=', id).execute()).map((e) => e.type);
      assert.ok(events.includes('resource.created') && events.includes('resource.deleted') && events.includes('filter.created'));
    });

    it('answers 404 for unknown resources and 400 for malformed ids', async () => {
      for (const [method, path] of [
        ['GET', `/api/v1/resources/${missingId}`],
        ['PATCH', `/api/v1/resources/${missingId}`],
        ['DELETE', `/api/v1/resources/${missingId}`],
        ['POST', `/api/v1/resources/${missingId}/secret`],
      ] as const) {
        const res = await call(method, path, method === 'PATCH' ? { active: true } : undefined);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error?.code, 'resource_not_found');
      }
      for (const [method, path] of [
        ['GET', '/api/v1/resources/nope'],
        ['PATCH', '/api/v1/resources/1'],
        ['DELETE', "/api/v1/resources/'%20or%201=1"],
        ['POST', '/api/v1/resources/nope/secret'],
      ] as const) {
        const res = await call(method, path, method === 'PATCH' ? { active: true } : undefined);
        assert.equal(res.status, 400, `${method} ${path} → ${res.text}`);
        assert.equal(res.body.error?.field, 'param.id');
      }
    });

    it('keeps resource administrators inside their own resources', async () => {
      const mine = await createResource(call, 'Tenant mine');
      const theirs = await createResource(call, 'Tenant theirs');
      const admin = await resourceAdmin(t, 'tenant admin', [mine.id]);
      const nobody = await resourceAdmin(t, 'admin without resources', []);
      const list = await call('GET', '/api/v1/resources', undefined, admin.key);
      assert.equal(list.status, 200);
      assert.deepEqual(
        (list.body.items as { id: string }[]).map((r) => r.id),
        [mine.id],
      );
      assert.equal(list.body.total, 1);
      assert.equal((await call('GET', '/api/v1/resources?search=tenant', undefined, admin.key)).body.total, 1);
      assert.deepEqual((await call('GET', '/api/v1/resources', undefined, nobody.key)).body, { items: [], total: 0 });

      for (const [method, path, json] of [
        ['GET', `/api/v1/resources/${theirs.id}`],
        ['PATCH', `/api/v1/resources/${theirs.id}`, { name: 'Hijacked' }],
        ['DELETE', `/api/v1/resources/${theirs.id}`],
        ['POST', `/api/v1/resources/${theirs.id}/secret`],
      ] as const) {
        const res = await call(method, path, json, admin.key);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error?.code, 'resource_not_found', 'indistinguishable from a missing resource');
      }
      const create = await call('POST', '/api/v1/resources', { name: 'Sneaky' }, admin.key);
      assert.equal(create.status, 403);
      assert.equal(create.body.error?.code, 'forbidden');
      assert.equal((await call('GET', `/api/v1/resources/${mine.id}`, undefined, admin.key)).status, 200);
      assert.equal((await call('PATCH', `/api/v1/resources/${mine.id}`, { otpWindow: 2 }, admin.key)).body.otpWindow, 2);
      const del = await call('DELETE', `/api/v1/resources/${mine.id}`, undefined, admin.key);
      assert.equal(del.status, 403, 'only a superuser deletes a resource');
      const rotated = await call('POST', `/api/v1/resources/${mine.id}/secret`, undefined, admin.key);
      assert.equal(rotated.status, 200, 'an administrator of the resource may rotate its secret');
      assert.equal(await verifyResourceSecret(t.db, mine.id, rotated.body.secret as string), true);
      assert.equal(await verifyResourceSecret(t.db, theirs.id, theirs.secret), true, "the other tenant's secret is untouched");
      assert.equal((await call('GET', `/api/v1/resources/${theirs.id}`)).body.name, 'Tenant theirs');
    });

    it('documents every resource route in the OpenAPI document', async () => {
      const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as { paths: Record<string, Record<string, unknown>> };
      const expected: [string, string[]][] = [
        ['/api/v1/resources', ['get', 'post']],
        ['/api/v1/resources/{id}', ['get', 'patch', 'delete']],
        ['/api/v1/resources/{id}/secret', ['post']],
        ['/api/v1/resources/{id}/users', ['get']],
        ['/api/v1/resources/{id}/users/{userId}', ['put', 'delete']],
        ['/api/v1/resources/{id}/users/{userId}/token', ['put', 'delete']],
        ['/api/v1/resources/{id}/tokens', ['get']],
        ['/api/v1/resources/{id}/tokens/{tokenId}', ['put', 'delete']],
        ['/api/v1/resources/{id}/filters', ['get', 'post']],
        ['/api/v1/resources/{id}/filters/{filterId}', ['get', 'patch', 'delete']],
      ];
      for (const [path, methods] of expected) {
        assert.ok(doc.paths[path], path);
        for (const m of methods) assert.ok(doc.paths[path]![m], `${m} ${path}`);
      }
    });
  });
}
