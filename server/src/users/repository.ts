import { sql } from 'kysely';
import { userInScope } from '../access/predicates.js';
import type { Scope } from '../access/scope.js';
import type { Db } from '../db/index.js';
import type { NewUser, UserRow, UserUpdate } from '../db/types.js';
import { fromMicros, micros } from '../db/keyset.js';
import { likePattern } from '../db/like.js';
import { nextCursor, pageKey, type CursorKey } from '../http/paging.js';

export type { UserRow };

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Logins are unique case-insensitively; `lower(login) = lower($1)` is served by the unique index
 * (the same lower() as the index, so the lookup and the uniqueness rule always agree).
 */
export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(login)`, '=', sql`lower(${login.normalize('NFC')})`)
    .executeTakeFirst();
}

export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(db: Db, id: string, patch: UserUpdate, now: Date): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the user; its tokens stay (unlinked by the foreign key), its assignments go with it. */
export async function deleteUser(db: Db, id: string): Promise<{ deleted: boolean; tokensUnlinked: number; assignmentsRemoved: number }> {
  const tokens = await db.selectFrom('tokens').select(sql<string>`count(*)`.as('n')).where('userId', '=', id).executeTakeFirstOrThrow();
  // "User with token" rows reference (token, user); removing them first keeps the order of the
  // cascades irrelevant.
  const withToken = await db.deleteFrom('resource_user_tokens').where('userId', '=', id).returning('resourceId').execute();
  const plain = await db.deleteFrom('resource_users').where('userId', '=', id).returning('resourceId').execute();
  const rows = await db.deleteFrom('users').where('id', '=', id).returning('id').execute();
  return { deleted: rows.length > 0, tokensUnlinked: Number(tokens.n), assignmentsRemoved: withToken.length + plain.length };
}

export async function listUsers(db: Db, scope: Scope, opts: { search?: string; start: number; limit: number; cursor?: string | undefined }) {
  const after = pageKey(opts, ['micros', 'uuid']);
  let q = db.selectFrom('users').where(userInScope(scope));
  if (opts.search) {
    const pattern = likePattern(opts.search);
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(users.login)`, 'like', pattern),
        eb(sql`lower(users.email)`, 'like', pattern),
        eb(sql`lower(users.first_name)`, 'like', pattern),
        eb(sql`lower(users.last_name)`, 'like', pattern),
      ]),
    );
  }
  const [items, total] = await Promise.all([
    (after ? q.where(sql<boolean>`(users.created_at, users.id) < (${fromMicros(after[0]!)}, ${after[1]}::uuid)`) : q)
      .selectAll('users')
      .select(sql<CursorKey>`array[${micros('users.created_at')}, users.id::text]`.as('pageKey'))
      .orderBy('users.createdAt', 'desc')
      .orderBy('users.id', 'desc')
      .offset(after ? 0 : opts.start)
      .limit(opts.limit)
      .execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.map(({ pageKey: _, ...row }) => row), total: Number(total.n), next: nextCursor(items, opts.limit) };
}
