import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LIMITS } from '../../../server/src/auth/rate-windows.js';
import { createAppAssets } from '../../../server/src/authenticator/assets.js';
import { BACKUP_MAX_CHARS } from '../../../server/src/authenticator/schema.js';
import { createLogger } from '../../../server/src/logger.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';

// The authenticator app's server side (DESIGN §13): its page, manifest, service worker and
// bundles, the server clock, and server backups the server stores but cannot read.

const ORIGIN = 'http://127.0.0.1:8787';

for (const mode of dbModes()) {
  describe(`authenticator app API (${mode})`, () => {
    let t: TestDb;
    let api: TestApp;
    let clock = new Date('2026-12-05T12:00:00Z');
    let ipCounter = 0;
    const logLines: string[] = [];

    before(async () => {
      t = await openTestDb(mode);
      api = await createTestApp(t, { now: () => clock, logLines });
    });
    after(() => t.close());

    /** A call from the app's page: same origin, from its own IP unless one is given. */
    const call = async (method: string, path: string, opts: { json?: unknown; key?: string; ip?: string; origin?: string } = {}) => {
      const headers: Record<string, string> = { origin: opts.origin ?? ORIGIN };
      if (opts.json !== undefined) headers['content-type'] = 'application/json';
      if (opts.key !== undefined) headers['x-veriframe-backup-key'] = opts.key;
      const env = { incoming: { socket: { remoteAddress: opts.ip ?? `198.51.100.${++ipCounter % 250}` } } };
      const res = await api.app.request(path, { method, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}) }, env);
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
    };

    it("gives the server's clock, never cached", async () => {
      const res = await call('GET', '/app/api/time');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { epochMs: clock.getTime(), iso: clock.toISOString() });
      assert.equal(res.headers.get('cache-control'), 'no-store');
    });

    it('stores a backup under a random id, reads it back, replaces and deletes it only with the write key', async () => {
      const created = await call('POST', '/app/api/backups', { json: { data: 'ciphertext-1' } });
      assert.equal(created.status, 201);
      const { id, writeKey } = created.body as { id: string; writeKey: string };
      assert.match(id, /^[A-Za-z0-9_-]{22}$/);
      assert.match(writeKey, /^[A-Za-z0-9_-]{43}$/);
      const row = await t.db.selectFrom('app_backups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.ok(!Buffer.from(row.writeKeyHash).toString('base64url').includes(writeKey), 'only a hash of the write key is stored');
      assert.deepEqual((await call('GET', `/app/api/backups/${id}`)).body, { data: 'ciphertext-1', updatedAt: clock.toISOString() });

      clock = new Date(clock.getTime() + 60_000);
      const wrong = await call('PUT', `/app/api/backups/${id}`, { json: { data: 'evil' }, key: 'x'.repeat(43) });
      assert.equal(wrong.status, 403);
      assert.equal(wrong.body.error.code, 'backup_key_wrong');
      assert.equal((await call('PUT', `/app/api/backups/${id}`, { json: { data: 'evil' } })).body.error.code, 'backup_key_wrong');
      const replaced = await call('PUT', `/app/api/backups/${id}`, { json: { data: 'ciphertext-2' }, key: writeKey });
      assert.deepEqual(replaced.body, { updatedAt: clock.toISOString() });
      assert.equal((await call('GET', `/app/api/backups/${id}`)).body.data, 'ciphertext-2');

      assert.equal((await call('DELETE', `/app/api/backups/${id}`, { key: 'y'.repeat(43) })).status, 403);
      assert.equal((await call('DELETE', `/app/api/backups/${id}`, { key: writeKey })).status, 204);
      const gone = await call('GET', `/app/api/backups/${id}`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'backup_not_found');
      assert.equal((await call('DELETE', `/app/api/backups/${id}`, { key: writeKey })).status, 404);
      // The id is a capability and the write key a secret: neither is logged.
      const log = logLines.join('\n');
      assert.match(log, /\/app\/api\/backups\/\{id\}/);
      assert.ok(!log.includes(id) && !log.includes(writeKey));
    });

    it('refuses bad ids, bad data, oversized backups and other sites with a clear 4xx', async () => {
      assert.equal((await call('GET', '/app/api/backups/short')).body.error.code, 'invalid_request');
      assert.equal((await call('POST', '/app/api/backups', { json: { data: 'not base64url!' } })).status, 400);
      assert.equal((await call('POST', '/app/api/backups', { json: { data: '' } })).status, 400);
      const big = await call('POST', '/app/api/backups', { json: { data: 'A'.repeat(BACKUP_MAX_CHARS + 1) } });
      assert.ok(big.status === 400 || big.status === 413, `status ${big.status}`);
      assert.ok(['invalid_request', 'payload_too_large'].includes(big.body.error.code));
      assert.equal((await call('POST', '/app/api/backups', { json: { data: 'A'.repeat(BACKUP_MAX_CHARS) } })).status, 201);
      const cross = await call('POST', '/app/api/backups', { json: { data: 'abc' }, origin: 'https://evil.example' });
      assert.equal(cross.status, 403);
      assert.equal(cross.body.error.code, 'cross_site_request');
    });

    it('limits how many backups one address writes, with Retry-After', async () => {
      const ip = '203.0.113.77';
      for (let i = 0; i < LIMITS.appBackupWritePerIp.max; i++)
        assert.equal((await call('POST', '/app/api/backups', { json: { data: `d${i}` }, ip })).status, 201);
      const refused = await call('POST', '/app/api/backups', { json: { data: 'one-too-many' }, ip });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'throttled');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.equal((await call('POST', '/app/api/backups', { json: { data: 'other-ip' }, ip: '203.0.113.78' })).status, 201);
      clock = new Date(clock.getTime() + LIMITS.appBackupWritePerIp.windowSeconds * 1000 + 1000);
      assert.equal((await call('POST', '/app/api/backups', { json: { data: 'next-window' }, ip })).status, 201);
    });
  });
}

