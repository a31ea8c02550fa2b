// WebCrypto building blocks of the vault and of backups: AES-GCM 256 with a random 96-bit IV
// per message, keys from a PIN or password by PBKDF2-SHA256 (600 000 iterations, OWASP 2023),
// and the data key wrapped (AES-KW is not used: AES-GCM wrapping also authenticates).
import { randomBytes, utf8 } from './bytes.js';

export const PBKDF2_ITERATIONS = 600_000;

export type Sealed = { iv: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer> };

export async function deriveKey(secret: string, salt: Uint8Array<ArrayBuffer>, iterations = PBKDF2_ITERATIONS): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', utf8(secret.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
    'wrapKey',
    'unwrapKey',
  ]);
}

/** A key-encryption key from high-entropy input (a WebAuthn PRF output): HKDF-SHA256. */
export async function hkdfKey(input: Uint8Array<ArrayBuffer>, info: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', input, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: utf8(info) }, base, { name: 'AES-GCM', length: 256 }, false, [
    'wrapKey',
    'unwrapKey',
  ]);
}

export const newDataKey = (): Promise<CryptoKey> =>
  crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']) as Promise<CryptoKey>;

export async function seal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>, aad?: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = randomBytes(12);
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, ...(aad ? { additionalData: aad } : {}) }, key, plain));
  return { iv, ct };
}

/** Throws (OperationError) when the key is wrong or the data was altered. */
export async function open(key: CryptoKey, sealed: Sealed, aad?: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, ...(aad ? { additionalData: aad } : {}) }, key, sealed.ct));
}

export async function wrap(kek: CryptoKey, dataKey: CryptoKey): Promise<Sealed> {
  const iv = randomBytes(12);
  return { iv, ct: new Uint8Array(await crypto.subtle.wrapKey('raw', dataKey, kek, { name: 'AES-GCM', iv })) };
}

/** The data key, non-extractable unless asked (only to wrap it under a second key-encryption key). */
export async function unwrap(kek: CryptoKey, sealed: Sealed, extractable = false): Promise<CryptoKey> {
  return crypto.subtle.unwrapKey('raw', sealed.ct, kek, { name: 'AES-GCM', iv: sealed.iv }, { name: 'AES-GCM', length: 256 }, extractable, [
    'encrypt',
    'decrypt',
  ]);
}
