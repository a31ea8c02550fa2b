import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDb, type TestDb } from '../helpers/db.js';

// The OpenAPI document is generated from the route definitions; this checks the other direction:
// no route under /api/v1 exists without being documented, and every documented operation names
// its error responses.
describe('OpenAPI document', () => {
  let t: TestDb;
  let api: TestApp;
  let doc: { paths: Record<string, Record<string, { responses?: Record<string, unknown>; security?: unknown[] }>> };
  before(async () => {
    t = await openTestDb('pglite');
    api = await createTestApp(t);
    doc = (await (await api.request('/api/v1/openapi.json', { key: null })).json()) as typeof doc;
  });
  after(() => t.close());

  it('documents every route mounted under /api/v1', () => {
    const mounted = new Set(
      api.app.routes
        .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL' && r.path !== '/api/v1/openapi.json')
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    assert.ok(mounted.size >= 50, `only ${mounted.size} routes found`);
    const missing = [...mounted].filter((r) => !documented.has(r));
    assert.deepEqual(missing, [], 'routes without documentation');
    const phantom = [...documented].filter((r) => r.includes(' /api/v1/') && !mounted.has(r));
    assert.deepEqual(phantom, [], 'documented operations without a route');
  });

  it('gives every operation a 4xx response and every protected one a security scheme', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/')) continue; // public documents such as the JWKS
      for (const [method, op] of Object.entries(ops)) {
        const codes = Object.keys(op.responses ?? {});
        assert.ok(
          codes.some((c) => c.startsWith('4')),
          `${method} ${path} documents no error response`,
        );
        assert.ok(op.security?.length, `${method} ${path} documents no authentication`);
      }
    }
  });
});
