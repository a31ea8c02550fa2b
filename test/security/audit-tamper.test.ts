import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../../server/src/config.js';
import { migrateToLatest, openDatabase, type Db } from '../../server/src/db/index.js';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import { chainHash, readChainRows } from '../../server/src/events/canonical.js';
import { sealEvents, startSealer, verifyChain, type VerifyResult } from '../../server/src/events/chain.js';
import { appendEvent } from '../../server/src/events/repository.js';
import { createLogger } from '../../server/src/logger.js';
import { totp } from '../../server/src/otp/index.js';
import { createTestApp } from '../helpers/app.js';
import { adminCalls, authCalls, rfcSecret, rfcSecretBase32 } from '../helpers/auth.js';
import { createScratchDatabase, dbModes, openTestDb, type TestDb } from '../helpers/db.js';
import { runCli } from '../helpers/process.js';

// Each test here starts real processes: on a busy 2-core machine one takes longer than the
// suite's 60 s default per test.
const SLOW = { timeout: 240_000 };

// The audit log (DESIGN §3): once the sealer has chained an event, changing any column of it,
// or deleting it, is found by `veriframe audit verify`, which names the event. Every column of
// every sealed row between the first and the last is edited in turn, and every such row deleted,
// each inside a transaction that is rolled back, so one chain serves every case. The command
// line itself runs on the embedded database (intact, and an edit) and, when PostgreSQL is
// available, on it (intact, an edit, and a deletion).

/** One edit per column the chain covers; each changes the value whether it was null or not. */
const columnEdits: Record<string, ReturnType<typeof sql>> = {
  created_at: sql`created_at = created_at + interval '1 microsecond'`,
  type: sql`type = type || '~'`,
  actor: sql`actor = coalesce(actor, '') || '~'`,
  actor_admin_id: sql`actor_admin_id = case when actor_admin_id is null then gen_random_uuid() else null end`,
  resource_id: sql`resource_id = case when resource_id is null then gen_random_uuid() else null end`,
  user_id: sql`user_id = case when user_id is null then gen_random_uuid() else null end`,
  token_id: sql`token_id = case when token_id is null then gen_random_uuid() else null end`,
  ip: sql`ip = case when ip is null then '192.0.2.1' else null end`,
  result: sql`result = case when result = 'success' then 'failure' when result = 'failure' then null else 'success' end`,
  reason: sql`reason = coalesce(reason, '') || '~'`,
  details: sql`details = details || '{"~": 1}'::jsonb`,
  hash: sql`hash = sha256(hash)`,
};

class Rollback extends Error {}

// The chain is an HMAC chain under this master key's audit subkey (DESIGN §10).
const masterKey = randomBytes(32);
const ring = createKeyRing(masterKey);

/** Applies `tamper` in a transaction, verifies the chain as it then stands, and rolls back. */
async function verifyTampered(db: Db, tamper: (trx: Db) => Promise<unknown>): Promise<VerifyResult> {
  let result: VerifyResult | undefined;
  await db
    .transaction()
    .execute(async (trx) => {
      await tamper(trx);
      result = await verifyChain(trx, ring);
      throw new Rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Rollback)) throw err;
    });
  return result!;
}

function assertBroken(result: VerifyResult, brokenAt: string, reason: string, label: string) {
  assert.equal(result.ok, false, `${label}: not detected`);
  if (result.ok) return;
  assert.deepEqual([result.brokenAt, result.reason], [brokenAt, reason], `${label}: ${result.message}`);
}

const sealedIds = async (db: Db) => (await db.selectFrom('events').select('id').where('hash', 'is not', null).orderBy('id').execute()).map((r) => r.id);

