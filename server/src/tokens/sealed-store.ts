import { sealedColumnStore, type SealedStore } from '../crypto/rotation.js';
import type { Db } from '../db/index.js';
import { secretContext } from './secrets.js';

/** Token secrets as `veriframe rotate-key` re-encrypts them (crypto/rotation.ts). */
export const tokenSecretStore = (db: Db): SealedStore =>
  sealedColumnStore(db, { name: 'token secrets', table: 'tokens', id: 'id', column: 'secret_enc', context: secretContext });
