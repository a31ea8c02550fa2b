import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeServer } from '../../server/src/main.js';
import { createTestApp, listenTestApp, type TestApp } from '../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

async function errorOf(res: Response, status: number, code: string) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  return body.error;
}

for (const mode of dbModes()) {
  describe(`HTTP basics (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let adminId: string;
    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t);
      adminId = ((await (await api.request('/api/v1/admins/me')).json()) as { id: string }).id;
    });
    after(() => t.close());

    it('answers /healthz and /readyz', async () => {
      const health = await api.request('/healthz', { key: null });
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      const ready = await api.request('/readyz', { key: null });
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready' });
    });

    it('sets protective headers on every response', async () => {
      const res = await api.request('/healthz', { key: null });
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.ok(res.headers.get('x-request-id'));
    });

    it("sets them through the Node adapter too, keeping a route's own Cache-Control and the body", async () => {
      // The headers are set on the adapter's lightweight response in place (http/middleware.ts):
      // over a real socket, for a JSON answer, an error and a route with its own caching.
      const served = await listenTestApp(t);
      try {
        const me = await fetch(`${served.url}/api/v1/admins/me`, { headers: { authorization: `Bearer ${served.api.adminKey}` } });
        assert.equal(me.status, 200);
        assert.equal(typeof ((await me.json()) as { id: string }).id, 'string');
        const refused = await fetch(`${served.url}/api/v1/admins/me`);
        assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthorized');
        const jwks = await fetch(`${served.url}/.well-known/jwks.json`);
        assert.ok(Array.isArray(((await jwks.json()) as { keys: unknown[] }).keys));
        for (const res of [me, refused, jwks]) {
          assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
          assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
          assert.match(res.headers.get('content-type') ?? '', /application\/json/);
        }
        assert.equal(me.headers.get('cache-control'), 'no-store');
        assert.equal(refused.headers.get('cache-control'), 'no-store');
        assert.equal(jwks.headers.get('cache-control'), 'public, max-age=300');
      } finally {
        await closeServer(served.server, 0);
      }
    });

    it('answers unknown paths with a JSON 404', async () => {
      const err = await errorOf(await api.request('/no/such/thing', { key: null }), 404, 'not_found');
      assert.match(err.message, /GET \/no\/such\/thing/);
      await errorOf(await api.request('/api/v1/no-such-thing'), 404, 'not_found');
    });

    it('requires an API key on the admin API', async () => {
      await errorOf(await api.request('/api/v1/admins/me', { key: null }), 401, 'unauthorized');
      await errorOf(await api.request('/api/v1/admins/me', { headers: { authorization: 'Basic abc' }, key: null }), 401, 'unauthorized');
      await errorOf(await api.request('/api/v1/admins/me', { key: 'vf_' + 'x'.repeat(43) }), 401, 'invalid_api_key');
      await errorOf(await api.request('/api/v1/admins/me', { key: api.adminKey + 'x' }), 401, 'invalid_api_key');
      const ok = await api.request('/api/v1/admins/me');
      assert.equal(ok.status, 200);
      assert.equal(((await ok.json()) as { role: string }).role, 'superuser');
    });

    it('answers malformed JSON with 400 malformed_json', async () => {
      const res = await api.request(`/api/v1/admins/${adminId}/keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name": ',
      });
      await errorOf(res, 400, 'malformed_json');
    });

    it('answers wrong types and missing bodies with 400 naming the field', async () => {
      const wrongType = await errorOf(await api.request(`/api/v1/admins/${adminId}/keys`, { method: 'POST', json: { name: 42 } }), 400, 'invalid_request');
      assert.equal(wrongType.field, 'body.name');
      const extra = await errorOf(
        await api.request(`/api/v1/admins/${adminId}/keys`, { method: 'POST', json: { name: 'x', role: 'superuser' } }),
        400,
        'invalid_request',
      );
      assert.equal(extra.field, 'body');
      await errorOf(
        await api.request(`/api/v1/admins/${adminId}/keys`, { method: 'POST', body: 'name=x', headers: { 'content-type': 'text/plain' } }),
        400,
        'invalid_request',
      );
      const badId = await errorOf(await api.request('/api/v1/admins/not-a-uuid/keys'), 400, 'invalid_request');
      assert.equal(badId.field, 'param.id');
    });

    it('refuses NUL and control characters in searches with 400', async () => {
      for (const path of ['/api/v1/tokens?search=%00', '/api/v1/users?search=a%01b', '/api/v1/resources?search=%00']) {
        await errorOf(await api.request(path), 400, 'invalid_request');
      }
    });

    it('answers bodies over 1 MB with 413 and stores nothing', async () => {
      const before = ((await (await api.request(`/api/v1/admins/${adminId}/keys`)).json()) as { total: number }).total;
      const res = await api.request(`/api/v1/admins/${adminId}/keys`, { method: 'POST', json: { name: 'x'.repeat(1024 * 1024 + 10) } });
      await errorOf(res, 413, 'payload_too_large');
      const afterTotal = ((await (await api.request(`/api/v1/admins/${adminId}/keys`)).json()) as { total: number }).total;
      assert.equal(afterTotal, before);
    });

    it('answers an unknown admin id with 404', async () => {
      await errorOf(await api.request('/api/v1/admins/00000000-0000-4000-8000-000000000000/keys'), 404, 'admin_not_found');
    });

    it('renders the API reference at /docs without any third-party host', async () => {
      const page = await api.request('/docs', { key: null });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /\/api\/v1\/openapi\.json/);
      assert.match(html, /src="\/docs\/scalar\.js"/);
      assert.doesNotMatch(html, /cdn\.jsdelivr|fonts\.scalar|unpkg/);
      const script = await api.request('/docs/scalar.js', { key: null });
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type') ?? '', /javascript/);
      assert.ok((await script.arrayBuffer()).byteLength > 100_000);
    });

    it('publishes an OpenAPI document describing the admin API', async () => {
      const res = await api.request('/api/v1/openapi.json', { key: null });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } };
      assert.equal(doc.openapi, '3.1.0');
      assert.ok(doc.paths['/api/v1/admins/me']);
      assert.ok(doc.paths['/api/v1/admins/{id}/keys']);
      assert.ok(doc.components.securitySchemes.apiKey);
    });
  });
}
