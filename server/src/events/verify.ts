import { sql } from 'kysely';
import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import { GENESIS_HASH, chainHash, readChainRows, stateMac, type ChainRow } from './canonical.js';

// `audit verify`: recomputes the chain from the genesis hash and compares it with what the sealer
// stored. It only reads, so it may run while servers are appending and sealing: rows up to the
// sealed end never change, and the sealed end is read in one statement with the unsealed tail.
//
// Ids are not evidence on their own (rolled-back transactions leave gaps); the hashes are. A row
// whose recomputed hash differs is where the chain breaks; when its id also jumps, a deletion
// before it is the likelier story, but an edit of the row itself gives the same picture.
//
// The hashes are HMACs under the audit subkey of the master key the state names (DESIGN §10), so
// verifying needs that key: the current one, or a previous one while a rotation re-keys.

export type BreakReason = 'edited' | 'deleted' | 'unsealed-before-sealed' | 'state-mismatch' | 'unkeyed' | 'unknown-key';

export type VerifyResult =
  | { ok: true; checked: number; unsealed: number; lastSealedId: string; headHash: string }
  | { ok: false; brokenAt: string; reason: BreakReason; message: string; checked: number; unsealed: number; lastSealedId: string };

export interface VerifyProgress {
  checked: number;
  /** The last event id verified so far, out of `lastSealedId`. */
  throughId: string;
  lastSealedId: string;
}

interface VerifyOptions {
  onProgress?: (p: VerifyProgress) => void;
  batchSize?: number;
}

export interface ChainHead {
  lastSealedId: string;
  lastHash: Buffer;
  keyId: string | null;
  mac: Buffer | null;
  unsealed: number;
  stray: string | null;
}

/** The chain state with the unsealed tail, read in one statement. */
export async function readChainHead(db: Db): Promise<ChainHead> {
  const head = await db
    .selectFrom('event_chain_state as s')
    .select((eb) => [
      's.lastSealedId',
      's.lastHash',
      's.keyId',
      's.mac',
      eb.selectFrom('events as e').select(sql<string>`count(*)`.as('n')).whereRef('e.id', '>', 's.lastSealedId').where('e.hash', 'is', null).as('unsealed'),
      eb
        .selectFrom('events as e')
        .select((e) => e.fn.min('e.id').as('m'))
        .whereRef('e.id', '>', 's.lastSealedId')
        .where('e.hash', 'is not', null)
        .as('stray'),
    ])
    .where('s.id', '=', 1)
    .executeTakeFirstOrThrow();
  return { ...head, unsealed: Number(head.unsealed ?? 0), stray: head.stray === null || head.stray === undefined ? null : String(head.stray) };
}

export async function verifyChain(db: Db, ring: KeyRing, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const head = await readChainHead(db);
  const fail = (reason: BreakReason, message: string): VerifyResult => ({
    ok: false,
    brokenAt: head.lastSealedId,
    reason,
    message,
    checked: 0,
    unsealed: head.unsealed,
    lastSealedId: head.lastSealedId,
  });
  if (head.keyId === null) {
    // Nothing sealed yet is a fresh chain, not a weak one.
    if (head.lastSealedId === '0' && head.stray === null)
      return { ok: true, checked: 0, unsealed: head.unsealed, lastSealedId: '0', headHash: GENESIS_HASH.toString('hex') };
    return fail(
      'unkeyed',
      'the chain is still the unkeyed SHA-256 chain of before migration 0005, which anyone able to write the database could recompute; start the server once with the master key and it re-keys the chain',
    );
  }
  const key = ring.byId.get(head.keyId);
  if (!key) {
    return fail(
      'unknown-key',
      `the chain is sealed under master key id ${head.keyId}, which is not configured (set it in VERIFRAME_MASTER_KEY or VERIFRAME_PREVIOUS_MASTER_KEYS)`,
    );
  }
  return walkChain(
    db,
    head,
    (prev, row) => chainHash(key.auditKey, prev, row),
    opts,
    (h) => h.mac !== null && stateMac(key.auditKey, h.lastSealedId, h.lastHash).equals(h.mac),
  );
}

/**
 * Recomputes the chain with `hash` up to the sealed end of `head`. `stateOk` says whether the state
 * row itself is authentic (the unkeyed chain of old had no such check).
 */
export async function walkChain(
  db: Db,
  head: ChainHead,
  hash: (prev: Buffer, row: ChainRow) => Buffer,
  opts: VerifyOptions,
  stateOk: (head: ChainHead) => boolean,
): Promise<VerifyResult> {
  const batchSize = opts.batchSize ?? 5000;
  const { lastSealedId, unsealed } = head;
  let checked = 0;
  const broken = (brokenAt: string, reason: BreakReason, message: string): VerifyResult => ({
    ok: false,
    brokenAt,
    reason,
    message,
    checked,
    unsealed,
    lastSealedId,
  });

  let prev: Buffer = GENESIS_HASH;
  let prevId = '0';
  for (;;) {
    const rows = await readChainRows(db, { after: prevId, upTo: lastSealedId, limit: batchSize });
    for (const row of rows) {
      if (row.hash === null) {
        return broken(
          row.id,
          'unsealed-before-sealed',
          `event ${row.id} is not sealed although later events are: it was inserted, or committed, after the chain had passed its id`,
        );
      }
      if (!hash(prev, row).equals(row.hash)) {
        if (BigInt(row.id) === BigInt(prevId) + 1n) return broken(row.id, 'edited', `event ${row.id} was changed after it was sealed`);
        const before = prevId === '0' ? 'events before it were deleted' : `events between ${prevId} and ${row.id} were deleted`;
        return broken(row.id, 'deleted', `event ${row.id} does not chain to the event before it: ${before}, or event ${row.id} was changed`);
      }
      prev = row.hash;
      prevId = row.id;
      checked++;
    }
    if (rows.length) opts.onProgress?.({ checked, throughId: prevId, lastSealedId });
    if (rows.length < batchSize) break;
  }

  if (prevId !== lastSealedId) {
    return broken(
      lastSealedId,
      'deleted',
      `events after ${prevId === '0' ? 'the start' : `event ${prevId}`} up to event ${lastSealedId} were deleted (the chain was sealed up to ${lastSealedId})`,
    );
  }
  if (!prev.equals(head.lastHash)) {
    return broken(lastSealedId, 'state-mismatch', `the stored chain head does not match event ${lastSealedId}: the chain state was changed`);
  }
  if (head.stray !== null) {
    return broken(
      head.stray,
      'state-mismatch',
      `event ${head.stray} carries a hash but lies after the sealed end (event ${lastSealedId}): the chain state was changed`,
    );
  }
  if (!stateOk(head)) {
    return broken(
      lastSealedId,
      'state-mismatch',
      `the chain state (sealed through event ${lastSealedId}) is not authenticated by the audit key: the chain state was changed`,
    );
  }
  return { ok: true, checked, unsealed, lastSealedId, headHash: prev.toString('hex') };
}
