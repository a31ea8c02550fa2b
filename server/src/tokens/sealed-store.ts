import type { SealedStore } from '../crypto/rotation.js';
import { blobKeyId, keyIdBytes } from '../crypto/rotation.js';
import type { Db } from '../db/index.js';
import { secretContext } from './secrets.js';

/** Token secrets as `veriframe rotate-key` re-encrypts them (crypto/rotation.ts). */
export function tokenSecretStore(db: Db): SealedStore {
  const pendingUnder = (keyId: string) => db.selectFrom('tokens').where('secretEnc', 'is not', null).where(blobKeyId('secret_enc'), '<>', keyIdBytes(keyId));
  return {
    name: 'token secrets',
    async countPending(keyId) {
      const row = await pendingUnder(keyId)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async pending(keyId, after, limit) {
      let q = pendingUnder(keyId).select(['id', 'secretEnc']);
      if (after !== null) q = q.where('id', '>', after);
      const rows = await q.orderBy('id').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, blob: r.secretEnc!, context: secretContext(r.id) }));
    },
    async replace(id, old, blob) {
      const res = await db.updateTable('tokens').set({ secretEnc: blob }).where('id', '=', id).where('secretEnc', '=', old).executeTakeFirst();
      return res.numUpdatedRows === 1n;
    },
  };
}
