import { sql } from 'kysely';
import { announceChange } from '../db/changes.js';
import type { Db } from '../db/index.js';
import type { FilterRow, FilterUpdate, NewFilter } from '../db/types.js';
import type { FilterTypeName } from './schema.js';

export type { FilterRow };

export async function findFilter(db: Db, resourceId: string, id: string): Promise<FilterRow | undefined> {
  return db.selectFrom('filters').selectAll().where('id', '=', id).where('resourceId', '=', resourceId).executeTakeFirst();
}

export async function countFilters(db: Db, resourceId: string): Promise<number> {
  const row = await db.selectFrom('filters').select(sql<string>`count(*)`.as('n')).where('resourceId', '=', resourceId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertFilter(db: Db, row: NewFilter): Promise<FilterRow> {
  const inserted = await db.insertInto('filters').values(row).returningAll().executeTakeFirstOrThrow();
  announceChange(db, { kind: 'resource', id: inserted.resourceId });
  return inserted;
}

export async function updateFilter(db: Db, resourceId: string, id: string, patch: FilterUpdate, now: Date): Promise<FilterRow | undefined> {
  const row = await db
    .updateTable('filters')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .where('resourceId', '=', resourceId)
    .returningAll()
    .executeTakeFirst();
  announceChange(db, { kind: 'resource', id: resourceId });
  return row;
}

export async function deleteFilter(db: Db, resourceId: string, id: string): Promise<boolean> {
  const rows = await db.deleteFrom('filters').where('id', '=', id).where('resourceId', '=', resourceId).returning('id').execute();
  announceChange(db, { kind: 'resource', id: resourceId });
  return rows.length > 0;
}

/** Oldest first: the order they were added in. */
export async function listFilters(db: Db, resourceId: string, opts: { type?: FilterTypeName; start: number; limit: number }) {
  let q = db.selectFrom('filters').where('resourceId', '=', resourceId);
  if (opts.type) q = q.where('type', '=', opts.type);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('createdAt').orderBy('id').offset(opts.start).limit(opts.limit).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
