import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../server/src/db/index.js';
import { createScratchDatabase } from '../helpers/db.js';
import { freePort, runCli } from '../helpers/process.js';

// These tests start real veriframe processes (TypeScript through tsx, PGlite): on a busy 2-core
// machine one takes longer than the suite's 60 s default.
const SLOW = { timeout: 180_000 };

const adminKey = 'vf_cli_test_' + 'k'.repeat(40);

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-cli-'));
}

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/**
 * POSTs JSON in two halves with `midway` between, so the request is in flight while we act.
 * `Expect: 100-continue` makes the server answer once it has read the headers: from then on
 * the request is its in-flight work, not an idle connection it may drop.
 */
function slowPost(url: string, headers: Record<string, string>, body: string, midway: () => Promise<void>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' } },
      (res) => {
        let data = '';
        res.on('data', (d) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.once('continue', () => req.write(body.slice(0, half), () => void midway().then(() => req.end(body.slice(half)), reject)));
  });
}

/** Resolves once nothing accepts connections on the port any more (each try is a real connect). */
async function untilRefused(port: number): Promise<void> {
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
  }
}

describe('veriframe CLI', () => {
  it('stops with exit code 1 and one clear line on bad configuration', SLOW, async () => {
    const cli = runCli(['serve'], { PORT: 'abc' });
    assert.equal(await cli.exited, 1);
    const { stderr, stdout } = cli.output();
    assert.equal(stderr, 'veriframe: PORT must be a port number 1-65535, got "abc"\n');
    assert.equal(stdout, '');
  });

  it('refuses an unknown command with usage and exit code 2', SLOW, async () => {
    const cli = runCli(['frobnicate'], {});
    assert.equal(await cli.exited, 2);
    assert.match(cli.output().stderr, /unknown command "frobnicate"/);
    assert.match(cli.output().stderr, /admin-key create/);
  });

  describe('embedded database', () => {
    let dataDir: string;
    before(() => (dataDir = tempDir()));
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    it('serves with the demo, finishes in-flight requests on SIGTERM, and keeps data across a restart', SLOW, async () => {
      const [port, demoPort] = [await freePort(), await freePort()];
      const env = { PORT: String(port), DEMO_PORT: String(demoPort), VERIFRAME_DATA_DIR: dataDir, VERIFRAME_ADMIN_KEY: adminKey };
      const base = `http://127.0.0.1:${port}`;
      const auth = { authorization: `Bearer ${adminKey}` };

      // LOG_LEVEL=info: the test waits for the shutdown's log line.
      const first = runCli(['serve', '--demo'], { ...env, LOG_LEVEL: 'info' });
      await first.waitFor('Stop with Ctrl+C');
      assert.match(first.output().stdout, new RegExp(`Veriframe http://127.0.0.1:${port}`));
      assert.match(first.output().stdout, new RegExp(`Demo site http://127.0.0.1:${demoPort}`));
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const demo = await fetch(`http://127.0.0.1:${demoPort}/`);
      assert.equal(demo.status, 200);
      assert.match(await demo.text(), /demo/i);

      // The master key was generated once, privately, beside the database.
      const keyFile = path.join(dataDir, 'master.key');
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);

      // A second process must not open the same embedded database files.
      const concurrent = runCli(['admin-key', 'list'], { VERIFRAME_DATA_DIR: dataDir });
      assert.equal(await concurrent.exited, 1);
      assert.match(concurrent.output().stderr, /is in use by process \d+/);

      const me = await json<{ id: string }>(await fetch(`${base}/api/v1/admins/me`, { headers: auth }));
      // A request still uploading when SIGTERM arrives is finished, and its write is kept.
      const inFlight = await slowPost(`${base}/api/v1/admins/${me.id}/keys`, auth, JSON.stringify({ name: 'written before restart' }), async () => {
        first.child.kill('SIGTERM');
        // The rest of the body goes only once the server has begun to shut down and stopped listening.
        await first.waitFor('shutting down: finishing in-flight requests');
        await untilRefused(port);
      });
      assert.equal(inFlight.status, 201, inFlight.body);
      const created = JSON.parse(inFlight.body) as { apiKey: string; id: string };
      assert.equal(await first.exited, 0, first.output().stderr);
      await assert.rejects(fetch(`${base}/healthz`), 'the server stopped listening');

      const second = runCli(['serve', '--demo'], { ...env, VERIFRAME_ADMIN_KEY: undefined });
      await second.waitFor('Stop with Ctrl+C');
      // Without VERIFRAME_ADMIN_KEY the demo prints a superuser key of its own, kept privately.
      const demoKey = /Admin key (vf_\S+)/.exec(second.output().stdout)?.[1];
      assert.ok(demoKey, second.output().stdout);
      assert.equal((await fetch(`${base}/api/v1/admins/me`, { headers: { authorization: `Bearer ${demoKey}` } })).status, 200);
      assert.equal(fs.statSync(path.join(dataDir, 'demo-admin.key')).mode & 0o777, 0o600);
      const again = await fetch(`${base}/api/v1/admins/me`, { headers: { authorization: `Bearer ${created.apiKey}` } });
      assert.equal(again.status, 200, 'the key written before the restart still works');
      assert.equal(fs.readFileSync(keyFile, 'utf8').length > 0, true);
      second.child.kill('SIGINT');
      assert.equal(await second.exited, 0);
      // The widget's signing key was made at the first start (nothing asked for it) and reused.
      const stored = await openDatabase({ kind: 'pglite-file', dataDir });
      try {
        assert.equal((await stored.db.selectFrom('signing_keys').select('kid').execute()).length, 1);
      } finally {
        await stored.close();
      }
    });

    it('creates, lists and revokes API keys', SLOW, async () => {
      const env = { VERIFRAME_DATA_DIR: dataDir };
      const create = runCli(['admin-key', 'create', '--name', 'ops laptop'], env);
      assert.equal(await create.exited, 0, create.output().stderr);
      const key = /^(vf_\S+)$/m.exec(create.output().stdout)?.[1];
      assert.ok(key, create.output().stdout);

      const list = runCli(['admin-key', 'list'], env);
      assert.equal(await list.exited, 0);
      const line = list
        .output()
        .stdout.split('\n')
        .find((l) => l.includes('"ops laptop"'));
      assert.ok(line, list.output().stdout);
      assert.ok(line.includes(key.slice(0, 11)), 'the prefix identifies the key');
      assert.ok(!list.output().stdout.includes(key), 'the full key is never listed');

      const id = line.split(/\s+/)[0]!;
      const revoke = runCli(['admin-key', 'revoke', id], env);
      assert.equal(await revoke.exited, 0, revoke.output().stderr);
      const listed = runCli(['admin-key', 'list'], env);
      await listed.exited;
      assert.match(
        listed
          .output()
          .stdout.split('\n')
          .find((l) => l.startsWith(id)) ?? '',
        /revoked/,
      );

      const missing = runCli(['admin-key', 'revoke', 'vf_nothing'], env);
      assert.equal(await missing.exited, 2);
      assert.match(missing.output().stderr, /no API key with id or prefix vf_nothing/);
    });
  });

  describe('PostgreSQL', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' }, () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    before(async () => (scratch = await createScratchDatabase()));
    after(() => scratch?.drop());
    const masterKey = Buffer.alloc(32, 9).toString('base64');

    it('migrates an empty database; a second migrate is a no-op; serve works on it', SLOW, async () => {
      const env = { DATABASE_URL: scratch.url, VERIFRAME_MASTER_KEY: masterKey };
      const first = runCli(['migrate'], env);
      assert.equal(await first.exited, 0, first.output().stderr);
      assert.match(first.output().stdout, /applied: 20261128_0001_core/);
      const second = runCli(['migrate'], env);
      assert.equal(await second.exited, 0);
      assert.equal(second.output().stdout, 'database is up to date; nothing to apply\n');

      const port = await freePort();
      const serve = runCli(['serve'], { ...env, PORT: String(port), VERIFRAME_AUTO_MIGRATE: 'false' });
      await serve.waitFor('Stop with Ctrl+C');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 200);
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited, 0);
    });

    it('refuses PostgreSQL without a master key', SLOW, async () => {
      const cli = runCli(['serve'], { DATABASE_URL: scratch.url });
      assert.equal(await cli.exited, 1);
      assert.match(cli.output().stderr, /^veriframe: VERIFRAME_MASTER_KEY must be set when DATABASE_URL is PostgreSQL/);
    });
  });
});
