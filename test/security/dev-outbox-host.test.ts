import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import type { Db } from '../../server/src/db/index.js';
import { createDelivery } from '../../server/src/delivery/index.js';
import { createLogger } from '../../server/src/logger.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// Finding (issue 13, low): the dev outbox answered any loopback peer whatever the Host. A page on
// evil.example whose name is re-bound to 127.0.0.1 (DNS rebinding) then reads every code sent; a
// same-host reverse proxy (peer 127.0.0.1, Host = the public name) shows the codes to everyone.
// Now it exists only with VERIFRAME_DEV_OUTBOX=1 and answers only a loopback peer naming a
// loopback host. Real sockets: the Host header reaches the server as a browser sends it.

const code = '73914620';

/** GET over a real socket with exactly this Host header. */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listening(env: Record<string, string>): Promise<{ server: ServerType; port: number }> {
  const config = loadConfig({ DATABASE_URL: 'pglite://memory', LOG_LEVEL: 'silent', ...env });
  const log = createLogger('silent');
  const delivery = createDelivery(config, log);
  await delivery.send({ channel: 'email', to: 'ann@example.com', subject: 'Code', text: `Your code is ${code}`, kind: 'otp' }).catch(() => undefined);
  // The outbox routes never touch the database.
  const app = createApp({ config, db: {} as Db, log, keyRing: createKeyRing(randomBytes(32)), delivery });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
}

describe('dev outbox and the Host header', () => {
  let on: { server: ServerType; port: number };
  let off: { server: ServerType; port: number };
  before(async () => {
    on = await listening({ VERIFRAME_DEV_OUTBOX: '1' });
    off = await listening({});
  });
  after(() => {
    on.server.close();
    off.server.close();
  });

  for (const path of ['/dev/outbox', '/dev/outbox.json']) {
    it(`${path}: a loopback peer naming evil.example gets 404 and no code`, SLOW, async () => {
      for (const host of ['evil.example', `evil.example:${on.port}`, 'mfa.example.com', '192.0.2.1', '127.0.0.1.nip.io']) {
        const res = await get(on.port, path, host);
        assert.equal(res.status, 404, host);
        assert.ok(!res.body.includes(code), host);
      }
    });

    it(`${path}: a loopback peer naming a loopback host is answered`, SLOW, async () => {
      for (const host of [`127.0.0.1:${on.port}`, `localhost:${on.port}`, 'localhost', `[::1]:${on.port}`]) {
        const res = await get(on.port, path, host);
        assert.equal(res.status, 200, host);
        assert.ok(res.body.includes(code), host);
      }
    });

    it(`${path}: without VERIFRAME_DEV_OUTBOX there is no outbox at all`, SLOW, async () => {
      const res = await get(off.port, path, `127.0.0.1:${off.port}`);
      assert.equal(res.status, 404);
      assert.ok(!res.body.includes(code));
    });
  }
});
