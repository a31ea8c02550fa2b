// The built-in resource "Veriframe console" (created by migration 0007). Its only allowed origin
// is PUBLIC_URL's origin, which the database cannot know: the server sets it at start and the
// console routes check it again before minting a sign-in nonce (cheap after the first time), so
// a changed PUBLIC_URL takes effect on the next start and an instance started with another
// PUBLIC_URL corrects the row for the origin it serves. The origin list is replaced, not merged:
// the console is served from one origin only, and no other site may embed its sign-in.
import { announceChange } from '../db/changes.js';
import type { Db } from '../db/index.js';
import { appError } from '../errors.js';

export const CONSOLE_BUILTIN = 'console';

export async function consoleResourceId(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('resources').select('id').where('builtin', '=', CONSOLE_BUILTIN).executeTakeFirst();
  return row?.id;
}

const synced = new WeakMap<Db, { origin: string; id: string }>();

/** Makes sure the console resource allows exactly PUBLIC_URL's origin; returns its id. */
export async function ensureConsoleResource(db: Db, publicUrl: string): Promise<string> {
  const origin = new URL(publicUrl).origin;
  const done = synced.get(db);
  if (done?.origin === origin) return done.id;
  const row = await db.selectFrom('resources').select(['id', 'allowedOrigins']).where('builtin', '=', CONSOLE_BUILTIN).executeTakeFirst();
  if (!row) throw new Error('the built-in console resource is missing: run `veriframe migrate`');
  if (row.allowedOrigins.length !== 1 || row.allowedOrigins[0] !== origin) {
    await db
      .updateTable('resources')
      .set({ allowedOrigins: [origin], updatedAt: new Date() })
      .where('id', '=', row.id)
      .execute();
    announceChange(db, { kind: 'resource', id: row.id });
  }
  synced.set(db, { origin, id: row.id });
  return row.id;
}

/** The administrator whose console login is this user, if any. */
export async function adminOfConsoleUser(db: Db, userId: string) {
  return db.selectFrom('admins').select(['id', 'name', 'role', 'active']).where('consoleUserId', '=', userId).executeTakeFirst();
}

/**
 * The sign-in token of another administrator: a token paired, in the console resource, with a
 * user that is some other administrator's console login. Nobody, not even a superuser, may
 * change or delete it through the API (seeds: "except for editing and deleting tokens that are
 * used by other administrators to access the system"); `veriframe admin reset-access` is the way.
 */
export async function isOthersSignInToken(db: Db, tokenId: string, adminId: string): Promise<boolean> {
  const row = await db
    .selectFrom('resource_user_tokens as rut')
    .innerJoin('resources as r', 'r.id', 'rut.resourceId')
    .innerJoin('admins as a', 'a.consoleUserId', 'rut.userId')
    .select('a.id')
    .where('rut.tokenId', '=', tokenId)
    .where('r.builtin', '=', CONSOLE_BUILTIN)
    .where('a.id', '<>', adminId)
    .executeTakeFirst();
  if (row) return true;
  // The token of an administrator's console user outside that pairing (e.g. an enrolment not
  // finished yet) is theirs just as well.
  const owned = await db
    .selectFrom('tokens as t')
    .innerJoin('admins as a', 'a.consoleUserId', 't.userId')
    .select('a.id')
    .where('t.id', '=', tokenId)
    .where('a.id', '<>', adminId)
    .executeTakeFirst();
  return owned !== undefined;
}

/**
 * The console login (user) of another administrator: its password, login, addresses, active
 * state and assignments are that administrator's sign-in credentials, as its token is.
 */
export async function isOthersConsoleUser(db: Db, userId: string, adminId: string): Promise<boolean> {
  const row = await db.selectFrom('admins').select('id').where('consoleUserId', '=', userId).where('id', '<>', adminId).executeTakeFirst();
  return row !== undefined;
}

/** 403 `sign_in_protected` when the user or token is what another administrator signs in with. */
export async function assertNotOthersSignIn(db: Db, target: { user: string } | { token: string }, adminId: string): Promise<void> {
  const theirs = 'user' in target ? await isOthersConsoleUser(db, target.user, adminId) : await isOthersSignInToken(db, target.token, adminId);
  if (theirs) throw appError('sign_in_protected');
}
