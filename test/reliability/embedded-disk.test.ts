import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminApi, assertPresent, runLoad, waitUntil, type Ack } from '../helpers/load.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { faultFigures, reap } from './support.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// The embedded database's disk (issue 20): a data directory that cannot be written, or a disk
// without room, stops the server at start with one line naming the directory and the remedy
// (not an emscripten ErrnoError, not half a database left behind); a disk that
// fills up while the server runs answers 503 database_unavailable, not a crash, and the server
// takes writes again once there is room. The tests run as root, which may write anywhere, so the
// unwritable cases run the server as `nobody`; a full disk is a small tmpfs.

const NOBODY = { uid: 65534, gid: 65534 };
const adminKey = `vf_disk_${randomBytes(24).toString('base64url')}`;
const masterKey = randomBytes(32).toString('base64');

describe('reliability: the embedded database and its disk', () => {
  let root: string;
  let server: CliProcess | undefined;
  let mounted: string | undefined;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-disk-'));
    fs.chmodSync(root, 0o755);
  });
  after(async () => {
    await reap(server);
    if (mounted) execFileSync('umount', [mounted]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function failsAtStart(dataDir: string): Promise<string> {
    const cli = runCli(['serve'], { PORT: String(await freePort()), VERIFRAME_DATA_DIR: dataDir, VERIFRAME_MASTER_KEY: masterKey }, NOBODY);
    assert.equal(await cli.exited, 1, cli.output().stdout + cli.output().stderr);
    const lines = cli.output().stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line: ${cli.output().stderr}`);
    return lines[0]!;
  }

  it('an unwritable data directory stops the start with one clear line', SLOW, async () => {
    const dir = path.join(root, 'not-mine');
    fs.mkdirSync(dir, { mode: 0o755 });
    assert.equal(
      await failsAtStart(dir),
      `veriframe: the data directory ${dir} is not writable by this process (EACCES): give it to the user that runs Veriframe, or set VERIFRAME_DATA_DIR to another directory`,
    );
    // The directory is ours, the database inside it is not (restored from a backup as root).
    const inside = path.join(root, 'restored');
    fs.mkdirSync(path.join(inside, 'pgdata'), { recursive: true, mode: 0o700 });
    fs.chownSync(inside, NOBODY.uid, NOBODY.gid);
    assert.match(await failsAtStart(inside), new RegExp(`^veriframe: the data directory ${inside}/pgdata is not writable by this process \\(EACCES\\)`));
  });

  it('a full disk stops the first start with one clear line and leaves nothing half-made', SLOW, async () => {
    const dir = path.join(root, 'small');
    fs.mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=2m,uid=${NOBODY.uid},gid=${NOBODY.gid},mode=0755`, 'tmpfs', dir]);
    mounted = dir;
    assert.match(
      await failsAtStart(dir),
      new RegExp(`^veriframe: no space left for the data directory ${dir}/pgdata \\(ENOSPC\\): free some space on its disk`),
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f !== 'master.key'),
      [],
      'no half-initialised database left behind',
    );
    execFileSync('umount', [dir]);
    mounted = undefined;
  });

  it('a disk that fills up while running answers 503, not a crash, and recovers when space is freed', SLOW, async () => {
    const dir = path.join(root, 'filling');
    fs.mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=0700', 'tmpfs', dir]);
    mounted = dir;
    const port = await freePort();
    server = runCli(['serve'], { PORT: String(port), VERIFRAME_DATA_DIR: dir, VERIFRAME_MASTER_KEY: masterKey, VERIFRAME_ADMIN_KEY: adminKey });
    await server.waitFor('Stop with Ctrl+C');
    const api = adminApi(() => `http://127.0.0.1:${port}`, adminKey);
    const acks: Ack[] = [];
    const statuses: Record<number, number> = {};
    const write = async (n: string) => {
      const wrong: string[] = [];
      const r = await runLoad(api, {
        workers: 1,
        prefix: n,
        stop: () => false,
        maxPerWorker: 3,
        onAnswer: (a) => {
          const code = (a.body as { error?: { code?: string } }).error?.code;
          if (a.status !== 201 && (a.status !== 503 || code !== 'database_unavailable' || !/^\d+$/.test(a.headers.get('retry-after') ?? '')))
            wrong.push(`${a.status} ${code}`);
        },
      });
      acks.push(...r.acks);
      assert.deepEqual(wrong, [], 'only 201, or 503 database_unavailable with Retry-After');
      for (const [s, c] of Object.entries(r.statuses)) statuses[Number(s)] = (statuses[Number(s)] ?? 0) + c;
      assert.deepEqual(r.failures, {}, 'every request answered');
      return r;
    };
    assert.deepEqual((await write('before')).statuses, { 201: 3 });

    // Whatever room is left goes to a file of someone else's (dd stops with ENOSPC).
    const filler = path.join(dir, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M'], { stdio: 'ignore' });
    } catch {
      // "No space left on device" is the point.
    }
    let n = 0;
    await waitUntil('a write refused with 503', async () => ((await write(`during-${n++}`)).statuses[503] ?? 0) > 0);
    assert.equal(server.child.exitCode, null, 'still running');

    fs.rmSync(filler);
    await waitUntil('writes again', async () => ((await write('after')).statuses[201] ?? 0) > 0);
    await assertPresent(api, acks);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output().stderr);
    execFileSync('umount', [dir]);
    mounted = undefined;
    console.log(
      faultFigures('embedded database, disk full while running', {
        requests: Object.values(statuses).reduce((a, b) => a + b, 0),
        acked: acks.length,
        during: statuses[503] ?? 0,
        lost: 0,
      }),
    );
  });
});
