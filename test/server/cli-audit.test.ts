import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../../server/src/config.js';
import { migrateToLatest, openDatabase, type Db } from '../../server/src/db/index.js';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import { sealEvents } from '../../server/src/events/chain.js';
import { appendEvent, appendEvents } from '../../server/src/events/repository.js';
import { createScratchDatabase } from '../helpers/db.js';
import { freePort, runCli } from '../helpers/process.js';
import { migratedDataDir } from '../helpers/data-dir.js';

// These tests start real veriframe processes (TypeScript through tsx, PGlite): on a busy 2-core
// machine one takes longer than the suite's 60 s default.
const SLOW = { timeout: 180_000 };

const adminKey = 'vf_audit_test_' + 'a'.repeat(40);
// The chain is an HMAC chain under the master key's audit subkey: sealing here needs the key the
// command will load (the data directory's key file, or VERIFRAME_MASTER_KEY).
const pgKey = Buffer.alloc(32, 3);
const pgRing = createKeyRing(pgKey);
const dataDirRing = (dir: string) => createKeyRing(Buffer.from(fs.readFileSync(path.join(dir, 'master.key'), 'utf8').trim(), 'base64'));

/** Opens the database the CLI will use, in this process, runs `fn`, and closes it again. */
async function withDatabase<T>(target: DatabaseTarget, fn: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(target);
  try {
    await migrateToLatest(database.db);
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function eventIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('events').select('id').orderBy('id').execute()).map((r) => r.id);
}

async function auditVerify(env: Record<string, string>) {
  const cli = runCli(['audit', 'verify'], env);
  const code = await cli.exited;
  return { code, ...cli.output() };
}

