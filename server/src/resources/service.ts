import type { Principal } from '../access/principal.js';
import { assertSuperuser, canAccessResource, scopeOf } from '../access/scope.js';
import { transactionWithChanges } from '../db/changes.js';
import type { Db } from '../db/index.js';
import type { JsonObject, NewResource, ResourceUpdate } from '../db/types.js';
import { appError } from '../errors.js';
import { appendEvent } from '../events/repository.js';
import type { PageQuery } from '../http/paging.js';
import { normaliseOrigins } from './origins.js';
import * as repo from './repository.js';
export type { ResourceRow } from './repository.js';
import type { CreateResourceInput, PatchResourceInput } from './schema.js';
import { newResourceSecret } from './secret.js';
import { mergePortalSettings } from './self-service.js';

/** Everything a resource operation needs besides its input. */
export interface ResourceContext {
  db: Db;
  now: Date;
  principal: Principal;
  ip?: string | null;
  /** Set when an end user acts on their own data in the self-service portal: the events name `user:<id>` as actor and nothing is recorded as created by an administrator. */
  actingUserId?: string;
}

export const actorOf = (ctx: Pick<ResourceContext, 'principal' | 'ip' | 'actingUserId'>) =>
  ctx.actingUserId
    ? { actor: `user:${ctx.actingUserId}`, actorAdminId: null, ip: ctx.ip ?? null }
    : { actor: `admin:${ctx.principal.adminId}`, actorAdminId: ctx.principal.adminId, ip: ctx.ip ?? null };

/** The resource, if it exists and the caller administers it; otherwise 404 (ids of other tenants cannot be probed). */
export async function getResource(ctx: Pick<ResourceContext, 'db' | 'principal'>, id: string): Promise<repo.ResourceRow> {
  const resource = canAccessResource(ctx.principal, id) ? await repo.findResource(ctx.db, id) : undefined;
  if (!resource) throw appError('resource_not_found');
  return resource;
}

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505';
const nameTaken = () => appError('resource_name_taken', { field: 'body.name' });
const addressTaken = () => appError('self_service_address_taken', { field: 'body.selfService.address' });
// Which unique index refused a write: the address has its own (migration 0008).
const conflictOf = (err: unknown) =>
  String((err as { constraint?: unknown; message?: unknown } | null)?.constraint ?? (err as { message?: unknown } | null)?.message ?? '').includes(
    'self_service_address',
  )
    ? addressTaken()
    : nameTaken();

async function checkAddress(db: Db, input: PatchResourceInput, exceptId?: string): Promise<void> {
  const address = input.selfService?.address;
  if (address && (await repo.addressTaken(db, address, exceptId))) throw addressTaken();
}

function settingsOf(input: PatchResourceInput, stored: JsonObject): ResourceUpdate {
  const row: ResourceUpdate = {};
  if (input.selfService !== undefined || input.enrollOnLogin !== undefined) {
    row.settings = JSON.stringify(
      mergePortalSettings(stored, {
        ...(input.selfService ? { selfService: input.selfService } : {}),
        ...(input.enrollOnLogin !== undefined ? { enrollOnLogin: input.enrollOnLogin } : {}),
      }),
    );
  }
  if (input.name !== undefined) row.name = input.name;
  if (input.active !== undefined) row.active = input.active;
  if (input.allowedOrigins !== undefined) row.allowedOrigins = normaliseOrigins(input.allowedOrigins);
  if (input.failedAttemptsLimit !== undefined) row.failedAttemptsLimit = input.failedAttemptsLimit;
  if (input.otpWindow !== undefined) row.otpWindow = input.otpWindow;
  if (input.hotpLookAhead !== undefined) row.hotpLookAhead = input.hotpLookAhead;
  if (input.authMethod !== undefined) row.authMethod = input.authMethod;
  if (input.progressiveUnlock !== undefined) row.progressiveUnlock = input.progressiveUnlock;
  if (input.throttleMaxFailures !== undefined) row.throttleMaxFailures = input.throttleMaxFailures;
  if (input.throttleWindowSeconds !== undefined) row.throttleWindowSeconds = input.throttleWindowSeconds;
  if (input.codeTtlSeconds !== undefined) row.codeTtlSeconds = input.codeTtlSeconds;
  return row;
}

