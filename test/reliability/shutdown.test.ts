import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminApi, assertPresent, runLoad, type Ack } from '../helpers/load.js';
import { startOwnPostgres, type OwnPostgres } from '../helpers/postgres.js';
import type { CliProcess } from '../helpers/process.js';
import { faultFigures, reap, serve } from './support.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// Stopping a server under a write load (issue 20), on both databases. SIGTERM: the server stops
// accepting, finishes every request it has received, closes keep-alive connections without
// cutting a request off, and exits 0; a client sees either an answer or a refused connection,
// never a reset, and every write answered 2xx is there after a restart. SIGKILL on PostgreSQL
// (the embedded database's kill -9 is test/security/crash-safety.test.ts): nothing acknowledged
// is lost and the next start is clean.

const WORKERS = 8;
const adminKey = `vf_stop_${randomBytes(24).toString('base64url')}`;

// Refused: the server no longer listens, so the request never reached it. Anything else without
// an answer (ECONNRESET, UND_ERR_SOCKET "other side closed") is a request cut off.
const REFUSED = 'ECONNREFUSED';

for (const mode of ['pglite', 'postgres'] as const) {
  describe(`reliability: stopping under a write load (${mode})`, () => {
    let pg: OwnPostgres | undefined;
    let dir: string;
    let env: Record<string, string>;
    let server: CliProcess | undefined;
    const stopLoad = { now: false };
    const acked: Ack[] = [];

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-stop-'));
      if (mode === 'postgres') {
        pg = await startOwnPostgres();
        env = { DATABASE_URL: pg.url, VERIFRAME_MASTER_KEY: randomBytes(32).toString('base64') };
      } else {
        env = { VERIFRAME_DATA_DIR: await migratedDataDir(dir) };
      }
    });
    after(async () => {
      stopLoad.now = true;
      await reap(server);
      await pg?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Writes with WORKERS clients until the server is gone; `signal` is sent after `after` acks. */
    async function loadUntilGone(running: { server: CliProcess; base: () => string }, signal: NodeJS.Signals, afterAcks: number) {
      let sentAt = 0;
      let answeredAfter = 0;
      const result = await runLoad(adminApi(running.base, adminKey), {
        workers: WORKERS,
        prefix: `${signal}-${acked.length}`,
        stop: () => stopLoad.now,
        maxPerWorker: 5_000,
        stopOnFailure: true,
        onAnswer: (_answer, _ack, r) => {
          if (sentAt) answeredAfter++;
          if (!sentAt && r.acks.length >= afterAcks) {
            sentAt = Date.now();
            running.server.child.kill(signal);
          }
        },
      });
      return { result, answeredAfter };
    }

    it('SIGTERM: answers every request it received, loses no write and exits 0', SLOW, async () => {
      const running = await serve(env, adminKey);
      server = running.server;
      const { result, answeredAfter } = await loadUntilGone(running, 'SIGTERM', 150);
      assert.equal(await running.server.exited, 0, running.server.output().stderr);
      const cut = Object.entries(result.failures).filter(([reason]) => reason !== REFUSED);
      assert.deepEqual(cut, [], 'no request was cut off: each got an answer or a refused connection');
      assert.deepEqual(Object.keys(result.statuses), ['201'], 'every answer was a success');
      acked.push(...result.acks);

      const again = await serve(env, adminKey);
      server = again.server;
      await assertPresent(adminApi(again.base, adminKey), acked);
      console.log(
        faultFigures(`SIGTERM under load (${mode})`, {
          requests: result.statuses[201] ?? 0,
          acked: result.acks.length,
          held: answeredAfter,
          lost: 0,
        }),
      );
    });

    if (mode === 'postgres') {
      it('SIGKILL: loses no acknowledged write and starts again clean', SLOW, async () => {
        const running = server!;
        // The server of the test above still runs; it is killed in the middle of the writes.
        const port = Number(/127\.0\.0\.1:(\d+)/.exec(running.output().stdout)![1]);
        const base = () => `http://127.0.0.1:${port}`;
        const { result } = await loadUntilGone({ server: running, base }, 'SIGKILL', 150);
        assert.equal(await running.exited, 128 + 9, 'killed, not stopped');
        assert.ok(Object.keys(result.failures).length > 0, 'the kill landed while requests were in flight');
        acked.push(...result.acks);

        const again = await serve(env, adminKey, port);
        server = again.server;
        await assertPresent(adminApi(again.base, adminKey), acked);
        again.server.child.kill('SIGTERM');
        assert.equal(await again.server.exited, 0, again.server.output().stderr);
        const cut = Object.values(result.failures).reduce((a, b) => a + b, 0);
        console.log(
          faultFigures('SIGKILL under load (postgres)', {
            requests: Object.values(result.statuses).reduce((a, b) => a + b, 0),
            acked: result.acks.length,
            cut,
            lost: 0,
          }),
        );
      });
    }
  });
}
