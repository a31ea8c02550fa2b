// The push tokens this device holds: a vault record (kind 'push') with where to reach the server,
// and beside it the non-extractable ECDSA P-256 private key (IndexedDB keeps the CryptoKey; its
// bytes never leave WebCrypto, so the key cannot be backed up, transferred or read by script).
import { toB64u, utf8 } from '../bytes.js';
import type { PushRecord } from '../records.js';
import { listRecords, recordCryptoKeys } from '../vault.js';

export interface PushData {
  server: string;
  serial: string;
  issuer: string;
  account: string;
}

export interface PushToken {
  record: PushRecord;
  data: PushData;
  key: CryptoKey;
}

export const KEY_NAME = 'signing';
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A new key pair whose private half can sign but never be exported. */
export const newKeyPair = () => crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify']) as Promise<CryptoKeyPair>;

/** ECDSA P-256 / SHA-256, IEEE P1363 (what WebCrypto makes and the server expects), base64url. */
export async function sign(key: CryptoKey, message: string): Promise<string> {
  return toB64u(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, utf8(message))));
}

const isPushData = (d: Record<string, unknown>): d is Record<string, unknown> & PushData =>
  typeof d.server === 'string' && typeof d.serial === 'string' && typeof d.issuer === 'string' && typeof d.account === 'string';

/** The push tokens of the unlocked vault that have their key (and are for this server). */
export async function pushTokens(): Promise<PushToken[]> {
  const records = (await listRecords()).filter((r): r is PushRecord => r.kind === 'push');
  const found: PushToken[] = [];
  for (const record of records) {
    const key = (await recordCryptoKeys(record.id))?.[KEY_NAME];
    if (key && isPushData(record.data) && record.data.server === location.origin) found.push({ record, data: record.data, key });
  }
  return found;
}

/** The server's error code of a failed answer, or null when it did not answer in JSON. */
export async function errorCode(res: Response): Promise<string | null> {
  const body: unknown = await res.json().catch(() => null);
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown } }).error : undefined;
  return typeof error?.code === 'string' ? error.code : null;
}
