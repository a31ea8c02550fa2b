import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Principal } from '../admins/service.js';
import type { Db } from '../db/index.js';
import type { Database, NewUser, UserRow, UserUpdate } from '../db/types.js';
import { likePattern } from '../http/paging.js';

export type { UserRow };

type Visibility = Pick<Principal, 'role' | 'adminId' | 'resourceIds'>;

/**
 * The users a principal may see, as a `where` condition on any query that has the `users` table:
 * a superuser sees all; a resource administrator those assigned to one of its resources (alone or
 * with a token) and those it created. Callers answer 404 for the rest, so ids cannot be probed.
 *
 *   db.selectFrom('users').where(userScope(principal))
 */
export function userScope(p: Visibility) {
  return <TB extends keyof Database>(eb: ExpressionBuilder<Database, TB | 'users'>): Expression<SqlBool> => {
    if (p.role === 'superuser') return sql<SqlBool>`true`;
    const e = eb as unknown as ExpressionBuilder<Database, 'users'>;
    return e.or([
      e('users.createdBy', '=', p.adminId),
      ...(p.resourceIds.length
        ? [
            e.exists(e.selectFrom('resource_users as ru').select('ru.userId').whereRef('ru.userId', '=', 'users.id').where('ru.resourceId', 'in', p.resourceIds)),
            e.exists(e.selectFrom('resource_user_tokens as rut').select('rut.userId').whereRef('rut.userId', '=', 'users.id').where('rut.resourceId', 'in', p.resourceIds)),
          ]
        : []),
    ]);
  };
}

export async function isUserVisible(db: Db, p: Visibility, id: string): Promise<boolean> {
  if (p.role === 'superuser') return (await findUser(db, id)) !== undefined;
  return (await db.selectFrom('users').select('users.id').where('users.id', '=', id).where(userScope(p)).executeTakeFirst()) !== undefined;
}

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

export async function listUsers(db: Db, p: Visibility, opts: { search?: string; start: number; limit: number }) {
  let q = db.selectFrom('users').where(userScope(p));
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
    q.selectAll('users').orderBy('users.createdAt', 'desc').orderBy('users.id', 'desc').offset(opts.start).limit(opts.limit).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
