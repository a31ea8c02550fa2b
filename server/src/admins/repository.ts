import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { likePattern } from '../db/like.js';
import type { AdminRole } from '../db/types.js';

export interface AdminView {
  id: string;
  name: string;
  role: 'superuser' | 'admin';
  active: boolean;
  createdBy: string | null;
  createdAt: Date;
  /** The user it signs in to the console as (DESIGN §11), if enrolled. */
  consoleUserId: string | null;
  resourceIds: string[];
}

const columns = ['a.id', 'a.name', 'a.role', 'a.active', 'a.createdBy', 'a.createdAt', 'a.consoleUserId'] as const;

async function withResources(db: Db, admins: Omit<AdminView, 'resourceIds'>[]): Promise<AdminView[]> {
  if (!admins.length) return [];
  const rows = await db
    .selectFrom('admin_resources')
    .select(['adminId', 'resourceId'])
    .where(
      'adminId',
      'in',
      admins.map((a) => a.id),
    )
    .execute();
  return admins.map((a) => ({
    ...a,
    resourceIds: rows
      .filter((r) => r.adminId === a.id)
      .map((r) => r.resourceId)
      .sort(),
  }));
}

export async function getAdminView(db: Db, id: string): Promise<AdminView | undefined> {
  const admin = await db.selectFrom('admins as a').select(columns).where('a.id', '=', id).executeTakeFirst();
  return admin ? (await withResources(db, [admin]))[0] : undefined;
}

export async function listAdminViews(db: Db, opts: { onlyId?: string; search?: string; start: number; limit: number }) {
  let q = db.selectFrom('admins as a');
  if (opts.onlyId) q = q.where('a.id', '=', opts.onlyId);
  if (opts.search) q = q.where(sql`lower(a.name)`, 'like', likePattern(opts.search));
  const [items, total] = await Promise.all([
    q.select(columns).orderBy('a.createdAt').orderBy('a.id').offset(opts.start).limit(opts.limit).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: await withResources(db, items), total: Number(total.n) };
}

/** Ids among `ids` that are not resources, so a bad id is reported instead of failing on a foreign key. */
export async function missingResources(db: Db, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const found = await db.selectFrom('resources').select('id').where('id', 'in', ids).execute();
  const known = new Set(found.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

export async function setAdminResources(db: Db, adminId: string, resourceIds: string[]): Promise<void> {
  await db.deleteFrom('admin_resources').where('adminId', '=', adminId).execute();
  if (resourceIds.length)
    await db
      .insertInto('admin_resources')
      .values(resourceIds.map((resourceId) => ({ adminId, resourceId })))
      .execute();
}

export async function countActiveSuperusers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('admins')
    .select(sql<string>`count(*)`.as('n'))
    .where('role', '=', 'superuser')
    .where('active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAdmin(db: Db, admin: { name: string; role: AdminRole; createdBy: string | null }) {
  return db.insertInto('admins').values(admin).returning(['id', 'name', 'role', 'active', 'createdAt']).executeTakeFirstOrThrow();
}

export async function findAdmin(db: Db, id: string) {
  return db.selectFrom('admins').select(['id', 'name', 'role', 'active', 'createdBy', 'createdAt']).where('id', '=', id).executeTakeFirst();
}

export async function firstSuperuser(db: Db) {
  return db
    .selectFrom('admins')
    .select(['id', 'name', 'role'])
    .where('role', '=', 'superuser')
    .where('active', '=', true)
    .orderBy('createdAt')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function adminResourceIds(db: Db, adminId: string): Promise<string[]> {
  const rows = await db.selectFrom('admin_resources').select('resourceId').where('adminId', '=', adminId).execute();
  return rows.map((r) => r.resourceId);
}
