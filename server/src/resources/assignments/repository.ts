import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import { likePattern } from '../../db/like.js';

// The users domain is written alongside this one, so the few user queries assignments need are
// read straight from the table here rather than through its module.

export async function findUser(db: Db, id: string) {
  return db.selectFrom('users').select(['id', 'login', 'createdBy']).where('id', '=', id).executeTakeFirst();
}

type Link = { resourceId: string; createdBy: string | null };

/** Returns whether a row was added (false: it was there already). */
export async function addUser(db: Db, link: Link & { userId: string }): Promise<boolean> {
  const rows = await db
    .insertInto('resource_users')
    .values(link)
    .onConflict((oc) => oc.columns(['resourceId', 'userId']).doNothing())
    .returning('userId')
    .execute();
  return rows.length > 0;
}

export async function removeUser(db: Db, resourceId: string, userId: string): Promise<boolean> {
  const rows = await db.deleteFrom('resource_users').where('resourceId', '=', resourceId).where('userId', '=', userId).returning('userId').execute();
  return rows.length > 0;
}

export async function addToken(db: Db, link: Link & { tokenId: string }): Promise<boolean> {
  const rows = await db
    .insertInto('resource_tokens')
    .values(link)
    .onConflict((oc) => oc.columns(['resourceId', 'tokenId']).doNothing())
    .returning('tokenId')
    .execute();
  return rows.length > 0;
}

export async function removeToken(db: Db, resourceId: string, tokenId: string): Promise<boolean> {
  const rows = await db.deleteFrom('resource_tokens').where('resourceId', '=', resourceId).where('tokenId', '=', tokenId).returning('tokenId').execute();
  return rows.length > 0;
}

/** The token the user uses in this resource, if any. */
export async function userTokenOf(db: Db, resourceId: string, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('resource_user_tokens')
    .select('tokenId')
    .where('resourceId', '=', resourceId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.tokenId;
}

/** Adds the "user with token" row unless the user has one in this resource already (primary key). */
export async function addUserToken(db: Db, link: Link & { userId: string; tokenId: string }): Promise<boolean> {
  const rows = await db
    .insertInto('resource_user_tokens')
    .values(link)
    .onConflict((oc) => oc.columns(['resourceId', 'userId']).doNothing())
    .returning('tokenId')
    .execute();
  return rows.length > 0;
}

/** Returns the token that was used, if there was one. */
export async function removeUserToken(db: Db, resourceId: string, userId: string): Promise<string | undefined> {
  const row = await db
    .deleteFrom('resource_user_tokens')
    .where('resourceId', '=', resourceId)
    .where('userId', '=', userId)
    .returning('tokenId')
    .executeTakeFirst();
  return row?.tokenId;
}

type Page = { search?: string; start: number; limit: number };

export async function listUsers(db: Db, resourceId: string, page: Page) {
  let q = db
    .selectFrom('resource_users as ru')
    .innerJoin('users as u', 'u.id', 'ru.userId')
    .leftJoin('resource_user_tokens as rut', (j) => j.onRef('rut.resourceId', '=', 'ru.resourceId').onRef('rut.userId', '=', 'ru.userId'))
    .where('ru.resourceId', '=', resourceId);
  if (page.search) {
    const p = likePattern(page.search);
    q = q.where((eb) =>
      eb.or([
        eb(sql`lower(u.login)`, 'like', p),
        eb(sql`lower(u.email)`, 'like', p),
        eb(sql`lower(u.first_name)`, 'like', p),
        eb(sql`lower(u.last_name)`, 'like', p),
      ]),
    );
  }
  const [items, total] = await Promise.all([
    q
      .select([
        'u.id as userId',
        'u.login',
        'u.email',
        'u.firstName',
        'u.lastName',
        'u.active',
        'rut.tokenId',
        'ru.createdAt as assignedAt',
        'ru.createdBy as assignedBy',
      ])
      .orderBy(sql`lower(u.login)`)
      .orderBy('u.id')
      .offset(page.start)
      .limit(page.limit)
      .execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function listTokens(db: Db, resourceId: string, page: Page) {
  let q = db.selectFrom('resource_tokens as rt').innerJoin('tokens as t', 't.id', 'rt.tokenId').where('rt.resourceId', '=', resourceId);
  if (page.search) {
    const p = likePattern(page.search);
    q = q.where((eb) => eb.or([eb(sql`lower(t.name)`, 'like', p), eb(sql`lower(t.serial_number)`, 'like', p)]));
  }
  const [items, total] = await Promise.all([
    q
      .select([
        't.id as tokenId',
        't.name',
        't.serialNumber',
        't.kind',
        't.type',
        't.active',
        't.locked',
        't.userId',
        'rt.createdAt as assignedAt',
        'rt.createdBy as assignedBy',
      ])
      .orderBy(sql`lower(t.name)`)
      .orderBy('t.id')
      .offset(page.start)
      .limit(page.limit)
      .execute(),
    q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
