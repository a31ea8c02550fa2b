import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { operationIdOf } from '../../server/src/http/api-document.js';
import { TYPES_FILE, typesFromDocument } from '../../sdk/scripts/types.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/app.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// DESIGN §14: the SDK's checked-in types are what openapi-typescript makes of the live document,
// and the document names and secures every operation and describes the widget's JSON API.

type Op = { operationId?: string; security?: Record<string, string[]>[] };

describe('OpenAPI document and SDK types', () => {
  let t: TestDb;
  let srv: ListeningTestApp;
  let doc: { paths: Record<string, Record<string, Op>>; components: { securitySchemes: Record<string, unknown> } };
  before(async () => {
    t = await openTestDb('pglite');
    srv = await listenTestApp(t);
    const res = await fetch(`${srv.url}/api/v1/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as typeof doc;
  });
  after(async () => {
    srv.server.close();
    await t.close();
  });

  it('sdk/src/openapi.ts is generated from the live document (run `npm run sdk:types` when this fails)', async () => {
    const checkedIn = await readFile(TYPES_FILE, 'utf8');
    const live = await typesFromDocument(doc);
    assert.ok(live === checkedIn, 'sdk/src/openapi.ts is stale: run `npm run sdk:types` and commit the result');
  });

  it('gives every operation a unique operationId and a declared security', () => {
    const ids = new Map<string, string>();
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(op.operationId, `${where} has no operationId`);
        assert.equal(ids.get(op.operationId), undefined, `${where} shares its operationId`);
        ids.set(op.operationId, where);
        assert.ok(Array.isArray(op.security), `${where} declares no security`);
        for (const s of op.security) for (const name of Object.keys(s)) assert.ok(schemes.has(name), `${where}: unknown scheme ${name}`);
      }
    }
    assert.ok(ids.size >= 60, `only ${ids.size} operations`);
    // Stable names the SDK's users may rely on.
    assert.equal(doc.paths['/api/v1/auth/{resourceId}/user-password-token']?.post?.operationId, 'postAuthByResourceIdUserPasswordToken');
    assert.equal(doc.paths['/api/v1/tokens/{id}/check']?.post?.operationId, 'postTokensByIdCheck');
    assert.equal(operationIdOf('get', '/.well-known/jwks.json'), 'getWellKnownJwksJson');
    assert.deepEqual(doc.paths['/api/v1/verify']?.post?.security, [{ resourceSecret: [] }]);
    assert.deepEqual(doc.paths['/api/v1/users']?.get?.security, [{ apiKey: [] }]);
    assert.deepEqual(doc.paths['/.well-known/jwks.json']?.get?.security, []);
  });

  it('describes the widget JSON API', () => {
    for (const step of ['start', 'identify', 'otp', 'resend']) {
      const op = doc.paths[`/widget/api/${step}`]?.post;
      assert.ok(op, `/widget/api/${step} is not described`);
      assert.deepEqual(op.security, [], 'the widget API needs no credentials');
    }
  });
});
