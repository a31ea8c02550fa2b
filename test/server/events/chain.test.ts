import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createLogger, type Logger } from '../../../server/src/logger.js';
import { canonicalJson, chainHash, GENESIS_HASH, readChainRows } from '../../../server/src/events/canonical.js';
import { sealEvents, startSealer, verifyChain, gapMemory, type VerifyResult } from '../../../server/src/events/chain.js';
import { appendEvent, appendEvents, type NewEvent } from '../../../server/src/events/repository.js';
import type { Db } from '../../../server/src/db/index.js';
import { dbModes, openTestDb, type TestDb } from '../../helpers/db.js';
import { createKeyRing } from '../../../server/src/crypto/secretbox.js';
import { randomBytes } from 'node:crypto';

const ring = createKeyRing(randomBytes(32));

const resourceId = '5b0f6c3e-7d4a-4c1b-9f0e-2a3b4c5d6e7f';

const event = (i: number): NewEvent => ({
  type: i % 3 ? 'auth.otp' : 'token.updated',
  actor: i % 2 ? 'widget' : 'admin:x',
  resourceId: i % 2 ? resourceId : null,
  ip: `10.0.0.${i % 250}`,
  result: i % 2 ? 'failure' : 'success',
  reason: i % 2 ? 'wrong_otp' : null,
  details: { n: i, zeta: 'ü "quoted"', alpha: { b: [1, { y: 2, x: null }], a: true } },
});

async function append(db: Db, n: number, from = 0): Promise<void> {
  for (let i = 0; i < n; i++) await appendEvent(db, event(from + i));
}

async function sealAll(db: Db, opts: Parameters<typeof sealEvents>[2] = {}): Promise<number> {
  let total = 0;
  for (let n = -1; n !== 0; total += n) n = await sealEvents(db, ring, opts);
  return total;
}

async function ids(db: Db): Promise<string[]> {
  return (await db.selectFrom('events').select('id').orderBy('id').execute()).map((r) => r.id);
}

/**
 * Resolves once no transaction that was running when `memory` noted its gaps runs any more.
 * Transaction ids are counted across the whole PostgreSQL cluster, which other test processes
 * share: their transactions, too, "could hold the missing id" until they end. (On PGlite
 * nothing else runs, and this returns at once.)
 */
async function olderTransactionsEnded(db: Db, memory: ReturnType<typeof gapMemory>): Promise<void> {
  const xmax = memory.seen.reduce((max, note) => (note.xmax > max ? note.xmax : max), 0n);
  for (;;) {
    const { rows } = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(db);
    if (BigInt(rows[0]!.xmin) >= xmax) return;
  }
}