for (const mode of dbModes()) {
  describe(`audit chain tampering (${mode})`, () => {
    let t: TestDb;
    let ids: string[];
    let intact: VerifyResult;

    before(async () => {
      t = await openTestDb(mode);
      // Events as the product writes them: administration, then authentications right and wrong.
      const api = await createTestApp(t);
      const admin = adminCalls(api);
      const resource = await admin.resource();
      const user = await admin.user({ login: 'audited' });
      const token = await admin.token({ kind: 'hardware', type: 'totp', serialNumber: `AUDIT-${mode}`, secret: rfcSecretBase32 });
      await admin.pair(resource.id, user.id, token.id);
      const auth = authCalls(api, resource);
      for (const otp of ['11111111', '222222']) await auth('user-token', { login: 'audited', otp, ip: '203.0.113.7' });
      await auth('user-token', { login: 'audited', otp: totp(rfcSecret, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 }), ip: '203.0.113.7' });
      await appendEvent(t.db, { type: 'test.nested', actor: 'test', details: { a: { b: [1, '2', null, { c: 'ü "q"' }] }, n: 1.5 } });

      // The server's sealer chains them in the background; after each pass that sealed
      // something (its debug line), look whether any row is left.
      const passes = new EventEmitter();
      let sealedPasses = 0;
      const log = createLogger('debug', {
        write: (line: string) => {
          if (!line.includes('"events sealed"')) return;
          sealedPasses++;
          passes.emit('sealed');
        },
      });
      const sealer = startSealer(t.db, ring, log, { intervalMs: 10 });
      try {
        for (;;) {
          const seen = sealedPasses;
          if (!(await t.db.selectFrom('events').select('id').where('hash', 'is', null).executeTakeFirst())) break;
          if (sealedPasses === seen) await once(passes, 'sealed');
        }
      } finally {
        await sealer.stop();
      }
      ids = await sealedIds(t.db);
      // Rows the sealer has not reached yet are counted, not verified; they are not tampering.
      await appendEvent(t.db, { type: 'test.unsealed', actor: 'test' });
      intact = await verifyChain(t.db, ring);
    });
    after(() => t.close());

    it('starts from an intact chain of sealed events', SLOW, async () => {
      assert.ok(ids.length >= 12, `${ids.length} sealed events`);
      const all = await t.db.selectFrom('events').select('id').orderBy('id').execute();
      assert.equal(ids.length, all.length - 1, 'everything but the tail is sealed');
      assert.equal(intact.ok, true, JSON.stringify(intact));
      if (intact.ok) assert.deepEqual([intact.checked, intact.unsealed, intact.lastSealedId], [ids.length, 1, ids.at(-1)]);
    });

    it('names the event when any column of any middle row is edited', SLOW, async () => {
      let cases = 0;
      for (const id of ids.slice(1, -1)) {
        for (const [column, edit] of Object.entries(columnEdits)) {
          const result = await verifyTampered(t.db, (trx) => sql`update events set ${edit} where id = ${id}`.execute(trx));
          assertBroken(result, id, 'edited', `${column} of event ${id}`);
          cases++;
        }
      }
      assert.equal(cases, (ids.length - 2) * 12);
    });

    it('names the event after a deleted middle row, for every middle row', SLOW, async () => {
      for (const [i, id] of ids.slice(1, -1).entries()) {
        const result = await verifyTampered(t.db, (trx) => trx.deleteFrom('events').where('id', '=', id).execute());
        assertBroken(result, ids[i + 2]!, 'deleted', `event ${id} deleted`);
        if (!result.ok) assert.match(result.message, new RegExp(`between ${ids[i]} and ${ids[i + 2]} were deleted`));
      }
    });

    it('detects subtler edits: a key removed from details, a number turned string, a row moved, two rows swapped', SLOW, async () => {
      const nested = (await t.db.selectFrom('events').select('id').where('type', '=', 'test.nested').executeTakeFirstOrThrow()).id;
      const subtle: [string, string, (trx: Db) => Promise<unknown>][] = [
        ['a key removed', nested, (trx) => sql`update events set details = details - 'n' where id = ${nested}`.execute(trx)],
        ['a number turned string', nested, (trx) => sql`update events set details = jsonb_set(details, '{n}', '"1.5"') where id = ${nested}`.execute(trx)],
        ['a nested array element', nested, (trx) => sql`update events set details = jsonb_set(details, '{a,b,1}', '2') where id = ${nested}`.execute(trx)],
        ['the hash removed', ids[3]!, (trx) => sql`update events set hash = null where id = ${ids[3]!}`.execute(trx)],
        [
          'two rows swapped, hashes kept',
          ids[4]!,
          (trx) =>
            sql`
            update events e set type = o.type, actor = o.actor, actor_admin_id = o.actor_admin_id, resource_id = o.resource_id, user_id = o.user_id,
              token_id = o.token_id, ip = o.ip, result = o.result, reason = o.reason, details = o.details, created_at = o.created_at
            from events o where (e.id, o.id) in ((${ids[4]!}::bigint, ${ids[5]!}::bigint), (${ids[5]!}::bigint, ${ids[4]!}::bigint))`.execute(trx),
        ],
      ];
      for (const [label, id, tamper] of subtle) {
        const result = await verifyTampered(t.db, tamper);
        assertBroken(result, id, label === 'the hash removed' ? 'unsealed-before-sealed' : 'edited', label);
      }
      // Moved: deleted and inserted again under a fresh id, hash and all.
      const moved = await verifyTampered(t.db, async (trx) => {
        await sql`insert into events (created_at, type, actor, actor_admin_id, resource_id, user_id, token_id, ip, result, reason, details, hash)
          select created_at, type, actor, actor_admin_id, resource_id, user_id, token_id, ip, result, reason, details, hash from events where id = ${ids[2]!}`.execute(
          trx,
        );
        await trx.deleteFrom('events').where('id', '=', ids[2]!).execute();
      });
      assertBroken(moved, ids[3]!, 'deleted', 'a row moved to the end');
    });

    it('detects deletions at the ends and a changed chain state', SLOW, async () => {
      assertBroken(
        await verifyTampered(t.db, (trx) => trx.deleteFrom('events').where('id', '=', ids[0]!).execute()),
        ids[1]!,
        'deleted',
        'the first event deleted',
      );
      assertBroken(
        await verifyTampered(t.db, (trx) => trx.deleteFrom('events').where('id', '=', ids.at(-1)!).execute()),
        ids.at(-1)!,
        'deleted',
        'the last sealed event deleted',
      );
      assertBroken(
        await verifyTampered(t.db, (trx) => trx.deleteFrom('events').where('id', 'in', ids.slice(3, 7)).execute()),
        ids[7]!,
        'deleted',
        'four events deleted',
      );
      assertBroken(
        await verifyTampered(t.db, (trx) => sql`update event_chain_state set last_hash = sha256(last_hash)`.execute(trx)),
        ids.at(-1)!,
        'state-mismatch',
        'the head hash changed',
      );
      // Cutting the sealed end back leaves hashes beyond it: the cut is visible.
      assertBroken(
        await verifyTampered(t.db, (trx) =>
          sql`update event_chain_state set last_sealed_id = ${ids.at(-3)!}, last_hash = (select hash from events where id = ${ids.at(-3)!})`.execute(trx),
        ),
        ids.at(-2)!,
        'state-mismatch',
        'the sealed end moved back',
      );
    });

    it('lets nobody without the master key rewrite the whole chain after an edit', SLOW, async () => {
      assert.ok(intact.ok);
      // The chain is keyed: a writer who recomputes every hash after an edit needs the audit
      // subkey, and a guessed key gives hashes that do not verify (test/security/audit-hmac-chain).
      const guessed = randomBytes(32);
      const rewritten = await verifyTampered(t.db, async (trx) => {
        await sql`update events set result = 'success', reason = null where id = ${ids[5]!}`.execute(trx);
        let prev: Buffer = Buffer.alloc(32);
        for (const row of await readChainRows(trx, { after: '0', upTo: ids.at(-1)!, limit: 10_000 })) {
          prev = chainHash(guessed, prev, row);
          await trx.updateTable('events').set({ hash: prev }).where('id', '=', row.id).execute();
        }
        await trx.updateTable('event_chain_state').set({ lastHash: prev }).where('id', '=', 1).execute();
      });
      assert.equal(rewritten.ok, false);
    });

    it('is intact again after every rollback', SLOW, async () => {
      assert.deepEqual(await verifyChain(t.db, ring), intact);
    });
  });
}

