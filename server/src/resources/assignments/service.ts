import { isTokenVisible, isUserVisible } from '../../access/predicates.js';
import { scopeOf } from '../../access/scope.js';
import { assertNotOthersSignIn, consoleResourceId } from '../../console/resource.js';
import { appError } from '../../errors.js';
import { appendEvent } from '../../events/repository.js';
import type { PageQuery } from '../../http/paging.js';
import { findToken } from '../../tokens/repository.js';
import { actorOf, getResource, type ResourceContext } from '../service.js';
import * as repo from './repository.js';

// Three kinds of assignment (DESIGN §3): a user, a token, and a user *with* a token. The last
// implies the first: giving a user a token in a resource also assigns the user, and taking the
// user away takes the token pairing with it, so a "user with token" row never outlives the
// user's own assignment. Removing only the pairing leaves the user assigned (password login).
// An assignment changes only the caller's resource, so it needs that resource and the object's
// visibility, not the whole-scope rule of writes to shared users and tokens (access/writes.ts).

async function visibleUser(ctx: ResourceContext, userId: string) {
  const user = await repo.findUser(ctx.db, userId);
  if (!user || !(await isUserVisible(ctx.db, scopeOf(ctx.principal), userId))) throw appError('user_not_found');
  return user;
}

async function visibleToken(ctx: ResourceContext, tokenId: string, field?: string) {
  const token = await findToken(ctx.db, tokenId);
  if (!token || !(await isTokenVisible(ctx.db, scopeOf(ctx.principal), tokenId))) throw appError('token_not_found', field ? { field } : {});
  return token;
}

/** Taking another administrator's console login out of the console resource would lock them out. */
async function assertMaySeparate(ctx: ResourceContext, resourceId: string, userId: string) {
  if (resourceId === (await consoleResourceId(ctx.db))) await assertNotOthersSignIn(ctx.db, { user: userId }, ctx.principal.adminId);
}

const event = (ctx: ResourceContext, type: string, ids: { resourceId: string; userId?: string; tokenId?: string }) => ({
  ...actorOf(ctx),
  type,
  ...ids,
});

export async function assignUser(ctx: ResourceContext, resourceId: string, userId: string): Promise<void> {
  await getResource(ctx, resourceId);
  await visibleUser(ctx, userId);
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.addUser(trx, { resourceId, userId, createdBy: ctx.principal.adminId })) {
      await appendEvent(trx, event(ctx, 'resource.user_assigned', { resourceId, userId }));
    }
  });
}

export async function unassignUser(ctx: ResourceContext, resourceId: string, userId: string): Promise<void> {
  await getResource(ctx, resourceId);
  await visibleUser(ctx, userId);
  await assertMaySeparate(ctx, resourceId, userId);
  await ctx.db.transaction().execute(async (trx) => {
    const tokenId = await repo.removeUserToken(trx, resourceId, userId);
    if (tokenId) await appendEvent(trx, event(ctx, 'resource.user_token_unassigned', { resourceId, userId, tokenId }));
    if (await repo.removeUser(trx, resourceId, userId)) await appendEvent(trx, event(ctx, 'resource.user_unassigned', { resourceId, userId }));
  });
}

export async function assignToken(ctx: ResourceContext, resourceId: string, tokenId: string): Promise<void> {
  await getResource(ctx, resourceId);
  await visibleToken(ctx, tokenId);
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.addToken(trx, { resourceId, tokenId, createdBy: ctx.principal.adminId })) {
      await appendEvent(trx, event(ctx, 'resource.token_assigned', { resourceId, tokenId }));
    }
  });
}

export async function unassignToken(ctx: ResourceContext, resourceId: string, tokenId: string): Promise<void> {
  await getResource(ctx, resourceId);
  await visibleToken(ctx, tokenId);
  await ctx.db.transaction().execute(async (trx) => {
    if (await repo.removeToken(trx, resourceId, tokenId)) await appendEvent(trx, event(ctx, 'resource.token_unassigned', { resourceId, tokenId }));
  });
}

const notOwned = () => appError('token_not_owned_by_user', { field: 'body.tokenId' });
const otherToken = () => appError('user_token_exists', { field: 'body.tokenId' });

export async function assignUserToken(ctx: ResourceContext, resourceId: string, userId: string, tokenId: string): Promise<void> {
  await getResource(ctx, resourceId);
  await visibleUser(ctx, userId);
  const token = await visibleToken(ctx, tokenId, 'body.tokenId');
  if (token.userId !== userId) throw notOwned();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const current = await repo.userTokenOf(trx, resourceId, userId);
      if (current !== undefined && current !== tokenId) throw otherToken();
      const link = { resourceId, userId, createdBy: ctx.actingUserId ? null : ctx.principal.adminId };
      if (await repo.addUser(trx, link)) await appendEvent(trx, event(ctx, 'resource.user_assigned', { resourceId, userId }));
      if (current === tokenId) return;
      if (await repo.addUserToken(trx, { ...link, tokenId })) {
        await appendEvent(trx, event(ctx, 'resource.user_token_assigned', { resourceId, userId, tokenId }));
        return;
      }
      // A concurrent request paired the user first: same token is fine, another one is a conflict.
      if ((await repo.userTokenOf(trx, resourceId, userId)) !== tokenId) throw otherToken();
    });
  } catch (err) {
    // The composite foreign key: the token changed hands between our check and the insert.
    if ((err as { constraint?: unknown } | null)?.constraint === 'resource_user_tokens_token_owner_fkey') throw notOwned();
    throw err;
  }
}

export async function unassignUserToken(ctx: ResourceContext, resourceId: string, userId: string): Promise<void> {
  await getResource(ctx, resourceId);
  await visibleUser(ctx, userId);
  await assertMaySeparate(ctx, resourceId, userId);
  await ctx.db.transaction().execute(async (trx) => {
    const tokenId = await repo.removeUserToken(trx, resourceId, userId);
    if (tokenId) await appendEvent(trx, event(ctx, 'resource.user_token_unassigned', { resourceId, userId, tokenId }));
  });
}

export async function listUsers(ctx: ResourceContext, resourceId: string, page: PageQuery) {
  await getResource(ctx, resourceId);
  return repo.listUsers(ctx.db, resourceId, page);
}

export async function listTokens(ctx: ResourceContext, resourceId: string, page: PageQuery) {
  await getResource(ctx, resourceId);
  return repo.listTokens(ctx.db, resourceId, page);
}
