import { sql } from 'kysely';
import type { Principal } from '../access/principal.js';
import { isSuperuser } from '../access/scope.js';
import { randomKey, sha256 } from '../crypto/random.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import * as keys from './keys-repository.js';
import * as admins from './repository.js';

export const API_KEY_PREFIX = 'vf_';

export const hashApiKey = (key: string): Buffer => sha256(key);

// Enough to tell keys apart in a list, far too little to guess the rest (≥ 256 random bits).
export const keyPrefix = (key: string): string => key.slice(0, API_KEY_PREFIX.length + 8);

export async function authenticateKey(db: Db, key: string, now: Date): Promise<Principal | undefined> {
  const owner = await keys.findKeyOwner(db, hashApiKey(key), now);
  if (!owner) return undefined;
  // The read already tells whether the minute is up; the touch's own condition still decides
  // among concurrent requests, so at most one of them writes.
  if (!owner.lastUsedAt || owner.lastUsedAt.getTime() < now.getTime() - keys.TOUCH_EVERY_MS) await keys.touchKey(db, owner.keyId, now);
  return { adminId: owner.adminId, role: owner.role, keyId: owner.keyId, resourceIds: owner.resourceIds, adminName: owner.name };
}

export async function createApiKey(db: Db, input: { adminId: string; name: string; actor: string; actorAdminId?: string | null }) {
  const admin = await admins.findAdmin(db, input.adminId);
  if (!admin) throw appError('admin_not_found');
  const apiKey = randomKey(API_KEY_PREFIX);
  const record = await keys.insertKey(db, { adminId: admin.id, name: input.name, prefix: keyPrefix(apiKey), keyHash: hashApiKey(apiKey) });
  await appendEvent(db, {
    type: 'api_key.created',
    actor: input.actor,
    actorAdminId: input.actorAdminId ?? null,
    details: { adminId: admin.id, keyId: record.id, prefix: record.prefix },
  });
  return { ...record, apiKey };
}

/** The key for the CLI: the given administrator, else the first superuser (created if none). */
export async function createKeyForCli(db: Db, input: { adminId?: string; name: string }) {
  const adminId = input.adminId ?? (await firstOrNewSuperuser(db, 'superuser', 'cli')).id;
  return createApiKey(db, { adminId, name: input.name, actor: 'cli' });
}

/** The first active superuser; a fresh installation gets one here (CLI commands run before any exists). */
export async function firstOrNewSuperuser(db: Db, name: string, actor: string) {
  const existing = await admins.firstSuperuser(db);
  if (existing) return existing;
  const admin = await admins.insertAdmin(db, { name, role: 'superuser', createdBy: null });
  await appendEvent(db, { type: 'admin.created', actor, details: { adminId: admin.id, role: admin.role } });
  return admin;
}

/**
 * Makes sure VERIFRAME_ADMIN_KEY works as a superuser key. Several instances may start at once,
 * so the check-and-create runs under a transaction-scoped advisory lock.
 */
export async function ensureBootstrapKey(db: Db, apiKey: string): Promise<'created' | 'present'> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('veriframe:bootstrap-key'))`.execute(trx);
    const keyHash = hashApiKey(apiKey);
    const existing = await keys.findKeyByHash(trx, keyHash);
    if (existing) {
      const owner = await admins.findAdmin(trx, existing.adminId);
      if (existing.revokedAt === null && owner?.role === 'superuser' && owner.active) return 'present';
      // The operator set the variable on purpose: a revoked or demoted bootstrap key is a
      // leftover, replaced by a fresh record for a superuser.
      await trx.deleteFrom('api_keys').where('id', '=', existing.id).execute();
    }
    const admin = await firstOrNewSuperuser(trx, 'bootstrap', 'system');
    await keys.insertKey(trx, { adminId: admin.id, name: 'VERIFRAME_ADMIN_KEY', prefix: keyPrefix(apiKey), keyHash });
    await appendEvent(trx, { type: 'api_key.created', actor: 'system', details: { adminId: admin.id, bootstrap: true } });
    return 'created';
  });
}

export async function revokeApiKey(db: Db, input: { keyId: string; actor: string; actorAdminId?: string | null; now: Date }) {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('veriframe:revoke-key'))`.execute(trx);
    const key = await keys.findKey(trx, input.keyId);
    if (!key) throw appError('api_key_not_found');
    if (key.revokedAt) return key;
    const owner = await admins.findAdmin(trx, key.adminId);
    if (owner?.role === 'superuser' && owner.active && (await keys.countActiveSuperuserKeys(trx, input.now)) <= 1) {
      throw appError('last_superuser_key');
    }
    const revoked = await keys.revokeKey(trx, key.id, input.now);
    await appendEvent(trx, {
      type: 'api_key.revoked',
      actor: input.actor,
      actorAdminId: input.actorAdminId ?? null,
      details: { adminId: key.adminId, keyId: key.id, prefix: key.prefix },
    });
    return revoked ?? key;
  });
}

/** A resource administrator manages only its own keys; a superuser manages everybody's. */
export function assertMayManageKeys(principal: Principal, adminId: string): void {
  if (!isSuperuser(principal) && principal.adminId !== adminId) throw appError('forbidden');
}
