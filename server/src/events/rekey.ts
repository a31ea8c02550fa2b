import type { KeyRing } from '../crypto/secretbox.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { GENESIS_HASH, chainHash, legacyChainHash, stateMac } from './canonical.js';
import { appendEvent } from './repository.js';
import { readChainHead, walkChain, type ChainHead, type VerifyResult } from './verify.js';

// Bringing the chain under the current master key's audit subkey (DESIGN §10).
//
// Two situations need it, and neither can be done where it arises: migration 0005 turns the plain
// SHA-256 chain into an HMAC chain but a migration has no key; `veriframe rotate-key` changes the
// master key, and with it the audit subkey. So the sealer does it, before it seals, and so does
// `rotate-key` once the secrets are re-encrypted. Re-keying first checks the old chain (under the
// old key, or as plain SHA-256), then clears every hash and starts the chain again from the
// genesis hash under the new subkey; the sealer then re-seals every event in its usual batches.
// The outcome of the check is itself an event (`audit.chain_rekeyed`), sealed into the new chain:
// an edit made before the re-key stays on record as "the old chain was broken at event N", and an
// unplanned re-key is there for an auditor to see.
//
// A chain is never re-keyed from a key this server does not hold, nor when the state claims the
// current key but its MAC does not match: that is tampering (or a stale server after a rotation),
// and the sealer stops instead of sealing on top of it.

export type ChainReadiness = { ready: true } | { ready: false; reason: string };

const READY: ChainReadiness = { ready: true };

const macOk = (key: Buffer, head: Pick<ChainHead, 'lastSealedId' | 'lastHash' | 'mac'>) =>
  head.mac !== null && stateMac(key, head.lastSealedId, head.lastHash).equals(head.mac);

/** What the old chain was: checked under the key (or hash) it was sealed with. */
type OldChain = { from: string; check: VerifyResult } | { fresh: true } | { blocked: ChainReadiness };

async function checkOldChain(db: Db, ring: KeyRing, head: ChainHead): Promise<OldChain> {
  // A chain nothing was sealed into yet is simply adopted.
  if (head.keyId === null && head.lastSealedId === '0' && head.stray === null) return { fresh: true };
  if (head.keyId === null) return { from: 'sha256', check: await walkChain(db, head, legacyChainHash, {}, () => true) };
  const old = ring.byId.get(head.keyId);
  if (!old) {
    const reason = `the audit chain is sealed under master key id ${head.keyId}, which this server does not hold: sealing stopped until a server with that key re-keys it`;
    return { blocked: { ready: false, reason } };
  }
  const check = await walkChain(
    db,
    head,
    (prev, row) => chainHash(old.auditKey, prev, row),
    {},
    (h) => macOk(old.auditKey, h),
  );
  return { from: head.keyId, check };
}

export async function ensureChainKeyed(db: Db, ring: KeyRing, log?: Pick<Logger, 'warn'>): Promise<ChainReadiness> {
  const current = ring.current;
  const head = await readChainHead(db);
  if (head.keyId === current.id) {
    return macOk(current.auditKey, head)
      ? READY
      : { ready: false, reason: 'the audit chain state is not authenticated by the audit key: it was changed; sealing stopped, run veriframe audit verify' };
  }
  const old = await checkOldChain(db, ring, head);
  if ('blocked' in old) return old.blocked;

  const done = await db.transaction().execute(async (trx) => {
    const now = await trx
      .selectFrom('event_chain_state')
      .select(['lastSealedId', 'lastHash', 'keyId'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    // Another instance re-keyed (or sealed) meanwhile: the next pass looks again.
    if (now.lastSealedId !== head.lastSealedId || now.keyId !== head.keyId || !now.lastHash.equals(head.lastHash)) return false;
    if ('check' in old) await trx.updateTable('events').set({ hash: null }).where('hash', 'is not', null).execute();
    await trx
      .updateTable('event_chain_state')
      .set({ lastSealedId: '0', lastHash: GENESIS_HASH, keyId: current.id, mac: stateMac(current.auditKey, '0', GENESIS_HASH) })
      .where('id', '=', 1)
      .execute();
    if ('check' in old) await appendEvent(trx, rekeyEvent(old.from, current.id, head.lastSealedId, old.check));
    return true;
  });
  if (!done) return { ready: false, reason: 'the audit chain state changed while re-keying; retrying' };
  if ('check' in old) {
    const { from, check } = old;
    log?.warn(
      { from, to: current.id, sealedThrough: head.lastSealedId, oldChainIntact: check.ok, ...(check.ok ? {} : { brokenAt: check.brokenAt }) },
      'audit chain re-keyed: every event is sealed again under the current audit key',
    );
  }
  return READY;
}

/** The record of a re-key, sealed into the new chain: what the old chain was and how it stood. */
function rekeyEvent(from: string, to: string, sealedThrough: string, check: VerifyResult) {
  return {
    type: 'audit.chain_rekeyed',
    actor: 'system',
    result: check.ok ? ('success' as const) : ('failure' as const),
    reason: check.ok ? null : check.reason,
    details: { from, to, sealedThrough, verified: check.checked, ...(check.ok ? {} : { brokenAt: check.brokenAt, message: check.message }) },
  };
}
