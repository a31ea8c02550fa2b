import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/index.js';
import type { Database } from '../db/types.js';
import type { Scope } from './scope.js';

// The query predicates every repository uses to limit reads to a caller's scope, each a `where`
// condition for any query that has the table (joins included):
//
//   db.selectFrom('users').where(userInScope(scope))
//
// A resource administrator sees its resources; the users and tokens assigned to them (alone, or
// as a "user with token") and those it created; and the events of all of these (listEvents).

type On<T extends keyof Database> = <TB extends keyof Database>(eb: ExpressionBuilder<Database, TB | T>) => Expression<SqlBool>;

const always = sql<SqlBool>`true`;
const never = sql<SqlBool>`false`;

export function resourceInScope(scope: Scope): On<'resources'> {
  return (eb) => {
    if (scope.all) return always;
    if (!scope.resourceIds.length) return never;
    return (eb as unknown as ExpressionBuilder<Database, 'resources'>)('resources.id', 'in', scope.resourceIds);
  };
}

export function userInScope(scope: Scope): On<'users'> {
  return (eb) => {
    if (scope.all) return always;
    const e = eb as unknown as ExpressionBuilder<Database, 'users'>;
    const { adminId, resourceIds } = scope;
    return e.or([
      e('users.createdBy', '=', adminId),
      ...(resourceIds.length
        ? [
            e.exists(e.selectFrom('resource_users as ru').select('ru.userId').whereRef('ru.userId', '=', 'users.id').where('ru.resourceId', 'in', resourceIds)),
            e.exists(
              e
                .selectFrom('resource_user_tokens as rut')
                .select('rut.userId')
                .whereRef('rut.userId', '=', 'users.id')
                .where('rut.resourceId', 'in', resourceIds),
            ),
          ]
        : []),
    ]);
  };
}

/** For one row or a few: an OR of EXISTS tested row by row. Lists use `visibleTokenIds`. */
function tokenInScope(scope: Scope): On<'tokens'> {
  return (eb) => {
    if (scope.all) return always;
    const e = eb as unknown as ExpressionBuilder<Database, 'tokens'>;
    const { adminId, resourceIds } = scope;
    return e.or([
      e('tokens.createdBy', '=', adminId),
      ...(resourceIds.length
        ? [
            e.exists(
              e.selectFrom('resource_tokens as rt').select('rt.tokenId').whereRef('rt.tokenId', '=', 'tokens.id').where('rt.resourceId', 'in', resourceIds),
            ),
            e.exists(
              e
                .selectFrom('resource_user_tokens as rut')
                .select('rut.tokenId')
                .whereRef('rut.tokenId', '=', 'tokens.id')
                .where('rut.resourceId', 'in', resourceIds),
            ),
          ]
        : []),
    ]);
  };
}

/**
 * The token ids a resource administrator may see, as a union of three index lookups: the tokens
 * it created, and those assigned to its resources directly or as a user's token. The same set as
 * `tokenInScope`, but `id in (union)` costs O(visible tokens) where the OR of EXISTS is tested
 * against every row of the table (DESIGN §9: lists stay flat in the table size).
 */
export function visibleTokenIds(db: Db, scope: { adminId: string; resourceIds: string[] }) {
  const created = db.selectFrom('tokens').select('tokens.id').where('tokens.createdBy', '=', scope.adminId);
  if (!scope.resourceIds.length) return created;
  return created
    .union(db.selectFrom('resource_tokens as rt').select('rt.tokenId as id').where('rt.resourceId', 'in', scope.resourceIds))
    .union(db.selectFrom('resource_user_tokens as rut').select('rut.tokenId as id').where('rut.resourceId', 'in', scope.resourceIds));
}

/**
 * The events a resource administrator may read: those of its resources, those it caused, and
 * administrative events without a resource (token.created, user.updated, ...) about tokens and
 * users assigned to its resources. An event that names another resource stays hidden even when
 * its user is shared: that authentication belongs to the other tenant.
 */
export function eventInScope(scope: Scope): On<'events'> {
  return (eb) => {
    if (scope.all) return always;
    const e = eb as unknown as ExpressionBuilder<Database, 'events'>;
    const { adminId, resourceIds } = scope;
    if (!resourceIds.length) return e('events.actorAdminId', '=', adminId);
    const tokens = [
      e.selectFrom('resource_tokens as rt').select('rt.tokenId').where('rt.resourceId', 'in', resourceIds),
      e.selectFrom('resource_user_tokens as rut').select('rut.tokenId').where('rut.resourceId', 'in', resourceIds),
    ];
    const users = [
      e.selectFrom('resource_users as ru').select('ru.userId').where('ru.resourceId', 'in', resourceIds),
      e.selectFrom('resource_user_tokens as rut').select('rut.userId').where('rut.resourceId', 'in', resourceIds),
    ];
    return e.or([
      e('events.actorAdminId', '=', adminId),
      e('events.resourceId', 'in', resourceIds),
      e.and([e('events.resourceId', 'is', null), e.or([...tokens.map((s) => e('events.tokenId', 'in', s)), ...users.map((s) => e('events.userId', 'in', s))])]),
    ]);
  };
}

/** Whether the user exists and is within the scope (callers answer 404 otherwise). */
export async function isUserVisible(db: Db, scope: Scope, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('users.id').where('users.id', '=', id).where(userInScope(scope)).executeTakeFirst()) !== undefined;
}

/** Whether the token exists and is within the scope (callers answer 404 otherwise). */
export async function isTokenVisible(db: Db, scope: Scope, id: string): Promise<boolean> {
  return (await db.selectFrom('tokens').select('tokens.id').where('tokens.id', '=', id).where(tokenInScope(scope)).executeTakeFirst()) !== undefined;
}
