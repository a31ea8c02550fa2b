import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createKeyRing } from '../../server/src/crypto/secretbox.js';
import { createMigrator, type Db } from '../../server/src/db/index.js';
import { chainHash, readChainRows, rowContent, stateMac, type ChainRow } from '../../server/src/events/canonical.js';
import { gapMemory, sealEvents, verifyChain } from '../../server/src/events/chain.js';
import { appendEvent } from '../../server/src/events/repository.js';
import { dbModes, openTestDb, type TestDb } from '../helpers/db.js';

// Finding (issue 13, low): the audit chain was plain SHA-256 in the same database, so whoever can
// write the database could edit a row and recompute every hash after it. Now it is an HMAC chain
// under the master key's audit subkey (DESIGN §10), and the chain state row is authenticated too.

const ring = createKeyRing(randomBytes(32));
const sha256Chain = (prev: Buffer, row: ChainRow) => createHash('sha256').update(prev).update(rowContent(row), 'utf8').digest();

async function sealAll(db: Db, r = ring): Promise<void> {
  while ((await sealEvents(db, r)) > 0);
}

/** What an attacker with database access does: edit one row, then recompute every hash after it. */
async function editAndRecompute(db: Db, hash: (prev: Buffer, row: ChainRow) => Buffer): Promise<void> {
  const rows = await readChainRows(db, { after: '0', limit: 10_000 });
  await db.updateTable('events').set({ result: 'success', reason: null }).where('id', '=', rows[2]!.id).execute();
  let prev: Buffer = Buffer.alloc(32);
  let last = '0';
  for (const row of await readChainRows(db, { after: '0', limit: 10_000 })) {
    if (row.hash === null) break;
    prev = hash(prev, row);
    last = row.id;
    await db.updateTable('events').set({ hash: prev }).where('id', '=', row.id).execute();
  }
  await db.updateTable('event_chain_state').set({ lastSealedId: last, lastHash: prev }).where('id', '=', 1).execute();
}

