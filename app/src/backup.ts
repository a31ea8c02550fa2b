// Encrypted backups: a JSON envelope whose ciphertext only the password opens (PBKDF2-SHA256 →
// AES-GCM 256). The same envelope is the backup file, the server backup (the server stores it
// without the password) and, under a random key instead of a password, the transfer to a new
// device. Push tokens are never in it (records.ts: portable).
import { fromB64u, randomBytes, toB64u, utf8 } from './bytes.js';
import { deriveKey, open, PBKDF2_ITERATIONS, seal } from './crypto.js';
import { newId, portable, type OtpRecord, type TokenRecord } from './records.js';

export const BACKUP_FORMAT = 'veriframe-authenticator-backup';
export const MIN_PASSWORD = 8;

type Envelope = {
  format: typeof BACKUP_FORMAT;
  version: 1;
  kdf: { name: 'PBKDF2-SHA256'; iterations: number; salt: string } | { name: 'raw' };
  iv: string;
  ct: string;
};
type Payload = { tokens: OtpRecord[]; exportedAt: string };

/** Why a backup was not opened: not ours at all, or the password (or file) is wrong. */
export type OpenFailure = 'not_backup' | 'wrong_password';

const AAD = utf8(BACKUP_FORMAT);

async function envelope(key: CryptoKey, kdf: Envelope['kdf'], records: readonly TokenRecord[]): Promise<Envelope> {
  const payload: Payload = { tokens: portable(records), exportedAt: new Date().toISOString() };
  const sealed = await seal(key, utf8(JSON.stringify(payload)), AAD);
  return { format: BACKUP_FORMAT, version: 1, kdf, iv: toB64u(sealed.iv), ct: toB64u(sealed.ct) };
}

export async function exportBackup(records: readonly TokenRecord[], password: string): Promise<string> {
  if (password.length < MIN_PASSWORD) throw new Error('password too short');
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt);
  return JSON.stringify(await envelope(key, { name: 'PBKDF2-SHA256', iterations: PBKDF2_ITERATIONS, salt: toB64u(salt) }, records));
}

/** A transfer: the envelope under a fresh random key, and that key (base64url) for the QR code. */
export async function exportTransfer(records: readonly TokenRecord[]): Promise<{ text: string; key: string }> {
  const raw = randomBytes(32);
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
  return { text: JSON.stringify(await envelope(key, { name: 'raw' }, records)), key: toB64u(raw) };
}

function parseEnvelope(text: string): Envelope | undefined {
  try {
    const e = JSON.parse(text) as Envelope;
    return e && e.format === BACKUP_FORMAT && e.version === 1 && typeof e.iv === 'string' && typeof e.ct === 'string' && e.kdf ? e : undefined;
  } catch {
    return undefined;
  }
}

/** The tokens of a backup (with new ids, so restoring twice never overwrites), or why not. */
export async function openBackup(text: string, secret: { password: string } | { rawKey: string }): Promise<OtpRecord[] | OpenFailure> {
  const e = parseEnvelope(text);
  if (!e) return 'not_backup';
  let key: CryptoKey;
  try {
    if ('password' in secret) {
      if (e.kdf.name !== 'PBKDF2-SHA256') return 'not_backup';
      key = await deriveKey(secret.password, fromB64u(e.kdf.salt), e.kdf.iterations);
    } else key = await crypto.subtle.importKey('raw', fromB64u(secret.rawKey), 'AES-GCM', false, ['decrypt']);
  } catch {
    return 'not_backup';
  }
  let plain: Uint8Array;
  try {
    plain = await open(key, { iv: fromB64u(e.iv), ct: fromB64u(e.ct) }, AAD);
  } catch {
    return 'wrong_password';
  }
  const payload = JSON.parse(new TextDecoder().decode(plain)) as Payload;
  return portable(payload.tokens).map((t) => ({ ...t, id: newId() }));
}

/** Text of an envelope as the server API takes it (base64url). */
export const toServerData = (text: string) => toB64u(utf8(text));
export const fromServerData = (data: string) => new TextDecoder().decode(fromB64u(data));