async function auditVerify(env: Record<string, string>) {
  const cli = runCli(['audit', 'verify'], env);
  return { code: await cli.exited, ...cli.output() };
}

/** A few sealed events of every shape, and one not yet sealed; returns the sealed ids. */
async function writeChain(db: Db): Promise<string[]> {
  for (let i = 0; i < 6; i++) {
    await appendEvent(db, {
      type: i % 2 ? 'auth.failure' : 'token.updated',
      actor: i % 2 ? 'api' : 'admin',
      ip: `203.0.113.${i}`,
      result: i % 2 ? 'failure' : 'success',
      reason: i % 2 ? 'invalid_credentials' : null,
      details: { i },
    });
  }
  while ((await sealEvents(db, ring)) > 0);
  const sealed = await sealedIds(db);
  await appendEvent(db, { type: 'auth.success', actor: 'api' });
  return sealed;
}

describe('veriframe audit verify on tampered databases', () => {
  it('embedded database: exits 0 on the intact chain and 1 naming an edited event', SLOW, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veriframe-tamper-'));
    const [intactDir, editedDir] = [path.join(dir, 'intact'), path.join(dir, 'edited')];
    const open = (dataDir: string) => openDatabase({ kind: 'pglite-file', dataDir });
    try {
      const first = await open(intactDir);
      let ids: string[];
      try {
        await migrateToLatest(first.db);
        ids = await writeChain(first.db);
      } finally {
        await first.close();
      }
      // One chain, two copies: the command checks the intact one while the other is tampered with.
      fs.cpSync(intactDir, editedDir, { recursive: true });
      const intact = auditVerify({ VERIFRAME_DATA_DIR: intactDir, VERIFRAME_MASTER_KEY: masterKey.toString('base64') });
      const edited = ids[2]!;
      const copy = await open(editedDir);
      try {
        await sql`update events set ip = '198.51.100.99' where id = ${edited}`.execute(copy.db);
      } finally {
        await copy.close();
      }
      const ok = await intact;
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, new RegExp(`^audit chain intact: ${ids.length} events verified \\(1 not yet sealed\\)\\n`));
      const broken = await auditVerify({ VERIFRAME_DATA_DIR: editedDir, VERIFRAME_MASTER_KEY: masterKey.toString('base64') });
      assert.equal(broken.code, 1, broken.stderr);
      assert.equal(broken.stdout, `audit chain BROKEN at event ${edited}: event ${edited} was changed after it was sealed\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Defined only when there is a server to run it on (as the database modes are).
  if (process.env.TEST_DATABASE_URL)
    it('PostgreSQL: exits 0 when intact, 1 naming an edited event, and the event after a deleted one', SLOW, async () => {
      const scratch = await createScratchDatabase();
      const handle = await openDatabase({ kind: 'postgres', url: scratch.url }, { poolSize: 2 });
      const env = { DATABASE_URL: scratch.url, VERIFRAME_MASTER_KEY: masterKey.toString('base64') };
      try {
        await migrateToLatest(handle.db);
        const ids = await writeChain(handle.db);
        const middle = ids[2]!;
        const ok = await auditVerify(env);
        assert.equal(ok.code, 0, ok.stderr);
        // One microsecond of its time, through the real command (every column of every row is
        // covered above by the same verification code, in process); then, restored, a deletion.
        await sql`update events set ${columnEdits.created_at!} where id = ${middle}`.execute(handle.db);
        const edited = await auditVerify(env);
        assert.equal(edited.code, 1);
        assert.equal(edited.stdout, `audit chain BROKEN at event ${middle}: event ${middle} was changed after it was sealed\n`);
        await sql`update events set created_at = created_at - interval '1 microsecond' where id = ${middle}`.execute(handle.db);
        assert.equal((await verifyChain(handle.db, ring)).ok, true, 'restored');
        await handle.db.deleteFrom('events').where('id', '=', middle).execute();
        const deleted = await auditVerify(env);
        assert.equal(deleted.code, 1);
        assert.match(deleted.stdout, new RegExp(`^audit chain BROKEN at event ${ids[3]}: .*events between ${ids[1]} and ${ids[3]} were deleted`));
      } finally {
        await handle.close();
        await scratch.drop();
      }
    });
});
