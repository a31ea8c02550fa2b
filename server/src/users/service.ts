import { isUserVisible } from '../access/predicates.js';
import type { Principal } from '../access/principal.js';
import { assertCreatorOrSuperuser, scopeOf } from '../access/scope.js';
import { assertMayWrite } from '../access/writes.js';
import { assertNotOthersSignIn } from '../console/resource.js';
import { hashPassword } from '../crypto/password.js';
import type { Db } from '../db/index.js';
import type { UserUpdate } from '../db/types.js';
import { appError } from '../errors.js';
import { appendEvent, type NewEvent } from '../events/repository.js';
import * as repo from './repository.js';
import type { CreateUserInput, PatchUserInput } from './schema.js';

/** Everything a user operation needs besides its input. */
export interface UserContext {
  db: Db;
  now: Date;
  principal: Principal;
  ip?: string | null;
  /** Set when an end user acts on their own data in the self-service portal: the events name `user:<id>` as actor and nothing is recorded as created by an administrator. */
  actingUserId?: string;
}

const actorOf = (ctx: UserContext) =>
  ctx.actingUserId
    ? { actor: `user:${ctx.actingUserId}`, actorAdminId: null, ip: ctx.ip ?? null }
    : { actor: `admin:${ctx.principal.adminId}`, actorAdminId: ctx.principal.adminId, ip: ctx.ip ?? null };

// Events are read by administrators: they name what changed, never a password or its hash.
const event = (db: Db, ctx: UserContext, e: Omit<NewEvent, 'actor'>) => appendEvent(db, { ...actorOf(ctx), ...e });

const loginTaken = () => appError('login_taken', { field: 'body.login' });

// The unique index on lower(login) is the last word: two concurrent creations of one login both
// pass the pre-check, and the loser's insert fails with 23505.
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505';

async function assertLoginFree(db: Db, login: string, exceptId?: string): Promise<void> {
  const existing = await repo.findUserByLogin(db, login);
  if (existing && existing.id !== exceptId) throw loginTaken();
}

/** The user, if it exists and the caller may see it; otherwise 404 (no probing other admins' ids). */
export async function getUser(ctx: Pick<UserContext, 'db' | 'principal'>, id: string): Promise<repo.UserRow> {
  const user = await repo.findUser(ctx.db, id);
  if (!user || !(await isUserVisible(ctx.db, scopeOf(ctx.principal), id))) throw appError('user_not_found');
  return user;
}

/**
 * The user, if the caller may change it: visible (else 404), not shared with a resource outside
 * its scope (else 403 forbidden), and not another administrator's console login (else 403).
 */
async function writableUser(ctx: UserContext, id: string): Promise<repo.UserRow> {
  const user = await getUser(ctx, id);
  await assertMayWrite(ctx.db, ctx.principal, { user: id });
  await assertNotOthersSignIn(ctx.db, { user: id }, ctx.principal.adminId);
  return user;
}

export async function createUser(ctx: UserContext, input: CreateUserInput): Promise<repo.UserRow> {
  await assertLoginFree(ctx.db, input.login);
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const user = await repo.insertUser(trx, {
        login: input.login,
        email: input.email ?? null,
        phone: input.phone ?? null,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        passwordHash,
        active: input.active ?? true,
        createdBy: ctx.principal.adminId,
      });
      await event(trx, ctx, { type: 'user.created', userId: user.id, details: { login: user.login, hasPassword: passwordHash !== null } });
      return user;
    });
  } catch (err) {
    throw isUniqueViolation(err) ? loginTaken() : err;
  }
}

export async function patchUser(ctx: UserContext, id: string, input: PatchUserInput): Promise<repo.UserRow> {
  const user = await writableUser(ctx, id);
  const patch: UserUpdate = {};
  if (input.login !== undefined && input.login !== user.login) {
    await assertLoginFree(ctx.db, input.login, id);
    patch.login = input.login;
  }
  for (const key of ['email', 'phone', 'firstName', 'lastName'] as const) {
    if (input[key] !== undefined && input[key] !== user[key]) patch[key] = input[key];
  }
  if (input.active !== undefined && input.active !== user.active) patch.active = input.active;
  const changed = Object.keys(patch);
  // Removing a password that is not there changes nothing and is not worth an event.
  const passwordChange = input.password !== undefined && !(input.password === null && user.passwordHash === null);
  if (passwordChange) patch.passwordHash = input.password ? await hashPassword(input.password) : null;
  if (Object.keys(patch).length === 0) return user;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const updated = await repo.updateUser(trx, id, patch, ctx.now);
      if (!updated) throw appError('user_not_found');
      if (changed.length) await event(trx, ctx, { type: 'user.updated', userId: id, details: { changed } });
      if (passwordChange) {
        await event(trx, ctx, { type: 'user.password_changed', userId: id, details: { removed: input.password === null } });
      }
      return updated;
    });
  } catch (err) {
    throw isUniqueViolation(err) ? loginTaken() : err;
  }
}

export async function deleteUser(ctx: UserContext, id: string): Promise<void> {
  const user = await writableUser(ctx, id);
  assertCreatorOrSuperuser(ctx.principal, user.createdBy, 'user', 'delete');
  await ctx.db.transaction().execute(async (trx) => {
    const result = await repo.deleteUser(trx, id);
    if (!result.deleted) throw appError('user_not_found');
    await event(trx, ctx, {
      type: 'user.deleted',
      userId: id,
      details: { login: user.login, tokensUnlinked: result.tokensUnlinked, assignmentsRemoved: result.assignmentsRemoved },
    });
  });
}