for (const mode of dbModes()) {
  describe(`audit chain is keyed (${mode})`, () => {
    let t: TestDb;
    before(async () => (t = await openTestDb(mode)));
    after(() => t?.close());
    beforeEach(async () => {
      await sql`truncate events restart identity`.execute(t.db);
      await t.db
        .updateTable('event_chain_state')
        .set({ lastSealedId: '0', lastHash: Buffer.alloc(32), keyId: null, mac: null })
        .execute();
      for (let i = 0; i < 6; i++)
        await appendEvent(t.db, { type: 'auth.failure', actor: 'api', result: 'failure', reason: 'invalid_credentials', details: { i } });
    });

    it('an edit followed by recomputing the chain with plain SHA-256 is detected', async () => {
      await sealAll(t.db);
      assert.equal((await verifyChain(t.db, ring)).ok, true);
      await editAndRecompute(t.db, sha256Chain);
      assert.equal((await verifyChain(t.db, ring)).ok, false);
    });

    it('an edit followed by recomputing the chain with a guessed key is detected', async () => {
      await sealAll(t.db);
      const guessed = randomBytes(32);
      await editAndRecompute(t.db, (prev, row) => chainHash(guessed, prev, row));
      assert.equal((await verifyChain(t.db, ring)).ok, false);
    });

    it('the sealer does not re-seal edited rows after the sealed end was moved back', async () => {
      await sealAll(t.db);
      const rows = await readChainRows(t.db, { after: '0', limit: 100 });
      // Back to row 1 (its hash is in the row), hashes after it cleared, row 2 edited.
      await t.db.updateTable('event_chain_state').set({ lastSealedId: rows[1]!.id, lastHash: rows[1]!.hash! }).where('id', '=', 1).execute();
      await t.db.updateTable('events').set({ hash: null }).where('id', '>', rows[1]!.id).execute();
      await t.db.updateTable('events').set({ result: 'success' }).where('id', '=', rows[2]!.id).execute();
      await sealAll(t.db);
      assert.equal(
        await t.db.selectFrom('events').select('id').where('id', '>', rows[1]!.id).where('hash', 'is not', null).executeTakeFirst(),
        undefined,
        'nothing re-sealed',
      );
      const result = await verifyChain(t.db, ring);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.reason, 'state-mismatch');
    });

    it('a running sealer refuses a replayed earlier state, although its MAC is genuine', async () => {
      const memory = gapMemory();
      const reasons: string[] = [];
      while ((await sealEvents(t.db, ring, { memory, limit: 3 })) > 0);
      // The state as it was when three events were sealed, with the MAC it had then: a writer
      // watching the table could have copied it (here it is recomputed, with the key).
      const rows = await readChainRows(t.db, { after: '0', limit: 100 });
      const early = { lastSealedId: rows[2]!.id, lastHash: rows[2]!.hash! };
      await t.db
        .updateTable('event_chain_state')
        .set({ ...early, mac: stateMac(ring.current.auditKey, early.lastSealedId, early.lastHash) })
        .where('id', '=', 1)
        .execute();
      await t.db.updateTable('events').set({ hash: null }).where('id', '>', early.lastSealedId).execute();
      await t.db.updateTable('events').set({ result: 'success' }).where('id', '=', rows[4]!.id).execute();
      assert.equal(await sealEvents(t.db, ring, { memory, onBlocked: (r) => reasons.push(r) }), 0);
      assert.match(reasons.at(-1) ?? '', /state moved back from event \d+ to event \d+/);
    });

    it('a chain sealed under another master key is neither verified nor continued', async () => {
      await sealAll(t.db, createKeyRing(randomBytes(32)));
      await appendEvent(t.db, { type: 'auth.success', actor: 'api' });
      const reasons: string[] = [];
      assert.equal(await sealEvents(t.db, ring, { onBlocked: (r) => reasons.push(r) }), 0);
      assert.match(reasons[0] ?? '', /sealed under master key id .* which this server does not hold/);
      const result = await verifyChain(t.db, ring);
      assert.deepEqual(!result.ok && result.reason, 'unknown-key');
    });

    it('the unkeyed chain of before migration 0005 is re-keyed on first seal, and its state recorded', async () => {
      // A legacy chain as the old sealer left it: SHA-256 hashes, state without key.
      let prev: Buffer = Buffer.alloc(32);
      const rows = await readChainRows(t.db, { after: '0', limit: 100 });
      for (const row of rows) {
        prev = sha256Chain(prev, row);
        await t.db.updateTable('events').set({ hash: prev }).where('id', '=', row.id).execute();
      }
      await t.db
        .updateTable('event_chain_state')
        .set({ lastSealedId: rows.at(-1)!.id, lastHash: prev })
        .where('id', '=', 1)
        .execute();
      const before = await verifyChain(t.db, ring);
      assert.deepEqual(!before.ok && before.reason, 'unkeyed', 'audit verify does not trust an unkeyed chain');
      // An edit made before the upgrade is not laundered by the re-key: it is on record.
      await t.db.updateTable('events').set({ reason: 'edited' }).where('id', '=', rows[3]!.id).execute();

      await sealAll(t.db);
      const result = await verifyChain(t.db, ring);
      assert.equal(result.ok, true, JSON.stringify(result));
      if (result.ok) assert.equal(result.checked, rows.length + 1);
      const rekeyed = await t.db.selectFrom('events').select(['result', 'reason', 'details']).where('type', '=', 'audit.chain_rekeyed').execute();
      assert.equal(rekeyed.length, 1);
      assert.equal(rekeyed[0]!.result, 'failure');
      assert.equal(rekeyed[0]!.reason, 'edited');
      assert.equal((rekeyed[0]!.details as { brokenAt: string }).brokenAt, rows[3]!.id);
      assert.equal((rekeyed[0]!.details as { from: string }).from, 'sha256');
    });

    it('after a master key rotation the chain is re-keyed by a server holding both keys', async () => {
      await sealAll(t.db);
      const next = createKeyRing(randomBytes(32), [ring.current.key]);
      await sealAll(t.db, next);
      const result = await verifyChain(t.db, next);
      assert.equal(result.ok, true, JSON.stringify(result));
      const rekeyed = await t.db.selectFrom('events').select(['result', 'details']).where('type', '=', 'audit.chain_rekeyed').executeTakeFirstOrThrow();
      assert.equal(rekeyed.result, 'success');
      assert.deepEqual(rekeyed.details, {
        from: ring.current.id,
        to: next.current.id,
        sealedThrough: (await readChainRows(t.db, { after: '0', limit: 6 })).at(-1)!.id,
        verified: 6,
      });
      assert.deepEqual(!(await verifyChain(t.db, ring)).ok && 'old key no longer verifies', 'old key no longer verifies');
    });
  });

  describe(`migration 0005 on a database sealed by the old SHA-256 sealer (${mode})`, () => {
    let t: TestDb;
    before(async () => (t = await openTestDb(mode, { migrate: false })));
    after(() => t?.close());

    it('keeps the old hashes for the check, and the first seal re-keys every event', async () => {
      const migrator = createMigrator(t.db, t.schema);
      const to4 = await migrator.migrateTo('20261128_0004_counter_fast_path');
      assert.equal(to4.error, undefined);
      for (let i = 0; i < 4; i++) await appendEvent(t.db, { type: 'token.updated', actor: 'admin:x', details: { i } });
      // As the old sealer left it (its columns only: the new ones do not exist yet).
      let prev: Buffer = Buffer.alloc(32);
      const rows = await readChainRows(t.db, { after: '0', limit: 100 });
      for (const row of rows) {
        prev = sha256Chain(prev, row);
        await sql`update events set hash = ${prev} where id = ${row.id}`.execute(t.db);
      }
      await sql`update event_chain_state set last_sealed_id = ${rows.at(-1)!.id}, last_hash = ${prev}`.execute(t.db);

      const latest = await migrator.migrateToLatest();
      assert.equal(latest.error, undefined);
      assert.equal(latest.results?.[0]?.migrationName, '20261205_0005_hmac_chain');
      assert.equal(await t.db.selectFrom('events').select('id').where('hash', 'is', null).executeTakeFirst(), undefined, 'old hashes kept');
      assert.deepEqual(!(await verifyChain(t.db, ring)).ok, true, 'not trusted before the re-key');

      await sealAll(t.db);
      const result = await verifyChain(t.db, ring);
      assert.equal(result.ok, true, JSON.stringify(result));
      if (result.ok) assert.equal(result.checked, rows.length + 1, 'every event and the re-key record');
      const rekeyed = await t.db.selectFrom('events').select(['result', 'details']).where('type', '=', 'audit.chain_rekeyed').executeTakeFirstOrThrow();
      assert.equal(rekeyed.result, 'success');
      assert.equal((rekeyed.details as { verified: number }).verified, rows.length);
    });
  });
}
