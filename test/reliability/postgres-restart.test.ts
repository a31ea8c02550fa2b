import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { adminApi, assertPresent, runLoad, waitUntil, type Answer } from '../helpers/load.js';
import { startOwnPostgres, type OwnPostgres } from '../helpers/postgres.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { faultFigures, readyz } from './support.js';

// A PostgreSQL restart under a light write load (issue 20): a real `veriframe serve` on a
// PostgreSQL server of the test's own, 4 clients creating users, tokens and resources, and a
// fast restart of the database (every session ends with 57P01, as with `pg_ctlcluster restart`).
// The process must live through it, answer 503 database_unavailable with Retry-After while the
// database is away (never a 500, never a hang or a reset connection), say 503 on /readyz, and
// take writes again by itself once the database is back, having lost none it acknowledged.

const WORKERS = 4;
const adminKey = `vf_rel_${randomBytes(24).toString('base64url')}`;

describe('reliability: PostgreSQL restarted under a write load', () => {
  let pg: OwnPostgres;
  let server: CliProcess | undefined;
  let port: number;
  // Ends the load also when an assertion fails half-way.
  const phase = { down: false, stop: false, upAt: 0, firstAckAfter: 0, acks: 0 };

  before(async () => {
    pg = await startOwnPostgres();
    port = await freePort();
  });
  after(async () => {
    phase.stop = true;
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await pg.destroy();
  });

  it('keeps running, answers 503 during the outage and recovers by itself without losing a write', async () => {
    server = runCli(['serve'], {
      PORT: String(port),
      DATABASE_URL: pg.url,
      VERIFRAME_MASTER_KEY: randomBytes(32).toString('base64'),
      VERIFRAME_ADMIN_KEY: adminKey,
    });
    await server.waitFor('Stop with Ctrl+C');
    const base = () => `http://127.0.0.1:${port}`;
    const api = adminApi(base, adminKey);

    let answeredWhileDown = 0;
    const bad: string[] = [];
    const check = (answer: Answer) => {
      if (phase.down) answeredWhileDown++;
      if (answer.status === 201) {
        phase.acks++;
        if (phase.upAt && !phase.firstAckAfter) phase.firstAckAfter = Date.now();
        return;
      }
      const code = (answer.body as { error?: { code?: string } }).error?.code;
      if (answer.status !== 503 || code !== 'database_unavailable' || !/^\d+$/.test(answer.headers.get('retry-after') ?? '')) {
        bad.push(`${answer.status} ${code} retry-after=${answer.headers.get('retry-after')}`);
      }
    };
    const load = runLoad(api, { workers: WORKERS, prefix: 'restart', stop: () => phase.stop, maxPerWorker: 20_000, onAnswer: check });
    // Some writes go through before the fault.
    await waitUntil('writes before the fault', () => phase.acks >= 30);

    phase.down = true;
    await pg.stop('fast');
    const downAt = Date.now();
    // While it is away: /readyz says so, and writes get 503 (counted by `check`).
    const ready = await readyz(base());
    assert.equal(ready.status, 503, `readyz while the database is down; server stderr: ${server.output().stderr.slice(-2000)}`);
    assert.equal(ready.headers.get('retry-after') !== null, true, 'readyz 503 carries Retry-After');
    await waitUntil('503s during the outage', () => answeredWhileDown >= 20);
    assert.equal(server.child.exitCode, null, `the server died: ${server.output().stderr}`);

    await pg.start();
    const upAt = Date.now();
    phase.down = false;
    phase.upAt = upAt;
    await waitUntil('ready again', async () => (await readyz(base())).status === 200, 30_000);
    const acksAtUp = phase.acks;
    await waitUntil('writes after the fault', () => phase.acks >= acksAtUp + 30, 30_000);
    phase.stop = true;
    const result = await load;

    assert.deepEqual(result.failures, {}, 'every request got an answer (no reset, no refused connection, no hang)');
    assert.deepEqual(bad, [], 'only 201 or 503 database_unavailable with Retry-After');
    assert.ok((result.statuses[503] ?? 0) > 0, 'the outage was seen by requests');
    await assertPresent(api, result.acks);
    assert.equal(server.child.exitCode, null, 'still running');
    console.log(
      faultFigures('postgres restart', {
        requests: Object.values(result.statuses).reduce((a, b) => a + b, 0),
        acked: result.acks.length,
        during: result.statuses[503] ?? 0,
        outageSeconds: (upAt - downAt) / 1000,
        recoverSeconds: (phase.firstAckAfter - upAt) / 1000,
        lost: 0,
      }),
    );
  });
});
