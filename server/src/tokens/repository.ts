import { sql } from 'kysely';
import { visibleTokenIds } from '../access/predicates.js';
import type { Scope } from '../access/scope.js';
import type { Db } from '../db/index.js';
import { fromMicros, micros } from '../db/keyset.js';
import { prefixPattern } from '../db/like.js';
import { readRowCount } from '../db/row-counter.js';
import type { NewToken, TokenRow, TokenUpdate } from '../db/types.js';
import { nextCursor, pageKey, type CursorKey } from '../http/paging.js';

export type { TokenRow };

export async function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertToken(db: Db, token: NewToken): Promise<TokenRow> {
  return db.insertInto('tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

export async function insertTokens(db: Db, tokens: NewToken[]): Promise<void> {
  for (let i = 0; i < tokens.length; i += 500)
    await db
      .insertInto('tokens')
      .values(tokens.slice(i, i + 500))
      .execute();
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

/**
 * The exact number of tokens, from the striped counter that triggers keep in the same transaction
 * as every insert and delete (migration 0004): 16 rows read instead of the whole table. Inside a
 * transaction it includes that transaction's own changes, like count(*) would.
 */
export async function countTokens(db: Db): Promise<number> {
  return readRowCount(db, 'tokens');
}

export async function existingSerials(db: Db, serials: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < serials.length; i += 1000) {
    const rows = await db
      .selectFrom('tokens')
      .select('serialNumber')
      .where('serialNumber', 'in', serials.slice(i, i + 1000))
      .execute();
    for (const r of rows) if (r.serialNumber) found.add(r.serialNumber);
  }
  return found;
}

/**
 * One page of tokens, newest first, with the exact total.
 *
 * Kept flat in the table size (DESIGN §9, measured by `npm run bench`):
 * - the page walks `tokens_created_at_id_idx` backwards from the cursor's key and stops after
 *   limit rows, so a deep page costs what the first does; with `start` instead, OFFSET reads the
 *   rows it skips (O(start), kept for clients that page that way);
 * - the superuser's unfiltered total comes from the trigger-kept counter, not count(*);
 * - `search` matches the *start* of the serial number or of the name, case-insensitively, through
 *   the `lower(...) text_pattern_ops` indexes, so the search and its count(*) cost O(matches).
 *   A "contains" search cannot use a b-tree and pg_trgm is an extension (not available on
 *   PGlite), so contains was given up for prefix matching;
 * - a resource administrator's list is computed from its visible ids: O(visible tokens),
 *   independent of how many tokens other tenants have.
 */
export async function listTokens(db: Db, scope: Scope, opts: { search?: string; start: number; limit: number; cursor?: string | undefined }) {
  const after = pageKey(opts, ['micros', 'uuid']);
  let q = db.selectFrom('tokens');
  if (!scope.all) q = q.where('tokens.id', 'in', visibleTokenIds(db, scope));
  if (opts.search) {
    const pattern = prefixPattern(opts.search);
    q = q.where((eb) => eb.or([eb(sql`lower(tokens.name)`, 'like', pattern), eb(sql`lower(tokens.serial_number)`, 'like', pattern)]));
  }
  const counted = scope.all && !opts.search;
  const [items, total] = await Promise.all([
    (after ? q.where(sql<boolean>`(tokens.created_at, tokens.id) < (${fromMicros(after[0]!)}, ${after[1]}::uuid)`) : q)
      .selectAll('tokens')
      .select(sql<CursorKey>`array[${micros('tokens.created_at')}, tokens.id::text]`.as('pageKey'))
      .orderBy('tokens.createdAt', 'desc')
      .orderBy('tokens.id', 'desc')
      .offset(after ? 0 : opts.start)
      .limit(opts.limit)
      .execute(),
    counted
      ? readRowCount(db, 'tokens')
      : q
          .select(sql<string>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n)),
  ]);
  return { items: items.map(({ pageKey: _, ...row }) => row), total, next: nextCursor(items, opts.limit) };
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

export async function findTokenBySerial(db: Db, serialNumber: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('serialNumber', '=', serialNumber).executeTakeFirst();
}