async function sealedCount(db: Db): Promise<number> {
  const row = await db.selectFrom('events').select(sql<string>`count(*)`.as('n')).where('hash', 'is not', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

function assertBroken(result: VerifyResult, brokenAt: string, reason: string) {
  assert.equal(result.ok, false, 'the chain must be reported broken');
  if (result.ok) return;
  assert.equal(result.brokenAt, brokenAt, result.message);
  assert.equal(result.reason, reason, result.message);
}

async function reset(db: Db): Promise<void> {
  await sql`truncate events restart identity`.execute(db);
  await db
    .updateTable('event_chain_state')
    .set({ lastSealedId: 0, lastHash: Buffer.alloc(32), keyId: null, mac: null })
    .execute();
}

/** Takes an identity value the way an insert does, without a committed row: a gap. */
async function burnId(db: Db): Promise<string> {
  const { rows } = await sql<{ id: string }>`select nextval(pg_get_serial_sequence('events', 'id'))::text as id`.execute(db);
  return rows[0]!.id;
}

describe('canonical form', () => {
  it('sorts keys at every depth and keeps arrays in order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
  it('hashes the previous hash together with the row', () => {
    const row = {
      id: '1',
      createdAt: '2026-01-01T00:00:00.000001Z',
      type: 't',
      actor: null,
      actorAdminId: null,
      resourceId: null,
      userId: null,
      tokenId: null,
      ip: null,
      result: null,
      reason: null,
      details: {},
      hash: null,
    };
    assert.notDeepEqual(chainHash(ring.current.auditKey, GENESIS_HASH, row), chainHash(ring.current.auditKey, Buffer.alloc(32, 1), row));
    assert.notDeepEqual(
      chainHash(ring.current.auditKey, GENESIS_HASH, row),
      chainHash(ring.current.auditKey, GENESIS_HASH, { ...row, createdAt: '2026-01-01T00:00:00.000002Z' }),
    );
  });
});

for (const mode of dbModes()) {
  describe(`event chain (${mode})`, () => {
    let t: TestDb;
    before(async () => (t = await openTestDb(mode, { poolSize: 10 })));
    after(() => t?.close());
    beforeEach(() => reset(t.db));

    it('seals in batches, then verifies intact; newer rows are counted as not yet sealed', async () => {
      await append(t.db, 25);
      assert.deepEqual(
        [await sealEvents(t.db, ring, { limit: 10 }), await sealEvents(t.db, ring, { limit: 10 }), await sealEvents(t.db, ring, { limit: 10 })],
        [10, 10, 5],
      );
      assert.equal(await sealEvents(t.db, ring), 0);
      const rows = await readChainRows(t.db, { after: '0', limit: 100 });
      let prev = GENESIS_HASH;
      for (const row of rows) {
        prev = chainHash(ring.current.auditKey, prev, row);
        assert.deepEqual(row.hash, prev, `event ${row.id} carries the running hash`);
      }
      const state = await t.db.selectFrom('event_chain_state').selectAll().executeTakeFirstOrThrow();
      assert.equal(state.lastSealedId, rows.at(-1)!.id);
      assert.deepEqual(state.lastHash, prev);

      await append(t.db, 3, 100);
      const progress: string[] = [];
      const result = await verifyChain(t.db, ring, { batchSize: 10, onProgress: (p) => progress.push(`${p.checked}/${p.throughId}`) });
      assert.deepEqual(result, { ok: true, checked: 25, unsealed: 3, lastSealedId: state.lastSealedId, headHash: prev.toString('hex') });
      assert.deepEqual(progress, ['10/10', '20/20', '25/25']);
    });

    it('verifies an empty log', async () => {
      assert.deepEqual(await verifyChain(t.db, ring), { ok: true, checked: 0, unsealed: 0, lastSealedId: '0', headHash: GENESIS_HASH.toString('hex') });
    });

    it('names an edited row (content, details or a microsecond of its time)', async () => {
      await append(t.db, 10);
      await sealAll(t.db);
      const all = await ids(t.db);
      const target = all[4]!;
      await sql`update events set reason = 'ok' where id = ${target}`.execute(t.db);
      assertBroken(await verifyChain(t.db, ring), target, 'edited');
      await sql`update events set reason = null where id = ${target}`.execute(t.db);
      assert.equal((await verifyChain(t.db, ring)).ok, true, 'restoring the content restores the chain');

      await sql`update events set details = jsonb_set(details, '{n}', '99') where id = ${all[6]!}`.execute(t.db);
      assertBroken(await verifyChain(t.db, ring), all[6]!, 'edited');
      await sql`update events set details = jsonb_set(details, '{n}', '6') where id = ${all[6]!}`.execute(t.db);

      await sql`update events set created_at = created_at + interval '1 microsecond' where id = ${all[2]!}`.execute(t.db);
      assertBroken(await verifyChain(t.db, ring), all[2]!, 'edited');
    });

    it('detects a deleted middle row at the row after it', async () => {
      await append(t.db, 10);
      await sealAll(t.db);
      const all = await ids(t.db);
      await t.db.deleteFrom('events').where('id', '=', all[3]!).execute();
      const result = await verifyChain(t.db, ring);
      assertBroken(result, all[4]!, 'deleted');
      assert.match(result.ok ? '' : result.message, new RegExp(`between ${all[2]} and ${all[4]} were deleted`));
    });

    it('detects deleted first rows and deleted last sealed rows', async () => {
      await append(t.db, 10);
      await sealAll(t.db);
      const all = await ids(t.db);
      await t.db.deleteFrom('events').where('id', '>=', all[8]!).execute();
      assertBroken(await verifyChain(t.db, ring), all[9]!, 'deleted');
      await t.db.deleteFrom('events').where('id', '=', all[0]!).execute();
      assertBroken(await verifyChain(t.db, ring), all[1]!, 'deleted');
    });

    it('detects every row deleted', async () => {
      await append(t.db, 3);
      await sealAll(t.db);
      const last = (await ids(t.db)).at(-1)!;
      await t.db.deleteFrom('events').execute();
      assertBroken(await verifyChain(t.db, ring), last, 'deleted');
    });

    it('detects a changed chain state and a hash removed from a sealed row', async () => {
      await append(t.db, 5);
      await sealAll(t.db);
      const all = await ids(t.db);
      await t.db
        .updateTable('event_chain_state')
        .set({ lastHash: Buffer.alloc(32, 7) })
        .execute();
      assertBroken(await verifyChain(t.db, ring), all[4]!, 'state-mismatch');
      await t.db.updateTable('event_chain_state').set({ lastSealedId: all[2]! }).execute();
      assertBroken(await verifyChain(t.db, ring), all[2]!, 'state-mismatch');
      await sealAll(t.db);
      await t.db.updateTable('events').set({ hash: null }).where('id', '=', all[1]!).execute();
      assertBroken(await verifyChain(t.db, ring), all[1]!, 'unsealed-before-sealed');
    });

    it('stops at an id gap until the gap has been watched for the grace period, then skips it', async () => {
      await append(t.db, 3);
      const missing = await burnId(t.db);
      await append(t.db, 2, 10);
      let clock = 1_000_000;
      const memory = gapMemory();
      const opts = { memory, now: () => clock, graceMs: 10_000 };
      assert.equal(await sealEvents(t.db, ring, opts), 3, 'seals up to the gap');
      assert.equal(memory.seen.length, 1, 'the gap is noted');
      assert.ok(memory.seen[0]!.maxId > BigInt(missing));
      clock += 5_000;
      assert.equal(await sealEvents(t.db, ring, opts), 0, 'the gap may still be a transaction in flight');
      assert.equal(await sealEvents(t.db, ring, { now: () => clock + 60_000 }), 0, 'a call without memory of the gap never skips it');
      const unsealed = await verifyChain(t.db, ring);
      assert.deepEqual(unsealed.ok && [unsealed.checked, unsealed.unsealed], [3, 2]);
      clock += 6_000;
      await olderTransactionsEnded(t.db, memory);
      assert.equal(await sealEvents(t.db, ring, opts), 2, 'no transaction that could hold the id is running: skipped');
      assert.deepEqual(memory.seen, [], 'a note below the sealed end is dropped');
      const result = await verifyChain(t.db, ring);
      assert.deepEqual(result.ok && [result.checked, result.unsealed], [5, 0]);
    });

    it('skips a gap at the very start and several gaps after one grace period', async () => {
      await burnId(t.db);
      await append(t.db, 2);
      await burnId(t.db);
      await burnId(t.db);
      await append(t.db, 2, 10);
      let clock = 0;
      const opts = { memory: gapMemory(), now: () => clock };
      assert.equal(await sealEvents(t.db, ring, opts), 0);
      clock += 9_999;
      assert.equal(await sealEvents(t.db, ring, opts), 0);
      clock += 1;
      await olderTransactionsEnded(t.db, opts.memory);
      assert.equal(await sealEvents(t.db, ring, opts), 4, 'one note covers every gap below the highest id then committed');
      assert.deepEqual((await verifyChain(t.db, ring)).ok, true);
    });

    it('seals a row that fills a noted gap in order', async () => {
      // An explicit id in the gap stands for the transaction that held it committing late.
      await append(t.db, 2);
      const missing = await burnId(t.db);
      await append(t.db, 2, 10);
      const opts = { memory: gapMemory(), now: () => 0 };
      assert.equal(await sealEvents(t.db, ring, opts), 2);
      await sql`insert into events (id, type, actor) overriding system value values (${missing}, 'late', 'widget')`.execute(t.db);
      assert.equal(await sealEvents(t.db, ring, opts), 3);
      assert.deepEqual(opts.memory.seen, []);
      const result = await verifyChain(t.db, ring);
      assert.deepEqual(result.ok && result.checked, 5);
    });

    it('seals every event exactly once while writers append concurrently', async () => {
      let clock = 0;
      const memory = gapMemory();
      let stop = false;
      let sealed = 0;
      const sealer = async () => {
        while (!stop) {
          clock += 3_000;
          // Not `sealed += await …`: that reads `sealed` before the other sealer adds to it.
          const n = await sealEvents(t.db, ring, { memory, now: () => clock, limit: 7 });
          sealed += n;
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      const writer = async (w: number) => {
        for (let i = 0; i < 15; i++) {
          if (i % 5 === 4) {
            // A rolled-back transaction leaves an id gap behind.
            await t.db
              .transaction()
              .execute(async (trx) => {
                await appendEvent(trx, event(w * 100 + i));
                throw new Error('rollback');
              })
              .catch(() => {});
          } else if (i % 5 === 2) {
            await appendEvents(t.db, [event(w * 100 + i), event(w * 100 + i + 50)]);
          } else {
            await appendEvent(t.db, event(w * 100 + i));
          }
        }
      };
      const sealers = [sealer(), sealer()];
      await Promise.all(Array.from({ length: 6 }, (_, w) => writer(w)));
      stop = true;
      await Promise.all(sealers);
      await olderTransactionsEnded(t.db, memory);
      for (let i = 0; i < 2; i++) {
        clock += 20_000;
        const n = await sealAll(t.db, { memory, now: () => clock });
        sealed += n;
      }
      const count = (await ids(t.db)).length;
      assert.equal(count, 6 * 15);
      assert.equal(sealed, count, 'every row sealed once');
      const unsealedRows = await t.db.selectFrom('events').select('id').where('hash', 'is', null).execute();
      assert.deepEqual(unsealedRows, []);
      const result = await verifyChain(t.db, ring, { batchSize: 13 });
      assert.deepEqual(result.ok && [result.checked, result.unsealed], [count, 0]);
    });

    it('runs as a background sealer on its interval, stops for good, and logs failures', async (ctx) => {
      // The interval is a mocked setTimeout, advanced by the test; the database work in between
      // is real, and its end is the sealer's own log line (or the failing call), not a delay.
      ctx.mock.timers.enable({ apis: ['setTimeout'] });
      const logs = logRecorder();
      let passes = 0;
      const counted = countTransactions(t.db, () => passes++);
      await append(t.db, 4);
      const sealerRuns = startSealer(counted, ring, logs.log, { intervalMs: 20 });
      ctx.mock.timers.tick(19);
      assert.equal(passes, 0, 'nothing before the interval');
      ctx.mock.timers.tick(1);
      assert.equal(passes, 1);
      assert.deepEqual(await logs.next('debug'), [{ sealed: 4 }, 'events sealed']);
      await sealerRuns.stop();
      // A first pass may open more than one transaction (it re-keys a fresh chain first).
      const atStop = passes;
      const result = await verifyChain(t.db, ring);
      assert.deepEqual(result.ok && [result.checked, result.unsealed], [4, 0]);
      await append(t.db, 1);
      ctx.mock.timers.tick(60_000);
      assert.equal(passes, atStop, 'nothing runs after stop()');
      const later = await verifyChain(t.db, ring);
      assert.deepEqual(later.ok && later.unsealed, 1);

      let calls = 0;
      const failing = {
        transaction: () => {
          calls++;
          throw new Error('database gone');
        },
      } as unknown as Db;
      const broken = startSealer(failing, ring, logs.log, { intervalMs: 10 });
      for (let attempt = 1; attempt <= 2; attempt++) {
        ctx.mock.timers.tick(10);
        assert.equal(calls, attempt, 'it keeps trying after a failure');
        const [fields, message] = await logs.next('error');
        assert.match(String((fields as { err: Error }).err), /database gone/);
        assert.match(String(message), /retrying/);
        // The next interval is scheduled once the failed pass has settled (promise callbacks).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await broken.stop();
      ctx.mock.timers.tick(60_000);
      assert.equal(calls, 2, 'nothing runs after stop()');
    });
  });
}

/** A Logger whose calls can be awaited one by one, per level. */
function logRecorder() {
  const seen: Record<string, unknown[][]> = { debug: [], error: [] };
  const waiting: Record<string, ((args: unknown[]) => void)[]> = { debug: [], error: [] };
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      const waiter = waiting[level]!.shift();
      if (waiter) waiter(args);
      else seen[level]!.push(args);
    };
  const log = { debug: record('debug'), error: record('error'), warn: () => {}, info: () => {} } as unknown as Logger;
  const next = (level: 'debug' | 'error') =>
    new Promise<unknown[]>((resolve) => {
      const args = seen[level]!.shift();
      if (args) resolve(args);
      else waiting[level]!.push(resolve);
    });
  return { log, next };
}

/** The same database, counting the transactions opened on it (the start of every sealer pass). */
function countTransactions(db: Db, onTransaction: () => void): Db {
  return new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') onTransaction();
      const value = Reflect.get(target, key) as unknown;
      // Kysely keeps its state in private fields: methods must run on the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('event chain with transactions in flight (postgres)', { skip: !process.env.TEST_DATABASE_URL && 'TEST_DATABASE_URL is not set' }, () => {
  let t: TestDb;
  before(async () => (t = await openTestDb('postgres', { poolSize: 10 })));
  after(() => t?.close());
  beforeEach(() => reset(t.db));

  /** Opens a transaction that appends one event and waits; resolve with true to commit. */
  async function holdOpen() {
    let finish!: (commit: boolean) => void;
    const decision = new Promise<boolean>((r) => (finish = r));
    let inserted!: () => void;
    const ready = new Promise<void>((r) => (inserted = r));
    const done = t.db
      .transaction()
      .execute(async (trx) => {
        await appendEvent(trx, { type: 'held', actor: 'widget' });
        inserted();
        if (!(await decision)) throw new Error('rollback');
      })
      .catch(() => {});
    await ready;
    const id = (await t.db.selectFrom('events').select(sql<string>`max(id)`.as('m')).executeTakeFirstOrThrow()).m;
    return { finish: async (commit: boolean) => (finish(commit), await done), heldId: String(BigInt(id ?? '0') + 1n) };
  }

  it('never seals past a transaction in flight, however long it runs, and seals it in order once committed', async () => {
    await append(t.db, 2);
    const held = await holdOpen();
    await append(t.db, 3, 10);
    let clock = 0;
    const opts = { memory: gapMemory(), now: () => clock };
    assert.equal(await sealEvents(t.db, ring, opts), 2);
    assert.equal(opts.memory.seen.length, 1);
    clock += 60_000;
    assert.equal(await sealEvents(t.db, ring, opts), 0, 'the transaction that may hold the id is still running');
    await held.finish(true);
    assert.equal(await sealEvents(t.db, ring, opts), 4);
    const result = await verifyChain(t.db, ring);
    assert.deepEqual(result.ok && [result.checked, result.unsealed], [6, 0]);
  });

  it('skips the id of a transaction that rolled back', async () => {
    await append(t.db, 1);
    const held = await holdOpen();
    await append(t.db, 2, 10);
    let clock = 0;
    const opts = { memory: gapMemory(), now: () => clock };
    assert.equal(await sealEvents(t.db, ring, opts), 1);
    await held.finish(false);
    clock += 10_000;
    await olderTransactionsEnded(t.db, opts.memory);
    assert.equal(await sealEvents(t.db, ring, opts), 2);
    assert.equal((await verifyChain(t.db, ring)).ok, true);
  });

  it('gives up waiting after maxWaitMs with a warning; a row committed later is reported by verify', async () => {
    await append(t.db, 1);
    const held = await holdOpen();
    await append(t.db, 2, 10);
    let clock = 0;
    const warnings: unknown[] = [];
    const opts = { memory: gapMemory(), now: () => clock, maxWaitMs: 60_000, log: { warn: (...a: unknown[]) => void warnings.push(a) } };
    assert.equal(await sealEvents(t.db, ring, opts), 1);
    clock += 30_000;
    assert.equal(await sealEvents(t.db, ring, opts), 0);
    clock += 30_000;
    assert.equal(await sealEvents(t.db, ring, opts), 2);
    assert.equal(warnings.length, 1);
    await held.finish(true);
    assertBroken(await verifyChain(t.db, ring), held.heldId, 'unsealed-before-sealed');
  });

  it('lets only one of two concurrent sealers work; the other returns at once', async () => {
    await append(t.db, 5);
    const results = await Promise.all([sealEvents(t.db, ring), sealEvents(t.db, ring), sealEvents(t.db, ring)]);
    assert.equal(
      results.reduce((a, b) => a + b, 0),
      5,
    );
    assert.equal((await verifyChain(t.db, ring)).ok, true);
  });
});
