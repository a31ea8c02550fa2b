import { sealedColumnStore, type SealedStore } from '../crypto/rotation.js';
import type { Db } from '../db/index.js';
import { contextOf } from './keys.js';

/** Signing keys' private halves as `veriframe rotate-key` re-encrypts them (crypto/rotation.ts). */
export const signingKeyStore = (db: Db): SealedStore =>
  sealedColumnStore(db, { name: 'signing keys', table: 'signing_keys', id: 'kid', column: 'private_enc', context: contextOf });
