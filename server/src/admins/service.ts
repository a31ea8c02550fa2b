import { sql } from 'kysely';
import type { Principal } from '../access/principal.js';
import { assertSuperuser, isSuperuser } from '../access/scope.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import { createApiKey } from './keys-service.js';
import * as repo from './repository.js';

// Administrators are managed by superusers only: a resource administrator "cannot create
// superusers or touch other administrators" (issue 5), and letting it create peers would let it
// hand out access it was given.

const actor = (p: Principal) => ({ actor: `admin:${p.adminId}`, actorAdminId: p.adminId });

async function checkResources(db: Db, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const missing = await repo.missingResources(db, unique);
  if (missing.length) throw appError('unprocessable', { message: `Unknown resource id(s): ${missing.join(', ')}`, field: 'body.resourceIds' });
  return unique;
}

export async function createAdmin(db: Db, p: Principal, input: { name: string; role: 'superuser' | 'admin'; resourceIds: string[] }) {
  assertSuperuser(p, 'Only a superuser may create administrators.');
  return db.transaction().execute(async (trx) => {
    const resourceIds = input.role === 'superuser' ? [] : await checkResources(trx, input.resourceIds);
    const admin = await repo.insertAdmin(trx, { name: input.name, role: input.role, createdBy: p.adminId });
    await repo.setAdminResources(trx, admin.id, resourceIds);
    await appendEvent(trx, { ...actor(p), type: 'admin.created', details: { adminId: admin.id, role: admin.role, resourceIds } });
    const key = await createApiKey(trx, { adminId: admin.id, name: 'initial key', ...actor(p) });
    return { admin: (await repo.getAdminView(trx, admin.id))!, apiKey: key.apiKey };
  });
}

/** A resource administrator may read only itself; others' ids answer 404. */
export async function getAdmin(db: Db, p: Principal, id: string): Promise<repo.AdminView> {
  const admin = isSuperuser(p) || id === p.adminId ? await repo.getAdminView(db, id) : undefined;
  if (!admin) throw appError('admin_not_found');
  return admin;
}

export async function listAdmins(db: Db, p: Principal, page: { search?: string; start: number; limit: number }) {
  return repo.listAdminViews(db, { ...page, ...(isSuperuser(p) ? {} : { onlyId: p.adminId }) });
}

export async function patchAdmin(
  db: Db,
  p: Principal,
  id: string,
  input: { name?: string; role?: 'superuser' | 'admin'; active?: boolean; resourceIds?: string[] },
) {
  assertSuperuser(p, 'Only a superuser may change administrators.');
  return db.transaction().execute(async (trx) => {
    // Serialised so that two superusers demoting each other cannot leave nobody in charge.
    await sql`select pg_advisory_xact_lock(hashtext('veriframe:superusers'))`.execute(trx);
    const before = await repo.getAdminView(trx, id);
    if (!before) throw appError('admin_not_found');
    const losesSuperuser = before.role === 'superuser' && before.active && (input.role === 'admin' || input.active === false);
    if (losesSuperuser && (await repo.countActiveSuperusers(trx)) <= 1) {
      throw appError('unprocessable', { message: 'This is the last active superuser; make another one first.' });
    }
    const patch = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.role ? { role: input.role } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
    };
    if (Object.keys(patch).length)
      await trx
        .updateTable('admins')
        .set({ ...patch, updatedAt: new Date() })
        .where('id', '=', id)
        .execute();
    const role = input.role ?? before.role;
    if (input.resourceIds !== undefined || role === 'superuser') {
      await repo.setAdminResources(trx, id, role === 'superuser' ? [] : await checkResources(trx, input.resourceIds ?? before.resourceIds));
    }
    await appendEvent(trx, { ...actor(p), type: 'admin.updated', details: { adminId: id, changed: Object.keys(input) } });
    return (await repo.getAdminView(trx, id))!;
  });
}

export async function deleteAdmin(db: Db, p: Principal, id: string): Promise<void> {
  assertSuperuser(p, 'Only a superuser may delete administrators.');
  if (id === p.adminId) throw appError('unprocessable', { message: 'An administrator cannot delete itself.' });
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('veriframe:superusers'))`.execute(trx);
    const admin = await repo.getAdminView(trx, id);
    if (!admin) throw appError('admin_not_found');
    // Its keys go with it (cascade); objects it created keep created_by = null.
    await trx.deleteFrom('admins').where('id', '=', id).execute();
    await appendEvent(trx, { ...actor(p), type: 'admin.deleted', details: { adminId: id, name: admin.name, role: admin.role } });
  });
}

export const adminJson = (a: repo.AdminView) => ({ ...a, createdAt: a.createdAt.toISOString() });
