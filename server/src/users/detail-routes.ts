import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { visibleTokenIds } from '../access/predicates.js';
import { assertMayWrite } from '../access/writes.js';
import { canAccessResource, isSuperuser } from '../access/scope.js';
import type { AdminEnv } from '../admins/keys-auth.js';
import type { Db } from '../db/index.js';
import { appendEvent } from '../events/repository.js';
import { adminErrors, bearerAuth, jsonResponse } from '../http/openapi.js';
import { validationHook } from '../http/validation.js';
import { tokenJson, tokenSchema } from '../tokens/schema.js';
import { getUser } from './service.js';

// What the console's user page shows besides the user (DESIGN §11): the user's tokens, the
// resources it is assigned to, and the per-login sign-in locks (auth pipeline, DESIGN §10) with
// their removal. Everything is limited to the caller's scope like the rest of the API.

const tags = ['Users'];
const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const lockSchema = z
  .object({ resourceId: z.uuid(), resourceName: z.string(), failures: z.number().int(), lockedUntil: z.string().nullable() })
  .openapi('LoginLock');
const routes = {
  tokens: createRoute({
    method: 'get',
    path: '/{id}/tokens',
    tags,
    security: bearerAuth,
    summary: "The user's tokens (those the caller may see)",
    request: { params: idParam },
    responses: { 200: jsonResponse('Tokens.', z.object({ items: z.array(tokenSchema), total: z.number().int() })), ...adminErrors },
  }),
  resources: createRoute({
    method: 'get',
    path: '/{id}/resources',
    tags,
    security: bearerAuth,
    summary: "Resources the user is assigned to (in the caller's scope)",
    request: { params: idParam },
    responses: {
      200: jsonResponse('Resources.', z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string() })), total: z.number().int() })),
      ...adminErrors,
    },
  }),
  locks: createRoute({
    method: 'get',
    path: '/{id}/locks',
    tags,
    security: bearerAuth,
    summary: "The user's failed sign-in counters and locks per resource",
    request: { params: idParam },
    responses: { 200: jsonResponse('Counters with failures or a lock.', z.object({ items: z.array(lockSchema), total: z.number().int() })), ...adminErrors },
  }),
  unlock: createRoute({
    method: 'delete',
    path: '/{id}/locks',
    tags,
    security: bearerAuth,
    summary: "Unlock the user's login: reset its failure counters in the caller's resources",
    request: { params: idParam },
    responses: { 204: { description: 'Unlocked.' }, ...adminErrors },
  }),
};

export function userDetailRoutes(deps: { db: Db; now: () => Date }) {
  const app = new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
  const { db } = deps;
  const ctx = (p: AdminEnv['Variables']['principal']) => ({ db, principal: p });

  app.openapi(routes.tokens, async (c) => {
    const p = c.get('principal');
    const user = await getUser(ctx(p), c.req.valid('param').id);
    let q = db.selectFrom('tokens').selectAll().where('userId', '=', user.id);
    if (!isSuperuser(p)) q = q.where('id', 'in', visibleTokenIds(db, { adminId: p.adminId, resourceIds: p.resourceIds }));
    const rows = await q.orderBy('createdAt', 'desc').limit(500).execute();
    return c.json({ items: rows.map(tokenJson), total: rows.length }, 200);
  });

  app.openapi(routes.resources, async (c) => {
    const p = c.get('principal');
    const user = await getUser(ctx(p), c.req.valid('param').id);
    const rows = await db
      .selectFrom('resource_users as ru')
      .innerJoin('resources as r', 'r.id', 'ru.resourceId')
      .select(['r.id', 'r.name'])
      .where('ru.userId', '=', user.id)
      .orderBy(sql`lower(r.name)`)
      .execute();
    const items = rows.filter((r) => canAccessResource(p, r.id));
    return c.json({ items, total: items.length }, 200);
  });

  const locksOf = async (p: AdminEnv['Variables']['principal'], login: string) => {
    const rows = await db
      .selectFrom('login_attempts as la')
      .innerJoin('resources as r', 'r.id', 'la.resourceId')
      .select(['la.resourceId', 'r.name as resourceName', 'la.failures', 'la.lockedUntil'])
      .where('la.loginKey', '=', sql<string>`lower(${login.normalize('NFC')})`)
      .execute();
    return rows.filter((r) => canAccessResource(p, r.resourceId));
  };

  app.openapi(routes.locks, async (c) => {
    const p = c.get('principal');
    const user = await getUser(ctx(p), c.req.valid('param').id);
    const items = (await locksOf(p, user.login)).map((r) => ({ ...r, lockedUntil: r.lockedUntil ? r.lockedUntil.toISOString() : null }));
    return c.json({ items, total: items.length }, 200);
  });

  app.openapi(routes.unlock, async (c) => {
    const p = c.get('principal');
    const user = await getUser(ctx(p), c.req.valid('param').id);
    // Unlocking changes the user's state: like every such write it needs all of the user's
    // resources in the caller's scope (DESIGN §10), else 403.
    await assertMayWrite(db, p, { user: user.id });
    const ids = (await locksOf(p, user.login)).map((r) => r.resourceId);
    if (ids.length)
      await db
        .deleteFrom('login_attempts')
        .where('loginKey', '=', sql<string>`lower(${user.login.normalize('NFC')})`)
        .where('resourceId', 'in', ids)
        .execute();
    // Recorded even when nothing was locked: an administrator acted on the user.
    await appendEvent(db, { type: 'user.unlocked', actor: `admin:${p.adminId}`, actorAdminId: p.adminId, userId: user.id, details: { resources: ids.length } });
    return c.body(null, 204);
  });
  return app;
}