export async function createResource(ctx: ResourceContext, input: CreateResourceInput): Promise<{ resource: repo.ResourceRow; secret: string }> {
  assertSuperuser(ctx.principal, 'Only a superuser may create resources.');
  if (await repo.nameTaken(ctx.db, input.name)) throw nameTaken();
  await checkAddress(ctx.db, input);
  const { secret, hash } = newResourceSecret();
  const row: NewResource = { ...settingsOf(input, {}), name: input.name, secretHash: hash, createdBy: ctx.principal.adminId };
  try {
    const resource = await transactionWithChanges(ctx.db, async (trx) => {
      const created = await repo.insertResource(trx, row);
      await appendEvent(trx, { ...actorOf(ctx), type: 'resource.created', resourceId: created.id, details: { name: created.name } });
      return created;
    });
    return { resource, secret };
  } catch (err) {
    // Two concurrent creations with one name: the unique index decides, the loser gets 409.
    if (isUniqueViolation(err)) throw conflictOf(err);
    throw err;
  }
}

export async function listResources(ctx: Pick<ResourceContext, 'db' | 'principal'>, q: PageQuery) {
  return repo.listResources(ctx.db, scopeOf(ctx.principal), q);
}

export async function patchResource(ctx: ResourceContext, id: string, input: PatchResourceInput): Promise<repo.ResourceRow> {
  const before = await getResource(ctx, id);
  if (input.name !== undefined && (await repo.nameTaken(ctx.db, input.name, id))) throw nameTaken();
  await checkAddress(ctx.db, input, id);
  const patch = settingsOf(input, before.settings);
  try {
    return await transactionWithChanges(ctx.db, async (trx) => {
      const updated = await repo.updateResource(trx, id, patch, ctx.now);
      if (!updated) throw appError('resource_not_found');
      await appendEvent(trx, { ...actorOf(ctx), type: 'resource.updated', resourceId: id, details: { changed: Object.keys(input) } });
      if (input.active !== undefined && input.active !== before.active) {
        await appendEvent(trx, { ...actorOf(ctx), type: input.active ? 'resource.activated' : 'resource.deactivated', resourceId: id });
      }
      return updated;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflictOf(err);
    throw err;
  }
}

/** Deleting a resource removes its assignments, filters and administrator links (cascade); events stay. */
export async function deleteResource(ctx: ResourceContext, id: string): Promise<void> {
  const resource = await getResource(ctx, id);
  assertSuperuser(ctx.principal, 'Only a superuser may delete resources.');
  // Administrators sign in to the console through it (DESIGN §11).
  if (resource.builtin) throw appError('builtin_resource');
  await transactionWithChanges(ctx.db, async (trx) => {
    if (!(await repo.deleteResource(trx, id))) throw appError('resource_not_found');
    await appendEvent(trx, { ...actorOf(ctx), type: 'resource.deleted', resourceId: id, details: { name: resource.name } });
  });
}

/** A new verification secret; the old one stops working with this UPDATE. */
export async function rotateSecret(ctx: ResourceContext, id: string): Promise<{ resource: repo.ResourceRow; secret: string }> {
  await getResource(ctx, id);
  const { secret, hash } = newResourceSecret();
  const resource = await transactionWithChanges(ctx.db, async (trx) => {
    const updated = await repo.updateResource(trx, id, { secretHash: hash, secretRotatedAt: ctx.now }, ctx.now);
    if (!updated) throw appError('resource_not_found');
    await appendEvent(trx, { ...actorOf(ctx), type: 'resource.secret_rotated', resourceId: id });
    return updated;
  });
  return { resource, secret };
}
