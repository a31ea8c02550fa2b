import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import pg from 'pg';
import { totp } from '../../server/src/otp/index.js';
import { rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { waitUntil } from '../helpers/load.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { reap } from './support.js';

// Several server processes on one PostgreSQL are a real configuration (DESIGN §2, §15): every
// counter, lock, replay guard and single-use marker lives in the database. Three real `veriframe
// serve` processes share a database of their own, behind a round-robin TCP proxy (each request
// on a new connection, so consecutive requests land on different instances), and each property
// is checked across them. Runs where PostgreSQL is (TEST_DATABASE_URL); PGlite is one process.

const SITE = 'https://shop.example';
const INSTANCES = 3;
const code = () => totp(rfcSecret, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string } };
}

/** One request on a connection of its own (no keep-alive), so the proxy picks the next instance. */
function request(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        timeout: 20_000,
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(data);
  });
}

/** A round-robin TCP proxy: connection n goes to instance n mod N. */
function roundRobin(ports: number[], listenPort: number): Promise<{ port: number; close(): Promise<void> }> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(ports[next++ % ports.length]!, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(listenPort, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      }),
    ),
  );
}

const url = process.env.TEST_DATABASE_URL;
if (url) {
  describe('several instances on one PostgreSQL', { timeout: 300_000 }, () => {
    const database = `vf_multi_${process.pid}_${randomBytes(3).toString('hex')}`;
    const adminKey = `vf_multi_${randomBytes(24).toString('base64url')}`;
    const dbUrl = (() => {
      const u = new URL(url);
      u.pathname = `/${database}`;
      return u.toString();
    })();
    let env: Record<string, string>;
    const servers: CliProcess[] = [];
    const ports: number[] = [];
    let proxy: Awaited<ReturnType<typeof roundRobin>>;
    const admin = (method: string, path: string, body?: unknown, port = proxy.port) =>
      request(port, method, `/api/v1${path}`, body, { authorization: `Bearer ${adminKey}` });
    const basic = (r: { id: string; secret: string }) => ({ authorization: 'Basic ' + Buffer.from(`${r.id}:${r.secret}`).toString('base64') });
    let serial = 0;

    before(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create database ${database}`);
      await client.end();
      const proxyPort = await freePort();
      // One issuer for all: the address the sites would use (the proxy's).
      env = {
        DATABASE_URL: dbUrl,
        VERIFRAME_MASTER_KEY: randomBytes(32).toString('base64'),
        VERIFRAME_ADMIN_KEY: adminKey,
        PUBLIC_URL: `http://127.0.0.1:${proxyPort}`,
      };
      // The first instance migrates; the others start on the migrated database, side by side.
      for (let i = 0; i < INSTANCES; i++) {
        const port = await freePort();
        const server = runCli(['serve'], { ...env, PORT: String(port), ...(i > 0 ? { VERIFRAME_AUTO_MIGRATE: 'false' } : {}) });
        servers.push(server);
        ports.push(port);
        if (i === 0) await server.waitFor('Stop with Ctrl+C', 120_000);
      }
      await Promise.all(servers.slice(1).map((s) => s.waitFor('Stop with Ctrl+C', 120_000)));
      proxy = await roundRobin(ports, proxyPort);
    });

    after(async () => {
      await proxy?.close();
      await Promise.all(servers.map((s) => reap(s)));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop database if exists ${database} with (force)`);
      await client.end();
    });

    /** A resource with a user paired with a hardware TOTP token of the RFC secret. */
    async function paired(resource: Record<string, unknown> = {}) {
      const n = ++serial;
      const r = (await admin('POST', '/resources', { name: `Multi ${n}`, allowedOrigins: [SITE], ...resource })).body as { id: string; secret: string };
      const user = (await admin('POST', '/users', { login: `multi${n}`, password: 'correct horse' })).body as { id: string };
      const token = (await admin('POST', '/tokens', { kind: 'hardware', type: 'totp', serialNumber: `MULTI-${n}`, secret: rfcSecretBase32 })).body as {
        id: string;
      };
      assert.equal((await admin('PUT', `/tokens/${token.id}/user`, { userId: user.id })).status, 200);
      assert.equal((await admin('PUT', `/resources/${r.id}/users/${user.id}/token`, { tokenId: token.id })).status, 204);
      return { r, login: `multi${n}`, tokenId: token.id };
    }

    it('accepts exactly one of many identical codes sent to all instances at once', async () => {
      const s = await paired();
      const otp = code();
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          request(proxy.port, 'POST', `/api/v1/auth/${s.r.id}/user-token`, { login: s.login, otp, ip: `198.51.100.${i + 1}` }, basic(s.r)),
        ),
      );
      assert.ok(
        answers.every((a) => a.status === 200),
        JSON.stringify(answers.find((a) => a.status !== 200)),
      );
      assert.equal(answers.filter((a) => a.body.result === true).length, 1);
    });

    it('shares throttle and lockout counts between instances', async () => {
      const s = await paired({ throttleMaxFailures: 3, failedAttemptsLimit: 10 });
      const wrong = (i: number, port: number) =>
        request(port, 'POST', `/api/v1/auth/${s.r.id}/password`, { login: s.login, password: `wrong-${i}`, ip: '192.0.2.50' }, basic(s.r));
      for (let i = 0; i < 3; i++) assert.equal((await wrong(i, ports[i]!)).status, 200);
      for (const port of ports) assert.equal((await wrong(9, port)).status, 429, 'every instance throttles the client');

      const t = await paired({ failedAttemptsLimit: 3 });
      for (let i = 0; i < 3; i++) {
        const a = await request(
          ports[i]!,
          'POST',
          `/api/v1/auth/${t.r.id}/user-token`,
          { login: t.login, otp: `00000${i + 1}`, ip: `192.0.2.${60 + i}` },
          basic(t.r),
        );
        assert.equal(a.body.result, false);
      }
      for (const port of ports) {
        const a = await request(port, 'POST', `/api/v1/auth/${t.r.id}/user-token`, { login: t.login, otp: code(), ip: '192.0.2.70' }, basic(t.r));
        assert.equal(a.body.reason, 'locked', 'every instance sees the lock');
      }
    });

    /** A widget login whose three steps go to three instances; the result token. */
    async function widgetLogin(s: Awaited<ReturnType<typeof paired>>, nonce: string, order = ports): Promise<string> {
      const started = await request(order[0]!, 'POST', '/widget/api/start', { resourceId: s.r.id, origin: SITE, nonce, instance: 'vf-1' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const transaction = started.body.transaction as string;
      const identified = await request(order[1]!, 'POST', '/widget/api/identify', { transaction, login: s.login });
      assert.equal(identified.body.step, 'otp', JSON.stringify(identified.body));
      const done = await request(order[2]!, 'POST', '/widget/api/otp', { transaction, otp: code() });
      assert.equal(done.body.step, 'done', JSON.stringify(done.body));
      return done.body.token as string;
    }

    it('finishes a widget transaction started on one instance on another; its token verifies on a third, once', async () => {
      const s = await paired({ authMethod: 'otp' });
      const token = await widgetLogin(s, 'multi-nonce-1');
      const first = await request(ports[0]!, 'POST', '/api/v1/verify', { token, nonce: 'multi-nonce-1' }, basic(s.r));
      assert.equal(first.body.valid, true, JSON.stringify(first.body));
      const again = await request(ports[1]!, 'POST', '/api/v1/verify', { token, nonce: 'multi-nonce-1' }, basic(s.r));
      assert.deepEqual([again.body.valid, again.body.reason], [false, 'replayed']);
    });

    it('verifies tokens across instances before and after a signing-key rotation made by another process', async () => {
      const s = await paired({ authMethod: 'otp' });
      const jwks = (port: number) => createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`), { cacheMaxAge: 0, cooldownDuration: 0 });
      const offline = (token: string, port: number, audience = s.r.id) => jwtVerify(token, jwks(port), { issuer: env.PUBLIC_URL, audience });
      const before = await widgetLogin(s, 'rot-1');
      const oldKid = decodeProtectedHeader(before).kid;
      const rotation = runCli(['rotate-signing-key'], env);
      assert.equal(await rotation.exited, 0, rotation.output().stderr);
      // Signed before the rotation: still good everywhere (the old key stays in the JWKS).
      for (const port of ports) await offline(before, port);
      // New logins move to the new key once each instance's few-second key cache has expired.
      // A fresh user each time: one user's code is good once per 30 s step.
      let after = '';
      let last = s;
      let nonce = '';
      await waitUntil(
        'logins signed with the new key',
        async () => {
          last = await paired({ authMethod: 'otp' });
          nonce = `rot-${serial}`;
          after = await widgetLogin(last, nonce, [ports[2]!, ports[0]!, ports[1]!]);
          return decodeProtectedHeader(after).kid !== oldKid;
        },
        60_000,
        500,
      );
      for (const port of ports) await offline(after, port, last.r.id);
      assert.equal((await request(ports[1]!, 'POST', '/api/v1/verify', { token: after, nonce }, basic(last.r))).body.valid, true);
    });

    /** Every instance has the resource in its cache (auth/resource-cache.ts): a request with the secret passes. */
    async function warm(s: { r: { id: string; secret: string }; login: string }) {
      for (const port of ports) {
        const res = await request(port, 'POST', `/api/v1/auth/${s.r.id}/password`, { login: s.login, password: 'correct horse', ip: '192.0.2.80' }, basic(s.r));
        assert.equal(res.body.result, true, `instance on ${port} before the change`);
      }
    }

    it('refuses a rotated resource secret on every instance at once', async () => {
      const s = await paired();
      await warm(s);
      const rotated = await admin('POST', `/resources/${s.r.id}/secret`, undefined, ports[0]);
      assert.equal(rotated.status, 200);
      const fresh = { id: s.r.id, secret: rotated.body.secret as string };
      for (const port of ports) {
        assert.equal(
          (await request(port, 'POST', `/api/v1/auth/${s.r.id}/prepare`, { login: s.login, ip: '192.0.2.80' }, basic(s.r))).status,
          401,
          'the old secret',
        );
        assert.equal(
          (await request(port, 'POST', `/api/v1/auth/${s.r.id}/password`, { login: s.login, password: 'correct horse', ip: '192.0.2.80' }, basic(fresh))).body
            .result,
          true,
        );
      }
    });

    it('refuses a deactivated resource and applies a new filter on every instance at once', async () => {
      const s = await paired();
      await warm(s);
      assert.equal((await admin('POST', `/resources/${s.r.id}/filters`, { type: 'ip', mode: 'deny', cidrs: ['192.0.2.0/24'] }, ports[1])).status, 201);
      for (const port of ports) {
        const res = await request(port, 'POST', `/api/v1/auth/${s.r.id}/password`, { login: s.login, password: 'correct horse', ip: '192.0.2.80' }, basic(s.r));
        assert.equal(res.body.reason, 'filtered', `instance on ${port} after the filter`);
      }
      assert.equal((await admin('PATCH', `/resources/${s.r.id}`, { active: false }, ports[2])).status, 200);
      for (const port of ports) {
        const res = await request(
          port,
          'POST',
          `/api/v1/auth/${s.r.id}/password`,
          { login: s.login, password: 'correct horse', ip: '198.51.100.80' },
          basic(s.r),
        );
        assert.equal(res.body.reason, 'inactive_resource', `instance on ${port} after the deactivation`);
      }
    });

    it('keeps one audit chain that verifies while every instance seals', async () => {
      const client = new pg.Client({ connectionString: dbUrl });
      await client.connect();
      try {
        await waitUntil(
          'every event sealed',
          async () => (await client.query('select count(*)::int as n from events where hash is null')).rows[0].n === 0,
          60_000,
          200,
        );
      } finally {
        await client.end();
      }
      const verify = runCli(['audit', 'verify'], env);
      assert.equal(await verify.exited, 0, verify.output().stdout + verify.output().stderr);
    });
  });
}
