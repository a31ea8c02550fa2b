import type { SealedStore } from '../crypto/rotation.js';
import { blobKeyId, keyIdBytes } from '../crypto/rotation.js';
import type { Db } from '../db/index.js';
import { contextOf } from './keys.js';

/** Signing keys' private halves as `veriframe rotate-key` re-encrypts them (crypto/rotation.ts). */
export function signingKeyStore(db: Db): SealedStore {
  const pendingUnder = (keyId: string) => db.selectFrom('signing_keys').where(blobKeyId('private_enc'), '<>', keyIdBytes(keyId));
  return {
    name: 'signing keys',
    async countPending(keyId) {
      const row = await pendingUnder(keyId)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async pending(keyId, after, limit) {
      let q = pendingUnder(keyId).select(['kid', 'privateEnc']);
      if (after !== null) q = q.where('kid', '>', after);
      const rows = await q.orderBy('kid').limit(limit).execute();
      return rows.map((r) => ({ id: r.kid, blob: r.privateEnc, context: contextOf(r.kid) }));
    },
    async replace(kid, old, blob) {
      const res = await db.updateTable('signing_keys').set({ privateEnc: blob }).where('kid', '=', kid).where('privateEnc', '=', old).executeTakeFirst();
      return res.numUpdatedRows === 1n;
    },
  };
}
