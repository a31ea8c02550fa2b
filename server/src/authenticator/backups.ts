import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';

// Server backups of the authenticator app (DESIGN §13). The blob is the app's own ciphertext
// (AES-GCM under a key derived from the user's backup password in the browser); the server only
// stores it. A random 128-bit id finds it; a 256-bit write key, shown to the app once and stored
// here as its SHA-256, is needed to replace or delete it, so knowing the id alone (it is what a
// user writes down to restore on a new device) does not let anyone destroy the backup. A backup
// created with an expiry (a transfer to a new device) is gone once it expires.

const hash = (key: string) => createHash('sha256').update(key, 'utf8').digest();

export type BackupCreated = { id: string; writeKey: string; updatedAt: string; expiresAt: string | null };

export async function createBackup(db: Db, data: string, now: Date, expiresInSeconds?: number): Promise<BackupCreated> {
  const id = randomBytes(16).toString('base64url');
  const writeKey = randomBytes(32).toString('base64url');
  const expiresAt = expiresInSeconds === undefined ? null : new Date(now.getTime() + expiresInSeconds * 1000);
  await db
    .insertInto('app_backups')
    .values({ id, writeKeyHash: hash(writeKey), data, createdAt: now, updatedAt: now, expiresAt })
    .execute();
  return { id, writeKey, updatedAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null };
}

/** The live row: an expired transfer counts as gone even before the purge deletes it. */
const live = (db: Db, id: string, now: Date) =>
  db
    .selectFrom('app_backups')
    .where('id', '=', id)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]));

export async function readBackup(db: Db, id: string, now: Date): Promise<{ data: string; updatedAt: string }> {
  const row = await live(db, id, now).select(['data', 'updatedAt']).executeTakeFirst();
  if (!row) throw appError('backup_not_found');
  return { data: row.data, updatedAt: row.updatedAt.toISOString() };
}

async function checkWriteKey(db: Db, id: string, writeKey: string | undefined, now: Date): Promise<void> {
  const row = await live(db, id, now).select('writeKeyHash').executeTakeFirst();
  if (!row) throw appError('backup_not_found');
  if (!writeKey || !timingSafeEqual(Buffer.from(row.writeKeyHash), hash(writeKey))) throw appError('backup_key_wrong');
}

export async function replaceBackup(db: Db, id: string, writeKey: string | undefined, data: string, now: Date): Promise<{ updatedAt: string }> {
  await checkWriteKey(db, id, writeKey, now);
  await db.updateTable('app_backups').set({ data, updatedAt: now }).where('id', '=', id).execute();
  return { updatedAt: now.toISOString() };
}

export async function deleteBackup(db: Db, id: string, writeKey: string | undefined, now: Date): Promise<void> {
  await checkWriteKey(db, id, writeKey, now);
  await db.deleteFrom('app_backups').where('id', '=', id).execute();
}

/** Deletes expired transfers (maintenance). */
export async function purgeExpiredBackups(db: Db, now: Date): Promise<number> {
  const rows = await db.deleteFrom('app_backups').where('expiresAt', '<=', now).returning('id').execute();
  return rows.length;
}
