import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../server/src/db/index.js';
import { adminApi } from '../helpers/load.js';
import { freePort, runCli, type CliProcess } from '../helpers/process.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// A graceful stop seals the tail of the audit log (DESIGN §15). The sealer chains events every
// few seconds; the events of the last seconds before a SIGTERM used to stay unsealed, and an
// unsealed event can be deleted without `audit verify` noticing: whoever could stop the server
// could erase its last actions. Now the server seals once more after the last request and
// before the database closes, so every event is chained and deleting the last one is detected.

const adminKey = `vf_seal_${randomBytes(24).toString('base64url')}`;

describe('graceful stop seals the audit tail', () => {
  let dir: string;
  let server: CliProcess | undefined;

  before(async () => {
    dir = await migratedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-seal-')));
  });
  after(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves every event sealed after SIGTERM, so deleting the last one is detected', SLOW, async () => {
    const port = await freePort();
    server = runCli(['serve'], { PORT: String(port), VERIFRAME_DATA_DIR: dir, VERIFRAME_ADMIN_KEY: adminKey });
    await server.waitFor('Stop with Ctrl+C');
    const api = adminApi(() => `http://127.0.0.1:${port}`, adminKey);
    // Written right before the stop: far sooner than the sealer's next pass.
    for (let i = 0; i < 3; i++) assert.equal((await api.call('POST', '/api/v1/users', { login: `sealed-${i}` })).status, 201);
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0, server.output().stderr);

    const database = await openDatabase({ kind: 'pglite-file', dataDir: dir });
    let lastId: string;
    try {
      const events = await database.db.selectFrom('events').select(['id', 'hash', 'type']).orderBy('id').execute();
      assert.ok(events.filter((e) => e.type === 'user.created').length >= 3, 'the users were logged');
      assert.deepEqual(
        events.filter((e) => e.hash === null).map((e) => e.id),
        [],
        'no event is left unsealed',
      );
      lastId = events.at(-1)!.id;
      const state = await database.db.selectFrom('event_chain_state').select('lastSealedId').executeTakeFirstOrThrow();
      assert.equal(state.lastSealedId, lastId, 'the chain ends at the last event');
    } finally {
      await database.close();
    }

    const intact = runCli(['audit', 'verify'], { VERIFRAME_DATA_DIR: dir });
    assert.equal(await intact.exited, 0, intact.output().stdout + intact.output().stderr);
    assert.match(intact.output().stdout, /\(0 not yet sealed\)/);

    // Someone with access to the files deletes the last event.
    const tamper = await openDatabase({ kind: 'pglite-file', dataDir: dir });
    try {
      const deleted = await tamper.db.deleteFrom('events').where('id', '=', lastId).executeTakeFirst();
      assert.equal(deleted.numDeletedRows, 1n);
    } finally {
      await tamper.close();
    }
    const broken = runCli(['audit', 'verify'], { VERIFRAME_DATA_DIR: dir });
    assert.equal(await broken.exited, 1, broken.output().stdout + broken.output().stderr);
    assert.match(broken.output().stdout, new RegExp(`^audit chain BROKEN at event ${lastId}: .*deleted`));
  });
});
