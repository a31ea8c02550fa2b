import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { verifyPassword } from '../../../server/src/crypto/password.js';
import { createKeyRing } from '../../../server/src/crypto/secretbox.js';
import { createLogger } from '../../../server/src/logger.js';
import { findUserByLogin } from '../../../server/src/users/repository.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

type Json = Record<string, unknown> & { error?: { code: string; field?: string } };
type User = { id: string; login: string; hasPassword: boolean; createdBy: string | null };

const PASSWORD = 'Correct-Horse-Battery-9f3k';
const SECOND_PASSWORD = 'Tr0ub4dor&3-second-one';
const unknownId = '00000000-0000-4000-8000-00000000abcd';

for (const mode of dbModes()) {
  describe(`user API (${mode})`, () => {
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
    const storedHash = async (id: string) =>
      (await t.db.selectFrom('users').select('passwordHash').where('id', '=', id).executeTakeFirstOrThrow()).passwordHash;
    const eventsText = async () => JSON.stringify(await t.db.selectFrom('events').selectAll().execute());

    it('creates, reads, patches and deletes a user without ever showing the password', async () => {
      const created = await call('POST', '/api/v1/users', {
        login: '  alice  ',
        email: ' alice@example.com ',
        phone: '+4915112345678',
        firstName: 'Alice',
        lastName: 'Liddell',
        password: PASSWORD,
      });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      assert.deepEqual(
        { ...created.body, id: undefined, createdAt: undefined, updatedAt: undefined },
        {
          id: undefined,
          login: 'alice',
          email: 'alice@example.com',
          phone: '+4915112345678',
          firstName: 'Alice',
          lastName: 'Liddell',
          hasPassword: true,
          active: true,
          createdBy: created.body.createdBy,
          createdAt: undefined,
          updatedAt: undefined,
        },
      );
      assert.match(created.body.createdBy as string, /^[0-9a-f-]{36}$/);

      const hash = await storedHash(id);
      assert.match(hash!, /^\$argon2id\$/);
      assert.equal(await verifyPassword(hash!, PASSWORD), true);
      assert.equal(await verifyPassword(hash!, 'wrong-password'), false);

      const read = await call('GET', `/api/v1/users/${id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.login, 'alice');

      const patched = await call('PATCH', `/api/v1/users/${id}`, { firstName: 'Alicia', phone: null, active: false, password: SECOND_PASSWORD });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.firstName, 'Alicia');
      assert.equal(patched.body.phone, null);
      assert.equal(patched.body.active, false);
      assert.equal(patched.body.hasPassword, true);
      assert.equal(await verifyPassword((await storedHash(id))!, SECOND_PASSWORD), true);
      assert.equal(await verifyPassword((await storedHash(id))!, PASSWORD), false);

      const removed = await call('PATCH', `/api/v1/users/${id}`, { password: null });
      assert.equal(removed.body.hasPassword, false);
      assert.equal(await storedHash(id), null);
      assert.equal((await call('PATCH', `/api/v1/users/${id}`, {})).status, 200, 'an empty patch changes nothing');

      const list = await call('GET', '/api/v1/users?search=alice');
      for (const res of [created, read, patched, removed, list]) {
        for (const secret of [PASSWORD, SECOND_PASSWORD, 'argon2', 'passwordHash']) assert.ok(!res.text.includes(secret), `${secret} in ${res.text}`);
        assert.ok(!/"password"/.test(res.text));
      }

      assert.equal((await call('DELETE', `/api/v1/users/${id}`)).status, 204);
      assert.equal((await call('GET', `/api/v1/users/${id}`)).body.error?.code, 'user_not_found');
      assert.equal((await call('DELETE', `/api/v1/users/${id}`)).status, 404);

      const events = await t.db.selectFrom('events').select(['type', 'details']).where('userId', '=', id).orderBy('id').execute();
      assert.deepEqual(
        events.map((e) => e.type),
        ['user.created', 'user.updated', 'user.password_changed', 'user.password_changed', 'user.deleted'],
      );
      assert.deepEqual(events[1]!.details, { changed: ['phone', 'firstName', 'active'] });
      assert.deepEqual(events[3]!.details, { removed: true });
      const all = await eventsText();
      for (const secret of [PASSWORD, SECOND_PASSWORD, '$argon2']) assert.ok(!all.includes(secret), `${secret} in an event`);
    });

    it('never writes a password to a log line', async () => {
      const lines: string[] = [];
      const app = createApp({
        config: loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'trace' }),
        db: t.db,
        log: createLogger('trace', { write: (s: string) => void lines.push(s) }),
        keyRing: createKeyRing(randomBytes(32)),
      });
      const send = async (method: string, path: string, json: unknown) => {
        const res = await app.request(path, {
          method,
          headers: { authorization: `Bearer ${api.adminKey}`, 'content-type': 'application/json' },
          body: typeof json === 'string' ? json : JSON.stringify(json),
        });
        return { status: res.status, text: await res.text() };
      };
      const created = await send('POST', '/api/v1/users', { login: 'logged', password: PASSWORD });
      assert.equal(created.status, 201, created.text);
      const id = (JSON.parse(created.text) as User).id;
      assert.equal((await send('PATCH', `/api/v1/users/${id}`, { password: SECOND_PASSWORD })).status, 200);
      const bad = [
        await send('POST', '/api/v1/users', { login: 'logged-2', password: `${PASSWORD}x`.repeat(20) }),
        await send('POST', '/api/v1/users', { login: 'LOGGED', password: PASSWORD }),
        await send('POST', '/api/v1/users', `{"login": "x", "password": "${PASSWORD}"`),
        await send('PATCH', `/api/v1/users/${id}`, { password: PASSWORD, extra: 1 }),
      ];
      assert.deepEqual(
        bad.map((r) => r.status),
        [400, 409, 400, 400],
      );
      for (const r of bad) assert.ok(!r.text.includes(PASSWORD), r.text);
      assert.ok(lines.length >= 6, 'one line per request at least');
      const log = lines.join('');
      for (const secret of [PASSWORD, SECOND_PASSWORD, '$argon2']) assert.ok(!log.includes(secret), `${secret} in the log`);
    });

    it('refuses a login that exists in another case, on create, on patch and under a race', async () => {
      const bob = await create({ login: 'Bob.Smith' });
      for (const login of ['bob.smith', 'BOB.SMITH', ' Bob.Smith ']) {
        const res = await call('POST', '/api/v1/users', { login });
        assert.equal(res.status, 409, login);
        assert.equal(res.body.error?.code, 'login_taken');
        assert.equal(res.body.error?.field, 'body.login');
      }
      const other = await create({ login: 'robert' });
      const moved = await call('PATCH', `/api/v1/users/${other.id}`, { login: 'BOB.smith' });
      assert.equal(moved.status, 409);
      assert.equal(moved.body.error?.code, 'login_taken');
      const recased = await call('PATCH', `/api/v1/users/${bob.id}`, { login: 'bob.smith' });
      assert.equal(recased.status, 200, 'a user may change the case of its own login');
      assert.equal(recased.body.login, 'bob.smith');

      const race = await Promise.all(['Racer', 'racer', 'RACER', 'rAcEr'].map((login) => call('POST', '/api/v1/users', { login })));
      assert.deepEqual(race.map((r) => r.status).sort(), [201, 409, 409, 409], race.map((r) => r.text).join('\n'));
      for (const r of race.filter((x) => x.status === 409)) assert.equal(r.body.error?.code, 'login_taken');

      assert.equal((await findUserByLogin(t.db, 'ROBERT'))?.id, other.id);
      assert.equal(await findUserByLogin(t.db, 'rob'), undefined);
      assert.equal(await findUserByLogin(t.db, 'rob%'), undefined);
    });

    it('answers 400 with the field for bad input, 404 for unknown ids', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'body.login'],
        [{ login: '' }, 'body.login'],
        [{ login: '   ' }, 'body.login'],
        [{ login: 'two words' }, 'body.login'],
        [{ login: 'tab\there' }, 'body.login'],
        [{ login: 'nul\u0000' }, 'body.login'],
        [{ login: 'zero\u200bwidth' }, 'body.login'],
        [{ login: 'x'.repeat(101) }, 'body.login'],
        [{ login: 42 }, 'body.login'],
        [{ login: 'ok1', email: 'not-an-email' }, 'body.email'],
        [{ login: 'ok1', email: `${'a'.repeat(250)}@example.com` }, 'body.email'],
        [{ login: 'ok1', phone: '015112345678' }, 'body.phone'],
        [{ login: 'ok1', phone: '+123456' }, 'body.phone'],
        [{ login: 'ok1', phone: '+1234567890123456' }, 'body.phone'],
        [{ login: 'ok1', firstName: 'x'.repeat(101) }, 'body.firstName'],
        [{ login: 'ok1', lastName: '' }, 'body.lastName'],
        [{ login: 'ok1', password: 'short' }, 'body.password'],
        [{ login: 'ok1', password: 'x'.repeat(257) }, 'body.password'],
        [{ login: 'ok1', password: null }, 'body.password'],
        [{ login: 'ok1', active: 'yes' }, 'body.active'],
        [{ login: 'ok1', role: 'superuser' }, 'body'],
        [{ login: 'ok1', passwordHash: '$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$aGFzaA' }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await call('POST', '/api/v1/users', body);
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`);
        assert.equal(res.body.error?.code, 'invalid_request');
        assert.equal(res.body.error?.field, field, JSON.stringify(body));
      }
      assert.equal((await call('GET', '/api/v1/users?search=ok1')).body.total, 0, 'nothing was created');
      assert.equal((await call('POST', '/api/v1/users', { login: 'x'.repeat(100), password: 'x'.repeat(256) })).status, 201, 'the bounds themselves are fine');

      const u = await create({ login: 'patch-target' });
      for (const body of [{ login: 'a b' }, { password: 'short' }, { email: 'nope' }, { active: null }, { id: unknownId }, []]) {
        const res = await call('PATCH', `/api/v1/users/${u.id}`, body);
        assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.text}`);
      }
      const malformed = await api.request(`/api/v1/users/${u.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"login":' });
      assert.equal(malformed.status, 400);

      for (const [method, body] of [['GET'], ['PATCH', { active: true }], ['DELETE']] as const) {
        const bad = await call(method, '/api/v1/users/not-a-uuid', body);
        assert.equal(bad.status, 400, `${method} ${bad.text}`);
        assert.equal(bad.body.error?.field, 'param.id');
        const missing = await call(method, `/api/v1/users/${unknownId}`, body);
        assert.equal(missing.status, 404, `${method} ${missing.text}`);
        assert.equal(missing.body.error?.code, 'user_not_found');
      }
    });

    it('searches login, e-mail and names, pages with a total, newest first', async () => {
      const made: User[] = [];
      for (const [login, extra] of [
        ['srch-one', {}],
        ['srch-two', { email: 'Two@Example.org' }],
        ['zzz-1', { firstName: 'Srch' }],
        ['zzz-2', { lastName: 'von SRCH' }],
        ['zzz-3', { email: 'nobody@example.org' }],
        ['50%_off', {}],
      ] as const) {
        made.push(await create({ login, ...extra }));
      }
      const all = await call('GET', '/api/v1/users?search=SRCH&limit=500');
      assert.equal(all.body.total, 4);
      assert.deepEqual(
        (all.body.items as User[]).map((u) => u.login),
        ['zzz-2', 'zzz-1', 'srch-two', 'srch-one'],
        'newest first',
      );
      assert.equal((await call('GET', '/api/v1/users?search=two%40example')).body.total, 1);

      const pages: string[] = [];
      for (let start = 0; start < 5; start += 2) {
        const page = await call('GET', `/api/v1/users?search=srch&start=${start}&limit=2`);
        assert.equal(page.body.total, 4);
        pages.push(...(page.body.items as User[]).map((u) => u.id));
      }
      assert.deepEqual(
        pages,
        (all.body.items as User[]).map((u) => u.id),
        'pages add up to the whole list, no gaps or repeats',
      );

      assert.equal((await call('GET', `/api/v1/users?search=${encodeURIComponent('50%_')}`)).body.total, 1);
      assert.equal((await call('GET', `/api/v1/users?search=${encodeURIComponent('%')}`)).body.total, 1, 'wildcards are literal');
      assert.equal((await call('GET', `/api/v1/users?search=${encodeURIComponent('_')}`)).body.total, 1);
      const everything = await call('GET', '/api/v1/users?limit=1');
      assert.equal((everything.body.items as unknown[]).length, 1);
      assert.ok((everything.body.total as number) >= made.length);

      for (const query of ['limit=501', 'limit=0', 'start=-1', 'limit=abc', 'start=1.5', `search=${'x'.repeat(201)}`]) {
        const res = await call('GET', `/api/v1/users?${query}`);
        assert.equal(res.status, 400, `${query} → ${res.text}`);
        assert.equal(res.body.error?.code, 'invalid_request');
      }
      assert.equal((await call('GET', '/api/v1/users?limit=500&start=1000000')).body.items instanceof Array, true);
    });

    it('requires an API key', async () => {
      for (const [method, path] of [
        ['GET', '/api/v1/users'],
        ['POST', '/api/v1/users'],
        ['GET', `/api/v1/users/${unknownId}`],
        ['DELETE', `/api/v1/users/${unknownId}`],
      ]) {
        const res = await api.request(path!, { method: method!, key: null });
        assert.equal(res.status, 401, `${method} ${path}`);
      }
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as {
        paths: Record<string, Record<string, unknown>>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      assert.deepEqual(Object.keys(doc.paths['/api/v1/users'] ?? {}).sort(), ['get', 'post']);
      assert.deepEqual(Object.keys(doc.paths['/api/v1/users/{id}'] ?? {}).sort(), ['delete', 'get', 'patch']);
      assert.ok(doc.components.schemas.User?.properties?.hasPassword);
      assert.equal(doc.components.schemas.User?.properties?.password, undefined);
      assert.equal(doc.components.schemas.User?.properties?.passwordHash, undefined);
    });
  });
}
