// Transfer to a new device: the old device uploads its tokens encrypted under a random key (the
// server keeps only ciphertext, as for a server backup) and shows `vftransfer:ID.WRITEKEY.KEY` as
// a QR code; the new device reads it, downloads, decrypts with KEY, and deletes the server copy
// with WRITEKEY. The key never reaches the server.
import * as api from './api.js';
import { exportTransfer, fromServerData, openBackup, toServerData } from './backup.js';
import type { TokenRecord } from './records.js';
import { putRecord } from './vault.js';

export const TRANSFER_SCHEME = 'vftransfer:';

export async function startTransfer(records: readonly TokenRecord[]): Promise<string> {
  const { text, key } = await exportTransfer(records);
  const { id, writeKey } = await api.createBackup(toServerData(text));
  return `${TRANSFER_SCHEME}${id}.${writeKey}.${key}`;
}

/** The number of tokens received, or 'invalid' (not a transfer code, or already received). */
export async function receiveTransfer(uri: string): Promise<number | 'invalid'> {
  const m = /^vftransfer:([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/.exec(uri.trim());
  if (!m) return 'invalid';
  const [, id, writeKey, key] = m as unknown as [string, string, string, string];
  const stored = await api.readBackup(id).catch((err: api.ApiError) => {
    if (err.code === 'backup_not_found') return undefined;
    throw err;
  });
  if (!stored) return 'invalid';
  const tokens = await openBackup(fromServerData(stored.data), { rawKey: key });
  if (typeof tokens === 'string') return 'invalid';
  for (const t of tokens) await putRecord(t);
  await api.deleteBackup(id, writeKey).catch(() => undefined);
  return tokens.length;
}
