import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';

// Server backups of the authenticator app (DESIGN §13). The blob is the app's own ciphertext
// (AES-GCM under a key derived from the user's backup password in the browser); the server only
// stores it. A random 128-bit id finds it; a 256-bit write key, shown to the app once and stored
// here as its SHA-256, is needed to replace or delete it, so knowing the id alone (it is what a
// user writes down to restore on a new device) does not let anyone destroy the backup.

const hash = (key: string) => createHash('sha256').update(key, 'utf8').digest();

export async function createBackup(db: Db, data: string, now: Date): Promise<{ id: string; writeKey: string; updatedAt: string }> {
  const id = randomBytes(16).toString('base64url');
  const writeKey = randomBytes(32).toString('base64url');
  await db
    .insertInto('app_backups')
    .values({ id, writeKeyHash: hash(writeKey), data, createdAt: now, updatedAt: now })
    .execute();
  return { id, writeKey, updatedAt: now.toISOString() };
}

export async function readBackup(db: Db, id: string): Promise<{ data: string; updatedAt: string }> {
  const row = await db.selectFrom('app_backups').select(['data', 'updatedAt']).where('id', '=', id).executeTakeFirst();
  if (!row) throw appError('backup_not_found');
  return { data: row.data, updatedAt: row.updatedAt.toISOString() };
}

async function checkWriteKey(db: Db, id: string, writeKey: string | undefined): Promise<void> {
  const row = await db.selectFrom('app_backups').select('writeKeyHash').where('id', '=', id).executeTakeFirst();
  if (!row) throw appError('backup_not_found');
  if (!writeKey || !timingSafeEqual(Buffer.from(row.writeKeyHash), hash(writeKey))) throw appError('backup_key_wrong');
}

export async function replaceBackup(db: Db, id: string, writeKey: string | undefined, data: string, now: Date): Promise<{ updatedAt: string }> {
  await checkWriteKey(db, id, writeKey);
  await db.updateTable('app_backups').set({ data, updatedAt: now }).where('id', '=', id).execute();
  return { updatedAt: now.toISOString() };
}

export async function deleteBackup(db: Db, id: string, writeKey: string | undefined): Promise<void> {
  await checkWriteKey(db, id, writeKey);
  await db.deleteFrom('app_backups').where('id', '=', id).execute();
}
