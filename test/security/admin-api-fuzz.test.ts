import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { insertAdmin } from '../../server/src/admins/repository.js';
import { createApiKey } from '../../server/src/admins/keys-service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { DATA_TABLES, documentedOperations, snapshot, type Operation } from './fuzz-helpers.js';

// Random input at every admin route the OpenAPI document lists: no answer may be a 5xx, and
// data the caller does not own must not change. The routes come from the generated document,
// so a new route is fuzzed without touching this file.

/** Every row of the tables an administrator can change (key use times aside), as one comparable snapshot. */
const dataSnapshot = (t: TestDb) => snapshot(t, DATA_TABLES, { omit: ['lastUsedAt'] });

const idLike = fc.oneof(
  fc.uuid(),
  fc.constantFrom('0', 'me', '-1', '%00', 'null', '00000000-0000-0000-0000-000000000000'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    { name: fc.string(), kind: fc.string(), type: fc.string(), login: fc.string(), role: fc.string(), secret: fc.string(), resourceIds: fc.array(fc.uuid()) },
    { requiredKeys: [] },
  ),
  fc.string({ maxLength: 200 }),
);
const query = fc.dictionary(
  fc.constantFrom('start', 'limit', 'search', 'type', 'from', 'to', 'kind', 'digits'),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String)),
  { maxKeys: 4 },
);

for (const mode of dbModes()) {
  describe(`admin API fuzzing (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let ops: Operation[];
    let outsiderKey: string;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      ops = await documentedOperations(api);
      // Data that belongs to the superuser only.
      await api.request('/api/v1/tokens', { method: 'POST', json: { kind: 'software', type: 'totp', name: 'sentinel' } });
      await t.db.insertInto('users').values({ login: 'sentinel-user' }).execute();
      await t.db.insertInto('resources').values({ name: 'sentinel-resource' }).execute();
      const outsider = await insertAdmin(t.db, { name: 'outsider', role: 'admin', createdBy: null });
      outsiderKey = (await createApiKey(t.db, { adminId: outsider.id, name: 'fuzz', actor: 'test' })).apiKey;
    });
    after(() => t.close());

    it('finds the routes to fuzz in the OpenAPI document', () => {
      assert.ok(ops.length >= 20, `only ${ops.length} operations documented`);
    });

    it('never answers 5xx and never changes what the caller does not own', async () => {
      const before = await dataSnapshot(t);
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: 10_000 }),
          fc.dictionary(fc.constantFrom('id', 'keyId', 'userId', 'tokenId', 'filterId'), idLike),
          body,
          query,
          fc.boolean(),
          async (pick, params, json, q, asText) => {
            const op = ops[pick % ops.length]!;
            const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? '00000000-0000-4000-8000-000000000000');
            const search = new URLSearchParams(q).toString();
            const hasBody = !['GET', 'DELETE'].includes(op.method);
            const init: RequestInit & { key: string } = {
              method: op.method,
              key: outsiderKey,
              ...(hasBody
                ? {
                    body: asText && typeof json === 'string' ? json : JSON.stringify(json),
                    headers: { 'content-type': asText ? 'text/csv' : 'application/json' },
                  }
                : {}),
            };
            const res = await api.request(`${path}${search ? `?${search}` : ''}`, init);
            const text = await res.text();
            assert.ok(res.status < 500, `${op.method} ${path}?${search} → ${res.status} ${text}`);
            if (res.status >= 400) {
              const err = JSON.parse(text) as { error?: { code?: string } };
              assert.equal(typeof err.error?.code, 'string', 'errors have the error shape');
            }
          },
        ),
        { numRuns: 400 },
      );
      assert.equal(await dataSnapshot(t), before, 'nothing outside the outsider administrator changed');
    });

    it('never answers 5xx to a superuser sending random input to existing objects', async () => {
      const ids = [
        ...(await t.db.selectFrom('tokens').select('id').execute()),
        ...(await t.db.selectFrom('users').select('id').execute()),
        ...(await t.db.selectFrom('resources').select('id').execute()),
        ...(await t.db.selectFrom('admins').select('id').execute()),
      ].map((r) => r.id);
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 10_000 }), fc.constantFrom(...ids), fc.constantFrom(...ids), body, async (pick, id, other, json) => {
          const op = ops[pick % ops.length]!;
          if (op.method === 'DELETE' || op.path.includes('/keys')) return; // keep the objects (and our key) for the next runs
          let first = true;
          const path = op.path.replace(/\{(\w+)\}/g, () => (first ? ((first = false), id) : other));
          const res = await api.request(path, { method: op.method, ...(op.method === 'GET' ? {} : { json }) });
          const text = await res.text();
          assert.ok(res.status < 500, `${op.method} ${path} → ${res.status} ${text}`);
        }),
        { numRuns: 400 },
      );
    });

    it('never answers 5xx to a superuser sending random input to unknown ids', async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: 10_000 }), fc.uuid(), body, async (pick, id, json) => {
          const op = ops[pick % ops.length]!;
          if (op.method === 'GET') return;
          const path = op.path.replace(/\{(\w+)\}/g, id);
          const res = await api.request(path, { method: op.method, json });
          const text = await res.text();
          assert.ok(res.status < 500, `${op.method} ${path} → ${res.status} ${text}`);
        }),
        { numRuns: 300 },
      );
    });
  });
}