describe('authenticator app page and files', () => {
  let t: TestDb;
  let api: TestApp;
  before(async () => {
    t = await openTestDb('pglite');
    api = await createTestApp(t);
  });
  after(() => t.close());

  it('serves the page with a strict CSP, the manifest, the icon and the service worker at the app root', async () => {
    const page = await api.request('/app/', { key: null });
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await page.text();
    assert.match(html, /<vf-authenticator>/);
    assert.match(html, /rel="manifest" href="\/app\/manifest.webmanifest"/);
    assert.equal((await api.request('/app', { key: null })).status, 301);
    const manifest = await (await api.request('/app/manifest.webmanifest', { key: null })).json();
    assert.equal(manifest.start_url, '/app/');
    assert.equal(manifest.scope, '/app/');
    assert.equal(manifest.display, 'standalone');
    assert.match((await api.request('/app/icon.svg', { key: null })).headers.get('content-type') ?? '', /image\/svg\+xml/);
  });

  it('serves the bundles built in memory when dist/app is missing, and nothing else', async () => {
    let builds = 0;
    const assets = createAppAssets({
      production: false,
      log: createLogger('silent'),
      distDir: '/nonexistent/dist/app',
      build: async () => (
        builds++,
        new Map([
          ['app.js', Buffer.from('export {}')],
          ['sw.js', Buffer.from('self.x = 1')],
        ])
      ),
    });
    assert.ok('asset' in (await assets.get('app.js')));
    assert.ok('asset' in (await assets.get('sw.js')));
    assert.ok('missing' in (await assets.get('../secret.js')));
    assert.ok('missing' in (await assets.get('other.js')));
    assert.equal(builds, 1);
    const prod = createAppAssets({ production: true, log: createLogger('silent'), distDir: '/nonexistent/dist/app' });
    const result = await prod.get('app.js');
    assert.ok('unavailable' in result && /npm run build/.test(result.unavailable));
  });

  it('documents /app/api in the OpenAPI document', async () => {
    const doc = await (await api.request('/api/v1/openapi.json', { key: null })).json();
    for (const path of ['/app/api/time', '/app/api/backups', '/app/api/backups/{id}']) assert.ok(doc.paths[path], path);
    assert.ok(doc.paths['/app/api/backups/{id}'].put.parameters.some((p: { name: string }) => p.name === 'x-veriframe-backup-key'));
  });
});
