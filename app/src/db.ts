// IndexedDB through `idb`: 'meta' holds the vault header (salts, wrapped data key, biometric
// credential) and the settings; 'records' holds one encrypted row per token, in list order.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Sealed } from './crypto.js';

export type VaultHeader = {
  version: 1;
  pin: { salt: Uint8Array<ArrayBuffer>; iterations: number; wrapped: Sealed };
  /** Biometric unlock: a WebAuthn credential whose PRF output unwraps the data key. */
  biometric?: { credentialId: Uint8Array<ArrayBuffer>; prfSalt: Uint8Array<ArrayBuffer>; wrapped: Sealed };
};

export type RecordRow = {
  id: string;
  position: number;
  kind: 'otp' | 'push';
  sealed: Sealed;
  /**
   * Non-extractable CryptoKeys stored beside the record (IndexedDB keeps them without ever
   * exposing their bytes): a push token's signing key. They cannot be encrypted, and need not be.
   */
  cryptoKeys?: Record<string, CryptoKey>;
};

interface AppDb extends DBSchema {
  meta: { key: string; value: unknown };
  records: { key: string; value: RecordRow; indexes: { position: number } };
}

export const DB_NAME = 'veriframe-authenticator';
let opened: Promise<IDBPDatabase<AppDb>> | undefined;

export function database(): Promise<IDBPDatabase<AppDb>> {
  return (opened ??= openDB<AppDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('meta');
      db.createObjectStore('records', { keyPath: 'id' }).createIndex('position', 'position');
    },
  }));
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await database()).get('meta', key)) as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  await (await database()).put('meta', value, key);
}
