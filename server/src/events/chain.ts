import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Logger } from '../logger.js';
import { chainHash, readChainRows, stateMac } from './canonical.js';
import { ensureChainKeyed } from './rekey.js';

export { verifyChain, type VerifyResult } from './verify.js';

// The sealer (DESIGN §3): requests append events with one INSERT and never wait for the chain;
// every few seconds one sealer links the committed rows in id order and stores each running hash.
//
// The hard part is an id gap. Identity values are taken when a row is inserted, not when its
// transaction commits, so a missing id is either a transaction still in flight (it will appear;
// sealing past it would leave it outside the chain for good) or a rolled-back one (it will never
// appear; waiting for it would stop the chain for good). Time alone cannot tell them apart: a
// 100 000-token import holds its first event ids for as long as it runs. The database can. When a
// pass stops at a gap it notes the highest id then committed and the snapshot's xmax: every id
// below that highest id was already taken, so a transaction holding one was running and had a
// transaction id below xmax. Once the oldest running transaction (snapshot xmin) is at or past
// that xmax, all of them have ended: what they committed is visible, the rest never will be. One
// note covers every gap below its highest id, so many rollbacks cost one grace period, not one
// each. The grace period covers the instant between taking an id and getting a transaction id;
// `maxWaitMs` keeps one forgotten idle-in-transaction session from stopping the chain (a row it
// commits after that is reported by `audit verify` as unsealed before the sealed end).

/** What earlier passes saw at gaps, oldest first; kept by the caller between passes. */
export interface GapMemory {
  seen: { maxId: bigint; xmax: bigint; at: number }[];
  /**
   * The furthest sealed end this process has seen under a key. The sealed end only moves
   * forward; finding it further back under the same key means someone moved it to have edited
   * rows re-sealed, so the sealer stops rather than lend its key to that.
   */
  sealed?: { keyId: string; id: bigint };
}

export const gapMemory = (): GapMemory => ({ seen: [] });

export interface SealOptions {
  /** Rows per call (default 1000). */
  limit?: number;
  /** How long after a gap was first noted it may be skipped (default 10 s). */
  graceMs?: number;
  /** A gap is skipped after this long even if old transactions still run (default 10 min). */
  maxWaitMs?: number;
  /** Without it a call never skips a gap: one call alone cannot prove a rollback. */
  memory?: GapMemory;
  now?: () => number;
  log?: Pick<Logger, 'warn'>;
  /** Told why nothing can be sealed when the chain is not (and cannot be) under the current key. */
  onBlocked?: (reason: string) => void;
}

const DEFAULTS = { limit: 1000, graceMs: 10_000, maxWaitMs: 600_000 };

async function snapshot(db: Db): Promise<{ xmin: bigint; xmax: bigint }> {
  const { rows } = await sql<{ xmin: string; xmax: string }>`
    select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax from pg_current_snapshot() as s`.execute(db);
  return { xmin: BigInt(rows[0]!.xmin), xmax: BigInt(rows[0]!.xmax) };
}

/**
 * Seals the committed, contiguous run of unsealed events after the last sealed one. Returns how
 * many rows were sealed. Safe to call from many server instances: the chain state row is locked,
 * and an instance that finds it locked returns 0 at once instead of waiting.
 */
export async function sealEvents(db: Db, ring: KeyRing, opts: SealOptions = {}): Promise<number> {
  const sealed = await sealBatch(db, ring, opts);
  if (sealed !== 'not-keyed') return sealed;
  // After migration 0005 or a master key rotation the chain is re-keyed first (rekey.ts).
  const readiness = await ensureChainKeyed(db, ring, opts.log);
  if (!readiness.ready) {
    opts.onBlocked?.(readiness.reason);
    return 0;
  }
  // Waits for the lock this once: a concurrent call that looked at the chain while it was being
  // re-keyed may hold it for an instant, and skipping would leave this batch to the next pass.
  const again = await sealBatch(db, ring, opts, true);
  return again === 'not-keyed' ? 0 : again;
}

