import type { Db } from '../db/index.js';
import { appError } from '../errors.js';
import type { Principal } from './principal.js';
import { isSuperuser } from './scope.js';

// The write rule (DESIGN §10, issue 13 finding 1): seeing an object is not enough to change it.
// A user or a token may be shared by several resources, and what one administrator changes
// (password, e-mail, login, active state, PIN, secret, bypass, lock, owner, sync, deletion...)
// changes how every one of them authenticates. So a write needs EVERY resource the object is
// assigned to within the caller's scope; otherwise 403 `forbidden` (a superuser may always).
//
// An object assigned to no resource affects no tenant: its creator may change it, as it may see
// it (the read rule) and delete it; other resource administrators do not see it (404). This is
// what a resource administrator who created a user or token and has not assigned it yet expects.
//
// Assignments (PUT/DELETE /resources/{id}/users|tokens/...) are writes to the caller's own
// resource, not to the shared object, and need only that resource and the object's visibility.

export type WriteTarget = { user: string } | { token: string };

/**
 * The resources a user's authentication depends on: those it is assigned to alone or with a
 * token, and those its tokens are assigned to directly, because e-mail, SMS and bot codes go to
 * the user's address (changing the e-mail redirects the codes of such a token).
 */
async function resourcesOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('resource_users')
    .select('resourceId')
    .where('userId', '=', userId)
    .union(db.selectFrom('resource_user_tokens').select('resourceId').where('userId', '=', userId))
    .union(db.selectFrom('resource_tokens as rt').innerJoin('tokens as t', 't.id', 'rt.tokenId').select('rt.resourceId').where('t.userId', '=', userId))
    .execute();
  return rows.map((r) => r.resourceId);
}

/** The resources a token is assigned to, alone or as its user's token. */
async function resourcesOfToken(db: Db, tokenId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('resource_tokens')
    .select('resourceId')
    .where('tokenId', '=', tokenId)
    .union(db.selectFrom('resource_user_tokens').select('resourceId').where('tokenId', '=', tokenId))
    .execute();
  return rows.map((r) => r.resourceId);
}

/**
 * Decides whether `p` may change the user or token; callers check visibility first (404), then
 * this (403), before any other work (no password hashing for a refused write). No row lock: the
 * write does not depend on assignments, so an assignment that commits between this check and the
 * write leaves the same state as one made just after the write (after a deletion, none).
 */
export async function assertMayWrite(db: Db, p: Principal, target: WriteTarget): Promise<void> {
  if (isSuperuser(p)) return;
  const what = 'user' in target ? 'user' : 'token';
  const row =
    'user' in target
      ? await db.selectFrom('users').select('createdBy').where('id', '=', target.user).executeTakeFirst()
      : await db.selectFrom('tokens').select('createdBy').where('id', '=', target.token).executeTakeFirst();
  if (!row) throw appError(`${what}_not_found`);
  const resources = 'user' in target ? await resourcesOfUser(db, target.user) : await resourcesOfToken(db, target.token);
  if (resources.some((id) => !p.resourceIds.includes(id))) {
    // Neither the other resources nor how many there are: they belong to another tenant.
    const message = `This ${what} is also used by a resource this administrator does not manage; only a superuser or an administrator of all of them may change it.`;
    throw appError('forbidden', { message });
  }
  if (resources.length === 0 && row.createdBy !== p.adminId) throw appError(`${what}_not_found`);
}
