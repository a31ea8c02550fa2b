import { sql } from 'kysely';
import { resourceInScope } from '../access/predicates.js';
import type { Scope } from '../access/scope.js';
import { announceChange } from '../db/changes.js';
import type { Db } from '../db/index.js';
import type { NewResource, ResourceRow, ResourceUpdate } from '../db/types.js';
import { likePattern } from '../db/like.js';

export type { ResourceRow };

export async function findResource(db: Db, id: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row for the rest of the transaction (serialises per-resource limits). */
export async function lockResource(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('resources').select('id').where('id', '=', id).forUpdate().executeTakeFirst()) !== undefined;
}

export async function insertResource(db: Db, row: NewResource): Promise<ResourceRow> {
  return db.insertInto('resources').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateResource(db: Db, id: string, patch: ResourceUpdate, now: Date): Promise<ResourceRow | undefined> {
  const row = await db
    .updateTable('resources')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  announceChange(db, { kind: 'resource', id });
  return row;
}

export async function deleteResource(db: Db, id: string): Promise<boolean> {
  const rows = await db.deleteFrom('resources').where('id', '=', id).returning('id').execute();
  announceChange(db, { kind: 'resource', id });
  return rows.length > 0;
}

/** Another resource with this name, compared as the unique index compares (lower(name)). */
export async function nameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('resources').select('id').where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function secretHashOf(db: Db, id: string): Promise<Buffer | null | undefined> {
  const row = await db.selectFrom('resources').select('secretHash').where('id', '=', id).executeTakeFirst();
  return row ? row.secretHash : undefined;
}

export async function listResources(db: Db, scope: Scope, opts: { search?: string; start: number; limit: number }) {
  let q = db.selectFrom('resources').where(resourceInScope(scope));
  if (opts.search) q = q.where(sql`lower(name)`, 'like', likePattern(opts.search));
  const [items, total] = await Promise.all([
    q.selectAll().orderBy(sql`lower(name)`).orderBy('id').offset(opts.start).limit(opts.limit).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** Another resource whose portal has this address (the unique index of migration 0008 compares the same expression). */
export async function addressTaken(db: Db, address: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('resources').select('id').where(sql`settings #>> '{selfService,address}'`, '=', address);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** The resource whose self-service portal is at `address` (enabled or not: the caller decides). */
export async function findByAddress(db: Db, address: string): Promise<ResourceRow | undefined> {
  return db.selectFrom('resources').selectAll().where(sql`settings #>> '{selfService,address}'`, '=', address).executeTakeFirst();
}
