import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { precompiled } from '../db/precompiled.js';
import type { AdminRole } from '../db/types.js';

// API keys: ≥ 256-bit random values stored as SHA-256 hashes, revocable, shown once.

export interface KeyOwner {
  keyId: string;
  adminId: string;
  role: AdminRole;
  /** The administrator's name (GET /admins/me answers with it). */
  name: string;
  lastUsedAt: Date | null;
  /** The resources a resource administrator manages; empty for superusers. */
  resourceIds: string[];
}

/**
 * The active key with this hash and its active administrator, with what every admin request
 * needs of them (the role's resources, the name), in one statement: the key check of every
 * admin request is its only read before the route's own (bench/README.md).
 */
export async function findKeyOwner(db: Db, keyHash: Buffer, now: Date): Promise<KeyOwner | undefined> {
  return (await keyOwnerQuery(db, { keyHash, now })).rows[0];
}

const keyOwnerQuery = precompiled((db, p: { keyHash: Buffer; now: Date }) =>
  db
    .selectFrom('api_keys as k')
    .innerJoin('admins as a', 'a.id', 'k.adminId')
    .select(['k.id as keyId', 'a.id as adminId', 'a.role', 'a.name', 'k.lastUsedAt'])
    // Superusers manage everything: no list (as adminResourceIds is not asked for them).
    .select(
      sql<
        string[]
      >`case when a.role = 'superuser' then '{}'::text[] else array(select ar.resource_id::text from admin_resources ar where ar.admin_id = a.id) end`.as(
        'resourceIds',
      ),
    )
    .where('k.keyHash', '=', p.keyHash)
    .where('k.revokedAt', 'is', null)
    .where((eb) => eb.or([eb('k.expiresAt', 'is', null), eb('k.expiresAt', '>', p.now)]))
    .where('a.active', '=', true),
);

/** How often a key's last use is written at most. */
export const TOUCH_EVERY_MS = 60_000;

/** Records use at most once a minute per key, so busy automation does not write on every call. */
export async function touchKey(db: Db, keyId: string, now: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ lastUsedAt: now })
    .where('id', '=', keyId)
    .where((eb) => eb.or([eb('lastUsedAt', 'is', null), eb('lastUsedAt', '<', new Date(now.getTime() - TOUCH_EVERY_MS))]))
    .execute();
}

const keyColumns = ['id', 'adminId', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt', 'expiresAt'] as const;

export async function insertKey(db: Db, key: { adminId: string; name: string; prefix: string; keyHash: Buffer; expiresAt?: Date | null }) {
  return db.insertInto('api_keys').values(key).returning(keyColumns).executeTakeFirstOrThrow();
}

export async function listKeys(db: Db, filter: { adminId?: string } = {}) {
  let q = db.selectFrom('api_keys').select(keyColumns).orderBy('createdAt').orderBy('id');
  if (filter.adminId) q = q.where('adminId', '=', filter.adminId);
  return q.execute();
}

export async function findKeyByHash(db: Db, keyHash: Buffer) {
  return db.selectFrom('api_keys').select(keyColumns).where('keyHash', '=', keyHash).executeTakeFirst();
}

export async function findKey(db: Db, id: string) {
  return db.selectFrom('api_keys').select(keyColumns).where('id', '=', id).executeTakeFirst();
}

export async function findKeysByPrefix(db: Db, prefix: string) {
  return db.selectFrom('api_keys').select(keyColumns).where('prefix', '=', prefix).execute();
}

/** Revokes an active key; returns undefined when it was already revoked or does not exist. */
export async function revokeKey(db: Db, id: string, now: Date) {
  return db.updateTable('api_keys').set({ revokedAt: now }).where('id', '=', id).where('revokedAt', 'is', null).returning(keyColumns).executeTakeFirst();
}

/** Active keys held by active superusers: revoking the last one would lock everybody out. */
export async function countActiveSuperuserKeys(db: Db, now: Date): Promise<number> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('admins as a', 'a.id', 'k.adminId')
    .select(sql<string>`count(*)`.as('n'))
    .where('a.role', '=', 'superuser')
    .where('a.active', '=', true)
    .where('k.revokedAt', 'is', null)
    .where((eb) => eb.or([eb('k.expiresAt', 'is', null), eb('k.expiresAt', '>', now)]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
