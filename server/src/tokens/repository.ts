import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { likePattern } from '../http/paging.js';
import type { NewToken, TokenRow, TokenUpdate } from '../db/types.js';

export type { TokenRow };

/** Which tokens a caller may see: all, or those of its resources plus those it created. */
export type TokenScope = { all: true } | { all: false; adminId: string; resourceIds: string[] };

export async function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTokenForUpdate(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertToken(db: Db, token: NewToken): Promise<TokenRow> {
  return db.insertInto('tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

export async function insertTokens(db: Db, tokens: NewToken[]): Promise<void> {
  for (let i = 0; i < tokens.length; i += 500) await db.insertInto('tokens').values(tokens.slice(i, i + 500)).execute();
}

export async function updateToken(db: Db, id: string, patch: TokenUpdate, now: Date): Promise<TokenRow | undefined> {
  return db
    .updateTable('tokens')
    .set({ ...patch, updatedAt: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteToken(db: Db, id: string): Promise<boolean> {
  const rows = await db.deleteFrom('tokens').where('id', '=', id).returning('id').execute();
  return rows.length > 0;
}

export async function countTokens(db: Db): Promise<number> {
  const row = await db.selectFrom('tokens').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function existingSerials(db: Db, serials: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < serials.length; i += 1000) {
    const rows = await db.selectFrom('tokens').select('serialNumber').where('serialNumber', 'in', serials.slice(i, i + 1000)).execute();
    for (const r of rows) if (r.serialNumber) found.add(r.serialNumber);
  }
  return found;
}

function scoped(db: Db, scope: TokenScope) {
  let q = db.selectFrom('tokens');
  if (!scope.all) {
    const { adminId, resourceIds } = scope;
    q = q.where((eb) =>
      eb.or([
        eb('tokens.createdBy', '=', adminId),
        ...(resourceIds.length
          ? [
              eb.exists(eb.selectFrom('resource_tokens as rt').select('rt.tokenId').whereRef('rt.tokenId', '=', 'tokens.id').where('rt.resourceId', 'in', resourceIds)),
              eb.exists(eb.selectFrom('resource_user_tokens as rut').select('rut.tokenId').whereRef('rut.tokenId', '=', 'tokens.id').where('rut.resourceId', 'in', resourceIds)),
            ]
          : []),
      ]),
    );
  }
  return q;
}

export async function isTokenVisible(db: Db, scope: TokenScope, id: string): Promise<boolean> {
  if (scope.all) return true;
  return (await scoped(db, scope).select('tokens.id').where('tokens.id', '=', id).executeTakeFirst()) !== undefined;
}


export async function listTokens(db: Db, scope: TokenScope, opts: { search?: string; start: number; limit: number }) {
  let q = scoped(db, scope);
  if (opts.search) {
    const pattern = likePattern(opts.search);
    q = q.where((eb) => eb.or([eb(sql`lower(tokens.name)`, 'like', pattern), eb(sql`lower(tokens.serial_number)`, 'like', pattern)]));
  }
  const [items, total] = await Promise.all([
    q.selectAll('tokens').orderBy('tokens.createdAt', 'desc').orderBy('tokens.id', 'desc').offset(opts.start).limit(opts.limit).execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function userExists(db: Db, id: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Removes the token from every "user with token" assignment (needed before unlinking its user). */
export async function removeUserTokenAssignments(db: Db, tokenId: string): Promise<number> {
  const rows = await db.deleteFrom('resource_user_tokens').where('tokenId', '=', tokenId).returning('resourceId').execute();
  return rows.length;
}

/** The resources a token is assigned to, directly or as a user's token ("Token Resources"). */
export async function tokenResources(db: Db, tokenId: string) {
  const direct = await db
    .selectFrom('resource_tokens as rt')
    .innerJoin('resources as r', 'r.id', 'rt.resourceId')
    .select(['r.id', 'r.name', 'r.active'])
    .where('rt.tokenId', '=', tokenId)
    .execute();
  const withUser = await db
    .selectFrom('resource_user_tokens as rut')
    .innerJoin('resources as r', 'r.id', 'rut.resourceId')
    .select(['r.id', 'r.name', 'r.active', 'rut.userId'])
    .where('rut.tokenId', '=', tokenId)
    .execute();
  return [
    ...direct.map((r) => ({ ...r, assignment: 'token' as const, userId: null })),
    ...withUser.map((r) => ({ ...r, assignment: 'userWithToken' as const })),
  ].sort((a, b) => a.name.localeCompare(b.name) || a.assignment.localeCompare(b.assignment));
}
