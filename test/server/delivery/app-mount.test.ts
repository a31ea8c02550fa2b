import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createApp } from '../../../server/src/app.js';
import { loadConfig } from '../../../server/src/config.js';
import { createKeyRing } from '../../../server/src/crypto/secretbox.js';
import type { Db } from '../../../server/src/db/index.js';
import { createDelivery } from '../../../server/src/delivery/index.js';
import { createLogger } from '../../../server/src/logger.js';

// The outbox routes never touch the database, and building the app has no side effects, so no
// database is opened here.
function appWith(env: Record<string, string>, withDelivery = true) {
  const config = loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', ...env });
  const log = createLogger('silent');
  const delivery = createDelivery(config, log);
  const app = createApp({ config, db: {} as Db, log, keyRing: createKeyRing(randomBytes(32)), ...(withDelivery ? { delivery } : {}) });
  return { app, delivery };
}

describe('/dev/outbox mounted in the whole app', () => {
  it('is served with VERIFRAME_DEV_OUTBOX=1, keeping its own CSP under the base headers', async () => {
    const { app, delivery } = appWith({ VERIFRAME_DEV_OUTBOX: '1' });
    await delivery.send({ channel: 'email', to: 'ann@example.com', subject: 'Code', text: 'Code 424242', kind: 'otp' });
    const res = await app.request('/dev/outbox');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(await res.text(), /Code 424242/);
    const json = (await (await app.request('/dev/outbox.json')).json()) as { total: number };
    assert.equal(json.total, 1);
  });

  it('is 404 not_found with NODE_ENV=production', async () => {
    const { app, delivery } = appWith({ NODE_ENV: 'production' });
    // No outbox to keep it: the send itself fails, saying the channel is not configured.
    await assert.rejects(delivery.send({ channel: 'email', to: 'ann@example.com', subject: 'Code', text: 'Code 424242', kind: 'otp' }), /not configured/);
    for (const path of ['/dev/outbox', '/dev/outbox.json']) {
      const res = await app.request(path);
      assert.equal(res.status, 404);
      const body = await res.text();
      assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'not_found');
      assert.ok(!body.includes('424242'));
    }
  });

  it('is absent when the app is built without a delivery', async () => {
    const { app } = appWith({ VERIFRAME_DEV_OUTBOX: '1' }, false);
    assert.equal((await app.request('/dev/outbox')).status, 404);
  });

  it('is absent without VERIFRAME_DEV_OUTBOX, and the variable is refused in production', async () => {
    const { app, delivery } = appWith({});
    assert.equal(delivery.outbox, undefined);
    assert.equal((await app.request('/dev/outbox.json')).status, 404);
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'pglite://memory', NODE_ENV: 'production', VERIFRAME_DEV_OUTBOX: '1' }),
      /VERIFRAME_DEV_OUTBOX .* cannot be set with NODE_ENV=production/,
    );
  });
});
