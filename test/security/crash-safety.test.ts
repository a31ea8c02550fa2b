import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { base32Encode, hotp } from '../../server/src/otp/index.js';
import { adminApi, assertPresent, runLoad, type Ack } from '../helpers/load.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// Crash safety of the embedded database: a real `veriframe serve` takes a stream of writes from
// many clients at once and is killed with SIGKILL in the middle of it (no shutdown, no flush, a
// stale pid lock left behind). It must start again on the same data directory, and every write
// it had acknowledged with a 2xx must be there, whole — including a consumed one-time code,
// which must stay consumed. Unacknowledged writes may or may not have landed; that is allowed.
//
// This is a process crash, not a power cut. PGlite writes the WAL through to the operating system
// at every commit (with synchronous_commit off this test loses acknowledged writes), so a killed
// process loses nothing. It cannot fsync, though: it runs PostgreSQL with -F and its Node file
// system has no fsync at all, so after a power failure or kernel crash the last commits may be
// gone. Data that must survive those belongs on PostgreSQL.

const WORKERS = 12;
const adminKey = `vf_crash_${randomBytes(24).toString('base64url')}`;

describe('crash safety: kill -9 during a burst of writes on the embedded database', () => {
  let dir: string;
  let port: number;
  let server: CliProcess | undefined;
  const acked: Ack[] = [];
  let hotpToken: { resourceId: string; basic: string; secret: Buffer; counter: number };

  before(async () => {
    dir = await migratedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-crash-')));
    port = await freePort();
  });
  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${port}`;
  async function start(): Promise<CliProcess> {
    const s = runCli(['serve'], { PORT: String(port), VERIFRAME_DATA_DIR: dir, VERIFRAME_ADMIN_KEY: adminKey });
    await s.waitFor('Stop with Ctrl+C');
    return s;
  }
  const api = adminApi(base, adminKey);
  const call = api.call;
  const useCode = (counter: number) =>
    call<{ result: boolean; reason?: string }>(
      'POST',
      `/api/v1/auth/${hotpToken.resourceId}/user-token`,
      { login: 'crash-otp', otp: hotp(hotpToken.secret, counter, { algorithm: 'SHA1', digits: 6 }) },
      { authorization: hotpToken.basic },
    );

  /**
   * Workers write until the server dies (test/helpers/load.ts): users, software tokens (their
   * secret encrypted) and resources. Once `killAfter` writes have been acknowledged, SIGKILL;
   * requests in flight then fail. Returns the acknowledged writes and how many requests got no
   * answer.
   */
  async function burst(round: number, killAfter: number): Promise<{ acks: Ack[]; unanswered: number }> {
    let killed = false;
    const result = await runLoad(api, {
      workers: WORKERS,
      prefix: `crash-${round}`,
      stop: () => false,
      maxPerWorker: 10_000,
      stopOnFailure: true,
      onAnswer: (_answer, _ack, r) => {
        if (killed || r.acks.length < killAfter) return;
        killed = true;
        server!.child.kill('SIGKILL');
      },
    });
    return { acks: result.acks, unanswered: Object.values(result.failures).reduce((a, b) => a + b, 0) };
  }

  it('sets up a user with an HOTP token, then survives kills early and late in bursts of writes', SLOW, async () => {
    server = await start();
    const resource = (await call<{ id: string; secret: string }>('POST', '/api/v1/resources', { name: 'Crash shop' })).body;
    const user = (await call<{ id: string }>('POST', '/api/v1/users', { login: 'crash-otp' })).body;
    const secret = randomBytes(20);
    const token = (
      await call<{ id: string }>('POST', '/api/v1/tokens', { kind: 'hardware', type: 'hotp', serialNumber: 'CRASH-1', secret: base32Encode(secret) })
    ).body;
    assert.equal((await call('PUT', `/api/v1/tokens/${token.id}/user`, { userId: user.id })).status, 200);
    assert.equal((await call('PUT', `/api/v1/resources/${resource.id}/users/${user.id}/token`, { tokenId: token.id })).status, 204);
    hotpToken = { resourceId: resource.id, basic: 'Basic ' + Buffer.from(`${resource.id}:${resource.secret}`).toString('base64'), secret, counter: 0 };

    for (const [round, killAfter] of [8, 80].entries()) {
      // An acknowledged login consumed a code; right after it, the burst and the kill.
      const code = hotpToken.counter++;
      assert.deepEqual((await useCode(code)).body, { result: true }, `round ${round}: code ${code}`);
      const { acks, unanswered } = await burst(round, killAfter);
      assert.equal(await server.exited, 128 + 9, 'killed, not stopped');
      assert.ok(unanswered > 0, 'the kill landed while requests were in flight');
      assert.ok(acks.length >= killAfter);
      acked.push(...acks);
      // The lock of the dead process is still there; the next start must take it over.
      assert.ok(fs.existsSync(path.join(dir, 'veriframe.pid')), 'a stale pid file was left behind');

      server = await start();
      await assertPresent(api, acked);
      const replay = await useCode(code);
      assert.deepEqual(replay.body, { result: false, reason: 'invalid_credentials' }, `round ${round}: the code consumed before the crash works again`);
    }
    assert.deepEqual((await useCode(hotpToken.counter++)).body, { result: true }, 'the next code works');
  });

  it('leaves a consistent database: a clean stop, and an audit chain that verifies', SLOW, async () => {
    assert.ok(server, 'the server of the test above');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output().stderr);
    const audit = runCli(['audit', 'verify'], { VERIFRAME_DATA_DIR: dir });
    assert.equal(await audit.exited, 0, audit.output().stdout + audit.output().stderr);
    assert.match(audit.output().stdout, /^audit chain intact: \d+ events verified \(\d+ not yet sealed\)\n/);
  });
});