async function sealBatch(db: Db, ring: KeyRing, opts: SealOptions, wait = false): Promise<number | 'not-keyed'> {
  const limit = opts.limit ?? DEFAULTS.limit;
  const graceMs = opts.graceMs ?? DEFAULTS.graceMs;
  const maxWaitMs = opts.maxWaitMs ?? DEFAULTS.maxWaitMs;
  const memory = opts.memory;
  const now = (opts.now ?? Date.now)();

  return db.transaction().execute(async (trx): Promise<number | 'not-keyed'> => {
    const locked = trx.selectFrom('event_chain_state').select(['lastSealedId', 'lastHash', 'keyId', 'mac']).where('id', '=', 1).forUpdate();
    const state = await (wait ? locked : locked.skipLocked()).executeTakeFirst();
    if (!state) return 0;
    // Only a state authenticated by our own audit key is continued (rekey.ts brings it there).
    const { id: keyId, auditKey } = ring.current;
    if (state.keyId !== keyId || !state.mac || !stateMac(auditKey, state.lastSealedId, state.lastHash).equals(state.mac)) return 'not-keyed';
    const sealedEnd = BigInt(state.lastSealedId);
    if (memory?.sealed && memory.sealed.keyId === keyId && sealedEnd < memory.sealed.id) {
      const reason = `the audit chain state moved back from event ${memory.sealed.id} to event ${state.lastSealedId}: sealing stopped; run veriframe audit verify`;
      if (opts.onBlocked) opts.onBlocked(reason);
      else opts.log?.warn(reason);
      return 0;
    }
    // Taken before the rows are read: if every transaction that could hold a missing id had
    // ended by now, whatever it committed is visible to the read below.
    const before = memory?.seen.length ? await snapshot(trx) : undefined;
    const rows = await readChainRows(trx, { after: state.lastSealedId, limit });

    let prev = state.lastHash;
    let expected = BigInt(state.lastSealedId) + 1n;
    let stoppedAtGap = false;
    const ids: string[] = [];
    const hashes: string[] = [];
    for (const row of rows) {
      const id = BigInt(row.id);
      if (id !== expected) {
        const noted = memory?.seen.find((o) => o.maxId > expected);
        const waited = noted ? now - noted.at : 0;
        const ended = noted !== undefined && before !== undefined && before.xmin >= noted.xmax;
        if (!noted || waited < graceMs || (!ended && waited < maxWaitMs)) {
          stoppedAtGap = true;
          break;
        }
        if (!ended) {
          opts.log?.warn(
            { missingFrom: String(expected), missingTo: String(id - 1n), waitedMs: waited },
            'event sealer skips ids held by a transaction running for too long; if it commits, audit verify will report its events',
          );
        }
      }
      prev = chainHash(auditKey, prev, row);
      ids.push(row.id);
      hashes.push(prev.toString('hex'));
      expected = id + 1n;
    }

    if (memory) {
      // Notes nobody needs any more are those whose gaps all lie below the sealed end.
      memory.seen = memory.seen.filter((o) => o.maxId > expected);
      if (stoppedAtGap) {
        // The highest id first, the snapshot after it: a transaction holding a lower id then
        // was running, so it had a transaction id below this xmax.
        const top = await trx
          .selectFrom('events')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow();
        const maxId = BigInt(top.m ?? 0);
        const last = memory.seen.at(-1);
        // An older note with the same reach is the stronger one: it ends sooner.
        if (!last || maxId > last.maxId) memory.seen.push({ maxId, xmax: (await snapshot(trx)).xmax, at: now });
      }
    }
    if (!ids.length) return 0;

    await sql`
      update events as e set hash = decode(v.hash, 'hex')
      from (select unnest(${ids}::bigint[]) as id, unnest(${hashes}::text[]) as hash) as v
      where e.id = v.id`.execute(trx);
    const lastSealedId = ids[ids.length - 1]!;
    await trx
      .updateTable('event_chain_state')
      .set({ lastSealedId, lastHash: prev, mac: stateMac(auditKey, lastSealedId, prev), updatedAt: sql`now()` })
      .where('id', '=', 1)
      .execute();
    if (memory) memory.sealed = { keyId, id: BigInt(lastSealedId) };
    return ids.length;
  });
}

export interface Sealer {
  /** Waits for a running pass to finish; no pass starts afterwards. */
  stop(): Promise<void>;
  /**
   * Stops, then seals what has been committed by now in one last pass (graceful shutdown: the
   * last events are chained before the database closes, so deleting them is detected).
   */
  finish(): Promise<void>;
}

/** Seals every `intervalMs` until stopped. Passes never overlap; failures are logged, not thrown. */
export function startSealer(db: Db, ring: KeyRing, log: Logger, opts: { intervalMs?: number } & Omit<SealOptions, 'memory' | 'log'> = {}): Sealer {
  const { intervalMs = 2000, ...sealOpts } = opts;
  const limit = sealOpts.limit ?? DEFAULTS.limit;
  const memory = gapMemory();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let blocked: string | undefined;
  // Once per condition, not every pass.
  const onBlocked = (reason: string) => {
    if (reason !== blocked) log.error(reason);
    blocked = reason;
  };

  const pass = async (final = false) => {
    try {
      // Catch up in one pass after a burst, but let stop() end it between batches (a final
      // pass goes on to the end of what is committed).
      let sealed = 0;
      let n: number;
      do {
        n = await sealEvents(db, ring, { ...sealOpts, memory, log, onBlocked });
        sealed += n;
      } while (n === limit && (final || !stopped));
      if (sealed) log.debug({ sealed }, 'events sealed');
    } catch (err) {
      log.error({ err }, 'event sealer failed; retrying');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    // The sealer alone must never keep the process alive.
    timer.unref();
  };
  schedule();

  const stop = async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
  return {
    stop,
    async finish() {
      await stop();
      await pass(true);
    },
  };
}
