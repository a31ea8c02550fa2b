import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startOwnPostgres, type OwnPostgres } from '../helpers/postgres.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { faultFigures, outageUnderLoad, readyz, reap, serve } from './support.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// The database goes away under a light write load (issue 20): a real `veriframe serve` on a
// PostgreSQL server of the test's own, 4 clients creating users, tokens and resources. The
// process must live through it (it used to die at once of an unhandled 'error' on the pg pool),
// answer 503 database_unavailable with Retry-After while the database is away (never a 500, a
// hang or a reset connection), say 503 on /readyz, and take writes again by itself once the
// database is back, having lost none it acknowledged (see outageUnderLoad).

const WORKERS = 4;
const adminKey = `vf_rel_${randomBytes(24).toString('base64url')}`;

describe('reliability: the database goes away under a write load', () => {
  let pg: OwnPostgres;
  let proxy: TcpProxy | undefined;
  let server: CliProcess | undefined;
  const stopped = { now: false };
  const masterKey = randomBytes(32).toString('base64');

  before(async () => {
    pg = await startOwnPostgres();
  });
  after(async () => {
    stopped.now = true;
    await reap(server);
    await proxy?.close();
    await pg.destroy();
  });

  it('PostgreSQL restarted (every session ended with 57P01): 503 during, recovery by itself, no write lost', SLOW, async () => {
    stopped.now = false;
    const running = await serve({ DATABASE_URL: pg.url, VERIFRAME_MASTER_KEY: masterKey }, adminKey);
    server = running.server;
    const figures = await outageUnderLoad(
      running,
      adminKey,
      { fault: () => pg.stop('fast'), heal: () => pg.start() },
      { workers: WORKERS, prefix: 'restart', stopped },
    );
    console.log(faultFigures('PostgreSQL restart', figures));
    running.server.child.kill('SIGTERM');
    assert.equal(await running.server.exited, 0, running.server.output().stderr);
    // The sealer went on after the outage: the audit chain is whole.
    const audit = runCli(['audit', 'verify'], { DATABASE_URL: pg.url, VERIFRAME_MASTER_KEY: masterKey });
    assert.equal(await audit.exited, 0, audit.output().stdout + audit.output().stderr);
    assert.match(audit.output().stdout, /^audit chain intact: [1-9]\d* events verified/);
  });

  it('a start while PostgreSQL is down waits for it instead of failing', SLOW, async () => {
    await pg.stop('fast');
    const port = await freePort();
    const starting = runCli(['serve'], { PORT: String(port), DATABASE_URL: pg.url, VERIFRAME_MASTER_KEY: masterKey, VERIFRAME_ADMIN_KEY: adminKey });
    server = starting;
    await starting.waitFor('database not reachable yet');
    await pg.start();
    await starting.waitFor('Stop with Ctrl+C');
    assert.equal((await readyz(`http://127.0.0.1:${port}`)).status, 200);
    starting.child.kill('SIGTERM');
    assert.equal(await starting.exited, 0, starting.output().stderr);
  });

  it('network cut between server and database (connections destroyed, new ones refused), then restored', SLOW, async () => {
    stopped.now = false;
    proxy = await startTcpProxy(pg.port);
    const url = `postgres://postgres@127.0.0.1:${proxy.port}/postgres`;
    const running = await serve({ DATABASE_URL: url, VERIFRAME_MASTER_KEY: masterKey }, adminKey);
    server = running.server;
    const figures = await outageUnderLoad(
      running,
      adminKey,
      { fault: () => proxy!.cut(), heal: () => proxy!.restore() },
      { workers: WORKERS, prefix: 'cut', stopped },
    );
    console.log(faultFigures('network cut', figures));
    running.server.child.kill('SIGTERM');
    assert.equal(await running.server.exited, 0, running.server.output().stderr);
  });

  it('network silently dropping everything (no error, no answer), then back: 503 within seconds, recovery', SLOW, async () => {
    stopped.now = false;
    await proxy?.close();
    proxy = await startTcpProxy(pg.port);
    const url = `postgres://postgres@127.0.0.1:${proxy.port}/postgres`;
    // Statements unanswered for 2 s end their connection (default 30 s).
    const running = await serve({ DATABASE_URL: url, VERIFRAME_MASTER_KEY: masterKey, VERIFRAME_DB_QUERY_TIMEOUT: '2' }, adminKey);
    server = running.server;
    const figures = await outageUnderLoad(
      running,
      adminKey,
      { fault: () => proxy!.freeze(), heal: () => proxy!.restore() },
      { workers: WORKERS, prefix: 'freeze', stopped, minDuring: 8 },
    );
    console.log(faultFigures('network silently dropping packets', figures));
  });
});
