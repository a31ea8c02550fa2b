import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConsoleAssets } from '../../../server/src/console/assets.js';
import { createLogger } from '../../../server/src/logger.js';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { consoleEnv } from '../../helpers/console.js';
import { openTestDb, type TestDb } from '../../helpers/db.js';

describe('console page and bundles', () => {
  let t: TestDb;
  let api: TestApp;
  before(async () => {
    t = await openTestDb('pglite');
    api = await createTestApp(t, { env: consoleEnv });
  });
  after(() => t.close());

  it('serves the shell with a strict CSP that no one may frame', async () => {
    const res = await api.request('/console/tokens', { key: null });
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const body = await res.text();
    assert.match(body, /<vf-console-app>/);
    assert.match(body, /src="\/console\/assets\/console\.js"/);
    assert.match(await (await api.request('/console/enrol', { key: null })).text(), /<vf-enrol>/);
    assert.equal((await api.request('/console', { key: null })).status, 301);
    assert.equal((await api.request('/console/api/nothing', { key: null })).status, 404);
  });

  it('serves the bundles built in memory when dist/console is missing, and nothing else', async () => {
    let builds = 0;
    const assets = createConsoleAssets({
      production: false,
      log: createLogger('silent'),
      distDir: '/nonexistent/dist/console',
      build: async () => (
        builds++,
        new Map([
          ['console.js', Buffer.from('export {}')],
          ['chunks/a-1.js', Buffer.from('x')],
        ])
      ),
    });
    assert.ok('asset' in (await assets.get('console.js')));
    assert.ok('asset' in (await assets.get('chunks/a-1.js')));
    assert.ok('missing' in (await assets.get('../secret.js')));
    assert.ok('missing' in (await assets.get('chunks/none.js')));
    assert.equal(builds, 1, 'built once');
    const prod = createConsoleAssets({ production: true, log: createLogger('silent'), distDir: '/nonexistent/dist/console' });
    assert.ok('unavailable' in (await prod.get('console.js')));
  });
});