describe('veriframe audit verify', () => {
  describe('embedded database', () => {
    let dataDir: string;
    before(async () => (dataDir = await migratedDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-audit-')))));
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    it('verifies the events a running server wrote and sealed', SLOW, async () => {
      const port = await freePort();
      const env = { PORT: String(port), VERIFRAME_DATA_DIR: dataDir, VERIFRAME_ADMIN_KEY: adminKey };
      // LOG_LEVEL=debug: the sealer logs each pass that sealed something, which the test awaits.
      const serve = runCli(['serve'], { ...env, LOG_LEVEL: 'debug' });
      await serve.waitFor('Stop with Ctrl+C');
      const base = `http://127.0.0.1:${port}/api/v1`;
      const auth = { authorization: `Bearer ${adminKey}` };
      const me = (await (await fetch(`${base}/admins/me`, { headers: auth })).json()) as { id: string };
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${base}/admins/${me.id}/keys`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `key ${i}` }),
        });
        assert.equal(res.status, 201);
      }
      // The server's sealer chains them within a few seconds, without anybody asking: after
      // each of its passes, look whether every event is sealed.
      let events: { sealed: boolean }[] = [];
      for (let passes = 1; passes <= 10; passes++) {
        await serve.waitFor(new RegExp(`(?:"msg":"events sealed"[^]*){${passes}}`));
        events = ((await (await fetch(`${base}/events?limit=500`, { headers: auth })).json()) as { items: { sealed: boolean }[] }).items;
        if (events.every((e) => e.sealed)) break;
      }
      assert.ok(events.length >= 4 && events.every((e) => e.sealed), JSON.stringify(events));
      serve.child.kill('SIGTERM');
      assert.equal(await serve.exited, 0, serve.output().stderr);

      const result = await auditVerify({ VERIFRAME_DATA_DIR: dataDir });
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(`^audit chain intact: ${events.length} events verified \\(0 not yet sealed\\)\\nchain head: event \\d+, hmac-sha256 [0-9a-f]{64}\\n$`),
      );
    });

    it('exits 1 naming the edited event, and the event after a deleted one', SLOW, async () => {
      const target: DatabaseTarget = { kind: 'pglite-file', dataDir };
      const all = await withDatabase(target, async (db) => {
        for (let i = 0; i < 5; i++) await appendEvent(db, { type: 'auth.otp', actor: 'widget', result: 'failure', reason: 'wrong_otp' });
        await sealEvents(db, dataDirRing(dataDir));
        await appendEvent(db, { type: 'auth.otp', actor: 'widget', result: 'success' });
        return eventIds(db);
      });
      const intact = await auditVerify({ VERIFRAME_DATA_DIR: dataDir });
      assert.equal(intact.code, 0, intact.stderr);
      assert.match(intact.stdout, new RegExp(`^audit chain intact: ${all.length - 1} events verified \\(1 not yet sealed\\)\\n`));

      const edited = all.at(-3)!;
      await withDatabase(target, (db) => db.updateTable('events').set({ result: 'success' }).where('id', '=', edited).execute());
      const afterEdit = await auditVerify({ VERIFRAME_DATA_DIR: dataDir });
      assert.equal(afterEdit.code, 1);
      assert.equal(afterEdit.stdout, `audit chain BROKEN at event ${edited}: event ${edited} was changed after it was sealed\n`);

      // A deletion before the edited row is now the first break: named at the row after it.
      const [kept, deleted, next] = [all.at(-6)!, all.at(-5)!, all.at(-4)!];
      await withDatabase(target, (db) => db.deleteFrom('events').where('id', '=', deleted).execute());
      const afterDelete = await auditVerify({ VERIFRAME_DATA_DIR: dataDir });
      assert.equal(afterDelete.code, 1);
      assert.match(afterDelete.stdout, new RegExp(`^audit chain BROKEN at event ${next}: .*events between ${kept} and ${next} were deleted`));
    });

    it('refuses a missing or unknown subcommand with usage exit code 2', SLOW, async () => {
      for (const args of [['audit'], ['audit', 'repair']]) {
        const cli = runCli(args, { VERIFRAME_DATA_DIR: dataDir });
        assert.equal(await cli.exited, 2);
        assert.match(cli.output().stderr, /audit needs one subcommand: verify/);
      }
      const help = runCli(['help'], {});
      await help.exited;
      assert.match(help.output().stdout, /audit verify/);
    });
  });

  describe('PostgreSQL', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' }, () => {
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
    before(async () => (scratch = await createScratchDatabase()));
    after(() => scratch?.drop());

    it('verifies while events keep arriving, and names a tampered row', SLOW, async () => {
      const target: DatabaseTarget = { kind: 'postgres', url: scratch.url };
      const env = { DATABASE_URL: scratch.url, VERIFRAME_MASTER_KEY: pgKey.toString('base64') };
      const database = await openDatabase(target, { poolSize: 2 });
      try {
        await migrateToLatest(database.db);
        for (let i = 0; i < 4; i++) await appendEvent(database.db, { type: 'token.updated', actor: 'cli', details: { i } });
        await sealEvents(database.db, pgRing);
        await appendEvent(database.db, { type: 'token.updated', actor: 'cli' });
        const ok = await auditVerify(env);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /^audit chain intact: 4 events verified \(1 not yet sealed\)\n/);
        const ids = await eventIds(database.db);
        await database.db
          .updateTable('events')
          .set({ details: JSON.stringify({ i: 7 }) })
          .where('id', '=', ids[1]!)
          .execute();
        const broken = await auditVerify(env);
        assert.equal(broken.code, 1);
        assert.match(broken.stdout, new RegExp(`^audit chain BROKEN at event ${ids[1]}: `));
      } finally {
        await database.close();
      }
    });

    it('prints progress lines on stderr for a large chain', SLOW, async () => {
      const target: DatabaseTarget = { kind: 'postgres', url: scratch.url };
      const env = { DATABASE_URL: scratch.url, VERIFRAME_MASTER_KEY: pgKey.toString('base64') };
      await withDatabase(target, async (db) => {
        await sql`truncate events restart identity`.execute(db);
        await db
          .updateTable('event_chain_state')
          .set({ lastSealedId: 0, lastHash: Buffer.alloc(32), keyId: null, mac: null })
          .execute();
        await appendEvents(
          db,
          Array.from({ length: 60_000 }, (_, i) => ({ type: 'auth.otp', actor: 'widget', details: { i } })),
        );
        while ((await sealEvents(db, pgRing, { limit: 10_000 })) > 0);
      });
      const result = await auditVerify(env);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^audit chain intact: 60000 events verified \(0 not yet sealed\)\n/);
      const lines = result.stderr.trim().split('\n');
      assert.ok(lines.length >= 5 && lines.length <= 11, result.stderr);
      assert.match(lines.at(-1)!, /^verifying: 60000 events, through event \d+ of \d+ \(\d+ s\)$/);
    });
  });
});
